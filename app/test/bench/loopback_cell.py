#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The emunic authors
"""loopback_cell.py SIZE CELL IAVF VHOST RTT: one cell of the loopback
benchmark (loopback_testpmd.sh) from its turns. IAVF and VHOST are each
stack's Mpps per turn, RTT the CPUs' cache-line round trips in ns around
the turns (one more than there are turns), all space-separated. Prints
the medians, the ratio of the medians, the median ratio of the turns with
its quartiles, and the same split by the CPUs' placement: near turns had
both round trips within NEAR of the fastest, far ones both beyond FAR."""

import statistics
import sys

NEAR, FAR = 1.5, 2.0


def quartiles(v):
    """median, first and third quartile of v"""
    s = sorted(v)
    n = len(s)
    return s[n // 2], s[n // 4], s[n - 1 - n // 4]


def ratios(a, b):
    return [x / y if y > 0 else 0.0 for x, y in zip(a, b)]


def main():
    size, name = sys.argv[1], sys.argv[2]
    a, b, rtt = ([float(x) for x in arg.split()] for arg in sys.argv[3:6])
    ma, mb = statistics.median(a), statistics.median(b)
    med, q1, q3 = quartiles(ratios(a, b))
    print("loopback: %5s B %-9s iavf_client/iavfbe %6.2f Mpps (%.2f..%.2f)"
          "  virtio-user/vhost %6.2f Mpps (%.2f..%.2f)  ratio %.2f, ratio "
          "of turns %.2f (quartiles %.2f..%.2f), %d turns"
          % (size, name, ma, min(a), max(a), mb, min(b), max(b),
             ma / mb if mb > 0 else float("inf"), med, q1, q3, len(a)))
    lo = min(rtt)
    if max(rtt) <= FAR * lo:
        print("loopback: %5s B %-9s the CPUs kept their placement (a cache "
              "line's round trip %.0f ns)" % (size, name,
                                              statistics.median(rtt)))
        return 0
    for label, placed in (("near", lambda x: x <= NEAR * lo),
                          ("far", lambda x: x > FAR * lo)):
        take = [i for i in range(len(a))
                if placed(rtt[i]) and placed(rtt[i + 1])]
        if not take:
            continue
        ta, tb = [a[i] for i in take], [b[i] for i in take]
        print("loopback: %5s B %-9s CPUs %s (a cache line's round trip %.0f "
              "ns, %d turns): iavf_client/iavfbe %.2f, virtio-user/vhost "
              "%.2f Mpps, ratio of turns %.2f"
              % (size, name, label,
                 statistics.median(rtt[i] for i in take), len(take),
                 statistics.median(ta), statistics.median(tb),
                 statistics.median(ratios(ta, tb))))
    return 0


sys.exit(main())
