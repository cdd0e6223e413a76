//! The brief model: a short news item in three sections (what's happening, why it matters,
//! what's next), plus any extra sections its author added. Parsing lives in [`parse`], the
//! in-memory collection and its search index in [`library`]. Where briefs come from (files,
//! the embedded samples) is [`crate::source`]'s business.

pub mod headline;
pub mod library;
pub mod parse;
pub mod search;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;

pub use library::Library;
pub use parse::{ParseError, ParseOptions};

/// The order briefs are listed in: newest first, undated briefs last, then by id.
pub fn newest_first(a: &Brief, b: &Brief) -> Ordering {
    b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id))
}

/// The three sections every brief is built around.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// "What's Happening?": the news itself.
    Happening,
    /// "Why It's Important?": why it matters, the big picture.
    Importance,
    /// "What's Next?": what to watch.
    Next,
}

impl SectionKind {
    /// All kinds, in the order a brief presents them.
    pub const ALL: [SectionKind; 3] = [Self::Happening, Self::Importance, Self::Next];

    /// The lowercase name used in commands and JSON (`happening`, `importance`, `next`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Happening => "happening",
            Self::Importance => "importance",
            Self::Next => "next",
        }
    }

    /// The canonical heading shown to users.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Happening => "What's Happening?",
            Self::Importance => "Why It's Important?",
            Self::Next => "What's Next?",
        }
    }

    /// Parses a section name as typed in a command (`happening`, `importance`, `next`, and a
    /// few friendly aliases such as `why` or `what's next`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_lowercase().as_str() {
            "happening" | "what" | "news" | "what's happening" => Some(Self::Happening),
            "importance" | "why" | "matters" | "why it matters" => Some(Self::Importance),
            "next" | "what's next" | "watch" => Some(Self::Next),
            _ => None,
        }
    }
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A section's heading as written. The headings most briefs share ("What's Happening?",
/// "Why it matters", …) are one static string for all of them ([`Heading::shared`]); any
/// other is the brief's own (issue 12: 30,000 copies of three headings were ~1 MiB with
/// 10,000 briefs).
pub type Heading = std::borrow::Cow<'static, str>;

/// Headings stored once for every brief that uses them, exactly as written (the canonical
/// three, and the usual ways outlets write them).
const COMMON_HEADINGS: &[&str] = &[
    "What's Happening?",
    "Why It's Important?",
    "What's Next?",
    "What's Happening",
    "Why It's Important",
    "What's Next",
    "What's next",
    "Why it matters",
    "Why It Matters",
    "Why it's important",
    "The big picture",
    "The Big Picture",
    "Driving the news",
    "What to watch",
    "What to Watch",
    "What happened",
    "What Happened",
    "Beyond the Headlines",
];

/// A heading, shared when it is one of [`COMMON_HEADINGS`].
pub fn shared_heading(text: String) -> Heading {
    match COMMON_HEADINGS.iter().find(|h| **h == text) {
        Some(h) => Heading::Borrowed(h),
        None => Heading::Owned(text),
    }
}

/// One section of a brief: the heading as written and its paragraphs, each normalized
/// (wrapped lines joined with one space, surrounding white space trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// The heading as the author wrote it, without markdown marks (e.g. "Why it matters").
    pub heading: Heading,
    /// Non-empty paragraphs, in order.
    pub paragraphs: Paragraphs,
}

/// A section's paragraphs, in one buffer shared between copies: cloning a [`Section`] (or a
/// [`Brief`]) copies a pointer, not the text (issue 12: when enrichment still copied every
/// brief, a second copy of every text was ~20 MiB at the peak with 10,000 briefs).
///
/// One allocation a section, not one a paragraph: the paragraphs are stored one after the
/// other, separated by [`Paragraphs::SEPARATOR`] (a control character that a paragraph given
/// to it has replaced by a space). Read-only: it is built whole, from a `Vec<String>` or an
/// iterator (the parser collects a section's paragraphs first).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Paragraphs(Option<std::sync::Arc<str>>);

