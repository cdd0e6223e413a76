//! `discord.shards`: how many gateway shards, and which of them this process runs. Either
//! `"auto"` — as many shards as Discord recommends in `GET /gateway/bot`, all in this
//! process — or `{ total = 4, range = "0-1" }`: this process runs shards 0 and 1 of 4, and
//! other processes (same token, same config otherwise) run the rest. The Discord adapter
//! resolves the setting into its shard plan at start (`discord::shards::plan`).

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::str::FromStr;

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
}
