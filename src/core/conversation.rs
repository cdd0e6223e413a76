//! What each place (a channel, the console) was last shown, so that `/ask` can take a
//! question that names nothing a brief covers on its own ("will they appeal?", "what's
//! next?") as a follow-up on it ([`crate::core::qa::answer_after`]).
//!
//! Kept in memory only, for [`WINDOW`] and at most [`PLACES`] places: a follow-up comes
//! within minutes of what it follows, so after a restart a question simply stands alone. With
//! several processes, a guild's interactions reach the process whose shard holds it, so what
//! commands showed in a channel stays in one process; a subscription post is noted by the
//! process that delivers it, so a question on a post follows up on it only when that process
//! also holds the channel's shard (always with one process). When all [`PLACES`] are in use
//! within the window, noting a new place costs a pass over them (about 20,000 steps).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a brief shown in a place stays what a follow-up there refers to.
pub const WINDOW: Duration = Duration::from_secs(30 * 60);

/// Places remembered at most; beyond it, the least recently used one is forgotten.
pub const PLACES: usize = 10_000;

/// The brief each place was last shown, and when.
#[derive(Debug, Default)]
pub struct Conversations {
    shown: Mutex<HashMap<u64, (String, Instant)>>,
}

impl Conversations {
    /// Notes that `place` was shown the brief `id` now.
    pub fn note(&self, place: u64, id: &str) {
        self.note_at(place, id, Instant::now());
    }

    /// The brief `place` was last shown, if within [`WINDOW`].
    pub fn last(&self, place: u64) -> Option<String> {
        self.last_at(place, Instant::now())
    }

    fn note_at(&self, place: u64, id: &str, now: Instant) {
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        if shown.len() >= PLACES && !shown.contains_key(&place) {
            shown.retain(|_, (_, at)| now.saturating_duration_since(*at) < WINDOW);
            if shown.len() >= PLACES {
                let oldest = shown.iter().min_by_key(|(_, (_, at))| *at).map(|(k, _)| *k);
                if let Some(oldest) = oldest {
                    shown.remove(&oldest);
                }
            }
        }
        shown.insert(place, (id.to_owned(), now));
    }

    fn last_at(&self, place: u64, now: Instant) -> Option<String> {
        let shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        shown
            .get(&place)
            .filter(|(_, at)| now.saturating_duration_since(*at) < WINDOW)
            .map(|(id, _)| id.clone())
    }

    /// Places remembered (expired ones included until they are swept).
    pub fn len(&self) -> usize {
        self.shown.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no place is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_remembers_what_it_was_last_shown_for_the_window() {
        let c = Conversations::default();
        let t = Instant::now();
        c.note_at(1, "ferry", t);
        c.note_at(2, "flood", t);
        c.note_at(1, "bakery", t + Duration::from_secs(60));
        assert_eq!(
            c.last_at(1, t + Duration::from_secs(61)).as_deref(),
            Some("bakery")
        );
        assert_eq!(
            c.last_at(2, t + Duration::from_secs(61)).as_deref(),
            Some("flood")
        );
        assert_eq!(c.last_at(3, t), None);
        assert_eq!(c.last_at(2, t + WINDOW), None, "expired");
    }

    #[test]
    fn at_most_the_bound_of_places_is_kept_forgetting_the_oldest() {
        let c = Conversations::default();
        let t = Instant::now();
        for place in 0..PLACES as u64 {
            c.note_at(place, "a", t + Duration::from_millis(place));
        }
        c.note_at(u64::MAX, "b", t + Duration::from_secs(20));
        assert_eq!(c.len(), PLACES);
        assert_eq!(
            c.last_at(0, t + Duration::from_secs(21)),
            None,
            "the oldest went"
        );
        assert_eq!(
            c.last_at(1, t + Duration::from_secs(21)).as_deref(),
            Some("a")
        );
        assert_eq!(
            c.last_at(u64::MAX, t + Duration::from_secs(21)).as_deref(),
            Some("b")
        );
    }
}
