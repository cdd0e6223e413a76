//! Config: located errors (file, dotted key with index, line, column) for unknown and
//! mistyped keys, for bad values, and for what start-up would die on (ids of 0, a channel
//! listed twice, an empty `storage.path`, `at` without daily mode, a malformed `api_proxy`);
//! defaults; the documented example file.

use briefbot::brief::parse::{DEFAULT_IGNORE_LINES, DEFAULT_MAX_BYTES};
use briefbot::commands::checks::ChannelPolicy;
use briefbot::config::{Config, ConfigError};
use std::path::{Path, PathBuf};

fn path() -> PathBuf {
    PathBuf::from("conf/briefbot.toml")
}

fn err(text: &str) -> ConfigError {
    match Config::parse(text, &path()) {
        Ok(c) => panic!("accepted:\n{text}\n{c:#?}"),
        Err(e) => e,
    }
}

fn example_text() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/briefbot.example.toml");
    std::fs::read_to_string(p).expect("config/briefbot.example.toml")
}

#[test]
fn an_unknown_key_names_file_key_line_and_column() {
    let e = err("[briefs]\nmax_bytes = 1000\n\n[summary]\nsentence = 3\n");
    assert_eq!(e.path, path());
    assert_eq!(e.key.as_deref(), Some("summary.sentence"));
    assert_eq!(e.position, Some((5, 1)));
    assert!(
        e.message.contains("unknown field `sentence`"),
        "{}",
        e.message
    );
    let shown = e.to_string();
    assert!(
        shown.starts_with("conf/briefbot.toml:5:1: key `summary.sentence`: unknown field"),
        "{shown}"
    );
}

#[test]
fn an_indented_unknown_key_reports_its_column() {
    let e = err("[delivery]\ntimezone = \"UTC\"\n    max_per_secnd = 3\n");
    assert_eq!(e.key.as_deref(), Some("delivery.max_per_secnd"));
    assert_eq!(e.position, Some((3, 5)));
}

#[test]
fn an_unknown_table_is_reported() {
    let e = err("[summary]\nsentences = 2\n\n[summry]\nsentences = 3\n");
    assert_eq!(e.key.as_deref(), Some("summry"));
    assert_eq!(e.position.map(|p| p.0), Some(4));
    assert!(
        e.message.contains("unknown field `summry`"),
        "{}",
        e.message
    );
}

#[test]
fn an_unknown_top_level_key_is_reported() {
    let e = err("# comment\nbriefs_dir = \"x\"\n");
    assert_eq!(e.key.as_deref(), Some("briefs_dir"));
    assert_eq!(e.position, Some((2, 1)));
}

#[test]
fn an_unknown_key_in_an_array_of_tables_is_reported() {
    let e =
        err("[[subscriptions]]\nchannel = 1\n\n[[subscriptions]]\nchannel = 2\ntopic = [\"x\"]\n");
    let key = e.key.as_deref().unwrap();
    assert!(
        key.starts_with("subscriptions") && key.ends_with(".topic"),
        "{key}"
    );
    assert_eq!(e.position, Some((6, 1)));
}

#[test]
fn a_mistyped_value_names_its_key_and_line() {
    let e = err("[summary]\nsentences = \"two\"\n");
    assert_eq!(e.key.as_deref(), Some("summary.sentences"));
    let (line, col) = e.position.unwrap();
    assert_eq!(line, 2);
    assert!(col >= 1);
    assert!(e.message.contains("invalid type"), "{}", e.message);

    let e = err("[[channels]]\nid = \"general\"\n");
    assert_eq!(e.key.as_deref(), Some("channels[0].id"));
    assert_eq!(e.position.map(|p| p.0), Some(2));

    let e = err("[briefs]\nignore_lines = \"Advertisement\"\n");
    assert_eq!(e.key.as_deref(), Some("briefs.ignore_lines"));
    assert_eq!(e.position.map(|p| p.0), Some(2));
}

#[test]
fn broken_toml_syntax_is_located() {
    let e = err("[summary]\nsentences = 2\n[delivery\n");
    assert_eq!(e.position.map(|p| p.0), Some(3));
}

#[test]
fn zero_summary_sentences_is_rejected_with_key_and_line() {
    let e = err("[briefs]\n\n[summary]\n  sentences = 0\n");
    assert_eq!(e.key.as_deref(), Some("summary.sentences"));
    assert_eq!(e.position, Some((4, 3)));
    assert!(e.message.contains("from 1 to 10"), "{}", e.message);
    assert!(
        e.to_string().contains(":4:3: key `summary.sentences`"),
        "{e}"
    );
    assert!(Config::parse("[summary]\nsentences = 11\n", &path()).is_err());
    assert!(Config::parse("[summary]\nsentences = 10\n", &path()).is_ok());
}

