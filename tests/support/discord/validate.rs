//! Validation of request bodies: against Discord's OpenAPI description
//! (`../shared/discord-api-spec/openapi.json`, JSON Schema 2020-12 via `jsonschema`, compiled
//! validators cached per process) plus the limits Discord enforces that the spec does not
//! encode (embed totals, message content 2000, command-name rules, component counts, …).
//! Every function returns human-readable problems; an empty list means the body is valid.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use serde_json::{json, Value};

use super::payloads::truncate;

/// What kind of body is being validated (selects the Discord-only rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// `POST /channels/{id}/messages`.
    MessageCreate,
    /// `PATCH /channels/{id}/messages/{id}`.
    MessageEdit,
    /// `POST /webhooks/{app}/{token}` (interaction follow-up).
    WebhookExecute,
    /// `PATCH /webhooks/{app}/{token}/messages/{@original|id}`.
    WebhookEdit,
    /// `POST /interactions/{id}/{token}/callback`; carries the interaction's type.
    Callback(u8),
    /// `PUT /applications/{app}[/guilds/{guild}]/commands`.
    CommandsBulk,
    /// `POST /applications/{app}[/guilds/{guild}]/commands`.
    CommandCreate,
}

/// The parsed spec plus a cache of compiled validators (shared by all stand-ins in a process).
struct Spec {
    doc: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

fn spec_path() -> String {
    format!(
        "{}/../shared/discord-api-spec/openapi.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = spec_path();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("Discord OpenAPI spec missing at {path}: {e}"));
        let doc: Value = serde_json::from_str(&text).expect("openapi.json is not JSON");
        Spec {
            doc,
            validators: Mutex::new(HashMap::new()),
        }
    })
}

/// Compiles (once) a validator for `schema`, resolving `#/components/...` against the spec.
fn validator(key: &str, schema: &Value) -> Result<Arc<jsonschema::Validator>, String> {
    let spec = spec();
    if let Some(v) = spec.validators.lock().unwrap().get(key) {
        return Ok(v.clone());
    }
    let mut root = schema.clone();
    let obj = root.as_object_mut().ok_or("schema is not an object")?;
    obj.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    obj.insert("components".into(), spec.doc["components"].clone());
    let compiled = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .map_err(|e| format!("stand-in: cannot compile schema {key}: {e}"))?;
    let compiled = Arc::new(compiled);
    spec.validators
        .lock()
        .unwrap()
        .insert(key.to_string(), compiled.clone());
    Ok(compiled)
}

/// Resolves a local `#/components/...` reference inside the spec.
fn resolve_ref(reference: &str) -> Option<&'static Value> {
    spec().doc.pointer(reference.strip_prefix('#')?)
}

/// The `requestBody` JSON schema of an operation, by path template and method.
fn operation_schema(template: &str, method: &str) -> Option<&'static Value> {
    spec().doc["paths"]
        .get(template)?
        .get(method.to_ascii_lowercase())?
        .pointer("/requestBody/content/application~1json/schema")
}

/// Whether the spec describes `template` at all (used to catch stand-in routing mistakes).
pub fn spec_has_path(template: &str) -> bool {
    spec().doc["paths"].get(template).is_some()
}

fn run(key: &str, schema: &Value, body: &Value) -> Vec<String> {
    let v = match validator(key, schema) {
        Ok(v) => v,
        Err(e) => return vec![e],
    };
    if v.is_valid(body) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for e in v.iter_errors(body).take(8) {
        describe(&e, &mut out, 0);
    }
    out
}

/// Formats one schema error. For a failed `anyOf`/`oneOf` it reports the errors of the
/// closest branch: among those whose `type` discriminator matched, the one with fewest errors.
fn describe(e: &jsonschema::ValidationError<'_>, out: &mut Vec<String>, depth: usize) {
    use jsonschema::error::ValidationErrorKind as K;
    if let K::AnyOf { context } | K::OneOfNotValid { context } = e.kind() {
        let type_matched = |b: &&Vec<jsonschema::ValidationError<'static>>| {
            !b.iter()
                .any(|x| x.instance_path().to_string().ends_with("/type"))
        };
        let candidates = context.iter().filter(|b| !b.is_empty());
        let best = candidates
            .clone()
            .filter(type_matched)
            .min_by_key(|b| b.len());
        if let Some(best) = best.or_else(|| candidates.min_by_key(|b| b.len())) {
            if depth < 4 {
                for inner in best.iter().take(4) {
                    describe(inner, out, depth + 1);
                }
                return;
            }
        }
    }
    let at = e.instance_path().to_string();
    let at = if at.is_empty() { "/".to_string() } else { at };
    // The masked form leaves out the (possibly huge) instance; show scalars briefly.
    let got = match e.instance().as_ref() {
        Value::Array(_) | Value::Object(_) => String::new(),
        scalar => format!(" (got {})", truncate(&scalar.to_string(), 80)),
    };
    out.push(format!(
        "spec: at {at}: {}{got}",
        truncate(&e.masked().to_string(), 300)
    ));
}

