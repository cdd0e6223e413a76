//! Options: how a command declares what it takes ([`OptionSpec`]), and the checked values an
//! invocation carries ([`Args`]). One declaration per option feeds Discord's registration,
//! the console parser, `/help` and the typed accessors, so they cannot drift apart. Both
//! adapters hand over raw `(name, value)` text pairs; [`Args::check`] validates them against
//! the command's options (names, types, choices, minimums, required ones). The console also
//! types whole lines such as `/brief query:mali section:next`, which [`split_line`] splits.

use super::{CommandDef, CommandError};

/// Type of an option's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// Free text.
    String,
    /// A whole number.
    Integer,
    /// A channel (Discord's channel picker; an id or `<#id>` mention in the console).
    Channel,
    /// `true` or `false`.
    Boolean,
}

/// One option of a command.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    /// Option name (lowercase).
    pub name: &'static str,
    /// What it does (1–100 characters).
    pub description: &'static str,
    /// Value type.
    pub kind: OptionKind,
    /// Whether it must be given.
    pub required: bool,
    /// Fixed choices, if any.
    pub choices: &'static [&'static str],
    /// Whether values are suggested as the user types.
    pub autocomplete: bool,
    /// Smallest integer accepted.
    pub min: Option<i64>,
}

impl OptionSpec {
    /// An optional free-text option.
    pub const fn text(name: &'static str, description: &'static str) -> OptionSpec {
        OptionSpec {
            name,
            description,
            kind: OptionKind::String,
            required: false,
            choices: &[],
            autocomplete: false,
            min: None,
        }
    }
}

/// A checked option value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Free text (trimmed, non-empty).
    Text(String),
    /// A whole number (≥ the option's minimum).
    Integer(i64),
    /// A channel id (never 0).
    Channel(u64),
    /// A flag.
    Boolean(bool),
}

/// The checked options of one invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    values: Vec<(&'static str, Value)>,
}

/// Longest piece of user input echoed back in an error.
const ECHO_MAX: usize = 80;

/// User input as an error may quote it: cut short, one line.
pub fn echo(input: &str) -> String {
    let one_line: String = input.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::text::fit::truncate(&one_line, ECHO_MAX)
}

