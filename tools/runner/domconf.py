"""Domain configs as xl reads them, for `run --xl --domain-config FILE`:
the settings (`KEY = VALUE`, a value a quoted string, with xl's escapes,
a number or a list of strings in brackets, `#` to the end of a line a
comment), and what the
runner takes from them to boot the domU on the full host: its image, its
command line, its disks (xl's KEY=VALUE form, `target=` last) and
whether it has a vif. The file itself also goes to dom0, where xl reads
it (memory, vcpus...), with the runner's own name, kernel, disk and vif
given after it."""

import os
import re

from .common import RunError

TOKEN_RE = re.compile(r"""\s+|\#[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'
                      |[A-Za-z_][A-Za-z0-9_]*|-?[0-9]+(?:\.[0-9]+)?|[=\[\],;]""", re.X)
# xl's escapes in quoted strings (libxlu's dequoting): these letters, \xHH
# and octal; any other character after a backslash is an error.
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
           "v": "\v", "\\": "\\", "'": "'", '"': '"'}
ESCAPE_RE = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)")


def domconf_dequote(body, path, line):
    """The quoted string's body with xl's escapes decoded; RunError for
    one xl refuses."""
    def one(m):
        e = m.group(1)
        if e in ESCAPES:
            return ESCAPES[e]
        if e[0] == "x" and len(e) > 1:
            return chr(int(e[1:], 16))
        if e[0] in "01234567":
            return chr(int(e, 8))
        raise RunError(f"{path}:{line}: xl takes no escape \\{e} in a string")
    return ESCAPE_RE.sub(one, body)


def domconf_tokens(text, path):
    """The tokens of text (comments and blanks left out), each a
    (kind, value, line) triple; RunError at the first character that
    starts none."""
    tokens, pos, line = [], 0, 1
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise RunError(f"{path}:{line}: xl cannot read {text[pos:pos + 20]!r}")
        tok = m.group(0)
        if tok[0] in "\"'":
            tokens.append(("string", domconf_dequote(tok[1:-1], path, line), line))
        elif tok[0].isalpha() or tok[0] == "_":
            tokens.append(("name", tok, line))
        elif tok[0].isdigit() or tok[0] == "-":
            tokens.append(("number", tok, line))
        elif not tok.isspace() and tok[0] != "#":
            tokens.append(("punct", tok, line))
        line += tok.count("\n")
        pos = m.end()
    return tokens


def domconf_parse(path):
    """The settings of the domain config at path, a dict of strings,
    numbers (as their text) and lists of strings; RunError, naming the
    file and line, for what xl would not read."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        raise RunError(f"cannot read the domain config {path}: {e.strerror}")
    tokens, i, settings = domconf_tokens(text, path), 0, {}

    def take(kind, value=None):
        """The next token, which must be of kind (and value)."""
        nonlocal i
        if i >= len(tokens):
            raise RunError(f"{path}: the file ends where xl wants a {value or kind}")
        k, v, line = tokens[i]
        if k != kind or (value is not None and v != value):
            raise RunError(f"{path}:{line}: xl wants a {value or kind}, not {v!r}")
        i += 1
        return v

    while i < len(tokens):
        if tokens[i][:2] == ("punct", ";"):
            i += 1
            continue
        key = take("name")
        take("punct", "=")
        if i < len(tokens) and tokens[i][:2] == ("punct", "["):
            i += 1
            items = []
            while tokens[i:i + 1] and tokens[i][:2] != ("punct", "]"):
                items.append(take("string"))
                if tokens[i:i + 1] and tokens[i][:2] == ("punct", ","):
                    i += 1
            take("punct", "]")
            settings[key] = items
        elif i < len(tokens) and tokens[i][0] in ("string", "number"):
            settings[key] = tokens[i][1]
            i += 1
        else:
            raise RunError(f"{path}: {key} wants a string, a number or a list")
    return settings


def domconf_disk(spec, index, path):
    """(file, writable) of the disk spec (xl's KEY=VALUE form, target=
    last), which must be vdev xvd of the index-th letter, as the runner
    gives them; RunError otherwise."""
    head, sep, target = spec.partition("target=")
    if not sep or not target:
        raise RunError(f"{path}: the disk {spec!r} has no target= (the runner "
                       "reads only xl's KEY=VALUE form, target= last)")
    words = dict(w.partition("=")[::2] for w in head.split(",") if w)
    vdev = f"xvd{chr(ord('a') + index)}"
    if words.get("vdev") != vdev:
        raise RunError(f"{path}: the disk {spec!r} must be vdev={vdev} (the runner "
                       "gives the disks xvda, xvdb... in order)")
    if words.get("format", "raw") != "raw":
        raise RunError(f"{path}: the disk {spec!r} is not format=raw")
    access = words.get("access", "rw")
    if access not in ("ro", "r", "rw", "w"):
        raise RunError(f"{path}: the disk {spec!r} has access={access}")
    return target, access in ("rw", "w")


def domconf_job(path):
    """What the runner boots from the domain config at path: (name, image,
    command line, disks as (file, writable), whether it has a vif), the
    files named as xl would find them from the current directory;
    RunError for what the runner cannot give the domU."""
    conf = domconf_parse(path)
    name = conf.get("name", "rx1")
    if not isinstance(name, str):
        raise RunError(f"{path}: name is not a string")
    image = conf.get("kernel")
    if not isinstance(image, str) or not image:
        raise RunError(f"{path}: no kernel = \"IMAGE\"")
    extra = conf.get("extra", "")
    if not isinstance(extra, str):
        raise RunError(f"{path}: extra is not a string")
    disks = conf.get("disk", [])
    vifs = conf.get("vif", [])
    if not isinstance(disks, list) or not isinstance(vifs, list):
        raise RunError(f"{path}: disk and vif are lists")
    if len(vifs) > 1:
        raise RunError(f"{path}: the runner gives a domU one vif, not {len(vifs)}")
    for vif in vifs:
        bridge = dict(w.partition("=")[::2] for w in vif.split(",")).get("bridge")
        if bridge not in (None, "xenbr0"):
            raise RunError(f"{path}: the vif {vif!r} is not on xenbr0, dom0's bridge")
    found = [domconf_disk(d, n, path) for n, d in enumerate(disks)]
    for f, _ in [(image, None), *found]:
        if not os.path.isfile(f):
            raise RunError(f"{path} names {f}, which is not a file here (run make)")
    return name, image, extra, found, bool(vifs)
