//! The REST half: one axum fallback handler that routes `/api/v10/...` itself, so every
//! request goes through the same pipeline — route → rate limit → injected 5xx burst → auth →
//! channel faults → body validation → endpoint — and is recorded with its status and
//! problems; a stalled answer ([`ChannelFault::Stall`]) is held back after it is recorded.
//! The endpoints themselves live in `endpoints`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};

use super::endpoints::endpoint;
use super::ratelimit::{RouteLimit, Settings, Verdict};
use super::state::{CallbackRecord, ChannelFault, RecordedRequest, ServerErrors, Shared, State};
use super::validate::{self, BodyKind};

/// How long interaction tokens stay valid for follow-ups and edits.
pub(super) const TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

#[derive(Clone)]
struct Ctx {
    shared: Arc<Shared>,
    scheme: &'static str,
}

/// The router serving the REST API (the same for the HTTP and HTTPS listeners).
pub fn router(shared: Arc<Shared>, scheme: &'static str) -> Router {
    Router::new()
        .fallback(handle)
        .with_state(Ctx { shared, scheme })
}

/// An answer before it becomes an axum response.
pub(super) struct Reply {
    status: u16,
    body: Option<Value>,
    html: Option<String>,
    headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub(super) fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body: Some(body),
            html: None,
            headers: Vec::new(),
        }
    }
    pub(super) fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: None,
            html: None,
            headers: Vec::new(),
        }
    }
    pub(super) fn error(status: u16, message: &str, code: u64) -> Reply {
        Reply::json(status, json!({"message": message, "code": code}))
    }
    fn invalid_form(errors: &[String]) -> Reply {
        let errs: Vec<Value> = errors
            .iter()
            .map(|m| json!({"code": "STANDIN_VALIDATION", "message": m}))
            .collect();
        Reply::json(
            400,
            json!({"message": "Invalid Form Body", "code": 50035, "errors": {"_errors": errs}}),
        )
    }
    fn not_found() -> Reply {
        Reply::error(404, "404: Not Found", 0)
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = match (self.body, self.html) {
            (Some(b), _) => (
                status,
                [("content-type", "application/json")],
                b.to_string(),
            )
                .into_response(),
            (None, Some(h)) => (status, [("content-type", "text/html")], h).into_response(),
            (None, None) => status.into_response(),
        };
        for (k, v) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&v) {
                resp.headers_mut().insert(k, v);
            }
        }
        resp
    }
}

/// Endpoints the stand-in implements.
#[derive(Clone, Debug)]
pub(super) enum Ep {
    Gateway,
    GatewayBot,
    UsersMe,
    AppMe,
    Commands {
        app: u64,
        guild: Option<u64>,
    },
    Command {
        app: u64,
        guild: Option<u64>,
        cmd: u64,
    },
    Callback {
        iid: u64,
        token: String,
    },
    WebhookMessage {
        app: u64,
        token: String,
        msg: Option<u64>,
    },
    Followup {
        app: u64,
        token: String,
    },
    ChannelMessages {
        ch: u64,
    },
    ChannelMessage {
        ch: u64,
        msg: u64,
    },
    Channel {
        ch: u64,
    },
}

fn id(s: &str, field: &str) -> Result<u64, Reply> {
    s.parse::<u64>().map_err(|_| {
        Reply::json(
            400,
            json!({"message": "Invalid Form Body", "code": 50035, "errors": {field: {"_errors": [
                {"code": "NUMBER_TYPE_COERCE", "message": format!("Value \"{s}\" is not snowflake.")}
            ]}}}),
        )
    })
}

