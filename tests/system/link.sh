# Tier 3: netfront's link state and detach. The echo guest echoes 100
# frames; then dom0 takes its vif away with `xl network-detach` (which
# waits for the frontend to close); netfront reports the link down and
# closes its side, and at the guest's end takes every grant back with no
# complaint.
#@ net
#@ image build/tests/system/frame_echo.elf
#@ dom0 tests/system/link.dom0
#@ expect 12
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
expect_grep "$out" '^dom0: ok: 100 frames echoed unaltered'
expect_grep "$out" '^netfront vif0: link down: backend /local/domain/0/backend/vif/[0-9]+/0 in state [0-9]+$'
if grep '^netfront' "$out" | grep -v 'link down'; then fail "netfront complained"; fi
echo ok
