//! The answers stay as good as measured: `briefbot eval` on the labelled set in `eval/qa/`
//! (original briefs and questions; see its README), with floors a little under the figures
//! recorded in `docs/EVAL.md`, so that a change that makes `/ask` or the short answers worse
//! fails CI. The floors leave a small margin for changes elsewhere (parser, keyphrases) that
//! move single questions either way; off-topic answers and leaning sentences have none.

use std::path::Path;

#[test]
fn eval_figures_stay_at_or_above_their_floors() {
    let report = briefbot::eval::run(Path::new("eval/qa")).expect("the evaluation set loads");
    in_conversation_no_worse("eval/qa", &report);
    let ask = &report.ask.all;
    assert!(
        ask.right_brief.of >= 180,
        "questions: {}",
        ask.right_brief.of
    );
    let floors = [
        ("right brief", ask.right_brief.percent(), 95.0),
        (
            "right brief and section",
            ask.right_brief_and_section.percent(),
            94.0,
        ),
        (
            "answering sentence(s) shown",
            ask.answer_shown.percent(),
            // 92 until the fourteenth round's lean learned from twenty sets (203 of 221).
            91.0,
        ),
        (
            "key sentence kept",
            report.summary.all.key_kept.percent(),
            97.0,
        ),
    ];
    for (what, got, floor) in floors {
        assert!(
            got >= floor,
            "{what}: {got:.1} % < floor {floor} %\n{report}"
        );
    }
    assert!(
        ask.on_topic_refused.percent() <= 2.0,
        "on-topic refused: {}\n{report}",
        ask.on_topic_refused
    );
    // Off-topic: the 42 questions full of cue words ("what's next for the lakers") are all
    // refused. The 30 near-topic ones added in the eighth round share a news word with a
    // brief ("why do bowling pins fall after a *strike*"); lexical relevance answers about a
    // third of them (10 of 30 when added, 7 after the eighth round, 4 once how-to and advice
    // questions were read as general in the twelfth; docs/EVAL.md), and this ceiling keeps
    // it from getting worse.
    assert!(ask.off_topic_answered.of >= 72);
    let near_topic = std::fs::read_to_string("eval/qa/questions.toml").unwrap();
    let near_topic = near_topic
        .split("# Added in issue 9's eighth round (30)")
        .nth(1)
        .expect("the near-topic off-topic questions");
    type Misses<'a> = Vec<&'a (String, String)>;
    let (near, cue): (Misses, Misses) = report
        .ask
        .misses
        .iter()
        .filter(|(_, why)| why.starts_with("off-topic"))
        .partition(|(q, _)| near_topic.contains(&format!("q = {q:?}")));
    assert!(cue.is_empty(), "off-topic questions answered: {cue:?}");
    assert!(near.len() <= 4, "near-topic questions answered: {near:?}");
    assert_eq!(
        report.summary.all.leaning, 0,
        "short answers leaning on a dropped sentence: {:?}",
        report.summary.misses
    );
    // Answers stay short: one or two sentences, never the whole section.
    assert!(
        ask.mean_sentences_shown <= 2.0,
        "{}",
        ask.mean_sentences_shown
    );
}

/// Floors of a held-out set: it loads with at least 60 questions and 15 off-topic ones, and
/// its brief-and-section and answer-shown figures stay at or above `brief_and_section` and
/// `shown` (%), key sentences ≥ 97 %, on-topic refusals ≤ `refused` %, nothing answered
/// off-topic and no leaning sentence.
fn hold_to_floors(dir: &str, brief_and_section: f64, shown: f64, refused: f64) {
    hold_to_floors_answering_off_topic(dir, brief_and_section, shown, refused, 0);
}

