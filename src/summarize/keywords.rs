//! Topics: the noun phrases and named entities a brief is about, lowercase, most important
//! first. They drive search, autocomplete and subscription filters; [`enrich`] adds them to a
//! parsed brief (sources call it, the parser does not).
//!
//! Hand-written on purpose. YAKE (yake-rust) cost about 2.5 ms a brief, most of it in a regex
//! tokenizer, and gave fragments ("taking steps", "weekend due", "bengals' joe") because it
//! scores word windows, not phrases; enriching 10,000 briefs must take well under 2 s on 2
//! cores (issue 12). This extractor makes one pass over the words into a hash map of
//! candidates, with no regex (bench: `parse_index_10k/topics_only_10k` in `benches/core.rs`):
//! - **Candidates** are chunks: maximal runs of capitalized words (names: "Port of Greywater",
//!   "Dunmore Reserve Bank") and content words, broken at punctuation, numbers, number words
//!   and measuring compounds ("fourteen", "billion", "three-week"), function words, common
//!   verbs, infinitives ("to freeze", "will arrive"), `-ly` adverbs (not "Pemberly's"),
//!   quantity adjectives and possessives ("Bengals'"), and a lowercase word between a name
//!   and a determiner (a verb: "the Dunmore Reserve Bank cut its rate"). Every 1–4-word part
//!   of a chunk that neither starts nor ends on a connector nor cuts a name in two is a
//!   candidate.
//! - **Score**: in how many sentences it occurs (spread), a bonus when its words are in the
//!   title and when it occurs in the lead sentence (news states its subject first), a bonus
//!   for names (a capital that only starts a sentence is no evidence of one: "Health
//!   officials said…"), a length factor favouring two- and three-word phrases; single
//!   generic words ("year", "officials", "cut") are not topics, unless the title has one
//!   that heads two different two-word phrases ("policy rate", "variable rates" under "holds
//!   rates"): the kind of thing they name is a topic none of them replaces. Later mentions
//!   by a short form count for the phrase named first: a noun or phrase after a determiner
//!   for the phrase it ends ("the cap" for "rent cap", "the refinery's owner" for "Saltfleet oil
//!   refinery") or for an "X of Y" name built on it ("the museum" for "National Museum of
//!   Dovreth"), a name's first word alone for the name ("Norvik said" for "Norvik
//!   Petroleum"); and a participle for its "-tion" noun when the text has it ("vaccinated"
//!   for "vaccination").
//! - **Choice**: best first, skipping a phrase whose words a chosen one already covers, or
//!   putting it in that one's place when it is longer, a whole phrase somewhere (not only
//!   the front of a longer one: "Merrow state" of "Merrow state legislature") and scores at
//!   least 70 % as well. A name and a longer name it starts are two topics ("Tessel" and
//!   "Tessel Court of Appeal").
//!
//! Words are compared plural-folded ([`crate::text::fold`]), so "pilot"/"pilots" meet; a topic
//! is shown in its most frequent spelling.

use crate::brief::Brief;
use crate::text::{fold, is_stop_word};
use rustc_hash::FxHashMap;
use std::cmp::Reverse;

/// How many extracted topics join a brief's topics.
pub const PER_BRIEF: usize = 5;

/// Extracts up to [`PER_BRIEF`] topics from the title and the three sections into the brief's
/// [`crate::brief::Extracted`] topics, leaving out those it was given. Takes `&Brief`: they are
/// set in place, so a brief that a library still shares is not copied. Does nothing if they
/// were extracted already. Bulk loads run it off the start-up path.
pub fn enrich(brief: &Brief) {
    if brief.extracted.is_set() {
        return;
    }
    let mut all = String::new();
    for (_, s) in brief.sections() {
        for p in &s.paragraphs {
            all.push_str(p);
            all.push('\n');
        }
    }
    let mut found: Vec<String> = Vec::new();
    for k in topics(&brief.title, &all, PER_BRIEF) {
        if !brief.topics.contains(&k) && !found.contains(&k) {
            found.push(k);
        }
    }
    if let Some(e) = event(&brief.title, &all) {
        let words: Vec<String> = crate::text::words(&e)
            .map(|w| fold(&w).to_owned())
            .collect();
        let covered = |t: &String| {
            let have: Vec<String> = crate::text::words(t).map(|w| fold(&w).to_owned()).collect();
            words.iter().all(|w| have.contains(w))
        };
        if !found.iter().chain(&brief.topics).any(covered) {
            found.insert(found.len().min(EVENT_AT), e);
        }
    }
    if let Some(name) = subject(&brief.title, &all) {
        if !found.iter().chain(&brief.topics).any(|t| *t == name) {
            found.insert(found.len().min(1), name);
        }
    }
    brief.extracted.set(&found);
}

/// The name a headline opens with, when the text writes it as a name too (capitalized, not
/// only at a sentence's start): the brief's main subject ("*Penhallow* raises council tax",
/// "*Tervo Mobile* to switch off its 3G network"). A topic of its own even when the text
/// only writes it inside a longer name ("Penhallow City Council"): a place and its council
/// are two subjects.
fn subject(title: &str, text: &str) -> Option<String> {
    let run: Vec<&str> = title
        .split_whitespace()
        .take_while(|w| w.starts_with(|c: char| c.is_uppercase()))
        .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()))
        .map(|w| w.strip_suffix("'s").unwrap_or(w))
        .take(3)
        .collect();
    if run.is_empty() || run.iter().any(|w| is_stop_word(&w.to_lowercase())) {
        return None;
    }
    let name = run.join(" ");
    // Written as a name: after another word of a sentence, capitalized as in the headline.
    // Written as a name: capitalized as in the headline after another word of a sentence,
    // or anywhere when no word of it is everyday English ("Penhallow is one of 14…").
    let coined = run
        .iter()
        .all(|w| crate::text::english::rank(&w.to_lowercase()).is_none());
    let named = text.split(['.', '!', '?', '\n']).any(|sentence| {
        let sentence = sentence.trim_start();
        sentence.match_indices(name.as_str()).any(|(at, _)| {
            (at > 0 || coined) && !sentence[at + name.len()..].starts_with(char::is_alphanumeric)
        })
    });
    named.then(|| name.to_lowercase())
}

/// Where the headline's event ([`event`]) goes among a brief's topics: after the subject, one
/// more than [`PER_BRIEF`].
const EVENT_AT: usize = 2;

/// Headline verbs of events, sorted, with the noun a reader files the event under and
/// whether that noun counts ("branch *closures*", "job *cuts*") or not ("rent *freeze*").
const EVENTS: &[(&str, &str, bool)] = &[
    ("ban", "ban", false),
    ("bans", "ban", false),
    ("cancel", "cancellation", true),
    ("cancels", "cancellation", true),
    ("cap", "cap", false),
    ("caps", "cap", false),
    ("change", "change", true),
    ("changes", "change", true),
    ("close", "closure", true),
    ("closes", "closure", true),
    ("cut", "cut", true),
    ("cuts", "cut", true),
    ("delay", "delay", false),
    ("delays", "delay", false),
    ("demolish", "demolition", false),
    ("demolishes", "demolition", false),
    ("docked", "deduction", false),
    ("expand", "expansion", false),
    ("expands", "expansion", false),
    ("extend", "extension", false),
    ("extends", "extension", false),
    ("freeze", "freeze", false),
    ("freezes", "freeze", false),
    ("hike", "hike", false),
    ("hikes", "hike", false),
    ("merge", "merger", false),
    ("merges", "merger", false),
    ("raise", "rise", false),
    ("raises", "rise", false),
    ("recall", "recall", false),
    ("recalls", "recall", false),
    ("sack", "sacking", false),
    ("sacks", "sacking", false),
    ("scrap", "scrapping", false),
    ("scraps", "scrapping", false),
    ("shut", "closure", true),
    ("shuts", "closure", true),
    ("suspend", "suspension", false),
    ("suspends", "suspension", false),
    ("switch", "switch-off", false),
    ("switches", "switch-off", false),
];