/// Maps path segments (after `/api/v10/`) to an endpoint and the spec's path template.
fn parse(segs: &[&str]) -> Result<Option<(Ep, &'static str)>, Reply> {
    Ok(Some(match segs {
        ["gateway"] => (Ep::Gateway, "/gateway"),
        ["gateway", "bot"] => (Ep::GatewayBot, "/gateway/bot"),
        ["users", "@me"] => (Ep::UsersMe, "/users/@me"),
        ["oauth2", "applications", "@me"] => (Ep::AppMe, "/oauth2/applications/@me"),
        ["applications", a, "commands"] => (
            Ep::Commands {
                app: id(a, "application_id")?,
                guild: None,
            },
            "/applications/{application_id}/commands",
        ),
        ["applications", a, "commands", c] => (
            Ep::Command {
                app: id(a, "application_id")?,
                guild: None,
                cmd: id(c, "command_id")?,
            },
            "/applications/{application_id}/commands/{command_id}",
        ),
        ["applications", a, "guilds", g, "commands"] => (
            Ep::Commands {
                app: id(a, "application_id")?,
                guild: Some(id(g, "guild_id")?),
            },
            "/applications/{application_id}/guilds/{guild_id}/commands",
        ),
        ["applications", a, "guilds", g, "commands", c] => (
            Ep::Command {
                app: id(a, "application_id")?,
                guild: Some(id(g, "guild_id")?),
                cmd: id(c, "command_id")?,
            },
            "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}",
        ),
        ["interactions", i, t, "callback"] => (
            Ep::Callback {
                iid: id(i, "interaction_id")?,
                token: t.to_string(),
            },
            "/interactions/{interaction_id}/{interaction_token}/callback",
        ),
        ["webhooks", a, t] => (
            Ep::Followup {
                app: id(a, "webhook_id")?,
                token: t.to_string(),
            },
            "/webhooks/{webhook_id}/{webhook_token}",
        ),
        ["webhooks", a, t, "messages", "@original"] => (
            Ep::WebhookMessage {
                app: id(a, "webhook_id")?,
                token: t.to_string(),
                msg: None,
            },
            "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
        ),
        ["webhooks", a, t, "messages", m] => (
            Ep::WebhookMessage {
                app: id(a, "webhook_id")?,
                token: t.to_string(),
                msg: Some(id(m, "message_id")?),
            },
            "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
        ),
        ["channels", c] => (
            Ep::Channel {
                ch: id(c, "channel_id")?,
            },
            "/channels/{channel_id}",
        ),
        ["channels", c, "messages"] => (
            Ep::ChannelMessages {
                ch: id(c, "channel_id")?,
            },
            "/channels/{channel_id}/messages",
        ),
        ["channels", c, "messages", m] => (
            Ep::ChannelMessage {
                ch: id(c, "channel_id")?,
                msg: id(m, "message_id")?,
            },
            "/channels/{channel_id}/messages/{message_id}",
        ),
        _ => return Ok(None),
    }))
}

fn method_allowed(ep: &Ep, m: &Method) -> bool {
    let allowed: &[Method] = match ep {
        Ep::Gateway | Ep::GatewayBot | Ep::UsersMe | Ep::AppMe | Ep::Channel { .. } => {
            &[Method::GET]
        }
        Ep::Commands { .. } => &[Method::GET, Method::PUT, Method::POST],
        Ep::Command { .. } => &[Method::GET, Method::DELETE],
        Ep::Callback { .. } | Ep::Followup { .. } => &[Method::POST],
        Ep::WebhookMessage { .. } | Ep::ChannelMessage { .. } => {
            &[Method::GET, Method::PATCH, Method::DELETE]
        }
        Ep::ChannelMessages { .. } => &[Method::GET, Method::POST],
    };
    allowed.contains(m)
}

/// Interaction endpoints authenticate by the token in the path, not the bot token.
fn token_in_path(ep: &Ep) -> bool {
    matches!(
        ep,
        Ep::Callback { .. } | Ep::WebhookMessage { .. } | Ep::Followup { .. }
    )
}

