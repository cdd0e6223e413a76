//! What a question asks for: how strongly its wording asks for each section ([`cues`]) and
//! the kind of answer it wants ([`AnswerType`]: a time, a quantity, an opinion, a cause, a
//! place, advice, a precedent).
//!
//! Routing follows what news sections hold: "why did X happen / why is X doing Y" asks for
//! a cause, which the news states (happening, a weak lean: the cause can sit in the context
//! too); "why does it matter / what are the implications / who is affected / who gets hurt /
//! what's at stake" ask for importance; "what's next / how long until / timeline / soon"
//! ask what comes next, while "when is / still / could" only lean that way, because the
//! time of an event is often in the news itself — there the question's content words decide
//! (see [`super::read`]). Cues are weights added to a section's best sentence score, not
//! a hard choice.

use super::lexicon::{
    HAPPENING_STRONG, HAPPENING_WEAK, IMPORTANCE_MEDIUM, IMPORTANCE_STRONG, INJURY, NEXT_MEDIUM,
    NEXT_STRONG, NEXT_WEAK, NUMBER_WORDS, OPINION_ASKED, OPINION_WORDS, PLACE_ASKED, POSSIBILITY,
    QUANTITY_ASKED, REASON_WORDS, REVERSAL, TIME_ASKED, TIME_WORDS,
};
use crate::text;

/// Weight of a phrase that clearly asks for a section, of one that leans toward it, and of
/// a word that leans a little, against the sentence match (which lies in 0..=1). Tuned on
/// half A of the evaluation set (`briefbot eval`), checked on half B and the held-out set.
pub const STRONG: f64 = 1.0;
pub const MEDIUM: f64 = 0.3;
pub const WEAK: f64 = 0.25;

/// A question lowercased, apostrophes dropped ("what's" → "whats"), other punctuation as
/// spaces, padded with a space on both sides, for phrase lookups. A "%" standing alone reads
/// as "percent" ("what % of…" asks for one; "capped at 5%" states one); "why's" reads as
/// "why is" (as typed or without the apostrophe): "why" asks for a cause however spelled.
pub fn normalized(question: &str) -> String {
    let words: Vec<String> = question
        .to_lowercase()
        .replace(['\u{2019}', '\''], "")
        .replace(" %", " percent ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| if w == "whys" { "why is" } else { w })
        .map(str::to_owned)
        .collect();
    format!(" {} ", words.join(" "))
}

/// Whether a [`normalized`] question holds one of the phrases as whole words.
fn has(q: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| {
        q.match_indices(p)
            .any(|(i, _)| q[..i].ends_with(' ') && q[i + p.len()..].starts_with(' '))
    })
}

/// Verbs that make the phrase after them an embedded question: "when will we *know* who
/// won" asks when, not who won.
const EMBEDDING: &[&str] = &["know", "find out", "learn", "hear", "tell us", "say"];

/// Whether a [`normalized`] question asks when: "when" (or "when's") opening it or one of its
/// first words ("so *when* do we find out"), closing it ("tervo 3g off *when*"), after a
/// word that embeds a question ("any idea *when*", "did they say *when*") or before an
/// auxiliary ("i'm flying friday, *when* will it end"); not "when" joining a clause ("was
/// anybody hurt *when* the rocket broke up").
fn asks_when(q: &str) -> bool {
    let words: Vec<&str> = q.split_whitespace().collect();
    words.iter().enumerate().any(|(i, w)| {
        matches!(*w, "when" | "whens")
            && (*w == "whens"
                || i <= 2
                || i + 1 == words.len()
                || matches!(
                    words[i - 1],
                    "know"
                        | "idea"
                        | "clue"
                        | "say"
                        | "said"
                        | "tell"
                        | "sure"
                        | "out"
                        | "hear"
                        | "announced"
                        | "decided"
                        | "on"
                        | "about"
                        | "and"
                        | "but"
                        | "so"
                )
                || words.get(i + 1).is_some_and(|n| {
                    matches!(
                        *n,
                        "will"
                            | "is"
                            | "does"
                            | "do"
                            | "did"
                            | "are"
                            | "can"
                            | "could"
                            | "should"
                            | "would"
                            | "was"
                            | "were"
                            | "might"
                            | "must"
                    )
                }))
    })
}

