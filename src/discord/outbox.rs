//! Posting a reply to a channel as a message: its embed and view buttons, no mentions, and a
//! nonce with `enforce_nonce`, so Discord itself drops a resend of the same post. Discord's
//! answer is classified ([`PostError`]) for whoever retries; this module knows nothing of
//! the delivery ledger.
//!
//! The request is serenity's own (`CreateMessage` serialized as `ChannelId::send_message`
//! does, built by its `Request` with the route, token and `discord.api_proxy`), but the
//! answer is read here from the raw response: serenity turns an unsuccessful answer into an
//! `HttpError::UnsuccessfulRequest` holding only the status and the body's `code`/`message`
//! (a 429's body has no `code`, so even that fails to decode), dropping the headers and
//! `retry_after`/`global`. With serenity's ratelimiter on (no proxy), it still performs the
//! request and handles 429s itself; with a proxy the ratelimiter is off and the bot's pacer
//! acts on what [`classify_response`] reads.

use super::render;
use crate::reply::Reply;
use reqwest::header::HeaderMap;
use serenity::all::{ChannelId, CreateMessage, Http, Nonce};
use serenity::http::{LightMethod, Request, Route};
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

/// Wait after a 429 that names no delay at all (neither body nor header).
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Longest wait taken from a 429 (a larger or malformed value is capped to this).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Posts replies with serenity's REST client.
#[derive(Clone)]
pub struct Poster {
    http: Arc<Http>,
    /// Sends the requests in proxy mode (serenity keeps its own client private).
    client: reqwest::Client,
}

impl Poster {
    /// A poster over `http` (its token, proxy and ratelimiter).
    pub fn new(http: Arc<Http>) -> Poster {
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .build()
            .unwrap_or_default();
        Poster { http, client }
    }

    /// Posts `reply` in `channel_id` with `nonce`. No time limit: the caller bounds it (a
    /// dropped future abandons the request).
    pub async fn post(&self, channel_id: u64, reply: &Reply, nonce: &str) -> Result<(), PostError> {
        if channel_id == 0 {
            return Err(PostError::Rejected("channel id 0 is not a channel".into()));
        }
        // Discord's size limits are applied by `render` (discord/layout.rs).
        let message = CreateMessage::new()
            .embed(render::embed(reply))
            .components(render::buttons(reply))
            .allowed_mentions(render::no_mentions())
            .nonce(Nonce::String(nonce.to_owned()))
            .enforce_nonce(true);
        let body = serde_json::to_vec(&message)
            .map_err(|e| PostError::Rejected(format!("cannot encode the message: {e}")))?;
        let request = Request::new(
            Route::ChannelMessages {
                channel_id: ChannelId::new(channel_id),
            },
            LightMethod::Post,
        )
        .body(Some(body));
        let sent = match &self.http.ratelimiter {
            Some(ratelimiter) => ratelimiter.perform(request).await,
            None => {
                match request.build(&self.client, self.http.token(), self.http.proxy.as_deref()) {
                    Ok(builder) => builder.send().await.map_err(serenity::Error::from),
                    Err(e) => Err(e),
                }
            }
        };
        let response = sent.map_err(|e| PostError::Transient(e.to_string()))?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            return Ok(());
        }
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap_or_default();
        Err(classify_response(status, &headers, &body))
    }
}

/// Discord's error body (`code` and `message`) or 429 body (`retry_after`, `global`).
#[derive(Debug, Default, serde::Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    retry_after: Option<f64>,
    #[serde(default)]
    global: Option<bool>,
}

