//! Persistence: subscriptions, the briefs already seen, the delivery ledger, and the feed and
//! page sources' state and briefs, through sqlx, in SQLite (a file, the default) or in
//! PostgreSQL (`storage.url`, for several processes: see [`Location`]).
//!
//! One store API over both, through sqlx's `Any` driver: every query is written once, and
//! the SQL is portable: `$N` placeholders, BIGINT/INTEGER/TEXT columns, unix-millisecond
//! timestamps, snowflakes stored as BIGINT (`u64 as i64`, bit-preserving), `ON CONFLICT`
//! upserts, no engine-specific functions, and only the value types `Any` carries (i64,
//! text, null). The schema lives in `migrations/` and is applied by the `open` functions
//! (on PostgreSQL under sqlx's migration lock, so two processes starting at once are safe).
//! `Any` was chosen over an enum of two typed pools, which would write every query twice,
//! and over code generic in the database type, whose trait bounds would outweigh the queries.
//!
//! Multi-statement changes that must not be torn by a crash (record seen + plan, digest +
//! stamp) each run in one transaction, and always write before they read so SQLite takes
//! the write lock up front.
//!
//! Faults are handled here, in one place, whatever the caller:
//! - A transaction is begun and ended with plain SQL on a connection of its own (`Writer`),
//!   and one that does not commit is rolled back before its connection serves again. SQLite
//!   rolls a transaction back by itself when a write fails for lack of space or an I/O
//!   error; sqlx's transaction manager then still believed it open, and the connection's
//!   next "begin" became a savepoint inside a transaction that never ended ("database is
//!   locked" until a restart). Plain SQL leaves no such bookkeeping, so the store recovers
//!   by itself once space returns, without opening new connections during the fault.
//! - The database file is created only by [`Store::open`], at start. Later connections open
//!   it without creating it, and every operation first checks that the path still names the
//!   file that was opened, with the store's stamp in its header ([`file`]): once it was
//!   deleted, replaced or overwritten in place, the store is lost —
//!   one error is logged, every operation fails with [`StoreError::Lost`], and
//!   [`Store::wait_lost`] lets the running bot stop delivering.
//! - [`Store::open_exclusive`] (for `briefbot run`) also holds an OS lock next to the file,
//!   so that two bots never deliver from one database.
//!
//! On PostgreSQL there is no file to watch or lock: the server reports its own faults, and
//! several processes share one database, one of them delivering (the leader, see
//! `app::leader`).

mod file;
mod ledger;
#[doc(hidden)]
pub mod scratch;
mod seen;
mod sources;
mod subscriptions;

pub use ledger::{
    ChannelActivity, DeliveryKind, DeliveryRecord, DeliveryStatus, NewDelivery, PendingDelivery,
    PlanOutcome,
};
pub use seen::SeenBrief;
pub use sources::{SourceRow, StoredItem};
pub use subscriptions::{normalize_topics, ConfigSync, Mode, Origin, RemoveOutcome, Subscription};

use file::{DbFile, RunLock};
use sqlx::any::{Any, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{AnyPool, Connection as _, Executor as _, SqliteConnection};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The embedded migrations (`migrations/*.sql`).
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a connection waits for a lock held by another before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections in the pool of a file database (WAL: many readers, one writer).
const FILE_POOL_SIZE: u32 = 4;

/// Connections in the pool of a PostgreSQL database, per process.
const SERVER_POOL_SIZE: u32 = 8;

/// How long to wait for a connection from the pool, or to a server.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the database is: `storage.path` or `storage.url` (`url_env`).
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    File(PathBuf),
    /// A PostgreSQL server: a `postgres://` URL, which may hold a password (never shown:
    /// `Display` and `Debug` print it redacted).
    Server(String),
}

