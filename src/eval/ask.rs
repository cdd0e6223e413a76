//! The `/ask` measurement: every labelled question of `questions.toml` is asked through
//! [`crate::commands::ask::answer`]; the reply is right when it names the labelled brief and
//! section, and it shows the answer when every labelled answering sentence is in the text
//! shown. Off-topic questions must be refused ("no brief covers that"). The mean number of
//! sentences shown keeps the measure honest: showing a whole section would "show" every
//! answer.
//!
//! **As a conversation** ([`Figures::conversation`]): the same questions asked one after
//! another in one channel, in the file's order (grouped by brief, so the first question
//! about a brief follows questions about another), each after the brief the bot itself last
//! answered from ([`ask::answer_after`]): a question that names nothing may follow up on it.
//! Off-topic questions are each asked after every brief of the set, and must still be
//! refused every time.

use super::{read_toml, Ratio, Set};
use crate::brief::SectionKind;
use crate::commands::ask;
use crate::reply::{Reply, ReplyKind, SectionTag};
use crate::text::sentences;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Deserialize)]
struct File {
    question: Vec<Question>,
    #[serde(default)]
    offtopic: Vec<OffTopic>,
}

/// One labelled question.
#[derive(Deserialize)]
struct Question {
    q: String,
    brief: String,
    section: String,
    answer: Vec<String>,
}

#[derive(Deserialize)]
struct OffTopic {
    q: String,
}

/// The figures of one group of questions.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Part {
    /// Answered from the labelled brief.
    pub right_brief: Ratio,
    /// Answered from the labelled section (whatever the brief).
    pub right_section: Ratio,
    /// Both.
    pub right_brief_and_section: Ratio,
    /// Every labelled answering sentence is in the text shown (from the right brief).
    pub answer_shown: Ratio,
    /// At least one labelled answering sentence is shown.
    pub answer_partly_shown: Ratio,
    /// On-topic questions refused.
    pub on_topic_refused: Ratio,
    /// Off-topic questions answered from some brief (must be 0).
    pub off_topic_answered: Ratio,
    /// Sentences shown per answer, on average.
    pub mean_sentences_shown: f64,
    #[serde(skip)]
    shown_total: usize,
}

/// All questions, and the two halves (by brief).
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// Every question.
    pub all: Part,
    /// Half A and half B.
    pub halves: [Part; 2],
    /// Every question asked in one conversation (see the module doc); its off-topic figure
    /// counts each off-topic question asked after each brief.
    pub conversation: Part,
    /// Questions answered wrongly or refused, for reading (question, what was wrong).
    pub misses: Vec<(String, String)>,
}

/// Asks every question of `path` against the set.
pub fn measure(set: &Set, path: &Path) -> anyhow::Result<Figures> {
    let file: File = read_toml(path)?;
    let mut all = Part::default();
    let mut halves = [Part::default(), Part::default()];
    let mut misses = Vec::new();
    let mut conversation = Part::default();
    let mut last: Option<String> = None;
    for q in &file.question {
        let want = super::section(&q.section)?;
        let reply = ask::answer(&set.core, &q.q);
        let half = set.half(&q.brief);
        if let Some(miss) = score(q, want, &reply, &mut [&mut all, &mut halves[half]]) {
            misses.push((q.q.clone(), miss));
        }
        let reply = ask::answer_after(&set.core, &q.q, last.as_deref());
        if let Some(miss) = score(q, want, &reply, &mut [&mut conversation]) {
            misses.push((q.q.clone(), format!("in conversation: {miss}")));
        }
        if reply.kind != ReplyKind::Error {
            last = reply.brief_id.clone();
        }
    }
    for q in &file.offtopic {
        for b in set.core.library().briefs() {
            let reply = ask::answer_after(&set.core, &q.q, Some(&b.id));
            let answered = reply.kind != ReplyKind::Error;
            conversation.off_topic_answered.add(answered);
            if answered {
                misses.push((
                    q.q.clone(),
                    format!(
                        "in conversation after {}: off-topic, answered from {}",
                        b.id,
                        reply.brief_id.as_deref().unwrap_or("-")
                    ),
                ));
            }
        }
    }
    for (i, q) in file.offtopic.iter().enumerate() {
        let reply = ask::answer(&set.core, &q.q);
        let answered = reply.kind != ReplyKind::Error;
        all.off_topic_answered.add(answered);
        halves[i % 2].off_topic_answered.add(answered);
        if answered {
            misses.push((
                q.q.clone(),
                format!(
                    "off-topic, answered from {}",
                    reply.brief_id.as_deref().unwrap_or("-")
                ),
            ));
        }
    }
    for p in [&mut all, &mut conversation]
        .into_iter()
        .chain(halves.iter_mut())
    {
        let answered = p.on_topic_refused.of - p.on_topic_refused.n;
        p.mean_sentences_shown = if answered == 0 {
            0.0
        } else {
            p.shown_total as f64 / answered as f64
        };
    }
    Ok(Figures {
        all,
        halves,
        conversation,
        misses,
    })
}

