//! Text → [`Brief`]. Accepts the layouts news outlets use for three-part briefs:
//! heading lines ("What's Happening?", "## Why it matters", "**What to watch:**"), Axios-style
//! inline lead-ins ("Why it matters: …"), optional TOML front matter between `+++` lines,
//! extra headed sections, and page boilerplate lines (dropped).

use super::{Brief, Section, SectionKind};
use crate::text::sentences;
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

/// Lines dropped wherever they appear (compared trimmed, case-insensitively).
pub const DEFAULT_IGNORE_LINES: &[&str] = &[
    "What is the story about?",
    "AI Generated Content",
    "Do you find this article useful?",
];

/// Default largest accepted brief file, in bytes (256 KiB).
pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024;

/// Largest accepted front matter, in bytes (found by the fuzz test: a 100 KB front matter
/// made the TOML parser hold 1.8 MB).
pub const MAX_FRONT_MATTER: usize = 16 * 1024;

/// Longest accepted brief id (ids travel inside Discord custom ids, which hold 100 characters).
pub const MAX_ID_LEN: usize = 64;

/// Knobs of the parser, from the `[briefs]` config table.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Boilerplate lines to drop (`briefs.ignore_lines`).
    pub ignore_lines: Vec<String>,
    /// Largest accepted file (`briefs.max_bytes`).
    pub max_bytes: u64,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            ignore_lines: DEFAULT_IGNORE_LINES.iter().map(|s| s.to_string()).collect(),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Why a brief could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The file is empty or only white space.
    #[error("empty file")]
    Empty,
    /// The file is not valid UTF-8.
    #[error("not valid UTF-8 (byte {0})")]
    NotUtf8(usize),
    /// The file exceeds `briefs.max_bytes`.
    #[error("{size} bytes is larger than briefs.max_bytes ({max})")]
    TooLarge {
        /// Size of the file.
        size: u64,
        /// The configured maximum.
        max: u64,
    },
    /// The TOML front matter is malformed.
    #[error("front matter, line {line}: {message}")]
    FrontMatter {
        /// 1-based line in the file.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// No happening, importance or next section was found.
    #[error("no recognizable section (expected headings such as \"What's Happening?\", \"Why It's Important?\", \"What's Next?\" or lead-ins such as \"Why it matters:\")")]
    NoSections,
    /// The id is unusable.
    #[error("invalid id {id:?}: {reason}")]
    BadId {
        /// The offending id.
        id: String,
        /// Why.
        reason: &'static str,
    },
}

/// Front matter keys.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: Option<String>,
    title: Option<String>,
    published: Option<toml::Value>,
    #[serde(default)]
    topics: Vec<String>,
    source: Option<String>,
}