/// Validates `body` against the operation's request schema. Unions (`anyOf` of `$ref`s) are
/// reported per branch; for interaction callbacks the branch is chosen by the `type` field.
fn spec_problems(template: &str, method: &str, body: &Value) -> Vec<String> {
    let Some(schema) = operation_schema(template, method) else {
        return vec![format!(
            "stand-in: the spec has no JSON request body for {method} {template}"
        )];
    };
    let op_key = format!("{method} {template}");
    let branches: Vec<&str> = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|b| b.get("$ref").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    if branches.is_empty() {
        return run(&op_key, schema, body);
    }
    if template.ends_with("/callback") {
        let t = body.get("type").and_then(Value::as_u64);
        let chosen = branches.iter().find(|r| {
            resolve_ref(r)
                .and_then(|s| s.pointer("/properties/type/enum"))
                .and_then(Value::as_array)
                .is_some_and(|e| e.iter().any(|x| x.as_u64() == t && t.is_some()))
        });
        return match chosen {
            Some(r) => run(r, &json!({"$ref": r}), body),
            None => vec![format!(
                "spec: interaction callback type {t:?} is not a known callback type"
            )],
        };
    }
    if run(&op_key, schema, body).is_empty() {
        return Vec::new();
    }
    let mut out = vec![format!("spec: body matches none of {branches:?}")];
    for r in &branches {
        let name = r.rsplit('/').next().unwrap_or(r);
        out.extend(
            run(r, &json!({"$ref": r}), body)
                .into_iter()
                .map(|p| format!("[{name}] {p}")),
        );
    }
    out
}

/// Normalisations for inputs Discord accepts although the spec types them differently.
fn lenient(kind: BodyKind, body: &Value) -> Value {
    let mut b = body.clone();
    // Discord documents `default_member_permissions` as a string bitfield (serenity sends
    // "8"); the spec types it as an integer.
    let fix = |c: &mut Value| {
        if let Some(s) = c.get("default_member_permissions").and_then(Value::as_str) {
            if let Ok(n) = s.parse::<u64>() {
                c["default_member_permissions"] = json!(n);
            }
        }
    };
    match kind {
        BodyKind::CommandsBulk => b.as_array_mut().into_iter().flatten().for_each(fix),
        BodyKind::CommandCreate => fix(&mut b),
        _ => {}
    }
    b
}

