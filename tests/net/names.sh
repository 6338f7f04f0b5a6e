# DHCP and names: the guest's vif has no address from xl, so it asks
# DHCP (busybox's udhcpd in dom0, names.dom0), and takes the lease's
# address and DNS server, which /etc/resolv.conf names; musl's resolver
# then finds a name through dom0's DNS server (dnsserve) and is told
# another is none; localhost comes from /etc/hosts, the service and
# protocol numbers from /etc/services and /etc/protocols; if_nameindex
# and getifaddrs list the interfaces and their addresses through netlink
# (apps/names.c).
#@ image build/tests/net/names.elf
#@ dom0 tests/net/names.dom0
#@ xl vif=['bridge=xenbr0,mac=00:16:3e:52:59:01']
#@ xl memory=16
#@ timeout 300
#@ expect 20
. "$(dirname "$0")/../lib.bash"
cat "$out"
cat "$job/dom0.out" 2>/dev/null || true
expect_rc 0
expect_grep "$out" '^net: vif0: DHCP gave 192\.0\.2\.20[0-9] mask 255\.255\.255\.0 router 192\.0\.2\.1$'
expect_grep "$out" '^eth0: 192\.0\.2\.20[0-9]$'
expect_grep "$out" '^resolv\.conf: nameserver 192\.0\.2\.1$'
expect_grep "$out" '^resolve web\.rumpxen\.test: 192\.0\.2\.77$'
expect_grep "$out" '^resolve nosuch\.rumpxen\.test: Name does not resolve$'
expect_grep "$out" '^resolve localhost: 127\.0\.0\.1$'
expect_grep "$out" '^name of 127\.0\.0\.1: localhost$'
expect_grep "$out" '^service http/tcp: 80$'
expect_grep "$out" '^protocol udp: 17$'
expect_grep "$job/dom0.out" '^query web\.rumpxen\.test 1$'
expect_grep "$out" '^if_nameindex: 1 lo 2 eth0$'
expect_grep "$out" '^getifaddrs: lo inet 127\.0\.0\.1 mask 255\.0\.0\.0$'
expect_grep "$out" '^getifaddrs: eth0 inet 192\.0\.2\.20[0-9] mask 255\.255\.255\.0$'
expect_grep "$out" '^getifaddrs: lo inet6 ::1$'
expect_grep "$out" '^getifaddrs: eth0 inet6 fe80::'
expect_grep "$out" '^getifaddrs: eth0 family 17 flags 0x1043$'
echo ok
