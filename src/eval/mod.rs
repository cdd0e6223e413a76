//! Evaluation of the product's hand-written parts against labelled data in `eval/`; each
//! file measures one part and prints its figures (recorded in `docs/EVAL.md`).

pub mod articles;
