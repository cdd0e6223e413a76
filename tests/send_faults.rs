//! Discord's answers to the bot's posts, end to end: the real `briefbot run` against the
//! stand-in (Discord's limits enforced) with injected faults. Discord's per-channel limit
//! (10 briefs × 2 channels draw no 429), a global 429 with `retry_after` (no channel sends
//! until it has passed), a stalled answer (abandoned after `delivery.send_timeout_secs`,
//! resent with the same nonce, other channels go on), and a 5xx burst.

mod support;

use briefbot::config::Config;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;
use support::bot::BotProcess;
use support::discord::{ChannelFault, RecordedRequest, ServerErrors, StandIn, StandInConfig};
use support::wait::eventually;

/// Generous bound for anything the bot should do (the machine may be busy building).
const WAIT: Duration = support::wait::DEADLINE;
/// The topic the two test channels follow.
const NEWS: &str = "newsdesk";
/// A third channel that follows only probe briefs (to know the folder watcher is live).
const PROBE_CHANNEL: u64 = 1_150_000_000_000_000_299;
/// A fourth channel that follows only briefs with the topic "late".
const LATE_CHANNEL: u64 = 1_150_000_000_000_000_298;

struct Setup {
    standin: StandIn,
    bot: BotProcess,
    /// The two channels subscribed to [`NEWS`].
    a: u64,
    b: u64,
}

/// The stand-in with Discord's limits, and the bot with `a` and `b` subscribed to [`NEWS`]
/// (config `extra` appended), started, with its folder watcher proven live by a probe brief
/// delivered to [`PROBE_CHANNEL`].
async fn setup(extra: &str) -> Setup {
    let standin = StandIn::start(StandInConfig::default()).await;
    standin.add_channel(standin.guild_id(), PROBE_CHANNEL, "probe");
    standin.add_channel(standin.guild_id(), LATE_CHANNEL, "late");
    let channels = &standin.config().guilds[0].channels;
    let (a, b) = (channels[0].id, channels[1].id);
    let config = format!(
        "{extra}\n[[subscriptions]]\nchannel = {a}\ntopics = [\"{NEWS}\"]\n\
         [[subscriptions]]\nchannel = {b}\ntopics = [\"{NEWS}\"]\n\
         [[subscriptions]]\nchannel = {PROBE_CHANNEL}\ntopics = [\"probe\"]\n\
         [[subscriptions]]\nchannel = {LATE_CHANNEL}\ntopics = [\"late\"]\n"
    );
    let bot = BotProcess::start(&standin, true, &config);
    standin.wait_ready(WAIT).await.expect("bot connects");
    eventually("commands registered", || {
        (!standin.guild_commands(standin.guild_id()).is_empty()).then_some(())
    })
    .await;
    // A brief written before the watcher runs is only seen at the next change: write probes
    // until one is delivered.
    let mut probes = 0;
    while standin.messages(PROBE_CHANNEL).is_empty() {
        assert!(probes < 20, "no probe brief was ever delivered");
        bot.write_brief(&format!("probe-{probes}"), "Probe", "probe");
        probes += 1;
        standin
            .wait_messages(PROBE_CHANNEL, 1, Duration::from_secs(2))
            .await;
    }
    Setup { standin, bot, a, b }
}

/// Accepted or refused `POST /channels/{channel}/messages`, in arrival order.
fn posts_to(standin: &StandIn, channel: u64) -> Vec<RecordedRequest> {
    let path = format!("/api/v10/channels/{channel}/messages");
    standin
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == path)
        .collect()
}

fn nonce(r: &RecordedRequest) -> String {
    r.body
        .as_ref()
        .map_or(Value::Null, |b| b["nonce"].clone())
        .to_string()
}

fn no_problems(s: &Setup) {
    let problems = s.standin.validation_problems();
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(
        !s.bot.stderr().contains(s.standin.token()),
        "the token was logged"
    );
}

#[tokio::test]
async fn ten_briefs_to_two_channels_stay_within_the_channel_limit() {
    let s = setup("").await;
    for i in 0..10 {
        s.bot
            .write_brief(&format!("story-{i}"), &format!("Story {i}"), NEWS);
    }
    for ch in [s.a, s.b] {
        let got = s.standin.wait_messages(ch, 10, WAIT).await;
        assert_eq!(got.len(), 10, "channel {ch}");
    }
    assert_eq!(s.standin.count_429(), 0, "Discord refused a post");
    for ch in [s.a, s.b] {
        let posts = posts_to(&s.standin, ch);
        assert_eq!(posts.len(), 10, "one POST per brief in channel {ch}");
        assert!(posts.iter().all(|p| p.status == 200));
        // Paced, not just lucky: the sixth arrives a full window after the first.
        assert!(posts[5].at >= posts[0].at + Duration::from_secs(5));
    }
    no_problems(&s);
}

