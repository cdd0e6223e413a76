//! Keyphrase extraction with YAKE (`yake-rust`): statistical, unsupervised, one text at a time.
//! Keyphrases become lowercase topics used for search, autocomplete and subscription filters;
//! [`enrich`] adds them to a parsed brief (sources call it, the parser does not).

use crate::brief::Brief;
use std::sync::OnceLock;

/// How many extracted keyphrases join a brief's topics.
pub const PER_BRIEF: usize = 5;

/// Appends up to [`PER_BRIEF`] keyphrases extracted from the three sections to the brief's
/// topics, after the front-matter topics, without duplicates. It is the costly part of
/// loading (about 2.5 ms a brief), so bulk loads may run it later, off the start-up path.
pub fn enrich(brief: &mut Brief) {
    let mut all = String::new();
    for (_, s) in brief.sections() {
        all.push('\n');
        all.push_str(&s.text());
    }
    for k in keyphrases(&all, PER_BRIEF) {
        if !brief.topics.contains(&k) {
            brief.topics.push(k);
        }
    }
}
use yake_rust::{Config, StopWords};

fn stop_words() -> &'static StopWords {
    static WORDS: OnceLock<StopWords> = OnceLock::new();
    WORDS.get_or_init(|| {
        StopWords::predefined("en").unwrap_or_else(|| StopWords::custom(Default::default()))
    })
}

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| Config {
        ngrams: 2,
        ..Config::default()
    })
}

/// Up to `n` lowercase keyphrases of `text`, most important first, without duplicates.
pub fn keyphrases(text: &str, n: usize) -> Vec<String> {
    if text.trim().is_empty() || n == 0 {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::with_capacity(n);
    for item in yake_rust::get_n_best(n * 2, text, stop_words(), config()) {
        let phrase = item.keyword.to_lowercase();
        // Abbreviations ("jan.", "approx.") make poor topics.
        let clean = phrase.chars().any(char::is_alphabetic) && !phrase.contains('.');
        if clean && !out.contains(&phrase) {
            out.push(phrase);
        }
        if out.len() == n {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_subject_of_a_text() {
        let text = "The city council approved a tram line. The tram line links the harbour to \
                    the station. Tram construction starts in spring.";
        let got = keyphrases(text, 5);
        assert!(!got.is_empty() && got.len() <= 5);
        assert!(got.iter().any(|k| k.contains("tram")), "{got:?}");
        assert!(got.iter().all(|k| k == &k.to_lowercase()));
    }

    #[test]
    fn empty_text_has_no_keyphrases() {
        assert!(keyphrases("   ", 5).is_empty());
    }
}