/// Parses raw file bytes: checks size and UTF-8, then [`parse`].
pub fn parse_bytes(bytes: &[u8], stem: &str, opts: &ParseOptions) -> Result<Brief, ParseError> {
    if bytes.len() as u64 > opts.max_bytes {
        return Err(ParseError::TooLarge {
            size: bytes.len() as u64,
            max: opts.max_bytes,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ParseError::NotUtf8(e.valid_up_to()))?;
    parse(text, stem, opts)
}

/// Parses one brief. `stem` (the file name without extension) is the id when the front matter
/// gives none.
pub fn parse(text: &str, stem: &str, opts: &ParseOptions) -> Result<Brief, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let (front, body) = split_front_matter(text)?;
    let ignore: Vec<String> = opts
        .ignore_lines
        .iter()
        .map(|l| normalize_line(l))
        .collect();
    let body = Body::parse(body, &ignore);
    if body.happening.is_none() && body.importance.is_none() && body.next.is_none() {
        return Err(ParseError::NoSections);
    }

    let id = match front.id {
        Some(id) => validate_id(id.trim())?,
        None => slug(stem),
    };
    if id.is_empty() {
        return Err(ParseError::BadId {
            id,
            reason: "empty",
        });
    }
    let published = match front.published {
        None => None,
        Some(value) => {
            Some(
                parse_published(&value).map_err(|message| ParseError::FrontMatter {
                    line: front.published_line,
                    message,
                })?,
            )
        }
    };
    let title = front
        .title
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .or(body.headline.clone())
        .unwrap_or_else(|| derived_title(&body));

    let mut topics: Vec<String> = Vec::new();
    for t in front.topics {
        let t = t.trim().to_lowercase();
        if !t.is_empty() && !topics.contains(&t) {
            topics.push(t);
        }
    }
    Ok(Brief {
        id,
        title,
        published,
        topics,
        source: front
            .source
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        happening: body.happening.map(Draft::into_section),
        importance: body.importance.map(Draft::into_section),
        next: body.next.map(Draft::into_section),
        extra: body.extra.into_iter().map(Draft::into_section).collect(),
        extracted: Default::default(),
        auto_sections: false,
    })
}

/// Front matter with the line its `published` key is on (for error messages).
struct Front {
    id: Option<String>,
    title: Option<String>,
    published: Option<toml::Value>,
    published_line: usize,
    topics: Vec<String>,
    source: Option<String>,
}

fn split_front_matter(text: &str) -> Result<(Front, &str), ParseError> {
    let empty = Front {
        id: None,
        title: None,
        published: None,
        published_line: 0,
        topics: Vec::new(),
        source: None,
    };
    let leading_blank = text.len() - text.trim_start().len();
    let rest = &text[leading_blank..];
    let skipped_lines = text[..leading_blank].matches('\n').count();
    let Some(after_open) = rest
        .strip_prefix("+++")
        .filter(|r| r.starts_with('\n') || r.starts_with("\r\n"))
    else {
        return Ok((empty, text));
    };
    let open_line = skipped_lines + 1;
    let after_open = after_open.trim_start_matches('\r').trim_start_matches('\n');
    // Find the closing `+++` line.
    let mut offset = 0;
    let mut close = None;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((toml_end, body_start)) = close else {
        return Err(ParseError::FrontMatter {
            line: open_line,
            message: "opening `+++` has no closing `+++` line".into(),
        });
    };
    let source = &after_open[..toml_end];
    // TOML parsing holds many times its input; front matter is a few short keys.
    if source.len() > MAX_FRONT_MATTER {
        return Err(ParseError::FrontMatter {
            line: open_line,
            message: format!(
                "longer than {} KiB (it holds a few short keys; the text goes below it)",
                MAX_FRONT_MATTER / 1024
            ),
        });
    }
    let fm: FrontMatter = toml::from_str(source).map_err(|e| {
        let line_in = e
            .span()
            .map(|s| source[..s.start.min(source.len())].matches('\n').count() + 1)
            .unwrap_or(1);
        ParseError::FrontMatter {
            line: open_line + line_in,
            message: e.message().trim().to_owned(),
        }
    })?;
    let published_line = source
        .lines()
        .position(|l| l.trim_start().starts_with("published"))
        .map(|i| open_line + i + 1)
        .unwrap_or(open_line);
    Ok((
        Front {
            id: fm.id,
            title: fm.title,
            published: fm.published,
            published_line,
            topics: fm.topics,
            source: fm.source,
        },
        &after_open[body_start..],
    ))
}

fn parse_published(value: &toml::Value) -> Result<DateTime<FixedOffset>, String> {
    let raw = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => {
            return Err(format!(
                "`published` must be an RFC 3339 date-time, found {}",
                other.type_str()
            ))
        }
    };
    DateTime::parse_from_rfc3339(raw.trim()).map_err(|e| {
        format!("`published` = {raw:?} is not an RFC 3339 date-time with offset ({e})")
    })
}

fn validate_id(id: &str) -> Result<String, ParseError> {
    let bad = |reason| ParseError::BadId {
        id: id.to_owned(),
        reason,
    };
    if id.is_empty() {
        return Err(bad("empty"));
    }
    if id.len() > MAX_ID_LEN {
        return Err(bad("longer than 64 characters"));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(bad("only letters, digits, '-', '_' and '.' are allowed"));
    }
    Ok(id.to_owned())
}

/// A file stem turned into an id: characters outside `[A-Za-z0-9._-]` become `-`.
pub fn slug(stem: &str) -> String {
    let s: String = stem
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .take(MAX_ID_LEN)
        .collect();
    s
}

fn derived_title(body: &Body) -> String {
    let source = body
        .happening
        .as_ref()
        .or(body.importance.as_ref())
        .or(body.next.as_ref())
        .and_then(|s| s.paragraphs.first());
    let Some(first) = source else {
        return "Untitled brief".into();
    };
    let sentence = sentences::split(first)
        .into_iter()
        .next()
        .unwrap_or_else(|| first.to_owned());
    super::headline::derive(&sentence)
}

