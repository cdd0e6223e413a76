//! Slash-command registration: the core's command catalogue turned into Discord command
//! definitions, installed by bulk overwrite per guild (instant) or globally.

use crate::commands::spec::{CommandSpec, OptionKind, COMMANDS};
use serenity::all::{
    ChannelType, Command, CommandOptionType, CreateCommand, CreateCommandOption, GuildId, Http,
    Permissions,
};

/// One command's definition.
pub fn definition(spec: &CommandSpec) -> CreateCommand {
    let mut c = CreateCommand::new(spec.name).description(spec.description);
    if spec.manage_channels {
        c = c
            .default_member_permissions(Permissions::MANAGE_CHANNELS)
            .dm_permission(false);
    }
    for o in spec.options {
        let kind = match o.kind {
            OptionKind::String => CommandOptionType::String,
            OptionKind::Integer => CommandOptionType::Integer,
            OptionKind::Channel => CommandOptionType::Channel,
        };
        let mut opt = CreateCommandOption::new(kind, o.name, o.description).required(o.required);
        for choice in o.choices {
            opt = opt.add_string_choice(*choice, *choice);
        }
        if o.autocomplete {
            opt = opt.set_autocomplete(true);
        }
        if let Some(min) = o.min {
            opt = opt.min_int_value(min as u64);
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
    COMMANDS.iter().map(definition).collect()
}

/// Installs the commands in each guild, or globally when `guilds` is empty.
pub async fn register(http: &Http, guilds: &[u64]) -> serenity::Result<()> {
    if guilds.is_empty() {
        let set = Command::set_global_commands(http, definitions()).await?;
        tracing::info!(commands = set.len(), "registered global slash commands");
    } else {
        for &g in guilds {
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