/// Whether a [`normalized`] question holds one of the phrases as whole words, not as an
/// embedded question ([`EMBEDDING`]).
fn has_main(q: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| {
        q.match_indices(p).any(|(i, _)| {
            let before = q[..i].trim_end();
            q[..i].ends_with(' ')
                && q[i + p.len()..].starts_with(' ')
                && !EMBEDDING.iter().any(|e| {
                    before
                        .strip_suffix(e)
                        .is_some_and(|rest| rest.ends_with(' '))
                })
        })
    })
}

/// How strongly the question's wording asks for each section
/// ([`crate::brief::SectionKind::ALL`] order: happening, importance, next).
pub fn cues(question: &str) -> [f64; 3] {
    let q = normalized(question);
    let mut cue = [0.0f64; 3];
    let harm = has(&q, &["hurt"]) && (has(&q, &["hurt by"]) || !has(&q, INJURY));
    // "how bad is X *for* Y" asks for the effects; "how bad is X" for its extent.
    let severity = has(&q, &["how bad", "how serious"]) && has(&q, &["for"]);
    // "Is mine affected": whether the asker's case is within the news's scope; where the
    // question's words are decides, as for any lean.
    let scope = asks_whether_covered(question);
    let importance = (has(&q, IMPORTANCE_STRONG) && !scope)
        || harm
        || severity
        || (has(&q, &["mean", "means"]) && has(&q, &["what", "does", "could", "would"]));
    if importance {
        cue[1] += STRONG;
    } else if has(&q, IMPORTANCE_MEDIUM) || asks_a_cost_borne(&q) || scope {
        cue[1] += MEDIUM;
    }
    // "Can the ruling still be overturned": whether the outcome can still change.
    let reversible = has(&q, POSSIBILITY) && has(&q, REVERSAL);
    if has(&q, NEXT_STRONG) || reversible {
        cue[2] += STRONG;
    } else if has(&q, NEXT_MEDIUM) {
        cue[2] += MEDIUM;
    } else if has(&q, NEXT_WEAK) {
        cue[2] += WEAK;
    }
    // "Has Linwick flooded *before*": the tense asks about the past before the news, not
    // the news; where the comparison is written decides.
    if has_main(&q, HAPPENING_STRONG) {
        cue[0] += STRONG;
    } else if !importance && !asks_precedent(&q) && has(&q, HAPPENING_WEAK) {
        cue[0] += WEAK;
    }
    // "how much does it cost to join": the price is a fact of the news.
    if !importance && cue[2] < STRONG && asks_a_price(&q) {
        cue[0] += WEAK;
    }
    cue
}

/// Whether a [`normalized`] question asks what something costs ("how much does it *cost
/// to* join", "how much does the pass *cost*", "the *price of*"), not what it costs someone
/// ("how much is the strike *costing the airline*", "how much will the bond *cost
/// homeowners*"): a price is a fact of the news; a cost borne by someone is an effect.
fn asks_a_price(q: &str) -> bool {
    ["cost", "costs", "price"].iter().any(|w| {
        q.match_indices(&format!(" {w} ")).any(|(i, m)| {
            let after = &q[i + m.len()..];
            after.is_empty() || after.starts_with("to ") || after.starts_with("of ")
        })
    })
}

/// Whether the question (its last clause) asks yes or no whether something is affected ("i
/// drive a Ridge Max, *is mine affected*", "are our flights affected"): whether a case is
/// within the news's scope ("the recall covers the Ridge and Ridge Max"), which the news
/// often states; not whom it touches ("who is affected", "how are farmers affected") nor
/// what it does to them ("will the strike affect commuters").
fn asks_whether_covered(question: &str) -> bool {
    let last = question
        .rsplit([',', ';', '.', ':'])
        .map(normalized)
        .find(|c| c.trim() != "")
        .unwrap_or_default();
    ["is", "are", "am", "will", "would", "was", "were"]
        .iter()
        .any(|v| last.starts_with(&format!(" {v} ")))
        && has(&last, &["affected", "impacted"])
}

/// Words that, after "cost", name who bears it: object pronouns and determiners ("cost
/// *me*", "cost *the* carrier").
const BEARERS: &[&str] = &[
    "me", "us", "you", "them", "him", "her", "my", "our", "your", "their", "his", "the",
];

