//! `/happening [query]`, `/importance [query]`, `/next [query]`: one section of a brief,
//! short. Three commands of one shape, declared together.

use super::{Args, CommandDef, Ctx, Permission, Run};
use crate::brief::SectionKind;
use crate::reply::{Reply, View};
use crate::summarize::Detail;

const OPTIONS: &[super::OptionSpec] = &[super::brief::QUERY];

/// `/happening`.
pub const HAPPENING: CommandDef = CommandDef {
    name: "happening",
    description: "What's happening: the news itself",
    options: OPTIONS,
    permission: Permission::Everyone,
    guild_only: false,
    run: Run::Now(|ctx, args| run(ctx, args, SectionKind::Happening)),
};

/// `/importance`.
pub const IMPORTANCE: CommandDef = CommandDef {
    name: "importance",
    description: "Why it's important: the stakes and the big picture",
    options: OPTIONS,
    permission: Permission::Everyone,
    guild_only: false,
    run: Run::Now(|ctx, args| run(ctx, args, SectionKind::Importance)),
};

/// `/next`.
pub const NEXT: CommandDef = CommandDef {
    name: "next",
    description: "What's next: what to watch",
    options: OPTIONS,
    permission: Permission::Everyone,
    guild_only: false,
    run: Run::Now(|ctx, args| run(ctx, args, SectionKind::Next)),
};

fn run(ctx: &Ctx<'_>, args: &Args, kind: SectionKind) -> Reply {
    let view = View {
        section: Some(kind),
        detail: Detail::Short,
    };
    super::brief::show(ctx, args.text(&super::brief::QUERY), view)
}