/// The event a headline names, as a noun phrase a reader files it under: its verb's noun
/// after the last one or two words of its object, "Thistle Bank to *close* 14 *branches*
/// in small towns" → "branch closures", "Halvorn *cuts* mountain rescue *funding* by 40%"
/// → "rescue funding cut", "Velmont *caps* household *gas prices*" → "gas price cap". Only
/// when the object is written so in the text too (a noun after the verb word is not an
/// object: "Rate *cut* hits savers"). Topics otherwise leave out the event ("cut" alone is
/// no topic); a reader subscribes to "job cuts" as readily as to the company.
fn event(title: &str, text: &str) -> Option<String> {
    let words: Vec<String> = crate::text::words(title).collect();
    let (at, &(_, noun, counts)) = words.iter().enumerate().find_map(|(i, w)| {
        EVENTS
            .binary_search_by(|(v, _, _)| v.cmp(&w.as_str()))
            .ok()
            .map(|k| (i, &EVENTS[k]))
    })?;
    let verb = &words[at];
    // A base form is a verb after "to" or "will" ("Voltera *will cut*", "Kelburn *to
    // close*"), a passive past too ("Halsey Athletic *docked* 12 points").
    let after_to = matches!(
        at.checked_sub(1).map(|i| words[i].as_str()),
        Some("to" | "will")
    );
    if !verb.ends_with('s') && !verb.ends_with("ed") && !after_to {
        return None;
    }
    // "switch" names an event only with its particle ("switch *off*").
    let phrasal = noun == "switch-off";
    if phrasal && words.get(at + 1).map(String::as_str) != Some("off") {
        return None;
    }
    let at = at + usize::from(phrasal);
    // The object: after numbers, determiners and adjectives of degree ("seven of its 12
    // libraries", "its biggest refinery"), the words up to the first function word. A
    // possessor is not the object ("shuts *Kaldor's* biggest refinery"), and of two objects
    // joined by "and" the last names the kind ("bus and *tram fares*").
    let rest: Vec<&str> = words[at + 1..].iter().map(String::as_str).collect();
    let mut object: Vec<&str> = Vec::new();
    let mut i = 0;
    while let Some(&w) = rest.get(i) {
        let possessor = rest.get(i + 1) == Some(&"s");
        if possessor || (w == "and" && !object.is_empty()) {
            object.clear();
            i += 1 + usize::from(possessor);
            continue;
        }
        let filler = w.chars().all(|c| c.is_ascii_digit())
            || NUMBERS.binary_search(&w).is_ok()
            || FUNCTION.binary_search(&w).is_ok()
            || matches!(
                w,
                "the" | "a" | "an" | "its" | "their" | "all" | "of" | "up" | "to"
            );
        if filler && object.is_empty() {
            i += 1;
            continue;
        }
        if filler || is_stop_word(w) {
            break;
        }
        // "to close *three times* as often": how often, not what is closed.
        let counted =
            i > 0 && (rest[i - 1].chars().all(|c| c.is_ascii_digit()) || is_quantity(rest[i - 1]));
        if object.is_empty() && counted && w == "times" {
            return None;
        }
        object.push(w);
        i += 1;
    }
    let tail = &object[object.len().saturating_sub(2)..];
    let [.., head] = tail else {
        return None;
    };
    let written = tail.join(" ");
    if !text.to_lowercase().contains(&written) {
        return None;
    }
    let mut out: Vec<String> = tail.iter().map(|w| singular(w)).collect();
    let plural = counts && singular(head) != *head;
    out.push(if plural {
        format!("{noun}s")
    } else {
        noun.to_owned()
    });
    Some(out.join(" "))
}