/// Which section a heading or lead-in names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Core(SectionKind),
    /// "Yes, but:" — a caveat, part of the importance section.
    Caveat,
    /// "Go deeper:" — a link line, not content.
    Skip,
    /// A side lead-in ("Zoom in:", "The other side:", "By the numbers:"): its own extra
    /// section, headed by the label, shown in full view.
    Extra,
    /// "Did You Know": the trivia box some pages put between sections; not content.
    Trivia,
}

/// Axios-style lead-ins that are neither the news, its importance nor what's next: each opens
/// an extra section named by its label, so it neither pads a core section nor swallows the
/// lead-in after it.
const SIDE_LEAD_INS: &[&str] = &[
    "between the lines",
    "zoom in",
    "zoom out",
    "the bottom line",
    "bottom line",
    "state of play",
    "by the numbers",
    "reality check",
    "flashback",
    "what theyre saying",
    "what were hearing",
    "the other side",
    "of note",
    "catch up quick",
    "threat level",
    "the intrigue",
    "where it stands",
    "fast facts",
    "our thought bubble",
    "be smart",
    "context",
    "the backdrop",
    "behind the scenes",
    "for the record",
    "the latest",
    "details",
    "worth noting",
];

/// Known headings and lead-ins, normalized ([`normalize_label`]: lowercase, no apostrophes,
/// no end marks).
fn target_of(label: &str) -> Option<Target> {
    use SectionKind::*;
    Some(match label {
        "whats happening" | "what is happening" | "what happened" | "driving the news"
        | "the news" => Target::Core(Happening),
        "why its important"
        | "why it is important"
        | "why it matters"
        | "why this matters"
        | "the big picture" => Target::Core(Importance),
        "whats next" | "what is next" | "what comes next" | "what to watch" | "next steps" => {
            Target::Core(Next)
        }
        "yes, but" | "yes but" => Target::Caveat,
        "go deeper" => Target::Skip,
        "did you know" => Target::Trivia,
        _ => return None,
    })
}

/// [`target_of`] extended with the side lead-ins (which open extra sections).
fn lead_in_target(label: &str) -> Option<Target> {
    target_of(label).or_else(|| SIDE_LEAD_INS.contains(&label).then_some(Target::Extra))
}

/// Lowercases, drops apostrophes (pages write "What's", "What\u{2019}s" and "Whats", "Why It's"
/// and "Why Its"), markdown marks and a trailing `?`/`:`.
fn normalize_label(text: &str) -> String {
    let t = strip_marks(text);
    let t = t.trim().trim_end_matches([':', '?', ' ']).trim();
    t.replace(['\u{2019}', '\u{2018}', '\''], "").to_lowercase()
}

/// Trims a line and compares it case-insensitively (for the ignore list).
fn normalize_line(line: &str) -> String {
    line.trim()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .to_lowercase()
}

/// Removes leading `#`s and surrounding `**`/`__` from a heading line.
fn strip_marks(line: &str) -> &str {
    let t = line.trim().trim_start_matches('#').trim();
    let t = t
        .strip_prefix("**")
        .and_then(|s| s.strip_suffix("**"))
        .or_else(|| t.strip_prefix("__").and_then(|s| s.strip_suffix("__")))
        .unwrap_or(t);
    t.trim()
}

