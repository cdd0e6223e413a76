//! Who may run what, where: the one place a command is refused before it runs. The
//! dispatcher calls [`check`] for every command from every front end, and [`check_view`] for
//! every view button; refusals are error replies (ephemeral on Discord).

use super::{CommandDef, Invoker, Permission, Surface};
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
