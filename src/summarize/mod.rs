//! The summarizer: condenses a brief's sections to a short answer (the most central sentences,
//! in their original order), gives them in full, or boils a whole brief down to one sentence.
//! Ranking and keyphrases each have their own module; sentence splitting is in
//! [`crate::text::sentences`].

pub mod keywords;
pub mod rank;
pub mod roles;

use crate::brief::{Brief, Section, SectionKind};
use crate::text::sentences;

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

    /// The `k` most central sentences of the section in original order; the whole section
    /// (paragraphs joined with a space) when it has `k` sentences or fewer.
    pub fn short(&self, section: &Section) -> String {
        let sentences = sentences::split_paragraphs(&section.paragraphs);
        let k = self.sentences.max(1);
        if sentences.len() <= k {
            return sentences.join(" ");
        }
        rank::top_sentences(&sentences, k)
            .into_iter()
            .map(|i| sentences[i].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// One sentence for the whole brief: the most central sentence of the happening section
    /// (or of the first section the brief covers).
    pub fn tldr(&self, brief: &Brief) -> String {
        let Some(section) = SectionKind::ALL
            .iter()
            .find_map(|k| brief.section(*k))
            .or(brief.extra.first())
        else {
            return brief.title.clone();
        };
        let sentences = sentences::split_paragraphs(&section.paragraphs);
        match rank::top_sentences(&sentences, 1).first() {
            Some(&i) => sentences[i].clone(),
            None => brief.title.clone(),
        }
    }
}
