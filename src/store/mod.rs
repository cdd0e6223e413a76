//! Persistence: subscriptions, the briefs already seen, the delivery ledger, and the feed and
//! page sources' state and briefs, in SQLite through sqlx.
//!
//! The SQL is kept portable to PostgreSQL: `$N` placeholders, BIGINT/INTEGER/TEXT columns,
//! unix-millisecond timestamps, snowflakes stored as BIGINT (`u64 as i64`, bit-preserving),
//! `ON CONFLICT` upserts, no engine-specific functions. The schema lives in `migrations/`
//! and is applied by [`Store::open`].
//!
//! Multi-statement changes that must not be torn by a crash (record seen + plan, digest +
//! stamp) each run in one transaction, and always write before they read so SQLite takes
//! the write lock up front.
//!
//! Faults are handled here, in one place, whatever the caller:
//! - A transaction runs on a connection of its own ([`Store::writer`]); if it does not
//!   commit, that connection is closed, never reused. SQLite rolls a transaction back by
//!   itself when a write fails for lack of space or an I/O error; sqlx's own rollback then
//!   fails and its bookkeeping believes the transaction still open, so the next "begin" on
//!   that connection became a savepoint inside a transaction that never ended: its writes
//!   were never committed and its lock kept every other connection out ("database is
//!   locked" until a restart). A fresh connection has no such past, so the store recovers
//!   by itself once space returns.
//! - The database file is created only by [`Store::open`], at start. Later connections open
//!   it without creating it, and every operation first checks that the path still names the
//!   file that was opened ([`file`]): once it was deleted or replaced, the store is lost —
//!   one error is logged, every operation fails with [`StoreError::Lost`], and
//!   [`Store::wait_lost`] lets the running bot stop delivering.
//! - [`Store::open_exclusive`] (for `briefbot run`) also holds an OS lock next to the file,
//!   so that two bots never deliver from one database.

mod file;
mod ledger;
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
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{
    Sqlite, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection as _, SqliteConnection, Transaction};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The embedded migrations (`migrations/*.sql`).
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a connection waits for a lock held by another before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections in the pool of a file database (WAL: many readers, one writer).
const FILE_POOL_SIZE: u32 = 4;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
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
    pool: SqlitePool,
    /// The file (`None` in memory), watched for deletion or replacement.
    file: Option<Arc<DbFile>>,
    /// Held by `briefbot run` for the life of the process (see [`Store::open_exclusive`]).
    _lock: Option<Arc<RunLock>>,
}

impl Store {
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
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(false)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        // The one connection allowed to create the file (and switch it to WAL).
        let first = SqliteConnection::connect_with(&options.clone().create_if_missing(true))
            .await
            .map_err(open_error)?;
        let file = DbFile::opened(path);
        let pool = SqlitePoolOptions::new()
            .max_connections(FILE_POOL_SIZE)
            .connect_with(options)
            .await
            .map_err(open_error)?;
        let _ = first.close().await;
        MIGRATOR.run(&pool).await?;
        Ok(Self {
            pool,
            file: Some(Arc::new(file)),
            _lock: lock.map(Arc::new),
        })
    }

    /// Opens a fresh in-memory database (one connection, kept for the store's lifetime).
    /// For tests.
    pub async fn open_in_memory() -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .in_memory(true)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                path: PathBuf::from(":memory:"),
                source,
            })?;
        MIGRATOR.run(&pool).await?;
        Ok(Self {
            pool,
            file: None,
            _lock: None,
        })
    }

    /// The pool, once the database file is known to be the one opened (see the module doc).
    fn pool(&self) -> Result<&SqlitePool> {
        if let Some(file) = &self.file {
            file.check()?;
        }
        Ok(&self.pool)
    }

    /// A connection for one transaction (see the module doc): closed when dropped unless
    /// [`Writer::keep`] is called after the transaction committed or rolled back cleanly.
    async fn writer(&self) -> Result<Writer> {
        Ok(Writer {
            conn: self.pool()?.acquire().await?,
            // Closing the one connection of a database in memory would lose the database.
            keep: self.file.is_none(),
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

/// A pooled connection running one transaction. Dropped without [`Writer::keep`] (an error,
/// or the caller's future cancelled) it is closed instead of going back to the pool.
struct Writer {
    conn: PoolConnection<Sqlite>,
    keep: bool,
}

impl Writer {
    /// Begins the transaction.
    async fn begin(&mut self) -> Result<Transaction<'_, Sqlite>> {
        Ok((*self.conn).begin().await?)
    }

    /// The transaction ended cleanly: the connection may serve again.
    fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if !self.keep {
            self.conn.close_on_drop();
        }
    }
}

/// A database opened on first use (the console opens it only for subscription commands), or
/// one opened already (the bot). Clones share it.
#[derive(Debug, Clone)]
pub struct LazyStore {
    path: PathBuf,
    cell: std::sync::Arc<tokio::sync::OnceCell<Store>>,
}

impl LazyStore {
    /// The database at `path`, opened by the first [`LazyStore::get`].
    pub fn at(path: &Path) -> LazyStore {
        LazyStore {
            path: path.to_owned(),
            cell: Default::default(),
        }
    }

    /// A database already open.
    pub fn ready(store: Store) -> LazyStore {
        LazyStore {
            path: PathBuf::new(),
            cell: std::sync::Arc::new(tokio::sync::OnceCell::new_with(Some(store))),
        }
    }

    /// The database, opening it if needed (a failed open is tried again next time).
    pub async fn get(&self) -> Result<&Store> {
        self.cell.get_or_try_init(|| Store::open(&self.path)).await
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
