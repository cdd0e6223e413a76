//! Page evaluation: how well the parser and the topic extractor read real-looking pages.
//! A directory holds `pages.toml` (`[[page]]` entries: `brief`, expected `title`, core
//! `sections` and 1–3 `topics`) and `briefs/<brief>.md`. Each brief is parsed and enriched as
//! a source would, then scored:
//! - **sections right**: the set of core sections found equals the expected set;
//! - **title right**: the title is the expected headline (case-insensitive), or contains at
//!   least three quarters of the expected headline's content words (lowercase, plural-folded,
//!   stop words ignored, numbers kept) — a derived headline naming the same subject and event
//!   counts; a byline, a photo credit or a lead-in never does;
//! - **topics**: an expected topic is found when an extracted topic has the same words
//!   (plural-folded), or one contains all words of the other and the shorter has at least
//!   half the words of the longer ("northway air" for "northway air", "harrow valley" for
//!   "harrow valley water board"; "board" alone is not enough). A page's topics are right when
//!   every expected topic is found.
//!
//! Pages are grouped by layout: Axios-style when the file uses inline lead-ins ("Driving the
//! news:", "Why it matters:"), Glance-style otherwise.

use crate::brief::parse::{parse_bytes, ParseOptions};
use crate::brief::{Brief, SectionKind};
use crate::text::{fold, is_stop_word, words};
use serde::Deserialize;
use std::fmt;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PagesFile {
    page: Vec<Expected>,
}

/// One labelled page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Brief id (file stem in `briefs/`).
    pub brief: String,
    /// Expected headline.
    pub title: String,
    /// Expected core sections (`happening`, `importance`, `next`).
    pub sections: Vec<String>,
    /// Expected topics, lowercase.
    pub topics: Vec<String>,
}

/// The page layouts reported apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Heading lines ("What's Happening?").
    Glance,
    /// Inline lead-ins ("Why it matters: …").
    Axios,
}

/// How one page fared.
#[derive(Debug, Clone)]
pub struct PageResult {
    /// Brief id.
    pub brief: String,
    /// Layout of the file.
    pub layout: Layout,
    /// Core sections found equal the expected ones.
    pub sections_right: bool,
    /// Title right (see the module doc).
    pub title_right: bool,
    /// Expected topics found.
    pub topics_found: usize,
    /// Expected topics.
    pub topics_expected: usize,
    /// What the bot read, for the report.
    pub got_title: String,
    /// Core sections found.
    pub got_sections: Vec<&'static str>,
    /// Topics extracted.
    pub got_topics: Vec<String>,
}

impl PageResult {
    /// Every expected topic found.
    pub fn topics_right(&self) -> bool {
        self.topics_found == self.topics_expected
    }

    /// Sections, title and topics all right.
    pub fn all_right(&self) -> bool {
        self.sections_right && self.title_right && self.topics_right()
    }
}

/// The figures for a set of pages.
#[derive(Debug, Clone, Default)]
pub struct PagesReport {
    /// One result a page, in file order.
    pub pages: Vec<PageResult>,
}

/// Share of `pages` for which `f` holds (0 when there are none).
fn share(pages: &[&PageResult], f: impl Fn(&PageResult) -> bool) -> f64 {
    if pages.is_empty() {
        return 0.0;
    }
    pages.iter().filter(|p| f(p)).count() as f64 / pages.len() as f64
}

/// Figures for a group of pages.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figures {
    /// Pages in the group.
    pub pages: usize,
    /// Share with the right core sections.
    pub sections: f64,
    /// Share with a right title.
    pub title: f64,
    /// Share of expected topics found.
    pub topics_found: f64,
    /// Share with every expected topic found.
    pub topics: f64,
    /// Share with sections, title and topics all right.
    pub all: f64,
}

impl PagesReport {
    /// Figures over the pages of one layout, or all pages with `None`.
    pub fn figures(&self, layout: Option<Layout>) -> Figures {
        let pages: Vec<&PageResult> = self
            .pages
            .iter()
            .filter(|p| layout.is_none_or(|l| p.layout == l))
            .collect();
        let expected: usize = pages.iter().map(|p| p.topics_expected).sum();
        let found: usize = pages.iter().map(|p| p.topics_found).sum();
        Figures {
            pages: pages.len(),
            sections: share(&pages, |p| p.sections_right),
            title: share(&pages, |p| p.title_right),
            topics_found: if expected == 0 {
                0.0
            } else {
                found as f64 / expected as f64
            },
            topics: share(&pages, PageResult::topics_right),
            all: share(&pages, PageResult::all_right),
        }
    }
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        write!(
            f,
            "{:>2} pages  sections {:>4}  title {:>4}  topics found {:>4} (pages {:>4})  all right {:>4}",
            self.pages,
            pct(self.sections),
            pct(self.title),
            pct(self.topics_found),
            pct(self.topics),
            pct(self.all)
        )
    }
}

