"""bench/httpd.py OUTDIR QEMU CPUS SECONDS IMAGE MEMS: the Markdown section of
bench/httpd.sh. Reads the "bench FIGURE VALUE UNIT" lines dom0's
httpload printed for the jobs rx-httpd (rumpxen) and linux-httpd in
OUTDIR (figures FILE-cCONNS-rate, -bytes, -p50, -p90, -p99, -errors),
prints each figure's median on both sides and their ratio
rumpxen / Linux, each domain's CPU time (bench/domains.py), the size
of the rumpxen IMAGE and the memory sweep (jobs rx-memN for each N of
MEMS: whether 300k-c100 went without an error, and what memstats
printed), and writes "FIGURE REQUESTS-RATIO LATENCY-RATIO"
lines to OUTDIR/ratios for the plot."""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from domains import table
from figures import figures, num

out, qemu, cpus, seconds, image, mems = (sys.argv[1], sys.argv[2], int(sys.argv[3]),
                                         sys.argv[4], sys.argv[5], sys.argv[6].split())
rx = figures([os.path.join(out, "rx-httpd", "dom0.out")])
lx = figures([os.path.join(out, "linux-httpd", "dom0.out")])
FILES = [("1k", "1 KiB"), ("1m", "1 MiB")]
CONNS = [1, 16, 64]


def med(side, fig):
    """The median of fig's values on side, or None."""
    return statistics.median(side[fig][0]) if fig in side else None


def cell(v, unit=""):
    return "(none)" if v is None else f"{num(v)}{unit}"


def ratio(a, b):
    return "" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def count(side, fig):
    return len(side[fig][0]) if fig in side else 0


print("## lighttpd: static files against a Linux domU\n")
print("Debian's lighttpd 1.4.69, the same source, the same seven modules "
      "and the same configuration (bench/httpd/lighttpd.conf: the epoll "
      "event handler, the sendfile backend, no access log), built with "
      "tools/rumpxen-cc and with `musl-gcc -static`, runs in a rumpxen "
      "domU and in a Debian Linux 6.1 PV domU (256 MiB each, one vCPU) of "
      "one boot of the emulated Xen host (QEMU TCG, "
      f"{cpus} CPUs, dom0 pinned to the first and the domUs on the others). "
      "Each serves one ext2 image, on a read-only vbd mounted on /srv, "
      "holding a file of 1 KiB and one of 1 MiB. dom0's "
      "bench/net/httpload.c GETs one of them over 1, 16 or 64 keep-alive "
      "HTTP/1.1 connections at once, each sending its next request when "
      "the last response has ended, and checks every response's status "
      "and Content-Length; the latency is a request's, from its first "
      "byte sent to its response's last byte received. Each figure sends "
      f"requests for {seconds} s; its requests/s are the responses to them "
      "over the time from its start to the last response's end (a figure "
      "whose responses take longer than that runs over). The tables give "
      f"the median of {max(count(rx, f) for f in rx) if rx else 0} "
      "runs (of each percentile, a run's percentile over all its "
      f"requests). Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
      f"with {qemu}.\n")

print("| file | connections | requests/s rumpxen | requests/s Linux | "
      "rumpxen / Linux | MB/s rumpxen | MB/s Linux | errors rumpxen | "
      "errors Linux | runs |")
print("|---|---|---|---|---|---|---|---|---|---|")
with open(os.path.join(out, "ratios"), "w") as plot:
    for f, label in FILES:
        for c in CONNS:
            k = f"{f}-c{c}"
            a, b = med(rx, k + "-rate"), med(lx, k + "-rate")
            ea = sum(rx[k + "-errors"][0]) if k + "-errors" in rx else None
            eb = sum(lx[k + "-errors"][0]) if k + "-errors" in lx else None
            print(f"| {label} | {c} | {cell(a)} | {cell(b)} | {ratio(a, b)} | "
                  f"{cell(med(rx, k + '-bytes'))} | {cell(med(lx, k + '-bytes'))} | "
                  f"{cell(ea)} | {cell(eb)} | "
                  f"{count(rx, k + '-rate')}/{count(lx, k + '-rate')} |")
            la, lb = med(rx, k + "-p50"), med(lx, k + "-p50")
            if None not in (a, b, la, lb) and b and lb:
                plot.write(f"{f}-c{c} {a / b:.4f} {la / lb:.4f}\n")

print("\nLatency in ms (the ratio: rumpxen's median latency over Linux's):\n")
print("| file | connections | p50 rumpxen | p50 Linux | p90 rumpxen | "
      "p90 Linux | p99 rumpxen | p99 Linux | p50 rumpxen / Linux |")
print("|---|---|---|---|---|---|---|---|---|")
for f, label in FILES:
    for c in CONNS:
        k = f"{f}-c{c}"
        p = {(s, q): med(side, f"{k}-{q}")
             for s, side in (("rx", rx), ("lx", lx)) for q in ("p50", "p90", "p99")}
        print(f"| {label} | {c} | " + " | ".join(
            f"{cell(p['rx', q])} | {cell(p['lx', q])}" for q in ("p50", "p90", "p99"))
            + f" | {ratio(p['rx', 'p50'], p['lx', 'p50'])} |")

