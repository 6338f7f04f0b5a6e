# `xl shutdown` is SIGTERM to the program, as a Linux system's shutdown begins
# (tests/proc/apps/sigterm.c): a handler sees the kernel's signal
# (SI_KERNEL, pid 0) and the program ends as it chooses (status 3).
# tests/proc/sigterm-default.sh and sigterm-ignored.sh do the rest.
#@ image build/tests/proc/sigterm.elf handle
#@ dom0 tests/proc/sigterm.dom0
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 3
expect_grep "$out" '^rumpxen: the toolstack asked for poweroff$'
expect_grep "$out" '^handled signal 15, si_code 0x80, si_pid 0$'
echo ok
