//! The database file as the store sees it while running: the lock that keeps a second
//! `briefbot run` off the same file, and the file's identity, checked before every use so
//! that a database deleted or replaced behind the bot's back is noticed once, reported once,
//! and never silently recreated (see [`super::Store::open`]).

use super::{Result, StoreError};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::watch;

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
    lost: AtomicBool,
    lost_tx: watch::Sender<bool>,
}

impl DbFile {
    /// Records the identity of the file at `path`, just opened.
    pub(super) fn opened(path: &Path) -> DbFile {
        DbFile {
            path: path.to_path_buf(),
            identity: Identity::of(path),
            lost: AtomicBool::new(false),
            lost_tx: watch::channel(false).0,
        }
    }

    /// `Ok` while the path still names the file that was opened. The first time it does
    /// not (deleted, or replaced by another file), logs one error and marks the database
    /// lost for good; every later call fails with [`StoreError::Lost`] without logging.
    pub(super) fn check(&self) -> Result<()> {
        if !self.lost.load(Ordering::Acquire) {
            let now = Identity::of(&self.path);
            if now.is_some() && now == self.identity {
                return Ok(());
            }
            if !self.lost.swap(true, Ordering::AcqRel) {
                tracing::error!(
                    "the database {} was {} while the bot was running: deliveries are stopped \
                     and subscription changes are refused until briefbot is restarted (a new \
                     database is never created behind your back)",
                    self.path.display(),
                    if now.is_none() { "deleted" } else { "replaced" }
                );
                self.lost_tx.send_replace(true);
            }
        }
        Err(StoreError::Lost {
            path: self.path.clone(),
        })
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
