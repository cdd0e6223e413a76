//! Role assignment benchmark (issue 10 §4/§8): put 1,000 raw sentences into their three
//! sections with [`briefbot::summarize::roles`].
//!
//! The text is the labelled articles of `eval/articles/` (original, fictional news copy), run
//! together as raw paragraphs and repeated in order until 1,000 sentences: about a hundred
//! articles of nine to twelve sentences. `assign_paragraphs_1000` includes sentence splitting
//! (the seam for raw feed items and prose files); `assign_1000` starts from split sentences.
//!
//! Run with `cargo bench --bench roles`; the figure is recorded in docs/BENCHMARKS.md. Under
//! `cargo test --benches` each benchmark runs once.

use briefbot::eval::articles;
use briefbot::summarize::roles;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;

/// The articles, each as its list of sentences, repeated until `total` sentences.
fn corpus(total: usize) -> Vec<Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/articles");
    let all = articles::load(&dir).expect("eval/articles");
    let mut out = Vec::new();
    let mut count = 0;
    for a in all.iter().cycle() {
        let take = (total - count).min(a.sentences.len());
        out.push(a.sentences[..take].iter().map(|(t, _)| t.clone()).collect());
        count += take;
        if count == total {
            break;
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let articles = corpus(1_000);
    assert_eq!(articles.iter().map(Vec::len).sum::<usize>(), 1_000);
    // Raw paragraphs: two sentences a paragraph, as wire copy runs.
    let paragraphs: Vec<Vec<String>> = articles
        .iter()
        .map(|a| a.chunks(2).map(|p| p.join(" ")).collect())
        .collect();
    let mut g = c.benchmark_group("roles");
    g.bench_function("assign_paragraphs_1000", |b| {
        b.iter(|| {
            for a in &paragraphs {
                black_box(roles::assign_paragraphs(black_box(a)));
            }
        })
    });
    g.bench_function("assign_1000", |b| {
        b.iter(|| {
            for a in &articles {
                black_box(roles::assign(black_box(a)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