/// A plural noun's singular, by the regular rules ("branches" → "branch", "libraries" →
/// "library", "prices" → "price"); other words as they are.
fn singular(word: &str) -> String {
    if word.len() <= 3 || word.ends_with("ss") || word.ends_with("us") || !word.ends_with('s') {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for end in ["ches", "shes", "xes", "sses", "zes"] {
        if word.ends_with(end) {
            return word[..word.len() - 2].to_owned();
        }
    }
    word[..word.len() - 1].to_owned()
}

/// Up to `n` lowercase topics of `text` (no title), most important first.
pub fn keyphrases(text: &str, n: usize) -> Vec<String> {
    topics("", text, n)
}

/// Up to `n` lowercase topics of a brief's `text`, with its `title` as a hint of the subject.
pub fn topics(title: &str, text: &str, n: usize) -> Vec<String> {
    if text.trim().is_empty() || n == 0 {
        return Vec::new();
    }
    let title_words: Vec<String> = crate::text::words(title)
        .map(|w| fold(&w).to_owned())
        .collect();
    let mut cands: FxHashMap<String, Cand> = FxHashMap::default();
    let mut chunk: Vec<Word> = Vec::new();
    let mut sentence = 0usize;
    let mut starts_sentence = true;
    let mut before = Before::Other;
    let mut actions: Vec<(String, usize)> = Vec::new();
    for raw in text.split_whitespace() {
        let mut tok = Token::read(raw, starts_sentence, before);
        if let Some(stem) = tok.action.take() {
            actions.push((stem, sentence));
        }
        starts_sentence = tok.ends_sentence;
        before = if tok.breaks_after {
            Before::Other
        } else {
            Before::of(raw)
        };
        if tok.breaks_before {
            add_chunk(&mut cands, &chunk, sentence);
            chunk.clear();
        }
        match tok.word {
            Some(w) => {
                chunk.push(w);
                if tok.breaks_after {
                    add_chunk(&mut cands, &chunk, sentence);
                    chunk.clear();
                }
            }
            None => {
                // A lowercase singular word between a name and a determiner is the name's
                // verb ("the Dunmore Reserve Bank cut its rate"), not part of a phrase.
                if let [.., name, verb] = chunk.as_slice() {
                    if name.capital
                        && !verb.capital
                        && !verb.connector
                        && !verb.text.ends_with('s')
                        && (Before::of(raw) == Before::Determiner
                            || raw.eq_ignore_ascii_case("a")
                            || raw.eq_ignore_ascii_case("an"))
                    {
                        chunk.pop();
                    }
                }
                add_chunk(&mut cands, &chunk, sentence);
                chunk.clear();
            }
        }
        if tok.ends_sentence {
            add_chunk(&mut cands, &chunk, sentence);
            chunk.clear();
            sentence += 1;
        }
    }
    add_chunk(&mut cands, &chunk, sentence);

    // A participle names the action of a "-tion" noun of the text: "had not been vaccinated"
    // is about vaccination.
    let mut noun = String::new();
    for (stem, sentence) in &actions {
        noun.clear();
        noun.push_str(stem);
        noun.push_str("ion");
        if let Some(c) = cands.get_mut(noun.as_str()) {
            let bit = 1u64 << (*sentence).min(63);
            if c.mask & bit == 0 {
                c.mask |= bit;
                c.sentences += 1;
                c.first_sentence = c.first_sentence.min(*sentence);
            }
        }
    }

    // A lone noun after a determiner ("the cap", "the refinery") mentions again the phrase
    // it ends that was named first ("rent cap", "Saltfleet oil refinery"): its sentences
    // after that one count for the phrase.
    let mut antecedents: Vec<Antecedent> = cands
        .iter()
        .filter(|(_, c)| c.definite != 0 || c.alone != 0)
        .map(|(key, c)| Antecedent {
            head: key,
            name: c.definite == 0,
            phrase: "",
            mentions: 0,
        })
        .collect();
    if !antecedents.is_empty() {
        for (key, c) in &cands {
            if !c.ends || !key.contains(' ') {
                continue;
            }
            let Some(a) = antecedents.iter_mut().find(|a| {
                let n = a.head.len();
                key.len() > n
                    && if a.name {
                        // "Norvik" for "Norvik Petroleum"; a person by surname, "Korrow" for
                        // "Anselm Korrow".
                        c.name
                            && ((key.starts_with(a.head) && key.as_bytes()[n] == b' ')
                                || (key.ends_with(a.head)
                                    && key.as_bytes()[key.len() - n - 1] == b' '))
                    } else {
                        (key.ends_with(a.head) && key.as_bytes()[key.len() - n - 1] == b' ')
                            || (c.name && heads_of_name(key, a.head))
                    }
            }) else {
                continue;
            };
            // A whole phrase somewhere; the earliest, then the most frequent, then the
            // longest.
            let rank =
                |key: &str, c: &Cand| (c.first_sentence, Reverse(c.sentences), Reverse(key.len()));
            if cands
                .get(a.phrase)
                .is_none_or(|b| (rank(key, c), key.as_str()) < (rank(a.phrase, b), a.phrase))
            {
                let after = c.first_sentence.min(63) as u32 + 1;
                let later = (!0u64).checked_shl(after).unwrap_or(0);
                let head = &cands[a.head];
                a.phrase = key;
                a.mentions = ((head.definite | head.alone) & !c.mask & later).count_ones();
            }
        }
    }

    // A generic title noun that heads two or more different two-word phrases of the text
    // ("policy rate", "variable rates" under "holds rates") is the kind of thing they name: a
    // topic of its own, which none of them stands for. Not a noun of change ("cut", "rise"):
    // that is the event, not the subject.
    let mut heads = vec![0u8; title_words.len()];
    for (key, c) in &cands {
        let Some((_, last)) = key.split_once(' ') else {
            continue;
        };
        if c.entity || last.contains(' ') {
            continue;
        }
        if let Some(i) = title_words.iter().position(|t| t == last) {
            heads[i] = heads[i].saturating_add(1);
        }
    }
    let shared_heads: Vec<&str> = title_words
        .iter()
        .zip(&heads)
        .filter(|(t, &n)| n >= 2 && GENERIC.contains(&t.as_str()) && !CHANGES.contains(&t.as_str()))
        .map(|(t, _)| t.as_str())
        .collect();
    let shared = |key: &str| shared_heads.contains(&key);

    // Score.
    let mut scored: Vec<(f32, &String, &Cand)> = cands
        .iter()
        .filter(|(key, c)| {
            let single = !key.contains(' ');
            !(single && GENERIC.contains(&key.as_str()) && !c.entity) || shared(key)
        })
        .map(|(key, c)| {
            let words = key.split(' ').count();
            let in_title = !title_words.is_empty()
                && key.split(' ').all(|w| title_words.iter().any(|t| t == w));
            let mentions = antecedents
                .iter()
                .find(|a| a.phrase == key.as_str())
                .map_or(0, |a| a.mentions);
            let spread = (c.sentences + mentions) as f32;
            let mut score = spread + 0.5 * (c.count as f32 - c.sentences as f32);
            if in_title {
                score += 2.5;
            }
            if c.first_sentence == 0 {
                score += 1.0;
            }
            if c.entity {
                score += 0.75;
            }
            score *= match words {
                1 => 1.0,
                2 => 1.35,
                3 => 1.45,
                _ => 1.2,
            };
            (score, key, c)
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.2.first_sentence.cmp(&b.2.first_sentence))
            .then(a.1.cmp(b.1))
    });

    // Best first; a phrase that covers a chosen one's words and scores nearly as well takes
    // its place ("rent cap" for "cap", "offshore wind farm" for "wind farm").
    let mut chosen: Vec<(f32, &String, &Cand)> = Vec::with_capacity(n);
    for (score, key, c) in scored {
        match chosen
            .iter()
            .position(|(_, k, kc)| !shared(k) && !shared(key) && same_topic((k, kc), (key, c)))
        {
            Some(i) => {
                let (best, k, _) = chosen[i];
                if key.len() > k.len() && c.ends && score >= 0.7 * best && contains_words(key, k) {
                    chosen[i] = (best, key, c);
                }
            }
            None if chosen.len() < n => chosen.push((score, key, c)),
            None => {}
        }
    }
    let mut out: Vec<String> = Vec::with_capacity(n);
    for (_, _, c) in chosen {
        let shown = c.shown.to_lowercase();
        if !out.contains(&shown) {
            out.push(shown);
        }
    }
    out
}

/// Whether two phrases name one topic: one's words all occur in the other ("rent cap" and
/// "cap"), unless the shorter is a name that starts a longer name it is less than half of
/// ("Tessel" and "Tessel Court of Appeal", "Dunmore" and "Dunmore Reserve Bank"; but
/// "Saltfleet" is "Saltfleet oil refinery").
fn same_topic(a: (&str, &Cand), b: (&str, &Cand)) -> bool {
    let ((long, lc), (short, sc)) = if a.0.len() >= b.0.len() {
        (a, b)
    } else {
        (b, a)
    };
    if !contains_words(long, short) {
        return false;
    }
    let other_name = sc.entity
        && lc.name
        && long.starts_with(short)
        && long.as_bytes().get(short.len()) == Some(&b' ')
        && 2 * short.split(' ').count() < long.split(' ').count();
    !other_name
}

/// Whether every word of `short` is a word of `long`.
fn contains_words(long: &str, short: &str) -> bool {
    short.split(' ').all(|w| long.split(' ').any(|l| l == w))
}

/// Whether `head` is the noun an "X of Y" name is built on: "museum" in "national museum of
/// dovreth", "port" in "port of greywater" ("the museum" mentions the name again).
fn heads_of_name(name: &str, head: &str) -> bool {
    name.split(" of ")
        .next()
        .is_some_and(|front| front.len() < name.len() && front.rsplit(' ').next() == Some(head))
}

/// A phrase that a lone noun after a determiner mentions again ("the cap": "rent cap").
struct Antecedent<'a> {
    /// The noun, or a name's first word standing alone ("Norvik" for "Norvik Petroleum").
    head: &'a str,
    /// The head is a name's first word.
    name: bool,
    /// The phrase it ends that was named first ("" until one is found).
    phrase: &'a str,
    /// Sentences after the phrase's first in which the noun stands for it.
    mentions: u32,
}

/// One candidate phrase.
#[derive(Debug)]
struct Cand {
    /// The spelling shown (first seen).
    shown: String,
    count: u32,
    sentences: u32,
    last_sentence: usize,
    first_sentence: usize,
    /// Contains a name (a capitalized word not merely starting a sentence).
    entity: bool,
    /// A name throughout: every word capitalized (or a connector).
    name: bool,
    /// Ends a chunk at least once: a whole noun phrase, not only the front of a longer one
    /// ("Merrow state" of "Merrow state legislature").
    ends: bool,
    /// Sentences it occurs in, as bits (sentence 63 and later share the last bit).
    mask: u64,
    /// Sentences in which it stands alone after a determiner ("the cap", "its refinery"), as
    /// bits: a later mention of a phrase it ends ("rent cap").
    definite: u64,
    /// Sentences in which it stands alone as a one-word name ("Norvik said"), as bits.
    alone: u64,
}

