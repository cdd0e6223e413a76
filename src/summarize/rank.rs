//! Which sentences a short answer keeps: the lead, then the most central of the rest, and
//! never a sentence that leans on one left out.
//!
//! - **Lead first.** News puts the essential fact first; on CNN/DailyMail Lead-3 beats
//!   TextRank (ROUGE-1 40.3 vs 36.2, See et al. 2017), so the first sentence is always kept.
//! - **Centrality with a position prior** for the other places: TextRank (Mihalcea & Tarau,
//!   2004) — a graph whose nodes are sentences and whose edges weigh their word overlap,
//!   ranked with PageRank personalized toward early sentences (prior ∝ 1/(position+1)).
//! - **No dangling openers.** A sentence that opens with a connective or a pronoun
//!   ("However, …", "Additionally, …", "This …", "They …", see [`leans_on_previous`]) is
//!   chosen only together with the sentence before it, or not at all.
//! - **Bounded work.** At most [`MAX_RANKED`] sentences are ranked (the caller also caps the
//!   text it splits, see [`crate::summarize`]), so a section of any size costs at most a
//!   fixed amount of work (issue: a 240 KB brief of one-line paragraphs once built a dense
//!   60,000² matrix).

const DAMPING: f64 = 0.85;
const ITERATIONS: usize = 50;
const EPSILON: f64 = 1e-6;

/// Most sentences ranked: a short answer comes from the start of a section; sentences past
/// this many are never candidates (news puts the essentials first).
pub const MAX_RANKED: usize = 40;

/// Openers that make a sentence lean on the one before it: connectives and pronouns whose
/// antecedent or counterpart is in the previous sentence. Sorted, for binary search.
const LEANING: &[&str] = &[
    "additionally",
    "also",
    "and",
    "besides",
    "but",
    "consequently",
    "furthermore",
    "he",
    "hence",
    "her",
    "his",
    "however",
    "instead",
    "it",
    "its",
    "likewise",
    "meanwhile",
    "moreover",
    "nevertheless",
    "nonetheless",
    "otherwise",
    "she",
    "similarly",
    "so",
    "still",
    "such",
    "that",
    "their",
    "them",
    "therefore",
    "these",
    "they",
    "this",
    "those",
    "thus",
    "yet",
];

/// Whether a sentence opens with a connective or a pronoun that points back at the sentence
/// before it ("However, …", "This decision …", "They said …").
pub fn leans_on_previous(sentence: &str) -> bool {
    let first = sentence
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if first.is_empty() || first.len() > 12 {
        return false;
    }
    let lower = first.to_ascii_lowercase();
    LEANING.binary_search(&lower.as_str()).is_ok()
}

