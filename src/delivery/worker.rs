//! The sender: drains the ledger's pending rows through an [`Outbox`] (the Discord adapter)
//! and the [`Pacer`], and records each outcome.
//!
//! One task per channel sends that channel's rows one at a time in ledger order, reading
//! the next row from the store after each outcome is recorded (so unsubscribing or pausing
//! takes effect at once); channels progress concurrently, bounded bot-wide by the pacer.
//! A dispatcher starts a task for every channel with pending rows — at start (resuming
//! whatever a crash left pending), on [`DeliveryHandle::wake`], on a poll interval, and
//! when a channel task ends.
//!
//! Outcomes: `Sent` → marked sent. `RateLimited` → wait Discord's `retry_after`, retry (no
//! limit); a *global* 429 also pauses the shared [`Pacer`], so no channel sends until it has
//! passed. `Transient` → exponential backoff with jitter (`backoff_min` doubling to
//! `backoff_max`), retry (no limit). A send with no answer within `send_timeout` is
//! abandoned, logged and retried as `Transient`: the resend carries the same nonce, so a
//! message Discord created before stalling is not posted twice, and other channels are not
//! held up meanwhile. `ChannelGone` → the subscription is paused with the reason (its rows
//! stay pending; other channels are unaffected). `Rejected` → the row is marked failed.
//!
//! Crash safety: a row is marked sent only after Discord accepted it, so a crash in
//! between resends it at the next start with the same nonce; with `enforce_nonce` Discord
//! returns the existing message instead of posting twice (Discord keeps nonces for a few
//! minutes only). Cancelling the worker mid-send is equally safe.

use super::pacer::Pacer;
use crate::store::{PendingDelivery, Store};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

/// The result of one send, as the outbox classifies Discord's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Discord created the message (or returned the one with the same nonce).
    Sent,
    /// 429: retry after the given delay.
    RateLimited {
        /// How long Discord asked to wait.
        retry_after: Duration,
        /// The limit is bot-wide: no channel may send until `retry_after` has passed.
        global: bool,
    },
    /// 5xx, timeout, connection error: retry with backoff.
    Transient(String),
    /// 403 Missing Access / 404 Unknown Channel: the channel is unreachable; pause it.
    ChannelGone(String),
    /// Any other 4xx (or a brief no longer in the library): give up on this row.
    Rejected(String),
}

/// Sends ledger rows to Discord. Implemented by the Discord adapter: render the brief or
/// digest (by id), send it to `channel_id` with `nonce` and `enforce_nonce: true`, and
/// classify the answer.
pub trait Outbox: Send + Sync + 'static {
    /// Sends one row.
    fn send(&self, delivery: &PendingDelivery) -> impl Future<Output = SendOutcome> + Send;
}

/// Worker tuning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerConfig {
    /// Look for pending rows at least this often even without a wake-up.
    pub poll_interval: Duration,
    /// First backoff after a transient failure.
    pub backoff_min: Duration,
    /// Backoff cap.
    pub backoff_max: Duration,
    /// Most channels started per dispatch round.
    pub max_channels_per_round: u32,
    /// A send with no answer after this long is abandoned and retried (same nonce).
    pub send_timeout: Duration,
}

/// Default [`WorkerConfig::send_timeout`] (`delivery.send_timeout_secs`).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(15);

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(5),
            backoff_min: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_channels_per_round: 1000,
            send_timeout: SEND_TIMEOUT,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Progress {
    /// The drain request the last finished round saw.
    round: u64,
    /// That round found nothing pending and no channel busy.
    idle: bool,
    /// The worker has stopped.
    stopped: bool,
}

#[derive(Debug)]
struct Shared {
    wake: Notify,
    requested: AtomicU64,
    progress: watch::Sender<Progress>,
}

/// Handle to a running worker: wake it after planning, or wait for the queue to drain.
#[derive(Debug, Clone)]
pub struct DeliveryHandle {
    shared: Arc<Shared>,
}

impl DeliveryHandle {
    fn new() -> Self {
        Self {
            shared: Arc::new(Shared {
                wake: Notify::new(),
                requested: AtomicU64::new(0),
                progress: watch::Sender::new(Progress::default()),
            }),
        }
    }

    /// Asks the worker to look for pending rows now (cheap; wake-ups coalesce).
    pub fn wake(&self) {
        self.shared.wake.notify_one();
    }

