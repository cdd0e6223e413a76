//! A local stand-in for Discord (REST API v10 + Gateway v10) for end-to-end tests.
//!
//! This file owns the public face: [`StandInConfig`], [`StandIn`] (start, addresses, the
//! reqwest client for HTTPS mode, inspection, fault injection, dispatch helpers and payload
//! builders) and the lifecycle (everything stops on drop or after `lifetime`). The halves
//! live in `rest` (HTTP pipeline) with `endpoints`, and `gateway` (websocket); `ratelimit`,
//! `validate` (OpenAPI + Discord limits), `payloads` (JSON shapes + serenity checks), `state`
//! and `tls` sit beside them.
//!
//! Sharding as on Discord: `GET /gateway/bot` recommends [`StandInConfig::shards`], each
//! IDENTIFY names its `[shard, count]` and gets only that shard's guilds, and every dispatch
//! goes to the session of its guild's shard, `(guild_id >> 22) % count` (DMs: shard 0).
//!
//! Two ways to point serenity at it:
//! - proxy mode: `HttpBuilder::new(token).proxy(standin.http_url()).ratelimiter_disabled(true)`
//!   (serenity ignores the proxy when its ratelimiter is enabled);
//! - HTTPS mode: `HttpBuilder::new(token).client(standin.reqwest_client())`, which resolves
//!   `discord.com` to the stand-in and trusts its CA, exercising serenity's real ratelimiter.

mod endpoints;
mod gateway;
mod payloads;
mod ratelimit;
mod rest;
mod state;
mod tls;
mod validate;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use payloads::{OptionValue, MEMBER_PERMISSIONS, TEST_USER_ID};
pub use state::{CallbackRecord, ChannelFault, RecordedRequest, ServerErrors};

use state::{InteractionState, Outgoing, Shared};

/// Top-level options of a command interaction: `(option name, value)` pairs.
pub type CommandOptions<'a> = Vec<(&'a str, OptionValue)>;

/// A text channel in a configured guild.
#[derive(Clone, Debug)]
pub struct ChannelSpec {
    /// Channel id.
    pub id: u64,
    /// Channel name.
    pub name: String,
}

/// A guild the bot is in (sent in READY and as GUILD_CREATE).
#[derive(Clone, Debug)]
pub struct GuildSpec {
    /// Guild id.
    pub id: u64,
    /// Guild name.
    pub name: String,
    /// Its text channels.
    pub channels: Vec<ChannelSpec>,
}

/// Configuration of a [`StandIn`]; `Default` gives one guild with two channels and Discord's limits.
#[derive(Clone, Debug)]
pub struct StandInConfig {
    /// The bot token the stand-in accepts (`Authorization: Bot <token>`, IDENTIFY/RESUME).
    pub token: String,
    /// Application id (also the bot user's id).
    pub application_id: u64,
    /// Bot username.
    pub bot_username: String,
    /// Guilds the bot is in.
    pub guilds: Vec<GuildSpec>,
    /// Enforce rate limits (headers are sent either way).
    pub rate_limits: bool,
    /// Global requests per second across all non-interaction routes (Discord: 50).
    pub global_per_second: u32,
    /// Message creates per channel per window (Discord: 5).
    pub per_channel: u32,
    /// Window of the per-channel message limit (Discord: 5 s).
    pub per_channel_window: Duration,
    /// Limit of every other route bucket.
    pub route_limit: u32,
    /// Window of every other route bucket.
    pub route_window: Duration,
    /// Deadline for the initial interaction callback (Discord: 3 s).
    pub interaction_timeout: Duration,
    /// How long a message nonce is remembered for `enforce_nonce` (Discord: "a few minutes").
    pub nonce_window: Duration,
    /// HELLO's heartbeat interval (Discord: ~41.25 s).
    pub heartbeat_interval: Duration,
    /// Answer heartbeats with op 11 (turn off to make the client see a zombie connection).
    pub ack_heartbeats: bool,
    /// The shard count `GET /gateway/bot` recommends (what serenity's "auto" uses).
    pub shards: u32,
    /// Answer requests with invalid bodies with 400 50035, as Discord does (otherwise they are
    /// only recorded as problems and processed anyway).
    pub reject_invalid: bool,
    /// Hard cap on the stand-in's life; listeners close after it.
    pub lifetime: Duration,
}

