#!/usr/bin/env python3
"""The crash matrix: kill -9 custsyncd at random moments under a mixed load, then hold the store
against the ground truth.

    crash_matrix.py BIN_DIR

BIN_DIR holds custsyncd and syncctl. The workload (Tests/Load/workload.py) runs a csv-drop,
an order-feed, an imap and an exec connector at once in one daemon. It starts with a large CSV
file, a feed, a mailbox and a generator full of records; then, CRASH_KILLS times, it starts the
daemon, adds a little to every upstream (and refunds a few orders, a change upstream), waits a
random time and kills the daemon with SIGKILL (one time in five while it stops: SIGTERM, then
SIGKILL a random fraction of a second later).
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

import hashlib
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ground_truth  # noqa: E402
from ground_truth import counts_text  # noqa: E402
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
# One kill in five comes during an orderly stop: SIGTERM first, SIGKILL this long after (a stop
# that outlasts systemd's TimeoutStopSec= ends that way).
STOPPING_KILLS = 0.2
STOPPING_GRACE = (0.0, 0.5)
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
             rng.uniform(*STOPPING_GRACE) if rng.random() < STOPPING_KILLS else None,
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
        for number, (delay, grace, inputs) in enumerate(plan, 1):
            kill(workload, rng, number, kills, delay, grace, inputs, started)
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


def kill(workload, rng, number, kills, delay, grace, inputs, started):
    """One cycle: start the daemon, add to every upstream, and `delay` seconds after the start
    kill it with SIGKILL, or with SIGTERM and SIGKILL `grace` seconds later."""
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
    if grace is None:
        daemon.kill9()
        how = "SIGKILL"
    else:
        status = daemon.kill9_while_stopping(grace)
        # Killed by the SIGTERM itself: it came before the daemon set up its handler, which
        # systemd counts as a clean stop too.
        outcomes = {None: "", 0: " (it had stopped: exit 0)", -signal.SIGTERM: " (it died of SIGTERM, still starting)"}
        if status not in outcomes:
            raise Failure("SIGTERM: custsyncd exited %s:\n%s" % (status, daemon.log_tail()))
        how = "SIGTERM, then SIGKILL %.3fs later%s" % (grace, outcomes[status])
    ready = workload.ready_seen()
    expected, recorded = workload.expected_counts(), workload.recorded_counts()
    pending = {source: expected[source] - recorded[source] for source in SOURCES}
    processing = check_processing(workload)
    ground_truth.check_journal_gapless(workload)
    print("kill %2d/%d at %.3fs after start (run +%.1fs, %s): %s; pending %s; processing/ %s"
          % (number, kills, delay, time.monotonic() - started, "after READY" if ready else "before READY", how,
             counts_text(pending), processing or "empty"), flush=True)


def check_processing(workload):
    """Every file in processing/ is the one the committed cursor names (by name and content), a
    copy of content read completely before (skipped), or nothing of it is committed (it is read
    from its start again). Returns what processing/ holds."""
    names = workload.folder("processing")
    if not names:
        return ""
    with workload.store() as db:
        row = db.execute("SELECT cursor FROM connector_state WHERE name = 'calls'").fetchone()
        cursor = json.loads(row[0]) if row and row[0] else {}
        described = []
        for name in names:
            content = (workload.calls_folder / "processing" / name).read_bytes()
            sha256 = hashlib.sha256(content).hexdigest()
            if name == cursor.get("file") and cursor.get("sha256") == sha256:
                described.append("%s (cursor: %s, line %s)" % (name, cursor.get("state"), cursor.get("line")))
                continue
            if db.execute("SELECT count(*) FROM completed_content WHERE source = 'calls' AND hash = ?", (sha256,)).fetchone()[0]:
                described.append("%s (a copy of a file read before: to be skipped)" % name)
                continue
            prefix = CSVDrop.content_key(content) + ":"
            committed = db.execute("SELECT count(*) FROM interactions WHERE source = 'calls' AND source_key >= ? AND source_key < ?",
                                   (prefix, prefix[:-1] + ";")).fetchone()[0]
            if committed:
                raise Failure("processing/%s has %d committed rows, but the cursor names another file (%s): "
                              "a restart would read it again from its start" % (name, committed, cursor))
            described.append("%s (claimed, nothing committed)" % name)
    return ", ".join(described)


def finish(workload, started):
    """Runs the daemon until every input is in, then holds the store against the ground truth."""
    daemon = workload.start_daemon()
    workload.wait_ready(daemon)
    print("final run: waiting for %s" % counts_text(workload.expected_counts()), flush=True)
    ground_truth.wait_until_everything_in(workload, daemon, DRAIN_TIMEOUT)
    print("everything in after %.1fs of the final run (run +%.0fs)" % (time.monotonic() - daemon.started,
                                                                     time.monotonic() - started), flush=True)
    ground_truth.verify_and_stop(workload, daemon)
    ground_truth.check(workload)


if __name__ == "__main__":
    main()
