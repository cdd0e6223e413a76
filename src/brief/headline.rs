//! Headlines derived from a brief's first sentence when the page gives none ([`derive`]):
//! the sentence trimmed as a headline writer would ([`trim`]), then cut at a clause or phrase
//! boundary to fit ([`cut`]).
//!
//! Trimming follows the rules of Dorr, Zajic and Schwartz's "Hedge Trimmer" (2003), which
//! made headlines from a story's lead by deletion, without a parser: drop the opening
//! article, the time of the event ("on Tuesday", "early on Saturday", "on March 3"), a vote
//! tally after "voted" ("5-2"), and put the main verb in the headline's present tense
//! ("The mill reopened on Monday" → "Mill reopens"; "Election officials began…" → "Election
//! officials begin…"). Without it a long lead was cut before its object ("The Wexley County
//! school board voted 5-2 on Tuesday…"). The verb is changed only when it is found before
//! any comma or clause word, so a relative clause's verb is left alone; an ambiguous past
//! form ("cut", "set") is left as written.

use crate::text::{self, fit};

/// Longest derived title, in characters (the ellipsis included).
pub const MAX: usize = 80;

/// Words a clause may start with.
const CLAUSE_STARTS: &[&str] = &[
    "after", "although", "and", "as", "because", "before", "but", "if", "marking", "once", "or",
    "saying", "since", "so", "that", "though", "unless", "when", "where", "whereas", "which",
    "while", "who", "whose", "yet",
];

