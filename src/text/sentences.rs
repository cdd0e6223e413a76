//! Sentence segmentation, delegated to the `sentencex` crate, which knows English
//! abbreviations ("U.S.", "Dr."), decimals, initials and quotations. One repair on top:
//! sentencex ends a sentence after "approx." when a number follows ("approx. $38.6 million"),
//! so a piece ending in an abbreviation that never ends a sentence is joined to the next.
//! And the reverse: its English abbreviation list holds "may", so "…in May. Officials said…"
//! stays one sentence; "May." is never an abbreviation, so a piece is split after it when a
//! capital letter or an opening quote follows.

/// Abbreviations that do not end a sentence (lowercase, with the final dot).
const NEVER_FINAL: &[&str] = &["approx.", "ca.", "e.g.", "i.e.", "vs.", "cf."];

/// Splits one paragraph into trimmed, non-empty sentences.
pub fn split(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut joining = false;
    let pieces = sentencex::segment("en", paragraph)
        .into_iter()
        .flat_map(|p| split_after_may(p.trim()));
    for piece in pieces {
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

/// Splits `piece` after each word "May." followed by white space and a capital letter or an
/// opening quote.
fn split_after_may(piece: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in piece.match_indices("May.") {
        let whole_word = piece[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = &piece[i + 4..];
        let next = after.trim_start();
        let starts_sentence = next.len() < after.len()
            && next
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || matches!(c, '"' | '\u{201c}' | '\''));
        if whole_word && starts_sentence && i > start {
            out.push(piece[start..i + 4].trim());
            start = i + 4;
        }
    }
    out.push(piece[start..].trim());
    out
}

/// Splits each paragraph and concatenates the sentences, in order.
pub fn split_paragraphs<S: AsRef<str>>(paragraphs: impl IntoIterator<Item = S>) -> Vec<String> {
    paragraphs
        .into_iter()
        .flat_map(|p| split(p.as_ref()))
        .collect()
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
    fn may_is_a_month_not_an_abbreviation() {
        assert_eq!(
            split("The vote is in May. Turnout may be low. Sales rose in May. \"Good,\" he said."),
            vec![
                "The vote is in May.",
                "Turnout may be low.",
                "Sales rose in May.",
                "\"Good,\" he said."
            ]
        );
        assert_eq!(
            split("It is due May 3. Officials agreed."),
            vec!["It is due May 3.", "Officials agreed."]
        );
    }

    #[test]
    fn paragraphs_are_split_separately() {
        let got = split_paragraphs(["One. Two.", "Three"]);
        assert_eq!(got, vec!["One.", "Two.", "Three"]);
    }
}
