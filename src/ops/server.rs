//! The operations HTTP server (`[http] listen`): `GET /healthz` (200 or 503 with the JSON
//! [`Report`](super::health::Report)) and `GET /metrics` (Prometheus text format).
//!
//! It is axum (HTTP/1 on tokio, no other features), already in the build for the test
//! stand-in, so serving both paths on one port costs no new compilation; the Prometheus
//! exporter's own listener would have served only `/metrics` and pulled in its hyper server
//! features besides.

use super::health::Health;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// What the handlers read.
#[derive(Clone)]
struct Ops {
    health: Health,
    prometheus: PrometheusHandle,
}

/// Binds the listener (at start-up, so that a port in use stops the bot with a clear
/// error).
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Serves `/healthz` and `/metrics` on `listener` until `stop` resolves.
pub async fn serve(
    listener: TcpListener,
    health: Health,
    prometheus: PrometheusHandle,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(render_metrics))
        .with_state(Ops { health, prometheus });
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
}

async fn healthz(State(ops): State<Ops>) -> Response {
    let report = ops.health.report().await;
    let status = if report.healthy() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = serde_json::to_string(&report).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn render_metrics(State(ops): State<Ops>) -> Response {
    // The levels are read now, so that a scrape sees them current.
    let report = ops.health.report().await;
    crate::meter::levels(
        report.backlog,
        report.briefs,
        report.role == super::health::Role::Leader,
    );
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        ops.prometheus.render(),
    )
        .into_response()
}
