//! Throw-away PostgreSQL schemas, for tests that run the store on PostgreSQL: each test gets
//! a schema of its own on the server named by [`URL_ENV`] (so tests run in parallel and
//! never see each other's rows), reached through a URL whose `search_path` points at it,
//! and drops it when done. Test support, public so the integration tests can share it.

use super::{redact, Store};
use sqlx::{Connection as _, Executor as _, PgConnection};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

/// The environment variable with the PostgreSQL URL tests use (`.ci/run` sets it).
pub const URL_ENV: &str = "BRIEFBOT_TEST_DATABASE_URL";

/// The URL used when [`URL_ENV`] is not set: the machine's own server.
pub const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A schema of one test.
#[derive(Debug)]
pub struct Scratch {
    base: String,
    schema: String,
    /// The URL of the schema (`options=-c search_path=…`), for a store or a bot's config.
    pub url: String,
}

impl Scratch {
    /// Creates a fresh schema. Panics, naming [`URL_ENV`], when the server cannot be reached:
    /// a test that needs PostgreSQL fails rather than passing without it.
    pub async fn new() -> Scratch {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let base = std::env::var(URL_ENV).unwrap_or_else(|_| DEFAULT_URL.to_string());
        let schema = format!(
            "briefbot_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            rand::random::<u32>()
        );
        let mut conn = Self::server(&base).await;
        conn.execute(format!("CREATE SCHEMA {schema}").as_str())
            .await
            .expect("create a test schema");
        let _ = conn.close().await;
        let mut url = url::Url::parse(&base).expect("a PostgreSQL URL");
        url.query_pairs_mut()
            .append_pair("options", &format!("-c search_path={schema}"));
        Scratch {
            base,
            schema,
            url: url.to_string(),
        }
    }

    async fn server(base: &str) -> PgConnection {
        PgConnection::connect(base).await.unwrap_or_else(|e| {
            panic!(
                "this test needs PostgreSQL at {} (set {URL_ENV}): {e}",
                redact(base)
            )
        })
    }

    /// A store on the schema (migrated).
    pub async fn store(&self) -> Store {
        Store::connect(&self.url)
            .await
            .expect("open the test schema")
    }

    /// Drops the schema and everything in it.
    pub async fn remove(self) {
        let mut conn = Self::server(&self.base).await;
        let _ = conn
            .execute(format!("DROP SCHEMA {} CASCADE", self.schema).as_str())
            .await;
        let _ = conn.close().await;
    }
}

/// Runs `test` on a fresh store of each backend: SQLite in memory, then PostgreSQL in a
/// scratch schema (dropped afterwards).
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    test(Store::open_in_memory().await.expect("SQLite in memory")).await;
    let scratch = Scratch::new().await;
    let store = scratch.store().await;
    test(store.clone()).await;
    store.close().await;
    scratch.remove().await;
}
