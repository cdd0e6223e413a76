//! Discord-shaped JSON objects the stand-in emits (users, members, guilds, channels, messages,
//! READY, interactions), id/token generation, and the checks that run every gateway payload
//! through serenity's own model types before it is sent (serenity silently drops dispatches it
//! cannot deserialize, so a malformed payload must fail the test instead).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};
use serenity::model::event::{Event, GatewayEvent};

use super::{ChannelSpec, GuildSpec, StandInConfig};

/// Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Permissions of an ordinary member: view, send, embed, attach, history, reactions, external
/// emojis, use application commands, invite, nickname, connect, speak.
pub const MEMBER_PERMISSIONS: u64 = (1 << 0)
    | (1 << 6)
    | (1 << 10)
    | (1 << 11)
    | (1 << 14)
    | (1 << 15)
    | (1 << 16)
    | (1 << 18)
    | (1 << 20)
    | (1 << 21)
    | (1 << 26)
    | (1 << 31);

/// The bot's own permissions in configured guilds (everything but administrator).
pub const BOT_PERMISSIONS: u64 = MEMBER_PERMISSIONS | (1 << 13) | (1 << 17) | (1 << 35);

/// The invoking (human) user used by interaction builders.
pub const TEST_USER_ID: u64 = 1_150_000_000_000_000_900;

/// The value of a slash-command option (types 3, 4, 5, 7, 10).
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    /// Type 3 (STRING).
    String(String),
    /// Type 4 (INTEGER).
    Integer(i64),
    /// Type 5 (BOOLEAN).
    Boolean(bool),
    /// Type 7 (CHANNEL): the channel's id; the payload gets a matching `resolved.channels` entry.
    Channel(u64),
    /// Type 10 (NUMBER).
    Number(f64),
}

impl From<&str> for OptionValue {
    fn from(s: &str) -> Self {
        OptionValue::String(s.to_string())
    }
}
impl From<String> for OptionValue {
    fn from(s: String) -> Self {
        OptionValue::String(s)
    }
}
impl From<i64> for OptionValue {
    fn from(n: i64) -> Self {
        OptionValue::Integer(n)
    }
}
impl From<bool> for OptionValue {
    fn from(b: bool) -> Self {
        OptionValue::Boolean(b)
    }
}

impl OptionValue {
    fn type_and_value(&self) -> (u8, Value) {
        match self {
            OptionValue::String(s) => (3, json!(s)),
            OptionValue::Integer(n) => (4, json!(n)),
            OptionValue::Boolean(b) => (5, json!(b)),
            OptionValue::Channel(id) => (7, json!(id.to_string())),
            OptionValue::Number(x) => (10, json!(x)),
        }
    }
    /// What the user has typed so far, as autocomplete sends it for the focused option.
    fn typed_text(&self) -> String {
        match self {
            OptionValue::String(s) => s.clone(),
            OptionValue::Integer(n) => n.to_string(),
            OptionValue::Boolean(b) => b.to_string(),
            OptionValue::Channel(id) => id.to_string(),
            OptionValue::Number(x) => x.to_string(),
        }
    }
}

static LAST_SNOWFLAKE: AtomicU64 = AtomicU64::new(0);
static RANDOM_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, process-unique, time-ordered snowflake.
pub fn snowflake() -> u64 {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let candidate = ((ms - DISCORD_EPOCH_MS) << 22) | (1 << 17);
    let prev = LAST_SNOWFLAKE
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
            Some(candidate.max(last + 1))
        })
        .unwrap();
    candidate.max(prev + 1)
}

/// 64 random bits (std's randomly keyed SipHash over a counter and the clock).
pub fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(RANDOM_COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

/// A random interaction token shaped like Discord's (long, url-safe).
pub fn random_token() -> String {
    let mut s = String::from("aW50ZXJhY3Rpb246");
    for _ in 0..5 {
        s.push_str(&format!("{:016x}", random_u64()));
    }
    s
}

/// Now, in Discord's timestamp format (`2024-05-01T12:00:00.123000+00:00`).
pub fn now_timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
}

