#!/usr/bin/env python3
"""A loopback IMAP server that answers the listing of a poll with bytes from a file: for tests
of what the imap connector does with answers no real server sends (a hostile or broken one).

    imap-script-server.py --listing FILE [--port 0]

Binds 127.0.0.1 only, plaintext (the connector needs AllowPlaintext=yes), and prints the chosen
port on stdout's first line. Any LOGIN is accepted. EXAMINE and SELECT report UIDVALIDITY 7 and
UIDNEXT 3. `UID FETCH … (UID RFC822.SIZE INTERNALDATE)` is answered with the bytes of FILE and
the tagged OK; any other command gets a tagged OK alone.
"""
import argparse
import socket
import sys
import threading


def serve(connection, listing):
    stream = connection.makefile("rb")
    connection.sendall(b"* OK [CAPABILITY IMAP4rev1] scripted server ready\r\n")
    for raw in stream:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        tag, _, command = line.partition(" ")
        upper = command.upper()
        if upper.startswith("CAPABILITY"):
            answer = b"* CAPABILITY IMAP4rev1\r\n"
        elif upper.startswith("EXAMINE") or upper.startswith("SELECT"):
            answer = b"* 2 EXISTS\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT 3] next\r\n"
        elif upper.startswith("UID FETCH") and "RFC822.SIZE" in upper:
            answer = listing
        elif upper.startswith("LOGOUT"):
            connection.sendall(b"* BYE logging out\r\n" + tag.encode() + b" OK done\r\n")
            break
        else:
            answer = b""
        connection.sendall(answer + tag.encode() + b" OK done\r\n")
    connection.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--listing", required=True)
    arguments = parser.parse_args()
    with open(arguments.listing, "rb") as file:
        listing = file.read()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", arguments.port))
    listener.listen(8)
    print(listener.getsockname()[1], flush=True)
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=serve, args=(connection, listing), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
