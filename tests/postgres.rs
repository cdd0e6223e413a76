//! End to end on PostgreSQL (`storage.url`, the server named by `BRIEFBOT_TEST_DATABASE_URL`,
//! each test in a scratch schema): the real `briefbot run` binary against the Discord
//! stand-in delivers a new brief to every subscribed channel exactly once, survives a SIGKILL
//! mid fan-out, and resumes the pending rows with their nonces after a restart.
//!
//! One delivery leader among processes (`app::leader`): two processes on one scratch schema
//! and one brief folder. The first to start leads (it holds the advisory lock); the other
//! answers commands. Killing the leader (SIGKILL) in the middle of a 200-channel fan-out hands
//! the lead to the follower, which resumes the pending rows: every channel gets the brief
//! exactly once, and Discord never answers 429. A `/subscribe` answered by the follower
//! reaches the leader's planning. The follower answers from the feed briefs the leader
//! fetched and stored, and its `/sources` shows the state the leader saved.

mod support;

use briefbot::store::scratch::Scratch;
use support::bot::BotProcess;
use support::discord::{OptionValue, StandIn, StandInConfig, MEMBER_PERMISSIONS};
use support::wait::{eventually, DEADLINE};

/// Starts the stand-in (with `channels` added) and a bot on `storage`, subscribed by config
/// to every channel, with `extra` config; waits until its commands are registered and its
/// start-up planned.
async fn setup(scratch: &Scratch, channels: &[u64], extra: &str) -> (StandIn, BotProcess) {
    let standin = StandIn::start(StandInConfig::default()).await;
    for (i, c) in channels.iter().enumerate() {
        standin.add_channel(standin.guild_id(), *c, &format!("sub-{i}"));
    }
    let mut subs: String = channels
        .iter()
        .map(|c| format!("[[subscriptions]]\nchannel = {c}\n"))
        .collect();
    subs.push_str(extra);
    let storage = format!("url = \"{}\"", scratch.url);
    let mut bot = BotProcess::new_with_storage(&standin, true, Some(&storage), &subs);
    bot.spawn(&standin);
    standin.wait_ready(DEADLINE).await.expect("bot connects");
    eventually("commands to be registered", || {
        !standin.guild_commands(standin.guild_id()).is_empty()
    })
    .await;
    bot.started().await;
    (standin, bot)
}

/// `n` channel ids from `1_150_000_000_000_000_000 + base` on.
fn channels(n: u64, base: u64) -> Vec<u64> {
    (0..n)
        .map(|i| 1_150_000_000_000_000_000 + base + i)
        .collect()
}

const MANAGE_CHANNELS: u64 = 1 << 4;

/// Starts the stand-in with `channels`, a leader subscribed by config to all of them (with
/// `extra` config), and its twin, which must come up as a follower.
async fn pair(
    scratch: &Scratch,
    channels: &[u64],
    extra: &str,
) -> (StandIn, BotProcess, BotProcess) {
    // Only a leader plans: the start-up pass `setup` waits for says it holds the lead.
    let (standin, leader) = setup(scratch, channels, extra).await;
    let mut follower = leader.twin();
    follower.spawn(&standin);
    follower.logged("role follower").await;
    eventually("the follower's commands to be registered", || {
        standin.identify_count() >= 2
    })
    .await;
    (standin, leader, follower)
}

