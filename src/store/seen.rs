//! Seen briefs: the first time the bot loaded each brief id. This is what makes planning
//! happen once per brief and what daily digests are cut from.

use super::{Result, Store};
use futures_util::TryStreamExt as _;
use sqlx::{AnyConnection, Row};
use std::collections::HashSet;

/// A brief id with the time it was first seen (unix ms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenBrief {
    /// The brief id.
    pub id: String,
    /// When it was first seen.
    pub first_seen_ms: i64,
}

impl Store {
    /// Records `ids` as seen at `now_ms`. Returns, in input order and without duplicates,
    /// the ids never seen before (their first-seen time is now `now_ms`); ids already seen
    /// keep their original time.
    pub async fn record_seen(&self, ids: &[String], now_ms: i64) -> Result<Vec<String>> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        let new = record_seen_in(&mut tx, ids, now_ms).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// When a brief was first seen, if ever.
    pub async fn first_seen(&self, id: &str) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT first_seen_at FROM seen_briefs WHERE brief_id = $1")
            .bind(id)
            .fetch_optional(self.pool()?)
            .await?;
        Ok(row.map(|r| r.try_get("first_seen_at")).transpose()?)
    }

    /// The briefs first seen in `(after_ms, until_ms]`, oldest first (ties by id).
    pub async fn seen_between(&self, after_ms: i64, until_ms: i64) -> Result<Vec<SeenBrief>> {
        let mut conn = self.pool()?.acquire().await?;
        seen_between_in(&mut conn, after_ms, until_ms).await
    }
}

/// [`Store::record_seen`] inside a caller's transaction.
pub(super) async fn record_seen_in(
    conn: &mut AnyConnection,
    ids: &[String],
    now_ms: i64,
) -> Result<Vec<String>> {
    let mut unique = HashSet::new();
    let mut new = Vec::new();
    for id in ids.iter().filter(|id| unique.insert(id.as_str())) {
        let inserted = sqlx::query(
            "INSERT INTO seen_briefs (brief_id, first_seen_at) VALUES ($1, $2) \
             ON CONFLICT (brief_id) DO NOTHING",
        )
        .bind(id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if inserted > 0 {
            new.push(id.clone());
        }
    }
    Ok(new)
}

/// [`Store::seen_between`] on a given connection (or transaction).
pub(super) async fn seen_between_in(
    conn: &mut AnyConnection,
    after_ms: i64,
    until_ms: i64,
) -> Result<Vec<SeenBrief>> {
    let mut rows = sqlx::query(
        "SELECT brief_id, first_seen_at FROM seen_briefs \
         WHERE first_seen_at > $1 AND first_seen_at <= $2 ORDER BY first_seen_at, brief_id",
    )
    .bind(after_ms)
    .bind(until_ms)
    // Row by row: a restart finds every brief of the folder here (10,000, say).
    .fetch(&mut *conn);
    let mut out = Vec::new();
    while let Some(r) = rows.try_next().await? {
        out.push(SeenBrief {
            id: r.try_get("brief_id")?,
            first_seen_ms: r.try_get("first_seen_at")?,
        });
        super::yield_between_rows(out.len()).await;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::store::scratch::each_backend;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[tokio::test]
    async fn record_seen_returns_only_new_ids_once() {
        each_backend(|store| async move {
            let first = store
                .record_seen(&ids(&["a", "b", "a"]), 10)
                .await
                .expect("first");
            assert_eq!(first, ids(&["a", "b"]));
            let second = store
                .record_seen(&ids(&["b", "c"]), 20)
                .await
                .expect("second");
            assert_eq!(second, ids(&["c"]));
            assert_eq!(store.first_seen("b").await.expect("b"), Some(10));
            assert_eq!(store.first_seen("c").await.expect("c"), Some(20));
            assert_eq!(store.first_seen("zzz").await.expect("none"), None);
            let window = store.seen_between(10, 20).await.expect("window");
            assert_eq!(window.len(), 1);
            assert_eq!(window[0].id, "c");
        })
        .await;
    }
}
