//! HTTP for feeds and pages, the way careful feed readers do it: one shared [`Fetcher`]
//! (reqwest over rustls) with connect and total timeouts, at most [`MAX_REDIRECTS`]
//! redirects, gzip and brotli, a User-Agent naming the bot, conditional GET (ETag /
//! If-Modified-Since, so an unchanged feed costs a 304), a size cap enforced on the bytes
//! actually read (after decompression, so a compressed bomb stops too), and [`FetchError`]s
//! that say what went wrong and whether to back off (`Retry-After` on 429/503) or give up
//! (404/410). Bodies in charsets other than UTF-8 are decoded by [`decode`] (encoding_rs).
//!
//! Scheduling (intervals, backoff with jitter, disabling) is [`super::web`]'s business.

use reqwest::header::{self, HeaderMap, HeaderValue};
use std::time::Duration;

/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!(
    "briefbot/",
    env!("CARGO_PKG_VERSION"),
    " (news brief Discord bot; feed reader)"
);

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;

/// Knobs of the HTTP client.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Time to establish a connection (TCP + TLS).
    pub connect_timeout: Duration,
    /// Time for the whole request, body included.
    pub total_timeout: Duration,
    /// Largest body accepted, in bytes (decompressed).
    pub max_bytes: u64,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_bytes: 8 * 1024 * 1024,
        }
    }
}

/// Cache validators from the last successful response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// A successful response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304: nothing changed since the validators were issued.
    NotModified,
    /// A body.
    Body(Body),
}

/// A response body with what is needed to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The bytes (decompressed).
    pub bytes: Vec<u8>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The URL after redirects.
    pub url: String,
    /// Validators for the next request.
    pub validators: Validators,
}

impl Body {
    /// The body as text (see [`decode`]).
    pub fn text(&self) -> String {
        decode(&self.bytes, self.content_type.as_deref())
    }
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The server did not answer (or finish answering) in time.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// No connection (refused, DNS, TLS handshake…); the message has the cause.
    #[error("cannot connect: {0}")]
    Connect(String),
    /// More than [`MAX_REDIRECTS`] redirects (or a loop).
    #[error("too many redirects (more than {MAX_REDIRECTS})")]
    Redirects,
    /// The body is larger than the cap.
    #[error("response larger than {max} bytes")]
    TooLarge {
        /// The cap.
        max: u64,
    },
    /// An HTTP error status.
    #[error("HTTP {code}{}", retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default())]
    Status {
        /// The status code.
        code: u16,
        /// `Retry-After` (429, 503), when given.
        retry_after: Option<Duration>,
    },
    /// The connection broke while reading.
    #[error("reading the response failed: {0}")]
    Body(String),
}

impl FetchError {
    /// 404 or 410: the address is gone (repeated, the source is disabled).
    pub fn is_gone(&self) -> bool {
        matches!(
            self,
            FetchError::Status {
                code: 404 | 410,
                ..
            }
        )
    }

    /// How long the server asked us to wait.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The shared HTTP client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    opts: FetchOptions,
}

impl Fetcher {
    /// A client with these options.
    pub fn new(opts: FetchOptions) -> Fetcher {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.total_timeout)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .gzip(true)
            .brotli(true)
            .build()
            .expect("the HTTP client's TLS backend initializes");
        Fetcher { client, opts }
    }

    /// The options.
    pub fn options(&self) -> &FetchOptions {
        &self.opts
    }

    /// GETs `url`, conditionally when `validators` are given.
    pub async fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static(
                "application/rss+xml, application/atom+xml, application/feed+json, \
                 application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, \
                 text/html;q=0.8, */*;q=0.5",
            ),
        );
        if let Some(v) = validators
            .etag
            .as_deref()
            .and_then(|e| HeaderValue::from_str(e).ok())
        {
            headers.insert(header::IF_NONE_MATCH, v);
        }
        if let Some(v) = validators
            .last_modified
            .as_deref()
            .and_then(|e| HeaderValue::from_str(e).ok())
        {
            headers.insert(header::IF_MODIFIED_SINCE, v);
        }
        let mut response = self
            .client
            .get(url)
            .headers(headers)
            .send()
            .await
            .map_err(|e| self.classify(e))?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                code: status.as_u16(),
                retry_after: retry_after(response.headers()),
            });
        }
        let max = self.opts.max_bytes;
        if response.content_length().is_some_and(|n| n > max) {
            return Err(FetchError::TooLarge { max });
        }
        let text_header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = text_header(header::CONTENT_TYPE);
        let validators = Validators {
            etag: text_header(header::ETAG),
            last_modified: text_header(header::LAST_MODIFIED),
        };
        let final_url = response.url().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(e))? {
            if (bytes.len() + chunk.len()) as u64 > max {
                return Err(FetchError::TooLarge { max });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body(Body {
            bytes,
            content_type,
            url: final_url,
            validators,
        }))
    }

    fn classify(&self, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout(self.opts.total_timeout)
        } else if e.is_redirect() {
            FetchError::Redirects
        } else if e.is_connect() {
            FetchError::Connect(chain(&e))
        } else if e.is_body() || e.is_decode() {
            FetchError::Body(chain(&e))
        } else {
            FetchError::Connect(chain(&e))
        }
    }
}

/// An error and its causes, joined (reqwest's own message alone is vague).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let s = c.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        cur = c.source();
    }
    out
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let secs = (when.timestamp() - chrono::Utc::now().timestamp()).max(0);
    Some(Duration::from_secs(secs as u64))
}

/// Bytes as text: the charset of the `Content-Type` header, else of a byte-order mark, an XML
/// declaration (`encoding="…"`) or an HTML `<meta charset>`, else UTF-8 (invalid sequences
/// replaced).
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    let from_header = content_type
        .and_then(|ct| {
            ct.split(';')
                .filter_map(|p| p.trim().split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
                .map(|(_, v)| v.trim().trim_matches('"').to_owned())
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    let encoding = from_header
        .or_else(|| encoding_rs::Encoding::for_bom(bytes).map(|(e, _)| e))
        .or_else(|| sniff_declared(bytes))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// The charset declared in the first 1,024 bytes: `encoding="…"` (XML) or `charset=…` (HTML).
fn sniff_declared(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    for key in ["encoding=", "charset="] {
        if let Some(i) = head.find(key) {
            let rest = head[i + key.len()..].trim_start_matches(['"', '\'']);
            let label: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect();
            if let Some(e) = encoding_rs::Encoding::for_label(label.as_bytes()) {
                return Some(e);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_is_decoded_from_the_header_or_the_xml_declaration() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>Caf\xe9 \xa338</t>";
        assert!(decode(bytes, None).contains("Café £38"));
        assert!(decode(bytes, Some("text/xml; charset=iso-8859-1")).contains("Café £38"));
        assert_eq!(decode("naïve".as_bytes(), Some("text/html")), "naïve");
    }

    #[test]
    fn retry_after_reads_seconds() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("120"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(120)));
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }
}
