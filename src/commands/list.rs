//! `/briefs`: the newest briefs (or those matching a query), ten per page, each with its
//! one-sentence TL;DR.

use super::{Core, PAGE_SIZE};
use crate::reply::{Page, Reply};

pub(super) fn list(core: &Core, query: Option<&str>, page: usize) -> Reply {
    let library = core.library();
    let matching: Vec<_> = match query.map(str::trim).filter(|q| !q.is_empty()) {
        None => library.briefs().iter().collect(),
        Some(q) => {
            // Search hits, shown newest first like the unfiltered list.
            let mut hits: Vec<_> = library.search(q).into_iter().map(|(b, _)| b).collect();
            hits.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
            hits
        }
    };
    if matching.is_empty() {
        return match query {
            Some(q) if !library.is_empty() => Reply::error(format!(
                "No brief matches '{q}': try /briefs without a query."
            )),
            _ => Reply::error(
                "No briefs are loaded yet: add brief files to the folder set as briefs.dir.",
            ),
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
        Some(q) if !q.trim().is_empty() => format!("Briefs matching '{}'", q.trim()),
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
