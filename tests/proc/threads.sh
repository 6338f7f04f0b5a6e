# POSIX threads through musl (apps/pthreads.c): mutexes, condition
# variables, rwlocks, barriers, 200 threads, detached threads, TLS,
# pthread_once, cancellation in a condition wait and in nanosleep,
# semaphores, a robust mutex, pthread_kill.
. "$(dirname "$0")/../lib.bash"

boot "$GUESTS/pthreads.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
if grep -q '^FAILED' "$out"; then fail "a check failed"; fi
if grep -q 'not implemented' "$out"; then fail "a syscall was missing"; fi
echo ok
