//! The one way tests wait: [`eventually`] polls a condition until it holds, and fails with
//! what was awaited and the last state seen. A generous deadline costs nothing when the
//! condition holds (it returns at once), so every wait uses the same one. Waiting for
//! "nothing else happens" is done on a condition the bot signals (see
//! `BotProcess::settled` in `bot.rs` and `briefbot::app::updates::Progress`), never by
//! sleeping.

use std::time::{Duration, Instant};

/// How long [`eventually`] waits before failing the test: far beyond any healthy wait, so
/// that a loaded machine slows a test down rather than failing it.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// How often the condition is polled.
const POLL: Duration = Duration::from_millis(20);

/// What a condition answers: done (with a value) or not yet (with what it saw).
pub trait Check<T> {
    /// `Ok(value)` when the condition holds, else `Err(what was seen)`.
    fn outcome(self) -> Result<T, String>;
}

impl Check<()> for bool {
    fn outcome(self) -> Result<(), String> {
        if self {
            Ok(())
        } else {
            Err("false".into())
        }
    }
}

impl<T> Check<T> for Option<T> {
    fn outcome(self) -> Result<T, String> {
        self.ok_or_else(|| "nothing yet".into())
    }
}

impl<T> Check<T> for Result<T, String> {
    fn outcome(self) -> Result<T, String> {
        self
    }
}

/// Polls `check` until it holds and returns its value; panics after [`DEADLINE`] with
/// "timed out after …s waiting for {what}; last seen: …".
pub async fn eventually<T, C: Check<T>>(what: &str, mut check: impl FnMut() -> C) -> T {
    let start = Instant::now();
    loop {
        match check().outcome() {
            Ok(v) => return v,
            Err(seen) => {
                assert!(
                    start.elapsed() < DEADLINE,
                    "timed out after {}s waiting for {what}; last seen: {seen}",
                    DEADLINE.as_secs()
                );
            }
        }
        tokio::time::sleep(POLL).await;
    }
}
