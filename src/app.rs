//! Start-up shared by every front end: find and read the config, load the briefs (folder or
//! embedded samples), and build the [`Core`]. Errors carry context for the command line.

use crate::brief::watch::DirLoader;
use crate::brief::{Brief, Library, LoadProblem};
use crate::commands::Core;
use crate::config::Config;
use crate::summarize::Summarizer;
use anyhow::Context as _;
use std::path::{Path, PathBuf};

/// Where the default config lives, relative to the working directory.
pub const DEFAULT_CONFIG: &str = "config/briefbot.toml";

/// Command-line overrides.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--briefs DIR`.
    pub briefs: Option<PathBuf>,
    /// Leave keyphrase extraction of a brief folder to the caller (see
    /// [`DirLoader::enrich`]): start-up then waits only for parsing and indexing.
    pub defer_keyphrases: bool,
}

/// Everything loaded at start.
#[derive(Debug)]
pub struct Loaded {
    /// The configuration (defaults when there is no file).
    pub config: Config,
    /// The briefs.
    pub library: Library,
    /// Files that could not be loaded.
    pub problems: Vec<LoadProblem>,
    /// Where briefs came from, for messages.
    pub source: String,
    /// The folder loader (with its parse cache), when briefs come from a folder.
    pub loader: Option<DirLoader>,
}

impl Loaded {
    /// Logs each load problem as a warning (on stderr).
    pub fn report_problems(&self) {
        for p in &self.problems {
            tracing::warn!("skipped {}: {}", p.path.display(), p.reason);
        }
    }

    /// A core answering from the loaded briefs.
    pub fn core(&self) -> Core {
        Core::new(
            self.library.clone(),
            Summarizer {
                sentences: self.config.summary.sentences,
            },
        )
    }
}

/// Reads the config (explicit, else the default file if present, else defaults) and loads
/// the briefs.
pub fn load(options: &Options) -> anyhow::Result<Loaded> {
    let mut config = match &options.config {
        Some(path) => Config::load(path)?,
        None if Path::new(DEFAULT_CONFIG).exists() => Config::load(Path::new(DEFAULT_CONFIG))?,
        None => Config::default(),
    };
    if let Some(dir) = &options.briefs {
        config.briefs.dir = Some(dir.clone());
    }
    let opts = config.parse_options();
    let (library, problems, source, loader) = match &config.briefs.dir {
        Some(dir) => {
            let mut loader = DirLoader::new(dir, opts);
            loader
                .scan()
                .with_context(|| format!("cannot read the briefs folder {}", dir.display()))?;
            if !options.defer_keyphrases {
                loader.enrich();
            }
            let (lib, problems) = loader.snapshot();
            (lib, problems, dir.display().to_string(), Some(loader))
        }
        None => {
            let (lib, problems) = Library::embedded(&opts);
            (lib, problems, "embedded samples".to_owned(), None)
        }
    };
    Ok(Loaded {
        config,
        library,
        problems,
        source,
        loader,
    })
}

/// The `briefbot briefs --json` shape of one brief.
pub fn brief_json(b: &Brief) -> serde_json::Value {
    let text = |k| b.section(k).map(|s| s.text());
    serde_json::json!({
        "id": b.id,
        "title": b.title,
        "published": b.published.map(|p| p.to_rfc3339()),
        "topics": b.topics,
        "source": b.source,
        "sections": {
            "happening": text(crate::brief::SectionKind::Happening),
            "importance": text(crate::brief::SectionKind::Importance),
            "next": text(crate::brief::SectionKind::Next),
        },
        "extra": b.extra.iter().map(|s| serde_json::json!({"heading": s.heading, "text": s.text()})).collect::<Vec<_>>(),
    })
}

/// Logs to stderr, filtered by `RUST_LOG` (default: warnings, and info from briefbot).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,briefbot=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