    /// Wakes the worker and waits until a round that started after this call found no
    /// sendable pending row and no channel busy (rows of paused channels don't count), or
    /// until the worker stops. Never returns while a channel keeps failing transiently.
    pub async fn drained(&self) {
        let target = self.shared.requested.fetch_add(1, Ordering::SeqCst) + 1;
        self.wake();
        let mut rx = self.shared.progress.subscribe();
        // The sender lives in `shared`, so this only ends by the predicate.
        let _ = rx
            .wait_for(|p| p.stopped || (p.round >= target && p.idle))
            .await;
    }
}

struct Context<O> {
    store: Store,
    outbox: Arc<O>,
    pacer: Arc<Pacer>,
    config: WorkerConfig,
}

/// The delivery worker. Build it, keep a [`DeliveryHandle`], then spawn [`Worker::run`].
pub struct Worker<O> {
    ctx: Arc<Context<O>>,
    handle: DeliveryHandle,
}

/// A clone shares the worker's handle and can run again after the worker stopped (the next
/// leadership term of [`crate::app::leader`]); run one of them at a time.
impl<O> Clone for Worker<O> {
    fn clone(&self) -> Self {
        Self {
            ctx: Arc::clone(&self.ctx),
            handle: self.handle.clone(),
        }
    }
}

impl<O: Outbox> Worker<O> {
    /// A worker sending the rows of `store` through `outbox`, paced by `pacer` (share the
    /// pacer with any other sender of the bot).
    pub fn new(store: Store, outbox: Arc<O>, pacer: Arc<Pacer>, config: WorkerConfig) -> Self {
        Self {
            ctx: Arc::new(Context {
                store,
                outbox,
                pacer,
                config,
            }),
            handle: DeliveryHandle::new(),
        }
    }

    /// A handle to wake the worker or wait for it to drain.
    pub fn handle(&self) -> DeliveryHandle {
        self.handle.clone()
    }

    /// Runs until `shutdown` becomes `true` (or its sender is dropped). In-flight sends are
    /// cancelled on shutdown; their rows stay pending and are resent at the next start.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let shared = &self.handle.shared;
        let mut tasks: JoinSet<()> = JoinSet::new();
        // Channels with a running task, and which task serves which channel.
        let mut busy: HashSet<u64> = HashSet::new();
        let mut task_channel: HashMap<tokio::task::Id, u64> = HashMap::new();
        tracing::info!("delivery worker started");
        while !*shutdown.borrow() {
            let round = shared.requested.load(Ordering::SeqCst);
            let idle = match self
                .ctx
                .store
                .channels_with_pending(self.ctx.config.max_channels_per_round)
                .await
            {
                Ok(channels) => {
                    for channel_id in channels {
                        if busy.insert(channel_id) {
                            let ctx = Arc::clone(&self.ctx);
                            let task = tasks.spawn(drain_channel(ctx, channel_id));
                            task_channel.insert(task.id(), channel_id);
                        }
                    }
                    tasks.is_empty()
                }
                Err(error) => {
                    tracing::error!(%error, "cannot read the delivery ledger");
                    false
                }
            };
            shared.progress.send_replace(Progress {
                round,
                idle,
                stopped: false,
            });
            tokio::select! {
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
                Some(done) = tasks.join_next_with_id() => {
                    let id = match done {
                        Ok((id, ())) => id,
                        Err(error) => {
                            tracing::error!(%error, "delivery task failed");
                            error.id()
                        }
                    };
                    if let Some(channel_id) = task_channel.remove(&id) {
                        busy.remove(&channel_id);
                    }
                }
                () = shared.wake.notified() => {}
                () = tokio::time::sleep(self.ctx.config.poll_interval) => {}
            }
        }
        tasks.shutdown().await;
        shared.progress.send_modify(|p| p.stopped = true);
        tracing::info!("delivery worker stopped");
    }
}

/// Sends a channel's pending rows in order until none is left or the channel is paused.
async fn drain_channel<O: Outbox>(ctx: Arc<Context<O>>, channel_id: u64) {
    loop {
        match ctx.store.next_pending(channel_id).await {
            Ok(Some(delivery)) => {
                if !deliver(&ctx, delivery).await {
                    return;
                }
            }
            Ok(None) => return,
            Err(error) => {
                tracing::error!(channel_id, %error, "cannot read the delivery ledger");
                tokio::time::sleep(ctx.config.poll_interval).await;
                return;
            }
        }
    }
}

