//! Discord adapter benchmark: interaction latency (issue: "INTERACTION_CREATE sent → callback
//! received over 1,000 interactions against the stand-in: p50/p99, target p99 < 5 ms").
//!
//! The real `briefbot run` binary (release build, serenity's real client, proxy mode through
//! `discord.api_proxy`, guild registration) runs against the Discord stand-in from
//! `tests/support` with rate limits on (interaction callbacks are exempt, as on Discord). After
//! a warm-up, 1,000 interactions are sent one at a time in a seeded mix of `/brief` (newest and
//! with a query), `/happening`, `/ask`, `/briefs`, autocomplete and view-button clicks; then
//! 1,000 more from 8 concurrent senders. The latency of each is `CallbackRecord.elapsed`,
//! measured by the stand-in from queuing the INTERACTION_CREATE frame on the gateway socket to
//! the arrival of `POST /interactions/{id}/{token}/callback`.
//!
//! Run with `cargo bench --bench interactions`; results are recorded in docs/BENCHMARKS.md.
//! Under `cargo test --benches` (no `--bench` flag) it sends 50 + 48 interactions as a smoke
//! test, against the debug binary.

#[path = "../tests/support/mod.rs"]
mod support;

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::bot::BotProcess;
use support::discord::{OptionValue, StandIn, StandInConfig, MEMBER_PERMISSIONS};

/// Measured interactions per phase.
const INTERACTIONS: usize = 1_000;
/// Interactions per phase in test mode.
const INTERACTIONS_TEST: usize = 48;
/// Warm-up interactions (not measured).
const WARMUP: usize = 20;
/// Senders in the concurrent phase.
const SENDERS: usize = 8;
/// Seed of the interaction mix.
const SEED: u64 = 0x1a7e_0c11_5eed_2024;
/// Wait for one callback before giving up.
const WAIT: Duration = Duration::from_secs(10);
/// The whole run, stand-in included, stops after this.
const LIFETIME: Duration = Duration::from_secs(240);

// ---------------------------------------------------------------------------------------------
// The interaction mix
// ---------------------------------------------------------------------------------------------

/// One kind of interaction in the mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// `/brief` without options: the newest brief, summarized.
    BriefNewest,
    /// `/brief query:… [section:…|detail:…]`: a search, then a summary or the full view.
    BriefQuery,
    /// `/happening query:…`.
    Happening,
    /// `/ask question:…`: a search over all briefs.
    Ask,
    /// `/briefs`: the list.
    Briefs,
    /// Autocomplete of `/brief query` (sent on every keystroke, so the most frequent).
    Autocomplete,
    /// A click on a view button of an earlier answer (UPDATE_MESSAGE).
    Button,
}

impl Kind {
    /// The mix: (kind, weight in percent).
    const MIX: [(Kind, u64); 7] = [
        (Kind::BriefNewest, 15),
        (Kind::BriefQuery, 20),
        (Kind::Happening, 10),
        (Kind::Ask, 15),
        (Kind::Briefs, 5),
        (Kind::Autocomplete, 25),
        (Kind::Button, 10),
    ];

    fn label(self) -> &'static str {
        match self {
            Kind::BriefNewest => "/brief",
            Kind::BriefQuery => "/brief query",
            Kind::Happening => "/happening",
            Kind::Ask => "/ask",
            Kind::Briefs => "/briefs",
            Kind::Autocomplete => "autocomplete",
            Kind::Button => "button",
        }
    }

    /// The callback type the bot must answer with.
    fn callback_type(self) -> u64 {
        match self {
            Kind::Autocomplete => 8,
            Kind::Button => 7,
            _ => 4,
        }
    }
}

const QUERIES: [&str; 8] = [
    "grid",
    "metro",
    "vaccine",
    "chip",
    "drought",
    "salary cap",
    "booster",
    "grid-storage-auction",
];
const HAPPENING: [&str; 6] = ["metro", "vaccine", "chip", "drought", "league", "storage"];
const QUESTIONS: [&str; 6] = [
    "why do the chip export rules matter?",
    "what happens next with the metro line?",
    "who gets the flu vaccine?",
    "how deep are the irrigation cuts?",
    "what is the storage auction about?",
    "why does the salary cap matter for owners?",
];
const TYPED: [&str; 10] = ["", "c", "ch", "chi", "chip", "g", "gr", "me", "dro", "vacc"];

