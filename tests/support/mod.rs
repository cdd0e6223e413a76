//! Shared support code for integration tests (compiled into each test binary via `mod support;`).
//!
//! - [`discord`]: a local stand-in for Discord's REST API v10 and Gateway v10.
//! - [`bot`]: the real `briefbot run` binary, configured against the stand-in, and its
//!   progress lines.
//! - [`wait`]: [`wait::eventually`], the one wait of every test.
//! - [`web`]: a local web server serving the feed and page fixtures and the bad cases.
// Each test binary uses a different subset of the helpers (and of the re-exports).
#![allow(dead_code, unused_imports)]

pub mod bot;
pub mod discord;
pub mod wait;
pub mod web;
