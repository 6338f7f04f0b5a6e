# Two vifs on two bridges (xenbr0, 192.0.2.0/24; xenbr1,
# 198.51.100.0/24), each with its own address from xl: netserve's
# services answer dom0 on both (pings, TCP and UDP echo), and the guest
# reaches dom0's server on the second bridge's subnet through the second
# vif (twovifs.dom0).
#@ image build/tests/net/netserve.elf 198.51.100.1:7000
#@ dom0 tests/net/twovifs.dom0
#@ xl vif=['bridge=xenbr0,mac=00:16:3e:52:59:11,ip=192.0.2.250','bridge=xenbr1,mac=00:16:3e:52:59:12,ip=198.51.100.250']
#@ xl memory=16
#@ timeout 300
#@ expect 25
. "$(dirname "$0")/../lib.bash"
cat "$out"
cat "$job/dom0.out" 2>/dev/null || true
expect_rc 0
for ip in '192\.0\.2\.250' '198\.51\.100\.250'; do
	expect_grep "$job/dom0.out" "^pings to $ip: 20 of 20 answered\$"
done
test "$(grep -c '^ok: 20 connections one after another' "$job/dom0.out")" = 2 ||
	fail "not both vifs echoed 20 connections"
test "$(grep -c '^ok: 20 datagrams echoed' "$job/dom0.out")" = 2 ||
	fail "not both vifs echoed 20 datagrams"
expect_grep "$out" '^ok: 1 MiB echoed by dom0.s server at 198\.51\.100\.1:7000$'
echo ok
