//! Send pacing: what the bot knows of Discord's rate limits, applied before each send.
//!
//! - **Bot-wide:** at most `max_per_second` messages, spaced evenly (GCRA with no burst
//!   allowance). Discord allows 50 requests/s per bot; serenity's ratelimiter only reacts to
//!   429s and headers per route (100 concurrent sends drew 50 × 429), and in proxy mode
//!   (`discord.api_proxy`) it is off altogether, so this pacer is all that stands between the
//!   bot and Discord. Spacing is `ceil(1 s / rate)`. Slots are handed out one at a time and
//!   the next slot is spaced from the moment the previous one was actually granted, so a task
//!   that wakes late cannot cause a burst of already-due sends behind it. On top of the
//!   spacing, a sliding log of the last `rate` grant instants ([`Schedule`]) makes the bound
//!   hard: a grant comes at least 1 s after the grant `rate` places before it, so no
//!   1-second window, wherever it starts, holds more than `rate` grants — even when timer
//!   jitter (which the spacing tolerates, up to [`JITTER`]) made one grant late and the next
//!   ones on time.
//! - **Global 429:** [`Pacer::pause_all`] stops every slot (including one already being
//!   waited for) until Discord's `retry_after` has passed; sends then resume one interval
//!   apart.
//! - **Per channel:** one message at a time (FIFO among waiters), and at most
//!   [`CHANNEL_BURST`] messages in any [`CHANNEL_WINDOW`] (Discord: 5 per 5 s per channel).
//!   The window is counted from the moment each send *finished* (its permit was dropped):
//!   Discord's window starts when the first request arrives, which is before its answer, so a
//!   sixth send started a window after the first one's answer can never arrive inside
//!   Discord's window, whatever the network latency.
//!
//! Hand-written rather than a crate (governor, leaky-bucket): the schedule must re-anchor on
//! late grants, pause on a global 429 and count channel windows from the end of each send,
//! and the fan-out benchmark (docs/BENCHMARKS.md) measures it at the configured rate exactly.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, OwnedMutexGuard};
use tokio::time::Instant;

/// Default bot-wide send rate: under Discord's global 50 requests per second.
pub const DEFAULT_MAX_PER_SECOND: u32 = 45;

/// Lateness treated as timer jitter rather than a stall (tokio's timer has 1 ms ticks).
pub const JITTER: Duration = Duration::from_millis(2);

/// Messages Discord accepts per channel in one [`CHANNEL_WINDOW`].
pub const CHANNEL_BURST: usize = 5;

/// Discord's per-channel message window.
pub const CHANNEL_WINDOW: Duration = Duration::from_secs(5);

/// The even-spacing schedule (generic cell rate algorithm, burst 0).
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

    /// The earliest slot for a caller arriving at `now` (nothing is booked).
    pub fn earliest(&self, now: Instant) -> Instant {
        self.next.map_or(now, |next| next.max(now))
    }

    /// Books the slot `scheduled` (from [`Gcra::earliest`], or later), actually used at
    /// `granted`. Timer jitter (up to [`JITTER`]) keeps the schedule; a real stall
    /// re-anchors it, so the next slot is one interval after the late grant and the sends
    /// queued behind it cannot go out back to back.
    pub fn take(&mut self, scheduled: Instant, granted: Instant) {
        let anchor = if granted.saturating_duration_since(scheduled) <= JITTER {
            scheduled
        } else {
            granted
        };
        let next = anchor + self.interval;
        self.next = Some(self.next.map_or(next, |n| n.max(next)));
    }
}

/// The bot-wide schedule: GCRA spacing, and the instants of the last `limit` grants, so that
/// no 1-second window (sliding, not per bucket) ever holds more than `limit` of them.
#[derive(Debug)]
pub struct Schedule {
    gcra: Gcra,
    limit: usize,
    /// The last `limit` grant instants, oldest first.
    granted: VecDeque<Instant>,
}

impl Schedule {
    /// A schedule allowing `max_per_second` (at least 1) grants in any second.
    pub fn new(max_per_second: u32) -> Self {
        let limit = max_per_second.max(1) as usize;
        Self {
            gcra: Gcra::new(max_per_second),
            limit,
            granted: VecDeque::with_capacity(limit),
        }
    }

    /// The earliest grant for a caller arriving at `now`: the next evenly spaced slot, and
    /// no earlier than 1 s after the grant `limit` places back.
    pub fn earliest(&self, now: Instant) -> Instant {
        let spaced = self.gcra.earliest(now);
        match self.granted.front() {
            Some(oldest) if self.granted.len() >= self.limit => {
                spaced.max(*oldest + Duration::from_secs(1))
            }
            _ => spaced,
        }
    }

