//! The summarizer and Discord sizing; every command through the dispatcher, and its reply
//! as the Discord adapter lays it out.

use briefbot::brief::{Brief, Library, ParseOptions, Section};
use briefbot::commands::{Dispatcher, Invoker, Surface};
use briefbot::core::Core;
use briefbot::discord::layout;
use briefbot::reply::{Reply, ReplyKind, SectionTag, View};
use briefbot::source::{self, embedded, SourceOptions};
use briefbot::summarize::{Detail, Summarizer};
use briefbot::text::{fit, sentences};
use std::sync::Arc;

fn samples() -> Library {
    let (lib, problems) = embedded::load(&SourceOptions::default()).into_parts();
    assert!(problems.is_empty(), "{problems:?}");
    lib
}

fn core() -> Arc<Core> {
    Arc::new(Core::new(samples(), Summarizer::default()))
}

/// A console line's reply, laid out for Discord.
fn run(core: &Arc<Core>, line: &str) -> Reply {
    layout::fit(Dispatcher::new(core.clone()).answer_now(line))
}

fn section(paragraphs: &[&str]) -> Section {
    Section {
        heading: "What's Happening?".into(),
        paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
    }
}

fn tags(r: &Reply) -> Vec<SectionTag> {
    r.sections.iter().map(|s| s.section).collect()
}

fn message(r: &Reply) -> &str {
    r.message.as_deref().unwrap_or("")
}

/// Discord's limits, checked on a reply as the Discord adapter renders it.
fn assert_fits_discord(r: &Reply, what: &str) {
    if let Some(t) = &r.title {
        assert!(
            fit::len(t) <= layout::TITLE,
            "{what}: title {}",
            fit::len(t)
        );
    }
    if let Some(m) = &r.message {
        assert!(
            fit::len(m) <= layout::DESCRIPTION,
            "{what}: message {}",
            fit::len(m)
        );
    }
    if let Some(f) = &r.footer {
        assert!(
            fit::len(f) <= layout::FOOTER,
            "{what}: footer {}",
            fit::len(f)
        );
    }
    for s in &r.sections {
        assert!(
            fit::len(&s.heading) <= layout::FIELD_NAME,
            "{what}: heading"
        );
        for piece in fit::split(&s.text, layout::FIELD_VALUE) {
            assert!(fit::len(&piece) <= layout::FIELD_VALUE, "{what}: field");
        }
    }
    for item in &r.items {
        assert!(
            fit::len(&item.title) <= layout::FIELD_NAME,
            "{what}: item title"
        );
        assert!(
            fit::len(&item.tldr) <= layout::FIELD_VALUE,
            "{what}: item tldr"
        );
    }
    let (total, fields) = layout::size(r);
    assert!(total <= layout::MESSAGE_TOTAL, "{what}: total {total}");
    assert!(fields <= layout::FIELDS, "{what}: {fields} fields");
}

/// A folder of `n` generated briefs, brief-01 (oldest) … brief-n (newest).
fn generated(
    n: usize,
    title: impl Fn(usize) -> String,
    body: impl Fn(usize) -> String,
) -> Arc<Core> {
    let dir = tempfile::tempdir().unwrap();
    for i in 1..=n {
        let text = format!(
            "+++\nid = \"brief-{i:02}\"\ntitle = \"{}\"\npublished = \"2026-01-{i:02}T12:00:00Z\"\n+++\nWhat's Happening?\n{}\n\nWhy it matters\nTown {i} depends on it.\n",
            title(i),
            body(i)
        );
        std::fs::write(dir.path().join(format!("brief-{i:02}.md")), text).unwrap();
    }
    let (lib, problems) = source::load_dir(dir.path(), &SourceOptions::default())
        .unwrap()
        .into_parts();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(lib.len(), n);
    Arc::new(Core::new(lib, Summarizer::default()))
}

fn one_brief(text: &str) -> Arc<Core> {
    let b: Brief = briefbot::brief::parse::parse(text, "one", &ParseOptions::default()).unwrap();
    Arc::new(Core::new(Library::from_briefs([b]), Summarizer::default()))
}

// ---------------------------------------------------------------------------------------
// Summarizer
// ---------------------------------------------------------------------------------------

