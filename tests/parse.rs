//! Brief format: headings, lead-ins, front matter, extra sections, boilerplate, paragraphs,
//! ids and titles, and the real seed file.

use briefbot::brief::headline;
use briefbot::brief::parse::{parse, parse_bytes};
use briefbot::brief::{Brief, ParseError, ParseOptions, SectionKind};
use chrono::DateTime;

fn opts() -> ParseOptions {
    ParseOptions::default()
}

fn ok(text: &str) -> Brief {
    parse(text, "fixture", &opts()).unwrap_or_else(|e| panic!("{e}\n---\n{text}"))
}

fn paras(b: &Brief, kind: SectionKind) -> Vec<String> {
    b.section(kind)
        .unwrap_or_else(|| panic!("no {kind} section in {b:#?}"))
        .paragraphs
        .to_vec()
}

/// Every text a brief shows, for "this must not appear anywhere" checks.
fn all_text(b: &Brief) -> String {
    let mut all: Vec<String> = b.sections().map(|(_, s)| s.text()).collect();
    all.extend(
        b.extra
            .iter()
            .map(|s| format!("{}\n{}", s.heading, s.text())),
    );
    all.push(b.title.clone());
    all.join("\n")
}

const HEADINGS: &[(&str, SectionKind)] = &[
    ("What's Happening", SectionKind::Happening),
    ("What is happening", SectionKind::Happening),
    ("What happened", SectionKind::Happening),
    ("Driving the news", SectionKind::Happening),
    ("The news", SectionKind::Happening),
    ("Why It's Important", SectionKind::Importance),
    ("Why it matters", SectionKind::Importance),
    ("Why this matters", SectionKind::Importance),
    ("The big picture", SectionKind::Importance),
    ("What's Next", SectionKind::Next),
    ("What comes next", SectionKind::Next),
    ("What to watch", SectionKind::Next),
    ("Next steps", SectionKind::Next),
];

const DECORATIONS: &[&str] = &[
    "{}",
    "{}?",
    "{}:",
    "# {}",
    "## {}?",
    "### {}:",
    "**{}**",
    "**{}?**",
    "**{}:**",
    "## **{}**",
];

#[test]
fn every_heading_alias_with_any_decoration_and_case_opens_its_section() {
    for &(label, kind) in HEADINGS {
        let cases = [label.to_owned(), label.to_uppercase(), label.to_lowercase()];
        for case in &cases {
            for deco in DECORATIONS {
                let heading = deco.replace("{}", case);
                let text = format!("{heading}\nThe council voted on Tuesday.\n");
                let b = parse(&text, "h", &opts())
                    .unwrap_or_else(|e| panic!("heading {heading:?} not recognized: {e}"));
                for k in SectionKind::ALL {
                    assert_eq!(
                        b.section(k).is_some(),
                        k == kind,
                        "heading {heading:?}: {k} present = {}",
                        b.section(k).is_some()
                    );
                }
                assert_eq!(
                    paras(&b, kind),
                    vec!["The council voted on Tuesday."],
                    "heading {heading:?}"
                );
            }
        }
    }
}

#[test]
fn curly_apostrophes_in_headings_are_recognized() {
    let b = ok(
        "What\u{2019}s Happening?\nA.\nWhy It\u{2019}s Important?\nB.\nWhat\u{2019}s Next?\nC.\n",
    );
    assert_eq!(paras(&b, SectionKind::Happening), vec!["A."]);
    assert_eq!(paras(&b, SectionKind::Importance), vec!["B."]);
    assert_eq!(paras(&b, SectionKind::Next), vec!["C."]);
}

