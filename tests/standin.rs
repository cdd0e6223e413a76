//! Self-test of the Discord stand-in (`tests/support/discord`): serenity's real `Http` and
//! `Client` against it, validation, rate limits, interaction deadlines, nonce dedup, faults
//! (per channel, 5xx bursts, an injected global 429, stalled answers), per-shard sessions
//! and routing by guild, a refused gateway.
//! Independent of briefbot's own code. Waits are [`eventually`]; the one sleep left is a
//! handler that is slow on purpose (the behaviour under test).

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use serenity::all::{
    ChannelId, Client, ClientBuilder, Command, CommandOptionType, Context,
    CreateAutocompleteResponse, CreateCommand, CreateCommandOption, CreateEmbed, CreateEmbedFooter,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateMessage, EditInteractionResponse, EventHandler, GatewayIntents, HttpBuilder, Interaction,
    Nonce, Permissions, ShardManager,
};
use serenity::http::{Http, HttpError};
use std::sync::Arc;
use support::discord::{
    ChannelFault, OptionValue, ServerErrors, StandIn, StandInConfig, MEMBER_PERMISSIONS,
};
use support::wait::eventually;
use tokio::sync::mpsc;
use tokio::time::timeout;

const LIMIT: Duration = Duration::from_secs(60);

fn proxy_http(s: &StandIn) -> Http {
    HttpBuilder::new(s.token())
        .proxy(s.http_url())
        .ratelimiter_disabled(true)
        .build()
}

fn discord_code(e: &serenity::Error) -> Option<isize> {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => Some(r.error.code),
        _ => None,
    }
}

async fn raw_post(s: &StandIn, path: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/v10{path}", s.http_url()))
        .header("Authorization", format!("Bot {}", s.token()))
        .json(body)
        .send()
        .await
        .expect("request")
}

/// Answers commands by name: "slow" after 600 ms, "twice" twice, anything else at once with
/// "pong <name>"; autocomplete with two choices; button clicks by updating the message.
/// Reports each response result on `tx`.
struct Handler {
    tx: mpsc::UnboundedSender<(String, Result<(), serenity::Error>)>,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(cmd) => {
                let name = cmd.data.name.clone();
                if name == "defer" {
                    let r = async {
                        cmd.defer(&ctx.http).await?;
                        cmd.edit_response(
                            &ctx.http,
                            EditInteractionResponse::new().content("done"),
                        )
                        .await?;
                        cmd.create_followup(
                            &ctx.http,
                            CreateInteractionResponseFollowup::new().content("more"),
                        )
                        .await?;
                        Ok(())
                    }
                    .await;
                    let _ = self.tx.send((name, r));
                    return;
                }
                if name == "slow" {
                    // The behaviour under test: a handler that answers after the (shortened)
                    // interaction deadline.
                    tokio::time::sleep(Duration::from_millis(600)).await;
                }
                let reply = || {
                    CreateInteractionResponse::Message(
                        CreateInteractionResponseMessage::new()
                            .content(format!("pong {name}"))
                            .embed(
                                CreateEmbed::new()
                                    .title("Brief")
                                    .description("What's happening"),
                            ),
                    )
                };
                let r = cmd.create_response(&ctx.http, reply()).await;
                if name == "twice" {
                    let _ = self.tx.send((format!("{name}#1"), r));
                    let r2 = cmd.create_response(&ctx.http, reply()).await;
                    let _ = self.tx.send((format!("{name}#2"), r2));
                } else {
                    let _ = self.tx.send((name, r));
                }
            }
            Interaction::Autocomplete(ac) => {
                let resp = CreateAutocompleteResponse::new()
                    .add_string_choice("Rust", "rust")
                    .add_string_choice("Go", "go");
                let r = ac
                    .create_response(&ctx.http, CreateInteractionResponse::Autocomplete(resp))
                    .await;
                let _ = self.tx.send(("autocomplete".into(), r));
            }
            Interaction::Component(c) => {
                let r = c
                    .create_response(
                        &ctx.http,
                        CreateInteractionResponse::UpdateMessage(
                            CreateInteractionResponseMessage::new().content("clicked"),
                        ),
                    )
                    .await;
                let _ = self.tx.send((c.data.custom_id.clone(), r));
            }
            _ => {}
        }
    }
}

type Results = mpsc::UnboundedReceiver<(String, Result<(), serenity::Error>)>;

