//! Typed configuration from a TOML file. Unknown or mistyped keys, and values that start-up
//! would die on (ids of 0, duplicate channels or subscriptions, an empty database path, a
//! malformed proxy URL, `at` without daily mode…), stop `check` and start-up with the file,
//! the dotted key (`subscriptions[1].at`), the line and the column. Locations come from the
//! spans toml records for every key and value ([`toml::Spanned`] in [`DeTable`]); nothing
//! scans the text by hand. Every key is documented in `config/briefbot.example.toml`.

use crate::brief::parse::{DEFAULT_IGNORE_LINES, DEFAULT_MAX_BYTES};
use crate::brief::ParseOptions;
use crate::source::SourceOptions;
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `[briefs]`: where briefs come from and how they are read.
    pub briefs: BriefsConfig,
    /// `[summary]`: the summarizer.
    pub summary: SummaryConfig,
    /// `[discord]`: the Discord connection.
    pub discord: DiscordConfig,
    /// `[[channels]]`: the channels the bot serves (empty = every channel).
    pub channels: Vec<ChannelConfig>,
    /// `[storage]`: the database.
    pub storage: StorageConfig,
    /// `[delivery]`: posting new briefs to subscribed channels.
    pub delivery: DeliveryConfig,
    /// `[[subscriptions]]`: subscriptions defined by the operator (read-only from Discord).
    pub subscriptions: Vec<SubscriptionConfig>,
    /// `[[sources]]`: feeds and web pages polled for briefs (see [`SourceConfig`]).
    pub sources: Vec<SourceConfig>,
}

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
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            token_env: "DISCORD_TOKEN".into(),
            guild_ids: Vec::new(),
            api_proxy: None,
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
fn check_database_url(url: &str) -> Result<(), String> {
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

/// A configuration problem, located in its file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// Dotted key, when known (e.g. `summary.sentences`).
    pub key: Option<String>,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "key `{key}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl Config {
    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_owned(),
            key: None,
            position: None,
            message: format!("cannot read: {e}"),
        })?;
        Self::parse(&text, path)
    }

    /// Parses and checks config text; `path` is used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        if text.len() > MAX_CONFIG_BYTES {
            return Err(ConfigError {
                path: path.to_owned(),
                key: None,
                position: None,
                message: format!(
                    "{} bytes: a config file is at most {} KiB",
                    text.len(),
                    MAX_CONFIG_BYTES / 1024
                ),
            });
        }
        // The document with toml's spans (where every key and value is, for messages) is
        // parsed only to locate an error, so that two parses are never held at once.
        let doc = || DeTable::parse(text).ok();
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let key = doc().and_then(|d| {
                key_containing(d.get_ref(), offset, &mut Vec::new()).map(|path| dotted(&path))
            });
            ConfigError {
                path: path.to_owned(),
                key,
                position: Some(line_col(text, offset)),
                message: e.message().trim().to_owned(),
            }
        })?;
        config.check().map_err(|(at, first, message)| {
            let doc = doc();
            let doc = Located {
                text,
                doc: doc.as_ref().map(|d| d.get_ref()),
            };
            let message = match first.and_then(|f| doc.position(&f)) {
                Some((line, _)) => format!("{message} (first at line {line})"),
                None => message,
            };
            ConfigError {
                path: path.to_owned(),
                key: Some(dotted(&at)),
                position: doc.position(&at),
                message,
            }
        })?;
        Ok(config)
    }

    /// Value checks that TOML types alone do not express: the failing key's path, the path
    /// of the first entry for a duplicate, and what is wrong.
    fn check(&self) -> Result<(), Failed> {
        use Seg::{Index as I, Key as K};
        let fail = |path: &[Seg<'static>], message: String| Err((path.to_vec(), None, message));
        if self.summary.sentences == 0 || self.summary.sentences > 10 {
            return fail(
                &[K("summary"), K("sentences")],
                format!("must be from 1 to 10, not {}", self.summary.sentences),
            );
        }
        if self.briefs.max_bytes == 0 {
            return fail(&[K("briefs"), K("max_bytes")], "must be more than 0".into());
        }
        if self.discord.token_env.trim().is_empty() {
            return fail(
                &[K("discord"), K("token_env")],
                "must name an environment variable".into(),
            );
        }
        for (i, &g) in self.discord.guild_ids.iter().enumerate() {
            if g == 0 {
                return fail(
                    &[K("discord"), K("guild_ids"), I(i)],
                    NOT_A_SNOWFLAKE.into(),
                );
            }
        }
        if let Some(proxy) = &self.discord.api_proxy {
            if let Err(why) = check_proxy(proxy) {
                // Not echoed when it may hold a password.
                let given = if proxy.contains('@') {
                    String::new()
                } else {
                    format!(", not {proxy:?}")
                };
                return fail(
                    &[K("discord"), K("api_proxy")],
                    format!(
                        "{why}: give the proxy's http:// or https:// base URL, \
                         e.g. \"http://127.0.0.1:8080\"{given}"
                    ),
                );
            }
        }
        if let Some(url) = &self.storage.url {
            if let Err(why) = check_database_url(url) {
                return fail(&[K("storage"), K("url")], why);
            }
            if self.storage.url_env.is_some() {
                return fail(
                    &[K("storage"), K("url_env")],
                    "give storage.url or storage.url_env, not both".into(),
                );
            }
        }
        if let Some(name) = &self.storage.url_env {
            if name.trim().is_empty() || name.contains('=') || name.contains('\0') {
                return fail(
                    &[K("storage"), K("url_env")],
                    "must name an environment variable".into(),
                );
            }
        }
        if self
            .storage
            .path
            .as_os_str()
            .to_string_lossy()
            .trim()
            .is_empty()
        {
            return fail(
                &[K("storage"), K("path")],
                "must name the database file (an empty path would give SQLite a temporary \
                 database, and nothing would be kept)"
                    .into(),
            );
        }
        if self.delivery.timezone.parse::<chrono_tz::Tz>().is_err() {
            return fail(
                &[K("delivery"), K("timezone")],
                format!(
                    "{:?} is not an IANA time zone name (e.g. \"Europe/Paris\")",
                    self.delivery.timezone
                ),
            );
        }
        // Discord allows 50 requests a second bot-wide; at 50 network jitter alone puts 51
        // sends in some second (measured: 5 × 429 over 1,000 sends), so keep a margin.
        if self.delivery.max_per_second == 0 || self.delivery.max_per_second > MAX_PER_SECOND {
            return fail(
                &[K("delivery"), K("max_per_second")],
                format!(
                    "must be from 1 to {MAX_PER_SECOND} (Discord allows 50 requests per second; \
                     the rest is margin for other requests and jitter), not {}",
                    self.delivery.max_per_second
                ),
            );
        }
        if !(1..=3650).contains(&self.delivery.keep_days) {
            return fail(
                &[K("delivery"), K("keep_days")],
                format!(
                    "must be from 1 to 3650 days, not {}",
                    self.delivery.keep_days
                ),
            );
        }
        if !(1..=300).contains(&self.delivery.send_timeout_secs) {
            return fail(
                &[K("delivery"), K("send_timeout_secs")],
                format!(
                    "must be from 1 to 300 seconds, not {}",
                    self.delivery.send_timeout_secs
                ),
            );
        }
        let mut seen = HashMap::new();
        for (i, c) in self.channels.iter().enumerate() {
            let at = [K("channels"), I(i), K("id")];
            if c.id == 0 {
                return fail(&at, NOT_A_SNOWFLAKE.into());
            }
            if let Some(first) = seen.insert(c.id, i) {
                return Err((
                    at.to_vec(),
                    Some(vec![K("channels"), I(first), K("id")]),
                    format!("channel {} is listed twice", c.id),
                ));
            }
        }
        let mut seen = HashMap::new();
        check_sources(&self.sources)?;
        for (i, s) in self.subscriptions.iter().enumerate() {
            let at = |key| [K("subscriptions"), I(i), K(key)];
            if s.channel == 0 {
                return fail(&at("channel"), NOT_A_SNOWFLAKE.into());
            }
            if let Some(first) = seen.insert(s.channel, i) {
                return Err((
                    at("channel").to_vec(),
                    Some(vec![K("subscriptions"), I(first), K("channel")]),
                    format!("subscription for channel {} is listed twice", s.channel),
                ));
            }
            match (s.mode.as_str(), &s.at) {
                ("instant", None) => {}
                ("instant", Some(_)) => {
                    return fail(
                        &at("at"),
                        "is only for `mode = \"daily\"`: remove it, or set the mode".into(),
                    )
                }
                ("daily", None) => {
                    return fail(&at("at"), "daily mode needs `at = \"HH:MM\"`".into())
                }
                ("daily", Some(t)) if parse_hhmm(t).is_none() => {
                    return fail(&at("at"), format!("{t:?} is not a time HH:MM"))
                }
                ("daily", Some(_)) => {}
                (other, _) => {
                    return fail(
                        &at("mode"),
                        format!("{other:?} is not a mode: use \"instant\" or \"daily\""),
                    )
                }
            }
        }
        Ok(())
    }
}

