//! The running update machinery, platform-neutral: at start it syncs config subscriptions
//! and plans briefs that appeared while the bot was down; then it watches the brief folder
//! (new brief → planned for matching instant subscriptions, changed brief → library updated,
//! never re-posted), plans daily digests when due, and runs the delivery worker that sends
//! the ledger's pending rows through an [`Outbox`]. The `[[sources]]` feeds and pages are
//! polled by [`super::sources`] (one task each), their briefs merged with the folder's.
//!
//! Progress: what has been planned, and when the worker has sent everything planned so far,
//! is published as [`Progress`] ([`Updates::progress`]) and logged at debug level with the
//! target [`PROGRESS_TARGET`] as `key=value` lines (`planned pass=2 briefs=5 changed="x1"
//! deliveries=3`, then `idle pass=2`), so that an operator — or a test — can tell "done" from
//! "not yet". `role leader` is logged when this process starts delivering, `role follower`
//! when it found that another process leads ([`super::leader`]).
//!
//! Planning that fails (the database cannot be written) is tried again with backoff, not
//! left for the next folder change ([`Replan`]). A database found deleted or replaced
//! ([`Store::wait_lost`]) stops the worker, the digests and pruning for good; the library
//! keeps following the folder, so commands keep answering.

use super::leader::{self, Role};
use super::sources::{self, Merger};
use crate::brief::Brief;
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
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often due digests are looked for, by default.
pub const DIGEST_TICK: Duration = Duration::from_secs(15);

/// First wait before planning that failed is tried again; it doubles up to [`REPLAN_MAX`].
const REPLAN_MIN: Duration = Duration::from_secs(1);

/// Longest wait between two planning attempts.
const REPLAN_MAX: Duration = Duration::from_secs(60);

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

/// The `tracing` target of the progress lines (enable with `RUST_LOG=briefbot::progress=debug`).
pub const PROGRESS_TARGET: &str = "briefbot::progress";

/// Most brief ids named in one `planned` progress line.
const CHANGED_SHOWN: usize = 20;

/// What the update machinery has finished.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Planning passes finished: 1 at start, then one per folder reload.
    pub passes: u64,
    /// Clock time (ms) of the latest finished digest check.
    pub digests_at_ms: i64,
    /// `(passes, digests_at_ms)` as they were when the worker, asked afterwards, had nothing
    /// sendable left (rows of paused channels do not count).
    pub idle_after: (u64, i64),
}

impl Progress {
    fn done(&self) -> (u64, i64) {
        (self.passes, self.digests_at_ms)
    }
}

/// Handles to the running machinery.
pub struct Updates {
    tasks: Vec<tokio::task::JoinHandle<()>>,
    progress: watch::Receiver<Progress>,
}

