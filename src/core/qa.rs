//! Question answering over the library, as `/ask` does it, platform-neutral:
//!
//! 1. **What the question is about**: its content words, without stop words and without the
//!    words that only say what kind of answer is wanted ([`QUESTION_WORDS`]: "why", "next",
//!    "matter", "happen", "will"…), so "what's next for the Lakers?" is about "lakers" only.
//! 2. **Which brief**: BM25 over those words picks it; then a **relevance floor** — the share
//!    of the question's content, weighted by rarity (BM25's idf, a word no brief has weighing
//!    most), that the brief contains — refuses questions no brief covers ([`FLOOR`]). Words
//!    are compared by their Snowball stem here, so "recalling" finds "recall".
//! 3. **Which section**: what is asked (cue phrases, [`cues`]: cause questions "why did X
//!    happen" → happening; "why does it matter", "who is affected" → importance; "how long
//!    until", "timeline", "when will" → next) *and* where the question's content words
//!    appear: each sentence of each section is scored by the question words it has, weighted
//!    by how few of the brief's sentences have them.
//! 4. **Which sentences**: the best-matching sentence of that section, with the sentence it
//!    leans on when it opens with a connective or a pronoun, or else one more sentence that
//!    also matches or elaborates it; in original order.
//!
//! Work is bounded: only the start of each section is read
//! ([`crate::summarize::lead_sentences`]), so a hostile brief costs what a normal one does.

use crate::brief::{Brief, Library, SectionKind};
use crate::summarize::{lead_sentences, rank::leans_on_previous};
use crate::text;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::{Arc, LazyLock};

/// Snowball's English stemmer (Porter 2), shared.
static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Share of the question's weighted content a brief must contain to answer it.
pub const FLOOR: f64 = 0.4;

/// A runner-up brief whose BM25 score is at least this share of the best one is "close".
const CLOSE: f32 = 0.8;

/// How much a question word that is also in the brief's title counts toward choosing a
/// sentence (it names the subject, which most sentences share).
const SUBJECT_SHARE: f64 = 0.3;

/// Bonus of a sentence holding the kind of answer asked for (see [`AnswerType`]), against the
/// share of the question matched (0..=1).
const TYPE_BONUS: f64 = 0.4;

/// Weight of a phrase that clearly asks for a section, and of a word that leans toward one,
/// against the sentence match (which lies in 0..=1). Tuned on half A of the evaluation set
/// (`briefbot eval`), checked on half B.
const STRONG: f64 = 1.0;
const WEAK: f64 = 0.25;

/// Prior of a section's i-th sentence, `POSITION / (i + 1)`: a section's first sentences
/// carry its main facts.
const POSITION: f64 = 0.2;

/// Words that say what kind of answer is wanted, not what it is about (lowercase, sorted):
/// interrogatives, auxiliaries, and the section cues. They never count toward relevance.
pub const QUESTION_WORDS: &[&str] = &[
    "actually",
    "affect",
    "affected",
    "affecting",
    "affects",
    "ahead",
    "anybody",
    "anymore",
    "anyone",
    "anything",
    "aren",
    "big",
    "can",
    "care",
    "could",
    "details",
    "didn",
    "doesn",
    "don",
    "else",
    "ever",
    "expect",
    "expected",
    "future",
    "get",
    "gets",
    "getting",
    "going",
    "got",
    "happen",
    "happened",
    "happening",
    "happens",
    "hasn",
    "haven",
    "hurt",
    "hurts",
    "impact",
    "impacts",
    "implication",
    "implications",
    "importance",
    "important",
    "isn",
    "know",
    "latest",
    "let",
    "like",
    "long",
    "lose",
    "loses",
    "lot",
    "many",
    "matter",
    "mattered",
    "matters",
    "mean",
    "means",
    "meant",
    "much",
    "need",
    "news",
    "next",
    "really",
    "say",
    "says",
    "should",
    "significance",
    "significant",
    "soon",
    "stake",
    "stakes",
    "still",
    "story",
    "tell",
    "thing",
    "things",
    "think",
    "timeline",
    "upcoming",
    "wasn",
    "watch",
    "way",
    "weren",
    "whats",
    "whose",
    "won",
    "wouldn",
];

