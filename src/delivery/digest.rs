//! Daily digests: when a daily subscription's local time has come, the briefs first seen
//! since its previous digest become one or more ledger rows keyed `digest:<local date>:<part>`.
//!
//! A subscription with digest time `at` (local, in the bot's time zone) is due when the most
//! recent local `at` (today's if passed, else yesterday's) is after the start of its window,
//! the window starting at its last digest or, before the first one, at its creation. The
//! digest covers the briefs first seen in `(window start, that occurrence]` and moves
//! `last_digest_at` to the occurrence — in one transaction with the ledger rows, so a crash
//! neither loses nor doubles a digest, and a digest sent late (bot down at `at`) still
//! covers exactly one day, leaving later briefs to the next one. With nothing new, no row
//! is written but the window still moves. Nonexistent local times (DST gap) move to the
//! first valid minute after; ambiguous ones (DST fold) take the earlier instant.

use super::nonce::delivery_nonce;
use crate::brief::Brief;
use crate::store::{DeliveryKind, Mode, NewDelivery, Result, Store};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::borrow::Borrow;

/// How a digest is split into messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartLimits {
    /// Most briefs in one part (at least 1).
    pub max_items: usize,
    /// Most total size (as measured by the caller's size function) in one part. A brief
    /// larger than this alone gets a part of its own.
    pub max_size: usize,
}

impl PartLimits {
    /// Limits by count only.
    pub fn items(max_items: usize) -> Self {
        Self {
            max_items,
            max_size: usize::MAX,
        }
    }
}

impl Default for PartLimits {
    /// Ten briefs a part (Discord's embed count per message), no size limit.
    fn default() -> Self {
        Self::items(10)
    }
}

/// A daily subscription whose digest is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDigest {
    /// The channel.
    pub channel_id: u64,
    /// Its topics.
    pub topics: Vec<String>,
    /// The local date of the scheduled time (used in the ledger key).
    pub local_date: NaiveDate,
    /// The scheduled time that came: the end of the window.
    pub scheduled: DateTime<Utc>,
    /// The start of the window (exclusive), unix ms.
    pub window_start_ms: i64,
    /// The subscription's `last_digest_at` as read (for the compare-and-set).
    pub last_digest_at_ms: Option<i64>,
}

/// A digest written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDigest {
    /// The channel.
    pub channel_id: u64,
    /// Local date of the digest.
    pub local_date: NaiveDate,
    /// Briefs in it.
    pub briefs: usize,
    /// Ledger rows (messages) inserted; 0 when nothing was new.
    pub parts: usize,
}

/// The ledger key of a digest part (parts count from 1).
pub fn digest_key(local_date: NaiveDate, part: u32) -> String {
    format!("{}{part}", digest_key_prefix(local_date))
}

fn digest_key_prefix(local_date: NaiveDate) -> String {
    format!("digest:{}:", local_date.format("%Y-%m-%d"))
}

