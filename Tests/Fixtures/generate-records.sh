#!/bin/sh
# A test exec connector: emits COUNT synthetic customer records (one unique customer each),
# with a state line every STATE_EVERY records, resuming after $CUSTSYNC_CURSOR.
# COUNT_FILE, when set, names a file holding COUNT, so a test can grow the upstream between polls.
set -eu
count="${COUNT:-1000}"
if [ -n "${COUNT_FILE:-}" ]; then count="$(cat "$COUNT_FILE")"; fi
every="${STATE_EVERY:-1000}"
start="${CUSTSYNC_CURSOR:-0}"
case "$start" in ''|*[!0-9]*) start=0 ;; esac
exec awk -v start="$start" -v count="$count" -v every="$every" -v prefix="${KEY_PREFIX:-G}" 'BEGIN {
    for (i = start + 1; i <= count; i++) {
        printf "{\"type\":\"record\",\"key\":\"%s%d\",\"observed_at\":%d,\"fields\":{\"name\":\"Customer %d\",\"phone\":\"+86139%08d\",\"email\":\"c%d@example.com\"},\"interaction\":{\"kind\":\"call\",\"key\":\"call-%d\",\"summary\":\"call %d\"}}\n", prefix, i, 1700000000 + i, i, i, i, i, i
        if (i % every == 0 || i == count) printf "{\"type\":\"state\",\"cursor\":\"%d\"}\n", i
    }
}'
