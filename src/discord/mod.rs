//! The Discord adapter (serenity): connects, registers the slash commands, hands each
//! interaction to the [`Dispatcher`] and renders its replies as embeds and buttons within
//! Discord's limits ([`layout`], [`render`]); posts replies to channels for whoever sends
//! deliveries ([`outbox`]); runs the gateway shards of this process and tracks which are
//! connected ([`shards`]). It holds no logic of its own beyond that translation and knows
//! nothing of the store or the delivery machinery: start-up ([`crate::app`]) hands it what
//! it needs.

pub mod channels;
pub mod interactions;
pub mod layout;
pub mod outbox;
pub mod register;
pub mod render;
pub mod shards;

use crate::commands::Dispatcher;
use crate::config::Config;
use interactions::Handler;
use outbox::Poster;
use serenity::all::{GatewayIntents, Http, HttpBuilder};
use shards::{ShardPlan, ShardStatus, Shards};
use std::fmt;
use std::sync::Arc;

/// A bot token. Its `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Wraps a token read from the environment.
    pub fn new(token: String) -> Token {
        Token(token.trim().to_owned())
    }

    /// Reads the token from the environment variable `var`.
    pub fn from_env(var: &str) -> Result<Token, DiscordError> {
        match std::env::var(var) {
            Ok(t) if !t.trim().is_empty() => Ok(Token::new(t)),
            _ => Err(DiscordError::MissingToken(var.to_owned())),
        }
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// Why the bot could not run.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    /// The token variable is unset or empty.
    #[error(
        "the bot token is missing: set the environment variable {0} (named by discord.token_env)"
    )]
    MissingToken(String),
    /// Discord answered 401 or closed the gateway with 4004.
    #[error("Discord rejected the bot token (401 Unauthorized): check the token in the environment variable named by discord.token_env")]
    Rejected,
    /// Discord could not be reached or answered with an error.
    #[error("cannot talk to Discord: {0}")]
    Unreachable(String),
}

/// Builds serenity's REST client: through `discord.api_proxy` (serenity's ratelimiter off,
/// the proxy does the rate limiting) or straight to Discord with serenity's ratelimiter.
pub fn http_client(config: &Config, token: &Token) -> Http {
    let builder = HttpBuilder::new(token.expose());
    match &config.discord.api_proxy {
        Some(proxy) => builder
            .proxy(proxy.trim_end_matches('/'))
            .ratelimiter_disabled(true)
            .build(),
        None => builder.build(),
    }
}

/// The gateway connections of this process (its shards) with the event handler
/// installed, not yet serving.
pub struct Connection {
    client: serenity::Client,
    plan: ShardPlan,
    status: Arc<ShardStatus>,
}

impl Connection {
    /// Checks the token (for a clear error before the gateway opens), works out this
    /// process's shards from `shards` (asking Discord for `"auto"`) and prepares the client;
    /// commands go to `dispatcher`, and are registered in `guild_ids` (or globally).
    pub async fn open(
        http: Http,
        dispatcher: Arc<Dispatcher>,
        guild_ids: Vec<u64>,
        shards: &Shards,
    ) -> Result<Connection, DiscordError> {
        if let Err(e) = http.get_current_user().await {
            return Err(classify(e));
        }
        let plan = shards::plan(shards, &http).await.map_err(classify)?;
        let status = Arc::new(ShardStatus::new(plan));
        let handler = Handler {
            dispatcher,
            guild_ids,
            channels: Default::default(),
            shards: status.clone(),
        };
        let client = serenity::all::ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
            .event_handler(handler)
            .await
            .map_err(classify)?;
        Ok(Connection {
            client,
            plan,
            status,
        })
    }

    /// Which of this process's shards are connected (kept current while it serves).
    pub fn shards(&self) -> Arc<ShardStatus> {
        self.status.clone()
    }

    /// A poster sharing this connection's REST client (and its rate limits).
    pub fn poster(&self) -> Poster {
        Poster::new(self.client.http.clone())
    }

    /// Serves until `stop` resolves, then closes the shards and returns `Ok`.
    pub async fn serve(
        mut self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), DiscordError> {
        let shards = self.client.shard_manager.clone();
        tokio::spawn(async move {
            stop.await;
            tracing::info!("shutting down: closing the gateway connection");
            shards.shutdown_all().await;
        });
        let watch = tokio::spawn(watch_runners(
            self.client.shard_manager.clone(),
            self.status.clone(),
        ));
        let plan = self.plan;
        tracing::info!("connecting to the gateway: {plan}");
        // serenity 0.12's `start_shard_range` starts `range.start` up to and *including*
        // `range.end` (it hands both to its inclusive `start_connection`), hence `last` as
        // the end; tests/shards.rs checks that exactly the planned shards IDENTIFY.
        let served = self
            .client
            .start_shard_range(plan.first..plan.last, plan.total)
            .await
            .map_err(classify);
        watch.abort();
        served
    }
}

/// How often [`watch_runners`] looks at serenity's shard runners.
const RUNNER_WATCH: std::time::Duration = std::time::Duration::from_millis(500);

/// Keeps `status` true to serenity's shard manager: a shard counts as connected only while
/// its runner exists and is in the `Connected` stage. The event handler updates `status` at
/// once on READY, RESUMED and stage changes; this catches what no event announces — a
/// runner that failed to reconnect is dropped and re-queued by the manager silently.
async fn watch_runners(manager: Arc<serenity::all::ShardManager>, status: Arc<ShardStatus>) {
    let mut tick = tokio::time::interval(RUNNER_WATCH);
    loop {
        tick.tick().await;
        let runners = manager.runners.lock().await;
        for id in status.plan().ids() {
            let connected = runners
                .get(&serenity::all::ShardId(id))
                .is_some_and(|r| r.stage == serenity::all::ConnectionStage::Connected);
            status.set(id, connected);
        }
    }
}

fn classify(e: serenity::Error) -> DiscordError {
    use serenity::all::{GatewayError, HttpError};
    match &e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r))
            if r.status_code.as_u16() == 401 =>
        {
            DiscordError::Rejected
        }
        serenity::Error::Gateway(GatewayError::InvalidAuthentication) => DiscordError::Rejected,
        _ => DiscordError::Unreachable(e.to_string()),
    }
}
