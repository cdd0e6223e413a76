//! The Discord adapter (serenity): connects, registers the core's slash commands, and maps
//! interactions to core calls and replies to embeds and buttons. It holds no logic of its own
//! beyond that translation; see [`interactions`] and [`render`].

pub mod interactions;
pub mod outbox;
pub mod register;
pub mod render;

use crate::commands::{Command, Core};
use crate::config::Config;
use crate::reply::Reply;
use crate::subscriptions::{Invoker, Subscriptions};
use interactions::Handler;
use serenity::all::{GatewayIntents, Http, HttpBuilder};
use std::fmt;
use std::sync::{Arc, OnceLock};

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

/// What the event handler shares: the core, the config, and (once READY) the REST client.
pub struct Bot {
    /// The brain.
    pub core: Arc<Core>,
    /// The configuration.
    pub config: Config,
    /// Subscription commands (with the database), when enabled.
    pub subscriptions: Option<Subscriptions>,
    http: OnceLock<Arc<Http>>,
}

impl Bot {
    /// A bot answering from `core` under `config`.
    pub fn new(core: Arc<Core>, config: Config) -> Bot {
        Bot {
            core,
            config,
            subscriptions: None,
            http: OnceLock::new(),
        }
    }

    fn on_ready(&self, http: Arc<Http>) {
        let _ = self.http.set(http);
    }

    /// Answers a subscription command.
    pub async fn subscription_command(&self, command: &Command, invoker: &Invoker) -> Reply {
        match &self.subscriptions {
            Some(s) => s.execute(command, invoker).await,
            None => Reply::error("Subscriptions are not enabled on this bot."),
        }
    }
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

/// Connects and serves until SIGINT/SIGTERM (then closes the shards and returns `Ok`).
/// With a store, subscriptions are served and new briefs delivered (see [`crate::updates`]);
/// `loader` watches the brief folder.
pub async fn run(
    mut bot: Bot,
    http: Http,
    store: Option<crate::store::Store>,
    loader: Option<crate::brief::watch::DirLoader>,
) -> Result<(), DiscordError> {
    // Check the token before opening the gateway, for a clear error.
    if let Err(e) = http.get_current_user().await {
        return Err(classify(e));
    }
    let core = bot.core.clone();
    let config = bot.config.clone();
    if let Some(store) = &store {
        bot.subscriptions = Some(Subscriptions::new(
            store.clone(),
            core.clone(),
            &config.delivery.timezone,
        ));
    }
    let mut client = serenity::all::ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Handler { bot: Arc::new(bot) })
        .await
        .map_err(classify)?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let updates = match store {
        Some(store) => {
            let outbox = Arc::new(outbox::DiscordOutbox::new(
                client.http.clone(),
                core.clone(),
            ));
            let clock: Arc<dyn crate::delivery::Clock> = Arc::new(crate::delivery::SystemClock);
            Some(
                crate::updates::start(
                    crate::updates::Parts {
                        store,
                        core,
                        loader,
                        outbox,
                        clock,
                        digest_tick: crate::updates::DIGEST_TICK,
                    },
                    &config,
                    stopped,
                )
                .await
                .map_err(|e| DiscordError::Unreachable(format!("starting deliveries: {e:#}")))?,
            )
        }
        None => None,
    };
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: closing the gateway connection");
        let _ = stop.send(true);
        shards.shutdown_all().await;
    });
    let result = client.start().await.map_err(classify);
    if let Some(u) = updates {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), u.join()).await;
    }
    result
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

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
