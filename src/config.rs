//! Typed configuration from a TOML file. Unknown or mistyped keys stop start-up with the file,
//! the dotted key, the line and the column. Every key is documented in
//! `config/briefbot.example.toml`.

use crate::brief::parse::{DEFAULT_IGNORE_LINES, DEFAULT_MAX_BYTES};
use crate::brief::ParseOptions;
use crate::source::SourceOptions;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// SQLite database file.
    pub path: PathBuf,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            path: PathBuf::from("briefbot.db"),
        }
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
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            timezone: "UTC".into(),
            max_per_second: 45,
            keep_days: 30,
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
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            let (line, col) = line_col(text, offset);
            let message = e.message().trim().to_owned();
            // The key line itself when it names the field (dotted keys such as
            // `summary.sentencez = 3`), else the table in force and the field.
            let key = unknown_field(&message)
                .map(|f| {
                    key_at(text, offset)
                        .filter(|k| k.ends_with(&f))
                        .unwrap_or_else(|| join_key(&table_at(text, offset), &f))
                })
                .or_else(|| key_at(text, offset));
            ConfigError {
                path: path.to_owned(),
                key,
                position: Some((line, col)),
                message,
            }
        })?;
        config.check(text, path)?;
        Ok(config)
    }

    /// Value checks that TOML types alone do not express.
    fn check(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let fail = |table: &str, key: &str, index: Option<usize>, message: String| ConfigError {
            path: path.to_owned(),
            key: Some(match index {
                Some(i) => format!("{table}[{i}].{key}"),
                None => format!("{table}.{key}"),
            }),
            position: locate(text, table, key, index),
            message,
        };
        if self.summary.sentences == 0 || self.summary.sentences > 10 {
            return Err(fail(
                "summary",
                "sentences",
                None,
                format!("must be from 1 to 10, not {}", self.summary.sentences),
            ));
        }
        if self.briefs.max_bytes == 0 {
            return Err(fail(
                "briefs",
                "max_bytes",
                None,
                "must be more than 0".into(),
            ));
        }
        if self.discord.token_env.trim().is_empty() {
            return Err(fail(
                "discord",
                "token_env",
                None,
                "must name an environment variable".into(),
            ));
        }
        if let Some(proxy) = &self.discord.api_proxy {
            if !(proxy.starts_with("http://") || proxy.starts_with("https://")) {
                return Err(fail(
                    "discord",
                    "api_proxy",
                    None,
                    format!("must be an http:// or https:// URL, not {proxy:?}"),
                ));
            }
        }
        if self.delivery.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(fail(
                "delivery",
                "timezone",
                None,
                format!(
                    "{:?} is not an IANA time zone name (e.g. \"Europe/Paris\")",
                    self.delivery.timezone
                ),
            ));
        }
        // Discord allows 50 requests a second bot-wide; at 50 network jitter alone puts 51
        // sends in some second (measured: 5 × 429 over 1,000 sends), so keep a margin.
        if self.delivery.max_per_second == 0 || self.delivery.max_per_second > MAX_PER_SECOND {
            return Err(fail(
                "delivery",
                "max_per_second",
                None,
                format!(
                    "must be from 1 to {MAX_PER_SECOND} (Discord allows 50 requests per second; \
                     the rest is margin for other requests and jitter), not {}",
                    self.delivery.max_per_second
                ),
            ));
        }
        if !(1..=3650).contains(&self.delivery.keep_days) {
            return Err(fail(
                "delivery",
                "keep_days",
                None,
                format!(
                    "must be from 1 to 3650 days, not {}",
                    self.delivery.keep_days
                ),
            ));
        }
        check_sources(&self.sources, &fail)?;
        for (i, s) in self.subscriptions.iter().enumerate() {
            match s.mode.as_str() {
                "instant" => {}
                "daily" => match &s.at {
                    None => {
                        return Err(fail(
                            "subscriptions",
                            "at",
                            Some(i),
                            "daily mode needs `at = \"HH:MM\"`".into(),
                        ))
                    }
                    Some(at) if parse_hhmm(at).is_none() => {
                        return Err(fail(
                            "subscriptions",
                            "at",
                            Some(i),
                            format!("{at:?} is not a time HH:MM"),
                        ))
                    }
                    Some(_) => {}
                },
                other => {
                    return Err(fail(
                        "subscriptions",
                        "mode",
                        Some(i),
                        format!("{other:?} is not a mode: use \"instant\" or \"daily\""),
                    ))
                }
            }
        }
        Ok(())
    }
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

/// Builds a located error from (table, key, index, message).
type Locate<'a> = dyn Fn(&str, &str, Option<usize>, String) -> ConfigError + 'a;

/// Value checks of `[[sources]]`: names unique and usable in ids, URLs http(s), intervals
/// of at least a minute. `fail(table, key, index, message)` locates the error.
fn check_sources(sources: &[SourceConfig], fail: &Locate<'_>) -> Result<(), ConfigError> {
    let mut names = std::collections::HashMap::new();
    for (i, s) in sources.iter().enumerate() {
        let err = |key: &str, message: String| Err(fail("sources", key, Some(i), message));
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

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.chars().count(), |i| before[i + 1..].chars().count())
        + 1;
    (line, col)
}

/// The field name in serde's "unknown field `x`, expected …".
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

/// The table header (`[a]` or `[[a]]`) in force at `offset`, without brackets.
fn table_at(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    before
        .lines()
        .rev()
        .find_map(header_name)
        .map(str::to_owned)
        .unwrap_or_default()
}

/// The table name of a `[a]` or `[[a]]` header line, without brackets or a trailing comment.
fn header_name(line: &str) -> Option<&str> {
    let t = line.trim();
    if !t.starts_with('[') {
        return None;
    }
    let t = t.find('#').map_or(t, |i| &t[..i]).trim();
    Some(t.trim_matches(['[', ']']).trim())
}

fn join_key(table: &str, key: &str) -> String {
    if table.is_empty() {
        key.to_owned()
    } else {
        format!("{table}.{key}")
    }
}

/// The dotted key of the `key = value` line containing `offset`.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("");
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[')).then(|| join_key(&table_at(text, start), key))
}

/// Line and column of `key` inside `[table]` (or the `index`-th `[[table]]`).
fn locate(text: &str, table: &str, key: &str, index: Option<usize>) -> Option<(usize, usize)> {
    let mut seen = 0usize;
    let mut in_target = false;
    let mut in_root = true;
    let dotted = format!("{table}.{key}");
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(name) = header_name(t) {
            in_root = false;
            in_target = name == table
                && match index {
                    None => true,
                    Some(i) => {
                        seen += 1;
                        seen == i + 1
                    }
                };
            continue;
        }
        if let Some((k, _)) = t.split_once('=') {
            let k = k.trim().trim_matches('"');
            // `key = …` inside the table, or `table.key = …` before any table header.
            if (in_target && k == key) || (in_root && index.is_none() && k == dotted) {
                return Some((n + 1, line.find(k).unwrap_or(0) + 1));
            }
        }
    }
    None
}
