//! The brief library: every loaded brief, newest first, with lookups by id, a BM25 search
//! index and autocomplete suggestions. It is built from parsed briefs; reading them is the
//! sources' job ([`crate::source`]).
//!
//! A library is immutable once built and shared: cloning one copies a pointer, not its
//! briefs or index (the running bot hands the same library to the core, the merger and the
//! planner). Lookups by id go through a list of positions sorted by id (4 bytes a brief)
//! rather than a map holding a second copy of every id.

use super::search::SearchIndex;
use super::Brief;
use std::sync::Arc;

/// Loaded briefs, newest first.
#[derive(Debug, Default, Clone)]
pub struct Library {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    briefs: Vec<Arc<Brief>>,
    /// Positions in `briefs`, ordered by the briefs' ids (unique).
    by_id: Vec<u32>,
    index: SearchIndex,
}

/// Whether `hay`, lowercased, contains `needle` (lowercase already). Without allocating when
/// the needle is ASCII (autocomplete types ASCII nearly always): lowercasing every title of
/// 10,000 briefs for each keystroke was ~1 ms, the slowest of the first interactions after a
/// start (issue 12). A byte loop on the first letter, not `str::contains`, whose searcher
/// is set up anew for each of the ~60,000 titles, ids and topics a keystroke looks at.
fn contains_lower(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if needle.is_ascii() {
        let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
        let (first, rest) = (needle[0], &needle[1..]);
        hay.len() >= needle.len()
            && (0..=hay.len() - needle.len()).any(|i| {
                hay[i].to_ascii_lowercase() == first
                    && hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest)
            })
    } else {
        hay.to_lowercase().contains(needle)
    }
}

impl Library {
    /// Builds a library from parsed briefs. Later duplicates of an id are dropped; callers that
    /// care report them first (see [`crate::source::assemble`]).
    pub fn from_briefs(briefs: impl IntoIterator<Item = Brief>) -> Library {
        Library::from_shared(briefs.into_iter().map(Arc::new))
    }

    /// [`Library::from_briefs`] over briefs already shared (another library's, say): nothing
    /// is copied but the pointers.
    pub fn from_shared(briefs: impl IntoIterator<Item = Arc<Brief>>) -> Library {
        let mut list: Vec<Arc<Brief>> = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for b in briefs {
            if ids.insert(b.id.clone()) {
                list.push(b);
            }
        }
        drop(ids);
        list.sort_by(|a, b| super::newest_first(a, b));
        let mut by_id: Vec<u32> = (0..list.len() as u32).collect();
        by_id.sort_unstable_by(|&a, &b| list[a as usize].id.cmp(&list[b as usize].id));
        let index = SearchIndex::build(list.iter().map(|b| b.as_ref()));
        Library {
            inner: Arc::new(Inner {
                briefs: list,
                by_id,
                index,
            }),
        }
    }

    /// Number of briefs.
    pub fn len(&self) -> usize {
        self.inner.briefs.len()
    }

    /// Whether there are no briefs.
    pub fn is_empty(&self) -> bool {
        self.inner.briefs.is_empty()
    }

    /// All briefs, newest first.
    pub fn briefs(&self) -> &[Arc<Brief>] {
        &self.inner.briefs
    }

    /// The brief with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Brief>> {
        self.position(id).map(|i| &self.inner.briefs[i])
    }

    /// Where the brief with this id is in [`Library::briefs`].
    pub fn position(&self, id: &str) -> Option<usize> {
        let briefs = &self.inner.briefs;
        let by_id = &self.inner.by_id;
        let at = by_id
            .binary_search_by(|&i| briefs[i as usize].id.as_str().cmp(id))
            .ok()?;
        Some(by_id[at] as usize)
    }

    /// The newest brief.
    pub fn newest(&self) -> Option<&Arc<Brief>> {
        self.inner.briefs.first()
    }

    /// Briefs matching the query's words against title, topics and text, best first.
    pub fn search(&self, query: &str) -> Vec<(&Arc<Brief>, f32)> {
        self.inner
            .index
            .search(query)
            .into_iter()
            .map(|(i, s)| (&self.inner.briefs[i], s))
            .collect()
    }

    /// The first `k` hits of [`Library::search`], in the same order, without ranking the rest.
    pub fn search_top(&self, query: &str, k: usize) -> Vec<(&Arc<Brief>, f32)> {
        self.inner
            .index
            .search_top(query, k)
            .into_iter()
            .map(|(i, s)| (&self.inner.briefs[i], s))
            .collect()
    }

    /// The best hit of [`Library::search`], if any.
    pub fn best(&self, query: &str) -> Option<(&Arc<Brief>, f32)> {
        self.inner
            .index
            .best(query)
            .map(|(i, s)| (&self.inner.briefs[i], s))
    }

    /// Number of briefs holding a search term (see [`SearchIndex::doc_freq`]).
    pub fn doc_freq(&self, term: &str) -> u32 {
        self.inner.index.doc_freq(term)
    }

    /// The brief a query names: an exact id, else the best search hit.
    pub fn find(&self, query: &str) -> Option<&Arc<Brief>> {
        let q = query.trim();
        self.get(q).or_else(|| self.best(q).map(|(b, _)| b))
    }

    /// Briefs whose title, id or topics contain `partial` (case-insensitive), newest first,
    /// then search hits; at most `limit`. An empty partial lists the newest.
    pub fn suggest(&self, partial: &str, limit: usize) -> Vec<&Arc<Brief>> {
        let p = partial.trim().to_lowercase();
        let mut out: Vec<&Arc<Brief>> = Vec::new();
        for b in &self.inner.briefs {
            if out.len() >= limit {
                return out;
            }
            if p.is_empty()
                || contains_lower(&b.title, &p)
                || contains_lower(&b.id, &p)
                || b.all_topics().any(|t| contains_lower(t, &p))
            {
                out.push(b);
            }
        }
        if out.len() >= limit {
            return out;
        }
        // At most `out.len()` hits are already listed, so `limit` hits fill the rest.
        for (b, _) in self.search_top(&p, limit) {
            if out.len() >= limit {
                break;
            }
            if !out.iter().any(|o| o.id == b.id) {
                out.push(b);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_lower_ignores_case_without_lowercasing_ascii_needles() {
        assert!(contains_lower("Grid Storage Auction", "storage a"));
        assert!(contains_lower("GRID", "grid"));
        assert!(contains_lower("anything", ""));
        assert!(!contains_lower("Grid", "grids"));
        assert!(!contains_lower("", "g"));
        assert!(contains_lower("ends with grid", "grid"));
        assert!(!contains_lower("gri", "grid"));
        // Non-ASCII needles are compared on the lowercased text.
        assert!(contains_lower("Café Müller Opens", "müller"));
        assert!(!contains_lower("Cafe Muller", "müller"));
    }
}