impl Location {
    /// Whether several processes can share this database (PostgreSQL).
    pub fn is_shared(&self) -> bool {
        matches!(self, Location::Server(_))
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Server(url) => f.write_str(&redact(url)),
        }
    }
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => f.debug_tuple("File").field(path).finish(),
            Location::Server(_) => f.debug_tuple("Server").field(&self.to_string()).finish(),
        }
    }
}

/// `url` with its password (if any) replaced by `***`; an unparsable URL is shown only by
/// its scheme, since it may still hold one.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => match url.split_once(':') {
            Some((scheme, _)) => format!("{scheme}:… (unparsable)"),
            None => "(unparsable URL)".to_string(),
        },
    }
}

/// Registers sqlx's drivers for `Any` (once per process).
pub fn install_drivers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(sqlx::any::install_default_drivers);
}

/// The `Any` URL of an SQLite file that exists: its path percent-encoded whole (slashes
/// too), so the URL is opaque and no `.`/`..` segment is normalized away; sqlx decodes it.
fn sqlite_url(path: &Path, path_error: impl Fn(sqlx::Error) -> StoreError) -> Result<String> {
    let text = path.to_str().ok_or_else(|| {
        path_error(sqlx::Error::Configuration(
            "the path is not valid UTF-8".into(),
        ))
    })?;
    let mut url = String::from("sqlite:");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_') {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(url)
}

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The PostgreSQL database could not be reached or opened.
    #[error("cannot open database {location}: {source}")]
    Connect {
        /// The server (shown without its password).
        location: Location,
        /// The cause.
        source: sqlx::Error,
    },
    /// The database file could not be opened or created.
    #[error("cannot open database {}: {source}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: sqlx::Error,
    },
    /// The directory for the database file could not be created.
    #[error("cannot create directory {}: {source}", path.display())]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Another process (a second `briefbot run`) holds the database.
    #[error(
        "the database {} is in use by another briefbot run (it holds {}): stop that process \
         first, or give this one another storage.path",
        path.display(),
        lock.display()
    )]
    InUse {
        /// The database file.
        path: PathBuf,
        /// The lock file held.
        lock: PathBuf,
    },
    /// The lock file next to the database could not be created or locked.
    #[error("cannot lock {}: {source}", path.display())]
    LockFile {
        /// The lock file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The database file was deleted or replaced while running (see [`Store::wait_lost`]).
    #[error(
        "the database {} was deleted or replaced while running; restart briefbot",
        path.display()
    )]
    Lost {
        /// The database file.
        path: PathBuf,
    },
    /// Applying the schema migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// The configuration does not say where the database is (e.g. `storage.url_env` unset).
    #[error("{0}")]
    Unavailable(String),
    /// A row holds a value this version cannot read.
    #[error("unreadable {what} in the database: {value:?}")]
    Corrupt {
        /// What was being read.
        what: &'static str,
        /// The stored value.
        value: String,
    },
}

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Handle to the database. Cheap to clone (a connection pool).
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    /// PostgreSQL (else SQLite).
    server: bool,
    /// The file (`None` in memory), watched for deletion or replacement.
    file: Option<Arc<DbFile>>,
    /// Held by `briefbot run` for the life of the process (see [`Store::open_exclusive`]).
    _lock: Option<Arc<RunLock>>,
}

impl Store {
    /// Opens the database at `location`: [`Store::open`] for a file (or, with `exclusive`,
    /// [`Store::open_exclusive`]), [`Store::connect`] for a server.
    pub async fn open_at(location: &Location, exclusive: bool) -> Result<Self> {
        match location {
            Location::File(path) if exclusive => Self::open_exclusive(path).await,
            Location::File(path) => Self::open(path).await,
            Location::Server(url) => Self::connect(url).await,
        }
    }

