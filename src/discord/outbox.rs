//! Posting a reply to a channel as a message: its embed and view buttons, no mentions, and a
//! nonce with `enforce_nonce`, so Discord itself drops a resend of the same post. Discord's
//! answer is classified ([`PostError`]) for whoever retries; this module knows nothing of
//! the delivery ledger.

use super::render;
use crate::reply::Reply;
use serenity::all::{ChannelId, CreateMessage, Http, HttpError, Nonce};
use std::sync::Arc;
use std::time::Duration;

/// Why a post did not go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostError {
    /// 429: wait this long (for every channel when `global`).
    RateLimited {
        /// How long Discord asked to wait.
        retry_after: Duration,
        /// Whether the limit is bot-wide.
        global: bool,
    },
    /// 403/404: the channel is gone or the bot lost access.
    ChannelGone(String),
    /// 5xx, time-outs, connection errors: worth retrying.
    Transient(String),
    /// Anything else (a request Discord will never accept).
    Rejected(String),
}

/// Posts replies with serenity's REST client.
#[derive(Clone)]
pub struct Poster {
    http: Arc<Http>,
}

impl Poster {
    /// A poster over `http`.
    pub fn new(http: Arc<Http>) -> Poster {
        Poster { http }
    }

    /// Posts `reply` in `channel_id` with `nonce`.
    pub async fn post(&self, channel_id: u64, reply: &Reply, nonce: &str) -> Result<(), PostError> {
        if channel_id == 0 {
            return Err(PostError::Rejected("channel id 0 is not a channel".into()));
        }
        let message = CreateMessage::new()
            .embed(render::embed(reply))
            .components(render::buttons(reply))
            .allowed_mentions(render::no_mentions())
            .nonce(Nonce::String(nonce.to_owned()))
            .enforce_nonce(true);
        match ChannelId::new(channel_id)
            .send_message(&self.http, message)
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }
}

/// Maps serenity's error to what a sender should do.
pub fn classify(e: serenity::Error) -> PostError {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            let status = r.status_code.as_u16();
            let what = format!("{status} {} (code {})", r.error.message, r.error.code);
            match status {
                429 => PostError::RateLimited {
                    retry_after: Duration::from_secs(1),
                    global: false,
                },
                403 | 404 => PostError::ChannelGone(what),
                500..=599 => PostError::Transient(what),
                _ => PostError::Rejected(what),
            }
        }
        other => PostError::Transient(other.to_string()),
    }
}
