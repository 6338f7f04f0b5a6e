# Tier 3: 100 xenstore transactions that conflict with dom0's writes
# (xstx.dom0) and retry on EAGAIN each commit exactly once.
#@ image build/tests/system/xstx.elf
#@ dom0 tests/system/xstx.dom0
#@ expect 19
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: 100 transactions committed, each exactly once'
echo ok
