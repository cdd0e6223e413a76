//! Feed and page benchmarks (issue 10): parse 1,000 feed items (feed-rs, then each item
//! through the brief parser, as a poll does) and extract 100 HTML pages (html5ever via
//! scraper, boilerplate removed) from the repository's fixtures. No network.
//!
//! Run with `cargo bench --bench sources`; figures in docs/BENCHMARKS.md.

use briefbot::brief::ParseOptions;
use briefbot::source::web::{item_brief, Kind, Spec};
use briefbot::source::{feed, page};
use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/web");

/// An RSS feed of `n` items, each a copy of the fixture's first (sectioned) item with its
/// own guid.
fn big_feed(n: usize) -> Vec<u8> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>B</title>",
    );
    for i in 0..n {
        out.push_str(&format!(
            "<item><title>Item {i}</title><guid isPermaLink=\"false\">g{i}</guid>\
             <link>http://127.0.0.1/a/{i}</link><pubDate>Wed, 11 Mar 2026 10:00:00 GMT</pubDate>\
             <description>&lt;p&gt;The council voted on item {i} on Tuesday. It passed.&lt;/p&gt;\
             &lt;p&gt;&lt;strong&gt;Why it matters:&lt;/strong&gt; Rates will change for 4,000 homes.&lt;/p&gt;\
             &lt;p&gt;&lt;strong&gt;What's next:&lt;/strong&gt; A permit is due in April.&lt;/p&gt;</description></item>"
        ));
    }
    out.push_str("</channel></rss>");
    out.into_bytes()
}

fn bench(c: &mut Criterion) {
    let spec = Spec {
        name: "bench".into(),
        url: "http://127.0.0.1/feed".into(),
        kind: Kind::Auto,
        interval: Duration::from_secs(60),
        topics: vec![],
        fetch_pages: false,
        keep: None,
    };
    let parse = ParseOptions::default();
    let feed_bytes = big_feed(1_000);
    c.bench_function("parse 1,000 feed items into briefs", |b| {
        b.iter(|| {
            let f = feed::parse(&feed_bytes).unwrap();
            let n = f
                .items
                .iter()
                .filter(|i| item_brief(&spec, &parse, i, None, None).is_ok())
                .count();
            assert_eq!(n, 1_000);
        })
    });
    let pages: Vec<String> = ["glance-page.html", "axios-page.html", "raw-article.html"]
        .iter()
        .map(|f| std::fs::read_to_string(format!("{FIXTURES}/{f}")).unwrap())
        .collect();
    c.bench_function("extract 100 HTML pages", |b| {
        b.iter(|| {
            for i in 0..100 {
                let p = page::extract(&pages[i % pages.len()]);
                assert!(!p.text.is_empty());
            }
        })
    });
}

criterion_group! {
    name = sources;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(10));
    targets = bench
}
criterion_main!(sources);
