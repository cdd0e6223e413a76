//! Which section a question's *wording* leans toward, learned from labelled questions: a
//! conditional logit over the sections a brief has, whose score for a section is
//! `a·cue + b·best_sentence + bias + Σ w(feature) + Σ v(cross)`, where `cue` is the
//! hand-written lean of [`super::kinds::cues`], `best_sentence` the match of
//! [`super::read::sentence_scores`], the features are the question's common words and word
//! pairs with every rarer word (a name, a subject word) masked as `X`: "why did the Xs
//! close" → `u:why`, `b:why_did`, `b:the_X`…, and the crosses pair what the question asks
//! ([`asked`]: the kind of answer, and whether it asks about the future) with what the
//! section's best sentence holds ([`held`]: a time, a number, a cause…, the future): `x:Will_
//! Future` — a "will" question leans to the section whose best sentence speaks of the
//! future. The features see how people ask, not what about, so they carry from one brief to
//! another.
//!
//! Why learned and not more cue rules: the cue rules were tuned on the project's own
//! questions and the first held-out sets, where a grid found them at their best (EVAL.md,
//! eighth round); on questions written blind they chose the right section of the right brief
//! about 70 % of the time. The many small ways of asking ("didnt they know about this years
//! ago", "are we getting anything from them") are better counted than listed.
//!
//! The weights are in `lean.txt`, written by `tools/train_lean.py` from the labelled
//! training sets (it names them); the held-out sets are never trained on. The model is
//! small (a few thousand numbers) and embedded; scoring a question is one hash lookup per
//! feature.

use super::kinds;
use super::read::Meaning;
use crate::text::english;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// The weights, as `tools/train_lean.py` writes them.
static TEXT: &str = include_str!("lean.txt");

/// The weights learned with word vectors (`tools/train_lean.py --vectors`): one more input,
/// how well the section's best sentence meets the question's words by meaning
/// ([`super::read::Meaning`]).
static TEXT_VECTORS: &str = include_str!("lean_vectors.txt");

/// The weights learned with a sentence encoder (`tools/train_lean.py --model`): the third
/// input is the best of the section's sentences by [`super::read::Meaning::of`] (its cosine
/// with the question less half its cosine with the brief's title).
static TEXT_ENCODER: &str = include_str!("lean_encoder.txt");

/// The learned model.
pub struct Model {
    /// Words of at most this English rank are kept; rarer ones are masked.
    common: u32,
    /// Weight of the cue.
    a: f64,
    /// Weight of the best sentence's score.
    b: f64,
    /// Weight of the best meaning match (0 in the model without word vectors).
    e: f64,
    /// Per section (happening, importance, next).
    bias: [f64; 3],
    /// Feature → weight per section.
    weights: FxHashMap<&'static str, [f64; 3]>,
    /// What the question asks × what a section's best sentence holds → weight
    /// ([`crossed`]).
    cross: FxHashMap<&'static str, f64>,
}

static MODEL: LazyLock<Model> = LazyLock::new(|| parse(TEXT));
static MODEL_VECTORS: LazyLock<Model> = LazyLock::new(|| parse(TEXT_VECTORS));
static MODEL_ENCODER: LazyLock<Model> = LazyLock::new(|| parse(TEXT_ENCODER));

/// The model to score with: the one learned with the model of meaning in use, if any.
pub fn model(meaning: Option<&Meaning>) -> &'static Model {
    match meaning {
        None => &MODEL,
        Some(Meaning::Words { .. }) => &MODEL_VECTORS,
        Some(Meaning::Sentence { .. }) => &MODEL_ENCODER,
    }
}

/// The three models: without meaning, with word vectors, with a sentence encoder.
#[cfg(test)]
fn all() -> [&'static Model; 3] {
    [&MODEL, &MODEL_VECTORS, &MODEL_ENCODER]
}

