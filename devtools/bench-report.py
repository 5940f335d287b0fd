#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The emunic authors
"""bench-report.py TESTLOG OUT_PREFIX: the benchmarks' cells (net_iavfbe
and vhost-user, each direction and frame size) as Markdown tables
(OUT_PREFIX.md) and one SVG plot (OUT_PREFIX.svg): iavfbe_perf's Mpps
medians with their min..max, and iavfbe_cost's instructions per frame
(callgrind) with the cache lines each side writes per frame, the client
PMDs' instructions per frame, and the two-process loopback. Reads the
lines the benchmarks print."""

import re
import sys

CELL = re.compile(
    r"iavfbe_perf: +(\d+)-byte frames, (.+?): net_iavfbe ([\d.]+) Mpps "
    r"\(([\d.]+)\.\.([\d.]+)\), vhost-user/virtio-user ([\d.]+) Mpps "
    r"\(([\d.]+)\.\.([\d.]+)\), ratio of medians ([\d.]+), (\d+) runs each"
    r"(?:, ratio of pairs ([\d.]+) \(quartiles ([\d.]+)\.\.([\d.]+)\))?")
PMD_GUESTS = re.compile(
    r"iavfbe_perf: +(\d+)-byte frames, (.+?), DPDK PMDs as guests: "
    r"net_iavf_client on net_iavfbe ([\d.]+) Mpps \(([\d.]+)\.\.([\d.]+)\), "
    r"virtio-user on vhost-user ([\d.]+) Mpps, ratio of pairs ([\d.]+) "
    r"\(quartiles ([\d.]+)\.\.([\d.]+)\)")
PLACED = re.compile(
    r"iavfbe_perf: +(\d+)-byte frames, (.+?), CPUs (near|far) \(a cache "
    r"line's round trip (\d+) ns, (\d+) turns\): net_iavfbe ([\d.]+), "
    r"vhost-user ([\d.]+), net_iavf_client ([\d.]+) Mpps, ratios of pairs "
    r"([\d.]+) and ([\d.]+)")
LOOP = re.compile(
    r"loopback: +(\d+) B (\S+) +iavf_client/iavfbe +([\d.]+) Mpps "
    r"\(([\d.]+)\.\.([\d.]+)\) +virtio-user/vhost +([\d.]+) Mpps "
    r"\(([\d.]+)\.\.([\d.]+)\) +ratio ([\d.]+|inf)"
    r"(?:, ratio of turns ([\d.]+) \(quartiles ([\d.]+)\.\.([\d.]+)\))?")
LOOP_PLACED = re.compile(
    r"loopback: +(\d+) B (\S+) +CPUs (near|far) \(a cache line's round trip "
    r"(\d+) ns, (\d+) turns\): iavf_client/iavfbe ([\d.]+), "
    r"virtio-user/vhost ([\d.]+) Mpps, ratio of turns ([\d.]+)")
COST = re.compile(
    r"iavfbe_cost: +(\d+)-byte frames, (.+?), (net_iavfbe|vhost-user\S*): "
    r"([\d.]+) instructions/frame .*cache lines/frame: guest writes "
    r"([\d.]+), host writes ([\d.]+)")

CLIENT_COST = re.compile(
    r"iavfbe_cost: +(\d+)-byte frames, (.+?), (net_iavf_client|virtio-user): "
    r"([\d.]+) instructions/frame \(\d+ frames, \d+ client calls\)")


def cells(path):
    """iavfbe_perf's cells, the scripted AVF guest beside vhost-user."""
    return matching_rows(path, CELL, lambda g: {
        "len": int(g[0]), "dir": g[1],
        "be": tuple(map(float, g[2:5])), "vh": tuple(map(float, g[5:8])),
        "ratio": float(g[8]), "runs": int(g[9]),
        "paired": tuple(map(float, g[10:13])) if g[10] else None})


def pairs(path, regex, ours, values):
    """{(len, dir): {"be": values(m), "vh": values(m)}} of the lines regex
    matches, groups 1 to 3 the length, direction and backend (ours: "be"),
    the cells that have both backends only."""
    out = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = regex.search(line)
            if m:
                key = "be" if m.group(3) == ours else "vh"
                out.setdefault((int(m.group(1)), m.group(2)), {})[key] = \
                    values(m)
    return {k: v for k, v in out.items() if len(v) == 2}


