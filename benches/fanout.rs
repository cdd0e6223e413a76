//! Fan-out benchmarks (issue: subscriptions and delivery).
//!
//! Targets from the issue:
//! - one brief to 1,000 subscribed channels through the real `briefbot run` binary against the
//!   Discord stand-in (50 requests/s global, 5 messages per 5 s per channel, enforced): wall
//!   time from the brief file's rename to the 1,000th message ≤ 1.1 × N/50 s (= 22 s), and
//!   no 429 at all;
//! - resident memory of the bot with 10,000 subscriptions (against the same bot with none).
//!
//! The fan-out runs once per `delivery.max_per_second` in `BRIEFBOT_FANOUT_RATES` (default
//! `45,48`: the default rate and a tighter one). Times come from the stand-in's request log
//! (`RecordedRequest::at`, arrival of each accepted `POST /channels/{id}/messages`), relative
//! to the instant right after the rename. Memory is `VmRSS` / `VmHWM` of the bot process from
//! `/proc/<pid>/status`, once start-up has settled (commands registered, RSS unchanged over
//! three 500 ms samples).
//!
//! Run with `cargo bench --bench fanout`; results are recorded in docs/BENCHMARKS.md. Under
//! `cargo test --benches` (no `--bench` flag) it runs once small: 60 channels, 100
//! subscriptions.

#[path = "../tests/support/mod.rs"]
mod support;

use briefbot::store::{Mode, Origin, Subscription};
use std::time::{Duration, Instant};
use support::bot::BotProcess;
use support::discord::{StandIn, StandInConfig};

/// Channels in the fan-out.
const FANOUT: usize = 1_000;
/// Subscriptions in the memory measurement.
const MEMORY_SUBS: usize = 10_000;
/// Discord's global limit, for the bound N/50 s.
const GLOBAL_PER_SECOND: f64 = 50.0;
/// First channel id of the generated channels.
const FIRST_CHANNEL: u64 = 1_150_000_000_000_100_000;
/// The messages route template in the stand-in's log.
const MESSAGES_ROUTE: &str = "/channels/{channel_id}/messages";

fn channels(n: usize) -> Vec<u64> {
    (0..n as u64).map(|i| FIRST_CHANNEL + i).collect()
}

/// Subscribes `channels` in the bot's database before it starts, as `/subscribe` would: a
/// config file is capped at 32 KiB (`config::MAX_CONFIG_BYTES`), ~550 `[[subscriptions]]`
/// tables, so the full runs could not start with them in the config.
async fn subscribe(bot: &BotProcess, guild: u64, channels: &[u64]) {
    let store = bot.store().await;
    let before = chrono::Utc::now().timestamp_millis() - 60_000;
    for &c in channels {
        let sub = Subscription::new(c, Some(guild), &[], Mode::Instant, Origin::Command, before);
        store.upsert_subscription(&sub).await.expect("subscribe");
    }
    store.close().await;
}

/// Stand-in with Discord's limits (the defaults) and `channels` added to its guild.
async fn standin_with(channels: &[u64]) -> StandIn {
    let standin = StandIn::start(StandInConfig {
        lifetime: Duration::from_secs(900),
        ..StandInConfig::default()
    })
    .await;
    for (i, c) in channels.iter().enumerate() {
        standin.add_channel(standin.guild_id(), *c, &format!("sub-{i}"));
    }
    standin
}

