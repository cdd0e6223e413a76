//! Store faults on a real SQLite file: a full disk (writes fail and are reported, nothing is
//! half-stored, the store recovers by itself once space returns), the database file deleted
//! or replaced while running (detected, never recreated), two `briefbot run` on one database
//! (the second refused), and planning that fails being tried again. Through the store API,
//! and end to end with the real binary against the Discord stand-in.
//!
//! A full disk is made without LD_PRELOAD or privileges: a file-size limit (`RLIMIT_FSIZE`)
//! of one byte makes every write that grows a file fail, as ENOSPC would. For the store API
//! the limit is put on this test process, so that test runs alone (the write side of
//! [`PROCESS`]); end to end it is put on the bot's process only (`prlimit`).

mod support;

use briefbot::store::{DeliveryKind, Mode, NewDelivery, Origin, Store, StoreError, Subscription};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::bot::BotProcess;
use support::discord::{OptionValue, StandIn, StandInConfig, MEMBER_PERMISSIONS};
use tokio::sync::RwLock;

/// Taken for writing by the one test that limits this whole process's file sizes; every
/// other test takes it for reading.
static PROCESS: RwLock<()> = RwLock::const_new(());

const WAIT: Duration = Duration::from_secs(15);
const MANAGE_CHANNELS: u64 = 1 << 4;
/// The stand-in's second default channel ("news").
const NEWS: u64 = 1_150_000_000_000_000_201;

/// A file-size limit on a process (this one for `pid` 0), lifted when dropped.
struct FileSizeLimit {
    pid: libc::pid_t,
}

impl FileSizeLimit {
    /// Limits the files `pid` (0: this process) writes to `bytes`.
    fn set(pid: u32, bytes: u64) -> FileSizeLimit {
        let pid = libc::pid_t::try_from(pid).expect("pid");
        if pid == 0 {
            // SAFETY: only the disposition of SIGXFSZ changes: a write past the limit then
            // fails with EFBIG instead of killing the test process.
            unsafe {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            }
        }
        set_fsize(pid, bytes);
        FileSizeLimit { pid }
    }
}

impl Drop for FileSizeLimit {
    fn drop(&mut self) {
        set_fsize(self.pid, libc::RLIM_INFINITY);
    }
}

fn set_fsize(pid: libc::pid_t, bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: libc::RLIM_INFINITY,
    };
    // SAFETY: `limit` is a valid rlimit; the old value is not asked for.
    let rc = unsafe { libc::prlimit(pid, libc::RLIMIT_FSIZE, &limit, std::ptr::null_mut()) };
    assert_eq!(rc, 0, "prlimit: {}", std::io::Error::last_os_error());
}

fn sub(channel: u64) -> Subscription {
    Subscription::new(
        channel,
        Some(7),
        &["energy".to_string()],
        Mode::Instant,
        Origin::Command,
        1,
    )
}

/// Plans, in one transaction, brief `id` for every subscription (as the planner does).
async fn plan(store: &Store, id: &str, now_ms: i64) -> Result<usize, StoreError> {
    let ids = [id.to_string()];
    store
        .record_seen_and_plan(&ids, now_ms, |new, subs| {
            new.iter()
                .flat_map(|id| {
                    subs.iter()
                        .filter(|s| s.channel_id == 1)
                        .map(move |s| NewDelivery {
                            channel_id: s.channel_id,
                            key: id.clone(),
                            nonce: format!("n{}", s.channel_id),
                            kind: DeliveryKind::Brief(id.clone()),
                            created_at_ms: now_ms,
                            seq: 0,
                        })
                })
                .collect()
        })
        .await
        .map(|o| o.planned)
}

