# Tier 3: netfront carries frames. dom0's packet program sends 10,000
# frames of 60 to 1514 bytes through the bridge to the guest's vif (at
# most 64 outstanding, a frame not echoed within a second sent again, up
# to 5 times); the guest (echo/frame_echo.c) echoes each through the
# if_virt hypercalls. Every frame must come back unaltered; resends are
# counted and reported, not failed.
#@ net
#@ image build/tests/system/frame_echo.elf
#@ dom0 tests/system/frames.dom0
#@ timeout 300
#@ expect 30
. "$(dirname "$0")/../lib.bash"
cat "$out"
cat "$job/dom0.out" 2>/dev/null || true
expect_rc 0
expect_grep "$out" '^virt0 is [0-9a-f:]{17}, ready to echo$'
expect_grep "$out" '^dom0: ok: 10000 frames echoed unaltered, [0-9]+ resends; socket drops [0-9]+$'
expect_grep "$out" '^model violations: 0$'
echo ok