/// Waits for the gateway session and the command registration (then the folder watcher
/// runs); returns the time since `spawned`.
async fn wait_started(standin: &StandIn, spawned: Instant) -> Duration {
    let timeout = Duration::from_secs(120);
    standin.wait_ready(timeout).await.expect("bot connects");
    let deadline = Instant::now() + timeout;
    while standin.guild_commands(standin.guild_id()).is_empty() {
        assert!(Instant::now() < deadline, "commands were never registered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = spawned.elapsed();
    tokio::time::sleep(Duration::from_millis(300)).await;
    took
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// Most items of `times` (sorted) in any half-open window of `len`.
fn max_in_window(times: &[Duration], len: Duration) -> usize {
    let mut best = 0;
    let mut lo = 0;
    for hi in 0..times.len() {
        while times[hi] - times[lo] >= len {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

/// One fan-out of one brief to `n` channels at `max_per_second`; prints the figures.
async fn fanout(n: usize, max_per_second: u32) {
    let chans = channels(n);
    let standin = standin_with(&chans).await;
    let extra = format!("[delivery]\nmax_per_second = {max_per_second}\n");
    let mut bot = BotProcess::new(&standin, true, &extra);
    subscribe(&bot, standin.guild_id(), &chans).await;
    let spawned = Instant::now();
    bot.spawn(&standin);
    let startup = wait_started(&standin, spawned).await;
    let before_429 = standin.count_429();

    let t0 = bot.write_brief("fan1", "Grid news", "energy").at;
    let deadline = t0 + Duration::from_secs(30 + 3 * n as u64 / 40);
    // Only look at the channels still waiting, so polling holds the stand-in's lock briefly.
    let mut waiting = chans.clone();
    loop {
        waiting.retain(|c| standin.messages(*c).is_empty());
        if waiting.is_empty() || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let delivered = n - waiting.len();
    let polled = t0.elapsed();
    // Let stragglers (duplicates, retries) show up before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let requests = standin.requests();
    let posts: Vec<_> = requests
        .iter()
        .filter(|r| r.method == "POST" && r.route == MESSAGES_ROUTE && r.at >= t0)
        .collect();
    let mut ok: Vec<Duration> = posts
        .iter()
        .filter(|r| r.status < 300)
        .map(|r| r.at - t0)
        .collect();
    ok.sort();
    let failed = posts.iter().filter(|r| r.status >= 300).count();
    let other_after: usize = requests
        .iter()
        .filter(|r| r.at >= t0 && r.route != MESSAGES_ROUTE)
        .count();
    let total_messages: usize = chans.iter().map(|c| standin.messages(*c).len()).sum();
    let dups = chans
        .iter()
        .filter(|c| standin.messages(**c).len() > 1)
        .count();
    let n429 = standin.count_429() - before_429;
    let problems = standin.validation_problems();
    let warnings = bot.stderr().lines().map(str::to_string).collect::<Vec<_>>();

    let bound = Duration::from_secs_f64(n as f64 / GLOBAL_PER_SECOND);
    let first = ok.first().copied().unwrap_or_default();
    let last = ok.get(n.saturating_sub(1)).copied().unwrap_or(polled);
    let mut gaps: Vec<Duration> = ok.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort();
    let span = last.saturating_sub(first);
    let rate = if n > 1 {
        (n - 1) as f64 / span.as_secs_f64()
    } else {
        0.0
    };

    println!("fanout n={n} max_per_second={max_per_second}");
    println!(
        "  bot start-up (spawn → commands registered): {:.0} ms",
        ms(startup)
    );
    println!(
        "  delivered {delivered}/{n} channels; {total_messages} messages, \
         {dups} channels with duplicates"
    );
    println!(
        "  first message: {:.0} ms after the rename; {n}th: {:.3} s (bound {:.1} s): \
         {:.3}× the bound",
        ms(first),
        last.as_secs_f64(),
        bound.as_secs_f64(),
        last.as_secs_f64() / bound.as_secs_f64()
    );
    println!(
        "  first → last: {:.3} s, {rate:.2} messages/s; ideal at this cap: {:.3} s",
        span.as_secs_f64(),
        (n - 1) as f64 * (1.0 / f64::from(max_per_second))
    );
    println!(
        "  gaps between sends: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; \
         most sends in any 1 s: {}",
        ms(percentile(&gaps, 0.5)),
        ms(percentile(&gaps, 0.99)),
        ms(gaps.last().copied().unwrap_or_default()),
        max_in_window(&ok, Duration::from_secs(1))
    );
    println!(
        "  429s: {n429} (message POSTs not accepted: {failed}); other requests during \
         the fan-out: {other_after}"
    );
    println!(
        "  request-body problems: {}; bot stderr lines (RUST_LOG=warn): {}",
        problems.len(),
        warnings.len()
    );
    for w in warnings.iter().take(5) {
        println!("    {w}");
    }
    for p in problems.iter().take(5) {
        println!("    {p}");
    }
}

/// `VmRSS` and `VmHWM` of `pid`, in KiB.
fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Waits until `VmRSS` is the same (±64 KiB) over three samples 500 ms apart (at most 30 s).
async fn settled_rss(pid: u32) -> (u64, u64) {
    let mut last = rss_kib(pid);
    let mut same = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    while same < 3 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = rss_kib(pid);
        if now.0.abs_diff(last.0) <= 64 {
            same += 1;
        } else {
            same = 0;
        }
        last = now;
    }
    last
}

/// The bot idle with `n` subscriptions in its database (channels known to the stand-in):
/// start-up time, database size and settled memory. Returns settled `VmRSS` in KiB.
async fn memory(n: usize) -> u64 {
    let chans = channels(n);
    let standin = standin_with(&chans).await;
    let mut bot = BotProcess::new(&standin, true, "");
    subscribe(&bot, standin.guild_id(), &chans).await;
    let config_bytes = std::fs::metadata(bot.dir().join("briefbot.toml")).map_or(0, |m| m.len());
    let spawned = Instant::now();
    bot.spawn(&standin);
    let startup = wait_started(&standin, spawned).await;
    let (rss, hwm) = settled_rss(bot.pid()).await;
    let db: u64 = std::fs::read_dir(bot.dir())
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with("bot.db"))
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    println!(
        "memory subscriptions={n}: start-up {:.0} ms; VmRSS {:.1} MiB, VmHWM {:.1} MiB; \
         config {:.0} KiB, database files {:.0} KiB; bot stderr lines: {}",
        ms(startup),
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0,
        config_bytes as f64 / 1024.0,
        db as f64 / 1024.0,
        bot.stderr()
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
            .len()
    );
    rss
}

fn rates() -> Vec<u32> {
    std::env::var("BRIEFBOT_FANOUT_RATES")
        .ok()
        .map(|s| s.split(',').filter_map(|r| r.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![45, 48])
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    // Like criterion: without `--bench` (cargo test --benches) run once, small.
    let full = has("--bench") && !has("--test") && !has("--list");
    if has("--list") {
        return;
    }
    let (n, subs) = if full {
        (FANOUT, MEMORY_SUBS)
    } else {
        (60, 100)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        for rate in rates() {
            fanout(n, rate).await;
        }
        let none = memory(0).await;
        let many = memory(subs).await;
        println!(
            "memory: {subs} subscriptions add {:.1} MiB over the bot with none \
             ({:.0} B a subscription)",
            (many as f64 - none as f64) / 1024.0,
            (many as f64 - none as f64) * 1024.0 / subs as f64
        );
    });
}
