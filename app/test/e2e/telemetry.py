#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The emunic authors
"""telemetry.py SOCKET COMMAND: one DPDK telemetry (v2) query; prints the
JSON reply's value for the command (for example /vfio_user/info,0)."""

import json
import socket
import sys


def main():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(sys.argv[1])
    s.recv(4096)  # the greeting: version, pid, max output length
    s.send(sys.argv[2].encode())
    reply = json.loads(s.recv(1 << 16).decode())
    print(json.dumps(reply.get(sys.argv[2].split(",")[0], {})))


main()