#[test]
fn sentence_split_keeps_abbreviations_decimals_initials_and_quotes_together() {
    let lib = samples();
    let grid = lib.get("grid-storage-auction").unwrap();
    assert_eq!(
        sentences::split_paragraphs(&grid.happening.as_ref().unwrap().paragraphs),
        vec![
            "The Northgate Regional Grid Authority opened its first auction for long-duration \
             battery storage on Monday, seeking approx. 1.8 gigawatts of capacity across four states.",
            "Bids are due by Jan. 15, and contracts would run for 20 years.",
            "\"We want storage that can carry the evening peak, not just smooth a few minutes,\" \
             said Dr. M. T. Alvarez, the authority's planning chief.",
        ]
    );
    assert_eq!(
        sentences::split(
            "Storage developers in the U.S. have mostly built two-hour systems. Demand grew by \
             3.5 percent. \"Is the supply chain ready?\" one developer asked. It owed approx. \
             $38.6 million. The vote is in May. Turnout may be low."
        ),
        vec![
            "Storage developers in the U.S. have mostly built two-hour systems.",
            "Demand grew by 3.5 percent.",
            "\"Is the supply chain ready?\" one developer asked.",
            "It owed approx. $38.6 million.",
            "The vote is in May.",
            "Turnout may be low.",
        ]
    );
}

const TRAM: &[&str] = &[
    "Lunch was served at noon.",
    "The council approved the tram line for the harbour district.",
    "Weather was mild.",
    "The tram line will serve the harbour district from 2028.",
    "Parking fees rose.",
];

#[test]
fn short_answer_keeps_the_lead_then_the_most_central_sentences_in_original_order() {
    // The lead is kept even when it is not the most central sentence (news puts the essential
    // fact first); the other places go to the most central of the rest.
    let s = section(&[&TRAM[..3].join(" "), &TRAM[3..].join(" ")]);
    assert_eq!(
        Summarizer { sentences: 2 }.short(&s),
        "Lunch was served at noon. The council approved the tram line for the harbour district."
    );
    assert_eq!(
        Summarizer { sentences: 1 }.short(&s),
        "Lunch was served at noon."
    );
    let three = Summarizer { sentences: 3 }.short(&s);
    let picked = sentences::split(&three);
    assert_eq!(picked.len(), 3, "{three}");
    let positions: Vec<usize> = picked
        .iter()
        .map(|p| TRAM.iter().position(|t| t == p).unwrap())
        .collect();
    assert_eq!(positions, vec![0, 1, 3], "{three}");
}

#[test]
fn short_answer_never_shows_a_sentence_leaning_on_one_left_out() {
    let s = section(&[
        "The Kestrel Bank held its policy rate at 3.5% on Wednesday.",
        "Traders had expected the pause in the bank's policy rate.",
        "However, the bank's policy rate statement and the bank's policy rate outlook surprised.",
        "This decision on the policy rate was anticipated by the bank's traders.",
    ]);
    let two = Summarizer { sentences: 2 }.short(&s);
    let picked = sentences::split(&two);
    assert_eq!(
        picked[0],
        "The Kestrel Bank held its policy rate at 3.5% on Wednesday."
    );
    assert_eq!(picked.len(), 2, "{two}");
    assert!(
        !picked[1].starts_with("However") && !picked[1].starts_with("This"),
        "{two}"
    );
    // With room for both, a leaning sentence comes with the sentence it leans on.
    let three = sentences::split(&Summarizer { sentences: 3 }.short(&s));
    for (i, p) in three.iter().enumerate() {
        if p.starts_with("However") {
            assert_eq!(
                three[i - 1],
                "Traders had expected the pause in the bank's policy rate."
            );
        }
    }
}

#[test]
fn default_short_answer_has_two_sentences() {
    assert_eq!(Summarizer::default().sentences, 2);
    let s = section(TRAM);
    assert_eq!(sentences::split(&Summarizer::default().short(&s)).len(), 2);
}

#[test]
fn a_section_with_at_most_k_sentences_is_returned_whole() {
    let s = section(&["Dr. A. Lindqvist spoke. The U.S. agreed."]);
    assert_eq!(
        Summarizer { sentences: 2 }.short(&s),
        "Dr. A. Lindqvist spoke. The U.S. agreed."
    );
    let s = section(&["Only one sentence here."]);
    assert_eq!(
        Summarizer { sentences: 3 }.short(&s),
        "Only one sentence here."
    );
}

#[test]
fn full_detail_is_the_whole_section_with_its_paragraphs() {
    let s = section(&[&TRAM[..3].join(" "), &TRAM[3..].join(" ")]);
    assert_eq!(
        Summarizer::default().section(&s, Detail::Full),
        format!("{}\n\n{}", TRAM[..3].join(" "), TRAM[3..].join(" "))
    );
    assert_eq!(
        Summarizer::default().section(&s, Detail::Short),
        Summarizer::default().short(&s)
    );
}