/// xorshift64* (no `rand`): the same mix on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn kind(&mut self) -> Kind {
        let mut r = self.next() % 100;
        for (k, w) in Kind::MIX {
            if r < w {
                return k;
            }
            r -= w;
        }
        unreachable!("weights add up to 100")
    }
}

/// View buttons of earlier answers: (custom_id, the message carrying it).
type Buttons = Vec<(String, Value)>;

fn string(s: &str) -> OptionValue {
    OptionValue::String(s.to_owned())
}

/// Builds the INTERACTION_CREATE payload of one interaction of `kind`.
fn payload(standin: &StandIn, kind: Kind, rng: &mut Rng, buttons: &Buttons) -> Value {
    let (ch, g) = (standin.channel_id(), standin.guild_id());
    let slash = |name: &str, options: Vec<(&str, OptionValue)>| {
        standin.slash_command(name, options, ch, g, MEMBER_PERMISSIONS)
    };
    match kind {
        Kind::BriefNewest => slash("brief", vec![]),
        Kind::BriefQuery => {
            let q = string(QUERIES[rng.below(QUERIES.len())]);
            match rng.below(4) {
                0 => slash("brief", vec![("query", q), ("detail", string("full"))]),
                1 => slash(
                    "brief",
                    vec![("query", q), ("section", string("importance"))],
                ),
                _ => slash("brief", vec![("query", q)]),
            }
        }
        Kind::Happening => slash(
            "happening",
            vec![("query", string(HAPPENING[rng.below(HAPPENING.len())]))],
        ),
        Kind::Ask => slash(
            "ask",
            vec![("question", string(QUESTIONS[rng.below(QUESTIONS.len())]))],
        ),
        Kind::Briefs => slash("briefs", vec![]),
        Kind::Autocomplete => standin.autocomplete(
            "brief",
            vec![("query", string(TYPED[rng.below(TYPED.len())]))],
            "query",
        ),
        Kind::Button => {
            let (id, message) = &buttons[rng.below(buttons.len())];
            standin.button(id, ch, message)
        }
    }
}

/// One measured interaction.
#[derive(Clone, Copy, Debug)]
struct Sample {
    kind: Kind,
    /// Stand-in: INTERACTION_CREATE queued on the socket → callback request arrived.
    elapsed: Duration,
    /// Driver: before dispatch → `wait_callback` returned (adds payload checks and wake-ups).
    round_trip: Duration,
    /// Interaction id.
    id: u64,
    /// Driver: just before `dispatch_interaction` (before the stand-in's payload checks).
    sent: Instant,
}

/// Sends one interaction and waits for its callback; panics unless it is accepted (204) and of
/// the expected type, and the answer is public (no ephemeral error).
async fn one(standin: &StandIn, kind: Kind, rng: &mut Rng, buttons: &Buttons) -> Sample {
    let p = payload(standin, kind, rng, buttons);
    let start = Instant::now();
    let id = standin.dispatch_interaction(p).await;
    let cb = standin
        .wait_callback(id, WAIT)
        .await
        .unwrap_or_else(|| panic!("{}: no callback within {WAIT:?}", kind.label()));
    let round_trip = start.elapsed();
    assert_eq!(cb.status, 204, "{}: callback accepted", kind.label());
    assert_eq!(
        cb.kind,
        kind.callback_type(),
        "{}: callback type",
        kind.label()
    );
    assert_eq!(
        cb.data["flags"].as_u64().unwrap_or(0) & 64,
        0,
        "{}: an answer, not an ephemeral error: {}",
        kind.label(),
        cb.data
    );
    Sample {
        kind,
        elapsed: cb.elapsed,
        round_trip,
        id,
        sent: start,
    }
}

// ---------------------------------------------------------------------------------------------
// The bot process
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

