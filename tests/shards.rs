//! Gateway shards end to end: real `briefbot run` processes against the stand-in, which
//! recommends a shard count in `GET /gateway/bot`, keeps one session per shard and sends each
//! guild's events and interactions on its shard, `(guild_id >> 22) % count`. Two processes
//! with complementary `discord.shards` ranges each IDENTIFY only their own shards, answer
//! only their own guilds (counted in each process's `/metrics`) and together answer all; `"auto"` runs the recommended count; a bad setting stops
//! start-up with its key and line.

mod support;

use std::time::Duration;
use support::bot::{ops_get, sample, BotProcess};
use support::discord::{ChannelSpec, GuildSpec, StandIn, StandInConfig, MEMBER_PERMISSIONS};
use support::wait::{eventually, DEADLINE};

/// The operations endpoint on a port the system picks.
const HTTP: &str = "[http]\nlisten = \"127.0.0.1:0\"\n";

/// The series counting `/help` answered.
const HELP_OK: &str = "briefbot_interactions_total{command=\"help\",outcome=\"ok\"}";

/// A guild id whose events go to `shard` of `total`, distinct for each `n`.
fn guild_on(shard: u32, total: u32, n: u64) -> u64 {
    let base = 1_150_000_000_000_000_000_u64 >> 22;
    let block = base + (u64::from(total) - base % u64::from(total)) + u64::from(shard);
    (block + n * u64::from(total)) << 22
}

/// A stand-in with one guild (one channel) on each shard of `total`, recommending
/// `recommended` shards.
fn sharded(total: u32, recommended: u32) -> StandInConfig {
    let guilds = (0..total)
        .map(|shard| {
            let id = guild_on(shard, total, 0);
            GuildSpec {
                id,
                name: format!("Shard {shard} guild"),
                channels: vec![ChannelSpec {
                    id: id + 1,
                    name: "general".into(),
                }],
            }
        })
        .collect();
    StandInConfig {
        guilds,
        shards: recommended,
        ..StandInConfig::default()
    }
}

/// Sends `/help` in `guild`'s channel and returns the callback's status, or `None` when no
/// callback came within `wait`.
async fn help_in(standin: &StandIn, guild: &GuildSpec, wait: Duration) -> Option<u16> {
    let payload = standin.slash_command(
        "help",
        vec![],
        guild.channels[0].id,
        guild.id,
        MEMBER_PERMISSIONS,
    );
    let id = standin.dispatch_interaction(payload).await;
    standin.wait_callback(id, wait).await.map(|c| c.status)
}

/// Starts `briefbot run` with `discord` in its `[discord]` table.
fn start_bot(standin: &StandIn, discord: &str, extra: &str) -> BotProcess {
    let mut bot = BotProcess::with_discord(standin, discord, extra);
    bot.spawn(standin);
    bot
}

fn assert_valid(standin: &StandIn) {
    let problems = standin.validation_problems();
    assert!(problems.is_empty(), "stand-in problems: {problems:#?}");
}

#[test]
fn guild_on_spreads_guilds_over_shards() {
    for total in [1, 2, 4] {
        for shard in 0..total {
            let g = guild_on(shard, total, 3);
            assert_eq!((g >> 22) % u64::from(total), u64::from(shard));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn complementary_ranges_answer_their_own_guilds_and_together_all() {
    let standin = StandIn::start(sharded(2, 1)).await;
    let guilds = standin.config().guilds.clone();
    assert_eq!(standin.shard_of(guilds[0].id), 0);

    let first = start_bot(&standin, "shards = { total = 2, range = \"0-0\" }", HTTP);
    standin
        .wait_shard_ready(0, DEADLINE)
        .await
        .expect("shard 0 connects");
    assert_eq!(standin.identified_shards(), vec![[0, 2]]);
    assert_eq!(standin.shard_of(guilds[1].id), 1);
    assert_eq!(help_in(&standin, &guilds[0], DEADLINE).await, Some(204));
    assert_eq!(
        standin.live_shards(),
        vec![0],
        "the first process runs shard 0 only"
    );

    let second = start_bot(&standin, "shards = { total = 2, range = \"1-1\" }", HTTP);
    standin
        .wait_ready(DEADLINE)
        .await
        .expect("both shards live");
    let mut identified = standin.identified_shards();
    identified.sort();
    assert_eq!(
        identified,
        vec![[0, 2], [1, 2]],
        "each shard IDENTIFYed once, by its own process"
    );
    for guild in &guilds {
        assert_eq!(
            help_in(&standin, guild, DEADLINE).await,
            Some(204),
            "{} answered",
            guild.name
        );
    }
    // Who answered: the first process the two commands of its guild, the second the one of
    // its own.
    for (bot, answered) in [(&first, 2.0), (&second, 1.0)] {
        let addr = bot.ops_addr().await;
        eventually("each process's count of answered commands", || {
            let (_, text) = ops_get(addr, "/metrics")?;
            match sample(&text, HELP_OK) {
                Some(n) if n == answered => Ok(()),
                other => Err(format!("{other:?} in\n{text}")),
            }
        })
        .await;
    }
    assert_valid(&standin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_runs_the_recommended_count_in_one_process() {
    let standin = StandIn::start(sharded(2, 2)).await;
    let _bot = start_bot(&standin, "shards = \"auto\"", "");
    // serenity starts a process's shards 5 s apart.
    standin
        .wait_ready(DEADLINE)
        .await
        .expect("both shards live");
    let mut identified = standin.identified_shards();
    identified.sort();
    assert_eq!(identified, vec![[0, 2], [1, 2]]);
    for guild in &standin.config().guilds.clone() {
        assert_eq!(help_in(&standin, guild, DEADLINE).await, Some(204));
    }
    assert_valid(&standin);
}

#[test]
fn bad_shard_settings_stop_check_and_run_with_key_and_line() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "shards = \"many\"",
            "2:10: key `discord.shards`",
            "\"many\" is not a shard setting",
        ),
        (
            "shards = { total = 2, range = \"1-2\" }",
            "2:1: key `discord.shards.range`",
            "with total = 2, shard ids run from 0 to 1",
        ),
        (
            "shards = { total = 0 }",
            "2:1: key `discord.shards.total`",
            "must be at least 1 shard",
        ),
        (
            "shards = { total = 4, range = \"3-1\" }",
            "2:31: key `discord.shards.range`",
            "runs backwards",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (line, location, message) in cases {
        let path = dir.path().join("bad.toml");
        // REST would go to a closed local port: nothing can leave the machine.
        std::fs::write(
            &path,
            format!("[discord]\n{line}\napi_proxy = \"http://127.0.0.1:9\"\n"),
        )
        .unwrap();
        for sub in ["check", "run"] {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_briefbot"))
                .args([sub, "--config"])
                .arg(&path)
                .env("DISCORD_TOKEN", "test-token")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{sub} {line}: {stderr}");
            assert!(
                stderr.contains(&format!("bad.toml:{location}")),
                "{sub} {line}: {stderr}"
            );
            assert!(stderr.contains(message), "{sub} {line}: {stderr}");
        }
    }
}
