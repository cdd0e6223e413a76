//! Where a key is in the config text: the dotted key path of a value check or of a serde
//! error's byte offset, and its 1-based line and column, from the spans toml records for
//! every key and value ([`toml::Spanned`] in [`DeTable`]); nothing scans the text by hand.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// One step of a key path: a key, or an index in an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// `subscriptions[1].at`.
pub(super) fn dotted(path: &[Seg<'_>]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The config text and its spanned document (`None` when the text is not valid TOML).
pub(super) struct Located<'a> {
    pub(super) text: &'a str,
    pub(super) doc: Option<&'a DeTable<'a>>,
}

impl Located<'_> {
    /// 1-based line and column of the key at `path` (of the element, for an index into an
    /// array of values), from the spans toml records for every key and value. For a dotted key (`summary.sentences = 0`) that is where the dotted
    /// key starts; for a quoted key, where its name starts.
    pub(super) fn position(&self, path: &[Seg<'_>]) -> Option<(usize, usize)> {
        let mut table = self.doc?;
        let mut value: Option<&Spanned<DeValue<'_>>> = None;
        // Where each key of the path starts.
        let mut keys: Vec<usize> = Vec::new();
        let mut element = None;
        for seg in path {
            let next = match *seg {
                Seg::Key(name) => {
                    let (k, v) = table.iter().find(|(k, _)| k.get_ref() == name)?;
                    keys.push(k.span().start);
                    v
                }
                Seg::Index(i) => {
                    let e = value?.get_ref().as_array()?.get(i)?;
                    element = (!e.get_ref().is_table()).then_some(e.span().start);
                    e
                }
            };
            if let DeValue::Table(t) = next.get_ref() {
                table = t;
            }
            value = Some(next);
        }
        if let (Some(start), Some(Seg::Index(_))) = (element, path.last()) {
            return Some(line_col(self.text, start));
        }
        let leaf = *keys.last()?;
        let line = line_col(self.text, leaf).0;
        let start = keys
            .into_iter()
            .find(|&s| line_col(self.text, s).0 == line)
            .unwrap_or(leaf);
        let quoted = matches!(self.text.as_bytes().get(start), Some(b'"' | b'\''));
        Some(line_col(self.text, start + usize::from(quoted)))
    }
}

/// The deepest key path whose key or value span contains `offset` (where a serde error
/// points), with array indexes.
pub(super) fn key_containing<'a>(
    table: &'a DeTable<'a>,
    offset: usize,
    path: &mut Vec<Seg<'a>>,
) -> Option<Vec<Seg<'a>>> {
    let mut best: Option<Vec<Seg<'a>>> = None;
    for (k, v) in table.iter() {
        path.push(Seg::Key(k.get_ref()));
        let found = value_containing(v, offset, path).or_else(|| {
            (k.span().contains(&offset) || v.span().contains(&offset)).then(|| path.clone())
        });
        path.pop();
        if let Some(f) = found {
            if best.as_ref().is_none_or(|b| f.len() > b.len()) {
                best = Some(f);
            }
        }
    }
    best
}

/// [`key_containing`] below a value (tables and arrays).
fn value_containing<'a>(
    v: &'a Spanned<DeValue<'a>>,
    offset: usize,
    path: &mut Vec<Seg<'a>>,
) -> Option<Vec<Seg<'a>>> {
    match v.get_ref() {
        DeValue::Table(t) => key_containing(t, offset, path),
        DeValue::Array(a) => a.iter().enumerate().find_map(|(i, e)| {
            path.push(Seg::Index(i));
            let found = value_containing(e, offset, path)
                .or_else(|| e.span().contains(&offset).then(|| path.clone()));
            path.pop();
            found
        }),
        _ => None,
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.chars().count(), |i| before[i + 1..].chars().count())
        + 1;
    (line, col)
}
