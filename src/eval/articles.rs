//! How well [`crate::summarize::roles`] puts the sentences of raw articles into their
//! sections, measured on the labelled articles in `eval/articles/` (one TOML file per
//! article: `title` and an ordered `[[sentence]]` array of `text` and `role`). Articles
//! 01–26 are the set the cues were chosen on; 27 and above were written before the role
//! assigner existed and never used to tune it, so their figure stands in for held-out text.
//! [`report`] gives the per-role confusion and the accuracy of each set.

use crate::brief::SectionKind;
use crate::summarize::roles;
use crate::text::sentences;
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;

/// First article number of the held-out stand-in set.
pub const HELD_OUT_FROM: u32 = 27;

/// One labelled article.
#[derive(Debug, Clone)]
pub struct Article {
    /// The file name (`07-chip-stocks-slide.toml`).
    pub file: String,
    /// The number the file name starts with.
    pub number: u32,
    /// The headline.
    pub title: String,
    /// Sentences in order with their labelled roles.
    pub sentences: Vec<(String, SectionKind)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleFile {
    title: String,
    sentence: Vec<SentenceEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SentenceEntry {
    text: String,
    role: String,
}

/// Reads every `NN-*.toml` in `dir`, in file-name order.
pub fn load(dir: &Path) -> Result<Vec<Article>, String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let number: u32 = file
            .split('-')
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("{file}: the name must start with a number"))?;
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{file}: {e}"))?;
        let parsed: ArticleFile = toml::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
        let mut sentences = Vec::with_capacity(parsed.sentence.len());
        for s in parsed.sentence {
            let role = SectionKind::from_name(&s.role)
                .ok_or_else(|| format!("{file}: unknown role {:?}", s.role))?;
            sentences.push((s.text, role));
        }
        out.push(Article {
            file,
            number,
            title: parsed.title,
            sentences,
        });
    }
    Ok(out)
}

/// Counts of (labelled role, assigned role), indexed in [`SectionKind::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confusion(pub [[usize; 3]; 3]);

impl Confusion {
    /// Sentences counted.
    pub fn total(&self) -> usize {
        self.0.iter().flatten().sum()
    }

    /// Sentences in the labelled section.
    pub fn correct(&self) -> usize {
        (0..3).map(|i| self.0[i][i]).sum()
    }

    /// Share of sentences in the labelled section (0 when empty).
    pub fn accuracy(&self) -> f64 {
        match self.total() {
            0 => 0.0,
            t => self.correct() as f64 / t as f64,
        }
    }

    /// The confusion as a small table, rows = labelled, columns = assigned.
    pub fn table(&self) -> String {
        let mut out =
            String::from("labelled \\ assigned   happening  importance   next   recall\n");
        for (i, kind) in SectionKind::ALL.iter().enumerate() {
            let row = self.0[i];
            let n: usize = row.iter().sum();
            let recall = if n == 0 {
                0.0
            } else {
                row[i] as f64 / n as f64
            };
            let _ = writeln!(
                out,
                "{:<21}{:>10}{:>12}{:>7}{:>8.1}%",
                kind.name(),
                row[0],
                row[1],
                row[2],
                recall * 100.0
            );
        }
        out
    }
}

/// Assigns roles to each article's labelled sentences and counts the outcomes.
pub fn evaluate<'a>(articles: impl IntoIterator<Item = &'a Article>) -> Confusion {
    let mut c = Confusion::default();
    for a in articles {
        let texts: Vec<&str> = a.sentences.iter().map(|(t, _)| t.as_str()).collect();
        for ((_, want), got) in a.sentences.iter().zip(roles::assign(&texts)) {
            c.0[index(*want)][index(got)] += 1;
        }
    }
    c
}

/// How many articles the sentence splitter cuts, from their text run together, into exactly
/// the labelled sentences (so that raw text is scored as above).
pub fn splitter_agreement<'a>(articles: impl IntoIterator<Item = &'a Article>) -> (usize, usize) {
    let mut same = 0;
    let mut all = 0;
    for a in articles {
        all += 1;
        let text: Vec<&str> = a.sentences.iter().map(|(t, _)| t.as_str()).collect();
        if sentences::split(&text.join(" ")) == text {
            same += 1;
        }
    }
    (same, all)
}

fn index(kind: SectionKind) -> usize {
    SectionKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0)
}

/// The figures for one set of articles.
#[derive(Debug, Clone)]
pub struct SetFigures {
    /// What the set is.
    pub name: &'static str,
    /// Articles in it.
    pub articles: usize,
    /// The outcome.
    pub confusion: Confusion,
}

/// Figures for: articles 01–26 (the tuning set), its halves 01–13 and 14–26, and 27 and
/// above (the held-out stand-in).
pub fn figures(articles: &[Article]) -> Vec<SetFigures> {
    let set = |name, keep: &dyn Fn(u32) -> bool| {
        let chosen: Vec<&Article> = articles.iter().filter(|a| keep(a.number)).collect();
        SetFigures {
            name,
            articles: chosen.len(),
            confusion: evaluate(chosen),
        }
    };
    vec![
        set("original 01-26 (cues chosen on it)", &|n| n < HELD_OUT_FROM),
        set("  first half 01-13", &|n| n <= 13),
        set("  second half 14-26", &|n| (14..HELD_OUT_FROM).contains(&n)),
        set("held-out stand-in 27+ (never tuned on)", &|n| {
            n >= HELD_OUT_FROM
        }),
    ]
}

/// A printable report: per set, the accuracy and the per-role confusion.
pub fn report(articles: &[Article]) -> String {
    let mut out = String::new();
    for f in figures(articles) {
        let c = &f.confusion;
        let _ = writeln!(
            out,
            "{}: {} articles, {}/{} sentences in the right section = {:.1}%",
            f.name,
            f.articles,
            c.correct(),
            c.total(),
            c.accuracy() * 100.0
        );
        out.push_str(&c.table());
        out.push('\n');
    }
    let (same, all) = splitter_agreement(articles);
    let _ = writeln!(
        out,
        "sentence splitter reproduces the labelled sentences of {same}/{all} articles"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_counts_and_accuracy() {
        let mut c = Confusion::default();
        assert_eq!(c.accuracy(), 0.0);
        c.0[0][0] = 3;
        c.0[1][2] = 1;
        assert_eq!((c.correct(), c.total()), (3, 4));
        assert!((c.accuracy() - 0.75).abs() < 1e-9);
        assert!(c.table().contains("importance"));
    }
}
