//! End to end, issue 8's Discord-side hardening: the real `briefbot run` binary (serenity's
//! real client) against the Discord stand-in, every request body validated against
//! Discord's OpenAPI description.
//!
//! - tenancy: subscription commands act only on channels of the interaction's guild (two
//!   guilds), refuse in DMs, list only the interaction's guild, and are registered for guild
//!   contexts only;
//! - every interaction is answered: buttons where commands are off, tampered custom ids and
//!   modal submits get an ephemeral error;
//! - long input is echoed only cut short, and every error still reaches the user within
//!   Discord's limits;
//! - every message carries `allowed_mentions` with no parse, and only http(s) sources are
//!   linked;
//! - operators see each channel's last delivery and last error in `/subscriptions` (and the
//!   ledger read behind it, on its own), and `/preview` posts the newest matching brief now.

mod support;

use briefbot::store::Store;
use serde_json::Value;
use std::time::Duration;
use support::bot::BotProcess;
use support::discord::{
    ChannelFault, ChannelSpec, GuildSpec, OptionValue, StandIn, StandInConfig, MEMBER_PERMISSIONS,
};
use support::wait::eventually;

const WAIT: Duration = support::wait::DEADLINE;
const MANAGE_CHANNELS: u64 = 1 << 4;
const ADMIN: u64 = MEMBER_PERMISSIONS | MANAGE_CHANNELS;

/// The stand-in's default guild and its two channels.
const GUILD_A: u64 = 1_150_000_000_000_000_100;
const A_GENERAL: u64 = 1_150_000_000_000_000_200;
const A_NEWS: u64 = 1_150_000_000_000_000_201;
/// A second guild the bot is in.
const GUILD_B: u64 = 1_150_000_000_000_000_300;
const B_GENERAL: u64 = 1_150_000_000_000_000_400;
const B_NEWS: u64 = 1_150_000_000_000_000_401;
/// A channel added to guild B while the bot runs, and an id Discord does not know.
const B_LATE: u64 = 1_150_000_000_000_000_402;
const UNKNOWN: u64 = 1_150_000_000_000_000_999;
/// The bot's DM channel with the test user.
const DM: u64 = 1_150_000_000_000_000_777;

fn two_guilds() -> StandInConfig {
    let mut cfg = StandInConfig::default();
    cfg.guilds.push(GuildSpec {
        id: GUILD_B,
        name: "Other Guild".into(),
        channels: vec![
            ChannelSpec {
                id: B_GENERAL,
                name: "b-general".into(),
            },
            ChannelSpec {
                id: B_NEWS,
                name: "b-news".into(),
            },
        ],
    });
    cfg
}

/// Starts the stand-in and the bot, and waits until the commands are registered (the
/// folder watcher starts before the gateway connects, so it is running then too).
async fn setup(cfg: StandInConfig, folder: bool, extra: &str) -> (StandIn, BotProcess) {
    let standin = StandIn::start(cfg).await;
    let bot = BotProcess::start(&standin, folder, extra);
    standin.wait_ready(WAIT).await.expect("bot connects");
    eventually("command registration", || {
        (!standin.guild_commands(GUILD_A).is_empty()).then_some(())
    })
    .await;
    (standin, bot)
}

/// What the user saw for one interaction.
#[derive(Debug)]
enum Seen {
    /// A public answer: the callback's message, or the edited deferred original.
    Public(Value),
    /// An ephemeral answer: the callback's data, or the deferred command's follow-up.
    Private(Value),
}

impl Seen {
    fn public(self) -> Value {
        match self {
            Seen::Public(v) => v,
            Seen::Private(v) => panic!("expected a public answer, got the error {v}"),
        }
    }

    /// The text of an ephemeral error (at most 2,000 characters: Discord's limit).
    fn private(self) -> String {
        match self {
            Seen::Private(v) => {
                let text = v["content"].as_str().expect("error text").to_owned();
                assert!(
                    text.chars().count() <= 2000,
                    "{} characters",
                    text.chars().count()
                );
                text
            }
            Seen::Public(v) => panic!("expected an ephemeral error, got {v}"),
        }
    }
}

