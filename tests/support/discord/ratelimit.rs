//! Discord's REST rate limiting, as the stand-in enforces it: fixed-window buckets per route
//! (+ major parameter), a global per-second limit across non-interaction routes, the
//! `x-ratelimit-*` headers on every response, and 429 bodies/headers shaped like Discord's.
//! A test can also inject a global 429 ([`RateLimiter::inject_global`]): the next
//! non-interaction request starts a global limit of a given length, during which every
//! non-interaction request is refused (whether or not limits are enforced).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

/// Limits of one route bucket.
#[derive(Clone, Debug)]
pub struct RouteLimit {
    /// Bucket name (route template + method); hashed into `x-ratelimit-bucket`.
    pub bucket: String,
    /// Major parameter value (channel id, guild id, webhook id…), or "" if none.
    pub major: String,
    /// Requests allowed per window.
    pub limit: u32,
    /// Window length.
    pub window: Duration,
    /// Interaction endpoints are not bound by the global limit.
    pub global_exempt: bool,
}

/// Outcome of a rate-limit check.
pub enum Verdict {
    /// Go ahead; attach these headers to the response.
    Allowed(Vec<(&'static str, String)>),
    /// Answer 429 with these headers and body.
    Limited(Vec<(&'static str, String)>, Value),
}

#[derive(Default)]
struct Window {
    started: Option<Instant>,
    used: u32,
}

impl Window {
    /// Starts a new window if the current one is over; returns the time left in it.
    fn roll(&mut self, now: Instant, len: Duration) -> Duration {
        match self.started {
            Some(s) if now.duration_since(s) < len => len - now.duration_since(s),
            _ => {
                self.started = Some(now);
                self.used = 0;
                len
            }
        }
    }
}

/// Global knobs (copied from the stand-in config).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Enforce limits (otherwise only headers are sent).
    pub enabled: bool,
    /// Global requests per second.
    pub global_per_second: u32,
}

/// All buckets of one stand-in.
#[derive(Default)]
pub struct RateLimiter {
    global: Window,
    buckets: HashMap<(String, String), Window>,
    /// An injected global limit, armed until the next non-interaction request.
    armed_global: Option<Duration>,
    /// The end of an injected global limit in force.
    global_until: Option<Instant>,
}

fn secs(d: Duration) -> String {
    // Round up to the millisecond so a client sleeping this long never arrives early.
    let ms = d.as_nanos().div_ceil(1_000_000);
    format!("{:.3}", ms as f64 / 1000.0)
}

fn bucket_hash(name: &str) -> String {
    let mut h = DefaultHasher::new();
    name.hash(&mut h);
    let a = h.finish();
    "standin".hash(&mut h);
    format!("{a:016x}{:016x}", h.finish())
}

fn retry_after_header(d: Duration) -> String {
    // Discord's Retry-After header is whole seconds, rounded up.
    d.as_secs_f64().ceil().max(1.0).to_string()
}

/// Discord's answer to a request made during a global limit with `left` to run.
fn global_429(left: Duration) -> Verdict {
    let headers = vec![
        ("retry-after", retry_after_header(left)),
        ("x-ratelimit-global", "true".to_string()),
        ("x-ratelimit-scope", "global".to_string()),
    ];
    let body = json!({
        "message": "You are being rate limited.",
        "retry_after": secs(left).parse::<f64>().unwrap(),
        "global": true,
    });
    Verdict::Limited(headers, body)
}

impl RateLimiter {
    /// Arms a global limit of `retry_after`: the next non-interaction request starts it and
    /// gets a global 429 (`retry_after` in the body, rounded up in `Retry-After`), as does
    /// every non-interaction request until it ends.
    pub fn inject_global(&mut self, retry_after: Duration) {
        self.armed_global = Some(retry_after);
    }

    /// Counts one request against the global and route limits.
    pub fn check(&mut self, settings: &Settings, route: &RouteLimit, now: Instant) -> Verdict {
        if !route.global_exempt {
            if let Some(len) = self.armed_global.take() {
                self.global_until = Some(now + len);
            }
            if let Some(until) = self.global_until {
                if now < until {
                    return global_429(until - now);
                }
                self.global_until = None;
            }
        }
        if settings.enabled && !route.global_exempt {
            let left = self.global.roll(now, Duration::from_secs(1));
            if self.global.used >= settings.global_per_second {
                return global_429(left);
            }
            self.global.used += 1;
        }

        let key = (route.bucket.clone(), route.major.clone());
        let w = self.buckets.entry(key).or_default();
        let left = w.roll(now, route.window);
        let reset_at = SystemTime::now() + left;
        let reset_epoch = reset_at.duration_since(UNIX_EPOCH).unwrap();
        let mut headers = vec![
            ("x-ratelimit-limit", route.limit.to_string()),
            ("x-ratelimit-reset", secs(reset_epoch)),
            ("x-ratelimit-reset-after", secs(left)),
            ("x-ratelimit-bucket", bucket_hash(&route.bucket)),
        ];
        if !settings.enabled {
            headers.push((
                "x-ratelimit-remaining",
                route.limit.saturating_sub(1).to_string(),
            ));
            return Verdict::Allowed(headers);
        }
        if w.used >= route.limit {
            headers.push(("x-ratelimit-remaining", "0".to_string()));
            headers.push(("retry-after", retry_after_header(left)));
            headers.push(("x-ratelimit-scope", "user".to_string()));
            let body = json!({
                "message": "You are being rate limited.",
                "retry_after": secs(left).parse::<f64>().unwrap(),
                "global": false,
            });
            return Verdict::Limited(headers, body);
        }
        w.used += 1;
        headers.push(("x-ratelimit-remaining", (route.limit - w.used).to_string()));
        Verdict::Allowed(headers)
    }
}
