# Tier 3: a domU that faults reports it and exits 139 (the platform's own
# trap report); one that Xen has to crash (no status line) is reported as
# crashed by the runner, from xl, with its own status 125.
. "$(dirname "$0")/../lib.bash"

boot --xl build/tests/boot/fault.elf null
expect_rc 139
expect_grep "$out" '<fault_null\+0x[0-9a-f]+>'

boot --xl build/tests/runner/crash_early.elf
expect_rc 125
expect_grep "$err" '^rumpxen run: the domU crashed before printing its exit status'
echo ok
