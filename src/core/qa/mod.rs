//! Question answering over the library, as `/ask` does it, platform-neutral. One file per
//! step: [`lexicon`] (word and cue lists), [`kinds`] (what the question asks for), [`read`]
//! (which sentences answer it), [`lean`] (the section lean learned from labelled
//! questions), [`wording`] (general and how-to questions, pointing back); this file is the
//! pipeline:
//!
//! 1. **What the question is about**: its content words, without stop words and without the
//!    words that only say what kind of answer is wanted ([`lexicon::QUESTION_WORDS`]: "why",
//!    "next", "matter", "happen", "will"…), so "what's next for the Lakers?" is about
//!    "lakers" only.
//! 2. **Which brief**: BM25 over those words picks it; then a **relevance floor** — the share
//!    of the question's content, weighted by what each word says (BM25's idf over the
//!    library pooled with general English word frequencies, [`weight`]: a name no brief has
//!    weighs most, an everyday word less), that the brief contains — refuses questions no
//!    brief covers ([`FLOOR`]), as it does a question sharing one word with a brief when
//!    another of its words names something else ([`says_more`]: "why is the ocean *salty*")
//!    or all it shares is a kind of thing named with "a" ("what should i pack for *a
//!    cruise*": a general question, not one about the cruise in the news), or the question
//!    asks how things are in general ([`asks_how_things_are`]: "why do trains run late") or
//!    how to do something ([`asks_how_to`]: "how do i appeal a parking fine", "what's the
//!    best way to…", "what happens if you…"). Words
//!    are compared by their Snowball stem here, so "recalling" finds "recall". Times ("next
//!    *month*") are not content; a modifier the brief lacks ("how *badly*") weighs a quarter;
//!    a name the text writes counts as the title's words do ("the *Kerrith* families"); when
//!    the first brief does not cover the question, the second may. Of two close
//!    briefs (the runner-up within [`CLOSE`] of the best score), the one holding more of the
//!    question's words the other lacks (weighted by rarity) answers; the other is offered.
//! 3. **Which section**: what is asked ([`kinds::cues`]) *and* where the question's content
//!    words appear ([`read::sentence_scores`]): a section scores its cue and its best
//!    sentence's score, weighed as learned from labelled questions, plus what the question's
//!    wording and what that sentence holds say of the section ([`lean`]). "Why does X matter" goes to the importance outright (X is only the
//!    subject); a "why" question whose news states no cause leans to the importance, where
//!    the author put the context ([`kinds::asks_only_why_it_matters`], `cause_in_context`).
//!    With an optional model of meaning ([`Semantics`]: word vectors or a sentence encoder,
//!    [`answer_with`]) each sentence also meets the question by meaning
//!    ([`read::Meaning`]), an input of the lean learned with that model.
//! 4. **Which sentences**: the best-matching sentence of that section, with the sentence it
//!    leans on when it opens with a connective or a pronoun, or else one more sentence that
//!    also matches or elaborates it; in original order ([`read::pick`]).
//!
//! Work is bounded: only the start of each section is read
//! ([`crate::summarize::lead_sentences`]), so a hostile brief costs what a normal one does.

pub mod kinds;
pub mod lean;
pub mod lexicon;
pub mod read;
mod wording;

use crate::brief::{Brief, Library, SectionKind};
use crate::summarize::lead_sentences;
use crate::text;
use crate::text::encoder::SentenceEncoder;
use crate::text::vectors::WordVectors;
pub use kinds::cues;
pub use lexicon::{is_question_word, QUESTION_WORDS};
use read::SectionRead;
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::{Arc, LazyLock};
use wording::{asks_how_things_are, asks_how_to, points_back};

/// Snowball's English stemmer (Porter 2), shared.
static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Share of the question's weighted content a brief must contain to answer it.
pub const FLOOR: f64 = 0.4;

/// Weight ([`weight`]) from which a word found says something of its own: three such words
/// make a brief about the question though it lacks the most telling one.
const TELLING: f64 = 3.0;

/// Share of its weight a question word the brief lacks keeps when it only modifies.
const MODIFIER_SHARE: f64 = 0.25;

/// A runner-up brief whose BM25 score is at least this share of the best one is "close".
const CLOSE: f32 = 0.8;

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
    /// How much it says ([`weight`]): its rarity across the library and in English.
    weight: f64,
    /// The word as asked (lowercase).
    word: String,
    /// As sentences are read ([`read::key`]: base form, near-synonym group).
    key: String,
    /// Its place among the question's words.
    pos: usize,
    /// Whether it is one of the asker's people ("*my mom's* account",
    /// [`lexicon::is_askers_person`]): it says who asks, not what about.
    mine: bool,
    /// Whether it names a kind of thing ("what should i pack for *a cruise*"): a general
    /// question, not one about the cruise in the news.
    kind: bool,
    /// Whether it is in a condition ("what happens *if* dunholt get *relegated*"): supposed,
    /// so the brief need not state it.
    supposed: bool,
    /// Whether it follows "of" ("the price *of gold*"): it says which thing the word before
    /// means.
    after_of: bool,
}

/// Briefs of general English the library's counts are pooled with ([`weight`]).
const BACKGROUND: f64 = 1000.0;

/// About how many words of a brief's length fall on the most common word: with Zipf's law
/// (a word of rank r makes about 0.1/r of running text) and briefs of about 200 words, a
/// word of rank r is in a brief with probability 1 − e^(−20/r).
const ZIPF_BRIEF: f64 = 20.0;

/// How much a question's word says about what is asked: BM25's idf over the library pooled
/// with [`BACKGROUND`] briefs of general English, in which a word of English rank r is
/// expected in 1 − e^(−[`ZIPF_BRIEF`]/r) of them ([`text::english`]; a word not listed
/// ranks just past the list). A small library cannot tell an everyday word it lacks
/// ("*warning signs*") from a name it lacks ("the *Lakers*"); the pool can, and a library of
/// thousands of briefs outweighs it.
fn weight(library: &Library, fold: &str, word: &str) -> f64 {
    let rank = text::english::rank(word)
        .or_else(|| text::english::rank(fold))
        .unwrap_or(text::english::listed() + 1);
    let p = 1.0 - (-ZIPF_BRIEF / f64::from(rank)).exp();
    let df = f64::from(library.doc_freq(fold)) + BACKGROUND * p;
    let n = library.len() as f64 + BACKGROUND;
    f64::from(crate::brief::search::bm25_idf(n as f32, df as f32))
}

/// The content words of a question (distinct), weighted by what they say ([`weight`]).
fn terms(question: &str, library: &Library) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::new();
    let mut prev = String::new();
    let mut kind = false;
    let mut supposed = false;
    // A possessive's "s" ("mom's") is not a word of its own: "mom" stays next to "account".
    // Nor are a contraction's ends ("we*'ve*", "they*'ll*", "you*'re*").
    for (pos, w) in text::words(question)
        .filter(|w| !matches!(w.as_str(), "s" | "ve" | "ll" | "re"))
        .enumerate()
    {
        // Numbers and times say little about the subject ("1.21", "2026", "*eight* hours of
        // sleep", "next *month*"); "one" names things ("formula one", "one piece"); a time
        // that names a thing stays ("the four-day *week*", "*Saturday* delivery").
        let when = lexicon::is_time_asked(&prev, &w);
        let skip = text::is_stop_word(&w)
            || is_question_word(&w)
            || when
            || is_amount(&w)
            || (w != "one" && lexicon::NUMBER_WORDS.contains(&w.as_str()));
        let mine = lexicon::is_askers_person(&prev, &w);
        let after_of = prev == "of";
        // "what happens *if* dunholt get relegated": what follows is supposed, not news.
        supposed |= w == "if";
        // "for a cruise", "what does a data center do": a kind of thing, not the one in the
        // news. Not an object ("hire a new manager") nor what "there is" ("is there a launch
        // date"): those name one thing.
        kind = if matches!(w.as_str(), "a" | "an") {
            text::is_preposition(&prev) || lexicon::is_auxiliary(&prev)
        } else {
            kind && !skip
        };
        prev = w;
        if skip {
            continue;
        }
        let w = prev.clone();
        let fold = text::fold(&w).to_owned();
        if out.iter().any(|t| t.fold == fold) {
            continue;
        }
        out.push(Term {
            key: read::key(&w),
            stem: stem(&w),
            weight: weight(library, &fold, &w),
            fold,
            word: w,
            pos,
            mine,
            kind,
            supposed,
            after_of,
        });
    }
    out
}

/// Whether a word is a number, an amount or a time written with digits ("2026", "84m",
/// "3bn", "10pm", "21st"); not a name with digits ("3g", "covid19").
fn is_amount(word: &str) -> bool {
    let unit = word.trim_start_matches(|c: char| c.is_ascii_digit());
    unit.len() < word.len()
        && matches!(
            unit,
            "" | "m" | "bn" | "k" | "am" | "pm" | "st" | "nd" | "rd" | "th" | "s"
        )
}

