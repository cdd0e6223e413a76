//! Wiring of the feed and page sources (`[[sources]]`): fetched once by the one-shot
//! commands ([`fetch_once`]); polled by the running bot, each source in its own task
//! ([`start`]) so that a slow or broken one never delays the others, the commands or the
//! deliveries. The running tasks keep every brief in the store (a restart restores them and
//! never re-posts; a brief that leaves the feed stays), record the first fetch of a new
//! source as seen without planning it (the back catalogue is not posted), plan the new
//! items of later fetches, and merge everything with the folder's briefs ([`Merger`]).
//! A source's saved state is restored only for the URL it was saved for ([`restored`]): a
//! source disabled after repeated 404/410 stays disabled across restarts, and a new URL in
//! the config starts it afresh. With `keep_days`, stored briefs whose items left the feed
//! are deleted once they are that old ([`prune`]).
//!
//! Test-only knob: `BRIEFBOT_TEST_POLL_MS`, when set, replaces every source's interval (and
//! the base of its backoff) by that many milliseconds. The ≥ 1 minute rule of the config is
//! untouched; the end-to-end tests run the real binary, where no clock can be injected, and
//! must see a second poll within seconds.

use crate::brief::{Brief, Library, ParseOptions};
use crate::core::Core;
use crate::delivery::{self, Clock, DeliveryHandle};
use crate::meter::{self, FetchOutcome};
use crate::source::fetch::{FetchOptions, Fetcher};
use crate::source::status::{SourceBoard, SourceStatus, State};
use crate::source::web::{self, ItemBrief, Polled, Spec, WebSource};
use crate::store::{SourceRow, Store, StoredItem};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// The test-only interval override (see the module doc).
pub const TEST_POLL_ENV: &str = "BRIEFBOT_TEST_POLL_MS";

/// A source's interval, or the test override.
fn interval(spec: &Spec) -> Duration {
    std::env::var(TEST_POLL_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis)
        .unwrap_or(spec.interval)
}

/// Adds keyphrases to new or changed briefs, on a blocking thread.
async fn enrich(items: Vec<ItemBrief>) -> Vec<ItemBrief> {
    tokio::task::spawn_blocking(move || {
        let mut items = items;
        for i in &mut items {
            crate::summarize::keywords::enrich(&i.brief);
        }
        items
    })
    .await
    .unwrap_or_default()
}

/// Fetches every source once, all at the same time, for the one-shot commands. Returns
/// their briefs (with keyphrases when `keyphrases`) and each source's status.
pub fn fetch_once(
    specs: &[Spec],
    parse: &ParseOptions,
    keyphrases: bool,
) -> (Vec<Brief>, Vec<SourceStatus>) {
    if specs.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for fetching sources");
    runtime.block_on(async {
        let fetcher = Fetcher::new(FetchOptions::default());
        let mut tasks = tokio::task::JoinSet::new();
        for (i, spec) in specs.iter().enumerate() {
            let mut source = WebSource::new(spec.clone(), parse.clone());
            let fetcher = fetcher.clone();
            tasks.spawn(async move {
                let items = match source.poll(&fetcher).await {
                    Ok(Polled::Items(items)) => items,
                    Ok(Polled::NotModified) => Vec::new(),
                    Err(e) => {
                        tracing::warn!(source = %source.name(), "{e}");
                        Vec::new()
                    }
                };
                let items = if keyphrases {
                    enrich(items).await
                } else {
                    items
                };
                source.set_progress(items.len(), None);
                (i, items, source.status().clone())
            });
        }
        let mut done = Vec::new();
        while let Some(r) = tasks.join_next().await {
            if let Ok(x) = r {
                done.push(x);
            }
        }
        done.sort_by_key(|(i, _, _)| *i);
        let mut briefs = Vec::new();
        let mut statuses = Vec::new();
        for (_, items, status) in done {
            briefs.extend(items.into_iter().map(|i| i.brief));
            statuses.push(status);
        }
        (briefs, statuses)
    })
}

