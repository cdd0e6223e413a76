//! Commands: typed input in, platform-neutral [`Reply`] out. [`Core`] holds the brief library
//! and the summarizer and answers the brief commands; it knows nothing of Discord.

mod ask;
mod list;
pub mod parse;
pub mod spec;

use crate::brief::{Brief, Library, SectionKind};
use crate::reply::{ListItem, Reply, ReplySection, SectionTag, View};
use crate::summarize::{fit, Detail, Summarizer};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

pub use parse::{build, parse_line, CommandError};

/// A typed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/brief`, `/happening`, `/importance`, `/next`.
    Brief {
        /// Words matched against title, topics and text; `None` = newest brief.
        query: Option<String>,
        /// One section, or all (`None`).
        section: Option<SectionKind>,
        /// Short or full.
        detail: Detail,
    },
    /// `/ask question`.
    Ask {
        /// The question.
        question: String,
    },
    /// `/briefs [query] [page]`.
    Briefs {
        /// Filter words.
        query: Option<String>,
        /// 1-based page.
        page: usize,
    },
    /// `/subscribe [channel] [topics] [mode] [at]` (raw values, checked by the subscription layer).
    Subscribe {
        /// Channel id or mention; default the current channel.
        channel: Option<String>,
        /// Comma-separated topics.
        topics: Option<String>,
        /// `instant` or `daily`.
        mode: Option<String>,
        /// `HH:MM`.
        at: Option<String>,
    },
    /// `/unsubscribe [channel]`.
    Unsubscribe {
        /// Channel id or mention; default the current channel.
        channel: Option<String>,
    },
    /// `/subscriptions`.
    Subscriptions,
    /// `/help`.
    Help,
}

impl Command {
    /// Whether this command changes subscriptions (and so needs Manage Channels).
    pub fn changes_subscriptions(&self) -> bool {
        matches!(
            self,
            Command::Subscribe { .. } | Command::Unsubscribe { .. }
        )
    }

    /// Whether this command reads or changes subscriptions (answered by the subscription
    /// layer, which needs the database).
    pub fn is_subscription(&self) -> bool {
        matches!(
            self,
            Command::Subscribe { .. } | Command::Unsubscribe { .. } | Command::Subscriptions
        )
    }
}

/// Longest TL;DR shown in a listing.
const TLDR_MAX: usize = 300;

/// Briefs listed per `/briefs` page.
pub const PAGE_SIZE: usize = 10;

/// Topics shown in a footer.
const FOOTER_TOPICS: usize = 5;

/// The Discord-agnostic brain: the library (swappable while running) and the summarizer.
#[derive(Debug)]
pub struct Core {
    current: RwLock<Arc<Snapshot>>,
    summarizer: Summarizer,
}

/// A library and the summaries computed from it so far. Replaced as a whole by
/// [`Core::set_library`], so no summary outlives the library it was made from.
#[derive(Debug)]
struct Snapshot {
    library: Arc<Library>,
    /// Memoized summaries by brief id, filled on first use: at most one entry per brief of
    /// `library`, each holding at most three short sections and a TL;DR (a few hundred bytes
    /// each; ~10 MiB if every brief of a 10,000-brief library were shown).
    summaries: Mutex<HashMap<String, Summaries>>,
}

/// The memoized summaries of one brief (at the core's fixed `summary.sentences`).
#[derive(Debug, Default, Clone)]
struct Summaries {
    /// Short text of each section, by [`SectionKind::ALL`] position, already fitted to a field.
    short: [Option<String>; 3],
    /// The one-sentence TL;DR.
    tldr: Option<String>,
}

/// Which memoized summary.
#[derive(Clone, Copy)]
enum Slot {
    Short(SectionKind),
    Tldr,
}

impl Summaries {
    fn slot(&mut self, slot: Slot) -> &mut Option<String> {
        match slot {
            Slot::Short(kind) => {
                let i = SectionKind::ALL
                    .iter()
                    .position(|k| *k == kind)
                    .unwrap_or_default();
                &mut self.short[i]
            }
            Slot::Tldr => &mut self.tldr,
        }
    }
}

impl Snapshot {
    fn new(library: Library) -> Snapshot {
        Snapshot {
            library: Arc::new(library),
            summaries: Mutex::new(HashMap::new()),
        }
    }

    /// The summary in `slot` of `brief`, computed by `make` on first use. Only briefs of this
    /// snapshot's library (the very same object) are memoized; any other brief (say, one
    /// looked up just before a reload) is summarized afresh every time.
    fn summary(&self, brief: &Brief, slot: Slot, make: impl FnOnce() -> String) -> String {
        let ours = self
            .library
            .get(&brief.id)
            .is_some_and(|b| std::ptr::eq(b.as_ref(), brief));
        if !ours {
            return make();
        }
        let lock = || self.summaries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(text) = lock()
            .get_mut(&brief.id)
            .and_then(|s| s.slot(slot).as_ref())
        {
            return text.clone();
        }
        // Computed without holding the lock; a concurrent first use computes the same text.
        let text = make();
        *lock().entry(brief.id.clone()).or_default().slot(slot) = Some(text.clone());
        text
    }
}

