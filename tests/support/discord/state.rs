//! The stand-in's shared state: what tests can inspect (recorded requests, callbacks,
//! messages, commands, counters, problems) and what the REST and gateway halves share
//! (interactions, channels, sessions, the live gateway connection of each shard). One `std::sync::Mutex`,
//! never held across an `.await`; a `watch` counter wakes waiters on every change.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::{mpsc, watch};

use super::ratelimit::RateLimiter;
use super::StandInConfig;

/// One REST request the stand-in received.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// HTTP method, e.g. "POST".
    pub method: String,
    /// Path as received, e.g. "/api/v10/channels/1/messages".
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// The spec's path template, e.g. "/channels/{channel_id}/messages" ("" if unknown route).
    pub route: String,
    /// "http" or "https" (which listener served it).
    pub scheme: &'static str,
    /// JSON body, if one was sent.
    pub body: Option<Value>,
    /// Status the stand-in answered with.
    pub status: u16,
    /// Validation problems found in the body (empty = valid).
    pub problems: Vec<String>,
    /// When it arrived.
    pub at: Instant,
    /// How long the answer was held back (an injected [`ChannelFault::Stall`]).
    pub held: Option<Duration>,
}

/// One interaction callback (`POST /interactions/{id}/{token}/callback`) attempt.
#[derive(Clone, Debug)]
pub struct CallbackRecord {
    /// The interaction it answers.
    pub interaction_id: u64,
    /// Callback type (1 pong, 4 message, 5 deferred message, 6 deferred update, 7 update, 8
    /// autocomplete result, 9 modal).
    pub kind: u64,
    /// `data` of the callback (Null if absent).
    pub data: Value,
    /// Status the stand-in answered with (204 = accepted).
    pub status: u16,
    /// Time between dispatching the interaction and receiving this callback.
    pub elapsed: Duration,
}

/// A failure a test can inject for every request touching a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelFault {
    /// 403 `{"message":"Missing Access","code":50001}` until cleared.
    MissingAccess,
    /// 404 `{"message":"Unknown Channel","code":10003}` until cleared.
    UnknownChannel,
    /// `status` (500, 502, 503…) for the next `count` requests, then back to normal.
    ServerError {
        /// HTTP status to answer with (502 gets Cloudflare's HTML body, others JSON).
        status: u16,
        /// How many requests fail.
        count: u32,
    },
    /// The next `count` requests are carried out (a message is created) but their answer is
    /// held back for `hold` (or until the stand-in stops): a stalled connection.
    Stall {
        /// How long each answer is held.
        hold: Duration,
        /// How many requests stall.
        count: u32,
    },
}

/// A burst of server errors on every REST route (Discord having a bad minute).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerErrors {
    /// HTTP status to answer with (502 gets Cloudflare's HTML body, others JSON).
    pub status: u16,
    /// How many requests still fail.
    pub count: u32,
}

/// A channel the stand-in knows.
pub struct ChannelState {
    /// Guild it belongs to.
    pub guild_id: u64,
    /// Name.
    pub name: String,
    /// Message ids in creation order (ephemeral messages are not listed).
    pub message_ids: Vec<u64>,
    /// Injected fault.
    pub fault: Option<ChannelFault>,
}

/// An interaction that was dispatched.
pub struct InteractionState {
    /// Interaction token.
    pub token: String,
    /// Interaction type (2 command, 3 component, 4 autocomplete, 5 modal).
    pub kind: u8,
    /// Channel it happened in.
    pub channel_id: u64,
    /// Guild it happened in.
    pub guild_id: u64,
    /// Invoking user object.
    pub user: Value,
    /// Command name (commands/autocomplete).
    pub name: Option<String>,
    /// When INTERACTION_CREATE was sent.
    pub dispatched_at: Instant,
    /// Accepted callback type, once acknowledged.
    pub acked: Option<u64>,
    /// Message id of the original response (or of the component's message for types 6/7).
    pub original: Option<u64>,
    /// The message a component was attached to.
    pub component_message: Option<Value>,
}

/// Messages sent to one gateway connection.
pub enum Outgoing {
    /// A text frame.
    Frame(String),
    /// Close with this code and reason.
    Close(u16, String),
}

/// The gateway connection that currently receives one shard's dispatches.
pub struct LiveConn {
    /// Connection number.
    pub conn_id: u64,
    /// Session it is attached to.
    pub session_id: String,
    /// Sender into the connection task.
    pub tx: mpsc::UnboundedSender<Outgoing>,
}

