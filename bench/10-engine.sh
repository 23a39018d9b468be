#!/usr/bin/env bash
# The engine: 1,000,000 synthetic call records applied into a fresh store (normalize, resolve,
# reconcile, journal, provenance, cursor), side by side with `sqlite3 .import` of the same rows.
set -euo pipefail
count="${ENGINE_RECORDS:-1000000}"
mkdir -p "$WORK"
"$BIN/custsync-bench" csv "$count" > "$WORK/calls.csv"
import_start=$(date +%s.%N)
sqlite3 "$WORK/import.db" -cmd ".mode csv" ".import $WORK/calls.csv calls"
import_seconds=$(awk -v a="$import_start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
engine=$("$BIN/custsync-bench" engine "$WORK/store.db" "$count")
engine_rate=$(sed 's/.*rate=\([0-9.]*\).*/\1/' <<<"$engine")
engine_rss=$(sed 's/.*peak_rss_mb=\([0-9.]*\).*/\1/' <<<"$engine")
import_rate=$(awk -v n="$count" -v s="$import_seconds" 'BEGIN { print n / s }')
printf '## engine: %d records into a fresh store\n\n' "$count"
printf '| what | records/s | peak RSS |\n|---|---|---|\n'
printf '| custsync engine (batches of 1000) | %.0f | %s MB |\n' "$engine_rate" "$engine_rss"
printf '| sqlite3 .import (plain table) | %.0f | — |\n' "$import_rate"
printf '\nratio engine / .import: %.3f (goal ≥ 0.2); peak RSS goal ≤ 100 MB\n' "$(awk -v a="$engine_rate" -v b="$import_rate" 'BEGIN { print a / b }')"
