//! One `[[sources]]` entry — a feed or a web page — as a source of briefs. [`WebSource::poll`]
//! fetches it (conditionally), reads it as a feed ([`super::feed`]) or a page
//! ([`super::page`]), and turns every item into a brief with the project's own parser:
//! the item's text gets front matter (id, title, date, topics, link) and is parsed exactly
//! like a brief file, so headings and lead-ins work the same. Items without recognisable
//! sections go to [`super::raw::raw_sections`].
//!
//! A brief's id is `<source name>.<16 hex>`, a SHA-256 of the source name and the item key,
//! so it is stable across polls and restarts; its content hash covers everything the brief
//! is made from, so an edited item is noticed. Unchanged items are not parsed again.
//!
//! The schedule is here too: the poll interval, exponential backoff with jitter after
//! failures, `Retry-After`, and disabling after [`GONE_LIMIT`] 404/410 in a row.

use super::fetch::{FetchError, Fetched, Fetcher, Validators};
use super::status::{SourceStatus, State};
use super::{feed, page, raw};
use crate::brief::{Brief, ParseError, ParseOptions};
use chrono::{DateTime, FixedOffset, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::time::Duration;

/// 404/410 answers in a row after which a source is disabled.
pub const GONE_LIMIT: u32 = 3;

/// Longest wait between attempts while a source fails.
pub const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);

/// Skipped-item reasons kept in the status.
const SKIPPED_SHOWN: usize = 5;

/// What a `[[sources]]` entry points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Decided from the response: a feed when it parses as one, else a page.
    #[default]
    Auto,
    /// An RSS feed (0.9–2.0).
    Rss,
    /// An Atom feed.
    Atom,
    /// A JSON Feed.
    Json,
    /// One web page (an article), re-read every poll.
    Page,
}

impl Kind {
    /// The name used in the config and in `/sources`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Auto => "auto",
            Kind::Rss => "rss",
            Kind::Atom => "atom",
            Kind::Json => "json",
            Kind::Page => "page",
        }
    }
}

/// A configured source, as the source module needs it (from a `[[sources]]` entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Unique name; prefix of its brief ids.
    pub name: String,
    /// The URL.
    pub url: String,
    /// What it is.
    pub kind: Kind,
    /// Poll interval.
    pub interval: Duration,
    /// Topics added to every brief.
    pub topics: Vec<String>,
    /// Fetch each item's linked page.
    pub fetch_pages: bool,
    /// How long stored items that left the feed are kept (`None`: for ever).
    pub keep: Option<Duration>,
}

/// A brief made from one item, with its content hash.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemBrief {
    /// The item key (guid, link, or the page URL).
    pub key: String,
    /// SHA-256 (hex) of the text the brief was parsed from.
    pub hash: String,
    /// The brief (keyphrases not yet added).
    pub brief: Brief,
}

/// Why a poll gave nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PollError {
    /// HTTP trouble.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The body is not a feed (for `kind = rss|atom|json`, or XML that does not parse).
    #[error("{0}")]
    NotAFeed(String),
    /// The server sent an HTTP error page (with status 200).
    #[error("the server sent an error page ({0:?}) instead of {1}")]
    ErrorPage(String, &'static str),
    /// A page with no brief in it.
    #[error("the page has no brief: {0}")]
    Page(String),
}

/// What a successful poll found.
#[derive(Debug, Clone, PartialEq)]
pub enum Polled {
    /// 304 Not Modified.
    NotModified,
    /// The items now in the feed (or the page), as briefs.
    Items(Vec<ItemBrief>),
}

/// A configured feed or page, with what it remembers between polls.
#[derive(Debug, Clone)]
pub struct WebSource {
    config: Spec,
    parse: ParseOptions,
    /// Validators of the last body.
    pub validators: Validators,
    /// Briefs by item key, from the last poll (reused when an item is unchanged).
    cache: HashMap<String, ItemBrief>,
    status: SourceStatus,
    failures: u32,
    gone: u32,
    retry_after: Option<Duration>,
}

impl WebSource {
    /// A source for this config entry.
    pub fn new(config: Spec, parse: ParseOptions) -> WebSource {
        let status = SourceStatus::waiting(&config.name, config.kind.name(), &config.url);
        WebSource {
            config,
            parse,
            validators: Validators::default(),
            cache: HashMap::new(),
            status,
            failures: 0,
            gone: 0,
            retry_after: None,
        }
    }

