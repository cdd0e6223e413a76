//! Reading the chosen brief for the answer: each sentence of each section is scored by the
//! question's content words it holds ([`sentence_scores`]), and the 1–2 sentences shown are
//! picked from the best section ([`pick`]) — the best sentence, with the sentence it leans
//! on when it opens with a connective or a pronoun ("However, …", "They …").
//!
//! Words are compared by [`key`]: the Snowball stem of the word's base form, folded onto a
//! small group of near-synonyms ([`super::lexicon::NEAR_SYNONYMS`]), so "lost jobs" meets
//! "will lose their jobs" and "new planes" meets "narrowbody jets".

use super::kinds::AnswerType;
use super::lexicon::{IRREGULAR, NEAR_SYNONYMS, NUMBER_WORDS, PHRASAL};
use super::stem;
use crate::brief::SectionKind;
use crate::summarize::rank::leans_on_previous;
use crate::text;
use crate::text::encoder::{self, SentenceEncoder};
use crate::text::vectors::WordVectors;
use rustc_hash::FxHashMap;
use std::sync::Arc;
use std::sync::LazyLock;

/// How much a question word that is also in the brief's title counts toward choosing a
/// sentence (it names the subject, which most sentences share).
pub const SUBJECT_SHARE: f64 = 0.3;

/// Bonus of a sentence holding the kind of answer asked for (see [`AnswerType`]), against the
/// share of the question matched (0..=1).
pub const TYPE_BONUS: f64 = 0.6;

/// Share of its match a sentence keeps when the question asks for a kind of answer (a time,
/// a quantity, an opinion, a cause) it does not hold: the words that place the subject ("the
/// mine *in the Sallow Hills*") are not the answer to "who is against the mine".
pub const UNTYPED: f64 = 0.8;

/// Prior of a section's i-th sentence, `POSITION / (i + 1)`: a section's first sentences
/// carry its main facts.
pub const POSITION: f64 = 0.1;

/// Stem of each near-synonym → the stem of its group's first word.
static SYNONYMS: LazyLock<FxHashMap<String, String>> = LazyLock::new(|| {
    let mut map = FxHashMap::default();
    for group in NEAR_SYNONYMS {
        let head = stem(group[0]);
        for w in *group {
            map.insert(stem(w), head.clone());
        }
    }
    map
});

/// The key a lowercase word is compared by when reading sentences: the stem of its base form
/// (irregular past forms mapped), folded onto its near-synonym group.
pub fn key(word: &str) -> String {
    let base = IRREGULAR
        .binary_search_by(|(form, _)| form.cmp(&word))
        .map_or(word, |i| IRREGULAR[i].1);
    let s = stem(base);
    match SYNONYMS.get(&s) {
        Some(head) => head.clone(),
        None => s,
    }
}

/// A text's words (lowercase) with each phrasal verb of [`PHRASAL`] read as the one word it
/// means ("rents have *gone up*" → "rents have rise"): its particle is a stop word, so word
/// by word the meaning would be lost. A verb followed by "again" adds its "re-" form ("open
/// again" → "reopen"), and taking someone to court adds "litigation" ([`goes_to_law`]).
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text::words(text).collect();
    let mut i = 0;
    while i + 1 < out.len() {
        let hit = PHRASAL.iter().find(|(verbs, particle, _)| {
            out[i + 1] == *particle && verbs.contains(&out[i].as_str())
        });
        if let Some((_, _, meaning)) = hit {
            out[i] = (*meaning).to_owned();
            out.remove(i + 1);
        }
        i += 1;
    }
    if goes_to_law(&out) {
        out.push("litigation".to_owned());
    }
    // "is the library open *again*": the verb with "re-" ("reopened"), when English has it.
    let again: Vec<String> = out
        .windows(2)
        .filter(|w| w[1] == "again" && !text::is_stop_word(&w[0]))
        .map(|w| format!("re{}", w[0]))
        .filter(|r| {
            ["", "ed", "ing", "s"]
                .iter()
                .any(|end| text::english::rank(&format!("{r}{end}")).is_some())
        })
        .collect();
    out.extend(again);
    out
}

