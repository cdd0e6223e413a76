//! The running update machinery, platform-neutral: at start it syncs config subscriptions
//! and plans briefs that appeared while the bot was down; then it watches the brief folder
//! (new brief → planned for matching instant subscriptions, changed brief → library updated,
//! never re-posted), polls the `[[sources]]` feeds and pages ([`super::sources`], one task
//! each, merged with the folder's briefs), plans daily digests when due, and runs the
//! delivery worker that sends the ledger's pending rows through an [`Outbox`].

use super::sources::{self, Merger};
use crate::config::{parse_hhmm, Config, SubscriptionConfig};
use crate::core::Core;
use crate::delivery::{
    self, Clock, DeliveryHandle, Outbox, Pacer, PartLimits, Worker, WorkerConfig,
};
use crate::source::folder::FolderSource;
use crate::source::status::SourceBoard;
use crate::source::watch::FolderWatcher;
use crate::source::web::Spec;
use crate::store::{Mode, Origin, Store, Subscription};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often due digests are looked for, by default.
pub const DIGEST_TICK: Duration = Duration::from_secs(15);

/// Briefs per digest message (one embed field each, well inside 6000 characters).
const DIGEST_ITEMS: usize = 10;

/// A `[[subscriptions]]` entry as a store subscription (validated by the config loader).
pub fn from_config(c: &SubscriptionConfig, now_ms: i64) -> Subscription {
    let mode = match (c.mode.as_str(), c.at.as_deref().and_then(parse_hhmm)) {
        ("daily", Some(at)) => Mode::Daily { at },
        _ => Mode::Instant,
    };
    Subscription::new(c.channel, None, &c.topics, mode, Origin::Config, now_ms)
}

