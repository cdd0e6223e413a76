//! The platform-neutral reply every command returns. Adapters render it: the console as
//! text, Discord as an embed with buttons (sized to Discord's limits by `discord::layout`).

use crate::brief::SectionKind;
use crate::summarize::Detail;
use serde::Serialize;

/// Answer or error. Errors are shown only to the person who asked (ephemeral).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplyKind {
    /// A normal answer.
    Answer,
    /// A problem with the request, with the way out.
    Error,
}

/// Which part of a brief a reply section shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionTag {
    /// What's happening.
    Happening,
    /// Why it's important.
    Importance,
    /// What's next.
    Next,
    /// Any other headed section.
    Extra,
}

impl From<SectionKind> for SectionTag {
    fn from(k: SectionKind) -> Self {
        match k {
            SectionKind::Happening => SectionTag::Happening,
            SectionKind::Importance => SectionTag::Importance,
            SectionKind::Next => SectionTag::Next,
        }
    }
}

/// One section of a reply: its heading and the text shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplySection {
    /// Which section this is.
    pub section: SectionTag,
    /// Heading as the brief wrote it.
    pub heading: String,
    /// The text shown (short or full).
    pub text: String,
}

/// One line of a brief listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListItem {
    /// Brief id.
    pub id: String,
    /// Title.
    pub title: String,
    /// One-sentence summary.
    pub tldr: String,
    /// Publication date (YYYY-MM-DD), if known.
    pub published: Option<String>,
    /// Link to the source.
    pub source: Option<String>,
}

/// Page position of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Page {
    /// 1-based page shown.
    pub number: usize,
    /// Number of pages.
    pub total: usize,
}

/// What a brief reply shows, so that buttons can re-render the same brief another way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    /// One section, or all (`None`).
    pub section: Option<SectionKind>,
    /// Short or full.
    pub detail: Detail,
}

impl View {
    /// A compact name for custom ids: `all`, `full`, `happening`, `happening-full`, ….
    pub fn code(self) -> String {
        match (self.section, self.detail) {
            (None, Detail::Short) => "all".into(),
            (None, Detail::Full) => "full".into(),
            (Some(k), Detail::Short) => k.name().into(),
            (Some(k), Detail::Full) => format!("{}-full", k.name()),
        }
    }

    /// Inverse of [`View::code`].
    pub fn from_code(code: &str) -> Option<View> {
        let (name, detail) = match code.strip_suffix("-full") {
            Some(n) => (n, Detail::Full),
            None => (code, Detail::Short),
        };
        match name {
            "all" => Some(View {
                section: None,
                detail,
            }),
            "full" if detail == Detail::Short => Some(View {
                section: None,
                detail: Detail::Full,
            }),
            n => SectionKind::from_name(n)
                .filter(|k| k.name() == n)
                .map(|k| View {
                    section: Some(k),
                    detail,
                }),
        }
    }
}

/// A command's answer, independent of any chat platform.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    /// Answer or error.
    pub kind: ReplyKind,
    /// The brief shown, if any.
    pub brief_id: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its source link.
    pub source: Option<String>,
    /// Sections shown, in order.
    pub sections: Vec<ReplySection>,
    /// Published date and topics.
    pub footer: Option<String>,
    /// Free text: the error and its way out, a note, help text.
    pub message: Option<String>,
    /// Listed briefs (for `/briefs`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ListItem>,
    /// Page of a listing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<Page>,
    /// How the brief is shown (drives buttons); `None` for non-brief replies.
    #[serde(skip)]
    pub view: Option<View>,
    /// Sections the brief covers (which buttons make sense).
    #[serde(skip)]
    pub covered: Vec<SectionKind>,
    /// Also post this reply as a message in that channel (`/preview`); the adapter tells the
    /// invoker whether it went out. `None` for every other reply.
    #[serde(skip)]
    pub post_to: Option<u64>,
    /// Another brief offered beside the one shown (`/ask`'s runner-up): a button shows it.
    #[serde(skip)]
    pub also: Option<Offer>,
}

/// A brief offered beside the one shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

impl Reply {
    /// An empty answer.
    pub fn answer() -> Reply {
        Reply {
            kind: ReplyKind::Answer,
            brief_id: None,
            title: None,
            source: None,
            sections: Vec::new(),
            footer: None,
            message: None,
            items: Vec::new(),
            page: None,
            view: None,
            covered: Vec::new(),
            post_to: None,
            also: None,
        }
    }

    /// An error with its explanation and way out.
    pub fn error(message: impl Into<String>) -> Reply {
        Reply {
            kind: ReplyKind::Error,
            message: Some(message.into()),
            ..Reply::answer()
        }
    }

    /// A plain text answer.
    pub fn text(message: impl Into<String>) -> Reply {
        Reply {
            message: Some(message.into()),
            ..Reply::answer()
        }
    }

    /// Whether only the asker should see it.
    pub fn is_ephemeral(&self) -> bool {
        self.kind == ReplyKind::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_codes_round_trip() {
        for section in [
            None,
            Some(SectionKind::Happening),
            Some(SectionKind::Importance),
            Some(SectionKind::Next),
        ] {
            for detail in [Detail::Short, Detail::Full] {
                let v = View { section, detail };
                assert_eq!(View::from_code(&v.code()), Some(v), "{}", v.code());
            }
        }
        assert_eq!(View::from_code("bogus"), None);
        assert_eq!(View::from_code("why"), None);
    }
}
