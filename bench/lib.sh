# Sourced by the bench/NN-*.sh scripts: what they all need around a release custsyncd.

# Writes $WORK/etc/custsyncd.conf with the store, control socket and spool under $WORK (and
# creates those folders and etc/connectors.d/).
write_daemon_config() {
    mkdir -p "$WORK/etc/connectors.d" "$WORK/lib" "$WORK/run" "$WORK/spool"
    cat > "$WORK/etc/custsyncd.conf" <<CONF
[Daemon]
StateDirectory=$WORK/lib
RuntimeDirectory=$WORK/run
SpoolDirectory=$WORK/spool
LogLevel=notice
BatchSize=1000
CONF
}

# A TCP port free on 127.0.0.1 right now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
