#!/usr/bin/env bash
# The imap connector in the real daemon: a dovecot on 127.0.0.1 (unprivileged, throwaway config,
# as the tests start it) with IMAP_MESSAGES (10,000) generated messages written straight into its
# Maildir; custsyncd with one imap connector is timed from start until every message is committed
# (syncctl status --json: the connector's records_in), with its peak RSS (VmHWM). Side by side:
# `curl` fetching the same messages one by one in a shell loop (same libcurl, no parsing, no
# store), one process and one IMAP session per message. Each of those sessions costs dovecot the
# same (it reads the mailbox's UID list, about a second for 10,000 messages on a busy machine), so
# the loop's rate is measured on the first IMAP_CURL_MESSAGES (100) of the 10,000; fetching all
# of them would take hours. A third row has one curl process fetch all of them, one request per
# message over one reused connection (`curl -K` with a URL per message).
# Both talk plain IMAP on loopback, so neither pays for TLS. The messages are stored flagged
# \Seen, so curl's `;UID=N` (a plain `UID FETCH N BODY[]`, which flags unseen mail) changes
# nothing; custsyncd reads with BODY.PEEK[], which never changes flags.
set -euo pipefail
count="${IMAP_MESSAGES:-10000}"
curl_count="${IMAP_CURL_MESSAGES:-100}"
limit="${IMAP_TIME_LIMIT:-900}"   # seconds; past it the figures cover what was committed so far
user=shop
password=bench-pass
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
write_daemon_config
mkdir -p "$WORK"/dovecot/{run,state} "$WORK/mail/$user"/{cur,new,tmp}
port=$(free_port)

# dovecot refuses mail access as root; as root the mailbox belongs to nobody.
if [ "$(id -u)" = 0 ]; then
    mail_uid=65534 mail_gid=65534 internal_user=dovecot login_user=dovenull
else
    mail_uid=$(id -u) mail_gid=$(id -g) internal_user=$(id -un) login_user=$(id -un)
fi
echo "$user:{PLAIN}$password::::::" > "$WORK/dovecot/passwd"
cat > "$WORK/dovecot/dovecot.conf" <<CONF
base_dir = $WORK/dovecot/run
state_dir = $WORK/dovecot/state
log_path = $WORK/dovecot/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
default_internal_user = $internal_user
default_login_user = $login_user
first_valid_uid = 0
mail_location = maildir:$WORK/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $WORK/dovecot/passwd
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$WORK/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
CONF

# Customer mail as it arrives: 2,000 senders, Chinese display names and subjects as RFC 2047
# encoded words (UTF-8 and GBK), plain and multipart bodies, quoted-printable and base64.
python3 - "$WORK/mail/$user/cur" "$count" <<'PY'
import base64, quopri, random, sys
folder, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(5)
surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
subjects = ["订单问题", "退货申请", "发票", "物流查询", "Re: 报价", "合作咨询", "Order question", "Invoice"]
text = ("您好，我想查询订单的物流信息，麻烦尽快回复。谢谢！\n" * 12 + "Best regards\n" * 6)
for n in range(1, count + 1):
    sender = rng.randrange(2000)
    name = surnames[sender % 10] + given[sender % 20]
    charset = "GBK" if n % 3 == 0 else "UTF-8"
    encoded_name = "=?%s?B?%s?=" % (charset, base64.b64encode(name.encode(charset)).decode())
    subject = "=?UTF-8?B?%s?=" % base64.b64encode(("%s #%d" % (rng.choice(subjects), n)).encode()).decode()
    head = ["From: %s <customer%d@example.com>" % (encoded_name, sender), "To: sales@shop.example",
            "Subject: " + subject, "Date: Sun, %d Nov 2026 %02d:%02d:00 +0800" % (1 + n % 28, n % 24, n % 60),
            "Message-ID: <bench-%d@mail.example.com>" % n, "MIME-Version: 1.0"]
    if n % 2:
        body = quopri.encodestring(text.encode()).decode()
        head += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", body]
    else:
        part = base64.encodebytes(text.encode("gb18030")).decode()
        head += ["Content-Type: multipart/alternative; boundary=b%d" % n, "", "--b%d" % n,
                 "Content-Type: text/plain; charset=GB18030", "Content-Transfer-Encoding: base64", "", part,
                 "--b%d--" % n, ""]
    with open("%s/%d.M%dP1.bench:2,S" % (folder, 1_700_000_000 + n, n), "w") as f:
        f.write("\n".join(head))
PY
mail_bytes=$(du -sb "$WORK/mail/$user/cur" | cut -f1)
[ "$(id -u)" = 0 ] && chown -R "$mail_uid:$mail_gid" "$WORK/mail"