/// Handles to the running machinery.
pub struct Updates {
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Updates {
    /// Waits for every task (after the shutdown signal was sent).
    pub async fn join(self) {
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// What the update machinery runs on.
pub struct Parts<O> {
    /// The database.
    pub store: Store,
    /// The core whose library is kept current.
    pub core: Arc<Core>,
    /// The brief folder, when briefs come from a folder (watched).
    pub folder: Option<FolderSource>,
    /// Where deliveries are sent.
    pub outbox: Arc<O>,
    /// The time source (a manual clock in tests).
    pub clock: Arc<dyn Clock>,
    /// How often due digests are looked for (normally [`DIGEST_TICK`]).
    pub digest_tick: Duration,
}

/// Starts everything: start-up planning, the folder watcher (when `loader` is given), the
/// digest timer (every `digest_tick`) and the worker. All stop when `shutdown` turns true.
pub async fn start<O: Outbox>(
    parts: Parts<O>,
    config: &Config,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<Updates> {
    start_with_sources(parts, config, SourceBoard::default(), shutdown).await
}

/// [`start`], with the `[[sources]]` of `config` each polled in its own task and reporting
/// to `board` (which `/sources` reads).
pub async fn start_with_sources<O: Outbox>(
    parts: Parts<O>,
    config: &Config,
    board: SourceBoard,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<Updates> {
    let Parts {
        store,
        core,
        folder: loader,
        outbox,
        clock,
        digest_tick,
    } = parts;
    let specs: Vec<Spec> = config.sources.iter().map(|s| s.spec()).collect();
    // Config subscriptions and the briefs on hand share one start time, so that neither
    // floods the other: a subscription gets only briefs first seen after it was created.
    let start_ms = clock.now().timestamp_millis();
    let config_subs: Vec<_> = config
        .subscriptions
        .iter()
        .map(|c| from_config(c, start_ms))
        .collect();
    let none: &[Arc<crate::brief::Brief>] = &[];
    delivery::start_up(&store, &config_subs, none, start_ms).await?;

    let pacer = Arc::new(Pacer::new(config.delivery.max_per_second));
    let worker = Worker::new(store.clone(), outbox, pacer, WorkerConfig::default());
    let handle = worker.handle();
    let mut tasks = vec![tokio::spawn(worker.run(shutdown.clone()))];
    let merger = Arc::new(Merger::new(core.clone()));
    tasks.extend(sources::start(
        &specs,
        &config.briefs.parse_options(),
        Arc::new(sources::Running {
            store: store.clone(),
            merger: merger.clone(),
            handle: handle.clone(),
            clock: clock.clone(),
            board,
        }),
        shutdown.clone(),
    ));
    tasks.push(tokio::spawn(briefs(
        loader,
        merger,
        store.clone(),
        handle.clone(),
        clock.clone(),
        start_ms,
        shutdown.clone(),
    )));
    let (store_for_prune, clock_for_prune, shutdown_for_prune) =
        (store.clone(), clock.clone(), shutdown.clone());
    let tz: chrono_tz::Tz = config.delivery.timezone.parse().unwrap_or(chrono_tz::UTC);
    tasks.push(tokio::spawn(digests(
        store,
        core,
        handle.clone(),
        clock,
        tz,
        digest_tick,
        shutdown,
    )));
    tasks.push(tokio::spawn(prune(
        store_for_prune,
        clock_for_prune,
        config.delivery.keep_days,
        shutdown_for_prune,
    )));
    handle.wake();
    Ok(Updates { tasks })
}

/// Finishes loading (keyphrases, on all cores, off the start-up path), plans the briefs on
/// hand (those that appeared while the bot was down reach their subscribers), then reloads
/// the library on every folder change and plans the new briefs.
async fn briefs(
    loader: Option<FolderSource>,
    merger: Arc<Merger>,
    store: Store,
    handle: DeliveryHandle,
    clock: Arc<dyn Clock>,
    start_ms: i64,
    mut shutdown: watch::Receiver<bool>,
) {
    let core = merger.core().clone();
    // Watch first, so that nothing written while keyphrases are extracted is missed.
    let watcher = loader
        .as_ref()
        .and_then(|l| match FolderWatcher::new(l.dir()) {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::error!(
                    "cannot watch {}: {e}; new briefs will not be noticed",
                    l.dir().display()
                );
                None
            }
        });
    let mut loader = match loader {
        Some(mut l) => {
            let l = tokio::task::spawn_blocking(move || {
                let n = l.enrich();
                if n > 0 {
                    tracing::info!(briefs = n, "keyphrases extracted");
                }
                l
            })
            .await
            .expect("keyphrase task");
            merger.set_folder(l.snapshot().library);
            Some(l)
        }
        None => None,
    };
    warm(&core).await;
    match delivery::plan_new(&store, core.library().briefs(), start_ms).await {
        Ok(n) => {
            tracing::info!(planned = n, "briefs on hand planned");
            handle.wake();
        }
        Err(e) => tracing::error!("planning deliveries failed: {e}"),
    }
    let (Some(mut watcher), Some(mut loader)) = (watcher, loader.take()) else {
        return;
    };
    loop {
        tokio::select! {
            _ = shutdown.wait_for(|s| *s) => return,
            changed = watcher.changed() => if changed.is_none() { return },
        }
        let (result, back) = tokio::task::spawn_blocking(move || {
            let r = loader.load();
            (r, loader)
        })
        .await
        .expect("loader task");
        loader = back;
        let crate::source::Loaded { library, problems } = match result {
            Ok(x) => x,
            Err(e) => {
                tracing::warn!("cannot read {}: {e}", loader.dir().display());
                continue;
            }
        };
        for p in &problems {
            tracing::warn!("skipped {p}");
        }
        let briefs = library.briefs().to_vec();
        merger.set_folder(library);
        warm(&core).await;
        match delivery::plan_new(&store, &briefs, clock.now().timestamp_millis()).await {
            Ok(n) if n > 0 => handle.wake(),
            Ok(_) => {}
            Err(e) => tracing::error!("planning deliveries failed: {e}"),
        }
    }
}

/// Summarizes, off the async threads, every brief not summarized yet, so that answers
/// come from memory.
async fn warm(core: &Arc<Core>) {
    let core = core.clone();
    match tokio::task::spawn_blocking(move || core.warm_summaries()).await {
        Ok(n) if n > 0 => tracing::debug!(briefs = n, "summaries computed"),
        Ok(_) => {}
        Err(e) => tracing::error!("summarizing failed: {e}"),
    }
}

/// How often the ledger is pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Prunes sent and failed ledger rows older than `keep_days`, at start and then hourly.
async fn prune(
    store: Store,
    clock: Arc<dyn Clock>,
    keep_days: u32,
    mut shutdown: watch::Receiver<bool>,
) {
    let keep_ms = i64::from(keep_days) * 86_400_000;
    loop {
        let before = clock.now().timestamp_millis() - keep_ms;
        match store.prune_ledger(before).await {
            Ok(n) if n > 0 => tracing::info!(rows = n, "delivery ledger pruned"),
            Ok(_) => {}
            Err(e) => tracing::warn!("pruning the delivery ledger failed: {e}"),
        }
        tokio::select! {
            _ = shutdown.wait_for(|s| *s) => return,
            _ = tokio::time::sleep(PRUNE_EVERY) => {}
        }
    }
}

/// Plans due daily digests on a timer.
async fn digests(
    store: Store,
    core: Arc<Core>,
    handle: DeliveryHandle,
    clock: Arc<dyn Clock>,
    tz: chrono_tz::Tz,
    tick: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let library = core.library();
        match delivery::plan_digests(
            &store,
            library.briefs(),
            clock.now(),
            tz,
            PartLimits::items(DIGEST_ITEMS),
            |_| 1,
        )
        .await
        {
            Ok(planned) if planned.iter().any(|p| p.parts > 0) => handle.wake(),
            Ok(_) => {}
            Err(e) => tracing::error!("planning digests failed: {e}"),
        }
        tokio::select! {
            _ = shutdown.wait_for(|s| *s) => return,
            _ = tokio::time::sleep(tick) => {}
        }
    }
}
