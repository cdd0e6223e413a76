//! Memoized summaries: a library snapshot and the short sections and TL;DRs computed from it
//! so far. A snapshot is replaced as a whole when the library changes, so no summary outlives
//! the library it was made from; unchanged briefs carry theirs over.
//!
//! A summary is made of whole sentences of its brief, so it is kept as where those sentences
//! are — (paragraph, byte range) spans into the brief's own text, 12 bytes a sentence — and
//! joined again when shown (well under a microsecond). Only a summary that is not such a join
//! (one cut to fit a length) keeps its text. 10,000 briefs' summaries take an estimated
//! ~2.5 MiB this way instead of ~12 MiB of copied text. Slots are found by the brief's
//! position in the library.

use crate::brief::{Brief, Library, SectionKind};
use std::sync::{Arc, Mutex};

/// A summary as computed: its text and the sentences it joins with single spaces (empty
/// when it is not such a join).
pub(super) struct Made {
    pub(super) text: String,
    pub(super) sentences: Vec<String>,
}

/// Where one sentence of a summary is: paragraph number (over the brief's sections in
/// [`SectionKind::ALL`] order, then its extra sections) and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    paragraph: u32,
    start: u32,
    end: u32,
}

/// One memoized summary.
#[derive(Debug, Clone)]
enum Kept {
    /// Sentences of the brief joined with single spaces.
    Spans(Box<[Span]>),
    /// Anything else, as text.
    Text(Box<str>),
}

/// The memoized summaries of one brief (at the core's fixed `summary.sentences`).
#[derive(Debug, Default, Clone)]
struct Summaries {
    /// Short text of each section, by [`SectionKind::ALL`] position.
    short: [Option<Kept>; 3],
    /// The one-sentence TL;DR.
    tldr: Option<Kept>,
}

/// Which memoized summary.
#[derive(Clone, Copy)]
pub(super) enum Slot {
    Short(SectionKind),
    Tldr,
}

impl Summaries {
    fn slot(&mut self, slot: Slot) -> &mut Option<Kept> {
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

    fn is_empty(&self) -> bool {
        self.tldr.is_none() && self.short.iter().all(Option::is_none)
    }
}

/// The brief's paragraphs in span numbering order.
fn paragraphs(brief: &Brief) -> impl Iterator<Item = &str> {
    brief
        .sections()
        .map(|(_, s)| s)
        .chain(brief.extra.iter())
        .flat_map(|s| s.paragraphs.iter())
}

impl Kept {
    /// `made` as spans when its sentences are found, in order, in the brief's paragraphs
    /// and join to its text exactly; else its text.
    fn new(brief: &Brief, made: &Made) -> Kept {
        Kept::spans(brief, made)
            .map(Kept::Spans)
            .unwrap_or_else(|| Kept::Text(made.text.as_str().into()))
    }

    fn spans(brief: &Brief, made: &Made) -> Option<Box<[Span]>> {
        if made.sentences.is_empty() {
            return None;
        }
        let mut spans = Vec::with_capacity(made.sentences.len());
        // Sentences come in text order: search from the previous one's end first. Paragraphs
        // are walked, not collected: a brief may have 60,000 of them.
        let (mut p, mut from) = (0usize, 0usize);
        for sentence in &made.sentences {
            let sentence = sentence.as_str();
            let found = paragraphs(brief)
                .enumerate()
                .skip(p)
                .find_map(|(i, para)| {
                    let start = if i == p { from } else { 0 };
                    let at = para.get(start..)?.find(sentence)?;
                    Some((i, start + at))
                })
                .or_else(|| {
                    paragraphs(brief)
                        .enumerate()
                        .find_map(|(i, para)| para.find(sentence).map(|at| (i, at)))
                })?;
            let end = found.1 + sentence.len();
            spans.push(Span {
                paragraph: u32::try_from(found.0).ok()?,
                start: u32::try_from(found.1).ok()?,
                end: u32::try_from(end).ok()?,
            });
            (p, from) = (found.0, end);
        }
        let spans: Box<[Span]> = spans.into();
        (Kept::join(brief, &spans).as_deref() == Some(made.text.as_str())).then_some(spans)
    }

    /// The spans' text joined with single spaces (`None` if they do not fit the brief).
    fn join(brief: &Brief, spans: &[Span]) -> Option<String> {
        let mut out = String::new();
        let mut paras = paragraphs(brief);
        let mut at = 0u32;
        let mut current = paras.next();
        for (n, s) in spans.iter().enumerate() {
            if s.paragraph < at {
                paras = paragraphs(brief);
                at = 0;
                current = paras.next();
            }
            while at < s.paragraph {
                current = paras.next();
                at += 1;
            }
            let text = current?.get(s.start as usize..s.end as usize)?;
            if n > 0 {
                out.push(' ');
            }
            out.push_str(text);
        }
        Some(out)
    }