/// Whether a (lowercase) question word only says what kind of answer is wanted.
pub fn is_question_word(word: &str) -> bool {
    QUESTION_WORDS.binary_search(&word).is_ok()
}

/// The Snowball stem of a lowercase word.
pub fn stem(word: &str) -> String {
    STEMMER.stem(word).into_owned()
}

/// One content word of a question.
#[derive(Debug, Clone)]
struct Term {
    /// As the search index holds it (lowercase, plural folded).
    fold: String,
    /// Its stem, for matching the chosen brief's sentences.
    stem: String,
    /// Its rarity across the library.
    idf: f64,
}

/// The content words of a question (distinct), weighted by rarity in `library`.
fn terms(question: &str, library: &Library) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::new();
    for w in text::words(question) {
        // Numbers say little about the subject ("1.21", "2026").
        if text::is_stop_word(&w) || is_question_word(&w) || w.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let fold = text::fold(&w).to_owned();
        if out.iter().any(|t| t.fold == fold) {
            continue;
        }
        out.push(Term {
            stem: stem(&w),
            idf: f64::from(library.idf(&fold)),
            fold,
        });
    }
    out
}

/// The stems of a text's content words, sorted and distinct.
fn stems(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text::words(text)
        .filter(|w| !text::is_stop_word(w))
        .map(|w| stem(&w))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What `/ask` found.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The question names nothing to look for ("why?").
    NoSubject,
    /// No brief covers what the question is about.
    NotCovered,
    /// The answer.
    Answer(Answer),
}

/// An answer: the brief, the section and the sentences that answer the question.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The brief answering.
    pub brief: Arc<Brief>,
    /// Its section that answers.
    pub section: SectionKind,
    /// The sentences shown, in original order (1 or 2).
    pub sentences: Vec<String>,
    /// The section the question's wording asks for, when the brief does not cover it.
    pub missing: Option<SectionKind>,
    /// Another brief that matches the question almost as well.
    pub runner_up: Option<Arc<Brief>>,
}

/// A brief read for answering: title and topic stems, and each covered section's first
/// sentences with their stems.
struct Read {
    head: Vec<String>,
    title: Vec<String>,
    sections: Vec<(SectionKind, Vec<String>, Vec<Vec<String>>)>,
}

impl Read {
    fn new(brief: &Brief) -> Read {
        let title = stems(&brief.title);
        let mut head = title.clone();
        for t in &brief.topics {
            head.extend(stems(t));
        }
        head.sort_unstable();
        head.dedup();
        let sections = brief
            .sections()
            .map(|(kind, s)| {
                let sentences = lead_sentences(&s.paragraphs);
                let stems = sentences.iter().map(|x| stems(x)).collect();
                (kind, sentences, stems)
            })
            .collect();
        Read {
            head,
            title,
            sections,
        }
    }

    /// Whether the brief has this stem anywhere read.
    fn has(&self, stem: &str) -> bool {
        self.head.binary_search_by(|h| h.as_str().cmp(stem)).is_ok()
            || self.sections.iter().any(|(_, _, st)| {
                st.iter()
                    .any(|s| s.binary_search_by(|h| h.as_str().cmp(stem)).is_ok())
            })
    }

    /// Share of the question's weighted content this brief has. A word found in the title
    /// or topics (the brief's subject) counts twice, in the share and in the whole.
    /// Whether this brief is about the question: it holds at least [`FLOOR`] of the
    /// question's weighted content, and either names one of its words in its title or topics
    /// or holds twice the floor (two common words met only in the text — "which *side* of
    /// tinfoil do you *use*" — do not make a brief about the question).
    fn covers(&self, terms: &[Term]) -> bool {
        let c = self.coverage(terms);
        let named = terms.iter().any(|t| {
            self.head
                .binary_search_by(|h| h.as_str().cmp(&t.stem))
                .is_ok()
        });
        c >= FLOOR && (named || c >= 2.0 * FLOOR)
    }

