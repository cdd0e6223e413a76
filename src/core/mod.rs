//! The Discord-agnostic brain: [`Core`] holds the brief library (swappable while running) and
//! the summarizer, and renders briefs as platform-neutral [`Reply`]s: a brief in a view, a
//! listing line, a delivery post, a daily digest, autocomplete suggestions. Commands
//! ([`crate::commands`]) and deliveries build on it; it knows nothing of any chat platform.

pub mod conversation;
mod memo;
pub mod qa;

use crate::brief::{Brief, Library, Section, SectionKind};
use crate::reply::{ListItem, Reply, ReplySection, SectionTag, View};
use crate::summarize::{Detail, Summarizer};
use crate::text::fit;
use memo::{Made, Slot, Snapshot};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// Longest short answer of one section (a sentence cut beyond it; one Discord field).
pub const SHORT_MAX: usize = 1024;

/// Longest title and TL;DR of a listed brief.
const LIST_TITLE_MAX: usize = 256;
const TLDR_MAX: usize = 300;

/// Longest part of a query quoted back in an error (user input is echoed only cut short).
const QUERY_ECHO: usize = 80;

/// Longest autocomplete suggestion.
const SUGGESTION_MAX: usize = 100;

/// Newest briefs whose sentences a sentence encoder encodes ahead of questions
/// ([`Core::warm_meaning`]): about 10 s of one core for 50 briefs of 10 sentences.
const WARM_MEANING: usize = 50;

/// Briefs listed per `/briefs` page.
pub const PAGE_SIZE: usize = 10;

/// Topics shown in a footer.
const FOOTER_TOPICS: usize = 5;

/// What every command says when there is nothing to answer from.
pub const NO_BRIEFS: &str =
    "No briefs are loaded yet: add brief files to the folder set as briefs.dir.";

/// The library and the summarizer, with memoized summaries.
#[derive(Debug)]
pub struct Core {
    current: RwLock<Arc<Snapshot>>,
    summarizer: Summarizer,
    /// The model of meaning `/ask` uses besides the words as written (`[answers] vectors`
    /// or `[answers] model`), if any.
    semantics: Option<qa::Semantics>,
    /// Whether a thread is encoding briefs' sentences ([`Core::warm_meaning`]).
    warming: AtomicBool,
    /// What each place was last shown, for follow-up questions.
    conversations: conversation::Conversations,
}

impl Core {
    /// A core answering from `library`.
    pub fn new(library: Library, summarizer: Summarizer) -> Core {
        Core {
            current: RwLock::new(Arc::new(Snapshot::new(library))),
            summarizer,
            semantics: None,
            warming: AtomicBool::new(false),
            conversations: conversation::Conversations::default(),
        }
    }

    /// This core, meeting questions and sentences of like meaning in `/ask` with
    /// `semantics` (see [`qa::Semantics`]); `None`: words as written, the default.
    pub fn with_semantics(mut self, semantics: Option<qa::Semantics>) -> Core {
        self.semantics = semantics;
        self
    }

    /// The model of meaning `/ask` uses, if any.
    pub fn semantics(&self) -> Option<&qa::Semantics> {
        self.semantics.as_ref()
    }

