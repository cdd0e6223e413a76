//! The REST endpoints behind the pipeline in `rest`: gateway info, the current user and
//! application, application commands, interaction callbacks and interaction webhooks
//! (`@original`, follow-ups), channels and messages (with `enforce_nonce`). Every object
//! returned is checked against serenity's model types; a failure is recorded as a stand-in bug.

use std::time::Instant;

use axum::http::Method;
use serde_json::{json, Value};

use super::payloads::{self, check_serenity, snowflake, MessageSpec};
use super::rest::{query_map, record_callback, Ep, Reply, TOKEN_LIFETIME};
use super::state::{Shared, State};

pub(super) fn endpoint(
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
                "shards": cfg.shards,
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
    let message_id = i
        .component_message
        .as_ref()
        .and_then(|cm| cm["id"].as_str().map(str::to_string))
        .unwrap_or_else(|| snowflake().to_string());
    match i.kind {
        // A component: the message it was attached to.
        3 => m["interacted_message_id"] = json!(message_id),
        // A modal: the component interaction that opened it.
        5 => {
            m["triggering_interaction_metadata"] = json!({
                "id": snowflake().to_string(),
                "type": 3,
                "user": i.user,
                "authorizing_integration_owners": {"0": i.guild_id.to_string()},
                "interacted_message_id": message_id,
            })
        }
        _ => {}
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