    /// Its config entry.
    pub fn config(&self) -> &Spec {
        &self.config
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// Its status.
    pub fn status(&self) -> &SourceStatus {
        &self.status
    }

    /// Whether it was disabled (repeated 404/410).
    pub fn disabled(&self) -> bool {
        self.status.state == State::Disabled
    }

    /// Fetches once and reads what came. Updates the status (not `items` or `next_fetch`,
    /// which the caller knows).
    pub async fn poll(&mut self, fetcher: &Fetcher) -> Result<Polled, PollError> {
        let result = self.fetch_and_read(fetcher).await;
        self.status.last_fetch = Some(Utc::now());
        self.retry_after = None;
        match &result {
            Ok(polled) => {
                self.failures = 0;
                self.gone = 0;
                self.status.state = State::Ok;
                self.status.last_error = None;
                if let Polled::Items(items) = polled {
                    self.cache = items.iter().map(|i| (i.key.clone(), i.clone())).collect();
                }
            }
            Err(e) => {
                self.failures += 1;
                self.status.last_error = Some(e.to_string());
                self.status.state = State::Failing;
                if let PollError::Fetch(f) = e {
                    self.retry_after = f.retry_after();
                    if f.is_gone() {
                        self.gone += 1;
                        if self.gone >= GONE_LIMIT {
                            self.status.state = State::Disabled;
                            self.status.last_error =
                                Some(format!("disabled after {} answers of {e}", self.gone));
                        }
                    } else {
                        self.gone = 0;
                    }
                }
            }
        }
        result
    }

    /// How long to wait before the next poll: the interval after a success; after `n`
    /// failures in a row, the interval × 2^(n-1) (at most [`MAX_BACKOFF`], never less
    /// than the interval), ±20 % jitter; never sooner than a `Retry-After`.
    pub fn next_delay(&self, interval: Duration) -> Duration {
        let base = if self.failures == 0 {
            interval
        } else {
            let factor = 1u32 << (self.failures - 1).min(16);
            interval
                .saturating_mul(factor)
                .min(MAX_BACKOFF.max(interval))
        };
        let jitter = if self.failures == 0 {
            1.0
        } else {
            rand::Rng::gen_range(&mut rand::thread_rng(), 0.8..1.2)
        };
        base.mul_f64(jitter)
            .max(self.retry_after.unwrap_or_default())
    }

    /// Sets the number of briefs it provides and when it is next fetched.
    pub fn set_progress(&mut self, items: usize, next: Option<DateTime<Utc>>) {
        self.status.items = items;
        self.status.next_fetch = next;
    }

    /// Marks it disabled with a stored reason (after a restart).
    pub fn disable(&mut self, reason: String) {
        self.status.state = State::Disabled;
        self.status.last_error = Some(reason);
    }

    async fn fetch_and_read(&mut self, fetcher: &Fetcher) -> Result<Polled, PollError> {
        let body = match fetcher.get(&self.config.url, &self.validators).await? {
            Fetched::NotModified => return Ok(Polled::NotModified),
            Fetched::Body(b) => b,
        };
        let is_feed = match self.config.kind {
            Kind::Page => false,
            Kind::Auto => feed::looks_like_feed(&body.bytes),
            Kind::Rss | Kind::Atom | Kind::Json => true,
        };
        let validators = body.validators.clone();
        let items = if is_feed {
            let parsed = match feed::parse_with(&body.bytes, body.content_type.as_deref()) {
                Ok(f) => f,
                Err(e) => {
                    let text = body.text();
                    let p = page::extract(&text);
                    return Err(match p.error {
                        Some(t) => PollError::ErrorPage(t, "a feed"),
                        None if !feed::looks_like_feed(&body.bytes) => PollError::NotAFeed(
                            "expected a feed, got something else (an HTML page?)".into(),
                        ),
                        None => PollError::NotAFeed(e.to_string()),
                    });
                }
            };
            self.status.kind = kind_name(&parsed.format).into();
            let mut skipped = parsed.notes.clone();
            let pages = if self.config.fetch_pages {
                self.fetch_pages(fetcher, &parsed.items).await
            } else {
                HashMap::new()
            };
            let (config, parse, cache) = (
                self.config.clone(),
                self.parse.clone(),
                std::mem::take(&mut self.cache),
            );
            let (items, why, cache) = tokio::task::spawn_blocking(move || {
                let mut out = Vec::new();
                let mut why = Vec::new();
                for item in &parsed.items {
                    let page_text = pages.get(&item.key).map(String::as_str);
                    match item_brief(&config, &parse, item, page_text, cache.get(&item.key)) {
                        Ok(b) => out.push(b),
                        Err(reason) => why.push(format!(
                            "{}: {reason}",
                            item.title.as_deref().unwrap_or(&item.key)
                        )),
                    }
                }
                (out, why, cache)
            })
            .await
            .map_err(|e| PollError::NotAFeed(format!("reading the feed failed: {e}")))?;
            self.cache = cache;
            skipped.extend(why);
            for s in &skipped {
                tracing::info!(source = %self.config.name, "item skipped: {s}");
            }
            self.status.skipped = skipped.into_iter().take(SKIPPED_SHOWN).collect();
            items
        } else {
            self.status.kind = "page".into();
            let text = body.text();
            let p = page::extract(&text);
            if let Some(t) = p.error {
                return Err(PollError::ErrorPage(t, "an article"));
            }
            let item = feed::Item {
                key: self.config.url.clone(),
                title: p.title,
                link: Some(body.url.clone()),
                published: p.published,
                html: String::new(),
            };
            let brief = item_brief(&self.config, &self.parse, &item, Some(&p.text), None)
                .map_err(PollError::Page)?;
            vec![brief]
        };
        self.validators = validators;
        Ok(Polled::Items(items))
    }

    /// The linked pages of items not seen in the last poll, by item key (a page is fetched
    /// when its item first appears, and again after a restart).
    async fn fetch_pages(
        &self,
        fetcher: &Fetcher,
        items: &[feed::Item],
    ) -> HashMap<String, String> {
        let mut out = HashMap::new();
        for item in items {
            let Some(link) = &item.link else { continue };
            if self.cache.contains_key(&item.key) {
                continue;
            }
            match fetcher.get(link, &Validators::default()).await {
                Ok(Fetched::Body(b)) => {
                    let p = page::extract(&b.text());
                    if p.error.is_none() && !p.text.is_empty() {
                        out.insert(item.key.clone(), p.text);
                    }
                }
                Ok(Fetched::NotModified) => {}
                Err(e) => tracing::info!(source = %self.config.name, "page {link}: {e}"),
            }
        }
        out
    }
}

/// The feed format's name in `/sources`.
fn kind_name(format: &feed::Format) -> &'static str {
    use feed_rs::model::FeedType;
    match format {
        FeedType::Atom => "atom",
        FeedType::JSON => "json",
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2 => "rss",
    }
}