    /// Books the slot `scheduled` (from [`Schedule::earliest`]), granted at `granted`.
    pub fn take(&mut self, scheduled: Instant, granted: Instant) {
        self.gcra.take(scheduled, granted);
        self.granted.push_back(granted);
        while self.granted.len() > self.limit {
            self.granted.pop_front();
        }
    }
}

/// One channel's turn and recent sends.
#[derive(Debug, Default)]
struct Channel {
    /// Held by the channel's permit: one send at a time.
    turn: Arc<tokio::sync::Mutex<()>>,
    /// When the channel's last sends finished (at most the burst size, oldest first).
    finished: VecDeque<Instant>,
}

/// Per-channel state shared by the pacer and its permits.
#[derive(Debug)]
struct Channels {
    map: HashMap<u64, Channel>,
    burst: usize,
    window: Duration,
    /// When idle channels are next forgotten.
    next_sweep: Option<Instant>,
}

impl Channels {
    /// The earliest moment the channel may start another send.
    fn ready_at(&self, channel_id: u64, now: Instant) -> Instant {
        self.map
            .get(&channel_id)
            .filter(|c| c.finished.len() >= self.burst)
            .and_then(|c| c.finished.get(c.finished.len() - self.burst))
            .map_or(now, |oldest| (*oldest + self.window).max(now))
    }

    /// Forgets channels nobody holds or waits for whose last send left the window.
    fn sweep(&mut self, now: Instant) {
        if self.next_sweep.is_some_and(|at| now < at) {
            return;
        }
        let window = self.window;
        self.map.retain(|_, c| {
            Arc::strong_count(&c.turn) > 1 || c.finished.back().is_some_and(|t| *t + window > now)
        });
        self.next_sweep = Some(now + window);
    }
}

/// Bot-wide pacer. Share it (`Arc`) between the delivery worker and any other sender.
#[derive(Debug)]
pub struct Pacer {
    /// Held while a slot is awaited: slots are granted strictly one after another.
    schedule: tokio::sync::Mutex<Schedule>,
    /// No slot is granted before this (Discord's global 429).
    paused_until: Mutex<Option<Instant>>,
    /// Wakes the slot waiter when a pause begins or grows.
    pause_changed: Notify,
    channels: Arc<Mutex<Channels>>,
}

/// Permission to send one message to a channel: holds the channel's turn until dropped, and
/// counts as one send in the channel's window from that moment.
#[derive(Debug)]
pub struct Permit {
    channel_id: u64,
    channels: Arc<Mutex<Channels>>,
    slot: Instant,
    granted: Instant,
    _turn: OwnedMutexGuard<()>,
}

impl Permit {
    /// The bot-wide slot this permit was granted (the pacer's schedule; the permit is
    /// returned at or after it).
    pub fn slot(&self) -> Instant {
        self.slot
    }

    /// When the pacer actually granted it: no 1-second window holds more than
    /// `max_per_second` of these instants.
    pub fn granted(&self) -> Instant {
        self.granted
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let now = Instant::now();
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        let burst = channels.burst;
        if let Some(c) = channels.map.get_mut(&self.channel_id) {
            c.finished.push_back(now);
            while c.finished.len() > burst {
                c.finished.pop_front();
            }
        }
    }
}

impl Default for Pacer {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_PER_SECOND)
    }
}

impl Pacer {
    /// A pacer allowing `max_per_second` sends bot-wide and Discord's per-channel limit
    /// ([`CHANNEL_BURST`] per [`CHANNEL_WINDOW`]).
    pub fn new(max_per_second: u32) -> Self {
        Self::with_channel_limit(max_per_second, CHANNEL_BURST, CHANNEL_WINDOW)
    }

    /// A pacer allowing `max_per_second` sends bot-wide and `burst` (at least 1) sends per
    /// channel in any `window`.
    pub fn with_channel_limit(max_per_second: u32, burst: usize, window: Duration) -> Self {
        Self {
            schedule: tokio::sync::Mutex::new(Schedule::new(max_per_second)),
            paused_until: Mutex::new(None),
            pause_changed: Notify::new(),
            channels: Arc::new(Mutex::new(Channels {
                map: HashMap::new(),
                burst: burst.max(1),
                window,
                next_sweep: None,
            })),
        }
    }

