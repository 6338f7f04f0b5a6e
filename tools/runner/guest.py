"""What a guest is given, the same in every mode (run, run --xl, batch
jobs): its image, checked, and its command line, built by guest_cmdline."""

import re

from .common import RunError

# The longest command line Xen passes on, in bytes: its start_info's
# cmd_line holds 1024 with the terminating NUL (MAX_GUEST_CMDLINE).
CMDLINE_MAX = 1023


def guest_quote(word):
    """Quotes a word as the guest's command-line splitter (lib/cmdline.c) reads it."""
    if word and not re.search(r'[\s"\\]', word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def guest_cmdline(config, args, fixed=(), source="--config"):
    """The guest's command line: the configuration words (fixed ones of
    the runner's own, then config, each KEY=VALUE), "--", then args
    quoted; RunError, naming source, for a word of config that is not
    KEY=VALUE without spaces or quotes, and for a line Xen would cut."""
    for word in config:
        if "=" not in word or word.startswith("=") or re.search(r'[\s"\\]', word):
            raise RunError(f"{source} wants KEY=VALUE without spaces or quotes: {word!r}")
    cmdline = " ".join([*fixed, *config, "--", *map(guest_quote, args)])
    if len(cmdline.encode()) > CMDLINE_MAX:
        raise RunError(f"the guest's command line is longer than Xen's {CMDLINE_MAX} bytes")
    return cmdline


def check_image(path):
    """RunError unless path is a readable ELF file."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as e:
        raise RunError(f"cannot read the image {path}: {e.strerror}")
    if magic != b"\x7fELF":
        raise RunError(f"{path} is not an ELF image")
