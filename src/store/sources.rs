//! Feed and page sources in the database: each source's last state (validators for
//! conditional GETs, last and next fetch, status, error) and every brief it produced, kept
//! as JSON with its content hash. The store does not interpret either: `source/` makes and
//! reads them, `app/` decides when to save.

use super::{Result, Store};
use sqlx::Row;

/// A source's saved state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceRow {
    /// The configured name.
    pub name: String,
    /// The URL this state was saved for (`None`: saved before URLs were kept).
    pub url: Option<String>,
    /// Its kind as last seen.
    pub kind: String,
    /// `ETag` of the last body.
    pub etag: Option<String>,
    /// `Last-Modified` of the last body.
    pub last_modified: Option<String>,
    /// Last fetch (unix ms).
    pub last_fetch_ms: Option<i64>,
    /// Next fetch planned (unix ms).
    pub next_fetch_ms: Option<i64>,
    /// `waiting`, `ok`, `failing`, `disabled`.
    pub state: String,
    /// Last error, or why it is disabled.
    pub last_error: Option<String>,
    /// Briefs it provides.
    pub items: i64,
}

/// One stored item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredItem {
    /// The item's key in its feed.
    pub key: String,
    /// Its brief's id.
    pub brief_id: String,
    /// Hash of what the brief was made from.
    pub hash: String,
    /// The brief, as JSON.
    pub brief: String,
}