/// What one body line is.
enum Line<'a> {
    Blank,
    /// A heading: known target or an extra section's heading.
    Heading(Option<Target>, String),
    /// A lead-in paragraph start: target, the label as written and the text after it.
    LeadIn(Target, &'a str, &'a str),
    /// A bullet item (its own paragraph).
    Bullet(&'a str),
    /// A numbered list item ("1. …", "2) …"): its own paragraph, number kept.
    Numbered(&'a str),
    /// Page furniture that is never content: a photo credit or caption, a share line, a
    /// sign-off, a lone "?", an "AD" marker. Acts as a paragraph break.
    Furniture,
    /// The "AD" line that closes a trivia box.
    Ad,
    Text(&'a str),
}

fn classify<'a>(raw: &'a str, prev_blank: bool, list_ok: bool) -> Line<'a> {
    let line = raw.trim();
    if line.is_empty() {
        return Line::Blank;
    }
    if is_ad_marker(line) {
        return Line::Ad;
    }
    if is_furniture(line) {
        return Line::Furniture;
    }
    let is_md_heading = line.starts_with('#') && line.trim_start_matches('#').starts_with(' ');
    let stripped = strip_marks(line);
    let is_bold_line = stripped.len() + 4 <= line.trim_start_matches('#').trim().len()
        && (line.trim_start_matches('#').trim().starts_with("**")
            || line.trim_start_matches('#').trim().starts_with("__"));
    // Whole line is a known heading or lead-in label (with or without marks, `?`, `:`).
    if let Some(t) = lead_in_target(&normalize_label(line)) {
        return Line::Heading(Some(t), heading_text(stripped));
    }
    // Lead-in: "Label: text" or "**Label:** text".
    if let Some((label, rest)) = split_lead_in(line) {
        if let Some(t) = lead_in_target(&normalize_label(label)) {
            let shown = label.trim().trim_matches(['*', '_', ':', ' ']);
            return Line::LeadIn(t, shown, rest);
        }
    }
    if is_md_heading || is_bold_line {
        return Line::Heading(None, heading_text(stripped));
    }
    for bullet in ["- ", "* ", "• "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Line::Bullet(rest.trim());
        }
    }
    if list_ok && is_numbered_item(line) {
        return Line::Numbered(line);
    }
    if prev_blank && looks_like_plain_heading(line) {
        return Line::Heading(None, heading_text(line));
    }
    Line::Text(line)
}

/// Splits a line where a repost lost its paragraph breaks: a known lead-in right after a
/// sentence end ("…amendment votes.Why it matters: …") starts a new piece, and so does a
/// sign-off glued to the last sentence ("…unchanged.—NA"). Unknown `Label:` text is left
/// where it is.
fn split_run_together(line: &str) -> Vec<&str> {
    let mut cuts: Vec<usize> = Vec::new();
    for (i, c) in line.char_indices() {
        if !matches!(c, '.' | '!' | '?' | '"' | '\u{201d}' | ')') {
            continue;
        }
        let after = i + c.len_utf8();
        let start = if line[after..].starts_with(' ') && !line[after + 1..].starts_with(' ') {
            after + 1
        } else {
            after
        };
        let rest = &line[start..];
        if rest.starts_with(|ch: char| ch.is_uppercase()) {
            let head: String = rest.chars().take(40).collect();
            if let Some(colon) = head.find(':') {
                let label = normalize_label(&head[..colon]);
                if lead_in_target(&label).is_some_and(|t| t != Target::Trivia)
                    && rest[colon + 1..].starts_with(' ')
                {
                    cuts.push(start);
                }
            }
        } else if rest.starts_with(['—', '–']) && is_sign_off(rest.trim_end()) && start > 0 {
            cuts.push(start);
        }
    }
    if cuts.is_empty() {
        return vec![line];
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for cut in cuts {
        if cut > from {
            out.push(&line[from..cut]);
            from = cut;
        }
    }
    out.push(&line[from..]);
    out
}

/// "AD" / "Advertisement": the marker a page leaves where an ad was.
fn is_ad_marker(line: &str) -> bool {
    line.eq_ignore_ascii_case("ad") || line.eq_ignore_ascii_case("advertisement")
}

/// Lines that are page furniture, never content (see [`Line::Furniture`]).
fn is_furniture(line: &str) -> bool {
    line.chars().all(|c| matches!(c, '?' | '\u{ff1f}' | ' '))
        || is_sign_off(line)
        || is_share_line(line)
        || is_credit_line(line)
}

/// A sign-off with the author's initials: "—QH", "— QH", "-QH".
fn is_sign_off(line: &str) -> bool {
    let Some(rest) = line
        .strip_prefix('—')
        .or_else(|| line.strip_prefix('–'))
        .or_else(|| line.strip_prefix('-'))
    else {
        return false;
    };
    let rest = rest.trim().trim_end_matches('.');
    (1..=4).contains(&rest.chars().count()) && rest.chars().all(|c| c.is_uppercase())
}

/// "Share the … story." / "Share this article": a short share prompt on its own line.
fn is_share_line(line: &str) -> bool {
    let lower = line.to_lowercase();
    (lower.starts_with("share the ") || lower.starts_with("share this "))
        && line.split_whitespace().count() <= 10
        && !line.contains(['"', '\u{201c}', ','])
}

/// Photo credits and captions: "Photo: Name/Agency via Getty Images", "Photo Illustration:
/// Name/Axios", "Illustration: …", or a caption ending in such a credit.
fn is_credit_line(line: &str) -> bool {
    if line.chars().count() > 400 {
        return false;
    }
    let lower = line.to_lowercase();
    const MARKERS: &[&str] = &[
        "photo illustration:",
        "photos:",
        "photo:",
        "illustration:",
        "image:",
        "chart:",
        "video:",
    ];
    for m in MARKERS {
        if let Some(at) = lower.rfind(m) {
            // At the start, or after a caption's sentence.
            let before = lower[..at].trim_end();
            if before.is_empty() || before.ends_with(['.', '!', '?', ')', '"', '\u{201d}']) {
                let credit = line[at + m.len()..].trim();
                let words = credit.split_whitespace().count();
                if (1..=16).contains(&words) && !credit.contains(". ") {
                    return true;
                }
            }
        }
    }
    [
        "via getty images",
        "getty images",
        "/axios",
        "/ap",
        "/reuters",
        "/afp",
    ]
    .iter()
    .any(|end| lower.trim_end_matches('.').ends_with(end))
}

/// "1. text" or "12) text" (one or two digits).
fn is_numbered_item(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// A byline before the first section: "Kai Morrow", "By Kai Morrow", "Kai Morrow, author of
/// Space" — two to four capitalized name words (initials and name particles allowed).
fn is_byline(line: &str) -> bool {
    // A byline is a short line of its own: "Grayling Energy, the gas supplier, said Monday
    // that…" opens a lead paragraph with a name.
    if line.chars().count() > 80 || line.trim_end().ends_with(['.', '!', '?']) {
        return false;
    }
    let line = line.strip_prefix("By ").unwrap_or(line);
    let name = line.split(", ").next().unwrap_or(line);
    if name.chars().count() > 40 || name.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let particles = [
        "de", "van", "von", "da", "del", "der", "la", "le", "bin", "al", "and",
    ];
    (2..=5).contains(&words.len())
        && words.iter().filter(|w| !particles.contains(w)).count() >= 2
        && words.iter().all(|w| {
            particles.contains(w)
                || (w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars()
                        .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '\u{2019}')))
        })
        && !words.iter().any(|w| {
            let l = w.to_lowercase();
            crate::text::is_stop_word(&l)
        })
}

