//! The running bot at scale (issue 12): the real `briefbot run` process with 10,000 briefs
//! in its folder and 10,000 `[[subscriptions]]` in its config, against the Discord stand-in.
//!
//! Targets from the issue: resident memory ≤ 60 MB settled and at its peak; enrichment (topics
//! and summaries of all 10,000) ≤ 2 s on 2 cores with only parsing and indexing on the
//! start-up path; the first 100 interactions after start at p99 ≤ 2 ms.
//!
//! Method. The briefs come from the seeded corpus of `support/corpus.rs` (the same text as
//! `benches/core.rs`), written to the bot's folder at bench time; the subscriptions are
//! written to its database first (as `/subscribe` makes them: a config file is capped at
//! 32 KiB), for channels added to the stand-in (a quarter of them filter by a topic), with
//! every brief recorded as seen: a restart of a running bot, so nothing is posted. A sampler
//! thread reads `VmRSS` / `VmHWM` from `/proc/<pid>/status` every 20 ms from spawn to the end.
//! Time 0 is the spawn. Figures:
//! - **start**: the commands are registered (the bot answers from then on); RSS then and
//!   once the first interaction is answered;
//! - **first 100 interactions**: sent one at a time from the moment the commands are
//!   registered, so they overlap the background enrichment; latency is the stand-in's
//!   `CallbackRecord.elapsed` (INTERACTION_CREATE queued → callback arrived);
//! - **enriched**: the bot's first planning pass (its progress line `planned pass=1`), which
//!   follows topic extraction of every brief and the library swap; the bot's CPU time
//!   (`utime + stime` from `/proc/<pid>/stat`) then. Summaries are computed on demand
//!   (memoized) and warmed for every brief after that pass, at a low priority:
//!   **summarized** is its progress line `summarized briefs=N` (every summary computed);
//! - **settled**: `VmRSS` unchanged (±64 KiB) over three samples 500 ms apart after that;
//!   **peak**: `VmHWM` at the end;
//! - then 100 more interactions, for the steady state.
//!
//! Run with `cargo bench --bench process` (release binary); results are recorded in
//! docs/BENCHMARKS.md. Under `cargo test --benches` (no `--bench` flag) it runs once small:
//! 200 briefs, 100 subscriptions, 20 + 20 interactions, against the debug binary. The sizes
//! can be set with `BRIEFBOT_BENCH_BRIEFS`, `BRIEFBOT_BENCH_SUBS` and
//! `BRIEFBOT_BENCH_INTERACTIONS` (say, the full 10,000 against the debug binary:
//! `BRIEFBOT_BENCH_BRIEFS=10000 BRIEFBOT_BENCH_SUBS=10000 BRIEFBOT_BENCH_INTERACTIONS=100
//! cargo test --locked --bench process`).

#[path = "support/corpus.rs"]
mod corpus;
#[path = "../tests/support/mod.rs"]
mod support;

use briefbot::store::{Mode, Origin, Subscription};
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::bot::{BotProcess, Progress};
use support::discord::{OptionValue, StandIn, StandInConfig, MEMBER_PERMISSIONS};

/// Briefs and subscriptions of the full run.
const BRIEFS: usize = 10_000;
const SUBSCRIPTIONS: usize = 10_000;
/// Interactions measured after start and after enrichment.
const INTERACTIONS: usize = 100;
/// First channel id of the subscribed channels.
const FIRST_CHANNEL: u64 = 1_150_000_000_000_200_000;
/// How often memory is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(20);
/// Longest wait for any one state (much longer under a profiler).
fn wait() -> Duration {
    if std::env::var_os("BRIEFBOT_BENCH_WRAP").is_some() {
        Duration::from_secs(1800)
    } else {
        Duration::from_secs(180)
    }
}
/// Topic filters of every fourth subscription (topics of the corpus).
const TOPICS: [&str; 6] = [
    "energy", "transit", "vaccines", "drought", "tariffs", "rents",
];

