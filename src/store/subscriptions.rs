//! Subscriptions: which channel receives which briefs, instantly or as a daily digest, and
//! whether it came from the configuration file or from a command.

use super::{from_db_id, to_db_id, Result, Store, StoreError};
use chrono::NaiveTime;
use futures_util::TryStreamExt as _;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::{HashMap, HashSet};

/// How a subscription receives briefs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Each matching brief as soon as it appears.
    Instant,
    /// One digest a day at local time `at` (minute precision; seconds are dropped when
    /// stored). The time zone is the bot's, given to the digest planner.
    Daily {
        /// Local time of the digest.
        at: NaiveTime,
    },
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Instant => "instant",
            Mode::Daily { .. } => "daily",
        }
    }

    fn at_text(self) -> Option<String> {
        match self {
            Mode::Instant => None,
            Mode::Daily { at } => Some(at.format("%H:%M").to_string()),
        }
    }

    fn from_columns(mode: &str, at: Option<&str>) -> Result<Self> {
        match (mode, at) {
            ("instant", _) => Ok(Mode::Instant),
            ("daily", Some(at)) => NaiveTime::parse_from_str(at, "%H:%M")
                .map(|at| Mode::Daily { at })
                .map_err(|_| StoreError::Corrupt {
                    what: "digest time",
                    value: at.to_string(),
                }),
            _ => Err(StoreError::Corrupt {
                what: "subscription mode",
                value: format!("{mode} {at:?}"),
            }),
        }
    }
}

/// Where a subscription comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Listed in the configuration file; only [`Store::sync_config_subscriptions`] changes
    /// or removes it.
    Config,
    /// Created by the subscribe command.
    Command,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::Config => "config",
            Origin::Command => "command",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        match text {
            "config" => Ok(Origin::Config),
            "command" => Ok(Origin::Command),
            other => Err(StoreError::Corrupt {
                what: "subscription origin",
                value: other.to_string(),
            }),
        }
    }
}

/// A channel's subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The Discord channel.
    pub channel_id: u64,
    /// Its guild (`None` for DMs or when unknown).
    pub guild_id: Option<u64>,
    /// Wanted topics, lowercase; empty = every brief (see `Brief::matches_topics`).
    pub topics: Vec<String>,
    /// Instant or daily digest.
    pub mode: Mode,
    /// Config file or command.
    pub origin: Origin,
    /// Creation time (unix ms). The subscription receives only briefs first seen strictly
    /// after it. When upserting an existing row, this value is the time of the call: the row
    /// keeps its creation time, and the value is only used as the start of the digest window
    /// when the mode switches from instant to daily.
    pub created_at_ms: i64,
    /// Why delivery is paused (channel gone, access lost); `None` = active.
    pub paused: Option<String>,
    /// End of the window covered by the last digest (unix ms).
    pub last_digest_at_ms: Option<i64>,
}

impl Subscription {
    /// A new active subscription created at `now_ms`, topics normalized.
    pub fn new(
        channel_id: u64,
        guild_id: Option<u64>,
        topics: &[String],
        mode: Mode,
        origin: Origin,
        now_ms: i64,
    ) -> Self {
        Self {
            channel_id,
            guild_id,
            topics: normalize_topics(topics),
            mode,
            origin,
            created_at_ms: now_ms,
            paused: None,
            last_digest_at_ms: None,
        }
    }

    /// Whether deliveries to the channel are active (not paused).
    pub fn is_active(&self) -> bool {
        self.paused.is_none()
    }

    fn from_row(row: &AnyRow) -> Result<Self> {
        let topics: String = row.try_get("topics")?;
        let mode: String = row.try_get("mode")?;
        let at: Option<String> = row.try_get("digest_at")?;
        let origin: String = row.try_get("origin")?;
        Ok(Self {
            channel_id: from_db_id(row.try_get("channel_id")?),
            guild_id: row.try_get::<Option<i64>, _>("guild_id")?.map(from_db_id),
            topics: split_topics(&topics),
            mode: Mode::from_columns(&mode, at.as_deref())?,
            origin: Origin::parse(&origin)?,
            created_at_ms: row.try_get("created_at")?,
            paused: row.try_get("paused_reason")?,
            last_digest_at_ms: row.try_get("last_digest_at")?,
        })
    }

