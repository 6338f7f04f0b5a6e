"""treelist DIR: each entry under DIR, one a line, sorted: its path, type
(d, l, f), permission bits (no more: debugfs's rdump restores no more),
size (not a directory's: file systems size them their own way) and a
symlink's target. Two trees with the same listing and the same bytes
(diff -r) are the same to the ext2 tests."""

import os
import stat
import sys


def listing(top):
    lines = []
    for base, dirs, files in os.walk(top):
        for name in dirs + files:
            path = os.path.join(base, name)
            st = os.lstat(path)
            kind = ("d" if stat.S_ISDIR(st.st_mode) else
                    "l" if stat.S_ISLNK(st.st_mode) else "f")
            size = "-" if kind == "d" else str(st.st_size)
            link = os.readlink(path) if kind == "l" else ""
            lines.append(" ".join([os.path.relpath(path, top), kind,
                                   oct(st.st_mode & 0o777), size, link]))
    return sorted(lines)


if __name__ == "__main__":
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: treelist DIR")
    print("\n".join(listing(sys.argv[1])))
