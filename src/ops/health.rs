//! `/healthz`: whether this process is serving. Healthy when every gateway shard of this
//! process is connected and the store answers a query within [`STORE_TIMEOUT`]; the report
//! also says the process's delivery [`Role`] (which the leader election feeds through a
//! `watch` channel), each shard's state, and how many briefs are loaded.

use crate::core::Core;
use crate::discord::shards::{ShardState, ShardStatus};
use crate::store::Store;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How long the store may take to answer the health query before it counts as down.
pub const STORE_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether this process sends deliveries (the leader) or only answers commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Watches sources, plans and sends deliveries.
    Leader,
    /// Answers commands; another process delivers.
    Follower,
}

/// What `/healthz` looks at.
#[derive(Clone)]
pub struct Health {
    /// This process's role, as the leader election last set it.
    pub role: watch::Receiver<Role>,
    /// This process's gateway shards.
    pub shards: Arc<ShardStatus>,
    /// The store (asked how many deliveries are pending).
    pub store: Store,
    /// The core (asked how many briefs are loaded).
    pub core: Arc<Core>,
}

/// The `/healthz` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// This process's role.
    pub role: Role,
    /// Each shard of this process and whether it is connected.
    pub shards: Vec<ShardState>,
    /// `ok`, `error` (the query failed) or `timeout` (no answer within [`STORE_TIMEOUT`]).
    pub store: &'static str,
    /// Briefs in the library.
    pub briefs: usize,
    /// Deliveries planned and not yet sent (when the store answered).
    pub backlog: Option<u64>,
}

impl Report {
    /// Every shard connected and the store answering.
    pub fn healthy(&self) -> bool {
        self.store == "ok" && self.shards.iter().all(|s| s.connected)
    }
}

impl Health {
    /// Looks at everything once.
    pub async fn report(&self) -> Report {
        let (store, backlog) =
            match tokio::time::timeout(STORE_TIMEOUT, self.store.pending_count()).await {
                Ok(Ok(n)) => ("ok", Some(n)),
                Ok(Err(e)) => {
                    tracing::warn!("health check: the store did not answer: {e}");
                    ("error", None)
                }
                Err(_) => {
                    tracing::warn!("health check: the store took more than {STORE_TIMEOUT:?}");
                    ("timeout", None)
                }
            };
        Report {
            role: *self.role.borrow(),
            shards: self.shards.snapshot(),
            store,
            briefs: self.core.library().len(),
            backlog,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brief::Library;
    use crate::discord::shards::ShardPlan;
    use crate::summarize::Summarizer;

    #[tokio::test]
    async fn healthy_only_with_every_shard_connected_and_the_store_answering() {
        let store = Store::open_in_memory().await.unwrap();
        let shards = Arc::new(ShardStatus::new(ShardPlan {
            total: 4,
            first: 0,
            last: 1,
        }));
        let (role_tx, role) = watch::channel(Role::Leader);
        let health = Health {
            role,
            shards: shards.clone(),
            store: store.clone(),
            core: Arc::new(Core::new(
                Library::from_briefs(Vec::new()),
                Summarizer { sentences: 2 },
            )),
        };
        let report = health.report().await;
        assert_eq!(report.store, "ok");
        assert_eq!(report.backlog, Some(0));
        assert!(!report.healthy(), "no shard connected yet");
        shards.set(0, true);
        shards.set(1, true);
        role_tx.send(Role::Follower).unwrap();
        let report = health.report().await;
        assert!(report.healthy());
        assert_eq!(
            serde_json::to_value(&report).unwrap(),
            serde_json::json!({
                "role": "follower",
                "shards": [{"id": 0, "connected": true}, {"id": 1, "connected": true}],
                "store": "ok",
                "briefs": 0,
                "backlog": 0,
            })
        );
        store.close().await;
        let report = health.report().await;
        assert_ne!(report.store, "ok");
        assert!(!report.healthy(), "a closed store is not healthy");
    }
}