    /// What each place (channel, console) was last shown: `/ask` takes a question that names
    /// nothing a brief covers as a follow-up on it.
    pub fn conversations(&self) -> &conversation::Conversations {
        &self.conversations
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
    ///
    /// Blocking: carrying the summaries over visits every brief, and the old library (its
    /// index, its briefs) is freed here unless an answer in progress still holds it. Call it
    /// off the async threads ([`crate::work::background`], `spawn_blocking`). The old library
    /// is freed after the lock is released: answers never wait for it.
    pub fn set_library(&self, library: Library) {
        let next = Arc::new(self.snapshot().succeed(library));
        let old = std::mem::replace(
            &mut *self.current.write().unwrap_or_else(|e| e.into_inner()),
            next,
        );
        drop(old);
    }

    /// Computes the short sections and TL;DR of every brief of the current library that
    /// has none yet, on all cores ([`crate::work::for_each_in_background`]), so
    /// that first answers come from memory, on threads of low priority ([`crate::work`]:
    /// answers computed meanwhile come first). Meant for a blocking thread after a
    /// (re)load; returns how many briefs were summarized.
    pub fn warm_summaries(&self) -> usize {
        let snapshot = self.snapshot();
        let todo = snapshot.unsummarized();
        crate::work::for_each_in_background(&todo, |brief| {
            for (kind, s) in brief.sections() {
                snapshot.summary(brief, Slot::Short(kind), || self.short_made(s));
            }
            snapshot.summary(brief, Slot::Tldr, || self.tldr_made(brief));
        });
        todo.len()
    }

    /// With a sentence encoder, encodes the sentences `/ask` reads of the newest
    /// [`WARM_MEANING`] briefs on a thread of its own at the lowest priority
    /// ([`crate::work::lower_priority`]), so that a question about a recent brief does not
    /// wait the ~0.3 s its first encoding takes (docs/BENCHMARKS.md run 10); kept vectors
    /// are not encoded again. Returns at once; does nothing without an encoder or while a
    /// warm-up runs (a later reload starts the next). The thread's handle, to wait on in
    /// tests.
    pub fn warm_meaning(self: &Arc<Self>) -> Option<std::thread::JoinHandle<usize>> {
        if !matches!(self.semantics, Some(qa::Semantics::Encoder(_)))
            || self.warming.swap(true, Ordering::AcqRel)
        {
            return None;
        }
        let core = self.clone();
        let spawned = std::thread::Builder::new()
            .name("meaning-warmup".into())
            .spawn(move || {
                crate::work::lower_priority();
                let library = core.library();
                let newest = &library.briefs()[..library.len().min(WARM_MEANING)];
                let n = qa::warm(core.semantics(), newest);
                core.warming.store(false, Ordering::Release);
                n
            });
        match spawned {
            Ok(handle) => Some(handle),
            Err(e) => {
                tracing::warn!("cannot start the sentence encoder's warm-up: {e}");
                self.warming.store(false, Ordering::Release);
                None
            }
        }
    }

    /// A section's short answer, cut at a sentence if its sentences are very long.
    fn short_made(&self, section: &Section) -> Made {
        let sentences = self.summarizer.short_sentences(section);
        Made {
            text: fit::truncate(&sentences.join(" "), SHORT_MAX),
            sentences,
        }
    }

    /// A brief's TL;DR: a sentence of it, or its title.
    fn tldr_made(&self, brief: &Brief) -> Made {
        match self.summarizer.tldr_sentence(brief) {
            Some(s) => Made {
                text: s.clone(),
                sentences: vec![s],
            },
            None => Made {
                text: brief.title.clone(),
                sentences: Vec::new(),
            },
        }
    }

    /// A brief as one line of a listing (`/briefs`, daily digests): title, TL;DR, date, link.
    pub fn list_item(&self, brief: &Brief) -> ListItem {
        ListItem {
            id: brief.id.clone(),
            title: fit::truncate(&brief.title, LIST_TITLE_MAX),
            tldr: fit::truncate(&self.tldr(brief), TLDR_MAX),
            published: brief.published.map(|p| p.format("%Y-%m-%d").to_string()),
            source: brief.source.clone(),
        }
    }

    /// The one-sentence TL;DR of a brief (memoized for briefs of the current library).
    pub fn tldr(&self, brief: &Brief) -> String {
        self.snapshot()
            .summary(brief, Slot::Tldr, || self.tldr_made(brief))
    }

    /// The summarizer in use.
    pub fn summarizer(&self) -> &Summarizer {
        &self.summarizer
    }

    /// The brief a query names (an id, else the best search hit), or the newest brief
    /// without a query; `Err` is the reply saying why there is none.
    pub fn pick(&self, query: Option<&str>) -> Result<Arc<Brief>, Reply> {
        let library = self.library();
        let brief = match query.map(str::trim).filter(|q| !q.is_empty()) {
            None => library.newest(),
            Some(q) => library.find(q),
        };
        match brief {
            Some(b) => Ok(b.clone()),
            None if library.is_empty() => Err(Reply::error(NO_BRIEFS)),
            None => Err(Reply::error(format!(
                "No brief matches '{}': try /briefs to see what there is.",
                fit::truncate(query.unwrap_or_default(), QUERY_ECHO)
            ))),
        }
    }

    /// Renders a brief in a view (commands, the view buttons, deliveries).
    pub fn show(&self, brief: &Brief, view: View) -> Reply {
        let snapshot = self.snapshot();
        let section_text = |kind: SectionKind, s: &Section| match view.detail {
            Detail::Short => snapshot.summary(brief, Slot::Short(kind), || self.short_made(s)),
            Detail::Full => s.text(),
        };
        let mut reply = self.brief_header(brief);
        reply.view = Some(view);
        match view.section {
            Some(kind) => match brief.section(kind) {
                Some(s) => reply.sections.push(ReplySection {
                    section: kind.into(),
                    heading: s.heading.to_string(),
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
                // A section the brief lacks is said so in its place, not silently left out.
                for kind in SectionKind::ALL {
                    reply.sections.push(match brief.section(kind) {
                        Some(s) => ReplySection {
                            section: kind.into(),
                            heading: s.heading.to_string(),
                            text: section_text(kind, s),
                        },
                        None => ReplySection {
                            section: kind.into(),
                            heading: kind.heading().to_owned(),
                            text: not_covered(kind),
                        },
                    });
                }
                if view.detail == Detail::Full {
                    for s in &brief.extra {
                        reply.sections.push(ReplySection {
                            section: SectionTag::Extra,
                            heading: s.heading.to_string(),
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
        match self.library().get(id) {
            Some(b) => self.show(b, view),
            None => Reply::error(format!(
                "The brief '{id}' is no longer loaded: try /briefs."
            )),
        }
    }

    /// The post that delivers a new brief to a subscribed channel: its short view.
    pub fn post(&self, id: &str) -> Result<Reply, String> {
        let library = self.library();
        let brief = library
            .get(id)
            .ok_or_else(|| format!("brief {id} is no longer loaded"))?;
        Ok(self.show(
            brief,
            View {
                section: None,
                detail: Detail::Short,
            },
        ))
    }

    /// One part of a daily digest: the briefs still loaded, as listing lines.
    pub fn digest(&self, ids: &[String]) -> Result<Reply, String> {
        let library = self.library();
        let mut r = Reply::answer();
        r.title = Some("Daily digest".into());
        r.items = ids
            .iter()
            .filter_map(|id| library.get(id))
            .map(|b| self.list_item(b))
            .collect();
        if r.items.is_empty() {
            return Err("none of the digest's briefs is still loaded".into());
        }
        r.message = Some(format!(
            "{} new brief{}",
            r.items.len(),
            if r.items.len() == 1 { "" } else { "s" }
        ));
        Ok(r)
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
            .map(|b| (fit::truncate(&b.title, SUGGESTION_MAX), b.id.clone()))
            .collect()
    }
}

/// What `/brief` shows in place of a section the brief lacks.
pub fn not_covered(kind: SectionKind) -> String {
    let what = match kind {
        SectionKind::Happening => "what's happening",
        SectionKind::Importance => "why it's important",
        SectionKind::Next => "what's next",
    };
    format!("This brief does not cover {what}.")
}

/// Footer note of a brief whose sections were assigned automatically from raw text.
pub const AUTO_SECTIONS_NOTE: &str = "Sections assigned automatically";

/// "Published 2026-11-24 · Topics: sports, football · id: league-cap", plus
/// [`AUTO_SECTIONS_NOTE`] when the sections were assigned automatically.
pub fn footer(brief: &Brief) -> String {
    let mut parts = Vec::new();
    if let Some(p) = brief.published {
        parts.push(format!("Published {}", p.format("%Y-%m-%d")));
    }
    let topics: Vec<&str> = brief.all_topics().take(FOOTER_TOPICS).collect();
    if !topics.is_empty() {
        parts.push(format!("Topics: {}", topics.join(", ")));
    }
    parts.push(format!("id: {}", brief.id));
    if brief.auto_sections {
        parts.push(AUTO_SECTIONS_NOTE.to_owned());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brief::ParseOptions;

    fn brief(id: &str, news: &str) -> Brief {
        let text = format!("What's Happening?\n{news}\nWhy It's Important?\nIt matters. A lot.\n");
        crate::brief::parse::parse(&text, id, &ParseOptions::default()).unwrap()
    }

    /// With a sentence encoder, the warm-up encodes what `/ask` reads of the newest briefs:
    /// a question about one of them then encodes only itself.
    #[test]
    fn the_warm_up_encodes_what_ask_reads_of_the_newest_briefs() {
        let library = Library::from_briefs([
            brief("a", "The cats sat on a mat. A dog ran home."),
            brief("b", "The river bank flooded."),
        ]);
        let plain = Arc::new(Core::new(library.clone(), Summarizer::default()));
        assert!(plain.warm_meaning().is_none(), "no encoder, no warm-up");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert");
        let encoder = Arc::new(crate::text::encoder::SentenceEncoder::load(&dir).unwrap());
        let core = Arc::new(
            Core::new(library, Summarizer::default())
                .with_semantics(Some(qa::Semantics::Encoder(encoder.clone()))),
        );
        let n = core.warm_meaning().expect("a warm-up").join().unwrap();
        // Each title and the sentences of each section.
        assert_eq!(n, (1 + 2 + 2) + (1 + 1 + 2));
        let kept = encoder.kept();
        assert!(kept >= 5, "{kept}");
        let question = "why did the cats sit on the mat";
        assert!(matches!(
            qa::answer_with(&core.library(), question, core.semantics()),
            qa::Outcome::Answer(_)
        ));
        assert_eq!(encoder.kept(), kept + 1, "only the question was encoded");
        // Done: the next reload may start another.
        assert!(core.warm_meaning().is_some());
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
        let view = View {
            section: Some(SectionKind::Happening),
            detail: Detail::Short,
        };
        assert_eq!(
            core.show_id("b", view).sections[0].text,
            "Two things changed."
        );
    }
}
