//! A BM25 index over briefs (Robertson & Zaragoza's Okapi BM25, k1 = 1.2, b = 0.75). Each
//! brief is one document made of its title (counted three times), topics (twice) and text.

use super::Brief;
use crate::text;
use std::collections::HashMap;

const K1: f32 = 1.2;
const B: f32 = 0.75;
const TITLE_WEIGHT: u32 = 3;
const TOPIC_WEIGHT: u32 = 2;

/// Inverted index: term → postings of (document, term frequency).
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    postings: HashMap<String, Vec<(u32, u32)>>,
    doc_len: Vec<u32>,
    avg_len: f32,
}

/// The terms of a query or document: content words, folded.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text::words(text)
        .filter(|w| !text::is_stop_word(w))
        .map(|w| text::fold(&w))
}

impl SearchIndex {
    /// Indexes `briefs`; document numbers are their positions in the slice.
    pub fn build<'a>(briefs: impl IntoIterator<Item = &'a Brief>) -> SearchIndex {
        let mut index = SearchIndex::default();
        let mut counts: HashMap<String, u32> = HashMap::new();
        for (doc, brief) in briefs.into_iter().enumerate() {
            counts.clear();
            let mut add = |text: &str, weight: u32| {
                for t in terms(text) {
                    *counts.entry(t).or_default() += weight;
                }
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
            index.doc_len.push(counts.values().sum());
            for (term, tf) in counts.drain() {
                index
                    .postings
                    .entry(term)
                    .or_default()
                    .push((doc as u32, tf));
            }
        }
        let total: u64 = index.doc_len.iter().map(|&l| l as u64).sum();
        index.avg_len = if index.doc_len.is_empty() {
            0.0
        } else {
            total as f32 / index.doc_len.len() as f32
        };
        index
    }

    /// Number of indexed documents.
    pub fn len(&self) -> usize {
        self.doc_len.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.doc_len.is_empty()
    }

    /// Documents matching any query term, best first (ties: lower document number first),
    /// with their BM25 scores.
    pub fn search(&self, query: &str) -> Vec<(usize, f32)> {
        let n = self.doc_len.len() as f32;
        let mut scores: HashMap<u32, f32> = HashMap::new();
        let mut seen: Vec<String> = Vec::new();
        for term in terms(query) {
            if seen.contains(&term) {
                continue;
            }
            let Some(list) = self.postings.get(&term) else {
                seen.push(term);
                continue;
            };
            let df = list.len() as f32;
            let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
            for &(doc, tf) in list {
                let tf = tf as f32;
                let len = self.doc_len[doc as usize] as f32;
                let norm =
                    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.avg_len.max(1.0)));
                *scores.entry(doc).or_default() += idf * norm;
            }
            seen.push(term);
        }
        let mut ranked: Vec<(usize, f32)> =
            scores.into_iter().map(|(d, s)| (d as usize, s)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
    }
}
