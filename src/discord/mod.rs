//! The Discord adapter (serenity): connects, registers the slash commands, hands each
//! interaction to the [`Dispatcher`] and renders its replies as embeds and buttons within
//! Discord's limits ([`layout`], [`render`]); posts replies to channels for whoever sends
//! deliveries ([`outbox`]). It holds no logic of its own beyond that translation and knows
//! nothing of the store or the delivery machinery: start-up ([`crate::app`]) hands it what
//! it needs.

pub mod channels;
pub mod interactions;
pub mod layout;
pub mod outbox;
pub mod register;
pub mod render;

use crate::commands::Dispatcher;
use crate::config::Config;
use interactions::Handler;
use outbox::Poster;
use serenity::all::{GatewayIntents, Http, HttpBuilder};
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

/// A gateway connection with the event handler installed, not yet serving.
pub struct Connection {
    client: serenity::Client,
}

impl Connection {
    /// Checks the token (for a clear error before the gateway opens) and prepares the
    /// client; commands go to `dispatcher`, and are registered in `guild_ids` (or globally).
    pub async fn open(
        http: Http,
        dispatcher: Arc<Dispatcher>,
        guild_ids: Vec<u64>,
    ) -> Result<Connection, DiscordError> {
        if let Err(e) = http.get_current_user().await {
            return Err(classify(e));
        }
        let handler = Handler {
            dispatcher,
            guild_ids,
            channels: Default::default(),
        };
        let client = serenity::all::ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
            .event_handler(handler)
            .await
            .map_err(classify)?;
        Ok(Connection { client })
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
        self.client.start().await.map_err(classify)
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
