//! The database file as the store sees it while running: the lock that keeps a second
//! `briefbot run` off the same file, and the file's identity, checked before every use so
//! that a database deleted or replaced behind the bot's back is noticed once, reported once,
//! and never silently recreated (see [`super::Store::open`]).
//!
//! Identity is twofold. The path must still name the file (device and inode) that was
//! opened: that catches a deletion and a file moved over it. A file overwritten in place
//! (`cp other.db bot.db` keeps the inode) is caught by the store's stamp: a random
//! `PRAGMA user_version` given to the database when it is first opened and checkpointed
//! into the file's header (bytes 60–63), which the check reads from the file itself at most
//! once a second, through a descriptor opened once and never closed ([`HeaderReader`]). The header is read with plain file I/O, not through SQLite: after an
//! overwrite SQLite may still serve the old pages from its write-ahead log, the file does
//! not.

use super::{Result, StoreError};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Where SQLite keeps `PRAGMA user_version` in the file: 4 bytes, big-endian.
const USER_VERSION_OFFSET: u64 = 60;

/// How often the stamp in the file is read, at most.
const STAMP_CHECK_EVERY: Duration = Duration::from_secs(1);

/// A descriptor of the database file that is never closed: closing any descriptor of a file
/// drops every POSIX lock the process holds on it, SQLite's included (the reason
/// [`RunLock`] is a separate file). The stamp is read through it, so one is opened per
/// store and kept until the process ends.
#[derive(Debug)]
pub(super) struct HeaderReader(std::mem::ManuallyDrop<File>);

impl HeaderReader {
    /// Opens the file at `path` for reading its header.
    pub(super) fn open(path: &Path) -> std::io::Result<HeaderReader> {
        Ok(HeaderReader(std::mem::ManuallyDrop::new(File::open(path)?)))
    }

    /// The `user_version` field of the SQLite header (4 bytes, big-endian); `None` when
    /// the file is too short to hold a header (not a database any more).
    #[cfg(unix)]
    pub(super) fn stamp(&self) -> std::io::Result<Option<u32>> {
        use std::os::unix::fs::FileExt as _;
        let mut bytes = [0u8; 4];
        match self.0.read_exact_at(&mut bytes, USER_VERSION_OFFSET) {
            Ok(()) => Ok(Some(u32::from_be_bytes(bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Not read elsewhere than on Unix (the overwrite is not detected there).
    #[cfg(not(unix))]
    pub(super) fn stamp(&self) -> std::io::Result<Option<u32>> {
        Err(std::io::Error::other("not supported"))
    }
}

/// Held for the life of a process that delivers (`briefbot run`): an exclusive OS lock
/// (`flock`) on `<database>.lock`, released by the kernel when the process ends, however it
/// ends. A separate file, because closing any descriptor of the database file itself would
/// drop SQLite's own POSIX locks on it.
#[derive(Debug)]
pub(super) struct RunLock {
    _file: File,
}

impl RunLock {
    /// The lock file of the database at `db`.
    pub(super) fn path_for(db: &Path) -> PathBuf {
        let mut name = db.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// Takes the lock without waiting; [`StoreError::InUse`] if another process holds it.
    pub(super) fn acquire(db: &Path) -> Result<RunLock> {
        let path = Self::path_for(db);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| StoreError::LockFile {
                path: path.clone(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(StoreError::InUse {
                path: db.to_path_buf(),
                lock: path,
            }),
            Err(TryLockError::Error(source)) => Err(StoreError::LockFile { path, source }),
        }
    }
}

/// Which file a path names (device and inode), to notice it being replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity(u64, u64);

impl Identity {
    #[cfg(unix)]
    fn of(path: &Path) -> Option<Identity> {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata(path)
            .ok()
            .map(|m| Identity(m.dev(), m.ino()))
    }

    #[cfg(not(unix))]
    fn of(path: &Path) -> Option<Identity> {
        // No inode: only a missing file is noticed.
        std::fs::metadata(path).ok().map(|_| Identity(0, 0))
    }
}

/// The open database file: its path, its identity when opened, and whether it was lost.
#[derive(Debug)]
pub(super) struct DbFile {
    path: PathBuf,
    identity: Option<Identity>,
    /// The store's stamp as the file's header holds it (`None`: not checked, see
    /// [`DbFile::set_stamp`]).
    stamp: Option<(u32, HeaderReader)>,
    /// When the stamp in the file is next read.
    next_stamp_check: Mutex<Instant>,
    lost: AtomicBool,
    lost_tx: watch::Sender<bool>,
}

impl DbFile {
    /// Records the identity of the file at `path`, just opened.
    pub(super) fn opened(path: &Path) -> DbFile {
        DbFile {
            path: path.to_path_buf(),
            identity: Identity::of(path),
            stamp: None,
            next_stamp_check: Mutex::new(Instant::now() + STAMP_CHECK_EVERY),
            lost: AtomicBool::new(false),
            lost_tx: watch::channel(false).0,
        }
    }

    /// The stamp the file's header must keep holding (read from the file once the store
    /// stamped and checkpointed it).
    pub(super) fn set_stamp(&mut self, stamp: u32, reader: HeaderReader) {
        self.stamp = Some((stamp, reader));
    }

    /// `Ok` while the path still names the file that was opened, with the store's stamp in
    /// its header. The first time it does not (deleted, replaced by another file, or
    /// overwritten in place), logs one error and marks the database lost for good; every
    /// later call fails with [`StoreError::Lost`] without logging.
    pub(super) fn check(&self) -> Result<()> {
        if !self.lost.load(Ordering::Acquire) {
            let now = Identity::of(&self.path);
            let what = if now.is_none() {
                "deleted"
            } else if now != self.identity {
                "replaced"
            } else if !self.stamp_holds() {
                "overwritten by another file"
            } else {
                return Ok(());
            };
            if !self.lost.swap(true, Ordering::AcqRel) {
                tracing::error!(
                    "the database {} was {what} while the bot was running: deliveries are \
                     stopped and subscription changes are refused until briefbot is restarted \
                     (a new database is never created behind your back)",
                    self.path.display(),
                );
                self.lost_tx.send_replace(true);
            }
        }
        Err(StoreError::Lost {
            path: self.path.clone(),
        })
    }

    /// Whether the file's header still holds the stamp (read at most once a second; `true`
    /// in between, when there is no stamp, and when the file cannot be read for another
    /// reason than holding no header, such as running out of descriptors).
    fn stamp_holds(&self) -> bool {
        let Some((stamp, reader)) = &self.stamp else {
            return true;
        };
        {
            let mut next = self
                .next_stamp_check
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            if now < *next {
                return true;
            }
            *next = now + STAMP_CHECK_EVERY;
        }
        match reader.stamp() {
            Ok(found) => found == Some(*stamp),
            Err(_) => true,
        }
    }

    /// Whether the file was found lost.
    pub(super) fn is_lost(&self) -> bool {
        self.lost.load(Ordering::Acquire)
    }

    /// Resolves once the file is found lost.
    pub(super) async fn wait_lost(&self) {
        let mut rx = self.lost_tx.subscribe();
        let _ = rx.wait_for(|lost| *lost).await;
    }
}
