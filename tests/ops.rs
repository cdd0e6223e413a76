//! The operations endpoint end to end (`[http] listen`): the real `briefbot run` against the
//! stand-in. `/healthz` answers 200 with the shard connected and 503 while the stand-in
//! refuses the gateway (and 200 again once it accepts); `/metrics` counts an interaction and
//! a delivery that met a global 429, in Prometheus text format. A listen address that is not
//! one, or a port already taken, stops the bot with a clear error.

mod support;

use serde_json::Value;
use std::net::SocketAddr;
use std::time::Duration;
use support::bot::{ops_get as get, sample, BotProcess};
use support::discord::{StandIn, StandInConfig, MEMBER_PERMISSIONS};
use support::wait::{eventually, DEADLINE};

/// The operations endpoint on a port the system picks.
const HTTP: &str = "[http]\nlisten = \"127.0.0.1:0\"\n";

/// Waits until `/healthz` answers `status`; returns its JSON body.
async fn health_is(addr: SocketAddr, status: u16) -> Value {
    eventually(&format!("/healthz to answer {status}"), || {
        let (got, body) = get(addr, "/healthz")?;
        if got != status {
            return Err(format!("{got} {body}"));
        }
        serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_follows_the_gateway_and_reports_role_shards_store_and_briefs() {
    let standin = StandIn::start(StandInConfig::default()).await;
    let bot = BotProcess::start(&standin, false, HTTP);
    let addr = bot.ops_addr().await;
    standin.wait_ready(DEADLINE).await.expect("bot connects");

    let body = health_is(addr, 200).await;
    assert_eq!(body["role"], "leader");
    assert_eq!(body["store"], "ok");
    assert_eq!(
        body["shards"],
        serde_json::json!([{"id": 0, "connected": true}])
    );
    let briefs = body["briefs"].as_u64().expect("a brief count");
    assert!(briefs > 0, "the embedded samples are loaded: {body}");

    standin.refuse_gateway(true).await;
    let body = health_is(addr, 503).await;
    assert_eq!(
        body["shards"],
        serde_json::json!([{"id": 0, "connected": false}])
    );
    assert_eq!(body["store"], "ok", "only the gateway is down");

    standin.refuse_gateway(false).await;
    standin.wait_ready(DEADLINE).await.expect("bot reconnects");
    health_is(addr, 200).await;
    assert!(
        !bot.stderr().contains(standin.token()),
        "the token was logged"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_an_interaction_and_a_delivery_through_a_429() {
    let standin = StandIn::start(StandInConfig::default()).await;
    let channel = standin.channel_id();
    let bot = BotProcess::start(
        &standin,
        true,
        &format!("{HTTP}[[subscriptions]]\nchannel = {channel}\ntopics = [\"grid\"]\n"),
    );
    let addr = bot.ops_addr().await;
    standin.wait_ready(DEADLINE).await.expect("bot connects");
    assert_eq!(bot.started().await, 0, "an empty folder plans nothing");

    let payload = standin.slash_command(
        "help",
        vec![],
        channel,
        standin.guild_id(),
        MEMBER_PERMISSIONS,
    );
    let id = standin.dispatch_interaction(payload).await;
    let cb = standin.wait_callback(id, DEADLINE).await.expect("answered");
    assert_eq!(cb.status, 204);

    standin.inject_global_429(Duration::from_millis(300));
    let written = bot.write_brief("ops-grid", "Grid auction clears", "grid");
    assert_eq!(bot.settled(&written).await, 1, "one delivery planned");
    let posted = standin
        .messages(channel)
        .iter()
        .filter(|m| m["embeds"][0]["title"] == "Grid auction clears")
        .count();
    assert_eq!(posted, 1, "the brief posted once");
    let limited = standin.count_429();
    assert!(limited >= 1, "the delivery met the injected 429");

    // The interaction is counted once its answer is accepted: wait for the count, then
    // read everything from one scrape.
    let text = eventually("the interaction in /metrics", || {
        let (_, text) = get(addr, "/metrics")?;
        sample(
            &text,
            "briefbot_interactions_total{command=\"help\",outcome=\"ok\"}",
        )
        .map(|_| text.clone())
        .ok_or(text)
    })
    .await;
    let value =
        |series: &str| sample(&text, series).unwrap_or_else(|| panic!("no {series} in\n{text}"));
    assert_eq!(
        value("briefbot_interactions_total{command=\"help\",outcome=\"ok\"}"),
        1.0
    );
    assert_eq!(
        value("briefbot_interaction_seconds_count{command=\"help\"}"),
        1.0
    );
    assert!(value("briefbot_interaction_seconds_bucket{command=\"help\",le=\"3\"}") >= 1.0);
    assert_eq!(value("briefbot_deliveries_total{outcome=\"sent\"}"), 1.0);
    // Each 429 the delivery met is one retry; the stand-in may have answered another
    // request (not a delivery) 429 within the same global limit.
    let met = value("briefbot_discord_429_total{scope=\"global\"}");
    assert!(
        met >= 1.0 && met <= limited as f64,
        "{met} of {limited} 429s"
    );
    assert_eq!(value("briefbot_deliveries_total{outcome=\"retried\"}"), met);
    assert_eq!(value("briefbot_briefs_loaded"), 1.0);
    assert_eq!(value("briefbot_ledger_backlog"), 0.0);
    assert_eq!(value("briefbot_leader"), 1.0);
    assert!(text.contains("# TYPE briefbot_interaction_seconds histogram"));
}

#[test]
fn a_bad_listen_address_stops_check_and_run_with_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    // REST would go to a closed local port: nothing can leave the machine.
    std::fs::write(
        &path,
        "[discord]\napi_proxy = \"http://127.0.0.1:9\"\n[http]\nlisten = \"localhost\"\n",
    )
    .unwrap();
    for sub in ["check", "run"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefbot"))
            .args([sub, "--config"])
            .arg(&path)
            .env("DISCORD_TOKEN", "test-token")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{sub}: {stderr}");
        assert!(
            stderr.contains(
                "bad.toml:4:1: key `http.listen`: \"localhost\" is not an address and port"
            ),
            "{sub}: {stderr}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listen_port_in_use_stops_run_with_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let standin = StandIn::start(StandInConfig::default()).await;
    let mut bot = BotProcess::start(
        &standin,
        false,
        &format!("[http]\nlisten = \"127.0.0.1:{port}\"\n"),
    );
    let status = eventually("briefbot run to exit", || {
        bot.child().try_wait().ok().flatten()
    })
    .await;
    assert_eq!(status.code(), Some(2));
    let log = bot.stderr();
    assert!(
        log.contains(&format!("cannot listen on 127.0.0.1:{port} (http.listen)")),
        "{log}"
    );
}