    /// Whether the stored settings (topics, mode, origin) differ from `other`'s.
    fn settings_differ(&self, other: &Subscription) -> bool {
        normalize_topics(&self.topics) != normalize_topics(&other.topics)
            || self.mode.name() != other.mode.name()
            || self.mode.at_text() != other.mode.at_text()
            || self.origin != other.origin
            || (other.guild_id.is_some() && self.guild_id != other.guild_id)
    }
}

/// What [`Store::remove_subscription`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveOutcome {
    /// The subscription (and its pending deliveries) is gone.
    Removed,
    /// The channel had no subscription.
    NotFound,
    /// The subscription comes from the configuration file and was kept.
    FromConfig,
}

/// What [`Store::sync_config_subscriptions`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConfigSync {
    /// Channels newly subscribed.
    pub added: usize,
    /// Existing subscriptions whose settings or origin changed.
    pub changed: usize,
    /// Config subscriptions no longer listed, removed.
    pub removed: usize,
}

/// Trims and lowercases topics, splits on commas (the storage separator), drops empties
/// and duplicates, keeps order.
pub fn normalize_topics(topics: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    topics
        .iter()
        .flat_map(|t| t.split(','))
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty() && seen.insert(t.clone()))
        .collect()
}

fn split_topics(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

const COLUMNS: &str = "channel_id, guild_id, topics, mode, digest_at, origin, created_at, \
                       paused_reason, last_digest_at";

/// Shared by the upserts: a switch from instant to daily starts the digest window at the
/// time of the call, so briefs already delivered one by one are not repeated in a digest.
const DIGEST_WINDOW_ON_SWITCH: &str = "last_digest_at = CASE \
    WHEN subscriptions.mode = 'instant' AND excluded.mode = 'daily' THEN excluded.created_at \
    ELSE subscriptions.last_digest_at END";

impl Store {
    /// Subscribes a channel, or updates its subscription: topics, mode and digest time are
    /// replaced, the creation time is kept, and a pause is cleared. A config-origin row stays
    /// config-origin. On insert, `paused` and `last_digest_at_ms` are ignored (a new
    /// subscription is active and has had no digest).
    pub async fn upsert_subscription(&self, sub: &Subscription) -> Result<()> {
        let sql = format!(
            "INSERT INTO subscriptions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL) \
             ON CONFLICT (channel_id) DO UPDATE SET \
               guild_id = COALESCE(excluded.guild_id, subscriptions.guild_id), \
               topics = excluded.topics, mode = excluded.mode, digest_at = excluded.digest_at, \
               origin = CASE WHEN subscriptions.origin = 'config' THEN 'config' \
                        ELSE excluded.origin END, \
               paused_reason = NULL, {DIGEST_WINDOW_ON_SWITCH}"
        );
        bind_subscription(sqlx::query(&sql), sub, sub.origin)
            .execute(self.pool()?)
            .await?;
        Ok(())
    }

    /// Unsubscribes a channel created by command; its pending deliveries go with it.
    /// Config-origin subscriptions are never removed here.
    pub async fn remove_subscription(&self, channel_id: u64) -> Result<RemoveOutcome> {
        let deleted =
            sqlx::query("DELETE FROM subscriptions WHERE channel_id = $1 AND origin = 'command'")
                .bind(to_db_id(channel_id))
                .execute(self.pool()?)
                .await?
                .rows_affected();
        if deleted > 0 {
            return Ok(RemoveOutcome::Removed);
        }
        Ok(match self.subscription(channel_id).await? {
            Some(_) => RemoveOutcome::FromConfig,
            None => RemoveOutcome::NotFound,
        })
    }

    /// All subscriptions, oldest first.
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>> {
        let mut conn = self.pool()?.acquire().await?;
        subscriptions_in(&mut conn).await
    }

    /// The daily (digest) subscriptions, oldest first: what the digest planner looks at every
    /// few seconds, without reading every instant subscription too (10,000 rows each time).
    pub async fn daily_subscriptions(&self) -> Result<Vec<Subscription>> {
        let mut conn = self.pool()?.acquire().await?;
        subscriptions_where(&mut conn, "WHERE mode = 'daily'").await
    }

    /// The subscriptions of one guild, oldest first.
    pub async fn subscriptions_in_guild(&self, guild_id: u64) -> Result<Vec<Subscription>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM subscriptions WHERE guild_id = $1 \
             ORDER BY created_at, channel_id"
        );
        let rows = sqlx::query(&sql)
            .bind(to_db_id(guild_id))
            .fetch_all(self.pool()?)
            .await?;
        rows.iter().map(Subscription::from_row).collect()
    }

    /// One channel's subscription.
    pub async fn subscription(&self, channel_id: u64) -> Result<Option<Subscription>> {
        let sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE channel_id = $1");
        let row = sqlx::query(&sql)
            .bind(to_db_id(channel_id))
            .fetch_optional(self.pool()?)
            .await?;
        row.as_ref().map(Subscription::from_row).transpose()
    }

    /// Makes the config-origin subscriptions equal to `config`: inserts new channels,
    /// updates changed ones (keeping their creation time and any pause), turns command
    /// subscriptions of listed channels into config ones, and deletes config rows no longer
    /// listed. The `origin` field of the given subscriptions is ignored (always config);
    /// their `created_at_ms` should be the time of the sync.
    pub async fn sync_config_subscriptions(&self, config: &[Subscription]) -> Result<ConfigSync> {
        let existing: HashMap<u64, Subscription> = self
            .subscriptions()
            .await?
            .into_iter()
            .map(|s| (s.channel_id, s))
            .collect();
        let listed: HashSet<u64> = config.iter().map(|s| s.channel_id).collect();
        let mut report = ConfigSync::default();
        let sql = format!(
            "INSERT INTO subscriptions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL) \
             ON CONFLICT (channel_id) DO UPDATE SET \
               guild_id = COALESCE(excluded.guild_id, subscriptions.guild_id), \
               topics = excluded.topics, mode = excluded.mode, digest_at = excluded.digest_at, \
               origin = 'config', {DIGEST_WINDOW_ON_SWITCH}"
        );
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        for sub in config {
            let wanted = Subscription {
                origin: Origin::Config,
                ..sub.clone()
            };
            match existing.get(&sub.channel_id) {
                None => report.added += 1,
                Some(old) if old.settings_differ(&wanted) => report.changed += 1,
                Some(_) => continue,
            }
            bind_subscription(sqlx::query(&sql), &wanted, Origin::Config)
                .execute(&mut *tx)
                .await?;
        }
        for old in existing.values() {
            if old.origin == Origin::Config && !listed.contains(&old.channel_id) {
                report.removed += sqlx::query(
                    "DELETE FROM subscriptions WHERE channel_id = $1 AND origin = 'config'",
                )
                .bind(to_db_id(old.channel_id))
                .execute(&mut *tx)
                .await?
                .rows_affected() as usize;
            }
        }
        tx.commit().await?;
        Ok(report)
    }

    /// Pauses deliveries to a channel, with the reason. Returns whether it was subscribed.
    pub async fn pause(&self, channel_id: u64, reason: &str) -> Result<bool> {
        let n = sqlx::query("UPDATE subscriptions SET paused_reason = $2 WHERE channel_id = $1")
            .bind(to_db_id(channel_id))
            .bind(reason)
            .execute(self.pool()?)
            .await?
            .rows_affected();
        Ok(n > 0)
    }
}

