#!/usr/bin/env bash
# The engine: 1,000,000 synthetic call records applied into a fresh store (normalize, resolve,
# reconcile, journal, provenance, cursor), side by side with `sqlite3 .import` of the same rows
# and with the schema floor: the same rows and index entries written by SQLite alone
# (bench/schema-floor.sql), about the fastest any engine could write this schema.
set -euo pipefail
count="${ENGINE_RECORDS:-1000000}"
mkdir -p "$WORK"
"$BIN/custsync-bench" csv "$count" > "$WORK/calls.csv"
import_start=$(date +%s.%N)
sqlite3 "$WORK/import.db" -cmd ".mode csv" ".import $WORK/calls.csv calls"
import_seconds=$(awk -v a="$import_start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
engine=$("$BIN/custsync-bench" engine "$WORK/store.db" "$count")
# An empty store with custsync's schema (the writer's migrations, no records), then 1,000
# calls a transaction, like the engine's batches.
"$BIN/custsync-bench" engine "$WORK/floor.db" 0 > /dev/null
{
    echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
    echo "ATTACH '$WORK/import.db' AS src;"
    for ((lo = 1; lo <= count; lo += 1000)); do
        printf '.parameter set @lo %d\n.parameter set @hi %d\n.read %s\n' "$lo" "$((lo + 999))" "$(dirname "$0")/schema-floor.sql"
    done
} > "$WORK/floor.sql"
floor_start=$(date +%s.%N)
sqlite3 "$WORK/floor.db" < "$WORK/floor.sql" > /dev/null
floor_seconds=$(awk -v a="$floor_start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
floor_rate=$(awk -v n="$count" -v s="$floor_seconds" 'BEGIN { print n / s }')
engine_rate=$(sed 's/.*rate=\([0-9.]*\).*/\1/' <<<"$engine")
engine_rss=$(sed 's/.*peak_rss_mb=\([0-9.]*\).*/\1/' <<<"$engine")
import_rate=$(awk -v n="$count" -v s="$import_seconds" 'BEGIN { print n / s }')
printf '## engine: %d records into a fresh store\n\n' "$count"
printf '| what | records/s | peak RSS |\n|---|---|---|\n'
printf '| custsync engine (batches of 1000) | %.0f | %s MB |\n' "$engine_rate" "$engine_rss"
printf '| sqlite3 .import (plain table) | %.0f | — |\n' "$import_rate"
printf '| schema floor: the same rows and index entries by SQL alone (bench/schema-floor.sql) | %.0f | — |\n' "$floor_rate"
printf '\nratio engine / .import: %.3f (goal ≥ 0.2); peak RSS goal ≤ 100 MB\n' "$(awk -v a="$engine_rate" -v b="$import_rate" 'BEGIN { print a / b }')"
printf 'ratio schema floor / .import: %.3f (what the schema alone costs); engine / schema floor: %.2f\n' \
    "$(awk -v a="$floor_rate" -v b="$import_rate" 'BEGIN { print a / b }')" "$(awk -v a="$engine_rate" -v b="$floor_rate" 'BEGIN { print a / b }')"
