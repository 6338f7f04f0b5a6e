# Pipes between threads taken with poll, select and epoll (level and
# edge), eventfd, EPIPE, locks (apps/waits.c).
. "$(dirname "$0")/../lib.bash"

boot "$GUESTS/waits.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^epollet: 2000 records, 0 out of order$'
expect_grep "$out" '^0 failures$'
if grep -q 'not implemented' "$out"; then fail "a syscall was missing"; fi

boot "$GUESTS/waits.elf" sigpipe
expect_rc 141
expect_grep "$out" '^rumpxen: the process was ended by signal 13 \(SIGPIPE\)$'
if grep -q 'still here' "$out"; then fail "SIGPIPE did not end it"; fi
echo ok