async fn start_client(s: &StandIn) -> (Arc<ShardManager>, Results) {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut client: Client = ClientBuilder::new_with_http(proxy_http(s), GatewayIntents::GUILDS)
        .event_handler(Handler { tx })
        .await
        .expect("client");
    let manager = client.shard_manager.clone();
    tokio::spawn(async move {
        let _ = client.start().await;
    });
    s.wait_ready(Duration::from_secs(10)).await.expect("READY");
    (manager, rx)
}

async fn next_result(rx: &mut Results) -> (String, Result<(), serenity::Error>) {
    timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("handler result in time")
        .expect("handler alive")
}

#[tokio::test]
async fn rest_via_serenity_proxy_mode_and_validation() {
    timeout(LIMIT, async {
        let s = StandIn::start(StandInConfig::default()).await;
        let http = proxy_http(&s);
        let me = http.get_current_user().await.expect("get_current_user");
        assert_eq!(me.id.get(), s.application_id());
        let app = http.get_current_application_info().await.expect("application info");
        assert_eq!(app.id.get(), s.application_id());
        http.set_application_id(app.id);

        let commands = vec![
            CreateCommand::new("brief").description("A brief on a topic").add_option(
                CreateCommandOption::new(CommandOptionType::String, "topic", "What about").required(true).set_autocomplete(true),
            ),
            CreateCommand::new("setchannel")
                .description("Where briefs go")
                .default_member_permissions(Permissions::MANAGE_GUILD)
                .add_option(CreateCommandOption::new(CommandOptionType::Channel, "channel", "Target").required(true))
                .add_option(CreateCommandOption::new(CommandOptionType::Integer, "hour", "Hour of day").min_int_value(0).max_int_value(23)),
        ];
        let created = Command::set_global_commands(&http, commands).await.expect("set_global_commands");
        assert_eq!(created.len(), 2);
        assert!(created.iter().all(|c| c.application_id.get() == s.application_id()));
        assert_eq!(s.global_commands().len(), 2);
        let listed = Command::get_global_commands(&http).await.expect("get_global_commands");
        assert_eq!(listed.iter().map(|c| c.id).collect::<Vec<_>>(), created.iter().map(|c| c.id).collect::<Vec<_>>());

        let embed = CreateEmbed::new()
            .title("Today")
            .description("What's happening")
            .field("Why it matters", "Because", false)
            .footer(CreateEmbedFooter::new("briefbot"))
            .url("https://example.com/story")
            .colour(0x3366ff)
            .timestamp(serenity::model::Timestamp::now());
        let msg = ChannelId::new(s.channel_id())
            .send_message(&http, CreateMessage::new().content("hello").embed(embed))
            .await
            .expect("send_message");
        assert_eq!(msg.embeds.len(), 1);
        assert_eq!(msg.embeds[0].fields.len(), 1);
        assert_eq!(s.messages(s.channel_id()).len(), 1);
        let channel = ChannelId::new(s.channel_id()).to_channel(&http).await.expect("get channel");
        assert!(channel.guild().is_some());
        let history = ChannelId::new(s.channel_id()).messages(&http, serenity::builder::GetMessages::new().limit(10)).await.expect("history");
        assert_eq!(history.len(), 1);
        let problems = s.validation_problems();
        assert!(problems.is_empty(), "serenity's own bodies should validate: {problems:#?}");
        assert!(s.requests().iter().all(|r| r.scheme == "http" && r.status < 400));

        // Deliberately invalid bodies are rejected like Discord does, and flagged.
        let fields: Vec<Value> = (0..30).map(|i| json!({"name": format!("f{i}"), "value": "v"})).collect();
        let resp = raw_post(&s, &format!("/channels/{}/messages", s.channel_id()), &json!({"embeds": [{"title": "x", "fields": fields}]})).await;
        assert_eq!(resp.status(), 400);
        assert_eq!(resp.json::<Value>().await.unwrap()["code"], 50035);
        let resp = raw_post(&s, &format!("/channels/{}/messages", s.channel_id()), &json!({"content": "x".repeat(2500)})).await;
        assert_eq!(resp.status(), 400, "content over 2000 must be rejected although the spec allows 4000");
        let resp = raw_post(
            &s,
            &format!("/applications/{}/commands", s.application_id()),
            &json!({"name": "Bad Name", "description": "", "options": [{"type": 3, "name": "x", "description": "d", "choices": (0..26).map(|i| json!({"name": format!("c{i}"), "value": "v"})).collect::<Vec<_>>()}]}),
        )
        .await;
        assert_eq!(resp.status(), 400);
        let bad_embed = json!({"embeds": [{"title": "x", "url": "not a url", "color": 99_999_999}], "tts": "yes"});
        let resp = raw_post(&s, &format!("/channels/{}/messages", s.channel_id()), &bad_embed).await;
        assert_eq!(resp.status(), 400);
        let problems = s.validation_problems();
        assert!(problems.iter().any(|p| p.contains("spec: at /tts")), "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("spec: at /embeds/0/color")), "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("spec: at /embeds/0/url")), "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("fields")), "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("content has 2500")), "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("must be lowercase")), "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("26 choices")), "{problems:#?}");
        assert_eq!(s.messages(s.channel_id()).len(), 1, "rejected bodies create nothing");

        // Unknown routes, missing auth, revoked token.
        let client = reqwest::Client::new();
        let r = client.get(format!("{}/api/v10/nope", s.http_url())).send().await.unwrap();
        assert_eq!(r.status(), 404);
        assert_eq!(r.json::<Value>().await.unwrap(), json!({"message": "404: Not Found", "code": 0}));
        let r = client.get(format!("{}/api/v10/users/@me", s.http_url())).send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert!(r.headers().contains_key("x-ratelimit-limit"));
        s.set_token_valid(false);
        let err = http.get_current_user().await.expect_err("revoked token");
        assert_eq!(discord_code(&err), Some(0));
        assert!(err.to_string().contains("401") || format!("{err:?}").contains("401"), "{err:?}");
    })
    .await
    .expect("test timed out");
}

