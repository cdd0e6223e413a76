//! Discord's message layout and limits: how a [`Reply`] maps onto one embed (a field per
//! section, long sections over several fields, a field per listed brief) and how it is cut
//! to fit. Lengths count UTF-16 code units, as Discord's API does ([`fit::len`]). The core's
//! replies know nothing of these limits; everything Discord-sized happens here.

use crate::reply::Reply;
use crate::text::fit;

/// Embed title.
pub const TITLE: usize = 256;
/// Embed description.
pub const DESCRIPTION: usize = 4096;
/// Embed field name.
pub const FIELD_NAME: usize = 256;
/// Embed field value.
pub const FIELD_VALUE: usize = 1024;
/// Fields per embed.
pub const FIELDS: usize = 25;
/// Embed footer text.
pub const FOOTER: usize = 2048;
/// All embeds of one message together.
pub const MESSAGE_TOTAL: usize = 6000;
/// Message content.
pub const CONTENT: usize = 2000;
/// Autocomplete choice name.
pub const CHOICE_NAME: usize = 100;
/// Autocomplete choice value.
pub const CHOICE_VALUE: usize = 100;

/// What a listed brief's field adds beyond its title and TL;DR (id, date, link markup).
const ITEM_OVERHEAD: usize = 40;

/// The embed field name for piece `i` of a section.
pub fn field_name(heading: &str, i: usize) -> String {
    if i == 0 {
        heading.to_owned()
    } else {
        format!("{heading} (cont.)")
    }
}

/// Size of a reply rendered as one embed: (characters in all, fields).
pub fn size(reply: &Reply) -> (usize, usize) {
    let mut total = reply.title.as_deref().map_or(0, fit::len)
        + reply.footer.as_deref().map_or(0, fit::len)
        + reply.message.as_deref().map_or(0, fit::len);
    let mut fields = 0;
    for s in &reply.sections {
        for (i, piece) in fit::split(&s.text, FIELD_VALUE).iter().enumerate() {
            total += fit::len(&field_name(&s.heading, i)) + fit::len(piece);
            fields += 1;
        }
    }
    for item in &reply.items {
        total += fit::len(&item.title) + fit::len(&item.tldr) + ITEM_OVERHEAD;
        fields += 1;
    }
    (total, fields)
}

/// Cuts the reply until it fits one Discord message: title ≤ 256, footer ≤ 2048, message
/// ≤ 4096, ≤ 25 fields and ≤ 6000 characters in all. The longest section is shortened
/// first, at a sentence or word boundary with "…", and a note says so.
pub fn fit(mut reply: Reply) -> Reply {
    if let Some(t) = &mut reply.title {
        *t = fit::truncate(t, TITLE);
    }
    if let Some(f) = &mut reply.footer {
        *f = fit::truncate(f, FOOTER);
    }
    if let Some(m) = &mut reply.message {
        *m = fit::truncate(m, DESCRIPTION - 200);
    }
    for s in &mut reply.sections {
        s.heading = fit::truncate(&s.heading, FIELD_NAME - 10);
    }
    for item in &mut reply.items {
        item.title = fit::truncate(&item.title, FIELD_NAME);
    }
    let mut shortened = false;
    // Each round shrinks the longest section; bounded by the number of sections × a few.
    for _ in 0..64 {
        let (total, fields) = size(&reply);
        let over = total.saturating_sub(MESSAGE_TOTAL - 100);
        if over == 0 && fields <= FIELDS {
            break;
        }
        let Some(longest) = reply.sections.iter_mut().max_by_key(|s| fit::len(&s.text)) else {
            // A listing: shorten the longest TL;DR instead.
            let Some(item) = reply.items.iter_mut().max_by_key(|i| fit::len(&i.tldr)) else {
                break;
            };
            let current = fit::len(&item.tldr);
            let target = current.saturating_sub(over + 50).max(40);
            if target >= current {
                break;
            }
            item.tldr = fit::truncate(&item.tldr, target);
            continue;
        };
        let current = fit::len(&longest.text);
        let by_fields = if fields > FIELDS {
            current.saturating_sub((fields - FIELDS) * FIELD_VALUE)
        } else {
            current
        };
        let target = current.saturating_sub(over + 50).min(by_fields).max(100);
        if target >= current {
            break;
        }
        longest.text = fit::truncate(&longest.text, target);
        shortened = true;
    }
    if shortened {
        let note = "Shortened to fit one Discord message: ask for one section to read it in full.";
        reply.message = Some(match reply.message.take() {
            Some(m) => format!("{m}\n{note}"),
            None => note.to_owned(),
        });
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::{ReplySection, SectionTag};

    #[test]
    fn fit_shortens_a_huge_reply_under_discord_limits() {
        let long = "This sentence is about forty characters. ".repeat(400);
        let mut r = Reply::answer();
        r.title = Some("T".repeat(300));
        for tag in [
            SectionTag::Happening,
            SectionTag::Importance,
            SectionTag::Next,
        ] {
            r.sections.push(ReplySection {
                section: tag,
                heading: "Heading".into(),
                text: long.clone(),
            });
        }
        let r = fit(r);
        let (total, fields) = size(&r);
        assert!(total <= MESSAGE_TOTAL, "{total}");
        assert!(fields <= FIELDS, "{fields}");
        assert!(fit::len(r.title.as_ref().unwrap()) <= TITLE);
        assert!(r.sections.iter().all(|s| s.text.ends_with('…')));
        assert!(r.message.as_deref().unwrap().contains("Shortened"));
    }
}
