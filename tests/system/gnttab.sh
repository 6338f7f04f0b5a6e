# Tier 3: grant tables. A domU grants 1,000 pages to dom0, which maps and
# checks each (gnttab.dom0, tools/xenhost/gntcheck.c); every grant then
# ends; a grant dom0 holds mapped cannot end until dom0 lets go; and a
# full table refuses more.
#@ image build/tests/system/gnt.elf
#@ dom0 tests/system/gnttab.dom0
#@ expect 13
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: dom0 mapped every page and found its pattern$'
expect_grep "$out" '^ok: every grant ended: dom0 had let go of them$'
expect_grep "$out" '^ok: a grant dom0 holds mapped ends only once dom0 let go$'
expect_grep "$out" '^ok: a full table refuses with ENOSPC$'
echo ok
