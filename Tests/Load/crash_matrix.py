#!/usr/bin/env python3
"""The crash matrix: kill -9 custsyncd at random moments under a mixed load, then hold the store
against the ground truth.

    crash_matrix.py BIN_DIR

BIN_DIR holds custsyncd and syncctl. The workload (Tests/Load/workload.py) runs a csv-drop,
an order-feed, an imap and an exec connector at once in one daemon. It starts with a large CSV
file, a feed, a mailbox and a generator full of records; then, CRASH_KILLS times, it starts the
daemon, adds a little to every upstream (and refunds a few orders, a change upstream), waits a
random time and kills the daemon with SIGKILL.
After each kill it checks that every file in processing/ is either the one the committed cursor
names or one of which nothing is committed, and that the journal has no gap. At the end the
daemon runs until everything is in, and then:
  - every record every upstream produced is recorded exactly once (interactions, applied_records
    and the journal's interaction.recorded entries, by source key; nothing missing, nothing twice,
    nothing else); a refunded order is refunded in the store, journaled as updated at most once;
    the bad call rows (BAD_EVERY in workload.py) are quarantined once each and listed once each
    in the rejects files, and nothing else is quarantined or rejected;
  - the journal runs 1..max with no hole;
  - processing/ and incoming/ are empty, every file is archived;
  - `syncctl verify` is clean and SIGTERM stops the daemon with status 0.

Environment (the defaults are the reduced form that `make test` runs):
    CRASH_SEED   seed of the kill times and input sizes (default: random; printed, replay with it)
    CRASH_KILLS  how many kills (default 5; `make test-crash` uses 50)
    CRASH_SCALE  multiplies every input size (default 1; `make test-crash` uses 4)
    CRASH_KEEP   keep the installation directory even when everything passed (any value)
A failure prints the command that replays the run.
"""

import csv
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workload import SOURCES, CSVDrop, Failure, FeedServer, Workload  # noqa: E402

# Input sizes at CRASH_SCALE=1: the first load, then what each cycle adds (the cycle's share is
# drawn between half and all of it).
FIRST_LOAD = {"csv_rows": 8000, "orders": 2000, "mail": 60, "exec": 6000}
PER_CYCLE = {"csv_rows": 1500, "orders": 400, "mail": 12, "exec": 1500}
# A kill comes this many seconds after the daemon was started: one in five during the start-up
# (store recovery, what processing/ holds from before), the others in full flow.
STARTUP_KILLS = 0.2
STARTUP_WINDOW = (0.0, 0.4)
FLOW_WINDOW = (0.4, 4.0)
# Orders refunded (changed upstream) in each cycle.
REFUNDS_PER_CYCLE = 3
DRAIN_TIMEOUT = 900


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: crash_matrix.py BIN_DIR")
    seed = int(os.environ.get("CRASH_SEED") or random.SystemRandom().randrange(1, 2**31))
    kills = int(os.environ.get("CRASH_KILLS") or 5)
    scale = float(os.environ.get("CRASH_SCALE") or 1)
    replay = "CRASH_SEED=%d CRASH_KILLS=%d CRASH_SCALE=%g make test-crash" % (seed, kills, scale)
    print("crash matrix: seed %d, %d kills, scale %g (replay: %s)" % (seed, kills, scale, replay), flush=True)
    rng = random.Random(seed)
    plan = [(rng.uniform(*(STARTUP_WINDOW if rng.random() < STARTUP_KILLS else FLOW_WINDOW)),
             {k: int(v * scale * rng.uniform(0.5, 1)) for k, v in PER_CYCLE.items()})
            for _ in range(kills)]
    started = time.monotonic()
    workload = Workload(sys.argv[1], "crash", orders=int(FIRST_LOAD["orders"] * scale))
    passed = False
    try:
        workload.drop_csv(int(FIRST_LOAD["csv_rows"] * scale))
        workload.deliver_mail(int(FIRST_LOAD["mail"] * scale))
        workload.grow_exec(int(FIRST_LOAD["exec"] * scale))
        print("first load: %s" % counts_text(workload.expected_counts()), flush=True)
        for number, (delay, inputs) in enumerate(plan, 1):
            kill(workload, rng, number, kills, delay, inputs, started)
        finish(workload, started)
        passed = True
    except Failure as failure:
        print("FAILED: %s" % failure, file=sys.stderr)
    finally:
        keep = not passed or bool(os.environ.get("CRASH_KEEP"))
        workload.close(keep=keep)
        if keep:
            print("installation kept in %s (daemon-NNN.log: one log per start)" % workload.root, file=sys.stderr)
    if not passed:
        print("replay: %s" % replay, file=sys.stderr)
        sys.exit(1)
    print("goal met: zero lost or doubled records across %d kills (seed %d) in %.0fs" % (kills, seed, time.monotonic() - started))


