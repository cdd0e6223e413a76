//! `/brief [query] [section] [detail] [source]`: a brief (the newest, or the one the query
//! names; only from one feed or page source with `source`), all three sections or one, short
//! or in full.

use super::{Args, CommandDef, Ctx, OptionSpec, Permission, Run};
use crate::brief::SectionKind;
use crate::reply::{Reply, View};
use crate::source::web::from_source;
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

/// `source`: only briefs from this feed or page source.
pub const SOURCE: OptionSpec = OptionSpec {
    autocomplete: true,
    ..OptionSpec::text(
        "source",
        "Only briefs from this feed or page (see /sources)",
    )
};

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "brief",
    description: "Show a brief: what's happening, why it matters, what's next",
    options: &[QUERY, SECTION, DETAIL, SOURCE],
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
    match args.text(&SOURCE) {
        Some(source) => show_from(ctx, args.text(&QUERY), source, view),
        None => show(ctx, args.text(&QUERY), view),
    }
}

/// A configured source name as typed, or the refusal to show.
pub(super) fn known_source<'a>(ctx: &Ctx<'_>, source: &'a str) -> Result<&'a str, Reply> {
    let name = source.trim();
    let names = ctx.sources.map(|b| b.names()).unwrap_or_default();
    if names.iter().any(|n| n == name) {
        Ok(name)
    } else {
        Err(Reply::error(format!(
            "No source is named '{}': /sources lists them.",
            super::options::echo(name)
        )))
    }
}

/// The brief of one source that a query names (or its newest) in a view.
fn show_from(ctx: &Ctx<'_>, query: Option<&str>, source: &str, view: View) -> Reply {
    let name = match known_source(ctx, source) {
        Ok(n) => n,
        Err(reply) => return reply,
    };
    let library = ctx.core.library();
    let of_source = |b: &&std::sync::Arc<crate::brief::Brief>| from_source(b, name);
    let found = match query.map(str::trim).filter(|q| !q.is_empty()) {
        None => library.briefs().iter().find(of_source).cloned(),
        Some(q) => library.get(q).filter(of_source).cloned().or_else(|| {
            library
                .search(q)
                .into_iter()
                .map(|(b, _)| b)
                .find(of_source)
                .cloned()
        }),
    };
    match found {
        Some(brief) => ctx.core.show(&brief, view),
        None => Reply::error(format!(
            "No brief from {name} matches: try /briefs source:{name}."
        )),
    }
}

/// The brief a query names (or the newest) in a view.
pub(super) fn show(ctx: &Ctx<'_>, query: Option<&str>, view: View) -> Reply {
    match ctx.core.pick(query) {
        Ok(brief) => ctx.core.show(&brief, view),
        Err(reply) => reply,
    }
}
