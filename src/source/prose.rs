//! Brief files written as plain prose. A file the parser finds no section in (no heading,
//! no lead-in) is read as a raw article: its first line is the title when it is a headline
//! (one short line without a final full stop), headings inside it are dropped, and its
//! sentences are put into the three sections by [`crate::summarize::roles`]; the brief is
//! marked as having its sections assigned automatically. Front matter still gives the id,
//! title, date, topics and source. This lives in the source layer because the parser
//! ([`crate::brief`]) must not depend on the summarizer.

use crate::brief::parse::{self, ParseError, ParseOptions};
use crate::brief::Brief;
use crate::summarize::roles;

/// Longest first line taken as a headline (the parser's rule for a headline).
const HEADLINE_MAX: usize = 150;

/// Parses `text` (which has no recognizable section) as prose. A file without a sentence
/// (only a headline, or only headings) is still [`ParseError::NoSections`].
pub fn parse_prose(text: &str, stem: &str, opts: &ParseOptions) -> Result<Brief, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = split_front_matter(text);
    let ignore: Vec<String> = opts.ignore_lines.iter().map(|l| simplify(l)).collect();
    let mut paragraphs = paragraphs(body, &ignore);
    let headline = match paragraphs.first() {
        Some(first) if first.lines == 1 && is_headline(&first.text) => {
            Some(strip_marks(&paragraphs.remove(0).text).to_owned())
        }
        _ => None,
    };
    paragraphs.retain(|p| !(p.lines == 1 && is_heading(&p.text)));
    let paragraphs: Vec<String> = paragraphs.into_iter().map(|p| p.text).collect();
    if paragraphs.is_empty() {
        return Err(ParseError::NoSections);
    }
    let assigned = roles::assign_paragraphs(&paragraphs);

    // Metadata (id, title, date, topics, source) comes from the parser, given the front
    // matter, the headline and the sections as a file it knows; the sections are then set
    // exactly as assigned.
    let mut sectioned = String::from(front);
    sectioned.push('\n');
    if let Some(h) = &headline {
        sectioned.push_str(h);
        sectioned.push_str("\n\n");
    }
    for kind in crate::brief::SectionKind::ALL {
        let paras = assigned.paragraphs(kind);
        if !paras.is_empty() {
            sectioned.push_str(kind.heading());
            sectioned.push_str("\n\n");
            sectioned.push_str(&paras.join("\n\n"));
            sectioned.push_str("\n\n");
        }
    }
    let mut brief = parse::parse(&sectioned, stem, opts)?;
    assigned.apply(&mut brief);
    brief.extra.clear();
    Ok(brief)
}

/// (front matter block with its `+++` lines, body). Only called on text the parser read
/// without a front-matter error, so an opening `+++` has its closing line.
fn split_front_matter(text: &str) -> (&str, &str) {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let opens = rest
        .strip_prefix("+++")
        .is_some_and(|r| r.starts_with('\n') || r.starts_with("\r\n"));
    if !opens {
        return ("", text);
    }
    let mut offset = start;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        offset += line.len();
        if i > 0 && line.trim_end() == "+++" {
            return (&text[..offset], &text[offset..]);
        }
    }
    ("", text)
}

/// One paragraph of the body and how many lines it had.
struct Paragraph {
    text: String,
    lines: usize,
}