def kill(workload, rng, number, kills, delay, inputs, started):
    """One cycle: start the daemon, add to every upstream, kill -9 `delay` seconds after the start."""
    daemon = workload.start_daemon()
    workload.drop_csv(inputs["csv_rows"])
    workload.add_orders(inputs["orders"])
    workload.refund_orders(rng.sample([n for n in range(1, workload.feed.orders + 1)
                                       if FeedServer.key(n) not in workload.refunded], REFUNDS_PER_CYCLE))
    workload.deliver_mail(inputs["mail"])
    workload.grow_exec(inputs["exec"])
    time.sleep(max(0, daemon.started + delay - time.monotonic()))
    if not daemon.running():
        raise Failure("custsyncd exited by itself (status %s) before kill %d:\n%s"
                      % (daemon.process.returncode, number, daemon.log_tail()))
    daemon.kill9()
    ready = workload.ready_seen()
    expected, recorded = workload.expected_counts(), workload.recorded_counts()
    pending = {source: expected[source] - recorded[source] for source in SOURCES}
    processing = check_processing(workload)
    check_journal_gapless(workload)
    print("kill %2d/%d: %.3fs after start (run +%.1fs, %s) pending %s; processing/ %s"
          % (number, kills, delay, time.monotonic() - started, "after READY" if ready else "before READY",
             counts_text(pending), processing or "empty"), flush=True)


def check_processing(workload):
    """Every file in processing/ is the one the committed cursor names, or nothing of it is
    committed (it is read from its start again). Returns a description of processing/."""
    names = workload.folder("processing")
    if not names:
        return ""
    with workload.store() as db:
        row = db.execute("SELECT cursor FROM connector_state WHERE name = 'calls'").fetchone()
        cursor = json.loads(row[0]) if row and row[0] else {}
        described = []
        for name in names:
            if name == cursor.get("file"):
                described.append("%s (cursor: %s, line %s)" % (name, cursor.get("state"), cursor.get("line")))
                continue
            prefix = CSVDrop.content_key((workload.calls_folder / "processing" / name).read_bytes()) + ":"
            committed = db.execute("SELECT count(*) FROM interactions WHERE source = 'calls' AND source_key >= ? AND source_key < ?",
                                   (prefix, prefix[:-1] + ";")).fetchone()[0]
            if committed:
                raise Failure("processing/%s has %d committed rows but the cursor names %s: a restart would not resume it"
                              % (name, committed, cursor.get("file")))
            described.append("%s (claimed, nothing committed)" % name)
    return ", ".join(described)


def check_journal_gapless(workload):
    with workload.store() as db:
        count, low, high = db.execute("SELECT count(*), min(seq), max(seq) FROM journal").fetchone()
    if count and (low != 1 or high != count):
        raise Failure("the journal has %d entries but runs from %s to %s" % (count, low, high))


def finish(workload, started):
    """Runs the daemon until every input is in, then holds the store against the ground truth."""
    daemon = workload.start_daemon()
    workload.wait_ready(daemon)
    expected = workload.expected_counts()
    print("final run: waiting for %s" % counts_text(expected), flush=True)
    end = time.monotonic() + DRAIN_TIMEOUT
    while True:
        if not daemon.running():
            raise Failure("custsyncd exited by itself (status %s):\n%s" % (daemon.process.returncode, daemon.log_tail()))
        recorded = workload.recorded_counts()
        files_left = workload.folder("incoming") + workload.folder("processing")
        if (recorded == expected and not files_left and exec_cursor(workload) == str(workload.exec_count)
                and refunds_recorded(workload) == len(workload.refunded)):
            break
        if time.monotonic() > end or any(recorded[s] > expected[s] for s in SOURCES):
            raise Failure("after %ds: recorded %s of %s; incoming/ and processing/ hold %s; log:\n%s"
                          % (DRAIN_TIMEOUT, counts_text(recorded), counts_text(expected), files_left, daemon.log_tail()))
        time.sleep(0.5)
    print("everything in after %.1fs of the final run (run +%.0fs)" % (time.monotonic() - daemon.started,
                                                                     time.monotonic() - started), flush=True)
    verify = workload.syncctl("verify")
    if verify.returncode != 0:
        raise Failure("syncctl verify exited %d:\n%s%s" % (verify.returncode, verify.stdout, verify.stderr))
    status = daemon.stop()
    if status != 0:
        raise Failure("SIGTERM: custsyncd exited %s:\n%s" % (status, daemon.log_tail()))
    check_ground_truth(workload)
    print("syncctl verify: clean; SIGTERM: exit 0")


def refunds_recorded(workload):
    with workload.store() as db:
        return db.execute("SELECT count(*) FROM interactions WHERE source = 'orders' AND status = 'refunded'").fetchone()[0]


def exec_cursor(workload):
    with workload.store() as db:
        row = db.execute("SELECT cursor FROM connector_state WHERE name = 'gen'").fetchone()
    return row[0] if row else None


