//! Start-up wiring, in one place: read the config, load the briefs from their sources, build
//! the [`Core`] and the [`Dispatcher`], and — for `briefbot run` — open the store, connect
//! the Discord adapter, and start the update machinery ([`updates`]) that keeps the library
//! current and delivers new briefs through the adapter ([`outbox`]). Front ends (the CLI in
//! `main.rs`) call this module; nothing below it knows how the parts are put together.

pub mod leader;
pub mod outbox;
pub mod sources;
pub mod updates;

use crate::brief::{Brief, Library, SectionKind};
use crate::commands::Dispatcher;
use crate::config::Config;
use crate::core::qa::Semantics;
use crate::core::Core;
use crate::delivery::{Clock, SystemClock};
use crate::discord::{self, Connection, Token};
use crate::ops::{self, Health};
use crate::source::status::{SourceBoard, SourceStatus, State};
use crate::source::web::Spec;
use crate::source::{embedded, folder::FolderSource, LoadProblem};
use crate::store::{LazyStore, Location, Store};
use crate::summarize::Summarizer;
use crate::text::encoder::SentenceEncoder;
use crate::text::vectors::WordVectors;
use anyhow::Context as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// [`FolderSource::enrich`]): start-up then waits only for parsing and indexing.
    pub defer_keyphrases: bool,
    /// Fetch every `[[sources]]` feed and page once (the one-shot commands); the running
    /// bot polls them itself instead.
    pub fetch_sources: bool,
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
    /// The brief folder (with its parse cache), when briefs come from a folder.
    pub folder: Option<FolderSource>,
    /// The `[[sources]]` feeds and pages' status (fetched once, or waiting).
    pub board: SourceBoard,
    /// The word vectors of `[answers] vectors` or the sentence encoder of `[answers] model`,
    /// if set.
    pub semantics: Option<Semantics>,
}

