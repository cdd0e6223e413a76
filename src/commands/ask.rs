//! `/ask question`: answers a question from the library ([`crate::core::qa`]): the brief the
//! question is about (BM25 over its content words, refused below a relevance floor), the
//! section that answers it (what is asked and where its words appear), and the 1–2 sentences
//! of that section that answer it. The reply says which brief and section it used, and names
//! a runner-up brief that matched almost as well ([`Reply::also`]: a button shows it). A
//! question that names nothing or points back follows up on the brief last shown where it
//! was asked ([`answer_after`]).

use super::{Args, CommandDef, OptionSpec, Permission, Run};
use crate::core::qa::{self, Outcome};
use crate::core::{Core, NO_BRIEFS};
use crate::reply::{Offer, Reply, View};
use crate::summarize::Detail;

/// `question`: the free question.
pub const QUESTION: OptionSpec = OptionSpec {
    required: true,
    ..OptionSpec::text(
        "question",
        "Your question, e.g. why does the chip rule matter?",
    )
};

/// The command.
pub const DEF: CommandDef = CommandDef {
    name: "ask",
    description: "Ask a question; the best brief and section answer it",
    options: &[QUESTION],
    permission: Permission::Everyone,
    guild_only: false,
    run: Run::Now(|ctx, args: &Args| {
        let last = ctx.core.conversations().last(ctx.invoker.place());
        answer_after(
            ctx.core,
            args.text(&QUESTION).unwrap_or_default(),
            last.as_deref(),
        )
    }),
};

/// Answers a question from the library, on its own.
pub fn answer(core: &Core, question: &str) -> Reply {
    answer_after(core, question, None)
}

/// Answers a question from the library; one that names nothing a brief covers may follow
/// up on the brief `last` shown where it was asked ([`qa::answer_after`]).
pub fn answer_after(core: &Core, question: &str, last: Option<&str>) -> Reply {
    let library = core.library();
    if library.is_empty() {
        return Reply::error(NO_BRIEFS);
    }
    let last = last.and_then(|id| library.get(id));
    let found = match qa::answer_after(&library, question, core.semantics(), last) {
        Outcome::Answer(a) => a,
        Outcome::NoSubject => {
            return Reply::error(format!(
                "'{}' does not say what it is about: name the subject, e.g. /ask why does the \
                 chip rule matter?",
                super::options::echo(question)
            ))
        }
        Outcome::NotCovered => {
            return Reply::error(format!(
                "No brief covers that ('{}'): try other words, or /briefs to see the topics.",
                super::options::echo(question)
            ))
        }
    };
    let brief = &found.brief;
    let mut reply = core.show(
        brief,
        View {
            section: Some(found.section),
            detail: Detail::Short,
        },
    );
    if let Some(shown) = reply.sections.first_mut() {
        if !found.sentences.is_empty() {
            shown.text =
                crate::text::fit::truncate(&found.sentences.join(" "), crate::core::SHORT_MAX);
        }
    }
    let mut message = format!(
        "{} \"{}\" ({}), section {}",
        if found.follow_up {
            "Taken as a follow-up on"
        } else {
            "Answered from"
        },
        brief.title,
        brief.id,
        found.section.heading()
    );
    // The question asked for a section this brief lacks: say so rather than pretend.
    if let Some(k) = found.missing {
        message.push_str(&format!(
            ". It does not cover {}: this is its closest section.",
            k.heading()
        ));
    }
    if let Some(other) = &found.runner_up {
        message.push_str(&format!(
            ". \"{}\" ({}) matches almost as well: /brief query:{}",
            other.title, other.id, other.id
        ));
        reply.also = Some(Offer {
            id: other.id.clone(),
            title: other.title.clone(),
        });
    }
    reply.message = Some(message);
    reply
}
