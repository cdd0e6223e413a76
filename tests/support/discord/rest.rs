//! The REST half: one axum fallback handler that routes `/api/v10/...` itself, so every
//! request goes through the same pipeline — route → auth → rate limit → channel faults →
//! body validation → endpoint — and is recorded with its status and problems.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};

use super::payloads::{self, check_serenity, snowflake, MessageSpec};
use super::ratelimit::{RouteLimit, Settings, Verdict};
use super::state::{CallbackRecord, ChannelFault, RecordedRequest, Shared, State};
use super::validate::{self, BodyKind};

/// How long interaction tokens stay valid for follow-ups and edits.
const TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

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
struct Reply {
    status: u16,
    body: Option<Value>,
    html: Option<String>,
    headers: Vec<(&'static str, String)>,
}

impl Reply {
    fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body: Some(body),
            html: None,
            headers: Vec::new(),
        }
    }
    fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: None,
            html: None,
            headers: Vec::new(),
        }
    }
    fn error(status: u16, message: &str, code: u64) -> Reply {
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
enum Ep {
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

fn query_map(q: Option<&str>) -> HashMap<String, String> {
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
    };
    let reply = process(
        &ctx.shared,
        &method,
        &uri,
        &headers,
        &body,
        arrived,
        &mut rec,
    );
    rec.status = reply.status;
    {
        let mut st = ctx.shared.lock();
        if reply.status == 429 {
            st.count_429 += 1;
        }
        st.requests.push(rec);
    }
    ctx.shared.bump();
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

fn channel_gate(st: &mut State, ch: u64) -> Option<Reply> {
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
            Some(if status == 502 {
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
            })
        }
    }
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

fn process(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    arrived: Instant,
    rec: &mut RecordedRequest,
) -> Reply {
    let path = uri.path();
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        if path.starts_with("/api/") {
            rec.problems.push(format!(
                "request to {path}: the bot must use API v10 (/api/v10/...)"
            ));
        }
        return Reply::not_found();
    };
    let segs: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let (ep, template) = match parse(&segs) {
        Ok(Some(found)) => found,
        Ok(None) => return Reply::not_found(),
        Err(reply) => return reply,
    };
    rec.route = template.to_string();
    if !validate::spec_has_path(template) {
        rec.problems.push(format!(
            "stand-in: route template {template} is not in the spec"
        ));
    }
    if !method_allowed(&ep, method) {
        return Reply::error(405, "405: Method Not Allowed", 0);
    }
    let body = match parse_body(headers, body, rec) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    rec.body = body.clone();

    // Phase 1: auth, rate limits, faults, interaction pre-checks.
    let limit = route_limit(shared, &ep, method, template);
    let settings = Settings {
        enabled: shared.cfg.rate_limits,
        global_per_second: shared.cfg.global_per_second,
    };
    let mut interaction_type = 0;
    let rl_headers = {
        let mut st = shared.lock();
        if !authorized(shared, &st, headers, &ep) {
            return Reply::error(401, "401: Unauthorized", 0);
        }
        let rl_headers = match st.limiter.check(&settings, &limit, arrived) {
            Verdict::Allowed(h) => h,
            Verdict::Limited(h, b) => {
                return Reply {
                    headers: h,
                    ..Reply::json(429, b)
                }
            }
        };
        let early = match &ep {
            Ep::Channel { ch } | Ep::ChannelMessages { ch } | Ep::ChannelMessage { ch, .. } => {
                channel_gate(&mut st, *ch)
            }
            Ep::Callback { iid, token } => {
                callback_gate(shared, &mut st, *iid, token, arrived, body.as_ref())
            }
            _ => None,
        };
        if let Some(mut reply) = early {
            if reply.html.is_none() {
                reply.headers.extend(rl_headers);
            }
            return reply;
        }
        if let Ep::Callback { iid, .. } = &ep {
            interaction_type = st.interactions.get(iid).map_or(0, |i| i.kind);
        }
        rl_headers
    };

    // Phase 2: validation (no lock held; compiling a schema can take a moment).
    if let (Some(kind), Some(b)) = (body_kind(&ep, method, interaction_type), body.as_ref()) {
        rec.problems
            .extend(validate::validate(template, method.as_str(), kind, b));
    } else if body_kind(&ep, method, interaction_type).is_some() {
        rec.problems.push("request has no JSON body".into());
    }

    // Phase 3: the endpoint itself.
    let mut reply = {
        let mut st = shared.lock();
        if !rec.problems.is_empty() && shared.cfg.reject_invalid {
            if let Ep::Callback { iid, .. } = &ep {
                record_callback(&mut st, *iid, body.as_ref(), 400, arrived);
            }
            Reply::invalid_form(&rec.problems)
        } else {
            endpoint(
                shared,
                &mut st,
                &ep,
                method,
                body.as_ref(),
                uri.query(),
                arrived,
            )
        }
    };
    reply.headers.extend(rl_headers);
    reply
}

