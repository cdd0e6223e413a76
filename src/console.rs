//! The console adapter: renders replies as plain text, for the interactive `briefbot console`
//! and the one-shot `briefbot ask`. It shows what the Discord adapter would show.

use crate::reply::{Reply, ReplyKind};
use std::fmt::Write as _;

/// A reply as terminal text.
pub fn render(reply: &Reply) -> String {
    let mut out = String::new();
    if reply.kind == ReplyKind::Error {
        let _ = writeln!(
            out,
            "error: {}",
            reply.message.as_deref().unwrap_or("something went wrong")
        );
        return out;
    }
    if let Some(title) = &reply.title {
        let _ = writeln!(out, "━━ {title} ━━");
    }
    if let Some(source) = &reply.source {
        let _ = writeln!(out, "{source}");
    }
    if let Some(message) = &reply.message {
        let _ = writeln!(out, "{message}");
    }
    for s in &reply.sections {
        let _ = writeln!(out, "\n▸ {}", s.heading);
        for para in s.text.split("\n\n") {
            let _ = writeln!(out, "{}", wrap(para, 88, "  "));
        }
    }
    for (i, item) in reply.items.iter().enumerate() {
        let n = reply
            .page
            .map_or(0, |p| (p.number - 1) * crate::core::PAGE_SIZE)
            + i
            + 1;
        let date = item.published.as_deref().unwrap_or("undated");
        let _ = writeln!(out, "\n{n:>3}. {} [{}] ({date})", item.title, item.id);
        let _ = writeln!(out, "{}", wrap(&item.tldr, 88, "     "));
    }
    if let Some(footer) = &reply.footer {
        let _ = writeln!(out, "\n— {footer}");
    }
    if reply.view.is_some() && reply.covered.len() > 1 {
        let _ = writeln!(out, "  (buttons: Happening · Importance · Next · Full)");
    }
    if let Some(other) = &reply.also {
        let _ = writeln!(
            out,
            "  (button: Also: {} · /brief query:{})",
            other.title, other.id
        );
    }
    out
}

/// Greedy word wrap with an indent.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty()
            && indent.len() + line.chars().count() + 1 + word.chars().count() > width
        {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = write!(out, "{indent}{line}");
    }
    out.trim_end_matches('\n').to_owned()
}
