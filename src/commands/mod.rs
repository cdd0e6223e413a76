//! Commands: one file a command, one dispatcher. Each command module declares a
//! [`CommandDef`] — name, description, options, the permission and context it needs, and its
//! execution — and does its own typed parse of the checked [`Args`]. [`COMMANDS`] lists them;
//! that list drives Discord's registration, the console parser and `/help`. Every front end
//! (console, CLI, Discord) goes through the [`Dispatcher`], which looks the command up,
//! checks its options, applies the one permission check ([`checks`]) and runs it with the
//! invoker's context. Replies are platform-neutral ([`Reply`]).
//!
//! Adding a command: a new file here with its `DEF`, and one line in [`COMMANDS`].

pub mod ask;
pub mod brief;
pub mod briefs;
pub mod checks;
mod dispatch;
pub mod help;
pub mod options;
pub mod preview;
pub mod section;
pub mod sources;
mod subs;
pub mod subscribe;
pub mod subscriptions;
pub mod unsubscribe;

use crate::core::Core;
use crate::reply::Reply;
use crate::source::status::SourceBoard;
use crate::store::LazyStore;
use std::future::Future;
use std::pin::Pin;

pub use dispatch::{Dispatcher, Request};
pub use options::{Args, OptionKind, OptionSpec};

/// The name an interaction is counted under ([`crate::meter`]): a registered command's own
/// name, anything else `other` (so a metric's labels stay bounded).
pub fn label(name: &str) -> &'static str {
    COMMANDS
        .iter()
        .find(|c| c.name == name)
        .map_or("other", |c| c.name)
}

/// Every command, in the order `/help` lists them.
pub const COMMANDS: &[&CommandDef] = &[
    &brief::DEF,
    &section::HAPPENING,
    &section::IMPORTANCE,
    &section::NEXT,
    &ask::DEF,
    &briefs::DEF,
    &sources::DEF,
    &subscribe::DEF,
    &unsubscribe::DEF,
    &subscriptions::DEF,
    &preview::DEF,
    &help::DEF,
];

/// The command with this name.
pub fn find(name: &str) -> Option<&'static CommandDef> {
    COMMANDS.iter().copied().find(|c| c.name == name)
}

/// A command that cannot be run as typed; the message says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CommandError(pub String);

impl CommandError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> CommandError {
        CommandError(message.into())
    }
}

impl From<CommandError> for Reply {
    fn from(e: CommandError) -> Reply {
        Reply::error(e.0)
    }
}

/// What a member needs to use a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Anyone in a channel the bot serves.
    Everyone,
    /// Members with Manage Channels (or Administrator).
    ManageChannels,
}

/// A command's answer still to be computed (it waits on the database).
pub type Pending<'a> = Pin<Box<dyn Future<Output = Reply> + Send + 'a>>;

/// How a command runs.
#[derive(Clone, Copy)]
pub enum Run {
    /// From memory, in microseconds: answered at once.
    Now(fn(&Ctx<'_>, &Args) -> Reply),
    /// Waits on the database: adapters acknowledge first (Discord defers).
    Later(for<'a> fn(&'a Ctx<'a>, &'a Args) -> Pending<'a>),
}

/// One command: its declaration and its execution.
pub struct CommandDef {
    /// Command name, without the slash.
    pub name: &'static str,
    /// What it does (1–100 characters).
    pub description: &'static str,
    /// Its options, required ones first.
    pub options: &'static [OptionSpec],
    /// Who may use it.
    pub permission: Permission,
    /// Whether it makes sense only inside a server (not in DMs).
    pub guild_only: bool,
    /// Its execution.
    pub run: Run,
}

impl CommandDef {
    /// The option with this name.
    pub fn option(&self, name: &str) -> Option<&'static OptionSpec> {
        self.options.iter().find(|o| o.name == name)
    }
}

impl std::fmt::Debug for CommandDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandDef")
            .field("name", &self.name)
            .finish()
    }
}

/// Which front end a command came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The terminal (console or one-shot CLI): the operator, trusted with every command.
    Console,
    /// A Discord interaction.
    Discord,
}

/// Where and by whom a command was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invoker {
    /// The front end.
    pub surface: Surface,
    /// The guild (`None` in DMs and the console).
    pub guild_id: Option<u64>,
    /// The channel it was used in (`None` in the console).
    pub channel_id: Option<u64>,
    /// Whether the invoker has the Manage Channels permission (or Administrator).
    pub manage_channels: bool,
}

impl Invoker {
    /// Where the conversation is, for follow-up questions: the channel, or the console (0).
    pub fn place(&self) -> u64 {
        self.channel_id.unwrap_or(0)
    }

    /// The operator at the terminal: no guild, no channel, every permission.
    pub fn console() -> Invoker {
        Invoker {
            surface: Surface::Console,
            guild_id: None,
            channel_id: None,
            manage_channels: true,
        }
    }
}

/// A channel lookup, boxed so that adapters can implement [`Channels`] without a macro.
pub type GuildLookup<'a> = Pin<Box<dyn Future<Output = Option<u64>> + Send + 'a>>;

/// Where channels live, as the chat platform knows it. The Discord adapter answers from the
/// guilds' channel lists it received and, for a channel it has not seen, from Discord.
pub trait Channels: Send + Sync {
    /// The guild of `channel_id`; `None` when the platform does not know it as a server
    /// channel the bot can see.
    fn guild_of(&self, channel_id: u64) -> GuildLookup<'_>;
}

/// What a command runs with.
pub struct Ctx<'a> {
    /// The library and the summarizer.
    pub core: &'a Core,
    /// The database (subscriptions), when this front end has one.
    pub store: Option<&'a LazyStore>,
    /// `delivery.timezone`, for digest times.
    pub timezone: &'a str,
    /// Who asked, where.
    pub invoker: &'a Invoker,
    /// Where channels live, when the front end knows (Discord); see [`checks::target`].
    pub channels: Option<&'a dyn Channels>,
    /// The feed and page sources' status, when this front end has sources.
    pub sources: Option<&'a SourceBoard>,
}
