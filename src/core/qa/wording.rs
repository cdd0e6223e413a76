//! What a question's wording says beside its subject: whether it asks about a kind of thing
//! in general or how to do something ([`asks_how_things_are`], [`asks_how_to`]: "why do
//! trains run late", "how do i appeal a parking fine"), which no brief about one event
//! answers, and whether it points back at something already shown ([`points_back`]: "will
//! *they* appeal"), which makes it a follow-up. Word patterns of English only, none keyed to
//! a brief.

use super::lexicon;
use crate::text;

/// Whether a question asks how a kind of thing is in general: "why do", "how do", "what
/// do" or "what causes" with no definite word ("the", "this", "its", "their") nor a person
/// ("i", "we"): "why do trains run late in winter", "how do rent to own homes work", "what
/// do marsh birds eat", "what causes potholes to form". A question about the news points at
/// one thing ("why do *the* masks matter", "how do *i* apply"); the kind's own "their" does
/// not ("how do warehouse robots find *their* way").
pub(super) fn asks_how_things_are(question: &str) -> bool {
    let words: Vec<String> = text::words(question).collect();
    let habitual = matches!(
        words.get(..2).map(|w| (w[0].as_str(), w[1].as_str())),
        Some(("why" | "how" | "what", "do") | ("how", "does") | ("what", "causes"))
    );
    const POINTING: &[&str] = &[
        "the", "this", "that", "these", "those", "its", "their", "his", "her", "it", "they",
        "them", "i", "we", "my", "our",
    ];
    // "how do warehouse robots find *their* way": the kind's own "their", not one shown.
    let own = |w: &str| {
        matches!(w, "their" | "its")
            && words
                .get(2)
                .is_some_and(|s| !POINTING.contains(&s.as_str()) && !text::is_stop_word(s))
    };
    habitual
        && !words
            .iter()
            .any(|w| POINTING.contains(&w.as_str()) && !own(w))
}

