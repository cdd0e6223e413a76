//! The gateway event handler: READY → register commands; GUILD_CREATE and channel events →
//! the channel→guild map ([`super::channels`]); INTERACTION_CREATE → slash commands, view
//! buttons and autocomplete, each handed to the [`Dispatcher`] with the invoker's context,
//! and answered through the interaction callback. Commands that answer from memory are
//! answered at once (microseconds, well inside Discord's 3-second window); those that wait
//! on the database are deferred first, then run with the channel directory (tenancy). A
//! reply to post elsewhere (`/preview`) is posted, and the invoker told how it went.
//!
//! Every interaction gets an answer: one that is not understood (a tampered button, a
//! modal) gets an ephemeral error, and an answer Discord refuses is replaced by a short
//! ephemeral error rather than left unanswered.
//!
//! READY, RESUMED and shard-stage events keep the process's [`ShardStatus`] current, and
//! each interaction is counted and timed by command and outcome ([`crate::meter`]).

use super::channels::{ChannelGuilds, Directory};
use super::outbox::{PostError, Poster};
use super::render;
use super::shards::ShardStatus;
use crate::commands::{Dispatcher, Invoker, Surface};
use crate::meter::{self, InteractionOutcome as Outcome};
use crate::reply::Reply;
use serenity::all::{
    CommandDataOptionValue, CommandInteraction, ComponentInteraction, ConnectionStage, Context,
    CreateAutocompleteResponse, CreateInteractionResponse, CreateInteractionResponseFollowup,
    EditInteractionResponse, EventHandler, Guild, GuildChannel, Interaction, Member, Message,
    Permissions, Ready, ResumedEvent, ShardStageUpdateEvent, UnavailableGuild,
};
use std::sync::Arc;

/// serenity event handler around the dispatcher.
pub struct Handler {
    /// Where commands go.
    pub dispatcher: Arc<Dispatcher>,
    /// Guilds to register commands in (empty = global).
    pub guild_ids: Vec<u64>,
    /// Which guild each channel is in, as the gateway showed it.
    pub channels: Arc<ChannelGuilds>,
    /// Which shards of this process are connected (written here).
    pub shards: Arc<ShardStatus>,
}

/// The answer when Discord refused the bot's real answer (it should not happen; logged).
const ANSWER_FAILED: &str =
    "briefbot could not show this answer. Try again, or ask a server admin to check the bot's log.";

