# Tier 3: a domU that outlives its job's time limit is destroyed by dom0
# (`xl destroy`, no cooperation needed) and reported as the runner reports
# a time limit, status 124, while the rest of the batch goes on.
#@ image build/tests/system/sleeper.elf
#@ timeout 8
#@ expect 9
. "$(dirname "$0")/../lib.bash"
expect_rc 124
expect_grep "$out" '^sleeping until shut down$'
expect_grep "$err" '^rumpxen run: time limit of 8 s reached before the guest printed its exit status$'
echo ok
