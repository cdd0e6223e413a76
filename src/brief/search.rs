//! A BM25 index over briefs (Robertson & Zaragoza's Okapi BM25, k1 = 1.2, b = 0.75). Each
//! brief is one document made of its title (counted three times), the topics it was given
//! (front matter, a feed's categories; twice) and text.
//!
//! Extracted keyphrases ([`Brief::extracted`]) are not indexed: they are words of the text,
//! which is indexed already, and counting them again did not help the answers (the three
//! evaluation sets of docs/EVAL.md scored one section choice and one brief choice better
//! without them, nothing worse). It also means that the index built at start-up, before
//! keyphrases are extracted in the background, stays right after: no second library and
//! index is built beside the first (issue 12: that was the bot's memory peak, ~10 MiB with
//! 10,000 briefs).
//!
//! Terms are interned to `u32` ids once, at build time. Postings are stored compressed, one
//! byte run per term: documents ascending, each as the gap from the previous document and
//! its (weighted) term frequency, both LEB128 varints — about 2.5 bytes a posting instead of
//! the 8 of a `(u32, f32)` pair (10,000 briefs have ~1.2 million postings). Each document's
//! BM25 length norm `k1·(1 − b + b·len/avg)` is precomputed, so a query computes the term
//! weight `tf·(k1+1) / (tf + norm)` with the same f32 operations the build used to, multiplies
//! by the term's idf and adds. Scores accumulate in a dense per-document array, and the
//! callers that want the best few hits ([`SearchIndex::search_top`]) get a bounded selection
//! instead of a full sort.
//!
//! Varints are hand-written (a dozen lines): the crates that offer them (`integer-encoding`,
//! `leb128`) read and write through `io` traits or slices one value at a time, with nothing
//! to gain here.

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

/// Inverted index: term id → compressed postings of (document, term frequency).
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    /// Term → id (an index into `offsets` and `df`).
    vocab: HashMap<Box<str>, u32, FxBuild>,
    /// Postings of term `t`: `data[offsets[t]..offsets[t + 1]]`, documents ascending, each
    /// `varint(document − previous document)` (the first from 0) then `varint(tf)`.
    offsets: Vec<u32>,
    data: Vec<u8>,
    /// Documents with term `t`.
    df: Vec<u32>,
    /// BM25 length norm of each document: `K1·(1 − B + B·len/avg)`.
    norm: Vec<f32>,
    avg_len: f32,
}

/// Encodes `v` as an LEB128 varint into `out`; returns its length.
fn encode_varint(mut v: u32, out: &mut [u8; 5]) -> usize {
    let mut n = 0;
    while v >= 0x80 {
        out[n] = v as u8 | 0x80;
        v >>= 7;
        n += 1;
    }
    out[n] = v as u8;
    n + 1
}

/// Appends `v` as an LEB128 varint.
fn put_varint(out: &mut Vec<u8>, v: u32) {
    let mut b = [0u8; 5];
    let n = encode_varint(v, &mut b);
    out.extend_from_slice(&b[..n]);
}

/// Bytes [`encode_varint`] writes for `v`.
fn varint_len(v: u32) -> usize {
    match v {
        0..0x80 => 1,
        0x80..0x4000 => 2,
        0x4000..0x20_0000 => 3,
        0x20_0000..0x1000_0000 => 4,
        _ => 5,
    }
}

/// Reads a varint at `*at`, advancing it. The data is the index's own encoding.
#[inline]
fn get_varint(data: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let b = data[*at];
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// BM25's term weight of a posting: the same expression, in the same f32 operations, for every
/// caller.
#[inline]
fn term_weight(tf: u32, norm: f32) -> f32 {
    let tf = tf as f32;
    tf * (K1 + 1.0) / (tf + norm)
}

/// The postings of one term, decoded: (document, term frequency), documents ascending.
fn postings(data: &[u8]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let mut at = 0;
    let mut doc = 0u32;
    std::iter::from_fn(move || {
        if at >= data.len() {
            return None;
        }
        doc += get_varint(data, &mut at);
        Some((doc, get_varint(data, &mut at)))
    })
}

/// The terms of a query or document: content words, folded.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text::words(text)
        .filter(|w| !text::is_stop_word(w))
        .map(|w| text::fold(&w).to_owned())
}

