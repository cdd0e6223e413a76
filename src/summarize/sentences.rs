//! Sentence segmentation, delegated to the `sentencex` crate, which knows English
//! abbreviations ("U.S.", "Dr."), decimals, initials and quotations. One repair on top:
//! sentencex ends a sentence after "approx." when a number follows ("approx. $38.6 million"),
//! so a piece ending in an abbreviation that never ends a sentence is joined to the next.

/// Abbreviations that do not end a sentence (lowercase, with the final dot).
const NEVER_FINAL: &[&str] = &["approx.", "ca.", "e.g.", "i.e.", "vs.", "cf."];

/// Splits one paragraph into trimmed, non-empty sentences.
pub fn split(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut joining = false;
    for piece in sentencex::segment("en", paragraph) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last) if joining => {
                last.push(' ');
                last.push_str(piece);
            }
            _ => out.push(piece.to_owned()),
        }
        let last_word = piece.rsplit(char::is_whitespace).next().unwrap_or("");
        joining = NEVER_FINAL.contains(&last_word.to_lowercase().as_str());
    }
    out
}

/// Splits each paragraph and concatenates the sentences, in order.
pub fn split_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> Vec<String> {
    paragraphs.iter().flat_map(|p| split(p.as_ref())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_abbreviations_decimals_initials_and_quotes_together() {
        let text = "The U.S. envoy met Dr. Amina Diallo on Monday. Output rose 3.5 percent to \
                    $1.2 billion. J. R. Okafor chairs the panel. \"Is it ready?\" he asked. \
                    It owed approx. $38.6 million, e.g. to banks. Officials said no.";
        let got = split(text);
        assert_eq!(
            got,
            vec![
                "The U.S. envoy met Dr. Amina Diallo on Monday.",
                "Output rose 3.5 percent to $1.2 billion.",
                "J. R. Okafor chairs the panel.",
                "\"Is it ready?\" he asked.",
                "It owed approx. $38.6 million, e.g. to banks.",
                "Officials said no.",
            ]
        );
    }

    #[test]
    fn paragraphs_are_split_separately() {
        let got = split_paragraphs(&["One. Two.", "Three"]);
        assert_eq!(got, vec!["One.", "Two.", "Three"]);
    }
}
