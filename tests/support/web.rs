//! A local web server on 127.0.0.1 for the feed and page tests: it serves the fixtures of
//! `tests/fixtures/web/` (with `{{BASE}}` replaced by its own origin and the content types of
//! `expected.toml`), a feed the test can change while the bot runs (with ETag and
//! Last-Modified, answering 304 to a matching conditional GET), and the bad cases: any status
//! (429/503 with `Retry-After`), a 50 MB body, a body that stalls half-way, a redirect loop,
//! a feed of 10,000 items, duplicate guids, items without links or dates, and gzip and
//! brotli bodies. It counts requests.
//! The server stops when the [`WebServer`] is dropped (or with the test's runtime).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The fixtures folder.
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/web");

#[derive(Default)]
struct Shared {
    base: String,
    /// The live feed: (body, version number).
    live: Mutex<(String, u64)>,
    requests: AtomicU64,
    live_requests: AtomicU64,
    not_modified: AtomicU64,
    user_agent: Mutex<Option<String>>,
}

/// The running server.
pub struct WebServer {
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WebServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl WebServer {
    /// Starts on a free port of 127.0.0.1.
    pub async fn start() -> WebServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let shared = Arc::new(Shared {
            base,
            ..Shared::default()
        });
        let app = Router::new()
            .route("/fixtures/{file}", get(fixture))
            .route("/live.xml", get(live))
            .route("/status/{code}", get(status))
            .route("/big", get(big))
            .route("/stall", get(stall))
            .route("/loop", get(|| async { redirect("/loop") }))
            .route("/many.xml", get(many))
            .route("/gzip.xml", get(gzip))
            .route("/brotli.xml", get(brotli))
            .route("/odd.xml", get(odd))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        WebServer { shared, task }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        &self.shared.base
    }

    /// The URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.shared.base)
    }

    /// Sets the live feed's items (title, guid, body HTML) — a new version (new ETag).
    pub fn set_live(&self, items: &[(&str, &str, &str)]) {
        let mut live = self.shared.live.lock().unwrap();
        live.1 += 1;
        live.0 = rss(items);
    }

    /// Requests served so far (all paths).
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Requests of the live feed so far.
    pub fn live_requests(&self) -> u64 {
        self.shared.live_requests.load(Ordering::SeqCst)
    }

    /// The User-Agent of the last request of the live feed.
    pub fn user_agent(&self) -> Option<String> {
        self.shared.user_agent.lock().unwrap().clone()
    }

    /// 304 answers of the live feed so far.
    pub fn not_modified(&self) -> u64 {
        self.shared.not_modified.load(Ordering::SeqCst)
    }
}