#[tokio::test]
async fn gateway_interactions_and_reconnect() {
    timeout(LIMIT, async {
        let cfg = StandInConfig {
            heartbeat_interval: Duration::from_millis(700),
            ..StandInConfig::default()
        };
        let s = StandIn::start(cfg).await;
        let (manager, mut rx) = start_client(&s).await;
        assert_eq!(s.identify_count(), 1);

        let p = s.slash_command(
            "brief",
            vec![("topic", "rust".into()), ("days", OptionValue::Integer(3))],
            s.channel_id(),
            s.guild_id(),
            MEMBER_PERMISSIONS,
        );
        let id = s.dispatch_interaction(p).await;
        let (name, result) = next_result(&mut rx).await;
        assert_eq!(name, "brief");
        result.expect("callback accepted");
        let cb = s
            .wait_callback(id, Duration::from_secs(5))
            .await
            .expect("callback");
        assert_eq!((cb.status, cb.kind), (204, 4));
        assert_eq!(cb.data["content"], "pong brief");
        let original = s.original_response(id).expect("original response");
        assert_eq!(original["content"], "pong brief");
        assert_eq!(s.messages(s.channel_id()).len(), 1);

        let p = s.slash_command(
            "setchannel",
            vec![("channel", OptionValue::Channel(s.channel_id()))],
            s.channel_id(),
            s.guild_id(),
            1 << 5,
        );
        s.dispatch_interaction(p).await;
        assert!(next_result(&mut rx).await.1.is_ok());

        let id = s
            .dispatch_interaction(s.autocomplete("brief", vec![("topic", "ru".into())], "topic"))
            .await;
        assert!(next_result(&mut rx).await.1.is_ok());
        let cb = s.wait_callback(id, Duration::from_secs(5)).await.unwrap();
        assert_eq!((cb.status, cb.kind), (204, 8));
        assert_eq!(cb.data["choices"].as_array().unwrap().len(), 2);

        let message = s.messages(s.channel_id())[0].clone();
        let id = s
            .dispatch_interaction(s.button("more", s.channel_id(), &message))
            .await;
        assert!(next_result(&mut rx).await.1.is_ok());
        assert_eq!(
            s.wait_callback(id, Duration::from_secs(5))
                .await
                .unwrap()
                .kind,
            7
        );
        assert_eq!(s.messages(s.channel_id())[0]["content"], "clicked");

        // Deferred response, edit of @original, follow-up.
        let id = s
            .dispatch_interaction(s.slash_command(
                "defer",
                vec![],
                s.channel_id(),
                s.guild_id(),
                MEMBER_PERMISSIONS,
            ))
            .await;
        next_result(&mut rx).await.1.expect("defer/edit/followup");
        assert_eq!(
            s.wait_callback(id, Duration::from_secs(5))
                .await
                .unwrap()
                .kind,
            5
        );
        assert_eq!(s.original_response(id).unwrap()["content"], "done");
        let contents: Vec<Value> = s
            .messages(s.channel_id())
            .iter()
            .map(|m| m["content"].clone())
            .collect();
        assert_eq!(
            contents[contents.len() - 2..],
            [json!("done"), json!("more")]
        );

        // A payload serenity would silently drop is refused before it is sent.
        let mut bad = s.slash_command("brief", vec![], s.channel_id(), s.guild_id(), 0);
        bad.as_object_mut().unwrap().remove("attachment_size_limit");
        let err = s.try_dispatch_interaction(bad).await.unwrap_err();
        assert!(err.contains("attachment_size_limit"), "{err}");

        // Heartbeats are acknowledged (interval 700 ms).
        eventually("a heartbeat", || s.heartbeat_count() > 0).await;

        // Dropped connection: serenity resumes and keeps answering.
        s.close_gateway().await;
        s.wait_ready(Duration::from_secs(15))
            .await
            .expect("reconnected");
        assert_eq!(s.resume_count(), 1);
        let id = s
            .dispatch_interaction(s.slash_command(
                "brief",
                vec![("topic", "go".into())],
                s.channel_id(),
                s.guild_id(),
                MEMBER_PERMISSIONS,
            ))
            .await;
        assert!(next_result(&mut rx).await.1.is_ok());
        assert_eq!(
            s.wait_callback(id, Duration::from_secs(5))
                .await
                .unwrap()
                .status,
            204
        );

        // A non-resumable close makes serenity IDENTIFY again (its shard queuer spaces boots
        // 5 s apart, so this takes ~5 s).
        s.close_gateway_with(4009, "Session timed out.").await;
        s.wait_ready(Duration::from_secs(15))
            .await
            .expect("re-identified");
        assert_eq!(s.identify_count(), 2);
        let id = s
            .dispatch_interaction(s.slash_command(
                "brief",
                vec![],
                s.channel_id(),
                s.guild_id(),
                MEMBER_PERMISSIONS,
            ))
            .await;
        assert!(next_result(&mut rx).await.1.is_ok());
        assert_eq!(
            s.wait_callback(id, Duration::from_secs(5))
                .await
                .unwrap()
                .status,
            204
        );

        let problems = s.validation_problems();
        assert!(problems.is_empty(), "{problems:#?}");
        manager.shutdown_all().await;
    })
    .await
    .expect("test timed out");
}

