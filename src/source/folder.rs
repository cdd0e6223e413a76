//! The brief folder as a source (`briefs.dir`): [`FolderSource`] reads every `*.md` and
//! `*.txt` below the folder (recursively, in path order, hidden entries skipped) and re-reads
//! it on demand, parsing only files that are new or changed since the last scan. Keyphrase
//! extraction (the costly step) is separate: [`FolderSource::scan`] parses without it,
//! [`FolderSource::enrich`] adds keyphrases to every brief that lacks them, on all cores
//! at the lowest priority ([`crate::work::for_each_in_background`]).
//!
//! Parsed briefs are kept shared ([`Arc`]): a snapshot's library points at the very briefs of
//! the cache instead of holding a second copy of every brief (10,000 briefs are ~20 MiB).
//!
//! Only regular files are read (a FIFO or a device in the folder is a problem, never a hang),
//! reads stop at `briefs.max_bytes + 1` bytes whatever the file's metadata claims, and
//! symbolic links that lead out of the folder are followed only with `briefs.follow_symlinks`.

use super::{LoadError, LoadProblem, Loaded, SourceOptions};
use crate::brief::Brief;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// Extensions of brief files.
const EXTENSIONS: &[&str] = &["md", "txt"];

/// Longest id made from a file name (ids travel inside Discord custom ids).
const MAX_STEM: usize = crate::brief::parse::MAX_ID_LEN;

/// A brief folder, loaded repeatedly.
#[derive(Debug)]
pub struct FolderSource {
    dir: PathBuf,
    /// The folder, resolved (symbolic links followed), for the "stays inside" test.
    root: Option<PathBuf>,
    /// Parse options; keyphrases are added by `enrich`, not while scanning.
    opts: SourceOptions,
    /// Whether symbolic links leading out of the folder are followed.
    follow_symlinks: bool,
    /// What was read, by path, sorted (the walk's order): a scan merges its sorted paths with
    /// it, and snapshots read it in order. A sorted vector, not a hash map: with 10,000
    /// briefs the map's table was twice the size of the entries (issue 12).
    cache: Vec<(PathBuf, Cached)>,
    walk_problems: Vec<LoadProblem>,
}

#[derive(Debug, Clone)]
struct Cached {
    stamp: (Option<SystemTime>, u64),
    /// The brief, shared with the libraries of [`FolderSource::snapshot`]; a problem is
    /// boxed (rare, and larger than a pointer).
    result: Result<Arc<Brief>, Box<LoadError>>,
}

impl FolderSource {
    /// A source for `dir`; `opts.keyphrases` says whether [`FolderSource::enrich`] adds them.
    pub fn new(dir: &Path, opts: SourceOptions, follow_symlinks: bool) -> FolderSource {
        FolderSource {
            dir: dir.to_owned(),
            root: None,
            opts,
            follow_symlinks,
            cache: Vec::new(),
            walk_problems: Vec::new(),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Scans, enriches, and returns the library and every problem.
    pub fn load(&mut self) -> std::io::Result<Loaded> {
        self.scan()?;
        self.enrich();
        Ok(self.snapshot())
    }

    /// Reads the folder and parses files that are new or changed (same size and modification
    /// time = unchanged), without keyphrases. Files that are gone are forgotten. A folder that
    /// cannot be read at all is an error; each bad file is a problem.
    pub fn scan(&mut self) -> std::io::Result<()> {
        std::fs::read_dir(&self.dir)?;
        self.root = std::fs::canonicalize(&self.dir).ok();
        let mut problems = Vec::new();
        let mut paths = Vec::new();
        self.collect(&self.dir.clone(), &mut paths, &mut problems);
        paths.sort();
        let mut fresh: Vec<(PathBuf, Cached)> = Vec::with_capacity(paths.len());
        // One read buffer for every file of the scan, not a growing vector a file (fewer
        // temporaries among the parsed briefs in the heap).
        let mut buf = Vec::new();
        // Both sorted by path: the old entry of a path, if any, is met on the way.
        let mut old = std::mem::take(&mut self.cache).into_iter().peekable();
        for (path, stamp) in paths {
            while old.next_if(|(p, _)| *p < path).is_some() {}
            let entry = match old.next_if(|(p, _)| *p == path) {
                Some((_, c)) if c.stamp == stamp && stamp.0.is_some() => c,
                _ => Cached {
                    stamp,
                    result: self.parse(&path, &mut buf).map(Arc::new).map_err(Box::new),
                },
            };
            fresh.push((path, entry));
        }
        drop(old);
        self.cache = fresh;
        self.walk_problems = problems;
        Ok(())
    }

    /// Adds keyphrases to every parsed brief that lacks them, spread over the machine's
    /// cores at the lowest priority, yielding between briefs
    /// ([`crate::work::for_each_in_background`]): a running bot answers first. The topics
    /// are set in place ([`crate::brief::Extracted`]): a brief that a snapshot's library
    /// shares is not copied, and that library sees them too (its search index does not
    /// count extracted topics, so it stays right). Returns how many briefs were enriched.
    pub fn enrich(&self) -> usize {
        if !self.opts.keyphrases {
            return 0;
        }
        let todo: Vec<&Arc<Brief>> = self
            .cache
            .iter()
            .filter_map(|(_, c)| c.result.as_ref().ok())
            .filter(|b| !b.extracted.is_set())
            .collect();
        let count = todo.len();
        crate::work::for_each_in_background(&todo, |brief| {
            crate::summarize::keywords::enrich(brief)
        });
        count
    }

    /// The library of what was last scanned, and every problem: unreadable and unparsable
    /// files, and duplicate ids (the first file in path order keeps the id). The library
    /// shares the cache's briefs; nothing is copied but pointers.
    pub fn snapshot(&self) -> Loaded {
        let results = self.cache.iter().map(|(path, cached)| {
            let result = cached.result.clone().map_err(|e| *e);
            (path.clone(), result)
        });
        super::assemble(results, self.walk_problems.clone())
    }

    /// Brief files below `dir` with their (modified, size) stamps.
    #[allow(clippy::type_complexity)]
    fn collect(
        &self,
        dir: &Path,
        out: &mut Vec<(PathBuf, (Option<SystemTime>, u64))>,
        problems: &mut Vec<LoadProblem>,
    ) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                problems.push(LoadProblem {
                    path: dir.to_owned(),
                    error: LoadError::Read(format!("cannot read folder: {e}")),
                });
                return;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let kind = match entry.file_type() {
                Ok(t) => t,
                Err(e) => {
                    problems.push(problem(path, e.into()));
                    continue;
                }
            };
            if kind.is_symlink() && !self.follow_symlinks && !self.inside(&path) {
                if is_brief_file(&path) || path.is_dir() {
                    problems.push(problem(
                        path,
                        LoadError::Read(
                            "symbolic link leads out of briefs.dir (set briefs.follow_symlinks = true to follow it)".into(),
                        ),
                    ));
                }
                continue;
            }
            // The entry itself, or what its link leads to.
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    if is_brief_file(&path) {
                        problems.push(problem(path, e.into()));
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                // A link back up the tree would loop: only real folders are walked.
                if !kind.is_symlink() {
                    self.collect(&path, out, problems);
                }
            } else if is_brief_file(&path) {
                if meta.is_file() {
                    out.push((path, (meta.modified().ok(), meta.len())));
                } else {
                    problems.push(problem(
                        path,
                        LoadError::Read("not a regular file (a pipe, socket or device)".into()),
                    ));
                }
            }
        }
    }

