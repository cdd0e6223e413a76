//! briefbot: a Discord bot that answers with brief news summaries.
//!
//! The core (briefs, summarizer, commands, replies, subscriptions, delivery planning) knows
//! nothing of Discord; the adapters in [`console`] and [`discord`] only translate.

pub mod app;
pub mod brief;
pub mod commands;
pub mod config;
pub mod console;
pub mod delivery;
pub mod discord;
pub mod reply;
pub mod store;
pub mod subscriptions;
pub mod summarize;
pub mod text;
pub mod updates;
