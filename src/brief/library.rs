//! The brief library: every loaded brief, newest first, with lookups by id, a BM25 search
//! index and autocomplete suggestions. Loading reads a folder recursively (or the embedded
//! samples); each bad file becomes a [`LoadProblem`] and the rest still load.

use super::parse::{self, ParseOptions};
use super::samples::SAMPLES;
use super::search::SearchIndex;
use super::Brief;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// The file (or folder) concerned.
    pub path: PathBuf,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// Loaded briefs, newest first.
#[derive(Debug, Default, Clone)]
pub struct Library {
    briefs: Vec<Arc<Brief>>,
    by_id: HashMap<String, usize>,
    index: SearchIndex,
}

/// Extensions of brief files.
const EXTENSIONS: &[&str] = &["md", "txt"];

impl Library {
    /// Builds a library from parsed briefs. Later duplicates of an id are dropped; callers that
    /// care report them first (see [`Library::load_dir`]).
    pub fn from_briefs(briefs: impl IntoIterator<Item = Brief>) -> Library {
        let mut list: Vec<Arc<Brief>> = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for b in briefs {
            if ids.insert(b.id.clone()) {
                list.push(Arc::new(b));
            }
        }
        // Newest first; undated briefs last; then by id for a stable order.
        list.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
        let by_id = list
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), i))
            .collect();
        let index = SearchIndex::build(list.iter().map(|b| b.as_ref()));
        Library {
            briefs: list,
            by_id,
            index,
        }
    }

    /// The embedded sample set.
    pub fn embedded(opts: &ParseOptions) -> (Library, Vec<LoadProblem>) {
        let files = SAMPLES.iter().map(|(name, text)| {
            (
                PathBuf::from(format!("<embedded>/{name}")),
                text.as_bytes().to_vec(),
            )
        });
        Self::from_files(files, opts)
    }

    /// Loads every `*.md` and `*.txt` below `dir` (recursively, in path order, hidden entries
    /// skipped). A folder that cannot be read at all is an error; each bad file is a problem.
    pub fn load_dir(
        dir: &Path,
        opts: &ParseOptions,
    ) -> std::io::Result<(Library, Vec<LoadProblem>)> {
        super::watch::DirLoader::new(dir, opts.clone()).load()
    }

    /// Parses (path, bytes) pairs; the id defaults to the file stem.
    pub fn from_files(
        files: impl Iterator<Item = (PathBuf, Vec<u8>)>,
        opts: &ParseOptions,
    ) -> (Library, Vec<LoadProblem>) {
        let parsed = files.map(|(path, bytes)| {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("brief");
            let result = parse::parse_bytes(&bytes, stem, opts)
                .map(|mut brief| {
                    brief.path = Some(path.clone());
                    brief
                })
                .map_err(|e| e.to_string());
            (path, result)
        });
        Self::assemble(parsed, Vec::new())
    }

    /// A library from parse results (in path order), adding to `problems` each failure and
    /// each duplicate id (the first file keeps the id).
    pub(super) fn assemble(
        results: impl IntoIterator<Item = (PathBuf, Result<Brief, String>)>,
        mut problems: Vec<LoadProblem>,
    ) -> (Library, Vec<LoadProblem>) {
        let mut briefs: Vec<Brief> = Vec::new();
        let mut first_path: HashMap<String, PathBuf> = HashMap::new();
        for (path, result) in results {
            match result {
                Ok(brief) => {
                    if let Some(first) = first_path.get(&brief.id) {
                        problems.push(LoadProblem {
                            reason: format!(
                                "duplicate id {:?} (already loaded from {})",
                                brief.id,
                                first.display()
                            ),
                            path,
                        });
                        continue;
                    }
                    first_path.insert(brief.id.clone(), path);
                    briefs.push(brief);
                }
                Err(reason) => problems.push(LoadProblem { path, reason }),
            }
        }
        (Self::from_briefs(briefs), problems)
    }

    /// Number of briefs.
    pub fn len(&self) -> usize {
        self.briefs.len()
    }

    /// Whether there are no briefs.
    pub fn is_empty(&self) -> bool {
        self.briefs.is_empty()
    }

    /// All briefs, newest first.
    pub fn briefs(&self) -> &[Arc<Brief>] {
        &self.briefs
    }

    /// The brief with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Brief>> {
        self.by_id.get(id).map(|&i| &self.briefs[i])
    }

    /// The newest brief.
    pub fn newest(&self) -> Option<&Arc<Brief>> {
        self.briefs.first()
    }

    /// Briefs matching the query's words against title, topics and text, best first.
    pub fn search(&self, query: &str) -> Vec<(&Arc<Brief>, f32)> {
        self.index
            .search(query)
            .into_iter()
            .map(|(i, s)| (&self.briefs[i], s))
            .collect()
    }

    /// The first `k` hits of [`Library::search`], in the same order, without ranking the rest.
    pub fn search_top(&self, query: &str, k: usize) -> Vec<(&Arc<Brief>, f32)> {
        self.index
            .search_top(query, k)
            .into_iter()
            .map(|(i, s)| (&self.briefs[i], s))
            .collect()
    }

    /// The best hit of [`Library::search`], if any.
    pub fn best(&self, query: &str) -> Option<(&Arc<Brief>, f32)> {
        self.index.best(query).map(|(i, s)| (&self.briefs[i], s))
    }

    /// The brief a query names: an exact id, else the best search hit.
    pub fn find(&self, query: &str) -> Option<&Arc<Brief>> {
        let q = query.trim();
        self.get(q).or_else(|| self.best(q).map(|(b, _)| b))
    }

    /// Briefs whose title, id or topics contain `partial` (case-insensitive), newest first,
    /// then search hits; at most `limit`. An empty partial lists the newest.
    pub fn suggest(&self, partial: &str, limit: usize) -> Vec<&Arc<Brief>> {
        let p = partial.trim().to_lowercase();
        let mut out: Vec<&Arc<Brief>> = Vec::new();
        for b in &self.briefs {
            if out.len() >= limit {
                return out;
            }
            if p.is_empty()
                || b.title.to_lowercase().contains(&p)
                || b.id.to_lowercase().contains(&p)
                || b.topics.iter().any(|t| t.contains(&p))
            {
                out.push(b);
            }
        }
        if out.len() >= limit {
            return out;
        }
        // At most `out.len()` hits are already listed, so `limit` hits fill the rest.
        for (b, _) in self.search_top(&p, limit) {
            if out.len() >= limit {
                break;
            }
            if !out.iter().any(|o| o.id == b.id) {
                out.push(b);
            }
        }
        out
    }
}

pub(super) fn collect_files(dir: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<LoadProblem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(LoadProblem {
                path: dir.to_owned(),
                reason: format!("cannot read folder: {e}"),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect_files(&path, out, problems),
            Ok(_) if is_brief_file(&path) => out.push(path),
            Ok(_) => {}
            Err(e) => problems.push(LoadProblem {
                path,
                reason: format!("cannot stat: {e}"),
            }),
        }
    }
}

/// Whether the path has a brief extension (`.md`, `.txt`).
pub fn is_brief_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads a file unless it is larger than `max` bytes (checked before reading).
pub(super) fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.len() > max {
        return Err(format!(
            "{} bytes is larger than briefs.max_bytes ({max})",
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}
