# System V IPC, POSIX shm_open and sem_open (tests/proc/apps/sysv.c) and
# PI futexes under musl's PTHREAD_PRIO_INHERIT mutexes
# (tests/proc/apps/pimutex.c): natively first, to show the expectations
# are Linux's, then on Xen.
. "$(dirname "$0")/../lib.bash"
for prog in sysv pimutex; do
	native "tests/proc/apps/$prog.c"
	boot "$GUESTS/$prog.elf"
	cat "$out"
	expect_rc 0
	expect_grep "$out" '^0 failures$'
	if grep -q 'not implemented' "$out"; then fail "a syscall was missing"; fi
done
echo ok
