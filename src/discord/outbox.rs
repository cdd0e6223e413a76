//! Posting deliveries to channels: a brief as its short embed, a digest part as a list of
//! titles with TL;DRs and links. Each message carries the ledger row's nonce with
//! `enforce_nonce`, so Discord itself drops a resend after a crash. Discord's answer is
//! classified for the delivery worker (retry, pause the channel, or give up).

use super::render;
use crate::commands::Core;
use crate::delivery::{DeliveryKind, Outbox, PendingDelivery, SendOutcome};
use crate::reply::{Reply, View};
use crate::summarize::Detail;
use serenity::all::{ChannelId, CreateMessage, Http, HttpError, Nonce};
use std::sync::Arc;
use std::time::Duration;

/// Sends ledger rows with serenity's REST client.
pub struct DiscordOutbox {
    http: Arc<Http>,
    core: Arc<Core>,
}

impl DiscordOutbox {
    /// An outbox posting through `http`, rendering from `core`'s library.
    pub fn new(http: Arc<Http>, core: Arc<Core>) -> DiscordOutbox {
        DiscordOutbox { http, core }
    }

    /// The reply a delivery posts, or why it cannot be built.
    pub fn reply(&self, kind: &DeliveryKind) -> Result<Reply, String> {
        let library = self.core.library();
        match kind {
            DeliveryKind::Brief(id) => {
                let brief = library
                    .get(id)
                    .ok_or_else(|| format!("brief {id} is no longer loaded"))?;
                let mut r = self.core.show(
                    brief,
                    View {
                        section: None,
                        detail: Detail::Short,
                    },
                );
                r.fit_to_discord();
                Ok(r)
            }
            DeliveryKind::Digest(ids) => {
                let mut r = Reply::answer();
                r.title = Some("Daily digest".into());
                r.items = ids
                    .iter()
                    .filter_map(|id| library.get(id))
                    .map(|b| self.core.list_item(b))
                    .collect();
                if r.items.is_empty() {
                    return Err("none of the digest's briefs is still loaded".into());
                }
                r.message = Some(format!(
                    "{} new brief{}",
                    r.items.len(),
                    if r.items.len() == 1 { "" } else { "s" }
                ));
                Ok(r)
            }
        }
    }
}

impl Outbox for DiscordOutbox {
    async fn send(&self, delivery: &PendingDelivery) -> SendOutcome {
        let reply = match self.reply(&delivery.kind) {
            Ok(r) => r,
            Err(why) => return SendOutcome::Rejected(why),
        };
        let message = CreateMessage::new()
            .embed(render::embed(&reply))
            .components(render::buttons(&reply))
            .nonce(Nonce::String(delivery.nonce.clone()))
            .enforce_nonce(true);
        match ChannelId::new(delivery.channel_id)
            .send_message(&self.http, message)
            .await
        {
            Ok(_) => SendOutcome::Sent,
            Err(e) => classify(e),
        }
    }
}

/// Maps serenity's error to what the worker should do.
pub fn classify(e: serenity::Error) -> SendOutcome {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            let status = r.status_code.as_u16();
            let what = format!("{status} {} (code {})", r.error.message, r.error.code);
            match status {
                429 => SendOutcome::RateLimited {
                    retry_after: Duration::from_secs(1),
                },
                403 | 404 => SendOutcome::ChannelGone(what),
                500..=599 => SendOutcome::Transient(what),
                _ => SendOutcome::Rejected(what),
            }
        }
        other => SendOutcome::Transient(other.to_string()),
    }
}
