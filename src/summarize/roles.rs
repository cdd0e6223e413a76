//! Section roles for raw text: an article without *What's Happening? / Why It's Important? /
//! What's Next?* headings gets its three sections here. Each sentence is given a role —
//! happening (the event, who did what, its cause, immediate reactions), importance
//! (significance, consequences, who is affected, background) or next (what is expected,
//! planned, scheduled or undecided) — and keeps its original order within its section.
//!
//! How: every sentence gets a score per role from general cues of news prose — modality and
//! future reference ("will", "plans to", "is expected to", "by March", "next week", "whether"),
//! significance and consequence markers ("means", "is the first", "so", "at risk",
//! superlatives), tense (a past-tense main verb, a day-of-week anchor, the pluperfect of
//! background), quotations (reactions, rarely outlook) and position (the lead is the event).
//! Then one best sequence of roles is chosen (Viterbi over the three roles), with a cost for
//! each change of section that is small going forward (happening → importance → next, the
//! order news copy follows) and larger going back, so that a sentence with weak cues follows
//! its neighbours and a strong cue can still break the order.
//!
//! Why hand-written: no maintained crate assigns discourse roles to news sentences, and a
//! trained model would need a corpus and weights we do not have; these cues are the
//! product's edge and are measured: `cargo test --test eval_articles -- --nocapture` prints
//! the accuracy on the labelled articles in `eval/articles/` (figures in `docs/EVAL.md`).
//! The cue lists hold only general words of English news prose (modal verbs, time words,
//! significance markers), never names or topics of the evaluation set.

use crate::brief::{Brief, Section, SectionKind};
use crate::text::sentences;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Three sections of raw text, each a list of paragraphs (consecutive sentences that came
/// from the same source paragraph stay one paragraph), in the original order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assigned {
    /// "What's happening" paragraphs.
    pub happening: Vec<String>,
    /// "Why it's important" paragraphs.
    pub importance: Vec<String>,
    /// "What's next" paragraphs.
    pub next: Vec<String>,
}

impl Assigned {
    /// The paragraphs given `kind`.
    pub fn paragraphs(&self, kind: SectionKind) -> &[String] {
        match kind {
            SectionKind::Happening => &self.happening,
            SectionKind::Importance => &self.importance,
            SectionKind::Next => &self.next,
        }
    }

    /// Whether no sentence was found.
    pub fn is_empty(&self) -> bool {
        self.happening.is_empty() && self.importance.is_empty() && self.next.is_empty()
    }

    /// The section of `kind` with its canonical heading, if any sentence went there.
    pub fn section(&self, kind: SectionKind) -> Option<Section> {
        let paragraphs = self.paragraphs(kind);
        (!paragraphs.is_empty()).then(|| Section {
            heading: kind.heading().into(),
            paragraphs: paragraphs.iter().collect(),
        })
    }

    /// Puts the three sections into `brief` and marks its sections as assigned
    /// automatically.
    pub fn apply(&self, brief: &mut Brief) {
        brief.happening = self.section(SectionKind::Happening);
        brief.importance = self.section(SectionKind::Importance);
        brief.next = self.section(SectionKind::Next);
        brief.auto_sections = true;
    }
}

/// Raw text (paragraphs separated by blank lines, wrapped lines joined) → three sections.
/// The seam for feed items and pages without section headings.
pub fn assign_text(text: &str) -> Assigned {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    assign_paragraphs(&paragraphs)
}

/// Paragraphs → three sections: every sentence gets a role ([`assign`]); consecutive
/// sentences of one paragraph with the same role are joined again.
pub fn assign_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> Assigned {
    let mut all: Vec<(usize, String)> = Vec::new();
    for (p, paragraph) in paragraphs.iter().enumerate() {
        for s in sentences::split(paragraph.as_ref()) {
            all.push((p, s));
        }
    }
    let roles = assign(&all.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>());
    let mut out = Assigned::default();
    let mut last: Option<(SectionKind, usize)> = None;
    for ((p, sentence), role) in all.into_iter().zip(roles) {
        let target = match role {
            SectionKind::Happening => &mut out.happening,
            SectionKind::Importance => &mut out.importance,
            SectionKind::Next => &mut out.next,
        };
        match target.last_mut() {
            Some(para) if last == Some((role, p)) => {
                para.push(' ');
                para.push_str(&sentence);
            }
            _ => target.push(sentence),
        }
        last = Some((role, p));
    }
    out
}