/// Dispatches an interaction and waits for what the user sees. The first callback must be
/// accepted within Discord's 3 s; a deferred answer must then be edited or followed up.
async fn interact(standin: &StandIn, payload: Value) -> Seen {
    let token = payload["token"].as_str().unwrap().to_owned();
    let id = standin.dispatch_interaction(payload).await;
    let cb = standin.wait_callback(id, WAIT).await.expect("a callback");
    assert_eq!(cb.status, 204, "callback accepted: {:?}", cb.data);
    assert!(cb.elapsed < Duration::from_secs(3), "{:?}", cb.elapsed);
    let ephemeral = |v: &Value| v["flags"].as_u64().unwrap_or(0) & 64 == 64;
    match cb.kind {
        4 | 7 if ephemeral(&cb.data) => Seen::Private(cb.data),
        4 | 7 => Seen::Public(cb.data),
        5 => {
            let followup = format!("/api/v10/webhooks/{}/{token}", standin.application_id());
            eventually("the deferred answer", || {
                if let Some(m) = standin.original_response(id) {
                    if m["embeds"].as_array().is_some_and(|e| !e.is_empty()) {
                        return Some(Seen::Public(m));
                    }
                }
                standin
                    .requests()
                    .into_iter()
                    .find(|r| r.method == "POST" && r.path == followup && r.status < 300)
                    .map(|r| Seen::Private(r.body.unwrap_or(Value::Null)))
            })
            .await
        }
        other => panic!("unexpected callback type {other}"),
    }
}

/// A slash command in `channel` of `guild` by a member with `perms`.
async fn slash(
    standin: &StandIn,
    name: &str,
    options: Vec<(&str, OptionValue)>,
    (guild, channel): (u64, u64),
    perms: u64,
) -> Seen {
    let payload = standin.slash_command(name, options, channel, guild, perms);
    interact(standin, payload).await
}

/// A command's options.
type Options<'a> = Vec<(&'a str, OptionValue)>;

/// The bot's posts in `channel` (deliveries and previews), without interaction answers.
fn posts(standin: &StandIn, channel: u64) -> Vec<Value> {
    standin
        .messages(channel)
        .into_iter()
        .filter(|m| m.get("interaction_metadata").is_none())
        .collect()
}

/// Waits until `channel` holds `n` posts; returns them.
async fn wait_posts(standin: &StandIn, channel: u64, n: usize) -> Vec<Value> {
    eventually(&format!("{n} posts in {channel}"), || {
        let got = posts(standin, channel);
        (got.len() >= n).then_some(got)
    })
    .await
}

fn text(v: &str) -> OptionValue {
    OptionValue::String(v.to_owned())
}

fn assert_valid(standin: &StandIn) {
    let problems = standin.validation_problems();
    assert!(
        problems.is_empty(),
        "request bodies failed Discord's spec: {problems:#?}"
    );
}

/// Writes a brief with front matter into the bot's folder atomically.
fn write_brief(bot: &BotProcess, id: &str, front: &str, body: &str) {
    let dir = bot.dir().join("briefs");
    let tmp = dir.join(format!("{id}.tmp"));
    std::fs::write(&tmp, format!("+++\nid = \"{id}\"\n{front}+++\n{body}")).unwrap();
    std::fs::rename(&tmp, dir.join(format!("{id}.md"))).unwrap();
}

fn plain_body() -> &'static str {
    "What's Happening?\nThe grid grew.\nWhy It's Important?\nIt matters.\n"
}

