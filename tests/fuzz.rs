//! Fuzzing the two parsers of untrusted text — the brief parser (`brief::parse::parse_bytes`)
//! and the config loader (`Config::parse`) — on stable Rust: `arbitrary` turns random bytes
//! into edits of real inputs (the sample briefs, the QA briefs, the example config), and each
//! case is checked for the three failures a hostile file could cause:
//! - a panic (caught, the input saved);
//! - memory: the heap the call holds at its peak (counted by this binary's global allocator,
//!   per thread) must stay under 8 × the input plus a fixed allowance: [`SLACK`] for the
//!   brief parser (one-time caches: the sentence splitter's regex DFAs grow on new text up
//!   to their capacity), [`CONFIG_SLACK`] for the config loader (the `toml` crate's parser
//!   alone holds 30–120 × its input on some files, so config files are capped at
//!   `MAX_CONFIG_BYTES`, 32 KiB, and the allowance covers that cap);
//! - a hang: a watchdog thread aborts the process if one case runs over [`CASE_LIMIT`].
//!
//! And, for large inputs, that the work is linear in the input (issue 8, item 1: a brief
//! under `max_bytes` must never make parsing or summarizing superlinear): edited seeds are
//! grown to at least 64 KiB and parsed, and to at least 48 KiB and taken through the
//! slowest path a brief file can take (parse, topic extraction, every summary the commands
//! show, a `/ask`); the number of allocations each case makes — counted, not timed — must
//! stay under a fixed number per input byte plus a constant ([`WORK_PER_BYTE`],
//! [`WORK_BASE`]). A quadratic step (the dense similarity matrix this issue found, a rescan
//! per sentence) shows there as thousands of allocations per byte.
//!
//! `cargo test` runs [`DEFAULT_CASES`] cases per target (about a second). More on demand:
//! `FUZZ_CASES=200000 cargo test --release --test fuzz` (and `FUZZ_SEED=n` to replay a run;
//! a failure prints its seed and case and writes the input to the temp directory). What it
//! found is kept below as regression tests.

use arbitrary::Unstructured;
use briefbot::brief::parse::{parse_bytes, ParseOptions};
use briefbot::config::Config;
use rand::{RngCore, SeedableRng};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Cases per target in a plain `cargo test`.
const DEFAULT_CASES: u64 = 300;
/// Heap a brief parse may hold beyond 8 × its input: fixed costs (options, an error text) and
/// regex caches that grow on first sight of new text, up to their capacity.
const SLACK: usize = 1024 * 1024;
/// The same for the config loader (see the top of the file).
const CONFIG_SLACK: usize = 8 * 1024 * 1024;
/// Longest one case may run before the watchdog calls it a hang (debug build, busy machine).
const CASE_LIMIT: Duration = Duration::from_secs(10);
/// Largest input generated (the default `briefs.max_bytes` is 256 KiB).
const MAX_INPUT: usize = 300 * 1024;

// ---- memory: a counting allocator, per thread ----------------------------------------------

struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

/// Counts one allocation (or reallocation) of this thread.
fn count_one() {
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

fn account(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

// SAFETY: every call is forwarded to `System` unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            account(layout.size() as isize);
            count_one();
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            account(layout.size() as isize);
            count_one();
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        account(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            account(new_size as isize - layout.size() as isize);
            count_one();
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns the most heap it held at once beyond what this thread held before.
fn peak_heap(f: impl FnOnce()) -> usize {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    f();
    (PEAK.with(Cell::get) - base).max(0) as usize
}

/// Runs `f` and returns how many allocations this thread made meanwhile.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

// ---- hangs: a watchdog -----------------------------------------------------------------------

/// The case being run: its name and input, and when it started.
type Current = Arc<Mutex<Option<(String, Vec<u8>, Instant)>>>;

/// Starts a thread that aborts the process when a case runs over [`CASE_LIMIT`], after
/// saving its input. It ends when the returned handle is dropped.
fn watchdog() -> Current {
    let current: Current = Arc::new(Mutex::new(None));
    let weak = Arc::downgrade(&current);
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(50));
        let Some(current) = weak.upgrade() else {
            return;
        };
        let guard = current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((name, input, started)) = guard.as_ref() {
            if started.elapsed() > CASE_LIMIT {
                let file = save(name, input);
                eprintln!(
                    "fuzz: {name} still running after {CASE_LIMIT:?}: a hang; input in {}",
                    file.display()
                );
                std::process::abort();
            }
        }
    });
    current
}

/// Writes a failing input to the temp directory; returns the file.
fn save(name: &str, input: &[u8]) -> PathBuf {
    let file = std::env::temp_dir().join(format!("briefbot-fuzz-{name}.bin"));
    let _ = std::fs::write(&file, input);
    file
}