/// A word of a chunk.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    capital: bool,
    /// "of", "&": may sit inside a name, never at a phrase's edge.
    connector: bool,
    /// Right after a determiner ("the", "its", "this").
    definite: bool,
    /// Starts a sentence.
    initial: bool,
}

/// What the token before a word was, as far as the word's reading depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Before {
    /// "the", "this", "its"…: the word starts a definite noun phrase.
    Determiner,
    /// "to" or a modal: a lowercase word after it is an infinitive ("to freeze", "will
    /// arrive"), a noun only when plural ("to tenants").
    To,
    Other,
}

impl Before {
    fn of(raw: &str) -> Before {
        if raw.eq_ignore_ascii_case("to") || MODALS.iter().any(|m| raw.eq_ignore_ascii_case(m)) {
            Before::To
        } else if DETERMINERS.iter().any(|d| raw.eq_ignore_ascii_case(d)) {
            Before::Determiner
        } else {
            Before::Other
        }
    }
}

/// One whitespace-separated token, read.
struct Token<'a> {
    /// The word, if it can be part of a phrase.
    word: Option<Word<'a>>,
    /// An opening quote or bracket before it starts a new chunk.
    breaks_before: bool,
    /// Punctuation or a possessive after it ends the chunk.
    breaks_after: bool,
    ends_sentence: bool,
    /// A participle's stem whose "-ion" noun it names ("vaccinat" of "vaccinated").
    action: Option<String>,
}

impl<'a> Token<'a> {
    fn read(raw: &'a str, starts_sentence: bool, before: Before) -> Token<'a> {
        let lead = raw.trim_start_matches(|c: char| !c.is_alphanumeric());
        let core = lead.trim_end_matches(|c: char| !c.is_alphanumeric());
        let tail = &lead[core.len()..];
        let abbreviation = core.contains('.')
            || (core.chars().count() == 1 && core.starts_with(char::is_uppercase))
            || ABBREVIATIONS.contains(&core.to_lowercase().as_str());
        let ends_sentence = tail.contains(['!', '?'])
            || (tail.contains('.') && !abbreviation)
            || tail.contains(['\u{201d}', '"']) && tail.contains(['.', '!', '?']);
        // "(" or a quote before the word: a break before it too.
        let breaks_before = raw.len() != lead.len();
        let mut breaks_after = !tail.is_empty() && !tail.starts_with('.') || ends_sentence;
        let (core, possessive) = match core
            .strip_suffix("'s")
            .or_else(|| core.strip_suffix("\u{2019}s"))
        {
            Some(c) => (c, true),
            None => (core, tail.starts_with('\'') || tail.starts_with('\u{2019}')),
        };
        breaks_after |= possessive;
        if core.is_empty() {
            return Token {
                word: None,
                breaks_before,
                breaks_after: true,
                ends_sentence,
                action: None,
            };
        }
        let lower = core.to_lowercase();
        let upper_first = core.chars().next().is_some_and(char::is_uppercase);
        let has_digit = core.chars().any(|c| c.is_ascii_digit());
        let connector = matches!(lower.as_str(), "of" | "&");
        // A capitalized adjective is part of a name mid-sentence ("Aldgate High Court"), not
        // at a sentence start ("Major airlines…").
        // An "-ly" word with a possessive is a name ("Pemberly's"), not an adverb.
        let sentence_start_adjective = starts_sentence
            && is_function(&lower)
            && !(possessive && FUNCTION.binary_search(&lower.as_str()).is_err());
        let capital = upper_first
            && !is_stop_word(&lower)
            && !sentence_start_adjective
            && !is_calendar(&lower);
        let usable = if connector || capital {
            true
        } else if IRREGULAR_PAST.binary_search(&lower.as_str()).is_ok()
            || (before == Before::To && !lower.ends_with('s'))
        {
            false
        } else {
            // "8 *p.m.*": a lowercase abbreviation is no noun.
            !has_digit
                && !core.contains('.')
                && core.chars().count() >= 3
                && !is_stop_word(&lower)
                && !is_function(&lower)
                && !is_verb(&lower)
                && !is_calendar(&lower)
        };
        let action =
            (!usable && !capital && lower.len() >= 7 && lower.ends_with("ted")).then(|| {
                let mut stem = lower;
                stem.truncate(stem.len() - 2);
                stem
            });
        Token {
            word: usable.then_some(Word {
                text: core,
                capital,
                connector,
                definite: before == Before::Determiner,
                initial: starts_sentence,
            }),
            breaks_before,
            breaks_after,
            ends_sentence,
            action,
        }
    }
}

/// Adds every 1–4-word part of a chunk that neither starts nor ends on a connector, and does
/// not mix a connector with lowercase words ("rate of inflation" is fine only as a name).
fn add_chunk(cands: &mut FxHashMap<String, Cand>, chunk: &[Word], sentence: usize) {
    // Connectors belong inside names only: split where one is not between capitals.
    let mut start = 0;
    for i in 0..=chunk.len() {
        let cut = i == chunk.len()
            || chunk[i].connector
                && !(i > 0 && chunk[i - 1].capital && chunk.get(i + 1).is_some_and(|w| w.capital));
        if cut {
            add_run(cands, &chunk[start..i], sentence);
            start = i + 1;
        }
    }
}

fn add_run(cands: &mut FxHashMap<String, Cand>, run: &[Word], sentence: usize) {
    let n = run.len();
    for len in 1..=n.min(4) {
        for from in 0..=(n - len) {
            let part = &run[from..from + len];
            if part[0].connector || part[len - 1].connector {
                continue;
            }
            // A part cut out of a name is not a name ("Reserve" of "Dunmore Reserve Bank").
            let named = |w: &Word| w.capital || w.connector;
            let cuts_name = (from > 0 && part[0].capital && named(&run[from - 1]))
                || (from + len < n && part[len - 1].capital && named(&run[from + len]));
            // A name after common words is an apposition ("battery maker *Voltera*",
            // "energy minister *Raoul Deschaine*", "the ferry *Marigold*"): the name is the
            // topic, not the title run into it. An acronym is no name ("electric *SUVs*").
            let acronym = |w: &Word| {
                let mut letters = w.text.chars().filter(|c| c.is_alphabetic());
                letters.next().is_some_and(char::is_uppercase)
                    && letters.next().is_some_and(char::is_uppercase)
            };
            let titled_name = part.windows(2).any(|w| {
                !w[0].capital && !w[0].connector && w[1].capital && !w[1].initial && !acronym(&w[1])
            });
            if cuts_name || titled_name {
                continue;
            }
            let mut key = String::new();
            let mut shown = String::new();
            for w in part {
                if !key.is_empty() {
                    key.push(' ');
                    shown.push(' ');
                }
                let lower = w.text.to_lowercase();
                key.push_str(fold(&lower));
                shown.push_str(w.text);
            }
            // A capital that only starts a sentence is no evidence of a name ("Health
            // officials said…").
            let entity = part.iter().any(|w| w.capital && !w.initial);
            let c = cands.entry(key).or_insert_with(|| Cand {
                shown,
                count: 0,
                sentences: 0,
                last_sentence: usize::MAX,
                first_sentence: sentence,
                entity,
                name: part.iter().all(|w| w.capital || w.connector),
                ends: false,
                mask: 0,
                definite: 0,
                alone: 0,
            });
            c.ends |= from + len == n;
            c.count += 1;
            let bit = 1u64 << sentence.min(63);
            c.mask |= bit;
            if len == n && part[0].definite && !part[0].capital {
                c.definite |= bit;
            }
            if n == 1 && part[0].capital {
                c.alone |= bit;
            }
            if c.last_sentence != sentence {
                c.sentences += 1;
                c.last_sentence = sentence;
            }
            c.entity |= entity;
        }
    }
}

/// Quantity and time adjectives, adverbs and other words that make poor phrase parts.
fn is_function(w: &str) -> bool {
    FUNCTION.binary_search(&w).is_ok()
        || (w.len() > 4 && w.ends_with("ly") && !NOUNS_IN_LY.contains(&w))
        || is_quantity(w)
}

/// A number word, or a compound measuring something by one ("fourteen", "billion",
/// "three-week", "ten-year"): a quantity, not a subject.
fn is_quantity(w: &str) -> bool {
    let first = w.split('-').next().unwrap_or(w);
    NUMBERS.binary_search(&first).is_ok() || NUMBERS_IN_FUNCTION.contains(&first)
}

/// Common verbs in any form: a listed base form, or a form of one (+s, +ed, +ing, with the
/// usual spelling changes), or any other word ending in "-ed" (participles).
pub(crate) fn is_verb(w: &str) -> bool {
    if VERBS.binary_search(&w).is_ok() {
        return true;
    }
    if w.len() >= 5 && w.ends_with("ed") && !NOUNS_IN_ED.contains(&w) {
        return true;
    }
    let stem_is_verb = |stem: &str| {
        VERBS.binary_search(&stem).is_ok()
            || VERBS.binary_search(&format!("{stem}e").as_str()).is_ok()
            || (stem.len() > 2 && {
                let b = stem.as_bytes();
                b[b.len() - 1] == b[b.len() - 2]
                    && VERBS.binary_search(&&stem[..stem.len() - 1]).is_ok()
            })
    };
    if let Some(stem) = w.strip_suffix("ing") {
        // Gerunds that name a thing ("coral bleaching", "housing") stay; others are verbs.
        return stem_is_verb(stem) || ING_NOUNS.binary_search(&w).is_err();
    }
    if let Some(stem) = w.strip_suffix("ies") {
        return VERBS.binary_search(&format!("{stem}y").as_str()).is_ok();
    }
    if let Some(stem) = w.strip_suffix("es") {
        if VERBS.binary_search(&stem).is_ok() {
            return true;
        }
    }
    if let Some(stem) = w.strip_suffix('s') {
        return VERBS.binary_search(&stem).is_ok();
    }
    false
}

/// Single words that say nothing of a subject, units of measure among them ("kilometres",
/// "hour").
const GENERIC: &[&str] = &[
    "acre",
    "agency",
    "analyst",
    "area",
    "authority",
    "case",
    "cent",
    "change",
    "city",
    "company",
    "country",
    "county",
    "cut",
    "day",
    "deal",
    "decision",
    "degree",
    "dollar",
    "drop",
    "effort",
    "end",
    "euro",
    "expert",
    "fact",
    "fall",
    "favor",
    "firm",
    "gain",
    "gallon",
    "government",
    "group",
    "hectare",
    "home",
    "hour",
    "increase",
    "issue",
    "job",
    "kilometer",
    "kilometre",
    "km",
    "liter",
    "litre",
    "lot",
    "member",
    "meter",
    "metre",
    "mile",
    "minute",
    "month",
    "move",
    "mph",
    "number",
    "official",
    "option",
    "part",
    "people",
    "percent",
    "place",
    "plan",
    "point",
    "program",
    "province",
    "rate",
    "region",
    "report",
    "result",
    "review",
    "rise",
    "side",
    "site",
    "state",
    "statement",
    "step",
    "system",
    "thing",
    "time",
    "today",
    "ton",
    "tonne",
    "way",
    "week",
    "weekend",
    "world",
    "year",
];

/// Generic nouns of change: an event, never a subject that phrases share.
const CHANGES: &[&str] = &[
    "change", "cut", "drop", "fall", "gain", "increase", "move", "rise",
];

/// Words before a noun that make it a definite mention of something named before.
const DETERMINERS: &[&str] = &["the", "this", "that", "these", "those", "its", "their"];

/// Modal verbs: the word after one is a verb.
const MODALS: &[&str] = &[
    "will", "would", "can", "could", "may", "might", "must", "shall", "should", "cannot",
];

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gov", "sen", "rep", "gen", "col", "lt", "sgt",
    "no", "vs", "inc", "co", "corp", "ltd", "approx", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "prof", "mt", "ft",
];

