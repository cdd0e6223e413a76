//! The command catalogue: names, descriptions and options of every command. It is the single
//! source for the console's parser and help and for Discord's slash-command registration.

/// Type of an option's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// Free text.
    String,
    /// A whole number.
    Integer,
    /// A channel (Discord channel picker; a channel id in the console).
    Channel,
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

/// One command.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Command name, without the slash.
    pub name: &'static str,
    /// What it does (1–100 characters).
    pub description: &'static str,
    /// Its options, required ones first.
    pub options: &'static [OptionSpec],
    /// Whether it needs the Manage Channels permission.
    pub manage_channels: bool,
}

impl CommandSpec {
    /// The option with this name.
    pub fn option(&self, name: &str) -> Option<&OptionSpec> {
        self.options.iter().find(|o| o.name == name)
    }
}

const fn text(name: &'static str, description: &'static str) -> OptionSpec {
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

const QUERY: OptionSpec = OptionSpec {
    autocomplete: true,
    ..text(
        "query",
        "Words from the title, topics or text (default: the newest brief)",
    )
};
const SECTION: OptionSpec = OptionSpec {
    choices: &["happening", "importance", "next", "all"],
    ..text("section", "Which section to show (default: all)")
};
const DETAIL: OptionSpec = OptionSpec {
    choices: &["short", "full"],
    ..text("detail", "Short answer or the full text (default: short)")
};
const QUESTION: OptionSpec = OptionSpec {
    required: true,
    ..text(
        "question",
        "Your question, e.g. why does the chip rule matter?",
    )
};
const PAGE: OptionSpec = OptionSpec {
    kind: OptionKind::Integer,
    min: Some(1),
    ..text("page", "Page number (10 briefs per page)")
};
const LIST_QUERY: OptionSpec = text("query", "Only briefs matching these words");
const CHANNEL: OptionSpec = OptionSpec {
    kind: OptionKind::Channel,
    ..text("channel", "Channel to configure (default: this one)")
};
const TOPICS: OptionSpec = text(
    "topics",
    "Comma-separated topics to follow (default: all briefs)",
);
const MODE: OptionSpec = OptionSpec {
    choices: &["instant", "daily"],
    ..text(
        "mode",
        "Post each brief at once, or one daily digest (default: instant)",
    )
};
const AT: OptionSpec = text("at", "Digest time HH:MM for daily mode (bot's time zone)");

/// Every command, in the order `/help` lists them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "brief",
        description: "Show a brief: what's happening, why it matters, what's next",
        options: &[QUERY, SECTION, DETAIL],
        manage_channels: false,
    },
    CommandSpec {
        name: "happening",
        description: "What's happening: the news itself",
        options: &[QUERY],
        manage_channels: false,
    },
    CommandSpec {
        name: "importance",
        description: "Why it's important: the stakes and the big picture",
        options: &[QUERY],
        manage_channels: false,
    },
    CommandSpec {
        name: "next",
        description: "What's next: what to watch",
        options: &[QUERY],
        manage_channels: false,
    },
    CommandSpec {
        name: "ask",
        description: "Ask a question; the best brief and section answer it",
        options: &[QUESTION],
        manage_channels: false,
    },
    CommandSpec {
        name: "briefs",
        description: "List briefs, newest first, with a one-line summary",
        options: &[LIST_QUERY, PAGE],
        manage_channels: false,
    },
    CommandSpec {
        name: "subscribe",
        description: "Post new briefs in a channel, optionally filtered by topic",
        options: &[CHANNEL, TOPICS, MODE, AT],
        manage_channels: true,
    },
    CommandSpec {
        name: "unsubscribe",
        description: "Stop posting new briefs in a channel",
        options: &[CHANNEL],
        manage_channels: true,
    },
    CommandSpec {
        name: "subscriptions",
        description: "List this server's subscribed channels",
        options: &[],
        manage_channels: false,
    },
    CommandSpec {
        name: "help",
        description: "How to use briefbot",
        options: &[],
        manage_channels: false,
    },
];

/// The command with this name.
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_descriptions_fit_discord_rules() {
        for c in COMMANDS {
            assert!(c.name.len() <= 32 && c.name.chars().all(|ch| ch.is_ascii_lowercase()));
            assert!(
                (1..=100).contains(&c.description.chars().count()),
                "{}",
                c.name
            );
            assert!(c.options.len() <= 25);
            let mut seen_optional = false;
            for o in c.options {
                assert!(
                    (1..=100).contains(&o.description.chars().count()),
                    "{}",
                    o.name
                );
                assert!(
                    !(o.required && seen_optional),
                    "required options come first"
                );
                seen_optional |= !o.required;
            }
        }
    }
}
