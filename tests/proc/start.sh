# A C program on the kernel through musl: the initial stack and musl's
# start (arguments, a constructor, atexit), stdio on the console, and
# main's value as the guest's exit status (apps/hello_libc.c); memory
# (apps/memory.c); signals (apps/signals.c); static TLS and the main
# thread's stack (apps/tls.c); and time (apps/clocks.c).
. "$(dirname "$0")/../lib.bash"

boot "$GUESTS/hello_libc.elf" 3 "two words"
cat "$out"
expect_rc 3
expect_grep "$out" '^hello from musl: 42 text 3\.25$'
expect_grep "$out" '^argc=3 \[hello_libc\] \[3\] \[two words\]$'
expect_grep "$out" '^constructor ran: yes$'
expect_grep "$out" '^atexit handler ran$'
if grep -q 'not implemented' "$out"; then fail "a syscall was missing"; fi

boot "$GUESTS/hello_libc.elf"
expect_rc 0
expect_grep "$out" '^GREETING is unset$'
# Nobody gave an environment: a Linux login's defaults, only they.
[ "$(grep '^environ:' "$out" | tr '\n' ' ')" = "environ: [HOME=/root] environ: [PATH=/usr/local/bin:/usr/bin:/bin] environ: [TERM=linux] environ: [LANG=C.UTF-8] " ] ||
	fail "the environment nobody gave is not the defaults"

# The environment from the configuration's env.NAME=VALUE words.
boot --config env.GREETING=hello-there --config env.HOME=/ "$GUESTS/hello_libc.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^environ: \[GREETING=hello-there\]$'
expect_grep "$out" '^environ: \[HOME=/\]$'
if grep -q '^environ: \[HOME=/root\]$' "$out"; then fail "env.HOME did not replace the default"; fi
expect_grep "$out" '^environ: \[TERM=linux\]$'
expect_grep "$out" '^GREETING is hello-there$'

# Memory: malloc on anonymous mmap (apps/memory.c).
boot "$GUESTS/memory.elf"
cat "$out"
expect_rc 0
if grep -q 'not implemented' "$out"; then fail "a syscall was missing"; fi

# A page mprotect made read-only faults when written; with no handler
# the guest ends with SIGSEGV named (apps/protect.c).
boot "$GUESTS/protect.elf"
expect_rc 139
expect_grep "$out" '^writing to a read-only page$'
expect_grep "$out" '^rumpxen: the process was ended by signal 11 \(SIGSEGV\)$'
expect_grep "$out" 'page fault at 0x[0-9a-f]+: protection violation, write'
if grep -q 'went through' "$out"; then fail "the read-only page was written"; fi
# Handlers for faults: one that fixes and returns, siglongjmp out of two.
boot "$GUESTS/protect.elf" handlers
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'

# Signals, limits (apps/signals.c); SIGTERM without a handler ends it.
boot "$GUESTS/signals.elf"
cat "$out"
expect_rc 0
if grep -q 'not implemented' "$out"; then fail "a syscall was missing"; fi
boot "$GUESTS/signals.elf" term
expect_rc 143
expect_grep "$out" '^rumpxen: the process was ended by signal 15 \(SIGTERM\)$'
if grep -q 'still here' "$out"; then fail "SIGTERM did not end it"; fi

# Static TLS and a deep stack (apps/tls.c).
boot "$GUESTS/tls.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^counter starts at 41, zeros all zero$'
expect_grep "$out" '^counter is now 42, zeros\[5\] is x$'
expect_grep "$out" '^150 frames of 4 KiB deep: 0$'

# Clocks, sleeps and random bytes (apps/clocks.c).
boot "$GUESTS/clocks.elf" "$(date +%s)"
cat "$out"
expect_rc 0
if grep -q 'not implemented' "$out"; then fail "a syscall was missing"; fi
echo ok
