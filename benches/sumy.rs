//! Section summarizing against sumy, in the same run on the same sections (issue 12:
//! "section summarizing ≥ 100× sumy").
//!
//! The sections: every section of the evaluation briefs (`eval/*/briefs`, the project's own
//! writing in every layout) and of 300 briefs of the seeded bench corpus
//! (`support/corpus.rs`). Each is summarized to two sentences (`summary.sentences`'
//! default):
//! - briefbot: [`Summarizer::short`] on the parsed section (sentence splitting, ranking,
//!   the join), nothing memoized;
//! - sumy: `PlaintextParser` + `TextRankSummarizer` on the section's text (paragraphs
//!   separated by a blank line), run by `benches/sumy/sumy_bench.py` in a virtualenv this
//!   bench creates at `target/sumy-venv` with pinned versions (see [`PINNED`]).
//!
//! Both sides time the same work per section: text in, two sentences out. sumy's tokenizer
//! setting is explained in the script (NLTK's Punkt model cannot be downloaded here).
//!
//! `cargo bench --bench sumy` prints both figures and the ratio (docs/BENCHMARKS.md records
//! them). Under `cargo test --benches` the briefbot side runs once on the sections and the
//! sumy side is skipped unless the virtualenv already exists (no package download in a test
//! run).

#[path = "support/corpus.rs"]
mod corpus;

use briefbot::brief::{parse, ParseOptions, Section};
use briefbot::summarize::{self, Summarizer};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The packages the virtualenv gets, pinned so that the figure is reproducible.
const PINNED: &[&str] = &["sumy==0.13.0", "nltk==3.10.4", "numpy==2.4.6"];
/// Generated briefs added to the evaluation briefs.
const GENERATED: usize = 300;
/// Timed passes over all sections, each side (the median pass is reported).
const RUNS: usize = 5;
/// Sentences a short answer keeps.
const SENTENCES: usize = 2;

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sections = sections(root);
    let words: usize = sections
        .iter()
        .map(|s| s.text().split_whitespace().count())
        .sum();
    println!(
        "sumy bench: {} sections, {:.0} words a section on average",
        sections.len(),
        words as f64 / sections.len() as f64
    );

    let runs = if bench { RUNS } else { 1 };
    let ours = time_ours(&sections, runs);
    println!("briefbot Summarizer::short: median {ours:.2} µs a section ({runs} passes)");
    let split = time_median(runs, &sections, |s| {
        black_box(summarize::lead_sentences(&s.paragraphs).len());
    });
    println!("  of which sentence splitting (summarize::lead_sentences): {split:.2} µs");

    let venv = target_dir(root).join("sumy-venv");
    if !bench && !venv.join("bin/python").exists() {
        println!(
            "sumy: skipped (test run, no virtualenv at {})",
            venv.display()
        );
        return;
    }
    let sumy = match time_sumy(root, &venv, &sections, if bench { RUNS } else { 1 }) {
        Ok(us) => us,
        Err(e) if bench => panic!("sumy side failed: {e}"),
        Err(e) => {
            println!("sumy: skipped ({e})");
            return;
        }
    };
    println!("sumy TextRankSummarizer: median {sumy:.1} µs a section");
    println!(
        "ratio: briefbot is {:.0}× faster than sumy (target ≥ 100×)",
        sumy / ours
    );
}

/// The sections both sides summarize, in a fixed order.
fn sections(root: &Path) -> Vec<Section> {
    let opts = ParseOptions::default();
    let mut files: Vec<PathBuf> = Vec::new();
    for set in ["qa", "qa-holdout", "qa-holdout2"] {
        let dir = root.join("eval").join(set).join("briefs");
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        files.extend(entries.map(|e| e.expect("directory entry").path()));
    }
    files.sort();
    let mut out = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("evaluation brief");
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("brief");
        if let Ok(brief) = parse::parse(&text, stem, &opts) {
            out.extend(brief.sections().map(|(_, s)| s.clone()));
            out.extend(brief.extra.iter().cloned());
        }
    }
    let evaluation = out.len();
    assert!(evaluation > 50, "only {evaluation} evaluation sections");
    for i in 0..GENERATED {
        let (name, text) = corpus::generate_brief(i);
        let brief = parse::parse(&text, &name, &opts).expect("generated brief parses");
        out.extend(brief.sections().map(|(_, s)| s.clone()));
    }
    out
}

/// Median microseconds a section over `runs` passes, after a warm-up pass.
fn time_ours(sections: &[Section], runs: usize) -> f64 {
    let summarizer = Summarizer {
        sentences: SENTENCES,
    };
    let mut chosen = 0;
    for s in sections {
        let short = summarizer.short(s);
        assert!(!short.is_empty(), "empty summary of {:?}", s.heading);
        chosen += short.len();
    }
    black_box(chosen);
    time_median(runs, sections, |s| {
        black_box(summarizer.short(black_box(s)));
    })
}

/// Median over `runs` passes of the microseconds `f` takes a section.
fn time_median(runs: usize, sections: &[Section], mut f: impl FnMut(&Section)) -> f64 {
    let mut passes: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            sections.iter().for_each(&mut f);
            start.elapsed().as_secs_f64() * 1e6 / sections.len() as f64
        })
        .collect();
    passes.sort_by(f64::total_cmp);
    passes[passes.len() / 2]
}

/// sumy's median microseconds a section, from the script's JSON line.
fn time_sumy(root: &Path, venv: &Path, sections: &[Section], runs: usize) -> Result<f64, String> {
    let python = venv.join("bin/python");
    if !python.exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(venv))?;
        run(Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(PINNED))?;
    }
    let input = venv.join("sections.jsonl");
    let lines: Vec<String> = sections
        .iter()
        .map(|s| serde_json::to_string(&s.text()).expect("a string serializes"))
        .collect();
    std::fs::write(&input, lines.join("\n")).map_err(|e| format!("{}: {e}", input.display()))?;
    let out = Command::new(&python)
        .arg(root.join("benches/sumy/sumy_bench.py"))
        .arg(&input)
        .arg(runs.to_string())
        .arg(SENTENCES.to_string())
        .output()
        .map_err(|e| format!("{}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!(
            "sumy_bench.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("sumy_bench.py printed no JSON: {e}"))?;
    println!("sumy report: {report}");
    if report["sections"].as_u64() != Some(sections.len() as u64) {
        return Err(format!(
            "sumy read {} sections, not {}",
            report["sections"],
            sections.len()
        ));
    }
    report["median_us"]
        .as_f64()
        .ok_or_else(|| "no median_us in sumy's report".to_owned())
}

/// Runs a set-up command, its output shown only when it fails.
fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Cargo's target directory (`CARGO_TARGET_DIR` or `target/` beside the manifest).
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}
