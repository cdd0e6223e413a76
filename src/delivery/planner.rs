//! Instant planning: turns briefs seen for the first time into pending ledger rows for the
//! instant subscriptions that want them.
//!
//! Rules:
//! - A brief is planned once, when it is first seen (recorded in the same transaction as its
//!   ledger rows, so a crash cannot lose or double it).
//! - A subscription receives a brief only if it was created strictly before the brief was
//!   first seen (`created_at < first_seen`). Subscribing never floods the channel with the
//!   back catalogue, and neither does the first start: every existing brief is first seen
//!   then, and the config subscriptions synced in the same start carry the same timestamp
//!   (see [`start_up`]), so "created in the same millisecond" deliberately means "not for
//!   it". Briefs that appear while the bot is down are first seen at the next start and
//!   delivered then to the subscriptions that existed before.
//! - Paused subscriptions, daily subscriptions and non-matching topics get nothing. A
//!   subscription topic matches a brief whose topics, title or text name it as a whole word
//!   or phrase (see [`TopicIndex`]).

use super::nonce::delivery_nonce;
use crate::brief::{Brief, TopicIndex};
use crate::store::{ConfigSync, DeliveryKind, Mode, NewDelivery, Result, Store, Subscription};
use chrono::{DateTime, FixedOffset};
use std::borrow::Borrow;
use std::collections::HashMap;

/// Records `briefs` as seen at `now_ms` and plans each one seen for the first time for the
/// matching active instant subscriptions created before now. New briefs are planned oldest
/// publication first (undated last, then by id), which is the order a channel receives
/// them. Returns the number of ledger rows inserted; wake the worker if it is not zero.
pub async fn plan_new<B: Borrow<Brief>>(store: &Store, briefs: &[B], now_ms: i64) -> Result<usize> {
    let by_id = index_by_id(briefs);
    let ids: Vec<String> = briefs.iter().map(|b| b.borrow().id.clone()).collect();
    let outcome = store
        .record_seen_and_plan(&ids, now_ms, |new_ids, subs| {
            let mut new: Vec<&Brief> = new_ids
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .collect();
            new.sort_by(|a, b| send_order(a).cmp(&send_order(b)));
            plan_rows(&new, subs, now_ms)
        })
        .await?;
    if outcome.planned > 0 {
        tracing::info!(
            new_briefs = outcome.new_ids.len(),
            planned = outcome.planned,
            "planned instant deliveries"
        );
    }
    Ok(outcome.planned)
}

/// Sort key of new briefs: dated before undated, oldest first, then by id.
fn send_order(brief: &Brief) -> (bool, Option<DateTime<FixedOffset>>, &str) {
    (brief.published.is_none(), brief.published, &brief.id)
}

/// The briefs by id.
pub(crate) fn index_by_id<B: Borrow<Brief>>(briefs: &[B]) -> HashMap<&str, &Brief> {
    briefs
        .iter()
        .map(|b| {
            let b: &Brief = b.borrow();
            (b.id.as_str(), b)
        })
        .collect()
}

/// The ledger rows for briefs first seen at `now_ms`, in the given order.
fn plan_rows(new: &[&Brief], subs: &[Subscription], now_ms: i64) -> Vec<NewDelivery> {
    let receivers: Vec<&Subscription> = subs
        .iter()
        .filter(|s| s.is_active() && s.mode == Mode::Instant && s.created_at_ms < now_ms)
        .collect();
    let mut rows = Vec::new();
    for brief in new {
        // Built once a brief, only when some receiver filters by topic.
        let mut index: Option<TopicIndex> = None;
        let mut wants = |sub: &Subscription| {
            sub.topics.is_empty()
                || index
                    .get_or_insert_with(|| TopicIndex::new(brief))
                    .matches(&sub.topics)
        };
        for sub in receivers.iter().filter(|s| wants(s)) {
            rows.push(NewDelivery {
                channel_id: sub.channel_id,
                key: brief.id.clone(),
                nonce: delivery_nonce(sub.channel_id, &brief.id),
                kind: DeliveryKind::Brief(brief.id.clone()),
                created_at_ms: now_ms,
                seq: rows.len() as i64,
            });
        }
    }
    rows
}

/// What [`start_up`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartUp {
    /// Changes to the config subscriptions.
    pub config: ConfigSync,
    /// Ledger rows planned for briefs that appeared while the bot was down.
    pub planned: usize,
}

