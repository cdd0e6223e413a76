//! BERT's uncased tokenizer, as the sentence encoder's model was trained with it: clean the
//! text, set CJK characters apart, lowercase, strip accents, split on whitespace and
//! punctuation, then cut each word into the longest pieces of the model's `vocab.txt`
//! ("##" marks a piece inside a word; a word no pieces make is `[UNK]`).
//!
//! Hand-written rather than the `tokenizers` crate: that crate's build (regex engines,
//! Oniguruma, rayon) would cost more on two cores than the whole encoder, and BERT's
//! uncased scheme is these hundred lines. `tests` hold it to the reference tokenizer's
//! output on tricky text.

use rustc_hash::FxHashMap;
use unicode_general_category::{get_general_category, GeneralCategory as G};
use unicode_normalization::UnicodeNormalization;

/// A word longer than this many characters is `[UNK]` (as BERT's).
const MAX_WORD_CHARS: usize = 100;

/// The model's vocabulary and its special tokens.
pub struct WordPiece {
    ids: FxHashMap<Box<str>, u32>,
    cls: u32,
    sep: u32,
    unk: u32,
}

impl WordPiece {
    /// The vocabulary of `vocab.txt`: one piece per line, its id the line's index.
    pub fn new(vocab: &str) -> Result<WordPiece, String> {
        let ids: FxHashMap<Box<str>, u32> = vocab
            .lines()
            .enumerate()
            .map(|(i, w)| (Box::from(w.trim_end_matches('\r')), i as u32))
            .collect();
        let special = |t: &str| {
            ids.get(t)
                .copied()
                .ok_or_else(|| format!("the vocabulary has no {t} token"))
        };
        Ok(WordPiece {
            cls: special("[CLS]")?,
            sep: special("[SEP]")?,
            unk: special("[UNK]")?,
            ids,
        })
    }

    /// How many pieces the vocabulary has.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the vocabulary is empty (never: it holds the special tokens).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ids of `text` between `[CLS]` and `[SEP]`, at most `max` in all.
    pub fn encode(&self, text: &str, max: usize) -> Vec<u32> {
        let mut out = vec![self.cls];
        let room = max.saturating_sub(2);
        'words: for word in basic_words(text) {
            for id in self.pieces(&word) {
                if out.len() > room {
                    break 'words;
                }
                out.push(id);
            }
        }
        out.push(self.sep);
        out
    }

    /// The longest-first pieces of one word, or `[UNK]`.
    fn pieces(&self, word: &str) -> Vec<u32> {
        if word.chars().count() > MAX_WORD_CHARS {
            return vec![self.unk];
        }
        let mut out = Vec::new();
        let mut start = 0;
        let mut piece = String::new();
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while start < end {
                piece.clear();
                if start > 0 {
                    piece.push_str("##");
                }
                piece.push_str(&word[start..end]);
                if let Some(&id) = self.ids.get(piece.as_str()) {
                    found = Some(id);
                    break;
                }
                end = word[..end].char_indices().next_back().map_or(0, |(i, _)| i);
            }
            match found {
                Some(id) => out.push(id),
                None => return vec![self.unk],
            }
            start = end;
        }
        out
    }
}

/// BERT's basic tokenization, uncased: the words and punctuation marks of `text`,
/// lowercased and without accents.
pub fn basic_words(text: &str) -> Vec<String> {
    let mut clean = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || (is_control(c) && !c.is_whitespace()) {
            continue;
        }
        if is_cjk(c) {
            clean.push(' ');
            clean.push(c);
            clean.push(' ');
        } else if c.is_whitespace() {
            clean.push(' ');
        } else {
            clean.push(c);
        }
    }
    let mut out = Vec::new();
    for word in clean.split(' ').filter(|w| !w.is_empty()) {
        let mut current = String::new();
        for c in word
            .to_lowercase()
            .nfd()
            .filter(|&c| get_general_category(c) != G::NonspacingMark)
        {
            if is_punctuation(c) {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                out.push(c.to_string());
            } else {
                current.push(c);
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// BERT's control characters: categories Cc and Cf, but not tab, newline or return.
fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && matches!(get_general_category(c), G::Control | G::Format)
}

/// BERT's punctuation: every non-alphanumeric ASCII printable character (so "$" and "^"
/// too), and Unicode's punctuation categories.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            get_general_category(c),
            G::ConnectorPunctuation
                | G::DashPunctuation
                | G::OpenPunctuation
                | G::ClosePunctuation
                | G::InitialPunctuation
                | G::FinalPunctuation
                | G::OtherPunctuation
        )
}

/// The CJK ideograph blocks BERT sets apart as words of their own.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF
        | 0x3400..=0x4DBF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F
        | 0x2B820..=0x2CEAF
        | 0xF900..=0xFAFF
        | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_without_accents_and_split_at_punctuation() {
        assert_eq!(
            basic_words("Café-owner's \u{200b}“NEW” plan: $4.5bn\tnow!"),
            [
                "cafe", "-", "owner", "'", "s", "“", "new", "”", "plan", ":", "$", "4", ".", "5bn",
                "now", "!"
            ]
        );
        assert_eq!(basic_words("東京 rail"), ["東", "京", "rail"]);
    }

    #[test]
    fn a_word_is_cut_into_the_longest_pieces_or_is_unknown() {
        let vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nun\n##aff\n##able\nrun\n##ning\n,\n";
        let wp = WordPiece::new(vocab).unwrap();
        assert_eq!(
            wp.encode("Unaffable running, unxyz", 64),
            [2, 4, 5, 6, 7, 8, 9, 1, 3]
        );
        // At most `max` ids, [CLS] and [SEP] included.
        assert_eq!(wp.encode("Unaffable running", 4), [2, 4, 5, 3]);
        assert!(WordPiece::new("[PAD]\n[UNK]\n")
            .err()
            .unwrap()
            .contains("[CLS]"));
    }
}
