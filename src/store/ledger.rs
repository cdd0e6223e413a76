//! The delivery ledger: one row per message a channel must receive, keyed by
//! (channel, brief id or `digest:<date>:<part>`), with its Discord nonce and its status.
//! Rows are created pending by the planners and marked sent or failed by the worker; a
//! pending row is resent after a restart (the nonce lets Discord drop the duplicate).

use super::seen::{record_seen_in, seen_between_in, SeenBrief};
use super::subscriptions::subscriptions_in;
use super::{from_db_id, to_db_id, Result, Store, StoreError, Subscription};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// What a ledger row delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryKind {
    /// One brief, by id.
    Brief(String),
    /// A digest part: brief ids in order.
    Digest(Vec<String>),
}

impl DeliveryKind {
    fn columns(&self) -> Result<(&'static str, String)> {
        Ok(match self {
            DeliveryKind::Brief(id) => ("brief", id.clone()),
            DeliveryKind::Digest(ids) => (
                "digest",
                serde_json::to_string(ids).map_err(|e| StoreError::Corrupt {
                    what: "digest payload",
                    value: e.to_string(),
                })?,
            ),
        })
    }

    fn from_columns(kind: &str, payload: String) -> Result<Self> {
        match kind {
            "brief" => Ok(DeliveryKind::Brief(payload)),
            "digest" => serde_json::from_str(&payload)
                .map(DeliveryKind::Digest)
                .map_err(|_| StoreError::Corrupt {
                    what: "digest payload",
                    value: payload,
                }),
            other => Err(StoreError::Corrupt {
                what: "delivery kind",
                value: other.to_string(),
            }),
        }
    }
}

/// A pending ledger row, as handed to the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDelivery {
    /// Target channel.
    pub channel_id: u64,
    /// Ledger key: the brief id, or `digest:<local date>:<part>` (part from 1).
    pub key: String,
    /// Discord message nonce (≤ 25 chars), stable for the row: send it with
    /// `enforce_nonce: true` so a resend after a crash is deduplicated by Discord.
    pub nonce: String,
    /// What to send.
    pub kind: DeliveryKind,
    /// Send attempts so far (failed ones; 0 on the first try).
    pub attempts: u32,
}

/// Status of a ledger row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Still to be sent.
    Pending,
    /// Sent (Discord accepted it).
    Sent,
    /// Given up: Discord rejected it.
    Failed,
}

impl DeliveryStatus {
    fn parse(text: &str) -> Result<Self> {
        match text {
            "pending" => Ok(Self::Pending),
            "sent" => Ok(Self::Sent),
            "failed" => Ok(Self::Failed),
            other => Err(StoreError::Corrupt {
                what: "delivery status",
                value: other.to_string(),
            }),
        }
    }
}

/// A full ledger row, for inspection and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    /// The row as the sender sees it.
    pub delivery: PendingDelivery,
    /// Its status.
    pub status: DeliveryStatus,
    /// When it was planned (unix ms).
    pub created_at_ms: i64,
    /// When it was marked sent (unix ms).
    pub sent_at_ms: Option<i64>,
    /// The last error, if any attempt failed.
    pub last_error: Option<String>,
}

/// A ledger row to insert (pending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// Target channel (must be subscribed).
    pub channel_id: u64,
    /// Ledger key (see [`PendingDelivery::key`]).
    pub key: String,
    /// Discord nonce, derived from (channel, key).
    pub nonce: String,
    /// What to send.
    pub kind: DeliveryKind,
    /// Planning time (unix ms); rows of a channel are sent in (created_at, seq) order.
    pub created_at_ms: i64,
    /// Order among rows planned in the same millisecond.
    pub seq: i64,
}

const ROW_COLUMNS: &str = "d.channel_id, d.delivery_key, d.nonce, d.kind, d.payload, \
                           d.attempts, d.status, d.created_at, d.sent_at, d.last_error";

fn pending_from_row(row: &AnyRow) -> Result<PendingDelivery> {
    let kind: String = row.try_get("kind")?;
    let attempts: i64 = row.try_get("attempts")?;
    Ok(PendingDelivery {
        channel_id: from_db_id(row.try_get("channel_id")?),
        key: row.try_get("delivery_key")?,
        nonce: row.try_get("nonce")?,
        kind: DeliveryKind::from_columns(&kind, row.try_get("payload")?)?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
    })
}