/// Reads `lean.txt`: `common N`, `scale A B` (or `scale A B E`), `bias H I N`, then one `feature H I N` per
/// line; `#` lines are comments. The file is the project's own and checked by a test, so a
/// malformed line is a bug: it panics with the line.
fn parse(text: &'static str) -> Model {
    let mut m = Model {
        common: 0,
        a: 1.0,
        b: 1.0,
        e: 0.0,
        bias: [0.0; 3],
        weights: FxHashMap::default(),
        cross: FxHashMap::default(),
    };
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut parts = line.split(' ');
        let key = parts.next().unwrap_or_default();
        let nums: Vec<f64> = parts
            .map(|p| p.parse().unwrap_or_else(|_| panic!("lean.txt: {line}")))
            .collect();
        match (key, nums.as_slice()) {
            ("common", [n]) => m.common = *n as u32,
            ("scale", [a, b]) => (m.a, m.b) = (*a, *b),
            ("scale", [a, b, e]) => (m.a, m.b, m.e) = (*a, *b, *e),
            ("bias", [h, i, n]) => m.bias = [*h, *i, *n],
            (f, [h, i, n]) if f.starts_with("u:") || f.starts_with("b:") => {
                m.weights.insert(f, [*h, *i, *n]);
            }
            (f, [w]) if f.starts_with("x:") => {
                m.cross.insert(f, *w);
            }
            _ => panic!("lean.txt: {line}"),
        }
    }
    m
}

/// The question's features: each common word (`u:word`) and each pair of neighbours
/// (`b:first_second`, with `<s>` and `</s>` at the ends), rarer words masked as `X` and a
/// run of them as one; each feature once, sorted.
pub fn features(question: &str) -> Vec<String> {
    features_with(question, MODEL.common)
}

fn features_with(question: &str, common: u32) -> Vec<String> {
    let q = kinds::normalized(question);
    let mut tokens: Vec<&str> = Vec::new();
    for w in q.split_whitespace() {
        let t = if english::rank(w).is_some_and(|r| r <= common) {
            w
        } else {
            "X"
        };
        if !(t == "X" && tokens.last() == Some(&"X")) {
            tokens.push(t);
        }
    }
    let mut out: Vec<String> = tokens
        .iter()
        .filter(|t| **t != "X")
        .map(|t| format!("u:{t}"))
        .collect();
    let padded: Vec<&str> = std::iter::once("<s>")
        .chain(tokens.iter().copied())
        .chain(std::iter::once("</s>"))
        .collect();
    out.extend(padded.windows(2).map(|p| format!("b:{}_{}", p[0], p[1])));
    out.sort();
    out.dedup();
    out
}

impl Model {
    /// A section's score: the cue, the best sentence's score and its meaning match (with
    /// word vectors) weighed as learned, plus what the question's wording says of the
    /// section (index in [`crate::brief::SectionKind::ALL`] order, [`Model::wording`]),
    /// plus what the question asks crossed with what the section's best sentence holds
    /// ([`crossed`]).
    #[allow(clippy::too_many_arguments)]
    pub fn score(
        &self,
        cue: f64,
        best_sentence: f64,
        meaning: f64,
        wording: &[f64; 3],
        section: usize,
        asked: &[&str],
        held: &[&str],
    ) -> f64 {
        let cross: f64 = crossed(asked, held)
            .iter()
            .filter_map(|f| self.cross.get(f.as_str()))
            .sum();
        self.a * cue + self.b * best_sentence + self.e * meaning + wording[section] + cross
    }

    /// What the question's wording says of each section (happening, importance, next).
    pub fn wording(&self, question: &str) -> [f64; 3] {
        let mut out = self.bias;
        for f in features_with(question, self.common) {
            if let Some(w) = self.weights.get(f.as_str()) {
                for (o, x) in out.iter_mut().zip(w) {
                    *o += x;
                }
            }
        }
        out
    }
}

/// What a question asks, as tags: the kind of answer its wording asks for
/// ([`super::kinds::AnswerType`], or `Any`), `Will` when it asks about the future ("will",
/// "going to", "could"), and `Now` when it asks how things stand ("still", "now", "tonight").
pub fn asked(question: &str) -> Vec<&'static str> {
    let mut out = vec![super::kinds::AnswerType::of(question).map_or("Any", type_name)];
    let q = kinds::normalized(question);
    if [" will ", " going to ", " could ", " would ", " gonna "]
        .iter()
        .any(|p| q.contains(p))
    {
        out.push("Will");
    }
    // "can i still…", "is it open now", "tonight": how things stand, which the news often
    // states and a later step may change.
    if [
        " still ",
        " now ",
        " currently ",
        " tonight ",
        " today ",
        " yet ",
        " anymore ",
    ]
    .iter()
    .any(|p| q.contains(p))
    {
        out.push("Now");
    }
    out
}