/// Whether a text's words (lowercase) speak of taking someone to law: "who *took* Rendle
/// *to court*", "*to the tribunal*", or "the *case* was *brought* by three riders", "*brought
/// a claim*". Such a text holds the key of "litigation" (not of "appeal" or "challenge",
/// which a later step may be): the claimant answers "who took them to court", whatever verb
/// the brief used.
fn goes_to_law(words: &[String]) -> bool {
    let at = |i: usize| words.get(i).map_or("", String::as_str);
    (0..words.len()).any(|i| {
        let took = matches!(at(i), "take" | "takes" | "took" | "taking" | "taken")
            && (i + 1..(i + 7).min(words.len())).any(|j| {
                at(j) == "to"
                    && (matches!(at(j + 1), "court" | "tribunal")
                        || (at(j + 1) == "the" && matches!(at(j + 2), "court" | "tribunal")))
            });
        let brought = matches!(at(i), "brought" | "bring" | "brings" | "bringing")
            && (i.saturating_sub(3)..(i + 4).min(words.len()))
                .any(|j| matches!(at(j), "case" | "claim" | "lawsuit" | "action" | "challenge"));
        took || brought
    })
}

/// The keys of a text's content words, sorted and distinct.
pub fn keys(text: &str) -> Vec<String> {
    let mut out: Vec<String> = words(text)
        .into_iter()
        .filter(|w| !text::is_stop_word(w))
        .map(|w| key(&w))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The stems (as relevance compares words) and the [`key`]s (as sentence reading does) of a
/// text's content words, each sorted and distinct, stemming every word once.
pub fn stems_and_keys(text: &str) -> (Vec<String>, Vec<String>) {
    let mut stems = Vec::new();
    let mut keys = Vec::new();
    let mut prev = String::new();
    let all: Vec<String> = text::words(text).collect();
    if goes_to_law(&all) {
        keys.push(key("litigation"));
    }
    for w in all {
        // A phrasal verb's meaning is a key too ("gone up": "rise").
        if let Some((_, _, meaning)) = PHRASAL
            .iter()
            .find(|(verbs, particle, _)| w == *particle && verbs.contains(&prev.as_str()))
        {
            keys.push(key(meaning));
        }
        if !text::is_stop_word(&w) {
            let s = stem(&w);
            let k = match IRREGULAR.binary_search_by(|(form, _)| form.cmp(&w.as_str())) {
                Ok(i) => stem(IRREGULAR[i].1),
                Err(_) => s.clone(),
            };
            keys.push(SYNONYMS.get(&k).cloned().unwrap_or(k));
            stems.push(s);
        }
        prev = w;
    }
    for v in [&mut stems, &mut keys] {
        v.sort_unstable();
        v.dedup();
    }
    (stems, keys)
}

/// A section read for answering: its first sentences and their keys.
pub struct SectionRead {
    /// Which section.
    pub kind: SectionKind,
    /// Its first sentences ([`crate::summarize::lead_sentences`]).
    pub sentences: Vec<String>,
    /// The keys of each sentence.
    pub keys: Vec<Vec<String>>,
}

/// Cosine from which a sentence's word meets a question's word by meaning
/// ([`Meaning::of`]): below it, words are about different things.
pub const MEANING_FLOOR: f32 = 0.5;

/// Bytes of a sentence read for its meaning match: a news sentence is shorter; a hostile one
/// costs no more.
const MEANING_READ: usize = 600;

/// Share of a sentence's likeness to the brief's title taken from its likeness to the
/// question ([`Meaning::of`]): with all-MiniLM-L6-v2, the section holding the most like
/// sentence is the labelled one for 694 of 1091 questions of the tuning and training sets
/// at 0, 748 at 0.25, 751 at 0.5 and 0.75, 701 at 1.
const TITLE_SHARE: f32 = 0.5;

/// A question as a model of meaning holds it, to meet sentences by meaning: its words as word
/// vectors hold them, weighted, or the whole question as a sentence encoder reads it.
pub enum Meaning<'a> {
    Words {
        vectors: &'a WordVectors,
        asked: Vec<(&'a [i8], f64)>,
    },
    Sentence {
        encoder: &'a SentenceEncoder,
        asked: Arc<[f32]>,
        subject: Arc<[f32]>,
    },
}

impl<'a> Meaning<'a> {
    /// The question's `(word, weight)`s the vectors hold.
    pub fn new<'w>(
        vectors: &'a WordVectors,
        words: impl IntoIterator<Item = (&'w str, f64)>,
    ) -> Meaning<'a> {
        let asked = words
            .into_iter()
            .filter_map(|(w, weight)| Some((vectors.get(w)?, weight)))
            .collect();
        Meaning::Words { vectors, asked }
    }

    /// Encodes, to be kept, what [`Meaning::sentence`] and [`Meaning::of`] will read of a
    /// brief titled `title` with these sentences; returns how many texts that was.
    pub fn warm<'s>(
        encoder: &SentenceEncoder,
        title: &'s str,
        sentences: impl IntoIterator<Item = &'s str>,
    ) -> usize {
        let mut n = 0;
        for text in std::iter::once(title).chain(sentences) {
            encoder.encode(text::fit::head(text, MEANING_READ));
            n += 1;
        }
        n
    }

    /// The question as `encoder` reads it (its first [`MEANING_READ`] bytes), asked of the
    /// brief titled `title`.
    pub fn sentence(encoder: &'a SentenceEncoder, question: &str, title: &str) -> Meaning<'a> {
        Meaning::Sentence {
            encoder,
            asked: encoder.encode(text::fit::head(question, MEANING_READ)),
            subject: encoder.encode(text::fit::head(title, MEANING_READ)),
        }
    }

    /// How well `sentence` meets the question by meaning. With word vectors (0..=1): the
    /// mean, weighted, of the best cosine (from [`MEANING_FLOOR`], else 0) any of the
    /// sentence's content words has with each question word; "did anyone evacuate" meets
    /// "were moved to storm shelters", which shares none of its words; 0 when no question
    /// word has a vector. With a sentence encoder (-1.5..=1.5): the cosine of the question
    /// and the sentence less [`TITLE_SHARE`] of the cosine of the brief's title and the
    /// sentence: what the question asks beyond its subject, which every sentence of the
    /// brief shares ("who is hit hardest by the rail closure" meets "9,000 people take the
    /// line to work" more than "the rail line will stay shut").
    pub fn of(&self, sentence: &str) -> f64 {
        match self {
            Meaning::Words { vectors, asked } => Meaning::of_words(vectors, asked, sentence),
            Meaning::Sentence {
                encoder,
                asked,
                subject,
            } => {
                let held = encoder.encode(text::fit::head(sentence, MEANING_READ));
                f64::from(encoder::dot(asked, &held) - TITLE_SHARE * encoder::dot(subject, &held))
            }
        }
    }

    fn of_words(vectors: &WordVectors, asked: &[(&[i8], f64)], sentence: &str) -> f64 {
        let held: Vec<&[i8]> = text::words(text::fit::head(sentence, MEANING_READ))
            .filter(|w| !text::is_stop_word(w))
            .filter_map(|w| vectors.get(&w))
            .collect();
        let (mut sum, mut total) = (0.0, 0.0);
        for &(q, weight) in asked {
            let best = held
                .iter()
                .map(|v| WordVectors::cosine(q, v))
                .fold(0.0f32, f32::max);
            if best >= MEANING_FLOOR {
                sum += weight * f64::from(best);
            }
            total += weight;
        }
        if total > 0.0 {
            sum / total
        } else {
            0.0
        }
    }
}