/// `/brief query` and `/happening` queries, `/ask` questions and autocomplete prefixes that
/// the corpus answers (words of its beats, places and things).
const QUERIES: [&str; 8] = [
    "grid storage",
    "battery storage auction",
    "vaccines",
    "drought",
    "export controls",
    "rent cap",
    "interest rates",
    "satellites",
];
const QUESTIONS: [&str; 6] = [
    "Why does the battery storage auction matter?",
    "What happens next with the commuter rail link?",
    "Who approved the vaccine rules?",
    "How will farmers be affected by the irrigation rules?",
    "What is the impact of the rent cap on tenants?",
    "What did the council decide about the rent cap?",
];
const TYPED: [&str; 8] = ["", "g", "gr", "grid", "vac", "dro", "rent", "sat"];

/// One memory sample: time since spawn, `VmRSS` and `VmHWM` in KiB.
type Sample = (Duration, u64, u64);

/// `VmRSS` and `VmHWM` of `pid`, in KiB (`None` once the process is gone).
fn rss_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// CPU time (user + system) of `pid` so far.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may contain spaces) start at state (field 3).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse().ok())
        .collect();
    // USER_HZ is 100 on Linux.
    Duration::from_millis(fields.iter().sum::<u64>() * 10)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Nearest-rank percentile of sorted durations.
fn pct(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summary(mut v: Vec<Duration>) -> (String, Duration) {
    v.sort();
    let p99 = pct(&v, 99.0);
    (
        format!(
            "n {}  p50 {}  p90 {}  p99 {}  max {}",
            v.len(),
            ms(pct(&v, 50.0)),
            ms(pct(&v, 90.0)),
            ms(p99),
            ms(v[v.len() - 1])
        ),
        p99,
    )
}

/// Samples the bot's memory until `stop`.
fn sampler(pid: u32, t0: Instant, stop: Arc<AtomicBool>, out: Arc<Mutex<Vec<Sample>>>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match rss_kib(pid) {
                Some((rss, hwm)) => out.lock().unwrap().push((t0.elapsed(), rss, hwm)),
                None => return,
            }
            std::thread::sleep(SAMPLE_EVERY);
        }
    });
}

/// Subscribes `n` channels in the bot's database before it starts, as `/subscribe` would
/// (a config file is capped at 32 KiB, so 10,000 subscriptions live in the database), and
/// records the briefs as already seen: a restart of a running bot, which posts nothing.
async fn subscribe(bot: &BotProcess, guild: u64, n: usize, seen: &[String]) {
    let store = bot.store().await;
    let now = chrono::Utc::now().timestamp_millis() - 60_000;
    for i in 0..n {
        let topics: Vec<String> = if i % 4 == 3 {
            vec![TOPICS[i / 4 % TOPICS.len()].to_owned()]
        } else {
            Vec::new()
        };
        let sub = Subscription::new(
            FIRST_CHANNEL + i as u64,
            Some(guild),
            &topics,
            Mode::Instant,
            Origin::Command,
            now,
        );
        store.upsert_subscription(&sub).await.expect("subscribe");
    }
    store.record_seen(seen, now).await.expect("record seen");
    store.close().await;
}

/// Writes the corpus's first `n` briefs into the bot's folder; returns the bytes written and
/// the briefs' ids.
fn write_corpus(bot: &BotProcess, n: usize) -> (usize, Vec<String>) {
    let mut bytes = 0;
    let mut ids = Vec::with_capacity(n);
    for (name, data) in corpus::generate_files(n) {
        let path = bot.dir().join(name);
        ids.push(
            path.file_stem()
                .and_then(|s| s.to_str())
                .expect("an id")
                .to_owned(),
        );
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("brief folder");
        bytes += data.len();
        std::fs::write(path, data).expect("write brief");
    }
    (bytes, ids)
}

/// The binary under test: `BRIEFBOT_BENCH_BIN` (to compare builds, e.g. a copy of an older
/// `target/release/briefbot`), else the one cargo built with this bench.
fn bin() -> String {
    std::env::var("BRIEFBOT_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_briefbot").to_owned())
}