/// Whether a [`normalized`] question asks what the news costs someone ("how much will the
/// bond *cost homeowners*", "is the strike *costing the airline*"): the verb "cost" with a
/// bearer after it, a pronoun, a determiner or a noun; not a price ("cost to join", "cost
/// of a ticket", "the pass costs"), a sum ("cost 5 dollars") nor the noun ("will the cost
/// rise"). A cost borne is an effect, which the importance holds.
fn asks_a_cost_borne(q: &str) -> bool {
    let words: Vec<&str> = q.split_whitespace().collect();
    words.windows(2).any(|p| {
        let next = p[1];
        matches!(p[0], "cost" | "costs" | "costing")
            && (BEARERS.contains(&next)
                || !(text::is_stop_word(next)
                    || crate::summarize::keywords::is_verb(next)
                    || next.starts_with(|c: char| c.is_ascii_digit())
                    || NUMBER_WORDS.contains(&next)
                    || TIME_WORDS.contains(&next)))
    })
}

/// Phrases that ask only whether the question's subject matters: "why does X *matter*",
/// "why should anyone *care* about X", "is X a *big deal*", "what is the *significance* of
/// X". All else such a question names is its subject, which the title and the lead share;
/// the words say nothing of which section answers.
const SUBJECT_MATTERS: &[&str] = &[
    "matter",
    "matters",
    "significance",
    "importance",
    "big deal",
    "care about",
    "care if",
    "care that",
    "should care",
    "so what",
];

/// Adjectives that ask why the subject matters only as the question's last word: "why is
/// the ruling *important*", not "what is the most important change".
const MATTERS_LAST: &[&str] = &["important", "significant"];

/// Whether the question asks only why its subject matters, with no one it matters *for* or
/// *to* ("why does the ruling matter for renters" names an aspect too): then the section is
/// the importance, whatever its words match elsewhere. "No matter", "a matter of weeks" and
/// "take care of" do not ask it.
pub fn asks_only_why_it_matters(question: &str) -> bool {
    let q = normalized(question);
    let asks = (has(&q, SUBJECT_MATTERS) && !has(&q, &["no matter", "a matter of"]))
        || MATTERS_LAST.iter().any(|w| q.ends_with(&format!(" {w} ")));
    asks && !has(&q, MATTERS_FOR)
}

/// Who or what it matters for: an aspect the question names beside its subject.
const MATTERS_FOR: &[&str] = &[
    "matter for",
    "matter to",
    "matters for",
    "matters to",
    "important for",
    "important to",
    "significant for",
    "significant to",
    "big deal for",
    "big deal to",
    "significance for",
    "importance for",
    "importance to",
];

/// What kind of answer a question asks for, when its wording says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerType {
    /// "when", "how long", "timeline", "deadline": a date or a duration.
    Time,
    /// "how much", "how many", "how big": a number.
    Quantity,
    /// "what do X think", "how did X react": what someone said.
    Opinion,
    /// "why" (not "why does it matter"): a cause.
    Reason,
    /// "where", "which cities": a named place.
    Place,
    /// "what should I do", "how can I…": what people are told to do.
    Advice,
    /// "has X happened before", "is this the first time", "is it a record": how the news
    /// compares with the past.
    Precedent,
}

impl AnswerType {
    /// Every kind, in declaration order.
    pub const ALL: [AnswerType; 7] = [
        AnswerType::Time,
        AnswerType::Quantity,
        AnswerType::Opinion,
        AnswerType::Reason,
        AnswerType::Place,
        AnswerType::Advice,
        AnswerType::Precedent,
    ];

    /// The kind of answer `question` asks for, if its wording says.
    pub fn of(question: &str) -> Option<AnswerType> {
        let q = normalized(question);
        if asks_when(&q) || has(&q, TIME_ASKED) {
            Some(AnswerType::Time)
        } else if has(&q, COMPARED) {
            Some(AnswerType::Precedent)
        } else if has(&q, QUANTITY_ASKED) || has(&q, &["how bad", "how serious"]) {
            Some(AnswerType::Quantity)
        } else if has(&q, OPINION_ASKED) {
            Some(AnswerType::Opinion)
        } else if has(&q, PLACE_ASKED) {
            Some(AnswerType::Place)
        } else if has(&q, ADVICE_ASKED) {
            Some(AnswerType::Advice)
        } else if asks_precedent(&q) {
            Some(AnswerType::Precedent)
        } else if (has(&q, &["why"]) || has(&q, CAUSE_ASKED)) && cues(question)[1] < STRONG {
            Some(AnswerType::Reason)
        } else {
            None
        }
    }

