//! `/happening [query]`, `/importance [query]`, `/next [query]`: one section of a brief,
//! short. Three commands of one shape, declared together.

use super::{Args, CommandDef, Ctx, Permission, Run};
use crate::brief::SectionKind;
use crate::reply::{Reply, View};
use crate::summarize::Detail;

/// A section command: the brief `query` names, one section, short.
const fn def(
    name: &'static str,
    description: &'static str,
    run: fn(&Ctx<'_>, &Args) -> Reply,
) -> CommandDef {
    CommandDef {
        name,
        description,
        options: &[super::brief::QUERY],
        permission: Permission::Everyone,
        guild_only: false,
        run: Run::Now(run),
    }
}

/// `/happening`.
pub const HAPPENING: CommandDef = def(
    "happening",
    "What's happening: the news itself",
    |ctx, args| run(ctx, args, SectionKind::Happening),
);

/// `/importance`.
pub const IMPORTANCE: CommandDef = def(
    "importance",
    "Why it's important: the stakes and the big picture",
    |ctx, args| run(ctx, args, SectionKind::Importance),
);

/// `/next`.
pub const NEXT: CommandDef = def("next", "What's next: what to watch", |ctx, args| {
    run(ctx, args, SectionKind::Next)
});

fn run(ctx: &Ctx<'_>, args: &Args, kind: SectionKind) -> Reply {
    let view = View {
        section: Some(kind),
        detail: Detail::Short,
    };
    super::brief::show(ctx, args.text(&super::brief::QUERY), view)
}
