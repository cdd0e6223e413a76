//! Background work that yields to the interactive kind: bulk keyphrase extraction and
//! summary warming run on threads of their own at the lowest scheduling priority, yielding
//! the core between items, so that the async threads answering interactions get a core at
//! once while a large library is being enriched (issue 12: the first interactions after a
//! start were 5× slower than the rest, competing with enrichment at equal priority).

/// The nice value of a background thread: the lowest priority (CFS weight 15 against 1,024
/// at nice 0, so a busy async thread gets ~98 % of a core it shares with one). The price:
/// every other busy process of the machine wins the same way (beside a parallel compile on
/// a 2-core host, a 10,000-brief enrichment of the debug build took 147 s instead of 36 s,
/// holding back the first planning pass and so the deliveries). At nice 10 the first 100
/// interactions after a start had p99 8.4 ms instead of 1.9 ms (release, one run each):
/// issue 12 asks for 2 ms, so the bot yields as far as it can.
pub const BACKGROUND_NICE: i32 = 19;

/// Lowers the calling thread's priority to [`BACKGROUND_NICE`] for the rest of its life.
/// Call it only on a thread spawned for the purpose (a scoped worker), never on a pooled
/// thread (tokio's blocking pool) that later runs other work. Does nothing where per-thread
/// priorities are not available; a refusal (a sandbox) leaves the priority as it was.
pub fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: `gettid` has no preconditions; `setpriority` with PRIO_PROCESS and a thread
    // id changes that thread's nice value (Linux threads have their own), touching no memory.
    unsafe {
        let tid = libc::gettid();
        let _ = libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, BACKGROUND_NICE);
    }
}

/// Runs `each` on every item, spread over one thread a core, each thread at the lowest
/// priority ([`lower_priority`]) and yielding between items ([`pause`]); returns when all
/// are done. For bulk work beside the interactions (a library's keyphrases, its summaries).
/// Blocking: call it off the async threads.
pub fn for_each_in_background<T: Sync>(items: &[T], each: impl Fn(&T) + Sync) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    let each = &each;
    std::thread::scope(|scope| {
        for part in items.chunks(chunk) {
            scope.spawn(move || {
                lower_priority();
                for item in part {
                    each(item);
                    pause();
                }
            });
        }
    });
}

/// Called by background work between items (a brief's keyphrases, its summaries: 50–110 µs
/// each in release): gives the core to a thread waiting for it.
///
/// A low priority is not enough to keep the async threads' latency (issue 12). A thread
/// woken by an interaction is not run at once on a core busy with a nice-19 thread: the
/// scheduler (EEVDF) lets the running thread finish its slice, and with a 250 Hz tick the
/// woken one waited up to 3–4 ms (`perf sched` traces of the process bench,
/// docs/BENCHMARKS.md run 5). A yield ends the slice, so the woken thread waits one item at
/// most; with no other thread ready it returns at once. Measured against the alternatives
/// (process bench, release, 10,000 briefs, first 100 interactions after start, runs with
/// p99 ≤ 2 ms): no yield 13 of 18; background work on all cores but one 18 of 18 but every
/// summary ready only 1.6–1.7 s after start-up instead of 0.9–1.0 s (target 2 s); this 8 of
/// 8 with the summaries at 0.9–1.0 s. `SCHED_IDLE` on top of nice 19, which should make the
/// running thread yield at every wake-up, did worse (3 of 8): a preempted idle-class thread
/// holding a lock the async threads need (an allocator arena, the memory map) waits for every
/// other thread of the machine.
fn pause() {
    std::thread::yield_now();
}

/// Runs `work` on a thread of its own at [`BACKGROUND_NICE`] and waits for its result
/// without blocking the async threads: bulk work next to the interactions (enriching and
/// indexing a whole library). `None` if it panicked.
pub async fn background<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            lower_priority();
            let _ = tx.send(work());
        });
    match spawned {
        Ok(_) => rx.await.ok(),
        Err(e) => {
            tracing::error!("cannot start a background thread: {e}");
            None
        }
    }
}

/// Hands back to the system the memory that bulk work freed (glibc keeps freed chunks in
/// each thread's arena: after parsing, enriching and summarizing 10,000 briefs on several
/// threads, tens of MiB of resident memory were free heap). Costs a walk over the heap
/// (milliseconds); call it once a bulk phase is over, off the async threads. Does nothing
/// with another C library.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free memory of the allocator's arenas to the
    // system; it is thread-safe and touches no allocation in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The current thread's nice value (for tests; 0 where not available).
pub fn current_nice() -> i32 {
    #[cfg(target_os = "linux")]
    // SAFETY: as above; `getpriority` reads the thread's nice value.
    unsafe {
        let tid = libc::gettid();
        libc::getpriority(libc::PRIO_PROCESS, tid as libc::id_t)
    }
    #[cfg(not(target_os = "linux"))]
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn background_work_runs_at_the_lowest_priority_and_returns() {
        let got = background("test-background", || (current_nice(), 6 * 7)).await;
        let (nice, answer) = got.expect("a result");
        assert_eq!(answer, 42);
        if cfg!(target_os = "linux") {
            assert_eq!(nice, BACKGROUND_NICE);
        }
        let panicked: Option<()> = background("test-panic", || panic!("boom")).await;
        assert!(panicked.is_none());
    }

    #[test]
    fn every_item_is_done_once_at_the_lowest_priority() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Mutex;
        let items: Vec<usize> = (0..100).collect();
        let sum = AtomicUsize::new(0);
        let nices = Mutex::new(Vec::new());
        for_each_in_background(&items, |i| {
            sum.fetch_add(*i, Ordering::Relaxed);
            nices.lock().unwrap().push(current_nice());
        });
        assert_eq!(sum.into_inner(), (0..100).sum::<usize>());
        let nices = nices.into_inner().unwrap();
        assert_eq!(nices.len(), 100);
        if cfg!(target_os = "linux") {
            assert!(nices.iter().all(|&n| n == BACKGROUND_NICE), "{nices:?}");
        }
        assert_ne!(
            current_nice(),
            BACKGROUND_NICE,
            "the caller's thread is untouched"
        );
        for_each_in_background(&[] as &[u8], |_| unreachable!());
    }

    #[test]
    fn lowers_only_the_calling_thread() {
        let before = current_nice();
        let inside = std::thread::spawn(|| {
            lower_priority();
            current_nice()
        })
        .join()
        .unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(inside, BACKGROUND_NICE);
        }
        assert_eq!(current_nice(), before, "the caller's thread is untouched");
    }
}
