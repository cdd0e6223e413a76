//! Text utilities shared by the parser, the search index, the summarizer and the adapters:
//! word tokenization, an English stop-word list, light plural folding, sentence
//! segmentation ([`sentences`]), cutting text to a length ([`fit`]) and how common a word is
//! in general English ([`english`]), optional word vectors ([`vectors`]) and an optional
//! sentence encoder ([`encoder`]). Everything above
//! this floor may use it; it uses nothing of the crate.

pub mod encoder;
pub mod english;
pub mod fit;
pub mod sentences;
pub mod vectors;
pub mod verbs;

/// Lowercase alphanumeric words of `text` (apostrophes inside words kept out: "it's" → "it", "s").
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Folds a lowercase word to a crude stem so that "briefs"/"brief" and "matters"/"matter"
/// meet: a trailing plural "s" is dropped from words longer than three letters (not "ss").
pub fn fold(word: &str) -> &str {
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        &word[..word.len() - 1]
    } else {
        word
    }
}

/// English prepositions, sorted.
const PREPOSITIONS: &[&str] = &[
    "about", "across", "after", "against", "along", "amid", "among", "around", "at", "before",
    "below", "between", "by", "despite", "during", "for", "from", "in", "inside", "into", "near",
    "of", "on", "onto", "over", "per", "since", "through", "to", "toward", "towards", "under",
    "until", "upon", "via", "with", "within", "without",
];

/// Whether `word` (lowercase) is a preposition.
pub fn is_preposition(word: &str) -> bool {
    PREPOSITIONS.binary_search(&word).is_ok()
}

/// Whether `word` (lowercase) is an English function word or too short to carry meaning.
/// A hash set, not a binary search: the summarizer, the index and the keyphrase extractor ask
/// for every word they read, and the binary search's string comparisons were ~40 % of a
/// section summary's time (`benches/sumy.rs`, perf).
pub fn is_stop_word(word: &str) -> bool {
    if word.len() < 2 || (word.len() <= 4 && word.chars().nth(1).is_none()) {
        return true;
    }
    if word.len() > LONGEST_STOP_WORD {
        return false;
    }
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| STOP_WORDS.iter().copied().collect());
    SET.contains(word)
}

/// The length in bytes of the longest stop word: longer words are never looked up.
const LONGEST_STOP_WORD: usize = {
    let (mut i, mut longest) = (0, 0);
    while i < STOP_WORDS.len() {
        if STOP_WORDS[i].len() > longest {
            longest = STOP_WORDS[i].len();
        }
        i += 1;
    }
    longest
};

/// Sorted and without repeats (a test checks), so that the list is easy to read and edit.
const STOP_WORDS: &[&str] = &[
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Days named relative to today.
pub const RELATIVE_DAYS: &[&str] = &["today", "tomorrow", "tonight", "yesterday"];

/// Irregular past forms and participles of verbs common in news, with their base form
/// (Snowball leaves them apart: "lost" ≠ "lose"). Sorted by the form, for binary search.
pub const IRREGULAR: &[(&str, &str)] = &[
    ("began", "begin"),
    ("begun", "begin"),
    ("blew", "blow"),
    ("blown", "blow"),
    ("bought", "buy"),
    ("broke", "break"),
    ("broken", "break"),
    ("brought", "bring"),
    ("built", "build"),
    ("came", "come"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("driven", "drive"),
    ("drove", "drive"),
    ("fallen", "fall"),
    ("fell", "fall"),
    ("flew", "fly"),
    ("flown", "fly"),
    ("found", "find"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("gave", "give"),
    ("given", "give"),
    ("gone", "go"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("held", "hold"),
    ("hid", "hide"),
    ("hidden", "hide"),
    ("kept", "keep"),
    ("led", "lead"),
    ("left", "leave"),
    ("lost", "lose"),
    ("made", "make"),
    ("met", "meet"),
    ("paid", "pay"),
    ("ran", "run"),
    ("risen", "rise"),
    ("rose", "rise"),
    ("sank", "sink"),
    ("sent", "send"),
    ("sold", "sell"),
    ("spent", "spend"),
    ("stole", "steal"),
    ("stolen", "steal"),
    ("struck", "strike"),
    ("sunk", "sink"),
    ("taken", "take"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("told", "tell"),
    ("took", "take"),
    ("went", "go"),
    ("won", "win"),
];

/// The days of the week, lowercase.
pub const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The months, lowercase (note "may", which is also a modal verb).
pub const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The usual abbreviations of the months, lowercase and without the full stop.
pub const MONTH_ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Whether a lowercase word names a weekday or a month (in full or abbreviated).
pub fn is_calendar_word(word: &str) -> bool {
    WEEKDAYS.contains(&word) || MONTHS.contains(&word) || MONTH_ABBREVIATIONS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_and_found() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && is_stop_word("x") && !is_stop_word("grid"));
        assert!(PREPOSITIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_preposition("after") && !is_preposition("grid"));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        assert!(is_stop_word("é") && !is_stop_word("éa") && !is_stop_word("themselvesx"));
    }

    #[test]
    fn words_and_folding() {
        let got: Vec<String> = words("U.S. grid-storage Briefs!").collect();
        assert_eq!(got, vec!["u", "s", "grid", "storage", "briefs"]);
        assert_eq!(fold("briefs"), "brief");
        assert_eq!(fold("gas"), "gas");
        assert_eq!(fold("class"), "class");
        assert_eq!(fold("virus"), "virus");
    }
}
