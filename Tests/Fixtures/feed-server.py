#!/usr/bin/env python3
"""A loopback order feed for custsync's order-feed connector: tests, `make run` and the bench.

    feed-server.py [--port 0] [--orders 60] [--page-size 10] [--format json-object] ...

Binds 127.0.0.1 only and prints the chosen port on stdout's first line.

GET /orders serves the orders sorted by (updated_at, id) and pages by keyset, so a page
boundary never shifts when an order changes mid-walk:
    updated_since=T            orders with updated_at >= T
    updated_since=T&after_id=X orders with (updated_at, id) > (T, X)
    cursor=N                   orders changed after change number N (sorted by change number);
                               the body's "cursor" is the last change number on the page
                               (--cursor: requests without cursor= start at change 0)
    limit=N                    page size (default --page-size)
    p=N                        page ordinal, added to next links (lets faults target page N)
The next page is in the body ("next", a relative link) for json-object, or in a
`Link: <...>; rel="next"` header (--paging link, and always for json-array and ndjson).
Responses carry an ETag (of the feed's version and the page's URL; with --content-etag, of
the page's body, as most servers make them); a matching If-None-Match gets 304. Bodies are
gzipped when the client accepts gzip (unless --no-gzip).

Control (no auth), all GET, answering JSON:
    /control/fault?kind=K&count=N[&page=P][&retry_after=S][&delay=S]
        the next N requests of /orders (of page P only, if given) fail as K:
        429 | 503 (with Retry-After: S) | 500 | slow (answer after S seconds) |
        truncated (Content-Length larger than the body sent) | invalid (not JSON) |
        error-object (a 200 whose JSON object has no records, as an API's error message) |
        endless (a chunked body that never ends) | drop (close without answering) |
        gone (410: the page's link has expired, as paging tokens do) |
        redirect-foreign (a 302 to the same page on localhost, another origin) |
        redirect-plain (a 302 to the same page over plain http) |
        reset (abort the connection with a TCP RST) |
        next-self (the page's next link names the page itself) |
        next-loop (the next link goes back to /orders) |
        next-foreign (the next link goes to the same port on localhost, another origin) |
        next-onward (the last page's next link is the same query with p+1: it repeats for ever) |
        next-empty (the last page's next link leads to an empty page, whose next link leads to
        another, for ever: empty=1 in a query empties its page) |
        empty (the page comes back without orders, its next link the same query with p+1)
    /control/status?id=O-00005&status=refunded  change an order (updated_at moves to the newest)
    /control/add?count=N                        append N new orders
    /control/late?seconds=S                     append one order committed late: its updated_at
                                                is S seconds before the newest change
    /control/clear                              drop pending faults
    /control/stats                              request counters
"""