/// Starts `briefbot run` as [`BotProcess::spawn`] does (same config, environment and
/// `stderr.log`, so its progress lines are read the same way), prefixed by the command in
/// `BRIEFBOT_BENCH_WRAP` if set: e.g. `valgrind --tool=massif --massif-out-file=massif.out`
/// for a heap profile (the timings and RSS figures are then the profiler's, not the bot's).
fn spawn(bot: &BotProcess, standin: &StandIn) -> Child {
    let log = std::fs::File::create(bot.dir().join("stderr.log")).expect("stderr log");
    let wrap = std::env::var("BRIEFBOT_BENCH_WRAP").unwrap_or_default();
    let mut argv: Vec<String> = wrap.split_whitespace().map(str::to_owned).collect();
    argv.push(bin());
    let config = bot.dir().join("briefbot.toml");
    Command::new(&argv[0])
        .args(&argv[1..])
        .args(["run", "--config"])
        .arg(config)
        .current_dir(bot.dir())
        .env("DISCORD_TOKEN", standin.token())
        .env("RUST_LOG", "warn,briefbot::progress=debug")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start briefbot")
}

/// Builds interaction `i` of the mix.
fn payload(standin: &StandIn, i: usize) -> Value {
    let (ch, g) = (standin.channel_id(), standin.guild_id());
    let s = |v: &str| OptionValue::String(v.to_owned());
    let slash = |name: &str, options: Vec<(&str, OptionValue)>| {
        standin.slash_command(name, options, ch, g, MEMBER_PERMISSIONS)
    };
    let q = QUERIES[(i * 7 + 3) % QUERIES.len()];
    match i % 8 {
        0 => slash("brief", vec![]),
        1 | 5 => slash("brief", vec![("query", s(q))]),
        2 => slash("happening", vec![("query", s(q))]),
        3 | 7 => slash("ask", vec![("question", s(QUESTIONS[i % QUESTIONS.len()]))]),
        4 => slash("briefs", vec![]),
        _ => standin.autocomplete(
            "brief",
            vec![("query", s(TYPED[i / 8 % TYPED.len()]))],
            "query",
        ),
    }
}

