//! Cutting or splitting text to a length. Lengths are counted in UTF-16 code units (as
//! Discord's API counts them, and never fewer than characters), so a text cut here fits a
//! limit counted either way. Text is cut at a sentence boundary when one is close enough,
//! else at a word boundary, and marked with "…". The limits themselves belong to whoever
//! shows the text (see `discord::layout`).

const ELLIPSIS: char = '…';

/// The first `max` bytes of `text` at most, ending on a character boundary: a bound on the
/// work spent reading a text (a hostile one costs no more than a normal one), not a cut
/// for showing it.
pub fn head(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Length as Discord counts it.
pub fn len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `text` unchanged if it fits in `max`, else cut at a sentence boundary (if that keeps at
/// least half of the room) or a word boundary, with "…" appended; the result fits in `max`.
pub fn truncate(text: &str, max: usize) -> String {
    if len(text) <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let room = max - 1; // for the ellipsis
    let head = prefix_within(text, room);
    // Prefer the end of a sentence.
    if let Some(cut) = last_sentence_end(head) {
        if len(&head[..cut]) * 2 >= room {
            let kept = head[..cut].trim_end();
            let spaced = format!("{kept} {ELLIPSIS}");
            return if len(&spaced) <= max {
                spaced
            } else {
                format!("{kept}{ELLIPSIS}")
            };
        }
    }
    // Else the end of a word.
    let cut = match head.rfind(char::is_whitespace) {
        Some(i) if i > 0 && !text[head.len()..].starts_with(char::is_whitespace) => i,
        _ => head.len(),
    };
    let kept = head[..cut]
        .trim_end()
        .trim_end_matches([',', ';', ':', '-', '—']);
    format!("{kept}{ELLIPSIS}")
}

/// Splits `text` into pieces of at most `max` each, at paragraph breaks, then sentence ends,
/// then word boundaries; nothing is dropped except the white space at the cuts.
pub fn split(text: &str, max: usize) -> Vec<String> {
    assert!(max > 0, "split needs room");
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if len(rest) <= max {
            out.push(rest.to_owned());
            break;
        }
        let head = prefix_within(rest, max);
        let cut = head
            .rfind("\n\n")
            .filter(|&i| i > 0)
            .or_else(|| last_sentence_end(head).filter(|&i| i > 0))
            .or_else(|| head.rfind(char::is_whitespace).filter(|&i| i > 0))
            .unwrap_or(head.len());
        out.push(rest[..cut].trim_end().to_owned());
        rest = rest[cut..].trim_start();
    }
    out
}

/// The longest prefix of `text` (on a char boundary) whose length is ≤ `max`.
fn prefix_within(text: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += c.len_utf16();
        if used > max {
            return &text[..i];
        }
    }
    text
}

/// Byte index just after the last sentence end (`.`, `!`, `?`, optionally followed by a
/// closing quote) that is followed by white space or the end of `text`.
fn last_sentence_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut best = None;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let mut end = i + 1;
            if let Some(q) = text[end..]
                .chars()
                .next()
                .filter(|q| matches!(q, '"' | '\u{201d}' | '\'' | ')'))
            {
                end += q.len_utf8();
            }
            if end == bytes.len() || text[end..].starts_with(char::is_whitespace) {
                best = Some(end);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_ends_on_a_character_boundary() {
        assert_eq!(head("abc", 10), "abc");
        assert_eq!(head("abc", 2), "ab");
        assert_eq!(head("aé", 2), "a", "é is two bytes: not cut in two");
        assert_eq!(head("aé", 3), "aé");
        assert_eq!(head("", 5), "");
    }

    #[test]
    fn short_text_is_untouched() {
        assert_eq!(truncate("Hello.", 10), "Hello.");
    }

    #[test]
    fn cuts_at_a_sentence_when_close() {
        let t = "First sentence is here. Second sentence is rather long and goes on.";
        let got = truncate(t, 40);
        assert_eq!(got, "First sentence is here. …");
        assert!(len(&got) <= 40);
    }

    #[test]
    fn cuts_at_a_word_otherwise() {
        let t = "A single sentence that is far too long to fit";
        let got = truncate(t, 20);
        assert_eq!(got, "A single sentence…");
        assert!(len(&got) <= 20);
    }

    #[test]
    fn counts_utf16_units() {
        let t = "😀😀😀😀😀"; // 2 units each
        assert_eq!(len(t), 10);
        let got = truncate(t, 5);
        assert!(len(&got) <= 5, "{got}");
    }

    #[test]
    fn split_keeps_every_word_and_respects_the_limit() {
        let text = "One two three. Four five six seven.\n\nEight nine ten eleven twelve.";
        for max in [8, 15, 20, 40, 100] {
            let parts = split(text, max);
            assert!(parts.iter().all(|p| len(p) <= max), "{max}: {parts:?}");
            let joined: Vec<&str> = parts.iter().flat_map(|p| p.split_whitespace()).collect();
            let orig: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(joined, orig);
        }
        assert_eq!(split(text, 40)[0], "One two three. Four five six seven.");
    }
}