    fn coverage(&self, terms: &[Term]) -> f64 {
        let mut total = 0.0;
        let mut found = 0.0;
        for t in terms {
            let in_head = self
                .head
                .binary_search_by(|h| h.as_str().cmp(&t.stem))
                .is_ok();
            let w = if in_head { 2.0 * t.idf } else { t.idf };
            total += w;
            if in_head || self.has(&t.stem) {
                found += w;
            }
        }
        if total <= 0.0 {
            0.0
        } else {
            found / total
        }
    }
}

/// Answers `question` from `library`.
pub fn answer(library: &Library, question: &str) -> Outcome {
    let terms = terms(question, library);
    if terms.is_empty() {
        return Outcome::NoSubject;
    }
    let query: Vec<&str> = terms.iter().map(|t| t.fold.as_str()).collect();
    let hits = library.search_top(&query.join(" "), 2);
    let Some(&(best, best_score)) = hits.first() else {
        return Outcome::NotCovered;
    };
    let read = Read::new(best);
    if !read.covers(&terms) {
        return Outcome::NotCovered;
    }
    let runner_up = hits
        .get(1)
        .filter(|(b, s)| *s >= CLOSE * best_score && Read::new(b).covers(&terms))
        .map(|(b, _)| (*b).clone());
    let cue = cues(question);
    let (section, sentences) = choose(&read, question, &terms, &cue);
    let wanted = SectionKind::ALL
        .into_iter()
        .zip(cue)
        .filter(|&(_, c)| c >= STRONG)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k);
    Outcome::Answer(Answer {
        brief: best.clone(),
        section,
        sentences,
        missing: wanted.filter(|&k| k != section && best.section(k).is_none()),
        runner_up,
    })
}

/// The section and the sentences that answer best: cue + the best sentence's score there
/// (see [`sentence_scores`]).
fn choose(
    read: &Read,
    question: &str,
    terms: &[Term],
    cue: &[f64; 3],
) -> (SectionKind, Vec<String>) {
    let scores = sentence_scores(read, question, terms);
    let mut best: Option<(usize, f64)> = None;
    for (i, ((kind, _, _), m)) in read.sections.iter().zip(&scores).enumerate() {
        let top = m.iter().copied().fold(0.0, f64::max);
        let c = cue[SectionKind::ALL.iter().position(|k| k == kind).unwrap_or(0)];
        if best.is_none_or(|(_, b)| c + top > b + 1e-9) {
            best = Some((i, c + top));
        }
    }
    let Some((i, _)) = best else {
        return (SectionKind::Happening, Vec::new());
    };
    let (kind, sentences, _) = &read.sections[i];
    (*kind, pick(sentences, &scores[i]))
}

/// How well each sentence of each section answers: the share of the question's weight
/// among its words, plus [`TYPE_BONUS`] when it holds the kind of answer asked for (a time
/// for "when", a number for "how much", a cause for "why"). A word's weight is its rarity
/// among the brief's sentences, and a word of the brief's title counts [`SUBJECT_SHARE`] of
/// it: the subject picks the brief, the rest of the question picks the sentence.
fn sentence_scores(read: &Read, question: &str, terms: &[Term]) -> Vec<Vec<f64>> {
    let all: Vec<&Vec<String>> = read.sections.iter().flat_map(|(_, _, s)| s).collect();
    let n = all.len() as f64;
    let has =
        |stems: &Vec<String>, stem: &str| stems.binary_search_by(|h| h.as_str().cmp(stem)).is_ok();
    let subject: Vec<bool> = terms.iter().map(|t| has(&read.title, &t.stem)).collect();
    let local: Vec<f64> = terms
        .iter()
        .map(|t| {
            let df = all.iter().filter(|s| has(s, &t.stem)).count() as f64;
            if df == 0.0 {
                0.0
            } else {
                ((n + 1.0) / (df + 0.5)).ln()
            }
        })
        .collect();
    // A question naming only the subject ("why does the chip rule matter?") looks for
    // nothing in particular: the cue and the position decide.
    let aspect = local.iter().zip(&subject).any(|(&w, &s)| w > 0.0 && !s);
    let weight: Vec<f64> = local
        .iter()
        .zip(&subject)
        .map(|(&w, &s)| match (s, aspect) {
            (false, _) => w,
            (true, true) => w * SUBJECT_SHARE,
            (true, false) => 0.0,
        })
        .collect();
    let total: f64 = weight.iter().sum();
    let wanted = AnswerType::of(question);
    read.sections
        .iter()
        .map(|(_, sentences, stems)| {
            sentences
                .iter()
                .zip(stems)
                .map(|(sentence, st)| {
                    let matched: f64 = terms
                        .iter()
                        .zip(&weight)
                        .filter(|(t, _)| has(st, &t.stem))
                        .map(|(_, w)| w)
                        .sum();
                    let share = if total > 0.0 { matched / total } else { 0.0 };
                    let typed = wanted.is_some_and(|w| w.found_in(sentence));
                    share + if typed { TYPE_BONUS } else { 0.0 }
                })
                .enumerate()
                .map(|(i, x)| x + POSITION / (i as f64 + 1.0))
                .collect()
        })
        .collect()
}