    /// Connects to the PostgreSQL database at `url` (a pool of [`SERVER_POOL_SIZE`]) and
    /// applies pending migrations. Errors show the URL without its password.
    pub async fn connect(url: &str) -> Result<Self> {
        install_drivers();
        let connect_error = |source| StoreError::Connect {
            location: Location::Server(url.to_string()),
            source,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(SERVER_POOL_SIZE)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await
            .map_err(connect_error)?;
        MIGRATOR.run(&pool).await?;
        Ok(Self {
            pool,
            server: true,
            file: None,
            _lock: None,
        })
    }

    /// Opens (creating it and its directory if missing) the database file at `path`, in WAL
    /// mode with foreign keys on and a busy timeout, and applies pending migrations. Only
    /// this first connection may create the file; the pool's connections never do.
    pub async fn open(path: &Path) -> Result<Self> {
        Self::create_dir(path).await?;
        Self::open_with(path, None).await
    }

    /// [`Store::open`] for the one process that delivers: first takes an exclusive lock on
    /// `<path>.lock`, held as long as any clone of the store lives (in practice, the
    /// process). A second caller, in this process or another, gets [`StoreError::InUse`].
    /// One-shot readers and the console use [`Store::open`] and are not refused.
    pub async fn open_exclusive(path: &Path) -> Result<Self> {
        Self::create_dir(path).await?;
        let lock = RunLock::acquire(path)?;
        Self::open_with(path, Some(lock)).await
    }

    async fn create_dir(path: &Path) -> Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|source| StoreError::CreateDir {
                    path: dir.to_path_buf(),
                    source,
                })?;
        }
        Ok(())
    }

    async fn open_with(path: &Path, lock: Option<RunLock>) -> Result<Self> {
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        install_drivers();
        let url = sqlite_url(path, open_error)?;
        // The one connection allowed to create the file (and switch it to WAL, which the
        // file then keeps).
        let first = SqliteConnection::connect_with(
            &SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(BUSY_TIMEOUT),
        )
        .await
        .map_err(open_error)?;
        let mut first = first;
        let mut file = DbFile::opened(path);
        // On the creating connection, closed below: nothing it ran stays open in the pool.
        if let Some((stamp, reader)) = Self::stamp(&mut first, path).await? {
            file.set_stamp(stamp, reader);
        }
        // The pool's connections open the file without creating it (sqlx's defaults:
        // foreign keys on, a 5 s busy timeout); each also relaxes fsync to WAL's NORMAL.
        let pool = AnyPoolOptions::new()
            .max_connections(FILE_POOL_SIZE)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
                        .await
                        .map(drop)
                })
            })
            .connect(&url)
            .await
            .map_err(open_error)?;
        let _ = first.close().await;
        // sqlx takes no lock around SQLite migrations: a process opening the file while
        // another applies them (`briefbot sources` during the bot's start) can find a
        // migration applied between its check and its own attempt. Its next run sees it.
        let mut tries = 0;
        while let Err(e) = MIGRATOR.run(&pool).await {
            tries += 1;
            if tries == 3 {
                return Err(e.into());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(Self {
            pool,
            server: false,
            file: Some(Arc::new(file)),
            _lock: lock.map(Arc::new),
        })
    }

    /// The store's stamp (see [`file`]): the database's `user_version`, set to a random
    /// non-zero value the first time, and checkpointed into the file so that its header
    /// holds it. `None` when the header does not show it yet (a reader kept the checkpoint
    /// from finishing): the file is then watched by its identity only.
    async fn stamp(
        conn: &mut SqliteConnection,
        path: &Path,
    ) -> Result<Option<(u32, file::HeaderReader)>> {
        // Read and set under the write lock: two processes opening a new file at once must
        // not each give it a stamp of their own.
        conn.execute("BEGIN IMMEDIATE").await?;
        let read: std::result::Result<i64, sqlx::Error> = sqlx::query_scalar("PRAGMA user_version")
            .fetch_one(&mut *conn)
            .await;
        let mut stamp: i64 = match read {
            Ok(v) => v,
            Err(e) => {
                let _ = conn.execute("ROLLBACK").await;
                return Err(e.into());
            }
        };
        let fresh = stamp == 0;
        if fresh {
            // Later checkpoints write the header back with the stamp in it; only this first
            // one is asked for (a reader opening the database of a running bot waits for no
            // checkpoint).
            stamp = i64::from(rand::random::<u32>() >> 1 | 1);
            if let Err(e) = conn
                .execute(format!("PRAGMA user_version = {stamp}").as_str())
                .await
            {
                let _ = conn.execute("ROLLBACK").await;
                return Err(e.into());
            }
        }
        conn.execute("COMMIT").await?;
        if fresh {
            conn.fetch_all("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        }
        let stamp = u32::try_from(stamp).ok();
        let reader = file::HeaderReader::open(path).ok();
        match (stamp, reader) {
            (Some(stamp), Some(reader)) if reader.stamp().ok().flatten() == Some(stamp) => {
                Ok(Some((stamp, reader)))
            }
            _ => {
                tracing::debug!(
                    "the database {} does not show its stamp yet; watched by identity only",
                    path.display()
                );
                Ok(None)
            }
        }
    }

    /// Opens a fresh in-memory database (one connection, kept for the store's lifetime).
    /// For tests.
    pub async fn open_in_memory() -> Result<Self> {
        install_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect("sqlite::memory:")
            .await
            .map_err(|source| StoreError::Open {
                path: PathBuf::from(":memory:"),
                source,
            })?;
        MIGRATOR.run(&pool).await?;
        Ok(Self {
            pool,
            server: false,
            file: None,
            _lock: None,
        })
    }

    /// The pool, once the database file is known to be the one opened (see the module doc).
    fn pool(&self) -> Result<&AnyPool> {
        if let Some(file) = &self.file {
            file.check()?;
        }
        Ok(&self.pool)
    }

    /// A connection for one transaction (see [`Writer`]).
    async fn writer(&self) -> Result<Writer> {
        Ok(Writer {
            conn: Some(self.pool()?.acquire().await?),
            open: false,
            begin_sql: if self.server {
                "BEGIN"
            } else {
                "BEGIN IMMEDIATE"
            },
        })
    }

    /// Whether the database file was found deleted or replaced (see the module doc).
    pub fn is_lost(&self) -> bool {
        self.file.as_ref().is_some_and(|f| f.is_lost())
    }

    /// Resolves once the database file is found deleted or replaced; never for a database
    /// in memory. The loss is found by the next operation on the store.
    pub async fn wait_lost(&self) {
        match &self.file {
            Some(file) => file.wait_lost().await,
            None => std::future::pending().await,
        }
    }

    /// Runs one statement, for tests that break or repair the schema.
    #[cfg(test)]
    pub(crate) async fn execute_for_test(&self, sql: &str) {
        sqlx::query(sql).execute(&self.pool).await.expect(sql);
    }

    /// Closes the pool, waiting for connections to finish (checkpoints the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A pooled connection for one transaction, begun, committed and rolled back with plain
/// SQL (`BEGIN IMMEDIATE` on SQLite: the write lock is taken up front), not with sqlx's
/// transaction manager. SQLite rolls a transaction back by itself when a write fails for lack
/// of space or an I/O error; sqlx's manager then still believed it open, so the next "begin"
/// on that connection became a savepoint inside a transaction that never ended (its writes
/// never committed, its lock keeping every other connection out until a restart). The
/// database's own state is the truth here: a [`Writer`] dropped with its transaction open (an
/// error, or the caller's future cancelled) rolls it back before the connection serves again,
/// and a connection that cannot even do that is taken out of the pool.
struct Writer {
    conn: Option<PoolConnection<Any>>,
    /// Whether a transaction was begun and not yet committed or rolled back.
    open: bool,
    begin_sql: &'static str,
}

impl Writer {
    /// Begins the transaction.
    async fn begin(&mut self) -> Result<Tx<'_>> {
        let conn = self.conn.as_mut().expect("a writer holds its connection");
        conn.execute(self.begin_sql).await?;
        self.open = true;
        Ok(Tx { writer: self })
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take().filter(|_| self.open) else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            drop(conn.detach());
            return;
        };
        runtime.spawn(async move {
            match conn.execute("ROLLBACK").await {
                Ok(_) => {}
                // SQLite rolled back by itself already: the connection is clean.
                Err(e) if e.to_string().contains("no transaction is active") => {}
                // Unknown state: never reuse it (the pool opens another when needed).
                Err(_) => drop(conn.detach()),
            }
        });
    }
}

/// The open transaction of a [`Writer`]: a connection for its statements (`&mut *tx`),
/// ended by [`Tx::commit`] or [`Tx::rollback`], else rolled back when the writer is dropped.
struct Tx<'w> {
    writer: &'w mut Writer,
}

