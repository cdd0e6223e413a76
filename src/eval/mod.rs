//! `briefbot eval`: measures what the bot *says* against the labelled set in `eval/qa/`
//! (original briefs, questions with their answering sentences, off-topic questions, the key
//! sentence of every section). One file per measurement: [`ask`] (`/ask` as question
//! answering), [`articles`] (raw articles → sections, on `eval/articles/`),
//! [`pages`] (sections, titles and topics of page-like briefs, on `pages.toml`) and [`summary`] (short answers: key sentence kept, sentences leaning on a
//! dropped one). The set's layout is described in `eval/qa/README.md`.
//!
//! To guard against tuning to the set, every figure is also given for two halves split by
//! brief (briefs at even and odd positions of the sorted ids): tune on one, check the other.
//! This module sits at the top, beside the start-up wiring: it builds a [`Core`] from the
//! set's folder exactly as the CLI does and asks it through the command code.

pub mod articles;
pub mod ask;
pub mod pages;
pub mod summary;

use crate::brief::SectionKind;
use crate::config::Config;
use crate::core::qa::Semantics;
use crate::core::Core;
use crate::source::folder::FolderSource;
use crate::summarize::Summarizer;
use anyhow::Context as _;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

/// A count out of a total, printed as "n/total (p %)".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    /// How many.
    pub n: usize,
    /// Out of.
    pub of: usize,
}

impl Ratio {
    /// Adds one case, counted when `hit`.
    pub fn add(&mut self, hit: bool) {
        self.n += usize::from(hit);
        self.of += 1;
    }

    /// The share in percent (0 when there is no case).
    pub fn percent(&self) -> f64 {
        if self.of == 0 {
            0.0
        } else {
            100.0 * self.n as f64 / self.of as f64
        }
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{} ({:.1} %)", self.n, self.of, self.percent())
    }
}

/// The loaded set: a core answering from its briefs, and which half each brief is in.
pub struct Set {
    /// A core over the set's briefs, with the default summarizer (2 sentences).
    pub core: Core,
    /// Ids of the briefs in half B (odd positions of the sorted ids); the rest are half A.
    half_b: BTreeSet<String>,
}

impl Set {
    /// Loads `dir/briefs` as the CLI loads a brief folder (parse, keyphrases, index).
    pub fn load(dir: &Path) -> anyhow::Result<Set> {
        let briefs = dir.join("briefs");
        let opts = Config::default().briefs.source_options();
        let mut folder = FolderSource::new(&briefs, opts, false);
        let loaded = folder
            .load()
            .with_context(|| format!("cannot read the briefs folder {}", briefs.display()))?;
        if let Some(p) = loaded.problems.first() {
            anyhow::bail!("the evaluation set has a bad brief: {p}");
        }
        let mut ids: Vec<String> = loaded
            .library
            .briefs()
            .iter()
            .map(|b| b.id.clone())
            .collect();
        ids.sort();
        let half_b = ids.into_iter().skip(1).step_by(2).collect();
        Ok(Set {
            core: Core::new(loaded.library, Summarizer::default()),
            half_b,
        })
    }

    /// Which half (0 = A, 1 = B) a brief belongs to.
    pub fn half(&self, brief_id: &str) -> usize {
        usize::from(self.half_b.contains(brief_id))
    }
}

/// Reads and parses one TOML file of the set.
fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("bad evaluation file {}", path.display()))
}

/// Parses a section name of the set (`happening`, `importance`, `next`).
fn section(name: &str) -> anyhow::Result<SectionKind> {
    SectionKind::from_name(name)
        .filter(|k| k.name() == name)
        .with_context(|| format!("unknown section {name:?}"))
}

/// Every figure of one run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The set's folder.
    pub dir: String,
    /// `/ask` as question answering.
    pub ask: ask::Figures,
    /// Short answers.
    pub summary: summary::Figures,
}

/// Runs every measurement on the set in `dir`.
pub fn run(dir: &Path) -> anyhow::Result<Report> {
    run_with(dir, None)
}

/// [`run`], `/ask` meeting questions and sentences of like meaning with `semantics`
/// ([`Semantics`]).
pub fn run_with(dir: &Path, semantics: Option<Semantics>) -> anyhow::Result<Report> {
    let mut set = Set::load(dir)?;
    set.core = set.core.with_semantics(semantics);
    Ok(Report {
        dir: dir.display().to_string(),
        ask: ask::measure(&set, &dir.join("questions.toml"))?,
        summary: summary::measure(&set, &dir.join("key_sentences.toml"))?,
    })
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "briefbot eval on {}", self.dir)?;
        write!(f, "{}", self.ask)?;
        write!(f, "{}", self.summary)
    }
}
