# A guest that faults before it has a status line is reported as soon as
# Xen says the domain crashed: status 125 (not the 124 of the long time
# limit), a "rumpxen run:" line, and Xen's register dump on stderr.
. "$(dirname "$0")/../lib.bash"

boot "$GUESTS/crash_early.elf"
expect_rc 125
expect_grep "$out" '^about to fault$'
if grep -q 'still alive' "$out"; then fail "the guest went on after the fault"; fi
expect_grep "$err" '^rumpxen run: the guest ended without printing its exit status'
expect_grep "$err" 'RIP:'
expect_grep "$err" 'crashed'
echo ok