/// What kind of answer a question asks for, when its wording says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AnswerType {
    /// "when", "how long", "timeline", "deadline": a date or a duration.
    Time,
    /// "how much", "how many", "how big": a number.
    Quantity,
    /// "why": a cause.
    Reason,
}

impl AnswerType {
    fn of(question: &str) -> Option<AnswerType> {
        let q = normalized(question);
        let has = |needles: &[&str]| needles.iter().any(|n| q.contains(&format!(" {n} ")));
        if has(&[
            "when",
            "how long",
            "how soon",
            "timeline",
            "deadline",
            "what date",
            "what time",
        ]) {
            Some(AnswerType::Time)
        } else if has(&[
            "how much",
            "how many",
            "how big",
            "how large",
            "how high",
            "how far",
            "cost",
            "costs",
            "price",
            "percent",
            "percentage",
        ]) {
            Some(AnswerType::Quantity)
        } else if has(&["why"]) && cues(question)[1] < STRONG {
            Some(AnswerType::Reason)
        } else {
            None
        }
    }

    /// Whether a sentence holds an answer of this type.
    fn found_in(self, sentence: &str) -> bool {
        let words: Vec<String> = text::words(sentence).collect();
        let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
        match self {
            AnswerType::Time => {
                any(TIME_WORDS)
                    || words.iter().any(|w| text::is_calendar_word(w))
                    || words.iter().any(|w| {
                        w.len() == 4
                            && (w.starts_with("19") || w.starts_with("20"))
                            && w.chars().all(|c| c.is_ascii_digit())
                    })
            }
            AnswerType::Quantity => {
                sentence.chars().any(|c| c.is_ascii_digit()) || any(NUMBER_WORDS)
            }
            AnswerType::Reason => any(REASON_WORDS),
        }
    }
}

/// Words that make a time expression, besides weekdays and months
/// ([`text::is_calendar_word`]).
const TIME_WORDS: &[&str] = &[
    "today", "tomorrow", "tonight", "weekend", "week", "weeks", "month", "months", "year", "years",
    "day", "days", "hours", "spring", "summer", "autumn", "winter", "quarter", "until", "deadline",
    "soon", "later",
];

/// Words that make a quantity (besides digits).
const NUMBER_WORDS: &[&str] = &[
    "half",
    "third",
    "quarter",
    "dozen",
    "dozens",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "percent",
    "doubled",
    "double",
    "twice",
    "triple",
];

/// Words that state a cause.
const REASON_WORDS: &[&str] = &[
    "because",
    "due",
    "after",
    "since",
    "citing",
    "cited",
    "cites",
    "blamed",
    "blames",
    "reason",
    "reasons",
    "caused",
    "amid",
    "following",
    "over",
    "said",
    "says",
    "response",
    "too",
    "so",
];