/// Whether a question asks how to do something, or how things are, for anyone, rather than
/// about one thing in the news:
/// - a how-to or advice ("how do i", "how can i", "how do you", "what should i"…) with no
///   definite word: "how do i appeal a parking fine", "what should i pack for a music
///   festival" (not "how do i get to *the* island hospital now");
/// - "you" meaning anyone ("what happens if you swallow gum", "what credit score do you
///   need") with no definite word, unless the asker addresses the bot ("can you tell me…");
/// - "why does my…" ("why does my heat pump make noise at night");
/// - how a kind of thing comes about or works ("how is milk chocolate made", "how does face
///   unlock on my phone work");
/// - advice or a definition: "what's the best way to…", "what is the difference
///   between…", "what's a good…";
/// - "usually", "typically", "in general", "in the world" ("what is the tallest dam in the
///   world");
/// - the symptoms or signs of a kind of illness ("what are the usual symptoms of norovirus");
/// - a record among all things of a kind ("what is the deepest point of the ocean", "which
///   supermarket is cheapest"), not a time ("what's the earliest…");
/// - advice for anyone ("why is it important to stretch before a run").
///
/// A relative "that" ("a cv *that* gets past…") and the "the" of "in the first place" ("how
/// are glaciers formed in the first place") point at nothing.
pub(super) fn asks_how_to(question: &str) -> bool {
    let words: Vec<String> = text::words(question).collect();
    // "in the first place" points at nothing.
    let idiom = |i: usize| {
        i > 0
            && words[i - 1] == "in"
            && words
                .get(i + 1..i + 3)
                .is_some_and(|p| p[0] == "first" && p[1] == "place")
    };
    // "a cv *that* gets past…": a relative "that", before a verb, points at nothing.
    let relative = |i: usize| {
        words[i] == "that"
            && words.get(i + 1).is_some_and(|n| {
                lexicon::is_auxiliary(n)
                    || crate::summarize::keywords::is_verb(n)
                    || text::verbs::is_verb(n)
            })
    };
    // Whether the i-th word points at one thing.
    let points = |i: usize| {
        matches!(
            words[i].as_str(),
            "the" | "this" | "that" | "these" | "those"
        ) && !idiom(i)
            && !relative(i)
    };
    let definite = (0..words.len()).any(points);
    let opens = |first: &str, second: &[&str]| {
        words.first().is_some_and(|w| w == first)
            && words.get(1).is_some_and(|w| second.contains(&w.as_str()))
    };
    let how_to = (opens("how", &["do", "can", "should", "would"])
        || opens("what", &["should", "can"]))
        && words
            .get(2)
            .is_some_and(|w| matches!(w.as_str(), "i" | "you" | "we" | "one"));
    let addressed = words.windows(2).any(|w| {
        w[0] == "you"
            && matches!(
                w[1].as_str(),
                "tell"
                    | "explain"
                    | "summarise"
                    | "summarize"
                    | "give"
                    | "show"
                    | "say"
                    | "know"
                    | "remind"
                    | "recap"
                    | "update"
                    | "list"
                    | "think"
            )
    });
    let anyone = words.iter().any(|w| w == "you") && !addressed;
    let phrase = |p: &[&str]| {
        words
            .windows(p.len())
            .any(|w| w.iter().zip(p).all(|(a, b)| a == b))
    };
    // "why does my cat knock things off tables": how the asker's own things behave (not
    // "why is my bill going up", which may be the news).
    let habit_of_mine = opens("why", &["does", "do"])
        && words
            .get(2)
            .is_some_and(|w| matches!(w.as_str(), "my" | "our"));
    // "what's the best way to cook cod", "what is the difference between magma and lava",
    // "what's a good beginner telescope": advice or a definition.
    // ("what's" is read as "what", "s".)
    let what_is = opens("what", &["is", "are", "s"]);
    let advice = what_is
        && (phrase(&["the", "difference", "between"])
            || [
                "best", "fastest", "easiest", "cheapest", "quickest", "safest",
            ]
            .iter()
            .any(|a| phrase(&["the", a, "way"]))
            || phrase(&["a", "good"])
            || words.get(2).is_some_and(|w| w == "good"));
    let anywhere = ["usually", "typically", "normally", "generally"]
        .iter()
        .any(|w| words.iter().any(|x| x == w))
        || phrase(&["in", "the", "world"])
        || phrase(&["in", "general"]);
    // "how is milk chocolate made", "how are glaciers formed": how a kind of thing comes
    // about.
    let how_made = opens("how", &["is", "are"])
        && words.iter().skip(2).any(|w| {
            matches!(
                w.as_str(),
                "made"
                    | "formed"
                    | "produced"
                    | "built"
                    | "grown"
                    | "created"
                    | "named"
                    | "measured"
                    | "calculated"
                    | "chosen"
                    | "decided"
                    | "treated"
            )
        });
    // "how does face unlock on my phone work", "how does a vote of no confidence work in
    // the uk": how a kind of thing works.
    // A "the" after "work" says where it works ("how do antibiotics work in *the* body"),
    // not which one.
    let works_at = words.iter().enumerate().skip(3).find_map(|(i, w)| {
        (matches!(w.as_str(), "work" | "works")
            && words
                .get(i + 1)
                .is_none_or(|n| matches!(n.as_str(), "in" | "for" | "on" | "at" | "when" | "if")))
        .then_some(i)
    });
    let how_works = opens("how", &["does", "do"]) && works_at.is_some();
    let definite_before_work = works_at.is_some_and(|at| (0..at).any(points));
    // "what are the usual symptoms of norovirus", "the early signs that a migraine is
    // coming": what a kind of illness is like (not "the symptoms of *the* new strain").
    let symptoms = what_is
        && words.windows(2).any(|w| {
            matches!(w[0].as_str(), "symptoms" | "signs") && matches!(w[1].as_str(), "of" | "that")
        })
        && !words
            .iter()
            .skip_while(|w| !matches!(w.as_str(), "of" | "that"))
            .skip(1)
            .any(|w| {
                matches!(
                    w.as_str(),
                    "the" | "this" | "these" | "those" | "its" | "their"
                )
            });
    // "why is it important to stretch before a run": advice for anyone.
    let for_anyone = opens("why", &["is"])
        && words.get(2).is_some_and(|w| w == "it")
        && words.get(3).is_some_and(|w| {
            matches!(
                w.as_str(),
                "important" | "good" | "bad" | "necessary" | "better" | "healthy" | "dangerous"
            )
        })
        && words.get(4).is_some_and(|w| w == "to");
    // "what is the deepest point of the ocean", "which supermarket is cheapest", "what's
    // the most expensive painting ever sold": a record among all things of a kind (not a
    // time: "what's the earliest the strike could start").
    let record = (opens("what", &["is", "are", "s"])
        || words.first().is_some_and(|w| w == "which")
        || opens("who", &["is", "s"]))
        && (words.iter().take(5).any(|w| superlative(w))
            || words.windows(3).take(4).any(|w| {
                w[0] == "the"
                    && matches!(w[1].as_str(), "most" | "least")
                    && text::english::rank(&w[2]).is_some()
                    && !text::is_stop_word(&w[2])
            }));
    ((how_to || anyone || habit_of_mine || how_made || for_anyone) && !definite)
        || (how_works && !definite_before_work)
        || symptoms
        || record
        || advice
        || anywhere
}

