//! Core benchmarks (issue: core library, summarizer, console).
//!
//! Targets from the issue:
//! - parse + index 10,000 generated briefs: < 1 s on one core (`parse_index_10k`);
//! - `/brief` answer latency: < 100 µs (`brief_answer`);
//! - `/ask` over 10,000 briefs: p99 < 2 ms (`ask_10k`, plus a per-question latency loop;
//!   `ask_10k/follow_up`: a question taken as a follow-up on the brief last shown);
//!   with `BRIEFBOT_BENCH_MODEL` naming a sentence encoder folder, also one sentence encoded
//!   (`encoder/sentence_24_words`) and `/ask` cold and warm with it;
//! - resident memory holding 10,000 briefs (`rss_10k`, printed, not timed).
//!
//! The briefs come from a seeded generator (xorshift64*, no `rand`): front matter with
//! id/title/published/topics, the three sections of 2–5 sentences each built from a few hundred
//! words and varied sentence templates, 1.5–2.5 KB a brief, in three layouts (heading lines,
//! Axios lead-ins, markdown headings). Same seed, same corpus, on every machine.
//!
//! Run with `cargo bench --bench core`; results are recorded in docs/BENCHMARKS.md. Under
//! `cargo test --benches` (no `--bench` flag) everything runs once on a small corpus.

#[path = "support/corpus.rs"]
mod corpus;

use briefbot::brief::{parse, Brief, Library, SectionKind};
use briefbot::core::Core;
use briefbot::reply::{Reply, ReplyKind, View};
use briefbot::source::{self, folder::FolderSource, SourceOptions};
use briefbot::summarize::{keywords, Detail, Summarizer};
use briefbot::text::sentences;
use briefbot::text::vectors::WordVectors;

/// A prebuilt command, so that latency loops measure answering, not typing.
enum Command {
    Brief {
        query: Option<String>,
        section: Option<SectionKind>,
        detail: Detail,
    },
    Ask {
        question: String,
    },
}

/// What `/brief` and `/ask` run, minus option parsing.
fn execute(core: &Core, cmd: &Command) -> Reply {
    match cmd {
        Command::Brief {
            query,
            section,
            detail,
        } => match core.pick(query.as_deref()) {
            Ok(b) => core.show(
                &b,
                View {
                    section: *section,
                    detail: *detail,
                },
            ),
            Err(r) => r,
        },
        Command::Ask { question } => briefbot::commands::ask::answer(core, question),
    }
}
use corpus::{generate_brief, generate_files, Rng, Story, VERBS_TITLE};
use criterion::{BatchSize, Criterion, SamplingMode};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Briefs in the benchmark corpus.
const BRIEFS: usize = 10_000;
/// Briefs in test mode (`cargo test --benches`).
const BRIEFS_TEST: usize = 300;
/// Questions (and queries) in the latency loops.
const QUESTIONS: usize = 1_000;
/// Seed of the questions and queries.
const QUESTION_SEED: u64 = 0x0a5c_0a5c_1234_5678;

// The corpus generator is in `support/corpus.rs` (shared with `benches/process.rs`).

/// Word vectors of 100 seeded numbers for every word of the briefs and the questions: what a
/// GloVe file costs per lookup and cosine (the numbers are not meaningful).
fn vectors_for(library: &Library, asks: &[Command]) -> WordVectors {
    let mut words = std::collections::BTreeSet::new();
    for b in library.briefs() {
        for (_, s) in b.sections() {
            words.extend(briefbot::text::words(&s.text()));
        }
    }
    for a in asks {
        if let Command::Ask { question } = a {
            words.extend(briefbot::text::words(question));
        }
    }
    let r = &mut Rng::new(0x5eed_5eed_5eed);
    let mut text = String::new();
    for w in words {
        text.push_str(&w);
        for _ in 0..100 {
            text.push_str(&format!(" {:.3}", r.below(2001) as f32 / 1000.0 - 1.0));
        }
        text.push('\n');
    }
    WordVectors::read(text.as_bytes()).expect("generated vectors")
}