fn record_callback(st: &mut State, iid: u64, body: Option<&Value>, status: u16, arrived: Instant) {
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

fn endpoint(
    shared: &Shared,
    st: &mut State,
    ep: &Ep,
    method: &Method,
    body: Option<&Value>,
    query: Option<&str>,
    arrived: Instant,
) -> Reply {
    let cfg = &shared.cfg;
    let null = Value::Null;
    let body = body.unwrap_or(&null);
    match ep {
        Ep::Gateway => Reply::json(200, json!({"url": shared.gateway_url()})),
        Ep::GatewayBot => Reply::json(
            200,
            json!({
                "url": shared.gateway_url(),
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000u64.saturating_sub(st.identifies),
                    "reset_after": 86_400_000,
                    "max_concurrency": 1,
                },
            }),
        ),
        Ep::UsersMe => Reply::json(200, payloads::bot_user(cfg)),
        Ep::AppMe => {
            let app = application(cfg);
            self_check::<serenity::model::application::CurrentApplicationInfo>(
                st,
                "application",
                &app,
            );
            Reply::json(200, app)
        }
        Ep::Commands { app, guild } => commands(shared, st, *app, *guild, method, body),
        Ep::Command { app, guild, cmd } => {
            if *app != cfg.application_id {
                return Reply::error(404, "Unknown Application", 10002);
            }
            let list = match guild {
                Some(g) => st.guild_commands.entry(*g).or_default(),
                None => &mut st.global_commands,
            };
            let pos = list
                .iter()
                .position(|c| c["id"].as_str() == Some(&cmd.to_string()));
            match (pos, method.as_str()) {
                (None, _) => Reply::error(404, "Unknown application command", 10063),
                (Some(p), "DELETE") => {
                    list.remove(p);
                    Reply::empty(204)
                }
                (Some(p), _) => Reply::json(200, list[p].clone()),
            }
        }
        Ep::Callback { iid, .. } => apply_callback(shared, st, *iid, body, arrived),
        Ep::WebhookMessage { app, token, msg } => {
            webhook_message(shared, st, *app, token, *msg, method, body)
        }
        Ep::Followup { app, token } => followup(shared, st, *app, token, body),
        Ep::Channel { ch } => {
            let c = &st.channels[ch];
            let spec = super::ChannelSpec {
                id: *ch,
                name: c.name.clone(),
            };
            Reply::json(200, payloads::guild_channel(c.guild_id, &spec, 0))
        }
        Ep::ChannelMessages { ch } if method == Method::GET => list_messages(st, *ch, query),
        Ep::ChannelMessages { ch } => create_message(shared, st, *ch, body),
        Ep::ChannelMessage { ch, msg } => {
            let in_channel = st.channels[ch].message_ids.contains(msg);
            if !in_channel {
                return Reply::error(404, "Unknown Message", 10008);
            }
            match method.as_str() {
                "GET" => Reply::json(200, st.messages[msg].clone()),
                "DELETE" => {
                    st.channels
                        .get_mut(ch)
                        .unwrap()
                        .message_ids
                        .retain(|m| m != msg);
                    st.messages.remove(msg);
                    Reply::empty(204)
                }
                _ => {
                    let m = st.messages.get_mut(msg).unwrap();
                    payloads::apply_edit(m, body);
                    let m = m.clone();
                    self_check::<serenity::model::channel::Message>(st, "message", &m);
                    Reply::json(200, m)
                }
            }
        }
    }
}

/// Records a stand-in bug if `value` does not deserialize as serenity's `T`.
fn self_check<T: serde::de::DeserializeOwned>(st: &mut State, what: &str, value: &Value) {
    if let Err(e) = check_serenity::<T>(what, value) {
        st.other_problems.push(format!("stand-in bug: {e}"));
    }
}

