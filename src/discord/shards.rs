//! Gateway shards: which shards this process runs and which of them are connected.
//!
//! `discord.shards` ([`Shards`], a config setting) says how many shards there are in all and
//! which of them this process runs. Discord sends each guild's events and interactions on shard
//! `(guild_id >> 22) % total` ([`shard_of`]), so processes with complementary ranges
//! together serve every guild, each only its own. At start the setting is resolved into a
//! [`ShardPlan`]; while the bot runs, [`ShardStatus`] says which shards of the plan are
//! connected, for the health endpoint. It is fed by the event handler from serenity's ready,
//! resume and shard-stage events, and by a watch of serenity's shard manager (see
//! `watch_runners` in the module above), since a shard whose reconnection fails is dropped
//! and re-queued without any event.

pub use crate::config::shards::{ShardRange, Shards};
use serenity::all::Http;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;

/// The shards this process runs: the fixed setting as it is, or for `"auto"` every
/// shard of the count Discord recommends (serenity's `GET /gateway/bot`).
pub async fn plan(shards: &Shards, http: &Http) -> serenity::Result<ShardPlan> {
    match *shards {
        Shards::Fixed { total, range } => Ok(ShardPlan {
            total,
            first: range.first,
            last: range.last,
        }),
        Shards::Auto => {
            let total = http.get_bot_gateway().await?.shards.max(1);
            Ok(ShardPlan {
                total,
                first: 0,
                last: total - 1,
            })
        }
    }
}

/// The shard a guild's events arrive on, with `total` shards (Discord's formula).
pub fn shard_of(guild_id: u64, total: u32) -> u32 {
    ((guild_id >> 22) % u64::from(total.max(1))) as u32
}

/// The shards of this process: `first..=last` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardPlan {
    /// Shards across all processes.
    pub total: u32,
    /// First shard id of this process.
    pub first: u32,
    /// Last shard id of this process (included).
    pub last: u32,
}

impl ShardPlan {
    /// This process's shard ids.
    pub fn ids(&self) -> std::ops::RangeInclusive<u32> {
        self.first..=self.last
    }
}

impl fmt::Display for ShardPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "shard {} of {}", self.first, self.total)
        } else {
            write!(f, "shards {}-{} of {}", self.first, self.last, self.total)
        }
    }
}

/// One shard of this process and whether its gateway session is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ShardState {
    /// Shard id.
    pub id: u32,
    /// Connected (READY or RESUMED, and not disconnected since).
    pub connected: bool,
}

/// Which shards of this process are connected, shared between the event handler (which
/// writes it) and whoever reports health (which reads it).
#[derive(Debug)]
pub struct ShardStatus {
    plan: ShardPlan,
    connected: Mutex<BTreeMap<u32, bool>>,
}

impl ShardStatus {
    /// Every shard of `plan`, none connected yet.
    pub fn new(plan: ShardPlan) -> ShardStatus {
        ShardStatus {
            plan,
            connected: Mutex::new(plan.ids().map(|id| (id, false)).collect()),
        }
    }

    /// The plan it tracks.
    pub fn plan(&self) -> ShardPlan {
        self.plan
    }

    /// Records that shard `id` connected or lost its connection (ids outside the plan are
    /// ignored).
    pub fn set(&self, id: u32, connected: bool) {
        let mut map = self.connected.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(state) = map.get_mut(&id) {
            *state = connected;
        }
    }

    /// Each shard of this process and whether it is connected, by id.
    pub fn snapshot(&self) -> Vec<ShardState> {
        let map = self.connected.lock().unwrap_or_else(|e| e.into_inner());
        map.iter()
            .map(|(&id, &connected)| ShardState { id, connected })
            .collect()
    }

    /// Whether every shard of this process is connected.
    pub fn all_connected(&self) -> bool {
        let map = self.connected.lock().unwrap_or_else(|e| e.into_inner());
        map.values().all(|&c| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guilds_map_to_shards_by_discords_formula() {
        // Discord's documented example: (guild_id >> 22) % num_shards.
        let guild = 197_038_439_483_310_086_u64;
        assert_eq!(shard_of(guild, 1), 0);
        assert_eq!(u64::from(shard_of(guild, 4)), (guild >> 22) % 4);
        let a = 5_u64 << 22;
        assert_eq!(shard_of(a, 2), 1);
        assert_eq!(shard_of(a, 5), 0);
    }

    #[test]
    fn status_tracks_the_plans_shards_only() {
        let status = ShardStatus::new(ShardPlan {
            total: 4,
            first: 2,
            last: 3,
        });
        assert!(!status.all_connected());
        status.set(2, true);
        status.set(0, true);
        assert!(!status.all_connected());
        status.set(3, true);
        assert!(status.all_connected());
        status.set(2, false);
        assert_eq!(
            status.snapshot(),
            vec![
                ShardState {
                    id: 2,
                    connected: false
                },
                ShardState {
                    id: 3,
                    connected: true
                }
            ]
        );
    }
}
