# musl's libc on the kernel: stdio on the console (apps/stdio.c) with its
# buffering modes seen against stderr and 100 KiB of known lines; malloc
# under stress, from one thread and from 8 (apps/malloc.c); sorting,
# number conversions both ways, math, setjmp and sigsetjmp, atexit's order
# and the exit status, from main and from exit() deeper (apps/numbers.c).
. "$(dirname "$0")/../lib.bash"

# expect_line TEXT: a line of $out is exactly TEXT.
expect_line() {
	grep -Fxq -- "$1" "$out" || fail "no line \"$1\""
}

# expect_order TEXT...: each TEXT is a line of $out, in this order.
expect_order() {
	local prev=0 n
	for l in "$@"; do
		n=$(grep -Fxn -- "$l" "$out" | head -n 1 | cut -d: -f1)
		[ -n "$n" ] || fail "no line \"$l\""
		[ "$n" -gt "$prev" ] || fail "\"$l\" came too early (line $n)"
		prev=$n
	done
}

# expect_clean: every check passed, no syscall was missing.
expect_clean() {
	expect_grep "$out" '^0 failures$'
	if grep -q '^FAILED' "$out"; then fail "a check failed"; fi
	if grep -q 'not implemented' "$out"; then fail "a syscall was missing"; fi
}

boot "$GUESTS/stdio.elf"
grep -v '^big [0-9]' "$out"
expect_rc 0
expect_clean
# Unbuffered, stderr's piece lands inside stdout's line; line buffered, a
# line waits for its newline; fully buffered, all waits for fflush.
expect_line 'nbf: a[err] b'
expect_order 'lbf: from stderr' 'lbf: a b' 'lbf: whole line' \
	'lbf: stderr after the whole line'
expect_order 'fbf: from stderr' 'fbf: held 1' 'fbf: held 2'
expect_line 'ints: -42 -9223372036854775808 -1234567890123 4294967295 deadbeef DEADBEEF 755 0xff 010 0x1234 %'
expect_line 'widths: [   42] [42   ] [-0042] [007] [   3.142] [ab      ] [      ab] [ab] [x] [y  ]'
expect_order 'fputs line' 'puts line' 'pc' 'dprintf to fd 1' \
	'stderr: fprintf 2' 'perror: No such file or directory'
expect_line 'getline: 11 7 1 20 -1'
# The 100 KiB written with fwrite: every line, in order, none lost.
awk 'BEGIN {
	for (i = 0; i < 1600; i++) {
		s = sprintf("big %04d ", i)
		for (j = 0; j < 54; j++)
			s = s sprintf("%c", 97 + (i + j) % 26)
		print s
	}
}' >"$tmp/big.want"
grep '^big [0-9]' "$out" >"$tmp/big.got" || true
echo "$(wc -l <"$tmp/big.got") lines of 64 bytes from fwrite"
diff -q "$tmp/big.want" "$tmp/big.got" >/dev/null ||
	fail "the fwrite lines differ: $(diff "$tmp/big.want" "$tmp/big.got" | head -n 5)"

boot "$GUESTS/malloc.elf"
cat "$out"
expect_rc 0
expect_clean
expect_grep "$out" '^8 threads: .*, 0 bad, 0 misaligned, 0 NULL$'

# numbers.elf STATUS [exit]: the checks, then STATUS from main's return
# or from exit() two calls deeper; atexit's handlers run after, last
# registered first.
boot "$GUESTS/numbers.elf"
cat "$out"
expect_rc 0
expect_clean
expect_line 'floats: 0.10000000000000001 1.234568e+04 -2.500000 0x1.8p+1 1e-05'
printf '%s\n' 'returning 0 from main' 'atexit 3' 'atexit 2' 'atexit 1' \
	'rumpxen: exit 0' >"$tmp/end.want"
grep -E '^(returning|exiting|exit returned|atexit|rumpxen: exit)' "$out" >"$tmp/end.got" || true
diff -u "$tmp/end.want" "$tmp/end.got" || fail "atexit handlers or the status out of order"

boot "$GUESTS/numbers.elf" 42
expect_rc 42
expect_clean
printf '%s\n' 'returning 42 from main' 'atexit 3' 'atexit 2' 'atexit 1' \
	'rumpxen: exit 42' >"$tmp/end.want"
grep -E '^(returning|exiting|exit returned|atexit|rumpxen: exit)' "$out" >"$tmp/end.got" || true
diff -u "$tmp/end.want" "$tmp/end.got" || fail "atexit handlers or the status out of order"

# exit(300) from a nested call: the handlers run, exit does not return,
# and only the low 8 bits are the status, as on Linux.
boot "$GUESTS/numbers.elf" 300 exit
expect_rc 44
expect_clean
printf '%s\n' 'exiting with 300 from a nested call' 'atexit 3' 'atexit 2' \
	'atexit 1' 'rumpxen: exit 44' >"$tmp/end.want"
grep -E '^(returning|exiting|exit returned|atexit|rumpxen: exit)' "$out" >"$tmp/end.got" || true
diff -u "$tmp/end.want" "$tmp/end.got" || fail "exit() from a nested call went wrong"
echo ok
