//! The real `briefbot run` binary as a test subject: a temporary folder with its config
//! (pointed at a [`StandIn`]), database, optional brief folder and stderr log, and the
//! process, which is killed (SIGKILL) when dropped.
//!
//! The bot runs with its progress lines on (`briefbot::progress` at debug level: `planned
//! pass=N … changed="id,…" deliveries=M` after each planning pass, `idle pass=N` once
//! everything planned so far is sent), which [`BotProcess::started`] and
//! [`BotProcess::settled`] wait on: "nothing else will be posted" is a state the bot reports,
//! not a pause.
//!
//! With `[http] listen = "127.0.0.1:0"` in its config, [`BotProcess::ops_addr`] finds the
//! operations endpoint from the bot's log line, and [`ops_get`] / [`sample`] read
//! `/healthz` and `/metrics`.

use super::discord::StandIn;
use super::wait::eventually;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One progress line of the running process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// A planning pass finished: its number, the briefs new or changed since the previous
    /// pass, and the deliveries it planned.
    Planned {
        pass: u64,
        changed: Vec<String>,
        deliveries: u64,
    },
    /// Everything planned up to `pass` was sent (or its channel paused).
    Idle { pass: u64 },
}

/// A brief written by [`BotProcess::write_brief`]: its id, when it appeared in the folder,
/// and how many passes the bot had reported before.
#[derive(Debug, Clone)]
pub struct Written {
    pub id: String,
    pub at: Instant,
    passes_before: usize,
}

/// A bot's folder and process.
pub struct BotProcess {
    child: Option<Child>,
    /// Where the current process's lines start in the stderr log.
    log_start: usize,
    config: PathBuf,
    briefs: Option<PathBuf>,
    dir: tempfile::TempDir,
}

impl BotProcess {
    /// Writes the config — REST through the stand-in, commands registered in its guild, the
    /// database in the folder, then `extra` — without starting the bot. With `folder`, briefs
    /// come from an empty `briefs/` folder (watched); without, from the embedded samples.
    pub fn new(standin: &StandIn, folder: bool, extra: &str) -> BotProcess {
        BotProcess::new_with_storage(standin, folder, None, extra)
    }

    /// [`BotProcess::new`] with `storage` as the body of the `[storage]` table (e.g.
    /// `url = "postgres://…"`) instead of a database file in the folder.
    pub fn new_with_storage(
        standin: &StandIn,
        folder: bool,
        storage: Option<&str>,
        extra: &str,
    ) -> BotProcess {
        BotProcess::configured(standin, folder, "", storage, extra)
    }

    /// [`BotProcess::new`] (embedded briefs, a database file in the folder) with `discord`
    /// added to the `[discord]` table, e.g. `shards = "auto"`.
    pub fn with_discord(standin: &StandIn, discord: &str, extra: &str) -> BotProcess {
        BotProcess::configured(standin, false, discord, None, extra)
    }