/// The UTC instant of local `date` `at` in `tz` (see the module doc for DST handling).
pub fn local_instant(tz: Tz, date: NaiveDate, at: NaiveTime) -> Option<DateTime<Utc>> {
    let naive = date.and_time(at);
    (0..=180)
        .find_map(|shift| {
            tz.from_local_datetime(&(naive + Duration::minutes(shift)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

/// The most recent local `at` at or before `now`: its local date and instant.
pub fn last_occurrence(
    at: NaiveTime,
    now: DateTime<Utc>,
    tz: Tz,
) -> Option<(NaiveDate, DateTime<Utc>)> {
    let today = now.with_timezone(&tz).date_naive();
    [Some(today), today.pred_opt()]
        .into_iter()
        .flatten()
        .find_map(|date| {
            local_instant(tz, date, at)
                .filter(|t| *t <= now)
                .map(|t| (date, t))
        })
}

/// The active daily subscriptions whose digest is due at `now` in `tz`.
pub async fn due_digests(store: &Store, now: DateTime<Utc>, tz: Tz) -> Result<Vec<DueDigest>> {
    let subs = store.daily_subscriptions().await?;
    Ok(subs
        .into_iter()
        .filter(|s| s.is_active())
        .filter_map(|s| {
            let Mode::Daily { at } = s.mode else {
                return None;
            };
            let (local_date, scheduled) = last_occurrence(at, now, tz)?;
            let window_start_ms = s.last_digest_at_ms.unwrap_or(s.created_at_ms);
            if window_start_ms >= scheduled.timestamp_millis() {
                return None;
            }
            Some(DueDigest {
                channel_id: s.channel_id,
                topics: s.topics,
                local_date,
                scheduled,
                window_start_ms,
                last_digest_at_ms: s.last_digest_at_ms,
            })
        })
        .collect())
}

/// Splits briefs into digest parts, in order, greedily within `limits`.
pub fn split_parts<'a>(
    briefs: &[&'a Brief],
    limits: PartLimits,
    size: impl Fn(&Brief) -> usize,
) -> Vec<Vec<&'a Brief>> {
    let max_items = limits.max_items.max(1);
    let mut parts: Vec<Vec<&Brief>> = Vec::new();
    let mut used = 0usize;
    for &brief in briefs {
        let s = size(brief);
        match parts.last_mut() {
            Some(part) if part.len() < max_items && used.saturating_add(s) <= limits.max_size => {
                part.push(brief);
                used = used.saturating_add(s);
            }
            _ => {
                parts.push(vec![brief]);
                used = s;
            }
        }
    }
    parts
}

/// Writes every due digest at `now` to the ledger (see the module doc). `briefs` is the
/// current library (digests list only briefs still in it and matching the subscription's
/// topics, oldest first seen first); `size` measures a brief for [`PartLimits::max_size`].
/// Call [`super::planner::plan_new`] first so newly loaded briefs are recorded as seen.
/// Wake the worker if any returned digest has parts.
pub async fn plan_digests<B: Borrow<Brief>>(
    store: &Store,
    briefs: &[B],
    now: DateTime<Utc>,
    tz: Tz,
    limits: PartLimits,
    size: impl Fn(&Brief) -> usize,
) -> Result<Vec<PlannedDigest>> {
    let due = due_digests(store, now, tz).await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let by_id = super::planner::index_by_id(briefs);
    let now_ms = now.timestamp_millis();
    let mut planned = Vec::new();
    for due in due {
        let mut count = 0;
        let inserted = store
            .commit_digest(
                due.channel_id,
                due.last_digest_at_ms,
                due.window_start_ms,
                due.scheduled.timestamp_millis(),
                &digest_key_prefix(due.local_date),
                |seen, first_part| {
                    let wanted: Vec<&Brief> = seen
                        .iter()
                        .filter_map(|s| by_id.get(s.id.as_str()).copied())
                        .filter(|b| b.matches_topics(&due.topics))
                        .collect();
                    count = wanted.len();
                    split_parts(&wanted, limits, &size)
                        .into_iter()
                        .zip(first_part..)
                        .enumerate()
                        .map(|(i, (part, number))| {
                            let key = digest_key(due.local_date, number);
                            NewDelivery {
                                channel_id: due.channel_id,
                                nonce: delivery_nonce(due.channel_id, &key),
                                key,
                                kind: DeliveryKind::Digest(
                                    part.iter().map(|b| b.id.clone()).collect(),
                                ),
                                created_at_ms: now_ms,
                                seq: i as i64,
                            }
                        })
                        .collect()
                },
            )
            .await?;
        let Some(parts) = inserted else {
            continue; // changed meanwhile (unsubscribed, paused, or another run did it)
        };
        tracing::info!(
            channel_id = due.channel_id,
            date = %due.local_date,
            briefs = count,
            parts,
            "daily digest planned"
        );
        planned.push(PlannedDigest {
            channel_id: due.channel_id,
            local_date: due.local_date,
            briefs: count,
            parts,
        });
    }
    Ok(planned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("valid")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn occurrence_in_paris_winter_and_summer() {
        let tz = chrono_tz::Europe::Paris;
        // Winter: 08:00 Paris = 07:00 UTC.
        assert_eq!(
            last_occurrence(hm(8, 0), utc(2025, 1, 15, 6, 59), tz).map(|o| o.0),
            Some(date(2025, 1, 14))
        );
        assert_eq!(
            last_occurrence(hm(8, 0), utc(2025, 1, 15, 7, 0), tz),
            Some((date(2025, 1, 15), utc(2025, 1, 15, 7, 0)))
        );
        // Summer: 08:00 Paris = 06:00 UTC.
        assert_eq!(
            last_occurrence(hm(8, 0), utc(2025, 7, 15, 6, 30), tz),
            Some((date(2025, 7, 15), utc(2025, 7, 15, 6, 0)))
        );
    }

    #[test]
    fn dst_gap_and_fold() {
        let tz = chrono_tz::Europe::Paris;
        // 2025-03-30 02:30 does not exist in Paris: moved to 03:00 local = 01:00 UTC.
        assert_eq!(
            local_instant(tz, date(2025, 3, 30), hm(2, 30)),
            Some(utc(2025, 3, 30, 1, 0))
        );
        // 2025-10-26 02:30 happens twice: the earlier is 00:30 UTC.
        assert_eq!(
            local_instant(tz, date(2025, 10, 26), hm(2, 30)),
            Some(utc(2025, 10, 26, 0, 30))
        );
    }

    #[test]
    fn keys() {
        assert_eq!(digest_key(date(2025, 1, 5), 2), "digest:2025-01-05:2");
    }
}