impl Paragraphs {
    /// What separates two paragraphs in the buffer (ASCII "record separator").
    pub const SEPARATOR: char = '\u{1e}';

    /// The paragraphs, in order.
    pub fn iter(&self) -> ParagraphIter<'_> {
        ParagraphIter(self.0.as_deref().map(|t| t.split(Self::SEPARATOR)))
    }

    /// How many paragraphs there are (counts separators: O(text)).
    pub fn len(&self) -> usize {
        self.0
            .as_deref()
            .map_or(0, |t| t.matches(Self::SEPARATOR).count() + 1)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The first paragraph.
    pub fn first(&self) -> Option<&str> {
        self.iter().next()
    }

    /// The `i`-th paragraph.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.iter().nth(i)
    }

    /// The paragraphs joined with `sep`.
    pub fn join(&self, sep: &str) -> String {
        match self.0.as_deref() {
            None => String::new(),
            Some(t) => t.replace(Self::SEPARATOR, sep),
        }
    }

    /// The paragraphs as owned strings.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

/// Iterator over [`Paragraphs`].
#[derive(Clone)]
pub struct ParagraphIter<'a>(Option<std::str::Split<'a, char>>);

impl<'a> Iterator for ParagraphIter<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        self.0.as_mut()?.next()
    }
}

impl<'a> IntoIterator for &'a Paragraphs {
    type Item = &'a str;
    type IntoIter = ParagraphIter<'a>;
    fn into_iter(self) -> ParagraphIter<'a> {
        self.iter()
    }
}

impl std::ops::Index<usize> for Paragraphs {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        self.get(i)
            .unwrap_or_else(|| panic!("paragraph {i} of {}", self.len()))
    }
}

impl<S: AsRef<str>> FromIterator<S> for Paragraphs {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut text = String::new();
        let mut any = false;
        for p in iter {
            if any {
                text.push(Self::SEPARATOR);
            }
            any = true;
            let p = p.as_ref();
            if p.contains(Self::SEPARATOR) {
                text.push_str(&p.replace(Self::SEPARATOR, " "));
            } else {
                text.push_str(p);
            }
        }
        Paragraphs(any.then(|| std::sync::Arc::from(text)))
    }
}

impl<S: AsRef<str>> From<Vec<S>> for Paragraphs {
    fn from(v: Vec<S>) -> Self {
        v.iter().collect()
    }
}

