//! Keeping the library current while the bot runs: [`DirLoader`] re-reads a brief folder,
//! parsing only files that are new or changed since the last load, and [`FolderWatcher`]
//! reports (debounced) that something in the folder changed, via the `notify` crate.

use super::library::{collect_files, read_capped};
use super::parse::{add_keyphrases, parse_bytes, ParseOptions};
use super::{Brief, Library, LoadProblem};
use notify::{RecursiveMode, Watcher};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tokio::sync::mpsc;

/// How long the folder must be quiet before a change is reported (editors write in bursts).
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Loads a folder repeatedly, re-parsing only what changed. Keyphrase extraction (the
/// costly step) is separate: [`DirLoader::scan`] parses without it, [`DirLoader::enrich`]
/// adds keyphrases to every brief that lacks them, on all cores, and [`DirLoader::load`]
/// does both.
#[derive(Debug)]
pub struct DirLoader {
    dir: PathBuf,
    /// Parser options, keyphrases off (they are added by `enrich`).
    opts: ParseOptions,
    /// Whether `enrich` adds keyphrases.
    keyphrases: bool,
    cache: HashMap<PathBuf, Cached>,
    walk_problems: Vec<LoadProblem>,
}

#[derive(Debug, Clone)]
struct Cached {
    stamp: (Option<SystemTime>, u64),
    result: Result<Brief, String>,
    /// Whether keyphrases were added (or are not wanted).
    enriched: bool,
}

impl DirLoader {
    /// A loader for `dir`. `opts.keyphrases` says whether [`DirLoader::enrich`] adds them.
    pub fn new(dir: &Path, opts: ParseOptions) -> DirLoader {
        DirLoader {
            dir: dir.to_owned(),
            keyphrases: opts.keyphrases,
            opts: ParseOptions {
                keyphrases: false,
                ..opts
            },
            cache: HashMap::new(),
            walk_problems: Vec::new(),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads the folder, parses new and changed files, enriches them, and returns the
    /// library and every problem (same rules as [`Library::load_dir`]).
    pub fn load(&mut self) -> std::io::Result<(Library, Vec<LoadProblem>)> {
        self.scan()?;
        self.enrich();
        Ok(self.snapshot())
    }

    /// Reads the folder and parses files that are new or changed (same size and modification
    /// time = unchanged), without keyphrases. Files that are gone are forgotten.
    pub fn scan(&mut self) -> std::io::Result<()> {
        std::fs::read_dir(&self.dir)?;
        let mut problems = Vec::new();
        let mut paths = Vec::new();
        collect_files(&self.dir, &mut paths, &mut problems);
        let mut fresh: HashMap<PathBuf, Cached> = HashMap::with_capacity(paths.len());
        for path in paths {
            let stamp = match std::fs::metadata(&path) {
                Ok(m) => (m.modified().ok(), m.len()),
                Err(e) => {
                    problems.push(LoadProblem {
                        path,
                        reason: format!("cannot read: {e}"),
                    });
                    continue;
                }
            };
            let entry = match self.cache.remove(&path) {
                Some(c) if c.stamp == stamp && stamp.0.is_some() => c,
                _ => Cached {
                    stamp,
                    result: self.parse(&path),
                    enriched: !self.keyphrases,
                },
            };
            fresh.insert(path, entry);
        }
        self.cache = fresh;
        self.walk_problems = problems;
        Ok(())
    }

    /// Adds keyphrases to every parsed brief that lacks them, spread over the machine's
    /// cores. Returns how many briefs were enriched.
    pub fn enrich(&mut self) -> usize {
        let mut todo: Vec<&mut Cached> = self.cache.values_mut().filter(|c| !c.enriched).collect();
        let count = todo.len();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = count.div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            for part in todo.chunks_mut(chunk) {
                scope.spawn(move || {
                    for c in part.iter_mut() {
                        if let Ok(brief) = &mut c.result {
                            add_keyphrases(brief);
                        }
                        c.enriched = true;
                    }
                });
            }
        });
        count
    }

    /// The library of what was last scanned, and every problem: unreadable and unparsable
    /// files, and duplicate ids (the first file in path order keeps the id).
    pub fn snapshot(&self) -> (Library, Vec<LoadProblem>) {
        let mut ordered: Vec<(&PathBuf, &Cached)> = self.cache.iter().collect();
        ordered.sort_by(|a, b| a.0.cmp(b.0));
        let results = ordered
            .into_iter()
            .map(|(path, cached)| (path.clone(), cached.result.clone()));
        Library::assemble(results, self.walk_problems.clone())
    }

    fn parse(&self, path: &Path) -> Result<Brief, String> {
        let bytes = read_capped(path, self.opts.max_bytes)?;
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("brief");
        let mut brief = parse_bytes(&bytes, stem, &self.opts).map_err(|e| e.to_string())?;
        brief.path = Some(path.to_owned());
        Ok(brief)
    }
}

/// Watches a folder recursively and reports changes, debounced.
pub struct FolderWatcher {
    _watcher: notify::RecommendedWatcher,
    events: mpsc::UnboundedReceiver<()>,
}

impl FolderWatcher {
    /// Starts watching `dir`.
    pub fn new(dir: &Path) -> notify::Result<FolderWatcher> {
        let (tx, events) = mpsc::unbounded_channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if let Ok(e) = event {
                    if !e.kind.is_access() {
                        let _ = tx.send(());
                    }
                }
            })?;
        watcher.watch(dir, RecursiveMode::Recursive)?;
        Ok(FolderWatcher {
            _watcher: watcher,
            events,
        })
    }

    /// Waits for a change, then for [`DEBOUNCE`] of quiet. `None` when the watcher stopped.
    pub async fn changed(&mut self) -> Option<()> {
        self.events.recv().await?;
        loop {
            match tokio::time::timeout(DEBOUNCE, self.events.recv()).await {
                Ok(Some(())) => continue,
                Ok(None) => return None,
                Err(_) => return Some(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BRIEF: &str = "What's Happening?\nA thing happened.\nWhy It's Important?\nIt matters.\n";

    #[test]
    fn reload_picks_up_new_changed_and_removed_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), BRIEF).unwrap();
        let mut loader = DirLoader::new(dir.path(), ParseOptions::default());
        let (lib, problems) = loader.load().unwrap();
        assert_eq!((lib.len(), problems.len()), (1, 0));

        std::fs::write(
            dir.path().join("b.md"),
            BRIEF.replace("thing", "second thing"),
        )
        .unwrap();
        std::fs::write(dir.path().join("bad.md"), "no sections here").unwrap();
        let (lib, problems) = loader.load().unwrap();
        assert_eq!(lib.len(), 2);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].path.ends_with("bad.md"));

        std::fs::write(
            dir.path().join("a.md"),
            BRIEF.replace("It matters.", "It matters a lot now."),
        )
        .unwrap();
        std::fs::remove_file(dir.path().join("b.md")).unwrap();
        let (lib, _) = loader.load().unwrap();
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
        let mut loader = DirLoader::new(dir.path(), ParseOptions::default());
        loader.scan().unwrap();
        assert_eq!(
            loader.snapshot().0.get("a").unwrap().topics,
            vec!["transit"]
        );
        assert_eq!(loader.enrich(), 1);
        let topics = loader.snapshot().0.get("a").unwrap().topics.clone();
        assert_eq!(topics[0], "transit");
        assert!(topics.iter().any(|t| t.contains("tram")), "{topics:?}");
        assert_eq!(loader.enrich(), 0, "already enriched");
        loader.scan().unwrap();
        assert_eq!(
            loader.snapshot().0.get("a").unwrap().topics,
            topics,
            "unchanged file kept"
        );
    }

    #[tokio::test]
    async fn watcher_reports_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = FolderWatcher::new(dir.path()).unwrap();
        std::fs::write(dir.path().join("new.md"), BRIEF).unwrap();
        let got = tokio::time::timeout(Duration::from_secs(5), w.changed()).await;
        assert_eq!(got, Ok(Some(())));
    }
}