    /// Waits for the channel's turn (one message at a time per channel, FIFO among
    /// waiters), then until the channel's window has room, then for a bot-wide slot. Send
    /// while holding the returned permit, and drop it as soon as the answer is in.
    pub async fn acquire(&self, channel_id: u64) -> Permit {
        let lock = {
            let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
            channels.sweep(Instant::now());
            Arc::clone(&channels.map.entry(channel_id).or_default().turn)
        };
        let turn = lock.lock_owned().await;
        // Only the holder of the turn sends to this channel, so its window cannot fill up
        // while it waits.
        let ready = {
            let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
            channels.ready_at(channel_id, Instant::now())
        };
        tokio::time::sleep_until(ready).await;
        let (slot, granted) = self.grant().await;
        Permit {
            channel_id,
            channels: Arc::clone(&self.channels),
            slot,
            granted,
            _turn: turn,
        }
    }

    /// Waits for a bot-wide slot only (for sends outside any channel queue); returns the
    /// slot's scheduled time (the wait ends at or just after it). Slots are spaced at least
    /// one interval apart, none is granted during a pause ([`Pacer::pause_all`]), and
    /// waiters are served in order (the lock is fair).
    pub async fn slot(&self) -> Instant {
        self.grant().await.0
    }

    /// [`Pacer::slot`], with the instant it was actually granted.
    async fn grant(&self) -> (Instant, Instant) {
        let mut schedule = self.schedule.lock().await;
        loop {
            // Registered before the pause is read, so a pause set meanwhile still wakes us.
            let pause_changed = self.pause_changed.notified();
            let now = Instant::now();
            let at = match self.paused_until() {
                Some(until) => schedule.earliest(now).max(until),
                None => schedule.earliest(now),
            };
            tokio::select! {
                () = tokio::time::sleep_until(at) => {}
                () = pause_changed => continue,
            }
            let granted = Instant::now();
            if self.paused_until().is_some_and(|until| until > granted) {
                continue;
            }
            schedule.take(at, granted);
            return (at, granted);
        }
    }