/// Nouns ending in "ly" and "ed" (so not adverbs or participles).
const NOUNS_IN_LY: &[&str] = &[
    "ally", "anomaly", "assembly", "family", "monopoly", "rally", "reply", "supply", "italy",
    "july",
];
const NOUNS_IN_ED: &[&str] = &[
    "bleed", "breed", "creed", "deed", "feed", "greed", "hundred", "need", "seed", "shed", "sled",
    "speed", "steed", "weed",
];

/// Sorted: "-ing" words that name a thing (any other "-ing" word is read as a verb).
const ING_NOUNS: &[&str] = &[
    "advertising",
    "banking",
    "betting",
    "bleaching",
    "boarding",
    "bombing",
    "broadcasting",
    "building",
    "ceiling",
    "clothing",
    "computing",
    "dumping",
    "earnings",
    "engineering",
    "farming",
    "filing",
    "financing",
    "fishing",
    "flooding",
    "funding",
    "gambling",
    "hearing",
    "hiring",
    "housing",
    "killing",
    "landing",
    "lending",
    "licensing",
    "listing",
    "lobbying",
    "manufacturing",
    "marketing",
    "meeting",
    "mining",
    "nursing",
    "offering",
    "opening",
    "parking",
    "polling",
    "pricing",
    "processing",
    "rating",
    "recycling",
    "reporting",
    "ruling",
    "sentencing",
    "shipping",
    "shooting",
    "smuggling",
    "spending",
    "streaming",
    "testing",
    "trading",
    "training",
    "voting",
    "warming",
    "wedding",
];

/// Sorted: number words (those of [`FUNCTION`] apart).
const NUMBERS: &[&str] = &[
    "billion",
    "dozen",
    "eight",
    "eighteen",
    "eighty",
    "eleven",
    "fifteen",
    "fifty",
    "five",
    "forty",
    "four",
    "fourteen",
    "hundred",
    "million",
    "nine",
    "nineteen",
    "ninety",
    "seven",
    "seventeen",
    "seventy",
    "six",
    "sixteen",
    "sixty",
    "ten",
    "thirteen",
    "thirty",
    "thousand",
    "trillion",
    "twelve",
    "twenty",
];

/// Number words of [`FUNCTION`]: they also start a measuring compound ("two-year").
const NUMBERS_IN_FUNCTION: &[&str] = &["half", "one", "three", "two"];