/// The words of a question that choose the sentence: its content words and its cue words
/// ("lose", "cheaper"), distinct by [`read::key`].
fn reading_words(question: &str) -> Vec<read::Word> {
    let mut out: Vec<read::Word> = Vec::new();
    for w in read::words(question) {
        if text::is_stop_word(&w)
            || lexicon::is_empty_word(&w)
            || w.chars().all(|c| c.is_ascii_digit())
        {
            continue;
        }
        let key = read::key(&w);
        if out.iter().any(|x| x.key == key) {
            continue;
        }
        out.push(read::Word {
            key,
            cue: is_question_word(&w),
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
    /// Whether the question was taken as a follow-up on the brief the asker was last shown
    /// ([`answer_after`]): on its own it names nothing a brief covers.
    pub follow_up: bool,
}

/// A brief read for relevance: the stems of its title and topics, and of each covered
/// section's first sentences.
struct Relevance {
    head: Vec<String>,
    body: Vec<String>,
    /// Stems of the names the sections' first sentences write (capitalized words that do
    /// not open a sentence: "residents of *Kerrith*").
    names: Vec<String>,
    /// The [`read::key`]s of the title.
    title_keys: Vec<String>,
    /// The sections read (their first sentences and keys), kept for choosing the answer.
    sections: Vec<SectionRead>,
}

impl Relevance {
    /// Reads a brief once: its title and topics, and its sections' first sentences.
    fn read(brief: &Brief) -> Relevance {
        let (sections, mut body, mut names) = read_brief(brief);
        let mut head = stems(&brief.title);
        for t in brief.all_topics() {
            head.extend(stems(t));
        }
        for v in [&mut head, &mut body, &mut names] {
            v.sort_unstable();
            v.dedup();
        }
        Relevance {
            head,
            body,
            names,
            title_keys: read::keys(&brief.title),
            sections,
        }
    }

    /// Whether this brief answers the question at all: it covers it, does not share just
    /// one word with a question that says more nor only kinds of things, and the question
    /// names no country it never mentions.
    fn fits(&self, terms: &[Term]) -> bool {
        self.covers(terms)
            && !self.one_word_of_several(terms)
            && !self.only_kinds(terms)
            && !self.another_country(terms)
    }

    /// Whether the question names a country the brief never mentions ("house prices in
    /// *spain*"): it is about that place.
    fn another_country(&self, terms: &[Term]) -> bool {
        terms
            .iter()
            .any(|t| !t.supposed && lexicon::is_country(&t.word) && !self.has_term(t))
    }

    /// Whether all the brief shares with the question is a kind of thing the question names
    /// with "a" ("what should i pack for *a cruise*" and a brief about an outbreak on one
    /// cruise): a general question, which a brief about one event does not answer. Not when
    /// it is a name: the brief writes it so, or it is no everyday English word ("*a Vantor
    /// Ridge*", "*a Fennick* farmer", "*a Pellan* betting licence").
    fn only_kinds(&self, terms: &[Term]) -> bool {
        let mut found = terms.iter().filter(|t| self.has_term(t)).peekable();
        found.peek().is_some() && found.all(|t| t.kind && !self.is_name(t))
    }

    /// Whether a question word is a name: the brief writes it so, or it is no everyday
    /// English word ("lumo", "tevira").
    fn is_name(&self, t: &Term) -> bool {
        self.writes_name(&t.stem) || text::english::rank(&t.word).is_none()
    }

    /// Whether a question word is a proper name: no everyday English word ([`text::english`])
    /// that the brief writes capitalized ("Flicktide"). A rarer common noun the brief writes
    /// in lower case ("crypto", "payslip") is a kind of thing; so is a rarer word it lacks
    /// ("how do i *retune* my car radio" and a brief about radio stations merging): it
    /// names nothing the brief is about.
    fn is_proper(&self, t: &Term) -> bool {
        text::english::rank(&t.word).is_none()
            && text::english::rank(&t.fold).is_none()
            && self.writes_name(&t.stem)
    }

    /// Whether the sections write this stem as a kind of thing ([`kind_stems`]). Read when
    /// asked (a general question), not with every brief.
    fn writes_kind(&self, stem: &str) -> bool {
        self.sections
            .iter()
            .flat_map(|s| &s.sentences)
            .any(|x| kind_stems(x).any(|k| k == stem))
    }

    /// Whether the sections write this stem as a name (capitalized, not opening a sentence).
    fn writes_name(&self, stem: &str) -> bool {
        self.names
            .binary_search_by(|h| h.as_str().cmp(stem))
            .is_ok()
    }

    /// Whether the brief has the question's word ([`Relevance::has`]) or, as sentences are
    /// read, its base form or a near-synonym ("growers" for "farmers", "blew" for "blow").
    fn has_term(&self, t: &Term) -> bool {
        self.has(&t.stem)
            || self.title_keys.binary_search(&t.key).is_ok()
            || self
                .sections
                .iter()
                .flat_map(|s| &s.keys)
                .any(|k| k.binary_search(&t.key).is_ok())
    }

    /// Whether the title or topics have this stem, or the word a person compound is built on
    /// ("post*men*" are the Post's, "chair*man*" the chair's).
    fn in_head(&self, stem: &str) -> bool {
        let found = |s: &str| self.head.binary_search_by(|h| h.as_str().cmp(s)).is_ok();
        found(stem) || person_base(stem).is_some_and(found)
    }

    /// Whether the question names this brief's subject or something it names: a word of its
    /// title or topics, or a name its text writes.
    fn names(&self, stem: &str) -> bool {
        self.in_head(stem) || self.writes_name(stem)
    }

    /// Whether the brief has this stem anywhere read, or the agent noun of it or the verb of
    /// it: Snowball keeps "hacker" and "hack" apart, and a question about a hack must find a
    /// brief about hackers (and the reverse); likewise its negation with "un-" ("did rates
    /// change" is answered by rates left "unchanged"). Only for relevance: which section and sentence
    /// answer is decided on the stems as they are.
    fn has(&self, stem: &str) -> bool {
        let found =
            |s: &str| self.in_head(s) || self.body.binary_search_by(|h| h.as_str().cmp(s)).is_ok();
        found(stem)
            || person_base(stem).is_some_and(found)
            || (stem.len() >= 4 && found(&format!("{stem}er")))
            || stem
                .strip_suffix("er")
                .is_some_and(|verb| verb.len() >= 4 && found(verb))
            || (stem.len() >= 4 && found(&format!("un{stem}")))
            || stem
                .strip_prefix("un")
                .is_some_and(|w| w.len() >= 4 && found(w))
            || self.demonym_of_name(stem)
    }

    /// Whether a stem is the people's word of a place the brief names ("*Valdorran*
    /// diplomats" and a brief naming Valdorra, "Kestovan", "Canadian").
    fn demonym_of_name(&self, stem: &str) -> bool {
        let Some(place) = stem.strip_suffix('n').filter(|p| p.len() >= 4) else {
            return false;
        };
        self.writes_name(place)
            || place
                .strip_suffix("ia")
                .is_some_and(|p| self.writes_name(&format!("{p}a")))
    }

    /// Whether this brief is about the question: it holds at least [`FLOOR`] of the
    /// question's weighted content, and either names one of its words in its title or topics,
    /// or holds its most telling word (not a modifier: "is it safe to open windows after the
    /// *derailment*"), or holds twice the floor. Two lesser words met only in the text —
    /// "which *side* of tinfoil do you *use*", "why does my cat knock things off *tables*" —
    /// do not make a brief about the question.
    fn covers(&self, terms: &[Term]) -> bool {
        let c = self.coverage(terms);
        let named = terms.iter().any(|t| self.names(&t.stem));
        let telling_found = self.has_most_telling(terms);
        let several = terms
            .iter()
            .filter(|t| {
                t.weight >= TELLING && !is_light_verb(&t.word) && !lexicon::is_modifier(&t.word)
            })
            .filter(|t| self.has_term(t))
            .count()
            >= 3;
        c >= FLOOR && (named || telling_found || several || c >= 2.0 * FLOOR)
    }

    /// Whether the brief has the question's most telling word, not counting modifiers and
    /// common verbs ("is it safe to open windows after the *derailment*").
    fn has_most_telling(&self, terms: &[Term]) -> bool {
        terms
            .iter()
            .filter(|t| !lexicon::is_modifier(&t.word) && !is_light_verb(&t.word))
            .max_by(|a, b| a.weight.total_cmp(&b.weight))
            .is_some_and(|t| self.has_term(t))
    }

    /// Whether the brief shares only one content word with a question that names something
    /// else too ("why is the *ocean* salty" and a brief about a satellite steered into the
    /// ocean; "when is the next full *moon*" and a moon lander): one shared word does not make
    /// a brief about a question that says more ([`says_more`]). Words whose near-synonym the
    /// brief has count as shared ("what does the *drought* mean for farmers" and a brief
    /// about growers).
    fn one_word_of_several(&self, terms: &[Term]) -> bool {
        let (found, missing): (Vec<&Term>, Vec<&Term>) =
            terms.iter().partition(|t| self.has_term(t));
        let [shared] = found[..] else {
            return false;
        };
        missing.iter().any(|t| {
            let opposed = lexicon::opposites(&t.stem).any(|o| self.has(o));
            says_more(t, shared, opposed)
        })
    }

    /// Share of the question's weighted content this brief has. A word found in the title
    /// or topics (the brief's subject) counts twice, in the share and in the whole; a word
    /// the brief lacks that only modifies ([`lexicon::is_modifier`]: "badly", "fewer") counts
    /// for [`MODIFIER_SHARE`] of its weight.
    fn coverage(&self, terms: &[Term]) -> f64 {
        let mut total = 0.0;
        let mut found = 0.0;
        for t in terms {
            let in_head = self.in_head(&t.stem);
            if in_head || self.has_term(t) {
                let w = if in_head { 2.0 * t.weight } else { t.weight };
                total += w;
                found += w;
            } else if t.mine || lexicon::is_modifier(&t.word) {
                total += MODIFIER_SHARE * t.weight;
            } else {
                total += t.weight;
            }
        }
        if total <= 0.0 {
            0.0
        } else {
            found / total
        }
    }
}

/// A model of meaning `/ask` may use besides the words as written (`[answers] vectors` or
/// `[answers] model`); without one, words are matched as written, the default.
#[derive(Debug, Clone)]
pub enum Semantics {
    /// Word vectors ([`crate::text::vectors`]): a question word meets a sentence's word of
    /// like meaning.
    Vectors(Arc<WordVectors>),
    /// A sentence encoder ([`crate::text::encoder`]): the question meets a sentence of like
    /// meaning.
    Encoder(Arc<SentenceEncoder>),
}

/// With a sentence encoder, encodes (and keeps) the title and the sentences `/ask` reads of
/// each of `briefs`, so that the first question about one of them is answered from memory;
/// returns how many texts that was. Without one, does nothing. Blocking.
pub fn warm(semantics: Option<&Semantics>, briefs: &[Arc<Brief>]) -> usize {
    let Some(Semantics::Encoder(encoder)) = semantics else {
        return 0;
    };
    briefs
        .iter()
        .map(|b| {
            let sentences: Vec<String> = b
                .sections()
                .flat_map(|(_, s)| lead_sentences(&s.paragraphs))
                .collect();
            read::Meaning::warm(encoder, &b.title, sentences.iter().map(String::as_str))
        })
        .sum()
}

/// Answers `question` from `library`, matching words as written.
pub fn answer(library: &Library, question: &str) -> Outcome {
    answer_with(library, question, None)
}

/// Answers `question` from `library`; with a model of meaning, a section's sentences also
/// meet the question by meaning ([`read::Meaning`]), weighed as learned with that model
/// ([`lean::model`]).
pub fn answer_with(library: &Library, question: &str, semantics: Option<&Semantics>) -> Outcome {
    answer_terms(library, question, &terms(question, library), semantics)
}

/// [`answer_with`], the question's content words read ([`terms`]).
fn answer_terms(
    library: &Library,
    question: &str,
    terms: &[Term],
    semantics: Option<&Semantics>,
) -> Outcome {
    if terms.is_empty() {
        return Outcome::NoSubject;
    }
    let query: Vec<&str> = terms.iter().map(|t| t.fold.as_str()).collect();
    let hits = library.search_top(&query.join(" "), 2);
    let Some(&(mut best, best_score)) = hits.first() else {
        return Outcome::NotCovered;
    };
    let mut relevance = Relevance::read(best);
    if tracing::enabled!(tracing::Level::DEBUG) {
        explain(question, terms, &hits, &relevance);
    }
    let mut next = hits.get(1).filter(|(_, s)| *s >= CLOSE * best_score);
    if !relevance.fits(terms) {
        // BM25 ranks by shared words; the next brief may hold more of what is asked ("the
        // volcano" in an eruption and in the ash cloud after it).
        let Some(&(other, _)) = hits.get(1) else {
            return Outcome::NotCovered;
        };
        relevance = Relevance::read(other);
        if !relevance.fits(terms) {
            return Outcome::NotCovered;
        }
        (best, next) = (other, None);
    }
    let general = (asks_how_things_are(question)
        && terms
            .iter()
            .all(|t| is_english(t) || relevance.writes_kind(&t.stem)))
        || (asks_how_to(question) && !terms.iter().any(|t| relevance.is_proper(t)));
    if general {
        // "why do trains run late in winter", "how do i appeal a parking fine": a general
        // question about a kind of thing. A name is no everyday word ("why do harlow ferries
        // stop"); a common noun the brief writes inside a name ("Kessling City *Museum*") is
        // still a kind of thing. How-to questions are asked of kinds of things more often
        // still, so there a rarer word the brief writes in lower case is a kind of thing too
        // ("how do i set up a *crypto* wallet"); a drug's name may be one ("how does
        // *velmorant* stop a headache"), so not in the first case.
        return Outcome::NotCovered;
    }

    let mut runner_up = None;
    if let Some(&(other, _)) = next {
        let theirs = Relevance::read(other);
        if theirs.covers(terms) {
            runner_up = Some(other.clone());
            // Of two briefs on one subject, the one holding the words of the question the
            // other lacks answers it; when neither holds more, the one whose headline is
            // about them ([`headline_weight`]).
            let (d_theirs, d_ours) = (
                distinctive(&theirs, &relevance, terms),
                distinctive(&relevance, &theirs, terms),
            );
            if d_theirs > d_ours
                || (d_theirs == d_ours
                    && headline_weight(&other.title, terms)
                        > headline_weight(&best.title, terms) + 1e-9)
            {
                runner_up = Some(best.clone());
                best = other;
                relevance = theirs;
            }
        }
    }
    Outcome::Answer(respond(
        best, relevance, question, terms, semantics, runner_up,
    ))
}

/// The answer from `brief`: the section and sentences that answer the question.
fn respond(
    brief: &Arc<Brief>,
    relevance: Relevance,
    question: &str,
    terms: &[Term],
    semantics: Option<&Semantics>,
    runner_up: Option<Arc<Brief>>,
) -> Answer {
    let cue = cues(question);
    let meaning = semantics.map(|s| match s {
        Semantics::Vectors(v) => {
            read::Meaning::new(v, terms.iter().map(|t| (t.word.as_str(), t.weight)))
        }
        Semantics::Encoder(e) => read::Meaning::sentence(e, question, &brief.title),
    });
    let (section, sentences) = choose(brief, relevance.sections, question, &cue, meaning);
    let wanted = SectionKind::ALL
        .into_iter()
        .zip(cue)
        .filter(|&(_, c)| c >= kinds::STRONG)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k);
    Answer {
        brief: brief.clone(),
        section,
        sentences,
        missing: wanted.filter(|&k| k != section && brief.section(k).is_none()),
        runner_up,
        follow_up: false,
    }
}

/// Answers `question` as [`answer_with`] does; when no brief covers it on its own and the
/// asker was just shown `last`, takes it as a follow-up on `last` if it reads as one
/// ([`follows_on`]: "will they appeal?", "what's next?", "how tall is this thing going to
/// be").
pub fn answer_after(
    library: &Library,
    question: &str,
    semantics: Option<&Semantics>,
    last: Option<&Arc<Brief>>,
) -> Outcome {
    let terms = terms(question, library);
    let outcome = answer_terms(library, question, &terms, semantics);
    let Some(last) = last else {
        return outcome;
    };
    let relevance = Relevance::read(last);
    if let Outcome::Answer(a) = &outcome {
        // "how much will it cost *them*" after a brief that answers it: that brief, though
        // another matches the words as well or a little better; not when the other covers
        // the question clearly better ("my heating's packed in, i'm in a council flat, will
        // anyone come and fix *it*" after the council's other story: the "it" is the heating).
        let same = Arc::ptr_eq(&a.brief, last);
        if same
            || !points_back(question)
            || !relevance.fits(&terms)
            || relevance.coverage(&terms) + FOLLOW_UP_SLACK
                < Relevance::read(&a.brief).coverage(&terms)
        {
            return outcome;
        }
    }
    let follows = follows_on(question, &terms, &relevance);
    tracing::debug!(
        question,
        last = %last.id,
        coverage = relevance.coverage(&terms),
        points_back = points_back(question),
        follows,
        "follow-up?"
    );
    if !follows {
        return outcome;
    }
    let mut answer = respond(last, relevance, question, &terms, semantics, None);
    answer.follow_up = true;
    Outcome::Answer(answer)
}

/// How much less of a question's weight ([`Relevance::coverage`]) the brief last shown may
/// cover than the brief chosen on its own, and still answer a question that points back.
const FOLLOW_UP_SLACK: f64 = 0.1;

/// Whether a question no brief covers on its own reads as a follow-up on the brief the
/// asker was last shown: not a general question ([`asks_how_things_are`], [`asks_how_to`]),
/// no name nor country that brief lacks ("what's next for the *lakers*"), and either it
/// names nothing ("why?", "what's next?"), points back at what was shown ([`points_back`]:
/// "will *they* appeal", "what about the country lanes"). A question that points at
/// nothing is not taken as a follow-up because it shares words with that brief: on the
/// labelled sets, that answered as many off-topic questions as it rescued on-topic ones.
fn follows_on(question: &str, terms: &[Term], last: &Relevance) -> bool {
    if asks_how_things_are(question) || asks_how_to(question) || last.another_country(terms) {
        return false;
    }
    let foreign = |t: &Term| {
        text::english::rank(&t.word).is_none()
            && text::english::rank(&t.fold).is_none()
            && !last.has_term(t)
    };
    if terms.iter().any(foreign) {
        return false;
    }
    // Names nothing at all ("why?", "what's next?"); not a question that names only a time
    // ("how long until summer").
    let bare = terms.is_empty()
        && text::words(question).all(|w| text::is_stop_word(&w) || is_question_word(&w));
    bare || points_back(question)
}

/// Logs (at debug level) why the question is answered or refused: its words with their
/// weights, and how the first two briefs cover them (`RUST_LOG=briefbot::core::qa=debug`).
fn explain(question: &str, terms: &[Term], hits: &[(&Arc<Brief>, f32)], best: &Relevance) {
    tracing::debug!(question, "ask");
    for t in terms {
        tracing::debug!(
            word = %t.word,
            weight = t.weight,
            found = best.has_term(t),
            kind = t.kind,
            mine = t.mine,
            "term"
        );
    }
    for (i, (brief, score)) in hits.iter().enumerate() {
        let read;
        let r = if i == 0 {
            best
        } else {
            read = Relevance::read(brief);
            &read
        };
        tracing::debug!(
            brief = %brief.id,
            bm25 = score,
            coverage = r.coverage(terms),
            covers = r.covers(terms),
            one_word_of_several = r.one_word_of_several(terms),
            only_kinds = r.only_kinds(terms),
            "candidate"
        );
    }
}

/// Whether a question word the brief lacks names something beyond the one word the brief
/// shares with it. Not a common verb ([`is_light_verb`]), a modifier ("badly") or the
/// asker's own ("*my mom's* account"); and either at least as telling as the shared word
/// ([`weight`]: "why is the ocean *salty*"), modifying it from right before ("when is the
/// next *full* moon"), or an event the brief holds the opposite of (`opposed`: "why was the
/// bakery *closed*" and a brief about its opening). An everyday word elsewhere says what is
/// asked about the subject, not another subject ("were there any *warning signs* before the
/// volcano *blew*"); so does a participle the news words otherwise ("why was brightwater
/// *called off*" and a brief about the festival *cancelled*), which on the labelled sets was
/// refused more often wrongly than rightly.
fn says_more(t: &Term, shared: &Term, opposed: bool) -> bool {
    // "is dunmarrow going to be *prosecuted*", "does brockmart have any other *bidders*":
    // what is asked about a name the brief is about, unless it is another name.
    let asked_of_name = !is_english(shared) && is_english(t);
    !is_light_verb(&t.word)
        && !asked_of_name
        && !lexicon::is_modifier(&t.word)
        && !t.mine
        && !t.supposed
        && (t.weight >= shared.weight
            || t.pos + 1 == shared.pos
            || (t.after_of && t.pos == shared.pos + 2)
            || opposed)
}

/// Whether a question word is an English word (as asked or plural-folded: "bidders"), not a
/// name.
fn is_english(t: &Term) -> bool {
    english_word(&t.word) || english_word(&t.fold)
}

/// Whether a lowercase word is an everyday English word: listed ([`text::english`]) or a
/// regular form of one ("crunch*ed*", "shut*ting*").
fn english_word(word: &str) -> bool {
    let listed = |w: &str| text::english::rank(w).is_some();
    let base = |w: &str| {
        listed(w)
            || ["ed", "ing", "es", "s", "d"].iter().any(|end| {
                w.strip_suffix(end).is_some_and(|b| {
                    b.len() >= 3
                        && (listed(b)
                            || listed(&format!("{b}e"))
                            || b.as_bytes().windows(2).last().is_some_and(|p| p[0] == p[1])
                                && listed(&b[..b.len() - 1]))
                })
            })
    };
    base(word)
}

/// A common verb in a form that does not name the event asked about ("when is Orla-3
/// *coming* down", "will prices *go* up"); a participle does ("why did my train get
/// *cancelled*" and a brief about a derailment say different things).
fn is_light_verb(word: &str) -> bool {
    !word.ends_with("ed")
        && (crate::summarize::keywords::is_verb(word) || text::verbs::is_verb(word))
}

/// The word a compound naming people is built on: "postmen" → "post", "chairwoman" →
/// "chair", "salespeople" → "sales".
fn person_base(stem: &str) -> Option<&str> {
    ["men", "man", "women", "woman", "people", "person"]
        .into_iter()
        .rev()
        .find_map(|suffix| stem.strip_suffix(suffix))
        .filter(|base| base.len() >= 3)
}

/// Weight ([`weight`]) of the question's words `this` brief has and `other` lacks.
fn distinctive(this: &Relevance, other: &Relevance, terms: &[Term]) -> f64 {
    terms
        .iter()
        .filter(|t| this.has_term(t) && !other.has_term(t))
        .map(|t| t.weight)
        .sum()
}

/// The weight of the question's words a headline's main clause ([`main_clause`]) holds: what
/// the brief is about, not the occasion it gives.
fn headline_weight(title: &str, terms: &[Term]) -> f64 {
    let main = main_clause(title);
    terms
        .iter()
        .filter(|t| main.binary_search(&t.stem).is_ok())
        .map(|t| t.weight)
        .sum()
}

/// The stems of a headline's main clause: its words up to an adjunct giving the occasion or
/// the cause ("after", "as", "over", "amid", "following", "despite", "because"), sorted.
fn main_clause(title: &str) -> Vec<String> {
    let main: Vec<String> = text::words(title)
        .take_while(|w| {
            !matches!(
                w.as_str(),
                "after" | "as" | "over" | "amid" | "following" | "despite" | "because"
            )
        })
        .collect();
    stems(&main.join(" "))
}

/// Reads the chosen brief once: each covered section's first sentences with their keys, and
/// the stems of all of them (for [`Relevance`]); every word is stemmed once.
fn read_brief(brief: &Brief) -> (Vec<SectionRead>, Vec<String>, Vec<String>) {
    let mut body = Vec::new();
    let mut names = Vec::new();
    let sections = brief
        .sections()
        .map(|(kind, s)| {
            let sentences = lead_sentences(&s.paragraphs);
            let keys = sentences
                .iter()
                .map(|x| {
                    let (stems, keys) = read::stems_and_keys(x);
                    body.extend(stems);
                    names.extend(name_stems(x));
                    keys
                })
                .collect();
            SectionRead {
                kind,
                sentences,
                keys,
            }
        })
        .collect();
    (sections, body, names)
}

/// The stems of the kinds of things a sentence writes: a lowercase word right after an
/// article or a demonstrative ("*the cyclone* weakened", "*a locust* eats") or in the
/// plural ("report *potholes*"), whether or not the everyday English list holds it. A drug's
/// name is written bare and singular ("a new drug, called *velmorant*"): it stays a name.
fn kind_stems(sentence: &str) -> impl Iterator<Item = String> + '_ {
    let raw: Vec<&str> = sentence.split_whitespace().collect();
    (1..raw.len()).filter_map(move |i| {
        let before = raw[i - 1].to_lowercase();
        let determiner = matches!(
            before.as_str(),
            "a" | "an" | "the" | "this" | "that" | "these" | "those"
        );
        let w = raw[i];
        let word = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        let plural = word.len() > 3
            && word.ends_with('s')
            && !["ss", "us", "is"].iter().any(|e| word.ends_with(e));
        ((determiner || plural) && w.starts_with(|c: char| c.is_lowercase()))
            .then(|| text::words(w).next())
            .flatten()
            .filter(|w| !text::is_stop_word(w))
            .map(|w| stem(&w))
    })
}

/// The stems of the names a sentence writes: capitalized words after its first word
/// ("Residents of *Kerrith* were told…"), without a possessive. A bullet ("• Data
/// centers…") is not a word, and a word after a label's colon ("Yes, but: Data centers…")
/// opens the sentence too.
fn name_stems(sentence: &str) -> Vec<String> {
    let mut opens = true;
    let mut out = Vec::new();
    for w in sentence.split_whitespace() {
        if !w.contains(char::is_alphanumeric) {
            continue;
        }
        if !opens && w.starts_with(|c: char| c.is_uppercase()) {
            out.extend(
                text::words(w)
                    .take(1)
                    .filter(|w| !text::is_stop_word(w))
                    .map(|w| stem(&w)),
            );
        }
        opens = w.ends_with(':');
    }
    out
}

/// The section and the sentences that answer best: its cue + its best sentence's score
/// (see [`read::sentence_scores`]).
fn choose(
    brief: &Brief,
    sections: Vec<SectionRead>,
    question: &str,
    cue: &[f64; 3],
    meaning: Option<read::Meaning>,
) -> (SectionKind, Vec<String>) {
    let title = read::keys(&brief.title);
    let words = reading_words(question);
    let mut scores = read::sentence_scores(&sections, &title, question, &words);
    tracing::debug!(brief = %brief.id, "answering from");
    // "Why does X matter": X is the subject, met in the lead as much as anywhere; the
    // importance answers when the brief has it.
    if kinds::asks_only_why_it_matters(question) {
        if let Some(i) = sections
            .iter()
            .position(|s| s.kind == SectionKind::Importance)
        {
            tracing::debug!("asks only why it matters: the importance");
            return (
                SectionKind::Importance,
                read::pick(&sections[i].sentences, &scores[i]),
            );
        }
    }
    let in_context = cause_in_context(&sections, question, cue);
    let moved = in_context[0] < cue[0];
    let cue = &in_context;
    let model = lean::model(meaning.as_ref());
    let wording = model.wording(question);
    let asked = lean::asked(question);
    let mut best: Option<(usize, f64)> = None;
    let mut meanings: Vec<Vec<f64>> = Vec::with_capacity(sections.len());
    for (i, (s, m)) in sections.iter().zip(&scores).enumerate() {
        let (at, top) =
            m.iter()
                .copied()
                .enumerate()
                .fold((0, 0.0), |b, (j, x)| if x > b.1 { (j, x) } else { b });
        let held = s
            .sentences
            .get(at)
            .map(|x| lean::held(x))
            .unwrap_or_default();
        let k = SectionKind::ALL
            .iter()
            .position(|k| *k == s.kind)
            .unwrap_or(0);
        let meant: Vec<f64> = match &meaning {
            Some(m) => s.sentences.iter().map(|x| m.of(x)).collect(),
            None => Vec::new(),
        };
        let best_meant = meant.iter().copied().fold(0.0, f64::max);
        let score = model.score(cue[k], top, best_meant, &wording, k, &asked, &held);
        // `tools/train_lean.py` reads these lines: cue, best_sentence and meaning are its
        // inputs.
        tracing::debug!(
            section = ?s.kind,
            cue = cue[k],
            best_sentence = top,
            meaning = best_meant,
            wording = wording[k],
            asked = asked.join("|"),
            held = held.join("|"),
            score,
            "section"
        );
        if best.is_none_or(|(_, b)| score > b + 1e-9) {
            best = Some((i, score));
        }
        meanings.push(meant);
    }
    let Some((i, _)) = best else {
        return (SectionKind::Happening, Vec::new());
    };
    let mut m = std::mem::take(&mut scores[i]);
    // With a model of meaning, a sentence meeting the question by meaning is more likely its
    // answer.
    let share = match &meaning {
        Some(read::Meaning::Words { .. }) => MEANING_SHARE,
        Some(read::Meaning::Sentence { .. }) => SENTENCE_MEANING_SHARE,
        None => 0.0,
    };
    for (x, meant) in m.iter_mut().zip(&meanings[i]) {
        *x += share * meant;
    }
    // A cause read from the context is a fact already true ("Unemployment has risen"), not a
    // forecast ("Borrowing costs should start to fall"), which is an effect.
    if moved && sections[i].kind == SectionKind::Importance {
        for (x, sentence) in m.iter_mut().zip(&sections[i].sentences) {
            if text::words(sentence).any(|w| lexicon::FUTURE_MODALS.contains(&w.as_str())) {
                *x *= FORECAST_SHARE;
            }
        }
    }
    (sections[i].kind, read::pick(&sections[i].sentences, &m))
}

/// Weight of a sentence's meaning match ([`read::Meaning::of`], 0..=1) added to its score
/// when choosing the sentences shown (with word vectors): measured on the tuning and training
/// sets, 0.2 showed the answer for 6 more of about 900 questions, 0.5 and 1.0 fewer.
const MEANING_SHARE: f64 = 0.2;

/// Weight of a sentence's cosine with the question by a sentence encoder, as
/// [`MEANING_SHARE`] (measured likewise, docs/EVAL.md).
const SENTENCE_MEANING_SHARE: f64 = 0.5;

/// Share of its score a forecast keeps as the answer to a cause question read from the
/// context.
const FORECAST_SHARE: f64 = 0.5;

/// The cues, with a cause question's lean toward the news moved to the importance when the
/// news states no cause: "why did X happen" is answered by the news when it says why
/// ("…after its pilots began a strike"), else by the context the author gave in *Why it
/// matters* ("Unemployment has risen to 5.8 %"; "Home heating makes up a fifth of the
/// province's emissions"). The importance gains at least a medium cue: the learned lean reads
/// "why is X doing Y" as asking the news, which here does not say.
fn cause_in_context(sections: &[SectionRead], question: &str, cue: &[f64; 3]) -> [f64; 3] {
    let mut cue = *cue;
    if cue[0] >= kinds::STRONG
        || kinds::AnswerType::of(question) != Some(kinds::AnswerType::Reason)
        || !sections.iter().any(|s| s.kind == SectionKind::Importance)
    {
        return cue;
    }
    let Some(news) = sections.iter().find(|s| s.kind == SectionKind::Happening) else {
        return cue;
    };
    if news
        .sentences
        .iter()
        .any(|x| kinds::AnswerType::Reason.found_in(x))
    {
        return cue;
    }
    cue[1] += cue[0].max(kinds::MEDIUM);
    cue[0] = 0.0;
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

    /// "New" in a question about the news names the news itself ("the new governor", "the
    /// new rules"): it neither chooses the brief nor the sentence.
    #[test]
    fn new_is_not_what_a_question_is_about() {
        let lib = library(&[("ferry", FERRY), ("ferry2", FERRY2), ("bakery", BAKERY)]);
        let t: Vec<String> = terms("who is the new harlow ferry mediator", &lib)
            .into_iter()
            .map(|t| t.word)
            .collect();
        assert_eq!(t, ["harlow", "ferry", "mediator"]);
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
        assert_eq!(
            top("did anyone get hurt at the festival"),
            SectionKind::Happening
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

    /// "Why does X matter" is answered by the importance even when X is spelled out in the
    /// news (its words all in one sentence there) and not in the importance.
    #[test]
    fn why_x_matters_is_answered_by_the_importance() {
        let lib = library(&[("ferry", FERRY), ("ferry2", FERRY2), ("bakery", BAKERY)]);
        let a = answered(answer(&lib, "why does the deckhands' overtime pay matter"));
        assert_eq!(
            (a.brief.id.as_str(), a.section),
            ("ferry", SectionKind::Importance),
            "{a:?}"
        );
    }

    /// A cause the news does not state is in the context the author gave: "why is the clinic
    /// extending its hours" is answered by *Why it matters* when *What's Happening* has no
    /// cause word; the news answers when it says why.
    #[test]
    fn a_cause_the_news_does_not_state_is_in_the_importance() {
        const CLINIC: &str = "Dunwell clinic extends its hours\n\nWhat's Happening?\nThe \
            Dunwell health clinic will stay open late on weekdays from March. It will also open \
            on Sundays.\n\nWhy it matters\nWaiting times at the town's only emergency room \
            have doubled this year. Many patients with minor illnesses go there at night.\n";
        let lib = library(&[("clinic", CLINIC), ("ferry", FERRY), ("bakery", BAKERY)]);
        let a = answered(answer(
            &lib,
            "why is the dunwell clinic extending its hours",
        ));
        assert_eq!(
            (a.brief.id.as_str(), a.section),
            ("clinic", SectionKind::Importance),
            "{a:?}"
        );
        assert!(a.sentences[0].starts_with("Waiting times"), "{a:?}");
        // The ferry's news says why ("after its deckhands walked out"): it answers.
        let a = answered(answer(&lib, "why is the harlow ferry cancelling crossings"));
        assert_eq!(a.section, SectionKind::Happening, "{a:?}");
    }

    /// With word vectors, a section whose sentence means what was asked answers though it
    /// shares no word of it: "evacuate" meets "moved to shelters".
    #[test]
    fn word_vectors_meet_a_question_by_meaning() {
        const CYCLONE: &str = "Cyclone Mela strikes Kordavia\n\nWhat's Happening?\nCyclone \
            Mela struck the coast of Kordavia on Monday with winds of 200 km/h. Power is out in \
            four provinces.\n\nWhy it matters\nMore than 300,000 residents were moved to \
            shelters before landfall. Officials say that saved many lives.\n\nWhat's Next?\n\
            Repair crews will reach the coast next week.\n";
        // Made-up vectors: "evacuate" is near "shelters" and "moved", far from the rest.
        let vectors = crate::text::vectors::WordVectors::read(
            "evacuate 1 0 0\nshelters 0.9 0.43 0\nmoved 0.7 0 0.71\ncoast 0 1 0\n\
             power 0 0 1\nrepair 0 0.7 0.7\n"
                .as_bytes(),
        )
        .unwrap();
        let lib = library(&[("cyclone", CYCLONE), ("ferry", FERRY), ("bakery", BAKERY)]);
        let q = "did people evacuate before cyclone mela";
        let plain = answered(answer(&lib, q));
        assert_ne!(plain.section, SectionKind::Importance, "{plain:?}");
        let vectors = Arc::new(vectors);
        let semantics = Semantics::Vectors(vectors.clone());
        let a = answered(answer_with(&lib, q, Some(&semantics)));
        assert_eq!(
            (a.brief.id.as_str(), a.section),
            ("cyclone", SectionKind::Importance),
            "{a:?}"
        );
        assert!(a.sentences[0].starts_with("More than 300,000"), "{a:?}");
        let m = read::Meaning::new(&vectors, [("evacuate", 1.0), ("unheld", 1.0)]);
        assert!(
            m.of("They were moved to shelters.") > 0.85,
            "a word without a vector is left out"
        );
        assert_eq!(m.of("Power is out."), 0.0);
    }

    /// A cause read from the context is a fact already true, not a forecast.
    #[test]
    fn a_cause_from_the_context_is_a_fact_not_a_forecast() {
        const CLINIC: &str = "Dunwell clinic extends its hours\n\nWhat's Happening?\nThe \
            Dunwell health clinic will stay open late on weekdays from March.\n\nWhy it \
            matters\nPatients should wait less for care at night. More nurses may be hired \
            next year. Waiting times at the town's only emergency room have doubled this \
            year.\n";
        let lib = library(&[("clinic", CLINIC), ("ferry", FERRY), ("bakery", BAKERY)]);
        let a = answered(answer(
            &lib,
            "why is the dunwell clinic extending its hours",
        ));
        assert_eq!(a.section, SectionKind::Importance, "{a:?}");
        assert!(
            a.sentences.iter().any(|s| s.starts_with("Waiting times")),
            "{a:?}"
        );
    }

    const FLOOD: &str = "River floods three farm towns\n\nWhat's Happening?\nThe Amber \
        river burst its banks on Sunday, and 2,000 residents of Corbie were moved to school \
        halls. Water reached the roofs of some houses.\n\nWhy it matters\nThe towns grow \
        most of the region's barley.\n\nWhat's Next?\nEngineers will inspect the levees \
        before anyone returns home.\n";
    const CYCLIST: &str = "Driverless taxi hits cyclist\n\nWhat's Happening?\nA driverless \
        taxi struck a cyclist at a crossing on Tuesday night. The rider was taken to \
        hospital with a broken leg.\n";
    const STREAMING: &str = "Lumen raises streaming prices\n\nWhat's Happening?\nLumen \
        will raise the price of its ad-free plan to $17 a month from March.\n\nWhy it \
        matters\nIt is the second rise in a year.\n";

    /// A name the text writes (a town named only in the news) makes a brief about the
    /// question as its title would: "the Corbie residents" are the ones it moved.
    #[test]
    fn a_name_the_text_writes_is_what_the_question_is_about() {
        let lib = library(&[("flood", FLOOD), ("ferry", FERRY), ("bakery", BAKERY)]);
        let a = answered(answer(&lib, "when will corbie residents be rehoused"));
        assert_eq!(a.brief.id, "flood");
    }

    /// A modifier the brief lacks ("badly", "fewer") says how, not what about.
    #[test]
    fn a_modifier_the_brief_lacks_weighs_little() {
        let lib = library(&[("cyclist", CYCLIST), ("ferry", FERRY), ("bakery", BAKERY)]);
        let a = answered(answer(&lib, "how badly was the cyclist hurt"));
        assert_eq!(a.brief.id, "cyclist");
        assert!(lexicon::is_modifier("badly") && lexicon::is_modifier("fewer"));
        // Lacking "fewer" costs a quarter of its weight, not all of it.
        let lib = library(&[("flood", FLOOD), ("ferry", FERRY), ("bakery", BAKERY)]);
        let flood = Relevance::read(lib.get("flood").unwrap());
        let with = flood.coverage(&terms("are there fewer barley towns", &lib));
        assert!(with > 0.8, "{with}");
        for noun in [
            "family",
            "supply",
            "assembly",
            "italy",
            "kelly",
            "monopoly",
            "butterfly",
        ] {
            assert!(!lexicon::is_modifier(noun), "{noun}");
        }
        assert!(lexicon::is_modifier("largely") && lexicon::is_modifier("quickly"));
    }

    const ASH: &str = "Ash cloud grounds flights\n\nWhat's Happening?\nLava and ash poured \
        out. The lava cooled. More lava is expected.\n";
    const ERUPTION: &str = "Mount Ostra erupts on Tevira\n\nWhat's Happening?\nMount Ostra \
        began erupting on Friday after weeks of small tremors under the island. Officials \
        moved about 3,000 people from the northern villages to school halls and churches. \
        Lava destroyed 40 homes in the village of Kerrith before dawn on Saturday.\n\nWhy it \
        matters\nThe island's farms grow most of the country's coffee and bananas, and the \
        harvest had only just begun when the mountain woke.\n";
    const STORM: &str = "Storm hits Dunwell\n\nWhat's Happening?\nA storm destroyed two \
        homes in Dunwell.\n";

    /// When the brief BM25 ranks first does not cover the question, the next one may: it
    /// answers instead of a refusal.
    #[test]
    fn the_next_brief_answers_when_the_first_does_not_cover_the_question() {
        let lib = library(&[("ash", ASH), ("eruption", ERUPTION), ("storm", STORM)]);
        let q = "did the lava destroy any homes";
        let query: Vec<String> = terms(q, &lib).into_iter().map(|t| t.fold).collect();
        let hits = lib.search_top(&query.join(" "), 2);
        assert_eq!(hits[0].0.id, "ash", "the case this test is about");
        let a = answered(answer(&lib, q));
        assert_eq!(a.brief.id, "eruption");
        assert!(a.sentences.iter().any(|x| x.contains("destroyed 40 homes")));
    }

    const LANDER: &str = "Verra moon lander delayed\n\nWhat's Happening?\nThe Verra \
        lander will not fly to the moon before May after engineers found a fuel leak.\n";

    /// An everyday word the library lacks weighs what it says in English, not what a name no
    /// brief has weighs, and it says what is asked about the subject: "were there warning
    /// signs on Tevira". One shared word still does not make a brief about a
    /// question naming a more telling word, or a word modifying the shared one ("full
    /// moon"); the asker's own ("my mom's") is not another subject.
    #[test]
    fn everyday_words_the_brief_lacks_ask_about_its_subject() {
        let lib = library(&[
            ("eruption", ERUPTION),
            ("lander", LANDER),
            ("streaming", STREAMING),
        ]);
        let weight_of = |q: &str, word: &str| {
            let t = terms(q, &lib);
            t.iter().find(|t| t.word == word).map(|t| t.weight).unwrap()
        };
        let (warning, lakers) = (
            weight_of("any warning signs", "warning"),
            weight_of("what's next for the lakers", "lakers"),
        );
        assert!(warning < 0.8 * lakers, "{warning} {lakers}");
        let a = answered(answer(&lib, "were there any warning signs on tevira"));
        assert_eq!(a.brief.id, "eruption");
        let a = answered(answer(&lib, "what happens to my mom's lumen account"));
        assert_eq!(a.brief.id, "streaming");
        for q in [
            "when is the next full moon",
            "why does the moon cause tides",
        ] {
            assert!(matches!(answer(&lib, q), Outcome::NotCovered), "{q}");
        }
    }

    /// The asker's people ("my mom's") say who asks, not what about: they weigh as a
    /// modifier does when the brief lacks them. A thing the asker owns may be the subject.
    #[test]
    fn the_askers_people_weigh_little() {
        let lib = library(&[
            ("streaming", STREAMING),
            ("ferry", FERRY),
            ("bakery", BAKERY),
        ]);
        let t = terms("what happens to my mom's plan", &lib);
        assert!(t.iter().any(|t| t.word == "mom" && t.mine));
        let cat = terms("why does my cat knock things off tables", &lib);
        assert!(cat.iter().all(|t| !t.mine), "{cat:?}");
        let c = Relevance::read(lib.get("streaming").unwrap()).coverage(&t);
        assert!(c >= 0.8, "{c}");
        assert_eq!(
            answered(answer(&lib, "what happens to my mom's plan"))
                .brief
                .id,
            "streaming"
        );
    }

    /// A compound naming people is about the word it is built on: "postmen" are the Post's.
    #[test]
    fn a_person_compound_is_about_its_base_word() {
        const POST: &str = "Kelby Post ends Saturday delivery\n\nWhat's Happening?\nKelby \
            Post will stop delivering letters on Saturdays from June, and 400 jobs will go.\n";
        let lib = library(&[("post", POST), ("ferry", FERRY), ("bakery", BAKERY)]);
        assert_eq!(
            answered(answer(&lib, "are postmen losing their jobs"))
                .brief
                .id,
            "post"
        );
        assert_eq!(person_base("postmen"), Some("post"));
        assert_eq!(person_base("chairwoman"), Some("chair"));
        assert_eq!(person_base("woman"), None);
        assert_eq!(person_base("human"), None);
    }

    const DERAIL: &str = "Freight wagons leave the tracks at Corbie\n\nWhat's Happening?\n\
        Fourteen wagons of a freight train left the tracks at Corbie on Saturday. Police told \
        residents to keep their windows shut. Inspectors blame a cracked wheel for the \
        derailment.\n";
    const CAFE: &str = "Dunwell cafe grows\n\nWhat's Happening?\nThe cafe put 12 tables on \
        the pavement.\n";

    /// A brief holding the question's most telling word is about it, though its title does
    /// not name it ("is it safe to open windows after the *derailment*"); sharing a lesser
    /// word ("tables") with a question whose most telling word it lacks ("cat") is not.
    #[test]
    fn the_most_telling_word_met_in_the_text_makes_a_brief_about_the_question() {
        let lib = library(&[("derail", DERAIL), ("cafe", CAFE), ("bakery", BAKERY)]);
        let q = "is it safe to open windows after the derailment";
        let derail = Relevance::read(lib.get("derail").unwrap());
        let t = terms(q, &lib);
        assert!(!t.iter().any(|t| derail.names(&t.stem)), "not named");
        assert!(
            derail.coverage(&t) < 2.0 * FLOOR,
            "the case this test is about"
        );
        assert_eq!(answered(answer(&lib, q)).brief.id, "derail");
        assert!(matches!(
            answer(&lib, "why does my cat knock things off tables"),
            Outcome::NotCovered
        ));
    }

    const CRUISE: &str = "Norovirus on the Amberline cruise\n\nWhat's Happening?\nMore than 200 \
        passengers fell ill on the Amberline cruise ship Solace, and Vantor Ridge crew \
        members cleaned every cabin.\n";

    /// A question about a kind of thing ("what should i pack for *a cruise*") is general: a
    /// brief about one cruise does not answer it; "the cruise", or a name after "a" ("*a
    /// Vantor Ridge* crew"), is the one in the news.
    #[test]
    fn a_kind_of_thing_is_not_the_one_in_the_news() {
        let lib = library(&[("cruise", CRUISE), ("ferry", FERRY), ("bakery", BAKERY)]);
        let t = terms("what should i pack for a cruise", &lib);
        assert!(t.iter().any(|t| t.word == "cruise" && t.kind), "{t:?}");
        for q in [
            "when will they hire a new manager",
            "is there a launch date yet",
        ] {
            assert!(terms(q, &lib).iter().all(|t| !t.kind), "{q}");
        }
        assert!(terms("what does a data center do", &lib)
            .iter()
            .all(|t| t.kind));
        assert!(matches!(
            answer(&lib, "what should i pack for a cruise"),
            Outcome::NotCovered
        ));
        assert_eq!(
            answered(answer(&lib, "how many fell ill on the cruise"))
                .brief
                .id,
            "cruise"
        );
        assert_eq!(
            answered(answer(&lib, "what did a vantor ridge crew clean"))
                .brief
                .id,
            "cruise"
        );
    }

    /// "Why do ferry crossings get cancelled" asks how crossings go in general (habitual, no
    /// definite word), which a brief about one strike does not answer; "why are the ferry
    /// crossings cancelled", "how do i get to the island hospital now" and a name ("why do
    /// harlow ferries stop") point at the news.
    #[test]
    fn a_question_about_how_things_are_in_general_is_not_about_the_news() {
        let lib = library(&[("ferry", FERRY), ("flood", FLOOD), ("bakery", BAKERY)]);
        assert!(asks_how_things_are("why do ferry crossings get cancelled"));
        assert!(matches!(
            answer(&lib, "why do ferry crossings get cancelled"),
            Outcome::NotCovered
        ));
        for q in [
            "why are the ferry crossings cancelled",
            "how do i get to the island hospital now",
            "why do harlow ferries stop",
        ] {
            assert_eq!(answered(answer(&lib, q)).brief.id, "ferry", "{q}");
        }
        assert!(asks_how_things_are("what do marsh birds eat in winter"));
        assert!(asks_how_things_are("how does ranked choice voting work"));
        assert!(!asks_how_things_are("how does the fare cap work"));
        assert!(asks_how_things_are("what causes potholes to form"));
        assert!(!asks_how_things_are("what do the new rules mean for me"));
        // A common noun the brief writes as part of a name is still a kind of thing.
        let lib = library(&[("museum", MUSEUM), ("ferry", FERRY), ("bakery", BAKERY)]);
        assert!(matches!(
            answer(&lib, "how do museums decide what to put on display"),
            Outcome::NotCovered
        ));
        assert_eq!(
            answered(answer(&lib, "what did the thieves take from the museum"))
                .brief
                .id,
            "museum"
        );
    }

    /// How-to and advice questions, "you" meaning anyone, "why does my…", "usually" and "in
    /// the world" ask about kinds of things, not the news; a name or a pointing "the" keeps
    /// a question on the news.
    #[test]
    fn how_to_and_advice_questions_are_not_about_the_news() {
        let lib = library(&[("wallet", WALLET), ("ferry", FERRY), ("bakery", BAKERY)]);
        for q in [
            "how do i set up a crypto wallet",
            "how do you pick a strong password for a crypto wallet",
            "what should i do before buying crypto",
            "what happens if you lose your crypto wallet password",
            "why does my crypto wallet app freeze",
            "what's the best way to store crypto",
            "what is the difference between crypto and shares",
            "how much is crypto usually worth",
            "what is the biggest crypto exchange in the world",
            "how are crypto coins created",
            // A rarer word the brief lacks is no name of what it is about.
            "how do i resync my crypto wallet after a hack",
            // How a kind of thing works; a country the brief never names.
            "how does a crypto wallet on my phone work",
            "how do crypto withdrawals work in the uk",
            "how does a crypto wallet work if it is offline",
            "how are crypto coins created in the first place",
            "what are the early signs of crypto addiction",
        ] {
            assert!(
                matches!(answer(&lib, q), Outcome::NotCovered),
                "{q}: {:?}",
                answer(&lib, q)
            );
        }
        for q in [
            "how do i get my crypto out of the frozen wallets",
            "how do i get my money out of vaultex",
            "can you tell me why vaultex froze withdrawals",
            "why are crypto withdrawals frozen",
            "how does the vaultex freeze work",
            "what are the signs that the vaultex hack hit my wallet",
        ] {
            assert_eq!(answered(answer(&lib, q)).brief.id, "wallet", "{q}");
        }
        assert!(asks_how_to("how do i appeal a parking fine"));
        assert!(!asks_how_to("how do i get to the island hospital now"));
        assert!(!asks_how_to("why is my bill going up"));
    }

    /// After a brief was shown, a question that names nothing ("what's next?") or points
    /// back at it ("will they go back to work") follows up on it; a question about
    /// something else, a general one or one naming only a time does not.
    #[test]
    fn a_question_that_points_back_follows_up_on_the_brief_last_shown() {
        let lib = library(&[("ferry", FERRY), ("flood", FLOOD), ("bakery", BAKERY)]);
        let ferry = lib.get("ferry").cloned();
        let after = |q: &str, last: Option<&Arc<Brief>>| answer_after(&lib, q, None, last);
        assert!(matches!(after("what's next?", None), Outcome::NoSubject));
        let a = answered(after("what's next?", ferry.as_ref()));
        assert_eq!(
            (a.brief.id.as_str(), a.section),
            ("ferry", SectionKind::Next)
        );
        assert!(a.follow_up);
        for q in ["when will they go back to work", "is it over yet", "why?"] {
            assert!(
                !matches!(answer(&lib, q), Outcome::Answer(_)),
                "{q} is not answered on its own"
            );
            let a = answered(after(q, ferry.as_ref()));
            assert!(a.brief.id == "ferry" && a.follow_up, "{q}");
        }
        // Pointing back, it is the brief shown that answers, though another matches the
        // words as well or better.
        let two = library(&[("ferry", FERRY), ("ferry2", FERRY2), ("bakery", BAKERY)]);
        let q = "what are they doing with the harlow ferry line";
        let alone = answered(answer(&two, q)).brief;
        let other = two
            .briefs()
            .iter()
            .find(|b| b.id.starts_with("ferry") && b.id != alone.id)
            .cloned();
        let a = answered(answer_after(&two, q, None, other.as_ref()));
        assert_eq!(
            Some(&a.brief.id),
            other.as_ref().map(|b| &b.id),
            "{alone:?}"
        );
        assert!(a.follow_up);
        // Answered on its own: as before.
        let a = answered(after("why did the amber river flood", ferry.as_ref()));
        assert!(a.brief.id == "flood" && !a.follow_up);
        for q in [
            "what's next for the lakers?",
            "how long until summer",
            "who sang at the concert this morning",
            "how do i appeal a parking fine",
            "is it safe to swim in the sea",
            "will it snow in denver on christmas",
            "will house prices in spain go up",
        ] {
            assert!(
                !matches!(after(q, ferry.as_ref()), Outcome::Answer(_)),
                "{q}: {:?}",
                after(q, ferry.as_ref())
            );
        }
    }

    const SWAP: &str = "Orlen and Vask swap prisoners\n\nWhat's Happening?\nOrlen and Vask \
        swapped eight prisoners at the border on Sunday, freeing a jailed reporter.\n";

    /// A number word says no more of the subject than digits do: "after eight hours of sleep"
    /// is not about a brief that counts eight prisoners.
    #[test]
    fn a_number_word_alone_does_not_make_a_brief_about_the_question() {
        let lib = library(&[("swap", SWAP), ("ferry", FERRY), ("bakery", BAKERY)]);
        assert!(!matches!(
            answer(&lib, "what happens after eight hours of sleep"),
            Outcome::Answer(_)
        ));
        assert_eq!(
            answered(answer(&lib, "why did orlen free eight prisoners"))
                .brief
                .id,
            "swap"
        );
    }

    const OYSTERS: &str = "Norovirus shuts Kelby oyster beds\n\nWhat's Happening?\nKelby's \
        oyster beds were shut on Friday after 40 diners fell ill with norovirus.\n\n\
        Why it matters\nThe beds supply half the county's oysters.\n";

    const PUMPS: &str = "Arden pays for heat pumps\n\nWhat's Happening?\nArden will pay \
        $5,000 toward a heat pump for any home that replaces a gas boiler.\n";

    const GLACIER: &str = "Glacier lake threatens Holm\n\nWhat's Happening?\nA lake \
        forming on the Holm glacier could burst and flood the village below.\n";

    /// What a kind of illness is like, how a kind of machine works, how a kind of thing
    /// forms "in the first place": general questions, though a brief shares their words.
    #[test]
    fn symptoms_workings_and_origins_of_kinds_are_general() {
        let lib = library(&[("oysters", OYSTERS), ("pumps", PUMPS), ("glacier", GLACIER)]);
        for q in [
            "what are the usual symptoms of norovirus",
            "how does a heat pump work when it's freezing outside",
            // A "the" after "work" says where, not which one.
            "how do heat pumps work in the coldest months",
            "how are glaciers formed in the first place",
            // A record among all things of a kind; a relative "that" points at nothing.
            "what is the deepest glacier lake",
            "which heat pump is cheapest to run",
            "what is the most powerful heat pump ever made",
            "how do i find a heat pump that runs quietly",
            // The kind's own "their"; advice for anyone.
            "how do heat pumps keep their heat in winter",
            "why is it important to service a heat pump",
        ] {
            assert!(
                matches!(answer(&lib, q), Outcome::NotCovered),
                "{q}: {:?}",
                answer(&lib, q)
            );
        }
        for (q, id) in [
            (
                "how many diners got norovirus from the kelby oysters",
                "oysters",
            ),
            ("how much will arden pay for a heat pump", "pumps"),
            ("how does the arden heat pump payment work", "pumps"),
            (
                "why did the glacier lake form in the first place",
                "glacier",
            ),
            (
                "what's the earliest arden will pay for a heat pump",
                "pumps",
            ),
        ] {
            assert_eq!(answered(answer(&lib, q)).brief.id, id, "{q}");
        }
    }

    const STUDIO: &str = "Quillfeather to close Losberry studio after Starhollow delay\n\n\
        What's Happening?\nQuillfeather will close its Losberry studio weeks after the \
        Starhollow delay, putting 140 people out of work. The company said the delay left it \
        short of money.\n";

    const DELAY: &str = "Quillfeather Games delays Starhollow until next year\n\n\
        What's Happening?\nQuillfeather Games has pushed back the release of Starhollow from \
        March to early next year, its second delay. The studio said the game still crashed too \
        often on older consoles.\n";

    /// Of two briefs holding every word of a question, the one whose headline is about them
    /// answers, not the one that names them as its occasion ("…*after* Starhollow delay").
    #[test]
    fn the_brief_whose_headline_is_about_the_question_answers() {
        let lib = library(&[("studio", STUDIO), ("delay", DELAY)]);
        let a = answered(answer(&lib, "starhollow delayed again??"));
        assert_eq!(a.brief.id, "delay");
        let a = answered(answer(&lib, "is quillfeather closing losberry"));
        assert_eq!(a.brief.id, "studio");
    }

    const LOCUSTS: &str = "Locust swarms reach Tamsara\n\nWhat's Happening?\n\
        Swarms of locusts have reached Tamsara's farming belt, stripping crops.\n\n\
        What's Next?\nSpraying planes will treat the swarms from Monday.\n";

    const MIGRAINE: &str = "Calloway's migraine pill halves attacks\n\nWhat's Happening?\n\
        A new drug, called velmorant, halved the number of migraine attacks in a trial.\n";

    /// A kind of thing the everyday English list lacks is still a kind when the brief writes
    /// it so (in the plural, after an article): a general question about it is not the news.
    /// A drug's name written bare and singular stays a name.
    #[test]
    fn a_rarer_kind_the_brief_writes_as_one_is_general() {
        let lib = library(&[("locusts", LOCUSTS), ("migraine", MIGRAINE)]);
        assert!(
            matches!(
                answer(&lib, "how do locusts find crops"),
                Outcome::NotCovered
            ),
            "{:?}",
            answer(&lib, "how do locusts find crops")
        );
        let a = answered(answer(&lib, "how does velmorant stop a migraine"));
        assert_eq!(a.brief.id, "migraine");
    }

    const EXPELLED: &str = "Drennick expels Valdorra's ambassador\n\nWhat's Happening?\n\
        Drennick has expelled Valdorra's ambassador and four other diplomats, accusing them of \
        spying on its navy.\n";

    /// The people's word of a place the brief names is that place ("*Valdorran* diplomats");
    /// a regular form of an everyday word is an everyday word, not another name.
    #[test]
    fn a_demonym_finds_its_place_and_inflections_are_english() {
        let lib = library(&[("expelled", EXPELLED), ("ferry", FERRY), ("bakery", BAKERY)]);
        let a = answered(answer(
            &lib,
            "what were the valdorran diplomats supposedly after",
        ));
        assert_eq!(a.brief.id, "expelled");
        for w in ["crunched", "shutting", "bidders", "raced"] {
            assert!(english_word(w), "{w}");
        }
        for w in ["brockmart", "valdorran", "halbury"] {
            assert!(!english_word(w), "{w}");
        }
        // An amount written with digits says no more than digits do; a name with digits does.
        let words: Vec<String> = terms("how did valdorra end up $84m in the hole by 10pm", &lib)
            .into_iter()
            .map(|t| t.word)
            .collect();
        assert_eq!(words, ["valdorra", "end", "hole"]);
        assert!(!is_amount("3g") && !is_amount("covid19") && is_amount("21st"));
        // Contractions typed without the apostrophe are no words of the subject.
        let words: Vec<String> = terms("if i dont pay, cant i just say im out, whos paying", &lib)
            .into_iter()
            .map(|t| t.word)
            .collect();
        assert_eq!(words, ["pay", "paying"]);
    }

    const MAYOR: &str = "Ashby mayor arrested over council contracts\n\nWhat's Happening?\n\
        Police arrested Ashby mayor Jo Penn at her home on Monday in an inquiry into council \
        contracts.\n\nWhat's Next?\nThe council will vote on whether she should resign.\n";

    const REPAIRS: &str = "Ashby council freezes repair contracts\n\nWhat's Happening?\n\
        Ashby council froze its housing repair contracts on Friday, so broken heating in \
        council flats will not be fixed until March.\n";

    /// A pronoun whose thing the question itself names ("my heating's broken… will anyone
    /// fix *it*") does not take the question to the brief shown when another covers it
    /// clearly better.
    #[test]
    fn a_brief_that_covers_clearly_better_wins_over_the_one_shown() {
        let lib = library(&[("mayor", MAYOR), ("repairs", REPAIRS), ("bakery", BAKERY)]);
        let mayor = lib.get("mayor").cloned();
        let q = "my heating is broken in my ashby council flat, will anyone come and fix it";
        assert_eq!(answered(answer(&lib, q)).brief.id, "repairs");
        let a = answered(answer_after(&lib, q, None, mayor.as_ref()));
        assert!(a.brief.id == "repairs" && !a.follow_up, "{a:?}");
    }

    const WALLET: &str = "Vaultex freezes withdrawals\n\nWhat's Happening?\nThe crypto \
        exchange Vaultex froze all withdrawals from customer wallets on Monday after a \
        hack.\n\nWhy it matters\nAbout 40,000 savers cannot reach their crypto.\n";

    /// A word after "of" says which thing the shared word means ("the price *of gold*"):
    /// a brief that only shares "price" does not answer it.
    #[test]
    fn a_word_after_of_names_another_thing() {
        let lib = library(&[("fares", FARES), ("ferry", FERRY), ("bakery", BAKERY)]);
        assert!(matches!(
            answer(&lib, "what's happening with the price of gold this week"),
            Outcome::NotCovered
        ));
        assert_eq!(
            answered(answer(
                &lib,
                "what's happening with the price of bus tickets"
            ))
            .brief
            .id,
            "fares"
        );
    }

    const FARES: &str = "Ferrisby caps bus fares\n\nWhat's Happening?\nFerrisby council \
        capped the price of a bus ticket at $2 from this week.\n";

    const MUSEUM: &str = "Clock stolen from Kessling City Museum\n\nWhat's Happening?\n\
        Thieves broke into Kessling City Museum overnight and took a silver clock from its \
        main display.\n";

    /// What a question asks about a name the brief is about is not another subject ("is
    /// harlow going to be *prosecuted*"); adverbs say how, not what ("will the ferry *even*
    /// run"); a contraction's end is no word ("we*'ve*").
    #[test]
    fn a_verb_asked_of_a_name_an_adverb_and_a_contraction_say_nothing_more() {
        let lib = library(&[("ferry", FERRY), ("cruise", CRUISE), ("bakery", BAKERY)]);
        for q in [
            "is harlow going to be prosecuted",
            "will harlow crossings even run back",
        ] {
            assert_eq!(answered(answer(&lib, q)).brief.id, "ferry", "{q}");
        }
        let words: Vec<String> = terms("we've been stuck, they'll wait", &lib)
            .into_iter()
            .map(|t| t.word)
            .collect();
        assert_eq!(words, ["stuck", "wait"]);
        // A verb asked of an everyday word still names another event.
        assert!(matches!(
            answer(&lib, "why was the bakery closed"),
            Outcome::NotCovered
        ));
    }

    /// A verb the brief lacks says what is asked about the subject, not another subject,
    /// whether news prose uses it or not ("who *depends* on the deckhands", WordNet's verbs): the
    /// brief holding the question's noun answers.
    #[test]
    fn a_verb_the_brief_lacks_is_what_is_asked() {
        let lib = library(&[("ferry", FERRY), ("cruise", CRUISE), ("bakery", BAKERY)]);
        assert!(is_light_verb("depends") && !is_light_verb("bridge"));
        assert_eq!(
            answered(answer(&lib, "who actually depends on the deckhands"))
                .brief
                .id,
            "ferry"
        );
    }

    /// A brief holding three telling words of a question is about it, though it lacks the
    /// most telling one; a name the brief is about answers what is asked of it, though the
    /// brief lacks the thing asked ("does amberline have any other *auditors*").
    #[test]
    fn several_telling_words_or_a_name_make_a_brief_about_the_question() {
        let lib = library(&[("ferry", FERRY), ("cruise", CRUISE), ("bakery", BAKERY)]);
        let q = "did deckhands lose overtime pay because patients complained to zanthor";
        let ferry = Relevance::read(lib.get("ferry").unwrap());
        let t = terms(q, &lib);
        assert!(!t.iter().any(|t| ferry.names(&t.stem)), "not named");
        assert!(ferry.covers(&t));
        assert_eq!(
            answered(answer(&lib, "does amberline have any other auditors"))
                .brief
                .id,
            "cruise"
        );
    }

    /// A question naming a country the brief never mentions is about that place; one the
    /// brief mentions is not.
    #[test]
    fn a_country_the_brief_never_mentions_is_another_subject() {
        const FARES: &str = "Harlow ferry fares rise\n\nWhat's Happening?\nHarlow ferry \
            prices rise by a tenth in May, the operator said, blaming fuel bought from Norway.\n";
        let lib = library(&[("fares", FARES), ("cruise", CRUISE), ("bakery", BAKERY)]);
        assert!(matches!(
            answer(&lib, "what's happening with ferry prices in spain"),
            Outcome::NotCovered
        ));
        assert_eq!(
            answered(answer(&lib, "why are harlow ferry prices tied to norway"))
                .brief
                .id,
            "fares"
        );
    }

    /// Names are capitalized words that do not open the sentence; a bullet is not its first
    /// word, and a label's colon opens it again.
    #[test]
    fn names_are_read_past_bullets_and_labels() {
        assert_eq!(name_stems("Residents of Kerrith were told"), ["kerrith"]);
        assert!(name_stems("• Data centers use water").is_empty());
        assert!(name_stems("Yes, but: Data centers pay taxes").is_empty());
        assert_eq!(name_stems("• Data centers in Marlow pay"), ["marlow"]);
    }

    /// What a condition supposes need not be in the brief: "what happens if dunwell gets
    /// flooded" asks about Dunwell's storm brief.
    #[test]
    fn a_condition_is_supposed_not_news() {
        let lib = library(&[("storm", STORM), ("ferry", FERRY), ("bakery", BAKERY)]);
        let t = terms("what happens if dunwell gets flooded", &lib);
        assert!(t.iter().any(|t| t.word == "flooded" && t.supposed), "{t:?}");
        assert_eq!(
            answered(answer(&lib, "what happens if dunwell gets flooded"))
                .brief
                .id,
            "storm"
        );
    }

    const HARVEST: &str = "Drought cuts wheat harvest\n\nWhat's Happening?\nFarmers in the \
        Lorne valley expect the smallest wheat harvest in 20 years after a dry spring.\n";

    /// A near-synonym the brief has counts as the word for relevance, as it does for reading
    /// sentences: a question about "growers" is about a brief on farmers.
    #[test]
    fn a_near_synonym_counts_for_relevance() {
        let lib = library(&[("harvest", HARVEST), ("ferry", FERRY), ("bakery", BAKERY)]);
        let a = answered(answer(&lib, "are lorne growers worried"));
        assert_eq!(a.brief.id, "harvest");
    }

    const MILL: &str = "Carmody shuts paper mill\n\nWhat's Happening?\nCarmody Paper said \
        on Monday it will shut its Brill mill in June. The company blamed falling demand.\n\n\
        Why it matters\nThe closure ends 300 jobs in a town of 4,000. Shops in Brill expect \
        their sales to fall.\n\nWhat's Next?\nThe state will pay for retraining.\n";

    /// General news near-synonyms meet: a question about "retailers" in Brill is about a
    /// brief on its shops.
    #[test]
    fn news_near_synonyms_meet() {
        let lib = library(&[("mill", MILL), ("ferry", FERRY), ("bakery", BAKERY)]);
        let a = answered(answer(&lib, "are brill retailers hurting"));
        assert_eq!(a.brief.id, "mill");
        assert_eq!(read::key("retailers"), read::key("shops"));
        assert_eq!(read::key("walkout"), read::key("strike"));
        assert_eq!(read::key("scrapped"), read::key("cancelled"));
        assert_eq!(read::key("fix"), read::key("repairs"));
        assert_eq!(read::key("riders"), read::key("commuters"));
        assert_eq!(read::key("leak"), read::key("breach"));
        assert_eq!(read::key("gps"), read::key("doctors"));
        assert_ne!(read::key("fire"), read::key("fine"));
    }

    /// Times say when, not what about: "next month" does not make a question about a brief
    /// that charges "$17 a month", and a question of times alone names nothing.
    #[test]
    fn times_do_not_make_a_brief_about_a_question() {
        let lib = library(&[
            ("streaming", STREAMING),
            ("ferry", FERRY),
            ("bakery", BAKERY),
        ]);
        assert!(terms("what happens next month on friday", &lib).is_empty());
        assert!(terms("why is it raining today", &lib)
            .iter()
            .all(|t| t.word != "today"));
        // A time that names a thing is content; its number, as digits are, is not.
        let t: Vec<String> = terms("when does the four day school week start", &lib)
            .into_iter()
            .map(|t| t.word)
            .collect();
        assert_eq!(t, ["school", "week", "start"]);
        assert!(matches!(
            answer(&lib, "will gold prices go up next month"),
            Outcome::NotCovered
        ));
        // The subject still answers.
        let a = answered(answer(&lib, "how much will lumen cost a month"));
        assert_eq!(a.brief.id, "streaming");
    }

    const FESTIVAL: &str = "Storm cancels Brightwater festival\n\nWhat's Happening?\nThe \
        Brightwater music festival was cancelled on Friday after forecasters warned of gales.\n";

    /// An event the brief holds the opposite of is another event ("why was the bakery
    /// *closed*" and a brief about its opening); an event the news words otherwise is not
    /// ("why was brightwater *called off*" and the festival *cancelled*), nor is a common verb
    /// in another form ("coming").
    #[test]
    fn an_event_the_brief_holds_the_opposite_of_is_another_event() {
        let lib = library(&[("festival", FESTIVAL), ("ferry", FERRY), ("bakery", BAKERY)]);
        assert!(matches!(
            answer(&lib, "why was the bakery closed"),
            Outcome::NotCovered
        ));
        assert_eq!(
            answered(answer(&lib, "why was brightwater called off"))
                .brief
                .id,
            "festival"
        );
        assert!(lexicon::opposites("open").eq(["close"]));
        assert!(is_light_verb("coming") && !is_light_verb("cancelled"));
    }

    #[test]
    fn refuses_what_no_brief_covers_and_names_a_close_runner_up() {
        let lib = library(&[("ferry", FERRY), ("ferry2", FERRY2), ("bakery", BAKERY)]);
        for q in [
            "what's next for the lakers?",
            "why is the sky blue",
            "when does it happen next?",
            // One shared common noun ("island") of a question that says more.
            "why is the island so salty",
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

    /// Of two close briefs on one subject, the one holding the question's words the other
    /// lacks answers it; a word meets its negation ("change" / "unchanged").
    #[test]
    fn of_two_briefs_on_one_subject_the_one_naming_the_rest_of_the_question_answers() {
        const TOLLS: &str = "Harlow ferry line keeps its tolls\n\nWhat's Happening?\nThe \
            Harlow ferry line left its tolls unchanged on Monday for cars, vans, bicycles and \
            foot passengers travelling to the island and back in the winter months.\n";
        const BOARD: &str = "Harlow ferry line board\n\nWhat's Happening?\nThe Harlow ferry \
            line named a new board to set its tolls. The board sets tolls.\n";
        let lib = library(&[("tolls", TOLLS), ("board", BOARD), ("bakery", BAKERY)]);
        let a = answered(answer(&lib, "did the harlow ferry line change its tolls"));
        assert_eq!(a.brief.id, "tolls", "{a:?}");
        assert_eq!(a.runner_up.map(|b| b.id.clone()).as_deref(), Some("board"));
    }

    #[test]
    fn a_question_about_a_hack_finds_the_brief_about_hackers() {
        const BREACH: &str = "Records taken from Velmora clinics\n\nWhat's Happening?\nHackers \
            broke into the Velmora clinic network on Friday and copied patient records.\n\n\
            Why it matters\nThe records include addresses and insurance numbers.\n";
        let lib = library(&[("breach", BREACH), ("ferry", FERRY), ("bakery", BAKERY)]);
        let a = answered(answer(&lib, "what did the hack at velmora take?"));
        assert_eq!(a.brief.id, "breach", "{a:?}");
        // And the other way round: the agent noun asked, the verb written.
        const HACK: &str = "Tolven grid hacked\n\nWhat's Happening?\nSomeone hacked the \
            Tolven grid operator's billing system on Monday.\n";
        let lib = library(&[("hack", HACK), ("ferry", FERRY), ("bakery", BAKERY)]);
        let a = answered(answer(&lib, "who are the tolven hackers?"));
        assert_eq!(a.brief.id, "hack", "{a:?}");
    }

    #[test]
    fn words_placing_the_subject_do_not_answer_who_is_against_it() {
        const QUARRY: &str = "Delmar quarry approved\n\nWhat's Happening?\nState regulators \
            approved the Delmar quarry in the Ashen Valley on Wednesday. The quarry will employ \
            300 people.\n\nWhy it matters\nThe region imports most of its gravel. However, \
            two farming groups say the quarry threatens the wells they rely on.\n";
        let lib = library(&[("quarry", QUARRY), ("ferry", FERRY), ("bakery", BAKERY)]);
        let a = answered(answer(
            &lib,
            "who is against the delmar quarry in the ashen valley",
        ));
        assert_eq!(a.section, SectionKind::Importance, "{a:?}");
        assert!(
            a.sentences.iter().any(|s| s.contains("farming groups say")),
            "{a:?}"
        );
    }

    #[test]
    fn light_question_words_do_not_choose_the_sentence() {
        let keys: Vec<String> = reading_words("who gets hurt by the new ferry fares?")
            .into_iter()
            .map(|w| w.key)
            .collect();
        // "hurt" still helps a little (a cue); "gets" and "new" say nothing of the answer.
        assert!(keys.contains(&read::key("hurt")), "{keys:?}");
        assert!(keys.contains(&read::key("fares")), "{keys:?}");
        assert!(!keys.contains(&read::key("get")), "{keys:?}");
        assert!(!keys.contains(&read::key("new")), "{keys:?}");
    }

    #[test]
    fn stems_meet_across_inflections() {
        assert_eq!(stem("recalling"), stem("recall"));
        assert_eq!(stem("cancelled"), stem("cancel"));
    }
}
