#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The emunic authors
"""cost_callgrind.py VALGRIND EMUNIC_TEST [EAL ARGS...]: run the
iavfbe_cost benchmark under callgrind and print, for each cell, the
instructions per frame of the host's burst calls next to the cache lines
the benchmark counted. The benchmark collects only those calls and dumps
once per cell ("iavfbe_cost cell N"); this script divides each dump's
instruction count by the cell's frames. The client PMDs' cells collect
the client's burst calls instead, and count no cache lines."""

import glob
import os
import re
import subprocess
import sys
import tempfile

CELL = re.compile(r"iavfbe_cost: cell (\d+): +(\d+)-byte frames, (.+?), "
                  r"(.+?): (\d+) frames in (\d+) host calls; cache lines per "
                  r"frame: guest writes ([\d.]+), host writes ([\d.]+)")
CLIENT = re.compile(r"iavfbe_cost: cell (\d+): +(\d+)-byte frames, (.+?), "
                    r"(.+?): (\d+) frames in (\d+) client calls")
DUMP_NAME = re.compile(r"^desc: Trigger: Client Request: iavfbe_cost cell "
                       r"(\d+)$")
TOTAL = re.compile(r"^(?:summary|totals): (\d+)")


def dump_counts(outdir):
    """Instructions of each cell's dump, by cell number."""
    counts = {}
    for path in glob.glob(os.path.join(outdir, "callgrind.out*")):
        cell, total = None, None
        with open(path, errors="replace") as f:
            for line in f:
                m = DUMP_NAME.match(line.strip())
                if m:
                    cell = int(m.group(1))
                m = TOTAL.match(line)
                if m:
                    total = int(m.group(1))
        if cell is not None and total is not None:
            counts[cell] = total
    return counts


def main():
    valgrind, test, eal = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tempfile.TemporaryDirectory() as outdir:
        env = dict(os.environ, DPDK_TEST="iavfbe_cost_autotest")
        run = subprocess.run(
            [valgrind, "--tool=callgrind", "--collect-atstart=no",
             "--callgrind-out-file=" + os.path.join(outdir, "callgrind.out"),
             test] + eal, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, errors="replace")
        print(run.stdout, end="")
        if run.returncode != 0:
            print("cost_callgrind: the benchmark failed (exit %d)" %
                  run.returncode)
            return 1
        counts = dump_counts(outdir)
    lines = run.stdout.splitlines()
    cells = [m.groups() for m in map(CELL.search, lines) if m]
    clients = [m.groups() for m in map(CLIENT.search, lines) if m]
    if not cells or not clients:
        print("cost_callgrind: no cells in the benchmark's output")
        return 1
    for cid in [c[0] for c in cells + clients]:
        if int(cid) not in counts:
            print("cost_callgrind: no callgrind dump for cell %s" % cid)
            return 1
    for (cid, length, direction, backend, frames, calls, gl, hl) in cells:
        print("iavfbe_cost: %4s-byte frames, %s, %s: %.1f instructions/frame "
              "(%s frames, %s host calls), cache lines/frame: guest writes "
              "%s, host writes %s" %
              (length, direction, backend,
               counts[int(cid)] / int(frames), frames, calls, gl, hl))
    # the client PMDs: their own burst calls
    for (cid, length, direction, backend, frames, calls) in clients:
        print("iavfbe_cost: %4s-byte frames, %s, %s: %.1f instructions/frame "
              "(%s frames, %s client calls)" %
              (length, direction, backend,
               counts[int(cid)] / int(frames), frames, calls))
    return 0


if __name__ == "__main__":
    sys.exit(main())