impl fmt::Display for PagesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.pages {
            let mark = |ok: bool| if ok { "ok" } else { "--" };
            writeln!(
                f,
                "{:<34} {:<6} sections {} title {} topics {}/{}  | {} | {} | {}",
                p.brief,
                match p.layout {
                    Layout::Glance => "glance",
                    Layout::Axios => "axios",
                },
                mark(p.sections_right),
                mark(p.title_right),
                p.topics_found,
                p.topics_expected,
                p.got_sections.join(","),
                p.got_title,
                p.got_topics.join(", ")
            )?;
        }
        writeln!(f, "glance  {}", self.figures(Some(Layout::Glance)))?;
        writeln!(f, "axios   {}", self.figures(Some(Layout::Axios)))?;
        write!(f, "overall {}", self.figures(None))
    }
}

/// Evaluates the pages labelled in `dir/pages.toml` against `dir/briefs/`.
pub fn evaluate(dir: &Path) -> Result<PagesReport, String> {
    let labels_path = dir.join("pages.toml");
    let labels = std::fs::read_to_string(&labels_path)
        .map_err(|e| format!("{}: {e}", labels_path.display()))?;
    let labels: PagesFile =
        toml::from_str(&labels).map_err(|e| format!("{}: {e}", labels_path.display()))?;
    let opts = ParseOptions::default();
    let mut report = PagesReport::default();
    for expected in labels.page {
        let path = dir.join("briefs").join(format!("{}.md", expected.brief));
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let brief = parse_bytes(&bytes, &expected.brief, &opts)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        crate::summarize::keywords::enrich(&brief);
        let raw = String::from_utf8_lossy(&bytes);
        report.pages.push(score(&expected, &brief, layout_of(&raw)));
    }
    Ok(report)
}

/// Axios-style when the text uses the inline lead-ins of that layout.
fn layout_of(raw: &str) -> Layout {
    let lower = raw.to_lowercase();
    if lower.contains("why it matters: ") || lower.contains("driving the news: ") {
        Layout::Axios
    } else {
        Layout::Glance
    }
}

fn score(expected: &Expected, brief: &Brief, layout: Layout) -> PageResult {
    let got_sections: Vec<&'static str> = brief.sections().map(|(k, _)| k.name()).collect();
    let mut want: Vec<&str> = expected
        .sections
        .iter()
        .filter_map(|s| SectionKind::from_name(s).map(SectionKind::name))
        .collect();
    want.sort_unstable();
    let mut have = got_sections.clone();
    have.sort_unstable();
    let topics_found = expected
        .topics
        .iter()
        .filter(|e| brief.all_topics().any(|t| topic_matches(e, t)))
        .count();
    PageResult {
        brief: expected.brief.clone(),
        layout,
        sections_right: want == have,
        title_right: title_matches(&expected.title, &brief.title),
        topics_found,
        topics_expected: expected.topics.len(),
        got_title: brief.title.clone(),
        got_sections,
        got_topics: brief.all_topics().map(str::to_owned).collect(),
    }
}

/// Lowercase, plural-folded content words.
fn content_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(text) {
        let w = fold(&w).to_owned();
        let keep = !is_stop_word(&w) || w.chars().all(|c| c.is_ascii_digit());
        if keep && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// See the module doc.
pub fn title_matches(expected: &str, got: &str) -> bool {
    let got = got.trim_end_matches('…');
    if expected.trim().eq_ignore_ascii_case(got.trim()) {
        return true;
    }
    let want = content_words(expected);
    let have = content_words(got);
    if want.is_empty() {
        return false;
    }
    let found = want.iter().filter(|w| have.contains(w)).count();
    found * 4 >= want.len() * 3
}

/// See the module doc.
pub fn topic_matches(expected: &str, got: &str) -> bool {
    let e: Vec<String> = words(expected).map(|w| fold(&w).to_owned()).collect();
    let g: Vec<String> = words(got).map(|w| fold(&w).to_owned()).collect();
    if e.is_empty() || g.is_empty() {
        return false;
    }
    let (short, long) = if e.len() <= g.len() {
        (&e, &g)
    } else {
        (&g, &e)
    };
    short.iter().all(|w| long.contains(w)) && short.len() * 2 >= long.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_match_exactly_or_by_most_content_words() {
        assert!(title_matches("Mill reopens", "mill reopens"));
        assert!(!title_matches(
            "Harbour board raises ferry fares 8%",
            "Islanders rely on the ferry for school and work"
        ));
        assert!(title_matches(
            "Harbour board raises ferry fares",
            "The harbour board raises ferry fares on Monday…"
        ));
        assert!(!title_matches(
            "Harbour board raises ferry fares",
            "Photo: Ada Kim/Getty Images"
        ));
    }

    #[test]
    fn topics_match_whole_words_with_enough_overlap() {
        assert!(topic_matches("northway air", "Northway Air"));
        assert!(topic_matches("pilots", "pilot"));
        assert!(topic_matches("harrow valley water board", "harrow valley"));
        assert!(!topic_matches("harrow valley water board", "board"));
        assert!(!topic_matches("art", "party"));
    }
}
