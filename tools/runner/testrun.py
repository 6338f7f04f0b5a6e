"""The test runner (`rumpxen test`, `rumpxen stress`): runs host programs,
boot images and test scripts in parallel, the job scripts' jobs packed
into a few boots of the full host, and ends with "N passed, N failed"."""

import concurrent.futures
import os
import random
import subprocess
import time

from .common import ENTRY_SCRIPT, EXIT_FAILURE, EXIT_TIMEOUT, RunError
from .jobs import JobScript, batch, batch_result
from .procs import CLEANUP_GRACE_S, spawn, stop

# How many job scripts share one boot of the full host, at most.
JOBS_PER_HOST = 8


def test_one(test, logdir, timeout, job=None):
    """Runs one test (a host program, an image, or a script, with
    $RUMPXEN_JOB naming job if given), its output into a log; returns
    (name, status, seconds, log)."""
    name = test[len("build/"):] if test.startswith("build/") else test
    log = os.path.join(logdir, name.replace("/", "_") + ".log")
    if test.endswith(".elf"):
        cmd = [ENTRY_SCRIPT, "run", "--timeout", str(timeout), test]
    elif test.endswith(".sh"):
        cmd = ["bash", test]
    else:
        cmd = [test]
    env = dict(os.environ, RUMPXEN=ENTRY_SCRIPT)
    if job:
        env["RUMPXEN_JOB"] = os.path.abspath(job)
    start = time.monotonic()
    with open(log, "wb") as out:
        try:
            proc = spawn(cmd, stdin=subprocess.DEVNULL, stdout=out,
                         stderr=subprocess.STDOUT, env=env)
        except OSError as e:
            out.write(f"\ntest: cannot run: {e}\n".encode())
            return name, EXIT_FAILURE, time.monotonic() - start, log
        try:
            rc = proc.wait(timeout * 4)
        except subprocess.TimeoutExpired:
            out.write(b"\ntest: hung, killed\n")
            rc = EXIT_TIMEOUT
        # The test's group ends with it: a runner it left behind ends its QEMU.
        stop(proc, CLEANUP_GRACE_S)
    return name, rc, time.monotonic() - start, log


def test_batch(scripts, outdir, logdir, timeout):
    """Runs the job scripts' (JobScript) guests in one boot of the full
    host, then each script on its job's results; returns the results as
    run_tests gives them."""
    start = time.monotonic()
    try:
        dirs = batch(outdir, scripts)
    except RunError as e:
        dirs = {}
        for script in scripts:
            d = os.path.join(outdir, script.name)
            os.makedirs(d, exist_ok=True)
            batch_result(d, EXIT_FAILURE, f"rumpxen run: {e}\n", "", None)
            dirs[script.path] = d, None
    took = time.monotonic() - start
    results = []
    for script in scripts:
        d, job_secs = dirs[script.path]
        name, rc, secs, log = test_one(script.path, logdir, timeout, d)
        results.append((name, rc, secs + took / len(scripts), log, job_secs))
    return results


def pack_boots(scripts, seed=None):
    """The job scripts (JobScript) divided into boots of the full host,
    each boot's jobs in the order they run. Without a seed, the longest
    expected jobs go first, each to the boot with the least expected time
    so far; with one, the jobs are shuffled (random.Random(seed)) and
    dealt out."""
    hosts = -(-len(scripts) // JOBS_PER_HOST)
    boots = [[] for _ in range(hosts)]
    if seed is not None:
        order = list(scripts)
        random.Random(seed).shuffle(order)
        for i, script in enumerate(order):
            boots[i % hosts].append(script)
        return boots
    load = [0.0] * hosts
    for script in sorted(scripts, key=lambda s: (-s.expect, s.path)):
        i = min(range(hosts), key=lambda i: load[i])
        boots[i].append(script)
        load[i] += script.expect
    return boots


def split_tests(tests):
    """The tests divided: the job scripts, each read here once (JobScript),
    and the others."""
    scripts = {t: JobScript(t) for t in tests if t.endswith(".sh")}
    jobs = [scripts[t] for t in tests if t in scripts and scripts[t].is_job]
    return jobs, [t for t in tests if not (t in scripts and scripts[t].is_job)]


def run_tests(jobs, others, out, workers, timeout, seed=None):
    """Runs tests in parallel: the job scripts (JobScript) in boots of the
    full host, packed by pack_boots, and the others on their own; prints
    PASS or FAIL as each ends; returns the results, (name, status,
    seconds, log, the job's own seconds or None) each."""
    logdir = os.path.join(out, "logs")
    os.makedirs(logdir, exist_ok=True)
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        # The hosts first: they take longest.
        futures = [pool.submit(test_batch, boot, os.path.join(out, "xl", str(i)), logdir,
                               timeout) for i, boot in enumerate(pack_boots(jobs, seed))]
        futures += [pool.submit(lambda t: [test_one(t, logdir, timeout) + (None,)], t)
                    for t in others]
        for fut in concurrent.futures.as_completed(futures):
            for name, rc, secs, log, job_secs in fut.result():
                results.append((name, rc, secs, log, job_secs))
                if rc == 0:
                    print(f"PASS {name} ({secs:.1f} s)", flush=True)
                    continue
                print(f"FAIL {name} (exit {rc}, {secs:.1f} s); last lines of {log}:")
                with open(log, "rb") as f:
                    tail = f.read().decode(errors="replace").splitlines()[-30:]
                print("".join(f"    {l}\n" for l in tail), end="", flush=True)
    return results


def summarize(results, out):
    """Prints and keeps (OUT/summary) the line "N passed, N failed"; returns
    the runner's exit status."""
    failed = sum(1 for r in results if r[1] != 0)
    summary = f"{len(results) - failed} passed, {failed} failed"
    with open(os.path.join(out, "summary"), "w") as f:
        f.write(summary + "\n")
    print(summary, flush=True)
    return 1 if failed else 0


def cmd_test(opts):
    """rumpxen test: the tests, once."""
    jobs, others = split_tests(opts.tests)
    return summarize(run_tests(jobs, others, opts.out, opts.jobs, opts.timeout, opts.shuffle),
                     opts.out)


def cmd_stress(opts):
    """rumpxen stress: the job scripts, rounds times, shuffled across boots
    with seeds seed, seed + 1, ... (printed, so that `test --shuffle SEED`
    replays a round); ends with figures of all rounds and the summary."""
    jobs, _ = split_tests(opts.tests)
    results, boots = [], 0
    for r in range(opts.rounds):
        seed = opts.seed + r
        boots += len(pack_boots(jobs, seed))
        print(f"stress: round {r + 1} of {opts.rounds}, seed {seed}", flush=True)
        got = run_tests(jobs, [], os.path.join(opts.out, f"round{r + 1}"), opts.jobs,
                        opts.timeout, seed)
        for res in got:
            if res[1] != 0:
                print(f"stress: {res[0]} failed in round {r + 1} (seed {seed})", flush=True)
        results += got
    times = sorted(r[4] for r in results if r[4] is not None)
    if times:
        print(f"stress: {len(results)} jobs in {boots} boots of the full host, "
              f"{sum(1 for r in results if r[1])} failures; a job's time from xl create "
              f"to its end: median {times[len(times) // 2]:.1f} s, slowest {times[-1]:.1f} s "
              f"({max((r for r in results if r[4] is not None), key=lambda r: r[4])[0]})",
              flush=True)
    return summarize(results, opts.out)