/// Indices of the `k` sentences a short answer keeps, in original order: the first
/// sentence, then the highest-ranked of the first [`MAX_RANKED`], each leaning sentence only
/// with its antecedent.
pub fn top_sentences<S: AsRef<str>>(sentences: &[S], k: usize) -> Vec<usize> {
    let sentences = &sentences[..sentences.len().min(MAX_RANKED)];
    let n = sentences.len();
    if n <= k {
        return (0..n).collect();
    }
    if k == 0 {
        return Vec::new();
    }
    // Centrality, discounted again by position: the inverted pyramid puts the second most
    // important fact early too (TextRank's prior alone lets a late, wordy sentence win).
    let scores: Vec<f64> = scores(sentences)
        .into_iter()
        .enumerate()
        .map(|(i, s)| s / (i as f64 + 1.0))
        .collect();
    let mut order: Vec<usize> = (1..n).collect();
    // Highest score first; ties go to the earlier sentence.
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let leans: Vec<bool> = sentences
        .iter()
        .map(|s| leans_on_previous(s.as_ref()))
        .collect();
    let mut chosen = vec![0];
    for c in order {
        if chosen.len() >= k {
            break;
        }
        if chosen.contains(&c) {
            continue;
        }
        if !leans[c] || chosen.contains(&(c - 1)) {
            chosen.push(c);
        } else if chosen.len() + 2 <= k && (!leans[c - 1] || chosen.contains(&(c - 2))) {
            // The sentence with its antecedent, if both fit.
            chosen.push(c - 1);
            chosen.push(c);
        }
    }
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// TextRank score of each sentence (sums to 1), with the position prior. The pair table is
/// n × n, so callers rank at most [`MAX_RANKED`] sentences.
///
/// Written for speed (issue 12: ≥ 100× sumy on the same sections, `benches/sumy.rs`): a
/// sentence's words are hashed as they are read (no string per word), the shared words of
/// all pairs come from one sorted list of (word, sentence) entries, and the graph is one flat
/// edge list.
pub fn scores<S: AsRef<str>>(sentences: &[S]) -> Vec<f64> {
    let n = sentences.len();
    if n == 0 {
        return Vec::new();
    }
    // (word hash, sentence) for each distinct content word of each sentence.
    let mut entries: Vec<(u64, u32)> = Vec::with_capacity(n * 12);
    let mut sizes = Vec::with_capacity(n);
    let mut buf = String::new();
    let mut words: Vec<u64> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        words.clear();
        for_each_content_word(s.as_ref(), &mut buf, |h| words.push(h));
        words.sort_unstable();
        words.dedup();
        sizes.push(words.len());
        entries.extend(words.iter().map(|&h| (h, i as u32)));
    }
    // Overlap counts of sentence pairs sharing a word: runs of one word in hash order.
    entries.sort_unstable();
    let mut overlap = vec![0u32; n * n];
    let mut run = 0;
    while run < entries.len() {
        let mut end = run + 1;
        while end < entries.len() && entries[end].0 == entries[run].0 {
            end += 1;
        }
        for x in run..end {
            for y in x + 1..end {
                let (i, j) = (entries[x].1 as usize, entries[y].1 as usize);
                overlap[i * n + j] += 1;
            }
        }
        run = end;
    }
    // Edges (symmetric, no self loops) as one list per target: (target, source, weight).
    let mut edges: Vec<(u32, u32, f64)> = Vec::new();
    let mut out_sum = vec![0.0f64; n];
    let log_size: Vec<f64> = sizes.iter().map(|&s| (s as f64 + 1.0).ln()).collect();
    for i in 0..n {
        for j in (i + 1)..n {
            let o = overlap[i * n + j];
            if o > 0 {
                let norm = log_size[i] + log_size[j];
                let w = o as f64 / norm.max(f64::MIN_POSITIVE);
                edges.push((i as u32, j as u32, w));
                edges.push((j as u32, i as u32, w));
                out_sum[i] += w;
                out_sum[j] += w;
            }
        }
    }
    let prior: Vec<f64> = {
        let raw: Vec<f64> = (0..n).map(|i| 1.0 / (i as f64 + 1.0)).collect();
        let total: f64 = raw.iter().sum();
        raw.into_iter().map(|p| p / total).collect()
    };
    let mut score = prior.clone();
    let mut next = vec![0.0; n];
    let mut share = vec![0.0; n];
    for _ in 0..ITERATIONS {
        // Mass of sentences without edges is redistributed along the prior.
        let mut dangling = 0.0;
        for j in 0..n {
            if out_sum[j] == 0.0 {
                dangling += score[j];
                share[j] = 0.0;
            } else {
                share[j] = DAMPING * score[j] / out_sum[j];
            }
        }
        for (i, v) in next.iter_mut().enumerate() {
            *v = (1.0 - DAMPING) * prior[i] + DAMPING * dangling * prior[i];
        }
        for &(to, from, w) in &edges {
            next[to as usize] += share[from as usize] * w;
        }
        let delta: f64 = next.iter().zip(&score).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut score, &mut next);
        if delta < EPSILON {
            break;
        }
    }
    score
}

