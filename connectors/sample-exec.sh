#!/bin/sh
# An example exec connector (see connectors/README.md): replays a bundled NDJSON file of
# customer records. Its cursor is the number of the last line it has handed over, so after a
# restart it resumes exactly where the daemon's last commit left off.
set -eu
data="${SAMPLE_DATA:-$(dirname "$0")/sample/customers.ndjson}"
start="${CUSTSYNC_CURSOR:-0}"
case "$start" in ''|*[!0-9]*) start=0 ;; esac
exec awk -v start="$start" -v every=25 '
    NR > start { print; sent++; if (sent % every == 0) printf "{\"type\":\"state\",\"cursor\":\"%d\"}\n", NR }
    END { if (NR > start) printf "{\"type\":\"state\",\"cursor\":\"%d\"}\n", NR }
' "$data"