#[test]
fn tldr_is_one_sentence_from_the_happening_section() {
    let lib = samples();
    let sum = Summarizer::default();
    let league = lib.get("league-salary-cap").unwrap();
    assert_eq!(
        sum.tldr(league),
        "Club owners in the Continental Football League voted 15\u{2013}3 on Friday to cap squad \
         spending at 70 percent of club revenue, down from 85 percent."
    );
    for b in lib.briefs() {
        let t = sum.tldr(b);
        assert_eq!(sentences::split(&t).len(), 1, "{}: {t}", b.id);
        assert!(
            b.happening.as_ref().unwrap().text().contains(&t),
            "{}",
            b.id
        );
    }
}

#[test]
fn tldr_falls_back_to_the_first_covered_section() {
    let core = one_brief("What to watch:\nThe vote is in May. Turnout may be low.\n");
    let lib = core.library();
    let t = core.summarizer().tldr(lib.get("one").unwrap());
    assert_eq!(t, "The vote is in May.");
}

#[test]
fn truncate_cuts_at_a_sentence_or_word_boundary_with_an_ellipsis() {
    let text = "The board met on Monday. It approved the budget after a long and heated debate.";
    assert_eq!(fit::truncate(text, 200), text);
    assert_eq!(fit::truncate(text, 40), "The board met on Monday. …");
    assert_eq!(
        fit::truncate("Supercalifragilistic words keep going on and on", 30),
        "Supercalifragilistic words…"
    );
    for max in [1, 5, 10, 17, 33, 60] {
        let got = fit::truncate(text, max);
        assert!(fit::len(&got) <= max, "{max}: {got}");
        assert!(got.ends_with('…'), "{max}: {got}");
    }
}

#[test]
fn split_keeps_every_word_and_prefers_paragraph_then_sentence_breaks() {
    let text = format!(
        "{}\n\n{}",
        "Alpha beta gamma. ".repeat(40).trim(),
        "Delta epsilon. ".repeat(40).trim()
    );
    let parts = fit::split(&text, 1024);
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0], "Alpha beta gamma. ".repeat(40).trim());
    let parts = fit::split(&text, 100);
    assert!(parts.iter().all(|p| fit::len(p) <= 100));
    assert!(parts.iter().all(|p| p.ends_with('.')), "{parts:?}");
    let words: Vec<&str> = parts.iter().flat_map(|p| p.split_whitespace()).collect();
    assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
}

#[test]
fn full_view_splits_a_long_section_across_fields_instead_of_cutting() {
    let long: String = (0..60)
        .map(|i| format!("Sentence number {i} describes the harbour tunnel in some detail."))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(fit::len(&long) > 2 * layout::FIELD_VALUE);
    let core = one_brief(&format!(
        "What's Happening?\n{long}\n\nWhy it matters\nIt is big.\n"
    ));
    let r = run(&core, "/brief section:happening detail:full");
    assert_eq!(r.kind, ReplyKind::Answer);
    assert_eq!(r.sections[0].text, long);
    let (_, fields) = layout::size(&r);
    assert_eq!(fields, fit::split(&long, layout::FIELD_VALUE).len());
    assert!(fields >= 3);
    assert!(!message(&r).contains("Shortened"));
    assert_fits_discord(&r, "full long section");
}

#[test]
fn short_view_of_very_long_sentences_is_cut_to_one_field() {
    let long = format!("{}.", "word ".repeat(400).trim());
    let core = one_brief(&format!(
        "What's Happening?\n{long} {long} {long}\n\nWhy it matters\n{long}\n"
    ));
    let r = run(&core, "/brief");
    // The brief has no What's Next: that section says so, the others are cut.
    assert_eq!(r.sections[2].text, "This brief does not cover what's next.");
    for s in &r.sections[..2] {
        assert!(
            fit::len(&s.text) <= layout::FIELD_VALUE,
            "{}",
            fit::len(&s.text)
        );
        assert!(s.text.ends_with('…'));
    }
    assert_fits_discord(&r, "short long sentences");
}

#[test]
fn an_oversized_full_brief_is_shortened_to_one_message_with_a_note() {
    let para = "This sentence about the river dam is about fifty characters. ".repeat(40);
    let core = one_brief(&format!(
        "What's Happening?\n{para}\n\nWhy it matters\n{para}\n\nWhat's Next?\n{para}\n\n## Background\n{para}\n"
    ));
    let r = run(&core, "/brief detail:full");
    assert_eq!(tags(&r).len(), 4);
    assert_fits_discord(&r, "oversized full brief");
    assert!(r.sections.iter().any(|s| s.text.ends_with('…')));
    assert!(message(&r).contains("Shortened to fit one Discord message"));
}

