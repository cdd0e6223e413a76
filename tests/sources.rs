//! Feed and page sources against a local web server (`support::web`): the fixtures parse as
//! `tests/fixtures/web/expected.toml` says, and every bad input gives a clear per-source error
//! (malformed XML, an HTML error page, 50 MB, a stalled body, a redirect loop, 404/410/500/429,
//! TLS failure, 10,000 items, duplicate guids, items without links or dates, Latin-1).

mod support;

use briefbot::brief::{Brief, ParseOptions, SectionKind};
use briefbot::source::fetch::{FetchError, FetchOptions, Fetcher, Validators};
use briefbot::source::status::State;
use briefbot::source::web::{self, Kind, PollError, Polled, Spec, WebSource};
use briefbot::source::{feed, page};
use std::time::Duration;
use support::wait::eventually;
use support::web::{fixture_bytes, WebServer};

fn spec(name: &str, url: &str, kind: Kind) -> Spec {
    Spec {
        name: name.into(),
        url: url.into(),
        kind,
        interval: Duration::from_secs(60),
        topics: vec!["local".into()],
        fetch_pages: false,
        keep: None,
    }
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchOptions {
        connect_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(3),
        max_bytes: FetchOptions::default().max_bytes,
    })
}

fn expected() -> toml::Value {
    let text = std::fs::read_to_string(format!("{}/expected.toml", support::web::FIXTURES))
        .expect("expected.toml");
    toml::from_str(&text).expect("expected.toml parses")
}

fn first_sentence(b: &Brief, kind: SectionKind) -> String {
    let text = b.section(kind).map(|s| s.text()).unwrap_or_default();
    let sentences = briefbot::text::sentences::split(&text);
    sentences.into_iter().next().unwrap_or_default()
}

async fn poll(server: &WebServer, path: &str, kind: Kind) -> Result<Polled, PollError> {
    let mut s = WebSource::new(spec("t", &server.url(path), kind), ParseOptions::default());
    s.poll(&fetcher()).await
}

fn items(p: Result<Polled, PollError>) -> Vec<web::ItemBrief> {
    match p {
        Ok(Polled::Items(i)) => i,
        other => panic!("expected items, got {other:?}"),
    }
}

