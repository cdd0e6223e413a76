//! The bot's metrics: their names, help texts and labels, and the functions the rest of the
//! bot records through (the adapters, the outbox, the source poller). Recording goes through
//! the `metrics` crate's facade, which does nothing until a recorder is installed;
//! `briefbot run` with `[http] listen` installs the Prometheus recorder ([`crate::ops`]), so
//! this module sits low enough for any layer to record without depending on the operations
//! server.
//!
//! Label values are bounded: commands are the registered command names (anything else is
//! counted as `other`, see [`crate::commands::label`]), outcomes and scopes are fixed words,
//! sources are the configured `[[sources]]` names.

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use std::time::Duration;

/// Interactions answered, by `command` and `outcome` (see [`InteractionOutcome`]).
pub const INTERACTIONS: &str = "briefbot_interactions_total";
/// Seconds from receiving an interaction to Discord accepting its answer, by `command`.
pub const INTERACTION_SECONDS: &str = "briefbot_interaction_seconds";
/// Delivery attempts, by `outcome`: `sent`, `retried`, `failed`, `paused`.
pub const DELIVERIES: &str = "briefbot_deliveries_total";
/// 429 answers to deliveries, by `scope`: `global` or `route`.
pub const RATE_LIMITED: &str = "briefbot_discord_429_total";
/// Deliveries planned and not yet sent (read from the store at each scrape).
pub const LEDGER_BACKLOG: &str = "briefbot_ledger_backlog";
/// Briefs in the library (read at each scrape).
pub const BRIEFS_LOADED: &str = "briefbot_briefs_loaded";
/// 1 while this process is the delivery leader, else 0 (read at each scrape).
pub const LEADER: &str = "briefbot_leader";
/// Feed and page fetches, by `source` and `outcome`: `items`, `not_modified`, `failed`.
pub const SOURCE_FETCHES: &str = "briefbot_source_fetches_total";

/// Help texts, shown as `# HELP` lines.
pub fn describe() {
    describe_counter!(
        INTERACTIONS,
        "Interactions answered, by command and outcome (ok, error, failed)."
    );
    describe_histogram!(
        INTERACTION_SECONDS,
        metrics::Unit::Seconds,
        "Time from receiving an interaction to Discord accepting its answer."
    );
    describe_counter!(
        DELIVERIES,
        "Delivery attempts by outcome: sent, retried (429, 5xx, time-out), failed (given up), paused (channel gone)."
    );
    describe_counter!(
        RATE_LIMITED,
        "429 answers to deliveries, by scope (global, route)."
    );
    describe_gauge!(LEDGER_BACKLOG, "Deliveries planned and not yet sent.");
    describe_gauge!(BRIEFS_LOADED, "Briefs in the library.");
    describe_gauge!(
        LEADER,
        "1 while this process sends deliveries (the leader), else 0."
    );
    describe_counter!(
        SOURCE_FETCHES,
        "Feed and page fetches by source and outcome (items, not_modified, failed)."
    );
}

/// How an interaction ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InteractionOutcome {
    /// Answered with an answer.
    Ok,
    /// Answered with an error for the user (bad options, no permission, nothing found).
    Error,
    /// Discord did not take the answer (the user saw "interaction failed" or a fallback).
    Failed,
}

impl InteractionOutcome {
    fn label(self) -> &'static str {
        match self {
            InteractionOutcome::Ok => "ok",
            InteractionOutcome::Error => "error",
            InteractionOutcome::Failed => "failed",
        }
    }
}

/// Records one interaction: its command label (a registered command's name, `button` for
/// view buttons, `autocomplete`, `other`: see `commands::label`), how it ended and how long
/// it took.
pub fn interaction(command: &'static str, outcome: InteractionOutcome, elapsed: Duration) {
    counter!(INTERACTIONS, "command" => command, "outcome" => outcome.label()).increment(1);
    histogram!(INTERACTION_SECONDS, "command" => command).record(elapsed.as_secs_f64());
}

/// How a delivery attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Posted.
    Sent,
    /// To be tried again: a 429, a 5xx, a time-out.
    Retried,
    /// Given up (Discord will never take it).
    Failed,
    /// The channel is gone or closed to the bot: its subscription is paused.
    Paused,
}

/// Records one delivery attempt.
pub fn delivery(outcome: DeliveryOutcome) {
    let label = match outcome {
        DeliveryOutcome::Sent => "sent",
        DeliveryOutcome::Retried => "retried",
        DeliveryOutcome::Failed => "failed",
        DeliveryOutcome::Paused => "paused",
    };
    counter!(DELIVERIES, "outcome" => label).increment(1);
}

/// Records a 429 (bot-wide when `global`).
pub fn rate_limited(global: bool) {
    let scope = if global { "global" } else { "route" };
    counter!(RATE_LIMITED, "scope" => scope).increment(1);
}

/// Sets the levels read at each scrape: the ledger backlog (when the store answered), the
/// briefs loaded, and whether this process leads.
pub fn levels(backlog: Option<u64>, briefs: usize, leader: bool) {
    if let Some(backlog) = backlog {
        gauge!(LEDGER_BACKLOG).set(backlog as f64);
    }
    gauge!(BRIEFS_LOADED).set(briefs as f64);
    gauge!(LEADER).set(if leader { 1.0 } else { 0.0 });
}

/// How a source fetch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchOutcome {
    /// The feed or page answered with items.
    Items,
    /// 304 Not Modified.
    NotModified,
    /// The fetch failed.
    Failed,
}

/// Records one fetch of the `[[sources]]` entry named `source`.
pub fn source_fetch(source: &str, outcome: FetchOutcome) {
    let label = match outcome {
        FetchOutcome::Items => "items",
        FetchOutcome::NotModified => "not_modified",
        FetchOutcome::Failed => "failed",
    };
    counter!(SOURCE_FETCHES, "source" => source.to_owned(), "outcome" => label).increment(1);
}
