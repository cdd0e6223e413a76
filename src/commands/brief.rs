//! `/brief [query] [section] [detail]`: a brief (the newest, or the one the query names),
//! all three sections or one, short or in full.

use super::{Args, CommandDef, Ctx, OptionSpec, Permission, Run};
use crate::brief::SectionKind;
use crate::reply::{Reply, View};
use crate::summarize::Detail;

/// `query`: which brief.
pub const QUERY: OptionSpec = OptionSpec {
    autocomplete: true,
    ..OptionSpec::text(
        "query",
        "Words from the title, topics or text (default: the newest brief)",
    )
};

/// `section`: one section, or all.
pub const SECTION: OptionSpec = OptionSpec {
    choices: &["happening", "importance", "next", "all"],
    ..OptionSpec::text("section", "Which section to show (default: all)")
};

/// `detail`: short or full.
pub const DETAIL: OptionSpec = OptionSpec {
    choices: &["short", "full"],
    ..OptionSpec::text("detail", "Short answer or the full text (default: short)")
};

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "brief",
    description: "Show a brief: what's happening, why it matters, what's next",
    options: &[QUERY, SECTION, DETAIL],
    permission: Permission::Everyone,
    guild_only: false,
    run: Run::Now(run),
};

fn run(ctx: &Ctx<'_>, args: &Args) -> Reply {
    let view = View {
        section: args
            .text(&SECTION)
            .filter(|s| *s != "all")
            .and_then(SectionKind::from_name),
        detail: args
            .text(&DETAIL)
            .and_then(Detail::from_name)
            .unwrap_or_default(),
    };
    show(ctx, args.text(&QUERY), view)
}

/// The brief a query names (or the newest) in a view.
pub(super) fn show(ctx: &Ctx<'_>, query: Option<&str>, view: View) -> Reply {
    match ctx.core.pick(query) {
        Ok(brief) => ctx.core.show(&brief, view),
        Err(reply) => reply,
    }
}