impl Updates {
    /// What has been planned and sent so far (see [`Progress`]).
    pub fn progress(&self) -> watch::Receiver<Progress> {
        self.progress.clone()
    }

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
    /// Whether this process delivers ([`leader::always`] for one process on its own).
    pub role: watch::Receiver<Role>,
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
///
/// The library is kept current in every process; what delivers — planning, the sources, the
/// digests, pruning and the worker — runs only while [`Parts::role`] is
/// [`Role::Leader`], one *term* at a time ([`duty`]).
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
        role,
    } = parts;
    // Config subscriptions and the briefs on hand share one start time, so that neither
    // floods the other: a subscription gets only briefs first seen after it was created.
    let start_ms = clock.now().timestamp_millis();
    let config_subs: Vec<_> = config
        .subscriptions
        .iter()
        .map(|c| from_config(c, start_ms))
        .collect();
    // A leader from the start (always on SQLite) syncs now: a store that cannot be written
    // stops the start. A later term syncs when it begins.
    let synced = (*role.borrow() == Role::Leader).then_some(start_ms);
    if synced.is_some() {
        let none: &[Arc<crate::brief::Brief>] = &[];
        delivery::start_up(&store, &config_subs, none, start_ms).await?;
    }

    // Deliveries stop with the bot, or for good once the database is lost.
    let (halt_tx, halt) = watch::channel(false);
    let halt_task = {
        let (store, mut shutdown) = (store.clone(), shutdown.clone());
        tokio::spawn(async move {
            tokio::select! {
                _ = shutdown.wait_for(|s| *s) => {}
                () = store.wait_lost() => {}
            }
            let _ = halt_tx.send(true);
        })
    };
    let pacer = Arc::new(Pacer::new(config.delivery.max_per_second));
    let worker_config = WorkerConfig {
        send_timeout: Duration::from_secs(config.delivery.send_timeout_secs.into()),
        ..WorkerConfig::default()
    };
    let worker = Worker::new(store.clone(), outbox, pacer, worker_config);
    let handle = worker.handle();
    let (progress, progress_rx) = watch::channel(Progress::default());
    let progress = Arc::new(progress);
    let signals = Signals {
        worker: handle.clone(),
        progress,
    };
    let merger = Arc::new(Merger::new(core.clone()));
    let (leading_tx, leading) = watch::channel(None);
    let duty = Duty {
        store: store.clone(),
        core,
        worker,
        signals: signals.clone(),
        clock: clock.clone(),
        merger: merger.clone(),
        specs: config.sources.iter().map(|s| s.spec()).collect(),
        parse: config.briefs.parse_options(),
        board,
        config_subs,
        tz: config.delivery.timezone.parse().unwrap_or(chrono_tz::UTC),
        digest_tick,
        keep_days: config.delivery.keep_days,
    };
    let tasks = vec![
        halt_task,
        tokio::spawn(duty.run(role, synced, leading_tx, halt)),
        tokio::spawn(briefs(
            loader, merger, store, signals, clock, leading, shutdown,
        )),
    ];
    Ok(Updates {
        tasks,
        progress: progress_rx,
    })
}

/// What a leadership term runs on.
struct Duty<O> {
    store: Store,
    core: Arc<Core>,
    worker: Worker<O>,
    signals: Signals,
    clock: Arc<dyn Clock>,
    merger: Arc<Merger>,
    specs: Vec<Spec>,
    parse: crate::brief::ParseOptions,
    board: SourceBoard,
    config_subs: Vec<Subscription>,
    tz: chrono_tz::Tz,
    digest_tick: Duration,
    keep_days: u32,
}

/// How often a follower refreshes the feed and page briefs the leader stored.
const FOLLOW_EVERY: Duration = Duration::from_secs(5);

impl<O: Outbox> Duty<O> {
    /// Until `halt`: while a follower, keeps the sources' briefs (stored by the leader)
    /// in the library; while the leader, runs a term — config subscriptions synced at the
    /// term's start time (unless `synced` at that time already, for the first term), then
    /// `leading` gives that time (the briefs task plans what is on hand as first seen then,
    /// so a config subscription created by the sync does not receive the back catalogue) and
    /// the worker, sources, digests and pruning run until the role is lost or `halt`; then
    /// they stop, and `leading` turns `None`.
    async fn run(
        self,
        mut role: watch::Receiver<Role>,
        mut synced: Option<i64>,
        leading: watch::Sender<Option<i64>>,
        mut halt: watch::Receiver<bool>,
    ) {
        let mut follow = sources::Follower::default();
        let mut first_term_at_start = synced.is_some();
        loop {
            while *role.borrow_and_update() != Role::Leader {
                follow
                    .refresh(&self.store, &self.merger, &self.specs, &self.board)
                    .await;
                tokio::select! {
                    _ = halt.wait_for(|h| *h) => return,
                    now = leader::changed(&mut role) => if now == Role::Follower {
                        // Another process was found to lead.
                        tracing::debug!(target: PROGRESS_TARGET, "role follower");
                    },
                    _ = tokio::time::sleep(FOLLOW_EVERY) => {}
                }
            }
            tracing::debug!(target: PROGRESS_TARGET, "role leader");
            let since = match synced.take() {
                Some(at) => at,
                None => {
                    let now = self.clock.now().timestamp_millis();
                    let none: &[Arc<Brief>] = &[];
                    let subs = &self.config_subs;
                    if let Err(e) = delivery::start_up(&self.store, subs, none, now).await {
                        tracing::error!("syncing config subscriptions failed: {e}; trying again");
                        tokio::select! {
                            _ = halt.wait_for(|h| *h) => return,
                            _ = tokio::time::sleep(REPLAN_MIN) => continue,
                        }
                    }
                    now
                }
            };
            // A term that may follow another process's (always, on a server) waits out
            // Discord's rate window before its first send.
            let pause = if first_term_at_start {
                Duration::ZERO
            } else {
                leader::TAKEOVER_PAUSE
            };
            first_term_at_start = false;
            let (term_tx, term) = watch::channel(false);
            let tasks = self.term(term, pause);
            leading.send_replace(Some(since));
            self.signals.worker.wake();
            tokio::select! {
                _ = halt.wait_for(|h| *h) => {}
                () = leader::until(&mut role, Role::Follower) => {
                    tracing::warn!("deliveries stop: this process no longer leads");
                }
            }
            leading.send_replace(None);
            let _ = term_tx.send(true);
            for t in tasks {
                let _ = t.await;
            }
            if *halt.borrow() {
                return;
            }
        }
    }