/// A timestamp line before the first section: "3 hours ago - Politics & Policy",
/// "Updated Nov. 3, 2026".
fn is_dateline(line: &str) -> bool {
    let lower = line.to_lowercase();
    if line.chars().count() > 60 {
        return false;
    }
    let ago = lower.contains(" ago") && lower.starts_with(|c: char| c.is_ascii_digit());
    let updated = lower.starts_with("updated ") || lower.starts_with("published ");
    ago || (updated && lower.chars().any(|c| c.is_ascii_digit()))
}

/// The heading as shown: marks and a trailing colon dropped, `?` kept.
fn heading_text(stripped: &str) -> String {
    stripped.trim().trim_end_matches(':').trim().to_owned()
}

/// `Label: rest` or `**Label:** rest` → (label, rest), when the label is short.
fn split_lead_in(line: &str) -> Option<(&str, &str)> {
    let (label, rest) = if let Some(inner) = line.strip_prefix("**") {
        let end = inner.find("**")?;
        (&inner[..end], &inner[end + 2..])
    } else {
        let colon = line.find(':')?;
        (&line[..colon], &line[colon + 1..])
    };
    if label.len() > 40 || rest.trim().is_empty() {
        return None;
    }
    Some((label, rest.trim_start_matches(':').trim()))
}

/// A plain line standing as an unknown section heading: short, no sentence punctuation at the
/// end, mostly capitalized words ("Beyond the Headlines", "By the Numbers").
fn looks_like_plain_heading(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || line.chars().count() > 60 {
        return false;
    }
    if line.ends_with(['.', ',', ';', '!', '"', '\u{201d}']) {
        return false;
    }
    let capitalized = words
        .iter()
        .filter(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        })
        .count();
    let minor = [
        "a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "by", "at",
    ];
    words.iter().all(|w| {
        minor.contains(&w.to_lowercase().as_str())
            || w.chars().next().is_some_and(|c| !c.is_lowercase())
    }) && capitalized * 2 >= words.len()
        && (line.ends_with(['?', ':']) || words.len() >= 2)
}