#[tokio::test]
async fn rate_limits_raw_and_through_serenity() {
    timeout(LIMIT, async {
        let cfg = StandInConfig {
            per_channel_window: Duration::from_secs(1),
            ..StandInConfig::default()
        };
        let s = StandIn::start(cfg).await;
        let path = format!("/channels/{}/messages", s.channel_id());
        for i in 0..5 {
            let r = raw_post(&s, &path, &json!({"content": format!("m{i}")})).await;
            assert_eq!(r.status(), 200);
            assert_eq!(r.headers()["x-ratelimit-limit"], "5");
            assert_eq!(
                r.headers()["x-ratelimit-remaining"],
                (4 - i).to_string().as_str()
            );
            assert!(r.headers().contains_key("x-ratelimit-reset"));
            assert!(r.headers().contains_key("x-ratelimit-reset-after"));
            assert!(r.headers().contains_key("x-ratelimit-bucket"));
        }
        let r = raw_post(&s, &path, &json!({"content": "m5"})).await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().contains_key("retry-after"));
        assert_eq!(r.headers()["x-ratelimit-scope"], "user");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["global"], false);
        assert!(body["retry_after"].as_f64().unwrap() > 0.0);
        assert_eq!(s.count_429(), 1);
        assert_eq!(s.messages(s.channel_id()).len(), 5);

        // serenity's real ratelimiter over HTTPS: sequential sends never see a 429.
        let http = HttpBuilder::new(s.token())
            .client(s.reqwest_client())
            .build();
        let news = s.config().guilds[0].channels[1].id;
        let before = s.count_429();
        for i in 0..10 {
            ChannelId::new(news)
                .say(&http, format!("seq {i}"))
                .await
                .expect("send via ratelimiter");
        }
        assert_eq!(s.messages(news).len(), 10);
        assert_eq!(
            s.count_429(),
            before,
            "serenity's bucket handling should avoid 429s"
        );
        assert!(s.requests().iter().any(|r| r.scheme == "https"));

        // Concurrent sends: serenity may hit 429s but retries until all 10 exist. (It sleeps
        // Retry-After while holding the bucket's lock, so concurrent 429s retry one by one.)
        let http = Arc::new(http);
        s.add_channel(s.guild_id(), 1_150_000_000_000_000_300, "burst");
        let tasks: Vec<_> = (0..10)
            .map(|i| {
                let http = http.clone();
                tokio::spawn(async move {
                    ChannelId::new(1_150_000_000_000_000_300)
                        .say(&http, format!("burst {i}"))
                        .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().expect("burst send");
        }
        assert_eq!(s.messages(1_150_000_000_000_000_300).len(), 10);
        assert!(
            s.validation_problems().is_empty(),
            "{:#?}",
            s.validation_problems()
        );

        // Global limit (scaled down), interaction routes exempt.
        let cfg = StandInConfig {
            global_per_second: 3,
            ..StandInConfig::default()
        };
        let g = StandIn::start(cfg).await;
        let client = reqwest::Client::new();
        let mut statuses = Vec::new();
        for _ in 0..5 {
            let r = client
                .get(format!("{}/api/v10/users/@me", g.http_url()))
                .header("Authorization", format!("Bot {}", g.token()))
                .send()
                .await
                .unwrap();
            statuses.push((
                r.status().as_u16(),
                r.headers().get("x-ratelimit-global").is_some(),
            ));
        }
        assert_eq!(statuses[..3], [(200, false); 3]);
        assert_eq!(statuses[3], (429, true));
    })
    .await
    .expect("test timed out");
}

#[tokio::test]
async fn late_and_double_callbacks() {
    timeout(LIMIT, async {
        let cfg = StandInConfig {
            interaction_timeout: Duration::from_millis(300),
            ..StandInConfig::default()
        };
        let s = StandIn::start(cfg).await;
        let (manager, mut rx) = start_client(&s).await;

        let id = s
            .dispatch_interaction(s.slash_command(
                "slow",
                vec![],
                s.channel_id(),
                s.guild_id(),
                MEMBER_PERMISSIONS,
            ))
            .await;
        let (_, result) = next_result(&mut rx).await;
        let err = result.expect_err("late callback must fail");
        assert_eq!(discord_code(&err), Some(10062), "{err:?}");
        let cb = s.wait_callback(id, Duration::from_secs(2)).await.unwrap();
        assert_eq!(cb.status, 404);
        assert!(cb.elapsed >= Duration::from_millis(300));

        s.dispatch_interaction(s.slash_command(
            "twice",
            vec![],
            s.channel_id(),
            s.guild_id(),
            MEMBER_PERMISSIONS,
        ))
        .await;
        assert!(next_result(&mut rx).await.1.is_ok());
        let (_, second) = next_result(&mut rx).await;
        assert_eq!(
            discord_code(&second.expect_err("second callback")),
            Some(40060)
        );
        manager.shutdown_all().await;
    })
    .await
    .expect("test timed out");
}

#[tokio::test]
async fn nonce_dedup_and_channel_faults() {
    timeout(LIMIT, async {
        // More than 5 creates per channel here: rate limits off.
        let s = StandIn::start(StandInConfig {
            rate_limits: false,
            ..StandInConfig::default()
        })
        .await;
        let http = proxy_http(&s);
        let ch = ChannelId::new(s.channel_id());
        let send = |enforce: bool| {
            CreateMessage::new()
                .content("once")
                .nonce(Nonce::String("brief-42".into()))
                .enforce_nonce(enforce)
        };
        let a = ch.send_message(&http, send(true)).await.unwrap();
        let b = ch.send_message(&http, send(true)).await.unwrap();
        assert_eq!(a.id, b.id, "enforce_nonce returns the original message");
        assert_eq!(s.messages(s.channel_id()).len(), 1);
        let c = ch.send_message(&http, send(false)).await.unwrap();
        assert_ne!(a.id, c.id, "without enforce_nonce a new message is created");
        let other = ChannelId::new(s.config().guilds[0].channels[1].id);
        let d = other.send_message(&http, send(true)).await.unwrap();
        assert_ne!(a.id, d.id, "nonces are per channel");

        s.set_channel_fault(
            s.channel_id(),
            Some(ChannelFault::ServerError {
                status: 502,
                count: 2,
            }),
        );
        assert!(ch.say(&http, "x").await.is_err());
        assert!(ch.say(&http, "x").await.is_err());
        ch.say(&http, "third time")
            .await
            .expect("fault cleared after 2");
        s.set_channel_fault(s.channel_id(), Some(ChannelFault::MissingAccess));
        assert_eq!(
            discord_code(&ch.say(&http, "x").await.unwrap_err()),
            Some(50001)
        );
        s.set_channel_fault(s.channel_id(), Some(ChannelFault::UnknownChannel));
        assert_eq!(
            discord_code(&ch.say(&http, "x").await.unwrap_err()),
            Some(10003)
        );
        s.set_channel_fault(s.channel_id(), None);
        assert_eq!(
            discord_code(&ChannelId::new(42).say(&http, "x").await.unwrap_err()),
            Some(10003)
        );
        assert!(
            s.validation_problems().is_empty(),
            "{:#?}",
            s.validation_problems()
        );
    })
    .await
    .expect("test timed out");
}

async fn raw_get(s: &StandIn, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}/api/v10{path}", s.http_url()))
        .header("Authorization", format!("Bot {}", s.token()))
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn injected_global_429_starts_at_the_next_request_and_lasts_retry_after() {
    timeout(LIMIT, async {
        let s = StandIn::start(StandInConfig::default()).await;
        let path = format!("/channels/{}/messages", s.channel_id());
        assert_eq!(raw_get(&s, "/users/@me").await.status(), 200);
        let retry_after = Duration::from_millis(1500);
        s.inject_global_429(retry_after);

        let r = raw_post(&s, &path, &json!({"content": "refused"})).await;
        let started = s.requests().last().expect("recorded").at;
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers()["retry-after"], "2", "whole seconds, rounded up");
        assert_eq!(r.headers()["x-ratelimit-global"], "true");
        assert_eq!(r.headers()["x-ratelimit-scope"], "global");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["global"], true);
        assert_eq!(body["retry_after"], 1.5);
        assert!(s.messages(s.channel_id()).is_empty(), "nothing was created");

        // Every other route is refused with what is left; interaction routes are exempt.
        let r = raw_get(&s, "/users/@me").await;
        assert_eq!(r.status(), 429);
        let left = r.json::<Value>().await.unwrap()["retry_after"]
            .as_f64()
            .unwrap();
        assert!(left > 0.0 && left <= 1.5, "{left}");
        let r = raw_post(&s, "/interactions/1/nope/callback", &json!({"type": 1})).await;
        assert_eq!(
            r.status(),
            404,
            "interaction routes ignore the global limit"
        );

        // serenity's view of the 429 (proxy mode): the status, and no retry_after or global
        // (its error body needs a `code`), which is why the bot reads the raw answer.
        let err = ChannelId::new(s.channel_id())
            .say(&proxy_http(&s), "refused too")
            .await
            .unwrap_err();
        match &err {
            serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
                assert_eq!(r.status_code.as_u16(), 429);
                assert_eq!(r.error.code, -1, "{err:?}");
            }
            other => panic!("expected a 429, got {other:?}"),
        }

        // The limit ends on time: poll until a request is accepted.
        let accepted = loop {
            let r = raw_get(&s, "/users/@me").await;
            if r.status() == 200 {
                break s.requests().last().expect("recorded").at;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert!(accepted >= started + retry_after);
        assert!(
            raw_post(&s, &path, &json!({"content": "ok"}))
                .await
                .status()
                == 200
        );
        assert_eq!(
            s.count_429(),
            s.requests()
                .iter()
                .filter(|r| r.status == 429 && r.at < started + retry_after)
                .count() as u64,
            "no 429 after the limit ended"
        );
        assert!(
            s.validation_problems().is_empty(),
            "{:#?}",
            s.validation_problems()
        );
    })
    .await
    .expect("test timed out");
}