/// The bot user as `GET /users/@me` returns it.
pub fn bot_user(cfg: &StandInConfig) -> Value {
    json!({
        "id": cfg.application_id.to_string(),
        "username": cfg.bot_username,
        "discriminator": "4821",
        "global_name": null,
        "avatar": null,
        "avatar_decoration_data": null,
        "banner": null,
        "accent_color": null,
        "bot": true,
        "flags": 0,
        "public_flags": 524288,
        "mfa_enabled": false,
        "locale": "en-US",
        "premium_type": 0,
        "email": null,
        "verified": true,
        "primary_guild": null,
    })
}

/// The bot user as embedded in other objects (message author, member user).
pub fn bot_user_partial(cfg: &StandInConfig) -> Value {
    json!({
        "id": cfg.application_id.to_string(),
        "username": cfg.bot_username,
        "discriminator": "4821",
        "global_name": null,
        "avatar": null,
        "avatar_decoration_data": null,
        "bot": true,
        "public_flags": 524288,
        "primary_guild": null,
    })
}

/// A human user (post-2023 usernames: discriminator "0").
pub fn human_user(id: u64) -> Value {
    json!({
        "id": id.to_string(),
        "username": "standin_tester",
        "discriminator": "0",
        "global_name": "Stand-in Tester",
        "avatar": null,
        "avatar_decoration_data": null,
        "banner": null,
        "accent_color": null,
        "banner_color": null,
        "clan": null,
        "primary_guild": null,
        "collectibles": null,
        "flags": 0,
        "public_flags": 0,
    })
}

/// A guild member object; `permissions` is only present in interaction payloads.
pub fn member(user: Value, permissions: Option<u64>) -> Value {
    let mut m = json!({
        "user": user,
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": [],
        "joined_at": "2024-01-15T10:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
        "unusual_dm_activity_until": null,
    });
    if let Some(p) = permissions {
        m["permissions"] = json!(p.to_string());
    }
    m
}

/// A guild text channel object (`GET /channels/{id}`, GUILD_CREATE `channels`).
pub fn guild_channel(guild_id: u64, ch: &ChannelSpec, position: usize) -> Value {
    json!({
        "id": ch.id.to_string(),
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": ch.name,
        "position": position,
        "flags": 0,
        "parent_id": null,
        "topic": null,
        "nsfw": false,
        "permission_overwrites": [],
        "rate_limit_per_user": 0,
        "last_message_id": null,
        "last_pin_timestamp": null,
    })
}

/// The payload of a GUILD_CREATE dispatch for `guild`.
pub fn guild_create(cfg: &StandInConfig, guild: &GuildSpec) -> Value {
    let channels: Vec<Value> = guild
        .channels
        .iter()
        .enumerate()
        .map(|(i, c)| guild_channel(guild.id, c, i))
        .collect();
    let base = json!({
        "id": guild.id.to_string(),
        "name": guild.name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": TEST_USER_ID.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": [{
            "id": guild.id.to_string(),
            "name": "@everyone",
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
            "hoist": false,
            "icon": null,
            "unicode_emoji": null,
            "position": 0,
            "permissions": MEMBER_PERMISSIONS.to_string(),
            "managed": false,
            "mentionable": false,
            "flags": 0,
        }],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": guild.channels.first().map(|c| c.id.to_string()),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "nsfw": false,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
    });
    // Split in two: one `json!` this large exceeds the default macro recursion limit.
    let extra = json!({
        "joined_at": "2024-01-15T10:00:00.000000+00:00",
        "large": false,
        "unavailable": false,
        "lazy": true,
        "member_count": 2,
        "voice_states": [],
        "members": [member(bot_user_partial(cfg), None)],
        "channels": channels,
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "embedded_activities": [],
        "application_command_counts": {},
        "version": 1_700_000_000_000u64,
    });
    let mut g = base;
    g.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    g
}

