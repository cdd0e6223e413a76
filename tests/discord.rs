//! End to end: the real `briefbot run` binary (serenity's real client) against the Discord
//! stand-in on 127.0.0.1. Registration, every command's callback against the core's reply,
//! buttons, autocomplete, ephemeral errors, the channel allowlist, reconnection, token
//! errors, graceful shutdown — and every request body validated against Discord's OpenAPI.

mod support;

use briefbot::commands::{Dispatcher, COMMANDS};
use briefbot::discord::layout;
use briefbot::reply::{Reply, ReplyKind};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;
use support::bot::BotProcess;
use support::discord::{OptionValue, StandIn, StandInConfig, MEMBER_PERMISSIONS};
use support::wait::{eventually, DEADLINE};

const WAIT: Duration = DEADLINE;

/// A slash command, its options, and the same command as a console line.
type Case<'a> = (&'a str, Vec<(&'a str, OptionValue)>, &'a str);

/// A console line's reply as the Discord adapter lays it out.
fn answer(d: &Dispatcher, line: &str) -> Reply {
    layout::fit(d.answer_now(line))
}

/// The dispatcher as the bot builds it from the same (default) config; its replies laid out
/// for Discord by [`answer`].
fn core() -> Dispatcher {
    let loaded = briefbot::app::load(&briefbot::app::Options {
        config: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/briefbot.example.toml")),
        briefs: None,
        ..Default::default()
    })
    .unwrap();
    Dispatcher::new(std::sync::Arc::new(loaded.core())).configured(&loaded.config)
}

/// Starts stand-in + bot and waits until the commands are registered.
async fn setup(extra: &str) -> (StandIn, BotProcess) {
    let standin = StandIn::start(StandInConfig::default()).await;
    let bot = BotProcess::start(&standin, false, extra);
    standin.wait_ready(WAIT).await.expect("bot connects");
    eventually("commands to be registered", || {
        !standin.guild_commands(standin.guild_id()).is_empty()
    })
    .await;
    (standin, bot)
}

fn string(v: &str) -> OptionValue {
    OptionValue::String(v.to_owned())
}

/// Sends a slash command in the default channel and returns the callback (type, data).
async fn slash(standin: &StandIn, name: &str, options: Vec<(&str, OptionValue)>) -> (u64, Value) {
    slash_in(standin, name, options, standin.channel_id()).await
}

async fn slash_in(
    standin: &StandIn,
    name: &str,
    options: Vec<(&str, OptionValue)>,
    channel: u64,
) -> (u64, Value) {
    let payload = standin.slash_command(
        name,
        options,
        channel,
        standin.guild_id(),
        MEMBER_PERMISSIONS,
    );
    let id = standin.dispatch_interaction(payload).await;
    let cb = standin.wait_callback(id, WAIT).await.expect("a callback");
    assert_eq!(cb.status, 204, "callback accepted");
    assert!(
        cb.elapsed < Duration::from_secs(3),
        "answered within Discord's 3 s: {:?}",
        cb.elapsed
    );
    (cb.kind, cb.data)
}

/// Asserts that a message's embed carries exactly the reply: title, footer, and each section's
/// text (joined across continuation fields).
fn assert_embed_is(data: &Value, reply: &Reply) {
    assert_eq!(reply.kind, ReplyKind::Answer);
    let embed = &data["embeds"][0];
    assert_eq!(embed["title"].as_str(), reply.title.as_deref());
    assert_eq!(embed["footer"]["text"].as_str(), reply.footer.as_deref());
    let fields = embed["fields"].as_array().cloned().unwrap_or_default();
    let mut by_section: Vec<(String, String)> = Vec::new();
    for f in &fields {
        let name = f["name"].as_str().unwrap();
        let value = f["value"].as_str().unwrap();
        match name.strip_suffix(" (cont.)") {
            Some(base) if by_section.last().is_some_and(|(h, _)| h == base) => {
                let last = by_section.last_mut().unwrap();
                last.1.push(' ');
                last.1.push_str(value);
            }
            _ => by_section.push((name.to_owned(), value.to_owned())),
        }
    }
    let want: Vec<(String, String)> = reply
        .sections
        .iter()
        .map(|s| (s.heading.clone(), s.text.clone()))
        .collect();
    let norm = |v: &[(String, String)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(h, t)| {
                (
                    h.clone(),
                    t.split_whitespace().collect::<Vec<_>>().join(" "),
                )
            })
            .collect()
    };
    assert_eq!(norm(&by_section), norm(&want));
}

