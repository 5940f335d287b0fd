#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The emunic authors
"""Write the seed corpus of fuzz_iavfbe: record streams (see the target's
header) of what a guest driver does: frames sent in one or several
buffers (across the boundary of two maps, from the read-only one), with
checksum offload and TSO, and frames received into posted buffers."""
import os
import struct
import sys

A, B, C = 0, 1, 2          # the target's memory blocks
A_SIZE = 8 << 20
A_FUZZ = 0x50000           # block A's offsets start after the mailbox
TXBUF = 0x200000           # where the guest keeps Tx buffers in block A
EOP, RS = 0x001, 0x002
IIPT_IPV4_CSUM, L4T_TCP = 0x060, 0x100
GUEST_MAC = bytes.fromhex("021122334455")


def buf(block, off):
    if block == A:
        off -= A_FUZZ
    return bytes([block]) + struct.pack("<I", off)[:3]


def mem(block, off, data):
    out = b""
    for i in range(0, len(data), 255):
        part = data[i:i + 255]
        out += b"\x05" + buf(block, off + i) + bytes([len(part)]) + part
    return out


def txd(q, block, off, length, cmd, offset=0):
    return b"\x00" + bytes([q]) + buf(block, off) + \
        struct.pack("<HHI", length, cmd, offset)


def txd_raw(q, addr, qw1):
    return b"\x01" + bytes([q]) + struct.pack("<QQ", addr, qw1)


def ring(q):
    return b"\x02" + bytes([q])


def rx_post(q, block, off):
    return b"\x03" + bytes([q]) + buf(block, off)


def host_tx(q, flags, frame):
    return b"\x04" + bytes([q, flags]) + struct.pack("<H", len(frame)) + frame


def ipv4_tcp(payload, dst=GUEST_MAC):
    eth = dst + bytes.fromhex("02aabbccddee") + b"\x08\x00"
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 1, 0, 64,
                     6, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    tcp = struct.pack("!HHIIBBHHH", 1234, 80, 1, 0, 0x50, 0x18, 8192, 0, 0)
    return eth + ip + tcp + payload


# MACLEN in 2-byte words, IPLEN and L4LEN in 4-byte words.
CSUM_OFFSET = 7 | 5 << 7 | 5 << 14
TSO_CTX = 0x1 | 0x01 << 4 | (1000 << 30) | (536 << 50)

frame = ipv4_tcp(b"x" * 200)
big = ipv4_tcp(bytes(range(256)) * 4)
seeds = {
    "tx_one": mem(A, TXBUF, frame) + txd(0, A, TXBUF, len(frame), EOP | RS) +
    ring(0),
    "tx_chain_across_maps": mem(A, A_SIZE - 100, frame[:100]) +
    mem(B, 0, frame[100:]) +
    txd(1, A, A_SIZE - 100, 100, 0) + txd(1, B, 0, len(frame) - 100, EOP | RS) +
    ring(1),
    "tx_read_only_buffer": mem(C, 0x100, frame) +
    txd(0, C, 0x100, len(frame), EOP | RS) + ring(0),
    "tx_csum": mem(A, TXBUF, frame) +
    txd(0, A, TXBUF, len(frame), EOP | RS | IIPT_IPV4_CSUM | L4T_TCP,
        CSUM_OFFSET) + ring(0),
    "tx_tso": mem(A, TXBUF, big) + txd_raw(0, 0, TSO_CTX) +
    txd(0, A, TXBUF, len(big), EOP | RS | IIPT_IPV4_CSUM | L4T_TCP,
        CSUM_OFFSET) + ring(0),
    "rx_posted": b"".join(rx_post(0, blk, off) for blk, off in
                          ((A, 0x300000), (B, 0x1000), (C, 0), (A, A_SIZE - 64))) +
    host_tx(0, 0, frame) + host_tx(0, 0x05, big) + host_tx(0, 0, frame),
    "rx_loop": rx_post(1, A, 0x300000) + mem(A, TXBUF, frame) +
    txd(1, A, TXBUF, len(frame), EOP | RS) + ring(1) + host_tx(1, 0x01, frame),
}
out = sys.argv[1] if len(sys.argv) > 1 else "corpus/iavfbe"
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