/// The brief id of an item: `<source>.<16 hex of SHA-256(source, key)>`.
pub fn brief_id(source: &str, key: &str) -> String {
    let digest = Sha256::new()
        .chain_update(source.as_bytes())
        .chain_update([0u8])
        .chain_update(key.as_bytes())
        .finalize();
    format!("{source}.{}", hex(&digest[..8]))
}

/// Whether a brief came from the named source.
pub fn from_source(brief: &Brief, source: &str) -> bool {
    brief
        .id
        .strip_prefix(source)
        .is_some_and(|rest| rest.starts_with('.'))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

#[derive(serde::Serialize)]
struct Front<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    topics: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

/// An item as a brief: front matter + its text (the fetched page's, else the item's HTML
/// as text), through the brief parser; raw text goes to [`raw::raw_sections`].
pub fn item_brief(
    config: &Spec,
    parse: &ParseOptions,
    item: &feed::Item,
    page_text: Option<&str>,
    cached: Option<&ItemBrief>,
) -> Result<ItemBrief, String> {
    let id = brief_id(&config.name, &item.key);
    let body = match page_text {
        Some(t) => t.to_owned(),
        None => page::fragment_text(&item.html),
    };
    let front = Front {
        id: &id,
        title: item.title.as_deref(),
        published: item
            .published
            .map(|p: DateTime<FixedOffset>| p.to_rfc3339()),
        topics: &config.topics,
        source: item.link.as_deref(),
    };
    let front = toml::to_string(&front).map_err(|e| e.to_string())?;
    let text = format!("+++\n{front}+++\n{body}\n");
    let hash = sha_hex(&text);
    if let Some(c) = cached.filter(|c| c.hash == hash) {
        return Ok(c.clone());
    }
    let brief = match crate::brief::parse::parse(&text, &id, parse) {
        Ok(b) => b,
        Err(ParseError::NoSections) => match raw::raw_sections(&body) {
            Some(sections) => {
                let text = format!("+++\n{front}+++\n{}", sections.to_text());
                let mut brief =
                    crate::brief::parse::parse(&text, &id, parse).map_err(|e| e.to_string())?;
                brief.auto_sections = true;
                brief
            }
            None => {
                return Err(if body.trim().is_empty() {
                    "no text".to_owned()
                } else {
                    "no recognisable sections and no sentence to assign".to_owned()
                })
            }
        },
        Err(e) => return Err(e.to_string()),
    };
    Ok(ItemBrief {
        key: item.key.clone(),
        hash,
        brief,
    })
}

/// A brief as stored (JSON); read back by [`brief_from_json`].
/// Every topic is stored as a topic (the extracted ones are not serialized on their own).
pub fn brief_to_json(brief: &Brief) -> String {
    let mut stored = brief.clone();
    stored.topics = brief.all_topics().map(str::to_owned).collect();
    serde_json::to_string(&stored).expect("a brief serializes")
}

#[derive(serde::Deserialize)]
struct StoredSection {
    heading: String,
    paragraphs: Vec<String>,
}

#[derive(serde::Deserialize)]
struct StoredBrief {
    id: String,
    title: String,
    published: Option<DateTime<FixedOffset>>,
    topics: Vec<String>,
    source: Option<String>,
    happening: Option<StoredSection>,
    importance: Option<StoredSection>,
    next: Option<StoredSection>,
    extra: Vec<StoredSection>,
    #[serde(default)]
    auto_sections: bool,
}

/// A brief stored by [`brief_to_json`] (`None` if the JSON is not one).
pub fn brief_from_json(json: &str) -> Option<Brief> {
    let s: StoredBrief = serde_json::from_str(json).ok()?;
    let section = |s: StoredSection| crate::brief::Section {
        heading: crate::brief::shared_heading(s.heading),
        paragraphs: s.paragraphs.into(),
    };
    Some(Brief {
        id: s.id,
        title: s.title,
        published: s.published,
        topics: s.topics,
        source: s.source,
        happening: s.happening.map(section),
        importance: s.importance.map(section),
        next: s.next.map(section),
        extra: s.extra.into_iter().map(section).collect(),
        extracted: Default::default(),
        auto_sections: s.auto_sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(name: &str) -> Spec {
        Spec {
            name: name.into(),
            url: "http://127.0.0.1/feed".into(),
            kind: Kind::Auto,
            interval: Duration::from_secs(900),
            topics: vec!["world".into()],
            fetch_pages: false,
            keep: None,
        }
    }

    #[test]
    fn ids_are_stable_and_name_their_source() {
        let a = brief_id("news", "guid-1");
        assert_eq!(a, brief_id("news", "guid-1"));
        assert_ne!(a, brief_id("news", "guid-2"));
        assert_ne!(a, brief_id("other", "guid-1")[..].replace("other", "news"));
        assert!(a.starts_with("news.") && a.len() == "news.".len() + 16);
    }

    #[test]
    fn an_item_with_lead_ins_becomes_a_brief_with_front_matter() {
        let item = feed::Item {
            key: "k".into(),
            title: Some("Title with \"quotes\"".into()),
            link: Some("http://127.0.0.1/a".into()),
            published: DateTime::parse_from_rfc3339("2026-03-11T10:00:00Z").ok(),
            html: "<p>Something happened.</p><p><strong>Why it matters:</strong> Because.</p>"
                .into(),
        };
        let b = item_brief(&config("news"), &ParseOptions::default(), &item, None, None).unwrap();
        assert_eq!(b.brief.title, "Title with \"quotes\"");
        assert_eq!(b.brief.topics, vec!["world".to_owned()]);
        assert_eq!(b.brief.source.as_deref(), Some("http://127.0.0.1/a"));
        assert!(from_source(&b.brief, "news") && !from_source(&b.brief, "new"));
        assert_eq!(b.brief.importance.as_ref().unwrap().text(), "Because.");
        assert_eq!(
            brief_from_json(&brief_to_json(&b.brief)).as_ref(),
            Some(&b.brief)
        );
        let raw = feed::Item {
            html: "<p>Just prose with no sections.</p>".into(),
            ..item
        };
        let b = item_brief(&config("news"), &ParseOptions::default(), &raw, None, None).unwrap();
        assert!(b.brief.auto_sections);
        assert_eq!(
            b.brief.happening.as_ref().unwrap().text(),
            "Just prose with no sections."
        );
        assert_eq!(
            brief_from_json(&brief_to_json(&b.brief)).as_ref(),
            Some(&b.brief),
            "the flag is stored"
        );
    }

    #[test]
    fn backoff_grows_with_failures_and_respects_retry_after() {
        let mut s = WebSource::new(config("news"), ParseOptions::default());
        let minute = Duration::from_secs(60);
        assert_eq!(s.next_delay(minute), minute);
        s.failures = 3;
        let d = s.next_delay(minute);
        assert!(
            d >= minute * 4 * 8 / 10 && d <= minute * 4 * 12 / 10,
            "{d:?}"
        );
        s.failures = 40;
        assert!(s.next_delay(minute) <= MAX_BACKOFF.mul_f64(1.2));
        s.failures = 0;
        s.retry_after = Some(Duration::from_secs(600));
        assert_eq!(s.next_delay(minute), Duration::from_secs(600));
    }
}