impl Loaded {
    /// Logs each load problem as a warning (on stderr).
    pub fn report_problems(&self) {
        for p in &self.problems {
            tracing::warn!("skipped {p}");
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
        .with_semantics(self.semantics.clone())
    }

    /// The dispatcher of the terminal front ends: the core, and the database of
    /// `[storage]`, opened only when a subscription command needs it.
    pub fn dispatcher(&self, core: Arc<Core>) -> Dispatcher {
        let store = match self.config.storage.location() {
            Ok(location) => LazyStore::at(&location),
            Err(why) => LazyStore::unavailable(why),
        };
        Dispatcher::new(core)
            .configured(&self.config)
            .with_store(store)
            .with_sources(self.board.clone())
    }

    /// The `[[sources]]` entries as the source module reads them.
    pub fn source_specs(&self) -> Vec<Spec> {
        self.config.sources.iter().map(|s| s.spec()).collect()
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
    let opts = config.briefs.source_options();
    let (loaded, source, folder) = match &config.briefs.dir {
        Some(dir) => {
            let mut folder = FolderSource::new(dir, opts, config.briefs.follow_symlinks);
            folder
                .scan()
                .with_context(|| format!("cannot read the briefs folder {}", dir.display()))?;
            if !options.defer_keyphrases {
                folder.enrich();
            }
            (folder.snapshot(), dir.display().to_string(), Some(folder))
        }
        None => (embedded::load(&opts), "embedded samples".to_owned(), None),
    };
    let specs: Vec<Spec> = config.sources.iter().map(|s| s.spec()).collect();
    let (library, board) = if options.fetch_sources && !specs.is_empty() {
        let (briefs, statuses) = sources::fetch_once(
            &specs,
            &config.briefs.parse_options(),
            !options.defer_keyphrases,
        );
        let all = loaded
            .library
            .briefs()
            .iter()
            .map(|b| Brief::clone(b))
            .chain(briefs);
        (Library::from_briefs(all), SourceBoard::new(statuses))
    } else {
        let waiting = specs
            .iter()
            .map(|s| SourceStatus::waiting(&s.name, s.kind.name(), &s.url))
            .collect();
        (loaded.library, SourceBoard::new(waiting))
    };
    let semantics = match (&config.answers.vectors, &config.answers.model) {
        (Some(path), _) => Some(Semantics::Vectors(Arc::new(
            WordVectors::load(path).context("answers.vectors: cannot use the word vectors")?,
        ))),
        (None, Some(dir)) => Some(Semantics::Encoder(Arc::new(
            SentenceEncoder::load(dir).context("answers.model: cannot use the model")?,
        ))),
        (None, None) => None,
    };
    Ok(Loaded {
        config,
        library,
        problems: loaded.problems,
        source,
        folder,
        board,
        semantics,
    })
}

/// The configured sources with the state the running bot saved in `storage.path` (waiting
/// when it never fetched them; nothing is created when the database does not exist).
pub async fn saved_sources(loaded: &Loaded) -> anyhow::Result<Vec<SourceStatus>> {
    let mut list = loaded.board.list();
    let location = loaded
        .config
        .storage
        .location()
        .map_err(|why| anyhow::anyhow!(why))?;
    if list.is_empty() || matches!(&location, Location::File(path) if !path.exists()) {
        return Ok(list);
    }
    let store = Store::open_at(&location, false)
        .await
        .with_context(|| format!("opening the database {location}"))?;
    let rows = store.source_rows().await?;
    store.close().await;
    let when = |ms: Option<i64>| ms.and_then(chrono::DateTime::from_timestamp_millis);
    for s in &mut list {
        // As the bot restores it: nothing saved for another URL (see `sources::restored`).
        let saved = rows.iter().find(|r| r.name == s.name);
        if let Some(r) = saved.and_then(|r| sources::restored(r, &s.url)) {
            s.kind = r.kind.clone();
            s.last_fetch = when(r.last_fetch_ms);
            s.next_fetch = when(r.next_fetch_ms);
            s.state = match r.state.as_str() {
                "ok" => State::Ok,
                "failing" => State::Failing,
                "disabled" => State::Disabled,
                _ => State::Waiting,
            };
            s.last_error = r.last_error.clone();
            s.items = usize::try_from(r.items).unwrap_or(0);
        }
    }
    Ok(list)
}

/// Why `briefbot run` stopped with an error (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Discord: no token, a rejected token, unreachable.
    #[error(transparent)]
    Discord(#[from] discord::DiscordError),
    /// Anything else at start-up (the database, the runtime).
    #[error(transparent)]
    Start(#[from] anyhow::Error),
}

/// `briefbot run`: the Discord bot with subscriptions and deliveries, until SIGINT/SIGTERM.
pub fn run_bot(loaded: Loaded) -> Result<(), RunError> {
    let token = Token::from_env(&loaded.config.discord.token_env)?;
    ignore_file_size_signal();
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(serve(loaded, token))
}

/// The commands [`warm_up`] answers (and an `/ask` about the newest brief's title).
const WARM_UP: [&str; 3] = ["/brief", "/happening", "/briefs"];

/// Answers each kind of command once, from memory, before the commands are registered, and
/// renders the answers as Discord messages: the first answer of each kind pays one-time costs
/// (the sentence splitter's and `/ask`'s lazily built tables, the stemmer, the first summary
/// of the newest brief, code paths run for the first time) that otherwise fell on the first
/// users after a start (issue 12: the first `/brief` took 3–15 ms against a p50 of 0.5 ms).
/// Takes a few milliseconds; nothing is sent or stored.
fn warm_up(dispatcher: &Dispatcher) {
    for line in warm_up_lines(dispatcher) {
        let reply = dispatcher.answer_now(&line);
        let _ = std::hint::black_box(discord::render::message(&reply));
    }
    std::hint::black_box(dispatcher.suggest("a"));
}

/// [`WARM_UP`], then a question about the newest brief.
fn warm_up_lines(dispatcher: &Dispatcher) -> Vec<String> {
    let mut lines: Vec<String> = WARM_UP.iter().map(|l| l.to_string()).collect();
    if let Ok(newest) = dispatcher.core().pick(None) {
        lines.push(format!("/ask why does {} matter", newest.title));
    }
    lines
}

async fn serve(mut loaded: Loaded, token: Token) -> Result<(), RunError> {
    let core = Arc::new(loaded.core());
    // Moved, not copied: kept here, the start-up library would hold the briefs as first
    // parsed (before keyphrases) for the bot's lifetime, and the config (10,000
    // subscriptions, say) twice.
    loaded.library = Library::default();
    let config = std::mem::take(&mut loaded.config);
    let location = config
        .storage
        .location()
        .map_err(|why| anyhow::anyhow!(why))?;
    // A file is held until the process ends: a second `briefbot run` on it is refused.
    let store = Store::open_at(&location, true)
        .await
        .with_context(|| format!("opening the database {location}"))?;
    let endpoint = match config.http.listen_addr() {
        Some(addr) => Some(ops::Endpoint::open(addr).await?),
        None => None,
    };
    let dispatcher = Arc::new(
        Dispatcher::new(core.clone())
            .configured(&config)
            .with_store(LazyStore::ready(store.clone()))
            .with_sources(loaded.board.clone()),
    );
    warm_up(&dispatcher);
    // Parsing every file, opening the store and reading its subscriptions left their
    // temporaries' memory free in the main thread's heap: back to the system before the
    // bot answers.
    crate::work::release_freed();
    let http = discord::http_client(&config, &token);
    let connection = Connection::open(
        http,
        dispatcher,
        config.discord.guild_ids.clone(),
        &config.discord.shards,
    )
    .await?;
    let outbox = Arc::new(outbox::DiscordOutbox::new(
        connection.poster(),
        core.clone(),
    ));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    // On a file this process leads; on a server, whoever holds the lock (see `leader`).
    let lease = leader::Lease::start(&location);
    let role = lease.role();
    if let Some(endpoint) = endpoint {
        let health = Health {
            role,
            shards: connection.shards(),
            store: store.clone(),
            core: core.clone(),
        };
        let mut stopped = stopped.clone();
        endpoint.serve(health, async move {
            let _ = stopped.wait_for(|s| *s).await;
        });
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let updates = updates::start_with_sources(
        updates::Parts {
            store,
            core,
            folder: loaded.folder,
            outbox,
            clock,
            digest_tick: updates::DIGEST_TICK,
            role: lease.role(),
        },
        &config,
        loaded.board,
        stopped,
    )
    .await
    .context("starting deliveries")?;
    let result = connection
        .serve(async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        })
        .await;
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), updates.join()).await;
    // Deliveries have stopped: another process may lead now.
    lease.release().await;
    Ok(result?)
}

/// A write past a file-size limit (`ulimit -f`) then fails with an error the store reports and
/// recovers from, like a full disk, instead of killing the bot with SIGXFSZ.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: sets the disposition of one signal to "ignore", before any thread could be
    // handling it; no handler code runs.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The `briefbot briefs --json` shape of one brief.
pub fn brief_json(b: &Brief) -> serde_json::Value {
    let text = |k| b.section(k).map(|s| s.text());
    serde_json::json!({
        "id": b.id,
        "title": b.title,
        "published": b.published.map(|p| p.to_rfc3339()),
        "topics": b.all_topics().collect::<Vec<_>>(),
        "source": b.source,
        "sections": {
            "happening": text(SectionKind::Happening),
            "importance": text(SectionKind::Importance),
            "next": text(SectionKind::Next),
        },
        "extra": b.extra.iter().map(|s| serde_json::json!({"heading": s.heading, "text": s.text()})).collect::<Vec<_>>(),
    })
}

/// Logs to stderr, filtered by `RUST_LOG` (default: warnings, and info from briefbot).
/// A log line that cannot be written (stderr is a file on a full disk) is dropped: by
/// default the subscriber would report it with `eprintln!`, which panics when stderr
/// cannot be written, killing whatever task was logging (an interaction then never got
/// its answer).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,briefbot=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .log_internal_errors(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warm_up_commands_are_answered_not_refused() {
        let core = Core::new(
            embedded::load(&Default::default()).library,
            Summarizer::default(),
        );
        let dispatcher = Dispatcher::new(Arc::new(core));
        let lines = warm_up_lines(&dispatcher);
        assert_eq!(lines.len(), WARM_UP.len() + 1, "{lines:?}");
        for line in lines {
            let reply = dispatcher.answer_now(&line);
            assert_eq!(
                reply.kind,
                crate::reply::ReplyKind::Answer,
                "{line}: {reply:?}"
            );
        }
        warm_up(&dispatcher);
    }
}
