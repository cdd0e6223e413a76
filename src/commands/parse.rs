//! Typed commands from raw input. Both adapters produce a command name and `(option, value)`
//! pairs; [`build`] checks them against the catalogue. The console also types whole lines
//! such as `/brief query:mali section:next`, which [`parse_line`] splits.

use super::spec::{self, CommandSpec, OptionKind};
use super::Command;
use crate::brief::SectionKind;
use crate::summarize::Detail;

/// A command that cannot be run as typed; the message says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CommandError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, CommandError> {
    Err(CommandError(msg.into()))
}

/// Splits a line like `/brief query:us mali section:next` into the command name and option
/// pairs. Text before the first `option:` goes to the command's first text option (`query`
/// or `question`). Values may be quoted.
pub fn parse_line(line: &str) -> Result<(String, Vec<(String, String)>), CommandError> {
    let line = line.trim();
    let Some(rest) = line.strip_prefix('/') else {
        return err("Commands start with '/': try /help");
    };
    let (name, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let name = name.to_lowercase();
    let Some(spec) = spec::find(&name) else {
        return err(format!("Unknown command /{name}: try /help"));
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    // Positions of `option:` tokens for this command's options.
    let mut marks: Vec<(usize, usize, &str)> = Vec::new(); // (token start, value start, name)
    let free_text = name == "ask";
    let mut at_token_start = true;
    for (i, c) in args.char_indices() {
        if at_token_start {
            let token = &args[i..];
            let word_end = token
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(token.len());
            if word_end > 0 && token[word_end..].starts_with(':') {
                let word = &token[..word_end];
                if let Some(o) = spec.option(&word.to_lowercase()) {
                    marks.push((i, i + word_end + 1, o.name));
                } else if !free_text && (marks.is_empty() && i == 0 || !marks.is_empty()) {
                    return err(format!(
                        "Unknown option '{word}' for /{name}{}",
                        option_list(spec)
                    ));
                }
            }
        }
        at_token_start = c.is_whitespace();
    }
    let leading = match marks.first() {
        Some(&(start, _, _)) => args[..start].trim(),
        None => args,
    };
    if !leading.is_empty() {
        match spec
            .options
            .iter()
            .find(|o| o.kind == OptionKind::String && o.choices.is_empty())
        {
            Some(o) => pairs.push((o.name.to_owned(), unquote(leading))),
            None => {
                return err(format!(
                    "/{name} takes options as name:value{}",
                    option_list(spec)
                ))
            }
        }
    }
    for (k, &(_, value_start, opt)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map_or(args.len(), |m| m.0);
        pairs.push((opt.to_owned(), unquote(args[value_start..end].trim())));
    }
    Ok((name, pairs))
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_owned();
        }
    }
    v.to_owned()
}

fn option_list(spec: &CommandSpec) -> String {
    if spec.options.is_empty() {
        " (it takes no options)".to_owned()
    } else {
        let names: Vec<&str> = spec.options.iter().map(|o| o.name).collect();
        format!(" (options: {})", names.join(", "))
    }
}

/// Builds a typed [`Command`] from a name and option pairs, checking every value.
pub fn build(name: &str, options: &[(String, String)]) -> Result<Command, CommandError> {
    let Some(spec) = spec::find(name) else {
        return err(format!("Unknown command /{name}: try /help"));
    };
    for (k, v) in options {
        let Some(o) = spec.option(k) else {
            return err(format!(
                "Unknown option '{k}' for /{name}{}",
                option_list(spec)
            ));
        };
        if !o.choices.is_empty() && !o.choices.contains(&v.trim().to_lowercase().as_str()) {
            return err(format!(
                "'{v}' is not a valid {k} for /{name}: choose {}",
                o.choices.join(", ")
            ));
        }
    }
    let get = |k: &str| {
        options
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    for o in spec.options.iter().filter(|o| o.required) {
        if get(o.name).is_none() {
            return err(format!("/{name} needs {0}: e.g. /{name} {0}:…", o.name));
        }
    }
    let query = get("query");
    Ok(match name {
        "brief" => Command::Brief {
            query,
            section: match get("section").as_deref() {
                None | Some("all") => None,
                Some(s) => SectionKind::from_name(s),
            },
            detail: get("detail")
                .and_then(|d| Detail::from_name(&d))
                .unwrap_or_default(),
        },
        "happening" | "importance" | "next" => Command::Brief {
            query,
            section: SectionKind::from_name(name),
            detail: Detail::Short,
        },
        "ask" => Command::Ask {
            question: get("question").unwrap_or_default(),
        },
        "briefs" => Command::Briefs {
            query,
            page: match get("page") {
                None => 1,
                Some(p) => match p.parse::<usize>() {
                    Ok(n) if n >= 1 => n,
                    _ => return err(format!("page must be a whole number from 1 up, not '{p}'")),
                },
            },
        },
        "subscribe" => Command::Subscribe {
            channel: get("channel"),
            topics: get("topics"),
            mode: get("mode"),
            at: get("at"),
        },
        "unsubscribe" => Command::Unsubscribe {
            channel: get("channel"),
        },
        "subscriptions" => Command::Subscriptions,
        "help" => Command::Help,
        other => return err(format!("Unknown command /{other}: try /help")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Result<Command, CommandError> {
        let (n, o) = parse_line(s)?;
        build(&n, &o)
    }

    #[test]
    fn options_with_spaces_and_positional_query() {
        assert_eq!(
            line("/brief query:us mali section:next detail:full").unwrap(),
            Command::Brief {
                query: Some("us mali".into()),
                section: Some(SectionKind::Next),
                detail: Detail::Full
            }
        );
        assert_eq!(
            line("/brief grid storage").unwrap(),
            Command::Brief {
                query: Some("grid storage".into()),
                section: None,
                detail: Detail::Short
            }
        );
        assert_eq!(
            line("/ask why does it matter: really?").unwrap(),
            Command::Ask {
                question: "why does it matter: really?".into()
            }
        );
        assert_eq!(
            line("/briefs page:2").unwrap(),
            Command::Briefs {
                query: None,
                page: 2
            }
        );
        assert_eq!(line("/HELP").unwrap(), Command::Help);
    }

    #[test]
    fn bad_input_says_what_to_do() {
        assert!(line("brief").unwrap_err().0.contains("/help"));
        assert!(line("/nope")
            .unwrap_err()
            .0
            .contains("Unknown command /nope"));
        assert!(line("/brief sektion:next")
            .unwrap_err()
            .0
            .contains("options: query, section, detail"));
        assert!(line("/brief section:later")
            .unwrap_err()
            .0
            .contains("happening, importance, next, all"));
        assert!(line("/briefs page:0")
            .unwrap_err()
            .0
            .contains("page must be"));
        assert!(line("/ask").unwrap_err().0.contains("needs question"));
        assert!(line("/help me").is_err());
    }
}
