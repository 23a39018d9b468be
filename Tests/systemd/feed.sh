#!/bin/sh
# The exec connector of the systemd test (Tests/systemd/run.sh): hands over records.ndjson from
# beside it after $CUSTSYNC_CURSOR, 50 records and a state line at a time, slowly, so that a
# kill -9 of the daemon lands in the middle of the stream. Like a real connector it needs its
# secrets, as systemd credentials: feed-user (LoadCredential=, a plain file) and feed-token
# (LoadCredentialEncrypted=, made with systemd-creds); without them it fails with status 3.
set -eu
secret() {
    file="${CREDENTIALS_DIRECTORY:-/nonexistent}/$1"
    if [ ! -r "$file" ] || [ "$(cat "$file")" != "$2" ]; then
        echo "feed: credential $1 missing or wrong (CREDENTIALS_DIRECTORY=${CREDENTIALS_DIRECTORY:-unset})" >&2
        exit 3
    fi
}
secret feed-user feed-user-for-the-test
secret feed-token feed-secret-for-the-test
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
