#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The emunic authors
"""Write the seed corpus of fuzz_vfio_user_server: each seed is a stream of
(fd-count byte, 16-byte header, payload) records, as a QEMU session sends."""
import os
import struct
import sys


def msg(cmd, payload=b"", fds=0, flags=0, mid=0):
    return bytes([fds]) + struct.pack("<HHIII", mid, cmd, 16 + len(payload),
                                      flags, 0) + payload


VERSION = msg(1, struct.pack("<HH", 0, 0) +
              b'{"capabilities":{"max_msg_fds":16,"write_multiple":true}}\0')
seeds = {
    "version": VERSION,
    "qemu_boot": VERSION +
    msg(2, struct.pack("<IIQQQ", 32, 3, 0, 0, 0x10000), fds=1) +
    msg(2, struct.pack("<IIQQQ", 32, 1, 0, 0xfffc0000, 0x40000)) +
    msg(4, struct.pack("<IIII", 16, 0, 0, 0)) +
    msg(5, struct.pack("<IIIIQQ", 32, 0, 2, 0, 0, 0)) +
    msg(7, struct.pack("<IIII", 16, 0, 2, 0)) +
    msg(9, struct.pack("<QII", 0, 7, 256)) +
    msg(10, struct.pack("<QII", 0x10, 7, 4) + b"\xff" * 4) +
    msg(8, struct.pack("<IIIII", 20, 0x24, 2, 0, 1)) +
    msg(8, struct.pack("<IIIII", 20, 0x24, 2, 1, 2), fds=2) +
    msg(10, struct.pack("<QII", 4, 0, 4) + b"abcd", flags=0x10) +
    msg(13) +
    msg(3, struct.pack("<IIQQ", 24, 0, 0, 0x10000)) +
    msg(3, struct.pack("<IIQQ", 24, 2, 0, 0)),
    "write_multi": VERSION +
    msg(15, struct.pack("<Q", 1) + struct.pack("<QII", 4, 0, 4) + b"wxyz\0\0\0\0"),
    "features": VERSION + msg(16, struct.pack("<II", 8, 0x40001)) +
    msg(6, struct.pack("<IIII", 16, 0, 0, 0)) + msg(17, struct.pack("<II", 8, 0)),
}
out = sys.argv[1] if len(sys.argv) > 1 else "corpus/vfio_user"
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"\x01" + data[1:] if name == "version" else data)
