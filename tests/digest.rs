//! Daily digests end to end, in process, with a controllable clock: the update machinery
//! (folder watcher → planner → digest timer → worker) posting through serenity's REST client
//! to the Discord stand-in, in the Europe/Paris time zone. "No message yet" is checked once
//! the machinery reports ([`Progress`]) that it has checked digests at the clock's time and
//! sent everything planned: no sleeps.

mod support;

use briefbot::app::outbox::DiscordOutbox;
use briefbot::source::{folder::FolderSource, SourceOptions};

use briefbot::app::updates::Progress;
use briefbot::config::Config;
use briefbot::core::Core;
use briefbot::delivery::{Clock, ManualClock};
use briefbot::discord::{http_client, outbox::Poster, Token};
use briefbot::store::{Mode, Origin, Store, Subscription};
use briefbot::summarize::Summarizer;
use chrono::{DateTime, NaiveTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use support::discord::{StandIn, StandInConfig};
use support::wait::eventually;
use tokio::sync::watch;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

const BRIEF: &str =
    "+++\nid = \"tram\"\ntitle = \"Tram line opens\"\ntopics = [\"transit\"]\n+++\n\
What's Happening?\nThe tram line opened.\nWhy It's Important?\nIt links the harbour.\n";

/// Waits until `done` holds for what the worker had finished when it was last idle.
async fn idle_after(
    progress: &watch::Receiver<Progress>,
    what: &str,
    done: impl Fn((u64, i64)) -> bool,
) {
    eventually(what, || {
        let p = *progress.borrow();
        done(p.idle_after).then_some(()).ok_or(format!("{p:?}"))
    })
    .await
}

/// Sets the clock, then waits until digests were checked at that time and everything they
/// planned was sent.
async fn set_and_settle(clock: &ManualClock, progress: &watch::Receiver<Progress>, t: &str) {
    let t = at(t);
    clock.set(t);
    let ms = t.timestamp_millis();
    idle_after(progress, &format!("digests checked at {t}"), |(_, at)| {
        at >= ms
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daily_digest_goes_out_once_at_the_local_time() {
    let standin = StandIn::start(StandInConfig::default()).await;
    let channel = standin.channel_id();
    let dir = tempfile::tempdir().unwrap();
    let briefs = dir.path().join("briefs");
    std::fs::create_dir(&briefs).unwrap();

    let mut config = Config::default();
    config.discord.api_proxy = Some(standin.http_url());
    config.delivery.timezone = "Europe/Paris".into();
    config.briefs.dir = Some(briefs.clone());

    // 06:00 UTC = 07:00 in Paris (winter): the 08:00 digest is an hour away.
    let clock = Arc::new(ManualClock::new(at("2026-01-15T06:00:00Z")));
    let store = Store::open(&dir.path().join("bot.db")).await.unwrap();
    let daily = Mode::Daily {
        at: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
    };
    let sub = Subscription::new(
        channel,
        Some(standin.guild_id()),
        &[],
        daily,
        Origin::Command,
        clock.now_ms(),
    );
    store.upsert_subscription(&sub).await.unwrap();
    clock.advance(chrono::Duration::minutes(1));

    let mut loader = FolderSource::new(&briefs, SourceOptions::default(), false);
    let library = loader.load().unwrap().library;
    let core = Arc::new(Core::new(library, Summarizer::default()));
    let http = Arc::new(http_client(
        &config,
        &Token::new(standin.token().to_owned()),
    ));
    let outbox = Arc::new(DiscordOutbox::new(Poster::new(http), core.clone()));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let clock_dyn: Arc<dyn Clock> = clock.clone();
    let parts = briefbot::app::updates::Parts {
        store: store.clone(),
        core: core.clone(),
        folder: Some(loader),
        outbox,
        clock: clock_dyn,
        digest_tick: Duration::from_millis(50),
        role: briefbot::app::leader::always(),
    };
    let updates = briefbot::app::updates::start(parts, &config, stopped)
        .await
        .unwrap();

    let progress = updates.progress();
    // The start-up pass is planned once the folder is watched.
    idle_after(&progress, "the start-up pass", |(pass, _)| pass >= 1).await;

    // A new brief appears (one rename into the folder: one reload, pass 2); it is seen, and
    // kept for the digest (no instant post).
    std::fs::write(dir.path().join("tram.tmp"), BRIEF).unwrap();
    std::fs::rename(dir.path().join("tram.tmp"), briefs.join("tram.md")).unwrap();
    idle_after(&progress, "the reload with the new brief", |(pass, _)| {
        pass >= 2
    })
    .await;
    assert!(core.library().get("tram").is_some(), "the brief is loaded");
    assert!(
        standin.messages(channel).is_empty(),
        "daily subscriptions get no instant post"
    );

    // 07:59 in Paris: not yet.
    set_and_settle(&clock, &progress, "2026-01-15T06:59:30Z").await;
    assert!(
        standin.messages(channel).is_empty(),
        "no digest before 08:00 Paris time"
    );

    // 08:00:30 in Paris = 07:00:30 UTC: one digest listing the brief.
    clock.set(at("2026-01-15T07:00:30Z"));
    let messages = standin
        .wait_messages(channel, 1, Duration::from_secs(10))
        .await;
    assert_eq!(messages.len(), 1);
    let embed = &messages[0]["embeds"][0];
    assert_eq!(embed["title"], "Daily digest");
    assert_eq!(embed["fields"][0]["name"], "Tram line opens");

    // Later the same day, and the next day with nothing new: no more messages.
    set_and_settle(&clock, &progress, "2026-01-15T12:00:00Z").await;
    assert_eq!(standin.messages(channel).len(), 1, "one digest a day");
    set_and_settle(&clock, &progress, "2026-01-16T07:00:30Z").await;
    assert_eq!(standin.messages(channel).len(), 1, "one digest, once");
    assert_eq!(standin.count_429(), 0);
    let problems = standin.validation_problems();
    assert!(problems.is_empty(), "{problems:#?}");

    let _ = stop.send(true);
    tokio::time::timeout(Duration::from_secs(5), updates.join())
        .await
        .unwrap();
}