fn record_from_row(row: &AnyRow) -> Result<DeliveryRecord> {
    let status: String = row.try_get("status")?;
    Ok(DeliveryRecord {
        delivery: pending_from_row(row)?,
        status: DeliveryStatus::parse(&status)?,
        created_at_ms: row.try_get("created_at")?,
        sent_at_ms: row.try_get("sent_at")?,
        last_error: row.try_get("last_error")?,
    })
}

/// Inserts pending rows, skipping those whose (channel, key) exists. Returns how many
/// were inserted.
async fn insert_in(conn: &mut AnyConnection, rows: &[NewDelivery]) -> Result<usize> {
    let mut inserted = 0;
    for row in rows {
        let (kind, payload) = row.kind.columns()?;
        inserted += sqlx::query(
            "INSERT INTO deliveries \
               (channel_id, delivery_key, nonce, kind, payload, status, attempts, seq, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7) \
             ON CONFLICT (channel_id, delivery_key) DO NOTHING",
        )
        .bind(to_db_id(row.channel_id))
        .bind(&row.key)
        .bind(&row.nonce)
        .bind(kind)
        .bind(payload)
        .bind(row.seq)
        .bind(row.created_at_ms)
        .execute(&mut *conn)
        .await?
        .rows_affected() as usize;
    }
    Ok(inserted)
}

/// What [`Store::record_seen_and_plan`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOutcome {
    /// Ids seen for the first time.
    pub new_ids: Vec<String>,
    /// Ledger rows inserted.
    pub planned: usize,
}

impl Store {
    /// Inserts pending ledger rows (existing (channel, key) pairs are left alone) in one
    /// transaction. Returns how many were inserted.
    pub async fn enqueue(&self, rows: &[NewDelivery]) -> Result<usize> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let n = insert_in(&mut tx, rows).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// In one transaction: records `ids` as seen at `now_ms`, then, if some are new, calls
    /// `plan(new_ids, all_subscriptions)` and inserts the rows it returns. A crash leaves
    /// either nothing or everything, so a brief is never marked seen without its deliveries.
    pub async fn record_seen_and_plan<F>(
        &self,
        ids: &[String],
        now_ms: i64,
        plan: F,
    ) -> Result<PlanOutcome>
    where
        F: FnOnce(&[String], &[Subscription]) -> Vec<NewDelivery>,
    {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let new_ids = record_seen_in(&mut tx, ids, now_ms).await?;
        let mut planned = 0;
        if !new_ids.is_empty() {
            let subs = subscriptions_in(&mut tx).await?;
            planned = insert_in(&mut tx, &plan(&new_ids, &subs)).await?;
        }
        tx.commit().await?;
        Ok(PlanOutcome { new_ids, planned })
    }

    /// In one transaction, a daily digest: moves the channel's `last_digest_at` from
    /// `expected_last` to `window_end_ms` (compare-and-set; returns `Ok(None)` and changes
    /// nothing if it moved meanwhile or the subscription is gone, paused or not daily), reads
    /// the briefs first seen in `(window_start_ms, window_end_ms]`, and inserts the rows
    /// `build(briefs, first_part)` returns. `first_part` is 1 plus the number of parts already
    /// in the ledger under `part_prefix` (e.g. `digest:2025-01-31:`), so a second digest on the
    /// same date continues the numbering. Returns the number of rows inserted.
    pub async fn commit_digest<F>(
        &self,
        channel_id: u64,
        expected_last: Option<i64>,
        window_start_ms: i64,
        window_end_ms: i64,
        part_prefix: &str,
        build: F,
    ) -> Result<Option<usize>>
    where
        F: FnOnce(Vec<SeenBrief>, u32) -> Vec<NewDelivery>,
    {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        // Write first: takes the write lock before any read.
        let stamped = sqlx::query(
            "UPDATE subscriptions SET last_digest_at = $2 \
             WHERE channel_id = $1 AND mode = 'daily' AND paused_reason IS NULL \
               AND COALESCE(last_digest_at, -1) = COALESCE($3, -1)",
        )
        .bind(to_db_id(channel_id))
        .bind(window_end_ms)
        .bind(expected_last)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if stamped == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let briefs = seen_between_in(&mut tx, window_start_ms, window_end_ms).await?;
        let existing = sqlx::query(
            "SELECT COUNT(*) AS n FROM deliveries WHERE channel_id = $1 AND delivery_key LIKE $2",
        )
        .bind(to_db_id(channel_id))
        .bind(format!("{part_prefix}%"))
        .fetch_one(&mut *tx)
        .await?
        .try_get::<i64, _>("n")?;
        let first_part = u32::try_from(existing).unwrap_or(u32::MAX - 1) + 1;
        let inserted = insert_in(&mut tx, &build(briefs, first_part)).await?;
        tx.commit().await?;
        Ok(Some(inserted))
    }