/// All problems with `body` sent to `method template` (spec + Discord-only rules).
pub fn validate(template: &str, method: &str, kind: BodyKind, body: &Value) -> Vec<String> {
    let mut problems = spec_problems(template, method, &lenient(kind, body));
    match kind {
        BodyKind::MessageCreate => problems.extend(message_rules(body, true)),
        BodyKind::WebhookExecute => problems.extend(message_rules(body, true)),
        BodyKind::MessageEdit | BodyKind::WebhookEdit => {
            problems.extend(message_rules(body, false))
        }
        BodyKind::Callback(itype) => problems.extend(callback_rules(itype, body)),
        BodyKind::CommandsBulk => {
            let cmds = body.as_array().cloned().unwrap_or_default();
            let mut seen = HashSet::new();
            for (i, c) in cmds.iter().enumerate() {
                let key = (
                    c["name"].as_str().unwrap_or("").to_string(),
                    c["type"].as_u64().unwrap_or(1),
                );
                if !seen.insert(key.clone()) {
                    problems.push(format!("commands[{i}]: duplicate command name {:?}", key.0));
                }
                problems.extend(
                    command_rules(c)
                        .into_iter()
                        .map(|p| format!("commands[{i}] {p}")),
                );
            }
        }
        BodyKind::CommandCreate => problems.extend(command_rules(body)),
    }
    problems
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn check_len(out: &mut Vec<String>, what: &str, v: &Value, max: usize) {
    let n = chars(v);
    if n > max {
        out.push(format!("{what} has {n} characters (max {max})"));
    }
}

/// Message limits the spec does not encode (or encodes differently).
pub fn message_rules(body: &Value, create: bool) -> Vec<String> {
    let mut out = Vec::new();
    check_len(&mut out, "content", &body["content"], 2000);
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    if embeds.len() > 10 {
        out.push(format!("{} embeds (max 10)", embeds.len()));
    }
    let mut total = 0;
    for (i, e) in embeds.iter().enumerate() {
        let p = format!("embeds[{i}]");
        check_len(&mut out, &format!("{p}.title"), &e["title"], 256);
        check_len(
            &mut out,
            &format!("{p}.description"),
            &e["description"],
            4096,
        );
        check_len(
            &mut out,
            &format!("{p}.footer.text"),
            &e["footer"]["text"],
            2048,
        );
        check_len(
            &mut out,
            &format!("{p}.author.name"),
            &e["author"]["name"],
            256,
        );
        total += chars(&e["title"])
            + chars(&e["description"])
            + chars(&e["footer"]["text"])
            + chars(&e["author"]["name"]);
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        if fields.len() > 25 {
            out.push(format!("{p} has {} fields (max 25)", fields.len()));
        }
        for (j, f) in fields.iter().enumerate() {
            let fp = format!("{p}.fields[{j}]");
            check_len(&mut out, &format!("{fp}.name"), &f["name"], 256);
            check_len(&mut out, &format!("{fp}.value"), &f["value"], 1024);
            if chars(&f["name"]) == 0 || chars(&f["value"]) == 0 {
                out.push(format!("{fp}: name and value must be non-empty"));
            }
            total += chars(&f["name"]) + chars(&f["value"]);
        }
    }
    if total > 6000 {
        out.push(format!(
            "embeds total {total} characters (max 6000 across all embeds of a message)"
        ));
    }
    let components_v2 = body["flags"].as_u64().unwrap_or(0) & (1 << 15) != 0;
    if let Some(rows) = body["components"].as_array() {
        if !components_v2 {
            out.extend(component_rules(rows));
        }
    }
    if create {
        let has = |k: &str| match &body[k] {
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Null => false,
            _ => true,
        };
        if ![
            "content",
            "embeds",
            "components",
            "sticker_ids",
            "attachments",
            "poll",
        ]
        .iter()
        .any(|k| has(k))
        {
            out.push("Cannot send an empty message (code 50006)".to_string());
        }
    }
    out
}

fn component_rules(rows: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    if rows.len() > 5 {
        out.push(format!("{} action rows (max 5)", rows.len()));
    }
    let mut ids = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        if row["type"].as_u64() != Some(1) {
            out.push(format!("components[{i}] is not an action row (type 1)"));
            continue;
        }
        let children = row["components"].as_array().cloned().unwrap_or_default();
        if children.is_empty() || children.len() > 5 {
            out.push(format!(
                "components[{i}] has {} components (1..=5)",
                children.len()
            ));
        }
        for (j, c) in children.iter().enumerate() {
            let p = format!("components[{i}].components[{j}]");
            check_len(&mut out, &format!("{p}.label"), &c["label"], 80);
            let is_link =
                c["type"].as_u64() == Some(2) && matches!(c["style"].as_u64(), Some(5) | Some(6));
            match c["custom_id"].as_str() {
                Some(id) => {
                    if id.is_empty() || id.chars().count() > 100 {
                        out.push(format!("{p}.custom_id must be 1..=100 characters"));
                    }
                    if !ids.insert(id.to_string()) {
                        out.push(format!("{p}.custom_id {id:?} is not unique in the message"));
                    }
                }
                None if !is_link => out.push(format!("{p} needs a custom_id")),
                None => {}
            }
            if let Some(opts) = c["options"].as_array() {
                if opts.len() > 25 {
                    out.push(format!("{p} has {} select options (max 25)", opts.len()));
                }
            }
        }
    }
    out
}

fn name_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$").unwrap())
}

fn check_name(out: &mut Vec<String>, what: &str, name: &Value) {
    let n = name.as_str().unwrap_or("");
    if !name_regex().is_match(n) {
        out.push(format!(
            "{what} name {n:?} must match ^[-_\\p{{L}}\\p{{N}}]{{1,32}}$"
        ));
    }
    if n.to_lowercase() != n {
        out.push(format!("{what} name {n:?} must be lowercase"));
    }
}

fn check_description(out: &mut Vec<String>, what: &str, d: &Value) {
    let n = chars(d);
    if !(1..=100).contains(&n) {
        out.push(format!(
            "{what} description must be 1..=100 characters (has {n})"
        ));
    }
}

