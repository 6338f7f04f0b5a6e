"""What bench/like.py and bench/net.py share: the "bench FIGURE VALUE UNIT"
lines of a side's output files, and the Markdown table of each figure's
median on both sides with rumpxen's speed over Linux's (higher is better
for rumpxen: VALUE over VALUE for a rate, a unit ending "/s"; the inverse
for a time or a count of calls)."""

import statistics


def figures(paths):
    """{figure: (values, unit)}, in the order they first come."""
    got = {}
    for path in paths:
        for line in open(path, errors="replace"):
            w = line.split()
            if len(w) == 4 and w[0] == "bench":
                got.setdefault(w[1], ([], w[3]))[0].append(float(w[2]))
    return got


def num(v):
    """v for the table: whole numbers from 100 up, else 3 digits."""
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def speed_table(rx, lx, ratios):
    """The table's lines for rumpxen's figures rx against Linux's lx;
    writes "FIGURE SPEED" lines to the file ratios, for the plot."""
    lines = ["| figure | rumpxen | Linux domU | runs | rumpxen speed / Linux |",
             "|---|---|---|---|---|"]
    with open(ratios, "w") as f:
        for fig, (a, unit) in rx.items():
            if fig not in lx:
                lines.append(f"| {fig} | {num(statistics.median(a))} {unit} | "
                             f"(none) | {len(a)} | |")
                continue
            b = lx[fig][0]
            ma, mb = statistics.median(a), statistics.median(b)
            speed = ma / mb if unit.endswith("/s") else mb / ma
            lines.append(f"| {fig} | {num(ma)} {unit} | {num(mb)} {unit} | "
                         f"{len(a)}/{len(b)} | {speed:.2f} |")
            f.write(f"{fig} {speed:.4f}\n")
    return lines


def runs(*sides):
    """How many runs each figure had, as "5" or "4/5"."""
    counts = {len(v) for side in sides for v, _ in side.values()}
    return "/".join(str(c) for c in sorted(counts))