/// Scores one reply to a labelled question into `parts`; what was wrong, if anything.
fn score(
    q: &Question,
    want: SectionKind,
    reply: &Reply,
    parts: &mut [&mut Part],
) -> Option<String> {
    let refused = reply.kind == ReplyKind::Error;
    let brief_ok = reply.brief_id.as_deref() == Some(q.brief.as_str());
    let shown = reply.sections.first();
    let section_ok = !refused && shown.is_some_and(|s| s.section == SectionTag::from(want));
    let text = shown.map(|s| s.text.as_str()).unwrap_or("");
    let found = q
        .answer
        .iter()
        .filter(|a| text.contains(a.as_str()))
        .count();
    let count = if refused {
        0
    } else {
        sentences::split(text).len()
    };
    for p in parts.iter_mut() {
        p.right_brief.add(brief_ok);
        p.right_section.add(section_ok);
        p.right_brief_and_section.add(brief_ok && section_ok);
        p.answer_shown.add(brief_ok && found == q.answer.len());
        p.answer_partly_shown.add(brief_ok && found > 0);
        p.on_topic_refused.add(refused);
        p.shown_total += count;
    }
    if brief_ok && section_ok && found == q.answer.len() {
        return None;
    }
    Some(if refused {
        format!("want {} / {}; refused", q.brief, q.section)
    } else {
        format!(
            "want {} / {}; got {} / {:?}{}",
            q.brief,
            q.section,
            reply.brief_id.as_deref().unwrap_or("-"),
            shown.map(|s| s.section),
            if found == q.answer.len() {
                String::new()
            } else {
                format!(
                    ", answer not shown\n    shown: {}\n    want:  {}",
                    text.replace('\n', " "),
                    q.answer.join(" ")
                )
            }
        )
    })
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "  right brief                 {}", self.right_brief)?;
        writeln!(f, "  right section               {}", self.right_section)?;
        writeln!(
            f,
            "  right brief and section     {}",
            self.right_brief_and_section
        )?;
        writeln!(f, "  answering sentence(s) shown {}", self.answer_shown)?;
        writeln!(
            f,
            "  at least one of them shown  {}",
            self.answer_partly_shown
        )?;
        writeln!(
            f,
            "  sentences shown per answer  {:.2}",
            self.mean_sentences_shown
        )?;
        writeln!(f, "  on-topic refused            {}", self.on_topic_refused)?;
        writeln!(
            f,
            "  off-topic answered          {}",
            self.off_topic_answered
        )
    }
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "/ask, all questions:")?;
        write!(f, "{}", self.all)?;
        for (name, part) in ["A", "B"].iter().zip(&self.halves) {
            writeln!(f, "/ask, half {name} (by brief):")?;
            write!(f, "{part}")?;
        }
        writeln!(
            f,
            "/ask as a conversation (each question after the brief last answered from; \
             off-topic ones after every brief):"
        )?;
        write!(f, "{}", self.conversation)
    }
}