/// The library the core answers from: the folder's (or the samples') briefs, then each
/// source's, merged. Folder briefs win an id clash. Briefs are shared, never copied, and
/// while no source has briefs the folder's library (already indexed by its loader) is used
/// as it is.
pub struct Merger {
    core: Arc<Core>,
    parts: Mutex<Parts>,
}

/// The merged library's parts.
struct Parts {
    folder: Vec<Arc<Brief>>,
    sources: BTreeMap<String, Vec<Arc<Brief>>>,
}

impl Merger {
    /// A merger over `core`, starting from its current library as the folder's part.
    pub fn new(core: Arc<Core>) -> Merger {
        let folder = core.library().briefs().to_vec();
        Merger {
            core,
            parts: Mutex::new(Parts {
                folder,
                sources: BTreeMap::new(),
            }),
        }
    }

    /// The core.
    pub fn core(&self) -> &Arc<Core> {
        &self.core
    }

    /// Replaces the folder's briefs. Blocking (see [`Core::set_library`]): call it from a
    /// background thread.
    pub fn set_folder(&self, library: Library) {
        let mut parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        parts.folder = library.briefs().to_vec();
        if parts.sources.values().all(Vec::is_empty) {
            self.core.set_library(library);
        } else {
            self.rebuild(&parts);
        }
    }

    /// Replaces one source's briefs, on a blocking thread: the merged library's index is
    /// built anew (~0.1 s with 10,000 briefs in a release build) and the old one freed,
    /// which must not hold up an async thread that answers interactions.
    pub async fn replace_source(self: &Arc<Self>, name: &str, briefs: Vec<Brief>) {
        let (merger, name) = (self.clone(), name.to_owned());
        if let Err(e) = tokio::task::spawn_blocking(move || merger.set_source(&name, briefs)).await
        {
            tracing::error!("merging a source's briefs failed: {e}");
        }
    }

    /// Replaces one source's briefs. Blocking: see [`Merger::replace_source`].
    pub fn set_source(&self, name: &str, briefs: Vec<Brief>) {
        let mut parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        parts
            .sources
            .insert(name.to_owned(), briefs.into_iter().map(Arc::new).collect());
        self.rebuild(&parts);
    }

    fn rebuild(&self, parts: &Parts) {
        let all = parts
            .folder
            .iter()
            .chain(parts.sources.values().flatten())
            .cloned();
        self.core.set_library(Library::from_shared(all));
    }
}

/// What the source tasks run with.
pub struct Running {
    /// The database.
    pub store: Store,
    /// Merges the sources' briefs into the core's library.
    pub merger: Arc<Merger>,
    /// Wakes the delivery worker.
    pub handle: DeliveryHandle,
    /// The time source of planning.
    pub clock: Arc<dyn Clock>,
    /// Status for `/sources`.
    pub board: SourceBoard,
}

