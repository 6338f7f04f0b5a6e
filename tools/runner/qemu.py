"""The QEMU launcher: boots Debian's Xen under qemu-system-x86_64 (TCG, no
KVM) in either tier, the dom0 tier (`run`: the image is dom0) or the full
host (`run --xl`, `batch`: Debian's Linux is dom0), and follows the files
QEMU writes until the caller knows how the guest ended. QEMU writes the
serial console to a file, which never loses a byte (a slow reader of a
pipe or socket made Xen drop console output without a word)."""

import contextlib
import os
import shutil
import subprocess
import time

from .common import RunError
from .procs import POLL_S, spawn, stop

# Xen's options in both tiers.
XEN_OPTIONS = ("console=com1 loglvl=all guest_loglvl=all console_timeout=1"
               # Scrubbing free RAM would fill idle time with emulated work.
               " bootscrub=0")


def qemu_escape(text):
    """QEMU's option parser reads ",," as a literal comma."""
    return text.replace(",", ",,")


def find_qemu():
    """The QEMU to run ($RUMPXEN_QEMU, which the runner's tests set to make
    QEMU fail, else qemu-system-x86_64); RunError if it is not there."""
    qemu = os.environ.get("RUMPXEN_QEMU", "qemu-system-x86_64")
    if shutil.which(qemu) is None:
        raise RunError(f"{qemu} is not installed; run tools/deps")
    return qemu


class Qemu:
    """One QEMU running Xen, its serial console going to a file."""

    def __init__(self, tmp, qemu, xen, full_host, memory, xen_options, modules,
                 devices=()):
        """Starts qemu on xen, with memory MiB, xen_options beside
        XEN_OPTIONS, modules (the multiboot modules: QEMU's -initrd) and
        devices (more of QEMU's options); the serial console goes to
        tmp/serial.log, and what QEMU itself prints to tmp/qemu.out."""
        self.serial = os.path.join(tmp, "serial.log")
        open(self.serial, "wb").close()
        self.out = open(os.path.join(tmp, "qemu.out"), "w+b")
        # The CPU model, by tier. The dom0 tier runs on max without SMAP:
        # with SMAP on, QEMU 7.2's TCG makes Xen crash a PV guest at its
        # first iretq (a #PF inside Xen's create_bounce_frame), and with
        # noreboot QEMU then hangs until killed. The full host runs on
        # qemu64, not max: with -cpu max,-smap, dom0's xl and busybox died
        # by SIGSEGV in every run of the transaction test here and two
        # runs in six stalled or failed; with qemu64, twelve runs passed
        # without one.
        cpu = "qemu64" if full_host else "max,-smap"
        cmd = [qemu, "-display", "none", "-cpu", cpu, "-m", str(memory), "-no-reboot",
               "-monitor", "none", "-nic", "none", "-kernel", xen,
               "-append", f"{XEN_OPTIONS} {xen_options}", "-initrd", modules,
               "-serial", f"file:{self.serial}",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", *devices]
        try:
            self.proc = spawn(cmd, stdin=subprocess.DEVNULL, stdout=self.out,
                              stderr=subprocess.STDOUT)
        except BaseException:
            self.out.close()
            raise

    def follow(self, feeds, decide):
        """The runner's one polling loop: feeds what QEMU writes to each
        file of feeds ((path, sink) pairs) to its sink as it comes, and
        after each round asks decide(exited, quiet) (whether QEMU had
        exited before the round, whether the round read nothing: both
        together mean every file is read to its end); returns decide's
        first answer that is not None."""
        with contextlib.ExitStack() as stack:
            files = [(stack.enter_context(open(path, "rb")), sink) for path, sink in feeds]
            while True:
                exited = self.proc.poll() is not None
                quiet = True
                for f, sink in files:
                    data = f.read(1 << 20)
                    if data:
                        sink.feed(data)
                        quiet = False
                answer = decide(exited, quiet)
                if answer is not None:
                    return answer
                if quiet:
                    time.sleep(POLL_S)

    def output(self):
        """What QEMU itself printed, stripped."""
        self.out.seek(0)
        return self.out.read().decode(errors="replace").strip()

    def stop(self):
        """Ends QEMU at once (see procs.stop)."""
        stop(self.proc)
        self.out.close()
