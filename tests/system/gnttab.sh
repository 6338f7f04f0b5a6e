# Tier 3: grant tables. A domU grants 1,000 pages to dom0, which maps and
# checks each (gnttab.dom0, tools/xenhost/gntcheck.c); every grant then
# ends, and a full table refuses more.
. "$(dirname "$0")/../lib.bash"

boot --xl --dom0-script tests/system/gnttab.dom0 "$GUESTS/gnt.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: dom0 mapped every page and found its pattern$'
expect_grep "$out" '^ok: every grant ended: dom0 had let go of them$'
echo ok
