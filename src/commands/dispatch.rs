//! The dispatcher: the one entry point of every front end. It finds the command, checks its
//! options against the command's declaration, applies [`super::checks`], and runs it with
//! the invoker's context. [`Dispatcher::request`] does everything but running, so that an
//! adapter can answer a refusal at once and acknowledge a slow command before it runs.

use super::checks::{self, ChannelPolicy};
use super::options::{split_line, Args};
use super::{Channels, CommandDef, Ctx, Invoker, Run};
use crate::config::Config;
use crate::core::Core;
use crate::reply::{Reply, ReplyKind, View};
use crate::source::status::SourceBoard;
use crate::store::LazyStore;
use std::sync::Arc;

/// Routes commands from any front end to their modules.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    core: Arc<Core>,
    store: Option<LazyStore>,
    timezone: String,
    channels: ChannelPolicy,
    sources: Option<SourceBoard>,
}

/// A checked command, ready to run.
#[derive(Debug)]
pub struct Request<'d> {
    dispatcher: &'d Dispatcher,
    def: &'static CommandDef,
    args: Args,
    invoker: Invoker,
}

impl Dispatcher {
    /// Commands over `core`, with no database, in UTC, in every channel.
    pub fn new(core: Arc<Core>) -> Dispatcher {
        Dispatcher {
            core,
            store: None,
            timezone: "UTC".into(),
            channels: ChannelPolicy::default(),
            sources: None,
        }
    }

    /// With `delivery.timezone` and the `[[channels]]` policy of `config`.
    pub fn configured(mut self, config: &Config) -> Dispatcher {
        self.timezone = config.delivery.timezone.clone();
        self.channels = ChannelPolicy::from_config(config);
        self
    }

    /// With the feed and page sources' status board, for `/sources`.
    pub fn with_sources(mut self, board: SourceBoard) -> Dispatcher {
        self.sources = Some(board);
        self
    }

    /// With the database, for the subscription commands.
    pub fn with_store(mut self, store: LazyStore) -> Dispatcher {
        self.store = Some(store);
        self
    }

    /// The core.
    pub fn core(&self) -> &Arc<Core> {
        &self.core
    }

    /// Finds, checks and authorizes a command from its name and raw option pairs.
    pub fn request(
        &self,
        name: &str,
        raw: &[(String, String)],
        invoker: Invoker,
    ) -> Result<Request<'_>, Reply> {
        let Some(def) = super::find(name) else {
            return Err(Reply::error(format!(
                "Unknown command /{}: try /help",
                super::options::echo(name)
            )));
        };
        self.checked(def, raw, invoker)
    }

    /// [`Dispatcher::request`] from a typed line such as `/brief query:grid section:next`.
    pub fn request_line(&self, line: &str, invoker: Invoker) -> Result<Request<'_>, Reply> {
        let (def, raw) = split_line(line)?;
        self.checked(def, &raw, invoker)
    }

    fn checked(
        &self,
        def: &'static CommandDef,
        raw: &[(String, String)],
        invoker: Invoker,
    ) -> Result<Request<'_>, Reply> {
        checks::check(def, &invoker, &self.channels)?;
        let args = Args::check(def, raw)?;
        Ok(Request {
            dispatcher: self,
            def,
            args,
            invoker,
        })
    }

    /// Answers a typed line (console, CLI).
    pub async fn answer_line(&self, line: &str, invoker: Invoker) -> Reply {
        match self.request_line(line, invoker) {
            Ok(request) => request.run().await,
            Err(reply) => reply,
        }
    }

    /// Answers a typed line as the console operator, without a runtime: for commands that
    /// answer from memory (those that wait on the database say to use the console).
    pub fn answer_now(&self, line: &str) -> Reply {
        match self.request_line(line, Invoker::console()) {
            Ok(request) => request.run_now().unwrap_or_else(|| {
                Reply::error("This command needs the database: use briefbot console.")
            }),
            Err(reply) => reply,
        }
    }

    /// A view button: the brief `id` shown another way.
    pub fn view(&self, id: &str, view: View, invoker: Invoker) -> Reply {
        if let Err(refusal) = checks::check_view(&invoker, &self.channels) {
            return refusal;
        }
        let reply = self.core.show_id(id, view);
        self.shown(&invoker, &reply);
        reply
    }

    /// Notes the brief a reply showed where it was asked for, so that a question there
    /// that names nothing is taken as a follow-up on it ([`crate::core::conversation`]).
    fn shown(&self, invoker: &Invoker, reply: &Reply) {
        if reply.kind == ReplyKind::Error {
            return;
        }
        if let Some(id) = &reply.brief_id {
            self.core.conversations().note(invoker.place(), id);
        }
    }

    /// Autocomplete choices for a partly typed brief query.
    pub fn suggest(&self, partial: &str) -> Vec<(String, String)> {
        self.core.suggest(partial)
    }

    /// Autocomplete choices for the option `option`: source names for `source`, brief
    /// titles otherwise.
    pub fn suggest_option(&self, option: &str, partial: &str) -> Vec<(String, String)> {
        match option {
            "source" => super::sources::suggest(self.sources.as_ref(), partial),
            _ => self.suggest(partial),
        }
    }
}

impl Request<'_> {
    /// The command.
    pub fn def(&self) -> &'static CommandDef {
        self.def
    }

    /// Whether it waits on the database (adapters acknowledge first).
    pub fn waits(&self) -> bool {
        matches!(self.def.run, Run::Later(_))
    }

    /// What the command runs with.
    fn ctx<'c>(&'c self, channels: Option<&'c dyn Channels>) -> Ctx<'c> {
        let d = self.dispatcher;
        Ctx {
            core: &d.core,
            store: d.store.as_ref(),
            timezone: &d.timezone,
            invoker: &self.invoker,
            channels,
            sources: d.sources.as_ref(),
        }
    }

    /// Runs it (console and CLI: no channel directory, the operator may name any channel).
    pub async fn run(self) -> Reply {
        self.execute(None).await
    }

    /// Runs it with the platform's channel directory, which decides whether a channel named
    /// in its options belongs to the invoker's server (Discord).
    pub async fn run_with(self, channels: &dyn Channels) -> Reply {
        self.execute(Some(channels)).await
    }

    async fn execute(self, channels: Option<&dyn Channels>) -> Reply {
        let ctx = self.ctx(channels);
        let reply = match self.def.run {
            Run::Now(f) => f(&ctx, &self.args),
            Run::Later(f) => f(&ctx, &self.args).await,
        };
        self.dispatcher.shown(&self.invoker, &reply);
        reply
    }

    /// Runs it if it answers from memory; `None` for a command that waits on the database.
    pub fn run_now(&self) -> Option<Reply> {
        let ctx = self.ctx(None);
        let reply = match self.def.run {
            Run::Now(f) => f(&ctx, &self.args),
            Run::Later(_) => return None,
        };
        self.dispatcher.shown(&self.invoker, &reply);
        Some(reply)
    }
}