#[test]
fn every_reply_on_the_samples_fits_discord() {
    let core = core();
    let mut lines = vec![
        "/brief".to_owned(),
        "/briefs".to_owned(),
        "/help".to_owned(),
        "/ask why does it matter?".to_owned(),
    ];
    for b in core.library().briefs() {
        for v in ["", " detail:full", " section:next detail:full"] {
            lines.push(format!("/brief query:{}{v}", b.id));
        }
        for c in ["happening", "importance", "next"] {
            lines.push(format!("/{c} {}", b.id));
        }
    }
    for l in &lines {
        assert_fits_discord(&run(&core, l), l);
    }
}

#[test]
fn a_listing_of_briefs_with_very_long_titles_fits_discord() {
    let core = generated(
        12,
        |i| format!("Headline {i} {}", "about a very long story ".repeat(12)),
        |i| {
            format!(
                "In town {i} {}.",
                "a very long sentence goes on and on ".repeat(12)
            )
        },
    );
    let r = run(&core, "/briefs");
    assert_eq!(r.items.len(), 10);
    assert_fits_discord(&r, "/briefs with long titles");
    // A long query makes a long title too.
    let r = run(&core, &format!("/briefs query:{}", "story ".repeat(50)));
    assert_eq!(r.items.len(), 10);
    assert_fits_discord(&r, "/briefs with long titles and a long query");
    assert!(r.items.iter().all(|i| i.tldr.starts_with("In town ")));
}

// ---------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------

#[test]
fn brief_without_a_query_shows_the_newest_brief_all_sections_short() {
    let core = core();
    let r = run(&core, "/brief");
    assert_eq!(r.kind, ReplyKind::Answer);
    assert_eq!(r.brief_id.as_deref(), Some("league-salary-cap"));
    // The newest sample covers all three sections.
    assert_eq!(
        tags(&r),
        vec![
            SectionTag::Happening,
            SectionTag::Importance,
            SectionTag::Next
        ]
    );
    let lib = core.library();
    let league = lib.get("league-salary-cap").unwrap();
    for (s, (_, orig)) in r.sections.iter().zip(league.sections()) {
        assert_eq!(s.heading, orig.heading);
        assert_eq!(s.text, core.summarizer().short(orig));
        assert_eq!(sentences::split(&s.text).len(), 2);
    }
    assert_eq!(
        layout::fit(core.show(
            &core.library().briefs()[0],
            View {
                section: None,
                detail: Detail::Short
            }
        )),
        r
    );
}

#[test]
fn a_brief_reply_carries_id_title_source_and_footer() {
    let r = run(&core(), "/brief query:grid");
    assert_eq!(r.brief_id.as_deref(), Some("grid-storage-auction"));
    assert_eq!(
        r.title.as_deref(),
        Some("Regional grid operator opens first long-duration storage auction")
    );
    assert_eq!(
        r.source.as_deref(),
        Some("https://example.com/news/grid-storage-auction")
    );
    let footer = r.footer.as_deref().unwrap();
    assert!(
        footer.starts_with("Published 2026-11-03 · Topics: energy, grid storage, utilities"),
        "{footer}"
    );
    assert!(footer.ends_with("id: grid-storage-auction"), "{footer}");
    assert_eq!(
        tags(&r),
        vec![
            SectionTag::Happening,
            SectionTag::Importance,
            SectionTag::Next
        ]
    );
    assert_eq!(
        r.sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect::<Vec<_>>(),
        vec!["What's Happening?", "Why It's Important?", "What's Next?"]
    );
}

#[test]
fn the_footer_of_an_undated_brief_has_no_date() {
    let r = run(&core(), "/brief booster");
    assert_eq!(r.brief_id.as_deref(), Some("04-reusable-booster-test"));
    let footer = r.footer.unwrap();
    assert!(footer.starts_with("Topics: "), "{footer}");
    assert!(r.source.is_none());
}

#[test]
fn brief_query_finds_by_words_or_by_exact_id() {
    let core = core();
    for (query, id) in [
        ("grid storage", "grid-storage-auction"),
        ("harbor metro", "harbor-metro-line"),
        ("flu-vaccine-rollout", "flu-vaccine-rollout"),
        ("drought irrigation", "valley-drought-water"),
        ("chipmaking", "chip-export-rules"),
    ] {
        let r = run(&core, &format!("/brief query:{query}"));
        assert_eq!(r.brief_id.as_deref(), Some(id), "{query}");
        let r = run(&core, &format!("/brief {query}"));
        assert_eq!(r.brief_id.as_deref(), Some(id), "{query} (positional)");
    }
}

