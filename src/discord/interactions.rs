//! The gateway event handler: READY → register commands; INTERACTION_CREATE → slash
//! commands, view buttons and autocomplete mapped to core calls, answered through the
//! interaction callback (well inside Discord's 3-second window: the core answers in
//! microseconds; subscription commands, which touch the database, defer first).

use super::render;
use super::Bot;
use crate::commands::{build, Command};
use crate::reply::Reply;
use crate::subscriptions::Invoker;
use serenity::all::{
    CommandDataOptionValue, CommandInteraction, ComponentInteraction, Context,
    CreateAutocompleteResponse, CreateInteractionResponse, CreateInteractionResponseFollowup,
    EditInteractionResponse, EventHandler, Interaction, Permissions, Ready,
};
use std::sync::Arc;

/// serenity event handler around the shared [`Bot`].
pub struct Handler {
    /// The bot state.
    pub bot: Arc<Bot>,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
        if let Err(e) =
            super::register::register(&ctx.http, &self.bot.config.discord.guild_ids).await
        {
            tracing::error!("registering slash commands failed: {e}");
        }
        self.bot.on_ready(ctx.http.clone());
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let result = match interaction {
            Interaction::Command(cmd) => self.command(&ctx, &cmd).await,
            Interaction::Autocomplete(cmd) => self.autocomplete(&ctx, &cmd).await,
            Interaction::Component(c) => self.component(&ctx, &c).await,
            _ => Ok(()),
        };
        if let Err(e) = result {
            tracing::warn!("answering an interaction failed: {e}");
        }
    }
}

/// Option pairs as text, the way the core's command builder takes them.
fn option_pairs(cmd: &CommandInteraction) -> Vec<(String, String)> {
    cmd.data
        .options
        .iter()
        .filter_map(|o| {
            let v = match &o.value {
                CommandDataOptionValue::String(s) => s.clone(),
                CommandDataOptionValue::Integer(i) => i.to_string(),
                CommandDataOptionValue::Number(n) => n.to_string(),
                CommandDataOptionValue::Boolean(b) => b.to_string(),
                CommandDataOptionValue::Channel(c) => c.get().to_string(),
                CommandDataOptionValue::Autocomplete { value, .. } => value.clone(),
                _ => return None,
            };
            Some((o.name.clone(), v))
        })
        .collect()
}

impl Handler {
    async fn command(&self, ctx: &Context, cmd: &CommandInteraction) -> serenity::Result<()> {
        let respond = |reply: Reply| CreateInteractionResponse::Message(render::message(&reply));
        if !self.bot.config.commands_allowed_in(cmd.channel_id.get()) {
            let reply = Reply::error("briefbot is not enabled in this channel: ask a server admin which channels it serves.");
            return cmd.create_response(&ctx.http, respond(reply)).await;
        }
        let command = match build(&cmd.data.name, &option_pairs(cmd)) {
            Ok(c) => c,
            Err(e) => {
                return cmd
                    .create_response(&ctx.http, respond(Reply::error(e.0)))
                    .await
            }
        };
        if command.is_subscription() {
            let invoker =
                Invoker {
                    channel_id: Some(cmd.channel_id.get()),
                    guild_id: cmd.guild_id.map(|g| g.get()),
                    manage_channels: cmd.member.as_ref().and_then(|m| m.permissions).is_some_and(
                        |p| p.contains(Permissions::MANAGE_CHANNELS) || p.administrator(),
                    ),
                };
            return self.subscription(ctx, cmd, &command, invoker).await;
        }
        let reply = self.bot.core.execute(&command);
        cmd.create_response(&ctx.http, respond(reply)).await
    }

    /// Subscription commands touch the database: defer (publicly, since whether the answer
    /// is an error is not known yet), then edit the original, or answer errors privately.
    async fn subscription(
        &self,
        ctx: &Context,
        cmd: &CommandInteraction,
        command: &Command,
        invoker: Invoker,
    ) -> serenity::Result<()> {
        // Permission refusals are answered at once, ephemerally.
        if let Some(reply) = crate::subscriptions::refusal(command, &invoker) {
            return cmd
                .create_response(
                    &ctx.http,
                    CreateInteractionResponse::Message(render::message(&reply)),
                )
                .await;
        }
        cmd.defer(&ctx.http).await?;
        let reply = self.bot.subscription_command(command, &invoker).await;
        if reply.is_ephemeral() {
            // The deferred answer is public; say it privately and drop the placeholder.
            cmd.delete_response(&ctx.http).await?;
            let text = reply.message.clone().unwrap_or_default();
            cmd.create_followup(
                &ctx.http,
                CreateInteractionResponseFollowup::new()
                    .content(text)
                    .ephemeral(true),
            )
            .await?;
            return Ok(());
        }
        let mut edit = EditInteractionResponse::new().embed(render::embed(&reply));
        edit = edit.components(render::buttons(&reply));
        cmd.edit_response(&ctx.http, edit).await.map(|_| ())
    }

    async fn autocomplete(&self, ctx: &Context, cmd: &CommandInteraction) -> serenity::Result<()> {
        let partial = cmd
            .data
            .autocomplete()
            .map(|o| o.value.to_owned())
            .unwrap_or_default();
        let mut response = CreateAutocompleteResponse::new();
        for (name, value) in self.bot.core.suggest(&partial) {
            response = response.add_string_choice(name, value);
        }
        cmd.create_response(&ctx.http, CreateInteractionResponse::Autocomplete(response))
            .await
    }

    async fn component(&self, ctx: &Context, c: &ComponentInteraction) -> serenity::Result<()> {
        let Some((id, view)) = render::parse_button_id(&c.data.custom_id) else {
            return Ok(());
        };
        let reply = self.bot.core.show_id(id, view);
        let response = if reply.is_ephemeral() {
            CreateInteractionResponse::Message(render::message(&reply))
        } else {
            CreateInteractionResponse::UpdateMessage(render::message(&reply))
        };
        c.create_response(&ctx.http, response).await
    }
}