#[tokio::test]
async fn a_global_429_pauses_every_channel_for_retry_after() {
    let s = setup("").await;
    let retry_after = Duration::from_millis(1500);
    s.standin.inject_global_429(retry_after);
    for i in 0..3 {
        s.bot
            .write_brief(&format!("global-{i}"), &format!("Global {i}"), NEWS);
    }
    // A brief for a channel that had nothing to send when Discord answered 429.
    eventually("the global 429", || {
        (s.standin.count_429() > 0).then_some(())
    })
    .await;
    s.bot.write_brief("late-0", "Late", "late");
    for (ch, n) in [(s.a, 3), (s.b, 3), (LATE_CHANNEL, 1)] {
        let got = s.standin.wait_messages(ch, n, WAIT).await;
        assert_eq!(got.len(), n, "channel {ch}: each brief once");
    }
    let requests = s.standin.requests();
    let limited = requests
        .iter()
        .find(|r| r.status == 429)
        .expect("the global 429 was served")
        .at;
    // A post already on its way when the 429 was answered may arrive in the window; after
    // that the bot sends nothing, to any channel, until retry_after has passed.
    let late = posts_to(&s.standin, LATE_CHANNEL);
    assert_eq!(late.len(), 1, "{late:#?}");
    assert!(
        late[0].at >= limited + retry_after,
        "posted {:?} into a global limit of {retry_after:?}",
        late[0].at - limited
    );
    for ch in [s.a, s.b, PROBE_CHANNEL] {
        let in_window = posts_to(&s.standin, ch)
            .into_iter()
            .filter(|r| r.at >= limited && r.at < limited + retry_after)
            .count();
        assert!(
            in_window <= 1,
            "channel {ch}: {in_window} posts during the global limit"
        );
    }
    let others_in_window = requests
        .iter()
        .filter(|r| r.at >= limited && r.at < limited + retry_after && r.status != 429)
        .count();
    assert_eq!(
        others_in_window, 0,
        "a request got through the global limit"
    );
    assert!(
        s.standin.count_429() <= 3,
        "{} × 429",
        s.standin.count_429()
    );
    for ch in [s.a, s.b] {
        let posts = posts_to(&s.standin, ch);
        let accepted: Vec<String> = posts
            .iter()
            .filter(|p| p.status == 200)
            .map(nonce)
            .collect();
        assert_eq!(accepted.len(), 3, "channel {ch}: {posts:#?}");
    }
    assert!(
        s.bot.stderr().contains("global rate limit"),
        "the pause is logged:\n{}",
        s.bot.stderr()
    );
    no_problems(&s);
}

#[tokio::test]
async fn a_stalled_post_times_out_and_is_resent_once_while_others_go_on() {
    let timeout = Duration::from_secs(2);
    let s = setup(&format!(
        "[delivery]\nsend_timeout_secs = {}\n",
        timeout.as_secs()
    ))
    .await;
    // Discord creates the first message in `a`, then never answers that request.
    s.standin.set_channel_fault(
        s.a,
        Some(ChannelFault::Stall {
            hold: Duration::from_secs(600),
            count: 1,
        }),
    );
    for i in 0..3 {
        s.bot
            .write_brief(&format!("stall-{i}"), &format!("Stall {i}"), NEWS);
    }
    let b_got = s.standin.wait_messages(s.b, 3, WAIT).await;
    assert_eq!(b_got.len(), 3);
    let a_got = s.standin.wait_messages(s.a, 3, WAIT).await;
    assert_eq!(a_got.len(), 3, "the stalled channel got every brief");

    let posts = posts_to(&s.standin, s.a);
    assert_eq!(posts.len(), 4, "one resend: {posts:#?}");
    let (stalled, resend) = (&posts[0], &posts[1]);
    assert!(stalled.held.is_some(), "the first post was the stalled one");
    assert_eq!(nonce(stalled), nonce(resend), "resent with the same nonce");
    assert!(
        resend.at >= stalled.at + timeout,
        "resent before the timeout"
    );
    assert!(resend.at < stalled.at + WAIT);
    let b_last = posts_to(&s.standin, s.b).last().expect("posts to b").at;
    assert!(b_last < resend.at, "channel b waited for channel a");
    assert!(
        s.bot.stderr().contains("timed out"),
        "the timeout is logged:\n{}",
        s.bot.stderr()
    );
    no_problems(&s);
}

#[tokio::test]
async fn a_5xx_burst_loses_and_doubles_nothing() {
    let s = setup("").await;
    s.standin.set_server_errors(Some(ServerErrors {
        status: 503,
        count: 4,
    }));
    for i in 0..2 {
        s.bot
            .write_brief(&format!("burst-{i}"), &format!("Burst {i}"), NEWS);
    }
    for ch in [s.a, s.b] {
        let got = s.standin.wait_messages(ch, 2, WAIT).await;
        assert_eq!(got.len(), 2, "channel {ch}");
    }
    let failed = s
        .standin
        .requests()
        .iter()
        .filter(|r| r.status == 503)
        .count();
    assert_eq!(failed, 4, "the burst was served");
    for ch in [s.a, s.b] {
        assert_eq!(s.standin.messages(ch).len(), 2, "no duplicate in {ch}");
    }
    no_problems(&s);
}

#[test]
fn send_timeout_secs_is_checked() {
    let path = Path::new("briefbot.toml");
    let c = Config::parse("", path).expect("defaults");
    assert_eq!(c.delivery.send_timeout_secs, 15);
    let c = Config::parse("[delivery]\nsend_timeout_secs = 2\n", path).expect("valid");
    assert_eq!(c.delivery.send_timeout_secs, 2);
    for bad in ["0", "301"] {
        let e = Config::parse(&format!("[delivery]\nsend_timeout_secs = {bad}\n"), path)
            .expect_err(bad);
        assert_eq!(e.key.as_deref(), Some("delivery.send_timeout_secs"));
        assert!(e.message.contains("1 to 300"), "{}", e.message);
    }
}
