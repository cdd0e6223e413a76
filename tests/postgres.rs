//! End to end on PostgreSQL (`storage.url`, the server named by `BRIEFBOT_TEST_DATABASE_URL`,
//! each test in a scratch schema): the real `briefbot run` binary against the Discord
//! stand-in delivers a new brief to every subscribed channel exactly once, survives a SIGKILL
//! mid fan-out, and resumes the pending rows with their nonces after a restart.

mod support;

use briefbot::store::scratch::Scratch;
use support::bot::BotProcess;
use support::discord::{StandIn, StandInConfig};
use support::wait::{eventually, DEADLINE};

/// Starts the stand-in (with `channels` added) and a bot on `storage`, subscribed by config
/// to every channel; waits until its commands are registered and its start-up planned.
async fn setup(scratch: &Scratch, channels: &[u64]) -> (StandIn, BotProcess) {
    let standin = StandIn::start(StandInConfig::default()).await;
    for (i, c) in channels.iter().enumerate() {
        standin.add_channel(standin.guild_id(), *c, &format!("sub-{i}"));
    }
    let subs: String = channels
        .iter()
        .map(|c| format!("[[subscriptions]]\nchannel = {c}\n"))
        .collect();
    let storage = format!("url = \"{}\"", scratch.url);
    let mut bot = BotProcess::new_with_storage(&standin, true, Some(&storage), &subs);
    bot.spawn(&standin);
    standin.wait_ready(DEADLINE).await.expect("bot connects");
    eventually("commands to be registered", || {
        !standin.guild_commands(standin.guild_id()).is_empty()
    })
    .await;
    bot.started().await;
    (standin, bot)
}

fn channels(n: u64) -> Vec<u64> {
    (0..n).map(|i| 1_150_000_000_000_020_000 + i).collect()
}

/// Total messages, and the channels that have more than one.
fn tally(standin: &StandIn, channels: &[u64]) -> (usize, Vec<(u64, usize)>) {
    let counts = channels.iter().map(|c| (*c, standin.messages(*c).len()));
    let total = counts.clone().map(|(_, n)| n).sum();
    (total, counts.filter(|(_, n)| *n > 1).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bot_on_postgres_delivers_once_and_resumes_after_sigkill() {
    let scratch = Scratch::new().await;
    let channels = channels(120);
    let (standin, mut bot) = setup(&scratch, &channels).await;
    bot.write_brief("pg1", "Grid news", "energy");
    eventually("the fan-out to be under way (30 sent)", || {
        let (total, _) = tally(&standin, &channels);
        (total >= 30).then_some(()).ok_or(format!("{total} sent"))
    })
    .await;
    bot.kill();
    let (at_kill, _) = tally(&standin, &channels);
    assert!(
        at_kill < channels.len(),
        "killed mid fan-out ({at_kill} sent)"
    );

    // The restarted bot plans nothing new: it resumes the pending rows, then goes idle.
    bot.spawn(&standin);
    assert_eq!(bot.started().await, 0, "nothing planned twice");
    bot.idle().await;
    let (total, dups) = tally(&standin, &channels);
    assert!(dups.is_empty(), "duplicates after restart: {dups:?}");
    assert_eq!(total, channels.len());
    for c in &channels {
        assert_eq!(standin.messages(*c)[0]["embeds"][0]["title"], "Grid news");
    }
    assert_eq!(standin.count_429(), 0);
    assert!(
        standin.validation_problems().is_empty(),
        "{:#?}",
        standin.validation_problems()
    );
    bot.kill();
    scratch.remove().await;
}