fn route_limit(shared: &Shared, ep: &Ep, method: &Method, template: &str) -> RouteLimit {
    let cfg = &shared.cfg;
    let major = match ep {
        Ep::ChannelMessages { ch } | Ep::ChannelMessage { ch, .. } | Ep::Channel { ch } => {
            ch.to_string()
        }
        Ep::Commands { guild: Some(g), .. } | Ep::Command { guild: Some(g), .. } => g.to_string(),
        Ep::Commands { app, .. } | Ep::Command { app, .. } => app.to_string(),
        Ep::Callback { iid, .. } => iid.to_string(),
        Ep::WebhookMessage { app, token, .. } | Ep::Followup { app, token } => {
            format!("{app}/{token}")
        }
        _ => String::new(),
    };
    let (limit, window) = match ep {
        Ep::ChannelMessages { .. } if method == Method::POST => {
            (cfg.per_channel, cfg.per_channel_window)
        }
        _ => (cfg.route_limit, cfg.route_window),
    };
    RouteLimit {
        bucket: format!("{method} {template}"),
        major,
        limit,
        window,
        global_exempt: token_in_path(ep),
    }
}

pub(super) fn query_map(q: Option<&str>) -> HashMap<String, String> {
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

async fn handle(
    AxState(ctx): AxState<Ctx>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let arrived = Instant::now();
    let mut rec = RecordedRequest {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: uri.query().map(str::to_string),
        route: String::new(),
        scheme: ctx.scheme,
        body: None,
        status: 0,
        problems: Vec::new(),
        at: arrived,
        held: None,
    };
    let req = Incoming {
        method: &method,
        uri: &uri,
        headers: &headers,
        body: &body,
        arrived,
    };
    let reply = process(&ctx.shared, &req, &mut rec);
    rec.status = reply.status;
    let held = rec.held;
    {
        let mut st = ctx.shared.lock();
        if reply.status == 429 {
            st.count_429 += 1;
        }
        st.requests.push(rec);
    }
    ctx.shared.bump();
    if let Some(hold) = held {
        // The work is done and recorded; only the answer is late (or never comes).
        let mut stop = ctx.shared.shutdown.subscribe();
        tokio::select! {
            () = tokio::time::sleep(hold) => {}
            _ = stop.wait_for(|s| *s) => {}
        }
    }
    reply.into_response()
}

fn parse_body(
    headers: &HeaderMap,
    body: &Bytes,
    rec: &mut RecordedRequest,
) -> Result<Option<Value>, Reply> {
    if body.is_empty() {
        return Ok(None);
    }
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.starts_with("multipart/") {
        rec.problems
            .push("stand-in: multipart bodies (file uploads) are not supported".into());
        return Err(Reply::error(
            400,
            "stand-in does not support multipart bodies",
            0,
        ));
    }
    if !ct.starts_with("application/json") {
        rec.problems.push(format!(
            "body sent with content-type {ct:?}, expected application/json"
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => Ok(Some(v)),
        Err(e) => {
            rec.problems.push(format!("body is not valid JSON: {e}"));
            Err(Reply::error(
                400,
                "The request body contains invalid JSON.",
                50109,
            ))
        }
    }
}

fn authorized(shared: &Shared, st: &State, headers: &HeaderMap, ep: &Ep) -> bool {
    let header = headers.get("authorization").and_then(|v| v.to_str().ok());
    let good =
        |h: &str| st.token_valid && h.strip_prefix("Bot ") == Some(shared.cfg.token.as_str());
    match header {
        None => token_in_path(ep),
        Some(h) => good(h),
    }
}

fn channel_gate(st: &mut State, ch: u64, rec: &mut RecordedRequest) -> Option<Reply> {
    let Some(c) = st.channels.get_mut(&ch) else {
        return Some(Reply::error(404, "Unknown Channel", 10003));
    };
    match c.fault.clone() {
        None => None,
        Some(ChannelFault::MissingAccess) => Some(Reply::error(403, "Missing Access", 50001)),
        Some(ChannelFault::UnknownChannel) => Some(Reply::error(404, "Unknown Channel", 10003)),
        Some(ChannelFault::ServerError { status, count }) => {
            c.fault = (count > 1).then_some(ChannelFault::ServerError {
                status,
                count: count - 1,
            });
            Some(server_error(status))
        }
        Some(ChannelFault::Stall { hold, count }) => {
            c.fault = (count > 1).then_some(ChannelFault::Stall {
                hold,
                count: count - 1,
            });
            rec.held = Some(hold);
            None
        }
    }
}

/// A 5xx as Discord sends it: Cloudflare's HTML page for 502, JSON otherwise.
fn server_error(status: u16) -> Reply {
    if status == 502 {
        Reply {
            status,
            body: None,
            html: Some(
                "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
                    .to_string(),
            ),
            headers: Vec::new(),
        }
    } else {
        Reply::error(status, &format!("{status}: Internal Server Error"), 0)
    }
}

/// Takes one request out of an injected 5xx burst, if one is running.
fn burst_gate(st: &mut State) -> Option<Reply> {
    let burst = st.server_errors.take()?;
    if burst.count > 1 {
        st.server_errors = Some(ServerErrors {
            status: burst.status,
            count: burst.count - 1,
        });
    }
    Some(server_error(burst.status))
}

/// What the body of a request to `ep` is validated as, if it carries one.
fn body_kind(ep: &Ep, method: &Method, interaction_type: u8) -> Option<BodyKind> {
    Some(match (ep, method.as_str()) {
        (Ep::ChannelMessages { .. }, "POST") => BodyKind::MessageCreate,
        (Ep::ChannelMessage { .. }, "PATCH") => BodyKind::MessageEdit,
        (Ep::Followup { .. }, "POST") => BodyKind::WebhookExecute,
        (Ep::WebhookMessage { .. }, "PATCH") => BodyKind::WebhookEdit,
        (Ep::Callback { .. }, "POST") => BodyKind::Callback(interaction_type),
        (Ep::Commands { .. }, "PUT") => BodyKind::CommandsBulk,
        (Ep::Commands { .. }, "POST") => BodyKind::CommandCreate,
        _ => return None,
    })
}

/// The parts of a request the pipeline needs.
struct Incoming<'a> {
    method: &'a Method,
    uri: &'a Uri,
    headers: &'a HeaderMap,
    body: &'a Bytes,
    arrived: Instant,
}

/// Maps the path to an endpoint; unknown paths give the reply Discord would send.
fn route(path: &str, rec: &mut RecordedRequest) -> Result<(Ep, &'static str), Reply> {
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        if path.starts_with("/api/") {
            rec.problems.push(format!(
                "request to {path}: the bot must use API v10 (/api/v10/...)"
            ));
        }
        return Err(Reply::not_found());
    };
    let segs: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let (ep, template) = parse(&segs)?.ok_or_else(Reply::not_found)?;
    rec.route = template.to_string();
    if !validate::spec_has_path(template) {
        rec.problems.push(format!(
            "stand-in: route template {template} is not in the spec"
        ));
    }
    Ok((ep, template))
}

/// Rate limiting first (every request counts, routed or not), then the endpoint pipeline;
/// the bucket's headers go on every reply except Cloudflare's HTML 502.
fn process(shared: &Shared, req: &Incoming<'_>, rec: &mut RecordedRequest) -> Reply {
    let routed = route(req.uri.path(), rec);
    let limit = match &routed {
        Ok((ep, template)) => route_limit(shared, ep, req.method, template),
        Err(_) => RouteLimit {
            bucket: format!("{} (unknown route)", req.method),
            major: String::new(),
            limit: shared.cfg.route_limit,
            window: shared.cfg.route_window,
            global_exempt: false,
        },
    };
    let settings = Settings {
        enabled: shared.cfg.rate_limits,
        global_per_second: shared.cfg.global_per_second,
    };
    let verdict = shared.lock().limiter.check(&settings, &limit, req.arrived);
    let rl_headers = match verdict {
        Verdict::Allowed(h) => h,
        Verdict::Limited(h, b) => {
            return Reply {
                headers: h,
                ..Reply::json(429, b)
            }
        }
    };
    if let Some(reply) = burst_gate(&mut shared.lock()) {
        return reply;
    }
    let mut reply = match routed {
        Ok((ep, template)) => routed_request(shared, &ep, template, req, rec),
        Err(reply) => reply,
    };
    if reply.html.is_none() {
        reply.headers.extend(rl_headers);
    }
    reply
}

/// Method check → body → auth → channel faults / callback checks → validation → endpoint.
fn routed_request(
    shared: &Shared,
    ep: &Ep,
    template: &str,
    req: &Incoming<'_>,
    rec: &mut RecordedRequest,
) -> Reply {
    let (method, arrived) = (req.method, req.arrived);
    if !method_allowed(ep, method) {
        return Reply::error(405, "405: Method Not Allowed", 0);
    }
    let body = match parse_body(req.headers, req.body, rec) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    rec.body = body.clone();

    // Phase 1 (locked): auth, faults, interaction pre-checks.
    let interaction_type = {
        let mut st = shared.lock();
        if !authorized(shared, &st, req.headers, ep) {
            return Reply::error(401, "401: Unauthorized", 0);
        }
        let early = match ep {
            Ep::Channel { ch } | Ep::ChannelMessages { ch } | Ep::ChannelMessage { ch, .. } => {
                channel_gate(&mut st, *ch, rec)
            }
            Ep::Callback { iid, token } => {
                callback_gate(shared, &mut st, *iid, token, arrived, body.as_ref())
            }
            _ => None,
        };
        if let Some(reply) = early {
            return reply;
        }
        match ep {
            Ep::Callback { iid, .. } => st.interactions.get(iid).map_or(0, |i| i.kind),
            _ => 0,
        }
    };

    // Phase 2: validation (no lock held; compiling a schema can take a moment).
    match (body_kind(ep, method, interaction_type), body.as_ref()) {
        (Some(kind), Some(b)) => {
            rec.problems
                .extend(validate::validate(template, method.as_str(), kind, b))
        }
        (Some(_), None) => rec.problems.push("request has no JSON body".into()),
        _ => {}
    }

    // Phase 3 (locked): the endpoint itself.
    let mut st = shared.lock();
    if !rec.problems.is_empty() && shared.cfg.reject_invalid {
        if let Ep::Callback { iid, .. } = ep {
            record_callback(&mut st, *iid, body.as_ref(), 400, arrived);
        }
        return Reply::invalid_form(&rec.problems);
    }
    endpoint(
        shared,
        &mut st,
        ep,
        method,
        body.as_ref(),
        req.uri.query(),
        arrived,
    )
}

pub(super) fn record_callback(
    st: &mut State,
    iid: u64,
    body: Option<&Value>,
    status: u16,
    arrived: Instant,
) {
    let Some(i) = st.interactions.get(&iid) else {
        return;
    };
    let elapsed = arrived.saturating_duration_since(i.dispatched_at);
    let body = body.cloned().unwrap_or(Value::Null);
    st.callbacks.push(CallbackRecord {
        interaction_id: iid,
        kind: body["type"].as_u64().unwrap_or(0),
        data: body.get("data").cloned().unwrap_or(Value::Null),
        status,
        elapsed,
    });
}

/// Interaction callback checks that do not depend on the body's validity.
fn callback_gate(
    shared: &Shared,
    st: &mut State,
    iid: u64,
    token: &str,
    arrived: Instant,
    body: Option<&Value>,
) -> Option<Reply> {
    let Some(i) = st.interactions.get(&iid) else {
        return Some(Reply::error(404, "Unknown interaction", 10062));
    };
    let reply = if i.token != token {
        Reply::error(401, "Invalid Webhook Token", 50027)
    } else if i.acked.is_some() {
        Reply::error(400, "Interaction has already been acknowledged.", 40060)
    } else if arrived.saturating_duration_since(i.dispatched_at) > shared.cfg.interaction_timeout {
        Reply::error(404, "Unknown interaction", 10062)
    } else {
        return None;
    };
    record_callback(st, iid, body, reply.status, arrived);
    Some(reply)
}