impl Default for StandInConfig {
    fn default() -> Self {
        StandInConfig {
            token: "MTE1MDAwMDAwMDAwMDAwMDAwMA.GstdIn.stand-in-token-0123456789abcdefABCDEF".into(),
            application_id: 1_150_000_000_000_000_001,
            bot_username: "briefbot".into(),
            guilds: vec![GuildSpec {
                id: 1_150_000_000_000_000_100,
                name: "Stand-in Guild".into(),
                channels: vec![
                    ChannelSpec {
                        id: 1_150_000_000_000_000_200,
                        name: "general".into(),
                    },
                    ChannelSpec {
                        id: 1_150_000_000_000_000_201,
                        name: "news".into(),
                    },
                ],
            }],
            rate_limits: true,
            global_per_second: 50,
            per_channel: 5,
            per_channel_window: Duration::from_secs(5),
            route_limit: 50,
            route_window: Duration::from_secs(1),
            interaction_timeout: Duration::from_secs(3),
            nonce_window: Duration::from_secs(180),
            heartbeat_interval: Duration::from_millis(41_250),
            ack_heartbeats: true,
            shards: 1,
            reject_invalid: true,
            lifetime: Duration::from_secs(300),
        }
    }
}

/// Inputs of a command/autocomplete interaction payload.
struct CommandRequest<'a> {
    kind: u8,
    name: &'a str,
    options: &'a [(&'a str, OptionValue)],
    focused: Option<&'a str>,
    channel_id: u64,
    guild_id: u64,
    member_permissions: u64,
}

/// A running stand-in. Dropping it stops all listeners and connections.
pub struct StandIn {
    shared: Arc<Shared>,
    ca_der: Vec<u8>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.shared.shutdown.send(true);
        for t in &self.tasks {
            t.abort();
        }
    }
}

async fn bind() -> TcpListener {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("bind 127.0.0.1:0")
}