    /// Whether a sentence holds an answer of this type.
    pub fn found_in(self, sentence: &str) -> bool {
        let words: Vec<String> = text::words(sentence).collect();
        self.found_in_words(sentence, &words)
    }

    /// [`AnswerType::found_in`], given the sentence's words (`text::words`), so that a
    /// sentence read for several types is split once.
    pub fn found_in_words(self, sentence: &str, words: &[String]) -> bool {
        let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
        match self {
            AnswerType::Time => {
                any(TIME_WORDS)
                    || words.iter().any(|w| text::is_calendar_word(w))
                    || words.iter().any(|w| is_year(w))
            }
            // A year or the day of a month is a date, not an amount.
            AnswerType::Quantity => {
                words.iter().enumerate().any(|(i, w)| {
                    w.starts_with(|c: char| c.is_ascii_digit())
                        && !is_year(w)
                        && !(i > 0 && text::is_calendar_word(&words[i - 1]))
                }) || sentence.contains(['$', '%', '€', '£'])
                    || any(NUMBER_WORDS)
            }
            AnswerType::Opinion => any(OPINION_WORDS),
            // "in *Port Isolde*", "at *Eastfold* school": a preposition of place and a name.
            AnswerType::Place => sentence
                .split_whitespace()
                .collect::<Vec<_>>()
                .windows(2)
                .any(|p| {
                    matches!(p[0], "in" | "at" | "near" | "from" | "to")
                        && p[1].starts_with(char::is_uppercase)
                }),
            AnswerType::Advice => any(ADVICE_WORDS),
            // "the *first* strike in its 31-year *history*", "the largest *ever*", "flooded
            // four *times* in the *past* decade": an ordinal, a superlative or the past.
            // An ordinal before a time or a number places a moment ("the *first* 14 minutes",
            // "the *first* Tuesday of each month"), which is no precedent.
            AnswerType::Precedent => {
                words.iter().enumerate().any(|(i, w)| {
                    let next = words.get(i + 1).map(String::as_str);
                    // "a third of", "two fifths of": a share, not the third time.
                    let share = matches!(w.as_str(), "third" | "fourth" | "fifth")
                        && next == Some("of")
                        && i.checked_sub(1).is_some_and(|p| {
                            words[p] == "a" || NUMBER_WORDS.contains(&words[p].as_str())
                        });
                    // "flooded twice *before*" compares with the past; "shelters *before
                    // landfall*", "*before* the storm" only order two moments.
                    let ordering = w == "before"
                        && next.is_some_and(|n| {
                            !text::is_preposition(n) && !matches!(n, "and" | "but" | "so")
                        });
                    PRECEDENT_WORDS.contains(&w.as_str())
                        && !share
                        && !ordering
                        && !next.is_some_and(|n| {
                            is_time_start(n) && !matches!(n, "last" | "early" | "late")
                        })
                }) || words.windows(2).any(|p| {
                    p[1] == "times"
                        && (NUMBER_WORDS.contains(&p[0].as_str())
                            || p[0].chars().all(|c| c.is_ascii_digit()))
                })
            }
            // "fined *for sharing*", "sued *for breaking*": a cause as "for" + gerund.
            // "since 2024", "over 30 years": a time, not a cause.
            AnswerType::Reason => {
                words.iter().enumerate().any(|(i, w)| {
                    REASON_WORDS.contains(&w.as_str())
                        && !(TIME_PREPOSITIONS.contains(&w.as_str())
                            && words.get(i + 1).is_some_and(|n| is_time_start(n)))
                }) || words.windows(2).any(|p| {
                    (p[0] == "for" && is_gerund(&p[1]))
                        || (FINDING.contains(&p[0].as_str()) && p[1] == "that")
                }) || words.iter().any(|w| OBLIGATION.contains(&w.as_str()))
            }
        }
    }
}

/// Phrases asking how the news compares with the past: "is this the *first time*", "is it
/// *a record*", "the biggest hike Harrow *has had*", "has it *ever* …".
const PRECEDENT_ASKED: &[&str] = &[
    "first time",
    "a record",
    "record high",
    "record low",
    "in history",
    "last time",
    "happened before",
    "has had",
    "have had",
    "ever had",
    "has ever",
    "have ever",
    "ever been",
    "ever before",
    "biggest ever",
    "largest ever",
    "worst ever",
    "unprecedented",
];

