//! Feeds → items, with feed-rs (RSS 0.9–2.0, Atom, JSON Feed). Each [`Item`] has a key that
//! is stable across polls — the item's guid/id, else its link, else its title (never
//! feed-rs's default, which hashes the title too and so changes when an item is edited) —
//! its title (HTML entities and tags removed), its link, its date (`published`, else
//! `updated`) and its HTML (full content, else the summary). Items whose key repeats an
//! earlier one are dropped with a note; at most [`MAX_ITEMS`] are read per fetch.

use super::page;
use chrono::{DateTime, FixedOffset};

/// Items read from one fetch; the rest are reported and ignored.
pub const MAX_ITEMS: usize = 1000;

/// Which format a feed was in.
pub type Format = feed_rs::model::FeedType;

/// One feed item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Stable key: guid, else link, else `title:` + title.
    pub key: String,
    /// Title, as plain text.
    pub title: Option<String>,
    /// Link to the article.
    pub link: Option<String>,
    /// When published (else updated).
    pub published: Option<DateTime<FixedOffset>>,
    /// The body: content, else summary, as HTML.
    pub html: String,
}

/// A parsed feed.
#[derive(Debug, Clone)]
pub struct Feed {
    /// The format.
    pub format: Format,
    /// The feed's title.
    pub title: Option<String>,
    /// Its items, in feed order, unique keys.
    pub items: Vec<Item>,
    /// What was dropped and why (duplicate keys, items beyond [`MAX_ITEMS`], items with
    /// nothing to key them by).
    pub notes: Vec<String>,
}

/// Why bytes are not a feed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a readable feed: {0}")]
pub struct FeedError(pub String);

/// Parses feed bytes. Bytes that are not UTF-8 are decoded first (the charset of
/// `content_type`, else the XML declaration's; see [`super::fetch::decode`]) and handed
/// to feed-rs as UTF-8 with the declaration's `encoding` removed.
pub fn parse_with(bytes: &[u8], content_type: Option<&str>) -> Result<Feed, FeedError> {
    if std::str::from_utf8(bytes).is_ok() {
        return parse(bytes);
    }
    let text = super::fetch::decode(bytes, content_type);
    let text = match (text.find("<?xml"), text.find("?>")) {
        (Some(0), Some(end)) => {
            let decl = &text[..end];
            let decl = match decl.find("encoding") {
                Some(i) => decl[..i].trim_end().to_owned(),
                None => decl.to_owned(),
            };
            format!("{decl}?>{}", &text[end + 2..])
        }
        _ => text,
    };
    parse(text.as_bytes())
}

/// Parses UTF-8 feed bytes (see [`parse_with`] for other charsets).
pub fn parse(bytes: &[u8]) -> Result<Feed, FeedError> {
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|links, title, _| {
            if let Some(l) = links.first() {
                l.href.clone()
            } else if let Some(t) = title {
                format!("title:{}", t.content)
            } else {
                String::new()
            }
        })
        .build();
    let feed = parser.parse(bytes).map_err(|e| FeedError(e.to_string()))?;
    let mut notes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut items = Vec::new();
    let total = feed.entries.len();
    for entry in feed.entries {
        if items.len() >= MAX_ITEMS {
            notes.push(format!(
                "{total} items in the feed: only the first {MAX_ITEMS} are read"
            ));
            break;
        }
        let link = entry
            .links
            .iter()
            .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
            .or(entry.links.first())
            .map(|l| l.href.trim().to_owned())
            .filter(|h| !h.is_empty());
        let title = entry
            .title
            .as_ref()
            .map(|t| page::inline_text(&t.content))
            .filter(|t| !t.is_empty());
        let key = entry.id.trim().to_owned();
        if key.is_empty() {
            notes.push("an item with no guid, link or title was skipped".into());
            continue;
        }
        if !seen.insert(key.clone()) {
            notes.push(format!("duplicate item id {key:?}: only the first is kept"));
            continue;
        }
        let html = entry
            .content
            .and_then(|c| c.body)
            .filter(|b| !b.trim().is_empty())
            .or(entry.summary.map(|s| s.content))
            .unwrap_or_default();
        items.push(Item {
            key,
            title,
            link,
            published: entry.published.or(entry.updated).map(|d| d.fixed_offset()),
            html,
        });
    }
    Ok(Feed {
        format: feed.feed_type,
        title: feed.title.map(|t| page::inline_text(&t.content)),
        items,
        notes,
    })
}

/// Whether bytes look like a feed at all (XML, or JSON with a `version` naming JSON Feed),
/// to tell a feed from a web page before parsing.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('{') {
        return head.contains("jsonfeed.org");
    }
    head.starts_with("<?xml")
        || head.starts_with("<rss")
        || head.starts_with("<feed")
        || head.starts_with("<rdf")
}