/// A question of the kind users ask (some match nothing).
fn question(r: &mut Rng) -> String {
    let s = Story::new(r);
    let actors = s.actors(r);
    match r.below(12) {
        0 => format!("Why does the {} in {} matter?", s.thing, s.place),
        1 => format!("What happens next with the {} {}?", s.thing, s.event),
        2 => format!(
            "When will the {} {} the {}?",
            s.body,
            r.pick(VERBS_TITLE),
            s.thing
        ),
        3 => format!("Who approved the {} {}?", s.subtopic, s.event),
        4 => format!("What happened to the {} in {}?", s.other, s.place),
        5 => format!(
            "How will {} be affected by the {} rules?",
            actors, s.subtopic
        ),
        6 => format!("What is the impact of the {} on {}?", s.thing, actors),
        7 => format!("{} {}", s.thing, s.place),
        8 => format!("what's the latest on {}", s.subtopic),
        9 => format!("Is there any news about {} {}?", s.person, s.role),
        10 => format!("Will the {} cost {} more?", s.other, actors),
        _ => r
            .pick(&[
                "Is it going to rain on the quokka parade?",
                "Who won the chess olympiad?",
                "what about zeppelins",
            ])
            .to_owned(),
    }
}

/// A `/brief` query: words of a title, a topic, or an exact id.
fn brief_query(r: &mut Rng, n: usize) -> String {
    let s = Story::new(r);
    match r.below(4) {
        0 => format!("{} {}", s.thing, s.event),
        1 => format!("{} {}", s.place, s.thing),
        2 => s.subtopic.to_owned(),
        _ => {
            // An exact id of an existing brief (the fast path).
            let (name, _) = generate_brief(r.below(n));
            name.rsplit('/')
                .next()
                .and_then(|f| f.split('.').next())
                .unwrap_or_default()
                .to_owned()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------

/// A `/proc/self/status` figure in KiB (`VmRSS`, `VmHWM`), if the platform has one.
fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

fn print_machine() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown", str::trim);
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("machine: {cpus} CPUs available, model {model:?}; criterion measures on one thread");
}

/// Resident memory before building and while holding the library (measured first, on a
/// fresh heap; files are generated one at a time and dropped as they are parsed).
fn rss_report(n: usize, opts: &SourceOptions) -> Library {
    let before = status_kib("VmRSS:");
    let text_bytes: usize = generate_files(n).map(|(_, b)| b.len()).sum();
    let (library, problems) = source::from_files(generate_files(n), opts).into_parts();
    assert!(problems.is_empty(), "generated briefs failed: {problems:?}");
    assert_eq!(library.len(), n);
    let after = status_kib("VmRSS:");
    let peak = status_kib("VmHWM:");
    let held = match (before, after) {
        (Some(b), Some(a)) => Some(a.saturating_sub(b)),
        _ => None,
    };
    println!(
        "rss_{n}: VmRSS before {} · after holding the library {} · held {} · peak (VmHWM) {} · \
         generated text {:.1} MiB ({} bytes, {:.0} B/brief)",
        mib(before),
        mib(after),
        mib(held),
        mib(peak),
        text_bytes as f64 / (1024.0 * 1024.0),
        text_bytes,
        text_bytes as f64 / n as f64
    );
    library
}

fn corpus_report(files: &[(PathBuf, Vec<u8>)], library: &Library) {
    let mut sizes: Vec<usize> = files.iter().map(|(_, b)| b.len()).collect();
    sizes.sort_unstable();
    let mut sentence_count = [0usize; 3];
    let mut sections = [0usize; 3];
    for b in library.briefs() {
        for (k, kind) in SectionKind::ALL.into_iter().enumerate() {
            if let Some(s) = b.section(kind) {
                sections[k] += 1;
                sentence_count[k] += sentences::split_paragraphs(&s.paragraphs).len();
            }
        }
    }
    let layout = |test: &dyn Fn(&str) -> bool| {
        files
            .iter()
            .filter(|(_, b)| test(std::str::from_utf8(b).unwrap_or_default()))
            .count()
    };
    let headings = layout(&|t| t.contains("\nWhat's Happening?\n"));
    let lead_ins =
        layout(&|t| t.contains("\nWhy it matters: ") || t.contains("\nThe big picture: "));
    let markdown = layout(&|t| t.contains("\n## "));
    println!(
        "corpus: {} briefs, {} bytes (min {} · median {} · max {} B); layouts: headings {} · \
         lead-ins {} · markdown {}; sections present {:?}, sentences/section {:?}; topics/brief {:.1}",
        files.len(),
        sizes.iter().sum::<usize>(),
        sizes[0],
        sizes[sizes.len() / 2],
        sizes[sizes.len() - 1],
        headings,
        lead_ins,
        markdown,
        sections,
        [0, 1, 2].map(|k| format!("{:.2}", sentence_count[k] as f64 / sections[k].max(1) as f64)),
        library.briefs().iter().map(|b| b.topics.len()).sum::<usize>() as f64
            / library.len() as f64
    );
}

/// Runs `run` once per input (after one warm-up pass) and prints the latency percentiles.
fn latency_loop<T>(name: &str, inputs: &[T], mut run: impl FnMut(&T)) {
    for x in inputs {
        run(x);
    }
    latency_loop_cold(name, inputs, run);
}

/// Runs `run` once per input, without a warm-up pass, and prints the latency percentiles.
fn latency_loop_cold<T>(name: &str, inputs: &[T], mut run: impl FnMut(&T)) {
    let mut times: Vec<Duration> = inputs
        .iter()
        .map(|x| {
            let start = Instant::now();
            run(x);
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    let at = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "{name}: {} inputs · mean {:?} · p50 {:?} · p90 {:?} · p99 {:?} · max {:?}",
        times.len(),
        mean,
        at(0.50),
        at(0.90),
        at(0.99),
        times[times.len() - 1]
    );
}

/// The bot's own start-up path on the corpus written to disk, timed once per step (3 runs):
/// what `briefbot run` waits for before answering (folder scan + parse + index, no
/// keyphrases), then what it does in the background (keyphrases on all cores, summaries).
fn startup_report(files: &[(PathBuf, Vec<u8>)]) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("file has a folder")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write brief");
    }
    println!(
        "start-up path ({} files on disk, {} cores):",
        files.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for run in 1..=3 {
        let t = Instant::now();
        let mut loader = FolderSource::new(dir.path(), SourceOptions::default(), false);
        loader.scan().expect("scan");
        let (library, problems) = loader.snapshot().into_parts();
        let load = t.elapsed();
        assert!(problems.is_empty(), "{problems:?}");
        let t = Instant::now();
        let enriched = loader.enrich();
        let library2 = loader.snapshot().library;
        let enrich = t.elapsed();
        let core = Core::new(library2, Summarizer { sentences: 2 });
        let t = Instant::now();
        let warmed = core.warm_summaries();
        let warm = t.elapsed();
        println!(
            "  run {run}: scan+parse+index {} briefs {:.3} s | background: keyphrases {enriched} briefs {:.1} s, summaries {warmed} briefs {:.2} s",
            library.len(),
            load.as_secs_f64(),
            enrich.as_secs_f64(),
            warm.as_secs_f64()
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    // Like criterion: without `--bench` (cargo test --benches) run once on a small corpus.
    let full = has("--bench") && !has("--test") && !has("--list");
    let n = if full { BRIEFS } else { BRIEFS_TEST };
    let questions = if full { QUESTIONS } else { 50 };

    // `BRIEFBOT_BENCH_WRITE=<dir>`: write the corpus there (to look at it, or to load it into
    // the bot with `briefs.dir`) and stop.
    if let Some(dir) = std::env::var_os("BRIEFBOT_BENCH_WRITE") {
        let dir = PathBuf::from(dir);
        for (path, bytes) in generate_files(n) {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().expect("file has a folder")).expect("mkdir");
            std::fs::write(&path, bytes).expect("write brief");
        }
        println!("wrote {n} briefs below {}", dir.display());
        return;
    }
    let opts = SourceOptions::default();
    let no_keyphrases = SourceOptions {
        keyphrases: false,
        ..SourceOptions::default()
    };
    let mut c = Criterion::default().configure_from_args();

    if !has("--list") {
        print_machine();
    }
    let library = rss_report(n, &opts);
    let files: Vec<(PathBuf, Vec<u8>)> = generate_files(n).collect();
    if !has("--list") {
        corpus_report(&files, &library);
    }

    // Parse + index, and its parts: without YAKE keyphrases, and the BM25 index alone.
    {
        let mut g = c.benchmark_group("parse_index_10k");
        g.sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(3))
            .measurement_time(Duration::from_secs(25));
        g.bench_function("full", |b| {
            b.iter_batched(
                || files.clone(),
                |f| source::from_files(f.into_iter(), &opts),
                BatchSize::PerIteration,
            )
        });
        g.bench_function("no_keyphrases", |b| {
            b.iter_batched(
                || files.clone(),
                |f| source::from_files(f.into_iter(), &no_keyphrases),
                BatchSize::PerIteration,
            )
        });
        let parsed: Vec<Brief> = library.briefs().iter().map(|b| (**b).clone()).collect();
        g.bench_function("index_only", |b| {
            b.iter_batched(
                || parsed.clone(),
                Library::from_briefs,
                BatchSize::PerIteration,
            )
        });
        // Topic extraction alone (what `keywords::enrich` runs: title + three sections), on
        // all 10,000 briefs; issue 12 needs it well under 0.2 ms a brief.
        let texts: Vec<(String, String)> = library
            .briefs()
            .iter()
            .map(|b| {
                let text = b
                    .sections()
                    .map(|(_, s)| format!("{}\n", s.text()))
                    .collect::<String>();
                (b.title.clone(), text)
            })
            .collect();
        g.bench_function("topics_only_10k", |b| {
            b.iter(|| {
                for (title, text) in &texts {
                    black_box(keywords::topics(title, text, keywords::PER_BRIEF));
                }
            })
        });
        let stems: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, b)| {
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("brief");
                (stem, b.as_slice())
            })
            .collect();
        g.bench_function("parse_only_no_keyphrases", |b| {
            b.iter(|| {
                for (stem, bytes) in &stems {
                    black_box(parse::parse_bytes(bytes, stem, &no_keyphrases.parse).ok());
                }
            })
        });
        g.finish();
    }
    if !has("--list") {
        startup_report(&files);
    }
    drop(files);

    let core = Core::new(library, Summarizer { sentences: 2 });
    let brief = |query: Option<&str>, detail: Detail| Command::Brief {
        query: query.map(str::to_owned),
        section: None,
        detail,
    };

    // `/brief`: the newest brief (no query), a search query, an exact id.
    let r = &mut Rng::new(QUESTION_SEED);
    let queries: Vec<String> = (0..questions).map(|_| brief_query(r, n)).collect();
    {
        let newest = brief(None, Detail::Short);
        let newest_full = brief(None, Detail::Full);
        let by_query = brief(Some("battery storage auction"), Detail::Short);
        let by_topic = brief(Some("vaccines"), Detail::Short);
        let id = core.library().briefs()[n / 2].id.clone();
        let by_id = brief(Some(&id), Detail::Short);
        let mut g = c.benchmark_group("brief_answer");
        g.measurement_time(Duration::from_secs(5));
        g.bench_function("newest_short", |b| b.iter(|| execute(&core, &newest)));
        g.bench_function("newest_full", |b| b.iter(|| execute(&core, &newest_full)));
        g.bench_function("query_words", |b| b.iter(|| execute(&core, &by_query)));
        g.bench_function("query_topic", |b| b.iter(|| execute(&core, &by_topic)));
        g.bench_function("query_exact_id", |b| b.iter(|| execute(&core, &by_id)));
        // The parts of a query answer: the BM25 search alone, the summarizer alone.
        let library = core.library();
        g.bench_function("search_only_words", |b| {
            b.iter(|| library.search("battery storage auction").len())
        });
        g.bench_function("search_only_topic", |b| {
            b.iter(|| library.search("vaccines").len())
        });
        // What `/brief` and `/ask` use: the best hit only (no full ranking).
        g.bench_function("best_only_words", |b| {
            b.iter(|| library.best("battery storage auction").is_some())
        });
        g.bench_function("best_only_topic", |b| {
            b.iter(|| library.best("vaccines").is_some())
        });
        let newest_brief = library.newest().expect("a brief").clone();
        let summarizer = *core.summarizer();
        g.bench_function("summarize_newest_short", |b| {
            b.iter(|| {
                newest_brief
                    .sections()
                    .map(|(_, s)| summarizer.short(s).len())
                    .sum::<usize>()
            })
        });
        g.finish();
        if !has("--list") {
            for q in ["battery storage auction", "vaccines"] {
                println!(
                    "search {q:?}: {} of {n} briefs match",
                    library.search(q).len()
                );
            }
        }
    }

    // `/ask`: criterion on a few fixed questions (means), then the per-question loop.
    let r = &mut Rng::new(QUESTION_SEED ^ 1);
    let asks: Vec<Command> = (0..questions)
        .map(|_| Command::Ask {
            question: question(r),
        })
        .collect();
    {
        let ask = |q: &str| Command::Ask {
            question: q.to_owned(),
        };
        let why = ask("Why does the battery storage auction matter?");
        let next = ask("What happens next with the metro line?");
        if !has("--list") {
            let library = core.library();
            for q in [&why, &next] {
                if let Command::Ask { question } = q {
                    let hits = library.search(question).len();
                    println!("search {question:?}: {hits} of {n} briefs match");
                }
            }
        }
        let miss = ask("Who won the chess olympiad?");
        let mut g = c.benchmark_group("ask_10k");
        g.measurement_time(Duration::from_secs(8));
        g.bench_function("why_storage", |b| b.iter(|| execute(&core, &why)));
        g.bench_function("next_metro", |b| b.iter(|| execute(&core, &next)));
        g.bench_function("no_match", |b| b.iter(|| execute(&core, &miss)));
        // A follow-up on the brief last shown in the channel: refused on its own, then read
        // against that brief ("what happens next?" after a /brief).
        let last = core.library().briefs()[0].id.clone();
        g.bench_function("follow_up", |b| {
            b.iter(|| {
                briefbot::commands::ask::answer_after(&core, "what happens next?", Some(&last))
            })
        });
        let mut i = 0;
        g.bench_function("varied_1000", |b| {
            b.iter(|| {
                i = (i + 1) % asks.len();
                execute(&core, &asks[i])
            })
        });
        // With word vectors (`[answers] vectors`): every sentence of the chosen brief is
        // also met by meaning.
        let meaning = Core::new((*core.library()).clone(), Summarizer { sentences: 2 })
            .with_semantics(Some(briefbot::core::qa::Semantics::Vectors(
                std::sync::Arc::new(vectors_for(&core.library(), &asks)),
            )));
        let mut i = 0;
        g.bench_function("varied_1000_vectors", |b| {
            b.iter(|| {
                i = (i + 1) % asks.len();
                execute(&meaning, &asks[i])
            })
        });
        g.finish();
        if !has("--list") {
            latency_loop("ask_10k latency, with word vectors", &asks, |cmd| {
                black_box(execute(&meaning, cmd));
            });
        }
    }

    // With the sentence encoder (`[answers] model`): only when BRIEFBOT_BENCH_MODEL names a
    // model folder (tools/model.sh DIR), which is not in the repository.
    if let Some(dir) = std::env::var_os("BRIEFBOT_BENCH_MODEL") {
        let encoder = std::sync::Arc::new(
            briefbot::text::encoder::SentenceEncoder::load(std::path::Path::new(&dir))
                .expect("BRIEFBOT_BENCH_MODEL names a model folder"),
        );
        let sentence = "The Harwick to Penmoor rail line will stay shut for four weeks after a \
                        landslip buried the tracks near Ossory cutting on Sunday.";
        c.bench_function("encoder/sentence_24_words", |b| {
            b.iter(|| black_box(encoder.compute(black_box(sentence))))
        });
        if !has("--list") {
            // A fresh core: the first question about each brief encodes its sentences (a
            // repeated brief within the loop is served from the kept vectors, as in the bot).
            let with = Core::new((*core.library()).clone(), Summarizer { sentences: 2 })
                .with_semantics(Some(briefbot::core::qa::Semantics::Encoder(encoder)));
            latency_loop_cold(
                "ask_10k latency, with the sentence encoder, cold",
                &asks,
                |cmd| {
                    black_box(execute(&with, cmd));
                },
            );
            latency_loop(
                "ask_10k latency, with the sentence encoder, warm",
                &asks,
                |cmd| {
                    black_box(execute(&with, cmd));
                },
            );
        }
    }

    if !has("--list") {
        // First use of each answer on a fresh core: no memoized summaries yet (a repeated
        // brief within the loop is served from the memo, as it would be in the bot).
        let cold = Core::new((*core.library()).clone(), Summarizer { sentences: 2 });
        latency_loop_cold("ask_10k latency, cold summaries", &asks, |cmd| {
            black_box(execute(&cold, cmd));
        });
        let cold = Core::new((*core.library()).clone(), Summarizer { sentences: 2 });
        let brief_cmds: Vec<Command> = queries
            .iter()
            .map(|q| brief(Some(q), Detail::Short))
            .collect();
        latency_loop_cold(
            "brief_answer latency (varied queries), cold summaries",
            &brief_cmds,
            |cmd| {
                black_box(execute(&cold, cmd));
            },
        );
        drop(cold);
        let answered = asks
            .iter()
            .filter(|a| execute(&core, a).kind != ReplyKind::Error)
            .count();
        println!(
            "ask_10k questions: {answered} of {} answered (the rest match no brief)",
            asks.len()
        );
        latency_loop("ask_10k latency", &asks, |cmd| {
            black_box(execute(&core, cmd));
        });
        let library = core.library();
        let text = |cmd: &Command| match cmd {
            Command::Ask { question } => question.clone(),
            Command::Brief { query, .. } => query.clone().unwrap_or_default(),
        };
        let hits: Vec<usize> = asks
            .iter()
            .map(|a| library.search(&text(a)).len())
            .collect();
        println!(
            "ask_10k questions: search hits per question mean {:.0}, max {}",
            hits.iter().sum::<usize>() as f64 / hits.len() as f64,
            hits.iter().max().copied().unwrap_or(0)
        );
        latency_loop("ask_10k latency, Library::search only", &asks, |cmd| {
            black_box(library.search(&text(cmd)).len());
        });
        latency_loop("ask_10k latency, Library::best only", &asks, |cmd| {
            black_box(library.best(&text(cmd)).is_some());
        });
        let brief_cmds: Vec<Command> = queries
            .iter()
            .map(|q| brief(Some(q), Detail::Short))
            .collect();
        latency_loop(
            "brief_answer latency (varied queries)",
            &brief_cmds,
            |cmd| {
                black_box(execute(&core, cmd));
            },
        );
        latency_loop(
            "brief_answer latency (varied queries), Library::find only",
            &brief_cmds,
            |cmd| {
                black_box(library.find(&text(cmd)).is_some());
            },
        );
        let newest = brief(None, Detail::Short);
        latency_loop(
            "brief_answer latency (newest, repeated)",
            &(0..questions).collect::<Vec<_>>(),
            |_| {
                black_box(execute(&core, &newest));
            },
        );
        println!(
            "rss_{n}: VmRSS at the end {} · peak (VmHWM) {}",
            mib(status_kib("VmRSS:")),
            mib(status_kib("VmHWM:"))
        );
    }
    c.final_summary();
}