    /// Whether a link's target lies inside the folder.
    fn inside(&self, path: &Path) -> bool {
        match (&self.root, std::fs::canonicalize(path)) {
            (Some(root), Ok(target)) => target.starts_with(root),
            _ => false,
        }
    }

    fn parse(&self, path: &Path, buf: &mut Vec<u8>) -> Result<Brief, LoadError> {
        read_capped_into(path, self.opts.parse.max_bytes, buf)?;
        // Keyphrases come later, from `enrich`.
        super::parse_file(path, buf, &self.opts.parse, false)
    }
}

fn problem(path: PathBuf, error: LoadError) -> LoadProblem {
    LoadProblem { path, error }
}

/// Whether the path has a brief extension (`.md`, `.txt`).
pub fn is_brief_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads a regular file, at most `max` bytes: the read itself is bounded (`max + 1` bytes
/// read means too large), so a file whose size metadata lies (`/proc`, a growing file) cannot
/// make it read more. The file is opened without blocking, so a pipe swapped in after the
/// folder walk cannot hang the reader.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, LoadError> {
    let mut bytes = Vec::new();
    read_capped_into(path, max, &mut bytes)?;
    Ok(bytes)
}

/// [`read_capped`] into `bytes` (cleared first; its capacity is reused).
pub fn read_capped_into(path: &Path, max: u64, bytes: &mut Vec<u8>) -> Result<(), LoadError> {
    bytes.clear();
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        const O_NONBLOCK: i32 = 0o4000;
        options.custom_flags(O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(LoadError::Read(
            "not a regular file (a pipe, socket or device)".into(),
        ));
    }
    file.take(max.saturating_add(1)).read_to_end(bytes)?;
    if bytes.len() as u64 > max {
        return Err(LoadError::TooLarge {
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(())
}

/// The id a file name gives a brief without front-matter `id`: its stem, made an id by
/// [`crate::brief::parse::slug`]. A stem that is not UTF-8 keeps what it has of text and
/// gets a stable hash of its bytes, so that two such files never share an id.
pub fn stem(path: &Path) -> String {
    let Some(raw) = path.file_stem() else {
        return "brief".into();
    };
    match raw.to_str() {
        Some(s) => s.to_owned(),
        None => {
            let bytes = raw.as_encoded_bytes();
            let lossy: String = String::from_utf8_lossy(bytes)
                .chars()
                .filter(|c| *c != char::REPLACEMENT_CHARACTER)
                .take(MAX_STEM - 9)
                .collect();
            // FNV-1a (32-bit): tiny, and stable across releases, unlike std's hasher.
            let hash = bytes.iter().fold(0x811c_9dc5u32, |h, &b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            });
            format!("{}-{hash:08x}", lossy.trim_matches('-'))
                .trim_start_matches('-')
                .to_owned()
        }
    }
}

/// A path as it may be printed to a terminal or a log: control characters escaped.
pub fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BRIEF: &str = "What's Happening?\nA thing happened.\nWhy It's Important?\nIt matters.\n";

    fn source(dir: &Path) -> FolderSource {
        FolderSource::new(dir, SourceOptions::default(), false)
    }

    #[test]
    fn reload_picks_up_new_changed_and_removed_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), BRIEF).unwrap();
        let mut loader = source(dir.path());
        let loaded = loader.load().unwrap();
        assert_eq!((loaded.library.len(), loaded.problems.len()), (1, 0));

        std::fs::write(
            dir.path().join("b.md"),
            BRIEF.replace("thing", "second thing"),
        )
        .unwrap();
        std::fs::write(dir.path().join("bad.md"), "no sections here").unwrap();
        let loaded = loader.load().unwrap();
        assert_eq!(loaded.library.len(), 2);
        assert_eq!(loaded.problems.len(), 1);
        assert!(loaded.problems[0].path.ends_with("bad.md"));

        std::fs::write(
            dir.path().join("a.md"),
            BRIEF.replace("It matters.", "It matters a lot now."),
        )
        .unwrap();
        std::fs::remove_file(dir.path().join("b.md")).unwrap();
        let lib = loader.load().unwrap().library;
        assert_eq!(lib.len(), 1);
        assert_eq!(
            lib.get("a").unwrap().importance.as_ref().unwrap().text(),
            "It matters a lot now."
        );
    }

    #[test]
    fn scan_parses_without_keyphrases_and_enrich_adds_them_once() {
        let dir = tempfile::tempdir().unwrap();
        let text = "+++\ntopics = [\"transit\"]\n+++\nWhat's Happening?\nThe tram line opens. \
                    The tram line links the harbour.\nWhy It's Important?\nTram riders save time.\n";
        std::fs::write(dir.path().join("a.md"), text).unwrap();
        let mut loader = source(dir.path());
        loader.scan().unwrap();
        let topics = |l: &FolderSource| -> Vec<String> {
            let library = l.snapshot().library;
            library
                .get("a")
                .unwrap()
                .all_topics()
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(topics(&loader), vec!["transit"]);
        let before = loader.snapshot().library;
        assert_eq!(loader.enrich(), 1);
        let enriched = topics(&loader);
        // Set in place: the library taken before shares the brief, not a copy of it.
        let after = loader.snapshot().library;
        assert!(Arc::ptr_eq(
            before.get("a").unwrap(),
            after.get("a").unwrap()
        ));
        assert_eq!(before.get("a").unwrap().topics, vec!["transit"]);
        assert_eq!(enriched[0], "transit");
        assert!(enriched.iter().any(|t| t.contains("tram")), "{enriched:?}");
        assert_eq!(loader.enrich(), 0, "already enriched");
        loader.scan().unwrap();
        assert_eq!(topics(&loader), enriched, "unchanged file kept");
    }

    #[test]
    fn reads_are_bounded_by_bytes_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        std::fs::write(&path, "x".repeat(100)).unwrap();
        assert_eq!(
            read_capped(&path, 10),
            Err(LoadError::TooLarge { size: 11, max: 10 })
        );
        #[cfg(target_os = "linux")]
        assert!(matches!(
            read_capped(Path::new("/dev/zero"), 10),
            Err(LoadError::Read(_))
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_or_a_link_out_of_the_folder_is_a_problem_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ok.md"), BRIEF).unwrap();
        let fifo = dir.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.md")).unwrap();
        let loaded = source(dir.path()).load().unwrap();
        assert_eq!(loaded.library.len(), 1);
        let mut bad: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
        bad.sort();
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(
            bad[0].contains("pipe.md") && bad[0].contains("not a regular file"),
            "{bad:?}"
        );
        assert!(
            bad[1].contains("zero.md") && bad[1].contains("leads out of briefs.dir"),
            "{bad:?}"
        );
        // Followed on request, /dev/zero is still not a regular file: nothing is read.
        let mut follow = FolderSource::new(dir.path(), SourceOptions::default(), true);
        let loaded = follow.load().unwrap();
        assert!(loaded
            .problems
            .iter()
            .any(|p| p.to_string().contains("zero.md")
                && p.to_string().contains("not a regular file")));
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_get_distinct_stable_ids_and_print_escaped() {
        use std::os::unix::ffi::OsStrExt as _;
        let a = Path::new(std::ffi::OsStr::from_bytes(b"caf\xe9.md"));
        let b = Path::new(std::ffi::OsStr::from_bytes(b"caf\xe8.md"));
        assert_ne!(stem(a), stem(b));
        assert_eq!(stem(a), stem(a));
        assert!(stem(a).starts_with("caf-"), "{}", stem(a));
        assert_eq!(shown(Path::new("a\u{1b}[31m.md")), "a\\u{1b}[31m.md");
    }
}