/// One content word of a question, for reading sentences.
pub struct Word {
    /// Its [`key`].
    pub key: String,
    /// A word that says what kind of answer is wanted ("lose", "cheaper"): it helps choose
    /// the sentence a little, never the brief.
    pub cue: bool,
}

/// Weight of a question's cue word ([`Word::cue`]) against a content word of the same rarity.
pub const CUE_WORD_SHARE: f64 = 0.5;

fn holds(keys: &[String], key: &str) -> bool {
    keys.binary_search_by(|h| h.as_str().cmp(key)).is_ok()
}

/// How well each sentence of each section answers: the share of the question's weight
/// among its words (times [`UNTYPED`] when the question asks for a kind of answer the
/// sentence lacks), plus [`TYPE_BONUS`] when it holds the kind of answer asked for (a time
/// for "when", a number for "how much", a cause for "why"), plus a position prior. A word's
/// weight is its rarity among the brief's sentences; a word of the brief's title counts
/// [`SUBJECT_SHARE`] of it: the subject picks the brief, the rest of the question picks the
/// sentence.
pub fn sentence_scores(
    sections: &[SectionRead],
    title: &[String],
    question: &str,
    words: &[Word],
) -> Vec<Vec<f64>> {
    let all: Vec<&Vec<String>> = sections.iter().flat_map(|s| &s.keys).collect();
    let n = all.len() as f64;
    let subject: Vec<bool> = words.iter().map(|w| holds(title, &w.key)).collect();
    let local: Vec<f64> = words
        .iter()
        .map(|w| {
            let df = all.iter().filter(|s| holds(s, &w.key)).count() as f64;
            let idf = if df == 0.0 {
                0.0
            } else {
                ((n + 1.0) / (df + 0.5)).ln()
            };
            if w.cue {
                idf * CUE_WORD_SHARE
            } else {
                idf
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
    // "how many *students*": a count of the thing asked ("48,000 students") answers better
    // than any number; when no sentence counts it, any number does.
    let counted = (wanted == Some(AnswerType::Quantity))
        .then(|| counted_key(question))
        .flatten()
        .filter(|k| {
            sections
                .iter()
                .flat_map(|s| &s.sentences)
                .any(|x| counts(x, k))
        });
    // "what % of…", "what percentage": a share in percent answers better than any number;
    // when no sentence gives one, any number does.
    let percent = (wanted == Some(AnswerType::Quantity) && counted.is_none())
        .then(|| super::kinds::normalized(question))
        .is_some_and(|q| {
            [" percent ", " percentage ", " proportion "]
                .iter()
                .any(|p| q.contains(p))
        })
        && sections
            .iter()
            .flat_map(|s| &s.sentences)
            .any(|x| gives_percent(x));
    sections
        .iter()
        .map(|s| {
            s.sentences
                .iter()
                .zip(&s.keys)
                .enumerate()
                .map(|(i, (sentence, keys))| {
                    let matched: f64 = words
                        .iter()
                        .zip(&weight)
                        .filter(|(w, _)| holds(keys, &w.key))
                        .map(|(_, w)| w)
                        .sum();
                    let share = if total > 0.0 { matched / total } else { 0.0 };
                    let typed = match &counted {
                        Some(k) => counts(sentence, k),
                        None if percent => gives_percent(sentence),
                        None => wanted.is_some_and(|w| w.found_in(sentence)),
                    };
                    let share = if wanted.is_some() && !typed {
                        share * UNTYPED
                    } else {
                        share
                    };
                    share + if typed { TYPE_BONUS } else { 0.0 } + POSITION / (i as f64 + 1.0)
                })
                .collect()
        })
        .collect()
}

/// The [`key`] of the thing a "how many" question counts: the last word of the phrase
/// after "how many", which ends at a function word or a verb ("how many *kids* does…",
/// "how many measles *patients* in…", "how many *people* use…").
fn counted_key(question: &str) -> Option<String> {
    let words: Vec<String> = text::words(question).collect();
    let at = words
        .windows(2)
        .position(|w| w[0] == "how" && w[1] == "many")?
        + 2;
    words[at..]
        .iter()
        .take(3)
        .take_while(|w| !text::is_stop_word(w) && !crate::summarize::keywords::is_verb(w))
        .last()
        .map(|w| key(w))
}

/// Whether a sentence gives a share in percent ("58%", "12 per cent").
fn gives_percent(sentence: &str) -> bool {
    sentence.contains('%') || sentence.contains(" percent") || sentence.contains(" per cent")
}

/// Whether a sentence gives a number of the thing keyed `k`: a number followed, within two
/// words, by it ("48,000 students", "seven more people").
fn counts(sentence: &str, k: &str) -> bool {
    let words: Vec<String> = text::words(sentence).collect();
    words.iter().enumerate().any(|(i, w)| {
        (w.chars().all(|c| c.is_ascii_digit()) || NUMBER_WORDS.contains(&w.as_str()))
            && words[i + 1..].iter().take(2).any(|x| key(x) == k)
    })
}

/// The 1–2 sentences to show, given each sentence's match: the best (the first on a tie;
/// the lead when nothing matches), with its antecedent if it leans on it; else with the
/// next best (a "why" question's restatement of the event comes with the sentence giving
/// the cause), never a leaning sentence whose antecedent is not shown; in original order.
pub fn pick(sentences: &[String], m: &[f64]) -> Vec<String> {
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
    } else if let Some(j) = (0..sentences.len())
        .filter(|&j| j != b && (!leans(j) || j == b + 1))
        .max_by(|&x, &y| {
            m[x].total_cmp(&m[y])
                .then(y.abs_diff(b).cmp(&x.abs_diff(b)))
                .then(y.cmp(&x))
        })
    {
        shown.push(j);
    }
    shown.sort_unstable();
    shown.into_iter().map(|i| sentences[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_meet_across_irregular_forms_and_near_synonyms() {
        for (a, b) in [
            ("lost", "lose"),
            ("planes", "jets"),
            ("children", "kids"),
            ("challenged", "appeal"),
            ("budget", "funding"),
            ("excuse", "claimed"),
            ("justify", "argues"),
            ("sheep", "livestock"),
            ("admit", "denies"),
            ("capped", "limit"),
            ("fans", "supporters"),
        ] {
            assert_eq!(key(a), key(b), "{a} {b}");
        }
        assert_ne!(key("planes"), key("children"));
        assert!(keys("will the government bail out the board").contains(&key("funding")));
        let (stems, keys) = stems_and_keys("Pilots lost their planes");
        assert!(stems.contains(&stem("lost")) && keys.contains(&key("lose")));
        assert!(keys.contains(&key("jets")) && !stems.contains(&stem("jets")));
    }

    /// A phrasal verb meets the one word it means, in questions and in sentences.
    #[test]
    fn phrasal_verbs_meet_the_word_they_mean() {
        assert!(keys("how much have rents gone up").contains(&key("risen")));
        assert!(keys("is the cap still in effect").contains(&key("force")));
        let (_, k) = stems_and_keys("The launch was pushed back to May.");
        assert!(k.contains(&key("delay")), "{k:?}");
        assert_eq!(
            super::words("prices went up again"),
            ["prices", "rise", "again"]
        );
        assert!(keys("do companies need to sign up").contains(&key("register")));
        // A verb "again" is its "re-" form, where English has one.
        assert!(keys("is the library open again").contains(&key("reopened")));
        assert!(!keys("they lost again").contains(&key("relost")));
        // Without its particle the verb is itself.
        assert!(!keys("the team went home").contains(&key("rise")));
    }

    fn section(kind: SectionKind, sentences: &[&str]) -> SectionRead {
        SectionRead {
            kind,
            sentences: sentences.iter().map(|x| x.to_string()).collect(),
            keys: sentences.iter().map(|x| keys(x)).collect(),
        }
    }

    fn words(question: &str) -> Vec<Word> {
        keys(question)
            .into_iter()
            .map(|key| Word { key, cue: false })
            .collect()
    }

    #[test]
    fn how_many_is_answered_by_a_count_of_the_thing_asked() {
        assert_eq!(
            counted_key("how many kids does the ban cover"),
            Some(key("kids"))
        );
        assert_eq!(
            counted_key("how many measles patients are in hospital"),
            Some(key("patients"))
        );
        assert_eq!(
            counted_key("how many people use the app"),
            Some(key("people"))
        );
        let sections = [
            section(
                SectionKind::Happening,
                &["The school board voted 6-1 on Thursday to ban student phones."],
            ),
            section(
                SectionKind::Importance,
                &["The district, with 48,000 students, is the largest to adopt a ban."],
            ),
        ];
        let q = "how many kids does the school phone ban cover";
        let m = sentence_scores(&sections, &keys("School phone ban"), q, &words(q));
        assert!(m[1][0] > m[0][0], "{m:?}");
    }

    #[test]
    fn what_percent_is_answered_by_a_share_in_percent() {
        let sections = [
            section(
                SectionKind::Happening,
                &["The board counted 2,340 pregnant women with whooping cough."],
            ),
            section(
                SectionKind::Importance,
                &["Only 58% of pregnant women had the jab."],
            ),
        ];
        // Both give a number of pregnant women; the share in percent answers.
        for q in [
            "what % of pregnant women",
            "what percentage of pregnant women",
        ] {
            let m = sentence_scores(&sections, &keys("Oxmere jab drive"), q, &words(q));
            assert!(m[1][0] > m[0][0], "{q}: {m:?}");
        }
        // A share stated in the question asks for none.
        assert_ne!(
            AnswerType::of("arent councils capped at 5%"),
            Some(AnswerType::Quantity)
        );
    }

    /// "Who took X to court" is answered by whoever brought the case, not by the court's
    /// ruling nor by an appeal to come.
    #[test]
    fn who_took_them_to_court_is_who_brought_the_case() {
        let sections = [
            section(
                SectionKind::Happening,
                &[
                    "The High Court ruled that the city's police broke privacy law.",
                    "The case was brought by three residents who were filmed.",
                ],
            ),
            section(
                SectionKind::Next,
                &["The police may appeal to the Supreme Court within 28 days."],
            ),
        ];
        let q = "who took the police to court";
        let m = sentence_scores(
            &sections,
            &keys("Court rules police cameras unlawful"),
            q,
            &words(q),
        );
        assert!(m[0][1] > m[0][0] && m[0][1] > m[1][0], "{m:?}");
    }

    #[test]
    fn a_leaning_best_sentence_comes_with_its_antecedent() {
        let s: Vec<String> = [
            "The board raised rates.",
            "However, it froze fees.",
            "Fees fell.",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(pick(&s, &[0.1, 0.9, 0.2]), s[..2].to_vec());
        // The second sentence leans on the first: it is never shown without it.
        let got = pick(&s, &[0.1, 0.5, 0.9]);
        assert!(got.contains(&s[2]) && !got.contains(&s[1]), "{got:?}");
    }
}