print("\nEach domain's CPU time, as xl saw it when the domain ended, beside "
      "its time from `xl create` to its end (booting, and every figure's "
      "runs; dom0's load generator and netback run on dom0's own CPU):\n")
print("\n".join(table(out, ["rx-httpd", "linux-httpd"])))


def served(job):
    """The responses of all the job's figures (httpload's lines)."""
    n = 0
    for line in open(os.path.join(out, job, "dom0.out"), errors="replace"):
        w = line.split()
        if len(w) > 3 and w[0] == "httpload:" and w[3] == "responses":
            n += int(w[2])
    return n


print(f"\nIn those times the rumpxen domU served {served('rx-httpd'):,} "
      f"responses and the Linux domU {served('linux-httpd'):,} (every run of "
      "every figure), and each booted once.")


def sections(path):
    """{name: (size, flags)} of the ELF file's sections (readelf -SW)."""
    got = {}
    for line in subprocess.run(["readelf", "-SW", path], capture_output=True,
                               text=True, check=True).stdout.splitlines():
        w = line.replace("[ ", "[").split()
        if len(w) >= 8 and w[0].startswith("[") and w[0] != "[Nr]":
            flags = w[7] if not w[7].isdigit() else ""
            got[w[1]] = (int(w[5], 16), flags)
    return got


with tempfile.TemporaryDirectory() as tmp:
    stripped = os.path.join(tmp, "lighttpd.elf")
    shutil.copy(image, stripped)
    subprocess.run(["strip", stripped], check=True)
    strip_size = os.path.getsize(stripped)
sec = sections(image)
with open(image, "rb") as f:
    # The .ksyms section's first 8 bytes: its count of entries
    # (tools/ksyms). Its file offset from readelf -SW.
    for line in subprocess.run(["readelf", "-SW", image], capture_output=True,
                               text=True, check=True).stdout.splitlines():
        w = line.replace("[ ", "[").split()
        if len(w) >= 5 and w[1] == ".ksyms":
            f.seek(int(w[4], 16))
            nsyms = int.from_bytes(f.read(8), "little")
loaded = {n: s for n, (s, fl) in sec.items() if "A" in fl}
rodata = sum(s for n, s in loaded.items()
             if n not in (".text", ".data", ".bss", ".ksyms"))
total = sum(loaded.values())
print(f"\nThe rumpxen image ({image}, lighttpd with our kernel, musl and "
      "the platform, one static ELF file): "
      f"{os.path.getsize(image):,} bytes as built (with DWARF and .symtab), "
      f"{strip_size:,} bytes after `strip` (of a copy). Loaded, it takes "
      f"{total:,} bytes: the allocated sections of `readelf -S`, "
      f".text {loaded.get('.text', 0):,}, read-only data "
      f"({', '.join(n for n in loaded if n not in ('.text', '.data', '.bss', '.ksyms'))}) "
      f"{rodata:,}, .data {loaded.get('.data', 0):,}, .bss "
      f"{loaded.get('.bss', 0):,} and the embedded symbol table "
      f"{loaded.get('.ksyms', 0):,} (.ksyms, from _ksyms_start to "
      f"_ksyms_end: tools/ksyms's table of {nsyms:,} functions, their "
      "addresses and names, which the second link adds after everything "
      "else; Xen's loader does not load .symtab).\n")
print("![rumpxen / Linux: requests/s and median latency](httpd.png)\n")


def memrun(m):
    """(served without an error, requests/s, the memstats line's words or
    None, the job's status) of the sweep's job in m MiB."""
    d = os.path.join(out, f"rx-mem{m}")
    side = figures([os.path.join(d, "dom0.out")]) if os.path.exists(
        os.path.join(d, "dom0.out")) else {}
    rate, errors = med(side, "300k-c100-rate"), med(side, "300k-c100-errors")
    stats = None
    for line in open(os.path.join(d, "out"), errors="replace"):
        if line.startswith("rumpxen: memory: "):
            stats = line.split()
    rc = open(os.path.join(d, "rc")).read().strip()
    return rate is not None and errors == 0 and rc == "0", rate, stats, rc


print("The least memory: the rumpxen domU in domains of "
      f"{', '.join(mems)} MiB (`memory=`), each with the same site and "
      "configuration, loaded by httpload with 100 keep-alive connections "
      f"GETting a file of 300,000 bytes for {seconds} s, then shut down. "
      "It served if every response was whole and the guest exited 0; the "
      "pages are what the guest had after its image, the most in use at "
      "once and at the end (its `memstats`).\n")
print("| memory= | served without an error | requests/s | pages | most in use "
      "| in use at the end | exit status |")
print("|---|---|---|---|---|---|---|")
least = None
for m in mems:
    ok, rate, st, rc = memrun(m)
    if ok and least is None:
        least = m
    # "rumpxen: memory: N KiB of pages, at most N KiB in use, N KiB now; ..."
    pages, most, now = (st[2], st[8], st[12]) if st and len(st) > 12 else ("", "", "")
    print(f"| {m} MiB | {'yes' if ok else 'no'} | {cell(rate)} | "
          f"{pages + ' KiB' if pages else ''} | {most + ' KiB' if most else ''} | "
          f"{now + ' KiB' if now else ''} | {rc} |")
print(f"\nThe least memory that served: {least + ' MiB' if least else 'none of these'}.\n")