impl Tx<'_> {
    /// Commits. On failure the transaction counts as open (rolled back on drop).
    async fn commit(self) -> Result<()> {
        self.end("COMMIT").await
    }

    /// Rolls back.
    async fn rollback(self) -> Result<()> {
        self.end("ROLLBACK").await
    }

    async fn end(self, sql: &str) -> Result<()> {
        let conn = self
            .writer
            .conn
            .as_mut()
            .expect("a writer holds its connection");
        conn.execute(sql).await?;
        self.writer.open = false;
        Ok(())
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &Self::Target {
        self.writer
            .conn
            .as_ref()
            .expect("a writer holds its connection")
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.writer
            .conn
            .as_mut()
            .expect("a writer holds its connection")
    }
}

/// A database opened on first use (the console opens it only for subscription commands), or
/// one opened already (the bot). Clones share it.
#[derive(Debug, Clone)]
pub struct LazyStore {
    location: std::result::Result<Location, String>,
    cell: std::sync::Arc<tokio::sync::OnceCell<Store>>,
}

impl LazyStore {
    /// The database at `location`, opened by the first [`LazyStore::get`].
    pub fn at(location: &Location) -> LazyStore {
        LazyStore {
            location: Ok(location.clone()),
            cell: Default::default(),
        }
    }

