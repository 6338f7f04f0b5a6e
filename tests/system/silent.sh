# Tier 3: a domU that prints nothing within its first-output limit is
# destroyed and reported as such (status 124), with dom0's view of it in
# the job's result: xl list, its xenstore keys, and where its vCPU stands
# (xenctx, symbolized), so that a hang explains itself.
#@ image build/tests/system/sleeper.elf silent
#@ first 10
#@ timeout 120
#@ expect 18
. "$(dirname "$0")/../lib.bash"
cat "$err"
expect_rc 124
expect_grep "$err" '^rumpxen run: the domU printed nothing within 10 s \(its first-output limit\)'
expect_grep "$err" '^--- xl list$'
expect_grep "$err" '^silent +[0-9]+ '
expect_grep "$err" '^/local/domain/[0-9]+/console/ring-ref = '
# The sleeping guest's vCPU waits in Xen: SCHEDOP_poll, the sched_op
# hypercall (29), from its entry in the hypercall page.
expect_grep "$err" '^rip: [0-9a-f]+ hypercall_page\+0x3a[0-9a-f]$'
[ ! -s "$out" ] || fail "the guest printed something"
echo ok