fn assert_valid(standin: &StandIn) {
    let problems = standin.validation_problems();
    assert!(
        problems.is_empty(),
        "request bodies failed Discord's spec: {problems:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registers_the_cores_commands_by_guild_bulk_overwrite() {
    let (standin, _bot) = setup("").await;
    let registered = standin.guild_commands(standin.guild_id());
    let names: Vec<&str> = registered
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
    assert_eq!(names, want);
    for (c, spec) in registered.iter().zip(COMMANDS) {
        assert_eq!(c["description"], spec.description);
        let opts = c["options"].as_array().cloned().unwrap_or_default();
        let got: Vec<&str> = opts.iter().map(|o| o["name"].as_str().unwrap()).collect();
        let want: Vec<&str> = spec.options.iter().map(|o| o.name).collect();
        assert_eq!(got, want, "/{}", spec.name);
        for (o, s) in opts.iter().zip(spec.options) {
            let choices: Vec<&str> = o["choices"]
                .as_array()
                .map(|a| a.iter().map(|c| c["value"].as_str().unwrap()).collect())
                .unwrap_or_default();
            assert_eq!(choices, s.choices.to_vec(), "/{} {}", spec.name, s.name);
            assert_eq!(o["autocomplete"].as_bool().unwrap_or(false), s.autocomplete);
        }
        if spec.permission == briefbot::commands::Permission::ManageChannels {
            assert_eq!(
                c["default_member_permissions"], "16",
                "/{} needs Manage Channels",
                spec.name
            );
        }
    }
    assert!(
        standin.global_commands().is_empty(),
        "guild_ids set: nothing global"
    );
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_brief_command_answers_with_exactly_the_cores_reply() {
    let (standin, _bot) = setup("").await;
    let core = core();
    let cases: Vec<Case> = vec![
        ("brief", vec![], "/brief"),
        (
            "brief",
            vec![("query", string("grid")), ("section", string("next"))],
            "/brief query:grid section:next",
        ),
        (
            "brief",
            vec![("query", string("metro")), ("detail", string("full"))],
            "/brief query:metro detail:full",
        ),
        (
            "happening",
            vec![("query", string("drought"))],
            "/happening drought",
        ),
        (
            "importance",
            vec![("query", string("chip"))],
            "/importance chip",
        ),
        ("next", vec![("query", string("vaccine"))], "/next vaccine"),
        (
            "ask",
            vec![("question", string("why do the chip export rules matter?"))],
            "/ask why do the chip export rules matter?",
        ),
    ];
    for (name, options, line) in cases {
        let (kind, data) = slash(&standin, name, options).await;
        assert_eq!(kind, 4, "{line}");
        let reply = answer(&core, line);
        assert_embed_is(&data, &reply);
        assert_eq!(
            data["embeds"][0]["description"].as_str(),
            reply.message.as_deref(),
            "{line}"
        );
        assert!(
            data["components"][0]["components"]
                .as_array()
                .is_some_and(|b| !b.is_empty()),
            "{line}: view buttons"
        );
        assert_eq!(
            data["flags"].as_u64().unwrap_or(0) & 64,
            0,
            "{line}: answers are public"
        );
    }
    // /briefs lists every sample with its TL;DR; /help lists every command.
    let (_, data) = slash(&standin, "briefs", vec![]).await;
    let reply = answer(&core, "/briefs");
    let fields = data["embeds"][0]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), reply.items.len());
    for (f, item) in fields.iter().zip(&reply.items) {
        assert_eq!(f["name"], item.title.as_str());
        assert!(f["value"].as_str().unwrap().starts_with(&item.tldr));
    }
    let (_, data) = slash(&standin, "help", vec![]).await;
    let help = data["embeds"][0]["description"].as_str().unwrap();
    for c in COMMANDS {
        assert!(
            help.contains(&format!("/{}", c.name)),
            "help mentions /{}",
            c.name
        );
    }
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buttons_flip_sections_in_place() {
    let (standin, _bot) = setup("").await;
    let core = core();
    let payload = standin.slash_command(
        "brief",
        vec![("query", string("chip"))],
        standin.channel_id(),
        standin.guild_id(),
        MEMBER_PERMISSIONS,
    );
    let id = standin.dispatch_interaction(payload).await;
    standin.wait_callback(id, WAIT).await.unwrap();
    let message = standin.original_response(id).expect("the answer message");
    let buttons = message["components"][0]["components"]
        .as_array()
        .unwrap()
        .clone();
    let labels: Vec<&str> = buttons
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Happening", "Importance", "Next", "Full"]);
    for (button, line) in buttons.iter().zip([
        "/brief chip-export-rules section:happening",
        "/brief chip-export-rules section:importance",
        "/brief chip-export-rules section:next",
        "/brief chip-export-rules detail:full",
    ]) {
        let click = standin.button(
            button["custom_id"].as_str().unwrap(),
            standin.channel_id(),
            &message,
        );
        let cid = standin.dispatch_interaction(click).await;
        let cb = standin.wait_callback(cid, WAIT).await.unwrap();
        assert_eq!(cb.kind, 7, "UPDATE_MESSAGE for {line}");
        assert_embed_is(&cb.data, &answer(&core, line));
    }
    // A question that names nothing follows up on the brief the channel was shown.
    let (kind, data) = slash(
        &standin,
        "ask",
        vec![("question", string("what happens next?"))],
    )
    .await;
    assert_eq!(kind, 4);
    let said = data["embeds"][0]["description"].as_str().unwrap_or("");
    assert!(
        said.starts_with("Taken as a follow-up on") && said.contains("(chip-export-rules)"),
        "{data}"
    );
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_suggests_matching_briefs() {
    let (standin, _bot) = setup("").await;
    let payload = standin.autocomplete("brief", vec![("query", string("chip"))], "query");
    let id = standin.dispatch_interaction(payload).await;
    let cb = standin.wait_callback(id, WAIT).await.unwrap();
    assert_eq!(cb.kind, 8);
    let choices = cb.data["choices"].as_array().unwrap();
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert_eq!(choices[0]["value"], "chip-export-rules");
    assert!(choices
        .iter()
        .all(|c| c["name"].as_str().unwrap().chars().count() <= 100));
    // An empty query lists the newest briefs.
    let id = standin
        .dispatch_interaction(standin.autocomplete("next", vec![("query", string(""))], "query"))
        .await;
    let cb = standin.wait_callback(id, WAIT).await.unwrap();
    assert_eq!(cb.data["choices"][0]["value"], "league-salary-cap");
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_ephemeral_and_name_the_way_out() {
    let (standin, _bot) = setup("").await;
    let (kind, data) = slash(&standin, "brief", vec![("query", string("zzzqqq"))]).await;
    assert_eq!(kind, 4);
    assert_eq!(data["flags"].as_u64().unwrap() & 64, 64, "ephemeral");
    assert!(data["content"].as_str().unwrap().contains("try /briefs"));
    // (Every sample covers all three sections; the "does not cover" error is tested in
    // tests/commands.rs and tests/cli.rs.)
    let (_, data) = slash(&standin, "next", vec![("query", string("qqqzzz"))]).await;
    assert_eq!(data["flags"].as_u64().unwrap() & 64, 64);
    assert!(data["content"].as_str().unwrap().contains("try /briefs"));
    let (_, data) = slash(&standin, "briefs", vec![("page", OptionValue::Integer(9))]).await;
    assert_eq!(data["flags"].as_u64().unwrap() & 64, 64);
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_allowlist_is_enforced() {
    let standin_channels = StandInConfig::default().guilds[0].channels.clone();
    let (allowed, other) = (standin_channels[0].id, standin_channels[1].id);
    let (standin, _bot) = setup(&format!("[[channels]]\nid = {allowed}\ncommands = true\n")).await;
    let (_, data) = slash_in(&standin, "brief", vec![], allowed).await;
    assert!(data["embeds"][0]["title"].is_string());
    let (_, data) = slash_in(&standin, "brief", vec![], other).await;
    assert_eq!(data["flags"].as_u64().unwrap() & 64, 64);
    assert!(data["content"]
        .as_str()
        .unwrap()
        .contains("not enabled in this channel"));
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnects_after_the_gateway_closes() {
    let (standin, _bot) = setup("").await;
    let (kind, _) = slash(&standin, "help", vec![]).await;
    assert_eq!(kind, 4);
    let before = standin.identify_count() + standin.resume_count();
    standin.close_gateway().await;
    eventually("the bot to reconnect (identify or resume)", || {
        standin.identify_count() + standin.resume_count() > before
    })
    .await;
    standin.wait_ready(WAIT).await.unwrap();
    let (kind, data) = slash(&standin, "brief", vec![]).await;
    assert_eq!(kind, 4);
    assert!(data["embeds"][0]["title"].is_string());
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_is_one_clear_line_and_exit_2_without_the_token() {
    let standin = StandIn::start(StandInConfig::default()).await;
    standin.set_token_valid(false);
    let mut bot = BotProcess::start(&standin, false, "");
    let status = eventually("the bot to give up on a rejected token", || {
        bot.child().try_wait().unwrap()
    })
    .await;
    assert_eq!(status.code(), Some(2));
    let stderr = bot.stderr();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("rejected the bot token"), "{stderr}");
    assert!(
        !stderr.contains(standin.token()),
        "the token must never be printed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_closes_the_shards_and_exits_0() {
    let (standin, mut bot) = setup("").await;
    let pid = bot.pid();
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = eventually("the bot to stop on SIGTERM", || {
        bot.child().try_wait().unwrap().map(|s| s.code())
    })
    .await;
    assert_eq!(code, Some(0));
    assert_valid(&standin);
}

/// With a sentence encoder (`[answers] model`, here the tiny test model), `/ask` still
/// answers at once over the gateway: the encoding runs with the worker's other tasks handed
/// off (`block_in_place`), and the answer names its brief and section.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_with_a_sentence_encoder_answers_at_once() {
    let tiny = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert");
    let extra = format!("[answers]\nmodel = {:?}\n", tiny.display().to_string());
    let (standin, _bot) = setup(&extra).await;
    let (kind, data) = slash(
        &standin,
        "ask",
        vec![("question", string("why do the chip export rules matter?"))],
    )
    .await;
    assert_eq!(kind, 4, "{data}");
    let said = data["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(said.starts_with("Answered from"), "{data}");
    assert_valid(&standin);
}
