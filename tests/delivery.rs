//! Subscriptions and delivery end to end, with a fake Discord, each test on both store
//! backends (SQLite, and PostgreSQL in a scratch schema; see `store::scratch`): the planners, the digest with a manual clock, the pacer, and the worker including
//! retries, global 429s, stalled sends, paused channels and a restart after a crash.

// Only the wait helper of `tests/support` (not the Discord stand-in this file does not use).
#[path = "support/wait.rs"]
#[allow(dead_code)]
mod wait;

use briefbot::brief::Brief;
use briefbot::delivery::{
    delivery_nonce, digest, plan_digests, plan_new, start_up, Clock, DeliveryHandle, DeliveryKind,
    ManualClock, Outbox, Pacer, PartLimits, PendingDelivery, SendOutcome, Worker, WorkerConfig,
};
use briefbot::store::scratch::{each_backend, Scratch};
use briefbot::store::{DeliveryStatus, Mode, Origin, RemoveOutcome, Store, Subscription};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::{timeout, Instant};
use wait::eventually;

const LIMIT: Duration = Duration::from_secs(10);

/// Awaits `f`, failing the test if it takes longer than [`LIMIT`].
async fn bounded<T>(what: &str, f: impl Future<Output = T>) -> T {
    match timeout(LIMIT, f).await {
        Ok(v) => v,
        Err(_) => panic!("timed out: {what}"),
    }
}

fn brief(id: &str, topics: &[&str]) -> Brief {
    Brief {
        id: id.to_string(),
        title: format!("Title of {id}"),
        published: None,
        topics: topics.iter().map(|t| t.to_string()).collect(),
        source: None,
        happening: None,
        importance: None,
        next: None,
        extra: Vec::new(),
        extracted: Default::default(),
        auto_sections: false,
    }
}

fn sub(channel: u64, topics: &[&str], mode: Mode, origin: Origin, now_ms: i64) -> Subscription {
    let topics: Vec<String> = topics.iter().map(|t| t.to_string()).collect();
    Subscription::new(channel, Some(77), &topics, mode, origin, now_ms)
}

fn instant(channel: u64, topics: &[&str], now_ms: i64) -> Subscription {
    sub(channel, topics, Mode::Instant, Origin::Command, now_ms)
}

fn daily(channel: u64, topics: &[&str], h: u32, m: u32, now_ms: i64) -> Subscription {
    let at = NaiveTime::from_hms_opt(h, m, 0).expect("valid time");
    sub(channel, topics, Mode::Daily { at }, Origin::Command, now_ms)
}

async fn file_store(dir: &Path) -> Store {
    Store::open(&dir.join("data/briefbot.db"))
        .await
        .expect("open store")
}

/// A database that outlives the stores opened on it, so a test can close and reopen it (a
/// restart): an SQLite file, or a PostgreSQL schema.
enum Reopenable {
    File(tempfile::TempDir),
    Server(Scratch),
}

impl Reopenable {
    /// One of each backend.
    async fn both() -> [Reopenable; 2] {
        [
            Reopenable::File(tempfile::tempdir().expect("tempdir")),
            Reopenable::Server(Scratch::new().await),
        ]
    }

    async fn open(&self) -> Store {
        match self {
            Reopenable::File(dir) => file_store(dir.path()).await,
            Reopenable::Server(scratch) => scratch.store().await,
        }
    }

    async fn remove(self) {
        if let Reopenable::Server(scratch) = self {
            scratch.remove().await;
        }
    }
}

async fn keys_of(store: &Store, channel: u64) -> Vec<(String, DeliveryStatus)> {
    store
        .deliveries_for(channel)
        .await
        .expect("ledger")
        .into_iter()
        .map(|r| (r.delivery.key, r.status))
        .collect()
}

// ---------------------------------------------------------------------------------------
// A fake Discord.

/// One call to the outbox.
#[derive(Debug, Clone)]
struct Call {
    channel: u64,
    key: String,
    nonce: String,
    at: Instant,
}

/// Records calls, creates messages deduplicated by nonce (as `enforce_nonce` does), and
/// answers from a script: per (channel, key) outcomes, channels that are gone, rows on
/// which it "crashes" (creates the message, then never answers), and rows whose first send
/// stalls (creates the message, then never answers that one request).
#[derive(Default)]
struct FakeDiscord {
    script: Mutex<HashMap<(u64, String), VecDeque<SendOutcome>>>,
    gone: Mutex<HashSet<u64>>,
    hang: Mutex<HashSet<(u64, String)>>,
    stall_once: Mutex<HashSet<(u64, String)>>,
    calls: Mutex<Vec<Call>>,
    messages: Mutex<HashMap<String, (u64, String)>>,
}