impl Store {
    /// Every saved source state, by name.
    pub async fn source_rows(&self) -> Result<Vec<SourceRow>> {
        let rows = sqlx::query(
            "SELECT name, url, kind, etag, last_modified, last_fetch_at, next_fetch_at, state, \
             last_error, items FROM source_state ORDER BY name",
        )
        .fetch_all(self.pool()?)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(SourceRow {
                    name: r.try_get("name")?,
                    url: r.try_get("url")?,
                    kind: r.try_get("kind")?,
                    etag: r.try_get("etag")?,
                    last_modified: r.try_get("last_modified")?,
                    last_fetch_ms: r.try_get("last_fetch_at")?,
                    next_fetch_ms: r.try_get("next_fetch_at")?,
                    state: r.try_get("state")?,
                    last_error: r.try_get("last_error")?,
                    items: r.try_get("items")?,
                })
            })
            .collect()
    }

    /// The saved state of one source (`None`: never fetched by a running bot).
    pub async fn source_row(&self, name: &str) -> Result<Option<SourceRow>> {
        Ok(self
            .source_rows()
            .await?
            .into_iter()
            .find(|r| r.name == name))
    }

    /// Saves a source's state.
    pub async fn save_source_row(&self, row: &SourceRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO source_state (name, kind, etag, last_modified, last_fetch_at, \
             next_fetch_at, state, last_error, items, url) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (name) DO UPDATE SET url = excluded.url, kind = excluded.kind, \
             etag = excluded.etag, \
             last_modified = excluded.last_modified, last_fetch_at = excluded.last_fetch_at, \
             next_fetch_at = excluded.next_fetch_at, state = excluded.state, \
             last_error = excluded.last_error, items = excluded.items",
        )
        .bind(&row.name)
        .bind(&row.kind)
        .bind(&row.etag)
        .bind(&row.last_modified)
        .bind(row.last_fetch_ms)
        .bind(row.next_fetch_ms)
        .bind(&row.state)
        .bind(&row.last_error)
        .bind(row.items)
        .bind(&row.url)
        .execute(self.pool()?)
        .await?;
        Ok(())
    }

    /// Every item stored for a source, oldest first.
    pub async fn source_items(&self, source: &str) -> Result<Vec<StoredItem>> {
        let rows = sqlx::query(
            "SELECT item_key, brief_id, content_hash, brief FROM source_items \
             WHERE source = $1 ORDER BY first_seen_at, item_key",
        )
        .bind(source)
        .fetch_all(self.pool()?)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(StoredItem {
                    key: r.try_get("item_key")?,
                    brief_id: r.try_get("brief_id")?,
                    hash: r.try_get("content_hash")?,
                    brief: r.try_get("brief")?,
                })
            })
            .collect()
    }

    /// Deletes the items of `source` first seen before `before_ms`, except those whose key
    /// is in `keep` (still in the feed: deleting them would bring them back as new at the
    /// next poll). Returns the keys deleted.
    pub async fn prune_source_items(
        &self,
        source: &str,
        before_ms: i64,
        keep: &std::collections::HashSet<&str>,
    ) -> Result<Vec<String>> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        // A write first, so that SQLite takes the write lock up front (see the module doc
        // of the store).
        sqlx::query("UPDATE source_state SET items = items WHERE name = $1")
            .bind(source)
            .execute(&mut *tx)
            .await?;
        let old: Vec<String> = sqlx::query_scalar(
            "SELECT item_key FROM source_items WHERE source = $1 AND first_seen_at < $2",
        )
        .bind(source)
        .bind(before_ms)
        .fetch_all(&mut *tx)
        .await?;
        let gone: Vec<String> = old
            .into_iter()
            .filter(|k| !keep.contains(k.as_str()))
            .collect();
        for key in &gone {
            sqlx::query("DELETE FROM source_items WHERE source = $1 AND item_key = $2")
                .bind(source)
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(gone)
    }

    /// Inserts new items and replaces those whose hash changed, in one transaction.
    pub async fn save_source_items(
        &self,
        source: &str,
        items: &[StoredItem],
        now_ms: i64,
    ) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        for item in items {
            sqlx::query(
                "INSERT INTO source_items (source, item_key, brief_id, content_hash, brief, \
                 first_seen_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
                 ON CONFLICT (source, item_key) DO UPDATE SET brief_id = excluded.brief_id, \
                 content_hash = excluded.content_hash, brief = excluded.brief, \
                 updated_at = excluded.updated_at",
            )
            .bind(source)
            .bind(&item.key)
            .bind(&item.brief_id)
            .bind(&item.hash)
            .bind(&item.brief)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::scratch::each_backend;

    #[tokio::test]
    async fn items_and_state_round_trip_and_edits_replace() {
        each_backend(|store| async move {
            assert_eq!(store.source_row("news").await.unwrap(), None);
            let row = SourceRow {
                name: "news".into(),
                kind: "rss".into(),
                etag: Some("\"v1\"".into()),
                state: "ok".into(),
                items: 2,
                ..SourceRow::default()
            };
            store.save_source_row(&row).await.unwrap();
            assert_eq!(store.source_row("news").await.unwrap(), Some(row.clone()));
            let item = |key: &str, hash: &str| StoredItem {
                key: key.into(),
                brief_id: format!("news.{key}"),
                hash: hash.into(),
                brief: "{}".into(),
            };
            store
                .save_source_items("news", &[item("a", "1"), item("b", "1")], 10)
                .await
                .unwrap();
            store
                .save_source_items("news", &[item("a", "2")], 20)
                .await
                .unwrap();
            let got = store.source_items("news").await.unwrap();
            assert_eq!(got, vec![item("a", "2"), item("b", "1")]);
            assert!(store.source_items("other").await.unwrap().is_empty());

            // The URL is kept with the state.
            let moved = SourceRow {
                url: Some("https://example.org/new.xml".into()),
                state: "disabled".into(),
                ..row.clone()
            };
            store.save_source_row(&moved).await.unwrap();
            assert_eq!(store.source_row("news").await.unwrap(), Some(moved));
        })
        .await;
    }

    #[tokio::test]
    async fn pruning_drops_old_items_that_left_the_feed() {
        each_backend(|store| async move {
            let item = |key: &str| StoredItem {
                key: key.into(),
                brief_id: format!("news.{key}"),
                hash: "1".into(),
                brief: "{}".into(),
            };
            store
                .save_source_items("news", &[item("old"), item("old-still-listed")], 10)
                .await
                .unwrap();
            store
                .save_source_items("news", &[item("new")], 100)
                .await
                .unwrap();
            store
                .save_source_items("other", &[item("old")], 10)
                .await
                .unwrap();
            let keep = ["old-still-listed", "new"].into_iter().collect();
            let gone = store.prune_source_items("news", 50, &keep).await.unwrap();
            assert_eq!(gone, ["old"]);
            let left: Vec<String> = store
                .source_items("news")
                .await
                .unwrap()
                .into_iter()
                .map(|i| i.key)
                .collect();
            assert_eq!(left, ["old-still-listed", "new"]);
            // Other sources keep theirs.
            assert_eq!(store.source_items("other").await.unwrap().len(), 1);
        })
        .await;
    }
}