/// A role for each sentence, in order.
pub fn assign<S: AsRef<str>>(sentences: &[S]) -> Vec<SectionKind> {
    let n = sentences.len();
    let scores: Vec<[f64; 3]> = sentences
        .iter()
        .enumerate()
        .map(|(i, s)| score(&Cues::of(s.as_ref()), i, n))
        .collect();
    decode(&scores)
}

// --- Cues -------------------------------------------------------------------------------

/// Future reference and planning: strong cues.
const NEXT_STRONG: &[&str] = &[
    "will",
    "shall",
    "is expected to",
    "are expected to",
    "is due to",
    "are due to",
    "plans to",
    "plan to",
    "intends to",
    "is set to",
    "are set to",
    "is scheduled",
    "are scheduled",
    "scheduled to",
    "scheduled for",
    "is to",
    "are to",
    "going to",
    "next week",
    "next month",
    "next year",
    "next weekend",
    "in the coming",
    "coming weeks",
    "coming days",
    "coming months",
    "later this",
    "yet to",
    "not yet",
    "has not been set",
    "have not been set",
    "not been scheduled",
    "too early to",
    "hopes to",
    "aims to",
    "must now",
    "must still",
    "still need",
    "still needs",
    "will be able",
    "is considering",
    "are considering",
    "is consulting",
    "is reviewing",
    "are reviewing",
    "awaiting",
];

/// Future reference, conditions and open questions: weak cues.
const NEXT_WEAK: &[&str] = &[
    "would",
    "expects",
    "expect",
    "expected",
    "planned",
    "plans",
    "should",
    "whether",
    "starting",
    "by the end of",
    "within",
    "until",
    "tomorrow",
    "soon",
    "ahead",
    "upcoming",
    "this summer",
    "this spring",
    "this autumn",
    "this winter",
    "this week",
    "this month",
    "this fall",
    "could change",
    "ruled out",
    "must",
    "can",
    "due",
    "deadline",
    "from",
    "unless",
    "if",
];

/// Significance, consequence and context: strong cues.
const IMPORTANCE_STRONG: &[&str] = &[
    "means",
    "mean that",
    "meaning that",
    "as a result",
    "is the first",
    "be the first",
    "become the first",
    "is the largest",
    "is the only",
    "is one of",
    "one of the",
    "the first time",
    "is the second",
    "is the third",
    "accounts for",
    "account for",
    "make up",
    "makes up",
    "rely on",
    "relies on",
    "depend on",
    "depends on",
    "at risk",
    "suggests",
    "shows",
    "showed that",
    "sign of",
    "test of",
    "linked to",
    "so",
];

/// Significance, consequence, scale and context: weak cues.
const IMPORTANCE_WEAK: &[&str] = &[
    "because",
    "could",
    "signals",
    "marks",
    "affect",
    "affects",
    "affected",
    "risk",
    "threat",
    "hit",
    "hurt",
    "hurts",
    "harm",
    "cost",
    "costs",
    "pressure",
    "blow",
    "boost",
    "concern",
    "concerns",
    "worry",
    "worries",
    "fear",
    "fears",
    "warn",
    "warns",
    "largest",
    "biggest",
    "highest",
    "lowest",
    "worst",
    "most",
    "only",
    "since",
    "ago",
    "decades",
    "years",
    "vulnerable",
    "critics",
    "advocates",
    "experts",
    "analysts",
    "economists",
    "say",
    "argue",
    "households",
    "making",
    "leaving",
    "among",
    "first",
    "percent",
    "%",
    "about",
    "roughly",
    "around",
    "typical",
    "average",
    "each",
    "every",
    "per",
    "a year",
    "a day",
    "remarkable",
    "significant",
    "major",
    "key",
];

