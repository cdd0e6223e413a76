//! `/subscriptions`: the subscribed channels of this server (every subscription in the
//! console), with topics, mode, origin and why a channel is paused.

use super::subs::{self, describe_mode, describe_topics, store_error};
use super::{Args, CommandDef, Ctx, Pending, Permission, Run};
use crate::reply::{Reply, ReplySection, SectionTag};
use crate::store::Origin;

/// Channels listed at most (one embed field each).
const SHOWN: usize = 20;

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "subscriptions",
    description: "List this server's subscribed channels",
    options: &[],
    permission: Permission::Everyone,
    guild_only: true,
    run: Run::Later(start),
};

fn start<'a>(ctx: &'a Ctx<'a>, args: &'a Args) -> Pending<'a> {
    Box::pin(run(ctx, args))
}

async fn run(ctx: &Ctx<'_>, _: &Args) -> Reply {
    let store = match subs::store(ctx).await {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    let subs = match ctx.invoker.guild_id {
        Some(g) => store.subscriptions_in_guild(g).await,
        None => store.subscriptions().await,
    };
    let mut subs = match subs {
        Ok(s) => s,
        Err(e) => return store_error(e),
    };
    if ctx.invoker.guild_id.is_some() {
        // Config subscriptions carry no guild: show them too.
        if let Ok(all) = store.subscriptions().await {
            subs.extend(
                all.into_iter()
                    .filter(|s| s.origin == Origin::Config && s.guild_id.is_none()),
            );
        }
    }
    let mut reply = Reply::answer();
    reply.title = Some("Subscriptions".into());
    if subs.is_empty() {
        reply.message = Some("No channel here is subscribed: use /subscribe.".into());
        return reply;
    }
    reply.message = Some(format!(
        "{} subscribed channel{}",
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
        reply.sections.push(ReplySection {
            section: SectionTag::Extra,
            heading: format!("#{}", s.channel_id),
            text,
        });
    }
    reply
}
