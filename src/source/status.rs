//! What each configured feed or page source is doing, for `/sources`, `briefbot sources`
//! and `briefbot check`: a [`SourceBoard`] shared between the sources' tasks (writers) and
//! the commands (readers).

use chrono::{DateTime, Utc};
use std::sync::{Arc, RwLock};

/// A source's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Not fetched yet.
    Waiting,
    /// The last fetch worked.
    Ok,
    /// The last fetch failed; it is retried with backoff.
    Failing,
    /// Stopped after repeated 404/410 (the reason is the last error).
    Disabled,
}

impl State {
    /// The name shown to users.
    pub fn name(self) -> &'static str {
        match self {
            State::Waiting => "waiting",
            State::Ok => "ok",
            State::Failing => "failing",
            State::Disabled => "disabled",
        }
    }

    /// The state a name stands for (as [`State::name`] gives it); `None` for another word.
    pub fn from_name(name: &str) -> Option<State> {
        [State::Waiting, State::Ok, State::Failing, State::Disabled]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// One source's status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SourceStatus {
    /// Its configured name.
    pub name: String,
    /// `rss`, `atom`, `json`, `page` (or `auto` before the first fetch).
    pub kind: String,
    /// Its URL.
    pub url: String,
    /// When it was last fetched.
    pub last_fetch: Option<DateTime<Utc>>,
    /// When it will be fetched next.
    pub next_fetch: Option<DateTime<Utc>>,
    /// Its state.
    pub state: State,
    /// The last error, if the last fetch failed (or why it is disabled).
    pub last_error: Option<String>,
    /// Briefs it provides now.
    pub items: usize,
    /// Items of the last fetch that gave no brief, with why (at most a few).
    pub skipped: Vec<String>,
}

impl SourceStatus {
    /// A source not fetched yet.
    pub fn waiting(name: &str, kind: &str, url: &str) -> SourceStatus {
        SourceStatus {
            name: name.to_owned(),
            kind: kind.to_owned(),
            url: url.to_owned(),
            last_fetch: None,
            next_fetch: None,
            state: State::Waiting,
            last_error: None,
            items: 0,
            skipped: Vec::new(),
        }
    }
}

impl SourceStatus {
    /// One line: "name (kind) · ok · 12 items · last fetch … · next fetch … · error: …".
    pub fn line(&self) -> String {
        let when = |t: Option<DateTime<Utc>>| {
            t.map_or("never".to_owned(), |t| {
                t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
            })
        };
        let mut parts = vec![
            format!("{} ({})", self.name, self.kind),
            self.state.name().to_owned(),
            format!(
                "{} item{}",
                self.items,
                if self.items == 1 { "" } else { "s" }
            ),
            format!("last fetch {}", when(self.last_fetch)),
        ];
        if self.state != State::Disabled {
            parts.push(format!(
                "next fetch {}",
                self.next_fetch
                    .map_or("at start".to_owned(), |t| when(Some(t)))
            ));
        }
        if let Some(e) = &self.last_error {
            parts.push(format!("error: {e}"));
        }
        parts.join(" · ")
    }
}

/// Every source's status, shared. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct SourceBoard(Arc<RwLock<Vec<SourceStatus>>>);

impl SourceBoard {
    /// A board listing these sources.
    pub fn new(statuses: Vec<SourceStatus>) -> SourceBoard {
        SourceBoard(Arc::new(RwLock::new(statuses)))
    }

    /// Every source's status, in config order.
    pub fn list(&self) -> Vec<SourceStatus> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The configured names.
    pub fn names(&self) -> Vec<String> {
        self.list().into_iter().map(|s| s.name).collect()
    }

    /// Replaces the status of the source with the same name.
    pub fn set(&self, status: SourceStatus) {
        let mut all = self.0.write().unwrap_or_else(|e| e.into_inner());
        match all.iter_mut().find(|s| s.name == status.name) {
            Some(s) => *s = status,
            None => all.push(status),
        }
    }
}