/// Starts one task per source; each stops when `shutdown` turns true.
pub fn start(
    specs: &[Spec],
    parse: &ParseOptions,
    running: Arc<Running>,
    shutdown: watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let fetcher = Fetcher::new(FetchOptions::default());
    specs
        .iter()
        .map(|spec| {
            let source = WebSource::new(spec.clone(), parse.clone());
            tokio::spawn(poll_loop(
                source,
                fetcher.clone(),
                running.clone(),
                shutdown.clone(),
            ))
        })
        .collect()
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn row_of(source: &WebSource) -> SourceRow {
    let s = source.status();
    SourceRow {
        name: s.name.clone(),
        url: Some(source.config().url.clone()),
        kind: s.kind.clone(),
        etag: source.validators.etag.clone(),
        last_modified: source.validators.last_modified.clone(),
        last_fetch_ms: s.last_fetch.map(ms),
        next_fetch_ms: s.next_fetch.map(ms),
        state: s.state.name().to_owned(),
        last_error: s.last_error.clone(),
        items: s.items as i64,
    }
}

/// What `/sources` shows on a follower for a source the leader saved as `row` (the inverse of
/// [`row_of`]); `None` when the row was saved for another URL than the configured one.
pub fn status_of(row: &SourceRow, spec: &Spec) -> Option<SourceStatus> {
    let row = restored(row, &spec.url)?;
    let at = |ms: Option<i64>| ms.and_then(DateTime::<Utc>::from_timestamp_millis);
    Some(SourceStatus {
        name: spec.name.clone(),
        kind: row.kind.clone(),
        url: spec.url.clone(),
        last_fetch: at(row.last_fetch_ms),
        next_fetch: at(row.next_fetch_ms),
        state: State::from_name(&row.state).unwrap_or(State::Waiting),
        last_error: row.last_error.clone(),
        items: usize::try_from(row.items).unwrap_or(0),
        skipped: Vec::new(),
    })
}

/// The saved state of a source as the bot restores it for the configured `url`: `None` when
/// it was saved for another URL (the source starts afresh: not disabled, no validators, and
/// its first fetch is the back catalogue). A state saved before URLs were kept is restored,
/// except that a disabled source is tried again once.
pub fn restored(row: &SourceRow, url: &str) -> Option<SourceRow> {
    match &row.url {
        Some(saved) if saved != url => None,
        Some(_) => Some(row.clone()),
        None if row.state == State::Disabled.name() => Some(SourceRow {
            state: State::Waiting.name().to_owned(),
            last_error: None,
            ..row.clone()
        }),
        None => Some(row.clone()),
    }
}

/// Deletes the stored briefs of a source with `keep_days` whose items are no longer in
/// the feed (`listed`) and were first seen longer ago than that; returns whether any went.
async fn prune(
    run: &Running,
    source: &WebSource,
    listed: &std::collections::HashSet<&str>,
    known: &mut HashMap<String, (String, Brief)>,
) -> crate::store::Result<bool> {
    let Some(keep) = source.config().keep else {
        return Ok(false);
    };
    let keep_ms = i64::try_from(keep.as_millis()).unwrap_or(i64::MAX);
    let before = run.clock.now().timestamp_millis().saturating_sub(keep_ms);
    let gone = run
        .store
        .prune_source_items(source.name(), before, listed)
        .await?;
    for key in &gone {
        known.remove(key);
    }
    Ok(!gone.is_empty())
}

/// Restores a source from the store, then polls it until shutdown.
async fn poll_loop(
    mut source: WebSource,
    fetcher: Fetcher,
    run: Arc<Running>,
    mut shutdown: watch::Receiver<bool>,
) {
    let name = source.name().to_owned();
    let saved = match run.store.source_row(&name).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(source = %name, "cannot read its saved state: {e}");
            None
        }
    };
    let url = source.config().url.clone();
    let saved = match saved {
        Some(row) => {
            let kept = restored(&row, &url);
            if kept.is_none() {
                tracing::info!(
                    source = %name,
                    "its URL changed in the config: fetched afresh (first fetch posts nothing)"
                );
            }
            kept
        }
        None => None,
    };
    let mut first_fetch = saved.is_none();
    if let Some(row) = &saved {
        source.validators.etag = row.etag.clone();
        source.validators.last_modified = row.last_modified.clone();
        if row.state == State::Disabled.name() {
            source.disable(row.last_error.clone().unwrap_or_default());
        }
    }
    // Every brief this source ever gave, by item key: the library keeps them all.
    let mut known: HashMap<String, (String, Brief)> = HashMap::new();
    match run.store.source_items(&name).await {
        Ok(items) => {
            for i in items {
                match web::brief_from_json(&i.brief) {
                    Some(b) => {
                        known.insert(i.key, (i.hash, b));
                    }
                    None => {
                        tracing::warn!(source = %name, "unreadable stored brief {}", i.brief_id)
                    }
                }
            }
        }
        Err(e) => tracing::error!(source = %name, "cannot read its stored briefs: {e}"),
    }
    if !known.is_empty() {
        run.merger
            .replace_source(&name, known.values().map(|(_, b)| b.clone()).collect())
            .await;
    }
    let every = interval(source.config());
    loop {
        if source.disabled() {
            source.set_progress(known.len(), None);
            run.board.set(source.status().clone());
            let _ = run.store.save_source_row(&row_of(&source)).await;
            tracing::warn!(source = %name, "disabled: {}", source.status().last_error.clone().unwrap_or_default());
            let _ = shutdown.wait_for(|s| *s).await;
            return;
        }
        let polled = tokio::select! {
            _ = shutdown.wait_for(|s| *s) => return,
            p = source.poll(&fetcher) => p,
        };
        match polled {
            Ok(Polled::Items(items)) => {
                meter::source_fetch(&name, FetchOutcome::Items);
                let listed: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
                let changed: Vec<ItemBrief> = items
                    .into_iter()
                    .filter(|i| known.get(&i.key).is_none_or(|(h, _)| *h != i.hash))
                    .collect();
                if !changed.is_empty() {
                    let changed = enrich(changed).await;
                    if let Err(e) = absorb(&run, &name, &changed, &mut known, first_fetch).await {
                        tracing::error!(source = %name, "saving its briefs failed: {e}");
                    }
                }
                let listed = listed.iter().map(String::as_str).collect();
                match prune(&run, &source, &listed, &mut known).await {
                    Ok(true) => {
                        run.merger
                            .replace_source(&name, known.values().map(|(_, b)| b.clone()).collect())
                            .await
                    }
                    Ok(false) => {}
                    Err(e) => tracing::warn!(source = %name, "pruning old briefs failed: {e}"),
                }
                first_fetch = false;
            }
            Ok(Polled::NotModified) => {
                meter::source_fetch(&name, FetchOutcome::NotModified);
                first_fetch = false;
            }
            Err(e) => {
                meter::source_fetch(&name, FetchOutcome::Failed);
                tracing::warn!(source = %name, "fetch failed: {e}");
            }
        }
        let delay = source.next_delay(every);
        let next = Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
        source.set_progress(known.len(), Some(next));
        run.board.set(source.status().clone());
        if let Err(e) = run.store.save_source_row(&row_of(&source)).await {
            tracing::warn!(source = %name, "saving its state failed: {e}");
        }
        tokio::select! {
            _ = shutdown.wait_for(|s| *s) => return,
            _ = tokio::time::sleep(delay) => {}
        }
    }
}

