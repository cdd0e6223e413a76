//! The short-answer measurement: for every key sentence of `key_sentences.toml`, whether the
//! short answer of its section (what `/happening`, `/importance`, `/next` and `/brief` show)
//! keeps it; and, over every short section of the set, how many sentences shown lean on a
//! sentence left out — they open with a connective or a pronoun ("However, …", "This …",
//! "They …") while the sentence before them in the section is not shown.
//!
//! The list of leaning openers here is the evaluation's own, deliberately broader than the
//! summarizer's, so that the measure does not just echo the rule it checks.

use super::{read_toml, Ratio, Set};
use crate::reply::View;
use crate::summarize::Detail;
use crate::text::sentences;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Deserialize)]
struct File {
    key: Vec<Key>,
}

#[derive(Deserialize)]
struct Key {
    brief: String,
    section: String,
    sentence: String,
}

/// Openers that make a sentence lean on the one before it.
const LEANING: &[&str] = &[
    "additionally",
    "also",
    "and",
    "besides",
    "but",
    "consequently",
    "furthermore",
    "he",
    "hence",
    "her",
    "his",
    "however",
    "it",
    "its",
    "likewise",
    "meanwhile",
    "moreover",
    "nevertheless",
    "nonetheless",
    "otherwise",
    "she",
    "similarly",
    "so",
    "still",
    "such",
    "that",
    "their",
    "them",
    "therefore",
    "these",
    "they",
    "this",
    "those",
    "thus",
    "yet",
];

/// Whether a sentence opens with a word that points back at the sentence before it.
pub fn leans(sentence: &str) -> bool {
    let first = sentence
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    LEANING.contains(&first.as_str())
}

/// The figures of one group of sections.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Part {
    /// Key sentences kept by the short answer of their section.
    pub key_kept: Ratio,
    /// Sentences shown that lean on a sentence left out.
    pub leaning: usize,
    /// Short sections looked at.
    pub sections: usize,
}

/// All sections, the two halves (by brief), and the misses.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// Every section.
    pub all: Part,
    /// Half A and half B.
    pub halves: [Part; 2],
    /// Key sentences dropped and leaning sentences shown, for reading.
    pub misses: Vec<(String, String)>,
}

/// Measures the short answers of the set.
pub fn measure(set: &Set, path: &Path) -> anyhow::Result<Figures> {
    let file: File = read_toml(path)?;
    let mut all = Part::default();
    let mut halves = [Part::default(), Part::default()];
    let mut misses = Vec::new();
    let short = |id: &str, kind| {
        let reply = set.core.show_id(
            id,
            View {
                section: Some(kind),
                detail: Detail::Short,
            },
        );
        reply.sections.first().map(|s| s.text.clone())
    };
    for key in &file.key {
        let kind = super::section(&key.section)?;
        let kept = short(&key.brief, kind).is_some_and(|t| t.contains(&key.sentence));
        all.key_kept.add(kept);
        halves[set.half(&key.brief)].key_kept.add(kept);
        if !kept {
            misses.push((
                format!("{} / {}", key.brief, key.section),
                format!("key sentence dropped: {}", key.sentence),
            ));
        }
    }
    let library = set.core.library();
    for brief in library.briefs() {
        for (kind, section) in brief.sections() {
            let Some(text) = short(&brief.id, kind) else {
                continue;
            };
            let all_sentences = sentences::split_paragraphs(&section.paragraphs);
            let shown: Vec<bool> = all_sentences
                .iter()
                .map(|s| text.contains(s.as_str()))
                .collect();
            let half = set.half(&brief.id);
            all.sections += 1;
            halves[half].sections += 1;
            for (i, s) in all_sentences.iter().enumerate() {
                if i > 0 && shown[i] && !shown[i - 1] && leans(s) {
                    all.leaning += 1;
                    halves[half].leaning += 1;
                    misses.push((
                        format!("{} / {}", brief.id, kind.name()),
                        format!("leans on a dropped sentence: {s}"),
                    ));
                }
            }
        }
    }
    Ok(Figures {
        all,
        halves,
        misses,
    })
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (name, p) in [
            ("all", &self.all),
            ("half A", &self.halves[0]),
            ("half B", &self.halves[1]),
        ] {
            writeln!(
                f,
                "short answers, {name}: key sentence kept {}; leaning on a dropped sentence {} (of {} sections)",
                p.key_kept, p.leaning, p.sections
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::leans;

    #[test]
    fn leaning_openers_are_words_not_prefixes() {
        assert!(leans("However, the vote failed."));
        assert!(leans("\"They said no,\" she said."));
        assert!(leans("This decision was expected."));
        assert!(!leans("Thistle farmers gathered."));
        assert!(!leans("Itself a surprise… no."));
        assert!(!leans("The bank held rates."));
    }
}