/// A failed value check: the key, the first entry (for a duplicate), what is wrong.
type Failed = (Vec<Seg<'static>>, Option<Vec<Seg<'static>>>, String);

/// Largest config file accepted: TOML parsing holds many times its input (measured by the
/// fuzz test), and a config is a few KiB.
pub const MAX_CONFIG_BYTES: usize = 32 * 1024;

/// The message for an id of 0 (Discord ids, "snowflakes", are never 0).
const NOT_A_SNOWFLAKE: &str = "0 is not a Discord id: give the channel's or server's id \
                               (Developer Mode → right click → Copy ID)";

/// Why `proxy` cannot be used as serenity's REST base: it must be an absolute http(s) URL
/// with a host, to which serenity appends `/api/v10/…`.
fn check_proxy(proxy: &str) -> Result<(), String> {
    let url = url::Url::parse(proxy).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "the scheme must be http or https, not {:?}",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("no host".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("a base URL takes no `?query` or `#fragment`".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials do not belong in the URL".into());
    }
    Ok(())
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
}

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

/// Value checks of `[[sources]]`: names unique and usable in ids, URLs http(s), intervals
/// of at least a minute.
fn check_sources(sources: &[SourceConfig]) -> Result<(), Failed> {
    use Seg::{Index as I, Key as K};
    let mut names = std::collections::HashMap::new();
    for (i, s) in sources.iter().enumerate() {
        let err = |key: &'static str, message: String| {
            Err((vec![K("sources"), I(i), K(key)], None, message))
        };
        let name = s.name.as_str();
        if name.is_empty()
            || name.len() > MAX_SOURCE_NAME
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return err(
                "name",
                format!(
                    "{name:?} is not a source name: use 1 to {MAX_SOURCE_NAME} letters, digits, \
                     '-' or '_'"
                ),
            );
        }
        if let Some(first) = names.insert(name.to_ascii_lowercase(), i) {
            return err(
                "name",
                format!("{name:?} is already the name of sources[{first}]"),
            );
        }
        let url_ok = reqwest::Url::parse(&s.url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if url_ok.is_none() {
            return err(
                "url",
                format!("must be an http:// or https:// URL, not {:?}", s.url),
            );
        }
        match parse_interval(&s.every) {
            None => {
                return err(
                    "every",
                    format!(
                        "{:?} is not an interval: write a number and a unit, e.g. \"15m\", \
                         \"90s\", \"2h\", \"1d\"",
                        s.every
                    ),
                )
            }
            Some(d) if d < MIN_SOURCE_INTERVAL => {
                return err(
                    "every",
                    format!(
                        "{:?} is too often: poll at most once a minute (\"1m\")",
                        s.every
                    ),
                )
            }
            Some(_) => {}
        }
        if let Some(t) = s.topics.iter().find(|t| t.trim().is_empty()) {
            return err("topics", format!("{t:?} is not a topic"));
        }
    }
    Ok(())
}