    /// Up to `limit` pending rows of active (not paused) subscriptions, in send order:
    /// planning time, then sequence. Each channel's rows come out as a FIFO prefix.
    pub async fn pending_deliveries(&self, limit: u32) -> Result<Vec<PendingDelivery>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM deliveries d \
             JOIN subscriptions s ON s.channel_id = d.channel_id \
             WHERE d.status = 'pending' AND s.paused_reason IS NULL \
             ORDER BY d.created_at, d.seq, d.channel_id, d.delivery_key LIMIT $1"
        );
        let rows = sqlx::query(&sql)
            .bind(i64::from(limit))
            .fetch_all(self.pool()?)
            .await?;
        rows.iter().map(pending_from_row).collect()
    }

    /// Up to `limit` channels of active subscriptions with pending rows, the one waiting
    /// longest first.
    pub async fn channels_with_pending(&self, limit: u32) -> Result<Vec<u64>> {
        let rows = sqlx::query(
            "SELECT d.channel_id, MIN(d.created_at) AS oldest FROM deliveries d \
             JOIN subscriptions s ON s.channel_id = d.channel_id \
             WHERE d.status = 'pending' AND s.paused_reason IS NULL \
             GROUP BY d.channel_id ORDER BY oldest, d.channel_id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(self.pool()?)
        .await?;
        rows.iter()
            .map(|r| Ok(from_db_id(r.try_get("channel_id")?)))
            .collect()
    }

    /// The channel's next pending row in send order, if its subscription is active.
    pub async fn next_pending(&self, channel_id: u64) -> Result<Option<PendingDelivery>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM deliveries d \
             JOIN subscriptions s ON s.channel_id = d.channel_id \
             WHERE d.channel_id = $1 AND d.status = 'pending' AND s.paused_reason IS NULL \
             ORDER BY d.created_at, d.seq, d.delivery_key LIMIT 1"
        );
        let row = sqlx::query(&sql)
            .bind(to_db_id(channel_id))
            .fetch_optional(self.pool()?)
            .await?;
        row.as_ref().map(pending_from_row).transpose()
    }

    /// Number of pending rows of active subscriptions.
    pub async fn pending_count(&self) -> Result<u64> {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM deliveries d \
             JOIN subscriptions s ON s.channel_id = d.channel_id \
             WHERE d.status = 'pending' AND s.paused_reason IS NULL",
        )
        .fetch_one(self.pool()?)
        .await?
        .try_get("n")?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Whether a row is still to be sent: pending, and its subscription exists and is active.
    pub async fn is_sendable(&self, channel_id: u64, key: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT 1 AS one FROM deliveries d \
             JOIN subscriptions s ON s.channel_id = d.channel_id \
             WHERE d.channel_id = $1 AND d.delivery_key = $2 \
               AND d.status = 'pending' AND s.paused_reason IS NULL",
        )
        .bind(to_db_id(channel_id))
        .bind(key)
        .fetch_optional(self.pool()?)
        .await?;
        Ok(row.is_some())
    }

    /// Marks a row sent at `now_ms`. Returns whether a pending row was updated.
    pub async fn mark_sent(&self, channel_id: u64, key: &str, now_ms: i64) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE deliveries SET status = 'sent', sent_at = $3, attempts = attempts + 1 \
             WHERE channel_id = $1 AND delivery_key = $2 AND status = 'pending'",
        )
        .bind(to_db_id(channel_id))
        .bind(key)
        .bind(now_ms)
        .execute(self.pool()?)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Records a failed attempt on a pending row (it stays pending). Returns whether a
    /// pending row was updated.
    pub async fn record_attempt(&self, channel_id: u64, key: &str, error: &str) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE deliveries SET attempts = attempts + 1, last_error = $3 \
             WHERE channel_id = $1 AND delivery_key = $2 AND status = 'pending'",
        )
        .bind(to_db_id(channel_id))
        .bind(key)
        .bind(error)
        .execute(self.pool()?)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Marks a pending row failed for good, with the reason. Returns whether it was updated.
    pub async fn mark_failed(&self, channel_id: u64, key: &str, error: &str) -> Result<bool> {
        let n = sqlx::query(
            "UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = $3 \
             WHERE channel_id = $1 AND delivery_key = $2 AND status = 'pending'",
        )
        .bind(to_db_id(channel_id))
        .bind(key)
        .bind(error)
        .execute(self.pool()?)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// One ledger row.
    pub async fn delivery(&self, channel_id: u64, key: &str) -> Result<Option<DeliveryRecord>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM deliveries d WHERE d.channel_id = $1 AND d.delivery_key = $2"
        );
        let row = sqlx::query(&sql)
            .bind(to_db_id(channel_id))
            .bind(key)
            .fetch_optional(self.pool()?)
            .await?;
        row.as_ref().map(record_from_row).transpose()
    }

    /// All ledger rows of a channel, in send order.
    pub async fn deliveries_for(&self, channel_id: u64) -> Result<Vec<DeliveryRecord>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM deliveries d WHERE d.channel_id = $1 \
             ORDER BY d.created_at, d.seq, d.delivery_key"
        );
        let rows = sqlx::query(&sql)
            .bind(to_db_id(channel_id))
            .fetch_all(self.pool()?)
            .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// Deletes sent and failed rows planned before `before_ms`; returns how many. Safe at
    /// any time: a brief is planned only when first seen, so pruning never causes a resend.
    pub async fn prune_ledger(&self, before_ms: i64) -> Result<u64> {
        Ok(sqlx::query(
            "DELETE FROM deliveries WHERE status IN ('sent', 'failed') AND created_at < $1",
        )
        .bind(before_ms)
        .execute(self.pool()?)
        .await?
        .rows_affected())
    }
}