impl Core {
    /// A core answering from `library`.
    pub fn new(library: Library, summarizer: Summarizer) -> Core {
        Core {
            current: RwLock::new(Arc::new(Snapshot::new(library))),
            summarizer,
        }
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The current library snapshot.
    pub fn library(&self) -> Arc<Library> {
        self.snapshot().library.clone()
    }

    /// Replaces the library (after a reload). Summaries of briefs that did not change are
    /// kept; those of changed or removed briefs are dropped.
    pub fn set_library(&self, library: Library) {
        let next = Snapshot::new(library);
        let old = self.snapshot();
        {
            let old_sums = old.summaries.lock().unwrap_or_else(|e| e.into_inner());
            let mut new_sums = next.summaries.lock().unwrap_or_else(|e| e.into_inner());
            for (id, sums) in old_sums.iter() {
                let same = match (old.library.get(id), next.library.get(id)) {
                    (Some(a), Some(b)) => a.as_ref() == b.as_ref(),
                    _ => false,
                };
                if same {
                    new_sums.insert(id.clone(), sums.clone());
                }
            }
        }
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
    }

    /// Computes the short sections and TL;DR of every brief of the current library that
    /// has none yet, on all cores, so that first answers come from memory. Meant for a
    /// blocking thread after a (re)load; returns how many briefs were summarized.
    pub fn warm_summaries(&self) -> usize {
        let snapshot = self.snapshot();
        let todo: Vec<&Arc<Brief>> = {
            let sums = snapshot.summaries.lock().unwrap_or_else(|e| e.into_inner());
            snapshot
                .library
                .briefs()
                .iter()
                .filter(|b| !sums.contains_key(&b.id))
                .collect()
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = todo.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            for part in todo.chunks(chunk) {
                let snapshot = &snapshot;
                scope.spawn(move || {
                    for brief in part {
                        for (kind, s) in brief.sections() {
                            snapshot.summary(brief, Slot::Short(kind), || self.short_text(s));
                        }
                        snapshot.summary(brief, Slot::Tldr, || self.summarizer.tldr(brief));
                    }
                });
            }
        });
        todo.len()
    }

    /// A section's short answer: one field, cut at a sentence if its sentences are very long.
    fn short_text(&self, section: &crate::brief::Section) -> String {
        fit::truncate(&self.summarizer.short(section), fit::FIELD_VALUE)
    }

    /// A brief as one line of a listing (`/briefs`, daily digests): title, TL;DR, date, link.
    pub fn list_item(&self, brief: &Brief) -> ListItem {
        ListItem {
            id: brief.id.clone(),
            title: fit::truncate(&brief.title, fit::FIELD_NAME),
            tldr: fit::truncate(&self.tldr(brief), TLDR_MAX),
            published: brief.published.map(|p| p.format("%Y-%m-%d").to_string()),
            source: brief.source.clone(),
        }
    }

    /// The one-sentence TL;DR of a brief (memoized for briefs of the current library).
    pub fn tldr(&self, brief: &Brief) -> String {
        self.snapshot()
            .summary(brief, Slot::Tldr, || self.summarizer.tldr(brief))
    }

    /// The summarizer in use.
    pub fn summarizer(&self) -> &Summarizer {
        &self.summarizer
    }

    /// Answers a brief command. Subscription commands get an error: they need the database
    /// (see [`crate::subscriptions`]).
    pub fn execute(&self, command: &Command) -> Reply {
        let mut reply = match command {
            Command::Brief {
                query,
                section,
                detail,
            } => self.brief(query.as_deref(), *section, *detail),
            Command::Ask { question } => ask::answer(self, question),
            Command::Briefs { query, page } => list::list(self, query.as_deref(), *page),
            Command::Help => help(),
            Command::Subscribe { .. } | Command::Unsubscribe { .. } | Command::Subscriptions => {
                Reply::error(
                    "Subscriptions need the bot's database, which this session has not opened.",
                )
            }
        };
        reply.fit_to_discord();
        reply
    }

    /// Parses a console line and answers it; parse problems become error replies.
    pub fn execute_line(&self, line: &str) -> Reply {
        match parse_line(line).and_then(|(n, o)| build(&n, &o)) {
            Ok(cmd) => self.execute(&cmd),
            Err(e) => Reply::error(e.0),
        }
    }

    fn brief(&self, query: Option<&str>, section: Option<SectionKind>, detail: Detail) -> Reply {
        let library = self.library();
        let brief = match query.map(str::trim).filter(|q| !q.is_empty()) {
            None => library.newest(),
            Some(q) => library.find(q),
        };
        match brief {
            Some(b) => self.show(b, View { section, detail }),
            None if library.is_empty() => Reply::error(
                "No briefs are loaded yet: add brief files to the folder set as briefs.dir.",
            ),
            None => Reply::error(format!(
                "No brief matches '{}': try /briefs to see what there is.",
                query.unwrap_or_default()
            )),
        }
    }