    /// Starts one term's tasks, which stop when `term` turns true; the worker's first round
    /// waits `pause`.
    fn term(
        &self,
        term: watch::Receiver<bool>,
        pause: Duration,
    ) -> Vec<tokio::task::JoinHandle<()>> {
        let worker = {
            let (worker, mut term) = (self.worker.clone(), term.clone());
            async move {
                tokio::select! {
                    _ = term.wait_for(|t| *t) => return,
                    _ = tokio::time::sleep(pause) => {}
                }
                worker.run(term).await
            }
        };
        let mut tasks = vec![
            tokio::spawn(worker),
            tokio::spawn(report(
                self.signals.worker.clone(),
                self.signals.progress.clone(),
                term.clone(),
            )),
        ];
        tasks.extend(sources::start(
            &self.specs,
            &self.parse,
            Arc::new(sources::Running {
                store: self.store.clone(),
                merger: self.merger.clone(),
                handle: self.signals.worker.clone(),
                clock: self.clock.clone(),
                board: self.board.clone(),
            }),
            term.clone(),
        ));
        tasks.push(tokio::spawn(digests(
            self.store.clone(),
            self.core.clone(),
            self.signals.clone(),
            self.clock.clone(),
            self.tz,
            self.digest_tick,
            term.clone(),
        )));
        tasks.push(tokio::spawn(prune(
            self.store.clone(),
            self.clock.clone(),
            self.keep_days,
            term,
        )));
        tasks
    }
}

/// Whom a planning task tells what it did: the worker (woken when rows were planned) and
/// the [`Progress`].
#[derive(Clone)]
struct Signals {
    worker: DeliveryHandle,
    progress: Arc<watch::Sender<Progress>>,
}

/// After each planning pass or digest check, waits until the worker has nothing sendable
/// left, then records it in [`Progress::idle_after`] (and logs `idle` for a new pass).
async fn report(
    handle: DeliveryHandle,
    progress: Arc<watch::Sender<Progress>>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut rx = progress.subscribe();
    let mut logged = 0;
    loop {
        let done = tokio::select! {
            _ = shutdown.wait_for(|s| *s) => return,
            p = rx.wait_for(|p| p.done() != p.idle_after) => match p {
                Ok(p) => p.done(),
                Err(_) => return,
            },
        };
        tokio::select! {
            _ = shutdown.wait_for(|s| *s) => return,
            () = handle.drained() => {}
        }
        progress.send_modify(|p| p.idle_after = done);
        if done.0 != logged {
            logged = done.0;
            tracing::debug!(target: PROGRESS_TARGET, pass = done.0, "idle");
        }
    }
}