/// Sends one row until an outcome settles it. Returns `false` when the channel must stop
/// (paused, or the ledger cannot be written).
async fn deliver<O: Outbox>(ctx: &Context<O>, mut delivery: PendingDelivery) -> bool {
    let (channel_id, key) = (delivery.channel_id, delivery.key.clone());
    let store = &ctx.store;
    let mut backoff = ctx.config.backoff_min;
    loop {
        let outcome = {
            let _permit = ctx.pacer.acquire(channel_id).await;
            let timeout = ctx.config.send_timeout;
            match tokio::time::timeout(timeout, ctx.outbox.send(&delivery)).await {
                Ok(outcome) => outcome,
                Err(_) => SendOutcome::Transient(format!(
                    "no answer from Discord within {} s (request timed out)",
                    timeout.as_secs_f64()
                )),
            }
        };
        let (error, wait) = match outcome {
            SendOutcome::Sent => {
                let now = chrono::Utc::now().timestamp_millis();
                return settle(ctx, "mark sent", || store.mark_sent(channel_id, &key, now)).await;
            }
            SendOutcome::Rejected(reason) => {
                tracing::warn!(channel_id, key, %reason, "delivery rejected; giving up on it");
                return settle(ctx, "mark failed", || {
                    store.mark_failed(channel_id, &key, &reason)
                })
                .await;
            }
            SendOutcome::ChannelGone(reason) => {
                tracing::warn!(
                    channel_id,
                    key,
                    %reason,
                    "channel unreachable; pausing its subscription"
                );
                let error = format!("channel gone: {reason}");
                let _ = settle(ctx, "record attempt", || {
                    store.record_attempt(channel_id, &key, &error)
                })
                .await;
                let _ = settle(ctx, "pause", || store.pause(channel_id, &reason)).await;
                return false;
            }
            SendOutcome::RateLimited {
                retry_after,
                global: true,
            } => {
                ctx.pacer.pause_all(retry_after);
                tracing::warn!(
                    channel_id,
                    key,
                    ?retry_after,
                    "Discord's global rate limit: every send paused"
                );
                (
                    format!("rate limited, global ({retry_after:?})"),
                    retry_after,
                )
            }
            SendOutcome::RateLimited {
                retry_after,
                global: false,
            } => {
                tracing::info!(channel_id, key, ?retry_after, "rate limited; retrying");
                (format!("rate limited ({retry_after:?})"), retry_after)
            }
            SendOutcome::Transient(error) => {
                let wait = jittered(backoff);
                backoff = (backoff * 2).min(ctx.config.backoff_max);
                tracing::warn!(
                    channel_id,
                    key,
                    %error,
                    attempts = delivery.attempts + 1,
                    ?wait,
                    "delivery failed; retrying"
                );
                (error, wait)
            }
        };
        let recorded = settle(ctx, "record attempt", || {
            store.record_attempt(channel_id, &key, &error)
        });
        if !recorded.await {
            return false;
        }
        delivery.attempts = delivery.attempts.saturating_add(1);
        tokio::time::sleep(wait).await;
        match store.is_sendable(channel_id, &key).await {
            Ok(true) => {}
            Ok(false) => return true, // unsubscribed, paused or settled elsewhere
            Err(error) => {
                tracing::error!(channel_id, %error, "cannot read the delivery ledger");
            }
        }
    }
}

/// Writes an outcome to the ledger, retrying a few times on database errors. Returns
/// `false` if it could not (the row stays pending and will be resent with its nonce).
async fn settle<O, F, Fut>(ctx: &Context<O>, what: &str, write: F) -> bool
where
    F: Fn() -> Fut,
    Fut: Future<Output = crate::store::Result<bool>>,
{
    let mut wait = Duration::from_millis(50);
    for attempt in 1..=4 {
        match write().await {
            Ok(_) => return true,
            Err(error) if attempt < 4 => {
                tracing::warn!(%error, what, attempt, "ledger write failed; retrying");
                tokio::time::sleep(wait).await;
                wait *= 4;
            }
            Err(error) => {
                tracing::error!(%error, what, "ledger write failed; giving up for now");
                tokio::time::sleep(ctx.config.poll_interval).await;
            }
        }
    }
    false
}

/// A delay in `[base / 2, base]` ("equal jitter"), so that channels retrying after the same
/// fault spread out.
fn jittered(base: Duration) -> Duration {
    use rand::Rng as _;
    let half = base / 2;
    let span = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
    half + Duration::from_nanos(rand::thread_rng().gen_range(0..=span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_in_range() {
        let base = Duration::from_millis(800);
        for _ in 0..1000 {
            let d = jittered(base);
            assert!(d >= base / 2 && d <= base, "{d:?}");
        }
        assert_eq!(jittered(Duration::ZERO), Duration::ZERO);
    }
}
