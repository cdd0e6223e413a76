//! Evaluation of the bot against labelled sets of briefs (see `eval/`).

pub mod pages;