impl FakeDiscord {
    fn script(&self, channel: u64, key: &str, outcomes: Vec<SendOutcome>) {
        self.script
            .lock()
            .expect("script")
            .insert((channel, key.to_string()), outcomes.into());
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().expect("calls").clone()
    }

    fn calls_to(&self, channel: u64) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(|c| c.channel == channel)
            .map(|c| c.key)
            .collect()
    }

    /// Messages that exist in the channels, as (channel, key), sorted.
    fn messages(&self) -> Vec<(u64, String)> {
        let mut all: Vec<_> = self
            .messages
            .lock()
            .expect("messages")
            .values()
            .cloned()
            .collect();
        all.sort();
        all
    }
}

impl Outbox for FakeDiscord {
    async fn send(&self, d: &PendingDelivery) -> SendOutcome {
        self.calls.lock().expect("calls").push(Call {
            channel: d.channel_id,
            key: d.key.clone(),
            nonce: d.nonce.clone(),
            at: Instant::now(),
        });
        if let Some(reason) = self
            .gone
            .lock()
            .expect("gone")
            .contains(&d.channel_id)
            .then(|| "404 Unknown Channel".to_string())
        {
            return SendOutcome::ChannelGone(reason);
        }
        let scripted = self
            .script
            .lock()
            .expect("script")
            .get_mut(&(d.channel_id, d.key.clone()))
            .and_then(VecDeque::pop_front);
        if let Some(outcome) = scripted {
            return outcome;
        }
        self.messages
            .lock()
            .expect("messages")
            .entry(d.nonce.clone())
            .or_insert_with(|| (d.channel_id, d.key.clone()));
        let row = (d.channel_id, d.key.clone());
        let hang = self.hang.lock().expect("hang").contains(&row)
            || self.stall_once.lock().expect("stall").remove(&row);
        if hang {
            std::future::pending::<()>().await;
        }
        SendOutcome::Sent
    }
}