/// Parses `HH:MM` (24-hour).
pub fn parse_hhmm(text: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

/// One step of a key path: a key, or an index in an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// `subscriptions[1].at`.
fn dotted(path: &[Seg<'_>]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The config text and its spanned document (`None` when the text is not valid TOML).
struct Located<'a> {
    text: &'a str,
    doc: Option<&'a DeTable<'a>>,
}

impl Located<'_> {
    /// 1-based line and column of the key at `path` (of the element, for an index into an
    /// array of values), from the spans toml records for every key and value. For a dotted key (`summary.sentences = 0`) that is where the dotted
    /// key starts; for a quoted key, where its name starts.
    fn position(&self, path: &[Seg<'_>]) -> Option<(usize, usize)> {
        let mut table = self.doc?;
        let mut value: Option<&Spanned<DeValue<'_>>> = None;
        // Where each key of the path starts.
        let mut keys: Vec<usize> = Vec::new();
        let mut element = None;
        for seg in path {
            let next = match *seg {
                Seg::Key(name) => {
                    let (k, v) = table.iter().find(|(k, _)| k.get_ref() == name)?;
                    keys.push(k.span().start);
                    v
                }
                Seg::Index(i) => {
                    let e = value?.get_ref().as_array()?.get(i)?;
                    element = (!e.get_ref().is_table()).then_some(e.span().start);
                    e
                }
            };
            if let DeValue::Table(t) = next.get_ref() {
                table = t;
            }
            value = Some(next);
        }
        if let (Some(start), Some(Seg::Index(_))) = (element, path.last()) {
            return Some(line_col(self.text, start));
        }
        let leaf = *keys.last()?;
        let line = line_col(self.text, leaf).0;
        let start = keys
            .into_iter()
            .find(|&s| line_col(self.text, s).0 == line)
            .unwrap_or(leaf);
        let quoted = matches!(self.text.as_bytes().get(start), Some(b'"' | b'\''));
        Some(line_col(self.text, start + usize::from(quoted)))
    }
}

/// The deepest key path whose key or value span contains `offset` (where a serde error
/// points), with array indexes.
fn key_containing<'a>(
    table: &'a DeTable<'a>,
    offset: usize,
    path: &mut Vec<Seg<'a>>,
) -> Option<Vec<Seg<'a>>> {
    let mut best: Option<Vec<Seg<'a>>> = None;
    for (k, v) in table.iter() {
        path.push(Seg::Key(k.get_ref()));
        let found = value_containing(v, offset, path).or_else(|| {
            (k.span().contains(&offset) || v.span().contains(&offset)).then(|| path.clone())
        });
        path.pop();
        if let Some(f) = found {
            if best.as_ref().is_none_or(|b| f.len() > b.len()) {
                best = Some(f);
            }
        }
    }
    best
}

/// [`key_containing`] below a value (tables and arrays).
fn value_containing<'a>(
    v: &'a Spanned<DeValue<'a>>,
    offset: usize,
    path: &mut Vec<Seg<'a>>,
) -> Option<Vec<Seg<'a>>> {
    match v.get_ref() {
        DeValue::Table(t) => key_containing(t, offset, path),
        DeValue::Array(a) => a.iter().enumerate().find_map(|(i, e)| {
            path.push(Seg::Index(i));
            let found = value_containing(e, offset, path)
                .or_else(|| e.span().contains(&offset).then(|| path.clone()));
            path.pop();
            found
        }),
        _ => None,
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.chars().count(), |i| before[i + 1..].chars().count())
        + 1;
    (line, col)
}
