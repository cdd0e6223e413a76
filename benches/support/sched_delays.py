#!/usr/bin/env python3
"""Where a thread waited for a core: reads `perf script` output of sched_switch and
sched_wakeup events and prints, for the given threads, each run-queue delay (woken, not yet
running) and each uninterruptible stop longer than a threshold, with what held the core.

Used for issue 12's first-interactions tail (docs/BENCHMARKS.md, run 5):

    perf record -e sched:sched_switch -e sched:sched_wakeup -a -k mono -o /tmp/p.data -- \\
        env BRIEFBOT_BENCH_BIN=/tmp/bb target/release/deps/process-<hash> --bench
    perf script -i /tmp/p.data -F comm,tid,time,event,trace > /tmp/p.txt
    python3 benches/support/sched_delays.py /tmp/p.txt TID,TID FROM TO [MIN_MS]

TIDs are the bot's `tokio-rt-worker` threads; FROM and TO are perf timestamps (seconds).
"""
import re
import sys

LINE = re.compile(r"^\s*(.+?)\s+(\d+)\s+([\d.]+): sched:sched_(\w+): (.*)$")


def field(rest, name):
    m = re.search(name + r"=(\S+)", rest)
    return m.group(1) if m else None


def main():
    path, tids = sys.argv[1], set(sys.argv[2].split(","))
    lo, hi = float(sys.argv[3]), float(sys.argv[4])
    floor = float(sys.argv[5]) / 1000 if len(sys.argv) > 5 else 0.0004
    woken, left = {}, {}
    for line in open(path):
        m = LINE.match(line)
        if not m:
            continue
        comm, tid, ts, event, rest = m.groups()
        ts = float(ts)
        if not lo <= ts <= hi:
            continue
        if event == "wakeup":
            target = field(rest, "pid")
            if target in tids:
                woken[target] = (ts, comm, tid)
        elif event == "switch":
            prev, state, nxt = field(rest, "prev_pid"), field(rest, "prev_state"), field(rest, "next_pid")
            if prev in tids:
                left[prev] = (ts, state)
            if nxt in tids:
                if nxt in woken:
                    at, by, by_tid = woken.pop(nxt)
                    if ts - at > floor:
                        print(f"{ts:.6f} tid {nxt} waited {1000 * (ts - at):.2f} ms for a core "
                              f"(woken by {by} {by_tid}; the core ran {comm} {tid})")
                if nxt in left:
                    at, state = left.pop(nxt)
                    if state.startswith("D") and ts - at > floor:
                        print(f"{ts:.6f} tid {nxt} stopped {1000 * (ts - at):.2f} ms ({state})")


if __name__ == "__main__":
    main()
