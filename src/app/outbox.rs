//! The delivery worker's outbox on Discord: a ledger row becomes the core's post (a brief, or
//! a digest part), posted by the Discord adapter's [`Poster`] with the row's nonce, and
//! Discord's answer becomes the worker's [`SendOutcome`], counted in the metrics. Here, in
//! the wiring, so that neither the adapter knows the ledger nor the delivery machinery knows
//! Discord.

use crate::core::Core;
use crate::delivery::{DeliveryKind, Outbox, PendingDelivery, SendOutcome};
use crate::discord::outbox::{PostError, Poster};
use crate::meter::{self, DeliveryOutcome};
use crate::reply::Reply;
use std::sync::Arc;

/// Sends ledger rows to Discord.
pub struct DiscordOutbox {
    poster: Poster,
    core: Arc<Core>,
}

impl DiscordOutbox {
    /// Posts through `poster`, rendering from `core`'s library.
    pub fn new(poster: Poster, core: Arc<Core>) -> DiscordOutbox {
        DiscordOutbox { poster, core }
    }

    /// The reply a delivery posts, or why it cannot be built.
    pub fn reply(&self, kind: &DeliveryKind) -> Result<Reply, String> {
        match kind {
            DeliveryKind::Brief(id) => self.core.post(id),
            DeliveryKind::Digest(ids) => self.core.digest(ids),
        }
    }
}

impl Outbox for DiscordOutbox {
    async fn send(&self, delivery: &PendingDelivery) -> SendOutcome {
        // The worker drops a send that outlives `delivery.send_timeout_secs` and retries it:
        // the guard counts that as a retry.
        let mut attempt = Attempt(None);
        let outcome = self.attempt(delivery).await;
        attempt.0 = Some(match &outcome {
            SendOutcome::Sent => DeliveryOutcome::Sent,
            SendOutcome::RateLimited { global, .. } => {
                meter::rate_limited(*global);
                DeliveryOutcome::Retried
            }
            SendOutcome::Transient(_) => DeliveryOutcome::Retried,
            SendOutcome::ChannelGone(_) => DeliveryOutcome::Paused,
            SendOutcome::Rejected(_) => DeliveryOutcome::Failed,
        });
        outcome
    }
}

/// Counts one delivery attempt when dropped: its outcome, or a retry when the attempt was
/// abandoned before it had one.
struct Attempt(Option<DeliveryOutcome>);

impl Drop for Attempt {
    fn drop(&mut self) {
        meter::delivery(self.0.unwrap_or(DeliveryOutcome::Retried));
    }
}

impl DiscordOutbox {
    async fn attempt(&self, delivery: &PendingDelivery) -> SendOutcome {
        let reply = match self.reply(&delivery.kind) {
            Ok(r) => r,
            Err(why) => return SendOutcome::Rejected(why),
        };
        match self
            .poster
            .post(delivery.channel_id, &reply, &delivery.nonce)
            .await
        {
            Ok(()) => {
                // A question asked in the channel next may follow up on the brief posted.
                if let DeliveryKind::Brief(id) = &delivery.kind {
                    self.core.conversations().note(delivery.channel_id, id);
                }
                SendOutcome::Sent
            }
            Err(PostError::RateLimited {
                retry_after,
                global,
            }) => SendOutcome::RateLimited {
                retry_after,
                global,
            },
            Err(PostError::ChannelGone(why)) => SendOutcome::ChannelGone(why),
            Err(PostError::Transient(why)) => SendOutcome::Transient(why),
            Err(PostError::Rejected(why)) => SendOutcome::Rejected(why),
        }
    }
}
