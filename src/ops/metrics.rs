//! The bot's metrics in one place: their names, help texts and labels, and the functions the
//! rest of the bot records through. Recording goes through the `metrics` crate's facade,
//! which does nothing until a recorder is installed; `briefbot run` with `[http] listen`
//! installs the Prometheus recorder of `metrics-exporter-prometheus` ([`install`]), built
//! without its own HTTP listener: [`super::server`] renders it on `/metrics`, beside
//! `/healthz`, on one port.
//!
//! Label values are bounded: commands are the registered command names (anything else is
//! counted as `other`), outcomes and scopes are fixed words, sources are the configured
//! `[[sources]]` names.

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};
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

/// Histogram buckets of [`INTERACTION_SECONDS`]: Discord's answer window is 3 s.
const LATENCY_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0];

/// Builds the Prometheus recorder, installs it as the process's recorder and describes
/// every metric; the handle renders the text format. Fails if a recorder is already
/// installed.
pub fn install() -> Result<PrometheusHandle, BuildError> {
    let handle = recorder()?.install_recorder()?;
    describe();
    Ok(handle)
}

/// The Prometheus recorder's builder, with the latency buckets (without buckets the
/// exporter would render the histogram as a summary, which cannot be aggregated).
fn recorder() -> Result<PrometheusBuilder, BuildError> {
    PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(INTERACTION_SECONDS.into()), LATENCY_BUCKETS)
}

/// Help texts, shown as `# HELP` lines.
fn describe() {
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

/// The label of a command name: a registered command's name, `button` and `autocomplete`
/// as given, anything else `other`.
fn command_label(name: &str) -> &'static str {
    match name {
        "button" => "button",
        "autocomplete" => "autocomplete",
        _ => crate::commands::COMMANDS
            .iter()
            .find(|c| c.name == name)
            .map_or("other", |c| c.name),
    }
}

/// Records one interaction: its command (`button` for view buttons, `autocomplete`), how
/// it ended and how long it took.
pub fn interaction(command: &str, outcome: InteractionOutcome, elapsed: Duration) {
    let command = command_label(command);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_what_was_recorded_with_bounded_labels() {
        let recorder = recorder().unwrap().build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            describe();
            interaction("brief", InteractionOutcome::Ok, Duration::from_millis(30));
            interaction("brief", InteractionOutcome::Ok, Duration::from_millis(700));
            interaction("no-such", InteractionOutcome::Error, Duration::ZERO);
            delivery(DeliveryOutcome::Sent);
            delivery(DeliveryOutcome::Retried);
            rate_limited(true);
            levels(Some(7), 12, true);
            source_fetch("wire", FetchOutcome::NotModified);
        });
        let text = handle.render();
        for line in [
            "briefbot_interactions_total{command=\"brief\",outcome=\"ok\"} 2",
            "briefbot_interactions_total{command=\"other\",outcome=\"error\"} 1",
            "briefbot_interaction_seconds_bucket{command=\"brief\",le=\"0.05\"} 1",
            "briefbot_interaction_seconds_bucket{command=\"brief\",le=\"1\"} 2",
            "briefbot_deliveries_total{outcome=\"sent\"} 1",
            "briefbot_deliveries_total{outcome=\"retried\"} 1",
            "briefbot_discord_429_total{scope=\"global\"} 1",
            "briefbot_ledger_backlog 7",
            "briefbot_briefs_loaded 12",
            "briefbot_leader 1",
            "briefbot_source_fetches_total{source=\"wire\",outcome=\"not_modified\"} 1",
            "# HELP briefbot_deliveries_total Delivery attempts by outcome",
        ] {
            assert!(text.contains(line), "missing {line:?} in\n{text}");
        }
    }
}
