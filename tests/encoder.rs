//! The optional sentence encoder on the real all-MiniLM-L6-v2 (`tools/model.sh DIR`), named by
//! `BRIEFBOT_TEST_MODEL`. `.ci/run` fetches the model and sets the variable, so in CI these
//! run; elsewhere, without the variable, they say they are skipped. A set variable naming a
//! folder that is not a model fails them.

use briefbot::brief::{parse::parse, Library, ParseOptions, SectionKind};
use briefbot::core::qa::{self, Outcome, Semantics};
use briefbot::text::encoder::SentenceEncoder;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

fn model() -> Option<Arc<SentenceEncoder>> {
    static MODEL: OnceLock<Option<Arc<SentenceEncoder>>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            let Some(dir) = std::env::var_os("BRIEFBOT_TEST_MODEL").map(PathBuf::from) else {
                eprintln!(
                    "skipped: BRIEFBOT_TEST_MODEL is not set (tools/model.sh DIR fetches it)"
                );
                return None;
            };
            Some(Arc::new(
                SentenceEncoder::load(&dir).unwrap_or_else(|e| panic!("BRIEFBOT_TEST_MODEL: {e}")),
            ))
        })
        .clone()
}

/// The cosines sentence-transformers publishes for all-MiniLM-L6-v2 (its quickstart's
/// examples): the tokenizer, the forward pass and the pooling are those the model was
/// trained with.
#[test]
fn minilm_gives_the_cosines_sentence_transformers_publishes() {
    let Some(e) = model() else { return };
    for (a, b, want) in [
        (
            "The new movie is awesome",
            "The new movie is so great",
            0.8939,
        ),
        (
            "The cat sits outside",
            "The cat plays in the garden",
            0.6788,
        ),
        ("I love pasta", "Do you like pizza?", 0.5096),
    ] {
        let got = e.similarity(a, b);
        assert!(
            (got - want).abs() < 5e-4,
            "{a} / {b}: {got}, published {want}"
        );
    }
    assert_eq!(e.dimensions(), 384);
}

const STORM: &str = "Storm Aldis batters the Corvane coast

What's Happening?
Storm Aldis reached the Corvane coast on Tuesday night with gusts of 140 km/h, tearing roofs \
from homes in three fishing towns. Power is still out for 60,000 households.

Why It's Important?
About 12,000 people spent the night in school halls and sports centres after officials ordered \
the seafront cleared on Monday. Insurers expect claims to pass $400 million, the costliest storm \
on the coast in twenty years.

What's Next?
Road crews will reopen the coast road on Friday once fallen trees are cleared. The weather \
office warns a second, weaker storm could arrive next week.
";

/// With the model, `/ask` meets a question by meaning: "is another storm coming" shares only
/// "storm" with the forecast in *What's Next?* (words alone chose *What's Happening?*, whose
/// lead names the storm, when this was written), and the questions words alone answer stay
/// answered.
#[test]
fn with_minilm_ask_meets_a_question_by_meaning() {
    let Some(e) = model() else { return };
    let library = Library::from_briefs([parse(STORM, "storm", &ParseOptions::default()).unwrap()]);
    let semantics = Semantics::Encoder(e);
    let ask = |q: &str| match qa::answer_with(&library, q, Some(&semantics)) {
        Outcome::Answer(a) => (a.section, a.sentences.join(" ")),
        other => panic!("{q}: not answered: {other:?}"),
    };
    for (q, section, shown) in [
        (
            "is another storm coming after aldis",
            SectionKind::Next,
            "second, weaker storm",
        ),
        (
            "how strong was storm aldis",
            SectionKind::Happening,
            "140 km/h",
        ),
        (
            "is aldis going to cost insurers a lot",
            SectionKind::Importance,
            "$400 million",
        ),
        (
            "can i drive along the corvane coast yet",
            SectionKind::Next,
            "reopen the coast road",
        ),
    ] {
        let (got, sentences) = ask(q);
        assert_eq!(got, section, "{q}: {sentences}");
        assert!(sentences.contains(shown), "{q}: {sentences}");
    }
}

/// The five sets written blind (never trained or tuned on; only their totals were read):
/// with the model `/ask` chooses the right brief and section, and shows the answer, for more
/// questions than without it (215 and 203 of 300 without; 225 and 216 with it when it was
/// built, docs/EVAL.md), and refuses and wrongly answers no more.
#[test]
fn with_minilm_the_blind_sets_are_answered_better() {
    let Some(e) = model() else { return };
    let (mut plain, mut with) = ([0; 4], [0; 4]);
    for set in 5..=9 {
        let dir = PathBuf::from(format!("eval/qa-holdout{set}"));
        for (semantics, sums) in [
            (None, &mut plain),
            (Some(Semantics::Encoder(e.clone())), &mut with),
        ] {
            let report = briefbot::eval::run_with(&dir, semantics).expect("the set loads");
            let a = &report.ask.all;
            for (sum, n) in sums.iter_mut().zip([
                a.right_brief_and_section.n,
                a.answer_shown.n,
                a.on_topic_refused.n,
                a.off_topic_answered.n,
            ]) {
                *sum += n;
            }
        }
    }
    let [both, shown, refused, off_topic] = with;
    assert!(
        both >= 222 && both > plain[0],
        "with {with:?}, without {plain:?}"
    );
    assert!(
        shown >= 212 && shown > plain[1],
        "with {with:?}, without {plain:?}"
    );
    assert!(
        refused <= plain[2] && off_topic <= plain[3],
        "with {with:?}, without {plain:?}"
    );
}