def check_ground_truth(workload):
    interactions, records = workload.expected_interactions(), workload.expected_records()
    problems = []
    with workload.store() as db:
        def keys(sql, source):
            return [key for (key,) in db.execute(sql, (source,))]
        print("%-7s %9s %9s %8s %8s %9s" % ("source", "produced", "recorded", "missing", "twice", "unknown"))
        for source in SOURCES:
            recorded = keys("SELECT source_key FROM interactions WHERE source = ?", source)
            journaled = keys("SELECT json_extract(after, '$.key') FROM journal WHERE kind = 'interaction.recorded' AND source = ?",
                             source)
            applied = keys("SELECT source_key FROM applied_records WHERE source = ?", source)
            missing = interactions[source] - set(recorded)
            twice = len(journaled) - len(set(journaled))
            unknown = (set(recorded) | set(journaled)) - interactions[source]
            print("%-7s %9d %9d %8d %8d %9d" % (source, len(interactions[source]), len(recorded), len(missing), twice, len(unknown)))
            if missing:
                problems.append("%s: %d records never recorded, e.g. %s" % (source, len(missing), sorted(missing)[:5]))
            if twice:
                problems.append("%s: %d interactions journaled as recorded more than once" % (source, twice))
            if unknown:
                problems.append("%s: %d keys no upstream produced, e.g. %s" % (source, len(unknown), sorted(unknown)[:5]))
            if set(journaled) != set(recorded):
                problems.append("%s: the journal and the interactions disagree on %d keys"
                                % (source, len(set(journaled) ^ set(recorded))))
            if set(applied) != records[source]:
                problems.append("%s: applied_records differ from the records produced: %d missing, %d unknown"
                                % (source, len(records[source] - set(applied)), len(set(applied) - records[source])))
        # A refund is an update of the order's interaction, unless the order was first read refunded.
        updated = Counter(key for (key,) in db.execute(
            "SELECT source || ' ' || json_extract(after, '$.key') FROM journal WHERE kind = 'interaction.updated'"))
        unexpected = sorted(key for key in updated if key.split(" ", 1)[1] not in workload.refunded or not key.startswith("orders "))
        if unexpected or any(count > 1 for count in updated.values()):
            problems.append("interactions updated without a change upstream, or twice: %s"
                            % sorted(key for key in updated if key in unexpected or updated[key] > 1)[:5])
        statuses = dict(db.execute("SELECT source_key, status FROM interactions WHERE source = 'orders' AND status != 'paid'"))
        if set(statuses) != workload.refunded or set(statuses.values()) - {"refunded"}:
            problems.append("orders: %d refunded upstream, %d refunded in the store" % (len(workload.refunded), len(statuses)))
        print("orders refunded upstream: %d (%d updates journaled, the others first read refunded)"
              % (len(workload.refunded), sum(updated.values())))
        problems += check_rejections(workload, [raw for (raw,) in db.execute("SELECT raw FROM quarantine WHERE source = 'calls'")])
        others = db.execute("SELECT source, origin, reason FROM quarantine WHERE source != 'calls' LIMIT 5").fetchall()
        if others:
            problems.append("quarantined, though only bad call rows were produced: %s" % others)
        count, high = db.execute("SELECT count(*), max(seq) FROM journal").fetchone()
        print("journal: %d entries, seq 1..%d" % (count, high))
    check_journal_gapless(workload)
    archived = workload.folder("archive")
    if len(archived) != len(workload.csv_drops):
        problems.append("archive/ holds %d files, %d were dropped: %s" % (len(archived), len(workload.csv_drops), archived))
    if problems:
        raise Failure("the store does not match the ground truth:\n  " + "\n  ".join(problems))
    print("archive/: all %d files; processing/ and incoming/ empty; %d bad rows quarantined and in rejects files, once each"
          % (len(archived), len(workload.expected_rejections())))


def check_rejections(workload, quarantined):
    """The bad rows are quarantined once each, and listed once each in the rejects files, which
    are all rejected/ holds (no file was rejected whole)."""
    problems = []
    expected = Counter(workload.expected_rejections())
    if Counter(quarantined) != expected:
        problems.append("quarantine: %d bad call rows expected, %d quarantined (%d distinct)"
                        % (sum(expected.values()), len(quarantined), len(set(quarantined))))
    listed = Counter()
    folder = workload.calls_folder / "rejected"
    names = workload.folder("rejected")
    for name in names:
        # A file rejected whole has NAME.error beside it; every other file is a rejects file.
        if name.endswith(".error"):
            problems.append("rejected/%s: no file should have been rejected whole" % name)
        if name.endswith(".error") or name + ".error" in names:
            continue
        with open(folder / name, newline="", encoding="utf-8") as rejects:
            rows = list(csv.reader(rejects))
        if rows[:1] != [["line", "reason", "record"]]:
            problems.append("rejected/%s does not start with its header line: %s" % (name, rows[:1]))
        listed.update(row[2] for row in rows[1:])
    if listed != expected:
        problems.append("rejects files: %d bad call rows expected, %d listed (%d distinct)"
                        % (sum(expected.values()), sum(listed.values()), len(listed)))
    return problems


def counts_text(counts):
    return " ".join("%s %d" % (source, counts[source]) for source in SOURCES)


if __name__ == "__main__":
    main()
