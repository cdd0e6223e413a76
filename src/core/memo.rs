//! Memoized summaries: a library snapshot and the short sections and TL;DRs computed from it
//! so far. A snapshot is replaced as a whole when the library changes, so no summary outlives
//! the library it was made from; unchanged briefs carry theirs over.

use crate::brief::{Brief, Library, SectionKind};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A library and the summaries computed from it so far.
#[derive(Debug)]
pub(super) struct Snapshot {
    pub(super) library: Arc<Library>,
    /// Memoized summaries by brief id, filled on first use: at most one entry per brief of
    /// `library`, each holding at most three short sections and a TL;DR (a few hundred bytes
    /// each; ~10 MiB if every brief of a 10,000-brief library were shown).
    summaries: Mutex<HashMap<String, Summaries>>,
}

/// The memoized summaries of one brief (at the core's fixed `summary.sentences`).
#[derive(Debug, Default, Clone)]
struct Summaries {
    /// Short text of each section, by [`SectionKind::ALL`] position.
    short: [Option<String>; 3],
    /// The one-sentence TL;DR.
    tldr: Option<String>,
}

/// Which memoized summary.
#[derive(Clone, Copy)]
pub(super) enum Slot {
    Short(SectionKind),
    Tldr,
}

impl Summaries {
    fn slot(&mut self, slot: Slot) -> &mut Option<String> {
        match slot {
            Slot::Short(kind) => {
                let i = SectionKind::ALL
                    .iter()
                    .position(|k| *k == kind)
                    .unwrap_or_default();
                &mut self.short[i]
            }
            Slot::Tldr => &mut self.tldr,
        }
    }
}

impl Snapshot {
    pub(super) fn new(library: Library) -> Snapshot {
        Snapshot {
            library: Arc::new(library),
            summaries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Summaries>> {
        self.summaries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A snapshot of `library` that keeps this one's summaries of unchanged briefs.
    pub(super) fn succeed(&self, library: Library) -> Snapshot {
        let next = Snapshot::new(library);
        {
            let old = self.lock();
            let mut new = next.lock();
            for (id, sums) in old.iter() {
                let same = match (self.library.get(id), next.library.get(id)) {
                    (Some(a), Some(b)) => a.as_ref() == b.as_ref(),
                    _ => false,
                };
                if same {
                    new.insert(id.clone(), sums.clone());
                }
            }
        }
        next
    }

    /// Briefs of this library without memoized summaries.
    pub(super) fn unsummarized(&self) -> Vec<&Arc<Brief>> {
        let sums = self.lock();
        self.library
            .briefs()
            .iter()
            .filter(|b| !sums.contains_key(&b.id))
            .collect()
    }

    /// The summary in `slot` of `brief`, computed by `make` on first use. Only briefs of this
    /// snapshot's library (the very same object) are memoized; any other brief (say, one
    /// looked up just before a reload) is summarized afresh every time.
    pub(super) fn summary(
        &self,
        brief: &Brief,
        slot: Slot,
        make: impl FnOnce() -> String,
    ) -> String {
        let ours = self
            .library
            .get(&brief.id)
            .is_some_and(|b| std::ptr::eq(b.as_ref(), brief));
        if !ours {
            return make();
        }
        if let Some(text) = self
            .lock()
            .get_mut(&brief.id)
            .and_then(|s| s.slot(slot).as_ref())
        {
            return text.clone();
        }
        // Computed without holding the lock; a concurrent first use computes the same text.
        let text = make();
        *self.lock().entry(brief.id.clone()).or_default().slot(slot) = Some(text.clone());
        text
    }
}