/// What a channel last received and the last error, for `/subscriptions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelActivity {
    /// The last row sent: what, and when (unix ms).
    pub last_sent: Option<(DeliveryKind, i64)>,
    /// The newest row with a failed attempt: what, the error, and its status now (a
    /// pending or sent row was retried; a failed one was given up).
    pub last_error: Option<(DeliveryKind, String, DeliveryStatus)>,
}

impl Store {
    /// The last delivery and the last error of a channel (two indexed reads).
    pub async fn channel_activity(&self, channel_id: u64) -> Result<ChannelActivity> {
        let sent = sqlx::query(
            "SELECT kind, payload, sent_at FROM deliveries \
             WHERE channel_id = $1 AND status = 'sent' AND sent_at IS NOT NULL \
             ORDER BY sent_at DESC, seq DESC LIMIT 1",
        )
        .bind(to_db_id(channel_id))
        .fetch_optional(&self.pool)
        .await?;
        let last_sent = match sent {
            Some(row) => {
                let kind: String = row.try_get("kind")?;
                let kind = DeliveryKind::from_columns(&kind, row.try_get("payload")?)?;
                Some((kind, row.try_get("sent_at")?))
            }
            None => None,
        };
        let failed = sqlx::query(
            "SELECT kind, payload, status, last_error FROM deliveries \
             WHERE channel_id = $1 AND last_error IS NOT NULL \
             ORDER BY created_at DESC, seq DESC LIMIT 1",
        )
        .bind(to_db_id(channel_id))
        .fetch_optional(&self.pool)
        .await?;
        let last_error = match failed {
            Some(row) => {
                let kind: String = row.try_get("kind")?;
                let status: String = row.try_get("status")?;
                Some((
                    DeliveryKind::from_columns(&kind, row.try_get("payload")?)?,
                    row.try_get("last_error")?,
                    DeliveryStatus::parse(&status)?,
                ))
            }
            None => None,
        };
        Ok(ChannelActivity {
            last_sent,
            last_error,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::scratch::each_backend;
    use crate::store::{Mode, Origin};

    fn row(channel: u64, key: &str, at: i64, seq: i64) -> NewDelivery {
        NewDelivery {
            channel_id: channel,
            key: key.to_string(),
            nonce: format!("n-{key}"),
            kind: DeliveryKind::Brief(key.to_string()),
            created_at_ms: at,
            seq,
        }
    }

    async fn subscribe_all(store: &Store, channels: &[u64]) {
        for &c in channels {
            let sub = Subscription::new(c, None, &[], Mode::Instant, Origin::Command, 0);
            store.upsert_subscription(&sub).await.expect("subscribe");
        }
    }

    #[tokio::test]
    async fn enqueue_is_idempotent_and_ordered() {
        each_backend(|store| async move {
            subscribe_all(&store, &[1, 2]).await;
            let rows = [row(1, "b", 5, 1), row(1, "a", 5, 0), row(2, "x", 4, 0)];
            assert_eq!(store.enqueue(&rows).await.expect("enqueue"), 3);
            assert_eq!(store.enqueue(&rows).await.expect("again"), 0);
            let keys: Vec<String> = store
                .pending_deliveries(10)
                .await
                .expect("pending")
                .into_iter()
                .map(|d| d.key)
                .collect();
            assert_eq!(keys, ["x", "a", "b"]);
        })
        .await;
    }

    #[tokio::test]
    async fn marks_and_pause_filter() {
        each_backend(|store| async move {
            subscribe_all(&store, &[1, 2]).await;
            store
                .enqueue(&[row(1, "a", 1, 0), row(1, "b", 1, 1), row(2, "c", 1, 2)])
                .await
                .expect("enqueue");
            assert!(store.mark_sent(1, "a", 9).await.expect("sent"));
            assert!(!store.mark_sent(1, "a", 10).await.expect("twice"));
            assert!(store.record_attempt(1, "b", "boom").await.expect("attempt"));
            assert!(store.mark_failed(1, "b", "bad").await.expect("failed"));
            let a = store.delivery(1, "a").await.expect("get").expect("a");
            assert_eq!((a.status, a.sent_at_ms), (DeliveryStatus::Sent, Some(9)));
            let b = store.delivery(1, "b").await.expect("get").expect("b");
            assert_eq!(b.status, DeliveryStatus::Failed);
            assert_eq!(b.delivery.attempts, 2);
            assert_eq!(b.last_error.as_deref(), Some("bad"));
            assert_eq!(store.pending_count().await.expect("count"), 1);
            store.pause(2, "gone").await.expect("pause");
            assert_eq!(store.pending_count().await.expect("count"), 0);
            assert!(!store.is_sendable(2, "c").await.expect("sendable"));
            assert_eq!(store.prune_ledger(2).await.expect("prune"), 2);
        })
        .await;
    }

    #[tokio::test]
    async fn removing_a_subscription_drops_its_rows() {
        each_backend(|store| async move {
            subscribe_all(&store, &[1]).await;
            store.enqueue(&[row(1, "a", 1, 0)]).await.expect("enqueue");
            store.remove_subscription(1).await.expect("remove");
            assert!(store.delivery(1, "a").await.expect("get").is_none());
        })
        .await;
    }

    #[tokio::test]
    async fn digest_payload_round_trips() {
        each_backend(|store| async move {
            subscribe_all(&store, &[1]).await;
            let mut d = row(1, "digest:2025-01-01:1", 1, 0);
            d.kind = DeliveryKind::Digest(vec!["a".into(), "b".into()]);
            store.enqueue(&[d.clone()]).await.expect("enqueue");
            let got = store.pending_deliveries(1).await.expect("pending");
            assert_eq!(got[0].kind, d.kind);
        })
        .await;
    }

    #[tokio::test]
    async fn commit_digest_is_compare_and_set() {
        each_backend(|store| async move {
            let at = chrono::NaiveTime::from_hms_opt(8, 0, 0).expect("time");
            let sub = Subscription::new(1, None, &[], Mode::Daily { at }, Origin::Command, 0);
            store.upsert_subscription(&sub).await.expect("subscribe");
            store
                .record_seen(&["a".to_string()], 5)
                .await
                .expect("seen");
            let build = |seen: Vec<SeenBrief>, first: u32| {
                vec![NewDelivery {
                    kind: DeliveryKind::Digest(seen.into_iter().map(|s| s.id).collect()),
                    ..row(1, &format!("digest:d:{first}"), 10, 0)
                }]
            };
            let first = store
                .commit_digest(1, None, 0, 10, "digest:d:", build)
                .await;
            assert_eq!(first.expect("commit"), Some(1));
            // A second run that read the old stamp changes nothing.
            let stale = store
                .commit_digest(1, None, 0, 10, "digest:d:", build)
                .await;
            assert_eq!(stale.expect("commit"), None);
            // A later one on the same date continues the part numbering.
            let later = store
                .commit_digest(1, Some(10), 10, 20, "digest:d:", build)
                .await;
            assert_eq!(later.expect("commit"), Some(1));
            let keys: Vec<String> = store
                .deliveries_for(1)
                .await
                .expect("ledger")
                .into_iter()
                .map(|r| r.delivery.key)
                .collect();
            assert_eq!(keys, ["digest:d:1", "digest:d:2"]);
            let got = store.subscription(1).await.expect("get").expect("sub");
            assert_eq!(got.last_digest_at_ms, Some(20));
        })
        .await;
    }
}