struct Running {
    handle: DeliveryHandle,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Running {
    async fn stop(self) {
        let _ = self.shutdown.send(true);
        bounded("worker stop", self.task)
            .await
            .expect("worker task");
    }
}

fn test_config() -> WorkerConfig {
    WorkerConfig {
        poll_interval: Duration::from_millis(50),
        backoff_min: Duration::from_millis(20),
        backoff_max: Duration::from_millis(80),
        ..WorkerConfig::default()
    }
}

/// A fast pacer: 1,000 sends a second, 100 per channel per second.
fn roomy_pacer() -> Arc<Pacer> {
    Arc::new(Pacer::with_channel_limit(1000, 100, Duration::from_secs(1)))
}

fn spawn_worker(store: &Store, discord: &Arc<FakeDiscord>) -> Running {
    spawn_worker_with(store, discord, roomy_pacer(), test_config())
}

fn spawn_worker_with(
    store: &Store,
    discord: &Arc<FakeDiscord>,
    pacer: Arc<Pacer>,
    config: WorkerConfig,
) -> Running {
    let worker = Worker::new(store.clone(), Arc::clone(discord), pacer, config);
    let handle = worker.handle();
    let (shutdown, rx) = watch::channel(false);
    let task = tokio::spawn(worker.run(rx));
    Running {
        handle,
        shutdown,
        task,
    }
}

// ---------------------------------------------------------------------------------------
// Store.

#[tokio::test]
async fn store_data_persists_across_reopen() {
    for db in Reopenable::both().await {
        {
            let store = db.open().await;
            store
                .upsert_subscription(&instant(1, &["AI", "Grid"], 10))
                .await
                .expect("subscribe");
            store
                .upsert_subscription(&daily(2, &[], 8, 0, 11))
                .await
                .expect("subscribe");
            store.pause(2, "gone").await.expect("pause");
            plan_new(&store, &[brief("b1", &["ai"])], 20)
                .await
                .expect("plan");
            store.close().await;
        }
        let store = db.open().await;
        let one = store.subscription(1).await.expect("get").expect("present");
        assert_eq!(one.topics, vec!["ai", "grid"]);
        assert_eq!(
            (one.mode, one.origin, one.created_at_ms),
            (Mode::Instant, Origin::Command, 10)
        );
        assert_eq!(one.guild_id, Some(77));
        let two = store.subscription(2).await.expect("get").expect("present");
        assert_eq!(two.mode, daily(2, &[], 8, 0, 0).mode);
        assert_eq!(two.paused.as_deref(), Some("gone"));
        assert_eq!(store.first_seen("b1").await.expect("seen"), Some(20));
        let row = store
            .delivery(1, "b1")
            .await
            .expect("get")
            .expect("ledger row");
        assert_eq!(row.status, DeliveryStatus::Pending);
        assert_eq!(row.delivery.nonce, delivery_nonce(1, "b1"));
        assert_eq!(row.delivery.kind, DeliveryKind::Brief("b1".into()));
        db.remove().await;
    }
}

#[tokio::test]
async fn config_sync_rules() {
    each_backend(|store| async move {
        let config = |c, topics: &[&str], now| sub(c, topics, Mode::Instant, Origin::Config, now);
        // 3 was subscribed by command before it appeared in the config; 4 stays a command.
        store
            .upsert_subscription(&instant(3, &["x"], 1))
            .await
            .expect("cmd 3");
        store
            .upsert_subscription(&instant(4, &[], 1))
            .await
            .expect("cmd 4");
        let report = store
            .sync_config_subscriptions(&[
                config(1, &["a"], 5),
                config(2, &[], 5),
                config(3, &["x"], 5),
            ])
            .await
            .expect("sync");
        assert_eq!((report.added, report.changed, report.removed), (2, 1, 0));
        let three = store.subscription(3).await.expect("get").expect("3");
        assert_eq!((three.origin, three.created_at_ms), (Origin::Config, 1));

        // Same list again: nothing to do.
        let again = store
            .sync_config_subscriptions(&[
                config(1, &["a"], 9),
                config(2, &[], 9),
                config(3, &["x"], 9),
            ])
            .await
            .expect("sync");
        assert_eq!((again.added, again.changed, again.removed), (0, 0, 0));

        // 1 changes topics (keeps created_at), 2 is dropped, 4 (command) is untouched.
        let report = store
            .sync_config_subscriptions(&[config(1, &["b"], 20), config(3, &["x"], 20)])
            .await
            .expect("sync");
        assert_eq!((report.added, report.changed, report.removed), (0, 1, 1));
        let one = store.subscription(1).await.expect("get").expect("1");
        assert_eq!(
            (one.topics.clone(), one.created_at_ms),
            (vec!["b".to_string()], 5)
        );
        assert!(store.subscription(2).await.expect("get").is_none());
        assert_eq!(
            store.subscription(4).await.expect("get").map(|s| s.origin),
            Some(Origin::Command)
        );
    })
    .await;
}

#[tokio::test]
async fn config_subscriptions_cannot_be_removed_by_command() {
    each_backend(|store| async move {
        store
            .sync_config_subscriptions(&[sub(1, &[], Mode::Instant, Origin::Config, 1)])
            .await
            .expect("sync");
        store
            .upsert_subscription(&instant(2, &[], 1))
            .await
            .expect("cmd");
        assert_eq!(
            store.remove_subscription(1).await.expect("remove"),
            RemoveOutcome::FromConfig
        );
        assert_eq!(
            store.remove_subscription(2).await.expect("remove"),
            RemoveOutcome::Removed
        );
        assert_eq!(
            store.remove_subscription(3).await.expect("remove"),
            RemoveOutcome::NotFound
        );
        assert!(store.subscription(1).await.expect("get").is_some());
    })
    .await;
}

#[tokio::test]
async fn record_seen_stamps_only_new_ids() {
    each_backend(|store| async move {
        let ids = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            store
                .record_seen(&ids(&["a", "b"]), 100)
                .await
                .expect("seen"),
            ids(&["a", "b"])
        );
        assert_eq!(
            store
                .record_seen(&ids(&["b", "c", "c"]), 200)
                .await
                .expect("seen"),
            ids(&["c"])
        );
        assert_eq!(
            store.record_seen(&ids(&[]), 300).await.expect("seen"),
            ids(&[])
        );
        assert_eq!(store.first_seen("a").await.expect("a"), Some(100));
        assert_eq!(store.first_seen("b").await.expect("b"), Some(100));
        assert_eq!(store.first_seen("c").await.expect("c"), Some(200));
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// Planner.

#[tokio::test]
async fn first_start_does_not_flood_config_channels() {
    each_backend(|store| async move {
        let library = vec![brief("old1", &[]), brief("old2", &[]), brief("old3", &[])];
        let config = [sub(1, &[], Mode::Instant, Origin::Config, 0)];
        let started = start_up(&store, &config, &library, 1_000)
            .await
            .expect("start");
        assert_eq!((started.config.added, started.planned), (1, 0));
        assert!(store.deliveries_for(1).await.expect("ledger").is_empty());

        // Second start with one brief added while down: delivered, the rest is not.
        let mut library = library;
        library.push(brief("new", &[]));
        let started = start_up(&store, &config, &library, 2_000)
            .await
            .expect("restart");
        assert_eq!(started.planned, 1);
        assert_eq!(
            keys_of(&store, 1).await,
            vec![("new".to_string(), DeliveryStatus::Pending)]
        );
    })
    .await;
}

#[tokio::test]
async fn subscribing_does_not_flood_with_existing_briefs() {
    each_backend(|store| async move {
        let library = vec![brief("a", &[]), brief("b", &[])];
        assert_eq!(plan_new(&store, &library, 10).await.expect("plan"), 0);
        store
            .upsert_subscription(&instant(1, &[], 20))
            .await
            .expect("subscribe");
        assert_eq!(plan_new(&store, &library, 30).await.expect("plan"), 0);
        let mut library = library;
        library.push(brief("c", &[]));
        assert_eq!(plan_new(&store, &library, 40).await.expect("plan"), 1);
        assert_eq!(
            keys_of(&store, 1).await,
            vec![("c".to_string(), DeliveryStatus::Pending)]
        );
    })
    .await;
}

#[tokio::test]
async fn planner_filters_topics_and_skips_paused_and_daily() {
    each_backend(|store| async move {
        store
            .upsert_subscription(&instant(1, &["grid"], 1))
            .await
            .expect("topic sub");
        store
            .upsert_subscription(&instant(2, &[], 1))
            .await
            .expect("all sub");
        store
            .upsert_subscription(&instant(3, &[], 1))
            .await
            .expect("paused sub");
        store.pause(3, "403 Missing Access").await.expect("pause");
        store
            .upsert_subscription(&daily(4, &[], 8, 0, 1))
            .await
            .expect("daily sub");
        let library = [
            brief("power", &["power grid"]),
            brief("chips", &["semiconductors"]),
        ];
        let refs: Vec<&Brief> = library.iter().collect();
        assert_eq!(plan_new(&store, &refs, 10).await.expect("plan"), 3);
        assert_eq!(
            keys_of(&store, 1).await,
            vec![("power".to_string(), DeliveryStatus::Pending)]
        );
        assert_eq!(keys_of(&store, 2).await.len(), 2);
        assert!(keys_of(&store, 3).await.is_empty());
        assert!(keys_of(&store, 4).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn same_brief_is_never_planned_twice() {
    each_backend(|store| async move {
        store
            .upsert_subscription(&instant(1, &[], 1))
            .await
            .expect("subscribe");
        let library = vec![Arc::new(brief("a", &[]))];
        assert_eq!(plan_new(&store, &library, 10).await.expect("plan"), 1);
        assert_eq!(plan_new(&store, &library, 20).await.expect("plan again"), 0);
        // Even when the brief reappears after its ledger row was delivered and pruned.
        store.mark_sent(1, "a", 21).await.expect("sent");
        store.prune_ledger(i64::MAX).await.expect("prune");
        assert_eq!(plan_new(&store, &library, 30).await.expect("plan later"), 0);
        assert!(keys_of(&store, 1).await.is_empty());
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// Worker.

/// Subscribes `channels` at t=1 and plans `briefs` at t=10.
async fn planned(store: &Store, channels: &[u64], briefs: &[&str]) {
    for &c in channels {
        store
            .upsert_subscription(&instant(c, &[], 1))
            .await
            .expect("subscribe");
    }
    let library: Vec<Brief> = briefs.iter().map(|id| brief(id, &[])).collect();
    plan_new(store, &library, 10).await.expect("plan");
}

#[tokio::test]
async fn worker_delivers_each_brief_once_per_channel_in_order() {
    each_backend(|store| async move {
        planned(&store, &[1, 2, 3], &["b1", "b2", "b3", "b4", "b5"]).await;
        let discord = Arc::new(FakeDiscord::default());
        let worker = spawn_worker(&store, &discord);
        bounded("drain", worker.handle.drained()).await;

        let calls = discord.calls();
        assert_eq!(calls.len(), 15, "one call per (channel, brief)");
        for c in [1, 2, 3] {
            assert_eq!(discord.calls_to(c), ["b1", "b2", "b3", "b4", "b5"]);
        }
        assert!(calls
            .iter()
            .all(|c| c.nonce == delivery_nonce(c.channel, &c.key)));
        assert_eq!(store.pending_count().await.expect("count"), 0);
        let row = store.delivery(2, "b3").await.expect("get").expect("row");
        assert_eq!(
            (row.status, row.delivery.attempts),
            (DeliveryStatus::Sent, 1)
        );

        // New briefs later: a wake-up delivers them, nothing is sent twice.
        plan_new(&store, &[brief("b6", &[])], 20)
            .await
            .expect("plan");
        worker.handle.wake();
        bounded("drain", worker.handle.drained()).await;
        assert_eq!(discord.calls().len(), 18);
        assert_eq!(discord.messages().len(), 18);
        worker.stop().await;
    })
    .await;
}

#[tokio::test]
async fn worker_waits_retry_after_on_429() {
    each_backend(|store| async move {
        planned(&store, &[1], &["b1", "b2"]).await;
        let discord = Arc::new(FakeDiscord::default());
        let retry_after = Duration::from_millis(120);
        discord.script(
            1,
            "b1",
            vec![SendOutcome::RateLimited {
                retry_after,
                global: false,
            }],
        );
        let worker = spawn_worker(&store, &discord);
        bounded("drain", worker.handle.drained()).await;

        let calls = discord.calls();
        let keys: Vec<&str> = calls.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["b1", "b1", "b2"], "retried, and b2 waited for b1");
        assert!(calls[1].at - calls[0].at >= retry_after);
        let row = store.delivery(1, "b1").await.expect("get").expect("row");
        assert_eq!(
            (row.status, row.delivery.attempts),
            (DeliveryStatus::Sent, 2)
        );
        assert_eq!(discord.messages().len(), 2);
        worker.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_global_429_pauses_every_channel_for_retry_after() {
    each_backend(|store| async move {
        planned(&store, &[1, 2, 3], &["b1", "b2", "b3"]).await;
        let discord = Arc::new(FakeDiscord::default());
        let retry_after = Duration::from_millis(400);
        discord.script(
            1,
            "b1",
            vec![SendOutcome::RateLimited {
                retry_after,
                global: true,
            }],
        );
        // Slow enough that the other channels still have sends to make after the 429.
        let pacer = Arc::new(Pacer::with_channel_limit(20, 100, Duration::from_secs(1)));
        let worker = spawn_worker_with(&store, &discord, pacer, test_config());
        bounded("drain", worker.handle.drained()).await;

        let calls = discord.calls();
        let limited = calls
            .iter()
            .find(|c| c.channel == 1 && c.key == "b1")
            .expect("channel 1 sent b1")
            .at;
        // Sends already under way when Discord answered may arrive; after that, nothing: each
        // channel sends at most once in the window (it was one 50 ms slot per send).
        for channel in [1, 2, 3] {
            let in_window: Vec<_> = calls
                .iter()
                .filter(|c| c.channel == channel && c.at >= limited && c.at < limited + retry_after)
                .map(|c| c.key.as_str())
                .collect();
            assert!(
                in_window.len() <= 1,
                "channel {channel} sent {in_window:?} during the global limit"
            );
        }
        let after = calls
            .iter()
            .filter(|c| c.at >= limited + retry_after)
            .count();
        assert!(after >= 6, "{after} sends after the pause: {calls:#?}");
        assert_eq!(discord.calls_to(1), ["b1", "b1", "b2", "b3"]);
        assert_eq!(discord.messages().len(), 9, "every row delivered once");
        let row = store.delivery(1, "b1").await.expect("get").expect("row");
        assert_eq!(
            (row.status, row.delivery.attempts),
            (DeliveryStatus::Sent, 2)
        );
        assert!(row
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("global")));
        worker.stop().await;
    })
    .await;
}

#[tokio::test]
async fn a_stalled_send_times_out_and_is_resent_with_its_nonce() {
    each_backend(|store| async move {
        planned(&store, &[1, 2], &["b1", "b2", "b3"]).await;
        let discord = Arc::new(FakeDiscord::default());
        // Discord creates (1, b1), then the answer never comes.
        discord
            .stall_once
            .lock()
            .expect("stall")
            .insert((1, "b1".to_string()));
        let send_timeout = Duration::from_millis(300);
        let config = WorkerConfig {
            send_timeout,
            ..test_config()
        };
        let worker = spawn_worker_with(&store, &discord, roomy_pacer(), config);
        bounded("drain", worker.handle.drained()).await;

        assert_eq!(discord.calls_to(1), ["b1", "b1", "b2", "b3"]);
        let calls = discord.calls();
        let b1: Vec<&Call> = calls
            .iter()
            .filter(|c| c.channel == 1 && c.key == "b1")
            .collect();
        assert_eq!(
            b1[0].nonce, b1[1].nonce,
            "the resend carries the same nonce"
        );
        assert!(
            b1[1].at - b1[0].at >= send_timeout,
            "resent before the timeout"
        );
        let last_to_2 = calls
            .iter()
            .filter(|c| c.channel == 2)
            .map(|c| c.at)
            .max()
            .expect("channel 2");
        assert!(
            last_to_2 < b1[1].at,
            "channel 2 waited for the stalled send"
        );
        assert_eq!(discord.messages().len(), 6, "no duplicate from the resend");
        let row = store.delivery(1, "b1").await.expect("get").expect("row");
        assert_eq!(
            (row.status, row.delivery.attempts),
            (DeliveryStatus::Sent, 2)
        );
        assert!(
            row.last_error
                .as_deref()
                .is_some_and(|e| e.contains("timed out")),
            "{:?}",
            row.last_error
        );
        worker.stop().await;
    })
    .await;
}

#[tokio::test]
async fn worker_retries_transient_errors_with_backoff() {
    each_backend(|store| async move {
        planned(&store, &[1], &["b1"]).await;
        let discord = Arc::new(FakeDiscord::default());
        discord.script(
            1,
            "b1",
            vec![
                SendOutcome::Transient("502 Bad Gateway".into()),
                SendOutcome::Transient("timeout".into()),
            ],
        );
        let worker = spawn_worker(&store, &discord);
        bounded("drain", worker.handle.drained()).await;

        let calls = discord.calls();
        assert_eq!(calls.len(), 3);
        // Backoff 20 ms then 40 ms, each with jitter in [half, full].
        assert!(calls[1].at - calls[0].at >= Duration::from_millis(10));
        assert!(calls[2].at - calls[1].at >= Duration::from_millis(20));
        let row = store.delivery(1, "b1").await.expect("get").expect("row");
        assert_eq!(row.status, DeliveryStatus::Sent);
        assert_eq!(row.delivery.attempts, 3);
        assert_eq!(row.last_error.as_deref(), Some("timeout"));
        worker.stop().await;
    })
    .await;
}

#[tokio::test]
async fn rejected_row_is_failed_and_the_channel_goes_on() {
    each_backend(|store| async move {
        planned(&store, &[1], &["b1", "b2"]).await;
        let discord = Arc::new(FakeDiscord::default());
        discord.script(
            1,
            "b1",
            vec![SendOutcome::Rejected("400 Invalid Form Body".into())],
        );
        let worker = spawn_worker(&store, &discord);
        bounded("drain", worker.handle.drained()).await;
        assert_eq!(
            keys_of(&store, 1).await,
            vec![
                ("b1".to_string(), DeliveryStatus::Failed),
                ("b2".to_string(), DeliveryStatus::Sent)
            ]
        );
        let row = store.delivery(1, "b1").await.expect("get").expect("row");
        assert_eq!(row.last_error.as_deref(), Some("400 Invalid Form Body"));
        worker.stop().await;
    })
    .await;
}

#[tokio::test]
async fn gone_channel_is_paused_and_others_still_delivered() {
    each_backend(|store| async move {
        planned(&store, &[1, 2], &["b1", "b2", "b3"]).await;
        let discord = Arc::new(FakeDiscord::default());
        discord.gone.lock().expect("gone").insert(1);
        let worker = spawn_worker(&store, &discord);
        bounded("drain", worker.handle.drained()).await;

        assert_eq!(
            discord.calls_to(1),
            ["b1"],
            "one try, then the channel is paused"
        );
        assert_eq!(discord.calls_to(2), ["b1", "b2", "b3"]);
        let one = store.subscription(1).await.expect("get").expect("sub");
        assert_eq!(one.paused.as_deref(), Some("404 Unknown Channel"));
        assert!(keys_of(&store, 1)
            .await
            .iter()
            .all(|(_, s)| *s == DeliveryStatus::Pending));

        // Subscribing again clears the pause and resumes the kept rows.
        discord.gone.lock().expect("gone").clear();
        store
            .upsert_subscription(&instant(1, &[], 50))
            .await
            .expect("resubscribe");
        bounded("drain", worker.handle.drained()).await;
        assert_eq!(discord.calls_to(1), ["b1", "b1", "b2", "b3"]);
        assert!(keys_of(&store, 1)
            .await
            .iter()
            .all(|(_, s)| *s == DeliveryStatus::Sent));
        worker.stop().await;
    })
    .await;
}

#[tokio::test]
async fn pending_rows_resume_after_a_crash_without_duplicates() {
    for db in Reopenable::both().await {
        let discord = Arc::new(FakeDiscord::default());
        {
            let store = db.open().await;
            planned(&store, &[1, 2], &["b1", "b2", "b3"]).await;
            // Discord creates (1, b2) but the answer never arrives: the bot "crashes".
            discord
                .hang
                .lock()
                .expect("hang")
                .insert((1, "b2".to_string()));
            let worker = spawn_worker(&store, &discord);
            eventually("the crash point (b2 sent to 1, all three to 2)", || {
                discord.calls_to(1).contains(&"b2".to_string()) && discord.calls_to(2).len() == 3
            })
            .await;
            worker.stop().await;
            store.close().await;
        }
        // Restart: new store on the same file, new worker.
        discord.hang.lock().expect("hang").clear();
        let store = db.open().await;
        assert_eq!(
            keys_of(&store, 1).await,
            vec![
                ("b1".to_string(), DeliveryStatus::Sent),
                ("b2".to_string(), DeliveryStatus::Pending),
                ("b3".to_string(), DeliveryStatus::Pending),
            ]
        );
        let worker = spawn_worker(&store, &discord);
        bounded("drain after restart", worker.handle.drained()).await;
        worker.stop().await;

        assert_eq!(
            discord.calls_to(1),
            ["b1", "b2", "b2", "b3"],
            "b2 resent once"
        );
        let b2: Vec<String> = discord
            .calls()
            .into_iter()
            .filter(|c| c.channel == 1 && c.key == "b2")
            .map(|c| c.nonce)
            .collect();
        assert_eq!(b2[0], b2[1], "the resend carries the same nonce");
        assert_eq!(
            discord.messages().len(),
            6,
            "Discord deduplicated the resend"
        );
        assert_eq!(
            discord.calls_to(2),
            ["b1", "b2", "b3"],
            "nothing resent to channel 2"
        );
        assert_eq!(store.pending_count().await.expect("count"), 0);
        db.remove().await;
    }
}

// ---------------------------------------------------------------------------------------
// Pacer.

#[tokio::test]
async fn pacer_keeps_under_45_per_second_across_channels() {
    let pacer = Arc::new(Pacer::new(45));
    let n = 50usize;
    let start = Instant::now();
    let tasks: Vec<_> = (0..n as u64)
        .map(|channel| {
            let pacer = Arc::clone(&pacer);
            tokio::spawn(async move {
                let permit = pacer.acquire(channel).await;
                (permit.slot(), Instant::now())
            })
        })
        .collect();
    let mut slots = Vec::new();
    for task in tasks {
        let (slot, granted) = bounded("permit", task).await.expect("task");
        assert!(granted >= slot, "never granted before its slot");
        slots.push(slot);
    }
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_secs_f64((n - 1) as f64 / 45.0),
        "{elapsed:?}"
    );
    slots.sort();
    for (i, first) in slots.iter().enumerate() {
        let in_window = slots[i..]
            .iter()
            .take_while(|t| **t < *first + Duration::from_secs(1))
            .count();
        assert!(in_window <= 45, "{in_window} sends in one second");
    }
}

#[tokio::test]
async fn pacer_sends_one_message_at_a_time_per_channel() {
    let pacer = roomy_pacer();
    let inside = Arc::new(Mutex::new(0usize));
    let max_inside = Arc::new(Mutex::new(0usize));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (pacer, inside, max_inside) = (
                Arc::clone(&pacer),
                Arc::clone(&inside),
                Arc::clone(&max_inside),
            );
            tokio::spawn(async move {
                let _permit = pacer.acquire(42).await;
                {
                    let mut n = inside.lock().expect("inside");
                    *n += 1;
                    let mut m = max_inside.lock().expect("max");
                    *m = (*m).max(*n);
                }
                // Hold the permit a moment (the behaviour under test: nobody else gets in).
                tokio::time::sleep(Duration::from_millis(2)).await;
                *inside.lock().expect("inside") -= 1;
            })
        })
        .collect();
    for task in tasks {
        bounded("permit", task).await.expect("task");
    }
    assert_eq!(*max_inside.lock().expect("max"), 1);
}

// ---------------------------------------------------------------------------------------
// Daily digests.

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid time")
}

#[tokio::test]
async fn daily_digest_in_paris_time() {
    each_backend(|store| async move {
        let tz = chrono_tz::Europe::Paris;
        let clock = ManualClock::new(utc(2025, 1, 14, 10, 0));
        store
            .upsert_subscription(&daily(1, &["energy"], 8, 0, clock.now_ms()))
            .await
            .expect("subscribe");

        // Briefs first seen the same day after the subscription; one does not match.
        clock.set(utc(2025, 1, 14, 12, 0));
        let library = vec![
            brief("e1", &["energy"]),
            brief("e2", &["energy prices"]),
            brief("e3", &["energy"]),
            brief("x", &["sports"]),
        ];
        plan_new(&store, &library, clock.now_ms())
            .await
            .expect("plan");
        assert!(
            keys_of(&store, 1).await.is_empty(),
            "daily: no instant rows"
        );

        // 07:59 Paris (06:59 UTC): not yet.
        clock.set(utc(2025, 1, 15, 6, 59));
        let limits = PartLimits::items(2);
        let none = plan_digests(&store, &library, clock.now(), tz, limits, |_| 0)
            .await
            .expect("digest");
        assert!(none.is_empty());

        // 08:00 Paris = 07:00 UTC in winter: due, split in two parts.
        clock.set(utc(2025, 1, 15, 7, 0));
        assert_eq!(
            digest::due_digests(&store, clock.now(), tz)
                .await
                .expect("due")
                .len(),
            1
        );
        let planned = plan_digests(&store, &library, clock.now(), tz, limits, |_| 0)
            .await
            .expect("digest");
        assert_eq!(planned.len(), 1);
        assert_eq!((planned[0].briefs, planned[0].parts), (3, 2));
        let rows = store.deliveries_for(1).await.expect("ledger");
        let parts: Vec<(String, DeliveryKind)> = rows
            .into_iter()
            .map(|r| (r.delivery.key, r.delivery.kind))
            .collect();
        assert_eq!(
            parts,
            vec![
                (
                    "digest:2025-01-15:1".to_string(),
                    DeliveryKind::Digest(vec!["e1".into(), "e2".into()])
                ),
                (
                    "digest:2025-01-15:2".to_string(),
                    DeliveryKind::Digest(vec!["e3".into()])
                ),
            ]
        );
        let stamped = store.subscription(1).await.expect("get").expect("sub");
        assert_eq!(
            stamped.last_digest_at_ms,
            Some(utc(2025, 1, 15, 7, 0).timestamp_millis())
        );

        // Not twice the same day.
        clock.set(utc(2025, 1, 15, 18, 0));
        let mut library = library;
        library.push(brief("e4", &["sports"]));
        plan_new(&store, &library, clock.now_ms())
            .await
            .expect("plan");
        let again = plan_digests(&store, &library, clock.now(), tz, limits, |_| 0)
            .await
            .expect("digest");
        assert!(again.is_empty());

        // Next day, nothing new that matches: the window moves, no message.
        clock.set(utc(2025, 1, 16, 7, 30));
        let quiet = plan_digests(&store, &library, clock.now(), tz, limits, |_| 0)
            .await
            .expect("digest");
        assert_eq!((quiet.len(), quiet[0].parts), (1, 0));
        assert_eq!(store.deliveries_for(1).await.expect("ledger").len(), 2);
        let stamped = store.subscription(1).await.expect("get").expect("sub");
        assert_eq!(
            stamped.last_digest_at_ms,
            Some(utc(2025, 1, 16, 7, 0).timestamp_millis())
        );
        assert!(
            plan_digests(&store, &library, clock.now(), tz, limits, |_| 0)
                .await
                .expect("digest")
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn late_digest_covers_one_day_and_splits_by_size() {
    each_backend(|store| async move {
        let tz = chrono_tz::Europe::Paris;
        let clock = ManualClock::new(utc(2025, 7, 1, 0, 0));
        store
            .upsert_subscription(&daily(1, &[], 8, 0, clock.now_ms()))
            .await
            .expect("subscribe");
        clock.set(utc(2025, 7, 1, 9, 0));
        let library: Vec<Brief> = ["a", "bb", "ccc"].iter().map(|id| brief(id, &[])).collect();
        plan_new(&store, &library, clock.now_ms())
            .await
            .expect("plan");

        // The bot was down at 08:00 Paris (06:00 UTC in summer) on July 2; it runs at 10:00 UTC.
        clock.set(utc(2025, 7, 2, 10, 0));
        let mut later = library.clone();
        later.push(brief("late", &[]));
        plan_new(&store, &later, utc(2025, 7, 2, 9, 0).timestamp_millis())
            .await
            .expect("plan");
        let limits = PartLimits {
            max_items: 10,
            max_size: 5,
        };
        let planned = plan_digests(&store, &later, clock.now(), tz, limits, |b| b.id.len())
            .await
            .expect("digest");
        assert_eq!((planned[0].briefs, planned[0].parts), (3, 2));
        let kinds: Vec<DeliveryKind> = store
            .deliveries_for(1)
            .await
            .expect("ledger")
            .into_iter()
            .map(|r| r.delivery.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                DeliveryKind::Digest(vec!["a".into(), "bb".into()]),
                DeliveryKind::Digest(vec!["ccc".into()]),
            ]
        );
        // "late" was first seen after 08:00 Paris: it belongs to the next digest.
        clock.set(utc(2025, 7, 3, 6, 0));
        let next = plan_digests(&store, &later, clock.now(), tz, limits, |b| b.id.len())
            .await
            .expect("digest");
        assert_eq!((next[0].briefs, next[0].parts), (1, 1));
        assert!(store
            .delivery(1, "digest:2025-07-03:1")
            .await
            .expect("get")
            .is_some());
    })
    .await;
}

#[tokio::test]
async fn digest_rows_are_delivered_by_the_worker() {
    each_backend(|store| async move {
        let tz = chrono_tz::UTC;
        store
            .upsert_subscription(&daily(1, &[], 8, 0, 0))
            .await
            .expect("subscribe");
        let library = vec![brief("a", &[]), brief("b", &[])];
        plan_new(&store, &library, 1_000).await.expect("plan");
        let now = utc(1970, 1, 1, 8, 0);
        plan_digests(&store, &library, now, tz, PartLimits::default(), |_| 0)
            .await
            .expect("digest");
        let discord = Arc::new(FakeDiscord::default());
        let worker = spawn_worker(&store, &discord);
        bounded("drain", worker.handle.drained()).await;
        worker.stop().await;
        assert_eq!(
            discord.messages(),
            vec![(1, "digest:1970-01-01:1".to_string())]
        );
    })
    .await;
}