#[tokio::test]
async fn stalled_answers_and_5xx_bursts() {
    timeout(LIMIT, async {
        let s = StandIn::start(StandInConfig::default()).await;
        let ch = s.channel_id();
        let path = format!("/channels/{ch}/messages");
        let body = json!({"content": "once", "nonce": "n-1", "enforce_nonce": true});

        // A stalled answer: the message is created, the answer is held back.
        let hold = Duration::from_secs(30);
        s.set_channel_fault(ch, Some(ChannelFault::Stall { hold, count: 1 }));
        let impatient = reqwest::Client::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let r = impatient
            .post(format!("{}/api/v10{path}", s.http_url()))
            .header("Authorization", format!("Bot {}", s.token()))
            .json(&body)
            .send()
            .await;
        assert!(r.is_err_and(|e| e.is_timeout()), "the answer was held");
        let created = s.wait_messages(ch, 1, Duration::from_secs(5)).await;
        assert_eq!(created.len(), 1, "the stalled request was carried out");
        let stalled = s.requests().last().cloned().expect("recorded");
        assert_eq!((stalled.status, stalled.held), (200, Some(hold)));

        // Only `count` requests stall; the resend with the nonce gets the same message.
        let r = raw_post(&s, &path, &body).await;
        assert_eq!(r.status(), 200);
        let again: Value = r.json().await.unwrap();
        assert_eq!(again["id"], created[0]["id"]);
        assert_eq!(s.messages(ch).len(), 1);
        assert_eq!(s.requests().last().expect("recorded").held, None);

        // A 5xx burst hits every route, then ends by itself.
        s.set_server_errors(Some(ServerErrors {
            status: 503,
            count: 2,
        }));
        assert_eq!(raw_get(&s, "/users/@me").await.status(), 503);
        let r = raw_post(&s, &path, &json!({"content": "x"})).await;
        assert_eq!(r.status(), 503);
        assert_eq!(r.json::<Value>().await.unwrap()["code"], 0);
        assert_eq!(raw_get(&s, "/users/@me").await.status(), 200);
        s.set_server_errors(Some(ServerErrors {
            status: 502,
            count: 5,
        }));
        let r = raw_get(&s, "/gateway").await;
        assert_eq!(r.status(), 502);
        assert!(r.text().await.unwrap().contains("cloudflare"));
        s.set_server_errors(None);
        assert_eq!(raw_get(&s, "/gateway").await.status(), 200);
        assert_eq!(s.messages(ch).len(), 1, "no message from a failed request");
        assert!(
            s.validation_problems().is_empty(),
            "{:#?}",
            s.validation_problems()
        );
    })
    .await
    .expect("test timed out");
}