/// [`hold_to_floors`], with at most `off_topic` off-topic questions answered.
fn hold_to_floors_answering_off_topic(
    dir: &str,
    brief_and_section: f64,
    shown: f64,
    refused: f64,
    off_topic: usize,
) {
    let report = briefbot::eval::run(Path::new(dir)).expect("the set loads");
    let ask = &report.ask.all;
    assert!(ask.right_brief.of >= 60 && ask.off_topic_answered.of >= 15);
    for (what, got, floor) in [
        (
            "right brief and section",
            ask.right_brief_and_section.percent(),
            brief_and_section,
        ),
        (
            "answering sentence(s) shown",
            ask.answer_shown.percent(),
            shown,
        ),
        (
            "key sentence kept",
            report.summary.all.key_kept.percent(),
            97.0,
        ),
    ] {
        assert!(
            got >= floor,
            "{dir} {what}: {got:.1} % < floor {floor} %\n{report}"
        );
    }
    assert!(
        ask.off_topic_answered.n <= off_topic,
        "{:?}",
        report.ask.misses
    );
    assert!(ask.on_topic_refused.percent() <= refused, "{report}");
    assert_eq!(report.summary.all.leaning, 0, "{:?}", report.summary.misses);
    in_conversation_no_worse(dir, &report);
}

/// Asked as a conversation (each question after the brief last answered from), a set does
/// no worse than question by question: no fewer right (but one: a question that names only
/// a story's shared name, asked right after a question on its follow-up, is fairly read as
/// a follow-up on that one: "will grenholt even open its doors on monday" after a question
/// on the Grenholt rescue, in `eval/qa-train-t`), no more refused, and off-topic questions
/// asked after every brief are answered hardly more often (at most one sweep of the briefs
/// more, which the blind eighth set has).
fn in_conversation_no_worse(dir: &str, report: &briefbot::eval::Report) {
    let (alone, talk) = (&report.ask.all, &report.ask.conversation);
    assert_eq!(talk.right_brief.of, alone.right_brief.of);
    assert!(
        talk.right_brief_and_section.n + 1 >= alone.right_brief_and_section.n
            && talk.answer_shown.n + 1 >= alone.answer_shown.n
            && talk.on_topic_refused.n <= alone.on_topic_refused.n,
        "{dir}: alone\n{alone}in conversation\n{talk}"
    );
    let briefs = talk.off_topic_answered.of / alone.off_topic_answered.of.max(1);
    assert!(
        talk.off_topic_answered.n <= (alone.off_topic_answered.n + 1) * briefs,
        "{dir}: off-topic answered in conversation {} (alone {} of {}, {briefs} briefs)",
        talk.off_topic_answered,
        alone.off_topic_answered.n,
        alone.off_topic_answered.of
    );
}

/// The held-out set (`eval/qa-holdout`, never tuned on) stays at or above floors a little
/// under its recorded figures too: a change that helps the own set by fitting it shows here.
#[test]
fn held_out_figures_stay_at_or_above_their_floors() {
    hold_to_floors("eval/qa-holdout", 89.5, 84.5, 2.0);
}

/// The second held-out set (`eval/qa-holdout2`, written before issue 9's third round; subjects
/// apart from the own set's; two rules since found on its misses, docs/EVAL.md). Floors a
/// little under its figures after the fifth round (2026-12-04: 51/60 and 43/60). On-topic
/// refusals there are 2/60 (3.3 %), above the 2 % target: the floor only keeps it from
/// getting worse.
#[test]
fn second_held_out_figures_stay_at_or_above_their_floors() {
    hold_to_floors("eval/qa-holdout2", 84.0, 71.0, 5.0);
}

/// The third held-out set (`eval/qa-holdout3`, written blind before issue 9's seventh round;
/// half A's misses were read in the seventh and eighth rounds, half B's were not,
/// docs/EVAL.md). Floors a little under its figures after the eighth round (45/60 and 41/60;
/// 2/60 on-topic refused, above the 2 % target: the floor only keeps it from getting worse).
#[test]
fn third_held_out_figures_stay_at_or_above_their_floors() {
    hold_to_floors("eval/qa-holdout3", 72.0, 67.0, 4.0);
}

/// The fourth held-out set (`eval/qa-holdout4`, written blind in issue 9's eighth round and
/// first scored after that round's relevance changes: 36/60 and 34/60; the parser fixes its
/// first scoring called for made it 38/60 and 36/60; its misses were then read, and the
/// round ended at 41/60 and 39/60, 3/60 refused, docs/EVAL.md). Floors a little under.
#[test]
fn fourth_held_out_figures_stay_at_or_above_their_floors() {
    hold_to_floors("eval/qa-holdout4", 66.0, 63.0, 6.0);
}

