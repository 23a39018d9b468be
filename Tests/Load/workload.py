"""The mixed workload of the crash matrix and the soak (Tests/Load/crash_matrix.py, soak.py).

One real custsyncd with four connectors, each fed by a real upstream on this machine:
    calls   csv-drop   files from Tests/Fixtures/generate-calls-csv.sh renamed into incoming/
    orders  order-feed Tests/Fixtures/feed-server.py on 127.0.0.1, paginated, growing on demand
    mail    imap       a dovecot on 127.0.0.1 (plain IMAP, AllowPlaintext=yes) reading a Maildir
    gen     exec       Tests/Fixtures/generate-records.sh, its COUNT in a file that grows
Every record the upstreams ever produced is remembered by its keys, so that a store can be held
against the ground truth (`Workload.expected_*`, checked by ground_truth.py).
"""

import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from email.utils import formatdate
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
FIXTURES = REPOSITORY / "Tests" / "Fixtures"
SOURCES = ("calls", "orders", "mail", "gen")
# generate-calls-csv.sh dates every BAD_EVERY-th row February 30th: a row the connector rejects.
BAD_EVERY = 250
IMPOSSIBLE_DATE = "2024-02-30"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def can_connect(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def write_atomically(path, data):
    """Writes under a hidden name beside `path`, then renames into place (as upstreams should)."""
    temporary = path.with_name("." + path.name + ".tmp")
    temporary.write_bytes(data)
    os.rename(temporary, path)


class CSVDrop:
    """One file dropped into incoming/ and what the connector must make of it: generate-calls-csv.sh
    output of `rows` rows numbered from `first`, or a copy of an earlier file (`copy_of`)."""

    def __init__(self, name, first, rows, copy_of=None):
        self.name, self.first, self.rows, self.copy_of = name, first, rows, copy_of
        self.content = subprocess.run([str(FIXTURES / "generate-calls-csv.sh"), str(rows)], check=True, capture_output=True,
                                      env={"FIRST": str(first), "BAD_EVERY": str(BAD_EVERY), "PATH": "/usr/bin:/bin"}).stdout
        self.content_key = CSVDrop.content_key(self.content)
        lines = self.content.decode().split("\n")[1:-1]
        # The connector keys a call without an id by the file's content and the row's line.
        self.call_keys = {"%s:%d" % (self.content_key, number) for number, line in enumerate(lines, 2)
                          if not line.startswith(IMPOSSIBLE_DATE)}
        self.bad_rows = [line for line in lines if line.startswith(IMPOSSIBLE_DATE)]

    @staticmethod
    def content_key(content):
        return hashlib.sha256(content).hexdigest()[:16]


class Failure(Exception):
    """A broken promise of the daemon (or a workload that could not run), with what to look at."""


class Dovecot:
    """dovecot on 127.0.0.1 serving one Maildir; as root the mail belongs to nobody, since dovecot
    refuses mail access as root (the same setup as Tests/CustSyncConnectorsTests/IMAP/DovecotServer.swift,
    without TLS)."""

    USER, PASSWORD = "shop", "s3cret-pass"

    def __init__(self, directory):
        if not os.access("/usr/sbin/dovecot", os.X_OK):
            raise Failure("dovecot is not installed (bash .ci/install-packages dovecot-imapd)")
        self.directory = directory
        self.port = free_port()
        self.maildir = directory / "mail" / self.USER
        for sub in ("run", "state", "mail/%s/new" % self.USER, "mail/%s/cur" % self.USER, "mail/%s/tmp" % self.USER):
            (directory / sub).mkdir(parents=True, exist_ok=True)
        root = os.getuid() == 0
        self.owner = (65534, 65534) if root else (os.getuid(), os.getgid())
        me = os.environ.get("USER") or str(os.getuid())
        (directory / "passwd").write_text("%s:{PLAIN}%s::::::\n" % (self.USER, self.PASSWORD))
        (directory / "dovecot.conf").write_text("""\
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 0
mail_location = maildir:{d}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""".format(d=directory, internal="dovecot" if root else me, login="dovenull" if root else me,
           uid=self.owner[0], gid=self.owner[1], port=self.port))
        self.process = None

    def start(self):
        for path in [self.directory / "mail"] + list((self.directory / "mail").rglob("*")):
            os.chown(path, *self.owner)
        # In the foreground (-F), so that the process we hold is dovecot's master.
        self.process = subprocess.Popen(["/usr/sbin/dovecot", "-F", "-c", str(self.directory / "dovecot.conf")],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if can_connect(self.port):
                return
            time.sleep(0.05)
        log = (self.directory / "dovecot.log").read_text(errors="replace") if (self.directory / "dovecot.log").exists() else ""
        raise Failure("dovecot did not listen on 127.0.0.1:%d: %s" % (self.port, log[-2000:]))

    def deliver(self, number):
        """Puts message `number` into new/; its sender is a customer of its own."""
        message = "\r\n".join([
            'From: "Mail Customer %d" <%s>' % (number, Dovecot.sender(number)),
            "To: sales@shop.example",
            "Subject: question %d" % number,
            "Date: " + formatdate(1_700_000_000 + number * 60),
            "Message-ID: <load-%d@customers.example>" % number,
            "Content-Type: text/plain; charset=utf-8",
            "",
            "Hello, this is question %d." % number,
            "",
        ]).encode()
        name = "%d.M%dP1.custsync-load" % (1_700_000_000 + number, number)
        temporary = self.maildir / "tmp" / name
        temporary.write_bytes(message)
        os.chown(temporary, *self.owner)
        os.rename(temporary, self.maildir / "new" / name)

    @staticmethod
    def key(number):
        return "load-%d@customers.example" % number

    @staticmethod
    def sender(number):
        return "mail%d@customers.example" % number

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class FeedServer:
    """Tests/Fixtures/feed-server.py on 127.0.0.1."""

    def __init__(self, orders, customers, page_size):
        self.process = subprocess.Popen(
            ["python3", str(FIXTURES / "feed-server.py"), "--port", "0", "--orders", str(orders),
             "--customers", str(customers), "--page-size", str(page_size)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.process.stdout.readline()
        if not line.strip().isdigit():
            self.process.kill()
            raise Failure("feed-server.py did not start")
        self.port = int(line)
        self.orders = orders
        self.customers = customers

    @property
    def url(self):
        return "http://127.0.0.1:%d/orders" % self.port

    def add(self, count):
        with urllib.request.urlopen("http://127.0.0.1:%d/control/add?count=%d" % (self.port, count), timeout=30) as answer:
            self.orders = json.load(answer)["orders"]

    def refund(self, number):
        """Marks order `number` refunded: it moves to the end of the feed, changed."""
        url = "http://127.0.0.1:%d/control/status?id=%s&status=refunded" % (self.port, FeedServer.key(number))
        with urllib.request.urlopen(url, timeout=30):
            pass

    @staticmethod
    def key(number):
        return "O-%05d" % number

    @staticmethod
    def customer_key(number, customers):
        """The customer id of order `number` (feed-server.py cycles through the customers)."""
        return "C-%04d" % ((number - 1) % customers + 1)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Daemon:
    """A custsyncd process: its stderr goes to `log`; `NOTIFY_SOCKET` is the workload's listener."""

    def __init__(self, binary, config, log, notify):
        self.log = log
        self.started = time.monotonic()
        environment = dict(os.environ, NOTIFY_SOCKET=notify)
        with open(log, "ab") as stderr:
            self.process = subprocess.Popen([binary, "--config", str(config)], stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=stderr, env=environment)

    @property
    def pid(self):
        return self.process.pid

    def running(self):
        return self.process.poll() is None

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def kill9_while_stopping(self, grace):
        """SIGTERM, then SIGKILL `grace` seconds later unless it has exited (as systemd does when
        a stop takes too long); the exit status if it exited in time, else None."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill9()
            return None

    def stop(self, timeout=30):
        """SIGTERM; the exit status, or None when it did not exit in time (then it is killed)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            return None

    def log_tail(self, characters=3000):
        return Path(self.log).read_text(errors="replace")[-characters:]

    # /proc figures, for the soak.
    def rss_kib(self):
        for line in Path("/proc/%d/status" % self.pid).read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def open_fds(self):
        return len(os.listdir("/proc/%d/fd" % self.pid))

    def threads(self):
        return len(os.listdir("/proc/%d/task" % self.pid))

    def cpu_seconds(self):
        # Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
        fields = Path("/proc/%d/stat" % self.pid).read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Workload:
    """A throwaway installation with the four connectors and their upstreams, and the ground truth."""

    def __init__(self, bin_dir, label, orders=0, customers=2000):
        self.bin_dir = Path(bin_dir)
        for name in ("custsyncd", "syncctl"):
            if not os.access(self.bin_dir / name, os.X_OK):
                raise Failure("%s not found in %s (build first: swift build)" % (name, self.bin_dir))
        self.root = Path(tempfile.mkdtemp(prefix="cs-%s-" % label, dir="/tmp"))
        self.root.chmod(0o711)  # dovecot's unprivileged processes read their files below it
        self.daemons = 0
        self.daemon = None       # the one started last
        self.notify_path = self.root / "notify.sock"
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(str(self.notify_path))
        self.calls_folder = self.root / "spool" / "calls"
        (self.calls_folder / "incoming").mkdir(parents=True)
        self.csv_drops = []      # CSVDrop, in the order dropped
        self.next_csv_row = 1
        self.exec_count = 0
        self.mail_count = 0
        self.refunded = set()    # keys of the orders changed after they were first served
        self.dovecot = Dovecot(self.root / "dovecot")
        self.dovecot.start()
        self.feed = FeedServer(orders, customers, page_size=100)
        self.write_configuration()

    # -- configuration ------------------------------------------------------------------------

    @property
    def config(self):
        return self.root / "etc" / "custsyncd.conf"

    @property
    def store_path(self):
        return self.root / "lib" / "store.db"

    @property
    def socket_path(self):
        return self.root / "run" / "control.sock"

    def write_configuration(self):
        connectors = self.root / "etc" / "connectors.d"
        connectors.mkdir(parents=True)
        self.config.write_text("""\
[Daemon]
StateDirectory={root}/lib
RuntimeDirectory={root}/run
SpoolDirectory={root}/spool
LogLevel=info
StopTimeoutSec=10s
BatchSize=500
""".format(root=self.root))
        (connectors / "calls.conf").write_text("""\
[Connector]
Name=calls
Kind=csv-drop
Interval=1s
Timeout=1min

[CSV]
SettleTime=300ms
RescanInterval=5s
TimeZone=Asia/Shanghai

[Mapping]
通话时间=call.time
主叫号码=phone
客户姓名=name
坐席工号=call.agent
通话结果=call.disposition
通话时长=call.duration
备注=call.notes
""")
        (connectors / "orders.conf").write_text("""\
[Connector]
Name=orders
Kind=order-feed
Interval=1s
Backoff=1s
BatchSize=100

[Feed]
URL={url}
Format=json-object
UpdatedSinceParameter=updated_since
AfterIDParameter=after_id
RetryDelay=100ms

[Mapping]
id=order_id
customer.id=customer_id
customer.name=name
customer.email=email
customer.phone=phone
created_at=ordered_at
""".format(url=self.feed.url))
        credential = self.root / "mail.credential"
        credential.write_text("%s:%s\n" % (Dovecot.USER, Dovecot.PASSWORD))
        credential.chmod(0o600)
        (connectors / "mail.conf").write_text("""\
[Connector]
Name=mail
Kind=imap
Interval=1s
Backoff=1s
BatchSize=50

[IMAP]
Server=imap://127.0.0.1:{port}
AllowPlaintext=yes
Credential={credential}
InternalDomains=shop.example
""".format(port=self.dovecot.port, credential=credential))
        self.exec_count_file = self.root / "gen.count"
        self.exec_count_file.write_text("0\n")
        (connectors / "gen.conf").write_text("""\
[Connector]
Name=gen
Kind=exec
Interval=1s
Timeout=10min

[Exec]
Command={script}
Environment=COUNT_FILE={count}
Environment=STATE_EVERY=500
Environment=KEY_PREFIX=gen-
""".format(script=FIXTURES / "generate-records.sh", count=self.exec_count_file))

    # -- the upstreams ------------------------------------------------------------------------

    def drop_csv(self, rows):
        """Generates a call-center export of `rows` calls (customers in no earlier file, every
        BAD_EVERY-th row with an impossible date) and renames it into incoming/. Every third file
        is called daily.csv, as exports often are, unless one by that name still waits there;
        every fifth is instead a copy of an earlier file, which must be recognised and skipped."""
        number = len(self.csv_drops) + 1
        name = "calls-%04d.csv" % number
        if number % 3 == 0 and not (self.calls_folder / "incoming" / "daily.csv").exists():
            name = "daily.csv"
        if number % 5 == 0:
            original = self.csv_drops[number // 2 - 1]
            drop = CSVDrop(name, original.first, original.rows, copy_of=original)
        else:
            drop = CSVDrop(name, self.next_csv_row, rows)
            self.next_csv_row += rows
        self.csv_drops.append(drop)
        write_atomically(self.calls_folder / "incoming" / name, drop.content)
        drop.content = None  # it can be generated again; the full matrix drops hundreds of MB
        return drop

    def add_orders(self, count):
        self.feed.add(count)

    def refund_orders(self, numbers):
        for number in numbers:
            self.feed.refund(number)
            self.refunded.add(FeedServer.key(number))

    def deliver_mail(self, count):
        for _ in range(count):
            self.mail_count += 1
            self.dovecot.deliver(self.mail_count)

    def grow_exec(self, count):
        self.exec_count += count
        write_atomically(self.exec_count_file, b"%d\n" % self.exec_count)

    def expected_interactions(self):
        """The interaction keys every source produced so far: each must be recorded exactly once."""
        return {
            "calls": set().union(*(drop.call_keys for drop in self.csv_drops)),
            "orders": {FeedServer.key(n) for n in range(1, self.feed.orders + 1)},
            "mail": {Dovecot.key(n) for n in range(1, self.mail_count + 1)},
            "gen": {"call-%d" % n for n in range(1, self.exec_count + 1)},
        }

    def expected_records(self):
        """The source keys of the records every source produced so far (`applied_records`): a call
        row is keyed like its call, an order by its customer, a message by its sender."""
        return {
            "calls": set().union(*(drop.call_keys for drop in self.csv_drops)),
            "orders": {FeedServer.customer_key(n, self.feed.customers) for n in range(1, self.feed.orders + 1)},
            "mail": {Dovecot.sender(n) for n in range(1, self.mail_count + 1)},
            "gen": {"gen-%d" % n for n in range(1, self.exec_count + 1)},
        }

    def expected_rejections(self):
        """The rows of the dropped files the connector must reject, each exactly once (a copy is
        not read)."""
        return [row for drop in self.csv_drops if drop.copy_of is None for row in drop.bad_rows]

    def expected_copies(self):
        """How many dropped files are copies of earlier ones: each is skipped exactly once."""
        return sum(1 for drop in self.csv_drops if drop.copy_of is not None)

    def expected_counts(self):
        """How many interactions each source produced so far."""
        return {"calls": sum(len(drop.call_keys) for drop in self.csv_drops if drop.copy_of is None), "orders": self.feed.orders,
                "mail": self.mail_count, "gen": self.exec_count}

    # -- the daemon ---------------------------------------------------------------------------

    def start_daemon(self):
        self.drain_notifications()
        self.daemons += 1
        self.daemon = Daemon(str(self.bin_dir / "custsyncd"), self.config, str(self.root / ("daemon-%03d.log" % self.daemons)),
                             str(self.notify_path))
        return self.daemon

    def wait_ready(self, daemon, timeout=60):
        """Waits for READY=1 from `daemon` (`start_daemon` dropped what earlier processes sent)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not daemon.running():
                raise Failure("custsyncd exited (%s) before READY=1:\n%s" % (daemon.process.returncode, daemon.log_tail()))
            self.notify.settimeout(max(0.01, min(0.2, end - time.monotonic())))
            try:
                message, _ = self.notify.recvfrom(4096)
            except socket.timeout:
                continue
            if b"READY=1" in message:
                return
        raise Failure("custsyncd sent no READY=1 within %ds:\n%s" % (timeout, daemon.log_tail()))

    def drain_notifications(self):
        """Reads what is queued on the notify socket; the datagrams."""
        messages = []
        self.notify.setblocking(False)
        try:
            while True:
                messages.append(self.notify.recv(4096))
        except BlockingIOError:
            pass
        finally:
            self.notify.setblocking(True)
        return messages

    def ready_seen(self):
        """Whether the daemon started last sent READY=1 (and had not before a `wait_ready`)."""
        return any(b"READY=1" in message for message in self.drain_notifications())

    def syncctl(self, *arguments):
        return subprocess.run([str(self.bin_dir / "syncctl"), "--socket", str(self.socket_path)] + list(arguments),
                              capture_output=True, text=True, timeout=300)

    # -- the store ----------------------------------------------------------------------------

    def store(self):
        """A read-only connection (safe while the daemon runs, and after it died)."""
        return sqlite3.connect("file:%s?mode=ro" % self.store_path, uri=True, timeout=30)

    def recorded_counts(self):
        """Interactions per source in the store (0 before the store exists)."""
        if not self.store_path.exists():
            return dict.fromkeys(SOURCES, 0)
        with self.store() as db:
            counts = dict(db.execute("SELECT source, count(*) FROM interactions GROUP BY source").fetchall())
        return {source: counts.get(source, 0) for source in SOURCES}

    def folder(self, area):
        """The names of the files under calls/<area>/ (recursively, as archive/ has dated folders)."""
        base = self.calls_folder / area
        return sorted(path.name for path in base.rglob("*") if not path.is_dir()) if base.exists() else []

    def close(self, keep=False):
        """Stops what the workload started: the daemon (killed if still running) and the upstreams."""
        if self.daemon and self.daemon.running():
            self.daemon.kill9()
        for upstream in (self.feed, self.dovecot):
            try:
                upstream.stop()
            except Exception:
                pass
        self.notify.close()
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)
