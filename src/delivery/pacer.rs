//! Send pacing: at most `max_per_second` messages bot-wide, spaced evenly (GCRA with no
//! burst allowance), and one message at a time per channel.
//!
//! Discord allows 50 requests/s per bot; serenity's ratelimiter only reacts to 429s and
//! headers per route (100 concurrent sends drew 50 × 429), so the bot paces itself below
//! the limit. Spacing is `ceil(1 s / rate)`, so no 1-second window ever holds more than
//! `rate` sends. Slots are handed out one at a time and the next slot is spaced from the
//! moment the previous one was actually granted, so a task that wakes late cannot cause a
//! burst of already-due sends behind it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::OwnedMutexGuard;
use tokio::time::Instant;

/// Default bot-wide send rate: under Discord's global 50 requests per second.
pub const DEFAULT_MAX_PER_SECOND: u32 = 45;

/// Lateness treated as timer jitter rather than a stall (tokio's timer has 1 ms ticks).
pub const JITTER: Duration = Duration::from_millis(2);

/// The even-spacing schedule (generic cell rate algorithm, burst 0): each reservation gets
/// the later of "now" and the previous slot plus one interval.
#[derive(Debug)]
pub struct Gcra {
    interval: Duration,
    next: Option<Instant>,
}

impl Gcra {
    /// A schedule allowing `max_per_second` (at least 1) slots per second.
    pub fn new(max_per_second: u32) -> Self {
        let rate = u64::from(max_per_second.max(1));
        Self {
            interval: Duration::from_nanos(1_000_000_000u64.div_ceil(rate)),
            next: None,
        }
    }

    /// The spacing between slots.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Reserves the next slot for a caller arriving at `now`; returns when it may send.
    pub fn reserve(&mut self, now: Instant) -> Instant {
        let at = self.next.map_or(now, |next| next.max(now));
        self.next = Some(at + self.interval);
        at
    }

    /// Records that the slot booked for `scheduled` was actually used at `granted`. Timer
    /// jitter (up to [`JITTER`]) keeps the schedule; a real stall re-anchors it, so the next
    /// slot is one interval after the late grant and the sends queued behind it cannot go
    /// out back to back.
    pub fn used_at(&mut self, scheduled: Instant, granted: Instant) {
        if granted.saturating_duration_since(scheduled) <= JITTER {
            return;
        }
        let next = granted + self.interval;
        self.next = Some(self.next.map_or(next, |n| n.max(next)));
    }
}

/// Bot-wide pacer. Share it (`Arc`) between the delivery worker and any other sender.
#[derive(Debug)]
pub struct Pacer {
    /// Held while a slot is awaited: slots are granted strictly one after another.
    gcra: tokio::sync::Mutex<Gcra>,
    channels: Arc<Mutex<HashMap<u64, Arc<tokio::sync::Mutex<()>>>>>,
}

/// Permission to send one message to a channel: holds the channel's turn until dropped.
#[derive(Debug)]
pub struct Permit {
    channel_id: u64,
    channels: Arc<Mutex<HashMap<u64, Arc<tokio::sync::Mutex<()>>>>>,
    slot: Instant,
    _turn: OwnedMutexGuard<()>,
}

impl Permit {
    /// The bot-wide slot this permit was granted (the pacer's schedule; the permit is
    /// returned at or after it).
    pub fn slot(&self) -> Instant {
        self.slot
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut map = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        // Only the map and this permit hold the lock: nobody waits, forget the channel.
        if map
            .get(&self.channel_id)
            .is_some_and(|lock| Arc::strong_count(lock) <= 2)
        {
            map.remove(&self.channel_id);
        }
    }
}

impl Default for Pacer {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_PER_SECOND)
    }
}

impl Pacer {
    /// A pacer allowing `max_per_second` sends bot-wide.
    pub fn new(max_per_second: u32) -> Self {
        Self {
            gcra: tokio::sync::Mutex::new(Gcra::new(max_per_second)),
            channels: Arc::default(),
        }
    }

    /// Waits for the channel's turn (one message at a time per channel, FIFO among
    /// waiters), then for a bot-wide slot. Send while holding the returned permit.
    pub async fn acquire(&self, channel_id: u64) -> Permit {
        let lock = {
            let mut map = self.channels.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(map.entry(channel_id).or_default())
        };
        let turn = lock.lock_owned().await;
        let slot = self.slot().await;
        Permit {
            channel_id,
            channels: Arc::clone(&self.channels),
            slot,
            _turn: turn,
        }
    }

    /// Waits for a bot-wide slot only (for sends outside any channel queue); returns the
    /// slot's scheduled time (the wait ends at or just after it). Slots are spaced at least
    /// one interval apart; waiters are served in order (the lock is fair).
    pub async fn slot(&self) -> Instant {
        let mut gcra = self.gcra.lock().await;
        let at = gcra.reserve(Instant::now());
        tokio::time::sleep_until(at).await;
        let granted = Instant::now();
        gcra.used_at(at, granted);
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_grant_pushes_the_next_slot_back_instead_of_bunching() {
        let mut g = Gcra::new(50);
        let t0 = Instant::now();
        assert_eq!(g.reserve(t0), t0);
        // The first sender woke 300 ms late; the next slot is spaced from that moment.
        let late = t0 + Duration::from_millis(300);
        g.used_at(t0, late);
        assert_eq!(g.reserve(late), late + g.interval());
        // A millisecond of timer jitter keeps the schedule.
        let next = late + g.interval();
        g.used_at(next, next + Duration::from_millis(1));
        assert_eq!(g.reserve(next), next + g.interval());
    }

    /// Most slots in any half-open 1-second window.
    fn max_in_one_second(times: &[Instant]) -> usize {
        times
            .iter()
            .map(|start| {
                times
                    .iter()
                    .filter(|t| **t >= *start && **t < *start + Duration::from_secs(1))
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn gcra_spaces_a_burst_evenly() {
        let base = Instant::now();
        let mut gcra = Gcra::new(45);
        let n = 200;
        let slots: Vec<Instant> = (0..n).map(|_| gcra.reserve(base)).collect();
        let span = slots[n - 1] - slots[0];
        assert!(span >= Duration::from_secs_f64((n - 1) as f64 / 45.0));
        assert!(slots.windows(2).all(|w| w[1] - w[0] == gcra.interval()));
        assert_eq!(max_in_one_second(&slots), 45);
    }

    #[test]
    fn gcra_idle_time_gives_no_burst_credit() {
        let base = Instant::now();
        let mut gcra = Gcra::new(45);
        assert_eq!(gcra.reserve(base), base);
        let later = base + Duration::from_secs(10);
        let a = gcra.reserve(later);
        let b = gcra.reserve(later);
        assert_eq!(a, later);
        assert_eq!(b - a, gcra.interval());
    }

    #[tokio::test]
    async fn permits_serialize_a_channel_and_are_forgotten() {
        let pacer = Arc::new(Pacer::new(1000));
        let first = pacer.acquire(7).await;
        let p = Arc::clone(&pacer);
        let waiter = tokio::spawn(async move {
            let _second = p.acquire(7).await;
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        let _other = pacer.acquire(8).await; // another channel is not blocked
        drop(first);
        waiter.await.expect("second permit");
        drop(_other);
        assert!(pacer.channels.lock().expect("map").is_empty());
    }
}