/// [`Store::subscriptions`] on a given connection (or transaction).
///
/// Read row by row: with 10,000 subscriptions, `fetch_all` held every row at once in sqlx's
/// generic form (a few hundred bytes a row) beside the subscriptions made from them, ~6 MiB
/// of transient memory at a bot's start (issue 12).
pub(super) async fn subscriptions_in(conn: &mut AnyConnection) -> Result<Vec<Subscription>> {
    subscriptions_where(conn, "").await
}

/// The subscriptions that `filter` (a `WHERE` clause of constant text, or nothing) keeps,
/// oldest first, read row by row.
async fn subscriptions_where(conn: &mut AnyConnection, filter: &str) -> Result<Vec<Subscription>> {
    let sql =
        format!("SELECT {COLUMNS} FROM subscriptions {filter} ORDER BY created_at, channel_id");
    let mut rows = sqlx::query(&sql).fetch(&mut *conn);
    let mut out = Vec::new();
    while let Some(row) = rows.try_next().await? {
        out.push(Subscription::from_row(&row)?);
        super::yield_between_rows(out.len()).await;
    }
    Ok(out)
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds `$1..$7` of the subscription upserts.
fn bind_subscription<'q>(query: Query<'q>, sub: &Subscription, origin: Origin) -> Query<'q> {
    query
        .bind(to_db_id(sub.channel_id))
        .bind(sub.guild_id.map(to_db_id))
        .bind(normalize_topics(&sub.topics).join(","))
        .bind(sub.mode.name())
        .bind(sub.mode.at_text())
        .bind(origin.name())
        .bind(sub.created_at_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::scratch::each_backend;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
    }

    fn cmd(channel: u64, topics: &[&str], now: i64) -> Subscription {
        let topics: Vec<String> = topics.iter().map(|s| s.to_string()).collect();
        Subscription::new(
            channel,
            Some(1),
            &topics,
            Mode::Instant,
            Origin::Command,
            now,
        )
    }

    #[test]
    fn topics_are_normalized() {
        let raw = vec![" AI, Energy ".to_string(), "ai".into(), "".into()];
        assert_eq!(normalize_topics(&raw), vec!["ai", "energy"]);
    }

    #[tokio::test]
    async fn upsert_keeps_created_at_and_clears_pause() {
        each_backend(|store| async move {
            store
                .upsert_subscription(&cmd(5, &["AI"], 100))
                .await
                .expect("insert");
            assert!(store.pause(5, "gone").await.expect("pause"));
            let mut again = cmd(5, &["energy"], 200);
            again.mode = Mode::Daily { at: t(8, 30) };
            store.upsert_subscription(&again).await.expect("update");
            let got = store.subscription(5).await.expect("get").expect("present");
            assert_eq!(got.created_at_ms, 100);
            assert_eq!(got.topics, vec!["energy"]);
            assert_eq!(got.mode, Mode::Daily { at: t(8, 30) });
            assert_eq!(got.paused, None);
            // Switching instant -> daily starts the digest window at the call.
            assert_eq!(got.last_digest_at_ms, Some(200));
        })
        .await;
    }

    #[tokio::test]
    async fn daily_subscriptions_are_read_apart_from_instant_ones() {
        each_backend(|store| async move {
            for ch in 1..=600u64 {
                let mut sub = cmd(ch, &[], ch as i64);
                if ch % 200 == 0 {
                    sub.mode = Mode::Daily { at: t(7, 0) };
                }
                store.upsert_subscription(&sub).await.expect("insert");
            }
            let daily = store.daily_subscriptions().await.expect("daily");
            let ids: Vec<u64> = daily.iter().map(|s| s.channel_id).collect();
            assert_eq!(ids, vec![200, 400, 600]);
            assert!(daily.iter().all(|s| s.mode == Mode::Daily { at: t(7, 0) }));
            // All of them, read row by row across several turns (more than store::ROWS_PER_TURN).
            let all = store.subscriptions().await.expect("all");
            assert_eq!(all.len(), 600);
            assert!(all
                .windows(2)
                .all(|w| w[0].created_at_ms < w[1].created_at_ms));
        })
        .await;
    }

    #[tokio::test]
    async fn remove_outcomes() {
        each_backend(|store| async move {
            store
                .upsert_subscription(&cmd(1, &[], 1))
                .await
                .expect("insert");
            let mut conf = cmd(2, &[], 1);
            conf.origin = Origin::Config;
            store
                .sync_config_subscriptions(&[conf])
                .await
                .expect("sync");
            assert_eq!(
                store.remove_subscription(1).await.ok(),
                Some(RemoveOutcome::Removed)
            );
            assert_eq!(
                store.remove_subscription(1).await.ok(),
                Some(RemoveOutcome::NotFound)
            );
            assert_eq!(
                store.remove_subscription(2).await.ok(),
                Some(RemoveOutcome::FromConfig)
            );
            assert!(store.subscription(2).await.expect("get").is_some());
        })
        .await;
    }

    #[tokio::test]
    async fn command_upsert_does_not_demote_config() {
        each_backend(|store| async move {
            store
                .sync_config_subscriptions(&[cmd(3, &["a"], 1)])
                .await
                .expect("sync");
            store
                .upsert_subscription(&cmd(3, &["b"], 2))
                .await
                .expect("upsert");
            let got = store.subscription(3).await.expect("get").expect("present");
            assert_eq!(got.origin, Origin::Config);
            assert_eq!(got.topics, vec!["b"]);
        })
        .await;
    }

    #[tokio::test]
    async fn guild_listing() {
        each_backend(|store| async move {
            store.upsert_subscription(&cmd(1, &[], 1)).await.expect("a");
            let mut other = cmd(2, &[], 2);
            other.guild_id = Some(9);
            store.upsert_subscription(&other).await.expect("b");
            let in_9 = store.subscriptions_in_guild(9).await.expect("list");
            assert_eq!(in_9.len(), 1);
            assert_eq!(in_9[0].channel_id, 2);
            assert_eq!(store.subscriptions().await.expect("all").len(), 2);
        })
        .await;
    }
}
