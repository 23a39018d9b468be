#!/usr/bin/env bash
# The csv-drop connector in the real daemon: a 1,000,000-row call-center CSV dropped into the
# folder, timed until its last row is committed (the file moves to archive/ right after that
# commit), with custsyncd's peak RSS; side by side with `sqlite3 .import` of the same file into a
# plain table. Then drop-to-commit latency of 10-row files, each written and renamed into
# incoming/ one after the other, measured until its completing transaction is visible in the store.
set -euo pipefail
rows="${CSV_ROWS:-1000000}"
small="${CSV_SMALL_FILES:-50}"
settle="${CSV_SETTLE:-100ms}"
limit="${CSV_TIME_LIMIT:-1800}"   # seconds; past it the figures cover the rows committed so far
here="$(cd "$(dirname "$0")" && pwd)"
generate="$here/../Tests/Fixtures/generate-calls-csv.sh"
source "$here/lib.sh"
mkdir -p "$WORK/staging"
write_daemon_config
cat > "$WORK/etc/connectors.d/calls.conf" <<CONF
[Connector]
Name=calls
Kind=csv-drop
Interval=1s
Timeout=1h

[CSV]
SettleTime=$settle
TimeZone=Asia/Shanghai

[Mapping]
通话时间=call.time
主叫号码=phone
客户姓名=name
坐席工号=call.agent
通话结果=call.disposition
通话时长=call.duration
备注=call.notes
CONF

"$generate" "$rows" > "$WORK/staging/calls.csv"
bytes=$(stat -c %s "$WORK/staging/calls.csv")
import_start=$(date +%s.%N)
sqlite3 "$WORK/import.db" -cmd ".mode csv" ".import $WORK/staging/calls.csv calls"
import_seconds=$(echo "$(date +%s.%N) - $import_start" | bc -l)

"$BIN/custsyncd" --config "$WORK/etc/custsyncd.conf" 2> "$WORK/daemon.log" &
daemon=$!
trap 'kill $daemon 2>/dev/null || true' EXIT
incoming="$WORK/spool/calls/incoming"
for _ in $(seq 200); do [ -d "$incoming" ] && break; sleep 0.1; done

start=$(date +%s.%N)
mv "$WORK/staging/calls.csv" "$incoming/calls.csv"
finished=yes
until compgen -G "$WORK/spool/calls/archive/*/*/*/calls.csv" > /dev/null; do
    kill -0 $daemon 2>/dev/null || { echo "custsyncd died:"; tail -20 "$WORK/daemon.log"; exit 1; }
    if (( $(echo "$(date +%s.%N) - $start > $limit" | bc -l) )); then finished=no; break; fi
    sleep 0.05
done
seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
peak_rss_kb=$(awk '/^VmHWM:/ {print $2}' /proc/$daemon/status)
applied=$(sqlite3 "$WORK/lib/store.db" "SELECT count(*) FROM interactions WHERE source = 'calls'")
if [ "$finished" = no ]; then
    # Stop here: the rate is over the rows committed in the time limit.
    kill $daemon; wait $daemon 2>/dev/null || true
    trap - EXIT
    printf '## csv-drop: %d-row call-center CSV dropped into incoming/\n\n' "$rows"
    printf 'NOT FINISHED within %d s: %s rows committed, %.0f rows/s; peak RSS %.1f MB; sqlite3 .import %.0f rows/s\n' \
        "$limit" "$applied" "$(echo "$applied / $seconds" | bc -l)" "$(echo "$peak_rss_kb / 1024" | bc -l)" "$(echo "$rows / $import_seconds" | bc -l)"
    exit 0
fi

latencies=$(python3 - "$generate" "$WORK" "$small" <<'PY'
import os, sqlite3, subprocess, sys, time
generate, work, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
incoming = os.path.join(work, "spool/calls/incoming")
db = sqlite3.connect("file:" + os.path.join(work, "lib/store.db") + "?mode=ro", uri=True)
results = []
for i in range(count):
    name = "lat-%03d.csv" % i
    staged = os.path.join(work, "staging", name)
    data = subprocess.run([generate, "10"], env={**os.environ, "FIRST": str(5_000_000 + i * 10)},
                          check=True, capture_output=True).stdout
    with open(staged, "wb") as f:
        f.write(data)
    dropped = time.time()
    os.rename(staged, os.path.join(incoming, name))
    while True:
        row = db.execute("SELECT count(*) FROM completed_content WHERE name = ?", (name,)).fetchone()
        if row[0]:
            break
        if time.time() - dropped > 60:
            sys.exit("file %s not committed after 60 s" % name)
        time.sleep(0.002)
    results.append((time.time() - dropped) * 1000)
results.sort()
print("%.0f %.0f" % (results[len(results) // 2], results[min(len(results) - 1, int(len(results) * 0.99))]))
PY
)
kill $daemon; wait $daemon 2>/dev/null || true
trap - EXIT

rate=$(echo "$applied / $seconds" | bc -l)
import_rate=$(echo "$rows / $import_seconds" | bc -l)
printf '## csv-drop: %d-row call-center CSV (%.0f MB) dropped into incoming/\n\n' "$rows" "$(echo "$bytes / 1048576" | bc -l)"
printf '| what | rows/s | seconds | peak RSS |\n|---|---|---|---|\n'
printf '| custsyncd csv-drop (drop to last commit, batches of 1000) | %.0f | %.1f | %.1f MB |\n' "$rate" "$seconds" "$(echo "$peak_rss_kb / 1024" | bc -l)"
printf '| sqlite3 .import (plain table) | %.0f | %.1f | — |\n' "$import_rate" "$import_seconds"
printf '\nrows committed: %s of %s; ratio csv-drop / .import: %.3f (goal ≥ 0.2); peak RSS goal ≤ 100 MB\n' "$applied" "$rows" "$(echo "$rate / $import_rate" | bc -l)"
read -r median p99 <<<"$latencies"
printf '\ndrop-to-commit latency, %d ten-row files renamed into incoming/ one at a time (SettleTime=%s): median %s ms, p99 %s ms (goal: median ≤ 200 ms)\n' "$small" "$settle" "$median" "$p99"