/// The 1–2 sentences to show, given each sentence's match: the best (the first on a tie;
/// the lead when nothing matches), with its antecedent if it leans on it; else with another
/// sentence that matches at least half as well, else the one elaborating it.
fn pick(sentences: &[String], m: &[f64]) -> Vec<String> {
    if sentences.is_empty() {
        return Vec::new();
    }
    let mut b = 0;
    for i in 1..m.len() {
        if m[i] > m[b] + 1e-9 {
            b = i;
        }
    }
    let leans = |i: usize| leans_on_previous(&sentences[i]);
    let mut shown = vec![b];
    if b > 0 && leans(b) {
        shown.push(b - 1);
    } else {
        let other = (0..sentences.len())
            .filter(|&j| j != b && m[j] > 0.0 && m[j] >= 0.5 * m[b])
            .filter(|&j| !leans(j) || j == b + 1)
            .max_by(|&x, &y| {
                m[x].total_cmp(&m[y])
                    .then(y.abs_diff(b).cmp(&x.abs_diff(b)))
                    .then(y.cmp(&x))
            });
        if let Some(j) = other {
            shown.push(j);
        } else if b + 1 < sentences.len() {
            shown.push(b + 1);
        } else if b > 0 && !leans(b - 1) {
            shown.push(b - 1);
        }
    }
    shown.sort_unstable();
    shown.into_iter().map(|i| sentences[i].clone()).collect()
}