def costs(path):
    """{(len, dir): {"be": (instr, guest lines, host lines), "vh": ...}}"""
    return pairs(path, COST, "net_iavfbe",
                 lambda m: tuple(map(float, m.groups()[3:6])))


def cost_markdown(cc):
    rows = ["| frames | direction | net_iavfbe instructions/frame | "
            "vhost-user instructions/frame | ratio | cache lines/frame "
            "net_iavfbe (guest, host) | vhost-user (guest, host) |",
            "|---|---|---|---|---|---|---|"]
    for (length, d), v in sorted(cc.items()):
        be, vh = v["be"], v["vh"]
        rows.append("| %d B | %s | %.1f | %.1f | %.2f | %.3f, %.3f | "
                    "%.3f, %.3f |" % (length, d, be[0], vh[0],
                                      be[0] / vh[0] if vh[0] else 0,
                                      be[1], be[2], vh[1], vh[2]))
    return "\n".join(rows) + "\n"


def markdown(cs):
    rows = ["| frames | direction | net_iavfbe Mpps (min..max) | "
            "vhost-user Mpps (min..max) | ratio of medians | ratio of "
            "pairs (quartiles) | runs |",
            "|---|---|---|---|---|---|---|"]
    for c in cs:
        paired = ("%.2f (%.2f..%.2f)" % c["paired"]) if c["paired"] else "-"
        rows.append("| %d B | %s | %.2f (%.2f..%.2f) | %.2f (%.2f..%.2f) | "
                    "%.2f | %s | %d |" % ((c["len"], c["dir"]) + c["be"] +
                                          c["vh"] + (c["ratio"], paired,
                                                     c["runs"])))
    return "\n".join(rows) + "\n"


def matching_rows(path, regex, row):
    """row(groups) of each line regex matches, in order; row may be a
    format string."""
    if isinstance(row, str):
        row = row.__mod__
    with open(path, errors="replace") as f:
        return [row(m.groups()) for m in map(regex.search, f) if m]


def section(title, columns, rows):
    """A titled Markdown table of rows; nothing without rows."""
    if not rows:
        return ""
    return ("\n## %s\n\n| %s |\n|%s\n" % (title, " | ".join(columns),
                                          "---|" * len(columns)) +
            "\n".join(rows) + "\n")


def pmd_guests_markdown(path):
    """iavfbe_perf's second row: DPDK's AVF driver as the guest."""
    return section(
        "DPDK PMDs as guests: net_iavf_client on net_iavfbe, virtio-user on "
        "vhost-user, Mpps",
        ("frames", "direction", "net_iavf_client (min..max)", "virtio-user",
         "ratio of pairs (quartiles)"),
        matching_rows(path, PMD_GUESTS,
                      "| %s B | %s | %s (%s..%s) | %s | %s (%s..%s) |"))


def placement_markdown(path):
    """iavfbe_perf's turns split by how near the CPUs were."""
    return section(
        "By the CPUs' placement (a cache line's round trip before and after "
        "each turn), Mpps medians",
        ("frames", "direction", "CPUs", "round trip", "turns", "net_iavfbe",
         "vhost-user", "net_iavf_client", "net_iavfbe / vhost",
         "client / vhost"),
        matching_rows(path, PLACED, "| %s B | %s | %s | %s ns | %s | %s | "
                      "%s | %s | %s | %s |"))


