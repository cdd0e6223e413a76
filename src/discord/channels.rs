//! Which guild each channel belongs to, for the dispatcher's tenancy check
//! ([`crate::commands::Channels`]). Filled from the gateway — every GUILD_CREATE lists the
//! guild's channels, CHANNEL_CREATE/DELETE keep it current — and, for a channel the gateway
//! has not shown, from `GET /channels/{id}` (remembered). serenity's interaction model drops
//! the `guild_id` of resolved channel options, and its cache feature is off (build time), so
//! this small map is the bot's own.

use crate::commands::{Channels, GuildLookup};
use serenity::all::{Channel, ChannelId, Http};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Channel → guild, as far as the bot has seen.
#[derive(Debug, Default)]
pub struct ChannelGuilds {
    known: Mutex<HashMap<u64, u64>>,
}

impl ChannelGuilds {
    /// Records that `channel` is in `guild`.
    pub fn insert(&self, channel: u64, guild: u64) {
        self.lock().insert(channel, guild);
    }

    /// Forgets a deleted channel.
    pub fn remove(&self, channel: u64) {
        self.lock().remove(&channel);
    }

    /// Forgets every channel of a guild the bot left.
    pub fn remove_guild(&self, guild: u64) {
        self.lock().retain(|_, g| *g != guild);
    }

    /// The guild of `channel`, if seen.
    pub fn get(&self, channel: u64) -> Option<u64> {
        self.lock().get(&channel).copied()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, u64>> {
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The map plus a REST client to ask Discord about channels it does not hold.
pub struct Directory {
    /// What the gateway showed.
    pub known: Arc<ChannelGuilds>,
    /// serenity's REST client.
    pub http: Arc<Http>,
}

impl Channels for Directory {
    fn guild_of(&self, channel_id: u64) -> GuildLookup<'_> {
        Box::pin(async move {
            if channel_id == 0 {
                return None;
            }
            if let Some(g) = self.known.get(channel_id) {
                return Some(g);
            }
            match self.http.get_channel(ChannelId::new(channel_id)).await {
                Ok(Channel::Guild(c)) => {
                    self.known.insert(channel_id, c.guild_id.get());
                    Some(c.guild_id.get())
                }
                Ok(_) => None,
                Err(e) => {
                    tracing::info!(channel_id, "cannot look up a channel's guild: {e}");
                    None
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_follows_creates_and_deletes() {
        let map = ChannelGuilds::default();
        map.insert(1, 10);
        map.insert(2, 10);
        map.insert(3, 20);
        assert_eq!(map.get(1), Some(10));
        map.remove(1);
        assert_eq!(map.get(1), None);
        map.remove_guild(10);
        assert_eq!(map.get(2), None);
        assert_eq!(map.get(3), Some(20));
    }
}