/// Superlatives that, with a future or conditional "be", state a significance.
const SUPERLATIVES: &[&str] = &[
    "largest", "first", "only", "biggest", "smallest", "highest", "lowest", "most", "worst",
];

/// Future or conditional "be"/"become" (with a superlative: "would become the first").
const WOULD_BE: &[&str] = &[
    "will be",
    "would be",
    "would become",
    "would join",
    "will become",
];

/// Irregular past-tense verbs common in news copy.
const IRREGULAR_PAST: &[&str] = &[
    "arose",
    "ate",
    "became",
    "began",
    "bought",
    "broke",
    "brought",
    "built",
    "came",
    "caught",
    "chose",
    "did",
    "drew",
    "drove",
    "felt",
    "fell",
    "flew",
    "fought",
    "forgot",
    "found",
    "gave",
    "got",
    "grew",
    "had",
    "heard",
    "held",
    "hid",
    "hung",
    "kept",
    "knew",
    "laid",
    "lay",
    "led",
    "left",
    "lost",
    "made",
    "meant",
    "met",
    "overtook",
    "paid",
    "rang",
    "ran",
    "rose",
    "said",
    "sang",
    "sank",
    "saw",
    "sent",
    "shook",
    "shot",
    "shut",
    "slept",
    "slid",
    "sold",
    "sought",
    "spent",
    "spoke",
    "spread",
    "spun",
    "split",
    "stole",
    "stood",
    "struck",
    "stuck",
    "stung",
    "swept",
    "swung",
    "taught",
    "thought",
    "threw",
    "told",
    "took",
    "tore",
    "undertook",
    "upheld",
    "was",
    "were",
    "withdrew",
    "woke",
    "won",
    "wore",
    "wrote",
];

/// Words ending in "-ed" that are not past tenses.
const NOT_PAST: &[&str] = &[
    "bred", "breed", "embed", "exceed", "hundred", "indeed", "naked", "need", "proceed", "sacred",
    "shared", "speed", "succeed", "wicked",
];

/// Relative pronouns: a past tense right after one is in a clause about something else.
const RELATIVES: &[&str] = &["which", "who", "that", "whose", "where", "when"];

/// Words before a date that point it forward ("by March", "until Friday", "starting May 3").
const FORWARD: &[&str] = &[
    "by", "until", "till", "before", "from", "starting", "next", "through",
];

/// Seasons, which date a sentence as months do.
const SEASONS: &[&str] = &["spring", "summer", "autumn", "fall", "winter"];

const FIRST_PERSON: &[&str] = &["i", "we", "my", "our", "me", "us"];

/// A cue list ready for matching: each phrase split into words once, and indexed by its
/// first word, so a sentence is matched in one pass over its words instead of one pass per
/// phrase.
#[derive(Debug)]
struct Phrases {
    /// First word → (index in the list, the phrase's words).
    by_first: HashMap<&'static str, Vec<(u32, Vec<&'static str>)>>,
}

impl Phrases {
    fn new(list: &'static [&'static str]) -> Phrases {
        // Distinct phrases found are counted in a 128-bit set.
        assert!(list.len() <= 128, "a cue list holds at most 128 phrases");
        let mut by_first: HashMap<&'static str, Vec<(u32, Vec<&'static str>)>> = HashMap::new();
        for (i, phrase) in list.iter().enumerate() {
            let words: Vec<&'static str> = phrase.split(' ').collect();
            by_first
                .entry(words[0])
                .or_default()
                .push((i as u32, words));
        }
        Phrases { by_first }
    }

    /// The set of phrases (by index) that occur in `w`.
    fn found(&self, w: &[&str]) -> u128 {
        let mut found = 0u128;
        for (i, word) in w.iter().enumerate() {
            if let Some(candidates) = self.by_first.get(word) {
                for (index, phrase) in candidates {
                    if w[i..].starts_with(phrase) {
                        found |= 1 << index;
                    }
                }
            }
        }
        found
    }

    /// How many of the phrases occur (each counted once).
    fn count(&self, w: &[&str]) -> f64 {
        f64::from(self.found(w).count_ones())
    }

    /// Whether any of the phrases occurs.
    fn any(&self, w: &[&str]) -> bool {
        self.found(w) != 0
    }
}