/// Whether a [`normalized`] question asks how the news compares with the past: a phrase of
/// [`PRECEDENT_ASKED`], or "before" as its last word ("has Linwick flooded *before*"; "before
/// the vote" is a time).
fn asks_precedent(q: &str) -> bool {
    has(q, PRECEDENT_ASKED) || has(q, COMPARED) || q.ends_with(" before ")
}

/// Phrases comparing the news with others of its kind or with the past: "how big is the fine
/// *compared with others*". They ask for a precedent even after "how big" or "how bad", which
/// alone ask for an amount. ("Why is it bigger *than normal*" asks for a cause.)
const COMPARED: &[&str] = &[
    "compared with other",
    "compared with others",
    "compared with past",
    "compared with previous",
    "compared to other",
    "compared to others",
    "compared to past",
    "compared to previous",
];

/// Words that place the news among what came before: ordinals, "ever", "history",
/// "previous", "since", "past". Not a bare superlative: "the *worst* damage was in the north"
/// compares within the news; "the largest *ever*", "the largest in its *history*" compare
/// with the past.
const PRECEDENT_WORDS: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "last",
    "previous",
    "previously",
    "before",
    "ever",
    "record",
    "history",
    "historic",
    "since",
    "past",
];

/// Phrases asking what someone should do.
const ADVICE_ASKED: &[&str] = &[
    "what should",
    "should i",
    "should we",
    "what can i do",
    "what can we do",
    "what do i do",
    "what do we do",
    "do i need to",
    "do i have to",
    "how do i",
    "how can i",
];

/// Words of an instruction or a piece of advice: "owners are *told to* limit charging",
/// "residents are *urged to* boil water".
const ADVICE_WORDS: &[&str] = &[
    "told",
    "advised",
    "urged",
    "asked",
    "should",
    "encouraged",
    "instructed",
    "recommended",
    "recommends",
];

/// Verbs of a finding that gives the reason for a decision: "the judge *found that* the
/// company had abused…", "the court *ruled that*…".
/// Phrases asking for a cause or a means as "why" does: "*how did* norovirus end up in the
/// oysters", "*what went wrong* with the probe", "*how come* they closed it".
const CAUSE_ASKED: &[&str] = &[
    "how did",
    "how come",
    "what went wrong",
    "what caused",
    "what made",
];

const FINDING: &[&str] = &["found", "ruled", "ruling", "concluded", "determined"];

/// Words of an obligation, which is a cause: "state law *requires* a recount when…".
const OBLIGATION: &[&str] = &["require", "requires", "required", "requirement"];

/// Cause words that open a time or an amount when a time or a number follows ("since 2024",
/// "over 30 years"); "after ten weeks of heat" stays a cause.
const TIME_PREPOSITIONS: &[&str] = &["since", "over"];

/// Whether a lowercase word opens a time or a number: digits, a number word, a weekday or
/// a month, a time word, "last", "early"…
fn is_time_start(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
        || NUMBER_WORDS.contains(&word)
        || text::is_calendar_word(word)
        || TIME_WORDS.contains(&word)
        || matches!(
            word,
            "last" | "early" | "late" | "mid" | "several" | "decades"
        )
}

/// Whether a word is a year ("2027").
fn is_year(word: &str) -> bool {
    word.len() == 4
        && (word.starts_with("19") || word.starts_with("20"))
        && word.chars().all(|c| c.is_ascii_digit())
}

