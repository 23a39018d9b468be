#!/bin/sh
# The exec connector of the systemd test (Tests/systemd/run.sh): hands over records.ndjson from
# beside it after $CUSTSYNC_CURSOR, 50 records and a state line at a time, slowly, so that a
# kill -9 of the daemon lands in the middle of the stream. Like a real connector it needs its
# secret: the systemd credential feed-token (LoadCredential=), else it fails with status 3.
set -eu
token="${CREDENTIALS_DIRECTORY:-/nonexistent}/feed-token"
if [ ! -r "$token" ] || [ "$(cat "$token")" != "feed-secret-for-the-test" ]; then
    echo "feed: credential feed-token missing or wrong (CREDENTIALS_DIRECTORY=${CREDENTIALS_DIRECTORY:-unset})" >&2
    exit 3
fi
data="$(dirname "$0")/records.ndjson"
line="${CUSTSYNC_CURSOR:-0}"
case "$line" in ''|*[!0-9]*) line=0 ;; esac
total=$(wc -l < "$data")
while [ "$line" -lt "$total" ]; do
    next=$((line + 50))
    [ "$next" -le "$total" ] || next=$total
    sed -n "$((line + 1)),${next}p" "$data"
    printf '{"type":"state","cursor":"%d"}\n' "$next"
    line=$next
    sleep 0.3
done