/// Where new paragraphs go while the body is read.
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    /// Before any section: headline, then lede.
    Preamble,
    Core(SectionKind),
    Extra(usize),
    Discard,
}

#[derive(Debug, Default)]
struct Body {
    headline: Option<String>,
    happening: Option<Draft>,
    importance: Option<Draft>,
    next: Option<Draft>,
    extra: Vec<Draft>,
}

/// A section being read: its paragraphs are collected one by one, then stored whole
/// ([`Section::paragraphs`] is one buffer, built once).
#[derive(Debug, Default)]
struct Draft {
    heading: String,
    paragraphs: Vec<String>,
}

impl Draft {
    fn into_section(self) -> Section {
        Section {
            heading: super::shared_heading(self.heading),
            paragraphs: self.paragraphs.into(),
        }
    }
}

impl Body {
    fn parse(text: &str, ignore: &[String]) -> Body {
        let mut b = Body::default();
        let mut preamble: Vec<String> = Vec::new();
        let mut slot = Slot::Preamble;
        let mut para = String::new();
        let mut prev_blank = true;
        // Whether the previous line was text ending a sentence: like a blank line, that lets
        // a plain heading follow directly (the seed layout has no blank lines at all).
        let mut prev_sentence_end = false;
        let mut skipping = false;
        // The slot a trivia box interrupted, restored by the box's closing "AD" line.
        let mut before_trivia: Option<Slot> = None;
        // Whether a numbered item may start on this line (after a heading, a colon or an item).
        let mut prev_opens_list = false;

        for whole in text.lines() {
            for (piece_no, raw) in split_run_together(whole).into_iter().enumerate() {
                if piece_no > 0 {
                    // A lead-in found mid-line starts a new paragraph.
                    b.flush(&slot, &mut para, &mut preamble);
                    prev_blank = true;
                }
                if ignore.iter().any(|i| *i == normalize_line(raw)) {
                    // Boilerplate acts as a paragraph break.
                    b.flush(&slot, &mut para, &mut preamble);
                    prev_blank = true;
                    continue;
                }
                // Before the first section, after the headline: bylines and timestamps.
                let after_headline = !para.is_empty() || !preamble.is_empty();
                if slot == Slot::Preamble
                    && after_headline
                    && (is_byline(raw.trim()) || is_dateline(raw.trim()))
                    && lead_in_target(&normalize_label(raw)).is_none()
                {
                    b.flush(&slot, &mut para, &mut preamble);
                    prev_blank = true;
                    continue;
                }
                let list_ok = prev_blank || prev_sentence_end || prev_opens_list;
                let line = classify(raw, prev_blank || prev_sentence_end, list_ok);
                prev_sentence_end = matches!(
                    line,
                    Line::Text(_) | Line::LeadIn(..) | Line::Bullet(_) | Line::Numbered(_)
                ) && raw.trim_end().ends_with(['.', '!', '?', '"', '\u{201d}']);
                prev_opens_list = matches!(line, Line::Heading(..) | Line::Numbered(_))
                    || raw.trim_end().ends_with(':');
                match line {
                    Line::Blank => {
                        b.flush(&slot, &mut para, &mut preamble);
                        prev_blank = true;
                        skipping = false;
                        continue;
                    }
                    Line::Furniture => {
                        b.flush(&slot, &mut para, &mut preamble);
                        prev_blank = true;
                        continue;
                    }
                    Line::Ad => {
                        b.flush(&slot, &mut para, &mut preamble);
                        if let Some(back) = before_trivia.take() {
                            slot = back;
                        }
                        prev_blank = true;
                        continue;
                    }
                    Line::Heading(Some(Target::Trivia), _) | Line::LeadIn(Target::Trivia, _, _) => {
                        b.flush(&slot, &mut para, &mut preamble);
                        if before_trivia.is_none() {
                            before_trivia = Some(std::mem::replace(&mut slot, Slot::Discard));
                        }
                    }
                    Line::Heading(target, heading) => {
                        b.flush(&slot, &mut para, &mut preamble);
                        skipping = false;
                        before_trivia = None;
                        slot = b.open(target, heading);
                    }
                    Line::LeadIn(Target::Skip, _, _) => {
                        // "Go deeper: <link>" — the rest of this paragraph is not content.
                        b.flush(&slot, &mut para, &mut preamble);
                        skipping = true;
                    }
                    Line::LeadIn(target, label, rest) => {
                        b.flush(&slot, &mut para, &mut preamble);
                        skipping = false;
                        before_trivia = None;
                        if target == Target::Caveat {
                            para.push_str("Yes, but: ");
                            slot = b.open(Some(target), String::new());
                        } else {
                            slot = b.open(Some(target), label.to_owned());
                        }
                        para.push_str(rest);
                    }
                    Line::Bullet(rest) => {
                        b.flush(&slot, &mut para, &mut preamble);
                        para.push_str("• ");
                        para.push_str(rest);
                    }
                    Line::Numbered(item) => {
                        b.flush(&slot, &mut para, &mut preamble);
                        para.push_str(item);
                    }
                    Line::Text(_) if skipping => {}
                    Line::Text(t) => {
                        if !para.is_empty() {
                            para.push(' ');
                        }
                        para.push_str(t);
                    }
                }
                prev_blank = false;
            }
        }
        b.flush(&slot, &mut para, &mut preamble);

        // Preamble: a first single-line paragraph (short) is the headline; the rest is lede,
        // which belongs to the happening section.
        let mut lede = preamble.into_iter();
        let mut rest: Vec<String> = Vec::new();
        if let Some(first) = lede.next() {
            if first.chars().count() <= 150 && !first.ends_with('.') {
                b.headline = Some(first.trim_end_matches(':').to_owned());
            } else {
                rest.push(first);
            }
        }
        rest.extend(lede);
        // The lede joins the happening section only when the file has a recognizable section;
        // plain prose alone is not a brief.
        let has_core = b.happening.is_some() || b.importance.is_some() || b.next.is_some();
        if has_core && !rest.is_empty() {
            match &mut b.happening {
                Some(h) => {
                    rest.append(&mut h.paragraphs);
                    h.paragraphs = rest;
                }
                None => {
                    b.happening = Some(Draft {
                        heading: SectionKind::Happening.heading().into(),
                        paragraphs: rest,
                    })
                }
            }
        }
        // Drop sections a heading opened but nothing filled.
        for s in [&mut b.happening, &mut b.importance, &mut b.next] {
            if s.as_ref().is_some_and(|s| s.paragraphs.is_empty()) {
                *s = None;
            }
        }
        b.extra.retain(|s| !s.paragraphs.is_empty());
        b
    }

