//! End to end: subscriptions through the real `briefbot run` binary against the Discord
//! stand-in (rate limits on). Subscribing by interaction, topic filters, permission and
//! config-file refusals, fan-out to 200 channels without a 429, crash safety (SIGKILL mid
//! fan-out, restart, every channel gets the brief exactly once), and pausing a channel the
//! bot cannot reach. "Nothing else is posted" is checked once the bot reports that it has
//! loaded the brief and sent everything planned ([`BotProcess::settled`]).

mod support;

use serde_json::Value;
use std::time::{Duration, Instant};
use support::bot::BotProcess;
use support::discord::{ChannelFault, OptionValue, StandIn, StandInConfig, MEMBER_PERMISSIONS};
use support::wait::{eventually, DEADLINE};

const WAIT: Duration = DEADLINE;
const MANAGE_CHANNELS: u64 = 1 << 4;
/// The stand-in's second default channel ("news").
const NEWS: u64 = 1_150_000_000_000_000_201;

/// Starts stand-in + bot (with `channels` extra channels added first) and waits until it
/// registered its commands and planned the briefs on hand (its folder watcher is running).
async fn setup(extra: &str, channels: &[u64]) -> (StandIn, BotProcess) {
    let standin = StandIn::start(StandInConfig::default()).await;
    for (i, c) in channels.iter().enumerate() {
        standin.add_channel(standin.guild_id(), *c, &format!("sub-{i}"));
    }
    let bot = BotProcess::start(&standin, true, extra);
    standin.wait_ready(WAIT).await.expect("bot connects");
    eventually("commands to be registered", || {
        !standin.guild_commands(standin.guild_id()).is_empty()
    })
    .await;
    bot.started().await;
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
    eventually("the original response to carry an embed", || {
        standin
            .original_response(id)
            .filter(|m| m["embeds"].as_array().is_some_and(|e| !e.is_empty()))
    })
    .await
}

/// Waits for an ephemeral follow-up (POST /webhooks/{app}/{token}) and returns its body.
async fn wait_ephemeral_followup(standin: &StandIn) -> Value {
    eventually("a follow-up message", || {
        standin
            .requests()
            .into_iter()
            .find(|r| {
                r.method == "POST"
                    && r.route == "/webhooks/{webhook_id}/{webhook_token}"
                    && r.status < 300
            })
            .map(|r| r.body.unwrap_or(Value::Null))
    })
    .await
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

    let written = bot.write_brief("x1", "Grid news", "energy");
    assert_eq!(bot.settled(&written).await, 1, "one delivery planned");
    let got = standin.messages(channel);
    assert_eq!(got.len(), before + 1, "one new message: {got:#?}");
    let posted = &got[before];
    assert_eq!(posted["embeds"][0]["title"], "Grid news", "{posted}");
    // A changed file updates the brief but is not posted again.
    let changed = bot.write_brief("x1", "Grid news, updated", "energy");
    assert_eq!(
        bot.settled(&changed).await,
        0,
        "nothing planned for a change"
    );
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
    assert_eq!(bot.started().await, 1, "planned at start");
    bot.idle().await;
    let got = standin.messages(channel);
    assert_eq!(got.len(), 1, "exactly once: {got:#?}");
    assert_eq!(got[0]["embeds"][0]["title"], "Posted after restart");
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

    let written = bot.write_brief("e1", "Grid news", "energy");
    assert_eq!(bot.settled(&written).await, 1, "planned for one channel");
    let news = standin.messages(NEWS);
    assert_eq!(news.len(), 1, "energy channel gets it");
    assert_eq!(news[0]["embeds"][0]["title"], "Grid news");
    assert_eq!(
        standin.messages(general).len(),
        general_before,
        "sports channel gets nothing"
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_channels_each_get_one_message_without_429() {
    let channels = many_channels(200);
    let (standin, bot) = setup(&config_subs(&channels, ""), &channels).await;
    let started = Instant::now();
    let written = bot.write_brief("m1", "Grid news", "energy");
    assert_eq!(
        bot.settled(&written).await,
        200,
        "planned for every channel"
    );
    let took = started.elapsed();
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
    eventually("the fan-out to be under way (50 sent)", || {
        let (total, _) = tally(&standin, &channels);
        (total >= 50).then_some(()).ok_or(format!("{total} sent"))
    })
    .await;
    bot.kill();
    let (at_kill, _) = tally(&standin, &channels);
    assert!(at_kill < 200, "killed mid fan-out ({at_kill} sent)");

    // The restarted bot plans nothing new: it resumes the pending rows, then goes idle.
    bot.spawn(&standin);
    assert_eq!(bot.started().await, 0, "nothing planned twice");
    bot.idle().await;
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

    // Idle: the reachable channel was served and the other one paused.
    let written = bot.write_brief("f1", "Grid news", "energy");
    assert_eq!(bot.settled(&written).await, 2, "planned for both channels");
    let got = standin.messages(standin_general);
    assert_eq!(got.len(), 1, "the reachable channel gets it");
    assert_eq!(got[0]["embeds"][0]["title"], "Grid news");

    // /subscriptions shows the faulty channel paused, with the reason.
    let (id, kind, _) = slash(
        &standin,
        "subscriptions",
        vec![],
        standin_general,
        MEMBER_PERMISSIONS,
    )
    .await;
    assert_eq!(kind, 5, "deferred");
    let listing = embed_text(&wait_original_embed(&standin, id).await);
    assert!(listing.contains(&format!("#{NEWS}")), "{listing}");
    assert!(listing.contains("Paused"), "{listing}");
    assert!(
        listing.contains("Missing Access"),
        "reason shown: {listing}"
    );
    assert_eq!(standin.messages(NEWS).len(), 0);
    assert_valid(&standin);
}