    fn text(&self, brief: &Brief) -> Option<String> {
        match self {
            Kept::Spans(spans) => Kept::join(brief, spans),
            Kept::Text(t) => Some(t.to_string()),
        }
    }
}

/// A library and the summaries computed from it so far.
#[derive(Debug)]
pub(super) struct Snapshot {
    pub(super) library: Arc<Library>,
    /// Memoized summaries by position in `library`, filled on first use.
    summaries: Mutex<Vec<Summaries>>,
}

impl Snapshot {
    pub(super) fn new(library: Library) -> Snapshot {
        let n = library.len();
        Snapshot {
            library: Arc::new(library),
            summaries: Mutex::new(vec![Summaries::default(); n]),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Summaries>> {
        self.summaries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A snapshot of `library` that keeps this one's summaries of unchanged briefs.
    pub(super) fn succeed(&self, library: Library) -> Snapshot {
        let next = Snapshot::new(library);
        {
            let old = self.lock();
            let mut new = next.lock();
            for (i, brief) in self.library.briefs().iter().enumerate() {
                if old[i].is_empty() {
                    continue;
                }
                if let Some(j) = next.library.position(&brief.id) {
                    let same = &next.library.briefs()[j];
                    // Shared (a folder's cache): the same brief, no need to compare text.
                    if Arc::ptr_eq(same, brief) || same.as_ref() == brief.as_ref() {
                        new[j] = old[i].clone();
                    }
                }
            }
        }
        next
    }

    /// Briefs of this library without memoized summaries.
    pub(super) fn unsummarized(&self) -> Vec<&Arc<Brief>> {
        let sums = self.lock();
        self.library
            .briefs()
            .iter()
            .zip(sums.iter())
            .filter(|(_, s)| s.is_empty())
            .map(|(b, _)| b)
            .collect()
    }

    /// The summary in `slot` of `brief`, computed by `make` on first use. Only briefs of this
    /// snapshot's library (the very same object) are memoized; any other brief (say, one
    /// looked up just before a reload) is summarized afresh every time.
    pub(super) fn summary(&self, brief: &Brief, slot: Slot, make: impl FnOnce() -> Made) -> String {
        let at = self
            .library
            .position(&brief.id)
            .filter(|&i| std::ptr::eq(self.library.briefs()[i].as_ref(), brief));
        let Some(at) = at else {
            return make().text;
        };
        let kept = self.lock()[at].slot(slot).clone();
        if let Some(text) = kept.and_then(|k| k.text(brief)) {
            return text;
        }
        // Computed without holding the lock; a concurrent first use computes the same text.
        let made = make();
        let kept = Kept::new(brief, &made);
        *self.lock()[at].slot(slot) = Some(kept);
        made.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brief::Section;

    fn brief() -> Brief {
        let section = |paragraphs: &[&str]| Section {
            heading: "h".into(),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
        };
        Brief {
            id: "b".into(),
            title: "Title".into(),
            published: None,
            topics: Vec::new(),
            source: None,
            happening: Some(section(&["One. Two. Three.", "Four. Five."])),
            importance: None,
            next: Some(section(&["Six. Seven."])),
            extra: vec![section(&["Eight."])],
            extracted: Default::default(),
            auto_sections: false,
        }
    }

    fn made(text: &str, sentences: &[&str]) -> Made {
        Made {
            text: text.into(),
            sentences: sentences.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn sentences_of_the_brief_are_kept_as_spans_and_joined_back() {
        let b = brief();
        for (text, sentences) in [
            ("One. Three.", &["One.", "Three."][..]),
            ("Four. Seven.", &["Four.", "Seven."][..]),
            ("Two. Eight.", &["Two.", "Eight."][..]),
            ("Seven. One.", &["Seven.", "One."][..]),
        ] {
            let kept = Kept::new(&b, &made(text, sentences));
            assert!(matches!(kept, Kept::Spans(_)), "{text}");
            assert_eq!(kept.text(&b).as_deref(), Some(text));
        }
    }

    #[test]
    fn anything_else_keeps_its_text() {
        let b = brief();
        for (text, sentences) in [
            // Cut to fit: not the join of its sentences.
            ("One. Two …", &["One.", "Two. Three."][..]),
            // Not in the brief.
            ("Nine.", &["Nine."][..]),
            // No sentences given.
            ("Title", &[][..]),
        ] {
            let kept = Kept::new(&b, &made(text, sentences));
            assert!(matches!(kept, Kept::Text(_)), "{text}");
            assert_eq!(kept.text(&b).as_deref(), Some(text));
        }
    }
}