#[test]
fn section_option_shows_only_that_section() {
    let core = core();
    let r = run(&core, "/brief query:grid section:next");
    assert_eq!(tags(&r), vec![SectionTag::Next]);
    assert_eq!(r.sections[0].heading, "What's Next?");
    assert_eq!(
        r.sections[0].text,
        "Qualified bidders will be announced in February, and winning projects must reach \
         commercial operation by 2030. State regulators will review the contracts before any \
         costs reach ratepayers."
    );
    let all = run(&core, "/brief query:grid section:all");
    assert_eq!(all.sections.len(), 3);
}

#[test]
fn section_commands_show_their_section() {
    let core = core();
    for (cmd, tag, heading) in [
        ("happening", SectionTag::Happening, "Driving the news"),
        ("importance", SectionTag::Importance, "Why it matters"),
        ("next", SectionTag::Next, "What comes next"),
    ] {
        let r = run(&core, &format!("/{cmd} harbor"));
        assert_eq!(r.brief_id.as_deref(), Some("harbor-metro-line"), "{cmd}");
        assert_eq!(tags(&r), vec![tag], "{cmd}");
        assert_eq!(r.sections[0].heading, heading);
    }
    // Without a query: the newest brief.
    let r = run(&core, "/importance");
    assert_eq!(r.brief_id.as_deref(), Some("league-salary-cap"));
    assert_eq!(tags(&r), vec![SectionTag::Importance]);
}

#[test]
fn full_detail_shows_whole_sections_and_extra_sections() {
    let core = core();
    let lib = core.library();
    let harbor = lib.get("harbor-metro-line").unwrap();
    let r = run(&core, "/brief query:harbor detail:full");
    assert_eq!(
        tags(&r),
        vec![
            SectionTag::Happening,
            SectionTag::Importance,
            SectionTag::Next,
            SectionTag::Extra
        ]
    );
    assert_eq!(
        r.sections[1].text,
        harbor.importance.as_ref().unwrap().text()
    );
    assert!(r.sections[1].text.contains("\n\n"));
    assert_eq!(r.sections[3].heading, "By the numbers");
    assert_eq!(r.sections[3].text, harbor.extra[0].text());
    // The short view leaves extra sections out.
    let short = run(&core, "/brief query:harbor");
    assert!(!tags(&short).contains(&SectionTag::Extra));
}

/// The samples with the league brief's What's Next section taken out.
fn core_without_next() -> Arc<Core> {
    let samples = samples();
    let briefs: Vec<Brief> = samples
        .briefs()
        .iter()
        .map(|b| {
            let mut b: Brief = (**b).clone();
            if b.id == "league-salary-cap" {
                b.next = None;
            }
            b
        })
        .collect();
    Arc::new(Core::new(
        Library::from_briefs(briefs),
        Summarizer::default(),
    ))
}

#[test]
fn a_brief_without_a_section_says_so_in_its_place() {
    let core = core_without_next();
    let r = run(&core, "/brief query:league");
    assert_eq!(r.kind, ReplyKind::Answer);
    assert_eq!(
        tags(&r),
        vec![
            SectionTag::Happening,
            SectionTag::Importance,
            SectionTag::Next
        ]
    );
    assert_eq!(r.sections[2].heading, "What's Next?");
    assert_eq!(r.sections[2].text, "This brief does not cover what's next.");
}

#[test]
fn asking_for_a_missing_section_says_it_is_not_covered() {
    let core = core_without_next();
    for line in ["/next league", "/brief query:league section:next"] {
        let r = run(&core, line);
        assert_eq!(r.kind, ReplyKind::Error, "{line}");
        assert!(r.is_ephemeral());
        assert_eq!(r.brief_id.as_deref(), Some("league-salary-cap"));
        let m = message(&r);
        assert!(m.contains("does not cover what's next"), "{m}");
        assert!(m.contains("/brief query:league-salary-cap"), "{m}");
    }
}

#[test]
fn an_unmatched_query_names_the_problem_and_the_way_out() {
    let r = run(&core(), "/brief query:xyz");
    assert_eq!(r.kind, ReplyKind::Error);
    assert!(r.sections.is_empty() && r.brief_id.is_none());
    let m = message(&r);
    assert!(m.contains("No brief matches 'xyz'"), "{m}");
    assert!(m.contains("/briefs"), "{m}");
}

#[test]
fn an_empty_library_says_how_to_add_briefs() {
    let core = Arc::new(Core::new(Library::default(), Summarizer::default()));
    for line in ["/brief", "/next", "/ask why?", "/briefs"] {
        let r = run(&core, line);
        assert_eq!(r.kind, ReplyKind::Error, "{line}");
        assert!(
            message(&r).contains("briefs.dir"),
            "{line}: {}",
            message(&r)
        );
    }
}

