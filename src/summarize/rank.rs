//! Sentence centrality: TextRank (Mihalcea & Tarau, 2004) — a graph whose nodes are sentences
//! and whose edges weigh their word overlap, ranked with PageRank. A position prior
//! (personalization proportional to 1/(position+1)) favours early sentences, as news writing
//! puts the essentials first.

use std::collections::HashSet;

const DAMPING: f64 = 0.85;
const ITERATIONS: usize = 50;
const EPSILON: f64 = 1e-6;

/// Indices of the `k` most central sentences, in original order.
pub fn top_sentences<S: AsRef<str>>(sentences: &[S], k: usize) -> Vec<usize> {
    let n = sentences.len();
    if n <= k {
        return (0..n).collect();
    }
    let scores = scores(sentences);
    let mut order: Vec<usize> = (0..n).collect();
    // Highest score first; ties go to the earlier sentence.
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut chosen: Vec<usize> = order.into_iter().take(k).collect();
    chosen.sort_unstable();
    chosen
}

/// TextRank score of each sentence (sums to 1).
pub fn scores<S: AsRef<str>>(sentences: &[S]) -> Vec<f64> {
    let n = sentences.len();
    if n == 0 {
        return Vec::new();
    }
    let words: Vec<HashSet<String>> = sentences
        .iter()
        .map(|s| content_words(s.as_ref()))
        .collect();
    // Similarity matrix (symmetric, zero diagonal).
    let mut weight = vec![vec![0.0f64; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let overlap = words[i].intersection(&words[j]).count() as f64;
            if overlap > 0.0 {
                let norm = (words[i].len() as f64 + 1.0).ln() + (words[j].len() as f64 + 1.0).ln();
                let w = overlap / norm.max(f64::MIN_POSITIVE);
                weight[i][j] = w;
                weight[j][i] = w;
            }
        }
    }
    let out_sum: Vec<f64> = weight.iter().map(|row| row.iter().sum()).collect();
    let prior: Vec<f64> = {
        let raw: Vec<f64> = (0..n).map(|i| 1.0 / (i as f64 + 1.0)).collect();
        let total: f64 = raw.iter().sum();
        raw.into_iter().map(|p| p / total).collect()
    };
    let mut score = prior.clone();
    for _ in 0..ITERATIONS {
        // Mass of sentences without edges is redistributed along the prior.
        let dangling: f64 = (0..n)
            .filter(|&j| out_sum[j] == 0.0)
            .map(|j| score[j])
            .sum();
        let next: Vec<f64> = (0..n)
            .map(|i| {
                let inflow: f64 = (0..n)
                    .filter(|&j| out_sum[j] > 0.0 && weight[j][i] > 0.0)
                    .map(|j| score[j] * weight[j][i] / out_sum[j])
                    .sum();
                (1.0 - DAMPING) * prior[i] + DAMPING * (inflow + dangling * prior[i])
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

/// Lowercase content words of a sentence: alphanumeric runs, stop words and one-letter words
/// dropped, a plural "s" folded.
pub fn content_words(sentence: &str) -> HashSet<String> {
    crate::text::words(sentence)
        .filter(|w| !crate::text::is_stop_word(w))
        .map(|w| crate::text::fold(&w).to_owned())
        .collect()
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
    fn picks_the_sentences_the_others_talk_about_in_original_order() {
        let s = [
            "Weather was mild on Tuesday.",
            "The council approved the new tram line through the harbour district.",
            "Lunch was served at noon.",
            "The tram line will link the harbour district to the central station.",
            "Construction of the tram line starts next spring in the harbour district.",
        ];
        let top = top_sentences(&s, 2);
        assert_eq!(top.len(), 2);
        assert!(!top.contains(&0) && !top.contains(&2), "{top:?}");
        assert!(top.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn position_prior_breaks_ties_toward_the_start() {
        let s = ["Alpha one.", "Beta two.", "Gamma three."];
        assert_eq!(top_sentences(&s, 1), vec![0]);
    }

    #[test]
    fn scores_sum_to_one() {
        let s = ["Grid storage grows.", "Storage prices fall.", "Rain."];
        let total: f64 = scores(&s).iter().sum();
        assert!((total - 1.0).abs() < 1e-6, "{total}");
    }
}
