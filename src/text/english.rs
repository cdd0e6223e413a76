//! How common a word is in general English: its rank (1 = most common) in a list of the
//! 30,000 most common lowercase words (`english_words.txt`, merged by rank from zxcvbn-ts's
//! English dictionaries: OpenSubtitles word frequencies, ODC-BY, and zxcvbn's Wikipedia
//! list, MIT; the file's header has the notices; `tools/english_words.py` writes it).
//!
//! `/ask` uses it as a prior on how much a question's word says. A library of a few dozen
//! briefs cannot tell an everyday word it lacks ("were there any *warning signs*") from a
//! name it lacks ("what's next for the *Lakers*"): both weigh as "no brief has it", so a
//! reworded question about a brief was refused like an off-topic one. The list is embedded
//! (about 260 KB) and read into a hash map on first use; nothing is downloaded.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// The list, one word per line, most common first, after `#` header lines.
static WORDS: &str = include_str!("english_words.txt");

/// Word → rank.
static RANKS: LazyLock<FxHashMap<&'static str, u32>> = LazyLock::new(|| {
    WORDS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .zip(1..)
        .collect()
});

/// Number of words ranked.
pub fn listed() -> u32 {
    RANKS.len() as u32
}

/// The rank of a lowercase word in general English (1 = most common), or `None` when it is
/// not among the [`listed`] most common words: a name, a rare word or a coinage.
pub fn rank(word: &str) -> Option<u32> {
    RANKS.get(word).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_words_rank_above_rarer_ones_and_names_are_not_listed() {
        assert!(rank("the").unwrap() <= 2);
        let (warning, volcano) = (rank("warning").unwrap(), rank("volcano").unwrap());
        assert!(warning < volcano, "{warning} {volcano}");
        assert!(rank("crackdown").unwrap() > volcano);
        assert_eq!(rank("robotaxis"), None);
        // Words that are also surnames or popular passwords are listed too.
        assert!(rank("white").is_some() && rank("flood").is_some() && rank("winter").is_some());
        assert_eq!(rank("Warning"), None, "lowercase only");
        assert_eq!(listed(), 30_000);
    }
}
