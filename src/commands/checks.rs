//! Who may run what, where: the one place a command is refused. The dispatcher calls
//! [`check`] for every command from every front end, and [`check_view`] for every view
//! button; commands that act on a channel call [`target`] for it (tenancy: only the
//! invoker's server). Refusals are error replies (ephemeral on Discord).

use super::{CommandDef, Ctx, Invoker, Permission, Surface};
use crate::config::Config;
use crate::reply::Reply;

/// Which channels the bot answers in (`[[channels]]`; empty = every channel).
#[derive(Debug, Clone, Default)]
pub struct ChannelPolicy {
    channels: Vec<(u64, bool)>,
}

impl ChannelPolicy {
    /// The policy of `[[channels]]`.
    pub fn from_config(config: &Config) -> ChannelPolicy {
        ChannelPolicy {
            channels: config.channels.iter().map(|c| (c.id, c.commands)).collect(),
        }
    }

    /// Whether commands are answered in this channel: yes when no `[[channels]]` are listed,
    /// else only in listed channels with `commands = true`.
    pub fn allows(&self, channel_id: u64) -> bool {
        self.channels.is_empty()
            || self
                .channels
                .iter()
                .any(|&(id, commands)| id == channel_id && commands)
    }
}

/// The refusal for a channel the bot does not serve.
pub const NOT_SERVED: &str =
    "briefbot is not enabled in this channel: ask a server admin which channels it serves.";

/// The refusal for a member without Manage Channels.
pub const NEEDS_MANAGE_CHANNELS: &str =
    "You need the Manage Channels permission to change subscriptions.";

/// The refusal for a server-only command in a DM.
pub const GUILD_ONLY: &str = "This command works only in a server channel, not in direct messages.";

/// The refusal for a channel of another server (or one the bot cannot see).
pub const OTHER_SERVER: &str =
    "That channel is not one of this server's channels that briefbot can see: pick a channel of this server.";

fn channel_served(invoker: &Invoker, policy: &ChannelPolicy) -> Result<(), Reply> {
    match (invoker.surface, invoker.channel_id) {
        (Surface::Discord, Some(c)) if !policy.allows(c) => Err(Reply::error(NOT_SERVED)),
        _ => Ok(()),
    }
}

/// Whether `invoker` may run `def` here.
pub fn check(def: &CommandDef, invoker: &Invoker, policy: &ChannelPolicy) -> Result<(), Reply> {
    channel_served(invoker, policy)?;
    if def.guild_only && invoker.surface == Surface::Discord && invoker.guild_id.is_none() {
        return Err(Reply::error(GUILD_ONLY));
    }
    match def.permission {
        Permission::Everyone => Ok(()),
        Permission::ManageChannels if invoker.manage_channels => Ok(()),
        Permission::ManageChannels => Err(Reply::error(NEEDS_MANAGE_CHANNELS)),
    }
}

/// Whether `invoker` may press a view button here (the same channel rule as commands).
pub fn check_view(invoker: &Invoker, policy: &ChannelPolicy) -> Result<(), Reply> {
    channel_served(invoker, policy)
}

/// Whether a command may act on `channel`. The console operator may name any channel. On
/// Discord the channel must be the one the command was used in, or one the platform places
/// in the invoker's guild; without a guild, or without a way to ask, the answer is no.
pub async fn target(ctx: &Ctx<'_>, channel: u64) -> Result<(), Reply> {
    let invoker = ctx.invoker;
    if invoker.surface == Surface::Console {
        return Ok(());
    }
    let Some(guild) = invoker.guild_id else {
        return Err(Reply::error(GUILD_ONLY));
    };
    if invoker.channel_id == Some(channel) {
        return Ok(());
    }
    let home = match ctx.channels {
        Some(channels) => channels.guild_of(channel).await,
        None => None,
    };
    if home == Some(guild) {
        Ok(())
    } else {
        Err(Reply::error(OTHER_SERVER))
    }
}