/// Saves new and edited items, updates the library, and plans the new ones (the first
/// fetch of a source only marks them seen).
async fn absorb(
    run: &Running,
    name: &str,
    changed: &[ItemBrief],
    known: &mut HashMap<String, (String, Brief)>,
    first_fetch: bool,
) -> crate::store::Result<()> {
    let now = run.clock.now().timestamp_millis();
    let stored: Vec<StoredItem> = changed
        .iter()
        .map(|i| StoredItem {
            key: i.key.clone(),
            brief_id: i.brief.id.clone(),
            hash: i.hash.clone(),
            brief: web::brief_to_json(&i.brief),
        })
        .collect();
    run.store.save_source_items(name, &stored, now).await?;
    let ids: Vec<String> = changed.iter().map(|i| i.brief.id.clone()).collect();
    if first_fetch {
        // The back catalogue: seen now, never planned.
        run.store.record_seen(&ids, now).await?;
    }
    for i in changed {
        known.insert(i.key.clone(), (i.hash.clone(), i.brief.clone()));
    }
    run.merger
        .replace_source(name, known.values().map(|(_, b)| b.clone()).collect())
        .await;
    let core = run.merger.core().clone();
    core.warm_meaning();
    let _ = tokio::task::spawn_blocking(move || core.warm_summaries()).await;
    if !first_fetch {
        let briefs: Vec<&Brief> = changed.iter().map(|i| &i.brief).collect();
        let planned = delivery::plan_new(&run.store, &briefs, now).await?;
        if planned > 0 {
            run.handle.wake();
        }
    }
    Ok(())
}

/// A follower's view of the sources: it polls nothing (the leader does) but keeps the briefs
/// the leader stored in its library, so that every process answers from the same briefs,
/// and shows in `/sources` the state the leader saved for each.
#[derive(Default)]
pub struct Follower {
    /// Per source, the stored items' keys and hashes last merged.
    merged: HashMap<String, Vec<(String, String)>>,
}