/// Classifies an unsuccessful answer (status, headers, body) for a sender.
///
/// 429: the wait is the body's `retry_after` (seconds, with decimals), else the
/// `Retry-After` header (whole seconds), else [`DEFAULT_RETRY_AFTER`]; capped at
/// [`MAX_RETRY_AFTER`]. It is global when the body says `"global": true`, or the headers
/// `X-RateLimit-Global: true` or `X-RateLimit-Scope: global`, or when the body is not
/// Discord's JSON (Cloudflare's limit, which applies to the whole address).
pub fn classify_response(status: u16, headers: &HeaderMap, body: &[u8]) -> PostError {
    let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
    if status == 429 {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let seconds = parsed
            .as_ref()
            .and_then(|b| b.retry_after)
            .or_else(|| header("retry-after").and_then(|v| v.parse::<f64>().ok()))
            .filter(|s| s.is_finite() && *s >= 0.0);
        let retry_after = seconds.map_or(DEFAULT_RETRY_AFTER, |s| {
            Duration::from_secs_f64(s.min(MAX_RETRY_AFTER.as_secs_f64()))
        });
        let global = parsed.as_ref().is_none_or(|b| b.global == Some(true))
            || header("x-ratelimit-global").is_some_and(|v| v.eq_ignore_ascii_case("true"))
            || header("x-ratelimit-scope").is_some_and(|v| v.eq_ignore_ascii_case("global"));
        return PostError::RateLimited {
            retry_after,
            global,
        };
    }
    let body = parsed.unwrap_or_default();
    let what = format!(
        "{status} {} (code {})",
        body.message.as_deref().unwrap_or("(no JSON body)"),
        body.code.unwrap_or(0)
    );
    match status {
        403 | 404 => PostError::ChannelGone(what),
        500..=599 => PostError::Transient(what),
        _ => PostError::Rejected(what),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    fn limited(retry_after: Duration, global: bool) -> PostError {
        PostError::RateLimited {
            retry_after,
            global,
        }
    }

    #[test]
    fn a_429_body_gives_the_exact_wait_and_scope() {
        let body = br#"{"message":"You are being rate limited.","retry_after":1.5,"global":true}"#;
        let h = headers(&[("retry-after", "2"), ("x-ratelimit-global", "true")]);
        assert_eq!(
            classify_response(429, &h, body),
            limited(Duration::from_millis(1500), true)
        );
        let body =
            br#"{"message":"You are being rate limited.","retry_after":0.25,"global":false}"#;
        let h = headers(&[("retry-after", "1"), ("x-ratelimit-scope", "user")]);
        assert_eq!(
            classify_response(429, &h, body),
            limited(Duration::from_millis(250), false)
        );
    }

    #[test]
    fn a_429_without_retry_after_in_the_body_uses_the_header() {
        let body = br#"{"message":"You are being rate limited.","code":0}"#;
        let h = headers(&[("retry-after", "3"), ("x-ratelimit-scope", "global")]);
        assert_eq!(
            classify_response(429, &h, body),
            limited(Duration::from_secs(3), true)
        );
        let h = headers(&[("retry-after", "2")]);
        assert_eq!(
            classify_response(429, &h, body),
            limited(Duration::from_secs(2), false)
        );
    }

    #[test]
    fn a_429_that_is_not_discords_json_is_global() {
        // Cloudflare's HTML page: the limit applies to the whole address.
        let h = headers(&[("retry-after", "5")]);
        assert_eq!(
            classify_response(429, &h, b"<html>1015</html>"),
            limited(Duration::from_secs(5), true)
        );
        assert_eq!(
            classify_response(429, &HeaderMap::new(), b""),
            limited(DEFAULT_RETRY_AFTER, true)
        );
    }

    #[test]
    fn absurd_waits_are_capped_or_ignored() {
        let body = br#"{"message":"x","retry_after":1e300,"global":false}"#;
        assert_eq!(
            classify_response(429, &HeaderMap::new(), body),
            limited(MAX_RETRY_AFTER, false)
        );
        let body = br#"{"message":"x","retry_after":-4,"global":false}"#;
        let h = headers(&[("retry-after", "soon")]);
        assert_eq!(
            classify_response(429, &h, body),
            limited(DEFAULT_RETRY_AFTER, false)
        );
    }

    #[test]
    fn other_statuses() {
        let none = HeaderMap::new();
        let gone = br#"{"message":"Missing Access","code":50001}"#;
        assert_eq!(
            classify_response(403, &none, gone),
            PostError::ChannelGone("403 Missing Access (code 50001)".into())
        );
        assert!(matches!(
            classify_response(404, &none, br#"{"message":"Unknown Channel","code":10003}"#),
            PostError::ChannelGone(_)
        ));
        assert_eq!(
            classify_response(502, &none, b"<html>502 Bad Gateway</html>"),
            PostError::Transient("502 (no JSON body) (code 0)".into())
        );
        assert!(matches!(
            classify_response(400, &none, br#"{"message":"Invalid Form Body","code":50035}"#),
            PostError::Rejected(m) if m.contains("50035")
        ));
    }
}
