//! `/preview [channel]`: posts, now, the newest brief matching a channel's subscription, so
//! an operator can check a subscription (topics, the bot's access to the channel) without
//! waiting for news. Needs Manage Channels; the channel must be in the invoker's server. The
//! reply carries the post's target ([`Reply::post_to`]); the Discord adapter posts it and
//! says whether it went out. Previews are not deliveries: the ledger does not record them.

use super::subs::{self, describe_topics, store_error};
use super::{Args, CommandDef, Ctx, Pending, Permission, Run};
use crate::reply::Reply;

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "preview",
    description: "Post the newest brief matching a channel's subscription now",
    options: &[super::subscribe::CHANNEL],
    permission: Permission::ManageChannels,
    guild_only: true,
    run: Run::Later(start),
};

fn start<'a>(ctx: &'a Ctx<'a>, args: &'a Args) -> Pending<'a> {
    Box::pin(run(ctx, args))
}

async fn run(ctx: &Ctx<'_>, args: &Args) -> Reply {
    let option = args.channel(&super::subscribe::CHANNEL);
    let channel = match subs::channel(ctx, option, "preview").await {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let store = match subs::store(ctx).await {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    let sub = match store.subscription(channel).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Reply::error(format!(
                "<#{channel}> is not subscribed: use /subscribe first, then /preview."
            ))
        }
        Err(e) => return store_error(e),
    };
    let library = ctx.core.library();
    let Some(newest) = library
        .briefs()
        .iter()
        .find(|b| b.matches_topics(&sub.topics))
    else {
        return Reply::error(format!(
            "No loaded brief matches <#{channel}>'s subscription ({}) yet: nothing to preview.",
            describe_topics(&sub.topics)
        ));
    };
    let mut reply = match ctx.core.post(&newest.id) {
        Ok(r) => r,
        Err(why) => return Reply::error(format!("Nothing to preview: {why}.")),
    };
    reply.message = Some(format!(
        "Preview of this channel's subscription ({}): the newest matching brief.",
        describe_topics(&sub.topics)
    ));
    reply.post_to = Some(channel);
    reply
}