/// Every store call here must end well within the busy timeout: "database is locked" after
/// the fault is exactly the defect being tested.
async fn quick<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(3), f)
        .await
        .unwrap_or_else(|_| panic!("{what}: the store hung (a lock left behind?)"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_fails_each_write_whole_and_the_store_recovers_by_itself() {
    let _alone = PROCESS.write().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("bot.db")).await.expect("open");
    store.upsert_subscription(&sub(1)).await.expect("subscribe");
    assert_eq!(plan(&store, "before", 10).await.expect("plan"), 1);

    {
        let _full = FileSizeLimit::set(0, 1);
        for round in 0..6u64 {
            let planned = quick("plan", plan(&store, &format!("during-{round}"), 20)).await;
            assert!(
                planned.is_err(),
                "round {round}: planning reported {planned:?}"
            );
            let subscribed = quick("subscribe", store.upsert_subscription(&sub(100 + round))).await;
            assert!(
                subscribed.is_err(),
                "round {round}: a subscription on a full disk was reported stored"
            );
        }
    }

    // Nothing half-stored: no brief marked seen without its ledger row, no subscription.
    for round in 0..6u64 {
        let id = format!("during-{round}");
        assert_eq!(store.first_seen(&id).await.expect("read"), None, "{id}");
        assert_eq!(store.subscription(100 + round).await.expect("read"), None);
    }
    assert_eq!(store.deliveries_for(1).await.expect("read").len(), 1);

    // Space is back: the same store (no restart) writes again, every time, on every
    // connection of its pool.
    for round in 0..8u64 {
        let id = format!("after-{round}");
        let planned = quick("plan", plan(&store, &id, 30)).await;
        assert_eq!(planned.expect("planning after the fault"), 1, "{id}");
        quick("subscribe", store.upsert_subscription(&sub(200 + round)))
            .await
            .expect("subscribing after the fault");
    }
    store.close().await;
    // And it was committed, not left in a transaction that never ends.
    let reopened = Store::open(&dir.path().join("bot.db"))
        .await
        .expect("reopen");
    assert_eq!(reopened.deliveries_for(1).await.expect("read").len(), 9);
    assert!(reopened.subscription(207).await.expect("read").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_database_is_lost_for_good_and_never_recreated() {
    let _shared = PROCESS.read().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bot.db");
    let store = Store::open(&path).await.expect("open");
    store.upsert_subscription(&sub(1)).await.expect("subscribe");
    assert!(!store.is_lost());

    std::fs::remove_file(&path).expect("delete the database");
    let write = store.upsert_subscription(&sub(2)).await;
    assert!(
        matches!(write, Err(StoreError::Lost { .. })),
        "a write: {write:?}"
    );
    let read = store.subscriptions().await;
    assert!(
        matches!(read, Err(StoreError::Lost { .. })),
        "a read: {read:?}"
    );
    let planned = plan(&store, "b", 5).await;
    assert!(
        matches!(planned, Err(StoreError::Lost { .. })),
        "{planned:?}"
    );
    assert!(store.is_lost());
    tokio::time::timeout(Duration::from_secs(1), store.wait_lost())
        .await
        .expect("wait_lost resolves");
    assert!(
        !path.exists(),
        "the database was recreated behind the user's back"
    );
    let message = read.expect_err("lost").to_string();
    assert!(message.contains("deleted or replaced"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replaced_database_is_lost_too() {
    let _shared = PROCESS.read().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bot.db");
    let store = Store::open(&path).await.expect("open");
    let other = Store::open(&dir.path().join("other.db"))
        .await
        .expect("other");
    other.close().await;
    std::fs::rename(dir.path().join("other.db"), &path).expect("replace");
    let read = store.subscriptions().await;
    assert!(matches!(read, Err(StoreError::Lost { .. })), "{read:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_overwritten_in_place_is_lost_too() {
    let _shared = PROCESS.read().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bot.db");
    let store = Store::open(&path).await.expect("open");
    store.upsert_subscription(&sub(1)).await.expect("subscribe");
    // Another briefbot database, with its own stamp and a subscription of its own.
    let other_path = dir.path().join("other.db");
    let other = Store::open(&other_path).await.expect("other");
    other.upsert_subscription(&sub(2)).await.expect("subscribe");
    other.close().await;
    let other_bytes = std::fs::read(&other_path).expect("read other");
    // `cp other.db bot.db`: the same inode, new content.
    #[cfg(unix)]
    let inode = {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata(&path).expect("meta").ino()
    };
    std::fs::write(&path, &other_bytes).expect("overwrite in place");
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        assert_eq!(std::fs::metadata(&path).expect("meta").ino(), inode);
    }
    // Found by the next check (at most a second later), whatever the reads saw meanwhile
    // (SQLite may still serve the old pages from its write-ahead log).
    let deadline = Instant::now() + WAIT;
    while !store.is_lost() {
        assert!(Instant::now() < deadline, "the overwrite was never noticed");
        let _ = store.subscriptions().await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let write = store.upsert_subscription(&sub(3)).await;
    assert!(
        matches!(write, Err(StoreError::Lost { .. })),
        "a write: {write:?}"
    );
    let read = store.subscription(1).await;
    assert!(matches!(read, Err(StoreError::Lost { .. })), "{read:?}");
    tokio::time::timeout(Duration::from_secs(1), store.wait_lost())
        .await
        .expect("wait_lost resolves");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_exclusive_open_is_refused_while_the_first_lives() {
    let _shared = PROCESS.read().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("data/bot.db");
    let first = Store::open_exclusive(&path).await.expect("first");
    let second = Store::open_exclusive(&path).await;
    match second {
        Err(e @ StoreError::InUse { .. }) => {
            let text = e.to_string();
            assert!(text.contains("in use by another briefbot run"), "{text}");
            assert!(text.contains("bot.db.lock"), "{text}");
        }
        other => panic!("second exclusive open: {other:?}"),
    }
    // Readers (one-shot commands, the console) are not refused.
    let reader = Store::open(&path).await.expect("a plain open");
    reader.subscriptions().await.expect("read");
    // A clone keeps the lock; dropping every handle releases it.
    let clone = first.clone();
    drop(first);
    assert!(
        Store::open_exclusive(&path).await.is_err(),
        "a clone holds it"
    );
    clone.close().await;
    drop(clone);
    Store::open_exclusive(&path)
        .await
        .expect("free once the first is gone");
}

// ---- End to end: the real binary against the Discord stand-in ----

/// Waits for `cond`, polling; fails with `what` after [`WAIT`].
async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts the stand-in and a bot with a brief folder and `extra` config; waits until its
/// commands are registered.
async fn setup(extra: &str) -> (StandIn, BotProcess) {
    let standin = StandIn::start(StandInConfig::default()).await;
    let bot = BotProcess::start(&standin, true, extra);
    standin.wait_ready(WAIT).await.expect("bot connects");
    until("commands registered", || {
        !standin.guild_commands(standin.guild_id()).is_empty()
    })
    .await;
    (standin, bot)
}

/// `/name channel:<channel>` (a subscription command), sent from the "news" channel (so
/// that answers never count as deliveries to the stand-in's first channel); returns the
/// text the user finally sees: the edited original response or an ephemeral follow-up.
async fn subscription_command(standin: &StandIn, name: &str, channel: u64) -> String {
    let perms = MEMBER_PERMISSIONS | MANAGE_CHANNELS;
    let options = vec![("channel", OptionValue::Channel(channel))];
    let payload = standin.slash_command(
        name,
        options,
        standin.channel_id(),
        standin.guild_id(),
        perms,
    );
    let token = payload["token"].as_str().expect("token").to_string();
    let id = standin.dispatch_interaction(payload).await;
    let cb = standin.wait_callback(id, WAIT).await.expect("a callback");
    assert_eq!(cb.status, 204, "callback accepted");
    if cb.kind == 4 {
        return cb.data.to_string();
    }
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(m) = standin.original_response(id) {
            let has_content = m["embeds"].as_array().is_some_and(|e| !e.is_empty())
                || m["content"].as_str().is_some_and(|c| !c.is_empty());
            if has_content {
                return m.to_string();
            }
        }
        let followup = standin.requests().into_iter().find(|r| {
            r.method == "POST"
                && r.route == "/webhooks/{webhook_id}/{webhook_token}"
                && r.status < 300
                && r.path.contains(&token)
        });
        if let Some(r) = followup {
            return r.body.unwrap_or(Value::Null).to_string();
        }
        assert!(
            Instant::now() < deadline,
            "/{name} got no answer; requests: {:#?}",
            standin
                .requests()
                .iter()
                .map(|r| format!("{} {} {} {:?}", r.method, r.path, r.status, r.body))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The store's one error when its file is deleted.
const LOSS: &str = "was deleted while the bot was running";

fn config_sub(channel: u64) -> String {
    format!("[[subscriptions]]\nchannel = {channel}\n")
}

fn titles(messages: &[Value]) -> Vec<String> {
    messages
        .iter()
        .map(|m| m["embeds"][0]["title"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Sends SIGTERM and waits (bounded) for the exit code.
fn terminate(bot: &mut BotProcess) -> Option<i32> {
    let pid = libc::pid_t::try_from(bot.pid()).expect("pid");
    // SAFETY: signals our own child, still running (not yet waited for).
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = bot.child().try_wait().expect("wait") {
            return status.code();
        }
        assert!(Instant::now() < deadline, "SIGTERM did not stop the bot");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn db_path(bot: &BotProcess) -> std::path::PathBuf {
    bot.dir().join("bot.db")
}

async fn stored_subscription(db: &Path, channel: u64) -> Option<Subscription> {
    let store = Store::open(db).await.expect("open the bot's database");
    let found = store.subscription(channel).await.expect("read");
    store.close().await;
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_on_a_full_disk_says_it_failed_and_works_once_space_returns() {
    let _shared = PROCESS.read().await;
    let (standin, mut bot) = setup("").await;
    let general = standin.channel_id();

    let answer = {
        // Even the log file cannot grow.
        let _full = FileSizeLimit::set(bot.pid(), 1);
        subscription_command(&standin, "subscribe", NEWS).await
    };
    assert!(
        !answer.contains("Subscribed"),
        "a failed write was reported as done: {answer}"
    );
    assert!(answer.contains("nothing was changed"), "{answer}");

    // Space is back: the running bot (no restart) subscribes and delivers.
    let answer = subscription_command(&standin, "subscribe", general).await;
    assert!(answer.contains("Subscribed"), "after the fault: {answer}");
    let before = standin.messages(general).len();
    bot.write_brief("after-full", "Written after the disk was full", "energy");
    let got = standin.wait_messages(general, before + 1, WAIT).await;
    assert_eq!(
        titles(&got[before..]),
        ["Written after the disk was full"],
        "delivered once"
    );
    assert_eq!(terminate(&mut bot), Some(0));
    assert_eq!(
        stored_subscription(&db_path(&bot), NEWS).await,
        None,
        "the failed /subscribe stored nothing"
    );
    assert!(stored_subscription(&db_path(&bot), general).await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_deleted_while_running_stops_deliveries_with_one_error() {
    let _shared = PROCESS.read().await;
    let general = StandInConfig::default().guilds[0].channels[0].id;
    let (standin, mut bot) = setup(&config_sub(general)).await;
    bot.write_brief("first", "Before the deletion", "energy");
    let got = standin.wait_messages(general, 1, WAIT).await;
    assert_eq!(titles(&got), ["Before the deletion"]);

    let db = db_path(&bot);
    std::fs::remove_file(&db).expect("delete the database");
    bot.write_brief("second", "Quokka census after the deletion", "energy");
    until("the loss is logged", || {
        bot.stderr().contains("was deleted")
    })
    .await;

    // Read-only commands still answer, from the library (which still follows the folder).
    let deadline = Instant::now() + WAIT;
    loop {
        let payload = standin.slash_command(
            "brief",
            vec![("query", OptionValue::String("quokka".into()))],
            NEWS,
            standin.guild_id(),
            MEMBER_PERMISSIONS,
        );
        let id = standin.dispatch_interaction(payload).await;
        let cb = standin.wait_callback(id, WAIT).await.expect("a callback");
        if cb.data["embeds"][0]["title"] == "Quokka census after the deletion" {
            break;
        }
        assert!(Instant::now() < deadline, "/brief: {}", cb.data);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A change is refused, and says so.
    let answer = subscription_command(&standin, "subscribe", NEWS).await;
    assert!(answer.contains("nothing was changed"), "{answer}");

    // The brief written after the deletion was never planned (planning needs the
    // database), so it is never posted; nothing recreated the file; one error only.
    assert_eq!(
        titles(&standin.messages(general)),
        ["Before the deletion"],
        "{}",
        bot.stderr()
    );
    assert!(
        !db.exists(),
        "an empty database was created behind the user's back"
    );
    let log = bot.stderr();
    assert_eq!(log.matches(LOSS).count(), 1, "one clear error:\n{log}");
    assert_eq!(terminate(&mut bot), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_bot_on_the_same_database_is_refused_at_start() {
    let _shared = PROCESS.read().await;
    let (standin, mut bot) = setup("").await;
    let config = bot.dir().join("briefbot.toml");
    let mut second = Command::new(env!("CARGO_BIN_EXE_briefbot"))
        .args(["run", "--config"])
        .arg(&config)
        .current_dir(bot.dir())
        .env("DISCORD_TOKEN", standin.token())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a second bot");
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = second.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            let _ = second.wait();
            panic!("the second bot was not refused: it kept running");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut second.stderr.take().expect("stderr"), &mut stderr)
        .expect("read stderr");
    assert_eq!(status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains("in use by another briefbot run"),
        "a clear message: {stderr}"
    );

    // A one-shot command still runs meanwhile.
    let ask = Command::new(env!("CARGO_BIN_EXE_briefbot"))
        .args(["briefs", "--config"])
        .arg(&config)
        .current_dir(bot.dir())
        .output()
        .expect("briefs");
    assert!(ask.status.success(), "{ask:?}");
    // The first bot is unaffected.
    assert!(
        bot.child().try_wait().expect("wait").is_none(),
        "first bot still runs"
    );
    assert_eq!(terminate(&mut bot), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn planning_that_fails_is_tried_again_without_a_folder_change() {
    let _shared = PROCESS.read().await;
    let general = StandInConfig::default().guilds[0].channels[0].id;
    let (standin, bot) = setup(&config_sub(general)).await;
    // Another process holds the write lock: the bot's planning fails ("database is
    // locked" after its busy timeout), as it would on a read-only database.
    let locker = sqlx_lock(&db_path(&bot)).await;
    bot.write_brief("while-locked", "Planned once the lock is gone", "energy");
    until("planning fails and is logged", || {
        bot.stderr().contains("planning deliveries failed")
    })
    .await;
    assert!(standin.messages(general).is_empty());
    drop(locker);
    // No folder change from here on: only the retry can deliver it.
    let got = standin.wait_messages(general, 1, WAIT).await;
    assert_eq!(titles(&got), ["Planned once the lock is gone"]);
}

/// Holds SQLite's write lock on `db` (an open `BEGIN IMMEDIATE`) until dropped.
async fn sqlx_lock(db: &Path) -> WriteLock {
    use sqlx::Connection as _;
    let mut conn = sqlx::SqliteConnection::connect_with(
        &sqlx::sqlite::SqliteConnectOptions::new().filename(db),
    )
    .await
    .expect("connect");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut conn)
        .await
        .expect("take the write lock");
    WriteLock(Some(conn))
}

struct WriteLock(Option<sqlx::SqliteConnection>);

impl Drop for WriteLock {
    fn drop(&mut self) {
        // Closing the connection (its worker thread) rolls back and releases the lock.
        drop(self.0.take());
    }
}
