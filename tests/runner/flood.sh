# Nothing of the guest's console is lost: the flood guest prints 1 MiB
# (16384 lines of 64 bytes) and the runner must pass on every byte, in
# order, before the status line.
. "$(dirname "$0")/../lib.bash"

boot "$GUESTS/flood.elf"
expect_rc 0
tests/flood_check "$out" || fail "the console lost or changed bytes"
echo ok
