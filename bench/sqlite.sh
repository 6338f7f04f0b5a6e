#!/bin/bash
# bench/sqlite.sh: SQLite on rumpxen against a Linux domU, like with like:
# bench/like.sh on bench/sqlite.list (bench/programs/sqlite.c with the
# amalgamation of Debian's sqlite3, built with both compilers), in a boot
# of the full host of its own. Prints a Markdown section; draws
# bench/sqlite.png.
exec bash "$(dirname "$0")/like.sh" "$(dirname "$0")/sqlite.list"
