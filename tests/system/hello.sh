# Tier 3, a domU under xl on the full Xen host: the hello guest's status
# comes back through its console ring, xenconsoled and dom0's channel.
#@ image build/hello.elf 7
. "$(dirname "$0")/../lib.bash"
expect_rc 7
expect_grep "$out" '^Hello from rumpxen'
[ "$(tail -n 1 "$out")" = "rumpxen: exit 7" ] || fail "last line is not the status"
echo ok