import argparse
import bisect
import gzip
import hashlib
import json
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BASE_TIME = datetime(2024, 5, 1, 10, 0, 0, tzinfo=timezone.utc)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class Feed:
    """The orders, their two orderings, faults and counters; every access holds `lock`."""

    def __init__(self, count, customers, shared):
        self.lock = threading.Lock()
        self.version = 0
        self.seq = 0
        self.orders = {}          # id -> order dict
        self.encoded = {}         # id -> JSON bytes
        self.by_time = []         # sorted (updated_at, id)
        self.by_seq = []          # sorted (seq, id)
        self.seq_of = {}
        self.customers = max(1, customers)
        self.shared = max(1, shared)
        self.faults = []
        self.stats = {"orders_requests": 0, "served_pages": 0, "not_modified": 0, "faults_served": 0,
                      "too_early": 0, "gzip": 0, "unauthorized": 0, "user_agent": None, "if_none_match": 0}
        self.retry_not_before = 0.0
        self.add(count)

    def make(self, number):
        customer = (number - 1) % self.customers + 1
        quantity = number % 3 + 1
        price = 10 + number % 90 + 0.5
        return {
            "id": "O-%05d" % number,
            "status": "paid",
            # Several orders share each timestamp, so paging must break ties by id.
            "updated_at": iso(BASE_TIME + timedelta(seconds=(number - 1) // self.shared)),
            "created_at": iso(BASE_TIME + timedelta(seconds=(number - 1) // self.shared)),
            "customer": {
                "id": "C-%04d" % customer,
                "name": "Customer %d" % customer,
                "email": "c%d@example.com" % customer,
                "phone": "+86139%08d" % customer,
            },
            "items": [{"sku": "SKU-%d" % (number % 17), "qty": quantity, "price": price}],
            "total": round(quantity * price, 2),
            "currency": "CNY",
        }

    def store(self, order):
        """Indexes `order` as changed just now (callers hold the lock)."""
        oid = order["id"]
        old = self.orders.get(oid)
        if old is not None:
            self.by_time.remove((old["updated_at"], oid))
            self.by_seq.remove((self.seq_of[oid], oid))
        self.seq += 1
        self.seq_of[oid] = self.seq
        self.orders[oid] = order
        self.encoded[oid] = json.dumps(order, separators=(",", ":")).encode()
        bisect.insort(self.by_time, (order["updated_at"], oid))
        self.by_seq.append((self.seq, oid))
        self.version += 1

    def add(self, count):
        """Appends `count` new orders (callers hold the lock, or own the feed still). None is older
        than the newest change: in a real shop updated_at only moves forward, and a feed read by
        updated_since relies on that."""
        start = len(self.orders) + 1
        newest = self.newest_time()
        for number in range(start, start + count):
            order = self.make(number)
            if order["updated_at"] < newest:
                order["updated_at"] = order["created_at"] = newest
            self.store(order)

    def newest_time(self):
        return self.by_time[-1][0] if self.by_time else iso(BASE_TIME)

    def page(self, query, default_size, by_change):
        """The orders of one page and the query of the next, or None on the last page."""
        limit = int(query.get("limit", default_size))
        if "cursor" in query or by_change:
            after = int(query.get("cursor") or 0)
            start = bisect.bisect_right(self.by_seq, (after, "\uffff"))
            rows = self.by_seq[start:start + limit]
            ids = [oid for _, oid in rows]
            more = start + limit < len(self.by_seq)
            cursor = str(rows[-1][0]) if rows else str(after)
            next_query = {"cursor": cursor} if more else None
            return ids, next_query, cursor
        since = query.get("updated_since")
        after_id = query.get("after_id")
        if since is None:
            start = 0
        elif after_id is not None:
            start = bisect.bisect_right(self.by_time, (since, after_id))
        else:
            start = bisect.bisect_left(self.by_time, (since, ""))
        rows = self.by_time[start:start + limit]
        ids = [oid for _, oid in rows]
        more = start + limit < len(self.by_time)
        next_query = {"updated_since": rows[-1][0], "after_id": rows[-1][1]} if more else None
        return ids, next_query, None

    def take_fault(self, page):
        for fault in self.faults:
            if fault["count"] > 0 and (fault.get("page") is None or fault["page"] == page):
                fault["count"] -= 1
                self.stats["faults_served"] += 1
                return dict(fault)
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm the body would wait
    # for the client's delayed ACK (~40 ms a page).
    disable_nagle_algorithm = True
    server_version = "custsync-feed-server/1"

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass  # the connection was reset on purpose (fault "reset")

    def log_message(self, *args):
        if self.server.options.verbose:
            super().log_message(*args)

    # -- plumbing -----------------------------------------------------------------------------

    def send(self, status, body=b"", content_type="application/json", headers=None):
        headers = dict(headers or {})
        accepts = self.headers.get("Accept-Encoding", "")
        if body and "gzip" in accepts and not self.server.options.no_gzip and status == 200:
            body = gzip.compress(body, compresslevel=1)
            headers["Content-Encoding"] = "gzip"
            with self.server.feed.lock:
                self.server.feed.stats["gzip"] += 1
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def reply_json(self, value, status=200):
        self.send(status, json.dumps(value).encode())

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        try:
            if url.path == "/orders":
                self.orders(query)
            elif url.path.startswith("/control/"):
                self.control(url.path[len("/control/"):], query)
            else:
                self.reply_json({"error": "not found"}, 404)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # -- control ------------------------------------------------------------------------------

    def control(self, action, query):
        feed = self.server.feed
        status = 200
        with feed.lock:
            if action == "fault":
                answer = {"kind": query["kind"], "count": int(query.get("count", 1)),
                          "page": int(query["page"]) if "page" in query else None,
                          "retry_after": query.get("retry_after", "1"), "delay": float(query.get("delay", 3))}
                feed.faults.append(answer)
                answer = dict(answer)
            elif action == "status":
                order = dict(feed.orders[query["id"]])
                order["status"] = query["status"]
                newest = datetime.strptime(feed.newest_time(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
                order["updated_at"] = iso(newest + timedelta(seconds=1))
                feed.store(order)
                answer = order
            elif action == "add":
                feed.add(int(query.get("count", 1)))
                answer = {"orders": len(feed.orders)}
            elif action == "late":
                order = feed.make(len(feed.orders) + 1)
                newest = datetime.strptime(feed.newest_time(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
                order["updated_at"] = order["created_at"] = iso(newest - timedelta(seconds=float(query.get("seconds", 10))))
                feed.store(order)
                answer = order
            elif action == "clear":
                feed.faults = []
                answer = {"faults": 0}
            elif action == "stats":
                answer = dict(feed.stats, orders=len(feed.orders), pending_faults=sum(f["count"] for f in feed.faults))
            else:
                answer, status = {"error": "unknown control " + action}, 404
        # Answer outside the lock: sending takes it again to count compressed responses.
        self.reply_json(answer, status)

    # -- the feed -----------------------------------------------------------------------------

    def authorized(self):
        options = self.server.options
        given = self.headers.get("Authorization", "")
        if options.token:
            return given == "Bearer " + options.token
        if options.basic:
            import base64
            return given == "Basic " + base64.b64encode(options.basic.encode()).decode()
        return True

    def orders(self, query):
        feed = self.server.feed
        options = self.server.options
        page_number = int(query.get("p", 1))
        with feed.lock:
            feed.stats["orders_requests"] += 1
            feed.stats["user_agent"] = self.headers.get("User-Agent")
            if time.monotonic() < feed.retry_not_before:
                feed.stats["too_early"] += 1
            fault = feed.take_fault(page_number)
        if not self.authorized():
            with feed.lock:
                feed.stats["unauthorized"] += 1
            self.send(401, b'{"error":"unauthorized"}', headers={"WWW-Authenticate": "Bearer"})
            return
        if fault and fault["kind"] in ("redirect-foreign", "redirect-plain"):
            host = "localhost" if fault["kind"] == "redirect-foreign" else "127.0.0.1"
            location = "http://%s:%d%s" % (host, self.server.server_port, self.path)
            self.send(302, b"", headers={"Location": location})
            return
        next_fault = fault["kind"] if fault and fault["kind"].startswith("next-") else None
        empty_fault = bool(fault) and fault["kind"] == "empty"
        if fault and not next_fault and not empty_fault:
            if self.fail(fault):
                return
        if options.page_delay:
            time.sleep(options.page_delay)

        with feed.lock:
            ids, next_query, cursor = feed.page(query, options.page_size, options.cursor)
            if query.get("empty"):
                ids, next_query = [], None
            if empty_fault:
                ids = []
            records = [feed.encoded[oid] for oid in ids]
            version = feed.version

        headers = {}
        next_link = None
        if next_query is not None:
            carried = {k: v for k, v in query.items() if k in ("limit",)}
            carried.update(next_query)
            carried["p"] = str(page_number + 1)
            next_link = "/orders?" + urllib.parse.urlencode(carried)
        if empty_fault:
            next_link = "/orders?" + urllib.parse.urlencode(dict(query, p=str(page_number + 1)))
        if next_fault == "next-self":
            next_link = self.path
        elif next_fault == "next-loop":
            next_link = "/orders"
        elif next_fault == "next-onward" and next_link is None:
            onward = dict(query, p=str(page_number + 1))
            next_link = "/orders?" + urllib.parse.urlencode(onward)
        elif next_fault == "next-empty" and next_link is None:
            onward = dict(query, p=str(page_number + 1), empty="1")
            next_link = "/orders?" + urllib.parse.urlencode(onward)
        elif next_fault == "next-foreign":
            next_link = "http://localhost:%d%s" % (self.server.server_port, next_link or self.path)
        body_next = options.format == "json-object" and options.paging == "body"
        if next_link and not body_next:
            host = "%s://127.0.0.1:%d" % ("https" if options.tls_cert else "http", self.server.server_port)
            target = next_link if next_link.startswith("http") else host + next_link
            headers["Link"] = '<%s>; rel="next", <%s/orders>; rel="first"' % (target, host)

        if options.format == "json-array":
            body = b"[" + b",".join(records) + b"]"
        elif options.format == "ndjson":
            body = b"".join(record + b"\n" for record in records)
        else:
            extra = {}
            if body_next:
                extra["next"] = next_link
            if cursor is not None:
                extra["cursor"] = cursor
            tail = b"".join(b',"%s":%s' % (key.encode(), json.dumps(value).encode()) for key, value in extra.items())
            body = b'{"records":[' + b",".join(records) + b"]" + tail + b"}"
        tagged = body if options.content_etag else ("%d|%s" % (version, self.path)).encode()
        headers["ETag"] = '"%s"' % hashlib.sha1(tagged).hexdigest()[:20]
        with feed.lock:
            not_modified = self.headers.get("If-None-Match") == headers["ETag"]
            feed.stats["not_modified" if not_modified else "served_pages"] += 1
            if not_modified:
                feed.stats["if_none_match"] += 1
        if not_modified:
            self.send(304, headers={"ETag": headers["ETag"]})
            return
        self.send(200, body, content_type="application/x-ndjson" if options.format == "ndjson" else "application/json",
                  headers=headers)

    def fail(self, fault):
        """Serves `fault`; True when the request has been answered (or abandoned)."""
        kind = fault["kind"]
        feed = self.server.feed
        if kind in ("429", "503"):
            with feed.lock:
                feed.retry_not_before = time.monotonic() + float(fault["retry_after"])
            self.send(int(kind), b'{"error":"slow down"}', headers={"Retry-After": fault["retry_after"]})
            return True
        if kind == "500":
            self.send(500, b'{"error":"internal"}')
            return True
        if kind == "gone":
            self.send(410, b'{"error":"this page token has expired"}')
            return True
        if kind == "slow":
            time.sleep(fault["delay"])
            return False
        if kind == "invalid":
            self.send(200, b'{"records": [{"id": "O-99999", "status": "paid",,, ]] this is not json')
            return True
        if kind == "error-object":
            self.send(200, b'{"error":"maintenance","message":"the order service is being updated"}')
            return True
        if kind == "truncated":
            body = b'{"records":[' + b",".join(feed.encoded[oid] for oid in list(feed.orders)[:5]) + b"]}"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if kind == "reset":
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return True
        if kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if kind == "endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"[" + b" " * 65535
            try:
                for _ in range(4096):  # at most 256 MiB, in case the client never gives up
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    chunk = b" " * 65536
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass
            self.close_connection = True
            return True
        raise ValueError("unknown fault " + kind)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--orders", type=int, default=60)
    parser.add_argument("--customers", type=int, default=20, help="orders cycle through this many customers")
    parser.add_argument("--shared", type=int, default=3, help="orders sharing each updated_at")
    parser.add_argument("--page-size", type=int, default=10)
    parser.add_argument("--format", choices=["json-object", "json-array", "ndjson"], default="json-object")
    parser.add_argument("--paging", choices=["body", "link"], default="body")
    parser.add_argument("--cursor", action="store_true",
                        help="page by change number from the start too, with a cursor in every body")
    parser.add_argument("--page-delay", type=float, default=0.0, help="seconds to wait before each page")
    parser.add_argument("--token", help="require Authorization: Bearer TOKEN")
    parser.add_argument("--basic", help="require basic auth USER:PASSWORD")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--no-gzip", action="store_true")
    parser.add_argument("--content-etag", action="store_true", help="ETags from the page's body")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()

    server = Server(("127.0.0.1", options.port), Handler)
    server.options = options
    server.feed = Feed(options.orders, options.customers, options.shared)
    if options.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(options.tls_cert, options.tls_key)
        # The handshake happens in the handler's thread, so a client that rejects the
        # certificate never blocks the accept loop.
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    print(server.server_port, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
