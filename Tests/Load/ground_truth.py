"""The end of a crash-matrix or soak run: wait until the daemon has everything the upstreams
produced, check it with `syncctl verify`, stop it, and hold the store against the ground truth
(Workload.expected_*): every record exactly once, nothing else, no gap in the journal."""

import csv
import time
from collections import Counter

from workload import SOURCES, Failure


def counts_text(counts):
    return " ".join("%s %d" % (source, counts[source]) for source in SOURCES)


def wait_until_everything_in(workload, daemon, timeout):
    """Returns once every record produced so far is in and every dropped file is archived."""
    expected = workload.expected_counts()
    end = time.monotonic() + timeout
    while True:
        if not daemon.running():
            raise Failure("custsyncd exited by itself (status %s):\n%s" % (daemon.process.returncode, daemon.log_tail()))
        recorded = workload.recorded_counts()
        files_left = workload.folder("incoming") + workload.folder("processing")
        if (recorded == expected and not files_left and exec_cursor(workload) == str(workload.exec_count)
                and refunds_recorded(workload) == len(workload.refunded)):
            return
        if time.monotonic() > end or any(recorded[s] > expected[s] for s in SOURCES):
            raise Failure("after %ds: recorded %s of %s; incoming/ and processing/ hold %s; log:\n%s"
                          % (timeout, counts_text(recorded), counts_text(expected), files_left, daemon.log_tail()))
        time.sleep(0.5)


def verify_and_stop(workload, daemon):
    """`syncctl verify` must be clean and SIGTERM must stop the daemon with status 0."""
    verify = workload.syncctl("verify")
    if verify.returncode != 0:
        raise Failure("syncctl verify exited %d:\n%s%s" % (verify.returncode, verify.stdout, verify.stderr))
    status = daemon.stop()
    if status != 0:
        raise Failure("SIGTERM: custsyncd exited %s:\n%s" % (status, daemon.log_tail()))
    print("syncctl verify: clean; SIGTERM: exit 0")


def refunds_recorded(workload):
    with workload.store() as db:
        return db.execute("SELECT count(*) FROM interactions WHERE source = 'orders' AND status = 'refunded'").fetchone()[0]


def exec_cursor(workload):
    with workload.store() as db:
        row = db.execute("SELECT cursor FROM connector_state WHERE name = 'gen'").fetchone()
    return row[0] if row else None


def check_journal_gapless(workload):
    with workload.store() as db:
        count, low, high = db.execute("SELECT count(*), min(seq), max(seq) FROM journal").fetchone()
    if count and (low != 1 or high != count):
        raise Failure("the journal has %d entries but runs from %s to %s" % (count, low, high))


def check(workload):
    """Every record exactly once, by source key, in interactions, applied_records and the journal;
    refunds updated at most once; one customer per e-mail address; copies skipped once; bad rows
    quarantined and listed once; every file archived; the journal gapless."""
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
        unexpected = [key for key in updated if not key.startswith("orders ") or key[len("orders "):] not in workload.refunded]
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
        # The upstreams give every e-mail address one name, so each must lead to one customer.
        shared = db.execute("""
            SELECT i.value FROM identifiers i JOIN customers c ON c.code = i.customer_code WHERE i.kind = 'email'
            GROUP BY i.value HAVING count(DISTINCT coalesce(c.merged_into, c.code)) > 1 LIMIT 5""").fetchall()
        if shared:
            problems.append("e-mail addresses on more than one live customer: %s" % [value for (value,) in shared])
        skipped = db.execute("SELECT count(*) FROM journal WHERE kind = 'record.skipped' AND source = 'calls'").fetchone()[0]
        if skipped != workload.expected_copies():
            problems.append("calls: %d files were copies of earlier ones, %d skips journaled" % (workload.expected_copies(), skipped))
        count, high = db.execute("SELECT count(*), max(seq) FROM journal").fetchone()
        print("journal: %d entries, seq 1..%d" % (count, high))
    check_journal_gapless(workload)
    archived = workload.folder("archive")
    if len(archived) != len(workload.csv_drops):
        problems.append("archive/ holds %d files, %d were dropped: %s" % (len(archived), len(workload.csv_drops), archived))
    if problems:
        raise Failure("the store does not match the ground truth:\n  " + "\n  ".join(problems))
    print("archive/: all %d files, %d of them copies skipped once each; processing/ and incoming/ empty; "
          "%d bad rows quarantined and in rejects files, once each"
          % (len(archived), workload.expected_copies(), len(workload.expected_rejections())))


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