    /// A database that cannot be opened, for `why` (e.g. `storage.url_env` not set): every
    /// [`LazyStore::get`] fails with it.
    pub fn unavailable(why: String) -> LazyStore {
        LazyStore {
            location: Err(why),
            cell: Default::default(),
        }
    }

    /// A database already open.
    pub fn ready(store: Store) -> LazyStore {
        LazyStore {
            location: Ok(Location::File(PathBuf::new())),
            cell: std::sync::Arc::new(tokio::sync::OnceCell::new_with(Some(store))),
        }
    }

    /// The database, opening it if needed (a failed open is tried again next time).
    pub async fn get(&self) -> Result<&Store> {
        let location = self
            .location
            .as_ref()
            .map_err(|why| StoreError::Unavailable(why.clone()))?;
        self.cell
            .get_or_try_init(|| Store::open_at(location, false))
            .await
    }
}

/// Rows read before the reading task lets others run: rows that are ready come without a
/// pause, so 10,000 of them would hold an async thread for milliseconds (issue 12: an
/// interaction queued behind them waited).
pub(crate) const ROWS_PER_TURN: usize = 256;

/// Yields to the scheduler every [`ROWS_PER_TURN`] rows.
pub(crate) async fn yield_between_rows(rows: usize) {
    if rows.is_multiple_of(ROWS_PER_TURN) {
        tokio::task::yield_now().await;
    }
}

/// A Discord snowflake as stored (BIGINT). Snowflakes fit in 63 bits; the cast is
/// bit-preserving either way.
pub(crate) fn to_db_id(id: u64) -> i64 {
    id as i64
}

/// Inverse of [`to_db_id`].
pub(crate) fn from_db_id(id: i64) -> u64 {
    id as u64
}
