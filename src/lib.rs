//! briefbot: a Discord bot that answers with brief news summaries.
//!
//! One direction: [`source`]s → [`brief`] library → [`core`] and [`commands`] (one file a
//! command, one dispatcher) → platform-neutral [`reply`] → adapters ([`console`],
//! [`discord`]); new briefs → [`delivery`] through the [`store`]. Start-up wiring lives in
//! [`app`]. The core knows nothing of Discord; the Discord adapter knows nothing of the
//! store or the delivery machinery. [`meter`] records metrics; [`ops`] serves health and
//! metrics to operators.

// A refusal is a `Reply` (the answer the user sees), built once per interaction: returning it
// by value in `Err` costs nothing that matters, and boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod brief;
pub mod commands;
pub mod config;
pub mod console;
pub mod core;
pub mod delivery;
pub mod discord;
pub mod eval;
pub mod meter;
pub mod ops;
pub mod reply;
pub mod source;
pub mod store;
pub mod summarize;
pub mod text;
pub mod work;
