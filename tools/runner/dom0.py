"""`rumpxen run` in the dom0 tier: the image boots as Xen's dom0, its
console comes from Xen's serial log, and isa-debug-exit ends QEMU."""

import os
import resource
import shutil
import sys
import time

from .common import EXIT_FAILURE, EXIT_TIMEOUT, RunError, fail, xen_path
from .console import Console
from .guest import check_image, guest_cmdline
from .qemu import Qemu, find_qemu, qemu_escape

# How long Xen may keep talking after a crash before QEMU is stopped, and
# how long QEMU may take to exit after the status line.
CRASH_DRAIN_S = 2.0
EXIT_GRACE_S = 10.0


def run_dom0(opts, tmp):
    """Boots opts.image as dom0; returns the runner's exit status."""
    xen = xen_path()
    if not os.path.isfile(xen):
        raise RunError(f"Xen is not in the cache ({xen}); run tools/deps")
    qemu = find_qemu()
    check_image(opts.image)

    # QEMU takes a module's file name up to the first space: links in tmp
    # give every file a plain name.
    guest = os.path.join(tmp, "guest.elf")
    os.symlink(os.path.abspath(opts.image), guest)
    # The configuration part: we are the test host (only then does the
    # guest end QEMU through isa-debug-exit), and the host's time (for
    # tests of the guest's wall clock).
    cmdline = guest_cmdline(opts.config, opts.args,
                            fixed=["testhost=1", f"hosttime={time.time_ns()}"])
    modules = qemu_escape(f"{guest} {cmdline}")
    if opts.ramdisk:
        if not os.path.isfile(opts.ramdisk):
            raise RunError(f"the RAM disk {opts.ramdisk} is not a file")
        ramdisk = os.path.join(tmp, "ramdisk.img")
        os.symlink(os.path.abspath(opts.ramdisk), ramdisk)
        modules += "," + ramdisk

    console = Console(sys.stdout.buffer, opts.verbose)
    start = time.monotonic()
    qemu = Qemu(tmp, qemu, xen, False, opts.memory + 192,
                f"noreboot dom0_mem={opts.memory}M", modules)
    try:
        return outcome(opts, qemu, console, start)
    finally:
        qemu.stop()
        if opts.log:
            shutil.copyfile(qemu.serial, opts.log)
        if opts.cpu_time:
            # QEMU is the only child the runner waits for.
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            with open(opts.cpu_time, "w") as f:
                f.write(f"{usage.ru_utime + usage.ru_stime:.3f}\n")


def outcome(opts, qemu, console, start):
    """Streams the log until the guest's fate is known; returns the exit status."""
    ended_at = None  # when the status line or Xen's end-of-guest appeared

    def decide(exited, quiet):
        """How the guest ended, once that is known: exited, ended or timeout."""
        nonlocal ended_at
        if not quiet:
            return None
        now = time.monotonic()
        if exited:
            console.finish()
            return "exited"
        if ended_at is None and (console.status is not None or console.guest_end):
            ended_at = now
        if console.guest_end and console.status is None and (
                console.xen_done or now - ended_at > CRASH_DRAIN_S):
            return "ended"
        if ended_at is not None and now - ended_at > EXIT_GRACE_S:
            return "ended"
        if opts.timeout and now - start > opts.timeout:
            if console.status is None:
                console.finish()
                return "timeout"
            return "ended"
        return None

    if qemu.follow([(qemu.serial, console)], decide) == "timeout":
        fail(f"time limit of {opts.timeout:g} s reached before the guest "
             "printed its exit status")
        return EXIT_TIMEOUT
    if console.status is not None:
        return console.status
    if console.guest_end:
        fail(f"the guest ended without printing its exit status: {console.guest_end}")
        sys.stderr.write(console.xen_lines(200))
        return EXIT_FAILURE
    detail = qemu.output()
    fail(f"QEMU exited with status {qemu.proc.returncode} before the guest printed its "
         "exit status" + (f": {detail}" if detail else ""))
    return EXIT_FAILURE