/// Every cue list, prepared once per process.
struct Tables {
    next_strong: Phrases,
    next_weak: Phrases,
    importance_strong: Phrases,
    importance_weak: Phrases,
    superlatives: Phrases,
    would_be: Phrases,
    anchors: Phrases,
    irregular_past: HashSet<&'static str>,
    not_past: HashSet<&'static str>,
}

/// Words that anchor a sentence in the recent past.
const ANCHORS: &[&str] = &["overnight", "yesterday", "last night"];

static TABLES: LazyLock<Tables> = LazyLock::new(|| Tables {
    next_strong: Phrases::new(NEXT_STRONG),
    next_weak: Phrases::new(NEXT_WEAK),
    importance_strong: Phrases::new(IMPORTANCE_STRONG),
    importance_weak: Phrases::new(IMPORTANCE_WEAK),
    superlatives: Phrases::new(SUPERLATIVES),
    would_be: Phrases::new(WOULD_BE),
    anchors: Phrases::new(ANCHORS),
    irregular_past: IRREGULAR_PAST.iter().copied().collect(),
    not_past: NOT_PAST.iter().copied().collect(),
});

/// What one sentence shows.
#[derive(Debug, Default, Clone, PartialEq)]
struct Cues {
    next_strong: f64,
    next_weak: f64,
    importance_strong: f64,
    importance_weak: f64,
    /// A past-tense verb early in the sentence and not in a relative clause.
    past: bool,
    /// "had": the pluperfect of background.
    had: bool,
    /// A day of the week (not pointed forward), "overnight", "yesterday", "last night".
    anchored: bool,
    /// "is/are/has/have" among the first words.
    present: bool,
    /// Part of the sentence is quoted.
    quote: bool,
    /// The quotation speaks in the first person (a reaction).
    quote_first_person: bool,
    /// A date pointed forward ("by March", "until Friday").
    forward_date: bool,
    /// A superlative with "will be", "would become"...
    superlative_future: bool,
}

impl Cues {
    fn of(sentence: &str) -> Cues {
        let t = &*TABLES;
        let (outside, inside) = split_quotes(&normalize(sentence));
        let ws = words(&outside);
        let quoted = words(&inside);
        let w: Vec<&str> = ws.iter().map(String::as_str).collect();

        let past = w.iter().enumerate().any(|(i, word)| {
            i < 15
                && is_past(word)
                && !w[i.saturating_sub(3)..i]
                    .iter()
                    .any(|p| RELATIVES.contains(p))
        });
        let mut forward_date = false;
        let mut weekday_event = false;
        for (i, word) in w.iter().enumerate() {
            let is_may_date = *word == "may"
                && (w
                    .get(i + 1)
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
                    || i.checked_sub(1).is_some_and(|j| {
                        FORWARD.contains(&w[j])
                            || ["in", "on", "mid", "early", "late"].contains(&w[j])
                    }));
            let weekday = crate::text::WEEKDAYS.contains(word);
            if !(weekday || is_may_date || is_month_or_season(word)) {
                continue;
            }
            if w[i.saturating_sub(2)..i]
                .iter()
                .any(|p| FORWARD.contains(p))
            {
                forward_date = true;
            } else if weekday {
                weekday_event = true;
            }
        }
        let anchored = weekday_event || t.anchors.any(&w);
        Cues {
            next_strong: t.next_strong.count(&w),
            next_weak: t.next_weak.count(&w),
            importance_strong: t.importance_strong.count(&w),
            importance_weak: t.importance_weak.count(&w),
            past,
            had: w.contains(&"had"),
            anchored,
            present: w
                .iter()
                .take(12)
                .any(|x| matches!(*x, "is" | "are" | "has" | "have")),
            quote: !inside.trim().is_empty(),
            quote_first_person: quoted.iter().any(|q| FIRST_PERSON.contains(&q.as_str())),
            forward_date,
            superlative_future: t.superlatives.any(&w) && t.would_be.any(&w),
        }
    }
}

