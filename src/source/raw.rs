//! The seam between sources and automatic sectioning: a feed item or page whose text has no
//! recognisable sections (no headings, no lead-ins) is handed to [`raw_sections`], which
//! assigns its sentences to the three sections. Until that summarizer step is wired in,
//! it answers `None` and such items are skipped with a logged reason.

/// Paragraphs assigned to each of the three sections, in their original order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sections {
    /// "What's Happening?".
    pub happening: Vec<String>,
    /// "Why It's Important?".
    pub importance: Vec<String>,
    /// "What's Next?".
    pub next: Vec<String>,
}

/// Sections for raw article text (paragraphs separated by blank lines), or `None` when
/// they cannot be assigned.
pub fn raw_sections(_text: &str) -> Option<Sections> {
    None
}

impl Sections {
    /// The sections as brief text with the canonical headings (what the parser reads).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (heading, paragraphs) in [
            ("What's Happening?", &self.happening),
            ("Why It's Important?", &self.importance),
            ("What's Next?", &self.next),
        ] {
            if paragraphs.is_empty() {
                continue;
            }
            out.push_str(&format!("## {heading}\n\n"));
            for p in paragraphs {
                out.push_str(p);
                out.push_str("\n\n");
            }
        }
        out
    }
}