impl Follower {
    /// Reads every source's stored items and merges those of a source whose items changed;
    /// sets each source's status on `board` from the state the leader saved.
    pub async fn refresh(
        &mut self,
        store: &Store,
        merger: &Arc<Merger>,
        specs: &[Spec],
        board: &SourceBoard,
    ) {
        match store.source_rows().await {
            Ok(rows) => {
                for spec in specs {
                    let row = rows.iter().find(|r| r.name == spec.name);
                    if let Some(status) = row.and_then(|r| status_of(r, spec)) {
                        board.set(status);
                    }
                }
            }
            Err(e) => tracing::warn!("cannot read the sources' saved states: {e}"),
        }
        let mut changed = false;
        for spec in specs {
            let items = match store.source_items(&spec.name).await {
                Ok(items) => items,
                Err(e) => {
                    tracing::warn!(source = %spec.name, "cannot read its stored briefs: {e}");
                    continue;
                }
            };
            let seen: Vec<(String, String)> = items
                .iter()
                .map(|i| (i.key.clone(), i.hash.clone()))
                .collect();
            if self.merged.get(&spec.name) == Some(&seen) {
                continue;
            }
            let briefs = items
                .iter()
                .filter_map(|i| web::brief_from_json(&i.brief))
                .collect();
            merger.replace_source(&spec.name, briefs).await;
            self.merged.insert(spec.name.clone(), seen);
            changed = true;
        }
        if changed {
            let core = merger.core().clone();
            core.warm_meaning();
            let _ = tokio::task::spawn_blocking(move || core.warm_summaries()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_follower_shows_the_state_the_leader_saved_for_the_configured_url() {
        let spec = Spec {
            name: "news".into(),
            url: "https://example.org/a.xml".into(),
            kind: web::Kind::Auto,
            interval: Duration::from_secs(600),
            topics: Vec::new(),
            fetch_pages: false,
            keep: None,
        };
        let row = SourceRow {
            name: "news".into(),
            url: Some(spec.url.clone()),
            kind: "rss".into(),
            last_fetch_ms: Some(1_700_000_000_000),
            next_fetch_ms: Some(1_700_000_600_000),
            state: "failing".into(),
            last_error: Some("HTTP 503".into()),
            items: 12,
            ..SourceRow::default()
        };
        let got = status_of(&row, &spec).expect("shown");
        assert_eq!(got.kind, "rss");
        assert_eq!(got.state, State::Failing);
        assert_eq!(got.items, 12);
        assert_eq!(got.last_error.as_deref(), Some("HTTP 503"));
        assert_eq!(got.last_fetch.map(|t| t.timestamp()), Some(1_700_000_000));
        assert_eq!(got.next_fetch.map(|t| t.timestamp()), Some(1_700_000_600));
        assert!(got.line().contains("12 items"), "{}", got.line());
        // Saved for a URL the config no longer names: the leader starts it afresh, so the
        // follower keeps showing it as waiting.
        let moved = SourceRow {
            url: Some("https://example.org/old.xml".into()),
            ..row
        };
        assert_eq!(status_of(&moved, &spec), None);
    }

    #[test]
    fn a_saved_state_is_restored_only_for_its_url() {
        let row = SourceRow {
            name: "news".into(),
            url: Some("https://example.org/a.xml".into()),
            state: "disabled".into(),
            last_error: Some("disabled after 3 answers of 410 Gone".into()),
            etag: Some("\"v1\"".into()),
            ..SourceRow::default()
        };
        // The same URL: everything, disabled included.
        assert_eq!(
            restored(&row, "https://example.org/a.xml"),
            Some(row.clone())
        );
        // Another URL: nothing (re-enabled, no validators, a first fetch).
        assert_eq!(restored(&row, "https://example.org/b.xml"), None);
        // Saved before URLs were kept: restored, but a disabled source is tried once more.
        let old = SourceRow {
            url: None,
            ..row.clone()
        };
        let got = restored(&old, "https://example.org/a.xml").expect("restored");
        assert_eq!(got.state, "waiting");
        assert_eq!(got.last_error, None);
        assert_eq!(got.etag, row.etag);
        let ok = SourceRow {
            state: "ok".into(),
            ..old
        };
        assert_eq!(restored(&ok, "x").map(|r| r.state), Some("ok".into()));
    }
}
