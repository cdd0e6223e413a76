//! End to end: subscriptions through the real `briefbot run` binary against the Discord
//! stand-in (rate limits on). Subscribing by interaction, topic filters, permission and
//! config-file refusals, fan-out to 200 channels without a 429, crash safety (SIGKILL mid
//! fan-out, restart, every channel gets the brief exactly once), and pausing a channel the
//! bot cannot reach.

mod support;

use serde_json::Value;
use std::time::{Duration, Instant};
use support::bot::BotProcess;
use support::discord::{ChannelFault, OptionValue, StandIn, StandInConfig, MEMBER_PERMISSIONS};

const WAIT: Duration = Duration::from_secs(10);
const MANAGE_CHANNELS: u64 = 1 << 4;
/// The stand-in's second default channel ("news").
const NEWS: u64 = 1_150_000_000_000_000_201;

/// Waits until the bot registered its commands (then its folder watcher is running).
async fn wait_registered(standin: &StandIn) {
    let deadline = Instant::now() + WAIT;
    while standin.guild_commands(standin.guild_id()).is_empty() {
        assert!(Instant::now() < deadline, "commands were never registered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Starts stand-in + bot (with `channels` extra channels added first) and waits for it.
async fn setup(extra: &str, channels: &[u64]) -> (StandIn, BotProcess) {
    let standin = StandIn::start(StandInConfig::default()).await;
    for (i, c) in channels.iter().enumerate() {
        standin.add_channel(standin.guild_id(), *c, &format!("sub-{i}"));
    }
    let bot = BotProcess::start(&standin, true, extra);
    standin.wait_ready(WAIT).await.expect("bot connects");
    wait_registered(&standin).await;
    (standin, bot)
}

/// Sends `/name` in `channel` with `perms`; returns (interaction id, callback type, data).
async fn slash(
    standin: &StandIn,
    name: &str,
    options: Vec<(&str, OptionValue)>,
    channel: u64,
    perms: u64,
) -> (u64, u64, Value) {
    let payload = standin.slash_command(name, options, channel, standin.guild_id(), perms);
    let id = standin.dispatch_interaction(payload).await;
    let cb = standin.wait_callback(id, WAIT).await.expect("a callback");
    assert_eq!(cb.status, 204, "callback accepted");
    assert!(cb.elapsed < Duration::from_secs(3), "{:?}", cb.elapsed);
    (id, cb.kind, cb.data)
}

/// Waits until the deferred original response carries an embed; returns the message.
async fn wait_original_embed(standin: &StandIn, id: u64) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(m) = standin.original_response(id) {
            if m["embeds"].as_array().is_some_and(|e| !e.is_empty()) {
                return m;
            }
        }
        assert!(Instant::now() < deadline, "original response never edited");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for an ephemeral follow-up (POST /webhooks/{app}/{token}) and returns its body.
async fn wait_ephemeral_followup(standin: &StandIn) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let found = standin.requests().into_iter().find(|r| {
            r.method == "POST"
                && r.route == "/webhooks/{webhook_id}/{webhook_token}"
                && r.status < 300
        });
        if let Some(r) = found {
            return r.body.unwrap_or(Value::Null);
        }
        assert!(Instant::now() < deadline, "no follow-up was sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn embed_text(m: &Value) -> String {
    m["embeds"].to_string()
}

fn assert_valid(standin: &StandIn) {
    let problems = standin.validation_problems();
    assert!(
        problems.is_empty(),
        "request bodies failed Discord's spec: {problems:#?}"
    );
}

fn config_subs(channels: &[u64], topics: &str) -> String {
    channels
        .iter()
        .map(|c| format!("[[subscriptions]]\nchannel = {c}\ntopics = [{topics}]\n"))
        .collect()
}

fn many_channels(n: u64) -> Vec<u64> {
    (0..n).map(|i| 1_150_000_000_000_010_000 + i).collect()
}

fn perms_with_manage() -> u64 {
    MEMBER_PERMISSIONS | MANAGE_CHANNELS
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_by_interaction_then_a_new_brief_is_posted_once() {
    let (standin, bot) = setup("", &[]).await;
    let channel = standin.channel_id();
    let (id, kind, _) = slash(&standin, "subscribe", vec![], channel, perms_with_manage()).await;
    assert_eq!(kind, 5, "subscription commands defer");
    let original = wait_original_embed(&standin, id).await;
    assert!(
        embed_text(&original).contains("Subscribed"),
        "original: {original}"
    );
    let before = standin.messages(channel).len();

    bot.write_brief("x1", "Grid news", "energy");
    let got = standin
        .wait_messages(channel, before + 1, Duration::from_secs(5))
        .await;
    assert_eq!(got.len(), before + 1, "one new message: {got:#?}");
    let posted = &got[before];
    assert_eq!(posted["embeds"][0]["title"], "Grid news", "{posted}");
    // A changed file updates the brief but is not posted again.
    bot.write_brief("x1", "Grid news, updated", "energy");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(standin.messages(channel).len(), before + 1, "no duplicate");
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_brief_that_appears_while_the_bot_is_down_is_delivered_after_it_starts() {
    let channel = StandInConfig::default().guilds[0].channels[0].id;
    let (standin, mut bot) = setup(&config_subs(&[channel], ""), &[]).await;
    bot.kill();
    bot.write_brief("while-down", "Posted after restart", "energy");
    bot.spawn(&standin);
    let got = standin
        .wait_messages(channel, 1, Duration::from_secs(10))
        .await;
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0]["embeds"][0]["title"], "Posted after restart");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(standin.messages(channel).len(), 1, "exactly once");
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn topic_filter_posts_only_matching_briefs() {
    let (standin, bot) = setup("", &[]).await;
    let general = standin.channel_id();
    let (id, kind, _) = slash(
        &standin,
        "subscribe",
        vec![("topics", OptionValue::String("sports".into()))],
        general,
        perms_with_manage(),
    )
    .await;
    assert_eq!(kind, 5);
    assert!(embed_text(&wait_original_embed(&standin, id).await).contains("Subscribed"));
    let (id, kind, _) = slash(
        &standin,
        "subscribe",
        vec![
            ("channel", OptionValue::Channel(NEWS)),
            ("topics", OptionValue::String("energy".into())),
        ],
        general,
        perms_with_manage(),
    )
    .await;
    assert_eq!(kind, 5);
    assert!(embed_text(&wait_original_embed(&standin, id).await).contains("Subscribed"));
    let general_before = standin.messages(general).len();

    bot.write_brief("e1", "Grid news", "energy");
    let news = standin.wait_messages(NEWS, 1, Duration::from_secs(5)).await;
    assert_eq!(news.len(), 1, "energy channel gets it");
    assert_eq!(news[0]["embeds"][0]["title"], "Grid news");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        standin.messages(general).len(),
        general_before,
        "sports channel gets nothing"
    );
    assert_eq!(standin.messages(NEWS).len(), 1);
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_ephemeral_and_config_subscriptions_are_read_only() {
    let extra = config_subs(&[NEWS], "");
    let (standin, _bot) = setup(&extra, &[]).await;
    let general = standin.channel_id();

    // No Manage Channels: refused at once, privately.
    let (_, kind, data) = slash(&standin, "subscribe", vec![], general, 0).await;
    assert_eq!(kind, 4, "answered at once: {data}");
    assert_eq!(data["flags"].as_u64().unwrap_or(0) & 64, 64, "ephemeral");
    assert!(data.to_string().contains("Manage Channels"), "{data}");

    // A config subscription cannot be removed from Discord.
    let (_, kind, _) = slash(
        &standin,
        "unsubscribe",
        vec![("channel", OptionValue::Channel(NEWS))],
        general,
        perms_with_manage(),
    )
    .await;
    assert_eq!(kind, 5, "deferred");
    let followup = wait_ephemeral_followup(&standin).await;
    assert_eq!(
        followup["flags"].as_u64().unwrap_or(0) & 64,
        64,
        "ephemeral: {followup}"
    );
    assert!(
        followup["content"]
            .as_str()
            .is_some_and(|c| c.contains("config file")),
        "{followup}"
    );
    assert_valid(&standin);
}

/// Total messages and the channels that have more than one.
fn tally(standin: &StandIn, channels: &[u64]) -> (usize, Vec<(u64, usize)>) {
    let mut total = 0;
    let mut dups = Vec::new();
    for c in channels {
        let n = standin.messages(*c).len();
        total += n;
        if n > 1 {
            dups.push((*c, n));
        }
    }
    (total, dups)
}

async fn wait_all(standin: &StandIn, channels: &[u64], timeout: Duration) {
    let deadline = Instant::now() + timeout;
    loop {
        let missing = channels
            .iter()
            .filter(|c| standin.messages(**c).is_empty())
            .count();
        if missing == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{missing} channels never got the brief"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_channels_each_get_one_message_without_429() {
    let channels = many_channels(200);
    let (standin, bot) = setup(&config_subs(&channels, ""), &channels).await;
    let started = Instant::now();
    bot.write_brief("m1", "Grid news", "energy");
    wait_all(&standin, &channels, Duration::from_secs(30)).await;
    let took = started.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (total, dups) = tally(&standin, &channels);
    assert!(dups.is_empty(), "duplicates: {dups:?}");
    assert_eq!(total, 200);
    for c in &channels {
        assert_eq!(standin.messages(*c)[0]["embeds"][0]["title"], "Grid news");
    }
    assert_eq!(standin.count_429(), 0, "paced under Discord's limits");
    assert!(took > Duration::from_secs(3), "45/s cap: took {took:?}");
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_fan_out_then_restart_delivers_exactly_once() {
    let channels = many_channels(200);
    let (standin, mut bot) = setup(&config_subs(&channels, ""), &channels).await;
    bot.write_brief("k1", "Grid news", "energy");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (total, _) = tally(&standin, &channels);
        if total >= 50 {
            break;
        }
        assert!(Instant::now() < deadline, "fan-out never started: {total}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    bot.kill();
    let (at_kill, _) = tally(&standin, &channels);
    assert!(at_kill < 200, "killed mid fan-out ({at_kill} sent)");

    bot.spawn(&standin);
    wait_all(&standin, &channels, Duration::from_secs(40)).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (total, dups) = tally(&standin, &channels);
    assert!(dups.is_empty(), "duplicates after restart: {dups:?}");
    assert_eq!(total, 200);
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_channel_is_paused_and_others_still_get_the_brief() {
    let standin_general = 1_150_000_000_000_000_200u64;
    let extra = config_subs(&[standin_general, NEWS], "");
    let (standin, bot) = setup(&extra, &[]).await;
    assert_eq!(standin.channel_id(), standin_general);
    standin.set_channel_fault(NEWS, Some(ChannelFault::MissingAccess));

    bot.write_brief("f1", "Grid news", "energy");
    let got = standin
        .wait_messages(standin_general, 1, Duration::from_secs(5))
        .await;
    assert_eq!(got.len(), 1, "the reachable channel gets it");
    assert_eq!(got[0]["embeds"][0]["title"], "Grid news");

    // /subscriptions shows the faulty channel paused, with the reason.
    let deadline = Instant::now() + WAIT;
    let listing = loop {
        let (id, kind, _) = slash(
            &standin,
            "subscriptions",
            vec![],
            standin_general,
            MEMBER_PERMISSIONS,
        )
        .await;
        assert_eq!(kind, 5, "deferred");
        let text = embed_text(&wait_original_embed(&standin, id).await);
        if text.contains("Paused") || Instant::now() > deadline {
            break text;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert!(listing.contains(&format!("#{NEWS}")), "{listing}");
    assert!(listing.contains("Paused"), "{listing}");
    assert!(
        listing.contains("Missing Access"),
        "reason shown: {listing}"
    );
    assert_eq!(standin.messages(NEWS).len(), 0);
    assert_valid(&standin);
}