// ----- 10: tenancy ------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscription_commands_act_only_on_the_interactions_guild() {
    let extra = format!("[[subscriptions]]\nchannel = {A_NEWS}\n");
    let (standin, bot) = setup(two_guilds(), true, &extra).await;
    let refused = "not one of this server's channels";

    // From guild B, guild A's channel is out of reach: subscribe, unsubscribe, preview.
    for name in ["subscribe", "unsubscribe", "preview"] {
        let seen = slash(
            &standin,
            name,
            vec![("channel", OptionValue::Channel(A_GENERAL))],
            (GUILD_B, B_GENERAL),
            ADMIN,
        )
        .await;
        let error = seen.private();
        assert!(error.contains(refused), "/{name}: {error}");
    }
    // Its own channels are fine.
    let seen = slash(
        &standin,
        "subscribe",
        vec![("channel", OptionValue::Channel(B_NEWS))],
        (GUILD_B, B_GENERAL),
        ADMIN,
    )
    .await;
    assert!(seen.public().to_string().contains("Subscribed"));
    // From guild A, guild B's channels are out of reach, subscribed or not.
    for (name, channel) in [("subscribe", B_GENERAL), ("unsubscribe", B_NEWS)] {
        let seen = slash(
            &standin,
            name,
            vec![("channel", OptionValue::Channel(channel))],
            (GUILD_A, A_GENERAL),
            ADMIN,
        )
        .await;
        assert!(seen.private().contains(refused), "/{name} {channel}");
    }
    // A channel created after the bot connected (not in any GUILD_CREATE): Discord is
    // asked where it lives. An id Discord does not know is refused too.
    standin.add_channel(GUILD_B, B_LATE, "b-late");
    for (guild, channel, refuse) in [
        (GUILD_A, B_LATE, true),
        (GUILD_B, B_LATE, false),
        (GUILD_A, UNKNOWN, true),
    ] {
        let seen = slash(
            &standin,
            "subscribe",
            vec![("channel", OptionValue::Channel(channel))],
            (
                guild,
                if guild == GUILD_A {
                    A_GENERAL
                } else {
                    B_GENERAL
                },
            ),
            ADMIN,
        )
        .await;
        if refuse {
            assert!(seen.private().contains(refused), "{guild} → {channel}");
        } else {
            assert!(seen.public().to_string().contains("Subscribed"));
        }
    }
    let looked_up = |channel: u64| {
        standin
            .requests()
            .iter()
            .any(|r| r.method == "GET" && r.path == format!("/api/v10/channels/{channel}"))
    };
    assert!(looked_up(B_LATE) && looked_up(UNKNOWN));
    assert!(
        !looked_up(A_GENERAL),
        "channels from GUILD_CREATE need no request"
    );

    let db = bot.store().await;
    assert!(db.subscription(A_GENERAL).await.unwrap().is_none());
    assert!(db.subscription(UNKNOWN).await.unwrap().is_none());
    assert!(db.subscription(B_GENERAL).await.unwrap().is_none());
    let b_news = db.subscription(B_NEWS).await.unwrap().expect("still there");
    assert_eq!(b_news.guild_id, Some(GUILD_B));

    // Each guild's list shows its own channels only, the config file's included where its
    // channel lives.
    let list = |guild, channel| {
        let standin = &standin;
        async move {
            slash(standin, "subscriptions", vec![], (guild, channel), 0)
                .await
                .public()
                .to_string()
        }
    };
    let in_b = list(GUILD_B, B_GENERAL).await;
    assert!(in_b.contains(&format!("#{B_NEWS}")), "{in_b}");
    assert!(!in_b.contains(&A_NEWS.to_string()), "{in_b}");
    let in_a = list(GUILD_A, A_GENERAL).await;
    assert!(in_a.contains(&format!("#{A_NEWS}")), "{in_a}");
    assert!(!in_a.contains(&B_NEWS.to_string()), "{in_a}");

    // In a DM: refused, nothing listed.
    for name in ["subscriptions", "subscribe", "preview"] {
        let payload = standin.dm_slash_command(
            name,
            vec![("channel", OptionValue::Channel(A_GENERAL))]
                .into_iter()
                .filter(|_| name != "subscriptions")
                .collect(),
            DM,
        );
        let error = interact(&standin, payload).await.private();
        assert!(error.contains("only in a server"), "/{name}: {error}");
        assert!(!error.contains(&A_NEWS.to_string()));
    }

    // A new brief reaches the subscribed channels, and no other.
    write_brief(&bot, "t1", "title = \"Tenancy news\"\n", plain_body());
    for channel in [A_NEWS, B_NEWS, B_LATE] {
        wait_posts(&standin, channel, 1).await;
    }
    for channel in [A_GENERAL, B_GENERAL] {
        assert!(posts(&standin, channel).is_empty(), "{channel}");
    }
    let subscribed: Vec<u64> = db
        .subscriptions()
        .await
        .unwrap()
        .iter()
        .map(|s| s.channel_id)
        .collect();
    assert_eq!(subscribed.len(), 3, "{subscribed:?}");
    for channel in [A_NEWS, B_NEWS, B_LATE] {
        assert!(subscribed.contains(&channel), "{channel}: {subscribed:?}");
    }

    // The subscription commands are registered for guild contexts only, not in DMs.
    let bulk = standin
        .requests()
        .into_iter()
        .find(|r| {
            r.method == "PUT"
                && r.route == "/applications/{application_id}/guilds/{guild_id}/commands"
        })
        .and_then(|r| r.body)
        .expect("bulk overwrite");
    for name in ["subscribe", "unsubscribe", "subscriptions", "preview"] {
        let c = bulk
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("/{name} registered"));
        assert_eq!(c["contexts"], serde_json::json!([0]), "/{name}");
        assert_eq!(c["dm_permission"], false, "/{name}");
    }
    assert_valid(&standin);
}

