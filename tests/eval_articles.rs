//! The role assigner on the labelled raw articles in `eval/articles/`: prints the per-role
//! confusion and the accuracy of each set (`cargo test --test eval_articles -- --nocapture`)
//! and holds each figure to a floor just under what it reaches (see `docs/EVAL.md`).

use briefbot::eval::articles::{self, HELD_OUT_FROM};
use std::path::Path;

#[test]
fn raw_articles_fall_into_their_labelled_sections() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("eval/articles");
    let all = articles::load(&dir).unwrap();
    let original: Vec<_> = all.iter().filter(|a| a.number < HELD_OUT_FROM).collect();
    let held_out: Vec<_> = all.iter().filter(|a| a.number >= HELD_OUT_FROM).collect();
    assert!(original.len() >= 20 && held_out.len() >= 10);
    println!("{}", articles::report(&all));

    let on_original = articles::evaluate(original.iter().copied()).accuracy();
    let on_held_out = articles::evaluate(held_out.iter().copied()).accuracy();
    assert!(on_original >= 0.91, "original set: {on_original:.3}");
    assert!(on_held_out >= 0.87, "held-out stand-in: {on_held_out:.3}");
}
