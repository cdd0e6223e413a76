//! Subscription commands (`/subscribe`, `/unsubscribe`, `/subscriptions`), platform-neutral:
//! they check the invoker's permission, read and write the [`Store`], and return a
//! [`Reply`]. Config-defined subscriptions are read-only here.

use crate::commands::{Command, Core};
use crate::config::{parse_hhmm, SubscriptionConfig};
use crate::reply::{Reply, ReplySection, SectionTag};
use crate::store::{Mode, Origin, RemoveOutcome, Store, Subscription};
use std::sync::Arc;

/// Where and by whom a command was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invoker {
    /// The channel it was used in (`None` in the console).
    pub channel_id: Option<u64>,
    /// The guild (`None` in DMs and the console).
    pub guild_id: Option<u64>,
    /// Whether the invoker has the Manage Channels permission.
    pub manage_channels: bool,
}

/// Answers subscription commands against the store.
#[derive(Debug, Clone)]
pub struct Subscriptions {
    store: Store,
    core: Arc<Core>,
    /// `delivery.timezone`, shown with digest times.
    timezone: String,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A `[[subscriptions]]` entry as a store subscription (validated by the config loader).
pub fn from_config(c: &SubscriptionConfig) -> Subscription {
    let mode = match (c.mode.as_str(), c.at.as_deref().and_then(parse_hhmm)) {
        ("daily", Some(at)) => Mode::Daily { at },
        _ => Mode::Instant,
    };
    Subscription::new(c.channel, None, &c.topics, mode, Origin::Config, now_ms())
}

/// The refusal for a member without Manage Channels who tries to change subscriptions.
pub fn refusal(command: &Command, invoker: &Invoker) -> Option<Reply> {
    (command.changes_subscriptions() && !invoker.manage_channels)
        .then(|| Reply::error("You need the Manage Channels permission to change subscriptions."))
}

/// Parses a channel option: an id or a `<#id>` mention.
fn channel_arg(raw: Option<&str>, invoker: &Invoker) -> Result<u64, String> {
    match raw {
        Some(text) => {
            let t = text.trim().trim_start_matches("<#").trim_end_matches('>');
            t.parse::<u64>()
                .map_err(|_| format!("'{text}' is not a channel: pick one, or give its id."))
        }
        None => invoker.channel_id.ok_or_else(|| {
            "Name the channel: e.g. /subscribe channel:123456789012345678".to_owned()
        }),
    }
}

impl Subscriptions {
    /// Subscription commands over `store`; `timezone` is `delivery.timezone` (for replies).
    pub fn new(store: Store, core: Arc<Core>, timezone: &str) -> Subscriptions {
        Subscriptions {
            store,
            core,
            timezone: timezone.to_owned(),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Answers a subscription command; other commands go to the core.
    pub async fn execute(&self, command: &Command, invoker: &Invoker) -> Reply {
        if let Some(refusal) = refusal(command, invoker) {
            return refusal;
        }
        let mut reply = match command {
            Command::Subscribe {
                channel,
                topics,
                mode,
                at,
            } => {
                self.subscribe(
                    channel.as_deref(),
                    topics.as_deref(),
                    mode.as_deref(),
                    at.as_deref(),
                    invoker,
                )
                .await
            }
            Command::Unsubscribe { channel } => self.unsubscribe(channel.as_deref(), invoker).await,
            Command::Subscriptions => self.list(invoker).await,
            other => return self.core.execute(other),
        };
        reply.fit_to_discord();
        reply
    }

    async fn subscribe(
        &self,
        channel: Option<&str>,
        topics: Option<&str>,
        mode: Option<&str>,
        at: Option<&str>,
        invoker: &Invoker,
    ) -> Reply {
        let channel = match channel_arg(channel, invoker) {
            Ok(c) => c,
            Err(e) => return Reply::error(e),
        };
        let topics: Vec<String> = topics
            .unwrap_or_default()
            .split(',')
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        let mode = match (mode.unwrap_or("instant").trim().to_lowercase().as_str(), at) {
            ("instant", None) => Mode::Instant,
            ("instant", Some(_)) => {
                return Reply::error("at: is only for daily mode: add mode:daily.")
            }
            ("daily", None) => {
                return Reply::error("Daily mode needs a time: e.g. mode:daily at:08:00")
            }
            ("daily", Some(at)) => match parse_hhmm(at) {
                Some(t) => Mode::Daily { at: t },
                None => {
                    return Reply::error(format!(
                        "'{at}' is not a time HH:MM (24-hour), e.g. at:08:00"
                    ))
                }
            },
            (other, _) => {
                return Reply::error(format!("'{other}' is not a mode: choose instant or daily."))
            }
        };
        match self.store.subscription(channel).await {
            Ok(Some(s)) if s.origin == Origin::Config => {
                return Reply::error(format!(
                    "<#{channel}>'s subscription is defined in the config file: change it there."
                ))
            }
            Ok(_) => {}
            Err(e) => return store_error(e),
        }
        let sub = Subscription::new(
            channel,
            invoker.guild_id,
            &topics,
            mode,
            Origin::Command,
            now_ms(),
        );
        if let Err(e) = self.store.upsert_subscription(&sub).await {
            return store_error(e);
        }
        let library = self.core.library();
        let matching = library
            .briefs()
            .iter()
            .filter(|b| b.matches_topics(&sub.topics))
            .count();
        let mut reply = Reply::answer();
        reply.title = Some("Subscribed".into());
        reply.message = Some(format!(
            "<#{channel}> will get {} {}. {matching} of the {} current briefs match; only briefs that appear from now on are posted.",
            describe_topics(&sub.topics),
            describe_mode(sub.mode, &self.timezone),
            library.len()
        ));
        reply
    }

    async fn unsubscribe(&self, channel: Option<&str>, invoker: &Invoker) -> Reply {
        let channel = match channel_arg(channel, invoker) {
            Ok(c) => c,
            Err(e) => return Reply::error(e),
        };
        match self.store.remove_subscription(channel).await {
            Ok(RemoveOutcome::Removed) => {
                let mut r = Reply::answer();
                r.title = Some("Unsubscribed".into());
                r.message = Some(format!("<#{channel}> will no longer get new briefs."));
                r
            }
            Ok(RemoveOutcome::NotFound) => Reply::error(format!("<#{channel}> is not subscribed: see /subscriptions.")),
            Ok(RemoveOutcome::FromConfig) => Reply::error(format!(
                "<#{channel}>'s subscription is defined in the config file ([[subscriptions]]): remove it there."
            )),
            Err(e) => store_error(e),
        }
    }

    async fn list(&self, invoker: &Invoker) -> Reply {
        let subs = match invoker.guild_id {
            Some(g) => self.store.subscriptions_in_guild(g).await,
            None => self.store.subscriptions().await,
        };
        let mut subs = match subs {
            Ok(s) => s,
            Err(e) => return store_error(e),
        };
        if invoker.guild_id.is_some() {
            // Config subscriptions carry no guild: show them too.
            if let Ok(all) = self.store.subscriptions().await {
                subs.extend(
                    all.into_iter()
                        .filter(|s| s.origin == Origin::Config && s.guild_id.is_none()),
                );
            }
        }
        let mut reply = Reply::answer();
        reply.title = Some("Subscriptions".into());
        if subs.is_empty() {
            reply.message = Some("No channel here is subscribed: use /subscribe.".into());
            return reply;
        }
        reply.message = Some(format!(
            "{} subscribed channel{}",
            subs.len(),
            if subs.len() == 1 { "" } else { "s" }
        ));
        for s in subs.iter().take(20) {
            let mut text = format!(
                "{} · {} · from {}",
                describe_topics(&s.topics),
                describe_mode(s.mode, &self.timezone),
                match s.origin {
                    Origin::Config => "the config file",
                    Origin::Command => "/subscribe",
                }
            );
            if let Some(why) = &s.paused {
                text.push_str(&format!("\nPaused: {why}"));
            }
            reply.sections.push(ReplySection {
                section: SectionTag::Extra,
                heading: format!("#{}", s.channel_id),
                text,
            });
        }
        reply
    }
}

fn describe_topics(topics: &[String]) -> String {
    if topics.is_empty() {
        "every new brief".into()
    } else {
        format!("new briefs on {}", topics.join(", "))
    }
}

fn describe_mode(mode: Mode, tz: &str) -> String {
    match mode {
        Mode::Instant => "as they appear".into(),
        Mode::Daily { at } => format!("in a daily digest at {} ({tz})", at.format("%H:%M")),
    }
}

fn store_error(e: crate::store::StoreError) -> Reply {
    tracing::error!("subscription store: {e}");
    Reply::error("The subscription database could not be read or written; the bot's log has details. Try again later.")
}
