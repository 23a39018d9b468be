# Turns the repository's etc/custsyncd.conf (paths relative to the checkout, for `make run`)
# into the /etc/custsync/custsyncd.conf that `make install` and the .deb install (sed -f).
# The Makefile checks afterwards that each of the three directories was set.
/^# As shipped in the repository/,/\/var\/spool\/custsync\.$/c\
# Installed by custsync: the store lives in /var/lib/custsync and the control socket in\
# /run/custsync (custsyncd.service makes both: StateDirectory=, RuntimeDirectory=); each\
# csv-drop connector has its drop folder under /var/spool/custsync. Connectors are one file\
# each in /etc/custsync/connectors.d/; templates are in /usr/share/custsync/connectors/.\
# After a change: `systemctl reload custsyncd` (a broken file is refused, the running\
# configuration stays); `journalctl -u custsyncd` shows the outcome.
s|^StateDirectory=.*|StateDirectory=/var/lib/custsync|
s|^RuntimeDirectory=.*|RuntimeDirectory=/run/custsync|
s|^SpoolDirectory=.*|SpoolDirectory=/var/spool/custsync|
