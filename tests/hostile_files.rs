//! Hostile files in the brief folder, through the real binary: a FIFO, a link to
//! `/dev/zero`, file names that are not UTF-8 and names with terminal control characters.
//! `check`, `briefs` and `run` never hang (every process here is waited on with a deadline
//! and killed past it), report each bad file with a clear reason and its name escaped, and
//! still load every other brief; a FIFO added while `run` is running does not stop later
//! folder reloads, and SIGTERM still ends the bot with exit code 0.

mod support;

use serde_json::Value;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::bot::BotProcess;
use support::discord::{OptionValue, StandIn, StandInConfig, MEMBER_PERMISSIONS};
use support::wait::eventually;

const WAIT: Duration = Duration::from_secs(15);

/// A name with a "clear screen" sequence and a bell in it.
const CONTROL_NAME: &[u8] = b"wipe\x1b[2J\x07.md";

fn brief(headline: &str) -> String {
    format!(
        "{headline}\n\nWhat's Happening?\nThe pier crew tested a quieter crane.\n\n\
         Why It's Important?\nNight shifts could resume near homes.\n"
    )
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("path");
    // SAFETY: `c` is a valid NUL-terminated path.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo: {}", std::io::Error::last_os_error());
}

/// Fills `dir` with: one ordinary brief, a FIFO, a link to /dev/zero, two briefs whose names
/// are not UTF-8 (and would both be "caf" if decoded lossily), a brief whose name holds
/// control characters, and an empty file with the same control characters (a problem, so
/// that its name is printed).
fn hostile_folder(dir: &Path) {
    std::fs::write(dir.join("good.md"), brief("Harbor crane trial ends early")).expect("good");
    mkfifo(&dir.join("pipe.md"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.md")).expect("symlink");
    let name = |bytes: &[u8]| dir.join(OsStr::from_bytes(bytes));
    std::fs::write(name(b"caf\xe9.md"), brief("Latin-1 named brief one")).expect("e9");
    std::fs::write(name(b"caf\xe8.md"), brief("Latin-1 named brief two")).expect("e8");
    std::fs::write(name(b"ok\x1b[31m.md"), brief("Colour-named brief")).expect("ctrl");
    std::fs::write(name(CONTROL_NAME), "").expect("empty ctrl");
}

/// Runs a one-shot command, killing it if it has not ended within [`WAIT`].
fn bounded(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn briefbot");
    let deadline = Instant::now() + WAIT;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("briefbot hung on the folder (killed after {WAIT:?})");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn briefbot(args: &[&str], dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_briefbot"));
    cmd.args(args)
        .arg("--briefs")
        .arg(dir)
        .current_dir(dir.parent().expect("parent"))
        .env("RUST_LOG", "warn");
    cmd
}

fn folder() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("briefs");
    std::fs::create_dir(&dir).expect("briefs dir");
    hostile_folder(&dir);
    (tmp, dir)
}

#[test]
fn check_reports_each_hostile_file_and_loads_the_rest() {
    let (_tmp, dir) = folder();
    let out = bounded(briefbot(&["check"], &dir));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "problems found: {stdout}");
    let line = |needle: &str| {
        stdout
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line for {needle}:\n{stdout}"))
            .to_string()
    };
    assert!(line("pipe.md").contains("not a regular file"), "{stdout}");
    assert!(
        line("zero.md").contains("leads out of briefs.dir"),
        "{stdout}"
    );
    // The control characters are shown escaped, never sent to the terminal.
    assert!(
        line("wipe").contains(r"wipe\u{1b}[2J\u{7}.md"),
        "escaped name: {stdout}"
    );
    assert!(
        !out.stdout.windows(2).any(|w| w == b"\x1b["),
        "raw escape sequence printed: {stdout:?}"
    );
    assert!(!out.stdout.contains(&0x07), "raw bell printed");
    assert!(
        stdout.contains("4 briefs loaded, 3 problems"),
        "every other brief loads: {stdout}"
    );
}

#[test]
fn followed_link_to_dev_zero_is_not_read() {
    let (tmp, dir) = folder();
    let config = tmp.path().join("briefbot.toml");
    std::fs::write(&config, "[briefs]\nfollow_symlinks = true\n").expect("config");
    let mut cmd = briefbot(&["check"], &dir);
    cmd.arg("--config").arg(&config);
    let out = bounded(cmd);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let zero = stdout
        .lines()
        .find(|l| l.contains("zero.md"))
        .unwrap_or_else(|| panic!("zero.md reported:\n{stdout}"));
    assert!(zero.contains("not a regular file"), "{zero}");
}

#[test]
fn briefs_gives_names_that_are_not_utf8_distinct_ids() {
    let (_tmp, dir) = folder();
    let out = bounded(briefbot(&["briefs", "--json"], &dir));
    assert!(out.status.success(), "{out:?}");
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    let id_of = |title: &str| {
        list.iter()
            .find(|b| b["title"] == title)
            .unwrap_or_else(|| panic!("{title} loaded: {list:#?}"))["id"]
            .as_str()
            .expect("id")
            .to_string()
    };
    let (one, two) = (
        id_of("Latin-1 named brief one"),
        id_of("Latin-1 named brief two"),
    );
    assert_ne!(one, two, "two names that are not UTF-8 share an id");
    assert!(
        one.starts_with("caf-") && two.starts_with("caf-"),
        "{one} {two}"
    );
    // Stable: the same bytes give the same id on the next run.
    let again = bounded(briefbot(&["briefs", "--json"], &dir));
    let list2: Vec<Value> = serde_json::from_slice(&again.stdout).expect("json");
    assert!(list2.iter().any(|b| b["id"] == one.as_str()));
    let colour = id_of("Colour-named brief");
    assert!(
        !colour.chars().any(char::is_control),
        "control characters in an id: {colour:?}"
    );
    assert_eq!(list.len(), 4, "{list:#?}");
}

/// `/brief query:<query>`; returns the title of the embed answered.
async fn brief_title(standin: &StandIn, query: &str) -> String {
    let payload = standin.slash_command(
        "brief",
        vec![("query", OptionValue::String(query.into()))],
        standin.channel_id(),
        standin.guild_id(),
        MEMBER_PERMISSIONS,
    );
    let id = standin.dispatch_interaction(payload).await;
    let cb = standin.wait_callback(id, WAIT).await.expect("a callback");
    cb.data["embeds"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_starts_around_hostile_files_and_survives_a_fifo_added_while_running() {
    let standin = StandIn::start(StandInConfig::default()).await;
    // Deliveries go to the second channel; commands are answered in the first.
    let news = StandInConfig::default().guilds[0].channels[1].id;
    let mut bot = BotProcess::new(
        &standin,
        true,
        &format!("[[subscriptions]]\nchannel = {news}\n"),
    );
    let dir = bot.dir().join("briefs");
    hostile_folder(&dir);
    bot.spawn(&standin);
    standin.wait_ready(WAIT).await.expect("the bot starts");
    eventually("commands registered", || {
        !standin.guild_commands(standin.guild_id()).is_empty()
    })
    .await;
    assert_eq!(
        brief_title(&standin, "harbor crane").await,
        "Harbor crane trial ends early"
    );
    assert_eq!(
        brief_title(&standin, "Latin-1 named brief two").await,
        "Latin-1 named brief two"
    );
    let log = bot.stderr();
    assert!(
        log.contains("pipe.md") && log.contains("not a regular file"),
        "{log}"
    );
    assert!(
        log.contains(r"wipe\u{1b}[2J\u{7}.md"),
        "escaped in the log: {log}"
    );
    assert!(
        !log.contains("wipe\x1b[2J"),
        "raw control characters logged"
    );

    // A FIFO appears while running; then a brief: the reload after the FIFO still works.
    mkfifo(&dir.join("late.md"));
    eventually("the FIFO is reported", || bot.stderr().contains("late.md")).await;
    bot.write_brief("after-fifo", "Written after the FIFO", "harbor");
    let got = standin.wait_messages(news, 1, WAIT).await;
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0]["embeds"][0]["title"], "Written after the FIFO");
    assert_eq!(
        brief_title(&standin, "Written after the FIFO").await,
        "Written after the FIFO"
    );

    // SIGTERM still ends it, cleanly.
    let pid = libc::pid_t::try_from(bot.pid()).expect("pid");
    // SAFETY: signals our own child, not yet waited for.
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
    let status = eventually("the bot to exit on SIGTERM", || {
        bot.child().try_wait().expect("wait")
    })
    .await;
    assert_eq!(status.code(), Some(0), "{}", bot.stderr());
}