#[tokio::test]
async fn bad_token_on_gateway_and_lifetime_cap() {
    timeout(LIMIT, async {
        use futures_util::{SinkExt, StreamExt};
        use tokio_tungstenite::tungstenite::Message;

        let cfg = StandInConfig {
            lifetime: Duration::from_millis(1500),
            ..StandInConfig::default()
        };
        let s = StandIn::start(cfg).await;
        let url = format!("{}/?v=10&encoding=json", s.gateway_url());
        let (mut ws, _) = tokio_tungstenite::connect_async(url.as_str())
            .await
            .unwrap();
        let hello: Value = match ws.next().await.unwrap().unwrap() {
            Message::Text(t) => serde_json::from_str(&t).unwrap(),
            other => panic!("expected HELLO, got {other:?}"),
        };
        assert_eq!(hello["op"], 10);
        let identify = json!({"op": 2, "d": {"token": "wrong", "intents": 1, "properties": {},
            "shard": [0, 1]}});
        ws.send(Message::Text(identify.to_string())).await.unwrap();
        match ws.next().await.unwrap().unwrap() {
            Message::Close(Some(frame)) => assert_eq!(u16::from(frame.code), 4004),
            other => panic!("expected close 4004, got {other:?}"),
        }

        // serenity's client gives up on 4004 (start() returns an error). The client is built
        // first: building fetches GET /gateway, and serenity silently falls back to
        // wss://gateway.discord.gg when that request fails.
        let mut client = ClientBuilder::new_with_http(proxy_http(&s), GatewayIntents::GUILDS)
            .await
            .unwrap();
        s.set_token_valid(false);
        let started = timeout(Duration::from_secs(10), client.start()).await;
        assert!(
            matches!(started, Ok(Err(_))),
            "client.start() should fail: {started:?}"
        );
        assert_eq!(s.identify_count(), 0);

        // After `lifetime` the listeners are closed.
        let gateway_port = s.gateway_url().rsplit(':').next().unwrap().to_owned();
        let ports = [
            s.http_url().rsplit(':').next().unwrap().to_owned(),
            s.https_port().to_string(),
            gateway_port.trim_end_matches('/').to_owned(),
        ];
        eventually(
            "the stand-in's lifetime to end (every listener closed)",
            || {
                ports
                    .iter()
                    .all(|p| std::net::TcpStream::connect(format!("127.0.0.1:{p}")).is_err())
            },
        )
        .await;
        let r = reqwest::Client::new()
            .get(format!("{}/api/v10/gateway", s.http_url()))
            .send()
            .await;
        assert!(r.is_err(), "HTTP listener should be closed: {r:?}");
        assert!(tokio_tungstenite::connect_async(url.as_str())
            .await
            .is_err());
        let https = s
            .reqwest_client()
            .get("https://discord.com/api/v10/gateway")
            .send()
            .await;
        assert!(https.is_err(), "HTTPS listener should be closed: {https:?}");
    })
    .await
    .expect("test timed out");
}

