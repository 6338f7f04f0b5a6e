# NetBSD's TCP/IP on a Xen vif: a domU under xl with the NetBSD rump
# kernel and its network libraries linked (netbsd_xennet.c) runs the whole
# NetBSD test of netbsd_rump.c, with FFS on a vbd; then brings up virt0 on
# netfront with the address xl gave its vif, answers 1,000 pings from dom0
# (none lost after resends) and echoes 1 MiB over TCP byte for byte.
#@ setup mkdir tree && "$ROOT/build/tests/rump/mktree" tree && makefs -t ffs -s 8m ffs.img tree >/dev/null
#@ disk ffs.img
#@ net
#@ config disk=/dev/xvda
#@ image build/tests/rump/netbsd_xennet.elf
#@ dom0 tests/rump/xennet.dom0
#@ timeout 360
#@ expect 36
. "$(dirname "$0")/../lib.bash"
needs_rump_guest "$GUESTS/netbsd_xennet.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: mounted again, the new file reads back$'
expect_grep "$out" '^echoed 1048576 bytes over TCP$'
expect_grep "$out" '^dom0: ok: pings: 1000 of 1000 answered \([0-9]+ resent\); tcp: ok: 1048576 bytes echoed byte for byte'
echo ok
