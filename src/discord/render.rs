//! Reply → Discord message: one embed (title linking the source, a field per section — long
//! sections over several fields —, footer, colour) and a row of view buttons; errors as
//! ephemeral text. Button custom ids carry the brief id and the view. Replies are fitted to
//! Discord's limits by [`layout::fit`] on the way. Brief text is third-party text: no message
//! may mention anyone ([`no_mentions`]), and only http(s) links are linked.

use super::layout::{self, field_name};
use crate::reply::{Reply, ReplyKind, View};
use crate::text::fit;
use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateEmbedFooter, CreateInteractionResponseMessage,
};

/// Embed colour of answers (a calm blue).
pub const ANSWER_COLOUR: u32 = 0x2b6cb0;

/// Prefix of the custom id of view buttons: `brief:<view>:<brief id>`.
pub const BUTTON_PREFIX: &str = "brief:";

/// The custom id of a view button.
pub fn button_id(brief_id: &str, view: View) -> String {
    format!("{BUTTON_PREFIX}{}:{brief_id}", view.code())
}

/// Parses a view button's custom id into (brief id, view).
pub fn parse_button_id(custom_id: &str) -> Option<(&str, View)> {
    let rest = custom_id.strip_prefix(BUTTON_PREFIX)?;
    let (code, id) = rest.split_once(':')?;
    Some((id, View::from_code(code)?))
}

/// Mentions allowed in the bot's messages: none, whatever the text says.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

/// `url` if it is a plain http(s) URL that can stand in a markdown link.
pub fn web_link(url: &str) -> Option<&str> {
    let url = url.trim();
    let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
    let clean = !url.contains(|c: char| c.is_whitespace() || c.is_control() || "()<>".contains(c));
    (scheme_ok && clean && url.len() <= 2048).then_some(url)
}

/// The embed of an answer, fitted to Discord's limits.
pub fn embed(reply: &Reply) -> CreateEmbed {
    let reply = layout::fit(reply.clone());
    let mut e = CreateEmbed::new().colour(ANSWER_COLOUR);
    if let Some(title) = &reply.title {
        e = e.title(fit::truncate(title, layout::TITLE));
    }
    if let Some(url) = reply.source.as_deref().and_then(web_link) {
        e = e.url(url);
    }
    if let Some(message) = &reply.message {
        e = e.description(fit::truncate(message, layout::DESCRIPTION));
    }
    for s in &reply.sections {
        for (i, piece) in fit::split(&s.text, layout::FIELD_VALUE)
            .into_iter()
            .enumerate()
        {
            e = e.field(
                fit::truncate(&field_name(&s.heading, i), layout::FIELD_NAME),
                piece,
                false,
            );
        }
    }
    for item in &reply.items {
        let mut value = item.tldr.clone();
        let mut meta = format!("`{}`", item.id);
        if let Some(date) = &item.published {
            meta.push_str(&format!(" · {date}"));
        }
        if let Some(src) = item.source.as_deref().and_then(web_link) {
            meta.push_str(&format!(" · [source]({src})"));
        }
        value = fit::truncate(&format!("{value}\n{meta}"), layout::FIELD_VALUE);
        e = e.field(fit::truncate(&item.title, layout::FIELD_NAME), value, false);
    }
    if let Some(footer) = &reply.footer {
        e = e.footer(CreateEmbedFooter::new(fit::truncate(
            footer,
            layout::FOOTER,
        )));
    }
    e
}

/// The view buttons of a brief reply: one per covered section, plus Full.
pub fn buttons(reply: &Reply) -> Vec<CreateActionRow> {
    let (Some(id), Some(current)) = (&reply.brief_id, reply.view) else {
        return Vec::new();
    };
    let mut row = Vec::new();
    for kind in &reply.covered {
        let view = View {
            section: Some(*kind),
            detail: crate::summarize::Detail::Short,
        };
        row.push(button(id, view, label(*kind), view == current));
    }
    let full = View {
        section: None,
        detail: crate::summarize::Detail::Full,
    };
    row.push(button(id, full, "Full", full == current));
    let mut rows = vec![CreateActionRow::Buttons(row)];
    // The brief offered beside it (`/ask`'s runner-up): a click shows that one instead.
    if let Some(other) = &reply.also {
        let all = View {
            section: None,
            detail: crate::summarize::Detail::Short,
        };
        let custom_id = button_id(&other.id, all);
        if custom_id.chars().count() <= CUSTOM_ID_MAX {
            let label = fit::truncate(&format!("Also: {}", other.title), BUTTON_LABEL_MAX);
            rows.push(CreateActionRow::Buttons(vec![CreateButton::new(custom_id)
                .label(label)
                .style(ButtonStyle::Secondary)]));
        }
    }
    rows
}

/// Longest custom id of a component (Discord's limit).
const CUSTOM_ID_MAX: usize = 100;

/// Longest button label (Discord's limit).
const BUTTON_LABEL_MAX: usize = 80;

fn label(kind: crate::brief::SectionKind) -> &'static str {
    match kind {
        crate::brief::SectionKind::Happening => "Happening",
        crate::brief::SectionKind::Importance => "Importance",
        crate::brief::SectionKind::Next => "Next",
    }
}

fn button(id: &str, view: View, label: &str, current: bool) -> CreateButton {
    CreateButton::new(button_id(id, view))
        .label(label)
        .style(if current {
            ButtonStyle::Primary
        } else {
            ButtonStyle::Secondary
        })
}

/// The text of an error reply, within a message's content limit.
pub fn error_text(reply: &Reply) -> String {
    let text = reply.message.as_deref().unwrap_or("Something went wrong.");
    fit::truncate(text, layout::CONTENT)
}

/// The whole interaction message of a reply. Errors are ephemeral text.
pub fn message(reply: &Reply) -> CreateInteractionResponseMessage {
    let m = CreateInteractionResponseMessage::new().allowed_mentions(no_mentions());
    if reply.kind == ReplyKind::Error {
        return m.content(error_text(reply)).ephemeral(true);
    }
    m.embed(embed(reply)).components(buttons(reply))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summarize::Detail;

    #[test]
    fn button_ids_round_trip_and_fit() {
        let view = View {
            section: Some(crate::brief::SectionKind::Importance),
            detail: Detail::Full,
        };
        let id = "a".repeat(64);
        let custom = button_id(&id, view);
        assert!(custom.len() <= 100);
        assert_eq!(parse_button_id(&custom), Some((id.as_str(), view)));
        assert_eq!(parse_button_id("other:x"), None);
    }

    #[test]
    fn only_web_links_are_linked() {
        assert_eq!(
            web_link("https://example.org/a"),
            Some("https://example.org/a")
        );
        assert_eq!(web_link("javascript:alert(1)"), None);
        assert_eq!(web_link("https://x.org/a) [evil](https://y"), None);
        assert_eq!(web_link("file:///etc/passwd"), None);
    }
}