impl Args {
    /// Checks raw `(name, value)` pairs against `def`'s options. Empty values count as not
    /// given.
    pub fn check(def: &CommandDef, raw: &[(String, String)]) -> Result<Args, CommandError> {
        let mut values: Vec<(&'static str, Value)> = Vec::new();
        for (name, value) in raw {
            let Some(o) = def.option(&name.to_lowercase()) else {
                return Err(CommandError::new(format!(
                    "Unknown option '{}' for /{}{}",
                    echo(name),
                    def.name,
                    option_list(def)
                )));
            };
            let v = value.trim();
            if v.is_empty() {
                continue;
            }
            if values.iter().any(|(n, _)| *n == o.name) {
                return Err(CommandError::new(format!(
                    "/{} takes {} once",
                    def.name, o.name
                )));
            }
            values.push((o.name, Self::value(def, o, v)?));
        }
        for o in def.options.iter().filter(|o| o.required) {
            if !values.iter().any(|(n, _)| *n == o.name) {
                return Err(CommandError::new(format!(
                    "/{0} needs {1}: e.g. /{0} {1}:…",
                    def.name, o.name
                )));
            }
        }
        Ok(Args { values })
    }

    fn value(def: &CommandDef, o: &OptionSpec, v: &str) -> Result<Value, CommandError> {
        if !o.choices.is_empty() && !o.choices.contains(&v.to_lowercase().as_str()) {
            return Err(CommandError::new(format!(
                "'{}' is not a valid {} for /{}: choose {}",
                echo(v),
                o.name,
                def.name,
                o.choices.join(", ")
            )));
        }
        Ok(match o.kind {
            OptionKind::String if o.choices.is_empty() => Value::Text(v.to_owned()),
            OptionKind::String => Value::Text(v.to_lowercase()),
            OptionKind::Integer => {
                let min = o.min.unwrap_or(i64::MIN);
                match v.parse::<i64>() {
                    Ok(n) if n >= min => Value::Integer(n),
                    _ => {
                        return Err(CommandError::new(format!(
                            "{} must be a whole number{}, not '{}'",
                            o.name,
                            o.min.map_or(String::new(), |m| format!(" from {m} up")),
                            echo(v)
                        )))
                    }
                }
            }
            OptionKind::Channel => {
                let id = v.trim_start_matches("<#").trim_end_matches('>');
                match id.parse::<u64>() {
                    Ok(n) if n > 0 => Value::Channel(n),
                    _ => {
                        return Err(CommandError::new(format!(
                            "'{}' is not a channel: pick one, or give its id.",
                            echo(v)
                        )))
                    }
                }
            }
            OptionKind::Boolean => match v.to_lowercase().as_str() {
                "true" | "yes" | "on" => Value::Boolean(true),
                "false" | "no" | "off" => Value::Boolean(false),
                _ => {
                    return Err(CommandError::new(format!(
                        "{} is true or false, not '{}'",
                        o.name,
                        echo(v)
                    )))
                }
            },
        })
    }

    fn get(&self, o: &OptionSpec) -> Option<&Value> {
        self.values
            .iter()
            .find(|(n, _)| *n == o.name)
            .map(|(_, v)| v)
    }

    /// The text of a string option, if given.
    pub fn text(&self, o: &OptionSpec) -> Option<&str> {
        match self.get(o) {
            Some(Value::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// The value of an integer option, if given.
    pub fn integer(&self, o: &OptionSpec) -> Option<i64> {
        match self.get(o) {
            Some(Value::Integer(n)) => Some(*n),
            _ => None,
        }
    }

    /// The channel of a channel option, if given.
    pub fn channel(&self, o: &OptionSpec) -> Option<u64> {
        match self.get(o) {
            Some(Value::Channel(c)) => Some(*c),
            _ => None,
        }
    }

    /// The value of a boolean option, if given.
    pub fn flag(&self, o: &OptionSpec) -> Option<bool> {
        match self.get(o) {
            Some(Value::Boolean(b)) => Some(*b),
            _ => None,
        }
    }
}

fn option_list(def: &CommandDef) -> String {
    if def.options.is_empty() {
        " (it takes no options)".to_owned()
    } else {
        let names: Vec<&str> = def.options.iter().map(|o| o.name).collect();
        format!(" (options: {})", names.join(", "))
    }
}

/// A command and its raw option pairs.
pub type Split = (&'static CommandDef, Vec<(String, String)>);

/// Splits a line like `/brief query:us mali section:next` into the command and its raw
/// option pairs. Text before the first `option:` goes to the command's first free-text
/// option (`query` or `question`). Values may be quoted.
pub fn split_line(line: &str) -> Result<Split, CommandError> {
    let line = line.trim();
    let Some(rest) = line.strip_prefix('/') else {
        return Err(CommandError::new("Commands start with '/': try /help"));
    };
    let (name, args) = match rest.find(char::is_whitespace) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let Some(def) = super::find(&name.to_lowercase()) else {
        return Err(CommandError::new(format!(
            "Unknown command /{}: try /help",
            echo(name)
        )));
    };
    let free = def
        .options
        .iter()
        .find(|o| o.kind == OptionKind::String && o.choices.is_empty());
    // A question is free text: only this command's own option names start an option there.
    let free_text = def.options.len() == 1 && free.is_some_and(|o| o.required);
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut marks: Vec<(usize, usize, &str)> = Vec::new(); // (token start, value start, name)
    let mut at_token_start = true;
    for (i, c) in args.char_indices() {
        if at_token_start {
            let token = &args[i..];
            let word_end = token
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(token.len());
            if word_end > 0 && token[word_end..].starts_with(':') {
                let word = &token[..word_end];
                if let Some(o) = def.option(&word.to_lowercase()) {
                    marks.push((i, i + word_end + 1, o.name));
                } else if !free_text && (marks.is_empty() && i == 0 || !marks.is_empty()) {
                    return Err(CommandError::new(format!(
                        "Unknown option '{}' for /{}{}",
                        echo(word),
                        def.name,
                        option_list(def)
                    )));
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
        match free {
            Some(o) => pairs.push((o.name.to_owned(), unquote(leading))),
            None => {
                return Err(CommandError::new(format!(
                    "/{} takes options as name:value{}",
                    def.name,
                    option_list(def)
                )))
            }
        }
    }
    for (k, &(_, value_start, opt)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map_or(args.len(), |m| m.0);
        pairs.push((opt.to_owned(), unquote(args[value_start..end].trim())));
    }
    Ok((def, pairs))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Result<(&'static str, Args), CommandError> {
        let (def, raw) = split_line(s)?;
        Ok((def.name, Args::check(def, &raw)?))
    }

    #[test]
    fn options_with_spaces_and_positional_text() {
        let (name, args) = line("/brief query:us mali section:next detail:full").unwrap();
        assert_eq!(name, "brief");
        assert_eq!(args.text(&super::super::brief::QUERY), Some("us mali"));
        assert_eq!(args.text(&super::super::brief::SECTION), Some("next"));
        let (_, args) = line("/brief grid storage").unwrap();
        assert_eq!(args.text(&super::super::brief::QUERY), Some("grid storage"));
        let (_, args) = line("/ask why does it matter: really?").unwrap();
        assert_eq!(
            args.text(&super::super::ask::QUESTION),
            Some("why does it matter: really?")
        );
        let (_, args) = line("/briefs page:2").unwrap();
        assert_eq!(args.integer(&super::super::briefs::PAGE), Some(2));
        assert_eq!(line("/HELP").unwrap().0, "help");
    }

    #[test]
    fn bad_input_says_what_to_do() {
        let msg = |s: &str| line(s).unwrap_err().to_string();
        assert!(msg("brief").contains("/help"));
        assert!(msg("/nope").contains("Unknown command /nope"));
        assert!(msg("/brief sektion:next").contains("options: query, section, detail"));
        assert!(msg("/brief section:later").contains("happening, importance, next, all"));
        assert!(msg("/briefs page:0").contains("page must be"));
        assert!(msg("/ask").contains("needs question"));
        assert!(line("/help me").is_err());
        assert!(msg("/subscribe channel:0").contains("not a channel"));
        let long = format!("/brief section:{}", "x".repeat(3000));
        assert!(
            msg(&long).chars().count() < 300,
            "user input is echoed cut short"
        );
    }
}