impl fmt::Debug for Paragraphs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Paragraphs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Paragraphs {
    fn eq(&self, other: &Vec<S>) -> bool {
        self.iter().eq(other.iter().map(AsRef::as_ref))
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for Paragraphs {
    fn eq(&self, other: &[S; N]) -> bool {
        self.iter().eq(other.iter().map(AsRef::as_ref))
    }
}

impl Section {
    /// The full text: paragraphs joined with a blank line.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

/// A parsed brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Brief {
    /// Stable identifier: the front-matter `id`, else the file stem.
    pub id: String,
    /// Title: front-matter `title`, else the headline, else derived from the happening section.
    pub title: String,
    /// Publication time from the front matter, if given.
    pub published: Option<DateTime<FixedOffset>>,
    /// Lowercase topics the brief was given (front matter, a feed's categories). All its
    /// topics, these and the extracted ones, are [`Brief::all_topics`].
    pub topics: Vec<String>,
    /// Keyphrases extracted from the text ([`crate::summarize::keywords::enrich`]), none of
    /// them among `topics`. Set once, in place: a brief that a library in use shares gets
    /// them without being copied (issue 12: a copy of every brief's shell at enrichment was
    /// ~8 MiB with 10,000 briefs).
    #[serde(skip)]
    pub extracted: Extracted,
    /// Link to the original article, if given.
    pub source: Option<String>,
    /// "What's happening".
    pub happening: Option<Section>,
    /// "Why it's important".
    pub importance: Option<Section>,
    /// "What's next".
    pub next: Option<Section>,
    /// Any other headed sections, in order (e.g. "Beyond the Headlines").
    pub extra: Vec<Section>,
    /// Whether the three sections were assigned automatically, sentence by sentence, from
    /// raw text without section headings (see [`crate::summarize::roles`]); footers say so.
    pub auto_sections: bool,
}

/// A brief's extracted topics: unset until extracted, then fixed. Stored in one buffer, the
/// topics separated by [`Extracted::SEPARATOR`]: one allocation a brief instead of a vector
/// and a string a topic (issue 12: with 10,000 briefs, ~2 MiB less, made by the keyphrase
/// threads among their temporaries).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted(std::sync::OnceLock<Box<str>>);

impl Extracted {
    /// What separates two topics in the buffer (ASCII "unit separator").
    pub const SEPARATOR: char = '\u{1f}';

    /// The extracted topics, in order (none before extraction).
    pub fn iter(&self) -> impl Iterator<Item = &str> + Clone {
        self.0
            .get()
            .map_or("", |t| t)
            .split(Self::SEPARATOR)
            .filter(|t| !t.is_empty())
    }

    /// Whether topics were extracted.
    pub fn is_set(&self) -> bool {
        self.0.get().is_some()
    }

    /// Sets them, unless they were set already (the first extraction wins). Empty topics
    /// are left out; a separator inside one becomes a space.
    pub fn set<S: AsRef<str>>(&self, topics: &[S]) {
        let mut text = String::new();
        for t in topics.iter().map(AsRef::as_ref).filter(|t| !t.is_empty()) {
            if !text.is_empty() {
                text.push(Self::SEPARATOR);
            }
            text.extend(
                t.chars()
                    .map(|c| if c == Self::SEPARATOR { ' ' } else { c }),
            );
        }
        let _ = self.0.set(text.into_boxed_str());
    }
}

impl Brief {
    /// Every topic: the given ones, then the extracted ones.
    pub fn all_topics(&self) -> impl Iterator<Item = &str> + Clone {
        self.topics
            .iter()
            .map(String::as_str)
            .chain(self.extracted.iter())
    }

    /// The section of the given kind, if the brief covers it.
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        match kind {
            SectionKind::Happening => self.happening.as_ref(),
            SectionKind::Importance => self.importance.as_ref(),
            SectionKind::Next => self.next.as_ref(),
        }
    }

    /// The covered core sections with their kinds, in presentation order.
    pub fn sections(&self) -> impl Iterator<Item = (SectionKind, &Section)> {
        SectionKind::ALL
            .into_iter()
            .filter_map(|k| self.section(k).map(|s| (k, s)))
    }

    /// Whether any of `wanted` (topic words or phrases) names this brief: see [`TopicIndex`].
    /// An empty filter matches every brief. To test many filters against one brief, build
    /// its [`TopicIndex`] once.
    pub fn matches_topics(&self, wanted: &[String]) -> bool {
        wanted.is_empty() || TopicIndex::new(self).matches(wanted)
    }
}

/// A brief's words for topic filters: its topics, title and section text (extra sections
/// included), lowercase and plural-folded ([`crate::text::fold`]). A wanted topic matches
/// when it occurs as a whole word or phrase in any of them: `gaza` matches a brief whose text
/// mentions Gaza even if its extracted topics missed it, `grid` matches the topic `power
/// grid`, `batteries` matches "battery", `art` does not match "party". A phrase never spans
/// two topics, the title and the text, or two paragraphs.
#[derive(Debug, Clone, Default)]
pub struct TopicIndex {
    /// Folded words in order; an empty string separates fields and paragraphs.
    words: Vec<String>,
    /// The distinct words, for a quick "not here at all".
    set: rustc_hash::FxHashSet<String>,
}

impl TopicIndex {
    /// Indexes one brief.
    pub fn new(brief: &Brief) -> TopicIndex {
        let mut idx = TopicIndex::default();
        for t in brief.all_topics() {
            idx.push_field(t);
        }
        idx.push_field(&brief.title);
        let sections = brief.sections().map(|(_, s)| s).chain(brief.extra.iter());
        for s in sections {
            for p in &s.paragraphs {
                idx.push_field(p);
            }
        }
        idx
    }

