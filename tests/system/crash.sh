# Tier 3: a domU that Xen has to crash (no status line) is reported as
# crashed by the runner, from xl, with its own status 125.
#@ image build/tests/runner/crash_early.elf
. "$(dirname "$0")/../lib.bash"
expect_rc 125
expect_grep "$err" '^rumpxen run: the domU crashed before printing its exit status'
echo ok
