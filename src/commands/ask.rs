//! `/ask question`: picks the brief by BM25 over all briefs and the section by question cues
//! ("why" → importance; "what next", "when", "will" → next; "what happened", "who" →
//! happening) combined with word overlap between the question and each section.

use super::Core;
use crate::brief::search::terms;
use crate::brief::{Brief, SectionKind};
use crate::reply::{Reply, View};
use crate::summarize::Detail;
use std::collections::HashSet;

/// Weight of a matching cue against the overlap score (which lies in 0..=1).
const CUE_WEIGHT: f64 = 1.5;

pub(super) fn answer(core: &Core, question: &str) -> Reply {
    let library = core.library();
    let hits = library.search(question);
    let Some((brief, _)) = hits.first() else {
        return if library.is_empty() {
            Reply::error(
                "No briefs are loaded yet: add brief files to the folder set as briefs.dir.",
            )
        } else {
            Reply::error(format!(
                "No brief seems to answer '{}': try other words, or /briefs to see the topics.",
                question.trim()
            ))
        };
    };
    let kind = choose_section(brief, question);
    let mut reply = core.show(
        brief,
        View {
            section: Some(kind),
            detail: Detail::Short,
        },
    );
    reply.message = Some(format!(
        "Answered from \"{}\" ({}), section {}",
        brief.title,
        brief.id,
        kind.heading()
    ));
    reply
}

/// Cue score of each section for a question (0 or [`CUE_WEIGHT`]).
pub fn cues(question: &str) -> [(SectionKind, f64); 3] {
    let q = format!(
        " {} ",
        question.to_lowercase().replace(['?', '!', ',', '.'], " ")
    );
    let has = |needles: &[&str]| needles.iter().any(|n| q.contains(&format!(" {n} ")));
    let next = has(&[
        "next", "when", "will", "going to", "expect", "expected", "future", "plan", "plans",
        "watch", "upcoming", "then", "after",
    ]);
    let importance = has(&[
        "why",
        "what does it mean",
        "what does this mean",
        "mean",
        "means",
        "matter",
        "matters",
        "important",
        "importance",
        "impact",
        "significance",
        "significant",
        "affect",
        "stakes",
    ]);
    let happening = !next
        && !importance
        && has(&[
            "what happened",
            "happened",
            "happening",
            "who",
            "what",
            "where",
            "how",
        ]);
    let w = |b: bool| if b { CUE_WEIGHT } else { 0.0 };
    [
        (SectionKind::Happening, w(happening)),
        (SectionKind::Importance, w(importance)),
        (SectionKind::Next, w(next)),
    ]
}

/// The covered section that best answers the question: cue + share of question words found
/// in the section. Ties go to the earlier section; no cue and no overlap → happening.
pub fn choose_section(brief: &Brief, question: &str) -> SectionKind {
    let q: HashSet<String> = terms(question).collect();
    let mut best: Option<(SectionKind, f64)> = None;
    for (kind, cue) in cues(question) {
        let Some(section) = brief.section(kind) else {
            continue;
        };
        let words: HashSet<String> = section
            .paragraphs
            .iter()
            .flat_map(|p| terms(p).collect::<Vec<_>>())
            .collect();
        let overlap = if q.is_empty() {
            0.0
        } else {
            q.iter().filter(|t| words.contains(*t)).count() as f64 / q.len() as f64
        };
        let score = cue + overlap;
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((kind, score));
        }
    }
    best.map(|(k, _)| k).unwrap_or(SectionKind::Happening)
}