    fn configured(
        standin: &StandIn,
        folder: bool,
        discord: &str,
        storage: Option<&str>,
        extra: &str,
    ) -> BotProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let briefs = folder.then(|| {
            let b = dir.path().join("briefs");
            std::fs::create_dir(&b).expect("briefs dir");
            b
        });
        let briefs_table = briefs
            .as_ref()
            .map(|b| format!("[briefs]\ndir = \"{}\"\n", b.display()))
            .unwrap_or_default();
        let storage = match storage {
            Some(body) => body.to_string(),
            None => format!("path = \"{}\"", dir.path().join("bot.db").display()),
        };
        let config = format!(
            "[discord]\napi_proxy = \"{}\"\nguild_ids = [{}]\n{discord}\n{briefs_table}[storage]\n{storage}\n{extra}",
            standin.http_url(),
            standin.guild_id(),
        );
        let path = dir.path().join("briefbot.toml");
        std::fs::write(&path, config).expect("write config");
        BotProcess {
            child: None,
            log_start: 0,
            config: path,
            briefs,
            dir,
        }
    }

    /// [`BotProcess::new`], then [`BotProcess::spawn`].
    pub fn start(standin: &StandIn, folder: bool, extra: &str) -> BotProcess {
        let mut bot = BotProcess::new(standin, folder, extra);
        bot.spawn(standin);
        bot
    }

    /// Starts (or restarts) `briefbot run` with the stand-in's token, warnings and progress
    /// lines logged (no colours), and stderr appended to the folder's `stderr.log`.
    pub fn spawn(&mut self, standin: &StandIn) {
        self.log_start = self.stderr().len();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("stderr log");
        let child = Command::new(env!("CARGO_BIN_EXE_briefbot"))
            .args(["run", "--config"])
            .arg(&self.config)
            .current_dir(self.dir.path())
            .env("DISCORD_TOKEN", standin.token())
            .env(
                "RUST_LOG",
                "warn,briefbot::progress=debug,briefbot::ops=info",
            )
            .env("NO_COLOR", "1")
            // Feed sources poll every 200 ms instead of every `every` (a test-only knob of
            // `app::sources`; without `[[sources]]` it changes nothing).
            .env("BRIEFBOT_TEST_POLL_MS", "200")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start briefbot");
        self.child = Some(child);
    }

    /// A second bot with the same config — the same brief folder and, with `[storage] url`,
    /// the same database — in a folder (and log) of its own: another process of one
    /// deployment.
    pub fn twin(&self) -> BotProcess {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("briefbot.toml");
        std::fs::copy(&self.config, &path).expect("copy config");
        BotProcess {
            child: None,
            log_start: 0,
            config: path,
            briefs: self.briefs.clone(),
            dir,
        }
    }

    /// Waits until the current process has logged a line containing `needle`.
    pub async fn logged(&self, needle: &str) {
        eventually(&format!("the bot to log {needle:?}"), || {
            let log = self.stderr();
            log.get(self.log_start..)
                .unwrap_or_default()
                .contains(needle)
                .then_some(())
                .ok_or_else(|| self.tail())
        })
        .await
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The running process.
    pub fn child(&mut self) -> &mut Child {
        self.child.as_mut().expect("bot running")
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("bot running").id()
    }

    /// The address of the current process's operations endpoint (`[http] listen`, port 0
    /// in tests), from the line the bot logs once it listens.
    pub async fn ops_addr(&self) -> SocketAddr {
        eventually("the operations endpoint to listen", || {
            let log = self.stderr();
            log.get(self.log_start..)
                .unwrap_or_default()
                .lines()
                .find_map(|l| {
                    let (_, addr) = l.split_once("serving /healthz and /metrics on http://")?;
                    addr.trim().parse().ok()
                })
                .ok_or_else(|| self.tail())
        })
        .await
    }

    /// The bot's folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("stderr.log")
    }

    /// The bot's database (the default storage of [`BotProcess::new`]), opened beside it
    /// (WAL: reads do not disturb a running bot): to set up what `/subscribe` would have
    /// written before a start, or to read what the bot wrote.
    pub async fn store(&self) -> briefbot::store::Store {
        briefbot::store::Store::open(&self.dir().join("bot.db"))
            .await
            .expect("open the bot's database")
    }

    /// Everything the bot wrote to stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Writes a brief into the watched folder atomically (a temp file beside the folder,
    /// renamed into `<id>.md`: one change for the watcher).
    pub fn write_brief(&self, id: &str, title: &str, topic: &str) -> Written {
        let briefs = self.briefs.as_ref().expect("started with a brief folder");
        let text = format!(
            "+++\nid = \"{id}\"\ntitle = \"{title}\"\ntopics = [\"{topic}\"]\n+++\n\
             What's Happening?\nThe grid grew.\nWhy It's Important?\nIt matters.\n"
        );
        let passes_before = self.passes().len();
        let tmp = self.dir.path().join(format!("{id}.tmp"));
        std::fs::write(&tmp, text).expect("write brief");
        std::fs::rename(&tmp, briefs.join(format!("{id}.md"))).expect("rename brief");
        Written {
            id: id.to_owned(),
            at: Instant::now(),
            passes_before,
        }
    }

    /// The progress lines of the current process, in order.
    pub fn progress(&self) -> Vec<Progress> {
        let log = self.stderr();
        let ours = log.get(self.log_start..).unwrap_or_default();
        ours.lines().filter_map(parse_progress).collect()
    }

    /// The planning passes reported so far: (pass, changed ids, deliveries).
    fn passes(&self) -> Vec<(u64, Vec<String>, u64)> {
        self.progress()
            .into_iter()
            .filter_map(|p| match p {
                Progress::Planned {
                    pass,
                    changed,
                    deliveries,
                } => Some((pass, changed, deliveries)),
                Progress::Idle { .. } => None,
            })
            .collect()
    }

    /// Waits until the current process has planned the briefs on hand at start (its folder
    /// watcher is running by then); returns the deliveries planned.
    pub async fn started(&self) -> u64 {
        eventually("the bot's start-up planning pass", || {
            self.passes()
                .first()
                .map(|p| p.2)
                .ok_or_else(|| self.tail())
        })
        .await
    }

    /// Waits until everything the current process planned so far — at least its start-up
    /// pass — has been sent (or its channel paused).
    pub async fn idle(&self) {
        let pass = eventually("a planning pass", || {
            self.passes().last().map(|p| p.0).ok_or_else(|| self.tail())
        })
        .await;
        self.idle_after(pass).await;
    }

    /// Waits until the bot has loaded `written` (a planning pass after the write names it as
    /// new or changed) and then sent everything that pass planned: after this, nothing more
    /// will be posted for it. Returns the deliveries that pass planned.
    pub async fn settled(&self, written: &Written) -> u64 {
        let (pass, deliveries) =
            eventually(&format!("a planning pass with {}", written.id), || {
                self.passes()
                    .into_iter()
                    .skip(written.passes_before)
                    .find(|p| p.1.contains(&written.id))
                    .map(|p| (p.0, p.2))
                    .ok_or_else(|| self.tail())
            })
            .await;
        self.idle_after(pass).await;
        deliveries
    }

    async fn idle_after(&self, pass: u64) {
        eventually(&format!("the bot to be idle after pass {pass}"), || {
            self.progress()
                .iter()
                .any(|p| matches!(p, Progress::Idle { pass: done } if *done >= pass))
                .then_some(())
                .ok_or_else(|| self.tail())
        })
        .await
    }

    /// The last lines of the log, for failure messages.
    fn tail(&self) -> String {
        let log = self.stderr();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(8)..].join("\n")
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `GET http://addr/path` (HTTP/1.1, one connection): status and body. Blocking, for
/// `eventually` conditions.
pub fn ops_get(addr: SocketAddr, path: &str) -> Result<(u16, String), String> {
    use std::io::{Read, Write};
    let mut tcp = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    tcp.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    write!(
        tcp,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    let (head, body) = answer.split_once("\r\n\r\n").ok_or("no header end")?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    Ok((status, body.to_owned()))
}

/// The value of one series (`name{labels}`) in Prometheus text, if present.
pub fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| {
        l.strip_prefix(series)?
            .strip_prefix(' ')?
            .trim()
            .parse()
            .ok()
    })
}

/// Parses a `briefbot::progress` line: `… DEBUG briefbot::progress: planned pass=2 briefs=3
/// changed="a,b" deliveries=1` or `… idle pass=2`.
fn parse_progress(line: &str) -> Option<Progress> {
    let (_, rest) = line.split_once(" briefbot::progress: ")?;
    let (kind, fields) = rest.split_once(' ')?;
    let field = |name: &str| -> Option<&str> {
        let start = fields.find(&format!("{name}="))? + name.len() + 1;
        let value = &fields[start..];
        Some(if let Some(quoted) = value.strip_prefix('"') {
            &quoted[..quoted.find('"')?]
        } else {
            value.split(' ').next()?
        })
    };
    let pass = field("pass")?.parse().ok()?;
    match kind {
        "planned" => Some(Progress::Planned {
            pass,
            changed: field("changed")?
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            deliveries: field("deliveries")?.parse().ok()?,
        }),
        "idle" => Some(Progress::Idle { pass }),
        _ => None,
    }
}
