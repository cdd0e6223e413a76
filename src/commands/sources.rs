//! `/sources`: the configured feeds and pages — name, kind, last fetch, next fetch, status,
//! last error and how many briefs each provides — from the running sources' status board.

use super::{Args, CommandDef, Ctx, Permission, Run};
use crate::reply::{Reply, ReplySection, SectionTag};

/// Sources listed at most (one embed field each).
const SHOWN: usize = 20;

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "sources",
    description: "List the feeds and pages briefs come from, with their status",
    options: &[],
    permission: Permission::Everyone,
    guild_only: false,
    run: Run::Now(run),
};

fn run(ctx: &Ctx<'_>, _: &Args) -> Reply {
    let list = ctx.sources.map(|b| b.list()).unwrap_or_default();
    let mut reply = Reply::answer();
    reply.title = Some("Sources".into());
    if list.is_empty() {
        reply.message = Some(
            "No feed or page sources are configured ([[sources]] in the config); briefs come \
             from the brief folder."
                .into(),
        );
        return reply;
    }
    reply.message = Some(format!(
        "{} source{}",
        list.len(),
        if list.len() == 1 { "" } else { "s" }
    ));
    for s in list.iter().take(SHOWN) {
        let line = s.line();
        // The name leads the line; the field heading carries it already.
        let text = line
            .split_once(" · ")
            .map_or(line.clone(), |(_, rest)| rest.to_owned());
        reply.sections.push(ReplySection {
            section: SectionTag::Extra,
            heading: format!("{} ({})", s.name, s.kind),
            text: format!("{text}\n{}", s.url),
        });
    }
    reply
}

/// Autocomplete choices for a `source` option: configured names containing `partial`.
pub fn suggest(
    ctx_sources: Option<&crate::source::status::SourceBoard>,
    partial: &str,
) -> Vec<(String, String)> {
    let p = partial.trim().to_lowercase();
    ctx_sources
        .map(|b| b.names())
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.to_lowercase().contains(&p))
        .take(25)
        .map(|n| (n.clone(), n))
        .collect()
}
