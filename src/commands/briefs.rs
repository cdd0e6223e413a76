//! `/briefs [query] [page] [source]`: the newest briefs (or those matching a query; only from
//! one feed or page source with `source`), ten per page, each with its one-sentence TL;DR.

use super::{Args, CommandDef, Ctx, OptionKind, OptionSpec, Permission, Run};
use crate::core::{NO_BRIEFS, PAGE_SIZE};
use crate::reply::{Page, Reply};

/// `query`: filter words.
pub const QUERY: OptionSpec = OptionSpec::text("query", "Only briefs matching these words");

/// `page`: which page.
pub const PAGE: OptionSpec = OptionSpec {
    kind: OptionKind::Integer,
    min: Some(1),
    ..OptionSpec::text("page", "Page number (10 briefs per page)")
};

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "briefs",
    description: "List briefs, newest first, with a one-line summary",
    options: &[QUERY, PAGE, super::brief::SOURCE],
    permission: Permission::Everyone,
    guild_only: false,
    run: Run::Now(run),
};

fn run(ctx: &Ctx<'_>, args: &Args) -> Reply {
    let page = usize::try_from(args.integer(&PAGE).unwrap_or(1)).unwrap_or(usize::MAX);
    let query = args.text(&QUERY);
    let core = ctx.core;
    let library = core.library();
    let source = match args.text(&super::brief::SOURCE) {
        Some(s) => match super::brief::known_source(ctx, s) {
            Ok(name) => Some(name),
            Err(reply) => return reply,
        },
        None => None,
    };
    let mut matching: Vec<_> = match query.map(str::trim).filter(|q| !q.is_empty()) {
        None => library.briefs().iter().collect(),
        Some(q) => {
            // Search hits, shown newest first like the unfiltered list.
            let mut hits: Vec<_> = library.search(q).into_iter().map(|(b, _)| b).collect();
            hits.sort_by(|a, b| crate::brief::newest_first(a, b));
            hits
        }
    };
    if let Some(name) = source {
        matching.retain(|b| crate::source::web::from_source(b, name));
        if matching.is_empty() {
            return Reply::error(format!("No brief from {name} matches: try /sources."));
        }
    }
    if matching.is_empty() {
        return match query {
            Some(q) if !library.is_empty() => Reply::error(format!(
                "No brief matches '{}': try /briefs without a query.",
                super::options::echo(q)
            )),
            _ => Reply::error(NO_BRIEFS),
        };
    }
    let pages = matching.len().div_ceil(PAGE_SIZE);
    if page > pages {
        return Reply::error(format!(
            "There {} only {pages} page{} of briefs: try /briefs page:{pages}.",
            if pages == 1 { "is" } else { "are" },
            if pages == 1 { "" } else { "s" }
        ));
    }
    let start = (page - 1) * PAGE_SIZE;
    let shown = &matching[start..(start + PAGE_SIZE).min(matching.len())];
    let mut reply = Reply::answer();
    reply.title = Some(match query {
        Some(q) => format!("Briefs matching '{}'", super::options::echo(q)),
        _ => "Latest briefs".to_owned(),
    });
    reply.message = Some(format!(
        "{}–{} of {} · page {page}/{pages}",
        start + 1,
        start + shown.len(),
        matching.len()
    ));
    reply.page = Some(Page {
        number: page,
        total: pages,
    });
    reply.items = shown.iter().map(|b| core.list_item(b)).collect();
    reply
}