    /// Opens (or reopens) the section a heading names and returns where text now goes.
    fn open(&mut self, target: Option<Target>, heading: String) -> Slot {
        let kind = match target {
            Some(Target::Core(kind)) => kind,
            Some(Target::Caveat) => SectionKind::Importance,
            Some(Target::Skip | Target::Trivia) => return Slot::Discard,
            Some(Target::Extra) | None => {
                self.extra.push(Draft {
                    heading,
                    paragraphs: Default::default(),
                });
                return Slot::Extra(self.extra.len() - 1);
            }
        };
        let section = self.slot_mut(kind);
        if section.is_none() {
            let heading = if heading.is_empty() {
                kind.heading().to_owned()
            } else {
                heading
            };
            *section = Some(Draft {
                heading,
                paragraphs: Default::default(),
            });
        }
        Slot::Core(kind)
    }

    fn slot_mut(&mut self, kind: SectionKind) -> &mut Option<Draft> {
        match kind {
            SectionKind::Happening => &mut self.happening,
            SectionKind::Importance => &mut self.importance,
            SectionKind::Next => &mut self.next,
        }
    }

    /// Ends the paragraph being read and files it under `slot`.
    fn flush(&mut self, slot: &Slot, para: &mut String, preamble: &mut Vec<String>) {
        let text = std::mem::take(para);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let text = text.to_owned();
        match slot {
            Slot::Preamble => preamble.push(text),
            Slot::Core(kind) => {
                if let Some(s) = self.slot_mut(*kind) {
                    s.paragraphs.push(text);
                }
            }
            Slot::Extra(i) => self.extra[*i].paragraphs.push(text),
            Slot::Discard => {}
        }
    }
}