#[test]
fn a_bad_timezone_is_rejected_with_key_and_line() {
    let e = err("[delivery]\nmax_per_second = 10\ntimezone = \"Mars/Olympus_Mons\"\n");
    assert_eq!(e.key.as_deref(), Some("delivery.timezone"));
    assert_eq!(e.position, Some((3, 1)));
    assert!(e.message.contains("Mars/Olympus_Mons"), "{}", e.message);
    assert!(Config::parse("[delivery]\ntimezone = \"Europe/Paris\"\n", &path()).is_ok());
}

#[test]
fn a_bad_digest_time_names_the_subscription_index_key_and_line() {
    let text = "\
[[subscriptions]]
channel = 1
mode = \"daily\"
at = \"08:00\"

[[subscriptions]]
channel = 2
mode = \"daily\"
at = \"25:00\"
";
    let e = err(text);
    assert_eq!(e.key.as_deref(), Some("subscriptions[1].at"));
    assert_eq!(e.position, Some((9, 1)));
    assert!(e.message.contains("25:00"), "{}", e.message);
}

#[test]
fn other_subscription_and_delivery_values_are_checked() {
    let e = err("[[subscriptions]]\nchannel = 1\nmode = \"hourly\"\n");
    assert_eq!(e.key.as_deref(), Some("subscriptions[0].mode"));
    assert_eq!(e.position, Some((3, 1)));
    let e = err("[[subscriptions]]\nchannel = 1\nmode = \"daily\"\n");
    assert_eq!(e.key.as_deref(), Some("subscriptions[0].at"));
    let e = err("[delivery]\nmax_per_second = 0\n");
    assert_eq!(e.key.as_deref(), Some("delivery.max_per_second"));
    assert_eq!(e.position, Some((2, 1)));
    let e = err("[delivery]\nmax_per_second = 49\n");
    assert_eq!(e.key.as_deref(), Some("delivery.max_per_second"));
    assert!(e.message.contains("from 1 to 48"), "{}", e.message);
    let e = err("[briefs]\nmax_bytes = 0\n");
    assert_eq!(e.key.as_deref(), Some("briefs.max_bytes"));
    let e = err("[delivery]\nkeep_days = 0\n");
    assert_eq!(e.key.as_deref(), Some("delivery.keep_days"));
    assert_eq!(e.position, Some((2, 1)));
    let e = err("[discord]\napi_proxy = \"localhost:8080\"\n");
    assert_eq!(e.key.as_deref(), Some("discord.api_proxy"));
}

#[test]
fn an_empty_file_gives_the_defaults() {
    let c = Config::parse("", &path()).unwrap();
    assert_eq!(c.summary.sentences, 2);
    assert_eq!(c.briefs.dir, None);
    assert_eq!(c.briefs.ignore_lines, DEFAULT_IGNORE_LINES);
    assert_eq!(c.briefs.max_bytes, DEFAULT_MAX_BYTES);
    assert_eq!(c.delivery.timezone, "UTC");
    assert_eq!(c.discord.token_env, "DISCORD_TOKEN");
    assert!(ChannelPolicy::from_config(&c).allows(42));
}

#[test]
fn values_reach_the_parser_options() {
    let c = Config::parse(
        "[briefs]\ndir = \"news\"\nignore_lines = [\"Advertisement\"]\nmax_bytes = 1024\n\n[summary]\nsentences = 3\n",
        &path(),
    )
    .unwrap();
    assert_eq!(c.briefs.dir.as_deref(), Some(Path::new("news")));
    assert_eq!(c.summary.sentences, 3);
    let o = c.briefs.parse_options();
    assert_eq!(o.ignore_lines, vec!["Advertisement"]);
    assert_eq!(o.max_bytes, 1024);
}

#[test]
fn listed_channels_limit_where_commands_are_answered() {
    let c = Config::parse(
        "[[channels]]\nid = 10\n\n[[channels]]\nid = 20\ncommands = false\n",
        &path(),
    )
    .unwrap();
    let policy = ChannelPolicy::from_config(&c);
    assert!(policy.allows(10));
    assert!(!policy.allows(20));
    assert!(!policy.allows(30));
}