// ----- 11: every interaction is answered -------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_interaction_gets_an_answer() {
    let extra = format!(
        "[[channels]]\nid = {A_GENERAL}\ncommands = true\n[[channels]]\nid = {A_NEWS}\ncommands = false\n"
    );
    let (standin, _bot) = setup(StandInConfig::default(), false, &extra).await;
    let payload = standin.slash_command(
        "brief",
        vec![("query", text("chip"))],
        A_GENERAL,
        GUILD_A,
        MEMBER_PERMISSIONS,
    );
    let id = standin.dispatch_interaction(payload).await;
    standin.wait_callback(id, WAIT).await.expect("a callback");
    let message = standin.original_response(id).expect("the answer message");
    let button = message["components"][0]["components"][0]["custom_id"]
        .as_str()
        .expect("a view button")
        .to_owned();
    // The same button works where commands are on …
    let flip = interact(&standin, standin.button(&button, A_GENERAL, &message)).await;
    assert!(flip.public()["embeds"][0]["title"].is_string());
    // … and is refused, privately, where they are off.
    let error = interact(&standin, standin.button(&button, A_NEWS, &message))
        .await
        .private();
    assert!(error.contains("not enabled in this channel"), "{error}");
    // Tampered ids, a brief that is gone, and a modal: an ephemeral error each.
    for custom_id in [
        "garbage",
        "brief:xxx:alpha",
        "brief:",
        "brief:all:no-such-brief",
    ] {
        let error = interact(&standin, standin.button(custom_id, A_GENERAL, &message))
            .await
            .private();
        assert!(
            error.contains("did not understand") || error.contains("no longer loaded"),
            "{custom_id}: {error}"
        );
    }
    let modal = standin.modal_submit("feedback", A_GENERAL, "text", "hello");
    let error = interact(&standin, modal).await.private();
    assert!(error.contains("did not understand"), "{error}");
    assert_valid(&standin);
}