// ---- inputs: seeds, edits ------------------------------------------------------------------

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file of `dirs` (relative to the crate), sorted.
fn files(dirs: &[&str]) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(root().join(d)).into_iter().flatten())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("seed"))
        .collect()
}

/// Turns random bytes into an input: a seed, then up to 8 edits (random bytes, a token of the
/// format, a cut, a repeat, a splice from another seed, a flipped byte).
fn mutate(
    u: &mut Unstructured<'_>,
    seeds: &[Vec<u8>],
    tokens: &[&str],
) -> arbitrary::Result<Vec<u8>> {
    let mut out = seeds[u.choose_index(seeds.len())?].clone();
    for _ in 0..u.int_in_range(0..=8u8)? {
        let at = u.int_in_range(0..=out.len())?;
        match u.int_in_range(0..=6u8)? {
            0 => {
                let n = u.int_in_range(0..=24usize)?;
                let bytes = u.bytes(n)?.to_vec();
                out.splice(at..at, bytes);
            }
            1 | 2 => {
                let t = u.choose(tokens)?;
                out.splice(at..at, t.bytes());
            }
            3 => {
                let n = u.int_in_range(0..=out.len() - at)?;
                out.drain(at..at + n);
            }
            4 => {
                // A stretch repeated many times: long lines, many paragraphs, deep nesting.
                let n = u.int_in_range(1..=64usize)?.min(out.len() - at).max(1);
                let piece: Vec<u8> = out.get(at..at + n).unwrap_or(b"\n").to_vec();
                let times = u.int_in_range(1..=4000usize)?;
                let room = MAX_INPUT.saturating_sub(out.len()) / piece.len();
                let repeated = piece.repeat(times.min(room));
                out.splice(at..at, repeated);
            }
            5 => {
                let other = &seeds[u.choose_index(seeds.len())?];
                let from = u.int_in_range(0..=other.len())?;
                let n = u.int_in_range(0..=other.len() - from)?;
                out.splice(at..at, other[from..from + n].iter().copied());
            }
            _ => {
                if let Some(b) = out.get_mut(at) {
                    *b ^= u.arbitrary::<u8>()?.max(1);
                }
            }
        }
    }
    out.truncate(MAX_INPUT);
    Ok(out)
}

/// Cases to run (`FUZZ_CASES`) and the seed of the run (`FUZZ_SEED`, else fixed).
fn settings() -> (u64, u64) {
    let get = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    (
        get("FUZZ_CASES", DEFAULT_CASES),
        get("FUZZ_SEED", 0x5eed_b12e),
    )
}