/// A headline made from a sentence: the sentence without its end mark when it fits in `max`
/// characters, else cut with "…" at the latest clause boundary (a comma, a dash, a
/// conjunction or relative pronoun), else the latest phrase boundary (before a preposition),
/// that keeps a fair part of the room — never after a function word ("of the"), inside an
/// abbreviation ("U.S."), on a possessive or between two words of a name.
pub fn cut(sentence: &str, max: usize) -> String {
    let text = sentence.trim().trim_end_matches(['.', '!', ' ']);
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let room = max.saturating_sub(1); // the ellipsis
    let words: Vec<(usize, &str)> = text
        .split(' ')
        .scan(0usize, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    // (strength, kept text) for each admissible cut before word k.
    let mut best: [Option<&str>; 3] = [None, None, None];
    for k in 1..words.len() {
        let (start, next) = words[k];
        let head = text[..start].trim_end();
        if head.chars().count() > room {
            break;
        }
        let prev = words[k - 1].1;
        let prev_bare = prev.trim_end_matches([',', ';', ':']);
        let prev_lower = prev_bare.to_lowercase();
        let next_lower = next
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        let dangling = text::is_stop_word(&prev_lower)
            || text::is_preposition(&prev_lower)
            || CLAUSE_STARTS.contains(&prev_lower.as_str())
            || matches!(
                prev_lower.as_str(),
                "a" | "an" | "the" | "its" | "their" | "his" | "her"
            )
            || prev_bare.ends_with('.')
            || prev_bare.ends_with("'s")
            || prev_bare.ends_with("\u{2019}s")
            || prev_bare.ends_with(['-', '—', '–', '(', '"', '\u{201c}'])
            || prev_bare.chars().all(|c| !c.is_alphanumeric());
        if dangling {
            continue;
        }
        let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        let in_name = capital(prev_bare) && capital(next) && !prev.ends_with(',');
        if in_name {
            continue;
        }
        let clause = prev.ends_with([',', ';', ':'])
            || matches!(next, "—" | "–" | "-")
            || CLAUSE_STARTS.contains(&next_lower.as_str());
        let strength = if clause {
            2
        } else if text::is_preposition(&next_lower) {
            1
        } else {
            0
        };
        best[strength] = Some(head);
    }
    let fair = |h: &&str, part: usize| h.chars().count() * part >= room;
    let chosen = best[2]
        .filter(|h| fair(h, 2))
        .or(best[1].filter(|h| fair(h, 3)))
        .or(best[2].filter(|h| fair(h, 4)))
        .or(best[0].filter(|h| fair(h, 2)))
        .or(best[1])
        .or(best[0]);
    match chosen {
        Some(head) => format!("{}…", head.trim_end_matches([',', ';', ':', ' '])),
        None => fit::truncate(text, max),
    }
}

/// The headline for a brief whose first sentence is `sentence`.
pub fn derive(sentence: &str) -> String {
    cut(&trim(sentence), MAX)
}

/// Parts of a day after a weekday ("on Tuesday *night*").
const DAY_PARTS: &[&str] = &["morning", "afternoon", "evening", "night"];

/// Irregular past forms of news leads beyond those [`text::IRREGULAR`] lists (which `/ask`
/// reads with), and their base. Forms that are also the base ("cut", "set", "hit") are in
/// neither: the tense cannot be told.
const MORE_IRREGULAR: &[(&str, &str)] = &[
    ("caught", "catch"),
    ("drew", "draw"),
    ("felt", "feel"),
    ("fled", "flee"),
    ("fought", "fight"),
    ("got", "get"),
    ("knew", "know"),
    ("rode", "ride"),
    ("said", "say"),
    ("saw", "see"),
    ("shook", "shake"),
    ("shot", "shoot"),
    ("sought", "seek"),
    ("spoke", "speak"),
    ("stood", "stand"),
    ("swept", "sweep"),
    ("wrote", "write"),
];

/// Words ending in "ed" that are not past forms.
const NOT_PAST: &[&str] = &["hundred", "indeed", "naked", "sacred", "wicked", "kindred"];

/// Words that end the subject's run: after them a past form is not the main verb.
const STOPS_SUBJECT: &[&str] = &[
    "who", "which", "that", "whose", "where", "when", "while", "after", "before", "because", "as",
    "if", "and", "but", "to", "be", "been", "being", "will", "would", "could", "should", "may",
    "might", "must", "can", "not",
];

/// A sentence trimmed to a headline (see the module doc); the words kept are the sentence's,
/// in its order, but for the verb's tense.
pub fn trim(sentence: &str) -> String {
    let text = sentence.trim().trim_end_matches(['.', '!', ' ']);
    let mut words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    if words.len() < 5 {
        return text.to_owned();
    }
    drop_times(&mut words);
    drop_tally(&mut words);
    present_tense(&mut words);
    if matches!(words[0].as_str(), "The" | "A" | "An") && words.len() >= 3 {
        words.remove(0);
        words[0] = capitalized(&words[0]);
    }
    drop_articles(&mut words);
    words.join(" ")
}

fn bare(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

fn capitalized(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Removes the time of the event: "[early|late] [on|last|this] Weekday [part of day]", "on
/// Month Day[, Year]", "yesterday", "today", "this week", "last week". A comma that closed
/// the phrase stays on the word before it.
fn drop_times(words: &mut Vec<String>) {
    let mut i = 0;
    while i < words.len() {
        let w = bare(&words[i]);
        let capital = words[i].starts_with(|c: char| c.is_uppercase());
        let mut end = None; // exclusive end of the time phrase starting at its head
                            // "from Monday to Thursday" is a span, not the time of the event.
        let after_on = i > 0 && bare(&words[i - 1]) == "on";
        let span = !after_on
            && (i > 0 && text::is_preposition(&bare(&words[i - 1]))
                || words
                    .get(i + 1)
                    .is_some_and(|n| matches!(bare(n).as_str(), "to" | "through" | "and" | "or")));
        if capital && text::WEEKDAYS.contains(&w.as_str()) && !span {
            end = Some(i + 1);
            if words
                .get(i + 1)
                .is_some_and(|n| DAY_PARTS.contains(&bare(n).as_str()) && !words[i].ends_with(','))
            {
                end = Some(i + 2);
            }
        } else if capital
            && text::MONTHS.contains(&w.as_str())
            && i > 0
            && bare(&words[i - 1]) == "on"
        {
            let day = words.get(i + 1).is_some_and(|n| {
                let b = bare(n);
                !b.is_empty() && b.len() <= 4 && b.starts_with(|c: char| c.is_ascii_digit())
            });
            if day {
                end = Some(i + 2);
                let year = words.get(i + 2).is_some_and(|n| {
                    let b = bare(n);
                    b.len() == 4 && b.chars().all(|c| c.is_ascii_digit())
                });
                if year && words[i + 1].ends_with(',') {
                    end = Some(i + 3);
                }
            }
        } else if matches!(w.as_str(), "yesterday" | "today") && i > 0 {
            end = Some(i + 1);
        } else if matches!(w.as_str(), "week")
            && i > 1
            && matches!(bare(&words[i - 1]).as_str(), "this" | "last")
            && !words[i - 1].ends_with(',')
        {
            end = Some(i + 1);
            i -= 1;
        }
        let Some(end) = end else {
            i += 1;
            continue;
        };
        let mut start = i;
        if start > 0
            && matches!(bare(&words[start - 1]).as_str(), "on" | "last" | "this")
            && !words[start - 1].ends_with(',')
        {
            start -= 1;
        }
        if start > 0
            && matches!(bare(&words[start - 1]).as_str(), "early" | "late")
            && !words[start - 1].ends_with(',')
        {
            start -= 1;
        }
        if start == 0 {
            i = end;
            continue;
        }
        // "on March 3, 2026, after…": the last comma pairs with the date's own.
        let closing = words[end - 1].ends_with(',')
            && !words[start..end - 1].iter().any(|w| w.ends_with(','));
        words.drain(start..end);
        if closing && !words[start - 1].ends_with(',') {
            words[start - 1].push(',');
        }
        i = start;
    }
}

/// Words after which "a" is a count, not an article ("a *few*", "three times a *day*").
const COUNTING: &[&str] = &[
    "few", "lot", "number", "day", "week", "month", "year", "bit", "little", "third", "quarter",
    "half", "dozen", "hundred", "thousand", "million", "billion",
];

/// Removes the articles inside the sentence, as headlines do ("begin *a* hand recount in
/// *the* race" → "begin hand recount in race"), but where "a" counts ("a few") or the
/// article ends a clause's first word.
fn drop_articles(words: &mut Vec<String>) {
    let mut i = 1;
    while i + 1 < words.len() {
        let is_article = matches!(words[i].as_str(), "a" | "an" | "the");
        let counting = COUNTING.contains(&bare(&words[i + 1]).as_str());
        if is_article && !counting && !words[i - 1].ends_with([',', ';', ':']) {
            words.remove(i);
        } else {
            i += 1;
        }
    }
}

/// Removes a vote tally after a form of "vote" ("voted 5-2 to…").
fn drop_tally(words: &mut Vec<String>) {
    if let Some(i) = (1..words.len()).find(|&i| {
        bare(&words[i - 1]).starts_with("vote")
            && words[i].split('-').count() == 2
            && words[i]
                .split('-')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    }) {
        words.remove(i);
    }
}

/// Puts the main verb, when it is a past form met before any comma or clause word, in the
/// present: "has closed" / "closed" → "closes", "was closed" → "closed"; agreeing with the
/// subject ("officials began" → "officials begin").
fn present_tense(words: &mut Vec<String>) {
    for i in 1..words.len() {
        let prev = bare(&words[i - 1]);
        if words[i - 1].ends_with([',', ';', ':']) || STOPS_SUBJECT.contains(&prev.as_str()) {
            return;
        }
        let w = &words[i];
        let word = w.trim_end_matches([',', ';', ':']);
        let tail = w[word.len()..].to_owned();
        if word.starts_with(|c: char| c.is_uppercase()) || !word.chars().all(|c| c.is_alphabetic())
        {
            continue;
        }
        let Some(base) = base_of_past(word) else {
            continue;
        };
        // "the *proposed* plan", "of *armed* men", "a privately *built* booster": a
        // participle used as an adjective.
        if matches!(
            prev.as_str(),
            "the" | "a" | "an" | "its" | "their" | "his" | "her"
        ) || text::is_preposition(&prev)
            || prev.ends_with("ly")
        {
            continue;
        }
        match prev.as_str() {
            "was" | "were" => {
                words.remove(i - 1);
            }
            "has" | "have" | "had" => {
                let plural = is_plural_subject(&words[..i - 1]);
                words[i] = present(&base, plural) + &tail;
                words.remove(i - 1);
            }
            _ => {
                let plural = is_plural_subject(&words[..i]);
                words[i] = present(&base, plural) + &tail;
                coordinated(words, i, plural);
            }
        }
        return;
    }
}

/// Puts a second verb joined to the main one at `at` by "and" in the present too ("Thieves
/// broke in and *stole*…" → "Thieves break in and *steal*…"), when it comes before any
/// punctuation.
fn coordinated(words: &mut [String], at: usize, plural: bool) {
    for j in at + 1..words.len().saturating_sub(1) {
        if words[j - 1].ends_with([',', ';', ':']) {
            return;
        }
        if words[j] != "and" {
            continue;
        }
        let next = &words[j + 1];
        let word = next.trim_end_matches([',', ';', ':']);
        let tail = next[word.len()..].to_owned();
        if word.chars().all(|c| c.is_ascii_lowercase()) {
            if let Some(base) = base_of_past(word) {
                words[j + 1] = present(&base, plural) + &tail;
            }
        }
        return;
    }
}

/// The base form of a past form, or `None` when the word is not one: an irregular form, or
/// a regular "-ed" whose base is a listed English word ("voted" → "vote", "planned" → "plan",
/// "carried" → "carry"; of "fined" → "fin" / "fine", the more common).
fn base_of_past(word: &str) -> Option<String> {
    if let Some((_, base)) = MORE_IRREGULAR
        .iter()
        .chain(text::IRREGULAR)
        .find(|(past, _)| *past == word)
    {
        return Some((*base).to_owned());
    }
    let stem = word.strip_suffix("ed")?;
    if word.len() < 5 || word.ends_with("eed") || NOT_PAST.contains(&word) {
        return None;
    }
    let rank = |w: &str| text::english::rank(w).filter(|_| w.len() > 2);
    if let Some(y) = stem.strip_suffix('i') {
        let base = format!("{y}y");
        return rank(&base).map(|_| base);
    }
    let b = stem.as_bytes();
    let doubled = b.len() > 2
        && b[b.len() - 1] == b[b.len() - 2]
        && !matches!(b[b.len() - 1], b'l' | b's' | b'f' | b'z');
    if doubled && rank(&stem[..stem.len() - 1]).is_some() {
        return Some(stem[..stem.len() - 1].to_owned());
    }
    let with_e = format!("{stem}e");
    match (rank(stem), rank(&with_e)) {
        (Some(a), Some(e)) if e < a => Some(with_e),
        (Some(_), _) => Some(stem.to_owned()),
        (None, Some(_)) => Some(with_e),
        (None, None) => None,
    }
}

/// Whether the subject before the verb is plural: its head (the last word before a
/// preposition, or the last word) is a lowercase plural ("officials", "wagons", "people").
fn is_plural_subject(subject: &[String]) -> bool {
    let at = subject
        .iter()
        .position(|w| text::is_preposition(&bare(w)))
        .filter(|&p| p > 0)
        .map_or(subject.len().checked_sub(1), |p| Some(p - 1));
    let Some(at) = at else {
        return false;
    };
    let head = &subject[at];
    let h = bare(head);
    // A capital inside the sentence marks a name ("Pell County"), singular.
    if at > 0 && head.starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    matches!(
        h.as_str(),
        "people" | "police" | "children" | "men" | "women"
    ) || (h.ends_with('s') && !h.ends_with("ss") && !h.ends_with("us") && !h.ends_with("is"))
}

/// The present form of a base verb: itself for a plural subject, else with "-s".
fn present(base: &str, plural: bool) -> String {
    if plural {
        return base.to_owned();
    }
    match base {
        "be" => "is".into(),
        "have" => "has".into(),
        "go" | "do" => format!("{base}es"),
        _ if base.ends_with(['s', 'x', 'z']) || base.ends_with("ch") || base.ends_with("sh") => {
            format!("{base}es")
        }
        _ if base.ends_with('y') && !["ay", "ey", "oy", "uy"].iter().any(|v| base.ends_with(v)) => {
            format!("{}ies", &base[..base.len() - 1])
        }
        _ => format!("{base}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_is_trimmed_to_a_headline() {
        let cases = [
            ("The mill reopened on Monday.", "Mill reopens"),
            (
                "The Wexley County school board voted 5-2 on Tuesday to move its 31 public schools to a four-day week.",
                "Wexley County school board votes to move its 31 public schools to four-day week",
            ),
            (
                "Election officials in Pell County began a hand recount on Monday in the race for the 4th district.",
                "Election officials in Pell County begin hand recount in race for 4th district",
            ),
            (
                "Fourteen wagons of a freight train left the tracks near Lowen Cross early on Saturday, and two of them leaked gas.",
                "Fourteen wagons of freight train leave tracks near Lowen Cross, and two of them leaked gas",
            ),
            (
                "The city has banned cars from the old bridge.",
                "City bans cars from old bridge",
            ),
            (
                "The bridge was closed on March 3, 2026, after cracks were found.",
                "Bridge closed after cracks were found",
            ),
            (
                "Regulators fined the carrier $4 million on Thursday night.",
                "Regulators fine carrier $4 million",
            ),
            (
                "A privately built reusable booster completed its first landing test on Saturday.",
                "Privately built reusable booster completes its first landing test",
            ),
            (
                "Thieves broke into the museum and stole a silver clock.",
                "Thieves break into museum and steal silver clock",
            ),
            (
                "The ferry company stopped its late sailings.",
                "Ferry company stops its late sailings",
            ),
            (
                "The council carried the motion at its last meeting.",
                "Council carries motion at its last meeting",
            ),
        ];
        for (lead, want) in cases {
            assert_eq!(trim(lead), want, "{lead}");
        }
    }

    #[test]
    fn what_cannot_be_told_is_left_as_written() {
        for lead in [
            // A relative clause's verb, a participle after an article, an ambiguous form.
            "Residents who opposed the plan packed the hall",
            "Officials cut the budget by a tenth this year",
            "Hundreds of protesters marched through the proposed site",
            "A new law on Friday",
            "Classes will now run from Monday to Thursday",
        ] {
            let t = trim(lead);
            assert!(!t.contains("opposes") && !t.contains("cuts"), "{t}");
        }
        assert_eq!(
            trim("Classes will now run from Monday to Thursday"),
            "Classes will now run from Monday to Thursday"
        );
        assert_eq!(
            trim("Residents who opposed the plan packed the hall"),
            "Residents who opposed plan packed hall"
        );
        assert_eq!(
            trim("Hundreds of protesters marched through the proposed site"),
            "Hundreds of protesters march through proposed site"
        );
    }
}