/// The `k` slowest of `latencies` with their place in the run and what they were (see
/// [`payload`]), slowest first.
fn slowest(latencies: &[Duration], sent: &[Duration], k: usize) -> String {
    let mut order: Vec<usize> = (0..latencies.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(latencies[i]));
    let kind = |i: usize| match i % 8 {
        0 => "/brief",
        1 | 5 => "/brief query",
        2 => "/happening query",
        3 | 7 => "/ask",
        4 => "/briefs",
        _ => "autocomplete",
    };
    order
        .iter()
        .take(k)
        .map(|&i| {
            format!(
                "#{i} {} {:.2} ms (sent {:.3} s after spawn)",
                kind(i),
                latencies[i].as_secs_f64() * 1e3,
                sent[i].as_secs_f64()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// When the bot logged the end of each background phase (planning pass 1, which follows the
/// keyphrases, and the summaries), in seconds after spawn, from its log lines' timestamps:
/// to set beside the send times of the slowest interactions.
fn phases(log: &str, wall0: chrono::DateTime<chrono::Utc>) -> String {
    let marks = [
        ("planned pass=1 ", "planned"),
        (" summarized briefs=", "summarized"),
    ];
    let mut out = Vec::new();
    for line in log.lines() {
        let Some((&(_, name), stamp)) = marks
            .iter()
            .find(|(needle, _)| line.contains(needle))
            .zip(line.split_whitespace().next())
        else {
            continue;
        };
        if let Ok(at) = chrono::DateTime::parse_from_rfc3339(stamp) {
            let secs = (at.with_timezone(&chrono::Utc) - wall0)
                .num_microseconds()
                .unwrap_or(0);
            out.push(format!("{name} {:.3} s", secs as f64 / 1e6));
        }
    }
    out.join(", ")
}

/// Sends `n` interactions one at a time; returns each latency (stand-in `elapsed`) and when
/// it was sent (time since `t0`).
async fn interactions(standin: &StandIn, n: usize, t0: Instant) -> (Vec<Duration>, Vec<Duration>) {
    let mut out = Vec::with_capacity(n);
    let mut sent = Vec::with_capacity(n);
    for i in 0..n {
        sent.push(t0.elapsed());
        let id = standin.dispatch_interaction(payload(standin, i)).await;
        let cb = standin
            .wait_callback(id, wait())
            .await
            .unwrap_or_else(|| panic!("interaction {i}: no callback"));
        assert_eq!(cb.status, 204, "interaction {i}: callback accepted");
        assert_eq!(
            cb.data["flags"].as_u64().unwrap_or(0) & 64,
            0,
            "interaction {i}: an answer, not an ephemeral error: {}",
            cb.data
        );
        out.push(cb.elapsed);
    }
    (out, sent)
}

/// Polls `check` every 10 ms until it holds (at most [`wait`]).
async fn until(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + wait();
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn run(briefs: usize, subs: usize, n: usize) {
    let standin = StandIn::start(StandInConfig {
        lifetime: wait() * 3,
        ..StandInConfig::default()
    })
    .await;
    for i in 0..subs as u64 {
        standin.add_channel(standin.guild_id(), FIRST_CHANNEL + i, &format!("sub-{i}"));
    }
    let bot = BotProcess::new(&standin, true, "");
    let (bytes, ids) = write_corpus(&bot, briefs);
    subscribe(&bot, standin.guild_id(), subs, &ids).await;
    println!(
        "bot: {}\ncorpus: {briefs} briefs, {:.1} MiB ({:.0} B a brief); {subs} subscriptions \
         (in the database)",
        bin(),
        bytes as f64 / (1024.0 * 1024.0),
        bytes as f64 / briefs.max(1) as f64,
    );

    let samples: Arc<Mutex<Vec<Sample>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let t0 = Instant::now();
    let wall0 = chrono::Utc::now();
    let mut child = spawn(&bot, &standin);
    let pid = child.id();
    sampler(pid, t0, stop.clone(), samples.clone());

    if let Err(e) = standin.wait_ready(wait()).await {
        let log = bot.stderr();
        let tail: Vec<&str> = log.lines().rev().take(10).collect();
        panic!(
            "the bot did not connect: {e}; exit {:?}; stderr tail: {tail:#?}",
            child.try_wait()
        );
    }
    until("command registration", || {
        !standin.guild_commands(standin.guild_id()).is_empty()
    })
    .await;
    let registered = t0.elapsed();
    let rss_registered = rss_kib(pid).expect("bot running");

    let t_first = Instant::now();
    let (first, first_sent) = interactions(&standin, n, t0).await;
    let first_window = t_first.elapsed();
    let rss_answered = samples
        .lock()
        .unwrap()
        .iter()
        .find(|s| s.0 >= registered + first[0])
        .map_or(rss_registered, |s| (s.1, s.2));

    until("the first planning pass (enriched)", || {
        bot.progress()
            .iter()
            .any(|p| matches!(p, Progress::Planned { .. }))
    })
    .await;
    let enriched = t0.elapsed();
    let cpu_enriched = cpu_time(pid);
    let rss_enriched = rss_kib(pid).expect("bot running");
    // An older build (`BRIEFBOT_BENCH_BIN`) warmed summaries before planning and does not
    // log the line: its "enriched" includes them.
    let deadline = Instant::now() + wait().min(Duration::from_secs(120));
    let mut summarized = None;
    while Instant::now() < deadline {
        if bot.stderr().contains(" summarized briefs=") {
            summarized = Some((t0.elapsed(), cpu_time(pid)));
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // Settled: VmRSS unchanged (±64 KiB) over three samples 500 ms apart (at most 30 s).
    let mut last = rss_enriched;
    let mut same = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    while same < 3 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = rss_kib(pid).expect("bot running");
        same = if now.0.abs_diff(last.0) <= 64 {
            same + 1
        } else {
            0
        };
        last = now;
    }
    let settled = last;
    let (steady, _) = interactions(&standin, n, t0).await;
    let end = rss_kib(pid).expect("bot running");
    stop.store(true, Ordering::Relaxed);
    let samples = samples.lock().unwrap().clone();
    let max_rss = samples.iter().map(|s| s.1).max().unwrap_or(0);
    let warnings: Vec<String> = bot
        .stderr()
        .lines()
        .filter(|l| !l.contains("briefbot::progress"))
        .map(str::to_owned)
        .collect();
    let _ = child.kill();
    let _ = child.wait();

    println!(
        "start: commands registered {:.0} ms after spawn; VmRSS {} (VmHWM {}); after the \
         first answer VmRSS {} (VmHWM {})",
        registered.as_secs_f64() * 1e3,
        mib(rss_registered.0),
        mib(rss_registered.1),
        mib(rss_answered.0),
        mib(rss_answered.1)
    );
    let slowest = slowest(&first, &first_sent, 3);
    let (first_line, first_p99) = summary(first);
    println!(
        "first {n} interactions after start (over {:.0} ms, overlapping enrichment): {first_line}",
        first_window.as_secs_f64() * 1e3
    );
    println!("  slowest of them: {slowest}");
    println!("  the bot's phases: {}", phases(&bot.stderr(), wall0));
    println!(
        "enriched (first planning pass): {:.2} s after spawn, {:.2} s after the commands were \
         registered; bot CPU time then {:.2} s; VmRSS {} (VmHWM {})",
        enriched.as_secs_f64(),
        (enriched - registered).as_secs_f64(),
        cpu_enriched.as_secs_f64(),
        mib(rss_enriched.0),
        mib(rss_enriched.1)
    );
    match summarized {
        Some((at, cpu)) => println!(
            "summarized (every summary warmed): {:.2} s after spawn, {:.2} s after the \
             commands were registered; bot CPU time then {:.2} s",
            at.as_secs_f64(),
            (at - registered).as_secs_f64(),
            cpu.as_secs_f64(),
        ),
        None => println!("summarized: no `summarized` line (an older build: within enriched)"),
    }
    println!(
        "settled: VmRSS {} · peak VmHWM {} (highest sampled VmRSS {}) · after {n} more \
         interactions VmRSS {} (VmHWM {})",
        mib(settled.0),
        mib(settled.1.max(end.1)),
        mib(max_rss),
        mib(end.0),
        mib(end.1)
    );
    let (steady_line, _) = summary(steady);
    println!("{n} interactions after enrichment: {steady_line}");
    // A coarse memory profile: VmRSS every 500 ms.
    let mut profile = Vec::new();
    let mut next = Duration::ZERO;
    for s in &samples {
        if s.0 >= next {
            profile.push(format!(
                "{:.1}s {:.0}",
                s.0.as_secs_f64(),
                s.1 as f64 / 1024.0
            ));
            next = s.0 + Duration::from_millis(500);
        }
    }
    println!("VmRSS (MiB) over time: {}", profile.join(", "));
    println!("bot stderr lines (RUST_LOG=warn): {}", warnings.len());
    for w in warnings.iter().take(5) {
        println!("  {w}");
    }
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    let peak = settled.1.max(end.1);
    println!(
        "targets: settled ≤ 60 MB {} · peak ≤ 60 MB {} · enriched ≤ 2 s after start {} \
         (summarized ≤ 2 s {}) · first {n} p99 ≤ 2 ms {}",
        verdict(settled.0 * 1024 <= 60_000_000),
        verdict(peak * 1024 <= 60_000_000),
        verdict(enriched - registered <= Duration::from_secs(2)),
        verdict(
            summarized.unwrap_or((enriched, cpu_enriched)).0 - registered <= Duration::from_secs(2)
        ),
        verdict(first_p99 <= Duration::from_millis(2))
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    if has("--list") {
        return;
    }
    // Like criterion: without `--bench` (cargo test --benches) run once, small.
    let full = has("--bench") && !has("--test");
    let (briefs, subs, n) = if full {
        (BRIEFS, SUBSCRIPTIONS, INTERACTIONS)
    } else {
        (200, 100, 20)
    };
    // Sizes may be set apart (e.g. the full 10,000 against the debug binary, or under a
    // profiler): `BRIEFBOT_BENCH_BRIEFS`, `BRIEFBOT_BENCH_SUBS`, `BRIEFBOT_BENCH_INTERACTIONS`.
    let knob = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let briefs = knob("BRIEFBOT_BENCH_BRIEFS", briefs);
    let subs = knob("BRIEFBOT_BENCH_SUBS", subs);
    let n = knob("BRIEFBOT_BENCH_INTERACTIONS", n).max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(briefs, subs, n));
}
