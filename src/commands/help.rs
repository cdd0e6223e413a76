//! `/help`: every command with its options, from the same declarations that register them.

use super::{Args, CommandDef, Ctx, Permission, Run, COMMANDS};
use crate::reply::Reply;

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "help",
    description: "How to use briefbot",
    options: &[],
    permission: Permission::Everyone,
    guild_only: false,
    run: Run::Now(run),
};

fn run(_: &Ctx<'_>, _: &Args) -> Reply {
    let mut text = String::from("briefbot answers with short news briefs.\n");
    for c in COMMANDS {
        let opts: Vec<String> = c
            .options
            .iter()
            .map(|o| {
                if o.required {
                    format!("{}:…", o.name)
                } else {
                    format!("[{}:…]", o.name)
                }
            })
            .collect();
        text.push_str(&format!(
            "\n/{} {} — {}",
            c.name,
            opts.join(" "),
            c.description
        ));
    }
    text.push_str("\n\nSections: happening, importance, next. Detail: short (default) or full.");
    Reply::text(text)
}

#[cfg(test)]
mod tests {
    use super::super::COMMANDS;

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
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len(), "unique names");
    }
}
