//! Noticing changes in the brief folder while the bot runs: [`FolderWatcher`] reports
//! (debounced) that something below the folder changed, via the `notify` crate (inotify on
//! Linux). What changed is worked out by [`super::folder::FolderSource::scan`].

use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;

/// How long the folder must be quiet before a change is reported (editors write in bursts).
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Watches a folder recursively and reports changes, debounced.
pub struct FolderWatcher {
    _watcher: notify::RecommendedWatcher,
    events: mpsc::UnboundedReceiver<()>,
    /// A change was received and its quiet period not yet waited out (kept when
    /// [`FolderWatcher::changed`] is cancelled, so that the change is not lost).
    pending: bool,
}

impl FolderWatcher {
    /// [`FolderWatcher::new`] on a background thread ([`crate::work::background`]): a
    /// recursive watch walks the whole folder and waits for it (10,000 files: tens of
    /// milliseconds), which would hold up an async thread answering interactions (issue 12:
    /// the first interactions after a start). The watcher's own thread, started from there,
    /// inherits the background's low priority, so the walk yields to the answers too.
    pub async fn start(dir: PathBuf) -> notify::Result<FolderWatcher> {
        crate::work::background("briefbot-watch", move || FolderWatcher::new(&dir))
            .await
            .unwrap_or_else(|| Err(notify::Error::generic("the watcher's thread failed")))
    }

    /// Starts watching `dir`. Blocking: see [`FolderWatcher::start`].
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
            pending: false,
        })
    }

    /// Waits for a change, then for [`DEBOUNCE`] of quiet. `None` when the watcher stopped.
    ///
    /// Cancel-safe (it is raced against other events in a `select!`): a change received
    /// before the future was dropped is reported by the next call.
    pub async fn changed(&mut self) -> Option<()> {
        if !self.pending {
            self.events.recv().await?;
            self.pending = true;
        }
        loop {
            match tokio::time::timeout(DEBOUNCE, self.events.recv()).await {
                Ok(Some(())) => continue,
                Ok(None) => return None,
                Err(_) => {
                    self.pending = false;
                    return Some(());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn watcher_reports_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = FolderWatcher::start(dir.path().to_path_buf())
            .await
            .unwrap();
        std::fs::write(dir.path().join("new.md"), "What's Happening?\nA thing.\n").unwrap();
        let got = tokio::time::timeout(Duration::from_secs(5), w.changed()).await;
        assert_eq!(got, Ok(Some(())));
    }

    /// A change whose quiet period was interrupted (the future dropped, as when another
    /// branch of a `select!` wins) is still reported by the next call.
    #[tokio::test]
    async fn a_change_survives_a_cancelled_wait() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = FolderWatcher::new(dir.path()).unwrap();
        std::fs::write(dir.path().join("new.md"), "What's Happening?\nA thing.\n").unwrap();
        // Wait until the event is in, then drop the wait inside its quiet period.
        while !w.pending {
            let _ = tokio::time::timeout(Duration::from_millis(20), w.changed()).await;
        }
        let got = tokio::time::timeout(Duration::from_secs(5), w.changed()).await;
        assert_eq!(got, Ok(Some(())));
    }
}
