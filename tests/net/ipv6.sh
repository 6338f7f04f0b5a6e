# IPv6 on the vif and on loopback: net6 (apps/net6.c) passes a TCP line
# and a UDP datagram through ::1, then serves TCP echo on [::]:7, whose
# IPv4 side is open too (IPV6_V6ONLY off, as Linux); dom0 (ipv6.dom0)
# pings the guest's static address (net.vif0.ip6=2001:db8::52/64) and
# its link-local one (from its MAC), echoes a line through each over
# IPv6 and one over IPv4 (the peer ::ffff:192.0.2.1), then takes the
# guest's line on [2001:db8::1]:7006.
#@ net
#@ image build/tests/net/net6.elf 3 2001:db8::1 7006
#@ config net.vif0.ip6=2001:db8::52/64
#@ dom0 tests/net/ipv6.dom0
#@ xl memory=16
#@ timeout 300
#@ expect 25
. "$(dirname "$0")/../lib.bash"
cat "$out"
cat "$job/dom0.out" 2>/dev/null || true
expect_rc 0
expect_grep "$out" '^net: vif0: IPv6 2001:DB8::52/64$'
expect_grep "$out" '^ok: TCP and UDP through ::1$'
expect_grep "$out" '^IPV6_V6ONLY: 0$'
expect_grep "$out" '^peer 2001:db8::1 scope 0$'
expect_grep "$out" '^peer fe80::[0-9a-f:]+ scope [1-9][0-9]*$'
expect_grep "$out" '^peer ::ffff:192\.0\.2\.1 scope 0$'
expect_grep "$out" '^ok: served 3 connections$'
expect_grep "$out" '^ok: a line to \[2001:db8::1\]:7006$'
expect_grep "$job/dom0.out" '^ping6 2001:db8::52: 5 of 5 answered$'
expect_grep "$job/dom0.out" '^ping6 fe80::[0-9a-f:]+%xenbr0: 5 of 5 answered$'
expect_grep "$job/dom0.out" '^echo over 2001:db8::52: line over 2001:db8::52$'
expect_grep "$job/dom0.out" '^echo over fe80::[0-9a-f:]+%xenbr0: line over fe80::[0-9a-f:]+%xenbr0$'
expect_grep "$job/dom0.out" '^ok: 1 connections one after another, each echoed$'
expect_grep "$job/dom0.out" '^dom0 got: hello over IPv6$'
echo ok