/// One serenity client running shard `shard` of `total` against the stand-in.
async fn start_shard(s: &StandIn, shard: u32, total: u32) -> (Arc<ShardManager>, Results) {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut client: Client = ClientBuilder::new_with_http(proxy_http(s), GatewayIntents::GUILDS)
        .event_handler(Handler { tx })
        .await
        .expect("client");
    let manager = client.shard_manager.clone();
    tokio::spawn(async move {
        let _ = client.start_shard(shard, total).await;
    });
    s.wait_shard_ready(shard, Duration::from_secs(10))
        .await
        .expect("READY");
    (manager, rx)
}

#[tokio::test]
async fn shards_get_their_own_guilds_and_a_refused_gateway_answers_503() {
    timeout(LIMIT, async {
        // Guild ids whose shard of 2 is 0 and 1: (id >> 22) % 2.
        let on = |shard: u64| ((1_150_000_000_000_000_000_u64 >> 22) / 2 * 2 + 2 + shard) << 22;
        let guild = |shard: u64| support::discord::GuildSpec {
            id: on(shard),
            name: format!("guild {shard}"),
            channels: vec![support::discord::ChannelSpec {
                id: on(shard) + 7,
                name: "general".into(),
            }],
        };
        let s = StandIn::start(StandInConfig {
            guilds: vec![guild(0), guild(1)],
            shards: 2,
            ..StandInConfig::default()
        })
        .await;
        let gateway = proxy_http(&s).get_bot_gateway().await.expect("gateway/bot");
        assert_eq!(gateway.shards, 2);

        let (_a, rx_a) = start_shard(&s, 0, 2).await;
        let (_b, rx_b) = start_shard(&s, 1, 2).await;
        assert_eq!(s.live_shards(), vec![0, 1]);
        assert_eq!(s.identified_shards(), vec![[0, 2], [1, 2]]);
        let mut rxs = [rx_a, rx_b];
        for shard in [0_u64, 1] {
            let [rx_0, rx_1] = &mut rxs;
            let (rx, other) = if shard == 0 {
                (rx_0, rx_1)
            } else {
                (rx_1, rx_0)
            };
            let g = guild(shard);
            assert_eq!(s.shard_of(g.id), shard as u32);
            let p = s.slash_command(
                &format!("on{shard}"),
                vec![],
                g.channels[0].id,
                g.id,
                MEMBER_PERMISSIONS,
            );
            let id = s.dispatch_interaction(p).await;
            let (name, result) = next_result(rx).await;
            assert_eq!(name, format!("on{shard}"), "the guild's shard got it");
            result.expect("callback accepted");
            assert_eq!(s.wait_callback(id, LIMIT).await.unwrap().status, 204);
            assert!(other.try_recv().is_err(), "the other shard got nothing");
        }

        s.refuse_gateway(true).await;
        assert!(s.live_shards().is_empty(), "refusing closes the sessions");
        let refused = tokio_tungstenite::connect_async(format!("{}/?v=10", s.gateway_url())).await;
        match refused {
            Err(tokio_tungstenite::tungstenite::Error::Http(r)) => {
                assert_eq!(r.status().as_u16(), 503)
            }
            other => panic!("expected a 503 handshake, got {:?}", other.map(|_| ())),
        }
        s.refuse_gateway(false).await;
        s.wait_ready(LIMIT).await.expect("both shards back");
        assert!(
            s.validation_problems().is_empty(),
            "{:#?}",
            s.validation_problems()
        );
    })
    .await
    .expect("within the limit");
}
