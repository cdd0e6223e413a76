//! What the subscription commands share: the database handle, the channel they act on
//! (checked to be in the invoker's server), and how a subscription is described.

use super::Ctx;
use crate::reply::Reply;
use crate::store::{Mode, Store, StoreError};

/// The database, opened on first use; `Err` is the reply to give without one.
pub(super) async fn store<'a>(ctx: &Ctx<'a>) -> Result<&'a Store, Reply> {
    let Some(lazy) = ctx.store else {
        return Err(Reply::error(
            "Subscriptions need the bot's database, which this session has not opened.",
        ));
    };
    lazy.get().await.map_err(store_error)
}

/// The channel a command acts on: the option, else the channel it was used in; refused
/// unless it is in the invoker's server ([`super::checks::target`]).
pub(super) async fn channel(
    ctx: &Ctx<'_>,
    option: Option<u64>,
    example: &str,
) -> Result<u64, Reply> {
    let channel = option.or(ctx.invoker.channel_id).ok_or_else(|| {
        Reply::error(format!(
            "Name the channel: e.g. /{example} channel:123456789012345678"
        ))
    })?;
    super::checks::target(ctx, channel).await?;
    Ok(channel)
}

/// Milliseconds since the epoch, now.
pub(super) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// "every new brief" / "new briefs on energy, grid".
pub(super) fn describe_topics(topics: &[String]) -> String {
    if topics.is_empty() {
        "every new brief".into()
    } else {
        format!("new briefs on {}", topics.join(", "))
    }
}

/// "as they appear" / "in a daily digest at 08:00 (Europe/Paris)".
pub(super) fn describe_mode(mode: Mode, tz: &str) -> String {
    match mode {
        Mode::Instant => "as they appear".into(),
        Mode::Daily { at } => format!("in a daily digest at {} ({tz})", at.format("%H:%M")),
    }
}

/// The reply for a database failure: it says the change did not happen; the log has why.
pub(super) fn store_error(e: StoreError) -> Reply {
    tracing::error!("subscription store: {e}");
    Reply::error(
        "The subscription database could not be read or written, so nothing was changed; the bot's log has details. Try again later.",
    )
}
