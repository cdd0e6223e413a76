//! The seam between sources and automatic sectioning: a feed item or page whose text has no
//! recognisable sections (no headings, no lead-ins) is handed to [`raw_sections`], which
//! assigns its sentences to the three sections with [`crate::summarize::roles`] (the brief
//! is then marked `auto_sections`, said in its footer).

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
pub fn raw_sections(text: &str) -> Option<Sections> {
    let a = crate::summarize::roles::assign_text(text);
    if a.happening.is_empty() && a.importance.is_empty() && a.next.is_empty() {
        return None;
    }
    Some(Sections {
        happening: a.happening,
        importance: a.importance,
        next: a.next,
    })
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
