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

mod ledger;
mod seen;
mod sources;
mod subscriptions;

pub use ledger::{
    DeliveryKind, DeliveryRecord, DeliveryStatus, NewDelivery, PendingDelivery, PlanOutcome,
};
pub use seen::SeenBrief;
pub use sources::{SourceRow, StoredItem};
pub use subscriptions::{normalize_topics, ConfigSync, Mode, Origin, RemoveOutcome, Subscription};

use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::{Path, PathBuf};
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
}

impl Store {
    /// Opens (creating it and its directory if missing) the database file at `path`, in WAL
    /// mode with foreign keys on and a busy timeout, and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|source| StoreError::CreateDir {
                    path: dir.to_path_buf(),
                    source,
                })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(FILE_POOL_SIZE)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?;
        Self::migrated(pool).await
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
        Self::migrated(pool).await
    }

    async fn migrated(pool: SqlitePool) -> Result<Self> {
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// Closes the pool, waiting for connections to finish (checkpoints the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A Discord snowflake as stored (BIGINT). Snowflakes fit in 63 bits; the cast is
/// bit-preserving either way.
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

pub(crate) fn to_db_id(id: u64) -> i64 {
    id as i64
}

/// Inverse of [`to_db_id`].
pub(crate) fn from_db_id(id: i64) -> u64 {
    id as u64
}
