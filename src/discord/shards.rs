//! Gateway shards: which shards this process runs and which of them are connected.
//!
//! `discord.shards` ([`Shards`]) is either `"auto"` — as many shards as Discord recommends
//! in `GET /gateway/bot`, all in this process — or `{ total = 4, range = "0-1" }`: this
//! process runs shards 0 and 1 of 4, and other processes (same token, same config
//! otherwise) run the rest. Discord sends each guild's events and interactions on shard
//! `(guild_id >> 22) % total` ([`shard_of`]), so processes with complementary ranges
//! together serve every guild, each only its own. At start the setting is resolved into a
//! [`ShardPlan`]; while the bot runs, [`ShardStatus`] says which shards of the plan are
//! connected, for the health endpoint. It is fed by the event handler from serenity's ready,
//! resume and shard-stage events, and by a watch of serenity's shard manager (see
//! `watch_runners` in the module above), since a shard whose reconnection fails is dropped
//! and re-queued without any event.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serenity::all::Http;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

/// `discord.shards`: how many gateway shards, and which of them this process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shards {
    /// Discord's recommended count (`GET /gateway/bot`), every shard in this process.
    Auto,
    /// `total` shards in all, of which this process runs `range`.
    Fixed {
        /// Shards across all processes.
        total: u32,
        /// The shards of this process.
        range: ShardRange,
    },
}

impl Default for Shards {
    /// One shard, in this process (what a bot in fewer than 2,500 guilds needs).
    fn default() -> Self {
        Shards::Fixed {
            total: 1,
            range: ShardRange { first: 0, last: 0 },
        }
    }
}

/// Shard ids `first..=last` (`"0-1"`, or `"3"` for one shard).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    /// First shard id.
    pub first: u32,
    /// Last shard id (included).
    pub last: u32,
}

impl FromStr for ShardRange {
    type Err = String;

    fn from_str(text: &str) -> Result<ShardRange, String> {
        let bad = || {
            format!(
                "{text:?} is not a shard range: write the first and last shard ids of this \
                 process, e.g. \"0-1\" (or \"2\" for one shard)"
            )
        };
        let id = |s: &str| s.trim().parse::<u32>().map_err(|_| bad());
        let (first, last) = match text.split_once('-') {
            Some((a, b)) => (id(a)?, id(b)?),
            None => (id(text)?, id(text)?),
        };
        if first > last {
            return Err(format!(
                "{text:?} runs backwards: the first shard id comes first (\"{last}-{first}\")"
            ));
        }
        Ok(ShardRange { first, last })
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

impl<'de> Deserialize<'de> for ShardRange {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// The inline-table form of `discord.shards`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixedTable {
    total: u32,
    range: Option<ShardRange>,
}

impl<'de> Deserialize<'de> for Shards {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ShardsVisitor;

        impl<'de> Visitor<'de> for ShardsVisitor {
            type Value = Shards;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"auto\" or a table such as { total = 4, range = \"0-1\" }")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Shards, E> {
                if v == "auto" {
                    Ok(Shards::Auto)
                } else {
                    Err(E::custom(format!(
                        "{v:?} is not a shard setting: use \"auto\" (Discord's recommended \
                         count) or {{ total = 4, range = \"0-1\" }}"
                    )))
                }
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Shards, A::Error> {
                let t = FixedTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let range = t.range.unwrap_or(ShardRange {
                    first: 0,
                    last: t.total.saturating_sub(1),
                });
                Ok(Shards::Fixed {
                    total: t.total,
                    range,
                })
            }
        }

        d.deserialize_any(ShardsVisitor)
    }
}

impl Shards {
    /// Checks a fixed setting: at least one shard, and this process's range within the
    /// total. On failure: the sub-key at fault (`total` or `range`) and what is wrong.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let Shards::Fixed { total, range } = *self else {
            return Ok(());
        };
        if total == 0 {
            return Err(("total", "must be at least 1 shard".into()));
        }
        if range.last >= total {
            return Err((
                "range",
                format!(
                    "\"{range}\" goes past the last shard: with total = {total}, shard ids run \
                     from 0 to {}",
                    total - 1
                ),
            ));
        }
        Ok(())
    }

    /// The shards this process runs: the fixed setting as it is, or for `"auto"` every
    /// shard of the count Discord recommends (serenity's `GET /gateway/bot`).
    pub async fn plan(&self, http: &Http) -> serenity::Result<ShardPlan> {
        match *self {
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

    #[derive(Deserialize, Debug)]
    struct Holder {
        shards: Shards,
    }

    fn parse(text: &str) -> Result<Shards, String> {
        toml::from_str::<Holder>(text)
            .map(|h| h.shards)
            .map_err(|e| e.message().to_owned())
    }

    #[test]
    fn reads_auto_and_tables() {
        assert_eq!(parse("shards = \"auto\""), Ok(Shards::Auto));
        let fixed = |total, first, last| Shards::Fixed {
            total,
            range: ShardRange { first, last },
        };
        assert_eq!(
            parse("shards = { total = 4, range = \"0-1\" }"),
            Ok(fixed(4, 0, 1))
        );
        assert_eq!(
            parse("shards = { total = 4, range = \"3\" }"),
            Ok(fixed(4, 3, 3))
        );
        assert_eq!(parse("shards = { total = 3 }"), Ok(fixed(3, 0, 2)));
        assert_eq!(Shards::default(), fixed(1, 0, 0));
    }

    #[test]
    fn refuses_what_is_not_a_setting() {
        let err = parse("shards = \"many\"").unwrap_err();
        assert!(err.contains("\"many\" is not a shard setting"), "{err}");
        let err = parse("shards = 4").unwrap_err();
        assert!(err.contains("\"auto\" or a table"), "{err}");
        let err = parse("shards = { total = 4, range = \"1-0\" }").unwrap_err();
        assert!(err.contains("runs backwards"), "{err}");
        let err = parse("shards = { total = 4, range = \"a-b\" }").unwrap_err();
        assert!(err.contains("is not a shard range"), "{err}");
        let err = parse("shards = { total = 4, ranges = \"0-1\" }").unwrap_err();
        assert!(err.contains("unknown field `ranges`"), "{err}");
    }

    #[test]
    fn checks_the_range_against_the_total() {
        let s = parse("shards = { total = 2, range = \"1-2\" }").unwrap();
        let (key, why) = s.check().unwrap_err();
        assert_eq!(key, "range");
        assert!(why.contains("from 0 to 1"), "{why}");
        let s = parse("shards = { total = 0 }").unwrap();
        assert_eq!(s.check().unwrap_err().0, "total");
        assert!(parse("shards = { total = 2, range = \"1\" }")
            .unwrap()
            .check()
            .is_ok());
    }

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
