"""Jobs of the full host that test scripts describe, and `rumpxen batch`,
which runs them in one boot of the host and leaves each job's results in
a directory of its own.

A test script that is a job of the full host says so, and what the job
is, in lines of its own that start with "#@ ", each a directive and its
words (shell-quoted):
  #@ image IMAGE [ARG...]   the image and its arguments (required)
  #@ config KEY=VALUE       a word of its configuration
  #@ dom0 SCRIPT            dom0's part (dom0-init runs it beside the guest)
  #@ setup COMMAND          a shell command run in the job's directory first
  #@ disk FILE [ro]         a disk (FILE in the job's directory)
  #@ net                    a vif on dom0's bridge
  #@ ramdisk FILE           the domU's initrd (for a Linux domU)
  #@ xl KEY=VALUE           one more setting for xl create, as xl reads it
  #@ input TEXT             typed on its console once it runs (\\n for a newline)
  #@ timeout SECONDS        time limit for the job (catches hangs only; default
                            ten times what it expects, a minute at least)
  #@ first SECONDS          time limit for its first output (default 60)
  #@ expect SECONDS         how long the job usually takes, from xl create to
                            its end (default 5): `test` packs jobs into
                            boots by it
"""

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess

from .common import EXIT_FAILURE, RunError, fail
from .guest import guest_cmdline
from .procs import make_temp, remove_temp
from .xlhost import XL_FIRST_S, XlJob, xl_check_job, xl_host

DIRECTIVE_RE = re.compile(r"^#@ (\S+)(?: (.*))?$")
DEFAULT_EXPECT_S = 5


class JobScript:
    """A test script, read once: whether it describes a job of the full
    host (a "#@ image" line), and the job's directives, or why they are
    wrong (error, reported as the job's failure)."""

    def __init__(self, path, default_timeout=None):
        """Reads the script at path; a job's time limit is the script's,
        else default_timeout, else ten times what it expects (a minute at
        least)."""
        self.path = path
        self.name = os.path.basename(path).removesuffix(".sh")
        with open(path) as f:
            lines = [line.rstrip("\n") for line in f]
        self.is_job = any(line.startswith("#@ image ") for line in lines)
        self.words, self.error = None, None
        if not self.is_job:
            # Not a job: its "#@" lines, if any, are not the runner's.
            self.error = f"{path}: no '#@ image' line"
            return
        try:
            self.words = self._directives(lines, default_timeout)
        except RunError as e:
            self.error = str(e)

    @property
    def expect(self):
        """The seconds the job is expected to take (#@ expect)."""
        return self.words["expect"] if self.words else DEFAULT_EXPECT_S

    def _directives(self, lines, default_timeout):
        """The directives' words, by directive; RunError for a wrong one."""
        words = {"image": None, "config": [], "dom0": None, "setup": [], "disk": [],
                 "net": False, "ramdisk": None, "xl": [], "input": b"", "timeout": None,
                 "first": XL_FIRST_S, "expect": DEFAULT_EXPECT_S}
        for line in lines:
            m = DIRECTIVE_RE.match(line)
            if not m:
                continue
            key, rest = m.group(1), m.group(2) or ""
            try:
                self._directive(words, key, rest)
            except (ValueError, IndexError) as e:
                raise RunError(f"{self.path}: a bad '#@ {key}' line: {e}") from None
        if not words["image"]:
            raise RunError(f"{self.path}: no '#@ image' line")
        if words["timeout"] is None:
            words["timeout"] = default_timeout or max(XL_FIRST_S, 10 * words["expect"])
        return words

    def _directive(self, words, key, rest):
        """Adds one directive's words; RunError, ValueError or IndexError."""
        if key == "image":
            words["image"] = shlex.split(rest)
        elif key == "config":
            words[key] += shlex.split(rest)
        elif key == "xl":
            words[key].append(rest)
        elif key == "setup":
            words["setup"].append(rest)
        elif key == "disk":
            w = shlex.split(rest)
            words["disk"].append((w[0], w[1:] != ["ro"]))
        elif key == "net":
            words["net"] = True
        elif key in ("dom0", "ramdisk"):
            words[key] = rest
        elif key == "input":
            words["input"] = rest.encode().decode("unicode_escape").encode()
        elif key in ("timeout", "first", "expect"):
            words[key] = float(rest)
        else:
            raise RunError(f"{self.path}: unknown directive {key!r}")