    /// Discord's global rate limit was hit: no slot is granted for `retry_after` from now
    /// (a longer pause already in force is kept). Waiters resume one interval apart.
    pub fn pause_all(&self, retry_after: Duration) {
        let until = Instant::now() + retry_after;
        let mut paused = self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
            drop(paused);
            self.pause_changed.notify_waiters();
        }
    }

    /// The end of the current global pause, if one is in force.
    pub fn paused_until(&self) -> Option<Instant> {
        let paused = *self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        paused.filter(|until| *until > Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reserves the next slot for a caller arriving at `now`, granted on time.
    fn reserve(g: &mut Gcra, now: Instant) -> Instant {
        let at = g.earliest(now);
        g.take(at, at);
        at
    }

    #[test]
    fn a_late_grant_pushes_the_next_slot_back_instead_of_bunching() {
        let mut g = Gcra::new(50);
        let t0 = Instant::now();
        assert_eq!(g.earliest(t0), t0);
        // The first sender woke 300 ms late; the next slot is spaced from that moment.
        let late = t0 + Duration::from_millis(300);
        g.take(t0, late);
        assert_eq!(g.earliest(late), late + g.interval());
        // A millisecond of timer jitter keeps the schedule.
        let next = late + g.interval();
        g.take(next, next + Duration::from_millis(1));
        assert_eq!(g.earliest(next), next + g.interval());
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
        let slots: Vec<Instant> = (0..n).map(|_| reserve(&mut gcra, base)).collect();
        let span = slots[n - 1] - slots[0];
        assert!(span >= Duration::from_secs_f64((n - 1) as f64 / 45.0));
        assert!(slots.windows(2).all(|w| w[1] - w[0] == gcra.interval()));
        assert_eq!(max_in_one_second(&slots), 45);
    }

    #[test]
    fn no_one_second_window_holds_more_than_the_rate_even_with_late_grants() {
        // Timer jitter the spacing tolerates: a grant up to JITTER late keeps the schedule,
        // so the sends after it are on time and 45 spacings later the 46th grant fell
        // 2 ms short of a second after the late one (46 in one window, without the log).
        let base = Instant::now();
        let mut schedule = Schedule::new(45);
        let mut grants = Vec::new();
        let mut now = base;
        for i in 0..400 {
            let at = schedule.earliest(now);
            let late = if i % 45 == 0 { JITTER } else { Duration::ZERO };
            let granted = at + late;
            schedule.take(at, granted);
            grants.push(granted);
            now = granted;
        }
        assert_eq!(max_in_one_second(&grants), 45);
        // Still evenly paced: 400 grants take about 400 / 45 s.
        let span = grants[399] - grants[0];
        assert!(
            span < Duration::from_secs_f64(399.0 / 45.0 * 1.01),
            "{span:?}"
        );
    }

    #[tokio::test]
    async fn granted_permits_never_exceed_the_rate_in_any_second() {
        // Real time: whatever the timer does, the log bounds the actual grant instants.
        let pacer = Arc::new(Pacer::new(20));
        let tasks: Vec<_> = (0..50u64)
            .map(|channel| {
                let pacer = Arc::clone(&pacer);
                tokio::spawn(async move { pacer.acquire(channel).await.granted() })
            })
            .collect();
        let mut grants = Vec::new();
        for t in tasks {
            grants.push(t.await.expect("permit"));
        }
        grants.sort();
        let most = max_in_one_second(&grants);
        assert!(most <= 20, "{most} grants in one second");
    }

    #[test]
    fn gcra_idle_time_gives_no_burst_credit() {
        let base = Instant::now();
        let mut gcra = Gcra::new(45);
        assert_eq!(reserve(&mut gcra, base), base);
        let later = base + Duration::from_secs(10);
        let a = reserve(&mut gcra, later);
        let b = reserve(&mut gcra, later);
        assert_eq!(a, later);
        assert_eq!(b - a, gcra.interval());
    }

    // Real time, short windows: only lower bounds are exact; upper bounds are generous.

    #[tokio::test]
    async fn permits_serialize_a_channel_and_idle_channels_are_forgotten() {
        let window = Duration::from_millis(200);
        let pacer = Arc::new(Pacer::with_channel_limit(1000, 5, window));
        let first = pacer.acquire(7).await;
        let p = Arc::clone(&pacer);
        let waiter = tokio::spawn(async move {
            let _second = p.acquire(7).await;
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        let other = pacer.acquire(8).await; // another channel is not blocked
        drop(first);
        waiter.await.expect("second permit");
        drop(other);
        // Remembered while their sends are in the window, forgotten after it.
        assert_eq!(pacer.channels.lock().expect("map").map.len(), 2);
        tokio::time::sleep(window).await;
        drop(pacer.acquire(9).await);
        let channels = pacer.channels.lock().expect("map");
        assert_eq!(channels.map.keys().collect::<Vec<_>>(), [&9]);
    }

    #[tokio::test]
    async fn a_channel_gets_five_sends_per_window_counted_from_each_answer() {
        let window = Duration::from_millis(300);
        let pacer = Pacer::with_channel_limit(1000, 5, window);
        let mut spans = Vec::new();
        for _ in 0..11 {
            let permit = pacer.acquire(7).await;
            let started = Instant::now();
            tokio::time::sleep(Duration::from_millis(10)).await; // the request is in flight
            drop(permit);
            spans.push((started, Instant::now()));
        }
        for i in 5..spans.len() {
            assert!(
                spans[i].0 >= spans[i - 5].1 + window,
                "send {i} started {:?} after send {} finished",
                spans[i].0 - spans[i - 5].1,
                i - 5
            );
        }
        // The first five went without waiting for the window.
        assert!(spans[4].0 - spans[0].0 < window);
        // Another channel is not held up by the full one.
        let t = Instant::now();
        drop(pacer.acquire(8).await);
        assert!(t.elapsed() < window);
    }

    #[tokio::test]
    async fn a_global_pause_holds_every_slot_including_one_being_waited_for() {
        let pacer = Arc::new(Pacer::new(5)); // slots 200 ms apart
        let first = pacer.slot().await;
        // The next slot is due at first + 200 ms; someone is already waiting for it.
        let p = Arc::clone(&pacer);
        let waiting = tokio::spawn(async move { p.slot().await });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let pause = Duration::from_millis(400);
        let paused_at = Instant::now();
        pacer.pause_all(pause);
        // A shorter pause does not shorten it.
        pacer.pause_all(Duration::from_millis(10));
        let granted = waiting.await.expect("slot");
        assert!(granted >= paused_at + pause, "{:?}", granted - paused_at);
        assert!(granted > first + Duration::from_millis(200));
        // Sends resume spaced, not in a burst.
        let next = pacer.slot().await;
        assert!(next - granted >= Duration::from_millis(200));
        // Permits of other channels wait too.
        let t = Instant::now();
        pacer.pause_all(pause);
        drop(pacer.acquire(9).await);
        assert!(t.elapsed() >= pause);
        assert!(pacer.paused_until().is_none());
    }
}