fn application(cfg: &super::StandInConfig) -> Value {
    json!({
        "id": cfg.application_id.to_string(),
        "name": cfg.bot_username,
        "icon": null,
        "description": "",
        "summary": "",
        "type": null,
        "hook": true,
        "bot_public": true,
        "bot_require_code_grant": false,
        "verify_key": format!("{:016x}{:016x}{:016x}{:016x}", cfg.application_id, 1, 2, 3),
        "flags": 8953856,
        "owner": payloads::human_user(payloads::TEST_USER_ID),
        "team": null,
        "bot": payloads::bot_user_partial(cfg),
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "integration_types_config": {"0": {}},
        "approximate_guild_count": cfg.guilds.len(),
        "approximate_user_install_count": 0,
        "is_monetized": false,
        "is_verified": false,
        "is_discoverable": false,
    })
}

fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

/// A command as Discord returns it after create/overwrite.
fn stored_command(cfg: &super::StandInConfig, guild: Option<u64>, body: &Value, id: u64) -> Value {
    let perms = match &body["default_member_permissions"] {
        Value::String(s) => json!(s),
        Value::Number(n) => json!(n.to_string()),
        _ => Value::Null,
    };
    let non_empty = |v: &Value| {
        v.as_object()
            .filter(|o| !o.is_empty())
            .map(|_| v.clone())
            .unwrap_or(Value::Null)
    };
    let mut c = json!({
        "id": id.to_string(),
        "application_id": cfg.application_id.to_string(),
        "version": snowflake().to_string(),
        "default_member_permissions": perms,
        "type": body["type"].as_u64().unwrap_or(1),
        "name": body["name"],
        "name_localizations": non_empty(&body["name_localizations"]),
        "description": body["description"].as_str().unwrap_or(""),
        "description_localizations": non_empty(&body["description_localizations"]),
        "dm_permission": body["dm_permission"].as_bool().unwrap_or(true),
        "contexts": body["contexts"],
        "integration_types": body.get("integration_types").filter(|v| !v.is_null()).cloned().unwrap_or(json!([0])),
        "nsfw": body["nsfw"].as_bool().unwrap_or(false),
    });
    if let Some(opts) = body["options"].as_array().filter(|o| !o.is_empty()) {
        c["options"] = strip_nulls(&json!(opts));
    }
    if let Some(g) = guild {
        c["guild_id"] = json!(g.to_string());
        c.as_object_mut().unwrap().remove("dm_permission");
    }
    c
}

fn commands(
    shared: &Shared,
    st: &mut State,
    app: u64,
    guild: Option<u64>,
    method: &Method,
    body: &Value,
) -> Reply {
    let cfg = &shared.cfg;
    if app != cfg.application_id {
        return Reply::error(404, "Unknown Application", 10002);
    }
    if let Some(g) = guild {
        if !cfg.guilds.iter().any(|x| x.id == g) {
            return Reply::error(403, "Missing Access", 50001);
        }
    }
    let existing = match guild {
        Some(g) => st.guild_commands.entry(g).or_default().clone(),
        None => st.global_commands.clone(),
    };
    let same = |c: &Value, b: &Value| {
        c["name"] == b["name"] && c["type"].as_u64() == Some(b["type"].as_u64().unwrap_or(1))
    };
    let (status, result, new_list) = match method.as_str() {
        "GET" => return Reply::json(200, json!(existing)),
        "PUT" => {
            let list: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|b| {
                    let id = existing
                        .iter()
                        .find(|c| same(c, b))
                        .and_then(|c| c["id"].as_str()?.parse().ok());
                    stored_command(cfg, guild, b, id.unwrap_or_else(snowflake))
                })
                .collect();
            (200, json!(list), list)
        }
        _ => {
            let mut list = existing.clone();
            let pos = list.iter().position(|c| same(c, body));
            let id = pos
                .and_then(|p| list[p]["id"].as_str()?.parse().ok())
                .unwrap_or_else(snowflake);
            let cmd = stored_command(cfg, guild, body, id);
            match pos {
                Some(p) => list[p] = cmd.clone(),
                None => list.push(cmd.clone()),
            }
            (if pos.is_some() { 200 } else { 201 }, cmd, list)
        }
    };
    for c in &new_list {
        self_check::<serenity::model::application::Command>(st, "command", c);
    }
    match guild {
        Some(g) => {
            st.guild_commands.insert(g, new_list);
        }
        None => st.global_commands = new_list,
    }
    Reply::json(status, result)
}

