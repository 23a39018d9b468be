#!/usr/bin/env python3
"""The soak: custsyncd under a steady mixed load for a set time, its resident memory, open file
descriptors and CPU time printed at intervals, then whether memory and descriptors stayed flat.

    soak.py BIN_DIR

BIN_DIR holds custsyncd and syncctl (`make soak` uses the release build). The workload
(Tests/Load/workload.py) keeps every upstream busy at a steady pace: a call-center file dropped
every few seconds, orders added to the feed (and now and then one refunded), mail delivered, the
exec generator growing, and `syncctl status` asked as monitoring would. Each sample reads
/proc/PID: VmRSS, the entries of fd/ and task/, utime + stime. At the end the load stops, the
daemon catches up, `syncctl verify` must be clean and the store must hold every record exactly
once (Tests/Load/ground_truth.py).

Before the first sample a warm-up load is taken in, so that the store outgrows the writer's page
cache. The verdict compares the last third of the samples with the middle third (the first third
may still see caches settle): memory is flat when the last third's mean RSS is within RSS_MARGIN
of the middle third's; descriptors are flat when the fewest the last third holds are at most
FD_MARGIN above the fewest of the middle third (descriptors in flight come and go; a leak raises
the count the daemon falls back to). The verdict is printed, not asserted: the exit status is
non-zero only when the store is wrong.

Environment:
    SOAK_SECONDS   how long the load runs (default 600)
    SOAK_INTERVAL  seconds between samples (default: SOAK_SECONDS / 30, at least 5)
    SOAK_KEEP      keep the installation directory afterwards (any value)
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ground_truth  # noqa: E402
from workload import Failure, FeedServer, Workload  # noqa: E402

# Every this many seconds, this much more: a steady load well within what a release build takes.
PACE = [
    (5, "csv", 1000),     # a call-center export of 1000 rows
    (2, "orders", 100),   # 100 new orders
    (10, "refund", 1),    # one order refunded
    (2, "mail", 5),       # 5 messages
    (3, "exec", 1000),    # 1000 more generated records
    (5, "status", 1),     # syncctl status, as monitoring asks it
]
# Loaded and taken in before the first sample, so the store outgrows the writer's page cache
# (32 MiB) and the samples see a daemon in its steady state, not one filling its caches.
WARM_UP = {"csv_rows": 10000, "orders": 5000, "mail": 100, "exec": 20000}
# Flat: the last third's mean RSS at most this much above the middle third's (relative, and at
# least the absolute floor), and its least descriptor count at most this many above the middle
# third's least.
RSS_MARGIN = 0.05
RSS_MARGIN_FLOOR_KIB = 2048
FD_MARGIN = 2
DRAIN_TIMEOUT = 300


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: soak.py BIN_DIR")
    seconds = float(os.environ.get("SOAK_SECONDS") or 600)
    interval = float(os.environ.get("SOAK_INTERVAL") or max(5, seconds / 30))
    workload = Workload(sys.argv[1], "soak", orders=WARM_UP["orders"])
    passed = False
    try:
        samples = run(workload, seconds, interval)
        verdict(samples)
        passed = True
    except Failure as failure:
        print("FAILED: %s" % failure, file=sys.stderr)
    finally:
        keep = not passed or bool(os.environ.get("SOAK_KEEP"))
        workload.close(keep=keep)
        if keep:
            print("installation kept in %s" % workload.root, file=sys.stderr)
    sys.exit(0 if passed else 1)


def run(workload, seconds, interval):
    rng = random.Random(1)
    workload.drop_csv(WARM_UP["csv_rows"])
    workload.deliver_mail(WARM_UP["mail"])
    workload.grow_exec(WARM_UP["exec"])
    daemon = workload.start_daemon()
    workload.wait_ready(daemon)
    ground_truth.wait_until_everything_in(workload, daemon, DRAIN_TIMEOUT)
    print("warm-up: %d records in %.0fs; store %.0f MiB"
          % (sum(workload.expected_counts().values()), time.monotonic() - daemon.started,
             workload.store_path.stat().st_size / 2**20))
    print("soak: custsyncd pid %d for %.0fs, a sample every %.0fs; load every few seconds: %s"
          % (daemon.pid, seconds, interval, ", ".join("%s %d/%ds" % (kind, amount, every) for every, kind, amount in PACE)))
    print("%7s %9s %5s %7s %8s %6s %9s %8s" % ("t (s)", "RSS (MiB)", "fds", "threads", "CPU (s)", "CPU %", "records", "backlog"))
    started = time.monotonic()
    next_load = {kind: started for _, kind, _ in PACE}
    next_sample = started
    last_cpu, last_time = daemon.cpu_seconds(), started
    samples = []
    while True:
        now = time.monotonic()
        if now >= started + seconds:
            break
        if not daemon.running():
            raise Failure("custsyncd exited (status %s):\n%s" % (daemon.process.returncode, daemon.log_tail()))
        for every, kind, amount in PACE:
            if now >= next_load[kind]:
                add(workload, kind, amount, rng)
                next_load[kind] += every
        if now >= next_sample:
            cpu = daemon.cpu_seconds()
            recorded = sum(workload.recorded_counts().values())
            sample = {"t": now - started, "rss": daemon.rss_kib(), "fds": daemon.open_fds(), "threads": daemon.threads(),
                      "cpu": cpu, "records": recorded}
            samples.append(sample)
            share = "%.1f" % (100 * (cpu - last_cpu) / (now - last_time)) if samples[:-1] else "-"
            print("%7.0f %9.1f %5d %7d %8.1f %6s %9d %8d"
                  % (sample["t"], sample["rss"] / 1024, sample["fds"], sample["threads"], cpu, share, recorded,
                     sum(workload.expected_counts().values()) - recorded), flush=True)
            last_cpu, last_time = cpu, now
            next_sample += interval
        time.sleep(max(0.05, min(next_sample, *next_load.values()) - time.monotonic()))
    print("load stopped; waiting for the daemon to catch up", flush=True)
    ground_truth.wait_until_everything_in(workload, daemon, DRAIN_TIMEOUT)
    ground_truth.verify_and_stop(workload, daemon)
    ground_truth.check(workload)
    return samples


def add(workload, kind, amount, rng):
    if kind == "csv":
        workload.drop_csv(amount)
    elif kind == "orders":
        workload.add_orders(amount)
    elif kind == "refund":
        candidates = [n for n in range(1, workload.feed.orders + 1) if FeedServer.key(n) not in workload.refunded]
        workload.refund_orders(rng.sample(candidates, min(amount, len(candidates))))
    elif kind == "mail":
        workload.deliver_mail(amount)
    elif kind == "exec":
        workload.grow_exec(amount)
    elif kind == "status":
        answer = workload.syncctl("status", "--json")
        if answer.returncode != 0:
            raise Failure("syncctl status exited %d: %s" % (answer.returncode, answer.stderr))


def verdict(samples):
    third = len(samples) // 3
    if third < 2:
        print("verdict: too few samples (%d) to compare thirds; run longer or sample more often" % len(samples))
        return
    middle, last = samples[third:2 * third], samples[2 * third:]

    def mean(values):
        return sum(values) / len(values)

    rss_middle, rss_last = mean([s["rss"] for s in middle]), mean([s["rss"] for s in last])
    # Descriptors in flight (a transfer, the generator's pipe, a syncctl client) come and go; a
    # leak raises the count the daemon falls back to, so the thirds' least counts are compared.
    fds_middle, fds_last = [s["fds"] for s in middle], [s["fds"] for s in last]
    rss_flat = rss_last <= rss_middle + max(RSS_MARGIN * rss_middle, RSS_MARGIN_FLOOR_KIB)
    fds_flat = min(fds_last) <= min(fds_middle) + FD_MARGIN
    span = samples[-1]["t"] - samples[0]["t"]
    cpu = samples[-1]["cpu"] - samples[0]["cpu"]
    records = samples[-1]["records"] - samples[0]["records"]
    print("RSS: middle third mean %.1f MiB, last third mean %.1f MiB (%+.1f%%; trend over both %+.1f MiB/h): %s"
          % (rss_middle / 1024, rss_last / 1024, 100 * (rss_last - rss_middle) / rss_middle,
             slope([(s["t"], s["rss"]) for s in middle + last]) * 3600 / 1024, "flat" if rss_flat else "GROWING"))
    print("descriptors: middle third %d..%d, last third %d..%d (least counts compared): %s"
          % (min(fds_middle), max(fds_middle), min(fds_last), max(fds_last), "flat" if fds_flat else "GROWING"))
    print("CPU: %.1fs over %.0fs (%.1f%% of one core) for %d records (%.0f records/s)"
          % (cpu, span, 100 * cpu / max(1, span), records, records / max(1, span)))
    print("goal %s: flat RSS and descriptor count over the soak" % ("met" if rss_flat and fds_flat else "NOT met"))


def slope(points):
    """Least-squares slope of (x, y) points."""
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


if __name__ == "__main__":
    main()
