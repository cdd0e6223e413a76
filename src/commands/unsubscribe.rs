//! `/unsubscribe [channel]`: stop posting new briefs in a channel. Needs Manage Channels;
//! subscriptions from the config file are removed there, not here.

use super::subs::{self, store_error};
use super::{Args, CommandDef, Ctx, Pending, Permission, Run};
use crate::reply::Reply;
use crate::store::RemoveOutcome;

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "unsubscribe",
    description: "Stop posting new briefs in a channel",
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
    let channel = match subs::channel(ctx, option, "unsubscribe").await {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let store = match subs::store(ctx).await {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    match store.remove_subscription(channel).await {
        Ok(RemoveOutcome::Removed) => {
            let mut r = Reply::answer();
            r.title = Some("Unsubscribed".into());
            r.message = Some(format!("<#{channel}> will no longer get new briefs."));
            r
        }
        Ok(RemoveOutcome::NotFound) => Reply::error(format!(
            "<#{channel}> is not subscribed: see /subscriptions."
        )),
        Ok(RemoveOutcome::FromConfig) => Reply::error(format!(
            "<#{channel}>'s subscription is defined in the config file ([[subscriptions]]): remove it there."
        )),
        Err(e) => store_error(e),
    }
}