/// Lowercases, straightens quotes and apostrophes, spells out "won't" and "can't".
fn normalize(sentence: &str) -> String {
    let s = sentence
        .to_lowercase()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"");
    s.replace("won't", "will not").replace("can't", "can not")
}

/// (text outside quotation marks, text inside them).
fn split_quotes(s: &str) -> (String, String) {
    let (mut outside, mut inside) = (String::new(), String::new());
    let mut quoted = false;
    for c in s.chars() {
        if c == '"' {
            quoted = !quoted;
            outside.push(' ');
            inside.push(' ');
        } else if quoted {
            inside.push(c);
        } else {
            outside.push(c);
        }
    }
    (outside, inside)
}

/// Words of lowercase ASCII letters, digits, `%`, `$` and apostrophes.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| {
        !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '%' | '$' | '\''))
    })
    .filter(|w| !w.is_empty())
    .map(str::to_owned)
    .collect()
}

fn is_past(word: &str) -> bool {
    let t = &*TABLES;
    t.irregular_past.contains(word)
        || (word.ends_with("ed") && word.len() > 4 && !t.not_past.contains(word))
}

// --- Scores and the best sequence -------------------------------------------------------

/// Cue weights, set by hand on articles 01–26 of `eval/articles/` (see the module doc).
mod weight {
    pub const NEXT_STRONG: f64 = 2.0;
    pub const NEXT_WEAK: f64 = 0.7;
    pub const FORWARD_DATE: f64 = 1.5;
    pub const QUOTE_NOT_NEXT: f64 = -1.0;
    pub const IMPORTANCE_STRONG: f64 = 1.5;
    pub const IMPORTANCE_WEAK: f64 = 0.4;
    pub const HAD: f64 = 0.5;
    pub const PRESENT: f64 = 0.7;
    pub const SUPERLATIVE_FUTURE: f64 = 2.0;
    pub const PAST: f64 = 1.0;
    pub const ANCHORED: f64 = 1.5;
    pub const QUOTE: f64 = 0.5;
    pub const QUOTE_FIRST_PERSON: f64 = 0.5;
    /// Importance needs fewer cues than the others: context is stated plainly.
    pub const IMPORTANCE_BASE: f64 = 0.5;
    /// Position priors: happening early, importance in the middle, next late.
    pub const HAPPENING_EARLY: f64 = 1.0;
    pub const IMPORTANCE_MIDDLE: f64 = 0.5;
    pub const NEXT_LATE: f64 = 1.0;
    /// The first sentence is the lead: the event itself.
    pub const LEAD: f64 = 3.0;
    /// Cost of a text that does not open with the event.
    pub const NOT_OPENING: f64 = 3.0;
    /// Costs of a change of section: one step forward, two forward, any step back.
    pub const FORWARD: f64 = 0.3;
    pub const SKIP: f64 = 1.0;
    pub const BACK: f64 = 1.5;
}

/// Scores of sentence `i` of `n` for happening, importance and next.
fn score(c: &Cues, i: usize, n: usize) -> [f64; 3] {
    let p = if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        0.0
    };
    let f = |b: bool| if b { 1.0 } else { 0.0 };
    let happening = weight::PAST * f(c.past)
        + weight::ANCHORED * f(c.anchored)
        + weight::QUOTE * f(c.quote)
        + weight::QUOTE_FIRST_PERSON * f(c.quote_first_person)
        + weight::HAPPENING_EARLY * (1.0 - p)
        + if i == 0 { weight::LEAD } else { 0.0 };
    let importance = weight::IMPORTANCE_STRONG * c.importance_strong
        + weight::IMPORTANCE_WEAK * c.importance_weak
        + weight::HAD * f(c.had)
        + weight::PRESENT * f(c.present)
        + weight::SUPERLATIVE_FUTURE * f(c.superlative_future)
        + weight::IMPORTANCE_BASE
        + weight::IMPORTANCE_MIDDLE * (1.0 - (2.0 * p - 1.0).abs());
    let next = weight::NEXT_STRONG * c.next_strong
        + weight::NEXT_WEAK * c.next_weak
        + weight::FORWARD_DATE * f(c.forward_date)
        + weight::QUOTE_NOT_NEXT * f(c.quote)
        + weight::NEXT_LATE * p;
    [happening, importance, next]
}