def svg(cs, cc):
    w_cell, h, top, left = 170, 320, 30, 50
    width = left + w_cell * max(len(cs), len(cc), 1) + 20
    peak = max([c["be"][2] for c in cs] + [c["vh"][2] for c in cs] + [1.0])
    y = lambda v: top + (h - top - 60) * (1 - v / peak)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'font-family="sans-serif" font-size="11">' % (width, 2 * h),
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
    parts.extend(cost_svg(cc, h, w_cell, left))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def cost_svg(cc, y0, w_cell, left):
    """The instructions per frame, below the Mpps panel."""
    h, top = 300, 30
    peak = max([v[k][0] for v in cc.values() for k in ("be", "vh")] + [1.0])
    y = lambda v: y0 + top + (h - top - 60) * (1 - v / peak)
    parts = ['<text x="%d" y="%d">instructions per frame of the host\'s '
             'burst calls, callgrind (net_iavfbe blue, vhost-user grey)'
             '</text>' % (left, y0 + 18)]
    for i, ((length, d), v) in enumerate(sorted(cc.items())):
        x0 = left + i * w_cell + 20
        for j, (key, color) in enumerate((("be", "#3b6fb6"),
                                          ("vh", "#999999"))):
            val = v[key][0]
            x = x0 + j * 55
            parts.append('<rect x="%d" y="%.1f" width="45" height="%.1f" '
                         'fill="%s"/>' % (x, y(val), y(0) - y(val), color))
            parts.append('<text x="%d" y="%.1f">%.0f</text>' %
                         (x + 5, y(val) - 4, val))
        parts.append('<text x="%d" y="%d">%d B, %s</text>' %
                     (x0, y0 + h - 38, length, d.split(" -> ")[0]))
        parts.append('<text x="%d" y="%d">-> %s; ratio %.2f</text>' %
                     (x0, y0 + h - 24, d.split(" -> ")[-1],
                      v["be"][0] / v["vh"][0] if v["vh"][0] else 0))
    return parts


def client_cost_markdown(path):
    """The client PMDs' instructions per frame (iavfbe_cost), if counted."""
    out = pairs(path, CLIENT_COST, "net_iavf_client",
                lambda m: float(m.group(4)))
    return section(
        "Client PMDs: instructions per frame of their burst calls "
        "(callgrind)",
        ("frames", "direction", "net_iavf_client", "virtio-user", "ratio"),
        ["| %d B | %s | %.1f | %.1f | %.2f |" %
         (length, d, v["be"], v["vh"], v["be"] / v["vh"] if v["vh"] else 0)
         for (length, d), v in sorted(out.items())])


def loopback_markdown(path):
    """The two-process loopback's cells (loopback_testpmd.sh), if it ran."""
    return section(
        "Two-process loopback (testpmd <-> testpmd), Mpps",
        ("bytes", "cell", "net_iavf_client / net_iavfbe",
         "virtio-user / vhost", "ratio", "ratio of turns (quartiles)"),
        matching_rows(path, LOOP, lambda g: (
            "| %s | %s | %s (%s..%s) | %s (%s..%s) | %s | %s |" %
            ((g[0], g[1].replace("_", " ")) + g[2:9] +
             ("%s (%s..%s)" % g[9:12] if g[9] else "-",))))) + section(
        "Two-process loopback by the CPUs' placement, Mpps medians",
        ("bytes", "cell", "CPUs", "round trip", "turns",
         "net_iavf_client / net_iavfbe", "virtio-user / vhost",
         "ratio of turns"),
        matching_rows(path, LOOP_PLACED, lambda g: (
            "| %s | %s | %s | %s ns | %s | %s | %s | %s |" %
            ((g[0], g[1].replace("_", " ")) + g[2:8]))))


def main():
    cs, cc = cells(sys.argv[1]), costs(sys.argv[1])
    if not cs or not cc:
        print("bench-report: no %s cells in %s" %
              ("iavfbe_perf" if not cs else "iavfbe_cost", sys.argv[1]),
              file=sys.stderr)
        return 1
    text = (markdown(cs) + pmd_guests_markdown(sys.argv[1]) +
            placement_markdown(sys.argv[1]) + "\n" + cost_markdown(cc) +
            client_cost_markdown(sys.argv[1]) + loopback_markdown(sys.argv[1]))
    with open(sys.argv[2] + ".md", "w") as f:
        f.write(text)
    with open(sys.argv[2] + ".svg", "w") as f:
        f.write(svg(cs, cc))
    sys.stdout.write(text)
    print("bench-report: %s.md and %s.svg" % (sys.argv[2], sys.argv[2]))
    return 0


sys.exit(main())
