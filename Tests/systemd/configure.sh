#!/bin/sh
# Runs INSIDE the test container (Tests/systemd/run.sh), after the package is installed:
# configures custsync the way README "Install on a server" tells ops to. Never run it on a host.
set -eu
[ -f /srv/custsync-test/records.ndjson ] || { echo "configure.sh: only for the test container" >&2; exit 1; }

# One user per role (cs-…: Debian already has a group called operator).
for entry in cs-reader:custsync-read cs-operator:custsync-operator cs-admin:custsync-admin cs-uploader:custsync-drop \
    cs-outsider:; do
    name=${entry%%:*}
    group=${entry#*:}
    useradd -M -s /usr/sbin/nologin ${group:+-G "$group"} "$name"
done

# An exec connector that needs two secrets: one from a plain file (LoadCredential=), one
# encrypted with systemd-creds (LoadCredentialEncrypted=).
printf '%s\n' '[Connector]' 'Name=feed' 'Kind=exec' 'Interval=2s' 'Timeout=2min' 'Backoff=1s' 'BackoffMax=2s' '' \
    '[Exec]' 'Command=/srv/custsync-test/feed.sh' > /etc/custsync/connectors.d/feed.conf
install -d -m 0700 /etc/custsync/secrets /etc/credstore.encrypted
(umask 077 && printf feed-user-for-the-test > /etc/custsync/secrets/feed-user)
printf feed-secret-for-the-test | systemd-creds encrypt --name=feed-token - /etc/credstore.encrypted/feed-token
mkdir -p /etc/systemd/system/custsyncd.service.d
printf '%s\n' '[Service]' 'LoadCredential=feed-user:/etc/custsync/secrets/feed-user' \
    'LoadCredentialEncrypted=feed-token:/etc/credstore.encrypted/feed-token' \
    > /etc/systemd/system/custsyncd.service.d/credentials.conf

# A csv-drop connector from the shipped template, and its drop folder.
sed 's/^Name=callcenter/Name=calls/' /usr/share/custsync/connectors/callcenter-csv.conf \
    > /etc/custsync/connectors.d/calls.conf
printf '%s\n' \
    'd /var/spool/custsync/calls             0711 custsync custsync      -' \
    'd /var/spool/custsync/calls/incoming    2770 custsync custsync-drop -' \
    'd /var/spool/custsync/calls/processing  0750 custsync custsync      -' \
    'd /var/spool/custsync/calls/archive     0750 custsync custsync      -' \
    'd /var/spool/custsync/calls/rejected    0750 custsync custsync      -' \
    > /etc/tmpfiles.d/custsync-local.conf
systemd-tmpfiles --create custsync-local.conf

# Test only: a short watchdog, and the hook that lets SIGUSR2 wedge the store writer.
mkdir -p /run/systemd/system/custsyncd.service.d
printf '%s\n' '[Service]' 'WatchdogSec=5s' 'Environment=CUSTSYNC_TEST_HOOKS=1' \
    > /run/systemd/system/custsyncd.service.d/test.conf
systemctl daemon-reload