/// Cost of going from section `from` to section `to` (indices in [`SectionKind::ALL`]).
fn transition(from: usize, to: usize) -> f64 {
    match to as isize - from as isize {
        0 => 0.0,
        1 => weight::FORWARD,
        2 => weight::SKIP,
        _ => weight::BACK,
    }
}

/// The sequence of roles with the highest total score minus transition costs (Viterbi).
fn decode(scores: &[[f64; 3]]) -> Vec<SectionKind> {
    let Some(first) = scores.first() else {
        return Vec::new();
    };
    let mut total = [
        first[0],
        first[1] - weight::NOT_OPENING,
        first[2] - weight::NOT_OPENING,
    ];
    let mut back: Vec<[usize; 3]> = Vec::with_capacity(scores.len());
    for s in &scores[1..] {
        let mut next_total = [0.0; 3];
        let mut from = [0; 3];
        for to in 0..3 {
            let mut best = (f64::NEG_INFINITY, 0);
            for (q, t) in total.iter().enumerate() {
                let v = t - transition(q, to) + s[to];
                if v > best.0 {
                    best = (v, q);
                }
            }
            next_total[to] = best.0;
            from[to] = best.1;
        }
        total = next_total;
        back.push(from);
    }
    let mut state = (0..3).fold(0, |b, r| if total[r] > total[b] { r } else { b });
    let mut path = vec![state];
    for from in back.iter().rev() {
        state = from[state];
        path.push(state);
    }
    path.reverse();
    path.into_iter().map(|r| SectionKind::ALL[r]).collect()
}