/// Bytes of a sentence read for its tags: a news sentence is shorter; a hostile one costs
/// no more.
const HELD_READ: usize = 600;

/// What a sentence holds, as tags: each kind of answer found in it, and `Future` when it
/// speaks of the future ("will", "plans", "expected"…). Only its first [`HELD_READ`] bytes
/// are read.
pub fn held(sentence: &str) -> Vec<&'static str> {
    let sentence = crate::text::fit::head(sentence, HELD_READ);
    let words: Vec<String> = crate::text::words(sentence).collect();
    let mut out: Vec<&'static str> = super::kinds::AnswerType::ALL
        .into_iter()
        .filter(|t| t.found_in_words(sentence, &words))
        .map(type_name)
        .collect();
    let future = words.iter().any(|w| {
        super::lexicon::FUTURE_MODALS.contains(&w.as_str())
            || matches!(
                w.as_str(),
                "plans" | "planned" | "expected" | "due" | "next"
            )
    });
    if future {
        out.push("Future");
    }
    out
}

fn type_name(t: super::kinds::AnswerType) -> &'static str {
    use super::kinds::AnswerType as T;
    match t {
        T::Time => "Time",
        T::Quantity => "Quantity",
        T::Opinion => "Opinion",
        T::Reason => "Reason",
        T::Place => "Place",
        T::Advice => "Advice",
        T::Precedent => "Precedent",
    }
}

/// The crossed features of a question's tags and a sentence's: `x:Time_Future`…; `x:q_`
/// for an asked tag whose sentence holds nothing.
pub fn crossed(asked: &[&str], held: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for a in asked {
        if held.is_empty() {
            out.push(format!("x:{a}_"));
        }
        for h in held {
            out.push(format!("x:{a}_{h}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tool computes the same features (`tools/train_lean.py`, `features`): this is the
    /// example its doc gives.
    #[test]
    fn features_keep_how_it_is_asked_and_mask_what_about() {
        let f = features_with("Why did the Kestrelford plant close?", 5000);
        assert_eq!(
            f,
            [
                "b:<s>_why",
                "b:X_plant",
                "b:close_</s>",
                "b:did_the",
                "b:plant_close",
                "b:the_X",
                "b:why_did",
                "u:close",
                "u:did",
                "u:plant",
                "u:the",
                "u:why",
            ]
            .map(String::from)
        );
    }

    #[test]
    fn what_is_asked_meets_what_a_sentence_holds() {
        assert_eq!(asked("will the bridge reopen"), ["Any", "Will"]);
        assert_eq!(asked("when does the ban start"), ["Time"]);
        assert_eq!(
            asked("can i still get a glidr home tonight"),
            ["Any", "Now"]
        );
        let h = held("The bridge will reopen in March.");
        assert!(h.contains(&"Time") && h.contains(&"Future"), "{h:?}");
        assert_eq!(
            crossed(&["Any", "Will"], &["Time"]),
            ["x:Any_Time", "x:Will_Time"]
        );
        assert_eq!(crossed(&["Any"], &[]), ["x:Any_"]);
        // Learned: a question about the future leans to a sentence about it.
        let will = ["Any", "Will"];
        for m in all() {
            assert!(
                m.score(0.0, 0.0, 0.0, &[0.0; 3], 0, &will, &["Future"])
                    > m.score(0.0, 0.0, 0.0, &[0.0; 3], 0, &will, &[])
            );
        }
    }

    #[test]
    fn the_embedded_model_reads_and_leans_as_people_ask() {
        for m in all() {
            assert!(m.common > 0 && m.weights.len() > 100);
            // What the wording's features say, without the bias (an offset per section that
            // trades with the other inputs: with the encoder's relative meaning it favours
            // the news).
            let top = |q: &str| {
                let w = m.wording(q);
                let f = |x: usize| w[x] - m.bias[x];
                (0..3).max_by(|&x, &y| f(x).total_cmp(&f(y))).unwrap()
            };
            assert_eq!(top("how long until they decide"), 2);
            assert_eq!(top("who gets hurt by this"), 1);
        }
        // Learned with a model of meaning, a sentence meeting the question by meaning counts.
        let [plain, vectors, encoder] = all();
        assert!(vectors.e > 0.0 && encoder.e > 0.0 && plain.e == 0.0);
    }
}