// ----- 12: long input ----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_input_is_echoed_cut_short_and_every_error_still_answers() {
    let (standin, _bot) = setup(StandInConfig::default(), false, "").await;
    let long = "9".repeat(2100);
    let at = ADMIN;
    let cases: Vec<(&str, Options, u64, &str)> = vec![
        (
            "subscribe",
            vec![("mode", text("daily")), ("at", text(&long))],
            at,
            "is not a time",
        ),
        (
            "subscribe",
            vec![("topics", text(&long))],
            at,
            "longer than 100 characters",
        ),
        (
            "subscribe",
            vec![("topics", text(&"a,".repeat(1000)))],
            at,
            "at most 25",
        ),
        ("brief", vec![("query", text(&long))], 0, "No brief matches"),
        (
            "brief",
            vec![("query", text("grid")), ("section", text(&long))],
            0,
            "is not a valid section",
        ),
        ("briefs", vec![("query", text(&long))], 0, "try /briefs"),
    ];
    for (name, options, perms, want) in cases {
        let error = slash(&standin, name, options, (GUILD_A, A_GENERAL), perms)
            .await
            .private();
        assert!(error.contains(want), "/{name}: {error}");
        assert!(
            !error.contains(&"9".repeat(100)),
            "/{name} echoes at most a short piece of the input: {} characters",
            error.len()
        );
    }
    // Autocomplete on a long partial still answers, with names within 100 characters.
    let id = standin
        .dispatch_interaction(standin.autocomplete("brief", vec![("query", text(&long))], "query"))
        .await;
    let cb = standin.wait_callback(id, WAIT).await.expect("a callback");
    assert_eq!((cb.kind, cb.status), (8, 204));
    assert!(cb.data["choices"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["name"].as_str().unwrap().chars().count() <= 100));
    assert_valid(&standin);
}

// ----- 15: no mentions, web links only ----------------------------------------------