/// The fifth held-out set (`eval/qa-holdout5`, written blind at the end of issue 9's eighth
/// round; scored on that round's start and end, 36/60 and 37/60 right brief and section, and
/// at the end of the ninth: 46/60 and 43/60 shown, 5/60 refused, 5 of 16 off-topic
/// answered; 3 of 16 once how-to and advice questions were read as general, issue 9's
/// twelfth round). Half its off-topic questions share a news word with a brief: the ceiling
/// keeps that from getting worse. Floors a little under.
#[test]
fn fifth_held_out_figures_stay_at_or_above_their_floors() {
    hold_to_floors_answering_off_topic("eval/qa-holdout5", 75.0, 70.0, 9.0, 3);
}

/// The sixth held-out set (`eval/qa-holdout6`, written blind at the end of issue 9's eighth
/// round: 34/60 right brief and section then; at the end of the ninth 37/60 and 34/60 shown,
/// 7/60 refused, 4 of 16 off-topic answered; 2 of 16 in the twelfth). Floors a little under.
#[test]
fn sixth_held_out_figures_stay_at_or_above_their_floors() {
    hold_to_floors_answering_off_topic("eval/qa-holdout6", 58.0, 53.0, 12.0, 2);
}

/// The seventh held-out set (`eval/qa-holdout7`, written blind at the start of issue 9's
/// ninth round and scored on its start and end builds only: 34/60 → 39/60 right brief and
/// section, 38/60 shown, 10/60 refused, 6 of 16 off-topic answered). Floors a little under.
#[test]
fn seventh_held_out_figures_stay_at_or_above_their_floors() {
    hold_to_floors_answering_off_topic("eval/qa-holdout7", 63.0, 61.0, 17.0, 6);
}

/// The eighth held-out set (`eval/qa-holdout8`, written blind during issue 9's ninth round
/// and scored on its start and end builds only: 42/60 → 46/60 right brief and section, 45/60
/// shown, 1/60 refused, 4 of 16 off-topic answered). Floors a little under.
#[test]
fn eighth_held_out_figures_stay_at_or_above_their_floors() {
    hold_to_floors_answering_off_topic("eval/qa-holdout8", 75.0, 73.0, 2.0, 4);
}

/// The ninth held-out set (`eval/qa-holdout9`, written blind during issue 9's tenth round
/// and scored on its start and end builds only: 47/60 right brief and section both times,
/// 43/60 shown, 0/60 refused, 8 of 16 off-topic answered; 5 of 16 in the twelfth round).
/// Floors a little under.
#[test]
fn ninth_held_out_figures_stay_at_or_above_their_floors() {
    hold_to_floors_answering_off_topic("eval/qa-holdout9", 76.0, 70.0, 2.0, 5);
}

/// The tenth held-out set (`eval/qa-holdout10`, written blind during issue 9's twelfth round
/// and scored on its start and end builds only: 53/60 right brief and section both times,
/// 45/60 shown, 0/60 refused, 6 → 3 of 16 off-topic answered). Floors a little under.
#[test]
fn tenth_held_out_figures_stay_at_or_above_their_floors() {
    // 53/60 and 45/60 until the thirteenth round's lean learned from eighteen sets (50/60,
    // 43/60; the six blind sets together stayed at 269 of 360 right brief and section).
    hold_to_floors_answering_off_topic("eval/qa-holdout10", 83.0, 71.0, 2.0, 3);
}