/// Inverse document frequency as BM25 weighs it, for a term `df` of `n` documents hold:
/// `ln(1 + (N − df + 0.5) / (df + 0.5))`. A term no document has gets the highest weight.
pub fn bm25_idf(n: f32, df: f32) -> f32 {
    ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
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
        // Document frequency per term; every document's (term, tf) pairs as varints, in
        // document order, and where each document's run ends.
        let mut df: Vec<u32> = Vec::new();
        let mut flat: Vec<u8> = Vec::new();
        let mut doc_ends: Vec<usize> = Vec::new();
        let mut doc_len: Vec<u32> = Vec::new();
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
                    *slot = slot.saturating_add(weight);
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
                len = len.saturating_add(n);
                df[id as usize] += 1;
                put_varint(&mut flat, id);
                put_varint(&mut flat, n);
            }
            doc_terms.clear();
            doc_len.push(len);
            doc_ends.push(flat.len());
        }
        drop(tf);
        let total: u64 = doc_len.iter().map(|&l| l as u64).sum();
        let avg_len = if doc_len.is_empty() {
            0.0
        } else {
            total as f32 / doc_len.len() as f32
        };
        // BM25 length normalisation of each document.
        let avg = avg_len.max(1.0);
        let norm: Vec<f32> = doc_len
            .iter()
            .map(|&len| K1 * (1.0 - B + B * len as f32 / avg))
            .collect();
        drop(doc_len);
        // Each document's (term, tf) pairs, decoded from `flat`.
        let each = |f: &mut dyn FnMut(u32, u32, u32)| {
            let mut at = 0;
            for (doc, &end) in doc_ends.iter().enumerate() {
                while at < end {
                    let id = get_varint(&flat, &mut at);
                    let n = get_varint(&flat, &mut at);
                    f(doc as u32, id, n);
                }
            }
        };
        // Pass 1: the encoded size of each term's postings (gaps from the term's previous
        // document), hence the offsets. Pass 2: write them, terms' runs in id order.
        let mut last: Vec<u32> = vec![0; df.len()];
        let mut size: Vec<u32> = vec![0; df.len()];
        each(&mut |doc, id, n| {
            let t = id as usize;
            size[t] += (varint_len(doc - last[t]) + varint_len(n)) as u32;
            last[t] = doc;
        });
        let mut offsets: Vec<u32> = Vec::with_capacity(df.len() + 1);
        let mut at = 0u32;
        offsets.push(0);
        for s in &size {
            at += s;
            offsets.push(at);
        }
        drop(size);
        let mut data = vec![0u8; at as usize];
        let mut cursor: Vec<u32> = offsets[..df.len()].to_vec();
        last.fill(0);
        each(&mut |doc, id, n| {
            let t = id as usize;
            let mut b = [0u8; 5];
            for v in [doc - last[t], n] {
                let len = encode_varint(v, &mut b);
                let c = cursor[t] as usize;
                data[c..c + len].copy_from_slice(&b[..len]);
                cursor[t] += len as u32;
            }
            last[t] = doc;
        });
        SearchIndex {
            vocab,
            offsets,
            data,
            df,
            norm,
            avg_len,
        }
    }

    /// Number of indexed documents.
    pub fn len(&self) -> usize {
        self.norm.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.norm.is_empty()
    }

    /// Mean (weighted) document length.
    pub fn avg_len(&self) -> f32 {
        self.avg_len
    }

    /// Number of documents holding a term (as [`terms`] yields it).
    pub fn doc_freq(&self, term: &str) -> u32 {
        self.vocab.get(term).map_or(0, |&id| self.df[id as usize])
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
                let t = id as usize;
                let list = &self.data[self.offsets[t] as usize..self.offsets[t + 1] as usize];
                let idf = bm25_idf(n, self.df[t] as f32);
                for (doc, tf) in postings(list) {
                    let w = term_weight(tf, self.norm[doc as usize]);
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
    fn varints_round_trip() {
        for v in [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            2_097_151,
            2_097_152,
            u32::MAX,
        ] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            assert_eq!(out.len(), varint_len(v), "{v}");
            let mut at = 0;
            assert_eq!(get_varint(&out, &mut at), v);
            assert_eq!(at, out.len());
        }
    }

    /// The compressed index scores exactly what BM25 computed directly from the briefs'
    /// terms does, across long gaps between documents and frequencies past one byte.
    #[test]
    fn compressed_postings_score_as_plain_bm25() {
        let mk = |i: usize| {
            let mut text = String::from("common words here");
            if i.is_multiple_of(997) {
                text.push_str(" rare comet");
            }
            if i == 3 || i == 19_000 {
                text.push_str(" zeppelin");
            }
            if i == 400 {
                text.push_str(&" storage".repeat(300));
            }
            Brief {
                id: format!("b{i}"),
                title: if i.is_multiple_of(5) {
                    "Storage news".into()
                } else {
                    "News".into()
                },
                published: None,
                topics: if i.is_multiple_of(7) {
                    vec!["grid storage".into()]
                } else {
                    Vec::new()
                },
                source: None,
                happening: Some(super::super::Section {
                    heading: "What".into(),
                    paragraphs: vec![text].into(),
                }),
                importance: None,
                next: None,
                extra: Vec::new(),
                extracted: Default::default(),
                auto_sections: false,
            }
        };
        let briefs: Vec<Brief> = (0..20_000).map(mk).collect();
        let index = SearchIndex::build(briefs.iter());
        // Plain BM25 over the same weighted term frequencies.
        let tfs: Vec<HashMap<String, u32>> = briefs
            .iter()
            .map(|b| {
                let mut tf: HashMap<String, u32> = HashMap::new();
                let mut add = |text: &str, w: u32| {
                    for t in terms(text) {
                        *tf.entry(t).or_default() += w;
                    }
                };
                add(&b.title, TITLE_WEIGHT);
                for t in &b.topics {
                    add(t, TOPIC_WEIGHT);
                }
                for (_, s) in b.sections() {
                    for p in &s.paragraphs {
                        add(p, 1);
                    }
                }
                tf
            })
            .collect();
        let lens: Vec<u32> = tfs.iter().map(|tf| tf.values().sum()).collect();
        let avg = lens.iter().map(|&l| l as u64).sum::<u64>() as f32 / lens.len() as f32;
        assert_eq!(index.avg_len(), avg);
        let n = briefs.len() as f32;
        for query in [
            "comet",
            "storage",
            "grid storage comet",
            "zeppelin words",
            "absent",
        ] {
            let mut want: Vec<(usize, f32)> = Vec::new();
            let qterms: Vec<String> = terms(query).collect();
            let dfs: Vec<f32> = qterms
                .iter()
                .map(|t| tfs.iter().filter(|x| x.contains_key(t)).count() as f32)
                .collect();
            for (d, tf) in tfs.iter().enumerate() {
                let norm = K1 * (1.0 - B + B * lens[d] as f32 / avg.max(1.0));
                let mut score: Option<f32> = None;
                for (t, &df) in qterms.iter().zip(&dfs) {
                    let Some(&f) = tf.get(t) else { continue };
                    let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                    let f = f as f32;
                    let w = idf * (f * (K1 + 1.0) / (f + norm));
                    score = Some(score.map_or(w, |s| s + w));
                }
                if let Some(s) = score {
                    want.push((d, s));
                }
            }
            want.sort_by(rank);
            assert_eq!(index.search(query), want, "{query:?}");
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
                paragraphs: vec![text].into(),
            }],
            extracted: Default::default(),
            auto_sections: false,
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

    /// Given topics count (twice); extracted ones do not, so an index built before the
    /// keyphrases were extracted is the index of the enriched briefs too.
    #[test]
    fn extracted_topics_are_not_indexed_given_ones_are() {
        let mk = |id: &str, given: &[&str]| Brief {
            id: id.into(),
            title: "Harbour works".into(),
            published: None,
            topics: given.iter().map(|t| t.to_string()).collect(),
            source: None,
            happening: Some(super::super::Section {
                heading: "What's Happening?".into(),
                paragraphs: vec!["The harbour wall is being rebuilt."].into(),
            }),
            importance: None,
            next: None,
            extra: Vec::new(),
            extracted: Default::default(),
            auto_sections: false,
        };
        let briefs = [mk("a", &[]), mk("b", &["dredging"])];
        let before = SearchIndex::build(briefs.iter());
        briefs[0].extracted.set(&["seawall", "harbour wall"]);
        let after = SearchIndex::build(briefs.iter());
        for q in ["seawall", "harbour wall", "dredging", "rebuilt"] {
            assert_eq!(before.search(q), after.search(q), "{q:?}");
        }
        assert!(after.search("seawall").is_empty());
        assert_eq!(after.search("dredging").len(), 1);
    }
}
