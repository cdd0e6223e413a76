//! The gateway event handler: READY → register commands; INTERACTION_CREATE → slash
//! commands, view buttons and autocomplete, each handed to the [`Dispatcher`] with the
//! invoker's context, and answered through the interaction callback. Commands that answer
//! from memory are answered at once (microseconds, well inside Discord's 3-second window);
//! those that wait on the database are deferred first. Every interaction gets an answer:
//! one that is not understood (a tampered button, a modal) gets an ephemeral error.

use super::render;
use crate::commands::{Dispatcher, Invoker, Surface};
use crate::reply::Reply;
use serenity::all::{
    CommandDataOptionValue, CommandInteraction, ComponentInteraction, Context,
    CreateAutocompleteResponse, CreateInteractionResponse, CreateInteractionResponseFollowup,
    EditInteractionResponse, EventHandler, Interaction, Member, Permissions, Ready,
};
use std::sync::Arc;

/// serenity event handler around the dispatcher.
pub struct Handler {
    /// Where commands go.
    pub dispatcher: Arc<Dispatcher>,
    /// Guilds to register commands in (empty = global).
    pub guild_ids: Vec<u64>,
}

/// The answer to an interaction the bot does not understand.
const NOT_UNDERSTOOD: &str =
    "briefbot did not understand this interaction: it may come from an older message. Try /help.";

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to Discord");
        if let Err(e) = super::register::register(&ctx.http, &self.guild_ids).await {
            tracing::error!("registering slash commands failed: {e}");
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let result = match interaction {
            Interaction::Command(cmd) => self.command(&ctx, &cmd).await,
            Interaction::Autocomplete(cmd) => self.autocomplete(&ctx, &cmd).await,
            Interaction::Component(c) => self.component(&ctx, &c).await,
            Interaction::Modal(m) => m.create_response(&ctx.http, not_understood()).await,
            _ => Ok(()),
        };
        if let Err(e) = result {
            tracing::warn!("answering an interaction failed: {e}");
        }
    }
}

fn not_understood() -> CreateInteractionResponse {
    CreateInteractionResponse::Message(render::message(&Reply::error(NOT_UNDERSTOOD)))
}

/// Whether a member may manage channels (Administrator implies it).
fn manages_channels(member: Option<&Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.contains(Permissions::MANAGE_CHANNELS) || p.administrator())
}

/// Option pairs as text, the way the dispatcher takes them from every front end.
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
        let invoker = Invoker {
            surface: Surface::Discord,
            guild_id: cmd.guild_id.map(|g| g.get()),
            channel_id: Some(cmd.channel_id.get()),
            manage_channels: manages_channels(cmd.member.as_deref()),
        };
        let request = match self
            .dispatcher
            .request(&cmd.data.name, &option_pairs(cmd), invoker)
        {
            Ok(r) => r,
            Err(refusal) => return cmd.create_response(&ctx.http, respond(refusal)).await,
        };
        if let Some(reply) = request.run_now() {
            return cmd.create_response(&ctx.http, respond(reply)).await;
        }
        // It waits on the database: defer (publicly, since whether the answer is an error is
        // not known yet), then edit the original, or answer an error privately.
        cmd.defer(&ctx.http).await?;
        let reply = request.run().await;
        if reply.is_ephemeral() {
            cmd.delete_response(&ctx.http).await?;
            cmd.create_followup(
                &ctx.http,
                CreateInteractionResponseFollowup::new()
                    .content(render::error_text(&reply))
                    .allowed_mentions(render::no_mentions())
                    .ephemeral(true),
            )
            .await?;
            return Ok(());
        }
        let edit = EditInteractionResponse::new()
            .embed(render::embed(&reply))
            .components(render::buttons(&reply))
            .allowed_mentions(render::no_mentions());
        cmd.edit_response(&ctx.http, edit).await.map(|_| ())
    }

    async fn autocomplete(&self, ctx: &Context, cmd: &CommandInteraction) -> serenity::Result<()> {
        let (option, partial) = cmd
            .data
            .autocomplete()
            .map(|o| (o.name.to_owned(), o.value.to_owned()))
            .unwrap_or_default();
        let mut response = CreateAutocompleteResponse::new();
        for (name, value) in self.dispatcher.suggest_option(&option, &partial) {
            response = response.add_string_choice(name, value);
        }
        cmd.create_response(&ctx.http, CreateInteractionResponse::Autocomplete(response))
            .await
    }

    async fn component(&self, ctx: &Context, c: &ComponentInteraction) -> serenity::Result<()> {
        let Some((id, view)) = render::parse_button_id(&c.data.custom_id) else {
            return c.create_response(&ctx.http, not_understood()).await;
        };
        let invoker = Invoker {
            surface: Surface::Discord,
            guild_id: c.guild_id.map(|g| g.get()),
            channel_id: Some(c.channel_id.get()),
            manage_channels: manages_channels(c.member.as_ref()),
        };
        let reply = self.dispatcher.view(id, view, invoker);
        let response = if reply.is_ephemeral() {
            CreateInteractionResponse::Message(render::message(&reply))
        } else {
            CreateInteractionResponse::UpdateMessage(render::message(&reply))
        };
        c.create_response(&ctx.http, response).await
    }
}