/// Pages drop the apostrophe too: "Whats Happening", "Why Its Important?", "What Is Next".
#[test]
fn headings_without_their_apostrophe_are_recognized() {
    let b = ok("Whats Happening?\nA.\nWhy Its Important?\nB.\nWhat Is Next?\nC.\n");
    assert_eq!(paras(&b, SectionKind::Happening), vec!["A."]);
    assert_eq!(paras(&b, SectionKind::Importance), vec!["B."]);
    assert_eq!(paras(&b, SectionKind::Next), vec!["C."]);
    let b = ok("Title\n\nThe lead.\n\nWhat theyre saying: Critics object.\n\nWhy it matters: B.\n");
    assert!(
        b.extra.iter().any(|x| x.heading.starts_with("What theyre")),
        "{b:#?}"
    );
}

/// An unlabelled lead that opens with a name and an apposition ("Grayling Energy, the gas
/// supplier, said…") is the news, not a byline; a short name line still is one.
#[test]
fn a_lead_opening_with_a_name_is_not_a_byline() {
    let b = ok(
        "Hackers steal customer data\n\nTomas Okafor\n\nGrayling Energy, the gas and \
         electricity supplier, said Monday that hackers copied the bank details of 400,000 \
         customers.\n\nWhy it matters: Fraudsters need exactly that.\n",
    );
    assert_eq!(
        paras(&b, SectionKind::Happening),
        vec![
            "Grayling Energy, the gas and electricity supplier, said Monday that hackers \
              copied the bank details of 400,000 customers."
        ]
    );
    assert!(!all_text(&b).contains("Tomas Okafor"), "{b:#?}");
}

#[test]
fn headings_keep_the_authors_wording_without_marks() {
    let b = ok("## Why it matters:\nBecause.\n\n**What to watch?**\nThe vote.\n");
    assert_eq!(b.importance.as_ref().unwrap().heading, "Why it matters");
    assert_eq!(b.next.as_ref().unwrap().heading, "What to watch?");
}

const AXIOS: &str = "\
River crossing bridge wins state approval

Driving the news: The state transport board approved a $900 million bridge over
the Alder River on Tuesday. Work begins in May.

Why it matters: The crossing would cut the average commute by 20 minutes.

Yes, but: Residents worry about truck traffic on Elm Road.

What's next: The board will pick a contractor by March.

