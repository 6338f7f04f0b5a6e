# `xl shutdown` to a program that leaves SIGTERM's action the default:
# the process ends by the signal (status 128 + 15), as on Linux.
#@ image build/tests/proc/sigterm.elf default
#@ dom0 tests/proc/sigterm.dom0
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 143
expect_grep "$out" '^rumpxen: the toolstack asked for poweroff$'
expect_grep "$out" '^rumpxen: the process was ended by signal 15 \(SIGTERM\)$'
echo ok