/// Nearest-rank percentile of sorted durations.
fn pct(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn summary(mut v: Vec<Duration>) -> String {
    v.sort();
    let mean = v.iter().sum::<Duration>() / v.len() as u32;
    format!(
        "n {:>4}  min {}  p50 {}  p90 {}  p99 {}  max {}  mean {}",
        v.len(),
        ms(v[0]),
        ms(pct(&v, 50.0)),
        ms(pct(&v, 90.0)),
        ms(pct(&v, 99.0)),
        ms(v[v.len() - 1]),
        ms(mean)
    )
}

/// Arrival of each interaction's callback request, by interaction id.
fn callback_arrivals(standin: &StandIn) -> HashMap<u64, Instant> {
    standin
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/callback"))
        .filter_map(|r| {
            let rest = r.path.split("/interactions/").nth(1)?;
            Some((rest.split('/').next()?.parse().ok()?, r.at))
        })
        .collect()
}

/// Prints the figures of one phase; returns its p99 (stand-in `elapsed`).
fn report(title: &str, samples: &[Sample], wall: Duration, standin: &StandIn) -> Duration {
    println!("\n== {title}: {} interactions in {wall:.2?}", samples.len());
    let elapsed: Vec<Duration> = samples.iter().map(|s| s.elapsed).collect();
    println!("  elapsed (stand-in)  {}", summary(elapsed.clone()));
    let arrivals = callback_arrivals(standin);
    let upper: Vec<Duration> = samples
        .iter()
        .map(|s| arrivals[&s.id].saturating_duration_since(s.sent))
        .collect();
    println!("  upper bound         {}", summary(upper));
    println!(
        "  round trip (driver) {}",
        summary(samples.iter().map(|s| s.round_trip).collect())
    );
    let zero = elapsed.iter().filter(|d| d.is_zero()).count();
    println!("  elapsed = 0 (callback arrived before the dispatch was timestamped): {zero}");
    let mut by_kind: BTreeMap<Kind, Vec<Duration>> = BTreeMap::new();
    for s in samples {
        by_kind.entry(s.kind).or_default().push(s.elapsed);
    }
    for (k, v) in by_kind {
        println!("  {:<14} {}", k.label(), summary(v));
    }
    let over: usize = elapsed
        .iter()
        .filter(|d| **d >= Duration::from_millis(5))
        .count();
    println!("  ≥ 5 ms: {over}");
    let mut sorted = elapsed;
    sorted.sort();
    pct(&sorted, 99.0)
}

// ---------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let n = if bench {
        INTERACTIONS
    } else {
        INTERACTIONS_TEST
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        tokio::time::timeout(LIFETIME - Duration::from_secs(10), run(n))
            .await
            .expect("the benchmark overran its time budget");
    });
}