/// Whether a message body forbids every mention.
fn mentions_nobody(body: &Value) -> bool {
    let m = &body["allowed_mentions"];
    m["parse"].as_array().is_some_and(|p| p.is_empty())
        && m["users"].as_array().is_none_or(|u| u.is_empty())
        && m["roles"].as_array().is_none_or(|r| r.is_empty())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_mentions_nobody_and_links_only_the_web() {
    let (standin, bot) = setup(StandInConfig::default(), true, "").await;
    // A subscription, so that briefs are also posted to the channel.
    let seen = slash(&standin, "subscribe", vec![], (GUILD_A, A_GENERAL), ADMIN).await;
    assert!(seen.public().to_string().contains("Subscribed"));
    let pings = "What's Happening?\nA council vote @everyone @here <@1150000000000000900> <@&1150000000000000100> saw.\nWhy It's Important?\nIt matters.\n";
    write_brief(
        &bot,
        "hostile",
        "title = \"Council vote\"\nsource = \"javascript:alert(1)\"\npublished = 2026-11-20T10:00:00Z\n",
        pings,
    );
    write_brief(
        &bot,
        "linked",
        "title = \"Harbor line\"\nsource = \"https://example.org/harbor\"\npublished = 2026-11-19T10:00:00Z\n",
        plain_body(),
    );
    let delivered = wait_posts(&standin, A_GENERAL, 2).await;
    let post = |title: &str| {
        delivered
            .iter()
            .find(|m| m["embeds"][0]["title"] == title)
            .unwrap_or_else(|| panic!("{title} posted: {delivered:#?}"))
            .clone()
    };
    assert!(post("Council vote")["embeds"][0].get("url").is_none());
    assert_eq!(
        post("Harbor line")["embeds"][0]["url"],
        "https://example.org/harbor"
    );

    // Every way the bot answers: an immediate answer, a button update, an immediate error,
    // a deferred answer (edit) and a deferred error (follow-up).
    let payload = standin.slash_command(
        "brief",
        vec![("query", text("hostile"))],
        A_GENERAL,
        GUILD_A,
        0,
    );
    let answer = interact(&standin, payload.clone()).await.public();
    assert!(answer["embeds"][0].get("url").is_none(), "{answer}");
    let id: u64 = payload["id"].as_str().unwrap().parse().unwrap();
    let message = standin.original_response(id).expect("the answer message");
    let button = message["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap()
        .to_owned();
    interact(&standin, standin.button(&button, A_GENERAL, &message))
        .await
        .public();
    let listing = slash(&standin, "briefs", vec![], (GUILD_A, A_GENERAL), 0)
        .await
        .public()
        .to_string();
    assert!(listing.contains("[source](https://example.org/harbor)"));
    assert!(!listing.contains("javascript:"), "{listing}");
    slash(
        &standin,
        "brief",
        vec![("query", text("zzzqq"))],
        (GUILD_A, A_GENERAL),
        0,
    )
    .await
    .private();
    slash(&standin, "subscriptions", vec![], (GUILD_A, A_GENERAL), 0)
        .await
        .public();
    slash(
        &standin,
        "unsubscribe",
        vec![("channel", OptionValue::Channel(A_NEWS))],
        (GUILD_A, A_GENERAL),
        ADMIN,
    )
    .await
    .private();

    // Every message-bearing request, of every kind, forbids all mentions.
    let mut kinds = std::collections::BTreeSet::new();
    for r in standin.requests() {
        let Some(body) = &r.body else { continue };
        let message = match (r.method.as_str(), r.route.as_str()) {
            ("POST", "/interactions/{interaction_id}/{interaction_token}/callback") => {
                match body["type"].as_u64() {
                    Some(4 | 7) => &body["data"],
                    _ => continue,
                }
            }
            ("POST", "/channels/{channel_id}/messages")
            | ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original")
            | ("POST", "/webhooks/{webhook_id}/{webhook_token}") => body,
            _ => continue,
        };
        assert!(
            mentions_nobody(message),
            "{} {} lets mentions through: {message}",
            r.method,
            r.route
        );
        kinds.insert(format!("{} {}", r.method, r.route));
    }
    assert_eq!(
        kinds.len(),
        4,
        "callbacks, channel posts, edits, follow-ups: {kinds:?}"
    );
    assert_valid(&standin);
}

// ----- 16: operators see what happened ----------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_show_the_last_delivery_and_error_and_preview_posts_now() {
    let (standin, bot) = setup(StandInConfig::default(), true, "").await;
    for channel in [A_GENERAL, A_NEWS] {
        let seen = slash(
            &standin,
            "subscribe",
            vec![
                ("channel", OptionValue::Channel(channel)),
                ("topics", text("energy")),
            ],
            (GUILD_A, A_GENERAL),
            ADMIN,
        )
        .await;
        assert!(seen.public().to_string().contains("Subscribed"));
    }
    // Nothing to preview yet.
    let error = slash(&standin, "preview", vec![], (GUILD_A, A_GENERAL), ADMIN)
        .await
        .private();
    assert!(error.contains("nothing to preview"), "{error}");

    let energy = |title: &str, day: u32| {
        format!(
            "title = \"{title}\"\ntopics = [\"energy\"]\npublished = 2026-11-{day:02}T08:00:00Z\n"
        )
    };
    write_brief(&bot, "first", &energy("First grid brief", 1), plain_body());
    for channel in [A_GENERAL, A_NEWS] {
        wait_posts(&standin, channel, 1).await;
    }
    // #news loses the bot's access; the next brief reaches #general only, and #news is
    // paused with the reason.
    standin.set_channel_fault(A_NEWS, Some(ChannelFault::MissingAccess));
    write_brief(
        &bot,
        "second",
        &energy("Second grid brief", 2),
        plain_body(),
    );
    wait_posts(&standin, A_GENERAL, 2).await;
    let db = bot.store().await;
    // The pass that planned "second" is done once the bot reports idle: #news's 403 has
    // been handled by then.
    bot.idle().await;
    let paused = db
        .subscription(A_NEWS)
        .await
        .unwrap()
        .and_then(|s| s.paused);
    assert!(paused.is_some(), "#news was not paused");

    let list = slash(&standin, "subscriptions", vec![], (GUILD_A, A_GENERAL), 0)
        .await
        .public();
    let field = |channel: u64| {
        list["embeds"][0]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == format!("#{channel}"))
            .map(|f| f["value"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("#{channel} listed: {list}"))
    };
    let general = field(A_GENERAL);
    assert!(
        general.contains("Last delivered: \"Second grid brief\" at 20"),
        "{general}"
    );
    assert!(!general.contains("Last error"), "{general}");
    let news = field(A_NEWS);
    assert!(
        news.contains("Last delivered: \"First grid brief\""),
        "{news}"
    );
    assert!(news.contains("Paused"), "{news}");
    assert!(
        news.contains("Last error (\"Second grid brief\", still to be sent)")
            && news.contains("Missing Access"),
        "{news}"
    );

    // /preview posts the newest matching brief in the channel now …
    let seen = slash(&standin, "preview", vec![], (GUILD_A, A_GENERAL), ADMIN)
        .await
        .public();
    assert!(seen.to_string().contains("Preview posted"), "{seen}");
    let got = wait_posts(&standin, A_GENERAL, 3).await;
    assert_eq!(got.len(), 3);
    assert_eq!(got[2]["embeds"][0]["title"], "Second grid brief");
    // … says why it cannot, where the bot has no access …
    let error = slash(
        &standin,
        "preview",
        vec![("channel", OptionValue::Channel(A_NEWS))],
        (GUILD_A, A_GENERAL),
        ADMIN,
    )
    .await
    .private();
    assert!(error.contains("Could not post the preview"), "{error}");
    assert!(error.contains("Missing Access"), "{error}");
    // … and needs Manage Channels.
    let error = slash(&standin, "preview", vec![], (GUILD_A, A_GENERAL), 0)
        .await
        .private();
    assert!(error.contains("Manage Channels"), "{error}");
    assert_eq!(posts(&standin, A_GENERAL).len(), 3, "no other post");
    assert_eq!(
        posts(&standin, A_NEWS).len(),
        1,
        "nothing got through to #news"
    );
    assert_valid(&standin);
}

/// The ledger read behind `/subscriptions`: the newest sent row, and the newest row with an
/// error together with how it ended.
#[tokio::test]
async fn channel_activity_is_the_last_sent_row_and_the_last_error() {
    use briefbot::store::{DeliveryKind, DeliveryStatus, Mode, NewDelivery, Origin, Subscription};
    let db = Store::open_in_memory().await.unwrap();
    let sub = Subscription::new(5, Some(GUILD_A), &[], Mode::Instant, Origin::Command, 0);
    db.upsert_subscription(&sub).await.unwrap();
    assert_eq!(db.channel_activity(5).await.unwrap(), Default::default());
    let row = |key: &str, at: i64| NewDelivery {
        channel_id: 5,
        key: key.into(),
        nonce: format!("n-{key}"),
        kind: DeliveryKind::Brief(key.into()),
        created_at_ms: at,
        seq: 0,
    };
    db.enqueue(&[row("a", 1), row("b", 2), row("c", 3)])
        .await
        .unwrap();
    db.record_attempt(5, "a", "503 Service Unavailable")
        .await
        .unwrap();
    db.mark_sent(5, "a", 10).await.unwrap();
    db.mark_sent(5, "b", 20).await.unwrap();
    let activity = db.channel_activity(5).await.unwrap();
    assert_eq!(
        activity.last_sent,
        Some((DeliveryKind::Brief("b".into()), 20))
    );
    assert_eq!(
        activity.last_error,
        Some((
            DeliveryKind::Brief("a".into()),
            "503 Service Unavailable".into(),
            DeliveryStatus::Sent
        ))
    );
    db.mark_failed(5, "c", "400 Invalid Form Body")
        .await
        .unwrap();
    let activity = db.channel_activity(5).await.unwrap();
    assert_eq!(
        activity.last_error,
        Some((
            DeliveryKind::Brief("c".into()),
            "400 Invalid Form Body".into(),
            DeliveryStatus::Failed
        ))
    );
    assert_eq!(db.channel_activity(6).await.unwrap(), Default::default());
}
