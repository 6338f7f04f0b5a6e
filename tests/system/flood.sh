# Tier 3: 1 MiB of console output (the flood guest) goes through the
# domU's console ring, xenconsoled and dom0's channel whole and in order.
#@ image build/tests/runner/flood.elf
#@ expect 16
. "$(dirname "$0")/../lib.bash"
expect_rc 0
tests/flood_check "$out" || fail "the console lost or changed bytes"
echo ok
