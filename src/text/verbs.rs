//! Which words are verbs, from WordNet: the common English words it knows only as verbs
//! ("depend", "prescribe", "flee") and those it knows mostly as verbs ("check", "negotiate");
//! `verbs.txt`, written by `tools/verbs.py` from WordNet 3.1 (WordNet License; the notice is
//! in the file's header), embedded.
//!
//! `/ask` uses it to tell a verb the brief lacks — which says what is asked about the
//! subject, not another subject ("who *depends* on the buses") — from a noun the brief lacks.
//! The hand-kept list of [`crate::summarize::keywords`] knows the verbs of news prose; this
//! one knows the rest of English. A word WordNet knows mostly as a noun ("plant", "strike")
//! is not a verb here.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

static TEXT: &str = include_str!("verbs.txt");

/// Lemma → whether WordNet knows it only as a verb.
static LEMMAS: LazyLock<FxHashMap<&'static str, bool>> = LazyLock::new(|| {
    TEXT.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.split_once(' '))
        .map(|(w, kind)| (w, kind == "only"))
        .collect()
});

/// The lemmas a lowercase word form may be of: itself, and without an "-s", "-es", "-ies",
/// "-ing" ending (restoring an "e" or undoing a doubled consonant).
fn lemmas(word: &str) -> Vec<String> {
    let mut out = vec![word.to_owned()];
    if let Some(y) = word.strip_suffix("ies") {
        out.push(format!("{y}y"));
    }
    if let Some(s) = word.strip_suffix("es") {
        out.push(s.to_owned());
    }
    if let Some(s) = word.strip_suffix('s') {
        out.push(s.to_owned());
    }
    if let Some(stem) = word.strip_suffix("ing").filter(|s| s.len() >= 2) {
        out.push(stem.to_owned());
        out.push(format!("{stem}e"));
        let b = stem.as_bytes();
        if b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2] {
            out.push(stem[..stem.len() - 1].to_owned());
        }
    }
    out
}

/// Whether a lowercase word is a verb form other than a past one: a form of a word WordNet
/// knows only as a verb ("depends", "prescribe", "fleeing"), or the "-ing" form of one it
/// knows mostly as a verb ("checking", "negotiating").
pub fn is_verb(word: &str) -> bool {
    let ing = word.ends_with("ing");
    lemmas(word)
        .iter()
        .any(|l| LEMMAS.get(l.as_str()).is_some_and(|&only| only || ing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_are_told_from_nouns() {
        for w in [
            "depends",
            "prescribe",
            "flee",
            "negotiating",
            "checking",
            "flees",
        ] {
            assert!(is_verb(w), "{w}");
        }
        for w in ["plant", "strike", "bridge", "check", "ferries", "lanes"] {
            assert!(!is_verb(w), "{w}");
        }
    }
}