#[tokio::test]
async fn feeds_parse_as_expected_toml_says() {
    let server = WebServer::start().await;
    let exp = expected();
    for (name, file) in [
        ("rss", "feed.rss.xml"),
        ("atom", "feed.atom.xml"),
        ("json", "feed.json"),
        ("latin1", "feed-iso8859.xml"),
    ] {
        let e = &exp["feeds"][name];
        let parsed = feed::parse_with(&fixture_bytes(file, server.base()), None).expect(file);
        assert_eq!(parsed.title.as_deref(), e["title"].as_str(), "{file} title");
        let want = e["item"].as_array().unwrap();
        assert_eq!(parsed.items.len(), want.len(), "{file} items");
        for (got, want) in parsed.items.iter().zip(want) {
            let sub = |k: &str| want[k].as_str().unwrap().replace("{{BASE}}", server.base());
            let key = want
                .get("guid")
                .or(want.get("id"))
                .unwrap()
                .as_str()
                .unwrap();
            assert_eq!(
                got.key,
                key.replace("{{BASE}}", server.base()),
                "{file} key"
            );
            assert_eq!(got.title.as_deref(), Some(sub("title").as_str()), "{file}");
            assert_eq!(got.link.as_deref(), Some(sub("link").as_str()), "{file}");
            let published = chrono::DateTime::parse_from_rfc3339(&sub("published")).unwrap();
            assert_eq!(got.published, Some(published), "{file} {key} date");
            if let Some(first) = want.get("first_sentence") {
                let text = page::fragment_text(&got.html);
                assert!(
                    text.starts_with(first.as_str().unwrap()),
                    "{file}: {text:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn sectioned_items_become_briefs_and_raw_ones_get_their_sections_assigned() {
    let server = WebServer::start().await;
    let exp = expected();
    for (name, path) in [
        ("rss", "/fixtures/feed.rss.xml"),
        ("atom", "/fixtures/feed.atom.xml"),
        ("json", "/fixtures/feed.json"),
    ] {
        let mut source = WebSource::new(
            spec("t", &server.url(path), Kind::Auto),
            ParseOptions::default(),
        );
        let all = items(source.poll(&fetcher()).await);
        assert_eq!(source.status().kind, name);
        let want: Vec<&toml::Value> = exp["feeds"][name]["item"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["has_sections"].as_bool() == Some(true))
            .collect();
        // Every item becomes a brief: raw ones with their sections assigned automatically.
        let total = exp["feeds"][name]["items"].as_integer().unwrap() as usize;
        assert_eq!(all.len(), total, "{name}: every item");
        assert!(source.status().skipped.is_empty(), "{name}");
        let got: Vec<_> = all.iter().filter(|i| !i.brief.auto_sections).collect();
        assert_eq!(
            got.len(),
            want.len(),
            "{name}: the sectioned items keep their own"
        );
        for raw in all.iter().filter(|i| i.brief.auto_sections) {
            assert!(raw.brief.happening.is_some(), "{name}: {:?}", raw.brief);
        }
        for (g, w) in got.iter().zip(want) {
            let b = &g.brief;
            assert_eq!(b.title, w["title"].as_str().unwrap());
            assert_eq!(
                b.source.as_deref(),
                Some(
                    w["link"]
                        .as_str()
                        .unwrap()
                        .replace("{{BASE}}", server.base())
                        .as_str()
                )
            );
            assert_eq!(b.topics, vec!["local".to_owned()]);
            for (kind, key) in [
                (SectionKind::Happening, "happening_first"),
                (SectionKind::Importance, "importance_first"),
                (SectionKind::Next, "next_first"),
            ] {
                assert_eq!(first_sentence(b, kind), w[key].as_str().unwrap(), "{name}");
            }
        }
        // Stable across polls: the same ids and hashes.
        let again = items(source.poll(&fetcher()).await);
        assert_eq!(
            again
                .iter()
                .map(|i| (&i.brief.id, &i.hash))
                .collect::<Vec<_>>(),
            all.iter()
                .map(|i| (&i.brief.id, &i.hash))
                .collect::<Vec<_>>()
        );
    }
}

#[tokio::test]
async fn glance_and_axios_pages_parse_into_their_sections() {
    let server = WebServer::start().await;
    let exp = expected();
    for name in ["glance", "axios"] {
        let e = &exp["pages"][name];
        let path = format!("/fixtures/{}", e["file"].as_str().unwrap());
        let got = items(poll(&server, &path, Kind::Auto).await);
        assert_eq!(got.len(), 1);
        let b = &got[0].brief;
        assert_eq!(b.title, e["title"].as_str().unwrap());
        let published = chrono::DateTime::parse_from_rfc3339(e["published"].as_str().unwrap());
        assert_eq!(b.published, published.ok(), "{name}");
        for (kind, key) in [
            (SectionKind::Happening, "happening_first"),
            (SectionKind::Importance, "importance_first"),
            (SectionKind::Next, "next_first"),
        ] {
            assert_eq!(first_sentence(b, kind), e[key].as_str().unwrap(), "{name}");
        }
        let all = b
            .sections()
            .map(|(_, s)| s.text())
            .chain(b.extra.iter().map(|s| s.text()))
            .collect::<Vec<_>>()
            .join("\n");
        for bad in e["must_not_contain"].as_array().unwrap() {
            assert!(
                !all.contains(bad.as_str().unwrap()),
                "{name}: {bad} in {all}"
            );
        }
        if name == "glance" {
            for (kind, key) in [
                (SectionKind::Happening, "happening_paragraphs"),
                (SectionKind::Importance, "importance_paragraphs"),
                (SectionKind::Next, "next_paragraphs"),
            ] {
                assert_eq!(
                    b.section(kind).unwrap().paragraphs.len() as i64,
                    e[key].as_integer().unwrap()
                );
            }
        } else {
            // "Driving the news:" opens happening; a side lead-in ("Zoom in:") opens an extra
            // section of its own (the parser's choice, see src/brief/parse.rs).
            let happening = b.section(SectionKind::Happening).unwrap().text();
            assert!(happening.contains(e["driving_the_news_first"].as_str().unwrap()));
            assert!(
                b.extra
                    .iter()
                    .any(|x| x.text().contains(e["zoom_in_first"].as_str().unwrap())),
                "{:?}",
                b.extra
            );
        }
    }
}

#[tokio::test]
async fn a_raw_article_page_is_extracted_cleanly_and_gets_its_sections_assigned() {
    let server = WebServer::start().await;
    let e = &expected()["pages"]["raw"];
    let html = String::from_utf8(fixture_bytes("raw-article.html", server.base())).unwrap();
    let p = page::extract(&html);
    assert_eq!(p.title.as_deref(), e["title"].as_str());
    let paragraphs: Vec<&str> = p.text.split("\n\n").collect();
    assert_eq!(
        paragraphs.len() as i64,
        e["paragraphs"].as_integer().unwrap()
    );
    assert!(paragraphs[0].starts_with(e["first_sentence"].as_str().unwrap()));
    assert!(paragraphs[7].ends_with(e["last_sentence"].as_str().unwrap()));
    for bad in e["must_not_contain"].as_array().unwrap() {
        assert!(!p.text.contains(bad.as_str().unwrap()), "{bad}");
    }
    // No headings and no lead-ins: each sentence is given a role, in its original order.
    let got = items(poll(&server, "/fixtures/raw-article.html", Kind::Page).await);
    assert_eq!(got.len(), 1);
    let b = &got[0].brief;
    assert!(b.auto_sections, "marked as automatically sectioned");
    let happening = b.happening.as_ref().expect("a happening section");
    assert!(happening.paragraphs[0].starts_with(e["first_sentence"].as_str().unwrap()));
    assert!(
        b.importance.is_some() || b.next.is_some(),
        "more than one section: {b:?}"
    );
}

#[tokio::test]
async fn gzip_bodies_are_decoded() {
    let server = WebServer::start().await;
    let got = items(poll(&server, "/gzip.xml", Kind::Auto).await);
    assert_eq!(got.len(), 5, "the five items of the RSS fixture");
    assert_eq!(got.iter().filter(|i| !i.brief.auto_sections).count(), 2);
}

#[tokio::test]
async fn brotli_bodies_are_decoded() {
    let server = WebServer::start().await;
    let got = items(poll(&server, "/brotli.xml", Kind::Auto).await);
    assert_eq!(got.len(), 5, "the five items of the RSS fixture");
    assert_eq!(got.iter().filter(|i| !i.brief.auto_sections).count(), 2);
}

#[tokio::test]
async fn latin1_feed_is_decoded() {
    let server = WebServer::start().await;
    let bytes = fixture_bytes("feed-iso8859.xml", server.base());
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is real Latin-1"
    );
    let parsed = feed::parse_with(&bytes, Some("application/rss+xml; charset=ISO-8859-1")).unwrap();
    assert_eq!(
        parsed.items[1].title.as_deref(),
        Some("Rail fares to Zürich rise; day return now costs £38")
    );
}

#[tokio::test]
async fn bad_inputs_give_clear_errors() {
    let server = WebServer::start().await;
    let err = |p: Result<Polled, PollError>| p.expect_err("an error").to_string();

    let broken = err(poll(&server, "/fixtures/broken.xml", Kind::Auto).await);
    assert!(broken.contains("not a readable feed"), "{broken}");

    // An HTML error page, with its 503 status and served as 200 where a feed was expected.
    let e503 = err(poll(&server, "/fixtures/error.html", Kind::Rss).await);
    assert_eq!(e503, "HTTP 503");
    let e200 = err(poll(&server, "/fixtures/error-200.html", Kind::Rss).await);
    assert!(
        e200.contains("error page") && e200.contains("503 Service Unavailable"),
        "{e200}"
    );
    // A page expected to be a feed (no error title): not a feed.
    let html = err(poll(&server, "/fixtures/glance-page.html", Kind::Rss).await);
    assert!(html.contains("expected a feed"), "{html}");

    let big = poll(&server, "/big", Kind::Auto).await.unwrap_err();
    assert!(
        matches!(big, PollError::Fetch(FetchError::TooLarge { .. })),
        "{big}"
    );

    let stall = poll(&server, "/stall", Kind::Auto).await.unwrap_err();
    assert!(
        matches!(
            stall,
            PollError::Fetch(FetchError::Timeout(_) | FetchError::Body(_))
        ),
        "{stall:?}"
    );

    let looped = poll(&server, "/loop", Kind::Auto).await.unwrap_err();
    assert_eq!(looped, PollError::Fetch(FetchError::Redirects));

    for code in [404u16, 410, 500] {
        let e = poll(&server, &format!("/status/{code}"), Kind::Auto)
            .await
            .unwrap_err();
        assert_eq!(e.to_string(), format!("HTTP {code}"));
    }
    let limited = poll(&server, "/status/429", Kind::Auto).await.unwrap_err();
    assert_eq!(limited.to_string(), "HTTP 429 (retry after 120s)");

    // TLS failure: https to a plain HTTP port.
    let tls = server.base().replace("http://", "https://") + "/fixtures/feed.rss.xml";
    let mut s = WebSource::new(spec("t", &tls, Kind::Auto), ParseOptions::default());
    let e = s.poll(&fetcher()).await.unwrap_err();
    assert!(
        matches!(e, PollError::Fetch(FetchError::Connect(_))),
        "{e:?}"
    );
    assert_eq!(s.status().state, State::Failing);
}

#[tokio::test]
async fn retry_after_and_gone_sources_shape_the_schedule() {
    let server = WebServer::start().await;
    let mut limited = WebSource::new(
        spec("t", &server.url("/status/429"), Kind::Auto),
        ParseOptions::default(),
    );
    limited.poll(&fetcher()).await.unwrap_err();
    assert!(limited.next_delay(Duration::from_secs(60)) >= Duration::from_secs(120));

    let mut gone = WebSource::new(
        spec("t", &server.url("/status/410"), Kind::Auto),
        ParseOptions::default(),
    );
    for _ in 0..web::GONE_LIMIT {
        assert!(!gone.disabled());
        gone.poll(&fetcher()).await.unwrap_err();
    }
    assert!(gone.disabled());
    assert_eq!(gone.status().state, State::Disabled);
    assert!(gone
        .status()
        .last_error
        .as_deref()
        .unwrap()
        .contains("HTTP 410"));
}

#[tokio::test]
async fn huge_feeds_duplicates_and_items_without_links_or_dates() {
    let server = WebServer::start().await;
    let mut s = WebSource::new(
        spec("t", &server.url("/many.xml"), Kind::Auto),
        ParseOptions::default(),
    );
    let got = items(s.poll(&fetcher()).await);
    assert_eq!(got.len(), feed::MAX_ITEMS);
    assert!(
        s.status().skipped[0].contains("10000 items"),
        "{:?}",
        s.status().skipped
    );

    let mut s = WebSource::new(
        spec("t", &server.url("/odd.xml"), Kind::Auto),
        ParseOptions::default(),
    );
    let got = items(s.poll(&fetcher()).await);
    let titles: Vec<&str> = got.iter().map(|i| i.brief.title.as_str()).collect();
    assert_eq!(titles, ["First of two", "Only a link"]);
    assert!(s.status().skipped[0].contains("duplicate item id \"dup\""));
    assert_eq!(got[0].brief.source, None, "no link");
    assert_eq!(got[0].brief.published, None, "no date");
    assert_eq!(
        got[1].key, "http://127.0.0.1/only-link",
        "keyed by its link"
    );
}

#[tokio::test]
async fn conditional_get_answers_304() {
    let server = WebServer::start().await;
    server.set_live(&[("One", "g1", &support::web::sectioned("One happened."))]);
    let f = fetcher();
    let mut s = WebSource::new(
        spec("t", &server.url("/live.xml"), Kind::Auto),
        ParseOptions::default(),
    );
    assert_eq!(items(s.poll(&f).await).len(), 1);
    assert_eq!(s.poll(&f).await, Ok(Polled::NotModified));
    assert_eq!(server.not_modified(), 1);
    assert!(server.user_agent().unwrap().starts_with("briefbot/"));
    server.set_live(&[
        ("One", "g1", &support::web::sectioned("One happened.")),
        ("Two", "g2", &support::web::sectioned("Two happened.")),
    ]);
    assert_eq!(items(s.poll(&f).await).len(), 2);
    // Without validators the fetcher gets the body again.
    let plain = f
        .get(&server.url("/live.xml"), &Validators::default())
        .await;
    assert!(matches!(
        plain,
        Ok(briefbot::source::fetch::Fetched::Body(_))
    ));
}

/// The stand-in's second default channel.
const NEWS: u64 = 1_150_000_000_000_000_201;

/// Titles of the embeds posted in `channel`, in order.
fn posted_titles(standin: &support::discord::StandIn, channel: u64) -> Vec<String> {
    standin
        .messages(channel)
        .iter()
        .filter_map(|m| m["embeds"][0]["title"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_feed_item_is_posted_once_and_not_again_after_a_restart_despite_a_stalled_source() {
    use support::bot::BotProcess;
    use support::discord::{OptionValue, StandIn, StandInConfig, MEMBER_PERMISSIONS};
    let web = WebServer::start().await;
    let sectioned = support::web::sectioned;
    let (a, b, c) = (
        sectioned("Alpha happened."),
        sectioned("Beta happened."),
        sectioned("Gamma happened."),
    );
    web.set_live(&[("Alpha item", "a", &a)]);
    let standin = StandIn::start(StandInConfig::default()).await;
    let channel = standin.channel_id();
    // A source whose server stalls mid-body (its fetch hangs until the 30 s timeout) sits
    // beside the live one: it must not delay the live one's posts.
    let extra = format!(
        "[[subscriptions]]\nchannel = {channel}\n\n[[sources]]\nname = \"slow\"\nurl = \"{}\"\n\n\
         [[sources]]\nname = \"live\"\nurl = \"{}\"\nevery = \"1m\"\n",
        web.url("/stall"),
        web.url("/live.xml")
    );
    let mut bot = BotProcess::start(&standin, false, &extra);
    standin
        .wait_ready(Duration::from_secs(30))
        .await
        .expect("bot connects");
    // First fetch (the back catalogue), then a poll answered 304.
    eventually("a 304", || web.not_modified() >= 1).await;

    // A new item: posted within a poll interval, and it is the only post (had Alpha been
    // planned, it would have been sent first).
    web.set_live(&[("Alpha item", "a", &a), ("Beta item", "b", &b)]);
    standin
        .wait_messages(channel, 1, Duration::from_secs(30))
        .await;
    assert_eq!(posted_titles(&standin, channel), ["Beta item"]);

    // Restart: the saved ETag makes the first poll a 304, nothing is re-posted, and the next
    // new item is posted once.
    bot.kill();
    let before = web.not_modified();
    bot.spawn(&standin);
    eventually("a 304 after the restart", || web.not_modified() > before).await;
    web.set_live(&[
        ("Alpha item", "a", &a),
        ("Beta item", "b", &b),
        ("Gamma item", "c", &c),
    ]);
    standin
        .wait_messages(channel, 2, Duration::from_secs(30))
        .await;
    assert_eq!(
        posted_titles(&standin, channel),
        ["Beta item", "Gamma item"]
    );

    // An edited item: the brief changes in place and is not posted again.
    let edited = sectioned("Beta happened again, revised.");
    web.set_live(&[
        ("Alpha item", "a", &a),
        ("Beta item", "b", &edited),
        ("Gamma item", "c", &c),
    ]);
    let slash = |name: &str, options: Vec<(&str, OptionValue)>| {
        // Asked in the stand-in's other channel ("news"): replies there are not deliveries.
        standin.slash_command(name, options, NEWS, standin.guild_id(), MEMBER_PERMISSIONS)
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let payload = slash(
            "brief",
            vec![
                ("query", OptionValue::String("Beta item".into())),
                ("source", OptionValue::String("live".into())),
                ("detail", OptionValue::String("full".into())),
            ],
        );
        let id = standin.dispatch_interaction(payload).await;
        let cb = standin
            .wait_callback(id, Duration::from_secs(10))
            .await
            .expect("a callback");
        if cb.data.to_string().contains("revised") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the edit never showed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let id = standin.dispatch_interaction(slash("sources", vec![])).await;
    let cb = standin
        .wait_callback(id, Duration::from_secs(10))
        .await
        .expect("a callback");
    let shown = cb.data.to_string();
    assert!(
        shown.contains("live (rss)") && shown.contains("ok"),
        "{shown}"
    );
    let delta = sectioned("Delta happened.");
    web.set_live(&[
        ("Alpha item", "a", &a),
        ("Beta item", "b", &edited),
        ("Gamma item", "c", &c),
        ("Delta item", "d", &delta),
    ]);
    standin
        .wait_messages(channel, 3, Duration::from_secs(30))
        .await;
    assert_eq!(
        posted_titles(&standin, channel),
        ["Beta item", "Gamma item", "Delta item"]
    );

    // `briefbot sources` reads the state the running bot saved.
    let config = bot.dir().join("briefbot.toml").display().to_string();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let out = cli(vec![
            "sources".into(),
            "--json".into(),
            "--config".into(),
            config.clone(),
        ])
        .await;
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(list[1]["name"], "live");
        if list[1]["items"] == 4 {
            assert_eq!(list[1]["state"], "ok");
            assert_eq!(list[1]["kind"], "rss");
            assert!(list[1]["last_fetch"].is_string() && list[1]["next_fetch"].is_string());
            break;
        }
        assert!(std::time::Instant::now() < deadline, "saved state: {list}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(standin.validation_problems().is_empty());
    assert!(!bot.stderr().contains(standin.token()));
}

#[test]
fn source_config_errors_name_the_key_and_line() {
    use briefbot::config::Config;
    let path = std::path::Path::new("briefbot.toml");
    let ok = "[[sources]]\nname = \"a\"\nurl = \"https://example.org/feed.xml\"\n";
    let c = Config::parse(ok, path).unwrap();
    assert_eq!(c.sources[0].kind, Kind::Auto);
    assert_eq!(c.sources[0].interval(), Duration::from_secs(900));
    for (text, key, line, says) in [
        (
            format!("{ok}every = \"30s\"\n"),
            "sources[0].every",
            4,
            "at most once a minute",
        ),
        (
            format!("{ok}every = \"soon\"\n"),
            "sources[0].every",
            4,
            "not an interval",
        ),
        (
            format!("{ok}\n[[sources]]\nname = \"a\"\nurl = \"http://x.org/\"\n"),
            "sources[1].name",
            6,
            "already the name of sources[0]",
        ),
        (
            "[[sources]]\nname = \"bad name\"\nurl = \"http://x.org/\"\n".to_owned(),
            "sources[0].name",
            2,
            "not a source name",
        ),
        (
            "[[sources]]\nname = \"a\"\nurl = \"ftp://x.org/\"\n".to_owned(),
            "sources[0].url",
            3,
            "http:// or https://",
        ),
        (
            format!("{ok}keep_days = 0\n"),
            "sources[0].keep_days",
            4,
            "from 1 to 3650 days",
        ),
    ] {
        let e = Config::parse(&text, path).unwrap_err();
        assert_eq!(e.key.as_deref(), Some(key), "{e}");
        assert_eq!(e.position.map(|p| p.0), Some(line), "{e}");
        assert!(e.message.contains(says), "{e}");
    }
    let e = Config::parse(&format!("{ok}kind = \"gopher\"\n"), path).unwrap_err();
    assert_eq!(e.position.map(|p| p.0), Some(4), "{e}");
    assert!(e.message.contains("gopher"), "{e}");
}

/// Runs the CLI on a blocking thread (the web server runs on this test's runtime).
async fn cli(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_briefbot"))
            .args(args)
            .output()
            .expect("run briefbot")
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_shot_commands_fetch_each_source_once() {
    let web = WebServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("briefbot.toml");
    std::fs::write(
        &config,
        format!(
            "[storage]\npath = \"{}\"\n\n[[sources]]\nname = \"ledger\"\nurl = \"{}\"\ntopics = [\"local\"]\n\n\
             [[sources]]\nname = \"gone\"\nurl = \"{}\"\n",
            dir.path().join("bot.db").display(),
            web.url("/fixtures/feed.rss.xml"),
            web.url("/status/404"),
        ),
    )
    .unwrap();
    let config = config.display().to_string();

    let out = cli(vec![
        "briefs".into(),
        "--json".into(),
        "--config".into(),
        config.clone(),
    ])
    .await;
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Tidewater council approves floating solar farm on reservoir"));
    assert!(titles.contains(&"Heat pump grants run out in six weeks"));
    let solar = list
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["title"].as_str().unwrap().starts_with("Tidewater"))
        .unwrap();
    assert!(solar["id"].as_str().unwrap().starts_with("ledger."));
    assert_eq!(solar["topics"][0], "local");

    let out = cli(vec!["check".into(), "--config".into(), config.clone()]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("source ledger ("), "{stdout}");
    assert!(stdout.contains("5 briefs (rss)"), "{stdout}");
    assert!(
        stdout.contains("source gone (") && stdout.contains("HTTP 404"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("skipped"),
        "raw items are sectioned, not skipped: {stdout}"
    );

    let out = cli(vec![
        "ask".into(),
        "--config".into(),
        config.clone(),
        "/briefs source:ledger".into(),
    ])
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("1–5 of 5"), "{stdout}");
    let out = cli(vec![
        "ask".into(),
        "--config".into(),
        config.clone(),
        "/brief heat pump source:ledger".into(),
    ])
    .await;
    assert!(String::from_utf8_lossy(&out.stdout).contains("Heat pump grants run out"));
    let out = cli(vec![
        "ask".into(),
        "--config".into(),
        config.clone(),
        "/brief source:nope".into(),
    ])
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No source is named 'nope'"));

    let out = cli(vec![
        "ask".into(),
        "--config".into(),
        config.clone(),
        "/sources".into(),
    ])
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("ledger (rss)") && stdout.contains("HTTP 404"),
        "{stdout}"
    );

    // `briefbot sources` shows the saved state: no bot ran, so both are waiting.
    let out = cli(vec![
        "sources".into(),
        "--json".into(),
        "--config".into(),
        config,
    ])
    .await;
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["name"], "ledger");
    assert_eq!(list[0]["state"], "waiting");
    assert_eq!(list[1]["url"], web.url("/status/404"));
}

#[tokio::test]
async fn fetch_pages_reads_the_linked_page_of_a_teaser_item() {
    let server = WebServer::start().await;
    let link = server.url("/fixtures/glance-page.html");
    server.set_live(&[(
        "Kelby shuttle trial",
        &link,
        "<p>Only a teaser, no sections.</p>",
    )]);
    let mut plain = WebSource::new(
        spec("t", &server.url("/live.xml"), Kind::Rss),
        ParseOptions::default(),
    );
    let teaser = items(plain.poll(&fetcher()).await);
    assert!(
        teaser.len() == 1 && teaser[0].brief.auto_sections,
        "the teaser alone has no sections of its own: {teaser:?}"
    );
    let mut with_pages = WebSource::new(
        Spec {
            fetch_pages: true,
            ..spec("t", &server.url("/live.xml"), Kind::Rss)
        },
        ParseOptions::default(),
    );
    let got = items(with_pages.poll(&fetcher()).await);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].brief.title, "Kelby shuttle trial",
        "the item's title"
    );
    assert_eq!(got[0].brief.source.as_deref(), Some(link.as_str()));
    assert!(!got[0].brief.auto_sections, "the page's own sections");
    assert!(
        first_sentence(&got[0].brief, SectionKind::Next).starts_with("The shuttles are scheduled")
    );
}

/// The saved state of the source `index` as `briefbot sources --json` shows it.
async fn listed_state(config: &std::path::Path, index: usize) -> serde_json::Value {
    let out = cli(vec![
        "sources".into(),
        "--json".into(),
        "--config".into(),
        config.display().to_string(),
    ])
    .await;
    assert!(out.status.success(), "{out:?}");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list[index].clone()
}

/// Polls `briefbot sources --json` until the source `index` is in `state`.
async fn wait_state(config: &std::path::Path, index: usize, state: &str) -> serde_json::Value {
    let deadline = std::time::Instant::now() + support::wait::DEADLINE;
    loop {
        let shown = listed_state(config, index).await;
        if shown["state"] == state {
            return shown;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never {state}: {shown}; log: {}",
            std::fs::read_to_string(config.with_file_name("stderr.log")).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gone_source_stays_disabled_across_a_restart_until_its_url_changes() {
    use support::bot::BotProcess;
    use support::discord::{StandIn, StandInConfig};
    let web = WebServer::start().await;
    web.set_live(&[(
        "Alpha item",
        "a",
        &support::web::sectioned("Alpha happened."),
    )]);
    let standin = StandIn::start(StandInConfig::default()).await;
    let gone_url = web.url("/status/410");
    let extra = format!("[[sources]]\nname = \"moved\"\nurl = \"{gone_url}\"\n");
    let mut bot = BotProcess::start(&standin, false, &extra);
    standin
        .wait_ready(Duration::from_secs(30))
        .await
        .expect("bot connects");
    let config = bot.dir().join("briefbot.toml");
    let shown = wait_state(&config, 0, "disabled").await;
    assert!(
        shown["last_error"].as_str().unwrap_or("").contains("410"),
        "{shown}"
    );
    let disabled_logs = |bot: &BotProcess| bot.stderr().matches("disabled after").count();
    eventually("the source reported disabled", || disabled_logs(&bot) == 1).await;

    // Restart: the source is restored disabled, with its reason, and never fetched again.
    bot.kill();
    let requests = web.requests();
    bot.spawn(&standin);
    eventually("the restored source reported disabled", || {
        disabled_logs(&bot) == 2
    })
    .await;
    assert_eq!(web.requests(), requests, "a disabled source was fetched");
    let shown = listed_state(&config, 0).await;
    assert_eq!(shown["state"], "disabled", "{shown}");
    assert!(
        shown["last_error"].as_str().unwrap_or("").contains("410"),
        "{shown}"
    );

    // A new URL in the config re-enables it: `briefbot sources` no longer shows the old
    // state, and the bot fetches the new URL.
    bot.kill();
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace(&gone_url, &web.url("/live.xml"))).unwrap();
    let shown = listed_state(&config, 0).await;
    assert_eq!(shown["state"], "waiting", "{shown}");
    bot.spawn(&standin);
    let shown = wait_state(&config, 0, "ok").await;
    assert_eq!(shown["items"], 1, "{shown}");
    assert!(web.live_requests() >= 1);
    assert_eq!(disabled_logs(&bot), 2, "{}", bot.stderr());
    assert!(standin.messages(standin.channel_id()).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_days_deletes_old_briefs_that_left_the_feed_and_keeps_the_rest() {
    use briefbot::store::{Store, StoredItem};
    use support::bot::BotProcess;
    use support::discord::{StandIn, StandInConfig};
    let web = WebServer::start().await;
    let a = support::web::sectioned("Alpha happened.");
    web.set_live(&[("Alpha item", "a", &a)]);
    let standin = StandIn::start(StandInConfig::default()).await;
    let extra = format!(
        "[[sources]]\nname = \"live\"\nurl = \"{}\"\nkeep_days = 30\n",
        web.url("/live.xml")
    );
    let mut bot = BotProcess::new(&standin, false, &extra);
    // What an earlier run stored 40 days ago: "a" (still in the feed) and "gone" (not).
    let db = bot.dir().join("bot.db");
    let store = Store::open(&db).await.unwrap();
    let forty_days_ago = chrono::Utc::now().timestamp_millis() - 40 * 86_400_000;
    let brief_json = |key: &str, title: &str| {
        let mut brief = briefbot::brief::parse::parse(
            &format!("+++\ntitle = \"{title}\"\n+++\nWhat's Happening?\nThe old news happened.\n"),
            key,
            &ParseOptions::default(),
        )
        .unwrap();
        brief.id = web::brief_id("live", key);
        web::brief_to_json(&brief)
    };
    let stored = ["a", "gone"].map(|key| StoredItem {
        key: key.into(),
        brief_id: web::brief_id("live", key),
        hash: "old".into(),
        brief: brief_json(key, &format!("Stored {key}")),
    });
    store
        .save_source_items("live", &stored, forty_days_ago)
        .await
        .unwrap();
    store.close().await;

    bot.spawn(&standin);
    let deadline = std::time::Instant::now() + support::wait::DEADLINE;
    loop {
        let store = Store::open(&db).await.unwrap();
        let keys: Vec<String> = store
            .source_items("live")
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.key)
            .collect();
        store.close().await;
        if keys == ["a"] {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "stored items: {keys:?}; log: {}",
            bot.stderr()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // And the source's briefs are down to the live item.
    let config = bot.dir().join("briefbot.toml");
    let shown = wait_state(&config, 0, "ok").await;
    assert_eq!(shown["items"], 1, "{shown}");
}