/// A gateway session (survives reconnects via RESUME).
#[derive(Default)]
pub struct Session {
    /// The shard it was IDENTIFYed as.
    pub shard: u32,
    /// Last sequence number used.
    pub seq: u64,
    /// Every dispatch frame sent in this session, by sequence (for RESUME replay).
    pub frames: Vec<(u64, String)>,
}

/// Everything mutable.
#[derive(Default)]
pub struct State {
    /// Whether the configured token is accepted.
    pub token_valid: bool,
    /// Recorded REST requests.
    pub requests: Vec<RecordedRequest>,
    /// Problems not tied to a request body (gateway protocol, stand-in self-checks).
    pub other_problems: Vec<String>,
    /// Dispatched interactions by id.
    pub interactions: HashMap<u64, InteractionState>,
    /// Callback attempts in arrival order.
    pub callbacks: Vec<CallbackRecord>,
    /// Known channels.
    pub channels: BTreeMap<u64, ChannelState>,
    /// All messages by id.
    pub messages: HashMap<u64, Value>,
    /// Global commands.
    pub global_commands: Vec<Value>,
    /// Guild commands by guild.
    pub guild_commands: HashMap<u64, Vec<Value>>,
    /// `(channel, nonce)` → (when, message id) for `enforce_nonce`.
    pub nonces: HashMap<(u64, String), (Instant, u64)>,
    /// Rate-limit buckets.
    pub limiter: RateLimiter,
    /// 429 responses sent.
    pub count_429: u64,
    /// An injected burst of 5xx on every route, if any.
    pub server_errors: Option<ServerErrors>,
    /// IDENTIFYs accepted.
    pub identifies: u64,
    /// RESUMEs accepted.
    pub resumes: u64,
    /// Heartbeats received.
    pub heartbeats: u64,
    /// Gateway sessions by id.
    pub sessions: HashMap<String, Session>,
    /// The connection receiving each shard's dispatches, by shard id.
    pub live: BTreeMap<u32, LiveConn>,
    /// The shard count clients IDENTIFY with (the last IDENTIFY's; 1 before any): a guild's
    /// events go to shard `(guild_id >> 22) % shard_total`.
    pub shard_total: u32,
    /// `[shard id, shard count]` of every accepted IDENTIFY, in order.
    pub identified: Vec<[u32; 2]>,
    /// Gateway connections are refused (503 at the websocket handshake).
    pub gateway_refused: bool,
    /// Connection counter.
    pub next_conn: u64,
}

/// State plus configuration and notification channels, shared by all tasks.
pub struct Shared {
    /// Configuration the stand-in was started with.
    pub cfg: StandInConfig,
    /// Port of the plain HTTP listener.
    pub http_port: u16,
    /// Port of the HTTPS listener.
    pub https_port: u16,
    /// Port of the gateway listener.
    pub gateway_port: u16,
    state: Mutex<State>,
    changed: watch::Sender<u64>,
    /// Flipped to true when the stand-in stops.
    pub shutdown: watch::Sender<bool>,
}

impl Shared {
    /// Creates the shared state with configured guilds/channels registered.
    pub fn new(
        cfg: StandInConfig,
        http_port: u16,
        https_port: u16,
        gateway_port: u16,
    ) -> Arc<Shared> {
        let mut state = State {
            token_valid: true,
            shard_total: 1,
            ..State::default()
        };
        for g in &cfg.guilds {
            for c in &g.channels {
                state.channels.insert(
                    c.id,
                    ChannelState {
                        guild_id: g.id,
                        name: c.name.clone(),
                        message_ids: Vec::new(),
                        fault: None,
                    },
                );
            }
        }
        Arc::new(Shared {
            cfg,
            http_port,
            https_port,
            gateway_port,
            state: Mutex::new(state),
            changed: watch::channel(0).0,
            shutdown: watch::channel(false).0,
        })
    }

    /// Locks the state (poisoning is ignored: a panicking test thread must not cascade).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The shard that carries `guild_id`'s events (shard 0 for DMs, `None`), as Discord
    /// routes them.
    pub fn shard_of(st: &State, guild_id: Option<u64>) -> u32 {
        guild_id.map_or(0, |g| ((g >> 22) % u64::from(st.shard_total.max(1))) as u32)
    }

    /// Wakes everyone waiting for a change.
    pub fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    /// Waits until `pred` holds (checked after every change) or `timeout` passes.
    pub async fn wait_for<T>(
        &self,
        timeout: Duration,
        mut pred: impl FnMut(&State) -> Option<T>,
    ) -> Option<T> {
        let mut rx = self.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(v) = pred(&self.lock()) {
                return Some(v);
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                return pred(&self.lock());
            }
        }
    }

    /// The gateway URL clients are told to use.
    pub fn gateway_url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.gateway_port)
    }
}
