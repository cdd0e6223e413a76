//! Two `briefbot run` processes on one PostgreSQL database (issue 11 §5): the fan-out of the
//! delivery leader, and its fail-over.
//!
//! Set-up: the Discord stand-in (Discord's limits enforced: 50 requests/s global, 5 messages
//! per 5 s per channel), a scratch schema on the server named by `BRIEFBOT_TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`), one brief folder, 10,000
//! subscriptions of which 1,000 match the briefs' topic (stored in the database before the
//! bot starts, as `/subscribe` makes them: a config file is capped at 32 KiB),
//! `delivery.max_per_second = 48`. The
//! first process leads (it plans at start); the second comes up as a follower.
//!
//! 1. Fan-out: one brief to the 1,000 matching channels, sent by the leader: time from the
//!    file's rename to the 1,000th message against the bound 1.1 × N/50 s, 429s, duplicates.
//! 2. Fail-over: a second brief; once 200 channels have it, the leader is killed (SIGKILL).
//!    Reported: the time from the kill to the follower's "role leader" progress line and to
//!    the first message it sends, the time to the last message, 429s, duplicates.
//!
//! Run with `cargo bench --bench cluster` (release binary); figures in docs/BENCHMARKS.md.
//! Under `cargo test --benches` it runs small (60 matching channels of 300 subscriptions).

#[path = "../tests/support/mod.rs"]
mod support;

use briefbot::store::scratch::Scratch;
use briefbot::store::{Mode, Origin, Subscription};
use futures_util::StreamExt as _;
use std::time::{Duration, Instant};
use support::bot::BotProcess;
use support::discord::{StandIn, StandInConfig};

const FIRST_CHANNEL: u64 = 1_150_000_000_000_200_000;
const MESSAGES_ROUTE: &str = "/channels/{channel_id}/messages";
const RATE: u32 = 48;
const GLOBAL_PER_SECOND: f64 = 50.0;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Accepted message POSTs since `t0`, as offsets from it, sorted.
fn sent_since(standin: &StandIn, t0: Instant) -> Vec<Duration> {
    let mut v: Vec<Duration> = standin
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.route == MESSAGES_ROUTE && r.at >= t0)
        .filter(|r| r.status < 300)
        .map(|r| r.at - t0)
        .collect();
    v.sort();
    v
}

/// Waits until every channel of `chans` has `n` messages (or the deadline).
async fn wait_all(standin: &StandIn, chans: &[u64], n: usize, deadline: Instant) -> usize {
    let mut waiting = chans.to_vec();
    while !waiting.is_empty() && Instant::now() < deadline {
        waiting.retain(|c| standin.messages(*c).len() < n);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    chans.len() - waiting.len()
}

fn dups(standin: &StandIn, chans: &[u64], n: usize) -> usize {
    chans
        .iter()
        .filter(|c| standin.messages(**c).len() > n)
        .count()
}

/// Subscribes `subs` channels in the shared database before the bot starts, as `/subscribe`
/// would (a config file is capped at 32 KiB, far below 10,000 `[[subscriptions]]`): the
/// first `matching` to the briefs' topic, the rest to another.
async fn subscribe(scratch: &Scratch, guild: u64, matching: usize, subs: usize) {
    let store = scratch.store().await;
    let now = chrono::Utc::now().timestamp_millis();
    let store = &store;
    futures_util::stream::iter(0..subs)
        .for_each_concurrent(8, |i| async move {
            let topic = if i < matching { "energy" } else { "sport" };
            let sub = Subscription::new(
                FIRST_CHANNEL + i as u64,
                Some(guild),
                &[topic.to_owned()],
                Mode::Instant,
                Origin::Command,
                now,
            );
            store.upsert_subscription(&sub).await.expect("subscribe");
        })
        .await;
    store.close().await;
}

async fn run(matching: usize, subs: usize) {
    let scratch = Scratch::new().await;
    let standin = StandIn::start(StandInConfig {
        lifetime: Duration::from_secs(900),
        ..StandInConfig::default()
    })
    .await;
    let chans: Vec<u64> = (0..matching as u64).map(|i| FIRST_CHANNEL + i).collect();
    for (i, c) in chans.iter().enumerate() {
        standin.add_channel(standin.guild_id(), *c, &format!("sub-{i}"));
    }
    let extra = format!("[delivery]\nmax_per_second = {RATE}\n");
    subscribe(&scratch, standin.guild_id(), matching, subs).await;
    let storage = format!("url = \"{}\"", scratch.url);
    let mut leader = BotProcess::new_with_storage(&standin, true, Some(&storage), &extra);
    let spawned = Instant::now();
    leader.spawn(&standin);
    leader.started().await;
    println!(
        "cluster: {subs} subscriptions ({matching} matching), max_per_second = {RATE}, \
         PostgreSQL; leader planning after {:.2} s",
        spawned.elapsed().as_secs_f64()
    );
    let mut follower = leader.twin();
    follower.spawn(&standin);
    follower.logged("role follower").await;

    // 1. Fan-out by the leader.
    let before_429 = standin.count_429();
    let t0 = leader.write_brief("fan1", "Grid news", "energy").at;
    let deadline = t0 + Duration::from_secs(60 + 3 * matching as u64 / 40);
    let delivered = wait_all(&standin, &chans, 1, deadline).await;
    let sent = sent_since(&standin, t0);
    let last = sent
        .get(matching.saturating_sub(1))
        .copied()
        .unwrap_or_default();
    let bound = matching as f64 / GLOBAL_PER_SECOND;
    println!("fan-out: delivered {delivered}/{matching}");
    println!(
        "  {matching}th message {:.3} s after the rename (N/50 = {bound:.1} s): {:.3}× N/50",
        last.as_secs_f64(),
        last.as_secs_f64() / bound
    );
    println!(
        "  429s: {}; channels with duplicates: {}",
        standin.count_429() - before_429,
        dups(&standin, &chans, 1)
    );

    // 2. Fail-over in the middle of the next fan-out.
    let before_429 = standin.count_429();
    let t1 = leader
        .write_brief("fan2", "Grid news, part two", "energy")
        .at;
    let cut = matching / 5;
    while sent_since(&standin, t1).len() < cut {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    leader.kill();
    let killed = Instant::now();
    let at_kill = sent_since(&standin, t1).len();
    let mut led = None;
    while led.is_none() && killed.elapsed() < Duration::from_secs(60) {
        if follower.stderr().contains("role leader") {
            led = Some(killed.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let deadline = Instant::now() + Duration::from_secs(60 + 3 * matching as u64 / 40);
    let delivered = wait_all(&standin, &chans, 2, deadline).await;
    let resumed = sent_since(&standin, killed);
    println!("fail-over: leader killed after {at_kill}/{matching} sends");
    println!(
        "  kill → follower leads: {:.0} ms; kill → first resumed send: {:.0} ms; \
         kill → last send: {:.2} s",
        led.map(ms).unwrap_or(f64::NAN),
        resumed.first().copied().map(ms).unwrap_or(f64::NAN),
        resumed.last().copied().unwrap_or_default().as_secs_f64()
    );
    println!(
        "  delivered {delivered}/{matching}; 429s: {}; channels with duplicates: {}; \
         request-body problems: {}",
        standin.count_429() - before_429,
        dups(&standin, &chans, 2),
        standin.validation_problems().len()
    );
    drop((leader, follower));
    scratch.remove().await;
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    if has("--list") {
        return;
    }
    let full = has("--bench") && !has("--test");
    let (matching, subs) = if full { (1_000, 10_000) } else { (60, 300) };
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(run(matching, subs));
}
