//! Web pages and HTML fragments → text the brief parser reads. A real HTML5 parser
//! (html5ever, through `scraper`) builds the tree; [`extract`] then keeps the article's main
//! text: the element marked `itemprop=articleBody`, else `<article>`, else `<main>`, else
//! `<body>`, without scripts, styles, navigation, headers and footers, figures and captions,
//! forms, asides, and blocks whose class, id or label names boilerplate (share bars, related
//! or "more" lists, bylines, ads, newsletters, tags, breadcrumbs). Headings are kept as
//! `## Heading` lines and each paragraph or list item becomes its own paragraph, so a page
//! with the three section headings (Glance) or with bold lead-ins (Axios) parses into
//! sections exactly as a brief file does.
//!
//! The selection rules are hand-written, not a readability port: news pages mark their body
//! well (`<article>`, `articleBody`), and a short deny-list of boilerplate words keeps the
//! output predictable and fast (see `docs/BENCHMARKS.md`, "extract 100 HTML pages").

use chrono::{DateTime, FixedOffset};
use scraper::{ElementRef, Html, Node, Selector};

/// What a page yields.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The headline: the main `<h1>`, else `og:title`, else `<title>`.
    pub title: Option<String>,
    /// `article:published_time`, else the first `<time datetime>`, else JSON-LD
    /// `datePublished`.
    pub published: Option<DateTime<FixedOffset>>,
    /// The main text: paragraphs separated by blank lines, headings as `## …` lines.
    pub text: String,
    /// The `<title>` when it reads as an HTTP error page ("503 Service Unavailable").
    pub error: Option<String>,
}

/// Class/id/label words that mark a block as boilerplate.
const BOILERPLATE: &[&str] = &[
    "share",
    "sharing",
    "social",
    "related",
    "more",
    "byline",
    "author",
    "meta",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "sponsor",
    "sponsored",
    "promo",
    "newsletter",
    "signup",
    "subscribe",
    "breadcrumb",
    "breadcrumbs",
    "tags",
    "topics",
    "reactions",
    "comments",
    "deeper",
    "caption",
    "sidebar",
    "cookie",
    "consent",
    "popup",
    "modal",
    "masthead",
    "nav",
    "menu",
];

/// Elements never read.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "figure",
    "figcaption",
    "button",
    "iframe",
    "svg",
    "select",
    "input",
    "textarea",
    "label",
    "h1",
    "time",
    "address",
    "hr",
    "img",
    "video",
    "audio",
    "object",
    "embed",
];

/// Elements that start a paragraph of their own.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "li",
    "blockquote",
    "pre",
    "td",
    "th",
    "dd",
    "dt",
    "tr",
    "ul",
    "ol",
    "table",
    "article",
    "main",
    "body",
    "dl",
];

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