    /// Renders a brief in a view (also used by the Discord buttons).
    pub fn show(&self, brief: &Brief, view: View) -> Reply {
        let snapshot = self.snapshot();
        let section_text = |kind: SectionKind, s: &crate::brief::Section| match view.detail {
            Detail::Short => snapshot.summary(brief, Slot::Short(kind), || self.short_text(s)),
            Detail::Full => s.text(),
        };
        let mut reply = self.brief_header(brief);
        reply.view = Some(view);
        match view.section {
            Some(kind) => match brief.section(kind) {
                Some(s) => reply.sections.push(ReplySection {
                    section: kind.into(),
                    heading: s.heading.clone(),
                    text: section_text(kind, s),
                }),
                None => {
                    let mut e = Reply::error(format!(
                        "\"{}\" does not cover {}: try /brief query:{} for the sections it has.",
                        brief.title,
                        kind.heading().trim_end_matches('?').to_lowercase(),
                        brief.id
                    ));
                    e.brief_id = Some(brief.id.clone());
                    return e;
                }
            },
            None => {
                for (kind, s) in brief.sections() {
                    reply.sections.push(ReplySection {
                        section: kind.into(),
                        heading: s.heading.clone(),
                        text: section_text(kind, s),
                    });
                }
                if view.detail == Detail::Full {
                    for s in &brief.extra {
                        reply.sections.push(ReplySection {
                            section: SectionTag::Extra,
                            heading: s.heading.clone(),
                            text: s.text(),
                        });
                    }
                }
            }
        }
        reply
    }

    /// Renders the brief with this id in a view; an error if it is gone.
    pub fn show_id(&self, id: &str, view: View) -> Reply {
        let library = self.library();
        let mut reply = match library.get(id) {
            Some(b) => self.show(b, view),
            None => Reply::error(format!(
                "The brief '{id}' is no longer loaded: try /briefs."
            )),
        };
        reply.fit_to_discord();
        reply
    }

    /// Title, link, footer and covered sections of a brief reply.
    fn brief_header(&self, brief: &Brief) -> Reply {
        let mut reply = Reply::answer();
        reply.brief_id = Some(brief.id.clone());
        reply.title = Some(brief.title.clone());
        reply.source = brief.source.clone();
        reply.footer = Some(footer(brief));
        reply.covered = brief.sections().map(|(k, _)| k).collect();
        reply
    }

    /// Autocomplete choices for a `query` option: (shown name ≤ 100 chars, value = brief id).
    pub fn suggest(&self, partial: &str) -> Vec<(String, String)> {
        self.library()
            .suggest(partial, 25)
            .into_iter()
            .map(|b| (fit::truncate(&b.title, fit::CHOICE_NAME), b.id.clone()))
            .collect()
    }
}

/// "Published 2026-11-24 · sports, football, league governance".
pub fn footer(brief: &Brief) -> String {
    let mut parts = Vec::new();
    if let Some(p) = brief.published {
        parts.push(format!("Published {}", p.format("%Y-%m-%d")));
    }
    let topics: Vec<&str> = brief
        .topics
        .iter()
        .take(FOOTER_TOPICS)
        .map(String::as_str)
        .collect();
    if !topics.is_empty() {
        parts.push(format!("Topics: {}", topics.join(", ")));
    }
    parts.push(format!("id: {}", brief.id));
    parts.join(" · ")
}

fn help() -> Reply {
    let mut text = String::from("briefbot answers with short news briefs.\n");
    for c in spec::COMMANDS {
        let opts: Vec<String> = c
            .options
            .iter()
            .map(|o| {
                if o.required {
                    format!("{}:…", o.name)
                } else {
                    format!("[{}:…]", o.name)
                }
            })
            .collect();
        text.push_str(&format!(
            "\n/{} {} — {}",
            c.name,
            opts.join(" "),
            c.description
        ));
    }
    text.push_str("\n\nSections: happening, importance, next. Detail: short (default) or full.");
    Reply::text(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brief::{Library, ParseOptions};

    fn brief(id: &str, news: &str) -> Brief {
        let text = format!("What's Happening?\n{news}\nWhy It's Important?\nIt matters. A lot.\n");
        crate::brief::parse::parse(&text, id, &ParseOptions::default()).unwrap()
    }

    #[test]
    fn a_reload_keeps_the_summaries_of_unchanged_briefs_only() {
        let core = Core::new(
            Library::from_briefs([brief("a", "One thing."), brief("b", "Two things.")]),
            Summarizer::default(),
        );
        assert_eq!(core.warm_summaries(), 2);
        assert_eq!(core.warm_summaries(), 0, "all memoized");
        core.set_library(Library::from_briefs([
            brief("a", "One thing."),
            brief("b", "Two things changed."),
            brief("c", "Three."),
        ]));
        assert_eq!(core.warm_summaries(), 2, "b changed and c is new; a kept");
        let reply = core.execute_line("/happening b");
        assert_eq!(reply.sections[0].text, "Two things changed.");
    }
}
