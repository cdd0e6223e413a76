//! Operations: what an operator's tooling reads from a running bot. With `[http] listen`
//! set, `briefbot run` serves `/healthz` ([`health`]: shards connected, store answering,
//! delivery role) and `/metrics` ([`metrics`]: Prometheus text) on that address
//! ([`server`]). The rest of the bot records metrics through [`crate::meter`], which costs
//! nothing when the server is off.

pub mod health;
pub mod metrics;
pub mod server;

pub use health::{Health, Role};

use anyhow::Context as _;
use std::net::SocketAddr;

/// How often the metrics recorder's upkeep runs (the exporter's own default).
pub const UPKEEP: std::time::Duration = std::time::Duration::from_secs(5);

/// The operations endpoint, bound and recording, not yet serving.
pub struct Endpoint {
    listener: tokio::net::TcpListener,
    prometheus: metrics_exporter_prometheus::PrometheusHandle,
}

impl Endpoint {
    /// Binds `listen` and installs the metrics recorder (call once, before anything is
    /// recorded).
    pub async fn open(listen: SocketAddr) -> anyhow::Result<Endpoint> {
        let listener = server::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen} (http.listen)"))?;
        let prometheus = metrics::install().context("installing the metrics recorder")?;
        let bound = listener.local_addr().unwrap_or(listen);
        tracing::info!("serving /healthz and /metrics on http://{bound}");
        Ok(Endpoint {
            listener,
            prometheus,
        })
    }

    /// Serves in a task until `stop` resolves, with the recorder's upkeep (draining
    /// histogram samples into their buckets) every [`UPKEEP`] meanwhile.
    pub fn serve(
        self,
        health: Health,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let prometheus = self.prometheus.clone();
            let upkeep = tokio::spawn(async move {
                let mut tick = tokio::time::interval(UPKEEP);
                loop {
                    tick.tick().await;
                    prometheus.run_upkeep();
                }
            });
            if let Err(e) = server::serve(self.listener, health, self.prometheus, stop).await {
                tracing::error!("the operations server stopped: {e}");
            }
            upkeep.abort();
        })
    }
}
