//! `/subscribe [channel] [topics] [mode] [at]`: post new briefs in a channel, optionally
//! filtered by topic, each as it appears or in one daily digest. Needs Manage Channels.
//! Subscribing again updates the subscription (and resumes a paused one); subscriptions from
//! the config file are read-only here.

use super::subs::{self, describe_mode, describe_topics, now_ms, store_error};
use super::{Args, CommandDef, Ctx, OptionKind, OptionSpec, Pending, Permission, Run};
use crate::config::parse_hhmm;
use crate::reply::Reply;
use crate::store::{Mode, Origin, Subscription};

/// `channel`: which channel (default: this one).
pub const CHANNEL: OptionSpec = OptionSpec {
    kind: OptionKind::Channel,
    ..OptionSpec::text("channel", "Channel to configure (default: this one)")
};

/// `topics`: comma-separated filter.
pub const TOPICS: OptionSpec = OptionSpec::text(
    "topics",
    "Comma-separated topics to follow (default: all briefs)",
);

/// `mode`: instant or daily.
pub const MODE: OptionSpec = OptionSpec {
    choices: &["instant", "daily"],
    ..OptionSpec::text(
        "mode",
        "Post each brief at once, or one daily digest (default: instant)",
    )
};

/// `at`: the digest time.
pub const AT: OptionSpec =
    OptionSpec::text("at", "Digest time HH:MM for daily mode (bot's time zone)");

/// Topics a subscription follows at most.
const MAX_TOPICS: usize = 25;

/// Longest topic accepted.
const MAX_TOPIC_CHARS: usize = 100;

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "subscribe",
    description: "Post new briefs in a channel, optionally filtered by topic",
    options: &[CHANNEL, TOPICS, MODE, AT],
    permission: Permission::ManageChannels,
    guild_only: true,
    run: Run::Later(start),
};

fn start<'a>(ctx: &'a Ctx<'a>, args: &'a Args) -> Pending<'a> {
    Box::pin(run(ctx, args))
}

/// The typed request.
struct Params {
    channel: u64,
    topics: Vec<String>,
    mode: Mode,
}

async fn params(ctx: &Ctx<'_>, args: &Args) -> Result<Params, Reply> {
    let topics: Vec<String> = args
        .text(&TOPICS)
        .unwrap_or_default()
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    if topics.len() > MAX_TOPICS {
        return Err(Reply::error(format!(
            "That is {} topics: follow at most {MAX_TOPICS}, separated by commas.",
            topics.len()
        )));
    }
    if let Some(long) = topics.iter().find(|t| t.chars().count() > MAX_TOPIC_CHARS) {
        return Err(Reply::error(format!(
            "Topic '{}' is longer than {MAX_TOPIC_CHARS} characters: topics are short words such as energy, trade.",
            super::options::echo(long)
        )));
    }
    let at = args.text(&AT);
    let mode = match (args.text(&MODE).unwrap_or("instant"), at) {
        ("daily", Some(at)) => match parse_hhmm(at) {
            Some(t) => Mode::Daily { at: t },
            None => {
                return Err(Reply::error(format!(
                    "'{}' is not a time HH:MM (24-hour), e.g. at:08:00",
                    super::options::echo(at)
                )))
            }
        },
        ("daily", None) => {
            return Err(Reply::error(
                "Daily mode needs a time: e.g. mode:daily at:08:00",
            ))
        }
        (_, Some(_)) => return Err(Reply::error("at: is only for daily mode: add mode:daily.")),
        (_, None) => Mode::Instant,
    };
    let channel = subs::channel(ctx, args.channel(&CHANNEL), "subscribe").await?;
    Ok(Params {
        channel,
        topics,
        mode,
    })
}

async fn run(ctx: &Ctx<'_>, args: &Args) -> Reply {
    let p = match params(ctx, args).await {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let store = match subs::store(ctx).await {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    let channel = p.channel;
    match store.subscription(channel).await {
        Ok(Some(s)) if s.origin == Origin::Config => {
            return Reply::error(format!(
                "<#{channel}>'s subscription is defined in the config file: change it there."
            ))
        }
        Ok(_) => {}
        Err(e) => return store_error(e),
    }
    let sub = Subscription::new(
        channel,
        ctx.invoker.guild_id,
        &p.topics,
        p.mode,
        Origin::Command,
        now_ms(),
    );
    if let Err(e) = store.upsert_subscription(&sub).await {
        return store_error(e);
    }
    let library = ctx.core.library();
    let matching = library
        .briefs()
        .iter()
        .filter(|b| b.matches_topics(&sub.topics))
        .count();
    let mut reply = Reply::answer();
    reply.title = Some("Subscribed".into());
    reply.message = Some(format!(
        "<#{channel}> will get {} {}. {matching} of the {} current briefs match; only briefs that appear from now on are posted.",
        describe_topics(&sub.topics),
        describe_mode(sub.mode, ctx.timezone),
        library.len()
    ));
    reply
}