/// The payload of a READY dispatch.
pub fn ready(
    cfg: &StandInConfig,
    session_id: &str,
    resume_url: &str,
    shard: Option<&Value>,
    guilds: &[&super::GuildSpec],
) -> Value {
    let mut user = bot_user(cfg);
    user["mfa_enabled"] = json!(false);
    let guilds: Vec<Value> = guilds
        .iter()
        .map(|g| json!({"id": g.id.to_string(), "unavailable": true}))
        .collect();
    let mut d = json!({
        "v": 10,
        "user_settings": {},
        "user": user,
        "session_type": "normal",
        "session_id": session_id,
        "resume_gateway_url": resume_url,
        "relationships": [],
        "private_channels": [],
        "presences": [],
        "guilds": guilds,
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["standin"],
        "auth": {},
        "application": {"id": cfg.application_id.to_string(), "flags": 8953856},
        "_trace": ["[\"gateway-standin\",{\"micros\":1000}]"],
    });
    if let Some(shard) = shard {
        d["shard"] = shard.clone();
    }
    d
}

/// The `channel` object inside an interaction for a guild text channel.
fn interaction_channel(guild_id: u64, channel_id: u64, name: &str) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": 0,
        "guild_id": guild_id.to_string(),
        "name": name,
        "position": 0,
        "flags": 0,
        "parent_id": null,
        "topic": null,
        "nsfw": false,
        "rate_limit_per_user": 0,
        "last_message_id": null,
        "permissions": BOT_PERMISSIONS.to_string(),
    })
}

/// Where an interaction happens and who triggers it.
pub struct InteractionContext<'a> {
    /// The application receiving it.
    pub cfg: &'a StandInConfig,
    /// Guild of the channel.
    pub guild_id: u64,
    /// Channel it was triggered in.
    pub channel_id: u64,
    /// Channel name (for the `channel` object).
    pub channel_name: &'a str,
    /// The invoking member's permission bits.
    pub member_permissions: u64,
}

/// Fields every guild interaction carries; `kind` is the interaction type and `data` its data.
pub fn interaction_base(ctx: &InteractionContext<'_>, kind: u8, data: Value) -> Value {
    json!({
        "id": snowflake().to_string(),
        "application_id": ctx.cfg.application_id.to_string(),
        "type": kind,
        "data": data,
        "guild": {"id": ctx.guild_id.to_string(), "locale": "en-US", "features": []},
        "guild_id": ctx.guild_id.to_string(),
        "channel": interaction_channel(ctx.guild_id, ctx.channel_id, ctx.channel_name),
        "channel_id": ctx.channel_id.to_string(),
        "member": member(human_user(TEST_USER_ID), Some(ctx.member_permissions)),
        "token": random_token(),
        "version": 1,
        "app_permissions": BOT_PERMISSIONS.to_string(),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": {"0": ctx.guild_id.to_string()},
        "context": 0,
        "attachment_size_limit": 10_485_760,
    })
}

/// Fields of an interaction in the bot's DM channel with [`TEST_USER_ID`]: no guild, a
/// `user` instead of a `member`, a DM `channel` object and context 1 (BOT_DM), as Discord
/// sends them.
pub fn dm_interaction_base(cfg: &StandInConfig, channel_id: u64, kind: u8, data: Value) -> Value {
    json!({
        "id": snowflake().to_string(),
        "application_id": cfg.application_id.to_string(),
        "type": kind,
        "data": data,
        "channel": {
            "id": channel_id.to_string(),
            "type": 1,
            "flags": 0,
            "last_message_id": null,
            "recipients": [human_user(TEST_USER_ID)],
        },
        "channel_id": channel_id.to_string(),
        "user": human_user(TEST_USER_ID),
        "token": random_token(),
        "version": 1,
        "app_permissions": "1126999418470465",
        "locale": "en-US",
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": {"0": cfg.application_id.to_string()},
        "context": 1,
        "attachment_size_limit": 10_485_760,
    })
}

