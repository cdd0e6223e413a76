//! A BM25 index over briefs (Robertson & Zaragoza's Okapi BM25, k1 = 1.2, b = 0.75). Each
//! brief is one document made of its title (counted three times), topics (twice) and text.
//!
//! Terms are interned to `u32` ids once, at build time; postings are stored flat (one slice per
//! term, documents ascending) with each posting's BM25 term weight
//! `tf·(k1+1) / (tf + k1·(1 − b + b·len/avg))` precomputed, so a query only multiplies by the
//! term's idf and adds. Scores accumulate in a dense per-document array, and the callers that
//! want the best few hits ([`SearchIndex::search_top`]) get a bounded selection instead of a
//! full sort.

use super::Brief;
use crate::text;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;

const K1: f32 = 1.2;
const B: f32 = 0.75;
const TITLE_WEIGHT: u32 = 3;
const TOPIC_WEIGHT: u32 = 2;

/// FxHash (`rustc-hash`): much cheaper than SipHash for short keys; the keys are words of
/// the operator's brief files, so HashDoS resistance is not needed.
type FxBuild = rustc_hash::FxBuildHasher;

/// Inverted index: term id → postings of (document, precomputed BM25 term weight).
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    /// Term → id (an index into `offsets`).
    vocab: HashMap<Box<str>, u32, FxBuild>,
    /// Postings of term `t`: `postings[offsets[t]..offsets[t + 1]]`, documents ascending.
    offsets: Vec<u32>,
    postings: Vec<(u32, f32)>,
    /// Sum of term frequencies of each document (weighted).
    doc_len: Vec<u32>,
    avg_len: f32,
}

/// The terms of a query or document: content words, folded.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text::words(text)
        .filter(|w| !text::is_stop_word(w))
        .map(|w| text::fold(&w).to_owned())
}

/// Calls `f` with each term of `text`, exactly as [`terms`] yields them, without allocating
/// per word (ASCII words are lowercased into `buf`).
pub fn for_each_term(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        let owned;
        let lower: &str = if w.is_ascii() {
            buf.clear();
            buf.push_str(w);
            buf.make_ascii_lowercase();
            buf
        } else {
            // Unicode lowercasing has context rules (final sigma): keep the library's.
            owned = w.to_lowercase();
            &owned
        };
        if text::is_stop_word(lower) {
            continue;
        }
        f(text::fold(lower));
    }
}

/// Per-thread query scratch: a dense score per document (negative = not matched yet) and the
/// documents touched, so that resetting costs only the hits.
#[derive(Default)]
struct Scratch {
    scores: Vec<f32>,
    touched: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Ranking order: higher score first, ties to the lower document number.
fn rank(a: &(usize, f32), b: &(usize, f32)) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

impl SearchIndex {
    /// Indexes `briefs`; document numbers are their positions in the slice.
    pub fn build<'a>(briefs: impl IntoIterator<Item = &'a Brief>) -> SearchIndex {
        let mut vocab: HashMap<Box<str>, u32, FxBuild> = HashMap::default();
        // Per-term frequency in the current document, and the terms it has, in first-seen order.
        let mut tf: Vec<u32> = Vec::new();
        let mut doc_terms: Vec<u32> = Vec::new();
        // Document frequency per term; every (term, tf) of every document, in document order.
        let mut df: Vec<u32> = Vec::new();
        let mut flat: Vec<(u32, u32)> = Vec::new();
        let mut doc_len: Vec<u32> = Vec::new();
        let mut doc_ends: Vec<usize> = Vec::new();
        let mut buf = String::new();
        for brief in briefs {
            let mut add = |text: &str, weight: u32| {
                for_each_term(text, &mut buf, |t| {
                    let id = match vocab.get(t) {
                        Some(&id) => id,
                        None => {
                            let id = tf.len() as u32;
                            vocab.insert(t.into(), id);
                            tf.push(0);
                            df.push(0);
                            id
                        }
                    };
                    let slot = &mut tf[id as usize];
                    if *slot == 0 {
                        doc_terms.push(id);
                    }
                    *slot += weight;
                });
            };
            add(&brief.title, TITLE_WEIGHT);
            for topic in &brief.topics {
                add(topic, TOPIC_WEIGHT);
            }
            for (_, s) in brief.sections() {
                for p in &s.paragraphs {
                    add(p, 1);
                }
            }
            for s in &brief.extra {
                for p in &s.paragraphs {
                    add(p, 1);
                }
            }
            let mut len = 0u32;
            for &id in &doc_terms {
                let n = std::mem::take(&mut tf[id as usize]);
                len += n;
                df[id as usize] += 1;
                flat.push((id, n));
            }
            doc_terms.clear();
            doc_len.push(len);
            doc_ends.push(flat.len());
        }
        let total: u64 = doc_len.iter().map(|&l| l as u64).sum();
        let avg_len = if doc_len.is_empty() {
            0.0
        } else {
            total as f32 / doc_len.len() as f32
        };
        // BM25 length normalisation of each document.
        let avg = avg_len.max(1.0);
        let doc_norm: Vec<f32> = doc_len
            .iter()
            .map(|&len| K1 * (1.0 - B + B * len as f32 / avg))
            .collect();
        // Counting sort by term: postings of each term end up in document order.
        let mut offsets: Vec<u32> = Vec::with_capacity(df.len() + 1);
        let mut next: Vec<u32> = Vec::with_capacity(df.len());
        let mut at = 0u32;
        offsets.push(0);
        for &d in &df {
            next.push(at);
            at += d;
            offsets.push(at);
        }
        let mut postings = vec![(0u32, 0.0f32); flat.len()];
        let mut start = 0;
        for (doc, &end) in doc_ends.iter().enumerate() {
            let norm = doc_norm[doc];
            for &(id, n) in &flat[start..end] {
                let tf = n as f32;
                let slot = &mut next[id as usize];
                postings[*slot as usize] = (doc as u32, tf * (K1 + 1.0) / (tf + norm));
                *slot += 1;
            }
            start = end;
        }
        SearchIndex {
            vocab,
            offsets,
            postings,
            doc_len,
            avg_len,
        }
    }

