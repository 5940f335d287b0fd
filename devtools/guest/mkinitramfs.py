#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The emunic authors
"""Write a gzip'd newc cpio initramfs from (guest path, host file) pairs.

usage: mkinitramfs.py OUT GUEST_PATH=HOST_FILE ...
Directories on the way are created; files keep their executable bit.
"""
import gzip
import os
import sys


def entry(name, mode, data=b"", ino=[0]):
    ino[0] += 1
    hdr = "070701" + "".join("%08X" % v for v in (
        ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0))
    out = hdr.encode() + name.encode() + b"\0"
    out += b"\0" * (-len(out) % 4) + data
    return out + b"\0" * (-len(out) % 4)


def main():
    out, pairs = sys.argv[1], sys.argv[2:]
    blob, dirs = b"", set()
    for d in ("dev", "proc", "sys", "tmp", "bin", "sbin", "lib"):
        dirs.add(d)
        blob += entry(d, 0o040755)
    for pair in pairs:
        guest, host = pair.split("=", 1)
        guest = guest.strip("/")
        parts = guest.split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in dirs:
                dirs.add(d)
                blob += entry(d, 0o040755)
        data = open(host, "rb").read()
        mode = 0o100755 if os.access(host, os.X_OK) else 0o100644
        blob += entry(guest, mode, data)
    blob += entry("TRAILER!!!", 0)
    with gzip.open(out, "wb", compresslevel=1) as f:
        f.write(blob)


if __name__ == "__main__":
    main()
