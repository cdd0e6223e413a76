//! Summarizing is bounded whatever a brief's size (issue 8, item 1): a 240 KB brief of 60,000
//! one-line paragraphs once made `ask /brief` build a dense 60,000² matrix (24 GB). The work
//! on the interaction path — the short answers of `/brief` and the section commands, the
//! TL;DR of `/briefs`, `/ask` — is measured here by what it allocates (peak bytes and number
//! of allocations, through a counting global allocator), not by the clock: a file under
//! `briefs.max_bytes` must cost about what a normal brief costs.

use briefbot::brief::{parse, Library, ParseOptions, SectionKind};
use briefbot::core::Core;
use briefbot::reply::View;
use briefbot::summarize::{Detail, Summarizer};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Counts live bytes, their peak and the number of allocations.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static COUNT: AtomicUsize = AtomicUsize::new(0);

/// Any single allocation above this fails (so a quadratic table fails the test at once
/// instead of swapping the machine).
const REFUSE: usize = 256 << 20;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > REFUSE {
            return std::ptr::null_mut();
        }
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
            COUNT.fetch_add(1, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak bytes above the starting point, and allocations, while `f` runs.
fn measure<R>(f: impl FnOnce() -> R) -> (R, usize, usize) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    COUNT.store(0, Relaxed);
    let r = f();
    (r, PEAK.load(Relaxed) - base, COUNT.load(Relaxed))
}

fn core_of(text: &str) -> Core {
    let brief = parse::parse(text, "hostile", &ParseOptions::default()).expect("parses");
    Core::new(Library::from_briefs([brief]), Summarizer::default())
}

/// What one interaction of each kind costs on the brief of `core`.
fn interaction_costs(core: &Core) -> Vec<(&'static str, usize, usize)> {
    let short = |section| View {
        section,
        detail: Detail::Short,
    };
    let mut out = Vec::new();
    let (r, peak, count) = measure(|| core.show_id("hostile", short(None)));
    assert!(!r.sections.is_empty());
    out.push(("/brief", peak, count));
    let (r, peak, count) = measure(|| core.show_id("hostile", short(Some(SectionKind::Happening))));
    assert!(!r.sections.is_empty());
    out.push(("/happening (memoized)", peak, count));
    let (_, peak, count) = measure(|| core.tldr(core.library().briefs()[0].as_ref()));
    out.push(("tldr", peak, count));
    let (_, peak, count) = measure(|| {
        briefbot::commands::ask::answer(core, "what is happening with the alpha items?")
    });
    out.push(("/ask", peak, count));
    out
}

#[test]
fn hostile_briefs_cost_what_a_normal_brief_costs() {
    // A normal brief, for scale.
    let normal = core_of(
        "What's Happening?\nThe alpha council approved the plan on Monday. It takes effect in May. \
         Critics object.\n\nWhy it matters\nAlpha items cost more. Shops worry.\n\nWhat's Next?\n\
         A vote is due. Alpha traders wait.\n",
    );
    let normal_costs = interaction_costs(&normal);
    // 240 KB of one-line paragraphs; 240 KB in one paragraph of short sentences; and one
    // 240 KB "sentence" with no full stop.
    let hostile = [
        format!("What's Happening?\n{}", "a.\n\n".repeat(60_000)),
        format!(
            "What's Happening?\n{}\n\nWhy it matters\n{}",
            "Alpha items rose. ".repeat(7_000),
            "Alpha beta gamma. ".repeat(6_000)
        ),
        format!("What's Happening?\n{}", "alpha ".repeat(40_000)),
    ];
    for (n, text) in hostile.iter().enumerate() {
        assert!(
            text.len() >= 200_000 && text.len() < 256 * 1024,
            "{}",
            text.len()
        );
        let core = core_of(text);
        for ((what, peak, count), (_, normal_peak, normal_count)) in
            interaction_costs(&core).into_iter().zip(&normal_costs)
        {
            // A fixed budget, whatever the file: only the start of a section is read (a
            // normal brief: ~2 KB and ~130 allocations; these: under 64 KB and 2,600).
            assert!(
                peak <= 256 * 1024,
                "hostile brief {n}, {what}: peak {peak} bytes (normal brief: {normal_peak})"
            );
            assert!(
                count <= 5_000,
                "hostile brief {n}, {what}: {count} allocations (normal brief: {normal_count})"
            );
        }
    }
}