/// A question lowercased, apostrophes dropped ("what's" → "whats"), other punctuation as
/// spaces, padded with a space on both sides, for phrase lookups.
fn normalized(question: &str) -> String {
    let words: Vec<String> = question
        .to_lowercase()
        .replace(['\u{2019}', '\''], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    format!(" {} ", words.join(" "))
}

/// How strongly the question's wording asks for each section ([`SectionKind::ALL`] order).
pub fn cues(question: &str) -> [f64; 3] {
    let q = normalized(question);
    let has = |needles: &[&str]| needles.iter().any(|n| q.contains(&format!(" {n} ")));
    let mut cue = [0.0f64; 3];
    let importance = has(&[
        "matter",
        "matters",
        "mean for",
        "means for",
        "implication",
        "implications",
        "affect",
        "affects",
        "affected",
        "impact",
        "impacts",
        "hurt",
        "hurts",
        "lose",
        "loses",
        "lose out",
        "stake",
        "stakes",
        "significance",
        "significant",
        "important",
        "importance",
        "big deal",
        "care",
        "consequences",
        "so what",
        "why should",
    ]) || (has(&["mean", "means"]) && has(&["what", "does", "could", "would"]));
    let next = has(&[
        "next",
        "how long until",
        "how long till",
        "how long before",
        "timeline",
        "deadline",
        "what to watch",
        "ahead",
        "upcoming",
        "again",
        "future",
        "expect",
        "expected",
        "soon",
        "when will",
        "when would",
        "when can",
        "when do",
        "when does",
        "when is",
        "when are",
    ]);
    let happening = has(&[
        "what happened",
        "whats happening",
        "what is happening",
        "whats going on",
        "what is going on",
        "latest",
        "details",
        "who won",
    ]);
    if importance {
        cue[1] += STRONG;
    }
    if next {
        cue[2] += STRONG;
    }
    if happening {
        cue[0] += STRONG;
    }
    // Leaning words: a cause question ("why did", "why is") asks what happened; "will",
    // "could", "still" lean toward what comes next; "now", "did", "was" toward the news.
    if !importance
        && has(&[
            "why did", "why is", "why are", "why was", "why were", "why has",
        ])
    {
        cue[0] += WEAK;
    }
    if has(&[
        "will", "could", "would", "still", "going to", "plan", "plans",
    ]) {
        cue[2] += WEAK;
    }
    if has(&["now", "did", "was", "were", "has", "have"]) {
        cue[0] += WEAK;
    }
    cue
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words_are_sorted_for_binary_search() {
        assert!(QUESTION_WORDS.windows(2).all(|w| w[0] < w[1]), "sorted");
        assert!(is_question_word("next") && !is_question_word("lakers"));
    }

    #[test]
    fn cues_tell_cause_from_importance_and_timing() {
        let top = |q: &str| {
            let c = cues(q);
            let i = (0..3)
                .max_by(|&a, &b| c[a].total_cmp(&c[b]).then(b.cmp(&a)))
                .unwrap();
            SectionKind::ALL[i]
        };
        assert_eq!(top("why did the plant close"), SectionKind::Happening);
        assert_eq!(top("why does the closure matter"), SectionKind::Importance);
        assert_eq!(
            top("who is affected by the closure?"),
            SectionKind::Importance
        );
        assert_eq!(top("how long until it reopens"), SectionKind::Next);
        assert_eq!(top("what's the timeline"), SectionKind::Next);
        assert_eq!(
            top("what's happening with the plant"),
            SectionKind::Happening
        );
    }

    fn library(texts: &[(&str, &str)]) -> Library {
        Library::from_briefs(texts.iter().map(|(id, t)| {
            crate::brief::parse::parse(t, id, &crate::brief::ParseOptions::default()).unwrap()
        }))
    }

    fn answered(outcome: Outcome) -> Answer {
        match outcome {
            Outcome::Answer(a) => a,
            other => panic!("not answered: {other:?}"),
        }
    }

    const FERRY: &str = "Harlow ferry strike halts crossings\n\nWhat's Happening?\nThe Harlow \
        ferry line cancelled every crossing on Friday after its deckhands walked out over \
        overtime pay. About 9,000 passengers a day use the route.\n\nWhy it matters\nThe \
        ferry is the only link to the island's hospital, so patients face long detours. \
        Island shops say deliveries have stopped.\n\nWhat's Next?\nA mediator meets both \
        sides on Monday. The union says the strike could last two weeks.\n";
    const FERRY2: &str = "Harlow ferry orders two electric boats\n\nWhat's Happening?\nThe \
        Harlow ferry line ordered two electric boats on Tuesday for delivery in 2028.\n\n\
        Why it matters\nThe boats cut the line's fuel bill by half.\n";
    const BAKERY: &str = "Bakery chain opens in Dunwell\n\nWhat's Happening?\nA bakery \
        chain opened its first shop in Dunwell on Saturday.\n";

    #[test]
    fn answers_from_the_section_that_holds_the_answer() {
        let lib = library(&[("ferry", FERRY), ("ferry2", FERRY2), ("bakery", BAKERY)]);
        // A cause question is answered by the news, with the sentence that states the cause.
        let a = answered(answer(
            &lib,
            "why is the harlow ferry cancelling crossings?",
        ));
        assert_eq!(
            (a.brief.id.as_str(), a.section),
            ("ferry", SectionKind::Happening)
        );
        assert!(
            a.sentences[0].contains("walked out over overtime pay"),
            "{a:?}"
        );
        // "Who is affected" asks for the importance.
        let a = answered(answer(&lib, "who is affected by the harlow ferry strike?"));
        assert_eq!(a.section, SectionKind::Importance, "{a:?}");
        assert!(a.sentences.len() <= 2);
        // "How long until" asks what comes next; the time is in the sentence shown.
        let a = answered(answer(&lib, "how long until the ferry strike ends?"));
        assert_eq!(a.section, SectionKind::Next, "{a:?}");
        assert!(a.sentences.iter().any(|s| s.contains("two weeks")), "{a:?}");
    }

    #[test]
    fn refuses_what_no_brief_covers_and_names_a_close_runner_up() {
        let lib = library(&[("ferry", FERRY), ("ferry2", FERRY2), ("bakery", BAKERY)]);
        for q in [
            "what's next for the lakers?",
            "why is the sky blue",
            "when does it happen next?",
        ] {
            assert!(
                matches!(answer(&lib, q), Outcome::NotCovered | Outcome::NoSubject),
                "{q}"
            );
        }
        assert!(matches!(answer(&lib, "why?"), Outcome::NoSubject));
        // Both ferry briefs are about the Harlow ferry line: the other one is named.
        let a = answered(answer(&lib, "what is going on with the harlow ferry line?"));
        let other = a.runner_up.expect("a close runner-up");
        assert_ne!(other.id, a.brief.id);
        assert!(other.id.starts_with("ferry"));
        // A question only one brief matches has none.
        let a = answered(answer(&lib, "what did the bakery chain open in dunwell?"));
        assert_eq!(a.brief.id, "bakery");
        assert!(a.runner_up.is_none());
    }

    #[test]
    fn stems_meet_across_inflections() {
        assert_eq!(stem("recalling"), stem("recall"));
        assert_eq!(stem("cancelled"), stem("cancel"));
    }
}