/// An RSS 2.0 document with these (title, guid, description HTML) items.
pub fn rss(items: &[(&str, &str, &str)]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Test feed</title><link>http://127.0.0.1/</link><description>t</description>\n",
    );
    for (title, guid, html) in items {
        // A guid that is a URL is also the link.
        let link = if guid.starts_with("http") {
            guid.to_string()
        } else {
            format!("http://127.0.0.1/a/{guid}")
        };
        out.push_str(&format!(
            "<item><title>{}</title><guid isPermaLink=\"false\">{}</guid>\
             <link>{}</link><pubDate>Wed, 11 Mar 2026 10:00:00 GMT</pubDate>\
             <description>{}</description></item>\n",
            xml_escape(title),
            xml_escape(guid),
            xml_escape(&link),
            xml_escape(html)
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Item HTML with the three sections, as lead-ins.
pub fn sectioned(news: &str) -> String {
    format!(
        "<p>{news}</p><p><strong>Why it matters:</strong> It changes things for many people.</p>\
         <p><strong>What's next:</strong> A decision is expected next week.</p>"
    )
}

fn count(s: &Shared) {
    s.requests.fetch_add(1, Ordering::SeqCst);
}

fn content_type(file: &str) -> &'static str {
    match file {
        "feed.rss.xml" => "application/rss+xml; charset=utf-8",
        "feed-iso8859.xml" => "application/rss+xml; charset=ISO-8859-1",
        "feed.atom.xml" => "application/atom+xml",
        "feed.json" => "application/feed+json",
        "broken.xml" => "application/rss+xml",
        _ => "text/html; charset=utf-8",
    }
}

/// Replaces `{{BASE}}` in the raw bytes (Latin-1 files stay Latin-1).
fn with_base(bytes: &[u8], base: &str) -> Vec<u8> {
    let marker = b"{{BASE}}";
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(marker) {
            out.extend_from_slice(base.as_bytes());
            i += marker.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// A fixture's bytes as served (with the base filled in).
pub fn fixture_bytes(file: &str, base: &str) -> Vec<u8> {
    let raw = std::fs::read(format!("{FIXTURES}/{file}")).expect("fixture exists");
    with_base(&raw, base)
}

async fn fixture(State(s): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    count(&s);
    // `error.html` is served with its status; `/fixtures/error-200.html` serves it as 200.
    let (name, code) = match file.as_str() {
        "error.html" => ("error.html", StatusCode::SERVICE_UNAVAILABLE),
        "error-200.html" => ("error.html", StatusCode::OK),
        other => (other, StatusCode::OK),
    };
    if name.contains('/') || !std::path::Path::new(&format!("{FIXTURES}/{name}")).exists() {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        code,
        [(header::CONTENT_TYPE, content_type(name))],
        fixture_bytes(name, &s.base),
    )
        .into_response()
}

async fn live(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    count(&s);
    s.live_requests.fetch_add(1, Ordering::SeqCst);
    *s.user_agent.lock().unwrap() = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (body, version) = s.live.lock().unwrap().clone();
    let etag = format!("\"v{version}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        s.not_modified.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml".to_owned()),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

async fn status(State(s): State<Arc<Shared>>, Path(code): Path<u16>) -> Response {
    count(&s);
    let code = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    let mut r = (code, "status page").into_response();
    if matches!(code.as_u16(), 429 | 503) {
        r.headers_mut()
            .insert(header::RETRY_AFTER, "120".parse().unwrap());
    }
    r
}

/// 50 MB of XML-looking bytes, streamed, with no Content-Length.
async fn big(State(s): State<Arc<Shared>>) -> Response {
    count(&s);
    let chunk = bytes_of(
        b"<!-- padding padding padding padding padding padding -->\n",
        64 * 1024,
    );
    let stream =
        futures_util::stream::iter((0..800).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    (
        [(header::CONTENT_TYPE, "application/rss+xml")],
        Body::from_stream(stream),
    )
        .into_response()
}

fn bytes_of(pattern: &[u8], len: usize) -> axum::body::Bytes {
    axum::body::Bytes::from(
        pattern
            .iter()
            .copied()
            .cycle()
            .take(len)
            .collect::<Vec<u8>>(),
    )
}

/// Sends half a feed, then nothing (the connection stays open).
async fn stall(State(s): State<Arc<Shared>>) -> Response {
    count(&s);
    let first = axum::body::Bytes::from_static(
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Slow</title>",
    );
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) }).chain(
        futures_util::stream::once(async {
            std::future::pending::<()>().await;
            Ok(axum::body::Bytes::new())
        }),
    );
    (
        [(header::CONTENT_TYPE, "application/rss+xml")],
        Body::from_stream(stream),
    )
        .into_response()
}

use futures_util::StreamExt as _;

fn redirect(to: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_owned())]).into_response()
}

/// The RSS fixture, gzip-compressed (`Content-Encoding: gzip`).
async fn gzip(State(s): State<Arc<Shared>>) -> Response {
    use std::io::Write as _;
    count(&s);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&fixture_bytes("feed.rss.xml", &s.base))
        .expect("gzip");
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml"),
            (header::CONTENT_ENCODING, "gzip"),
        ],
        enc.finish().expect("gzip"),
    )
        .into_response()
}

/// The RSS fixture, brotli-compressed (`Content-Encoding: br`).
async fn brotli(State(s): State<Arc<Shared>>) -> Response {
    use std::io::Write as _;
    count(&s);
    let mut body = Vec::new();
    {
        let mut enc = brotli::CompressorWriter::new(&mut body, 4096, 9, 22);
        enc.write_all(&fixture_bytes("feed.rss.xml", &s.base))
            .expect("brotli");
    }
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml"),
            (header::CONTENT_ENCODING, "br"),
        ],
        body,
    )
        .into_response()
}

/// 10,000 items, each with sections.
async fn many(State(s): State<Arc<Shared>>) -> Response {
    count(&s);
    let items: Vec<(String, String, String)> = (0..10_000)
        .map(|i| {
            (
                format!("Item number {i}"),
                format!("many-{i}"),
                sectioned(&format!("Event {i} took place.")),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    ([(header::CONTENT_TYPE, "application/rss+xml")], rss(&refs)).into_response()
}

/// Duplicate guids, an item without a link or a date, an item with only a link.
async fn odd(State(s): State<Arc<Shared>>) -> Response {
    count(&s);
    let body = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Odd</title>\
         <item><title>First of two</title><guid>dup</guid><description>{a}</description></item>\
         <item><title>Second of two</title><guid>dup</guid><description>{b}</description></item>\
         <item><title>Only a link</title><link>http://127.0.0.1/only-link</link><description>{c}</description></item>\
         </channel></rss>",
        a = xml_escape(&sectioned("The first one happened.")),
        b = xml_escape(&sectioned("The second one happened.")),
        c = xml_escape(&sectioned("The linked one happened.")),
    );
    ([(header::CONTENT_TYPE, "application/rss+xml")], body).into_response()
}
