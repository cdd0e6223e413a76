//! The gateway half: a plain `ws://` Gateway v10 server. HELLO on connect, heartbeat ACKs,
//! IDENTIFY with `shard: [id, count]` (→ READY + GUILD_CREATE for each guild of that shard),
//! RESUME (→ replay + RESUMED), Discord's close codes for protocol errors, a refusal mode
//! (503 at the handshake), and the dispatch path used by tests: each dispatch goes to the
//! live connection of its guild's shard, `(guild_id >> 22) % count` (DMs: shard 0), and is
//! checked with serenity's model types first (see `payloads::check_dispatch_frame`).

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

use super::payloads::{self, check_dispatch_frame};
use super::state::{LiveConn, Outgoing, Session, Shared, State};

/// Accepts gateway connections until shutdown.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    // Small frames go out at once, as on Discord (no Nagle delay).
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(connection(stream, shared.clone()));
                }
            }
            _ = stopped(&mut shutdown) => return,
        }
    }
}

/// Resolves once the stand-in shuts down.
async fn stopped(rx: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await.map(|_| ());
}

/// Builds a dispatch frame in `session`, checks it with serenity and stores it for replay.
pub fn dispatch_frame(session: &mut Session, t: &str, d: &Value) -> Result<String, String> {
    let seq = session.seq + 1;
    let frame = json!({"op": 0, "t": t, "s": seq, "d": d}).to_string();
    check_dispatch_frame(t, d, &frame)?;
    session.seq = seq;
    session.frames.push((seq, frame.clone()));
    Ok(frame)
}

/// Sends a dispatch on the live connection of `shard`. Errors if there is none or serenity
/// would reject it.
pub fn dispatch_live(st: &mut State, shard: u32, t: &str, d: &Value) -> Result<u64, String> {
    let live = st.live.get(&shard).ok_or_else(|| {
        format!("no live gateway connection for shard {shard} (call wait_shard_ready first)")
    })?;
    let (session_id, tx) = (live.session_id.clone(), live.tx.clone());
    let session = st
        .sessions
        .get_mut(&session_id)
        .ok_or("live connection has no session")?;
    let frame = dispatch_frame(session, t, d)?;
    let seq = session.seq;
    tx.send(Outgoing::Frame(frame))
        .map_err(|_| "gateway connection is gone".to_string())?;
    Ok(seq)
}

fn op(op: u8, d: Value) -> String {
    json!({"op": op, "d": d, "s": null, "t": null}).to_string()
}

// tungstenite's handshake callback must return its (large) `ErrorResponse` type.
#[allow(clippy::result_large_err)]
async fn connection(stream: TcpStream, shared: Arc<Shared>) {
    let mut query = String::new();
    let refused = shared.lock().gateway_refused;
    let callback = |req: &Request, resp: Response| {
        query = req.uri().query().unwrap_or("").to_string();
        if refused {
            let mut no = ErrorResponse::new(Some("gateway refused by the stand-in".into()));
            *no.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            return Err(no);
        }
        Ok(resp)
    };
    let Ok(ws) = tokio_tungstenite::accept_hdr_async(stream, callback).await else {
        return;
    };
    let params: Vec<(&str, &str)> = query.split('&').filter_map(|p| p.split_once('=')).collect();
    if !params.contains(&("v", "10")) {
        shared.lock().other_problems.push(format!(
            "gateway: connected with query {query:?}, expected v=10"
        ));
    }
    if params.iter().any(|(k, v)| *k == "encoding" && *v != "json") {
        shared
            .lock()
            .other_problems
            .push(format!("gateway: unsupported encoding in {query:?}"));
    }

    let (mut sink, mut source) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Outgoing>();
    let conn_id = {
        let mut st = shared.lock();
        st.next_conn += 1;
        st.next_conn
    };
    let hello = op(
        10,
        json!({"heartbeat_interval": shared.cfg.heartbeat_interval.as_millis() as u64, "_trace": ["[\"gateway-standin\"]"]}),
    );
    let _ = tx.send(Outgoing::Frame(hello));
    let mut shutdown = shared.shutdown.subscribe();
    let mut conn = Conn {
        shared: shared.clone(),
        conn_id,
        tx,
        session: None,
    };

    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Outgoing::Frame(f)) => {
                    if sink.send(Message::Text(f)).await.is_err() { break; }
                }
                Some(Outgoing::Close(code, reason)) => {
                    let frame = CloseFrame { code: CloseCode::from(code), reason: reason.into() };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break;
                }
                None => break,
            },
            msg = source.next() => match msg {
                Some(Ok(Message::Text(text))) => conn.on_text(&text),
                Some(Ok(Message::Binary(_))) => conn.close(4002, "Error while decoding payload."),
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
            _ = stopped(&mut shutdown) => break,
        }
    }
    shared.lock().live.retain(|_, l| l.conn_id != conn_id);
    shared.bump();
}

/// One connection's protocol state.
struct Conn {
    shared: Arc<Shared>,
    conn_id: u64,
    tx: mpsc::UnboundedSender<Outgoing>,
    session: Option<String>,
}

impl Conn {
    fn send(&self, frame: String) {
        let _ = self.tx.send(Outgoing::Frame(frame));
    }

    fn close(&self, code: u16, reason: &str) {
        let _ = self.tx.send(Outgoing::Close(code, reason.to_string()));
    }

    fn problem(&self, p: String) {
        self.shared
            .lock()
            .other_problems
            .push(format!("gateway: {p}"));
    }