    fn push_field(&mut self, text: &str) {
        for w in crate::text::words(text) {
            let w = crate::text::fold(&w).to_owned();
            if !self.set.contains(&w) {
                self.set.insert(w.clone());
            }
            self.words.push(w);
        }
        self.words.push(String::new());
    }

    /// Whether any of `wanted` occurs as a whole word or phrase (case-insensitive,
    /// plural-folded). An empty list matches; a wanted topic with no letters or digits never
    /// does.
    pub fn matches(&self, wanted: &[String]) -> bool {
        wanted.is_empty() || wanted.iter().any(|w| self.matches_one(w))
    }

    /// Whether one topic word or phrase occurs.
    pub fn matches_one(&self, wanted: &str) -> bool {
        let phrase: Vec<String> = crate::text::words(wanted)
            .map(|w| crate::text::fold(&w).to_owned())
            .collect();
        if phrase.is_empty() || !phrase.iter().all(|w| self.set.contains(w)) {
            return false;
        }
        self.words
            .windows(phrase.len())
            .any(|window| window == phrase.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracted_topics_are_one_buffer_read_as_a_list_and_set_once() {
        let e = Extracted::default();
        assert!(!e.is_set());
        assert_eq!(e.iter().count(), 0);
        e.set(&["rent cap", "", "odd\u{1f}one", "harbour"]);
        assert!(e.is_set());
        assert_eq!(
            e.iter().collect::<Vec<_>>(),
            ["rent cap", "odd one", "harbour"]
        );
        e.set(&["other"]);
        assert_eq!(e.iter().count(), 3, "the first extraction wins");
        let none = Extracted::default();
        none.set::<&str>(&[]);
        assert!(none.is_set());
        assert_eq!(none.iter().count(), 0);
    }

    #[test]
    fn common_headings_are_shared_others_are_the_briefs_own() {
        let text = "# Harbour\n\nWhat's Happening?\nThe wall is rebuilt.\n\nWhy it matters\n\
                    Ships wait.\n\n## Local voices\n\nPeople talk.\n";
        let brief = parse::parse(text, "harbour", &ParseOptions::default()).unwrap();
        let shared = |s: &Section| matches!(s.heading, Heading::Borrowed(_));
        let happening = brief.happening.as_ref().unwrap();
        assert_eq!(happening.heading, "What's Happening?");
        assert!(shared(happening));
        assert!(shared(brief.importance.as_ref().unwrap()));
        assert_eq!(brief.extra[0].heading, "Local voices");
        assert!(!shared(&brief.extra[0]));
    }

    #[test]
    fn paragraphs_live_in_one_shared_buffer_and_read_like_a_list() {
        let p = Paragraphs::from(vec!["First one.", "", "Third\u{1e}with a separator."]);
        assert_eq!(p.len(), 3);
        assert_eq!(p.first(), Some("First one."));
        assert_eq!(&p[1], "");
        assert_eq!(p.get(2), Some("Third with a separator."));
        assert_eq!(p.get(3), None);
        assert_eq!(p.join("\n\n"), "First one.\n\n\n\nThird with a separator.");
        assert_eq!(p, vec!["First one.", "", "Third with a separator."]);
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"["First one.","","Third with a separator."]"#
        );
        // A clone shares the buffer.
        let q = p.clone();
        let (Some(a), Some(b)) = (&p.0, &q.0) else {
            panic!("a buffer")
        };
        assert!(std::sync::Arc::ptr_eq(a, b));

        let none = Paragraphs::default();
        assert!(none.is_empty() && none.iter().count() == 0 && none.first().is_none());
        assert_eq!(none.join(" "), "");
        assert_eq!(none, Vec::<String>::new());
        let one_empty: Paragraphs = std::iter::once("").collect();
        assert!(!one_empty.is_empty());
        assert_eq!(one_empty.len(), 1);
    }
}