/// Whether a lowercase word looks like a gerund ("sharing", not "thing" or "everything").
fn is_gerund(word: &str) -> bool {
    word.len() > 5 && word.ends_with("ing") && !word.ends_with("thing")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cause stated as "for" + gerund ("fined for sharing") answers a "why" question.
    #[test]
    fn a_cause_can_be_for_and_a_gerund() {
        let r = AnswerType::Reason;
        assert!(r.found_in("The regulator fined the app on Monday for sharing health data."));
        assert!(r.found_in("The club was sued for breaking its lease."));
        assert!(!r.found_in("The app has about 5 million users, many for therapy."));
        assert!(!r.found_in("The city is looking for a new site."));
        assert!(!r.found_in("The fund pays for everything else."));
        assert!(!r.found_in("It was the bank's first cut since 2024."));
        assert!(!r.found_in("Prices have doubled over 30 years."));
        assert!(r.found_in("Sales fell since the plant closed."));
        assert!(r.found_in("The coral bleached after ten weeks of record heat."));
        // A finding behind a decision, and an obligation, state a cause too.
        assert!(r.found_in("The judge found that the company had abused its position."));
        assert!(r.found_in("State law requires a recount when the margin is small."));
        assert!(!r.found_in("Researchers found 30 new species."));
        // A cause believed or a way something spread.
        assert!(r.found_in("Officials believe heavy rain washed the virus into the water."));
        assert!(r.found_in("The virus is spread by biting midges."));
        assert!(!r.found_in("The farms supply half the county's oysters."));
    }

    /// "How did X happen", "what went wrong", "how come" ask for a cause as "why" does; "how
    /// did X react" asks what was said.
    #[test]
    fn how_did_and_what_went_wrong_ask_for_a_cause() {
        for q in [
            "how did norovirus end up in the oysters",
            "what went wrong with the probe",
            "how come the gym chain went under",
        ] {
            assert_eq!(AnswerType::of(q), Some(AnswerType::Reason), "{q}");
        }
        assert_eq!(
            AnswerType::of("how did the union react to the offer"),
            Some(AnswerType::Opinion)
        );
    }

    /// "when" asks for a time where it asks, not where it joins a clause.
    #[test]
    fn when_joining_a_clause_asks_for_no_time() {
        for q in [
            "so when do we find out the date",
            "tervo 3g off when",
            "any idea when the bridge reopens",
            "i'm flying friday, when will the strike end",
        ] {
            assert_eq!(AnswerType::of(q), Some(AnswerType::Time), "{q}");
        }
        assert_ne!(
            AnswerType::of("was anybody hurt when the rocket broke up"),
            Some(AnswerType::Time)
        );
    }

    /// "when's" and "where's", as typed, ask for a time and a place.
    #[test]
    fn contracted_when_and_where_ask_for_a_time_and_a_place() {
        assert_eq!(
            AnswerType::of("when's the strike vote"),
            Some(AnswerType::Time)
        );
        assert_eq!(
            AnswerType::of("when\u{2019}s it back"),
            Some(AnswerType::Time)
        );
        assert_eq!(
            AnswerType::of("where's the new site"),
            Some(AnswerType::Place)
        );
    }

    /// "How bad is X" asks for the extent (a quantity), "how bad is X for Y" for the effects;
    /// "who is against X" asks what someone says.
    #[test]
    fn severity_extent_and_opposition() {
        assert_eq!(cues("how bad is the flooding in the delta")[1], 0.0);
        assert_eq!(
            AnswerType::of("how bad is the flooding in the delta"),
            Some(AnswerType::Quantity)
        );
        assert_eq!(cues("how bad is the flooding for farmers")[1], STRONG);
        assert_eq!(
            AnswerType::of("who is against the quarry"),
            Some(AnswerType::Opinion)
        );
        assert_eq!(
            AnswerType::of("why did the judge rule against the city"),
            Some(AnswerType::Reason)
        );
    }

    /// A year or a day of the month is a date, not the amount "how much / how many" asks for.
    #[test]
    fn a_date_is_not_a_quantity() {
        let q = AnswerType::Quantity;
        assert!(!q.found_in("The plant will now open in May 2027."));
        assert!(!q.found_in("A vote is set for December 14."));
        assert!(q.found_in("Each group will pay $450 million."));
        assert!(q.found_in("The work will take 12 weeks."));
        assert!(q.found_in("Rents rose 38% in 2025."));
        assert!(q.found_in("About two thirds of the homes are insured."));
    }

    /// Reported speech and reactions are opinions: "according to", "praised", "saying".
    #[test]
    fn reactions_are_opinions() {
        let o = AnswerType::Opinion;
        assert!(o.found_in("According to the union, the strike will go on."));
        assert!(o.found_in("The mayor praised the deal."));
        assert!(o.found_in("Unions condemned the plan, saying it cuts pay."));
        assert!(!o.found_in("The plan cuts pay by 3%."));
    }

    /// "What should I do" asks for what people are told to do.
    #[test]
    fn what_should_i_do_asks_for_advice() {
        let a = AnswerType::of("i have one of the recalled heaters, what should i do now");
        assert_eq!(a, Some(AnswerType::Advice));
        let a = a.unwrap();
        assert!(a.found_in("Owners are being told to stop using the heaters."));
        assert!(a.found_in("Residents are urged to boil tap water."));
        assert!(!a.found_in("The recall covers 40,000 heaters sold since 2023."));
        assert_eq!(
            AnswerType::of("when should i get the shot"),
            Some(AnswerType::Time)
        );
    }

    /// "Which cities" and "where" are answered by a named place, not by the word "cities".
    #[test]
    fn a_place_is_a_preposition_and_a_name() {
        let p = AnswerType::of("which cities are getting the new teams");
        assert_eq!(p, Some(AnswerType::Place));
        let p = p.unwrap();
        assert!(
            p.found_in("The league approved two teams on Saturday, in Port Isolde and Wrenfield.")
        );
        assert!(!p.found_in("Both cities have promised new arenas."));
        assert!(!p.found_in("In March, Tolven will vote."));
    }

    /// An embedded question does not ask for the news: "when will we know who won" asks when.
    #[test]
    fn an_embedded_question_is_not_the_question() {
        assert_eq!(cues("who won the recount")[0], STRONG);
        let c = cues("when will we know who won the recount");
        assert!(c[0] < STRONG && c[2] == STRONG, "{c:?}");
        assert!(cues("did they find out what happened at the plant")[0] < STRONG);
    }

    /// "Why does X matter" names only its subject; "matter for Y" names an aspect too.
    #[test]
    fn why_it_matters_names_only_the_subject() {
        assert!(asks_only_why_it_matters(
            "why does the 4th district recount matter"
        ));
        assert!(asks_only_why_it_matters(
            "why should anyone care about the reef"
        ));
        assert!(asks_only_why_it_matters("is the fine a big deal"));
        assert!(!asks_only_why_it_matters(
            "why does the ruling matter for renters"
        ));
        assert!(!asks_only_why_it_matters("who is affected by the closure"));
        assert!(!asks_only_why_it_matters("why did the plant close"));
        assert!(asks_only_why_it_matters("why is the ruling important?"));
        assert!(!asks_only_why_it_matters(
            "what is the most important change in the deal"
        ));
        assert!(!asks_only_why_it_matters(
            "who will take care of the patients"
        ));
        assert!(!asks_only_why_it_matters(
            "is it a matter of weeks before the plant reopens"
        ));
    }

    /// "Has it happened before", "is this the first time", "is it a record" ask how the news
    /// compares with the past, which an ordinal, a superlative or the past answers.
    #[test]
    fn a_precedent_is_an_ordinal_a_superlative_or_the_past() {
        for q in [
            "has linwick flooded before",
            "is this the first time the pilots have gone on strike",
            "is the fine a record",
            "is this the biggest rate hike the board has had",
        ] {
            assert_eq!(AnswerType::of(q), Some(AnswerType::Precedent), "{q}");
        }
        for q in [
            "can i get a refund before the trip",
            "when is the first game",
            "what did the court decide",
        ] {
            assert_ne!(AnswerType::of(q), Some(AnswerType::Precedent), "{q}");
        }
        let p = AnswerType::Precedent;
        assert!(p.found_in("It is the first strike at the carrier in its 31-year history."));
        assert!(p.found_in("The fine is the largest ever issued under the law."));
        assert!(p.found_in("The town has flooded four times in the past decade."));
        assert!(!p.found_in("The bond will add about $190 a year to the average bill."));
        assert!(!p.found_in("Voters approved a $1.2 billion bond on Tuesday."));
        assert!(!p.found_in("Surveys found the worst damage in the northern section."));
        // An ordinal that places a moment is no precedent.
        assert!(!p.found_in("Trades made in the first 14 minutes will be cancelled."));
        assert!(!p.found_in("Funds trade on the first Tuesday of each month."));
        assert!(p.found_in("It is the first outage since the exchange opened."));
        // A share is no ordinal; "before" a moment orders two moments.
        assert!(!p.found_in("The port handles about a third of the country's rice exports."));
        assert!(!p.found_in("Some 300,000 people were moved to shelters before landfall."));
        assert!(!p.found_in("Shops shut before the storm arrived."));
        assert!(p.found_in("The valley had flooded twice before in living memory."));
        assert!(p.found_in("It is the third major cyclone to hit the coast in five years."));
        // Compared with others of its kind: a precedent, even after "how big".
        for q in [
            "how big is the fine compared with others",
            "how bad is the collapse compared to past ones",
        ] {
            assert_eq!(AnswerType::of(q), Some(AnswerType::Precedent), "{q}");
        }
        // The tense of "has it flooded before" does not lean to the news.
        assert_eq!(cues("has linwick flooded before")[0], 0.0);
        assert!(cues("has linwick approved the bond")[0] > 0.0);
    }

    /// What happens to the asker or theirs leans to what the news means for them (a lean:
    /// "what happens to my flight" may be answered by the news); what happens now, or next,
    /// is what comes next.
    #[test]
    fn what_happens_to_me_leans_to_what_it_means_for_me() {
        for q in [
            "i rent in the city, what happens to my rent now",
            "what happens to us if the plant closes",
        ] {
            assert_eq!(cues(q)[1], MEDIUM, "{q}");
        }
        assert!(cues("what happens now with the strike")[1] < STRONG);
        assert_eq!(cues("what happens now with the strike")[2], STRONG);
    }

    /// Who bears a cost the news brings is whom it touches; who paid in it is the news.
    #[test]
    fn who_pays_asks_whom_it_touches() {
        for q in [
            "who ends up paying for the toll hike",
            "who will pay for the new barrier",
        ] {
            assert_eq!(cues(q)[1], STRONG, "{q}");
        }
        assert!(cues("who paid for the lease")[1] < STRONG);
    }

    /// Whether a decision can still be undone asks what comes next.
    #[test]
    fn whether_it_can_still_be_undone_asks_what_comes_next() {
        for q in [
            "can the ruling still be overturned",
            "can the merger still be blocked",
            "could lawmakers stop the strike",
        ] {
            assert_eq!(cues(q)[2], STRONG, "{q}");
        }
        for q in [
            "did the court block the merger",
            "can projects with permits still be built",
        ] {
            assert!(cues(q)[2] < STRONG, "{q}");
        }
    }

    /// A price asked is in the news; a cost borne by someone is an effect.
    #[test]
    fn a_price_leans_to_the_news_a_cost_borne_to_the_importance() {
        for price in [
            "how much does it cost to buy a new team",
            "how much does the season pass cost",
            "what is the price of a ticket",
        ] {
            assert_eq!(cues(price)[0], WEAK, "{price}");
        }
        for borne in [
            "how much is the strike costing the airline",
            "how much will the bond cost homeowners",
        ] {
            assert_eq!(cues(borne)[0], 0.0, "{borne}");
        }
    }

    /// Whether the asker's case is affected is a question of the news's scope: a lean to the
    /// importance, not a strong cue; whom the news touches is a strong one.
    #[test]
    fn whether_mine_is_affected_only_leans_to_the_importance() {
        for q in [
            "i drive a ridge max, is mine affected",
            "are our flights affected?",
        ] {
            assert_eq!(cues(q)[1], MEDIUM, "{q}");
        }
        for q in [
            "who is affected by the closure",
            "how are farmers affected by the strike",
            "will the strike affect commuters",
        ] {
            assert_eq!(cues(q)[1], STRONG, "{q}");
        }
    }

    /// A cost borne by someone leans to the importance; a price does not.
    #[test]
    fn a_cost_borne_leans_to_the_importance() {
        for q in [
            "how much will the flood bond cost homeowners",
            "how much is the strike costing the airline",
            "what will the toll hike cost me",
        ] {
            assert!(cues(q)[1] >= MEDIUM, "{q}");
        }
        for q in [
            "how much does it cost to join",
            "how much does the season pass cost",
            "what is the cost of a ticket",
            "will the cost rise next year",
            "does it cost 5 dollars",
        ] {
            assert_eq!(cues(q)[1], 0.0, "{q}");
        }
    }

    /// Harm done by the news asks why it matters; an injury in the news asks what happened.
    #[test]
    fn hurt_asks_for_importance_only_as_harm_done() {
        for harm in [
            "who gets hurt by the water price rise",
            "is the port closure going to hurt exporters",
            "will the strike hurt commuters",
            "which towns are hurt by the ruling",
        ] {
            assert_eq!(cues(harm)[1], STRONG, "{harm}");
        }
        for injury in [
            "was anyone hurt in the train crash",
            "were any workers hurt in the fire",
        ] {
            let c = cues(injury);
            assert_eq!(c[1], 0.0, "{injury}");
            assert!(c[0] > 0.0, "{injury}: leans to what happened");
        }
    }

    /// "why's" asks for a cause as "why" does, typed with or without its apostrophe.
    #[test]
    fn whys_asks_why() {
        for q in [
            "why's rookwell hiking its rate",
            "whys rookwell hiking its rate",
        ] {
            assert_eq!(AnswerType::of(q), Some(AnswerType::Reason), "{q}");
        }
    }
}