impl StandIn {
    /// Starts the HTTP, HTTPS and gateway listeners on 127.0.0.1 (ephemeral ports).
    pub async fn start(cfg: StandInConfig) -> StandIn {
        let (http, https, gw) = (bind().await, bind().await, bind().await);
        let port = |l: &TcpListener| l.local_addr().unwrap().port();
        let lifetime = cfg.lifetime;
        let shared = Shared::new(cfg, port(&http), port(&https), port(&gw));
        let tls = tls::generate();
        let mut tasks = Vec::new();

        let shutdown = |s: &Arc<Shared>| {
            let mut rx = s.shutdown.subscribe();
            async move {
                let _ = rx.wait_for(|v| *v).await;
            }
        };
        let app = rest::router(shared.clone(), "http");
        let stop = shutdown(&shared);
        tasks.push(tokio::spawn(async move {
            let http = axum::serve::ListenerExt::tap_io(http, |tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let _ = axum::serve(http, app).with_graceful_shutdown(stop).await;
        }));
        let (tls_listener, accept_task) =
            tls::TlsListener::spawn(https, tls.acceptor, shared.shutdown.subscribe());
        tasks.push(accept_task);
        let app = rest::router(shared.clone(), "https");
        let stop = shutdown(&shared);
        tasks.push(tokio::spawn(async move {
            let _ = axum::serve(tls_listener, app)
                .with_graceful_shutdown(stop)
                .await;
        }));
        tasks.push(tokio::spawn(gateway::serve(gw, shared.clone())));
        let weak = Arc::downgrade(&shared);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(lifetime).await;
            if let Some(s) = weak.upgrade() {
                let _ = s.shutdown.send(true);
            }
        }));
        StandIn {
            shared,
            ca_der: tls.ca_der,
            tasks,
        }
    }

    /// Base URL of the plain HTTP listener, for `HttpBuilder::proxy` / `discord.api_proxy`.
    pub fn http_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.shared.http_port)
    }

    /// Port of the HTTPS listener (serves `discord.com` with the stand-in's CA).
    pub fn https_port(&self) -> u16 {
        self.shared.https_port
    }

    /// Gateway URL (`ws://127.0.0.1:P`), as `GET /gateway` returns it.
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url()
    }

    /// DER of the CA certificate the HTTPS listener's certificate chains to.
    pub fn ca_der(&self) -> &[u8] {
        &self.ca_der
    }

    /// A reqwest client that resolves `discord.com` to the HTTPS listener and trusts only the
    /// stand-in's CA. Test-only; pass it to `HttpBuilder::client`.
    pub fn reqwest_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_der(&self.ca_der).expect("CA der"))
            .resolve(
                "discord.com",
                SocketAddr::from((Ipv4Addr::LOCALHOST, self.shared.https_port)),
            )
            .build()
            .expect("reqwest client")
    }

    /// The bot token the stand-in accepts.
    pub fn token(&self) -> &str {
        &self.shared.cfg.token
    }

    /// The application id (= bot user id).
    pub fn application_id(&self) -> u64 {
        self.shared.cfg.application_id
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &StandInConfig {
        &self.shared.cfg
    }

    /// First configured guild.
    pub fn guild_id(&self) -> u64 {
        self.shared.cfg.guilds[0].id
    }

    /// First channel of the first configured guild.
    pub fn channel_id(&self) -> u64 {
        self.shared.cfg.guilds[0].channels[0].id
    }

    // ----- inspection -------------------------------------------------------------------

    /// Every REST request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Every interaction callback attempt so far.
    pub fn callbacks(&self) -> Vec<CallbackRecord> {
        self.shared.lock().callbacks.clone()
    }

    /// The first callback attempt for `interaction_id`, if any.
    pub fn callback(&self, interaction_id: u64) -> Option<CallbackRecord> {
        self.shared
            .lock()
            .callbacks
            .iter()
            .find(|c| c.interaction_id == interaction_id)
            .cloned()
    }

    /// Waits for the first callback attempt for `interaction_id` (check `status` for 204).
    pub async fn wait_callback(
        &self,
        interaction_id: u64,
        timeout: Duration,
    ) -> Option<CallbackRecord> {
        self.shared
            .wait_for(timeout, |st| {
                st.callbacks
                    .iter()
                    .find(|c| c.interaction_id == interaction_id)
                    .cloned()
            })
            .await
    }

    /// The current original response message of an interaction (after callbacks/edits).
    pub fn original_response(&self, interaction_id: u64) -> Option<Value> {
        let st = self.shared.lock();
        let mid = st.interactions.get(&interaction_id)?.original?;
        st.messages.get(&mid).cloned()
    }

    /// Messages listed in `channel_id`, oldest first (ephemeral ones are not listed).
    pub fn messages(&self, channel_id: u64) -> Vec<Value> {
        let st = self.shared.lock();
        st.channels
            .get(&channel_id)
            .map(|c| {
                c.message_ids
                    .iter()
                    .filter_map(|id| st.messages.get(id).cloned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits until `channel_id` lists at least `n` messages; returns them (maybe fewer on timeout).
    pub async fn wait_messages(&self, channel_id: u64, n: usize, timeout: Duration) -> Vec<Value> {
        let got = self
            .shared
            .wait_for(timeout, |st| {
                let len = st
                    .channels
                    .get(&channel_id)
                    .map_or(0, |c| c.message_ids.len());
                (len >= n).then_some(())
            })
            .await;
        let _ = got;
        self.messages(channel_id)
    }

    /// Registered global commands, as the stand-in returns them.
    pub fn global_commands(&self) -> Vec<Value> {
        self.shared.lock().global_commands.clone()
    }

    /// Registered commands of `guild_id`.
    pub fn guild_commands(&self, guild_id: u64) -> Vec<Value> {
        self.shared
            .lock()
            .guild_commands
            .get(&guild_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Number of 429 responses sent.
    pub fn count_429(&self) -> u64 {
        self.shared.lock().count_429
    }

    /// Number of accepted IDENTIFYs.
    pub fn identify_count(&self) -> u64 {
        self.shared.lock().identifies
    }

    /// Number of accepted RESUMEs.
    pub fn resume_count(&self) -> u64 {
        self.shared.lock().resumes
    }

    /// Number of heartbeats received.
    pub fn heartbeat_count(&self) -> u64 {
        self.shared.lock().heartbeats
    }

    /// All problems: invalid request bodies (`METHOD path [status]: problem`), gateway protocol
    /// violations, and stand-in self-check failures. A well-behaved bot leaves this empty.
    pub fn validation_problems(&self) -> Vec<String> {
        let st = self.shared.lock();
        let mut out: Vec<String> = st
            .requests
            .iter()
            .flat_map(|r| {
                r.problems
                    .iter()
                    .map(move |p| format!("{} {} [{}]: {p}", r.method, r.path, r.status))
            })
            .collect();
        out.extend(st.other_problems.iter().cloned());
        out
    }

    // ----- control ----------------------------------------------------------------------

    /// Makes the configured token valid or invalid (401 on REST, close 4004 on IDENTIFY/RESUME).
    pub fn set_token_valid(&self, valid: bool) {
        self.shared.lock().token_valid = valid;
    }

    /// Injects (or clears with `None`) a fault for requests touching `channel_id`.
    pub fn set_channel_fault(&self, channel_id: u64, fault: Option<ChannelFault>) {
        if let Some(c) = self.shared.lock().channels.get_mut(&channel_id) {
            c.fault = fault;
        }
    }

    /// Arms a global rate limit of `retry_after`: the next non-interaction request starts it
    /// and is answered 429 `{"global": true, "retry_after": <seconds>}` with `Retry-After`
    /// (whole seconds, rounded up), `X-RateLimit-Global: true` and `X-RateLimit-Scope:
    /// global`, like every non-interaction request until it ends.
    pub fn inject_global_429(&self, retry_after: Duration) {
        self.shared.lock().limiter.inject_global(retry_after);
    }

    /// Answers the next `count` REST requests (any route, after rate limiting) with
    /// `status`; `None` ends a burst early.
    pub fn set_server_errors(&self, burst: Option<ServerErrors>) {
        self.shared.lock().server_errors = burst.filter(|b| b.count > 0);
    }

    /// Adds a text channel to a guild at runtime (not announced on the gateway).
    pub fn add_channel(&self, guild_id: u64, channel_id: u64, name: &str) {
        self.shared.lock().channels.insert(
            channel_id,
            state::ChannelState {
                guild_id,
                name: name.into(),
                message_ids: Vec::new(),
                fault: None,
            },
        );
    }

    /// Closes every live gateway connection with 4000 (resumable); the client should RESUME.
    pub async fn close_gateway(&self) {
        self.close_gateway_with(4000, "Unknown error.").await;
    }

    /// Closes every live gateway connection with `code` (e.g. 4009 makes serenity
    /// re-IDENTIFY). The connections stop receiving dispatches at once; [`Self::wait_ready`]
    /// then waits for the client's reconnection.
    pub async fn close_gateway_with(&self, code: u16, reason: &str) {
        for l in std::mem::take(&mut self.shared.lock().live).into_values() {
            let _ = l.tx.send(Outgoing::Close(code, reason.into()));
        }
        self.shared.bump();
        tokio::task::yield_now().await;
    }

    /// Refuses (or accepts again) gateway connections: while refused, every websocket
    /// handshake is answered 503 and, at the switch, every live connection is closed with
    /// 4000, so the client is left trying to reconnect.
    pub async fn refuse_gateway(&self, refused: bool) {
        self.shared.lock().gateway_refused = refused;
        if refused {
            self.close_gateway().await;
        }
    }

    /// Sends op 7 RECONNECT on every live connection (the client should reconnect and RESUME).
    pub fn send_reconnect(&self) {
        for l in std::mem::take(&mut self.shared.lock().live).into_values() {
            let _ = l.tx.send(Outgoing::Frame(
                r#"{"op":7,"d":null,"s":null,"t":null}"#.into(),
            ));
        }
        self.shared.bump();
    }

    /// Sends op 9 INVALID SESSION with `resumable` on every live connection.
    pub fn invalidate_session(&self, resumable: bool) {
        for l in std::mem::take(&mut self.shared.lock().live).into_values() {
            let _ = l.tx.send(Outgoing::Frame(format!(
                r#"{{"op":9,"d":{resumable},"s":null,"t":null}}"#
            )));
        }
        self.shared.bump();
    }

    /// Waits until every shard of the count clients IDENTIFY with (one, unless sharded) has
    /// a live connection: IDENTIFYed with READY (and its GUILD_CREATEs) sent, or RESUMEd.
    /// After `close_gateway` this waits for the reconnection.
    pub async fn wait_ready(&self, timeout: Duration) -> Result<(), String> {
        self.shared
            .wait_for(timeout, |st| {
                (0..st.shard_total)
                    .all(|s| st.live.contains_key(&s))
                    .then_some(())
            })
            .await
            .ok_or_else(|| format!("no gateway session became ready within {timeout:?}"))
    }

    /// Waits until shard `shard` has a live connection.
    pub async fn wait_shard_ready(&self, shard: u32, timeout: Duration) -> Result<(), String> {
        self.shared
            .wait_for(timeout, |st| st.live.contains_key(&shard).then_some(()))
            .await
            .ok_or_else(|| format!("shard {shard} did not become ready within {timeout:?}"))
    }

    /// The shards with a live connection, by id.
    pub fn live_shards(&self) -> Vec<u32> {
        self.shared.lock().live.keys().copied().collect()
    }

    /// `[shard id, shard count]` of every accepted IDENTIFY, in order.
    pub fn identified_shards(&self) -> Vec<[u32; 2]> {
        self.shared.lock().identified.clone()
    }

    /// The shard `guild_id`'s events go to, with the shard count clients IDENTIFY with.
    pub fn shard_of(&self, guild_id: u64) -> u32 {
        Shared::shard_of(&self.shared.lock(), Some(guild_id))
    }

    /// Sends any dispatch `t` with payload `d` on the live connection of its guild's shard
    /// (its `guild_id`, or its `id` for GUILD_CREATE/GUILD_DELETE; shard 0 without one),
    /// waiting ≤ 5 s for that connection. Panics if serenity would not deserialize it.
    /// Returns the sequence number.
    pub async fn dispatch(&self, t: &str, d: Value) -> u64 {
        let snowflake = |v: &Value| v.as_str().and_then(|s| s.parse::<u64>().ok());
        let guild = match t {
            "GUILD_CREATE" | "GUILD_DELETE" | "GUILD_UPDATE" => snowflake(&d["id"]),
            _ => snowflake(&d["guild_id"]),
        };
        let shard = Shared::shard_of(&self.shared.lock(), guild);
        self.wait_shard_ready(shard, Duration::from_secs(5))
            .await
            .expect("dispatch needs a live gateway");
        let sent = gateway::dispatch_live(&mut self.shared.lock(), shard, t, &d);
        sent.unwrap_or_else(|e| panic!("dispatch {t}: {e}"))
    }

    /// Sends INTERACTION_CREATE for `payload` (built by [`Self::slash_command`] etc.) on the
    /// shard of its guild (DMs: shard 0), after checking that serenity deserializes it as an
    /// `Interaction`. The callback deadline (`interaction_timeout`) starts now. Returns the
    /// interaction id. Panics on a bad payload or when that shard's connection does not
    /// become live within 5 s.
    pub async fn dispatch_interaction(&self, payload: Value) -> u64 {
        self.try_dispatch_interaction(payload)
            .await
            .unwrap_or_else(|e| panic!("dispatch_interaction: {e}"))
    }

    /// [`Self::dispatch_interaction`] returning the problem instead of panicking (nothing is
    /// sent when the payload would not deserialize in serenity).
    pub async fn try_dispatch_interaction(&self, payload: Value) -> Result<u64, String> {
        let snowflake_field = |v: &Value| v.as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
        let guild = Some(snowflake_field(&payload["guild_id"])).filter(|&g| g != 0);
        let shard = Shared::shard_of(&self.shared.lock(), guild);
        self.wait_shard_ready(shard, Duration::from_secs(5)).await?;
        let id: u64 = payload["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or("interaction payload has no string snowflake `id`")?;
        let token = payload["token"]
            .as_str()
            .ok_or("interaction payload has no `token`")?
            .to_string();
        let kind = payload["type"]
            .as_u64()
            .ok_or("interaction payload has no `type`")? as u8;
        // The clock starts before the frame is queued: the bot may answer before this
        // thread runs again.
        let dispatched_at = Instant::now();
        let mut st = self.shared.lock();
        gateway::dispatch_live(&mut st, shard, "INTERACTION_CREATE", &payload)?;
        st.interactions.insert(
            id,
            InteractionState {
                token,
                kind,
                channel_id: snowflake_field(&payload["channel_id"]),
                guild_id: snowflake_field(&payload["guild_id"]),
                // A guild interaction's user is in `member`; a DM's is `user`.
                user: match payload.get("member") {
                    Some(m) => m["user"].clone(),
                    None => payload["user"].clone(),
                },
                name: payload["data"]["name"].as_str().map(str::to_string),
                dispatched_at,
                acked: None,
                original: None,
                component_message: payload.get("message").cloned(),
            },
        );
        drop(st);
        self.shared.bump();
        Ok(id)
    }

    // ----- payload builders -------------------------------------------------------------

    fn context(
        &self,
        channel_id: u64,
        guild_id: Option<u64>,
        member_permissions: u64,
    ) -> (u64, String, u64) {
        let st = self.shared.lock();
        let (g, name) = st
            .channels
            .get(&channel_id)
            .map(|c| (c.guild_id, c.name.clone()))
            .unwrap_or((
                guild_id.unwrap_or_else(|| self.guild_id()),
                "unknown".into(),
            ));
        (guild_id.unwrap_or(g), name, member_permissions)
    }

    fn command_id(&self, name: &str, guild_id: u64) -> (u64, Option<u64>) {
        let st = self.shared.lock();
        let find = |list: &[Value]| {
            list.iter()
                .find(|c| c["name"] == name)
                .and_then(|c| c["id"].as_str()?.parse::<u64>().ok())
        };
        if let Some(id) = st.guild_commands.get(&guild_id).and_then(|l| find(l)) {
            return (id, Some(guild_id));
        }
        (
            find(&st.global_commands).unwrap_or_else(payloads::snowflake),
            None,
        )
    }

    fn command_payload(&self, req: CommandRequest<'_>) -> Value {
        let (guild_id, channel_name, perms) =
            self.context(req.channel_id, Some(req.guild_id), req.member_permissions);
        let (cmd_id, cmd_guild) = self.command_id(req.name, guild_id);
        let lookup = |id: u64| {
            let st = self.shared.lock();
            st.channels.get(&id).map(|c| (c.guild_id, c.name.clone()))
        };
        let data = payloads::command_data(
            cmd_id,
            req.name,
            cmd_guild,
            req.options,
            req.focused,
            &lookup,
        );
        let cfg = &self.shared.cfg;
        let ctx = payloads::InteractionContext {
            cfg,
            guild_id,
            channel_id: req.channel_id,
            channel_name: &channel_name,
            member_permissions: perms,
        };
        payloads::interaction_base(&ctx, req.kind, data)
    }

    /// A realistic APPLICATION_COMMAND interaction for `/name` with top-level options (types
    /// 3/4/5/7/10), invoked by [`TEST_USER_ID`] with `member_permissions`. Uses the registered
    /// command's id when one with that name exists.
    pub fn slash_command(
        &self,
        name: &str,
        options: CommandOptions<'_>,
        channel_id: u64,
        guild_id: u64,
        member_permissions: u64,
    ) -> Value {
        self.command_payload(CommandRequest {
            kind: 2,
            name,
            options: &options,
            focused: None,
            channel_id,
            guild_id,
            member_permissions,
        })
    }

    /// A slash command in the bot's DM channel `dm_channel_id` with [`TEST_USER_ID`] (no
    /// guild, no member), as Discord sends one for a command usable in DMs.
    pub fn dm_slash_command(
        &self,
        name: &str,
        options: CommandOptions<'_>,
        dm_channel_id: u64,
    ) -> Value {
        let (cmd_id, _) = self.command_id(name, 0);
        let lookup = |id: u64| {
            let st = self.shared.lock();
            st.channels.get(&id).map(|c| (c.guild_id, c.name.clone()))
        };
        let data = payloads::command_data(cmd_id, name, None, &options, None, &lookup);
        payloads::dm_interaction_base(&self.shared.cfg, dm_channel_id, 2, data)
    }

    /// A MODAL_SUBMIT interaction for the modal `custom_id` in `channel_id`, with one text
    /// input `field` holding `value`.
    pub fn modal_submit(
        &self,
        custom_id: &str,
        channel_id: u64,
        field: &str,
        value: &str,
    ) -> Value {
        let (guild_id, channel_name, perms) = self.context(channel_id, None, MEMBER_PERMISSIONS);
        let cfg = &self.shared.cfg;
        let ctx = payloads::InteractionContext {
            cfg,
            guild_id,
            channel_id,
            channel_name: &channel_name,
            member_permissions: perms,
        };
        let data = serde_json::json!({
            "custom_id": custom_id,
            "components": [{
                "type": 1,
                "components": [{"type": 4, "custom_id": field, "value": value}],
            }],
        });
        payloads::interaction_base(&ctx, 5, data)
    }

    /// An APPLICATION_COMMAND_AUTOCOMPLETE interaction in the default channel; the option named
    /// `focused_option` is marked focused and carries its value as the typed text.
    pub fn autocomplete(
        &self,
        name: &str,
        options: CommandOptions<'_>,
        focused_option: &str,
    ) -> Value {
        let (ch, g) = (self.channel_id(), self.guild_id());
        self.command_payload(CommandRequest {
            kind: 4,
            name,
            options: &options,
            focused: Some(focused_option),
            channel_id: ch,
            guild_id: g,
            member_permissions: MEMBER_PERMISSIONS,
        })
    }

    /// A MESSAGE_COMPONENT interaction: a click on the button `custom_id` of `message` (a
    /// Message object, e.g. from [`Self::messages`]) in `channel_id`.
    pub fn button(&self, custom_id: &str, channel_id: u64, message: &Value) -> Value {
        let (guild_id, channel_name, perms) = self.context(channel_id, None, MEMBER_PERMISSIONS);
        let cfg = &self.shared.cfg;
        let ctx = payloads::InteractionContext {
            cfg,
            guild_id,
            channel_id,
            channel_name: &channel_name,
            member_permissions: perms,
        };
        let data = serde_json::json!({"custom_id": custom_id, "component_type": 2});
        let mut p = payloads::interaction_base(&ctx, 3, data);
        p["message"] = message.clone();
        p
    }
}
