#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tcp_sink.py ADDR PORT: for each connection, read to EOF, answer with
the byte count and MD5 of what arrived, and log the same line."""

import hashlib
import socket
import sys
import threading


def serve(conn):
    h, n = hashlib.md5(), 0
    with conn:
        while True:
            b = conn.recv(1 << 16)
            if not b:
                break
            h.update(b)
            n += len(b)
        line = f"bytes={n} md5={h.hexdigest()}\n"
        conn.sendall(line.encode())
    print("sink:", line, end="", flush=True)


def main():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], int(sys.argv[2])))
    s.listen(16)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


main()