    fn on_text(&mut self, text: &str) {
        let Ok(v) = serde_json::from_str::<Value>(text) else {
            self.problem(format!(
                "client sent invalid JSON: {}",
                payloads::truncate(text, 200)
            ));
            return self.close(4002, "Error while decoding payload.");
        };
        match v["op"].as_u64() {
            Some(1) => {
                let ack = self.shared.cfg.ack_heartbeats;
                self.shared.lock().heartbeats += 1;
                if ack {
                    self.send(json!({"op": 11, "d": null, "s": null, "t": null}).to_string());
                }
            }
            Some(2) => self.identify(&v["d"]),
            Some(6) => self.resume(&v["d"]),
            Some(3) | Some(4) | Some(8) | Some(31) if self.session.is_some() => {}
            Some(3) | Some(4) | Some(8) | Some(31) => self.close(4003, "Not authenticated."),
            other => {
                self.problem(format!("client sent unknown opcode {other:?}"));
                self.close(4001, "Unknown opcode.");
            }
        }
    }

    fn token_ok(&self, st: &State, token: &Value) -> bool {
        let t = token.as_str().unwrap_or("");
        let t = t.strip_prefix("Bot ").unwrap_or(t);
        st.token_valid && t == self.shared.cfg.token
    }

    fn identify(&mut self, d: &Value) {
        let shared = self.shared.clone();
        let cfg = &shared.cfg;
        let mut st = shared.lock();
        if self.session.is_some() {
            drop(st);
            return self.close(4005, "Already authenticated.");
        }
        if !self.token_ok(&st, &d["token"]) {
            drop(st);
            return self.close(4004, "Authentication failed.");
        }
        if d["intents"].as_u64().is_none() {
            st.other_problems
                .push("gateway: IDENTIFY without intents".into());
            drop(st);
            return self.close(4013, "Invalid intent(s).");
        }
        for key in ["properties", "shard"] {
            if d[key].is_null() {
                st.other_problems
                    .push(format!("gateway: IDENTIFY without {key}"));
            }
        }
        let number = |i: usize| d["shard"][i].as_u64().and_then(|n| u32::try_from(n).ok());
        let (shard, total) = match (number(0), number(1)) {
            (Some(id), Some(total)) if id < total => (id, total),
            (None, None) if d["shard"].is_null() => (0, 1),
            _ => {
                st.other_problems
                    .push(format!("gateway: IDENTIFY with shard {}", d["shard"]));
                drop(st);
                return self.close(4010, "Invalid shard.");
            }
        };
        let running = st.live.keys().next().copied();
        let running_total = st.shard_total;
        if let Some(other) = running.filter(|_| running_total != total) {
            st.other_problems.push(format!(
                "gateway: shard {shard} IDENTIFYed with {total} shards while shard {other} \
                 runs with {running_total}"
            ));
        }
        st.shard_total = total;
        let session_id = format!(
            "{:016x}{:016x}",
            payloads::random_u64(),
            payloads::random_u64()
        );
        let mut session = Session {
            shard,
            ..Session::default()
        };
        let guilds: Vec<_> = cfg
            .guilds
            .iter()
            .filter(|g| Shared::shard_of(&st, Some(g.id)) == shard)
            .collect();
        let mut frames = Vec::new();
        let shard_field = d.get("shard").filter(|s| s.is_array());
        let ready = payloads::ready(
            cfg,
            &session_id,
            &shared.gateway_url(),
            shard_field,
            &guilds,
        );
        let mut events = vec![("READY", ready)];
        events.extend(
            guilds
                .iter()
                .map(|g| ("GUILD_CREATE", payloads::guild_create(cfg, g))),
        );
        for (t, payload) in &events {
            match dispatch_frame(&mut session, t, payload) {
                Ok(f) => frames.push(f),
                Err(e) => st.other_problems.push(format!("stand-in bug: {e}")),
            }
        }
        for f in frames {
            self.send(f);
        }
        st.sessions.insert(session_id.clone(), session);
        st.identifies += 1;
        st.identified.push([shard, total]);
        st.live.insert(
            shard,
            LiveConn {
                conn_id: self.conn_id,
                session_id: session_id.clone(),
                tx: self.tx.clone(),
            },
        );
        self.session = Some(session_id);
        drop(st);
        shared.bump();
    }

    fn resume(&mut self, d: &Value) {
        let shared = self.shared.clone();
        let mut st = shared.lock();
        if !self.token_ok(&st, &d["token"]) {
            drop(st);
            return self.close(4004, "Authentication failed.");
        }
        let session_id = d["session_id"].as_str().unwrap_or("").to_string();
        let seq = d["seq"].as_u64().unwrap_or(0);
        let Some(session) = st.sessions.get_mut(&session_id) else {
            drop(st);
            return self.send(op(9, json!(false)));
        };
        let shard = session.shard;
        if seq > session.seq {
            drop(st);
            return self.close(4007, "Invalid seq.");
        }
        let replay: Vec<String> = session
            .frames
            .iter()
            .filter(|(s, _)| *s > seq)
            .map(|(_, f)| f.clone())
            .collect();
        let resumed = dispatch_frame(
            session,
            "RESUMED",
            &json!({"_trace": ["[\"gateway-standin\"]"]}),
        );
        for f in replay {
            self.send(f);
        }
        match resumed {
            Ok(f) => self.send(f),
            Err(e) => st.other_problems.push(format!("stand-in bug: {e}")),
        }
        st.resumes += 1;
        st.live.insert(
            shard,
            LiveConn {
                conn_id: self.conn_id,
                session_id: session_id.clone(),
                tx: self.tx.clone(),
            },
        );
        self.session = Some(session_id);
        drop(st);
        shared.bump();
    }
}
