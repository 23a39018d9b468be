#!/usr/bin/env bash
# The order-feed connector in the real daemon: 100,000 orders across 1,000 pages from the
# loopback feed server (Tests/Fixtures/feed-server.py), timed from the daemon's start until the
# last order is committed, with custsyncd's peak RSS. Side by side: curl fetching the same 1,000
# pages one after the other (the same libcurl and server, no parsing or store), the rate the
# transport alone allows.
set -euo pipefail
orders="${FEED_ORDERS:-100000}"
page_size="${FEED_PAGE_SIZE:-100}"
customers="${FEED_CUSTOMERS:-$((orders / 2))}"
limit="${FEED_TIME_LIMIT:-1800}"   # seconds; past it the figures cover the orders committed so far
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"
write_daemon_config
port=$(free_port)
python3 "$here/../Tests/Fixtures/feed-server.py" --port "$port" --orders "$orders" --customers "$customers" \
    --page-size "$page_size" > "$WORK/feed-server.log" 2>&1 &
server=$!
daemon=
trap 'kill $server ${daemon:-} 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/orders?limit=1" && break; sleep 0.1; done

cat > "$WORK/etc/connectors.d/orders.conf" <<CONF
[Connector]
Name=orders
Kind=order-feed
Interval=1s
Timeout=1h

[Feed]
URL=http://127.0.0.1:$port/orders
Format=json-object
PageSize=$page_size
UpdatedSinceParameter=updated_since
AfterIDParameter=after_id

[Mapping]
id=order_id
customer.id=customer_id
customer.name=name
customer.email=email
customer.phone=phone
status=status
created_at=ordered_at
updated_at=updated_at
items=items
total=total
currency=currency
CONF

# The transport floor: every page once, by curl, following the feed's own next links.
curl_start=$(date +%s.%N)
python3 - "$port" "$page_size" <<'PY'
import json, subprocess, sys
port, size = sys.argv[1], sys.argv[2]
url = "http://127.0.0.1:%s/orders?limit=%s" % (port, size)
pages = 0
while url:
    body = subprocess.run(["curl", "-fsS", "--compressed", url], check=True, capture_output=True).stdout
    page = json.loads(body)
    pages += 1
    nxt = page.get("next")
    url = nxt if not nxt or nxt.startswith("http") else "http://127.0.0.1:%s%s" % (port, nxt)
PY
curl_seconds=$(echo "$(date +%s.%N) - $curl_start" | bc -l)

start=$(date +%s.%N)
"$BIN/custsyncd" --config "$WORK/etc/custsyncd.conf" 2> "$WORK/daemon.log" &
daemon=$!
finished=yes
while :; do
    kill -0 "$daemon" 2>/dev/null || { echo "custsyncd died:"; tail -20 "$WORK/daemon.log"; exit 1; }
    # The connector's counter commits with its orders and costs one lookup: counting the
    # interactions table every 0.1 s would take CPU from the daemon on a 2-core machine.
    read_in=$(sqlite3 "file:$WORK/lib/store.db?mode=ro" "SELECT records_in FROM connector_state WHERE name = 'orders'" 2>/dev/null || true)
    [ "${read_in:-0}" -ge "$orders" ] && break
    if (( $(echo "$(date +%s.%N) - $start > $limit" | bc -l) )); then finished=no; break; fi
    sleep 0.1
done
seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
peak_rss_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$daemon/status")
applied=$(sqlite3 "file:$WORK/lib/store.db?mode=ro" "SELECT count(*) FROM interactions WHERE source = 'orders'")
# CPU seconds of the connector's own thread (fetching, decompressing, parsing and mapping the
# pages; named "conn orders") and of the whole daemon (the writer and the normalizer besides).
ticks=$(getconf CLK_TCK)
connector_cpu=0
for task in /proc/$daemon/task/*; do
    if [ "$(cat "$task/comm")" = "conn orders" ]; then
        connector_cpu=$(awk -v t="$ticks" '{print ($14 + $15) / t}' "$task/stat")
    fi
done
daemon_cpu=$(awk -v t="$ticks" '{print ($14 + $15) / t}' "/proc/$daemon/stat")
kill "$daemon"; wait "$daemon" 2>/dev/null || true

rate=$(echo "$applied / $seconds" | bc -l)
curl_rate=$(echo "$orders / $curl_seconds" | bc -l)
printf '## order-feed: %d orders in pages of %d from the loopback feed server\n\n' "$orders" "$page_size"
[ "$finished" = yes ] || printf 'NOT FINISHED within %d s: the figures cover the %s orders committed.\n\n' "$limit" "$applied"
printf '| what | orders/s | seconds | peak RSS |\n|---|---|---|---|\n'
printf '| custsyncd order-feed (start to last commit) | %.0f | %.1f | %.1f MB |\n' "$rate" "$seconds" "$(echo "$peak_rss_kb / 1024" | bc -l)"
printf '| curl, the same pages one by one (transport only) | %.0f | %.1f | — |\n' "$curl_rate" "$curl_seconds"
printf '\n| CPU in custsyncd | seconds | orders/s it alone would allow |\n|---|---|---|\n'
printf '| the connector thread (fetch, gunzip, parse, map) | %.2f | %.0f |\n' "$connector_cpu" "$(echo "$applied / ($connector_cpu + 0.001)" | bc -l)"
printf '| the whole daemon (the writer and the normalizer besides) | %.2f | — |\n' "$daemon_cpu"
printf '\norders committed: %s of %s; goal ≥ 20,000 orders/s end to end, peak RSS ≤ 100 MB\n' "$applied" "$orders"
