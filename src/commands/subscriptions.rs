//! `/subscriptions`: the subscribed channels of this server (every subscription in the
//! console), with topics, mode, origin, why a channel is paused, the last brief it received
//! and when, and the last delivery error. Only the invoker's server is listed: a
//! subscription from the config file (which names no server) is shown where the platform
//! places its channel.

use super::subs::{self, describe_mode, describe_topics, store_error};
use super::{Args, CommandDef, Ctx, Pending, Permission, Run, Surface};
use crate::reply::{Reply, ReplySection, SectionTag};
use crate::store::{ChannelActivity, DeliveryKind, DeliveryStatus, Origin, Subscription};

/// Channels listed at most (one embed field each).
const SHOWN: usize = 20;

/// Longest delivery error quoted.
const ERROR_SHOWN: usize = 200;

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "subscriptions",
    description: "List this server's subscribed channels, what each last got, and errors",
    options: &[],
    permission: Permission::Everyone,
    guild_only: true,
    run: Run::Later(start),
};

fn start<'a>(ctx: &'a Ctx<'a>, args: &'a Args) -> Pending<'a> {
    Box::pin(run(ctx, args))
}

/// The subscriptions the invoker may see: all in the console; on a platform, those of the
/// invoker's server only (none without a server).
async fn visible(ctx: &Ctx<'_>, all: Vec<Subscription>) -> Vec<Subscription> {
    if ctx.invoker.surface == Surface::Console {
        return all;
    }
    let Some(guild) = ctx.invoker.guild_id else {
        return Vec::new();
    };
    let mut shown = Vec::new();
    for s in all {
        // Where the platform places the channel; the stored server only for a channel it
        // no longer knows (deleted).
        let home = match ctx.channels {
            Some(channels) => channels.guild_of(s.channel_id).await.or(s.guild_id),
            None => s.guild_id,
        };
        if home == Some(guild) {
            shown.push(s);
        }
    }
    shown
}

async fn run(ctx: &Ctx<'_>, _: &Args) -> Reply {
    let store = match subs::store(ctx).await {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    let subs = match store.subscriptions().await {
        Ok(s) => visible(ctx, s).await,
        Err(e) => return store_error(e),
    };
    let mut reply = Reply::answer();
    reply.title = Some("Subscriptions".into());
    if subs.is_empty() {
        reply.message = Some("No channel here is subscribed: use /subscribe.".into());
        return reply;
    }
    reply.message = Some(format!(
        "{} subscribed channel{}. /preview channel:… posts the newest matching brief now.",
        subs.len(),
        if subs.len() == 1 { "" } else { "s" }
    ));
    for s in subs.iter().take(SHOWN) {
        let mut text = format!(
            "{} · {} · from {}",
            describe_topics(&s.topics),
            describe_mode(s.mode, ctx.timezone),
            match s.origin {
                Origin::Config => "the config file",
                Origin::Command => "/subscribe",
            }
        );
        if let Some(why) = &s.paused {
            text.push_str(&format!("\nPaused: {why}"));
        }
        match store.channel_activity(s.channel_id).await {
            Ok(activity) => text.push_str(&describe_activity(ctx, &activity)),
            Err(e) => return store_error(e),
        }
        reply.sections.push(ReplySection {
            section: SectionTag::Extra,
            heading: format!("#{}", s.channel_id),
            text,
        });
    }
    reply
}

/// "\nLast delivered: <title> at <time>" and "\nLast error (<what>): <error>".
fn describe_activity(ctx: &Ctx<'_>, activity: &ChannelActivity) -> String {
    let mut text = String::new();
    match &activity.last_sent {
        Some((kind, at_ms)) => text.push_str(&format!(
            "\nLast delivered: {} at {}",
            what(ctx, kind),
            local_time(*at_ms, ctx.timezone)
        )),
        None => text.push_str("\nNothing delivered yet."),
    }
    if let Some((kind, error, status)) = &activity.last_error {
        let outcome = match status {
            DeliveryStatus::Sent => "sent after a retry",
            DeliveryStatus::Pending => "still to be sent",
            DeliveryStatus::Failed => "given up",
        };
        text.push_str(&format!(
            "\nLast error ({}, {outcome}): {}",
            what(ctx, kind),
            crate::text::fit::truncate(error, ERROR_SHOWN)
        ));
    }
    text
}

/// A delivery as a person reads it: the brief's title (or id, if no longer loaded), or the
/// digest's size.
fn what(ctx: &Ctx<'_>, kind: &DeliveryKind) -> String {
    match kind {
        DeliveryKind::Brief(id) => match ctx.core.library().get(id) {
            Some(b) => format!("\"{}\"", b.title),
            None => format!("brief {id}"),
        },
        DeliveryKind::Digest(ids) => format!(
            "a digest of {} brief{}",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        ),
    }
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM (zone)` in `timezone` (UTC if it does not parse).
fn local_time(ms: i64, timezone: &str) -> String {
    let utc = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    match timezone.parse::<chrono_tz::Tz>() {
        Ok(tz) => format!(
            "{} ({timezone})",
            utc.with_timezone(&tz).format("%Y-%m-%d %H:%M")
        ),
        Err(_) => format!("{} (UTC)", utc.format("%Y-%m-%d %H:%M")),
    }
}