def batch(outdir, scripts, cpus=1):
    """Runs the jobs of scripts (JobScript) in one boot of the full host
    with cpus CPUs (xl_host);
    each job's directory under outdir gets its files, its setup's, and
    out, err, rc, timing (seconds from xl create to its end, to the first
    output and to the job's end, the domain's CPU time, and the host's
    boot), dom0.out (what its
    dom0 script printed) and, with net, vif ("ip=A mac=M"). Returns
    {script's path: (job directory, the job's seconds from xl create to
    its end, or None)}."""
    jobs, dirs = [], {}
    for script in scripts:
        d = os.path.join(outdir, script.name)
        if any(d == other for other, _ in dirs.values()):
            raise RunError(f"two jobs are called {script.name}")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        dirs[script.path] = d, None
        try:
            jobs.append((script.path, batch_job(script, d)))
        except RunError as e:
            # This job cannot run; the others still do.
            batch_result(d, EXIT_FAILURE, f"rumpxen run: {e}\n", "", None)
    ready, errors = None, io.StringIO()
    if jobs:
        tmp = make_temp("rumpxen-batch.")
        try:
            with contextlib.redirect_stderr(errors):
                try:
                    ready = xl_host([job for _, job in jobs], tmp,
                                    log=os.path.join(outdir, "host.log"), cpus=cpus)
                except RunError as e:
                    fail(str(e))
        finally:
            remove_temp(tmp)
    for path, job in jobs:
        job.out.close()
        status, message = job.result()
        err = f"rumpxen run: {message}\n" if message else ""
        err += "".join(l + "\n" for l in job.diag_lines)
        if job.ended is None:
            err += errors.getvalue()
        if job.dom0_lines:
            with open(os.path.join(job.dir, "dom0.out"), "w") as f:
                f.write("".join(l + "\n" for l in job.dom0_lines))
        batch_result(job.dir, status, err,
                     f"created={job.created} first={job.first} total={job.total} "
                     f"cpu={job.cpu} "
                     f"xl={job.xl_status} host_ready={ready}\n",
                     f"ip={job.address} mac={job.mac}\n" if job.address else None)
        dirs[path] = job.dir, job.total
    return dirs


def batch_job(script, d):
    """The job script (JobScript) describes, its setup run in d; RunError,
    naming the script, if it cannot run."""
    if script.error:
        raise RunError(script.error)
    w = script.words
    try:
        extra = guest_cmdline(w["config"], w["image"][1:], source="'#@ config'")
    except RunError as e:
        raise RunError(f"{script.path}: {e}")
    env = dict(os.environ, ROOT=os.getcwd())
    for command in w["setup"]:
        r = subprocess.run(["sh", "-ec", command], cwd=d, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True)
        if r.returncode:
            raise RunError(f"{script.path}: setup {command!r} failed: "
                           + r.stderr.decode(errors="replace").strip())
    job = XlJob(script.name, w["image"][0], extra, dom0=w["dom0"],
                disks=[(os.path.join(d, p), rw) for p, rw in w["disk"]],
                net=w["net"], ramdisk=w["ramdisk"], xl=w["xl"], input=w["input"],
                timeout=w["timeout"], first_limit=w["first"])
    xl_check_job(job)
    job.out = open(os.path.join(d, "out"), "wb")
    job.dir = d
    return job


def batch_result(d, status, err, timing, vif):
    """Writes a job's result files into its directory d."""
    for f, text in (("rc", f"{status}\n"), ("err", err), ("timing", timing), ("vif", vif)):
        if text is not None:
            with open(os.path.join(d, f), "w") as fh:
                fh.write(text)
    if not os.path.exists(os.path.join(d, "out")):
        open(os.path.join(d, "out"), "w").close()
