"""The full Xen host (`run --xl`, `batch`): Debian's Linux as dom0 runs
images as domUs under xl (tools/xenhost/dom0-init), one after another, and
copies their consoles to a virtio console port, which QEMU writes to a
file that loses nothing; a second port carries what is typed to the
running guest."""

import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

from .common import EXIT_FAILURE, EXIT_TIMEOUT, TOOLS_DIR, RunError, fail, xen_path
from .console import STATUS_RE, Console
from .domconf import domconf_job
from .guest import check_image, guest_cmdline
from .qemu import Qemu, find_qemu, qemu_escape

XENHOST_DIR = os.path.join(TOOLS_DIR, "..", "build", "xenhost")
DOMAIN_CONFIG = os.path.join(TOOLS_DIR, "..", "domain_config")
JOB_RE = re.compile(rb"^@@rumpxen job (\S+) (begin|end|dom0|diag) ?(.*)$")
HOST_RE = re.compile(rb"^@@rumpxen host (ready|done)$")
# What dom0 could not set up for the jobs (a forward's NIC), said at once.
WARN_RE = re.compile(rb"^@@rumpxen host warn (.*)$")
# Xen's options for the full host, beside qemu.XEN_OPTIONS.
XL_XEN_OPTIONS = "dom0_mem=512M,max:512M dom0_max_vcpus=1"
# Time for the host to boot and end, beside the jobs' own time limits.
XL_HOST_S = 300
# A job's address on dom0's bridge (192.0.2.1): 192.0.2.(10 + n).
XL_NET_BASE = 10
# Seconds a domU may run without printing anything before dom0 reports its
# view of it and destroys it: every guest prints within seconds.
XL_FIRST_S = 60


class XlJob:
    """One domU of a run of the full host, and, once it ran, its result."""

    def __init__(self, name, image, extra, *, timeout, first_limit, dom0=None, disks=(),
                 net=False, ramdisk=None, xl=(), input=b"", config=None, forwards=()):
        """A job: extra is its command line; timeout, first_limit in seconds;
        config its own domain config (default: the project's); forwards
        (host address, host port, the domU's port) triples, for a job
        with net."""
        self.name, self.image, self.extra, self.dom0 = name, image, extra, dom0
        self.disks = list(disks)  # (path, writable)
        self.net, self.ramdisk, self.xl = net, ramdisk, list(xl)
        self.config, self.forwards = config, list(forwards)
        self.input, self.timeout, self.first_limit = input, timeout, first_limit
        self.out = None           # where its console goes (a binary file)
        self.dir = None           # its directory, for a job of batch
        self.status = None        # from its last "rumpxen: exit N" line
        self.ended = None         # ended, crashed, timeout, silent, failed
        self.created = self.first = self.total = None  # seconds from xl create
        self.cpu = None  # the domain's CPU time in seconds, as xl last saw it
        self.xl_status = None  # the status of each try of xl create, "0" at best
        self.address = self.mac = None  # its vif's, with net
        self.dom0_lines = []  # what its dom0 script printed
        self.diag_lines = []  # dom0's view of it, when it stayed silent

    def result(self):
        """The exit status `rumpxen run` gives, and a message when it fails."""
        if self.status is not None:
            return self.status, None
        if self.ended == "crashed":
            return EXIT_FAILURE, "the domU crashed before printing its exit status"
        if self.ended == "timeout":
            return EXIT_TIMEOUT, (f"time limit of {self.timeout:g} s reached before "
                                  "the guest printed its exit status")
        if self.ended == "silent":
            return EXIT_TIMEOUT, (f"the domU printed nothing within {self.first_limit:g} s "
                                  "(its first-output limit); dom0's view of it follows")
        if self.ended is not None:
            return EXIT_FAILURE, f"the domU ended ({self.ended}) without printing its exit status"
        return EXIT_FAILURE, "the full Xen host ended before the domU did"


