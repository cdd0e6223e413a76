//! The tables of the configuration file, one type each, with their defaults and the
//! accessors the rest of the bot reads them through. Checks that span values live in
//! [`super::Config::check`]; every key is documented in `config/briefbot.example.toml`.

use crate::brief::parse::{DEFAULT_IGNORE_LINES, DEFAULT_MAX_BYTES};
use crate::brief::ParseOptions;
use crate::source::SourceOptions;
use serde::Deserialize;
use std::path::PathBuf;

/// `[briefs]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BriefsConfig {
    /// Folder of brief files (`*.md`, `*.txt`, recursive). Unset: the embedded samples.
    pub dir: Option<PathBuf>,
    /// Boilerplate lines dropped from briefs.
    pub ignore_lines: Vec<String>,
    /// Largest brief file accepted, in bytes.
    pub max_bytes: u64,
    /// Whether symbolic links that lead out of `dir` are followed.
    pub follow_symlinks: bool,
}

impl Default for BriefsConfig {
    fn default() -> Self {
        BriefsConfig {
            dir: None,
            ignore_lines: DEFAULT_IGNORE_LINES.iter().map(|s| s.to_string()).collect(),
            max_bytes: DEFAULT_MAX_BYTES,
            follow_symlinks: false,
        }
    }
}

impl BriefsConfig {
    /// Parser options from this table.
    pub fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            ignore_lines: self.ignore_lines.clone(),
            max_bytes: self.max_bytes,
        }
    }

    /// Source options from this table (keyphrases on).
    pub fn source_options(&self) -> SourceOptions {
        SourceOptions {
            parse: self.parse_options(),
            keyphrases: true,
        }
    }
}

/// `[summary]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SummaryConfig {
    /// Sentences in a short answer.
    pub sentences: usize,
}

impl Default for SummaryConfig {
    fn default() -> Self {
        SummaryConfig { sentences: 2 }
    }
}

/// `[answers]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnswersConfig {
    /// Word vectors (GloVe text format) `/ask` meets words of like meaning with; unset:
    /// words are matched as written.
    pub vectors: Option<PathBuf>,
    /// A sentence-transformers model folder (BERT family, e.g. all-MiniLM-L6-v2; see
    /// `tools/model.sh`) whose sentence vectors `/ask` meets questions and sentences of like
    /// meaning with; unset: words are matched as written. At most one of `vectors` and
    /// `model`.
    pub model: Option<PathBuf>,
}

/// `[discord]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// Name of the environment variable that holds the bot token.
    pub token_env: String,
    /// Guilds to register commands in (instant); empty = global registration.
    pub guild_ids: Vec<u64>,
    /// Send REST requests through this HTTP rate-limit proxy (serenity's own ratelimiter is
    /// then off).
    pub api_proxy: Option<String>,
    /// Gateway shards: `"auto"`, or `{ total, range }` for this process (default: one).
    pub shards: super::shards::Shards,
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            token_env: "DISCORD_TOKEN".into(),
            guild_ids: Vec::new(),
            api_proxy: None,
            shards: Default::default(),
        }
    }
}

/// One `[[channels]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    /// Channel id.
    pub id: u64,
    /// Whether commands are answered there.
    #[serde(default = "yes")]
    pub commands: bool,
}

fn yes() -> bool {
    true
}

/// `[storage]`.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// SQLite database file (used when neither `url` nor `url_env` is given).
    pub path: PathBuf,
    /// A PostgreSQL database, `postgres://user@host:port/db` (for several processes).
    pub url: Option<String>,
    /// The name of an environment variable holding the PostgreSQL URL, so that a password
    /// stays out of the file.
    pub url_env: Option<String>,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            path: PathBuf::from("briefbot.db"),
            url: None,
            url_env: None,
        }
    }
}

impl std::fmt::Debug for StorageConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StorageConfig")
            .field("path", &self.path)
            .field("url", &self.url.as_deref().map(crate::store::redact))
            .field("url_env", &self.url_env)
            .finish()
    }
}

impl StorageConfig {
    /// Where the database is. `url_env` is read from the environment here: an unset or
    /// invalid variable is an error that names it (never its value).
    pub fn location(&self) -> Result<crate::store::Location, String> {
        use crate::store::Location;
        if let Some(url) = &self.url {
            return Ok(Location::Server(url.clone()));
        }
        if let Some(name) = &self.url_env {
            let url = std::env::var(name).map_err(|_| {
                format!(
                    "storage.url_env names the environment variable {name}, which is not set \
                     (set it to a postgres:// URL)"
                )
            })?;
            check_database_url(&url).map_err(|why| {
                format!("the environment variable {name} (storage.url_env): {why}")
            })?;
            return Ok(Location::Server(url));
        }
        Ok(Location::File(self.path.clone()))
    }
}