/// A month (without "may", a modal verb as often as a month) or a season.
fn is_month_or_season(word: &str) -> bool {
    (word != "may" && crate::text::MONTHS.contains(&word)) || SEASONS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SectionKind::*;

    fn cues(s: &str) -> Cues {
        Cues::of(s)
    }

    #[test]
    fn modality_and_forward_dates_are_next_cues() {
        let c = cues("The council will vote on the plan by March 3, and talks are expected to resume next week.");
        assert!(c.next_strong >= 3.0, "{c:?}");
        assert!(c.forward_date);
        let c = cues("It has not yet decided whether to appeal.");
        assert!(c.next_strong >= 1.0 && c.next_weak >= 1.0, "{c:?}");
        // A day of the week after "by" points forward; after "on" it anchors the event.
        assert!(cues("Power should be back by Friday.").forward_date);
        let c = cues("The board voted on Friday.");
        assert!(c.anchored && !c.forward_date && c.past, "{c:?}");
        // "May" is a month only where a date is meant.
        assert!(cues("The vote is due by May 15.").forward_date);
        assert!(!cues("Prices may rise.").forward_date);
        // "won't" is "will not".
        assert!(cues("The mill won't reopen.").next_strong >= 1.0);
    }

    #[test]
    fn significance_consequence_and_background_are_importance_cues() {
        let c =
            cues("The ruling means thousands of households are at risk, so the stakes are high.");
        assert!(c.importance_strong >= 3.0, "{c:?}");
        let c = cues("It would become the largest port in the region.");
        assert!(c.superlative_future, "{c:?}");
        assert!(cues("The plant had struggled for years.").had);
        assert!(cues("Measles is one of the most contagious diseases.").present);
    }

    #[test]
    fn tense_quotes_and_relative_clauses() {
        assert!(cues("Firefighters contained the blaze overnight.").past);
        // A past tense inside a relative clause is not the sentence's own tense.
        assert!(!cues("Rents are high in towns that adopted the rules.").past);
        // Words inside quotation marks are not cues, but mark a quote.
        let c = cues("\u{201c}We will rebuild,\u{201d} the mayor said.");
        assert!(
            c.quote && c.quote_first_person && c.next_strong == 0.0,
            "{c:?}"
        );
        assert!(!is_past("hundred") && is_past("voted") && is_past("told"));
    }

    #[test]
    fn a_wire_story_falls_into_its_three_sections_in_order() {
        let text = "The city council voted 7-2 on Tuesday to ban cars from the market square.\n\n\
            Traders packed the chamber, and several shouted at councillors after the vote.\n\n\
            The square is the busiest public space in the town, and about 4,000 people cross it \
            on a typical day. The ban means delivery vans must unload before 8 a.m.\n\n\
            The ban takes effect on June 1. The council will review it next year.";
        let a = assign_text(text);
        assert_eq!(
            a.happening,
            vec![
                "The city council voted 7-2 on Tuesday to ban cars from the market square.",
                "Traders packed the chamber, and several shouted at councillors after the vote."
            ]
        );
        assert_eq!(
            a.importance,
            vec!["The square is the busiest public space in the town, and about 4,000 people cross it on a typical day. The ban means delivery vans must unload before 8 a.m."]
        );
        assert_eq!(
            a.next,
            vec!["The ban takes effect on June 1. The council will review it next year."]
        );
    }

    #[test]
    fn a_strong_cue_breaks_the_usual_order_and_the_lead_is_the_event() {
        let roles = assign(&[
            "Officials will hold a briefing on Monday.",
            "A landslide blocked the mountain road on Sunday.",
            "Crews cleared one lane by evening.",
            "Engineers will inspect the slope next week.",
            "The road is the only route to three villages, so the closure cuts them off.",
        ]);
        assert_eq!(roles[0], Happening, "the lead opens with the event");
        assert_eq!(roles[1], Happening);
        assert_eq!(roles[3], Next);
        assert_eq!(roles[4], Importance, "significance after the outlook");
        assert!(assign::<&str>(&[]).is_empty());
        assert_eq!(assign(&["One sentence."]), vec![Happening]);
    }

    #[test]
    fn the_prepared_tables_match_phrases_as_plain_word_windows_do() {
        // The naive reading of a cue list: a phrase occurs if its words appear in a row.
        fn naive(w: &[&str], phrases: &[&str]) -> u32 {
            phrases
                .iter()
                .filter(|p| {
                    let p: Vec<&str> = p.split(' ').collect();
                    w.windows(p.len()).any(|win| win == p.as_slice())
                })
                .count() as u32
        }
        let lists: [(&Phrases, &[&str]); 6] = [
            (&TABLES.next_strong, NEXT_STRONG),
            (&TABLES.next_weak, NEXT_WEAK),
            (&TABLES.importance_strong, IMPORTANCE_STRONG),
            (&TABLES.importance_weak, IMPORTANCE_WEAK),
            (&TABLES.superlatives, SUPERLATIVES),
            (&TABLES.would_be, WOULD_BE),
        ];
        // Every phrase of every list, alone, twice, and inside others' words.
        for (table, list) in lists {
            for phrase in list {
                let text = format!("the council {phrase} and then {phrase} {} it", list[0]);
                let w: Vec<&str> = text.split(' ').collect();
                assert_eq!(table.found(&w).count_ones(), naive(&w, list), "{text}");
                assert!(table.any(&w));
            }
            let none = ["a", "quiet", "day"];
            assert_eq!(table.count(&none), f64::from(naive(&none, list)));
        }
        // A phrase cut off by the end of the sentence does not count.
        assert_eq!(TABLES.next_strong.count(&["it", "is", "expected"]), 0.0);
    }

    #[test]
    fn apply_marks_the_brief() {
        let mut brief = crate::brief::parse::parse(
            "What's Happening?\nx.\n",
            "b",
            &crate::brief::ParseOptions::default(),
        )
        .unwrap();
        assign_text("A storm hit the coast on Monday.\n\nRepairs will start next week.")
            .apply(&mut brief);
        assert!(brief.auto_sections);
        assert_eq!(brief.happening.unwrap().heading, "What's Happening?");
        assert_eq!(
            brief.next.unwrap().paragraphs,
            vec!["Repairs will start next week."]
        );
        assert!(brief.importance.is_none());
    }
}
