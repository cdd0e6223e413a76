//! `/ask question`: picks the brief by BM25 over all briefs and the section by question cues
//! ("why" → importance; "what next", "when", "will" → next; "what happened", "who" →
//! happening) combined with word overlap between the question and each section.

use super::{Args, CommandDef, OptionSpec, Permission, Run};
use crate::brief::search::{for_each_term, terms};
use crate::brief::{Brief, SectionKind};
use crate::core::{Core, NO_BRIEFS};
use crate::reply::{Reply, View};
use crate::summarize::Detail;

/// `question`: the free question.
pub const QUESTION: OptionSpec = OptionSpec {
    required: true,
    ..OptionSpec::text(
        "question",
        "Your question, e.g. why does the chip rule matter?",
    )
};

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "ask",
    description: "Ask a question; the best brief and section answer it",
    options: &[QUESTION],
    permission: Permission::Everyone,
    guild_only: false,
    run: Run::Now(|ctx, args: &Args| answer(ctx.core, args.text(&QUESTION).unwrap_or_default())),
};

/// Weight of a matching cue against the overlap score (which lies in 0..=1).
const CUE_WEIGHT: f64 = 1.5;

/// Answers a question from the library.
pub fn answer(core: &Core, question: &str) -> Reply {
    let library = core.library();
    let Some((brief, _)) = library.best(question) else {
        return if library.is_empty() {
            Reply::error(NO_BRIEFS)
        } else {
            Reply::error(format!(
                "No brief seems to answer '{}': try other words, or /briefs to see the topics.",
                super::options::echo(question)
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
    let mut message = format!(
        "Answered from \"{}\" ({}), section {}",
        brief.title,
        brief.id,
        kind.heading()
    );
    // The question asked for a section this brief lacks: say so rather than pretend.
    let missing: Vec<&str> = cues(question)
        .into_iter()
        .filter(|&(k, cue)| cue > 0.0 && k != kind && brief.section(k).is_none())
        .map(|(k, _)| k.heading())
        .collect();
    if !missing.is_empty() {
        message.push_str(&format!(
            ". It does not cover {}: this is its closest section.",
            missing.join(" or ")
        ));
    }
    reply.message = Some(message);
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
    // The distinct question terms (a handful), and which of them a section has.
    let mut q: Vec<String> = Vec::new();
    for t in terms(question) {
        if !q.contains(&t) {
            q.push(t);
        }
    }
    let mut found = vec![false; q.len()];
    let mut buf = String::new();
    let mut best: Option<(SectionKind, f64)> = None;
    for (kind, cue) in cues(question) {
        let Some(section) = brief.section(kind) else {
            continue;
        };
        found.fill(false);
        if !q.is_empty() {
            for p in &section.paragraphs {
                for_each_term(p, &mut buf, |t| {
                    if let Some(i) = q.iter().position(|w| w == t) {
                        found[i] = true;
                    }
                });
            }
        }
        let overlap = if q.is_empty() {
            0.0
        } else {
            found.iter().filter(|&&f| f).count() as f64 / q.len() as f64
        };
        let score = cue + overlap;
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((kind, score));
        }
    }
    best.map(|(k, _)| k).unwrap_or(SectionKind::Happening)
}