/// Calls `f` with a hash of each content word of `sentence` (repeats included): alphanumeric
/// runs, lowercased, stop words and one-letter words dropped, a plural "s" folded
/// ([`crate::text::fold`]). `buf` is scratch space, reused between calls.
fn for_each_content_word(sentence: &str, buf: &mut String, mut f: impl FnMut(u64)) {
    use std::hash::{Hash, Hasher};
    for word in sentence.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        buf.clear();
        if word
            .bytes()
            .all(|b| !b.is_ascii_uppercase() && b.is_ascii())
        {
            buf.push_str(word);
        } else {
            buf.extend(word.chars().flat_map(char::to_lowercase));
        }
        if crate::text::is_stop_word(buf) {
            continue;
        }
        let mut h = rustc_hash::FxHasher::default();
        crate::text::fold(buf).hash(&mut h);
        f(h.finish());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_everything_when_k_covers_all() {
        assert_eq!(top_sentences(&["a b.", "c d."], 2), vec![0, 1]);
        assert_eq!(top_sentences::<&str>(&[], 2), Vec::<usize>::new());
    }

    #[test]
    fn keeps_the_lead_then_the_most_central_in_original_order() {
        let s = [
            "The council approved the new tram line through the harbour district.",
            "Weather was mild on Tuesday.",
            "Lunch was served at noon.",
            "The tram line will link the harbour district to the central station.",
            "Construction of the tram line starts next spring in the harbour district.",
        ];
        let top = top_sentences(&s, 2);
        assert_eq!(top[0], 0, "{top:?}");
        assert!(top[1] == 3 || top[1] == 4, "{top:?}");
        // The lead is kept even when later sentences are more central.
        let s = [
            "Rates were held at 3.5%.",
            "Traders expected the tram decision on the tram line.",
            "The tram line decision surprised tram riders.",
        ];
        assert_eq!(top_sentences(&s, 1), vec![0]);
    }

    #[test]
    fn a_leaning_sentence_comes_with_its_antecedent_or_not_at_all() {
        let s = [
            "The board raised water rates by 14 percent on Monday.",
            "Pipes in the valley are a century old.",
            "However, water rates and water pipes worry water users in the valley.",
            "Residents said water rates were already high.",
        ];
        // Sentence 2 is the most central but leans on sentence 1, which is not chosen: with
        // two places it is skipped; with three it comes with sentence 1.
        let two = top_sentences(&s, 2);
        assert_eq!(two.len(), 2);
        assert!(!two.contains(&2), "{two:?}");
        assert_eq!(top_sentences(&s, 3), vec![0, 1, 2]);
        assert!(leans_on_previous("Additionally, the airline lost money."));
        assert!(leans_on_previous("\u{201c}They will,\u{201d} she said."));
        assert!(!leans_on_previous("Thistle growers met."));
        assert!(!leans_on_previous("The union said no."));
    }

    #[test]
    fn ranking_is_bounded_whatever_the_section_size() {
        let many: Vec<String> = (0..5000)
            .map(|i| format!("Word{} shared.", i % 7))
            .collect();
        let top = top_sentences(&many, 2);
        assert_eq!(top.len(), 2);
        assert!(top.iter().all(|&i| i < MAX_RANKED), "{top:?}");
    }

    /// Lowercase content words of a sentence, each once, as text: what [`scores`] compares.
    fn content_words(sentence: &str) -> Vec<String> {
        let mut out: Vec<String> = crate::text::words(sentence)
            .filter(|w| !crate::text::is_stop_word(w))
            .map(|w| crate::text::fold(&w).to_owned())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// TextRank as first written (strings, a word → sentences map, per-node edge lists):
    /// the fast [`scores`] must rank exactly as it did.
    fn reference_scores(sentences: &[&str]) -> Vec<f64> {
        let n = sentences.len();
        let words: Vec<Vec<String>> = sentences.iter().map(|s| content_words(s)).collect();
        let mut w = vec![vec![0.0; n]; n];
        for i in 0..n {
            for j in 0..n {
                let o = words[i].iter().filter(|x| words[j].contains(x)).count();
                if i != j && o > 0 {
                    let norm =
                        (words[i].len() as f64 + 1.0).ln() + (words[j].len() as f64 + 1.0).ln();
                    w[i][j] = o as f64 / norm;
                }
            }
        }
        let out: Vec<f64> = w.iter().map(|r| r.iter().sum()).collect();
        let total: f64 = (0..n).map(|i| 1.0 / (i as f64 + 1.0)).sum();
        let prior: Vec<f64> = (0..n).map(|i| 1.0 / (i as f64 + 1.0) / total).collect();
        let mut score = prior.clone();
        for _ in 0..ITERATIONS {
            let dangling: f64 = (0..n).filter(|&j| out[j] == 0.0).map(|j| score[j]).sum();
            let next: Vec<f64> = (0..n)
                .map(|i| {
                    let walk: f64 = (0..n)
                        .filter(|&j| out[j] > 0.0)
                        .map(|j| DAMPING * score[j] / out[j] * w[j][i])
                        .sum();
                    (1.0 - DAMPING) * prior[i] + DAMPING * dangling * prior[i] + walk
                })
                .collect();
            let delta: f64 = next.iter().zip(&score).map(|(a, b)| (a - b).abs()).sum();
            score = next;
            if delta < EPSILON {
                break;
            }
        }
        score
    }

    #[test]
    fn fast_scores_equal_the_plain_textrank() {
        let s = [
            "The council approved the new tram line through the harbour district on Monday.",
            "Tram riders in the Harbour District cheered; the TRAMS will run every 6 minutes.",
            "Ñandú breeders, however, said the line's cost (\u{20ac}1.2 billion) was too high.",
            "Lunch was served.",
            "",
            "Construction of the tram line starts next spring, the council said.",
            "Costs and costs and COSTS: the district's budget is the council's worry.",
        ];
        let fast = scores(&s);
        let plain = reference_scores(&s);
        assert_eq!(fast.len(), plain.len());
        for (a, b) in fast.iter().zip(&plain) {
            assert!((a - b).abs() < 1e-9, "{fast:?} vs {plain:?}");
        }
        assert!(
            fast[3] < fast[0],
            "an unconnected sentence ranks below the lead: {fast:?}"
        );
    }

    #[test]
    fn scores_sum_to_one() {
        let s = ["Grid storage grows.", "Storage prices fall.", "Rain."];
        let total: f64 = scores(&s).iter().sum();
        assert!((total - 1.0).abs() < 1e-6, "{total}");
    }
}
