//! Slash-command registration: the command list ([`crate::commands::COMMANDS`]) turned into
//! Discord command definitions, installed by bulk overwrite per guild (instant) or globally.
//! Server-only commands are registered for guild contexts only, and Manage Channels commands
//! default to members with that permission (checked again on every use by the dispatcher).

use crate::commands::{CommandDef, OptionKind, Permission, COMMANDS};
use serenity::all::{
    ChannelType, Command, CommandOptionType, CreateCommand, CreateCommandOption, GuildId, Http,
    InteractionContext, Permissions,
};

/// One command's definition.
pub fn definition(def: &CommandDef) -> CreateCommand {
    let mut c = CreateCommand::new(def.name).description(def.description);
    if def.permission == Permission::ManageChannels {
        c = c.default_member_permissions(Permissions::MANAGE_CHANNELS);
    }
    if def.guild_only {
        c = c
            .dm_permission(false)
            .contexts(vec![InteractionContext::Guild]);
    }
    for o in def.options {
        let kind = match o.kind {
            OptionKind::String => CommandOptionType::String,
            OptionKind::Integer => CommandOptionType::Integer,
            OptionKind::Channel => CommandOptionType::Channel,
            OptionKind::Boolean => CommandOptionType::Boolean,
        };
        let mut opt = CreateCommandOption::new(kind, o.name, o.description).required(o.required);
        for choice in o.choices {
            opt = opt.add_string_choice(*choice, *choice);
        }
        if o.autocomplete {
            opt = opt.set_autocomplete(true);
        }
        if let Some(min) = o.min {
            opt = opt.min_int_value(min.max(0) as u64);
        }
        if o.kind == OptionKind::Channel {
            opt = opt.channel_types(vec![ChannelType::Text, ChannelType::News]);
        }
        c = c.add_option(opt);
    }
    c
}

/// Every command's definition.
pub fn definitions() -> Vec<CreateCommand> {
    COMMANDS.iter().map(|d| definition(d)).collect()
}

/// Installs the commands in each guild, or globally when `guilds` is empty. Guild ids are
/// checked non-zero by the config loader.
pub async fn register(http: &Http, guilds: &[u64]) -> serenity::Result<()> {
    if guilds.is_empty() {
        let set = Command::set_global_commands(http, definitions()).await?;
        tracing::info!(commands = set.len(), "registered global slash commands");
    } else {
        for &g in guilds.iter().filter(|&&g| g != 0) {
            let set = GuildId::new(g).set_commands(http, definitions()).await?;
            tracing::info!(
                commands = set.len(),
                guild = g,
                "registered guild slash commands"
            );
        }
    }
    Ok(())
}