/// `data` of an APPLICATION_COMMAND / AUTOCOMPLETE interaction. `focused` names the option
/// being typed (autocomplete), whose value is then sent as the raw typed string.
pub fn command_data(
    command_id: u64,
    name: &str,
    guild_id: Option<u64>,
    options: &[(&str, OptionValue)],
    focused: Option<&str>,
    channel_names: &dyn Fn(u64) -> Option<(u64, String)>,
) -> Value {
    let mut opts = Vec::new();
    let mut resolved_channels = Map::new();
    for (opt_name, value) in options {
        let (kind, v) = value.type_and_value();
        let mut o = json!({"name": opt_name, "type": kind, "value": v});
        if focused == Some(*opt_name) {
            o["value"] = json!(value.typed_text());
            o["focused"] = json!(true);
        } else if let OptionValue::Channel(id) = value {
            let (gid, cname) = channel_names(*id).unwrap_or((0, "unknown".to_string()));
            resolved_channels.insert(
                id.to_string(),
                json!({
                    "id": id.to_string(),
                    "name": cname,
                    "type": 0,
                    "guild_id": gid.to_string(),
                    "flags": 0,
                    "parent_id": null,
                    "topic": null,
                    "nsfw": false,
                    "rate_limit_per_user": 0,
                    "last_message_id": null,
                    "position": 0,
                    "permissions": BOT_PERMISSIONS.to_string(),
                }),
            );
        }
        opts.push(o);
    }
    let mut data = json!({
        "id": command_id.to_string(),
        "name": name,
        "type": 1,
    });
    if !opts.is_empty() {
        data["options"] = json!(opts);
    }
    if !resolved_channels.is_empty() {
        data["resolved"] = json!({"channels": resolved_channels});
    }
    if let Some(g) = guild_id {
        data["guild_id"] = json!(g.to_string());
    }
    data
}

/// Adds Discord's normalisations to an embed sent by a client (`type: "rich"`, `inline: false`).
pub fn normalize_embed(embed: &Value) -> Value {
    let mut e = embed.clone();
    if let Some(obj) = e.as_object_mut() {
        obj.retain(|_, v| !v.is_null());
        obj.entry("type").or_insert_with(|| json!("rich"));
        if let Some(fields) = obj.get_mut("fields").and_then(Value::as_array_mut) {
            for f in fields {
                if let Some(f) = f.as_object_mut() {
                    f.entry("inline").or_insert(json!(false));
                }
            }
        }
        obj.entry("content_scan_version").or_insert(json!(0));
    }
    e
}

/// Builds a Message object from a create/execute body.
pub struct MessageSpec<'a> {
    /// Message id.
    pub id: u64,
    /// Channel it lives in.
    pub channel_id: u64,
    /// Author user object.
    pub author: Value,
    /// Message type (0 default, 20 chat-input command reply).
    pub kind: u8,
    /// The request body it was created from.
    pub body: &'a Value,
    /// `webhook_id`/`application_id` for interaction responses.
    pub application_id: Option<u64>,
    /// `interaction_metadata` for interaction responses.
    pub interaction_metadata: Option<Value>,
}