impl Signals {
    /// Wakes the worker when rows were planned, counts a finished planning pass and logs it:
    /// the library's size, the briefs that are new or changed since `before` (none for the
    /// start-up pass), and the deliveries planned.
    fn planned(
        &self,
        before: Option<&crate::brief::Library>,
        after: &crate::brief::Library,
        deliveries: usize,
    ) {
        if deliveries > 0 {
            self.worker.wake();
        }
        // Comparing libraries costs a pass over every brief: only when the line is wanted.
        let wanted = tracing::enabled!(target: PROGRESS_TARGET, tracing::Level::DEBUG);
        let changed: Vec<&str> = before
            .filter(|_| wanted)
            .map(|old| {
                after
                    .briefs()
                    .iter()
                    .filter(|b| {
                        old.get(&b.id)
                            .is_none_or(|o| !Arc::ptr_eq(o, b) && **o != ***b)
                    })
                    .map(|b| b.id.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let mut shown = changed
            .iter()
            .take(CHANGED_SHOWN)
            .copied()
            .collect::<Vec<_>>()
            .join(",");
        if changed.len() > CHANGED_SHOWN {
            shown.push_str(",…");
        }
        let mut pass = 0;
        self.progress.send_modify(|p| {
            p.passes += 1;
            pass = p.passes;
        });
        tracing::debug!(
            target: PROGRESS_TARGET,
            pass,
            briefs = after.len(),
            changed = ?shown,
            deliveries,
            "planned"
        );
    }
}

/// Finishes loading (keyphrases, on all cores, off the start-up path), plans the briefs on
/// hand (those that appeared while the bot was down reach their subscribers), then reloads
/// the library on every folder change and plans the new briefs. Planning that fails is
/// tried again with backoff. Summaries are warmed after each planning pass, not before:
/// planning needs only the topics.
async fn briefs(
    loader: Option<FolderSource>,
    merger: Arc<Merger>,
    store: Store,
    signals: Signals,
    clock: Arc<dyn Clock>,
    mut leading: watch::Receiver<Option<i64>>,
    mut shutdown: watch::Receiver<bool>,
) {
    let core = merger.core().clone();
    // Watch first, so that nothing written while keyphrases are extracted is missed.
    let mut watcher = match loader.as_ref().map(|l| l.dir().to_path_buf()) {
        Some(dir) => match FolderWatcher::start(dir.clone()).await {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::error!(
                    "cannot watch {}: {e}; new briefs will not be noticed",
                    dir.display()
                );
                None
            }
        },
        None => None,
    };
    let mut loader = match loader {
        Some(l) => {
            // Keyphrases, at a low priority: interactions answered meanwhile come first.
            // They are set on the very briefs the library in use holds (the folder's
            // cache shares them), and the search index does not count extracted topics
            // (see `brief::search`): no new library is built, nothing is swapped.
            let l = crate::work::background("briefbot-enrich", move || {
                let n = l.enrich();
                if n > 0 {
                    tracing::info!(briefs = n, "keyphrases extracted");
                }
                l
            })
            .await
            .expect("keyphrase task");
            // What start-up and the keyphrase threads freed goes back to the system. On a
            // thread of normal priority: the trim locks each heap arena in turn, and at
            // the background's priority it could hold one for long beside busy threads.
            let _ = tokio::task::spawn_blocking(crate::work::release_freed).await;
            Some(l)
        }
        None => None,
    };
    if loader.is_none() {
        watcher = None;
    }
    let mut replan = Replan::new(store);
    // Planning happens only while this process leads: at the start of each term, the briefs
    // on hand (those that appeared while nobody delivered reach their subscribers); then
    // every new brief.
    let mut term = *leading.borrow_and_update();
    if let Some(since) = term {
        on_hand(&mut replan, &core, &signals, since).await;
    }
    // Planning needs topics, not summaries: these come after it (an answer or a post that
    // needs one first computes it on the spot, memoized).
    warm(&core).await;
    loop {
        let changed = async {
            match watcher.as_mut() {
                Some(w) => w.changed().await,
                None => std::future::pending().await,
            }
        };
        let event = tokio::select! {
            _ = shutdown.wait_for(|s| *s) => return,
            () = replan.due() => Event::RetryDue,
            changed = changed => if changed.is_none() { return } else { Event::Folder },
            led = next_term(&mut leading) => Event::Term(led),
        };
        if let Event::Term(led) = event {
            term = led;
            match term {
                Some(since) => on_hand(&mut replan, &core, &signals, since).await,
                // The next leader plans what is still waiting.
                None => replan.clear(),
            }
            continue;
        }
        if matches!(event, Event::RetryDue) {
            let n = replan.retry().await;
            if n > 0 {
                let library = core.library();
                signals.planned(Some(&library), &library, n);
            }
            continue;
        }
        let Some(mut l) = loader.take() else { return };
        let before = core.library();
        let m = merger.clone();
        // Load and swap on a background thread (see the start-up enrichment above).
        let (result, back) = crate::work::background("briefbot-reload", move || {
            let r = l.load().map(|crate::source::Loaded { library, problems }| {
                m.set_folder(library);
                problems
            });
            (r, l)
        })
        .await
        .expect("loader task");
        let dir = back.dir().to_path_buf();
        loader = Some(back);
        let problems = match result {
            Ok(x) => x,
            Err(e) => {
                tracing::warn!("cannot read {}: {e}", dir.display());
                continue;
            }
        };
        for p in &problems {
            tracing::warn!("skipped {p}");
        }
        let library = core.library();
        if term.is_some() {
            let n = replan
                .plan(library.briefs().to_vec(), clock.now().timestamp_millis())
                .await;
            signals.planned(Some(&before), &library, n);
        }
        // The last hold on the old library, most likely: freed on a blocking thread.
        drop(library);
        let _ = tokio::task::spawn_blocking(move || {
            drop(before);
            // The load's temporaries and the old library, before the summaries.
            crate::work::release_freed();
        })
        .await;
        warm(&core).await;
    }
}

/// What woke the briefs task.
enum Event {
    /// Planning that failed is due again.
    RetryDue,
    /// The folder changed.
    Folder,
    /// A leadership term began (its start time) or ended.
    Term(Option<i64>),
}

/// The next change of the leadership term: `Some(start time)` when one begins, `None` when it
/// ends. Never resolves once nobody can start a term any more (deliveries halted for good).
async fn next_term(leading: &mut watch::Receiver<Option<i64>>) -> Option<i64> {
    match leading.changed().await {
        Ok(()) => *leading.borrow_and_update(),
        Err(_) => std::future::pending().await,
    }
}

/// Plans the briefs on hand as first seen at `since` (a term's start), and reports the pass.
async fn on_hand(replan: &mut Replan, core: &Arc<Core>, signals: &Signals, since: i64) {
    let library = core.library();
    let n = replan.plan(library.briefs().to_vec(), since).await;
    tracing::info!(planned = n, "briefs on hand planned");
    signals.planned(None, &library, n);
}

/// Instant planning, with the attempts that failed kept and tried again with backoff.
///
/// Planning is one transaction (a failed attempt recorded nothing), so trying the same briefs
/// again is safe. Each attempt keeps the time its briefs were first loaded: a retry does not
/// make them newer than the subscriptions that existed then (a config subscription synced at
/// start must not receive the back catalogue because the first attempt failed). A brief that
/// is still waiting keeps its first time when a later reload lists it again.
struct Replan {
    store: Store,
    /// Briefs to plan and the time they were loaded, oldest first.
    waiting: Vec<(Vec<Arc<Brief>>, i64)>,
    backoff: Duration,
    next: Option<tokio::time::Instant>,
}

impl Replan {
    fn new(store: Store) -> Replan {
        Replan {
            store,
            waiting: Vec::new(),
            backoff: REPLAN_MIN,
            next: None,
        }
    }

    /// Plans `briefs`, loaded at `now_ms`, after whatever is still waiting. Returns the
    /// ledger rows inserted (wake the worker if not zero).
    async fn plan(&mut self, briefs: Vec<Arc<Brief>>, now_ms: i64) -> usize {
        let known: HashSet<&str> = self
            .waiting
            .iter()
            .flat_map(|(b, _)| b.iter().map(|b| b.id.as_str()))
            .collect();
        let fresh: Vec<Arc<Brief>> = briefs
            .into_iter()
            .filter(|b| !known.contains(b.id.as_str()))
            .collect();
        if !fresh.is_empty() {
            self.waiting.push((fresh, now_ms));
        }
        self.retry().await
    }

    /// Forgets what waits (this process stopped leading: the next leader plans it).
    fn clear(&mut self) {
        self.waiting.clear();
        self.next = None;
        self.backoff = REPLAN_MIN;
    }

    /// Resolves when a retry is due; never while nothing waits.
    async fn due(&self) {
        match self.next {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    }

    /// Plans what waits, oldest first, until done or an attempt fails (then waits longer).
    /// Returns the ledger rows inserted.
    async fn retry(&mut self) -> usize {
        self.next = None;
        let mut planned = 0;
        while let Some((briefs, at)) = self.waiting.first() {
            match delivery::plan_new(&self.store, briefs, *at).await {
                Ok(n) => {
                    planned += n;
                    self.waiting.remove(0);
                    self.backoff = REPLAN_MIN;
                }
                // Reported once by the store; nothing will ever be planned again.
                Err(_) if self.store.is_lost() => {
                    self.waiting.clear();
                    break;
                }
                Err(e) => {
                    let wait = self.backoff;
                    self.backoff = (self.backoff * 2).min(REPLAN_MAX);
                    tracing::error!("planning deliveries failed: {e}; trying again in {wait:?}");
                    self.next = Some(tokio::time::Instant::now() + wait);
                    break;
                }
            }
        }
        planned
    }
}

/// Summarizes, off the async threads (on threads of low priority), every brief not
/// summarized yet, so that answers come from memory; logs `summarized briefs=N` with the
/// progress target when it did any. Starts the sentence encoder's warm-up
/// ([`Core::warm_meaning`]).
async fn warm(core: &Arc<Core>) {
    // With a sentence encoder, the newest briefs' sentences too (a thread of its own; not
    // waited on).
    core.warm_meaning();
    let core = core.clone();
    let warmed = tokio::task::spawn_blocking(move || {
        let n = core.warm_summaries();
        // The bulk work of a (re)load is over: its freed memory goes back to the system.
        crate::work::release_freed();
        n
    });
    match warmed.await {
        Ok(n) if n > 0 => tracing::debug!(target: PROGRESS_TARGET, briefs = n, "summarized"),
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
    signals: Signals,
    clock: Arc<dyn Clock>,
    tz: chrono_tz::Tz,
    tick: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let library = core.library();
        let now = clock.now();
        match delivery::plan_digests(
            &store,
            library.briefs(),
            now,
            tz,
            PartLimits::items(DIGEST_ITEMS),
            |_| 1,
        )
        .await
        {
            Ok(planned) if planned.iter().any(|p| p.parts > 0) => signals.worker.wake(),
            Ok(_) => {}
            Err(e) => tracing::error!("planning digests failed: {e}"),
        }
        signals
            .progress
            .send_modify(|p| p.digests_at_ms = now.timestamp_millis());
        tokio::select! {
            _ = shutdown.wait_for(|s| *s) => return,
            _ = tokio::time::sleep(tick) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brief::parse::parse;

    fn brief(id: &str) -> Arc<Brief> {
        let text = format!(
            "+++\nid = \"{id}\"\ntopics = [\"energy\"]\n+++\nWhat's Happening?\nA thing.\n"
        );
        Arc::new(parse(&text, id, &Default::default()).expect("brief"))
    }

    /// Planning fails (the table it writes is gone), then the fault clears: the retry, on
    /// its backoff timer and without a new load, plans the briefs with the time they were
    /// first loaded; a brief listed again meanwhile keeps that first time.
    #[tokio::test]
    async fn failed_planning_is_retried_with_backoff_keeping_first_times() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("bot.db")).await.expect("open");
        let sub = Subscription::new(9, None, &[], Mode::Instant, Origin::Command, 0);
        store.upsert_subscription(&sub).await.expect("subscribe");
        store
            .execute_for_test("ALTER TABLE seen_briefs RENAME TO seen_away")
            .await;
        let mut replan = Replan::new(store.clone());
        assert_eq!(replan.plan(vec![brief("a")], 100).await, 0);
        assert!(replan.next.is_some(), "a retry is scheduled");
        // Listed again (a folder reload) while waiting: "a" keeps 100, "b" is new at 200.
        assert_eq!(replan.plan(vec![brief("a"), brief("b")], 200).await, 0);
        assert_eq!(replan.backoff, REPLAN_MIN * 4, "the wait doubles");
        store
            .execute_for_test("ALTER TABLE seen_away RENAME TO seen_briefs")
            .await;
        // Nothing but the timer: the retry comes due after the backoff (2 s).
        tokio::time::timeout(REPLAN_MAX, replan.due())
            .await
            .expect("a retry comes due");
        assert_eq!(replan.retry().await, 2);
        assert_eq!(store.first_seen("a").await.expect("a"), Some(100));
        assert_eq!(store.first_seen("b").await.expect("b"), Some(200));
        assert_eq!(store.deliveries_for(9).await.expect("ledger").len(), 2);
        assert!(replan.next.is_none() && replan.waiting.is_empty());
        assert_eq!(replan.backoff, REPLAN_MIN, "the backoff resets");
    }
}
