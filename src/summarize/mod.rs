//! The summarizer: condenses a brief's sections to a short answer (the lead sentence and the
//! most central of the rest, in their original order, none leaning on a sentence left out),
//! gives them in full, or boils a whole brief down to one sentence. Ranking and keyphrases
//! each have their own module; sentence splitting is in [`crate::text::sentences`].
//!
//! Work is bounded whatever a section's size: only the start of a section is read
//! ([`lead_sentences`]: at most [`MAX_READ`] bytes and [`rank::MAX_RANKED`] sentences), so a
//! hostile file of 60,000 one-line paragraphs costs what a normal brief does.

pub mod keywords;
pub mod rank;
pub mod roles;

use crate::brief::{Brief, Section, SectionKind};
use crate::text::sentences;

/// Most bytes of a section read to pick a short answer from (the start of the section).
pub const MAX_READ: usize = 4 * 1024;

/// The sentences a short answer is chosen from: the section's first sentences, in order, at
/// most [`rank::MAX_RANKED`] of them and from at most [`MAX_READ`] bytes of text (a
/// paragraph running past that is cut, and the piece of sentence cut off is dropped).
/// Cost: O(min(section, [`MAX_READ`])).
pub fn lead_sentences<S: AsRef<str>>(paragraphs: impl IntoIterator<Item = S>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut budget = MAX_READ;
    for p in paragraphs {
        if budget == 0 || out.len() >= rank::MAX_RANKED {
            break;
        }
        let p = p.as_ref();
        let head = crate::text::fit::head(p, budget);
        let end = head.len();
        budget -= end.max(1).min(budget);
        let mut pieces = sentences::split(head);
        if end < p.len() && pieces.len() > 1 {
            pieces.pop();
        }
        out.extend(pieces);
    }
    out.truncate(rank::MAX_RANKED);
    out
}

/// How much of a section to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Detail {
    /// The k most central sentences.
    #[default]
    Short,
    /// The whole section.
    Full,
}

impl Detail {
    /// The lowercase name used in commands.
    pub fn name(self) -> &'static str {
        match self {
            Detail::Short => "short",
            Detail::Full => "full",
        }
    }

    /// Parses `short` or `full`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_lowercase().as_str() {
            "short" | "brief" => Some(Detail::Short),
            "full" | "all" => Some(Detail::Full),
            _ => None,
        }
    }
}

/// Extractive summarizer over sections.
#[derive(Debug, Clone, Copy)]
pub struct Summarizer {
    /// How many sentences a short answer keeps (`summary.sentences`).
    pub sentences: usize,
}

impl Default for Summarizer {
    fn default() -> Self {
        Summarizer { sentences: 2 }
    }
}

impl Summarizer {
    /// A section at the requested level of detail.
    pub fn section(&self, section: &Section, detail: Detail) -> String {
        match detail {
            Detail::Full => section.text(),
            Detail::Short => self.short(section),
        }
    }

    /// `k` sentences of the section in original order, chosen by [`rank::top_sentences`];
    /// the whole section (paragraphs joined with a space) when it has `k` sentences or fewer.
    pub fn short(&self, section: &Section) -> String {
        self.short_sentences(section).join(" ")
    }

    /// The sentences [`Summarizer::short`] joins with single spaces, in order.
    pub fn short_sentences(&self, section: &Section) -> Vec<String> {
        let sentences = lead_sentences(&section.paragraphs);
        let k = self.sentences.max(1);
        if sentences.len() <= k {
            return sentences;
        }
        rank::top_sentences(&sentences, k)
            .into_iter()
            .map(|i| sentences[i].clone())
            .collect()
    }

    /// One sentence for the whole brief: the lead sentence of the happening section (or of
    /// the first section the brief covers); the title when there is none.
    pub fn tldr(&self, brief: &Brief) -> String {
        self.tldr_sentence(brief)
            .unwrap_or_else(|| brief.title.clone())
    }

    /// The sentence [`Summarizer::tldr`] picks, if the brief has one (else it is the title).
    pub fn tldr_sentence(&self, brief: &Brief) -> Option<String> {
        let section = SectionKind::ALL
            .iter()
            .find_map(|k| brief.section(*k))
            .or(brief.extra.first())?;
        let sentences = lead_sentences(&section.paragraphs);
        rank::top_sentences(&sentences, 1)
            .first()
            .map(|&i| sentences[i].clone())
    }
}