/// The training sets (`eval/qa-train-*`, written for issue 9's ninth, tenth, thirteenth and
/// fourteenth rounds; the section lean is trained on them and their misses were read): floors a little
/// under their figures at the round's end, so a change that loses what they taught shows.
#[test]
fn training_set_figures_stay_at_or_above_their_floors() {
    for (dir, both, shown, refused, off_topic) in [
        ("eval/qa-train-a", 72.0, 70.0, 12.0, 2),
        ("eval/qa-train-b", 75.0, 68.0, 14.0, 2),
        ("eval/qa-train-c", 77.0, 68.0, 9.0, 4),
        ("eval/qa-train-d", 91.0, 83.0, 1.0, 2),
        // 92 % right brief and section until the fourteenth round's lean learned from
        // twenty sets (91 %).
        ("eval/qa-train-e", 90.0, 83.0, 1.0, 2),
        // Trained on since the thirteenth round; before it a fresh check of cue-less
        // questions (67/90 right brief and section).
        ("eval/qa-train-g", 92.0, 80.0, 1.0, 4),
        // Written in the tenth round, trained on since the thirteenth: fresh, 68/90 right
        // brief and section, 63/90 shown, 0 refused, 8/20 off-topic answered.
        ("eval/qa-train-h", 85.0, 78.0, 1.0, 3),
        // Written for the thirteenth round and scored once before it changed anything (fresh:
        // 68, 66 and 65 of 90 right brief and section; 61, 59, 56 shown; 0, 2, 3 refused; 4,
        // 3, 4 of 20 off-topic answered), then trained on.
        ("eval/qa-train-i", 90.0, 82.0, 1.0, 4),
        ("eval/qa-train-j", 89.0, 74.0, 3.0, 3),
        ("eval/qa-train-k", 90.0, 80.0, 4.0, 4),
        // Written for the thirteenth round after its other changes and scored once fresh
        // (64, 73 and 60 of 90 right brief and section; 57, 65, 52 shown; 3, 3, 5 refused;
        // 5, 4, 5 of 20 off-topic answered), then trained on.
        ("eval/qa-train-l", 91.0, 75.0, 4.0, 3),
        ("eval/qa-train-m", 94.0, 84.0, 4.0, 4),
        ("eval/qa-train-n", 81.0, 66.0, 6.0, 4),
        // Written for the fourteenth round and scored once fresh, on its start and on its
        // end before the lean learned from them (o: 65 and 65 of 90 right brief and section,
        // 58 and 58 shown, 2 and 2 refused, 3 and 3 of 20 off-topic answered; p: 75 and 75,
        // 64 and 65, 2 and 1, 6 and 6), then trained on.
        ("eval/qa-train-o", 85.0, 74.0, 3.0, 4),
        ("eval/qa-train-p", 89.0, 78.0, 2.0, 6),
        // Written at the fourteenth round's end, scored on its start and end (q, r, s, t:
        // 70, 65, 58, 63 and 69, 67, 59, 65 of 90 right brief and section; 67, 61, 56, 57
        // and 67, 63, 56, 59 shown), not read nor trained on yet (tools/train_lean.py).
        ("eval/qa-train-q", 75.0, 73.0, 7.0, 2),
        ("eval/qa-train-r", 73.0, 68.0, 8.0, 2),
        ("eval/qa-train-s", 64.0, 61.0, 9.0, 8),
        ("eval/qa-train-t", 71.0, 64.0, 6.0, 6),
    ] {
        hold_to_floors_answering_off_topic(dir, both, shown, refused, off_topic);
    }
}

#[test]
fn the_eval_command_prints_the_figures_as_text_and_json() {
    let out = assert_cmd::Command::cargo_bin("briefbot")
        .unwrap()
        .args(["eval", "--dir", "eval/qa", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "right_brief_and_section",
        "answer_shown",
        "off_topic_answered",
        "on_topic_refused",
    ] {
        assert!(json["ask"]["all"][key]["of"].as_u64().unwrap() > 0, "{key}");
    }
    assert!(json["summary"]["all"]["key_kept"]["of"].as_u64().unwrap() > 0);
    let text = assert_cmd::Command::cargo_bin("briefbot")
        .unwrap()
        .args(["eval", "--dir", "eval/qa"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("off-topic answered") && text.contains("key sentence kept"),
        "{text}"
    );
    // A folder that is not an evaluation set is a clear error.
    let bad = assert_cmd::Command::cargo_bin("briefbot")
        .unwrap()
        .args(["eval", "--dir", "no/such/set"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no/such/set"));
}