#[test]
fn ask_picks_the_brief_by_bm25_and_the_section_by_question_cues() {
    let core = core();
    for (question, id, tag) in [
        (
            "why does the chip rule matter?",
            "chip-export-rules",
            SectionTag::Importance,
        ),
        (
            "what does the drought mean for farmers?",
            "valley-drought-water",
            SectionTag::Importance,
        ),
        (
            "what happens next with the harbor line?",
            "harbor-metro-line",
            SectionTag::Next,
        ),
        (
            "when will pharmacies order flu doses?",
            "flu-vaccine-rollout",
            SectionTag::Next,
        ),
        (
            "is the grid auction going to work?",
            "grid-storage-auction",
            SectionTag::Next,
        ),
        (
            "what happened to the booster?",
            "04-reusable-booster-test",
            SectionTag::Happening,
        ),
        (
            "who voted on the salary cap?",
            "league-salary-cap",
            SectionTag::Happening,
        ),
        (
            "what did the trade council add to the list?",
            "chip-export-rules",
            SectionTag::Happening,
        ),
    ] {
        let r = run(&core, &format!("/ask {question}"));
        assert_eq!(r.kind, ReplyKind::Answer, "{question}");
        assert_eq!(r.brief_id.as_deref(), Some(id), "{question}");
        assert_eq!(tags(&r), vec![tag], "{question}");
    }
}