async fn run(n: usize) {
    let standin = Arc::new(
        StandIn::start(StandInConfig {
            rate_limits: true,
            lifetime: LIFETIME,
            ..StandInConfig::default()
        })
        .await,
    );
    // `BRIEFBOT_BENCH_BACKEND=postgres`: two processes on a scratch PostgreSQL schema; the
    // interactions reach the newest gateway session, the follower's.
    let postgres = std::env::var("BRIEFBOT_BENCH_BACKEND").is_ok_and(|b| b == "postgres");
    let scratch = if postgres {
        Some(briefbot::store::scratch::Scratch::new().await)
    } else {
        None
    };
    let (bot, follower) = match &scratch {
        None => (BotProcess::start(&standin, false, ""), None),
        Some(scratch) => {
            let storage = format!("url = \"{}\"", scratch.url);
            let mut leader = BotProcess::new_with_storage(&standin, false, Some(&storage), "");
            leader.spawn(&standin);
            leader.started().await;
            let mut follower = leader.twin();
            follower.spawn(&standin);
            follower.logged("role follower").await;
            while standin.identify_count() < 2 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (leader, Some(follower))
        }
    };
    println!(
        "bot: {} on {}",
        env!("CARGO_BIN_EXE_briefbot"),
        if postgres {
            "PostgreSQL, two processes (interactions to the follower)"
        } else {
            "SQLite, one process"
        }
    );
    let started = Instant::now();
    standin.wait_ready(WAIT).await.expect("the bot connects");
    while standin.guild_commands(standin.guild_id()).is_empty() {
        assert!(started.elapsed() < WAIT, "commands were never registered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!("ready and registered in {:.2?}", started.elapsed());

    // Warm-up: one of each command kind, collecting view buttons of a few answers.
    let mut rng = Rng(SEED);
    let mut buttons: Buttons = Vec::new();
    for q in ["chip", "metro", "drought", "grid"] {
        let p = standin.slash_command(
            "brief",
            vec![("query", string(q))],
            standin.channel_id(),
            standin.guild_id(),
            MEMBER_PERMISSIONS,
        );
        let id = standin.dispatch_interaction(p).await;
        standin.wait_callback(id, WAIT).await.expect("a callback");
        let message = standin.original_response(id).expect("the answer message");
        for b in message["components"][0]["components"]
            .as_array()
            .expect("view buttons")
        {
            buttons.push((b["custom_id"].as_str().unwrap().to_owned(), message.clone()));
        }
    }
    for i in 0..WARMUP {
        let kind = Kind::MIX[i % Kind::MIX.len()].0;
        one(&standin, kind, &mut rng, &buttons).await;
    }

    // Phase 1: one at a time.
    let mut samples = Vec::with_capacity(n);
    let t = Instant::now();
    for _ in 0..n {
        let kind = rng.kind();
        samples.push(one(&standin, kind, &mut rng, &buttons).await);
    }
    let wall = t.elapsed();
    let p99_seq = report("sequential", &samples, wall, &standin);
    let mut mix: BTreeMap<Kind, usize> = BTreeMap::new();
    for s in &samples {
        *mix.entry(s.kind).or_default() += 1;
    }
    let mix: Vec<String> = mix
        .iter()
        .map(|(k, c)| format!("{} {c}", k.label()))
        .collect();
    println!("  mix: {}", mix.join(", "));
    let tenth = n / 10;
    let first: Vec<Duration> = samples[..tenth].iter().map(|s| s.elapsed).collect();
    let last: Vec<Duration> = samples[n - tenth..].iter().map(|s| s.elapsed).collect();
    println!("  first {tenth}: {}", summary(first));
    println!("  last {tenth}:  {}", summary(last));

    // Phase 2: SENDERS concurrent senders, each one interaction at a time.
    let buttons = Arc::new(buttons);
    let t = Instant::now();
    let tasks: Vec<_> = (0..SENDERS)
        .map(|s| {
            let (standin, buttons) = (standin.clone(), buttons.clone());
            tokio::spawn(async move {
                let mut rng = Rng(SEED ^ (0x9e37_79b9_7f4a_7c15_u64.wrapping_mul(s as u64 + 1)));
                let mut out = Vec::new();
                for _ in 0..n / SENDERS {
                    let kind = rng.kind();
                    out.push(one(&standin, kind, &mut rng, &buttons).await);
                }
                out
            })
        })
        .collect();
    let mut concurrent = Vec::with_capacity(n);
    for t in tasks {
        concurrent.extend(t.await.expect("a sender panicked"));
    }
    let wall = t.elapsed();
    let p99_conc = report(
        &format!("{SENDERS} concurrent senders"),
        &concurrent,
        wall,
        &standin,
    );

    // Every callback accepted, every request body valid, nothing rate limited.
    let callbacks = standin.callbacks();
    let rejected: Vec<_> = callbacks.iter().filter(|c| c.status != 204).collect();
    assert!(rejected.is_empty(), "rejected callbacks: {rejected:#?}");
    let problems = standin.validation_problems();
    assert!(
        problems.is_empty(),
        "request bodies failed Discord's spec: {problems:#?}"
    );
    println!(
        "\ncallbacks: {} (all 204), REST requests: {}, 429s: {}, validation problems: 0",
        callbacks.len(),
        standin.requests().len(),
        standin.count_429()
    );
    let verdict = |p99: Duration| {
        if p99 < Duration::from_millis(5) {
            "met"
        } else {
            "MISSED"
        }
    };
    println!(
        "target p99 < 5 ms: sequential {} ({}), {SENDERS} senders {} ({})",
        ms(p99_seq),
        verdict(p99_seq),
        ms(p99_conc),
        verdict(p99_conc)
    );
    for b in std::iter::once(&bot).chain(follower.as_ref()) {
        let log = b.stderr();
        if !log.trim().is_empty() {
            println!("bot stderr (RUST_LOG=warn):\n{log}");
        }
    }
    drop((bot, follower));
    if let Some(s) = scratch {
        s.remove().await;
    }
}