/// Sorted: irregular past forms, never part of a topic.
const IRREGULAR_PAST: &[&str] = &[
    "ate",
    "became",
    "began",
    "bought",
    "broke",
    "brought",
    "built",
    "came",
    "chose",
    "drew",
    "drove",
    "fell",
    "felt",
    "flew",
    "forgot",
    "found",
    "froze",
    "gave",
    "got",
    "grew",
    "had",
    "heard",
    "held",
    "hid",
    "kept",
    "knew",
    "led",
    "left",
    "lent",
    "lost",
    "made",
    "meant",
    "met",
    "paid",
    "ran",
    "rode",
    "rose",
    "said",
    "sank",
    "sat",
    "saw",
    "sent",
    "shook",
    "shot",
    "sold",
    "sought",
    "spent",
    "spoke",
    "stole",
    "stood",
    "struck",
    "swore",
    "taught",
    "thought",
    "threw",
    "told",
    "took",
    "understood",
    "went",
    "woke",
    "won",
    "wore",
    "wrote",
];

/// Sorted, for binary search: words outside the shared stop list that are never a topic or a
/// phrase part (quantifiers, time and degree adjectives, discourse adverbs, particles of
/// phrasal verbs such as "set *aside*" and "break *apart*", pronouns).
const FUNCTION: &[&str] = &[
    "abroad",
    "according",
    "across",
    "additionally",
    "ago",
    "ahead",
    "almost",
    "along",
    "alongside",
    "already",
    "although",
    "amid",
    "among",
    "another",
    "apart",
    "around",
    "aside",
    "away",
    "back",
    "behind",
    "beside",
    "besides",
    "beyond",
    "big",
    "bigger",
    "biggest",
    "cannot",
    "current",
    "despite",
    "due",
    "early",
    "either",
    "else",
    "enough",
    "even",
    "ever",
    "every",
    "except",
    "far",
    "first",
    "former",
    "fourth",
    "full",
    "furthermore",
    "half",
    "high",
    "higher",
    "highest",
    "however",
    "inside",
    "instead",
    "key",
    "large",
    "larger",
    "largest",
    "last",
    "late",
    "later",
    "latest",
    "least",
    "less",
    "like",
    "little",
    "long",
    "longer",
    "low",
    "lower",
    "major",
    "many",
    "meanwhile",
    "might",
    "moreover",
    "much",
    "must",
    "near",
    "nearly",
    "never",
    "new",
    "next",
    "none",
    "offline",
    "often",
    "old",
    "older",
    "one",
    "others",
    "outside",
    "overnight",
    "per",
    "possible",
    "rather",
    "recent",
    "second",
    "several",
    "since",
    "still",
    "third",
    "though",
    "three",
    "throughout",
    "together",
    "top",
    "toward",
    "towards",
    "two",
    "unless",
    "upon",
    "us",
    "usual",
    "via",
    "well",
    "whether",
    "within",
    "without",
    "yet",
];

/// Sorted, for binary search: frequent verbs of news prose that are rarely a topic.
const VERBS: &[&str] = &[
    "accept", "add", "agree", "aim", "allow", "announce", "appear", "approve", "argue", "ask",
    "become", "begin", "believe", "blame", "bring", "build", "call", "carry", "cause", "claim",
    "come", "confirm", "consider", "continue", "cost", "create", "decide", "declare", "describe",
    "expect", "explain", "express", "face", "fall", "feel", "find", "follow", "get", "give", "go",
    "grow", "happen", "help", "hold", "hope", "include", "increase", "indicate", "issue", "keep",
    "know", "lead", "leave", "let", "like", "look", "lose", "make", "mark", "mean", "meet", "move",
    "need", "note", "offer", "open", "pay", "plan", "prompt", "provide", "push", "put", "raise",
    "reach", "receive", "reduce", "reflect", "remain", "report", "require", "return", "rise",
    "run", "said", "say", "says", "see", "seek", "seem", "send", "set", "show", "shut", "signal",
    "spend", "stand", "start", "stay", "stop", "suggest", "take", "talk", "tell", "think", "told",
    "took", "try", "turn", "urge", "use", "voice", "want", "warn", "win", "work", "would",
];

