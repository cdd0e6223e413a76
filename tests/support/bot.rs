//! The real `briefbot run` binary as a test subject: a temporary folder with its config
//! (pointed at a [`StandIn`]), database, optional brief folder and stderr log, and the
//! process, which is killed (SIGKILL) when dropped.

use super::discord::StandIn;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// A bot's folder and process.
pub struct BotProcess {
    child: Option<Child>,
    config: PathBuf,
    briefs: Option<PathBuf>,
    dir: tempfile::TempDir,
}

impl BotProcess {
    /// Writes the config — REST through the stand-in, commands registered in its guild, the
    /// database in the folder, then `extra` — without starting the bot. With `folder`, briefs
    /// come from an empty `briefs/` folder (watched); without, from the embedded samples.
    pub fn new(standin: &StandIn, folder: bool, extra: &str) -> BotProcess {
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
        let config = format!(
            "[discord]\napi_proxy = \"{}\"\nguild_ids = [{}]\n{briefs_table}[storage]\npath = \"{}\"\n{extra}",
            standin.http_url(),
            standin.guild_id(),
            dir.path().join("bot.db").display()
        );
        let path = dir.path().join("briefbot.toml");
        std::fs::write(&path, config).expect("write config");
        BotProcess {
            child: None,
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

    /// Starts (or restarts) `briefbot run` with the stand-in's token, `RUST_LOG=warn`, and
    /// stderr appended to the folder's `stderr.log`.
    pub fn spawn(&mut self, standin: &StandIn) {
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
            .env("RUST_LOG", "warn")
            // Feed sources poll every 200 ms instead of every `every` (a test-only knob of
            // `app::sources`; without `[[sources]]` it changes nothing).
            .env("BRIEFBOT_TEST_POLL_MS", "200")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start briefbot");
        self.child = Some(child);
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

    /// The bot's folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("stderr.log")
    }

    /// Everything the bot wrote to stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Writes a brief into the watched folder atomically (temp file, then rename into
    /// `<id>.md`); returns the instant right after the rename.
    pub fn write_brief(&self, id: &str, title: &str, topic: &str) -> Instant {
        let briefs = self.briefs.as_ref().expect("started with a brief folder");
        let text = format!(
            "+++\nid = \"{id}\"\ntitle = \"{title}\"\ntopics = [\"{topic}\"]\n+++\n\
             What's Happening?\nThe grid grew.\nWhy It's Important?\nIt matters.\n"
        );
        let tmp = briefs.join(format!("{id}.tmp"));
        std::fs::write(&tmp, text).expect("write brief");
        std::fs::rename(&tmp, briefs.join(format!("{id}.md"))).expect("rename brief");
        Instant::now()
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