/// Checks a PostgreSQL URL: it parses, and its scheme is `postgres` or `postgresql`.
pub(super) fn check_database_url(url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| {
        format!("not a URL ({e}): give a PostgreSQL URL such as \"postgres://briefbot@127.0.0.1:5432/briefbot\"")
    })?;
    match parsed.scheme() {
        "postgres" | "postgresql" => Ok(()),
        other => Err(format!(
            "the scheme must be postgres:// (PostgreSQL), not {other}:// (for SQLite, give \
             storage.path instead)"
        )),
    }
}

/// Highest accepted `delivery.max_per_second`.
pub const MAX_PER_SECOND: u32 = 48;

/// `[delivery]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    /// IANA time zone for daily digest times.
    pub timezone: String,
    /// Bot-wide cap on messages sent per second.
    pub max_per_second: u32,
    /// Days that sent and failed deliveries stay in the ledger (for `/subscriptions` and
    /// operators); older rows are pruned by the running bot.
    pub keep_days: u32,
    /// Seconds a message post may go unanswered before it is abandoned and resent (with the
    /// same nonce, so no duplicate can result).
    pub send_timeout_secs: u32,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            timezone: "UTC".into(),
            max_per_second: 45,
            keep_days: 30,
            send_timeout_secs: 15,
        }
    }
}

/// One `[[subscriptions]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionConfig {
    /// Channel id.
    pub channel: u64,
    /// Topics to follow (empty = all).
    #[serde(default)]
    pub topics: Vec<String>,
    /// `instant` or `daily`.
    #[serde(default = "instant")]
    pub mode: String,
    /// `HH:MM` for daily mode.
    pub at: Option<String>,
}

fn instant() -> String {
    "instant".into()
}

pub use crate::source::web::Kind as SourceKind;

/// One `[[sources]]` entry: a feed or page polled for briefs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Unique name (letters, digits, `-`, `_`; at most [`MAX_SOURCE_NAME`] characters):
    /// shown in `/sources`, in the `source:` option, and part of every brief id it yields.
    pub name: String,
    /// `http://` or `https://` URL.
    pub url: String,
    /// `auto` (default), `rss`, `atom`, `json` or `page`.
    #[serde(default)]
    pub kind: SourceKind,
    /// Poll interval (`90s`, `15m`, `2h`, `1d`; at least one minute). Default `15m`.
    #[serde(default = "fifteen_minutes")]
    pub every: String,
    /// Topics added to every brief from this source.
    #[serde(default)]
    pub topics: Vec<String>,
    /// For feeds whose items carry only a teaser: fetch each item's linked page.
    #[serde(default)]
    pub fetch_pages: bool,
    /// Days a stored item is kept once it has left the feed (counted from when it was first
    /// seen; 1 to [`MAX_KEEP_DAYS`]). Unset: kept for ever.
    pub keep_days: Option<u32>,
}

/// Longest `[[sources]] keep_days`.
pub const MAX_KEEP_DAYS: u32 = 3650;

fn fifteen_minutes() -> String {
    "15m".into()
}

impl SourceConfig {
    /// The poll interval (validated by the loader; 15 minutes if unreadable).
    pub fn interval(&self) -> std::time::Duration {
        parse_interval(&self.every).unwrap_or(std::time::Duration::from_secs(900))
    }

    /// What the source module needs of this entry.
    pub fn spec(&self) -> crate::source::web::Spec {
        crate::source::web::Spec {
            name: self.name.clone(),
            url: self.url.clone(),
            kind: self.kind,
            interval: self.interval(),
            topics: self.topics.clone(),
            fetch_pages: self.fetch_pages,
            keep: self
                .keep_days
                .map(|d| std::time::Duration::from_secs(u64::from(d) * 86_400)),
        }
    }
}

/// Longest source name (names are part of brief ids, which hold 64 characters).
pub const MAX_SOURCE_NAME: usize = 40;

/// Shortest poll interval a source may ask for.
pub const MIN_SOURCE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// Parses an interval: a whole number followed by `s`, `m`, `h` or `d` (`15m`).
pub fn parse_interval(text: &str) -> Option<std::time::Duration> {
    let t = text.trim();
    let unit = t.chars().last()?;
    let n: u64 = t[..t.len() - unit.len_utf8()].trim().parse().ok()?;
    let secs = match unit {
        's' => n,
        'm' => n.checked_mul(60)?,
        'h' => n.checked_mul(3600)?,
        'd' => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(std::time::Duration::from_secs(secs))
}

/// Parses `HH:MM` (24-hour).
pub fn parse_hhmm(text: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}
