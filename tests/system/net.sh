# Tier 3: a vif on dom0's bridge. The guest reads its vif's backend, MAC
# and address (the runner's ip= option) from xenstore; dom0's part
# (net.dom0) finds dom0's end of the vif on the bridge, which holds dom0's
# fixed address. (Frames come with netfront.)
#@ net
#@ image build/tests/system/devices.elf vif mac back:ip back:bridge back:hotplug-status
#@ dom0 tests/system/net.dom0
#@ expect 9
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
eval "$(cat "$job/vif")"
expect_grep "$out" "^vif 0: backend=/local/domain/0/backend/vif/[0-9]+/0 mac=$mac back:ip=$ip back:bridge=xenbr0 back:hotplug-status=connected$"
expect_grep "$out" '^dom0: vif[0-9]+\.0 is on xenbr0, which has 192\.0\.2\.1/24$'
echo ok