/// Total messages, and the channels that have more than one.
fn tally(standin: &StandIn, channels: &[u64]) -> (usize, Vec<(u64, usize)>) {
    let counts = channels.iter().map(|c| (*c, standin.messages(*c).len()));
    let total = counts.clone().map(|(_, n)| n).sum();
    (total, counts.filter(|(_, n)| *n > 1).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_on_postgres_delivers_once_and_resumes_after_sigkill() {
    let scratch = Scratch::new().await;
    let channels = channels(120, 20_000);
    let (standin, mut bot) = setup(&scratch, &channels, "").await;
    bot.write_brief("pg1", "Grid news", "energy");
    eventually("the fan-out to be under way (30 sent)", || {
        let (total, _) = tally(&standin, &channels);
        (total >= 30).then_some(()).ok_or(format!("{total} sent"))
    })
    .await;
    bot.kill();
    let (at_kill, _) = tally(&standin, &channels);
    assert!(
        at_kill < channels.len(),
        "killed mid fan-out ({at_kill} sent)"
    );

    // The restarted bot plans nothing new: it resumes the pending rows, then goes idle.
    bot.spawn(&standin);
    assert_eq!(bot.started().await, 0, "nothing planned twice");
    bot.idle().await;
    let (total, dups) = tally(&standin, &channels);
    assert!(dups.is_empty(), "duplicates after restart: {dups:?}");
    assert_eq!(total, channels.len());
    for c in &channels {
        assert_eq!(standin.messages(*c)[0]["embeds"][0]["title"], "Grid news");
    }
    assert_eq!(standin.count_429(), 0);
    assert!(
        standin.validation_problems().is_empty(),
        "{:#?}",
        standin.validation_problems()
    );
    bot.kill();
    scratch.remove().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_follower_takes_over_a_killed_leaders_fan_out_exactly_once() {
    let scratch = Scratch::new().await;
    let channels = channels(200, 30_000);
    let (standin, mut leader, follower) = pair(&scratch, &channels, "").await;
    assert!(
        follower.progress().is_empty(),
        "a follower plans nothing: {:?}",
        follower.progress()
    );
    leader.write_brief("lead1", "Harbour cranes", "energy");
    eventually("the fan-out to be under way (40 sent)", || {
        let (total, _) = tally(&standin, &channels);
        (total >= 40).then_some(()).ok_or(format!("{total} sent"))
    })
    .await;
    leader.kill();
    let (at_kill, _) = tally(&standin, &channels);
    assert!(
        at_kill < channels.len(),
        "killed mid fan-out ({at_kill} sent)"
    );

    // The follower takes the lock, plans nothing new (the brief was planned), and sends
    // the rows still pending, with their nonces.
    follower.logged("role leader").await;
    assert_eq!(follower.started().await, 0, "nothing planned twice");
    follower.idle().await;
    let (total, dups) = tally(&standin, &channels);
    assert!(dups.is_empty(), "duplicates after the fail-over: {dups:?}");
    assert_eq!(total, channels.len(), "every channel got the brief");
    for c in &channels {
        assert_eq!(
            standin.messages(*c)[0]["embeds"][0]["title"],
            "Harbour cranes"
        );
    }
    assert_eq!(standin.count_429(), 0, "paced across the fail-over");
    assert!(
        standin.validation_problems().is_empty(),
        "{:#?}",
        standin.validation_problems()
    );
    drop(follower);
    scratch.remove().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_made_on_the_follower_is_served_by_the_leader() {
    let scratch = Scratch::new().await;
    let (standin, leader, follower) = pair(&scratch, &[], "").await;
    let channel = 1_150_000_000_000_031_000;
    standin.add_channel(standin.guild_id(), channel, "harbour-news");

    // The stand-in sends interactions on the newest gateway session: the follower's.
    let payload = standin.slash_command(
        "subscribe",
        vec![
            ("channel", OptionValue::Channel(channel)),
            ("topics", OptionValue::String("harbour".into())),
        ],
        standin.channel_id(),
        standin.guild_id(),
        MEMBER_PERMISSIONS | MANAGE_CHANNELS,
    );
    let id = standin.dispatch_interaction(payload).await;
    let answered = eventually("the follower to answer /subscribe", || {
        standin
            .original_response(id)
            .map(|m| m.to_string())
            .or_else(|| {
                standin
                    .callback(id)
                    .filter(|c| c.kind == 4)
                    .map(|c| c.data.to_string())
            })
            .filter(|s| s.contains("Subscribed"))
            .ok_or_else(|| "no answer yet".to_string())
    })
    .await;
    assert!(answered.contains("harbour"), "{answered}");
    assert!(
        follower.progress().is_empty(),
        "the follower still plans nothing"
    );

    let written = leader.write_brief("harbour1", "Harbour dredging starts", "harbour");
    assert_eq!(leader.settled(&written).await, 1, "planned for the channel");
    let got = standin.messages(channel);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0]["embeds"][0]["title"], "Harbour dredging starts");
    drop((leader, follower));
    scratch.remove().await;
}

/// Sends `/name options` (to the newest gateway session: the follower's) until its answer
/// contains every one of `wanted`; returns that answer.
async fn ask_until(
    standin: &StandIn,
    name: &str,
    options: Vec<(&str, OptionValue)>,
    wanted: &[&str],
) -> String {
    let start = std::time::Instant::now();
    loop {
        let payload = standin.slash_command(
            name,
            options.clone(),
            standin.channel_id(),
            standin.guild_id(),
            MEMBER_PERMISSIONS,
        );
        let id = standin.dispatch_interaction(payload).await;
        let answer = standin
            .wait_callback(id, DEADLINE)
            .await
            .map(|c| c.data.to_string())
            .unwrap_or_default();
        if wanted.iter().all(|w| answer.contains(w)) {
            return answer;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "/{name} never showed {wanted:?}; last answer: {answer}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_follower_answers_from_the_leaders_feed_briefs_and_lists_its_sources() {
    let scratch = Scratch::new().await;
    let web = support::web::WebServer::start().await;
    let item = support::web::sectioned("The Harrow lock gates reopened after repairs.");
    web.set_live(&[("Harrow lock reopens", "harrow", &item)]);
    let extra = format!(
        "\n[[sources]]\nname = \"canals\"\nurl = \"{}\"\nevery = \"1m\"\n",
        web.url("/live.xml")
    );
    let (standin, leader, follower) = pair(&scratch, &[], &extra).await;
    // Only the leader fetches: the follower reads what the leader stored.
    let fetched = web.live_requests();
    assert!(fetched >= 1, "the leader fetched the feed");

    let brief = ask_until(
        &standin,
        "brief",
        vec![
            ("query", OptionValue::String("Harrow lock".into())),
            ("source", OptionValue::String("canals".into())),
            ("detail", OptionValue::String("full".into())),
        ],
        &["Harrow lock reopens", "lock gates reopened"],
    )
    .await;
    assert!(!brief.contains("No brief"), "{brief}");
    let sources = ask_until(
        &standin,
        "sources",
        vec![],
        &["canals (rss)", "ok · 1 item"],
    )
    .await;
    assert!(!sources.contains("never"), "{sources}");
    assert!(follower.progress().is_empty(), "the follower plans nothing");
    drop((leader, follower));
    scratch.remove().await;
}