fn nonce_key(body: &Value) -> Option<String> {
    match &body["nonce"] {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Stores a message (listing it in its channel unless ephemeral) after checking it with serenity.
fn store_message(st: &mut State, msg: Value) -> Value {
    self_check::<serenity::model::channel::Message>(st, "message", &msg);
    let id: u64 = msg["id"].as_str().unwrap().parse().unwrap();
    let ch: u64 = msg["channel_id"].as_str().unwrap().parse().unwrap();
    let ephemeral = msg["flags"].as_u64().unwrap_or(0) & 64 != 0;
    if !ephemeral {
        if let Some(c) = st.channels.get_mut(&ch) {
            c.message_ids.push(id);
        }
    }
    st.messages.insert(id, msg.clone());
    msg
}

fn create_message(shared: &Shared, st: &mut State, ch: u64, body: &Value) -> Reply {
    let cfg = &shared.cfg;
    let nonce = nonce_key(body);
    if let (Some(n), Some(true)) = (&nonce, body["enforce_nonce"].as_bool()) {
        if let Some((at, mid)) = st.nonces.get(&(ch, n.clone())) {
            if at.elapsed() < cfg.nonce_window {
                if let Some(m) = st.messages.get(mid) {
                    return Reply::json(200, m.clone());
                }
            }
        }
    }
    let id = snowflake();
    let mut msg = payloads::message(MessageSpec {
        id,
        channel_id: ch,
        author: payloads::bot_user_partial(cfg),
        kind: 0,
        body,
        application_id: None,
        interaction_metadata: None,
    });
    if let Some(r) = body.get("message_reference").filter(|r| r.is_object()) {
        msg["type"] = json!(19);
        msg["message_reference"] =
            json!({"type": 0, "channel_id": ch.to_string(), "message_id": r["message_id"]});
        let referenced = r["message_id"]
            .as_str()
            .and_then(|s| s.parse::<u64>().ok())
            .and_then(|m| st.messages.get(&m));
        msg["referenced_message"] = referenced.cloned().unwrap_or(Value::Null);
    }
    let msg = store_message(st, msg);
    if let Some(n) = nonce {
        st.nonces.entry((ch, n)).or_insert((Instant::now(), id));
    }
    Reply::json(200, msg)
}

fn list_messages(st: &State, ch: u64, query: Option<&str>) -> Reply {
    let q = query_map(query);
    let limit = q
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(50)
        .clamp(1, 100);
    let before = q.get("before").and_then(|v| v.parse::<u64>().ok());
    let after = q.get("after").and_then(|v| v.parse::<u64>().ok());
    let mut ids: Vec<u64> = st.channels[&ch]
        .message_ids
        .iter()
        .copied()
        .filter(|id| before.is_none_or(|b| *id < b) && after.is_none_or(|a| *id > a))
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    if after.is_some() && before.is_none() {
        // `after` pages from the oldest side, still returned newest first.
        let start = ids.len().saturating_sub(limit);
        ids = ids[start..].to_vec();
    }
    let msgs: Vec<Value> = ids
        .into_iter()
        .take(limit)
        .map(|id| st.messages[&id].clone())
        .collect();
    Reply::json(200, json!(msgs))
}

fn interaction_metadata(st: &State, iid: u64) -> Value {
    let i = &st.interactions[&iid];
    let mut m = json!({
        "id": iid.to_string(),
        "type": i.kind,
        "user": i.user,
        "authorizing_integration_owners": {"0": i.guild_id.to_string()},
    });
    if let Some(name) = &i.name {
        m["name"] = json!(name);
        m["command_type"] = json!(1);
    }
    m
}

fn apply_callback(
    shared: &Shared,
    st: &mut State,
    iid: u64,
    body: &Value,
    arrived: Instant,
) -> Reply {
    let cfg = &shared.cfg;
    let kind = body["type"].as_u64().unwrap_or(0);
    let data = &body["data"];
    let (channel_id, ikind, component_message) = {
        let i = &st.interactions[&iid];
        (i.channel_id, i.kind, i.component_message.clone())
    };
    let mut original = None;
    let response_message = |st: &State, data: &Value| {
        payloads::message(MessageSpec {
            id: snowflake(),
            channel_id,
            author: payloads::bot_user_partial(cfg),
            kind: if ikind == 2 { 20 } else { 0 },
            body: data,
            application_id: Some(cfg.application_id),
            interaction_metadata: Some(interaction_metadata(st, iid)),
        })
    };
    match kind {
        4 => {
            let m = response_message(st, data);
            original = Some(store_message(st, m));
        }
        5 => {
            let flags = data["flags"].as_u64().unwrap_or(0) & 64;
            let m = response_message(st, &json!({"content": "", "flags": flags | 128}));
            original = Some(store_message(st, m));
        }
        6 | 7 => {
            if let Some(cm) = component_message {
                let mid: u64 = cm["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
                let mut m = st.messages.get(&mid).cloned().unwrap_or(cm);
                if kind == 7 {
                    payloads::apply_edit(&mut m, data);
                }
                self_check::<serenity::model::channel::Message>(st, "message", &m);
                st.messages.insert(mid, m.clone());
                original = Some(m);
            }
        }
        _ => {}
    }
    let i = st.interactions.get_mut(&iid).unwrap();
    i.acked = Some(kind);
    i.original = original.and_then(|m| m["id"].as_str()?.parse().ok());
    record_callback(st, iid, Some(body), 204, arrived);
    Reply::empty(204)
}

/// Finds the interaction behind an interaction webhook, or the error Discord answers.
fn webhook_interaction(shared: &Shared, st: &State, app: u64, token: &str) -> Result<u64, Reply> {
    if app != shared.cfg.application_id {
        return Err(Reply::error(404, "Unknown Webhook", 10015));
    }
    let Some((iid, i)) = st.interactions.iter().find(|(_, i)| i.token == token) else {
        return Err(Reply::error(401, "Invalid Webhook Token", 50027));
    };
    if i.dispatched_at.elapsed() > TOKEN_LIFETIME {
        return Err(Reply::error(401, "Invalid Webhook Token", 50027));
    }
    if i.acked.is_none() {
        return Err(Reply::error(404, "Unknown Webhook", 10015));
    }
    Ok(*iid)
}

fn webhook_message(
    shared: &Shared,
    st: &mut State,
    app: u64,
    token: &str,
    msg: Option<u64>,
    method: &Method,
    body: &Value,
) -> Reply {
    let iid = match webhook_interaction(shared, st, app, token) {
        Ok(i) => i,
        Err(reply) => return reply,
    };
    let mid = match msg {
        None => st.interactions[&iid].original,
        Some(m) => Some(m).filter(|m| {
            st.messages
                .get(m)
                .is_some_and(|v| v["interaction_metadata"]["id"].as_str() == Some(&iid.to_string()))
        }),
    };
    let Some(mid) = mid.filter(|m| st.messages.contains_key(m)) else {
        return Reply::error(404, "Unknown Message", 10008);
    };
    match method.as_str() {
        "GET" => Reply::json(200, st.messages[&mid].clone()),
        "DELETE" => {
            st.messages.remove(&mid);
            for c in st.channels.values_mut() {
                c.message_ids.retain(|m| *m != mid);
            }
            Reply::empty(204)
        }
        _ => {
            let m = st.messages.get_mut(&mid).unwrap();
            payloads::apply_edit(m, body);
            let m = m.clone();
            self_check::<serenity::model::channel::Message>(st, "message", &m);
            Reply::json(200, m)
        }
    }
}

fn followup(shared: &Shared, st: &mut State, app: u64, token: &str, body: &Value) -> Reply {
    let iid = match webhook_interaction(shared, st, app, token) {
        Ok(i) => i,
        Err(reply) => return reply,
    };
    let i = &st.interactions[&iid];
    let m = payloads::message(MessageSpec {
        id: snowflake(),
        channel_id: i.channel_id,
        author: payloads::bot_user_partial(&shared.cfg),
        kind: if i.kind == 2 { 20 } else { 0 },
        body,
        application_id: Some(shared.cfg.application_id),
        interaction_metadata: Some(interaction_metadata(st, iid)),
    });
    Reply::json(200, store_message(st, m))
}