def xl_string(text):
    """text inside an xl config's double-quoted string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def xl_check_host():
    """Xen's path, once the full host's parts are known to be built."""
    xen = xen_path()
    for f, what in ((xen, "Xen"), (os.path.join(XENHOST_DIR, "vmlinux"), "dom0's kernel"),
                    (os.path.join(XENHOST_DIR, "dom0.cpio"), "dom0's initramfs")):
        if not os.path.isfile(f):
            raise RunError(f"{what} is missing ({f}); run make")
    return xen


def xl_check_job(job):
    """RunError unless job can run: a plain name (not one of the files of
    dom0's /jobs), an image, its files."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,59}", job.name) or job.name in (
            "order", "domain_config"):
        raise RunError(f"a job needs a plain name: {job.name!r}")
    check_image(job.image)
    for path, _ in job.disks:
        if not os.path.isfile(path):
            raise RunError(f"the disk {path} is not a file")
    for f in filter(None, (job.dom0, job.ramdisk, job.config)):
        if not os.path.isfile(f):
            raise RunError(f"{f} is not a file")
    if job.forwards and not job.net:
        raise RunError("a port is forwarded only to a domU with a vif")
    if "\n" in job.extra:
        raise RunError("a domU's command line cannot hold a newline")


def xl_jobs(tmp, jobs, cpus):
    """QEMU's drive options for this run: the jobs (images, settings and
    dom0 scripts, a cpio archive of /jobs that dom0 unpacks) and each
    job's disks, as virtio drives with serial numbers dom0 finds them by.
    On a host of more than one CPU, each domain runs on all but the
    first, which dom0 keeps."""
    root = os.path.join(tmp, "jobroot")
    os.makedirs(os.path.join(root, "jobs"))
    shutil.copyfile(DOMAIN_CONFIG, os.path.join(root, "jobs", "domain_config"))
    drives = []
    for n, job in enumerate(jobs):
        d = os.path.join(root, "jobs", job.name)
        os.makedirs(d)
        shutil.copyfile(job.image, os.path.join(d, "image"))
        args = [f'name="{job.name}"', f'kernel="/jobs/{job.name}/image"',
                f'extra="{xl_string(job.extra)}"']
        if job.ramdisk:
            shutil.copyfile(job.ramdisk, os.path.join(d, "ramdisk"))
            args.append(f'ramdisk="/jobs/{job.name}/ramdisk"')
        if job.dom0:
            shutil.copyfile(job.dom0, os.path.join(d, "dom0"))
        if job.config:
            shutil.copyfile(job.config, os.path.join(d, "domain_config"))
        disks = []
        for i, (path, writable) in enumerate(job.disks):
            k = len(drives) // 4  # four words a drive
            drives += ["-drive", f"file={qemu_escape(os.path.abspath(path))},if=none,id=d{k},"
                       f"format=raw{'' if writable else ',readonly=on'}",
                       "-device", f"virtio-blk-pci,drive=d{k},serial=rxd{k}"]
            disks.append(f"'format=raw,vdev=xvd{chr(ord('a') + i)},"
                         f"access={'rw' if writable else 'ro'},target=@rxd{k}@'")
        if disks:
            args.append(f"disk=[{','.join(disks)}]")
        if job.net:
            host = XL_NET_BASE + n
            job.address = f"192.0.2.{host}"
            job.mac = f"00:16:3e:52:58:{host:02x}"
            args.append(f"vif=['bridge=xenbr0,mac={job.mac},ip={job.address}']")
        if cpus > 1:
            args.append(f'cpus="1-{cpus - 1}"')
        args += job.xl
        with open(os.path.join(d, "xlargs"), "w") as f:
            f.write("".join(a + "\n" for a in args))
        with open(os.path.join(d, "timeout"), "w") as f:
            f.write(f"{int(job.timeout)}\n")
        with open(os.path.join(d, "first"), "w") as f:
            f.write(f"{int(job.first_limit)}\n")
        # For xenctx, when dom0 shows where a silent guest stands.
        with open(os.path.join(d, "symbols"), "wb") as f:
            subprocess.run(["nm", "-n", "--defined-only", job.image], stdout=f,
                           stderr=subprocess.DEVNULL, check=False)
    with open(os.path.join(root, "jobs", "order"), "w") as f:
        f.write("".join(job.name + "\n" for job in jobs))
    out = os.path.join(tmp, "jobs.cpio")
    listing = subprocess.run(["find", "jobs"], cwd=root, capture_output=True, check=True).stdout
    with open(out, "wb") as f:
        subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], cwd=root, input=listing,
                       stdout=f, check=True)
        f.truncate(-(-f.tell() // 512) * 512)  # a drive holds whole sectors
    drives += ["-drive", f"file={qemu_escape(out)},if=none,id=jobs,format=raw,readonly=on",
               "-device", "virtio-blk-pci,drive=jobs,serial=rxjobs"]
    return drives


def xl_forward_devices(jobs):
    """QEMU's options for the jobs' forwarded ports: dom0 gets a virtio NIC
    on QEMU's user network, which dom0-init bridges into xenbr0, the
    network being xenbr0's own (192.0.2.0/24, QEMU at 192.0.2.2) and
    isolated (restrict=on: nothing leaves for any address beyond this
    machine's loopback); each forward listens on its host address
    (127.0.0.1 unless told) and goes to its domU's address. None without
    forwards; RunError for a host port that cannot be had."""
    rules = []
    for job in jobs:
        for host, port, guest_port in job.forwards:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                # As QEMU will listen: a connection of an earlier run in
                # TIME_WAIT does not keep it from the port.
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    s.bind((host, port))
                    s.listen()
                except OSError as e:
                    raise RunError(f"cannot listen on {host}:{port} to forward it: "
                                   f"{e.strerror} (another port, then?)")
            rules.append(f"hostfwd=tcp:{host}:{port}-{job.address}:{guest_port}")
    if not rules:
        return []
    return ["-netdev", ",".join(["user,id=fwd,restrict=on,ipv6=off,net=192.0.2.0/24",
                                 "host=192.0.2.2,dhcpstart=192.0.2.200", *rules]),
            "-device", "virtio-net-pci,netdev=fwd"]


def xl_forward_say(job):
    """Tells the user, once job runs, where its forwarded ports answer."""
    for host, port, guest_port in job.forwards:
        sys.stderr.write(f"rumpxen: {job.name}'s port {guest_port} ({job.address}) is "
                         f"http://{host}:{port}/ here; Ctrl-C ends it\n")
    sys.stderr.flush()


class XlChannel:
    """Reads dom0's channel: streams each job's console to its job.out as it
    comes (a partial line too, unless it may be a marker), and records each
    job's last status line, how it ended and its timings."""

    def __init__(self, jobs):
        """A channel that knows jobs (XlJob) by their names."""
        self.jobs = {j.name: j for j in jobs}
        self.buf = b""
        self.shown = 0
        self.job = None
        self.ready = self.done = False
        self.blanks = 0  # empty lines held back: dom0 ends each job with one

    def feed(self, data):
        """Takes the next bytes of the channel."""
        self.buf += data
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            self._line(line.rstrip(b"\r"))
            self.shown = 0
        part = self.buf.rstrip(b"\r")
        if self.job and self.shown < len(part) and not (
                self.shown == 0 and (part.startswith(b"@@") or b"@@".startswith(part))):
            self._write(part[self.shown:])
            self.shown = len(part)
        if self.job:
            self.job.out.flush()

    def _write(self, text):
        """Writes text to the running job's console, after held-back blank lines."""
        self.job.out.write(b"\n" * self.blanks + text)
        self.blanks = 0

    def _line(self, line):
        """Takes a whole line: a marker, or the running job's console."""
        m = JOB_RE.match(line) if not self.shown else None
        if m:
            self._marker(m.group(1).decode(), m.group(2),
                         m.group(3).decode(errors="replace"))
            return
        h = HOST_RE.match(line) if not self.shown else None
        if h:
            self.ready = True
            self.done = self.done or h.group(1) == b"done"
            return
        w = WARN_RE.match(line) if not self.shown else None
        if w:
            fail("dom0: " + w.group(1).decode(errors="replace"))
            return
        if self.job is None:
            return
        if not line and not self.shown:
            self.blanks += 1
            return
        self._write(line[self.shown:] + b"\n")
        st = STATUS_RE.match(line)
        if st:
            self.job.status = int(st.group(1))

    def _marker(self, name, what, rest):
        """Takes dom0's marker what (begin, dom0, diag, end) about job name."""
        job = self.jobs.get(name)
        if job is None:
            return
        self.blanks = 0
        words = rest.split()
        if what == b"begin":
            self.job = job
        elif what == b"dom0":
            job.dom0_lines.append(" ".join(words))
        elif what == b"diag":
            job.diag_lines.append(rest)
        else:
            job.ended = words[0] if words else "?"
            for w in words[1:]:
                key, _, value = w.partition("=")
                if key in ("created", "first", "total", "cpu") and value != "-":
                    setattr(job, key, float(value))
                elif key == "xl":
                    job.xl_status = value
            self.job = None


class Typist:
    """Carries bytes to dom0's input port (a QEMU socket chardev), which
    dom0 types on the console of the job that runs, or of the next one. A
    job's own input is sent when dom0 begins it; bytes from the runner's
    stdin (run --xl) are sent as they come."""

    def __init__(self, path, stdin):
        """A typist for the socket path, reading the fd stdin if not None."""
        self.path, self.sock = path, None
        self.pending = []
        self.sent_to = set()
        self.lock = threading.Lock()
        if stdin is not None:
            threading.Thread(target=self._read, args=(stdin,), daemon=True).start()

    def _read(self, fd):
        """Collects what comes on fd, until its end (a thread of its own)."""
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.pending.append(data)

    def pump(self, job):
        """Sends what is due, job being the one dom0 runs (or None)."""
        with self.lock:
            data = b"".join(self.pending)
            self.pending = []
        if job is not None and job.name not in self.sent_to:
            self.sent_to.add(job.name)
            data = job.input + data
        if not data:
            return
        if self.sock is None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(self.path)
        self.sock.sendall(data)

    def close(self):
        """Closes the socket, if it was opened."""
        if self.sock is not None:
            self.sock.close()


def xl_host(jobs, tmp, log=None, verbose_out=None, stdin=None, cpus=1):
    """Boots the full host once, with cpus CPUs (more than one: dom0's
    vCPU pinned to the first), and runs jobs (each job.out set); fills in
    each job's result. Returns the seconds the host took to be ready, or
    None if it never was; the Xen/dom0 serial log goes to log if given."""
    xen = xl_check_host()
    qemu = find_qemu()
    drives = xl_jobs(tmp, jobs, cpus)
    chan = os.path.join(tmp, "channel.log")
    sock = os.path.join(tmp, "input.sock")
    open(chan, "wb").close()
    dom0 = [os.path.join(XENHOST_DIR, "vmlinux"), os.path.join(XENHOST_DIR, "dom0.cpio")]
    modules = (qemu_escape(f"{dom0[0]} console=hvc0 rdinit=/init loglevel=4")
               + "," + qemu_escape(dom0[1]))
    devices = ["-device", "virtio-serial-pci", "-chardev", f"file,id=chan,path={chan}",
               "-device", "virtserialport,chardev=chan,name=rumpxen",
               "-chardev", f"socket,id=in,path={sock},server=on,wait=off",
               "-device", "virtserialport,chardev=in,name=rumpxen-in"] + drives
    devices += xl_forward_devices(jobs)
    limit = XL_HOST_S + sum(j.timeout for j in jobs)
    options = XL_XEN_OPTIONS
    if cpus > 1:
        options += " dom0_vcpus_pin"
        devices += ["-smp", str(cpus)]
    qemu = Qemu(tmp, qemu, xen, True, 1024, options, modules, devices)
    channel = XlChannel(jobs)
    sink = verbose_out or open(os.devnull, "wb")
    console = Console(sink, verbose_out is not None)
    typist = Typist(sock, stdin)
    start = time.monotonic()
    ready = None
    announced = set()

    def decide(exited, quiet):
        """Sends what is due to dom0, says where a job that began
        answers; "ended" once the host is done or gone, "timeout" past
        its time limit."""
        nonlocal ready
        if ready is None and channel.ready:
            ready = time.monotonic() - start
        if channel.job is not None and channel.job.name not in announced:
            announced.add(channel.job.name)
            xl_forward_say(channel.job)
        if channel.ready:  # QEMU made the socket long before
            typist.pump(channel.job)
        if not quiet:
            return None
        if exited or channel.done:
            return "ended"
        if time.monotonic() - start > limit:
            fail(f"the full Xen host ran past its time limit of {limit:g} s")
            return "timeout"
        return None

    qemu_failed = None  # what QEMU said, when it ended on its own with an error
    try:
        qemu.follow([(chan, channel), (qemu.serial, console)], decide)
        if qemu.proc.poll() not in (None, 0) and not channel.done:
            qemu_failed = f"status {qemu.proc.returncode}: {qemu.output()}"
    finally:
        qemu.stop()
        typist.close()
        if sink is not verbose_out:
            sink.close()
        if log:
            shutil.copyfile(qemu.serial, log)
    if not channel.done:
        sys.stderr.write("rumpxen: the full Xen host's last lines:\n" + console.xen_lines(40))
        if qemu_failed:
            fail(f"QEMU exited with {qemu_failed}")
    return ready


def run_forward(spec):
    """(host address, host port, guest port) of --forward's
    [ADDRESS:]PORT:GUESTPORT (the address 127.0.0.1 unless given)."""
    words = spec.split(":")
    if len(words) == 2:
        words.insert(0, "127.0.0.1")
    if len(words) != 3 or not all(w.isdigit() and 0 < int(w) < 65536 for w in words[1:]):
        raise RunError(f"--forward wants [ADDRESS:]PORT:GUESTPORT, not {spec!r}")
    try:
        # QEMU takes only a dotted IPv4 address there.
        host = str(ipaddress.IPv4Address(words[0]))
    except ValueError:
        raise RunError(f"--forward's ADDRESS is an IPv4 address, not {words[0]!r}") from None
    return host, int(words[1]), int(words[2])


def run_xl_job(opts):
    """The domU of `run --xl`, from the options or, with --domain-config,
    from that file: its image, command line, disks and vif."""
    # A program may be silent for as long as it likes: only jobs of test
    # scripts have a first-output limit.
    limit = opts.timeout or 10 ** 6
    forwards = [run_forward(f) for f in opts.forward]
    if opts.domain_config:
        if opts.image or opts.args or opts.disk or opts.net or opts.config:
            raise RunError("with --domain-config, the image, its arguments, "
                           "configuration, disks and vif come from that file")
        name, image, extra, disks, net = domconf_job(opts.domain_config)
        return XlJob(name, image, extra, dom0=opts.dom0_script, disks=disks, net=net,
                     config=opts.domain_config, forwards=forwards, timeout=limit,
                     first_limit=limit)
    if not opts.image:
        raise RunError("no image to boot")
    disks = []
    for d in opts.disk:
        path, _, mode = d.partition(":")
        if mode not in ("", "ro", "rw"):
            raise RunError(f"--disk wants FILE or FILE:ro, not {d!r}")
        disks.append((path, mode != "ro"))
    return XlJob("rx1", opts.image, guest_cmdline(opts.config, opts.args),
                 dom0=opts.dom0_script, disks=disks, net=opts.net, forwards=forwards,
                 timeout=limit, first_limit=limit)


def run_xl(opts, tmp):
    """`rumpxen run --xl`: the one domU of the full host (run_xl_job);
    returns the runner's exit status."""
    job = run_xl_job(opts)
    xl_check_job(job)
    job.out = sys.stdout.buffer
    xl_host([job], tmp, log=opts.log, verbose_out=sys.stdout.buffer if opts.verbose else None,
            stdin=0)
    for line in job.dom0_lines:
        sys.stderr.write(f"dom0: {line}\n")
    status, message = job.result()
    if message:
        fail(message)
    sys.stderr.write("".join(l + "\n" for l in job.diag_lines))
    return status