Go deeper: The full decision (https://example.com/bridge)
and the maps that go with it.
";

#[test]
fn axios_lead_ins_fill_the_three_sections_and_the_first_line_is_the_headline() {
    let b = ok(AXIOS);
    assert_eq!(b.title, "River crossing bridge wins state approval");
    assert_eq!(
        paras(&b, SectionKind::Happening),
        vec![
            "The state transport board approved a $900 million bridge over the Alder River on \
             Tuesday. Work begins in May."
        ]
    );
    assert_eq!(
        paras(&b, SectionKind::Importance),
        vec![
            "The crossing would cut the average commute by 20 minutes.",
            "Yes, but: Residents worry about truck traffic on Elm Road.",
        ]
    );
    assert_eq!(
        paras(&b, SectionKind::Next),
        vec!["The board will pick a contractor by March."]
    );
    assert_eq!(b.importance.as_ref().unwrap().heading, "Why it matters");
}

#[test]
fn go_deeper_lines_are_not_content() {
    let b = ok(AXIOS);
    let all = all_text(&b);
    assert!(!all.contains("Go deeper"), "{all}");
    assert!(!all.contains("example.com/bridge"), "{all}");
    assert!(!all.contains("maps that go with it"), "{all}");
    assert!(b.extra.is_empty(), "{:?}", b.extra);
}

#[test]
fn headline_is_not_repeated_inside_the_happening_section() {
    let b = ok(AXIOS);
    assert!(!b
        .happening
        .as_ref()
        .unwrap()
        .text()
        .contains("River crossing bridge"));
}

#[test]
fn bold_lead_ins_and_the_big_picture_are_recognized() {
    let b = ok("\
**Driving the news:** Two mills closed.

**The big picture:** Timber prices fell for a year.

**What's next:** A rescue plan is due in June.
");
    assert_eq!(paras(&b, SectionKind::Happening), vec!["Two mills closed."]);
    assert_eq!(
        paras(&b, SectionKind::Importance),
        vec!["Timber prices fell for a year."]
    );
    assert_eq!(
        paras(&b, SectionKind::Next),
        vec!["A rescue plan is due in June."]
    );
}

#[test]
fn yes_but_alone_makes_an_importance_section() {
    let b = ok("Driving the news: A port reopened.\n\nYes, but: Cranes are still idle.\n");
    assert_eq!(
        paras(&b, SectionKind::Importance),
        vec!["Yes, but: Cranes are still idle."]
    );
}

const FRONT: &str = "\
+++
id = \"bridge-vote\"
title = \"Bridge vote passes\"
published = \"2026-05-04T09:30:00+02:00\"
topics = [\"Transport\", \"Alder River\"]
source = \"https://example.com/bridge\"
+++
What's Happening?
The board approved the bridge.
";

#[test]
fn front_matter_sets_id_title_published_topics_and_source() {
    let b = ok(FRONT);
    assert_eq!(b.id, "bridge-vote");
    assert_eq!(b.title, "Bridge vote passes");
    assert_eq!(
        b.published,
        Some(DateTime::parse_from_rfc3339("2026-05-04T09:30:00+02:00").unwrap())
    );
    assert_eq!(b.source.as_deref(), Some("https://example.com/bridge"));
    assert_eq!(&b.topics[..2], &["transport", "alder river"]);
    assert_eq!(
        paras(&b, SectionKind::Happening),
        vec!["The board approved the bridge."]
    );
}

#[test]
fn front_matter_accepts_a_bare_toml_datetime() {
    let b = ok("+++\npublished = 2026-11-03T08:15:00Z\n+++\nWhat's Next?\nA vote.\n");
    assert_eq!(
        b.published,
        Some(DateTime::parse_from_rfc3339("2026-11-03T08:15:00Z").unwrap())
    );
}

#[test]
fn topics_are_lowercase_front_matter_first_then_keyphrases_without_duplicates() {
    let b = ok("\
+++
topics = [\"Energy\", \"GRID STORAGE\", \"energy\"]
+++
What's Happening?
The Northgate Grid Authority opened a battery storage auction. Battery storage developers
lined up for the Northgate auction, which seeks storage for the evening peak.
");
    assert_eq!(
        b.topics,
        ["energy", "grid storage"],
        "the parser adds no keyphrases"
    );
    briefbot::summarize::keywords::enrich(&b);
    let all: Vec<&str> = b.all_topics().collect();
    assert_eq!(all[..2], ["energy", "grid storage"]);
    assert!(all.len() > 2, "keyphrases expected: {all:?}");
    assert_eq!(
        b.topics,
        ["energy", "grid storage"],
        "given topics unchanged"
    );
    for t in &all {
        assert_eq!(*t, &t.to_lowercase());
        assert_eq!(all.iter().filter(|x| *x == t).count(), 1, "{all:?}");
    }
}

#[test]
fn unknown_front_matter_key_is_reported_with_its_line() {
    let text = "+++\nid = \"x\"\nauthor = \"Someone\"\n+++\nWhat's Next?\nA vote.\n";
    match parse(text, "s", &opts()) {
        Err(ParseError::FrontMatter { line, message }) => {
            assert_eq!(line, 3, "{message}");
            assert!(message.contains("author"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_published_date_is_reported_with_its_line() {
    let text =
        "+++\nid = \"x\"\ntitle = \"T\"\npublished = \"last Tuesday\"\n+++\nWhat's Next?\nA.\n";
    match parse(text, "s", &opts()) {
        Err(ParseError::FrontMatter { line, message }) => {
            assert_eq!(line, 4, "{message}");
            assert!(message.contains("published"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_front_matter_toml_is_reported_with_its_line() {
    let text = "\n+++\nid = \"x\"\ntitle = \"unterminated\ntopics = []\n+++\nWhat's Next?\nA.\n";
    match parse(text, "s", &opts()) {
        Err(ParseError::FrontMatter { line, .. }) => assert_eq!(line, 4),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unclosed_front_matter_is_reported_at_the_opening_line() {
    let text = "+++\nid = \"x\"\nWhat's Next?\nA.\n";
    match parse(text, "s", &opts()) {
        Err(ParseError::FrontMatter { line, message }) => {
            assert_eq!(line, 1);
            assert!(message.contains("closing"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn front_matter_error_display_names_the_line() {
    let err = parse("+++\nbogus = 1\n+++\nWhat's Next?\nA.\n", "s", &opts()).unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
}

#[test]
fn unknown_headings_start_extra_sections_kept_in_order() {
    let b = ok("\
What's Happening?
A dam was approved.

Beyond the Headlines
Dams change rivers for decades.

Critics disagree.

## By the numbers
It holds 2 billion cubic meters.

What's Next?
Construction starts in 2027.
");
    let extra: Vec<(&str, Vec<String>)> = b
        .extra
        .iter()
        .map(|s| (s.heading.as_ref(), s.paragraphs.to_vec()))
        .collect();
    assert_eq!(
        extra,
        vec![
            (
                "Beyond the Headlines",
                vec![
                    "Dams change rivers for decades.".to_owned(),
                    "Critics disagree.".to_owned()
                ]
            ),
            (
                "By the numbers",
                vec!["It holds 2 billion cubic meters.".to_owned()]
            ),
        ]
    );
    assert_eq!(
        paras(&b, SectionKind::Happening),
        vec!["A dam was approved."]
    );
    assert_eq!(
        paras(&b, SectionKind::Next),
        vec!["Construction starts in 2027."]
    );
}

#[test]
fn extra_heading_directly_after_text_without_a_blank_line_starts_a_section() {
    // The seed layout: headings follow the previous section's last line directly.
    let b = ok("\
What's Happening?
A dam was approved on Monday.
Why It's Important?
It floods three villages.
What's Next?
Construction starts in 2027.
Beyond the Headlines
Dams change rivers for decades.
");
    assert_eq!(
        paras(&b, SectionKind::Next),
        vec!["Construction starts in 2027."]
    );
    assert_eq!(b.extra.len(), 1, "{:?}", b.extra);
    assert_eq!(b.extra[0].heading, "Beyond the Headlines");
    assert_eq!(
        b.extra[0].paragraphs,
        vec!["Dams change rivers for decades."]
    );
}

#[test]
fn default_boilerplate_lines_are_dropped_case_insensitively() {
    let b = ok("\
AI Generated Content
What's Happening?
The mill reopened.
what is the story about?
Why It's Important?
Jobs return.
  DO YOU FIND THIS ARTICLE USEFUL?  
");
    assert_eq!(
        paras(&b, SectionKind::Happening),
        vec!["The mill reopened."]
    );
    assert_eq!(paras(&b, SectionKind::Importance), vec!["Jobs return."]);
    let all = all_text(&b).to_lowercase();
    for line in ["ai generated content", "story about", "article useful"] {
        assert!(!all.contains(line), "{line} kept: {all}");
    }
}

#[test]
fn ignore_lines_are_configurable() {
    let o = ParseOptions {
        ignore_lines: vec!["Advertisement".into()],
        ..ParseOptions::default()
    };
    let b = parse(
        "What's Happening?\nThe mill reopened.\nADVERTISEMENT\nWhy It's Important?\nJobs return.\n",
        "s",
        &o,
    )
    .unwrap();
    assert_eq!(
        paras(&b, SectionKind::Happening),
        vec!["The mill reopened."]
    );
    assert!(!all_text(&b).to_lowercase().contains("advertisement"));
}

#[test]
fn wrapped_lines_are_joined_with_one_space_and_blank_lines_separate_paragraphs() {
    let b = ok("\
Why It's Important?
The river carries
  half the region's freight.

It also feeds
three reservoirs.


A third paragraph.
");
    assert_eq!(
        paras(&b, SectionKind::Importance),
        vec![
            "The river carries half the region's freight.",
            "It also feeds three reservoirs.",
            "A third paragraph.",
        ]
    );
    assert_eq!(
        b.importance.as_ref().unwrap().text(),
        "The river carries half the region's freight.\n\nIt also feeds three reservoirs.\n\nA third paragraph."
    );
}

#[test]
fn a_missing_section_still_loads() {
    let b = ok("What's Happening?\nA vote.\n\nWhy it matters\nMoney.\n");
    assert!(b.happening.is_some() && b.importance.is_some());
    assert!(b.next.is_none());
    assert!(b.section(SectionKind::Next).is_none());
    assert_eq!(
        b.sections().map(|(k, _)| k).collect::<Vec<_>>(),
        vec![SectionKind::Happening, SectionKind::Importance]
    );
}

#[test]
fn a_heading_with_nothing_under_it_is_not_a_section() {
    let b = ok("What's Happening?\nA vote.\n\nWhat's Next?\n\n");
    assert!(b.next.is_none(), "{:?}", b.next);
}

#[test]
fn a_file_with_only_unknown_headings_is_an_error() {
    let err = parse(
        "## Background\nSome history.\n\n## Analysis\nSome views.\n",
        "s",
        &opts(),
    )
    .unwrap_err();
    assert_eq!(err, ParseError::NoSections);
    assert!(err.to_string().contains("no recognizable section"), "{err}");
}

#[test]
fn plain_prose_without_any_section_is_an_error() {
    let err = parse(
        "Notes from the meeting were taken by the clerk.\n\nNothing else was decided.\n",
        "s",
        &opts(),
    )
    .unwrap_err();
    assert_eq!(err, ParseError::NoSections);
}

#[test]
fn empty_and_blank_files_are_errors() {
    assert_eq!(parse("", "s", &opts()).unwrap_err(), ParseError::Empty);
    assert_eq!(
        parse(" \n\n\t\n", "s", &opts()).unwrap_err(),
        ParseError::Empty
    );
    assert_eq!(
        parse_bytes(b"", "s", &opts()).unwrap_err(),
        ParseError::Empty
    );
}

#[test]
fn invalid_utf8_is_an_error_naming_the_byte() {
    let bytes = b"What's Next?\nA \xff vote.\n";
    assert_eq!(
        parse_bytes(bytes, "s", &opts()).unwrap_err(),
        ParseError::NotUtf8(15)
    );
}

#[test]
fn oversized_input_is_an_error() {
    let o = ParseOptions {
        max_bytes: 20,
        ..ParseOptions::default()
    };
    let bytes = b"What's Next?\nA vote in the spring.\n";
    assert_eq!(
        parse_bytes(bytes, "s", &o).unwrap_err(),
        ParseError::TooLarge {
            size: bytes.len() as u64,
            max: 20
        }
    );
}

#[test]
fn id_defaults_to_the_file_stem() {
    let b = parse("What's Next?\nA vote.\n", "2026-05-bridge_vote", &opts()).unwrap();
    assert_eq!(b.id, "2026-05-bridge_vote");
}

#[test]
fn front_matter_id_wins_over_the_stem() {
    let b = parse(FRONT, "some-file", &opts()).unwrap();
    assert_eq!(b.id, "bridge-vote");
}

#[test]
fn an_unusable_front_matter_id_is_an_error() {
    let err = parse(
        "+++\nid = \"no spaces!\"\n+++\nWhat's Next?\nA.\n",
        "s",
        &opts(),
    )
    .unwrap_err();
    assert!(matches!(err, ParseError::BadId { .. }), "{err:?}");
}

#[test]
fn headline_is_the_title_when_front_matter_has_none() {
    let b = ok("Mill town gets its jobs back\n\nDriving the news: The mill reopened.\n");
    assert_eq!(b.title, "Mill town gets its jobs back");
}

#[test]
fn front_matter_title_wins_over_the_headline() {
    let b = ok("+++\ntitle = \"Official title\"\n+++\nMill town gets its jobs back\n\nDriving the news: The mill reopened.\n");
    assert_eq!(b.title, "Official title");
}

#[test]
fn title_is_derived_from_the_happening_section_when_nothing_else_gives_one() {
    let b = ok("What's Happening?\nThe mill reopened on Monday. Four hundred workers returned.\n");
    // Trimmed as a headline: no article, no day, the present tense.
    assert_eq!(b.title, "Mill reopens");
}

#[test]
fn a_derived_title_is_short_and_cut_at_a_word_with_an_ellipsis() {
    let b = ok("What's Happening?\nThe regional council of the northern provinces approved an unusually large package of road, rail and harbor investments on Monday.\n");
    assert!(b.title.chars().count() <= 90, "{}", b.title);
    assert!(b.title.ends_with('…'), "{}", b.title);
    assert!(b
        .title
        .starts_with("Regional council of northern provinces approves"));
    let head = b.title.trim_end_matches('…');
    assert!(
        "Regional council of northern provinces approves unusually large package of road, rail and harbor investments"
            .starts_with(head)
    );
    assert!(!head.ends_with(' '));
}

#[test]
fn the_real_seed_file_parses_with_all_three_sections() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seeds/000_3e8e0ece4c9e1e9e.txt");
    let bytes = std::fs::read(&path).expect("seed file");
    let b = parse_bytes(&bytes, "000_3e8e0ece4c9e1e9e", &opts()).unwrap();
    assert_eq!(b.id, "000_3e8e0ece4c9e1e9e");
    assert!(b.extra.is_empty(), "{:?}", b.extra);
    let happening = paras(&b, SectionKind::Happening);
    assert_eq!(happening.len(), 1, "{happening:?}");
    // The wrapped line is joined with exactly one space.
    assert!(
        happening[0].contains("from the U.S. Bureau of African Affairs is visiting Bamako"),
        "{}",
        happening[0]
    );
    assert!(happening[0].starts_with("The United States is taking steps to re-engage with Mali"));
    assert!(happening[0].ends_with("has prompted a reassessment of this stance."));
    let importance = paras(&b, SectionKind::Importance);
    assert_eq!(importance.len(), 1);
    assert!(importance[0].starts_with("Mali's geographic position is crucial"));
    let next = paras(&b, SectionKind::Next);
    assert_eq!(next.len(), 1, "{next:?}");
    assert!(next[0].starts_with("The U.S. is likely to continue its diplomatic efforts"));
    assert!(
        next[0].ends_with("will also be closely monitored."),
        "{}",
        next[0]
    );
    assert!(b
        .title
        .starts_with("United States is taking steps to re-engage"));
    assert!(b.title.chars().count() <= 90, "{}", b.title);
    assert!(b.published.is_none() && b.source.is_none());
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_tolerated() {
    let b = ok("\u{feff}+++\r\nid = \"crlf\"\r\n+++\r\nWhat's Next?\r\nA vote\r\nin May.\r\n");
    assert_eq!(b.id, "crlf");
    assert_eq!(paras(&b, SectionKind::Next), vec!["A vote in May."]);
}

// ---- Real-page quirks, imitated in original text ----

#[test]
fn a_trivia_box_between_sections_is_neither_a_section_nor_content() {
    let b = ok("\
Ferry fares rise on the island routes
What's Happening?
The harbour board raised ferry fares by 8% on Monday.
Did You Know
The oldest ferry on the route was built in 1961.
?
AD
Why It's Important?
Islanders rely on the ferry for school and work.
Did you know?
Ferries carry more cars than planes do.
?
AD
Commuters will pay about $20 more a month.
What's Next?
The board reviews the fares again in June.
");
    assert!(b.extra.is_empty(), "{:?}", b.extra);
    assert_eq!(
        paras(&b, SectionKind::Happening),
        ["The harbour board raised ferry fares by 8% on Monday."]
    );
    // A box inside a section: the text after "AD" goes back to that section.
    assert_eq!(
        paras(&b, SectionKind::Importance),
        [
            "Islanders rely on the ferry for school and work.",
            "Commuters will pay about $20 more a month."
        ]
    );
    let all = all_text(&b);
    for junk in ["1961", "planes", "Did You Know", "\n?\n", "AD"] {
        assert!(!all.contains(junk), "{junk:?} leaked: {all}");
    }
}

#[test]
fn axios_byline_photo_credit_share_line_and_sign_off_are_dropped() {
    let b = ok("\
Harbour town votes to ban cruise ships

Imogen Talbot-Reyes

Photo Illustration: Omar Pike/Axios

The town council of Wenmouth voted 7-2 on Monday to ban cruise ships over 5,000 tons from its harbour.

Why it matters: Cruise visits bring in a third of the town's tourist spending.

What's next: The ban starts in 2028.

Share the Wenmouth story.

—IT
");
    assert_eq!(b.title, "Harbour town votes to ban cruise ships");
    assert!(b.extra.is_empty(), "{:?}", b.extra);
    assert_eq!(
        paras(&b, SectionKind::Happening),
        ["The town council of Wenmouth voted 7-2 on Monday to ban cruise ships over 5,000 tons from its harbour."]
    );
    assert_eq!(paras(&b, SectionKind::Next), ["The ban starts in 2028."]);
    let all = all_text(&b);
    for junk in ["Imogen", "Axios", "Share the", "—IT"] {
        assert!(!all.contains(junk), "{junk:?} leaked: {all}");
    }
}

#[test]
fn a_photo_credit_or_caption_is_never_the_title() {
    for credit in [
        "Photo: Lena Ortiz/Coastal Post via Getty Images",
        "Photo Illustration: Sam Oduya/Axios. Photos: Getty Images",
        "The mayor at a rally in October. Photo: Ada Kim/Getty Images",
    ] {
        let b = ok(&format!(
            "{credit}\n\nDriving the news: The city closed its last coal plant on Friday.\n"
        ));
        assert_eq!(b.title, "City closes its last coal plant", "{credit}");
    }
}

#[test]
fn numbered_lists_keep_one_item_a_paragraph() {
    let b = ok("\
Driving the news: The league added two teams.

By the numbers:
1. Each team pays a $300 million fee.
2. The league grows to 20 teams
   in the 2029 season.
3) Play starts in May.

Why it matters: More teams means more games to sell.
");
    let numbers = b
        .extra
        .iter()
        .find(|s| s.heading == "By the numbers")
        .expect("extra");
    assert_eq!(
        numbers.paragraphs,
        [
            "1. Each team pays a $300 million fee.",
            "2. The league grows to 20 teams in the 2029 season.",
            "3) Play starts in May."
        ]
    );
    assert_eq!(
        paras(&b, SectionKind::Importance),
        ["More teams means more games to sell."]
    );
}

#[test]
fn every_axios_side_lead_in_opens_its_own_section_and_cores_stay_clean() {
    let labels = [
        "Between the lines",
        "Zoom in",
        "Zoom out",
        "The bottom line",
        "State of play",
        "By the numbers",
        "Reality check",
        "Flashback",
        "What they're saying",
        "The other side",
        "Of note",
        "Catch up quick",
        "Threat level",
        "The intrigue",
        "Where it stands",
        "Fast facts",
        "Our thought bubble",
    ];
    for label in labels {
        let b = ok(&format!(
            "Driving the news: The port reopened.\n\nWhy it matters: Trade resumes.\n\n\
             {label}: Side text about the port.\n\nWhat's next: A review in May.\n"
        ));
        assert_eq!(
            paras(&b, SectionKind::Happening),
            ["The port reopened."],
            "{label}"
        );
        assert_eq!(
            paras(&b, SectionKind::Importance),
            ["Trade resumes."],
            "{label}"
        );
        assert_eq!(
            paras(&b, SectionKind::Next),
            ["A review in May."],
            "{label}"
        );
        assert_eq!(b.extra.len(), 1, "{label}: {:?}", b.extra);
        assert_eq!(b.extra[0].heading, label);
        assert_eq!(b.extra[0].paragraphs, ["Side text about the port."]);
    }
}

#[test]
fn an_unknown_lead_in_stays_in_its_section_without_eating_the_next() {
    let b = ok("\
Driving the news: The port reopened.

Why it matters: Trade resumes.

Tidal note: Ships wait for high water.
What's next: A review in May.
");
    assert_eq!(
        paras(&b, SectionKind::Importance),
        ["Trade resumes.", "Tidal note: Ships wait for high water."]
    );
    assert_eq!(paras(&b, SectionKind::Next), ["A review in May."]);
    // Run together after a sentence end, too.
    let b =
        ok("Driving the news: The port reopened.Tidal note: Ships wait.What's next: A review.\n");
    assert_eq!(
        paras(&b, SectionKind::Happening),
        ["The port reopened.Tidal note: Ships wait."]
    );
    assert_eq!(paras(&b, SectionKind::Next), ["A review."]);
}

#[test]
fn a_repost_with_its_paragraph_breaks_stripped_is_split_at_its_lead_ins() {
    let b = ok("\
Senate passes the river budget
Tomas Ferreira
Photo: Ines Vale/Delta Courier via Getty Images
Driving the news: The Senate passed the $4 billion river budget early Friday after 30 amendment votes.Why it matters: It funds dredging for a decade. Yes, but: Farmers say the levee money is too small.Zoom in: Two ports get new locks.What's next: The Assembly votes next week. The governor will sign it.
—TF
");
    assert_eq!(b.title, "Senate passes the river budget");
    assert_eq!(
        paras(&b, SectionKind::Happening),
        ["The Senate passed the $4 billion river budget early Friday after 30 amendment votes."]
    );
    assert_eq!(
        paras(&b, SectionKind::Importance),
        [
            "It funds dredging for a decade.",
            "Yes, but: Farmers say the levee money is too small."
        ]
    );
    assert_eq!(b.extra.len(), 1);
    assert_eq!(b.extra[0].heading, "Zoom in");
    assert_eq!(
        paras(&b, SectionKind::Next),
        ["The Assembly votes next week. The governor will sign it."]
    );
    assert!(!all_text(&b).contains("Tomas") && !all_text(&b).contains("TF"));
}

#[test]
fn a_derived_headline_ends_at_a_phrase_boundary_within_80_characters() {
    let cases = [
        "Delegates from the northern provinces approved the revised U.S. trade framework after a night of talks in the capital on Friday.",
        "Rookie guard Malik Odum delivered a historic performance in Game 4 of the regional final against the visiting champions.",
        "The Caldmoor water authority, which serves 2 million people, declared a drought emergency on Thursday and banned lawn watering.",
    ];
    for sentence in cases {
        let b = ok(&format!(
            "What's Happening?\n{sentence} Another sentence follows.\n"
        ));
        let t = &b.title;
        assert!(t.chars().count() <= 80, "{t}");
        assert!(t.ends_with('…'), "{t}");
        let head = t.trim_end_matches('…');
        assert!(headline::trim(sentence).starts_with(head), "{t}");
        let last = head.rsplit(' ').next().unwrap().to_lowercase();
        for bad in ["of", "the", "a", "in", "to", "and", "u.s.", "revised"] {
            assert_ne!(last, bad, "{t}");
        }
        assert!(head.chars().count() >= 30, "too short: {t}");
    }
    // A sentence that fits is the title whole, without its full stop.
    let b = ok("What's Happening?\nThe U.S. Senate confirmed the envoy. More follows.\n");
    assert_eq!(b.title, "U.S. Senate confirms envoy");
}