/// Extracts a whole page.
pub fn extract(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let root = ["[itemprop=articleBody]", "article", "main", "body"]
        .iter()
        .find_map(|s| doc.select(&sel(s)).next());
    let text = root.map(|r| block_text(r, true)).unwrap_or_default();
    let meta = |property: &str| {
        doc.select(&sel(&format!(
            "meta[property=\"{property}\"], meta[name=\"{property}\"]"
        )))
        .find_map(|m| m.value().attr("content"))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
    };
    let html_title = doc
        .select(&sel("title"))
        .next()
        .map(|t| squash(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let h1 = doc
        .select(&sel("article h1, main h1, h1"))
        .next()
        .map(|h| squash(&h.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let title = h1.or_else(|| meta("og:title")).or(html_title.clone());
    let published = meta("article:published_time")
        .or_else(|| {
            doc.select(&sel("time[datetime]"))
                .find_map(|t| t.value().attr("datetime").map(str::to_owned))
        })
        .or_else(|| json_ld_date(&doc))
        .and_then(|d| DateTime::parse_from_rfc3339(d.trim()).ok());
    let error = html_title.filter(|t| looks_like_error(t));
    Page {
        title,
        published,
        text,
        error,
    }
}

/// An HTML fragment (a feed item's description or content) as text, same rules.
pub fn fragment_text(html: &str) -> String {
    let doc = Html::parse_fragment(html);
    block_text(doc.root_element(), true)
}

/// Inline HTML (a title written as HTML) as plain text: tags dropped, entities decoded.
pub fn inline_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return squash(html);
    }
    let doc = Html::parse_fragment(html);
    squash(&doc.root_element().text().collect::<String>())
}

/// "404 Not Found", "503 Service Unavailable", "Error 500".
fn looks_like_error(title: &str) -> bool {
    let t = title.trim().to_ascii_lowercase();
    let t = t.strip_prefix("error ").unwrap_or(&t);
    t.len() >= 3
        && t.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        && matches!(t.as_bytes()[0], b'4' | b'5')
        && (t.len() == 3 || !t.as_bytes()[3].is_ascii_digit())
}

fn json_ld_date(doc: &Html) -> Option<String> {
    doc.select(&sel("script[type=\"application/ld+json\"]"))
        .find_map(|s| {
            let v: serde_json::Value = serde_json::from_str(&s.text().collect::<String>()).ok()?;
            v.get("datePublished")?.as_str().map(str::to_owned)
        })
}

/// Whether an element is boilerplate by name, class, id, role or label.
fn skipped(e: &ElementRef<'_>) -> bool {
    let v = e.value();
    if SKIPPED.contains(&v.name()) {
        return true;
    }
    if v.attr("aria-hidden") == Some("true") || v.attr("hidden").is_some() {
        return true;
    }
    if matches!(
        v.attr("role"),
        Some("navigation" | "banner" | "contentinfo")
    ) {
        return true;
    }
    let mut words = v
        .classes()
        .chain(v.id())
        .chain(v.attr("aria-label"))
        .flat_map(|s| s.split(|c: char| !c.is_ascii_alphanumeric()));
    words.any(|w| BOILERPLATE.contains(&w.to_ascii_lowercase().as_str()))
}

/// The text of `root` as paragraphs, headings as `## …`.
fn block_text(root: ElementRef<'_>, is_root: bool) -> String {
    let mut out = Out::default();
    walk(root, is_root, &mut out);
    out.flush();
    out.paragraphs.join("\n\n")
}

#[derive(Default)]
struct Out {
    paragraphs: Vec<String>,
    current: String,
}

impl Out {
    fn flush(&mut self) {
        let p = squash(&self.current);
        if !p.is_empty() {
            self.paragraphs.push(p);
        }
        self.current.clear();
    }
}

fn walk(e: ElementRef<'_>, is_root: bool, out: &mut Out) {
    if !is_root && skipped(&e) {
        return;
    }
    let name = e.value().name();
    if let Some(level) = name
        .strip_prefix('h')
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (2..=6).contains(n))
    {
        out.flush();
        let text = squash(&e.text().collect::<String>());
        if !text.is_empty() {
            out.paragraphs
                .push(format!("{} {text}", "#".repeat(level.min(3))));
        }
        return;
    }
    let block = BLOCKS.contains(&name);
    if block {
        out.flush();
    }
    if name == "li" {
        out.current.push_str("- ");
    }
    for child in e.children() {
        match child.value() {
            Node::Text(t) => out.current.push_str(t),
            Node::Element(el) => {
                if el.name() == "br" {
                    out.current.push(' ');
                } else if let Some(c) = ElementRef::wrap(child) {
                    walk(c, false, out);
                }
            }
            _ => {}
        }
    }
    if block {
        out.flush();
    }
}

/// White space collapsed to single spaces, trimmed.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boilerplate_is_dropped_and_headings_kept() {
        let html = r#"<html><head><title>T</title></head><body>
            <nav>Home News</nav>
            <article><h1>Big news</h1><div class="byline">By Someone</div>
            <div class="share-bar">Share on X</div>
            <h2>What's Happening?</h2><p>A thing <b>happened</b>.</p>
            <div class="inline-ad">Advertisement</div>
            <ul><li>One.</li><li>Two.</li></ul>
            </article><aside>Related</aside></body></html>"#;
        let p = extract(html);
        assert_eq!(p.title.as_deref(), Some("Big news"));
        assert_eq!(
            p.text,
            "## What's Happening?\n\nA thing happened.\n\n- One.\n\n- Two."
        );
        assert_eq!(p.error, None);
    }

    #[test]
    fn error_titles_are_recognised() {
        assert!(looks_like_error("503 Service Unavailable"));
        assert!(looks_like_error("404"));
        assert!(looks_like_error("Error 500"));
        assert!(!looks_like_error("2026 budget"));
        assert!(!looks_like_error("4000 jobs cut"));
    }

    #[test]
    fn titles_lose_tags_and_entities() {
        assert_eq!(inline_text("Bees &amp; bumblebees"), "Bees & bumblebees");
        assert_eq!(inline_text("Q&A night"), "Q&A night");
        assert_eq!(inline_text("<i>Plain</i>  title"), "Plain title");
    }
}
