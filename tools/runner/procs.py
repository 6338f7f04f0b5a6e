"""The runner's children and temporary files, and the signals that end it.

Whatever ends the runner, what it started goes with it: every child leads
a process group of its own (QEMU, or a test script with the runners and
QEMUs it started), and every temporary directory is registered; SIGINT,
SIGTERM and SIGHUP end the runner with 128 + the signal's number once
both are gone."""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time

CLEANUP_LOCK = threading.RLock()  # the signal handler may take it again
CHILDREN = set()
TEMP_DIRS = set()
STOPPING = []  # the signal that ends the runner, once one came
# How long the children get to end on their own when the runner ends.
CLEANUP_GRACE_S = 5.0
POLL_S = 0.02


class Interrupted(Exception):
    """SIGINT, SIGTERM or SIGHUP reached the runner: it ends (128 + the
    signal's number) once its children and temporary files are gone."""

    def __init__(self, signum):
        """Names the signal that came."""
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def spawn(cmd, **kwargs):
    """Starts cmd in a process group of its own, registered for clean-up."""
    with CLEANUP_LOCK:
        if STOPPING:
            raise Interrupted(STOPPING[0])
        proc = subprocess.Popen(cmd, start_new_session=True, **kwargs)
        proc.terminated = False  # whether its group had its SIGTERM
        CHILDREN.add(proc)
    return proc


def signal_group(proc, sig):
    """Sends sig to all of proc's process group, even when proc has ended."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def terminate(proc):
    """Sends SIGTERM to proc's process group, once in its life."""
    with CLEANUP_LOCK:
        if proc.terminated:
            return
        proc.terminated = True
    signal_group(proc, signal.SIGTERM)


def group_alive(pgid):
    """Whether a process of the group pgid is left."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def stop(proc, grace=None):
    """Ends proc's process group: given grace, SIGTERM (see terminate) and
    up to grace seconds for all of it to end (a runner in it removes its
    own files); then SIGKILL to what is left; reaps proc."""
    if grace is not None:
        deadline = time.monotonic() + grace
        # To the whole group, even when its leader has ended: a runner a
        # test script left behind must end its QEMU before the SIGKILL.
        terminate(proc)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(max(0.0, deadline - time.monotonic()))
        while group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(POLL_S)
    signal_group(proc, signal.SIGKILL)
    proc.wait()
    with CLEANUP_LOCK:
        CHILDREN.discard(proc)


def make_temp(prefix):
    """A temporary directory, registered for clean-up."""
    d = tempfile.mkdtemp(prefix=prefix)
    with CLEANUP_LOCK:
        TEMP_DIRS.add(d)
    return d


def remove_temp(d):
    """Removes a temporary directory made by make_temp."""
    shutil.rmtree(d, ignore_errors=True)
    with CLEANUP_LOCK:
        TEMP_DIRS.discard(d)


def on_signal(signum, frame):
    """Sends every child's process group SIGTERM (the threads that wait
    for them go on); the main thread then unwinds through Interrupted
    (only the first signal does)."""
    with CLEANUP_LOCK:
        first = not STOPPING
        STOPPING.append(signum)
        children = list(CHILDREN)
    for proc in children:
        terminate(proc)
    if first:
        raise Interrupted(signum)


def clean_up():
    """Ends what is left of the children and removes the temporary files:
    the last step of every way out of the runner."""
    with CLEANUP_LOCK:
        children, dirs = list(CHILDREN), list(TEMP_DIRS)
    deadline = time.monotonic() + CLEANUP_GRACE_S
    for proc in children:
        # A test script's group gets a moment to end: its runners end
        # their QEMUs and remove their files; then what is left is killed.
        stop(proc, max(0.0, deadline - time.monotonic()))
    for d in dirs:
        remove_temp(d)
