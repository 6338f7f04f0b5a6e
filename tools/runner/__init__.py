"""rumpxen: boots rumpxen images under the emulated Xen host, and runs tests.

  rumpxen run [--timeout S] [--verbose] [--ramdisk FILE] [--log FILE] IMAGE [ARG...]
  rumpxen run --xl [--dom0-script F] [--disk FILE[:ro]]... [--net] [--forward P:GP]... IMAGE [ARG...]
  rumpxen run --xl --domain-config FILE [--forward [ADDRESS:]PORT:GUESTPORT]...
  rumpxen batch OUTDIR SCRIPT...
  rumpxen test [-j N] [--shuffle SEED] [--out DIR] TEST...
  rumpxen stress [--rounds N] [--seed S] [--out DIR] SCRIPT...

`run` boots IMAGE as dom0 of Debian's Xen under qemu-system-x86_64 (TCG, no
KVM needed), with ARGs as the guest's arguments and, in its configuration,
testhost=1 (only then does the guest end QEMU through the isa-debug-exit
port), hosttime=NS (the host's clock, in ns since the epoch) and each
--config KEY=VALUE. QEMU writes the serial console to a file, which never
loses a byte; the runner follows that file and streams the guest's console
to stdout as it comes, keeping Xen's own lines (those that start with "(XEN)") for --verbose
or a crash report. The exit status is the N of the guest's last
"rumpxen: exit N" line, whatever else happens. Without that line the runner
fails with a line on stderr that starts "rumpxen run:" and its own status:
124 for the time limit, 125 when the guest crashed or shut down without a
status (Xen's register dump follows on stderr), QEMU failed, or the runner
could not start; 2 for a usage error. $RUMPXEN_QEMU names another QEMU
binary (the runner's tests use it to make QEMU fail).

`run --xl` boots the full Xen host instead (Debian's Linux as dom0) and
runs IMAGE there as a domU under xl, with the same exit statuses; `batch`
runs the domUs that test scripts describe in one boot of it (see xlhost.py,
and jobs.py for the scripts' "#@" directives). In every mode each --config
word (or "#@ config" word) must be KEY=VALUE without spaces or quotes, and
the guest's command line must fit Xen's 1023 bytes: `run` fails with 125
otherwise, and a job of `batch` or `test` fails alone, its err naming its
script.

`test` runs tests in parallel (default: one per core) and ends with the line
"N passed, N failed". A test is a host program (run as it is), a boot image
(*.elf, run through `run`, passing by exit status 0) or a shell script
(*.sh, run with bash, with $RUMPXEN naming this tool); a script that
describes a job of the full host (#@ lines) is run after its job ran in a
shared boot of the host, with $RUMPXEN_JOB naming the job's directory.
Jobs are packed into boots by the time their scripts expect (#@ expect),
or shuffled across them with --shuffle SEED. `stress` runs the job
scripts N times, each round shuffled with its own seed, and reports the
failures and the jobs' times.

The modules:
  cli.py      the command line; every way out ends the children
  common.py   exit statuses, the runner's own failures, paths
  procs.py    children, temporary files, the signals that end the runner
  guest.py    the guest's image and its command line, for every mode
  console.py  Xen's serial console: the guest's lines, Xen's, the status
  qemu.py     the QEMU launcher (both tiers) and its one polling loop
  dom0.py     `run`: the image as dom0
  xlhost.py   the full Xen host: `run --xl` and the jobs of a boot
  domconf.py  xl's domain configs, read for `run --xl --domain-config`
  jobs.py     job scripts' directives (listed there) and `batch`
  testrun.py  `test` and `stress`
"""