/// Weekdays, months and relative days: capitalized, never a subject.
fn is_calendar(lower: &str) -> bool {
    crate::text::is_calendar_word(lower) || crate::text::RELATIVE_DAYS.contains(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        assert!(FUNCTION.windows(2).all(|w| w[0] < w[1]));
        assert!(VERBS.windows(2).all(|w| w[0] < w[1]));
        assert!(NUMBERS.windows(2).all(|w| w[0] < w[1]));
    }

    /// "The museum" mentions again the "X of Y" name built on it, which counts its sentences.
    #[test]
    fn the_noun_an_of_name_is_built_on_mentions_it_again() {
        let text = "The National Museum of Kelby said it will return 12 carved doors to \
                    Ossary, a century after soldiers took them from a royal palace. The \
                    carved doors have been among the museum's best-loved objects. Ossary \
                    has asked for the doors since 1960. Some Kelby lawmakers said the \
                    museum should keep them. The museum will pay for their transport to \
                    Ossary, where the carved doors will go on show in a new hall.";
        let got = topics("Kelby museum to return 12 carved doors to Ossary", text, 5);
        assert!(
            got.contains(&"national museum of kelby".to_owned()),
            "{got:?}"
        );
        assert!(heads_of_name("port of greywater", "port"));
        assert!(!heads_of_name("port of greywater", "greywater"));
        assert!(!heads_of_name("rent cap", "cap"));
    }

    /// A unit of measure names no subject, however often the text measures with it.
    #[test]
    fn units_of_measure_are_not_topics() {
        let text = "Ash rose 9 kilometres above the volcano. People within eight kilometres \
                    of the volcano left. The airport lies 20 kilometres from the volcano, and \
                    the wage rises to $17 an hour, then $18 an hour.";
        let got = topics("Volcano erupts on Tevira", text, 5);
        assert!(got.contains(&"volcano".to_owned()), "{got:?}");
        assert!(
            !got.iter().any(|t| t == "kilometres" || t == "hour"),
            "{got:?}"
        );
        assert!(GENERIC.windows(2).all(|w| w[0] < w[1]));
    }

    /// The name a headline opens with is a topic when the text writes it as a name, even
    /// only inside a longer one or at a sentence's start if it is no English word.
    #[test]
    fn the_headline_subject_is_a_topic() {
        let text = "Penhallow City Council voted to raise the tax. Penhallow is one of 14 \
                    councils to do so. Thieves took a clock.";
        assert_eq!(
            subject("Penhallow raises council tax by 8.5%", text).as_deref(),
            Some("penhallow")
        );
        // "Thieves" starts the headline but the text writes it as a common noun.
        assert_eq!(subject("Thieves steal clock from museum", text), None);
        assert_eq!(subject("Health officials close school", text), None);
    }

    /// A name after common words is an apposition: the name is the topic ("battery maker
    /// Voltera" → "voltera"), but an acronym is no name ("electric SUVs").
    #[test]
    fn a_name_is_a_topic_without_the_title_before_it() {
        let text = "Battery maker Voltera will cut 850 jobs. Voltera blamed weak orders for \
                    electric SUVs. Energy minister Raoul Deschaine said Voltera had been \
                    warned. Sales of electric SUVs fell.";
        let got = topics("Voltera to cut 850 jobs", text, 5);
        assert!(got.contains(&"voltera".to_owned()), "{got:?}");
        assert!(
            !got.iter()
                .any(|t| t.contains("maker voltera") || t.contains("minister raoul")),
            "{got:?}"
        );
        assert!(got.contains(&"electric suvs".to_owned()), "{got:?}");
    }

    /// A headline's event is a topic a reader files the story under: its verb's noun after
    /// its object as the text writes it.
    #[test]
    fn the_headline_event_is_a_topic() {
        let text = "Thistle Bank will close 14 branches in small towns. Household gas prices \
                    stay capped. Bus and tram fares are frozen. Kaldor's biggest oil refinery \
                    burned. Mountain rescue funding falls by 40%.";
        for (title, want) in [
            (
                "Thistle Bank to close 14 branches in small towns",
                "branch closures",
            ),
            (
                "Velmont caps household gas prices for the winter",
                "gas price cap",
            ),
            (
                "Pemberly freezes bus and tram fares for two years",
                "tram fare freeze",
            ),
            (
                "Fire shuts Kaldor's biggest oil refinery",
                "oil refinery closure",
            ),
            (
                "Halvorn cuts mountain rescue funding by 40%",
                "rescue funding cut",
            ),
        ] {
            assert_eq!(event(title, text).as_deref(), Some(want), "{title}");
        }
        let text2 = "Tervo Mobile will retire its 3G network. Halsey Athletic lost 12 points.";
        assert_eq!(
            event("Tervo Mobile to switch off its 3G network in March", text2).as_deref(),
            Some("3g network switch-off")
        );
        assert_eq!(
            event("Halsey Athletic docked 12 points for breaking rules", text2).as_deref(),
            Some("point deduction")
        );
        assert_eq!(event("Tervo Mobile to switch its 3G network", text2), None);
        // How often is no object: "three *times*" a year.
        let text3 = "The Ardley barrier will close 45 times a year by 2040.";
        assert_eq!(
            event("Ardley barrier to close three times as often", text3),
            None
        );
        // A noun, not a verb: no event; nor an object the text does not write.
        assert_eq!(event("Rate cut hits savers", text), None);
        assert_eq!(event("Orlwick to close its museums", text), None);
        assert_eq!(singular("libraries"), "library");
        assert_eq!(singular("churches"), "church");
        assert!(EVENTS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// A phrasal verb's particle ("set *aside*", "broke *apart*") or an adverb of time or
    /// place ("*overnight*", "*offline*") is no topic nor part of one.
    #[test]
    fn particles_and_adverbs_are_not_topics() {
        let text = "Brackwater council set aside $18 million to mend roads. The old satellite \
                    broke apart overnight, and the meters went offline. Crews say the roads \
                    cannot wait, unless the frost ends.";
        let got = topics("Brackwater sets aside road fund", text, 5);
        for junk in ["aside", "apart", "overnight", "offline", "cannot", "unless"] {
            assert!(
                !got.iter().any(|t| t.split(' ').any(|w| w == junk)),
                "{junk}: {got:?}"
            );
        }
        assert!(got.iter().any(|t| t.contains("brackwater")), "{got:?}");
        // Nor an adverb of frequency, nor a lowercase abbreviation ("8 *p.m.*").
        let text = "The Harnby ward will shut at 8 p.m. each night. The ward shuts often in \
                    winter, and parents say the p.m. closures are hard.";
        let got = topics("Harnby ward to shut at night", text, 5);
        for junk in ["often", "p.m", "p.m."] {
            assert!(
                !got.iter().any(|t| t.split(' ').any(|w| w == junk)),
                "{junk}: {got:?}"
            );
        }
        assert!(got.iter().any(|t| t.contains("harnby")), "{got:?}");
    }

    /// A person named in full once and by surname after ("Anselm Korrow", "Korrow said") is
    /// among the first topics: the later mentions count for the full name.
    #[test]
    fn a_person_named_again_by_surname_is_a_topic() {
        let text = "Tavrosa's prime minister Anselm Korrow has lost a confidence vote in \
                    parliament by 112 votes to 104. The vote was called by the opposition \
                    after Korrow forced through a plan to raise the retirement age without a \
                    full debate. Korrow will stay on as caretaker prime minister until a new \
                    government is formed. The retirement age plan is now on hold, since a \
                    caretaker government cannot pass new laws. It is the third government to \
                    fall in Tavrosa in five years. President Helga Marrin will begin talks \
                    with party leaders on Monday.";
        let got = topics(
            "Tavrosa's prime minister ousted in parliament confidence vote",
            text,
            3,
        );
        assert!(got.iter().any(|t| t == "anselm korrow"), "{got:?}");
    }

    #[test]
    fn finds_the_subject_of_a_text() {
        let text = "The city council approved a tram line. The tram line links the harbour to \
                    the station. Tram construction starts in spring.";
        let got = keyphrases(text, 5);
        assert!(!got.is_empty() && got.len() <= 5);
        assert_eq!(got[0], "tram line", "{got:?}");
        assert!(got.iter().all(|k| k == &k.to_lowercase()));
    }

    #[test]
    fn names_and_noun_phrases_not_verb_fragments() {
        let text = "The Carrow government is taking steps to reopen talks with the Kessel \
                    Islands. Ministers expressed approval of the plan on Monday. Kessel \
                    Islands officials said the fishing treaty would stop issuing new permits \
                    this weekend due to low stocks. The Bengals' Joe Marlin backed the \
                    fishing treaty.";
        let got = topics(
            "Carrow reopens fishing treaty talks with Kessel Islands",
            text,
            5,
        );
        assert!(got.contains(&"kessel islands".to_owned()), "{got:?}");
        assert!(got.contains(&"fishing treaty".to_owned()), "{got:?}");
        for bad in [
            "taking steps",
            "expressed approval",
            "weekend due",
            "bengals' joe",
            "stop issuing",
        ] {
            assert!(!got.iter().any(|t| t.contains(bad)), "{bad} in {got:?}");
        }
        for t in &got {
            for w in t.split(' ') {
                assert!(!is_stop_word(w), "{t} in {got:?}");
            }
        }
    }

    #[test]
    fn the_main_subject_is_among_the_topics_even_when_named_once() {
        let text = "Aid convoys entered Gaza on Sunday after a pause of nine days. The trucks \
                    carried flour, medicine and fuel. Relief agencies said more convoys \
                    are needed each day.";
        let got = topics("Aid convoys reach Gaza after nine-day pause", text, 5);
        assert!(got.contains(&"gaza".to_owned()), "{got:?}");
        assert!(got.iter().any(|t| t.contains("convoy")), "{got:?}");
    }

    #[test]
    fn a_lone_noun_after_the_mentions_the_phrase_it_ends_again() {
        // "the cap" four times after "rent cap": the subject is the rent cap, not "cap" and
        // "rent" apart.
        let text = "The appeal court struck down the city's rent cap on Thursday. The cap \
                    limited rent increases to 3% a year. Judges said the cap exceeded the \
                    council's powers. Tenants fear rent increases once the cap ends. \
                    Landlords said the cap had discouraged building. The cap was passed \
                    last year.";
        let got = topics("Court strikes down the rent cap", text, 5);
        assert_eq!(got[0], "rent cap", "{got:?}");
        assert!(!got.contains(&"cap".to_owned()), "{got:?}");
        // Only a phrase that was named before, and that is a whole phrase somewhere: "the
        // state" is not "Merrow state" of "the Merrow state legislature".
        let text = "The Merrow state legislature passed a voter ID bill. The state will \
                    require photo ID at polls. The state expects challenges in court. \
                    Critics say the state acted in haste.";
        let got = topics("Merrow passes voter ID bill", text, 5);
        assert!(!got.contains(&"merrow state".to_owned()), "{got:?}");
    }

    #[test]
    fn an_infinitive_does_not_join_the_noun_after_it() {
        let text = "The transit authority voted to freeze bus fares until 2028. The freeze \
                    was a campaign promise. Riders welcomed the freeze.";
        let got = topics("Transit authority freezes bus fares", text, 5);
        assert!(!got.iter().any(|t| t.contains("freeze bus")), "{got:?}");
        assert!(got.contains(&"bus fares".to_owned()), "{got:?}");
    }

    #[test]
    fn quantities_are_not_part_of_a_topic() {
        let text = "Nurses ended a three-week strike on Sunday. Fourteen wagons left the \
                    tracks. The union signed a $1.9 billion deal with the hospital. The \
                    strike had closed wards.";
        let got = topics("Nurses end three-week strike", text, 5);
        for t in &got {
            for bad in ["three-week", "fourteen", "billion"] {
                assert!(!t.contains(bad), "{bad} in {got:?}");
            }
        }
        assert!(got.contains(&"strike".to_owned()), "{got:?}");
        assert!(is_quantity("ten-year") && is_quantity("twenty") && !is_quantity("tender"));
    }

    #[test]
    fn a_possessive_name_in_ly_is_a_name_at_a_sentence_start() {
        let text = "Pemberly's transit authority froze bus fares on Wednesday. Riders \
                    welcomed the news.";
        let got = topics("Transit authority freezes bus fares", text, 5);
        assert!(got.contains(&"pemberly".to_owned()), "{got:?}");
        assert!(got.contains(&"transit authority".to_owned()), "{got:?}");
    }

    #[test]
    fn a_place_and_a_longer_name_it_starts_are_two_topics() {
        // "Tessel" (the city) is not "Tessel Court of Appeal"; "Saltfleet" is the Saltfleet
        // oil refinery (a name with a common-noun head).
        let text = "The Tessel Court of Appeal struck down the rent cap. Tenants in Tessel \
                    could face rent increases. The rent cap covered 95,000 flats.";
        let got = topics("Court strikes down Tessel's rent cap", text, 5);
        assert!(got.contains(&"tessel".to_owned()), "{got:?}");
        assert!(
            got.contains(&"tessel court of appeal".to_owned()),
            "{got:?}"
        );
        let text = "A fire broke out at the Saltfleet oil refinery in Kaldor. The \
                    refinery's owner said the fire started in a unit. Saltfleet makes a \
                    third of the petrol sold in Kaldor. Pump prices could rise.";
        let got = topics("Fire shuts Kaldor's biggest oil refinery", text, 5);
        assert!(
            got.contains(&"saltfleet oil refinery".to_owned()),
            "{got:?}"
        );
        assert!(!got.contains(&"saltfleet".to_owned()), "{got:?}");
    }

    #[test]
    fn a_participle_counts_for_the_action_noun_of_the_text() {
        // "vaccinated" twice: vaccination is among the subjects though the noun is named
        // in one sentence only.
        let text = "Health officials confirmed 46 measles cases in the county. Most patients \
                    had not been vaccinated. Babies are too young to be vaccinated. Schools \
                    report more cases each week. The county opens vaccination clinics.";
        let got = topics("Measles outbreak grows to 46 cases", text, 4);
        assert!(got.contains(&"vaccination".to_owned()), "{got:?}");
    }

    #[test]
    fn a_name_s_first_word_alone_mentions_the_name_again() {
        // "Norvik said": a later mention of Norvik Petroleum.
        let text = "A fire shut the Saltfleet oil refinery in Kaldor. The refinery's owner, \
                    Norvik Petroleum, said the fire started in a unit. Fuel traders expect \
                    pump prices to rise. Fuel imports by ship will take weeks. Pump prices \
                    rose after the last ship strike. Norvik said it does not know when the \
                    refinery will restart.";
        let got = topics("Fire shuts Kaldor's biggest oil refinery", text, 5);
        assert!(got.contains(&"norvik petroleum".to_owned()), "{got:?}");
    }

    #[test]
    fn a_capital_that_only_starts_a_sentence_is_not_a_name() {
        // "Health officials" is capitalized only as a sentence's first words: it gets no
        // name bonus over "school", named in three sentences.
        let text = "Health officials confirmed 46 measles cases on Monday. The outbreak \
                    began at a school in Eastfold. Two more schools reported cases. Each \
                    school will test pupils.";
        let got = topics("Measles outbreak grows to 46 cases", text, 3);
        assert!(got.contains(&"school".to_owned()), "{got:?}");
        assert!(!got.contains(&"health officials".to_owned()), "{got:?}");
    }

    #[test]
    fn a_word_after_a_modal_is_a_verb() {
        let text = "Two red pandas will arrive at the zoo in May. The pandas come on a \
                    ten-year loan. Keepers will arrive early to meet the pandas.";
        let got = topics("Zoo to get two red pandas on loan", text, 5);
        assert!(!got.iter().any(|t| t.contains("arrive")), "{got:?}");
    }

    #[test]
    fn a_generic_title_noun_that_heads_several_phrases_is_a_topic() {
        // "rates" heads "policy rate" and "variable rates": the brief is about rates, which
        // neither phrase stands for alone.
        let text = "The Kestrel Bank held its policy rate at 3.5% on Wednesday. Governor \
                    Tobias Reinholt said inflation had cooled. Mortgage holders on variable \
                    rates will keep paying the same. The committee meets again in December.";
        let got = topics("Kestrel Bank holds rates steady", text, 5);
        assert!(got.contains(&"rate".to_owned()), "{got:?}");
        assert!(got.contains(&"kestrel bank".to_owned()), "{got:?}");
        // A noun of change is the event: "cut" of "rate cuts" and "quarter-point cut" is not.
        let text = "The Dunmore Reserve Bank lowered its benchmark rate on Thursday. Lenders \
                    pass on rate cuts quickly. Economists expect another quarter-point cut. \
                    Mortgage rates topped 7%.";
        let got = topics("Dunmore Reserve Bank cuts rates", text, 5);
        assert!(!got.contains(&"cut".to_owned()), "{got:?}");
        assert!(got.contains(&"rate".to_owned()), "{got:?}");
        // A noun that only one phrase has as its head is not: "case numbers" is not a case.
        let text = "Officials confirmed 46 measles cases on Monday. Doctors expect case \
                    numbers to rise. The outbreak began at a school.";
        let got = topics("Measles outbreak grows to 46 cases", text, 5);
        assert!(!got.contains(&"case".to_owned()), "{got:?}");
        // One phrase alone is not enough: "rate" stays a generic word.
        let text = "The Kestrel Bank held its policy rate at 3.5% on Wednesday. Governor \
                    Tobias Reinholt said inflation had cooled.";
        let got = topics("Kestrel Bank holds rates steady", text, 5);
        assert!(!got.contains(&"rate".to_owned()), "{got:?}");
    }

    #[test]
    fn a_word_between_a_name_and_a_determiner_is_a_verb() {
        let text = "The Dunmore Reserve Bank cut its benchmark rate on Thursday. The bank \
                    said inflation had cooled. Dunmore will see cheaper loans.";
        let got = topics("Dunmore Reserve Bank cuts rates", text, 5);
        assert!(got.contains(&"dunmore reserve bank".to_owned()), "{got:?}");
        assert!(!got.iter().any(|t| t.contains("bank cut")), "{got:?}");
    }

    #[test]
    fn empty_text_has_no_keyphrases() {
        assert!(keyphrases("   ", 5).is_empty());
    }
}
