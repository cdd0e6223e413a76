//! The Prometheus side of the bot's metrics ([`crate::meter`] names and records them):
//! `briefbot run` with `[http] listen` installs the Prometheus recorder of
//! `metrics-exporter-prometheus` ([`install`]), built without its own HTTP listener:
//! [`super::server`] renders it on `/metrics`, beside `/healthz`, on one port.

use crate::meter::{describe, INTERACTION_SECONDS};
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meter::*;
    use std::time::Duration;

    #[test]
    fn renders_what_was_recorded_with_bounded_labels() {
        let recorder = recorder().unwrap().build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            describe();
            interaction("brief", InteractionOutcome::Ok, Duration::from_millis(30));
            interaction("brief", InteractionOutcome::Ok, Duration::from_millis(700));
            interaction(
                crate::commands::label("no-such"),
                InteractionOutcome::Error,
                Duration::ZERO,
            );
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