/// The answer to an interaction the bot does not understand.
const NOT_UNDERSTOOD: &str =
    "briefbot did not understand this interaction: it may come from an older message. Try /help.";

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        let shard = ctx.shard_id.0;
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), shard, "connected to Discord");
        self.shards.set(shard, true);
        // Commands belong to the application, not to a shard: the process's first shard
        // registers them (once per session, as a single-shard bot always did).
        if shard != self.shards.plan().first {
            return;
        }
        if let Err(e) = super::register::register(&ctx.http, &self.guild_ids).await {
            tracing::error!("registering slash commands failed: {e}");
        }
    }

    async fn resume(&self, ctx: Context, _: ResumedEvent) {
        self.shards.set(ctx.shard_id.0, true);
    }

    async fn shard_stage_update(&self, _: Context, event: ShardStageUpdateEvent) {
        tracing::debug!(shard = event.shard_id.0, stage = %event.new, "gateway shard stage");
        self.shards
            .set(event.shard_id.0, event.new == ConnectionStage::Connected);
    }

    async fn guild_create(&self, _: Context, guild: Guild, _: Option<bool>) {
        for id in guild.channels.keys() {
            self.channels.insert(id.get(), guild.id.get());
        }
    }

    async fn guild_delete(&self, _: Context, incomplete: UnavailableGuild, _: Option<Guild>) {
        if !incomplete.unavailable {
            self.channels.remove_guild(incomplete.id.get());
        }
    }

    async fn channel_create(&self, _: Context, channel: GuildChannel) {
        self.channels
            .insert(channel.id.get(), channel.guild_id.get());
    }

    async fn channel_delete(&self, _: Context, channel: GuildChannel, _: Option<Vec<Message>>) {
        self.channels.remove(channel.id.get());
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let received = std::time::Instant::now();
        let (name, result) = match interaction {
            Interaction::Command(cmd) => (
                crate::commands::label(&cmd.data.name),
                self.command(&ctx, &cmd).await,
            ),
            Interaction::Autocomplete(cmd) => (
                "autocomplete",
                self.autocomplete(&ctx, &cmd).await.map(|()| Outcome::Ok),
            ),
            Interaction::Component(c) => ("button", self.component(&ctx, &c).await),
            Interaction::Modal(m) => (
                "other",
                m.create_response(&ctx.http, not_understood())
                    .await
                    .map(|()| Outcome::Error),
            ),
            _ => return,
        };
        let outcome = result.unwrap_or_else(|e| {
            tracing::warn!("answering an interaction failed: {e}");
            Outcome::Failed
        });
        meter::interaction(name, outcome, received.elapsed());
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
    /// Answers a command; how it ended, for the metrics.
    async fn command(&self, ctx: &Context, cmd: &CommandInteraction) -> serenity::Result<Outcome> {
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
            Err(refusal) => return answer(ctx, cmd, respond(refusal), Outcome::Error).await,
        };
        // With a sentence encoder, an answer from memory may compute for tens of milliseconds
        // (the first question about a brief encodes its sentences): on a multi-threaded
        // runtime it runs with this worker's other tasks handed to another, so the gateway
        // and other interactions go on.
        let heavy = matches!(
            self.dispatcher.core().semantics(),
            Some(crate::core::qa::Semantics::Encoder(_))
        ) && tokio::runtime::Handle::current().runtime_flavor()
            == tokio::runtime::RuntimeFlavor::MultiThread;
        let now = if heavy {
            tokio::task::block_in_place(|| request.run_now())
        } else {
            request.run_now()
        };
        if let Some(reply) = now {
            let outcome = outcome_of(&reply);
            return answer(ctx, cmd, respond(reply), outcome).await;
        }
        // It waits on the database: defer (publicly, since whether the answer is an error is
        // not known yet), then edit the original, or answer an error privately.
        cmd.defer(&ctx.http).await?;
        let directory = Directory {
            known: self.channels.clone(),
            http: ctx.http.clone(),
        };
        let mut reply = request.run_with(&directory).await;
        if let Some(channel) = reply.post_to {
            reply = post_preview(ctx, cmd, channel, &reply).await;
        }
        if reply.is_ephemeral() {
            private_error(ctx, cmd, &render::error_text(&reply)).await?;
            return Ok(Outcome::Error);
        }
        let edit = EditInteractionResponse::new()
            .embed(render::embed(&reply))
            .components(render::buttons(&reply))
            .allowed_mentions(render::no_mentions());
        if let Err(e) = cmd.edit_response(&ctx.http, edit).await {
            tracing::warn!(command = %cmd.data.name, "Discord refused an answer: {e}");
            private_error(ctx, cmd, ANSWER_FAILED).await?;
            return Ok(Outcome::Failed);
        }
        Ok(Outcome::Ok)
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

    /// Answers a view button; how it ended, for the metrics.
    async fn component(
        &self,
        ctx: &Context,
        c: &ComponentInteraction,
    ) -> serenity::Result<Outcome> {
        let Some((id, view)) = render::parse_button_id(&c.data.custom_id) else {
            c.create_response(&ctx.http, not_understood()).await?;
            return Ok(Outcome::Error);
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
        if let Err(e) = c.create_response(&ctx.http, response).await {
            tracing::warn!("Discord refused a button's answer: {e}");
            c.create_response(
                &ctx.http,
                CreateInteractionResponse::Message(render::message(&Reply::error(ANSWER_FAILED))),
            )
            .await?;
            return Ok(Outcome::Failed);
        }
        Ok(outcome_of(&reply))
    }
}

/// An answer's outcome, for the metrics.
fn outcome_of(reply: &Reply) -> Outcome {
    if reply.is_ephemeral() {
        Outcome::Error
    } else {
        Outcome::Ok
    }
}

/// Answers a command at once (`outcome` once Discord took it); if Discord refuses the
/// answer (a body it will not take), a short ephemeral error instead, so that the user is
/// never left with "interaction failed".
async fn answer(
    ctx: &Context,
    cmd: &CommandInteraction,
    response: CreateInteractionResponse,
    outcome: Outcome,
) -> serenity::Result<Outcome> {
    match cmd.create_response(&ctx.http, response).await {
        Ok(()) => Ok(outcome),
        Err(e) => {
            tracing::warn!(command = %cmd.data.name, "Discord refused an answer: {e}");
            let fallback =
                CreateInteractionResponse::Message(render::message(&Reply::error(ANSWER_FAILED)));
            cmd.create_response(&ctx.http, fallback).await?;
            Ok(Outcome::Failed)
        }
    }
}

/// Replaces a deferred answer with an ephemeral error: the "thinking…" message is deleted
/// and the error sent as a private follow-up.
async fn private_error(
    ctx: &Context,
    cmd: &CommandInteraction,
    text: &str,
) -> serenity::Result<()> {
    cmd.delete_response(&ctx.http).await?;
    cmd.create_followup(
        &ctx.http,
        CreateInteractionResponseFollowup::new()
            .content(text)
            .allowed_mentions(render::no_mentions())
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// Posts a `/preview` reply in `channel` (the interaction id as nonce: a retried
/// interaction cannot post twice) and returns what to tell the invoker.
async fn post_preview(
    ctx: &Context,
    cmd: &CommandInteraction,
    channel: u64,
    preview: &Reply,
) -> Reply {
    let poster = Poster::new(ctx.http.clone());
    let nonce = format!("p{}", cmd.id.get());
    let title = preview.title.as_deref().unwrap_or("the brief");
    match poster.post(channel, preview, &nonce).await {
        Ok(()) => {
            let mut r = Reply::answer();
            r.title = Some("Preview posted".into());
            r.message = Some(format!(
                "Posted \"{title}\" in <#{channel}>: the newest brief its subscription matches."
            ));
            r
        }
        Err(e) => {
            let why = match e {
                PostError::RateLimited { .. } => "Discord asked the bot to slow down".to_owned(),
                PostError::ChannelGone(why)
                | PostError::Transient(why)
                | PostError::Rejected(why) => why,
            };
            Reply::error(format!(
                "Could not post the preview in <#{channel}>: {why}. Check that briefbot can see the channel and send messages and embeds there."
            ))
        }
    }
}