#[test]
fn the_documented_example_file_parses_to_the_defaults() {
    let c = Config::parse(&example_text(), Path::new("config/briefbot.example.toml")).unwrap();
    let d = Config::default();
    assert_eq!(c.summary.sentences, d.summary.sentences);
    assert_eq!(c.briefs.ignore_lines, d.briefs.ignore_lines);
    assert_eq!(c.briefs.max_bytes, d.briefs.max_bytes);
    assert_eq!(c.delivery.timezone, d.delivery.timezone);
    assert_eq!(c.delivery.max_per_second, d.delivery.max_per_second);
    assert_eq!(c.storage.path, d.storage.path);
}

#[test]
fn the_commented_out_keys_of_the_example_file_are_valid_too() {
    // Uncomment `# key = value` and `# [[table]]` lines (not prose comments).
    let text: String = example_text()
        .lines()
        .map(|l| {
            let body = l.strip_prefix("# ").unwrap_or(l);
            let is_toml = body.starts_with("[[")
                || body
                    .split_once(" = ")
                    .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            if l.starts_with("# ") && is_toml {
                format!("{body}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let c = Config::parse(&text, &path()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(c.briefs.dir.as_deref(), Some(Path::new("briefs")));
    assert_eq!(c.channels.len(), 1);
    assert_eq!(c.subscriptions.len(), 1);
    assert_eq!(c.subscriptions[0].topics, vec!["energy", "trade"]);
    assert_eq!(
        c.discord.api_proxy.as_deref(),
        Some("http://127.0.0.1:8080")
    );
    assert_eq!(
        c.discord.shards,
        briefbot::config::shards::Shards::Fixed {
            total: 4,
            range: briefbot::config::shards::ShardRange { first: 0, last: 1 }
        }
    );
    assert_eq!(
        c.http.listen_addr(),
        Some(std::net::SocketAddr::from(([127, 0, 0, 1], 9100)))
    );
}

#[test]
fn load_reads_a_file_and_names_it_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bot.toml");
    std::fs::write(&file, "[summary]\nsentences = 4\n").unwrap();
    assert_eq!(Config::load(&file).unwrap().summary.sentences, 4);

    std::fs::write(&file, "[summary]\nsentenses = 4\n").unwrap();
    let e = Config::load(&file).unwrap_err();
    assert_eq!(e.path, file);
    assert!(
        e.to_string()
            .starts_with(&format!("{}:2:1:", file.display())),
        "{e}"
    );

    let missing = dir.path().join("missing.toml");
    let e = Config::load(&missing).unwrap_err();
    assert_eq!(e.path, missing);
    assert!(e.message.contains("cannot read"), "{}", e.message);
}

#[test]
fn load_reads_only_a_regular_file_and_never_past_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    // A FIFO would block a plain read until a writer came.
    let fifo = dir.path().join("fifo.toml");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let e = Config::load(&fifo).unwrap_err();
    assert!(e.message.contains("not a regular file"), "{e}");
    let e = Config::load(dir.path()).unwrap_err();
    assert!(e.message.contains("not a regular file"), "{e}");
    // 2 MiB of comments: refused by size (the text read stops one byte past the cap).
    let big = dir.path().join("big.toml");
    std::fs::write(&big, "# padding\n".repeat(200_000)).unwrap();
    let e = Config::load(&big).unwrap_err();
    assert!(e.message.contains("at most 32 KiB"), "{e}");
    assert!(e.message.starts_with("32769 bytes"), "{e}");
}

#[test]
fn brief_size_is_capped() {
    let e = err("[briefs]\nmax_bytes = 1073741824\n");
    assert_eq!(e.key.as_deref(), Some("briefs.max_bytes"));
    assert_eq!(e.position, Some((2, 1)));
    assert!(e.message.contains("16 MiB"), "{e}");
    let c = Config::parse("[briefs]\nmax_bytes = 16777216\n", &path()).unwrap();
    assert_eq!(c.briefs.max_bytes, 16 << 20);
}

#[test]
fn table_headers_with_trailing_comments_still_locate_errors() {
    let e = err("[summary] # short answers\nsentences = 0\n");
    assert_eq!(e.key.as_deref(), Some("summary.sentences"));
    assert_eq!(e.position, Some((2, 1)));

    let e = err("[[subscriptions]]  # the newsroom\nchannel = 1\nmode = \"daily\"\nat = \"8\"\n");
    assert_eq!(e.key.as_deref(), Some("subscriptions[0].at"));
    assert_eq!(e.position, Some((4, 1)));

    let e = err("[summary] # c\nsentencez = 1\n");
    assert_eq!(e.key.as_deref(), Some("summary.sentencez"));
    assert_eq!(e.position, Some((2, 1)));
}

#[test]
fn dotted_and_quoted_keys_are_located_too() {
    let e = err("summary.sentences = 0\n");
    assert_eq!(e.key.as_deref(), Some("summary.sentences"));
    assert_eq!(e.position, Some((1, 1)));

    let e = err("[summary]\n\"sentences\" = 0\n");
    assert_eq!(e.key.as_deref(), Some("summary.sentences"));
    assert_eq!(e.position, Some((2, 2)));

    let e = err("summary.sentencez = 3\n");
    assert_eq!(e.key.as_deref(), Some("summary.sentencez"));
    assert_eq!(e.position.map(|p| p.0), Some(1));
}

/// The error's dotted key, 1-based line and column, and message.
fn located(text: &str) -> (String, (usize, usize), String) {
    let e = err(text);
    (
        e.key.clone().unwrap_or_default(),
        e.position.unwrap_or((0, 0)),
        e.message,
    )
}

#[test]
fn ids_of_zero_are_rejected_where_they_are_written() {
    let (key, pos, msg) = located("[[subscriptions]]\nchannel = 0\n");
    assert_eq!((key.as_str(), pos), ("subscriptions[0].channel", (2, 1)));
    assert!(msg.contains("0 is not a Discord id"), "{msg}");

    let (key, pos, _) = located("[discord]\nguild_ids = [1, 0]\n");
    assert_eq!((key.as_str(), pos), ("discord.guild_ids[1]", (2, 17)));

    let (key, pos, _) = located("[[channels]]\nid = 7\n[[channels]]\nid = 0\n");
    assert_eq!((key.as_str(), pos), ("channels[1].id", (4, 1)));

    assert!(Config::parse("[discord]\nguild_ids = [1, 2]\n", &path()).is_ok());
}

#[test]
fn an_empty_database_path_is_rejected() {
    let (key, pos, msg) = located("[storage]\npath = \"\"\n");
    assert_eq!((key.as_str(), pos), ("storage.path", (2, 1)));
    assert!(msg.contains("database file"), "{msg}");
    let (key, _, _) = located("storage.path = \"  \"\n");
    assert_eq!(key, "storage.path");
}

#[test]
fn a_channel_or_subscription_listed_twice_is_rejected_at_the_second_entry() {
    let (key, pos, msg) =
        located("[[channels]]\nid = 5\n\n[[channels]]\nid = 6\n\n[[channels]]\nid = 5\n");
    assert_eq!((key.as_str(), pos), ("channels[2].id", (8, 1)));
    assert!(msg.contains("5 is listed twice (first at line 2)"), "{msg}");

    let text = "\
[[subscriptions]]
channel = 9
topics = [\"energy\"]

[[subscriptions]]
  channel = 9
topics = [\"trade\"]
";
    let (key, pos, msg) = located(text);
    assert_eq!((key.as_str(), pos), ("subscriptions[1].channel", (6, 3)));
    assert!(msg.contains("9 is listed twice (first at line 2)"), "{msg}");
}

#[test]
fn at_is_checked_whatever_the_mode_and_only_daily_takes_it() {
    // Instant (explicit or by default) takes no `at`, valid or not.
    for text in [
        "[[subscriptions]]\nchannel = 1\nmode = \"instant\"\nat = \"25:99\"\n",
        "[[subscriptions]]\nchannel = 1\nat = \"25:99\"\nmode = \"instant\"\n",
        "[[subscriptions]]\nchannel = 1\nat = \"08:00\"\n",
    ] {
        let (key, (line, col), msg) = located(text);
        assert_eq!(key, "subscriptions[0].at", "{text}");
        assert_eq!(col, 1);
        assert_eq!(&text.lines().nth(line - 1).unwrap()[..2], "at", "{text}");
        assert!(msg.contains("daily"), "{msg}");
    }
    let (key, pos, msg) =
        located("[[subscriptions]]\nchannel = 1\nmode = \"daily\"\nat = \"25:99\"\n");
    assert_eq!((key.as_str(), pos), ("subscriptions[0].at", (4, 1)));
    assert!(msg.contains("\"25:99\" is not a time"), "{msg}");
}

#[test]
fn a_malformed_api_proxy_is_rejected() {
    for bad in [
        "http://",
        "http://exa mple.org",
        "http://127.0.0.1:99999",
        "ftp://127.0.0.1:8080",
        "localhost:8080",
        "http://127.0.0.1:8080/?x=1",
        "http://user:secret@127.0.0.1:8080",
        "",
    ] {
        let text = format!("[discord]\ntoken_env = \"T\"\napi_proxy = {bad:?}\n");
        let (key, pos, msg) = located(&text);
        assert_eq!((key.as_str(), pos), ("discord.api_proxy", (3, 1)), "{bad}");
        assert!(msg.contains("http://"), "{bad}: {msg}");
    }
    for good in [
        "http://127.0.0.1:8080",
        "https://proxy.example/",
        "http://[::1]:3000",
        "http://proxy.example/discord",
    ] {
        let text = format!("[discord]\napi_proxy = {good:?}\n");
        assert!(Config::parse(&text, &path()).is_ok(), "{good}");
    }
}

#[test]
fn a_postgres_storage_url_is_checked_and_never_echoed() {
    for bad in [
        "mysql://root@127.0.0.1/briefbot",
        "briefbot.db",
        "postgres//user:secret@host/db",
        "",
    ] {
        let text = format!("[discord]\ntoken_env = \"T\"\n[storage]\nurl = {bad:?}\n");
        let (key, pos, msg) = located(&text);
        assert_eq!((key.as_str(), pos), ("storage.url", (4, 1)), "{bad}");
        assert!(msg.contains("postgres://"), "{bad}: {msg}");
        assert!(!msg.contains("secret"), "{bad}: {msg}");
    }
    let both = "[storage]\nurl = \"postgres://a@h/db\"\nurl_env = \"DB\"\n";
    let (key, pos, _) = located(both);
    assert_eq!((key.as_str(), pos), ("storage.url_env", (3, 1)));
    let (key, _, _) = located("[storage]\nurl_env = \"\"\n");
    assert_eq!(key, "storage.url_env");

    let good = "[storage]\nurl = \"postgres://briefbot:secret@127.0.0.1:5432/briefbot\"\n";
    let config = Config::parse(good, &path()).expect("a postgres URL");
    let shown = format!("{config:?} {}", config.storage.location().expect("url"));
    assert!(!shown.contains("secret"), "password shown: {shown}");
    assert!(shown.contains("briefbot:***@127.0.0.1"), "{shown}");
}

#[test]
fn storage_url_env_is_read_at_start_and_named_when_unset() {
    let text = "[storage]\nurl_env = \"BRIEFBOT_CONFIG_TEST_UNSET_DB_URL\"\n";
    let config = Config::parse(text, &path()).expect("valid");
    let why = config.storage.location().expect_err("unset");
    assert!(why.contains("BRIEFBOT_CONFIG_TEST_UNSET_DB_URL"), "{why}");
    assert!(why.contains("not set"), "{why}");
}

#[test]
fn a_vectors_file_that_cannot_be_read_is_named_with_key_and_line() {
    let e = err("[summary]\nsentences = 2\n\n[answers]\nvectors = \"/nonexistent/glove.txt\"\n");
    assert_eq!(e.key.as_deref(), Some("answers.vectors"));
    assert_eq!(e.position.map(|p| p.0), Some(5));
    assert!(
        e.message.contains("cannot read /nonexistent/glove.txt"),
        "{}",
        e.message
    );
    // Unset (the default): words are matched as written.
    assert_eq!(Config::default().answers.vectors, None);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.txt");
    std::fs::write(&file, "storm 1 0\n").unwrap();
    let text = format!("[answers]\nvectors = {:?}\n", file.display().to_string());
    assert_eq!(
        Config::parse(&text, &path()).unwrap().answers.vectors,
        Some(file)
    );
}

#[test]
fn a_model_folder_that_cannot_be_read_or_comes_with_vectors_is_named_with_key_and_line() {
    let e = err("[answers]\n\nmodel = \"/nonexistent/minilm\"\n");
    assert_eq!(e.key.as_deref(), Some("answers.model"));
    assert_eq!(e.position.map(|p| p.0), Some(3));
    assert!(
        e.message
            .contains("cannot read /nonexistent/minilm/model.safetensors")
            && e.message.contains("tools/model.sh"),
        "{}",
        e.message
    );
    let e = err("[answers]\nvectors = \"v.txt\"\nmodel = \"m\"\n");
    assert_eq!(e.key.as_deref(), Some("answers.model"));
    assert!(e.message.contains("not both"), "{}", e.message);
    assert_eq!(Config::default().answers.model, None);
}