/// Rules for one application command (create / bulk-overwrite entry).
pub fn command_rules(cmd: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let kind = cmd["type"].as_u64().unwrap_or(1);
    let name = cmd["name"].as_str().unwrap_or("");
    if kind == 1 {
        check_name(&mut out, "command", &cmd["name"]);
        check_description(&mut out, &format!("command {name:?}"), &cmd["description"]);
    } else {
        let n = name.chars().count();
        if !(1..=32).contains(&n) {
            out.push(format!("command name {name:?} must be 1..=32 characters"));
        }
        if chars(&cmd["description"]) > 0 {
            out.push(format!(
                "user/message command {name:?} must not have a description"
            ));
        }
    }
    option_rules(&mut out, &format!("command {name:?}"), &cmd["options"]);
    out
}

fn option_rules(out: &mut Vec<String>, parent: &str, options: &Value) {
    let Some(opts) = options.as_array() else {
        return;
    };
    if opts.len() > 25 {
        out.push(format!("{parent} has {} options (max 25)", opts.len()));
    }
    let mut seen_optional = false;
    let mut names = HashSet::new();
    for o in opts {
        let oname = o["name"].as_str().unwrap_or("");
        let what = format!("{parent} option {oname:?}");
        check_name(out, "option", &o["name"]);
        check_description(out, &what, &o["description"]);
        if !names.insert(oname.to_string()) {
            out.push(format!("{what} is duplicated"));
        }
        let kind = o["type"].as_u64().unwrap_or(0);
        if kind == 1 || kind == 2 {
            option_rules(out, &what, &o["options"]);
            continue;
        }
        let required = o["required"].as_bool().unwrap_or(false);
        if required && seen_optional {
            out.push(format!(
                "{what}: required options must come before optional ones"
            ));
        }
        seen_optional |= !required;
        let choices = o["choices"].as_array().cloned().unwrap_or_default();
        if choices.len() > 25 {
            out.push(format!("{what} has {} choices (max 25)", choices.len()));
        }
        if !choices.is_empty() && o["autocomplete"].as_bool() == Some(true) {
            out.push(format!(
                "{what}: autocomplete cannot be combined with choices"
            ));
        }
        for c in &choices {
            let n = chars(&c["name"]);
            if !(1..=100).contains(&n) {
                out.push(format!(
                    "{what} choice name must be 1..=100 characters (has {n})"
                ));
            }
            check_len(out, &format!("{what} choice value"), &c["value"], 100);
        }
    }
}

/// Rules for an interaction callback given the interaction's type.
pub fn callback_rules(interaction_type: u8, body: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let t = body["type"].as_u64().unwrap_or(0);
    let allowed: &[u64] = match interaction_type {
        1 => &[1],
        2 => &[4, 5, 9],
        3 => &[4, 5, 6, 7, 9],
        4 => &[8],
        5 => &[4, 5, 6, 7],
        _ => &[],
    };
    if !allowed.contains(&t) {
        out.push(format!(
            "callback type {t} is not valid for interaction type {interaction_type} (allowed {allowed:?})"
        ));
    }
    let data = &body["data"];
    match t {
        4 => out.extend(
            message_rules(data, true)
                .into_iter()
                .map(|p| format!("data: {p}")),
        ),
        7 => out.extend(
            message_rules(data, false)
                .into_iter()
                .map(|p| format!("data: {p}")),
        ),
        8 => {
            let choices = data["choices"].as_array().cloned().unwrap_or_default();
            if data["choices"].is_null() {
                out.push("data.choices is required for an autocomplete result".to_string());
            }
            if choices.len() > 25 {
                out.push(format!(
                    "autocomplete result has {} choices (max 25)",
                    choices.len()
                ));
            }
            for c in &choices {
                let n = chars(&c["name"]);
                if !(1..=100).contains(&n) {
                    out.push(format!(
                        "autocomplete choice name must be 1..=100 characters (has {n})"
                    ));
                }
                check_len(&mut out, "autocomplete choice value", &c["value"], 100);
            }
        }
        9 => {
            check_len(&mut out, "modal title", &data["title"], 45);
            let id = chars(&data["custom_id"]);
            if !(1..=100).contains(&id) {
                out.push("modal custom_id must be 1..=100 characters".to_string());
            }
            let rows = data["components"].as_array().map_or(0, Vec::len);
            if !(1..=5).contains(&rows) {
                out.push(format!("modal has {rows} components (1..=5)"));
            }
        }
        _ => {}
    }
    out
}
