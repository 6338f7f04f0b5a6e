"""What every part of the runner shares: its exit statuses, its own
failures (RunError, reported as one "rumpxen run:" line) and where the
tree and the cache are."""

import os
import sys

EXIT_TIMEOUT = 124
EXIT_FAILURE = 125

# tools/, where the entry script (tools/rumpxen) and this package live.
TOOLS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENTRY_SCRIPT = os.path.join(TOOLS_DIR, "rumpxen")


class RunError(Exception):
    """A failure of the runner itself: printed as one line, exit 125."""


def fail(message):
    """Prints a failure of the runner: one line on stderr, after stdout."""
    sys.stdout.flush()
    sys.stderr.write(f"rumpxen run: {message}\n")
    sys.stderr.flush()


def cache_dir():
    """Where tools/deps keeps Xen and the other downloads."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.environ.get("RUMPXEN_CACHE") or os.path.join(base, "rumpxen")


def xen_path():
    """Debian's Xen, as tools/deps leaves it in the cache."""
    return os.path.join(cache_dir(), "xen", "xen.elf")