    /// Number of indexed documents.
    pub fn len(&self) -> usize {
        self.doc_len.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.doc_len.is_empty()
    }

    /// Mean (weighted) document length.
    pub fn avg_len(&self) -> f32 {
        self.avg_len
    }

    /// Inverse document frequency of a term (as [`terms`] yields it), as BM25 weighs it:
    /// `ln(1 + (N − df + 0.5) / (df + 0.5))`. A term no document has gets the highest weight.
    pub fn idf(&self, term: &str) -> f32 {
        let df = self.vocab.get(term).map_or(0, |&id| {
            self.offsets[id as usize + 1] - self.offsets[id as usize]
        }) as f32;
        let n = self.len() as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// Scores every document matching a query term into the thread's scratch and hands the
    /// touched documents (in no particular order) with their scores to `f`.
    fn score<R>(&self, query: &str, f: impl FnOnce(&[u32], &[f32]) -> R) -> R {
        // The distinct known terms of the query, in query order.
        let mut ids: Vec<u32> = Vec::new();
        let mut buf = String::new();
        for_each_term(query, &mut buf, |t| {
            if let Some(&id) = self.vocab.get(t) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        });
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let Scratch { scores, touched } = &mut *guard;
            // Left over only if an earlier query unwound midway.
            for d in touched.drain(..) {
                scores[d as usize] = -1.0;
            }
            if scores.len() < self.len() {
                scores.resize(self.len(), -1.0);
            }
            let n = self.len() as f32;
            for id in ids {
                let list = &self.postings
                    [self.offsets[id as usize] as usize..self.offsets[id as usize + 1] as usize];
                let df = list.len() as f32;
                let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                for &(doc, w) in list {
                    let s = &mut scores[doc as usize];
                    // Every contribution is ≥ 0, so a negative score means "not matched yet";
                    // 0 + x == x, the same sum as starting from zero.
                    if *s < 0.0 {
                        *s = idf * w;
                        touched.push(doc);
                    } else {
                        *s += idf * w;
                    }
                }
            }
            let out = f(touched, scores);
            for &d in touched.iter() {
                scores[d as usize] = -1.0;
            }
            touched.clear();
            out
        })
    }

    /// Documents matching any query term, best first (ties: lower document number first),
    /// with their BM25 scores.
    pub fn search(&self, query: &str) -> Vec<(usize, f32)> {
        let mut ranked = self.score(query, |touched, scores| {
            touched
                .iter()
                .map(|&d| (d as usize, scores[d as usize]))
                .collect::<Vec<_>>()
        });
        ranked.sort_unstable_by(rank);
        ranked
    }

    /// The first `k` hits of [`SearchIndex::search`] (same order), without ranking the rest.
    pub fn search_top(&self, query: &str, k: usize) -> Vec<(usize, f32)> {
        if k == 0 {
            return Vec::new();
        }
        self.score(query, |touched, scores| {
            let hit = |&d: &u32| (d as usize, scores[d as usize]);
            if k == 1 {
                return touched.iter().map(hit).min_by(rank).into_iter().collect();
            }
            let mut hits: Vec<(usize, f32)> = touched.iter().map(hit).collect();
            if hits.len() > k {
                hits.select_nth_unstable_by(k - 1, rank);
                hits.truncate(k);
            }
            hits.sort_unstable_by(rank);
            hits
        })
    }

    /// The best hit of [`SearchIndex::search`], if any.
    pub fn best(&self, query: &str) -> Option<(usize, f32)> {
        self.search_top(query, 1).pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_without_allocating_match_terms() {
        for text in [
            "U.S. grid-storage Briefs! The Bus's gas class virus ΣΟΦΟΣ Straße İstanbul x 42",
            "",
            "   ...   ",
            "Why does the battery storage auction matter?",
        ] {
            let mut buf = String::new();
            let mut got = Vec::new();
            for_each_term(text, &mut buf, |t| got.push(t.to_owned()));
            let want: Vec<String> = terms(text).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn top_k_is_a_prefix_of_the_full_ranking() {
        let mk = |id: &str, title: &str, text: &str| Brief {
            id: id.into(),
            title: title.into(),
            published: None,
            topics: Vec::new(),
            source: None,
            happening: None,
            importance: None,
            next: None,
            extra: vec![super::super::Section {
                heading: "Notes".into(),
                paragraphs: vec![text.into()],
            }],
            auto_sections: false,
            path: None,
        };
        let briefs = [
            mk("a", "Grid storage", "battery storage auction"),
            mk("b", "Metro line", "metro line opens next year"),
            mk("c", "Grid storage", "battery storage auction"),
            mk("d", "Storage", "storage storage"),
            mk("e", "Battery", "auction of battery"),
        ];
        let index = SearchIndex::build(briefs.iter());
        for q in [
            "battery storage auction",
            "storage",
            "metro",
            "nothing here",
            "",
        ] {
            let all = index.search(q);
            for k in 0..7 {
                let top = index.search_top(q, k);
                assert_eq!(top, all[..k.min(all.len())].to_vec(), "{q:?} k={k}");
            }
            assert_eq!(index.best(q), all.first().copied());
        }
        // Ties go to the lower document number.
        let all = index.search("grid");
        assert_eq!(all.iter().map(|h| h.0).collect::<Vec<_>>(), vec![0, 2]);
    }
}
