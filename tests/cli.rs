//! The command line: `ask`, `briefs`, `check`, `console`, `--briefs`, `--config`; config
//! errors stop `check` and `run` alike with exit 2, naming file, key and line.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use tempfile::TempDir;

/// `briefbot` run in an empty temporary working directory, so that no
/// `config/briefbot.toml` is picked up by accident.
struct Bot {
    cwd: TempDir,
}

#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Bot {
    fn new() -> Bot {
        Bot {
            cwd: tempfile::tempdir().unwrap(),
        }
    }

    fn dir(&self) -> &Path {
        self.cwd.path()
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("briefbot").unwrap();
        c.current_dir(self.dir()).env_remove("RUST_LOG").args(args);
        c
    }

    fn run(&self, args: &[&str]) -> Out {
        out(self.cmd(args).output().unwrap())
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let o = self.run(args);
        let v = serde_json::from_str(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}\nstdout:\n{}\nstderr:\n{}", o.stdout, o.stderr));
        (o.code, v)
    }

    /// Writes a file below the working directory and returns its absolute path.
    fn write(&self, rel: &str, text: &[u8]) -> String {
        let p = self.dir().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }
}

fn out(o: std::process::Output) -> Out {
    Out {
        code: o.status.code().expect("exit code"),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(k: &[&'a str]) -> BTreeSet<&'a str> {
    k.iter().copied().collect()
}

fn brief(id: &str, published: &str, title: &str, happening: &str) -> Vec<u8> {
    format!(
        "+++\nid = \"{id}\"\ntitle = \"{title}\"\npublished = \"{published}\"\n+++\nWhat's Happening?\n{happening}\n\nWhat's Next?\nA vote follows. It is due in June. Turnout is uncertain.\n"
    )
    .into_bytes()
}

#[test]
fn ask_brief_prints_the_newest_sample() {
    let o = Bot::new().run(&["ask", "/brief"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .starts_with("━━ Football league owners approve stricter spending cap ━━\n"),
        "{}",
        o.stdout
    );
    assert!(o
        .stdout
        .contains("https://example.com/sports/league-spending-cap"));
    assert!(o.stdout.contains("▸ The News"), "{}", o.stdout);
    assert!(o.stdout.contains("▸ Why It Matters"), "{}", o.stdout);
    assert!(o.stdout.contains("— Published 2026-11-24"), "{}", o.stdout);
}

#[test]
fn ask_json_has_the_documented_shape() {
    let bot = Bot::new();
    let (code, v) = bot.json(&["ask", "--json", "/brief query:harbor detail:full"]);
    assert_eq!(code, 0);
    assert_eq!(
        keys(&v),
        set(&["kind", "brief_id", "title", "source", "sections", "footer", "message"])
    );
    assert_eq!(v["kind"], "answer");
    assert_eq!(v["brief_id"], "harbor-metro-line");
    assert_eq!(
        v["title"],
        "Harbor Line metro extension clears final funding vote"
    );
    assert_eq!(v["source"], "https://example.com/city/harbor-line-funding");
    assert!(v["footer"]
        .as_str()
        .unwrap()
        .starts_with("Published 2026-11-07"));
    assert!(v["message"].is_null());
    let sections = v["sections"].as_array().unwrap();
    for s in sections {
        assert_eq!(keys(s), set(&["section", "heading", "text"]));
    }
    let tags: Vec<&str> = sections
        .iter()
        .map(|s| s["section"].as_str().unwrap())
        .collect();
    assert_eq!(tags, vec!["happening", "importance", "next", "extra"]);
    assert_eq!(sections[3]["heading"], "By the numbers");
    assert_eq!(sections[2]["heading"], "What comes next");
    assert_eq!(
        sections[2]["text"],
        "Tunnel boring is set to begin next spring. The transit agency must still sign a full \
         funding agreement with the U.S. Department of Transportation, which it expects by mid-2027."
    );
}

#[test]
fn ask_json_names_the_brief_an_answer_came_from() {
    let (code, v) = Bot::new().json(&["ask", "--json", "/ask why does the chip rule matter?"]);
    assert_eq!(code, 0);
    assert_eq!(v["brief_id"], "chip-export-rules");
    assert_eq!(v["sections"][0]["section"], "importance");
    assert!(v["message"]
        .as_str()
        .unwrap()
        .contains("(chip-export-rules)"));
}

#[test]
fn an_error_reply_exits_1_with_kind_error() {
    let bot = Bot::new();
    let (code, v) = bot.json(&["ask", "--json", "/brief query:xyz"]);
    assert_eq!(code, 1);
    assert_eq!(v["kind"], "error");
    assert!(v["brief_id"].is_null());
    assert_eq!(v["sections"], Value::Array(vec![]));
    let m = v["message"].as_str().unwrap();
    assert!(
        m.contains("No brief matches 'xyz'") && m.contains("/briefs"),
        "{m}"
    );

    // A brief without a What's Next section.
    bot.write(
        "gap/mill.md",
        b"What's Happening?\nThe mill reopened on Monday.\n\nWhy It's Important?\nJobs return.\n",
    );
    let gap = bot.dir().join("gap");
    let o = bot.run(&["ask", "--briefs", gap.to_str().unwrap(), "/next mill"]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.starts_with("error: "), "{}", o.stdout);
    assert!(
        o.stdout.contains("does not cover what's next"),
        "{}",
        o.stdout
    );

    let o = bot.run(&["ask", "/nope"]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("Unknown command /nope"), "{}", o.stdout);
}

#[test]
fn briefs_json_lists_every_sample_with_full_normalized_sections() {
    let (code, v) = Bot::new().json(&["briefs", "--json"]);
    assert_eq!(code, 0);
    let list = v.as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        vec![
            "league-salary-cap",
            "valley-drought-water",
            "chip-export-rules",
            "flu-vaccine-rollout",
            "harbor-metro-line",
            "grid-storage-auction",
            "04-reusable-booster-test",
        ]
    );
    for b in list {
        assert_eq!(
            keys(b),
            set(&[
                "id",
                "title",
                "published",
                "topics",
                "source",
                "sections",
                "extra"
            ])
        );
        assert_eq!(
            keys(&b["sections"]),
            set(&["happening", "importance", "next"])
        );
        for t in b["topics"].as_array().unwrap() {
            let t = t.as_str().unwrap();
            assert_eq!(t, t.to_lowercase());
        }
    }
    let by = |id: &str| list.iter().find(|b| b["id"] == id).unwrap();

    let league = by("league-salary-cap");
    assert_eq!(league["published"], "2026-11-24T20:05:00+00:00");
    // The newest sample covers all three sections (the README's first command shows it).
    assert!(league["sections"]["next"].is_string());
    assert_eq!(
        &league["topics"].as_array().unwrap()[..3],
        &["sports", "football", "league governance"]
    );

    // Wrapped lines joined with one space.
    let grid = by("grid-storage-auction");
    assert_eq!(
        grid["sections"]["happening"],
        "The Northgate Regional Grid Authority opened its first auction for long-duration \
         battery storage on Monday, seeking approx. 1.8 gigawatts of capacity across four \
         states. Bids are due by Jan. 15, and contracts would run for 20 years. \"We want \
         storage that can carry the evening peak, not just smooth a few minutes,\" said Dr. M. \
         T. Alvarez, the authority's planning chief."
    );
    // Paragraphs joined with a blank line; extra sections listed.
    let harbor = by("harbor-metro-line");
    let importance = harbor["sections"]["importance"].as_str().unwrap();
    assert_eq!(importance.matches("\n\n").count(), 1, "{importance}");
    assert!(importance.starts_with("The airport corridor is the busiest bus route"));
    assert!(
        importance.contains("to 19.\n\nCritics argue"),
        "{importance}"
    );
    assert_eq!(
        harbor["extra"],
        serde_json::json!([{
            "heading": "By the numbers",
            "text": "The line adds 6.4 miles of new track, 4.1 of them underground. Its total \
                     cost is $2.75 billion, with 48.5 percent from federal grants. The first \
                     passenger service is targeted for 2031."
        }])
    );

    let booster = by("04-reusable-booster-test");
    assert!(booster["published"].is_null());
    assert!(booster["source"].is_null());
}

#[test]
fn briefs_prints_one_line_per_brief() {
    let o = Bot::new().run(&["briefs"]);
    assert_eq!(o.code, 0);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", o.stdout);
    assert!(lines[0].starts_with("league-salary-cap"));
    assert!(lines[0].contains("2026-11-24"));
    assert!(lines[6].contains("undated"));
}

#[test]
fn check_passes_on_the_samples() {
    let o = Bot::new().run(&["check"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert_eq!(o.stdout, "embedded samples: 7 briefs loaded, 0 problems\n");
}

#[test]
fn check_reports_each_bad_file_and_still_counts_the_good_ones() {
    let bot = Bot::new();
    let dir = bot.dir().join("news");
    bot.write(
        "news/good.md",
        &brief("good", "2026-02-01T00:00:00Z", "Good", "A vote."),
    );
    bot.write("news/sub/also-good.txt", b"Why it matters: Money.\n");
    let empty = bot.write("news/empty.md", b"");
    let latin1 = bot.write("news/latin1.txt", b"What's Next?\nCaf\xe9.\n");
    let front = bot.write(
        "news/front.md",
        b"+++\ntitle = \"x\"\npublished = \"soon\"\n+++\nWhat's Next?\nA.\n",
    );
    // Prose becomes a brief (see below); a headline with no sentence under it does not.
    let prose = bot.write("news/prose.md", b"Just a headline\n\n## And a heading\n");
    let dup = bot.write(
        "news/zz-dup.md",
        &brief("good", "2026-02-02T00:00:00Z", "Dup", "B."),
    );

    let o = bot.run(&["check", "--briefs", dir.to_str().unwrap()]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    for (path, reason) in [
        (&empty, "empty file"),
        (&latin1, "not valid UTF-8"),
        (&front, "front matter, line 3"),
        (&prose, "no recognizable section"),
        (&dup, "duplicate id \"good\""),
    ] {
        let line = format!("{path}: {reason}");
        assert!(
            o.stdout.contains(&line),
            "missing {line:?} in\n{}",
            o.stdout
        );
    }
    assert!(
        o.stdout
            .ends_with(&format!("{}: 2 briefs loaded, 5 problems\n", dir.display())),
        "{}",
        o.stdout
    );
}

/// A news article with no section headings, as a feed or a copy-paste gives it.
const PROSE_ARTICLE: &[u8] = b"Island ferry service to end after 60 years\n\n\
The operator of the Skerry Isle ferry said on Monday it would stop sailing in October,\n\
ending a route that began in 1965.\n\n\
\"We kept it going as long as we could,\" managing director Ruth Callan told reporters.\n\n\
The ferry is the only link to the mainland for about 300 islanders, so the closure means\n\
longer and costlier journeys by private boat.\n\n\
The regional council will meet next week to discuss a subsidy, and a decision is expected\n\
by September.\n";

#[test]
fn a_prose_file_in_the_folder_is_a_three_section_brief_marked_in_its_footer() {
    let bot = Bot::new();
    let dir = bot.dir().join("news");
    bot.write("news/ferry.md", PROSE_ARTICLE);
    let d = dir.to_str().unwrap();
    let o = bot.run(&["check", "--briefs", d]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.ends_with("1 briefs loaded, 0 problems\n"),
        "{}",
        o.stdout
    );

    let (code, v) = bot.json(&["ask", "--json", "--briefs", d, "/brief detail:full"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["brief_id"], "ferry");
    assert_eq!(v["title"], "Island ferry service to end after 60 years");
    let footer = v["footer"].as_str().unwrap();
    assert!(
        footer.ends_with("Sections assigned automatically"),
        "{footer}"
    );
    let sections = v["sections"].as_array().unwrap();
    let tags: Vec<&str> = sections
        .iter()
        .map(|s| s["section"].as_str().unwrap())
        .collect();
    assert_eq!(tags, vec!["happening", "importance", "next"]);
    let text = |i: usize| sections[i]["text"].as_str().unwrap();
    assert!(
        text(0).starts_with("The operator of the Skerry Isle ferry said on Monday"),
        "{v}"
    );
    assert!(text(0).contains("\"We kept it going"), "{v}");
    assert!(text(1).starts_with("The ferry is the only link"), "{v}");
    assert_eq!(
        text(2),
        "The regional council will meet next week to discuss a subsidy, and a decision is \
         expected by September."
    );
    assert!(
        !text(0).contains("Island ferry service"),
        "the headline is the title only"
    );

    // The console shows the same footer; a brief with headings does not carry it.
    let o = bot.run(&["ask", "--briefs", d, "/brief"]);
    assert!(
        o.stdout.contains("· Sections assigned automatically"),
        "{}",
        o.stdout
    );
    let o = bot.run(&["ask", "/brief"]);
    assert!(!o.stdout.contains("assigned automatically"), "{}", o.stdout);
}

#[test]
fn bad_files_are_warned_about_and_the_rest_still_answer() {
    let bot = Bot::new();
    let dir = bot.dir().join("news");
    bot.write(
        "news/good.md",
        &brief("good", "2026-02-01T00:00:00Z", "Good", "A vote."),
    );
    let empty = bot.write("news/empty.md", b"");
    let o = bot.run(&["ask", "--briefs", dir.to_str().unwrap(), "/brief"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.starts_with("━━ Good ━━"), "{}", o.stdout);
    assert!(o.stderr.contains(&empty), "{}", o.stderr);
    assert!(o.stderr.contains("empty file"), "{}", o.stderr);
}

#[test]
fn console_answers_piped_lines_until_quit() {
    let bot = Bot::new();
    let o = out(bot
        .cmd(&["console"])
        .write_stdin("/brief query:grid section:next\n\n/help\n/quit\n/briefs\n")
        .output()
        .unwrap());
    assert_eq!(o.code, 0, "{}", o.stderr);
    let s = &o.stdout;
    assert!(
        s.starts_with("━━ Regional grid operator opens first long-duration storage auction ━━\n"),
        "{s}"
    );
    assert!(s.contains("▸ What's Next?"), "{s}");
    assert!(
        s.contains("Qualified bidders will be announced in February"),
        "{s}"
    );
    assert!(!s.contains("▸ What's Happening?"), "{s}");
    assert!(
        s.contains("briefbot answers with short news briefs."),
        "{s}"
    );
    assert!(s.contains("/brief [query:…] [section:…] [detail:…]"), "{s}");
    // Nothing after /quit is answered.
    assert!(!s.contains("Latest briefs"), "{s}");
}

#[test]
fn console_shows_errors_and_keeps_going() {
    let o = out(Bot::new()
        .cmd(&["console"])
        .write_stdin("/brief query:xyz\n/next grid\n")
        .output()
        .unwrap());
    assert_eq!(o.code, 0);
    assert!(
        o.stdout.contains("error: No brief matches 'xyz'"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("▸ What's Next?"), "{}", o.stdout);
}

#[test]
fn briefs_option_reads_a_folder() {
    let bot = Bot::new();
    let dir = bot.dir().join("mine");
    bot.write(
        "mine/a.md",
        &brief("old-one", "2026-03-01T00:00:00Z", "Old one", "Old news."),
    );
    bot.write(
        "mine/b/c.md",
        &brief("new-one", "2026-03-05T00:00:00Z", "New one", "New news."),
    );
    let d = dir.to_str().unwrap();
    let (code, v) = bot.json(&["ask", "--json", "--briefs", d, "/brief"]);
    assert_eq!(code, 0);
    assert_eq!(v["brief_id"], "new-one");
    let (_, v) = bot.json(&["briefs", "--json", "--briefs", d]);
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["new-one", "old-one"]);
}

#[test]
fn a_missing_briefs_folder_stops_with_exit_2() {
    let bot = Bot::new();
    let o = bot.run(&["ask", "--briefs", "no-such-folder", "/brief"]);
    assert_eq!(o.code, 2);
    assert!(o.stdout.is_empty());
    assert!(
        o.stderr
            .contains("cannot read the briefs folder no-such-folder"),
        "{}",
        o.stderr
    );
}

#[test]
fn config_option_sets_summary_sentences_and_the_briefs_folder() {
    let bot = Bot::new();
    let dir = bot.dir().join("folder");
    bot.write(
        "folder/x.md",
        &brief("x", "2026-03-01T00:00:00Z", "X", "One. Two. Three."),
    );
    let cfg = bot.write(
        "elsewhere/bot.toml",
        format!(
            "[briefs]\ndir = {:?}\n\n[summary]\nsentences = 1\n",
            dir.display().to_string()
        )
        .as_bytes(),
    );
    let (code, v) = bot.json(&["ask", "--json", "--config", &cfg, "/next"]);
    assert_eq!(code, 0);
    assert_eq!(v["brief_id"], "x");
    assert_eq!(v["sections"][0]["text"], "A vote follows.");

    // --briefs overrides briefs.dir.
    let other = bot.dir().join("other");
    bot.write(
        "other/y.md",
        &brief("y", "2026-01-01T00:00:00Z", "Y", "Why."),
    );
    let (code, v) = bot.json(&[
        "ask",
        "--json",
        "--config",
        &cfg,
        "--briefs",
        other.to_str().unwrap(),
        "/brief",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["brief_id"], "y");
}

#[test]
fn the_default_config_file_is_read_from_the_working_directory() {
    let bot = Bot::new();
    bot.write("config/briefbot.toml", b"[summary]\nsentences = 1\n");
    let (code, v) = bot.json(&["ask", "--json", "/brief query:grid section:next"]);
    assert_eq!(code, 0);
    assert_eq!(
        v["sections"][0]["text"],
        "Qualified bidders will be announced in February, and winning projects must reach \
         commercial operation by 2030."
    );
}

#[test]
fn a_config_error_exits_2_with_file_key_line_and_column_on_stderr() {
    let bot = Bot::new();
    let cfg = bot.write("bad.toml", b"[summary]\nsentence = 3\n");
    for sub in [&["check"][..], &["console"], &["briefs"], &["ask", "/help"]] {
        let mut args = sub.to_vec();
        args.extend(["--config", &cfg]);
        let o = bot.run(&args);
        assert_eq!(o.code, 2, "{sub:?}");
        assert!(o.stdout.is_empty(), "{sub:?}: {}", o.stdout);
        assert!(
            o.stderr.contains(&format!(
                "{cfg}:2:1: key `summary.sentence`: unknown field `sentence`"
            )),
            "{sub:?}: {}",
            o.stderr
        );
    }
}

#[test]
fn a_config_value_error_exits_2_naming_key_and_line() {
    let bot = Bot::new();
    let cfg = bot.write(
        "bad.toml",
        b"[[subscriptions]]\nchannel = 1\n\n[[subscriptions]]\nchannel = 2\nmode = \"daily\"\nat = \"25:00\"\n",
    );
    let o = bot.run(&["check", "--config", &cfg]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains(&format!("{cfg}:7:1: key `subscriptions[1].at`")),
        "{}",
        o.stderr
    );
    // The default file is checked the same way.
    bot.write(
        "config/briefbot.toml",
        b"[delivery]\ntimezone = \"Nowhere/Land\"\n",
    );
    let o = bot.run(&["check"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("config/briefbot.toml:2:1: key `delivery.timezone`"),
        "{}",
        o.stderr
    );
}

#[test]
fn config_that_start_up_would_die_on_fails_check_and_run_with_exit_2() {
    // (config, the key and line the error must name). REST goes to a closed local port, so
    // that nothing could reach the internet even if `run` got past the config.
    let cases: &[(&str, &str)] = &[
        (
            "[[subscriptions]]\nchannel = 0\n",
            "2:1: key `subscriptions[0].channel`",
        ),
        (
            "[discord]\nguild_ids = [0]\n",
            "2:14: key `discord.guild_ids[0]`",
        ),
        ("[storage]\npath = \"\"\n", "2:1: key `storage.path`"),
        (
            "[[channels]]\nid = 5\n[[channels]]\nid = 5\n",
            "4:1: key `channels[1].id`",
        ),
        (
            "[[subscriptions]]\nchannel = 5\n[[subscriptions]]\nchannel = 5\n",
            "4:1: key `subscriptions[1].channel`",
        ),
        (
            "[[subscriptions]]\nchannel = 5\nmode = \"instant\"\nat = \"25:99\"\n",
            "4:1: key `subscriptions[0].at`",
        ),
        (
            "[discord]\napi_proxy = \"http://\"\n",
            "2:1: key `discord.api_proxy`",
        ),
    ];
    let bot = Bot::new();
    for (text, where_) in cases {
        let mut config = (*text).to_owned();
        if !text.contains("api_proxy") {
            let table = if text.contains("[discord]") {
                ""
            } else {
                "[discord]\n"
            };
            config = format!("{config}{table}api_proxy = \"http://127.0.0.1:9\"\n");
        }
        let cfg = bot.write("bad.toml", config.as_bytes());
        for sub in ["check", "run"] {
            let o = out(bot
                .cmd(&[sub, "--config", &cfg])
                .env("DISCORD_TOKEN", "test-token")
                .timeout(std::time::Duration::from_secs(30))
                .output()
                .unwrap());
            assert_eq!(o.code, 2, "{sub} {text}: {}", o.stderr);
            assert!(
                o.stderr.contains(&format!("{cfg}:{where_}")),
                "{sub} {text}: {}",
                o.stderr
            );
        }
    }
}

#[test]
fn console_subscribe_to_channel_0_is_refused_before_any_store_or_discord() {
    let bot = Bot::new();
    let o = bot.run(&["ask", "/subscribe channel:0"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.contains("not a channel"), "{}", o.stdout);
    assert!(
        !bot.dir().join("briefbot.db").exists(),
        "no database opened"
    );
}

#[test]
fn word_vectors_are_read_from_the_configured_file_and_a_bad_line_is_named() {
    let bot = Bot::new();
    bot.write("v.txt", b"storm 1 0 0\nrain 1 0\n");
    bot.write("config/briefbot.toml", b"[answers]\nvectors = \"v.txt\"\n");
    fails_naming(
        &bot,
        &["ask", "/ask why do the chip rules matter?"],
        &["answers.vectors", "v.txt line 2: 2 numbers"],
    );
    bot.write("v.txt", b"storm 1 0 0\nrain 1 0.1 0\n");
    answers_and_checks(&bot, "word vectors v.txt: 2 words of 3 numbers");
    // `eval --vectors` reads the same format, and names the flag when it cannot.
    fails_naming(
        &bot,
        &["eval", "--dir", "nowhere", "--vectors", "missing.txt"],
        &["--vectors", "missing.txt"],
    );
}

/// `args` exits 2 with every one of `names` on stderr.
fn fails_naming(bot: &Bot, args: &[&str], names: &[&str]) {
    let o = bot.run(args);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(names.iter().all(|n| o.stderr.contains(n)), "{}", o.stderr);
}

/// With a model of meaning configured, `ask` answers a question and `check` reports the
/// model with `reported`.
fn answers_and_checks(bot: &Bot, reported: &str) {
    let o = bot.run(&["ask", "/ask why do the chip rules matter?"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(o.stdout.contains("Answered from"), "{}", o.stdout);
    let o = bot.run(&["check"]);
    assert_eq!(o.code, 0, "{o:?}");
    assert!(o.stdout.contains(reported), "{}", o.stdout);
}

/// `[answers] model` names a sentence encoder folder: `ask` answers with it, `check` reports
/// it, a broken folder stops start-up naming the key and the file (the fixture is the tiny
/// model of `tools/encoder_reference.py --tiny`; tests/encoder.rs runs the real one).
#[test]
fn a_sentence_encoder_is_read_from_the_configured_folder_and_a_broken_one_is_named() {
    let bot = Bot::new();
    let tiny = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert");
    for f in [
        "config.json",
        "vocab.txt",
        "model.safetensors",
        "1_Pooling/config.json",
    ] {
        bot.write(&format!("m/{f}"), &std::fs::read(tiny.join(f)).unwrap());
    }
    bot.write("config/briefbot.toml", b"[answers]\nmodel = \"m\"\n");
    answers_and_checks(&bot, "sentence encoder m: 2 layers, vectors of 16 numbers");
    bot.write("m/vocab.txt", b"[PAD]\n[UNK]\n[CLS]\n[SEP]\n");
    fails_naming(
        &bot,
        &["ask", "/ask why do the chip rules matter?"],
        &["answers.model", "vocab.txt: 4 pieces"],
    );
    fails_naming(
        &bot,
        &["eval", "--dir", "nowhere", "--model", "missing"],
        &["--model", "config.json"],
    );
}
