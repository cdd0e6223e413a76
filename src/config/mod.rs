//! Typed configuration from a TOML file. Unknown or mistyped keys, and values that start-up
//! would die on (ids of 0, duplicate channels or subscriptions, an empty database path, a
//! malformed proxy URL, `at` without daily mode…), stop `check` and start-up with the file,
//! the dotted key (`subscriptions[1].at`), the line and the column. Locations come from the
//! spans toml records for every key and value ([`toml::Spanned`] in [`DeTable`]); nothing
//! scans the text by hand. Every key is documented in `config/briefbot.example.toml`.
//!
//! - [`tables`]: one type per table (`[briefs]`, `[[sources]]`…), with its defaults;
//! - this module: loading (a regular file, at most [`MAX_CONFIG_BYTES`]), the value checks
//!   that TOML types alone do not express, and [`ConfigError`];
//! - [`locate`]: from a key path or a byte offset to the dotted key, line and column.

mod locate;
pub mod shards;
mod tables;

pub use tables::*;

use locate::{dotted, key_containing, line_col, Located, Seg};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::de::DeTable;

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `[briefs]`: where briefs come from and how they are read.
    pub briefs: BriefsConfig,
    /// `[summary]`: the summarizer.
    pub summary: SummaryConfig,
    /// `[answers]`: how `/ask` reads questions.
    pub answers: AnswersConfig,
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
    /// `[http]`: the operations endpoint (`/healthz`, `/metrics`).
    pub http: HttpConfig,
}

/// `[http]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Address and port serving `/healthz` and `/metrics` (`127.0.0.1:9100`); unset: off.
    pub listen: Option<String>,
}

impl HttpConfig {
    /// The address to serve on, if any (checked by the loader).
    pub fn listen_addr(&self) -> Option<std::net::SocketAddr> {
        self.listen.as_deref().and_then(|a| a.trim().parse().ok())
    }
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
    /// Reads and checks a config file. Only a regular file is read (a FIFO would hang
    /// start-up), and at most one byte past [`MAX_CONFIG_BYTES`] (a link to `/dev/zero`
    /// would fill memory).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        use std::io::Read as _;
        let error = |message: String| ConfigError {
            path: path.to_owned(),
            key: None,
            position: None,
            message,
        };
        // Checked before opening too: opening a FIFO for reading blocks until a writer comes.
        let not_regular = || error("not a regular file: give the path of a TOML file".into());
        let meta = std::fs::metadata(path).map_err(|e| error(format!("cannot read: {e}")))?;
        if !meta.is_file() {
            return Err(not_regular());
        }
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            // Never blocks on open, should the path have become a FIFO since.
            use std::os::unix::fs::OpenOptionsExt as _;
            options.custom_flags(libc::O_NONBLOCK);
        }
        let file = options
            .open(path)
            .map_err(|e| error(format!("cannot read: {e}")))?;
        let meta = file
            .metadata()
            .map_err(|e| error(format!("cannot read: {e}")))?;
        if !meta.is_file() {
            return Err(not_regular());
        }
        let mut text = String::new();
        file.take(MAX_CONFIG_BYTES as u64 + 1)
            .read_to_string(&mut text)
            .map_err(|e| error(format!("cannot read: {e}")))?;
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
        if self.answers.vectors.is_some() && self.answers.model.is_some() {
            return fail(
                &[K("answers"), K("model")],
                "set one of answers.vectors and answers.model, not both".into(),
            );
        }
        if let Some(path) = &self.answers.vectors {
            if let Err(e) = std::fs::File::open(path) {
                return fail(
                    &[K("answers"), K("vectors")],
                    format!(
                        "cannot read {}: {e} (a GloVe-format word vectors file, see \
                         tools/vectors.py; leave the key out to match words as written)",
                        path.display()
                    ),
                );
            }
        }
        if let Some(path) = &self.answers.model {
            let weights = path.join("model.safetensors");
            if let Err(e) = std::fs::File::open(&weights) {
                return fail(
                    &[K("answers"), K("model")],
                    format!(
                        "cannot read {}: {e} (a sentence-transformers model folder, see \
                         tools/model.sh; leave the key out to match words as written)",
                        weights.display()
                    ),
                );
            }
        }
        if self.briefs.max_bytes == 0 || self.briefs.max_bytes > MAX_BRIEF_BYTES {
            return fail(
                &[K("briefs"), K("max_bytes")],
                format!(
                    "must be from 1 to {MAX_BRIEF_BYTES} ({} MiB), not {}",
                    MAX_BRIEF_BYTES >> 20,
                    self.briefs.max_bytes
                ),
            );
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
        if let Some(listen) = &self.http.listen {
            if listen.trim().parse::<std::net::SocketAddr>().is_err() {
                return fail(
                    &[K("http"), K("listen")],
                    format!(
                        "{listen:?} is not an address and port: write e.g. \"127.0.0.1:9100\" \
                         (or \"[::1]:9100\")"
                    ),
                );
            }
        }
        if let Err((key, why)) = self.discord.shards.check() {
            return fail(&[K("discord"), K("shards"), K(key)], why);
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

/// Highest accepted `briefs.max_bytes`: a brief is read whole into memory and parsed, and
/// real briefs are a few KiB.
pub const MAX_BRIEF_BYTES: u64 = 16 << 20;

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
        if let Some(days) = s.keep_days.filter(|d| !(1..=MAX_KEEP_DAYS).contains(d)) {
            return err(
                "keep_days",
                format!("must be from 1 to {MAX_KEEP_DAYS} days, not {days}"),
            );
        }
    }
    Ok(())
}
