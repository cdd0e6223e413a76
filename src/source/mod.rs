//! Sources: where briefs come from. Each source reads raw material and produces parsed briefs
//! (and the problems it met) for the [`Library`]: the embedded samples ([`embedded`]) and a
//! folder of brief files ([`folder`], kept current by [`watch`]); a file of plain prose gets
//! its sections assigned ([`prose`]); and feeds and web pages
//! ([`web`]: HTTP in [`fetch`], feeds in [`feed`], HTML in [`page`], raw text handed to
//! [`raw`]), whose status is shared through [`status`]. Sources sit above parsing
//! ([`crate::brief`]) and keyphrase extraction ([`crate::summarize::keywords`]), and below
//! the start-up wiring that keeps the library current ([`crate::app`]).

pub mod embedded;
pub mod feed;
pub mod fetch;
pub mod folder;
pub mod page;
pub mod prose;
pub mod raw;
pub mod status;
pub mod watch;
pub mod web;

use crate::brief::{Brief, Library, ParseError, ParseOptions};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How sources read and enrich briefs (from the `[briefs]` config table).
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// Parser options.
    pub parse: ParseOptions,
    /// Whether keyphrases are extracted into topics (see [`crate::summarize::keywords`]).
    pub keyphrases: bool,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            parse: ParseOptions::default(),
            keyphrases: true,
        }
    }
}

/// Why one file (or folder) gave no brief.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The file or folder could not be read.
    #[error("cannot read: {0}")]
    Read(String),
    /// The file is larger than `briefs.max_bytes`.
    #[error("{size} bytes is larger than briefs.max_bytes ({max})")]
    TooLarge {
        /// Bytes seen (at least `max + 1`).
        size: u64,
        /// The configured maximum.
        max: u64,
    },
    /// The text is not a brief.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Another file already has this brief's id.
    #[error("duplicate id {id:?} (already loaded from {first})")]
    DuplicateId {
        /// The id.
        id: String,
        /// The file that keeps it.
        first: String,
    },
}

impl From<std::io::Error> for LoadError {
    fn from(e: std::io::Error) -> Self {
        LoadError::Read(e.to_string())
    }
}

/// A file that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// The file (or folder) concerned.
    pub path: PathBuf,
    /// What is wrong with it.
    pub error: LoadError,
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", folder::shown(&self.path), self.error)
    }
}

/// What a source produced: the library and the problems met on the way.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The briefs.
    pub library: Library,
    /// Files that could not be loaded.
    pub problems: Vec<LoadProblem>,
}

impl Loaded {
    /// The library and the problems, apart.
    pub fn into_parts(self) -> (Library, Vec<LoadProblem>) {
        (self.library, self.problems)
    }
}

/// Loads a brief folder once (the one-shot path of [`folder::FolderSource`]), not following
/// links that leave it.
pub fn load_dir(dir: &Path, opts: &SourceOptions) -> std::io::Result<Loaded> {
    folder::FolderSource::new(dir, opts.clone(), false).load()
}

/// A library from per-file results (in path order), adding to `problems` each failure and
/// each duplicate id (the first file keeps the id). Briefs already shared (`Arc<Brief>`, a
/// folder's cache) are shared by the library, not copied.
pub fn assemble<B: Into<Arc<Brief>>>(
    results: impl IntoIterator<Item = (PathBuf, Result<B, LoadError>)>,
    mut problems: Vec<LoadProblem>,
) -> Loaded {
    let mut briefs: Vec<Arc<Brief>> = Vec::new();
    let mut first_path: HashMap<String, PathBuf> = HashMap::new();
    for (path, result) in results {
        match result {
            Ok(brief) => {
                let brief: Arc<Brief> = brief.into();
                if let Some(first) = first_path.get(&brief.id) {
                    problems.push(LoadProblem {
                        error: LoadError::DuplicateId {
                            id: brief.id.clone(),
                            first: first.display().to_string(),
                        },
                        path,
                    });
                    continue;
                }
                first_path.insert(brief.id.clone(), path);
                briefs.push(brief);
            }
            Err(error) => problems.push(LoadProblem { path, error }),
        }
    }
    Loaded {
        library: Library::from_shared(briefs),
        problems,
    }
}

/// Parses (path, bytes) pairs, the id defaulting to the file stem, and enriches them as
/// `opts` says.
pub fn from_files(files: impl Iterator<Item = (PathBuf, Vec<u8>)>, opts: &SourceOptions) -> Loaded {
    let parsed = files.map(|(path, bytes)| {
        let result = parse_file(&path, &bytes, &opts.parse, opts.keyphrases);
        (path, result)
    });
    assemble(parsed, Vec::new())
}

/// One file's bytes as a brief, with keyphrases when `keyphrases`.
pub fn parse_file(
    path: &Path,
    bytes: &[u8],
    parse: &ParseOptions,
    keyphrases: bool,
) -> Result<Brief, LoadError> {
    let stem = folder::stem(path);
    let brief = match crate::brief::parse::parse_bytes(bytes, &stem, parse) {
        // Plain prose: its sentences are given sections (the bytes are UTF-8, or the parser
        // would have said so first).
        Err(ParseError::NoSections) => match std::str::from_utf8(bytes) {
            Ok(text) => prose::parse_prose(text, &stem, parse)?,
            Err(_) => return Err(ParseError::NoSections.into()),
        },
        other => other?,
    };
    if keyphrases {
        crate::summarize::keywords::enrich(&brief);
    }
    Ok(brief)
}