#[test]
fn ask_reply_says_which_brief_and_section_were_used() {
    let core = core();
    let r = run(&core, "/ask why does the chip rule matter?");
    assert_eq!(
        message(&r),
        "Answered from \"Trade bloc tightens licensing for advanced chipmaking tools\" \
         (chip-export-rules), section Why It's Important?"
    );
    // The answer is one or two sentences of that section, in their original order.
    let chip = core.library().get("chip-export-rules").unwrap().clone();
    let section = sentences::split_paragraphs(&chip.importance.as_ref().unwrap().paragraphs);
    let shown = sentences::split(&r.sections[0].text);
    assert!((1..=2).contains(&shown.len()), "{shown:?}");
    let at: Vec<usize> = shown
        .iter()
        .map(|s| {
            section
                .iter()
                .position(|x| x == s)
                .expect("a sentence of the section")
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
}

#[test]
fn ask_refuses_questions_no_brief_covers_even_with_cue_words() {
    let core = core();
    for q in [
        "what's next for the lakers?",
        "when is the next iphone coming out?",
        "why does it matter?",
    ] {
        let r = run(&core, &format!("/ask {q}"));
        assert_eq!(r.kind, ReplyKind::Error, "{q}: {r:?}");
        assert!(r.brief_id.is_none(), "{q}");
    }
}

#[test]
fn ask_says_when_the_brief_lacks_the_section_the_question_wants() {
    // The league brief, with its "what's next" section taken out.
    let r = run(
        &core_without_next(),
        "/ask what comes next for the football league spending cap?",
    );
    assert_eq!(r.brief_id.as_deref(), Some("league-salary-cap"));
    let m = message(&r);
    assert!(m.contains("It does not cover What's Next?"), "{m}");
    // A question whose section exists carries no such note.
    let r = run(&core(), "/ask what comes next for the chip export rules?");
    assert!(!message(&r).contains("does not cover"), "{}", message(&r));
}

#[test]
fn ask_without_a_matching_brief_is_an_error_with_a_way_out() {
    let r = run(&core(), "/ask xyzzy plugh?");
    assert_eq!(r.kind, ReplyKind::Error);
    let m = message(&r);
    assert!(m.contains("xyzzy plugh"), "{m}");
    assert!(m.contains("/briefs"), "{m}");
}

#[test]
fn briefs_lists_newest_first_with_a_tldr_ten_per_page() {
    let core = generated(
        23,
        |i| format!("Story {i:02}"),
        |i| format!("Town {i} opened a new library on Monday. Readers queued for hours."),
    );
    let r = run(&core, "/briefs");
    assert_eq!(r.kind, ReplyKind::Answer);
    assert_eq!(r.title.as_deref(), Some("Latest briefs"));
    let page = r.page.unwrap();
    assert_eq!((page.number, page.total), (1, 3));
    assert_eq!(message(&r), "1–10 of 23 · page 1/3");
    let got: Vec<&str> = r.items.iter().map(|i| i.id.as_str()).collect();
    let want: Vec<String> = (14..=23).rev().map(|i| format!("brief-{i:02}")).collect();
    assert_eq!(got, want);
    let first = &r.items[0];
    assert_eq!(first.title, "Story 23");
    assert_eq!(first.published.as_deref(), Some("2026-01-23"));
    assert_eq!(first.tldr, "Town 23 opened a new library on Monday.");

    let r = run(&core, "/briefs page:2");
    let got: Vec<&str> = r.items.iter().map(|i| i.id.as_str()).collect();
    let want: Vec<String> = (4..=13).rev().map(|i| format!("brief-{i:02}")).collect();
    assert_eq!(got, want);

    let r = run(&core, "/briefs page:3");
    assert_eq!(message(&r), "21–23 of 23 · page 3/3");
    let got: Vec<&str> = r.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(got, vec!["brief-03", "brief-02", "brief-01"]);
    assert_fits_discord(&r, "/briefs page:3");
}

#[test]
fn a_page_past_the_end_is_an_error_naming_the_last_page() {
    let core = generated(
        23,
        |i| format!("Story {i:02}"),
        |i| format!("Town {i} voted."),
    );
    let r = run(&core, "/briefs page:4");
    assert_eq!(r.kind, ReplyKind::Error);
    assert_eq!(
        message(&r),
        "There are only 3 pages of briefs: try /briefs page:3."
    );
    let r = run(&core, "/briefs page:0");
    assert_eq!(r.kind, ReplyKind::Error);
    assert!(message(&r).contains("page must be"));
}

#[test]
fn briefs_query_lists_only_matching_briefs_newest_first() {
    let core = core();
    let r = run(&core, "/briefs query:percent");
    assert_eq!(r.title.as_deref(), Some("Briefs matching 'percent'"));
    let ids: Vec<&str> = r.items.iter().map(|i| i.id.as_str()).collect();
    assert!(ids.len() >= 2, "{ids:?}");
    let lib = core.library();
    let dates: Vec<_> = ids
        .iter()
        .map(|id| lib.get(id).unwrap().published)
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{ids:?}");
    let r = run(&core, "/briefs grid");
    assert_eq!(
        r.items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        vec!["grid-storage-auction"]
    );
    let r = run(&core, "/briefs query:xyzzy");
    assert_eq!(r.kind, ReplyKind::Error);
    assert!(message(&r).contains("No brief matches 'xyzzy'"));
}

#[test]
fn help_lists_every_command_and_its_options() {
    let r = run(&core(), "/help");
    assert_eq!(r.kind, ReplyKind::Answer);
    let m = message(&r);
    for needle in [
        "/brief [query:…] [section:…] [detail:…]",
        "/happening [query:…]",
        "/importance [query:…]",
        "/next [query:…]",
        "/ask question:…",
        "/briefs [query:…] [page:…]",
        "/help",
    ] {
        assert!(m.contains(needle), "{needle} missing from\n{m}");
    }
}

#[test]
fn typed_lines_reach_the_same_answers_as_their_options() {
    let core = core();
    let same = |a: &str, b: &str| assert_eq!(run(&core, a), run(&core, b), "{a} vs {b}");
    same(
        "/brief query:\"grid storage\" section:importance detail:full",
        "/brief grid storage section:importance detail:full",
    );
    same("/next harbor", "/brief query:harbor section:next");
    same("/briefs query:energy page:1", "/briefs energy");
    assert_eq!(run(&core, "/help").kind, ReplyKind::Answer);
    // Text after the command, colon and all, is the question.
    let asked = run(&core, "/ask what next: the vote?");
    assert_eq!(asked.kind, ReplyKind::Answer);
    assert_eq!(
        asked,
        layout::fit(briefbot::commands::ask::answer(
            &core,
            "what next: the vote?"
        ))
    );
}

#[test]
fn bad_command_lines_become_error_replies_with_a_way_out() {
    let core = core();
    for (line, needle) in [
        ("brief", "try /help"),
        ("/nope", "Unknown command /nope: try /help"),
        ("/brief sektion:next", "options: query, section, detail"),
        (
            "/brief section:later",
            "choose happening, importance, next, all",
        ),
        ("/brief detail:huge", "choose short, full"),
        ("/ask", "/ask needs question"),
        ("/briefs page:two", "page must be a whole number"),
    ] {
        let r = run(&core, line);
        assert_eq!(r.kind, ReplyKind::Error, "{line}");
        assert!(message(&r).contains(needle), "{line}: {}", message(&r));
    }
}

#[test]
fn console_rendering_shows_title_sections_and_footer() {
    let core = core();
    let text = briefbot::console::render(&run(&core, "/brief query:grid section:next"));
    assert!(
        text.starts_with(
            "━━ Regional grid operator opens first long-duration storage auction ━━\n"
        ),
        "{text}"
    );
    assert!(text.contains("https://example.com/news/grid-storage-auction"));
    assert!(text.contains("\n▸ What's Next?\n"), "{text}");
    assert!(text.contains("\n— Published 2026-11-03"), "{text}");
    let err = briefbot::console::render(&run(&core, "/brief query:xyz"));
    assert!(err.starts_with("error: No brief matches 'xyz'"), "{err}");
}

/// A channel's invoker on Discord.
fn in_channel(channel_id: u64) -> Invoker {
    Invoker {
        surface: Surface::Discord,
        guild_id: Some(1),
        channel_id: Some(channel_id),
        manage_channels: false,
    }
}

/// A question that names nothing, or points back, follows up on the brief last shown in
/// that channel (by `/brief`, a view button or `/ask`), and only there.
#[test]
fn ask_follows_up_on_the_brief_last_shown_in_the_channel() {
    let dispatcher = Dispatcher::new(core());
    let ask = |line: &str, channel: u64| {
        dispatcher
            .request_line(line, in_channel(channel))
            .expect("a valid command")
            .run_now()
            .expect("answers from memory")
    };
    let shown = ask("/brief query:harbor-metro-line", 10);
    assert_eq!(shown.brief_id.as_deref(), Some("harbor-metro-line"));
    let follow = ask("/ask question:why does it matter?", 10);
    assert_eq!(follow.kind, ReplyKind::Answer, "{follow:?}");
    assert_eq!(follow.brief_id.as_deref(), Some("harbor-metro-line"));
    assert_eq!(tags(&follow), [SectionTag::Importance]);
    assert!(
        message(&follow).starts_with("Taken as a follow-up on"),
        "{}",
        message(&follow)
    );
    // Another channel was shown nothing: the question stands alone.
    let alone = ask("/ask question:why does it matter?", 11);
    assert_eq!(alone.kind, ReplyKind::Error, "{alone:?}");
    // A view button shows a brief too; a refused question leaves the conversation as it was.
    let all = View {
        section: None,
        detail: Detail::Short,
    };
    dispatcher.view("league-salary-cap", all, in_channel(11));
    assert_eq!(
        ask("/ask question:what's the lakers' next game?", 11).kind,
        ReplyKind::Error
    );
    let follow = ask("/ask question:will they appeal?", 11);
    assert_eq!(
        follow.brief_id.as_deref(),
        Some("league-salary-cap"),
        "{follow:?}"
    );
    // An answer on its own moves the conversation to its brief.
    let own = ask("/ask question:why does the chip rule matter?", 10);
    assert_eq!(own.brief_id.as_deref(), Some("chip-export-rules"));
    let follow = ask("/ask question:what happens next?", 10);
    assert_eq!(follow.brief_id.as_deref(), Some("chip-export-rules"));
}

/// Of two close briefs, `/ask` answers from one and offers the other: named in the message,
/// and as a button (its own row, "Also: <title>") that shows the other brief.
#[test]
fn ask_offers_the_runner_up_as_a_button() {
    let parse = |text: &str, id: &str| -> Brief {
        briefbot::brief::parse::parse(text, id, &ParseOptions::default()).unwrap()
    };
    let strike = parse(
        "Harlow ferry strike halts crossings\n\nWhat's Happening?\nThe Harlow ferry line \
         cancelled every crossing on Friday after its deckhands walked out.\n",
        "ferry-strike",
    );
    let boats = parse(
        "Harlow ferry orders two electric boats\n\nWhat's Happening?\nThe Harlow ferry line \
         ordered two electric boats on Tuesday.\n",
        "ferry-boats",
    );
    let core = Arc::new(Core::new(
        Library::from_briefs([strike, boats]),
        Summarizer::default(),
    ));
    let reply = run(
        &core,
        "/ask question:what is happening with the harlow ferry line",
    );
    assert_eq!(reply.kind, ReplyKind::Answer, "{reply:?}");
    let (shown, other) = (reply.brief_id.clone().unwrap(), reply.also.clone().unwrap());
    assert_ne!(shown, other.id);
    assert!(message(&reply).contains(&format!("/brief query:{}", other.id)));
    let rows = serde_json::to_value(briefbot::discord::render::buttons(&reply)).unwrap();
    let also = &rows[1]["components"][0];
    assert!(
        also["label"]
            .as_str()
            .unwrap()
            .starts_with("Also: Harlow ferry"),
        "{rows}"
    );
    let (id, view) =
        briefbot::discord::render::parse_button_id(also["custom_id"].as_str().unwrap()).unwrap();
    assert_eq!((id, view.section), (other.id.as_str(), None));
}