/usr/sbin/dovecot -F -c "$WORK/dovecot/dovecot.conf" &
dovecot=$!
trap 'kill $dovecot 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
# Index the mailbox once, so neither side below pays for dovecot's first scan.
curl -s -u "$user:$password" --url "imap://127.0.0.1:$port/" --request "EXAMINE INBOX" > /dev/null

printf '%s:%s\n' "$user" "$password" > "$WORK/etc/mail.credential"
chmod 600 "$WORK/etc/mail.credential"
cat > "$WORK/etc/connectors.d/mail.conf" <<CONF
[Connector]
Name=mail
Kind=imap
Interval=1min
Timeout=1h

[IMAP]
Server=imap://127.0.0.1:$port
AllowPlaintext=yes
Credential=$WORK/etc/mail.credential
InternalDomains=shop.example
CONF

records_in() {
    "$BIN/syncctl" --socket "$WORK/run/control.sock" status --json 2>/dev/null \
        | python3 -c 'import json, sys; print(next((c["records_in"] for c in json.load(sys.stdin)["connectors"] if c["name"] == "mail"), 0))' \
        2>/dev/null || echo 0
}

start=$(date +%s.%N)
"$BIN/custsyncd" --config "$WORK/etc/custsyncd.conf" 2> "$WORK/daemon.log" &
daemon=$!
trap 'kill $daemon $dovecot 2>/dev/null || true' EXIT
finished=yes
until [ "$(records_in)" -ge "$count" ]; do
    kill -0 $daemon 2>/dev/null || { echo "custsyncd died:"; tail -20 "$WORK/daemon.log"; exit 1; }
    if (( $(echo "$(date +%s.%N) - $start > $limit" | bc -l) )); then finished=no; break; fi
    sleep 0.05
done
seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
peak_rss_kb=$(awk '/^VmHWM:/ {print $2}' /proc/$daemon/status)
committed=$(records_in)
interactions=$(sqlite3 "file:$WORK/lib/store.db?mode=ro" "SELECT count(*) FROM interactions WHERE source = 'mail'")
customers=$(sqlite3 "file:$WORK/lib/store.db?mode=ro" "SELECT count(*) FROM customers")
kill $daemon; wait $daemon 2>/dev/null || true

loop_start=$(date +%s.%N)
for uid in $(seq 1 "$curl_count"); do
    curl -s --url "imap://127.0.0.1:$port/INBOX;UID=$uid" -u "$user:$password" -o /dev/null
done
loop_seconds=$(echo "$(date +%s.%N) - $loop_start" | bc -l)
for uid in $(seq 1 "$count"); do
    printf 'url = "imap://127.0.0.1:%s/INBOX;UID=%s"\noutput = /dev/null\n' "$port" "$uid"
done > "$WORK/curl-urls.conf"
one_start=$(date +%s.%N)
curl -s -u "$user:$password" -K "$WORK/curl-urls.conf"
one_seconds=$(echo "$(date +%s.%N) - $one_start" | bc -l)
kill $dovecot; wait $dovecot 2>/dev/null || true
trap - EXIT

rate=$(echo "$committed / $seconds" | bc -l)
loop_rate=$(echo "$curl_count / $loop_seconds" | bc -l)
printf '## imap: %d messages (%.1f MB) in a dovecot Maildir, first sync\n\n' "$count" "$(echo "$mail_bytes / 1048576" | bc -l)"
[ "$finished" = no ] && printf 'NOT FINISHED within %d s: the figures cover the %s messages committed so far\n\n' "$limit" "$committed"
printf '| what | messages/s | seconds | peak RSS |\n|---|---|---|---|\n'
printf '| custsyncd imap (start to last commit: fetch, parse, resolve, store; batches of 1000) | %.0f | %.1f | %.1f MB |\n' \
    "$rate" "$seconds" "$(echo "$peak_rss_kb / 1024" | bc -l)"
printf '| curl, one process per message (the first %d, same libcurl, no parsing or store) | %.1f | %.1f | — |\n' \
    "$curl_count" "$loop_rate" "$loop_seconds"
printf '| curl, one process, one connection, one request per message (all %d) | %.0f | %.1f | — |\n' \
    "$count" "$(echo "$count / $one_seconds" | bc -l)" "$one_seconds"
printf '\ncommitted: %s of %s messages, %s e-mail interactions, %s customers; ratio custsyncd / curl loop: %.1f (goal ≥ 1), custsyncd / one curl connection: %.2f; peak RSS goal ≤ 100 MB\n' \
    "$committed" "$count" "$interactions" "$customers" "$(echo "$rate / $loop_rate" | bc -l)" "$(echo "$rate * $one_seconds / $count" | bc -l)"