/// The start sequence: syncs the config subscriptions, then plans the loaded briefs, both
/// at `now_ms`. Config subscriptions new in this start are stamped `now_ms`, the same as
/// the briefs first seen now, so they do not receive the back catalogue. `config` entries
/// get `created_at_ms = now_ms` whatever they held.
pub async fn start_up<B: Borrow<Brief>>(
    store: &Store,
    config: &[Subscription],
    briefs: &[B],
    now_ms: i64,
) -> Result<StartUp> {
    let config: Vec<Subscription> = config
        .iter()
        .map(|s| Subscription {
            created_at_ms: now_ms,
            ..s.clone()
        })
        .collect();
    let sync = store.sync_config_subscriptions(&config).await?;
    let planned = plan_new(store, briefs, now_ms).await?;
    Ok(StartUp {
        config: sync,
        planned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Origin;

    fn brief(id: &str, topics: &[&str]) -> Brief {
        Brief {
            id: id.to_string(),
            title: id.to_string(),
            published: None,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            source: None,
            happening: None,
            importance: None,
            next: None,
            extra: Vec::new(),
            extracted: Default::default(),
            auto_sections: false,
        }
    }

    fn sub(channel: u64, topics: &[&str], created: i64) -> Subscription {
        let topics: Vec<String> = topics.iter().map(|t| t.to_string()).collect();
        Subscription::new(
            channel,
            None,
            &topics,
            Mode::Instant,
            Origin::Command,
            created,
        )
    }

    #[test]
    fn topic_filters_match_title_and_text_as_whole_folded_words() {
        use crate::brief::Section;
        let mut b = brief("aid", &["aid convoys", "relief agencies"]);
        b.title = "Aid convoys resume after nine-day pause".into();
        b.happening = Some(Section {
            heading: "What's Happening?".into(),
            paragraphs: vec![
                "Trucks crossed into Gaza on Sunday. The party of aid workers carried fuel.",
            ]
            .into(),
        });
        let subs = [
            sub(1, &["gaza"], 5),
            sub(2, &["art"], 5),
            sub(3, &["Aid Convoy"], 5),
            sub(4, &["nine-day pause"], 5),
            sub(5, &["fuel trucks"], 5),
            sub(6, &["truck"], 5),
        ];
        let got: Vec<u64> = plan_rows(&[&b], &subs, 10)
            .iter()
            .map(|r| r.channel_id)
            .collect();
        // Gaza is only in the text; "art" is not a word of "party"; plural folding joins
        // "convoys"/"convoy" and "trucks"/"truck"; "fuel trucks" is not a phrase of the brief.
        assert_eq!(got, [1, 3, 4, 6]);
    }

    #[test]
    fn rows_respect_creation_time_topics_and_order() {
        let (a, b) = (brief("a", &["energy"]), brief("b", &["ai"]));
        let subs = [sub(1, &[], 5), sub(2, &["ai"], 5), sub(3, &[], 10)];
        let rows = plan_rows(&[&a, &b], &subs, 10);
        let got: Vec<(u64, &str, i64)> = rows
            .iter()
            .map(|r| (r.channel_id, r.key.as_str(), r.seq))
            .collect();
        // Channel 3 was created in the same millisecond: not a receiver.
        assert_eq!(got, [(1, "a", 0), (1, "b", 1), (2, "b", 2)]);
        assert_eq!(rows[0].nonce, delivery_nonce(1, "a"));
    }

    #[tokio::test]
    async fn new_briefs_are_planned_oldest_publication_first() {
        let store = Store::open_in_memory().await.expect("store");
        store
            .upsert_subscription(&sub(1, &[], 1))
            .await
            .expect("subscribe");
        let mut newer = brief("newer", &[]);
        newer.published = chrono::DateTime::parse_from_rfc3339("2025-02-01T00:00:00Z").ok();
        let mut older = brief("older", &[]);
        older.published = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").ok();
        let undated = brief("undated", &[]);
        let planned = plan_new(&store, &[&undated, &newer, &older], 10)
            .await
            .expect("plan");
        assert_eq!(planned, 3);
        let keys: Vec<String> = store
            .pending_deliveries(10)
            .await
            .expect("pending")
            .into_iter()
            .map(|d| d.key)
            .collect();
        assert_eq!(keys, ["older", "newer", "undated"]);
    }
}