/// Whether a lowercase word is a superlative of an everyday adjective ("deepest",
/// "cheapest", "biggest", "largest", "happiest"), not of a time ("earliest", "latest").
fn superlative(word: &str) -> bool {
    let Some(base) = word.strip_suffix("est").filter(|b| b.len() >= 3) else {
        return false;
    };
    let listed = |w: &str| text::english::rank(w).is_some_and(|r| r <= 10_000);
    !matches!(
        word,
        "earliest"
            | "latest"
            | "soonest"
            | "interest"
            | "forest"
            | "honest"
            | "modest"
            | "protest"
            | "contest"
            | "request"
            | "harvest"
            | "suggest"
            | "arrest"
            | "invest"
            | "digest"
            | "manifest"
            | "conquest"
    ) && (listed(base)
        || listed(&format!("{base}e"))
        || base
            .strip_suffix('i')
            .is_some_and(|b| listed(&format!("{b}y")))
        || (base.len() >= 4
            && base.as_bytes()[base.len() - 1] == base.as_bytes()[base.len() - 2]
            && listed(&base[..base.len() - 1])))
}

/// Whether a question points back at something already shown: "will *they* appeal", "how
/// tall is *this* thing", "what about the country lanes", "when could my doctor prescribe
/// *it*" (not the "it" of "is *it* safe to…", "does *it* matter", "worth *it*", "will *it*
/// snow").
pub(super) fn points_back(question: &str) -> bool {
    let words: Vec<String> = text::words(question).collect();
    let pointing = words.iter().enumerate().any(|(i, w)| match w.as_str() {
        // Not a time: "*this* morning", "*these* days".
        "this" | "these" | "those" => {
            !lexicon::is_time_asked(w, words.get(i + 1).map_or("", String::as_str))
        }
        "they" | "them" | "their" | "there" | "he" | "she" | "him" | "his" => true,
        "it" | "its" => {
            let next = words.get(i + 1).map_or("", String::as_str);
            let before = i
                .checked_sub(1)
                .and_then(|j| words.get(j))
                .map_or("", String::as_str);
            !matches!(
                next,
                "is" | "s"
                    | "was"
                    | "matter"
                    | "matters"
                    | "important"
                    | "safe"
                    | "true"
                    | "possible"
                    | "worth"
                    | "ok"
                    | "okay"
                    | "necessary"
                    | "better"
                    | "best"
                    | "likely"
                    | "normal"
                    | "legal"
                    | "bad"
                    | "good"
                    | "easy"
                    | "hard"
                    // The weather's "it": "will *it* snow".
                    | "snow"
                    | "rain"
                    | "snowing"
                    | "raining"
                    | "hail"
            ) && !matches!(before, "worth" | "make")
        }
        _ => false,
    });
    pointing || words.starts_with(&["what".to_owned(), "about".to_owned()])
}
