"""The serial console of Xen and dom0: splits what QEMU writes into lines,
shows the guest's, keeps Xen's, and records how the guest ended."""

import re

# A guest's last words: the runner's exit status is its N.
STATUS_RE = re.compile(rb"^rumpxen: exit (\d+)$")
# Xen's lines when dom0 ends without a status line of its own.
GUEST_END_RE = re.compile(
    rb"Domain 0 \(vcpu#\d+\) crashed|Hardware Dom0 (crashed|halted|shutdown|rebooted)"
    rb"|Panic on CPU")
# Xen's last words after the above, before it sits idle (noreboot).
XEN_DONE_RE = re.compile(rb"not rebooting|Manual reset required|halting machine"
                         rb"|Reboot in five seconds")
# Xen's last line before it enters dom0: where the guest's story starts.
GUEST_START_RE = re.compile(rb"Freed \d+kB init memory")


class Console:
    """Splits the serial log into lines and decides what each one is.

    Guest lines go to stdout as soon as they arrive (even a partial line,
    once it cannot be the start of a Xen line); Xen's lines are kept, and
    shown too with --verbose. The last status line and the first sign of a
    guest ending without one are recorded.
    """

    def __init__(self, out, verbose):
        """A console that writes the guest's lines (and Xen's, if verbose) to out."""
        self.out = out
        self.verbose = verbose
        self.cur = b""
        self.shown = 0
        self.status = None
        self.guest_end = None
        self.xen_done = False
        self.guest_started = False
        self.xen_tail = []

    def feed(self, data):
        """Takes the next bytes of the log."""
        self.cur += data
        while True:
            nl = self.cur.find(b"\n")
            if nl < 0:
                break
            line, self.cur = self.cur[:nl].rstrip(b"\r"), self.cur[nl + 1:]
            self._line(line)
            self.shown = 0
        # A partial line is shown now, but for trailing carriage returns:
        # Xen ends lines with "\r\n", and the "\n" may come in the next read.
        ready = len(self.cur.rstrip(b"\r"))
        if self.shown < ready and not self._maybe_xen(self.cur):
            self.out.write(self.cur[self.shown:ready])
            self.shown = ready
        self.out.flush()

    def finish(self):
        """Ends the last line, the log being complete."""
        if self.cur:
            self.feed(b"\n")

    def xen_lines(self, count):
        """Xen's last count lines since the guest started, as text."""
        return "\n".join(l.decode(errors="replace") for l in self.xen_tail[-count:]) + "\n"

    def _maybe_xen(self, text):
        """Whether text, the start of a line, may be the start of Xen's."""
        if self.shown:
            return False
        return text.startswith(b"(XEN)") or b"(XEN)".startswith(text)

    def _line(self, line):
        """Takes a whole line (its start already shown, if shown)."""
        if not self.shown and line.startswith(b"(XEN)"):
            self._xen_line(line)
            return
        self.out.write(line[self.shown:] + b"\n")
        m = STATUS_RE.match(line)
        if m:
            self.status = int(m.group(1))

    def _xen_line(self, line):
        """Takes a line of Xen's."""
        if self.verbose:
            self.out.write(line + b"\n")
        if self.guest_started:
            self.xen_tail = (self.xen_tail + [line])[-200:]
        elif GUEST_START_RE.search(line):
            self.guest_started = True
        if self.guest_end is None and GUEST_END_RE.search(line):
            self.guest_end = line.decode(errors="replace")
        if self.guest_end is not None and XEN_DONE_RE.search(line):
            self.xen_done = True