/// Blank-line separated paragraphs, wrapped lines joined; ignored lines break paragraphs and
/// are dropped; a markdown heading line is a paragraph of its own.
fn paragraphs(body: &str, ignore: &[String]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut current = Paragraph {
        text: String::new(),
        lines: 0,
    };
    let flush = |p: &mut Paragraph, out: &mut Vec<Paragraph>| {
        if p.lines > 0 {
            out.push(std::mem::replace(
                p,
                Paragraph {
                    text: String::new(),
                    lines: 0,
                },
            ));
        }
    };
    for raw in body.lines() {
        let line = raw.trim();
        if line.is_empty() || ignore.contains(&simplify(line)) {
            flush(&mut current, &mut out);
            continue;
        }
        let md_heading = line.starts_with('#');
        if md_heading {
            flush(&mut current, &mut out);
        }
        if current.lines > 0 {
            current.text.push(' ');
        }
        current.text.push_str(line);
        current.lines += 1;
        if md_heading {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// A first line that names the article: short, not ending a sentence with a full stop.
fn is_headline(line: &str) -> bool {
    let t = strip_marks(line);
    !t.is_empty() && t.chars().count() <= HEADLINE_MAX && !t.ends_with('.')
}

/// A line inside the body that heads a part rather than saying something: a markdown
/// heading, a bold line, or a short line without closing punctuation.
fn is_heading(line: &str) -> bool {
    line.starts_with('#')
        || (line.starts_with("**") && line.ends_with("**"))
        || (line.chars().count() <= 60
            && !line.ends_with(['.', '!', '?', '"', '\u{201d}', ')', ':', ';', ',']))
}

/// A heading line without `#`s, surrounding `**` and a final colon.
fn strip_marks(line: &str) -> &str {
    let t = line.trim().trim_start_matches('#').trim();
    let t = t
        .strip_prefix("**")
        .and_then(|s| s.strip_suffix("**"))
        .unwrap_or(t);
    t.trim().trim_end_matches(':').trim()
}

/// A line compared with `briefs.ignore_lines`: trimmed, lowercase, straight apostrophes.
fn simplify(line: &str) -> String {
    line.trim()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "Harbour town votes to ban cruise ships\n\n\
        Voters in Port Edda approved a ban on cruise ships on Sunday, with 58% in favour.\n\n\
        The port is the town's largest employer, so the ban could cost hundreds of jobs.\n\n\
        The council will vote next month on how to enforce it.\n";

    #[test]
    fn prose_becomes_three_sections_titled_by_its_headline() {
        let b = parse_prose(ARTICLE, "edda", &ParseOptions::default()).unwrap();
        assert_eq!(b.title, "Harbour town votes to ban cruise ships");
        assert!(b.auto_sections);
        assert_eq!(b.id, "edda");
        assert!(b.happening.unwrap().paragraphs[0].starts_with("Voters in Port Edda"));
        assert!(b.importance.unwrap().paragraphs[0].starts_with("The port is"));
        assert_eq!(
            b.next.unwrap().paragraphs,
            vec!["The council will vote next month on how to enforce it."]
        );
    }

    #[test]
    fn front_matter_still_counts_and_headings_and_boilerplate_are_dropped() {
        let text = format!(
            "+++\nid = \"cruise-ban\"\ntopics = [\"Tourism\"]\npublished = \"2026-03-01T10:00:00Z\"\n+++\n{}\n## Background\n\nDo you find this article useful?\n",
            ARTICLE
        );
        let b = parse_prose(&text, "file", &ParseOptions::default()).unwrap();
        assert_eq!(b.id, "cruise-ban");
        assert_eq!(b.topics, vec!["tourism"]);
        assert!(b.published.is_some());
        assert_eq!(b.title, "Harbour town votes to ban cruise ships");
        assert!(b.extra.is_empty());
        let all: String = b.sections().map(|(_, s)| s.text()).collect();
        assert!(
            !all.contains("Background") && !all.contains("useful"),
            "{all}"
        );
    }

    #[test]
    fn no_headline_means_a_derived_title_and_no_sentence_means_no_brief() {
        let b = parse_prose(
            "A storm closed the bridge on Monday.\nIt will reopen on Friday.",
            "s",
            &ParseOptions::default(),
        )
        .unwrap();
        assert_eq!(b.title, "Storm closes bridge");
        assert_eq!(
            parse_prose("Just a headline", "s", &ParseOptions::default()),
            Err(ParseError::NoSections)
        );
    }
}
