#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The emunic authors
"""bench-report.py TESTLOG OUT_PREFIX: the iavfbe_perf benchmark's cells
(net_iavfbe and vhost-user, each direction and frame size) as one Markdown
table (OUT_PREFIX.md) and one SVG bar chart of the medians with their
min..max (OUT_PREFIX.svg). Reads the lines the benchmark prints."""

import re
import sys

CELL = re.compile(
    r"iavfbe_perf: +(\d+)-byte frames, (.+?): net_iavfbe ([\d.]+) Mpps "
    r"\(([\d.]+)\.\.([\d.]+)\), vhost-user/virtio-user ([\d.]+) Mpps "
    r"\(([\d.]+)\.\.([\d.]+)\), ratio of medians ([\d.]+), (\d+) runs each")


def cells(path):
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            m = CELL.search(line)
            if m:
                g = m.groups()
                out.append({
                    "len": int(g[0]), "dir": g[1],
                    "be": tuple(map(float, g[2:5])),
                    "vh": tuple(map(float, g[5:8])),
                    "ratio": float(g[8]), "runs": int(g[9])})
    return out


def markdown(cs):
    rows = ["| frames | direction | net_iavfbe Mpps (min..max) | "
            "vhost-user Mpps (min..max) | ratio | runs |",
            "|---|---|---|---|---|---|"]
    for c in cs:
        rows.append("| %d B | %s | %.2f (%.2f..%.2f) | %.2f (%.2f..%.2f) | "
                    "%.2f | %d |" % ((c["len"], c["dir"]) + c["be"] +
                                     c["vh"] + (c["ratio"], c["runs"])))
    return "\n".join(rows) + "\n"


def svg(cs):
    w_cell, h, top, left = 170, 320, 30, 50
    width = left + w_cell * max(len(cs), 1) + 20
    peak = max([c["be"][2] for c in cs] + [c["vh"][2] for c in cs] + [1.0])
    y = lambda v: top + (h - top - 60) * (1 - v / peak)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'font-family="sans-serif" font-size="11">' % (width, h),
             '<text x="%d" y="18">Mpps, medians with min..max '
             '(net_iavfbe blue, vhost-user grey)</text>' % left]
    for i, c in enumerate(cs):
        x0 = left + i * w_cell + 20
        for j, (key, color) in enumerate((("be", "#3b6fb6"),
                                          ("vh", "#999999"))):
            med, lo, hi = c[key]
            x = x0 + j * 55
            parts.append('<rect x="%d" y="%.1f" width="45" height="%.1f" '
                         'fill="%s"/>' % (x, y(med), y(0) - y(med), color))
            parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" '
                         'stroke="black"/>' % (x + 22, x + 22, y(hi), y(lo)))
            parts.append('<text x="%d" y="%.1f">%.2f</text>' %
                         (x + 5, y(med) - 4, med))
        parts.append('<text x="%d" y="%d">%d B, %s</text>' %
                     (x0, h - 38, c["len"], c["dir"].split(" -> ")[0]))
        parts.append('<text x="%d" y="%d">-> %s; ratio %.2f</text>' %
                     (x0, h - 24, c["dir"].split(" -> ")[-1], c["ratio"]))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    cs = cells(sys.argv[1])
    if not cs:
        print("bench-report: no benchmark cells in %s" % sys.argv[1],
              file=sys.stderr)
        return 1
    with open(sys.argv[2] + ".md", "w") as f:
        f.write(markdown(cs))
    with open(sys.argv[2] + ".svg", "w") as f:
        f.write(svg(cs))
    sys.stdout.write(markdown(cs))
    print("bench-report: %s.md and %s.svg" % (sys.argv[2], sys.argv[2]))
    return 0


sys.exit(main())