/// Runs `check` on every seed, then on `cases` generated inputs; panics naming the first
/// input that panics or holds too much heap.
fn fuzz(target: &str, slack: usize, seeds: &[Vec<u8>], tokens: &[&str], check: impl Fn(&[u8])) {
    assert!(!seeds.is_empty(), "{target}: no seeds");
    let (cases, seed) = settings();
    let current = watchdog();
    // The largest peak seen, and the largest peak per input byte among inputs of 16 KiB+.
    let (mut most, mut worst) = ((0usize, 0usize), 0.0f64);
    let mut run = |name: String, input: Vec<u8>| {
        *current.lock().unwrap() = Some((name.clone(), input.clone(), Instant::now()));
        let mut outcome = Ok(());
        let peak = peak_heap(|| outcome = catch_unwind(AssertUnwindSafe(|| check(&input))));
        *current.lock().unwrap() = None;
        if outcome.is_err() {
            panic!(
                "{name} panicked; input in {}",
                save(&name, &input).display()
            );
        }
        let allowed = 8 * input.len() + slack;
        assert!(
            peak <= allowed,
            "{name}: held {peak} bytes for a {}-byte input (allowed {allowed}); input in {}",
            input.len(),
            save(&name, &input).display()
        );
        if peak > most.0 {
            most = (peak, input.len());
        }
        if input.len() >= 16 * 1024 {
            worst = worst.max(peak as f64 / input.len() as f64);
        }
    };
    for (i, s) in seeds.iter().enumerate() {
        run(format!("{target}-seed-{i}"), s.clone());
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut entropy = vec![0u8; 4096];
    for case in 0..cases {
        rng.fill_bytes(&mut entropy);
        let mut u = Unstructured::new(&entropy);
        let Ok(input) = mutate(&mut u, seeds, tokens) else {
            continue;
        };
        run(format!("{target}-seed{seed}-case{case}"), input);
    }
    eprintln!(
        "fuzz {target}: {cases} cases (seed {seed}); most heap held: {} bytes (input {} bytes); \
         most per input byte (inputs of 16 KiB+): {worst:.1}",
        most.0, most.1
    );
}

// ---- the targets -----------------------------------------------------------------------------

/// Pieces of the brief format that edits insert.
const BRIEF_TOKENS: &[&str] = &[
    "+++\n",
    "\n+++\n",
    "id = \"",
    "title = \"",
    "topics = [\"",
    "\"]\n",
    "published = ",
    "2026-11-14T09:30:00Z",
    "source = \"",
    "What's Happening?\n",
    "Why It's Important?\n",
    "What's Next?\n",
    "## ",
    "**",
    "Driving the news: ",
    "Why it matters: ",
    "Yes, but: ",
    "Go deeper: ",
    "The big picture: ",
    "\n\n",
    "\r\n",
    "\u{feff}",
    "\u{202e}",
    "\u{0}",
    "é",
    "👍🏽",
    "a.",
    "Mr. ",
    "...",
    "?",
    ":",
    "\t",
    "[",
    "]",
    "=",
    "\"",
    "'''",
    "#",
];

#[test]
fn the_brief_parser_survives_hostile_files() {
    let seeds = files(&["src/source/samples", "eval/qa/briefs"]);
    assert!(seeds.len() >= 40, "{} seeds", seeds.len());
    let opts = ParseOptions::default();
    // Warm-up: one-time tables (sentence rules…) are not the input's doing.
    for s in &seeds {
        let _ = parse_bytes(s, "warm", &opts);
    }
    fuzz("brief", SLACK, &seeds, BRIEF_TOKENS, |input| {
        // The first bytes also pick the file name the id defaults to.
        let stem = match input.first().map(|b| b % 4) {
            Some(0) => "a",
            Some(1) => "",
            Some(2) => "Ünïcode name with spaces",
            _ => "x-very-long-stem-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        };
        let _ = parse_bytes(input, stem, &opts);
    });
}

/// Pieces of TOML and of the config's keys that edits insert.
const CONFIG_TOKENS: &[&str] = &[
    "[briefs]\n",
    "[summary]\n",
    "[discord]\n",
    "[storage]\n",
    "[delivery]\n",
    "[[channels]]\n",
    "[[subscriptions]]\n",
    "channel = 0\n",
    "id = 1\n",
    "mode = \"daily\"\n",
    "at = \"25:99\"\n",
    "guild_ids = [",
    "api_proxy = \"",
    "path = \"\"\n",
    "sentences = ",
    "= ",
    "\"",
    "'''",
    "\"\"\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "#",
    "\n",
    "0x",
    "1e400",
    "-0",
    "9223372036854775808",
    "inf",
    "nan",
    "1979-05-27T07:32:00Z",
    "\\u0000",
    "é",
    "\u{0}",
];

#[test]
fn the_config_loader_survives_hostile_files() {
    let mut seeds = files(&["config"]);
    seeds.retain(|s| !s.is_empty());
    seeds.push(
        b"[[subscriptions]]\nchannel = 1\nmode = \"daily\"\nat = \"08:00\"\n\n[[channels]]\nid = 2\ncommands = false\n"
            .to_vec(),
    );
    seeds.push(b"summary.sentences = 3\ndiscord.guild_ids = [1, 2, 3]\n".to_vec());
    let path = Path::new("fuzz.toml");
    let _ = Config::parse(&String::from_utf8_lossy(&seeds[0]), path);
    fuzz("config", CONFIG_SLACK, &seeds, CONFIG_TOKENS, |input| {
        // Config::load reads text: invalid UTF-8 stops there with an error.
        if let Ok(text) = std::str::from_utf8(input) {
            let _ = Config::parse(text, path);
        }
    });
}

// ---- what the fuzzing found, kept ------------------------------------------------------------

/// Found by the brief target: a 100 KB front matter (a mutated sample with its `topics` line
/// repeated) made the TOML parser hold 1.8 MB, 17 × the file. Front matter is now capped.
#[test]
fn a_huge_front_matter_is_refused_before_toml_reads_it() {
    let mut text = String::from("+++\nid = \"big\"\n");
    while text.len() < 200 * 1024 {
        text.push_str("topics = [\"water\", \"farms\"]\n");
    }
    text.push_str("+++\nWhat's Happening?\nThe valley cut water again.\n");
    let opts = ParseOptions::default();
    let mut result = None;
    let peak = peak_heap(|| result = Some(parse_bytes(text.as_bytes(), "big", &opts)));
    let err = result.unwrap().unwrap_err().to_string();
    assert!(err.contains("longer than 16 KiB"), "{err}");
    assert!(peak <= 8 * text.len() + SLACK, "held {peak} bytes");
}

/// Found by the config target: 57 KB of `summary.....` (invalid dotted keys) made the TOML
/// parser hold 7 MB, 123 × the file. Config files are now capped before parsing.
#[test]
fn an_oversized_config_is_refused_before_toml_reads_it() {
    let text = format!("summary{}sentences = 3\n", ".".repeat(200 * 1024));
    let mut result = None;
    let peak = peak_heap(|| result = Some(Config::parse(&text, Path::new("big.toml"))));
    let err = result.unwrap().unwrap_err().to_string();
    assert!(err.starts_with("big.toml: "), "{err}");
    assert!(err.contains("at most 32 KiB"), "{err}");
    assert!(peak <= 8 * text.len() + SLACK, "held {peak} bytes");
}

// ---- large inputs: linear work ---------------------------------------------------------------

/// Allocations a case may make per input byte (normal briefs, measured: parsing ~0.1 a byte,
/// the whole slowest path under 1 a byte).
const WORK_PER_BYTE: usize = 4;
/// Allocations a case may make whatever its size (fixed costs: options, tables, one reply).
const WORK_BASE: usize = 20_000;
/// Cases per large-input target in a plain `cargo test` (each is 48–300 KiB of text).
const DEFAULT_LARGE_CASES: u64 = 24;

/// `input` repeated (whole: front matter, headings and all) until it is at least `min`
/// bytes, then cut to [`MAX_INPUT`].
fn grow(input: &[u8], min: usize) -> Vec<u8> {
    let piece = if input.is_empty() { b"a.\n\n" } else { input };
    let mut out = input.to_vec();
    while out.len() < min {
        out.extend_from_slice(piece);
    }
    out.truncate(MAX_INPUT.max(min));
    out
}

/// Runs `check` on `cases` edited seeds grown to at least `min` bytes; panics naming the
/// first case whose allocations exceed the linear budget.
fn linear_work(target: &str, min: usize, check: impl Fn(&[u8])) {
    let seeds = files(&["src/source/samples", "eval/qa/briefs"]);
    let (_, seed) = settings();
    let cases = std::env::var("FUZZ_LARGE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_LARGE_CASES);
    let current = watchdog();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0x1a29e);
    let mut entropy = vec![0u8; 4096];
    let (mut most, mut sizes) = (0.0f64, (usize::MAX, 0usize));
    // The seeds themselves, grown, then edited ones.
    let inputs = seeds
        .iter()
        .map(|s| grow(s, min))
        .chain((0..cases).filter_map(|_| {
            rng.fill_bytes(&mut entropy);
            let mut u = Unstructured::new(&entropy);
            mutate(&mut u, &seeds, BRIEF_TOKENS)
                .ok()
                .map(|i| grow(&i, min))
        }));
    for (case, input) in inputs.enumerate() {
        let name = format!("{target}-seed{seed}-large{case}");
        assert!(input.len() >= min);
        *current.lock().unwrap() = Some((name.clone(), input.clone(), Instant::now()));
        let work = allocations(|| check(&input));
        *current.lock().unwrap() = None;
        let budget = WORK_PER_BYTE * input.len() + WORK_BASE;
        assert!(
            work <= budget,
            "{name}: {work} allocations for a {}-byte input (budget {budget}); input in {}",
            input.len(),
            save(&name, &input).display()
        );
        most = most.max(work as f64 / input.len() as f64);
        sizes = (sizes.0.min(input.len()), sizes.1.max(input.len()));
    }
    eprintln!(
        "fuzz {target}: inputs of {} to {} bytes; most allocations per input byte: {most:.2}",
        sizes.0, sizes.1
    );
}

#[test]
fn parsing_a_large_hostile_brief_is_linear_work() {
    let opts = ParseOptions::default();
    linear_work("parse-64k", 64 * 1024, |input| {
        let _ = parse_bytes(input, "large", &opts);
    });
}

#[test]
fn summarizing_a_large_hostile_brief_is_linear_work() {
    use briefbot::brief::{Library, SectionKind};
    use briefbot::core::Core;
    use briefbot::reply::View;
    use briefbot::summarize::{Detail, Summarizer};
    let opts = ParseOptions::default();
    linear_work("summarize-48k", 48 * 1024, |input| {
        let Ok(brief) = parse_bytes(input, "large", &opts) else {
            return;
        };
        briefbot::summarize::keywords::enrich(&brief);
        let id = brief.id.clone();
        let core = Core::new(Library::from_briefs([brief]), Summarizer::default());
        for detail in [Detail::Short, Detail::Full] {
            for section in [None, Some(SectionKind::Happening), Some(SectionKind::Next)] {
                let _ = core.show_id(&id, View { section, detail });
            }
        }
        let _ = core.tldr(core.library().briefs()[0].as_ref());
        let _ = briefbot::commands::ask::answer(&core, "what happens next with the plan?");
    });
}