/// A full Message object, as Discord returns it from create-message and friends.
pub fn message(spec: MessageSpec<'_>) -> Value {
    let body = spec.body;
    let embeds: Vec<Value> = body
        .get("embeds")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(normalize_embed).collect())
        .unwrap_or_default();
    let mut m = json!({
        "id": spec.id.to_string(),
        "channel_id": spec.channel_id.to_string(),
        "author": spec.author,
        "content": body.get("content").and_then(Value::as_str).unwrap_or(""),
        "timestamp": now_timestamp(),
        "edited_timestamp": null,
        "tts": body.get("tts").and_then(Value::as_bool).unwrap_or(false),
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds,
        "pinned": false,
        "type": spec.kind,
        "flags": body.get("flags").and_then(Value::as_u64).unwrap_or(0) & !(1 << 12),
        "components": body.get("components").filter(|c| c.is_array()).cloned().unwrap_or(json!([])),
    });
    if let Some(nonce) = body.get("nonce").filter(|n| !n.is_null()) {
        m["nonce"] = nonce.clone();
    }
    if let Some(app) = spec.application_id {
        m["webhook_id"] = json!(app.to_string());
        m["application_id"] = json!(app.to_string());
    }
    if let Some(meta) = spec.interaction_metadata {
        m["interaction_metadata"] = meta;
    }
    m
}

/// Applies an edit body (message PATCH / webhook PATCH) to a stored message.
pub fn apply_edit(message: &mut Value, body: &Value) {
    if let Some(v) = body.get("content") {
        message["content"] = json!(v.as_str().unwrap_or(""));
    }
    if let Some(v) = body.get("embeds") {
        let embeds: Vec<Value> = v
            .as_array()
            .map(|a| a.iter().map(normalize_embed).collect())
            .unwrap_or_default();
        message["embeds"] = json!(embeds);
    }
    if let Some(v) = body.get("components") {
        message["components"] = if v.is_array() { v.clone() } else { json!([]) };
    }
    if let Some(v) = body.get("flags").and_then(Value::as_u64) {
        message["flags"] = json!(v & !(1 << 12));
    }
    let flags = message["flags"].as_u64().unwrap_or(0);
    if flags & (1 << 7) != 0 {
        // The first edit of a deferred ("thinking…") response turns it into a real message.
        message["flags"] = json!(flags & !(1 << 7));
    } else {
        message["edited_timestamp"] = json!(now_timestamp());
    }
}

/// Deserializes `value` as serenity's `T`, describing the failure.
pub fn check_serenity<T: serde::de::DeserializeOwned>(
    what: &str,
    value: &Value,
) -> Result<(), String> {
    serde_json::from_value::<T>(value.clone())
        .map(|_| ())
        .map_err(|e| {
            format!(
                "serenity cannot deserialize this {what}: {e}; payload: {}",
                truncate(&value.to_string(), 600)
            )
        })
}

/// Checks a dispatch frame the way serenity's shard reads it: it must parse as a
/// `GatewayEvent::Dispatch` whose event is the named, known variant (not `Event::Unknown`, which
/// is what serenity silently falls back to when the payload does not deserialize).
pub fn check_dispatch_frame(t: &str, d: &Value, frame: &str) -> Result<(), String> {
    let specific = match t {
        "READY" => check_serenity::<serenity::model::gateway::Ready>("READY", d),
        "GUILD_CREATE" => check_serenity::<serenity::model::guild::Guild>("GUILD_CREATE guild", d),
        "INTERACTION_CREATE" => check_serenity::<serenity::model::application::Interaction>(
            "INTERACTION_CREATE interaction",
            d,
        ),
        "MESSAGE_CREATE" => {
            check_serenity::<serenity::model::channel::Message>("MESSAGE_CREATE message", d)
        }
        _ => Ok(()),
    };
    specific?;
    match serde_json::from_str::<GatewayEvent>(frame) {
        Ok(GatewayEvent::Dispatch(_, Event::Unknown(u))) => Err(format!(
            "serenity would drop this {t} dispatch silently (parsed as Event::Unknown `{}`)",
            u.kind
        )),
        Ok(GatewayEvent::Dispatch(_, ev)) => match ev.name() {
            Some(name) if name == t => Ok(()),
            other => Err(format!("dispatch {t} parsed by serenity as {other:?}")),
        },
        Ok(_) => Err(format!("frame for {t} is not a dispatch for serenity")),
        Err(e) => Err(format!("serenity cannot parse the {t} frame: {e}")),
    }
}

/// Shortens `s` to at most `max` characters (appending `…`).
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}
