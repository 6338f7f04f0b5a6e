"""The command line: parses it, runs the command, and makes sure that every
way out of the runner ends its children and removes its temporary files."""

import argparse
import faulthandler
import os
import signal
import sys
import time

from . import __doc__ as RUNNER_DOC
from .common import EXIT_FAILURE, RunError, fail
from .dom0 import run_dom0
from .jobs import JobScript, batch
from .procs import Interrupted, clean_up, make_temp, on_signal, remove_temp
from .testrun import cmd_stress, cmd_test
from .xlhost import run_xl


def main():
    """Parses the command line and runs the command; every way out ends
    the runner's children and removes its temporary files."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    # SIGUSR1 shows where each of the runner's threads stands, on stderr.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    try:
        return command(parse_args())
    except Interrupted as e:
        fail(f"ended by {e}")
        return 128 + e.signum
    finally:
        clean_up()


def parse_args():
    """The command line, parsed."""
    ap = argparse.ArgumentParser(prog="rumpxen", description=RUNNER_DOC.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="boot an image under the emulated Xen host")
    r.add_argument("--timeout", type=float, default=0,
                   help="seconds before giving up (default: none)")
    r.add_argument("--verbose", action="store_true", help="show Xen's own lines too")
    r.add_argument("--ramdisk", help="a file to attach as the guest's RAM disk")
    r.add_argument("--memory", type=int, default=64, help="dom0 memory in MiB (default 64)")
    r.add_argument("--log", help="keep the whole serial log in this file")
    r.add_argument("--xl", action="store_true",
                   help="run IMAGE as a domU under xl on the full Xen host")
    r.add_argument("--dom0-script", help="with --xl: a shell script dom0 runs beside "
                   "the domU, with DOMID and NAME set")
    r.add_argument("--disk", action="append", default=[], metavar="FILE[:ro]",
                   help="with --xl: a disk for the domU, xvda, xvdb... (repeatable)")
    r.add_argument("--net", action="store_true",
                   help="with --xl: a vif on dom0's bridge (dom0 is 192.0.2.1)")
    r.add_argument("--domain-config", metavar="FILE",
                   help="with --xl: the domU's image, command line, memory, disks "
                   "and vif from this domain config (xl's), not from the options")
    r.add_argument("--forward", action="append", default=[],
                   metavar="[ADDRESS:]PORT:GUESTPORT",
                   help="with --xl and a vif: the host's TCP port PORT (on 127.0.0.1 "
                   "unless ADDRESS) goes to the domU's GUESTPORT (repeatable)")
    r.add_argument("--config", action="append", default=[], metavar="KEY=VALUE",
                   help="a word of the guest's configuration (repeatable)")
    r.add_argument("--cpu-time", help="write the CPU seconds QEMU used to this file")
    r.add_argument("image", nargs="?")
    r.add_argument("args", nargs=argparse.REMAINDER)
    t = sub.add_parser("test", help="run tests in parallel")
    t.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    t.add_argument("--out", default=os.path.join("build", "tests"),
                   help="where logs, job results and the summary go")
    t.add_argument("--timeout", type=float, default=300,
                   help="seconds for one boot (catches hangs only)")
    t.add_argument("--shuffle", type=int, metavar="SEED",
                   help="shuffle the jobs across boots of the full host with this seed")
    t.add_argument("tests", nargs="*")
    st = sub.add_parser("stress", help="run the job scripts many times, shuffled")
    st.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    st.add_argument("--out", default=os.path.join("build", "stress"),
                    help="where each round's logs and job results go")
    st.add_argument("--rounds", type=int, default=5)
    st.add_argument("--seed", type=int, default=int(time.time()) % 100000,
                    help="the first round's seed (default: from the clock)")
    st.add_argument("--timeout", type=float, default=300,
                    help="seconds a test script may take to judge its job")
    st.add_argument("tests", nargs="*")
    b = sub.add_parser("batch", help="run test scripts' jobs in one boot of the full host")
    b.add_argument("--timeout", type=float,
                   help="a job's time limit when its script gives none (default: ten "
                   "times what it expects, a minute at least)")
    b.add_argument("--cpus", type=int, default=1,
                   help="CPUs for the emulated host (default 1); with more, dom0 keeps "
                   "the first to itself and the jobs' domains run on the others")
    b.add_argument("outdir")
    b.add_argument("scripts", nargs="+")
    return ap.parse_args()


def command(opts):
    """Runs the command opts name; returns the runner's exit status."""
    if opts.cmd == "batch":
        try:
            batch(opts.outdir, [JobScript(s, opts.timeout) for s in opts.scripts],
                  cpus=opts.cpus)
        except RunError as e:
            fail(str(e))
            return EXIT_FAILURE
        return 0
    if opts.cmd == "stress":
        return cmd_stress(opts)
    return cmd_run(opts) if opts.cmd == "run" else cmd_test(opts)


def cmd_run(opts):
    """rumpxen run: the image as dom0, or with --xl as a domU of the full host."""
    if not opts.xl and (opts.domain_config or opts.forward):
        fail("--domain-config and --forward are options of --xl")
        return 2
    if not opts.xl and not opts.image:
        fail("no image to boot")
        return 2
    tmp = make_temp("rumpxen-run.")
    try:
        return run_xl(opts, tmp) if opts.xl else run_dom0(opts, tmp)
    except RunError as e:
        fail(str(e))
        return EXIT_FAILURE
    except BrokenPipeError:
        # Our reader went away (`| head`): QEMU is stopped already; end
        # quietly, as a Unix tool killed by SIGPIPE would.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    finally:
        remove_temp(tmp)
