# Tier 3: `xl shutdown` (shutdown.dom0) ends a sleeping guest cleanly,
# with status 0.
#@ image build/tests/system/sleeper.elf
#@ dom0 tests/system/shutdown.dom0
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
expect_grep "$out" '^rumpxen: the toolstack asked for poweroff$'
echo ok
