"""bench/domains.py OUTDIR JOB...: a Markdown table of each job's domain
CPU time, as xl saw it when the domain ended (the job's timing file, from
tools/rumpxen batch), beside the job's time from `xl create` to its end.
A throughput means more beside it: the share of the time the measured
domain ran, the rest going to dom0 (its load generator, its toolstack)
and to booting. bench/like.py imports table()."""

import os
import sys


def table(out, jobs):
    """The table's lines for the jobs whose directories are in out."""
    lines = ["| domain | CPU time | time from xl create | CPU / time |",
             "|---|---|---|---|"]
    for job in jobs:
        with open(os.path.join(out, job, "timing")) as f:
            t = dict(w.split("=", 1) for w in f.read().split() if "=" in w)
        try:
            cpu, total = float(t["cpu"]), float(t["total"])
            lines.append(f"| {job} | {cpu:.1f} s | {total:.1f} s | {cpu / total:.0%} |")
        except (KeyError, ValueError):
            lines.append(f"| {job} | {t.get('cpu', '?')} | {t.get('total', '?')} | |")
    return lines


if __name__ == "__main__":
    print("Each domain's CPU time, as xl saw it when the domain ended, beside "
          "its time from `xl create` to its end:\n")
    print("\n".join(table(sys.argv[1], sys.argv[2:])) + "\n")
