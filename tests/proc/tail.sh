# The status line is found whatever the program printed before it: output
# without a final newline, a partial UTF-8 sequence, a NUL byte
# (apps/tail.c). The guest starts "rumpxen: exit N" on a line of its own
# and the runner returns N; the program's bytes reach stdout unchanged.
# tests/system/tail.sh checks the same on the full host.
. "$(dirname "$0")/../lib.bash"

# check_tail MODE BYTES: the output is BYTES (printf's escapes), a newline
# the guest added, and the status line.
check_tail() {
	boot "$GUESTS/tail.elf" "$1"
	expect_rc 3
	{
		printf "$2"
		printf '\nrumpxen: exit 3\n'
	} >"$tmp/want"
	cmp "$tmp/want" "$out" || {
		od -c "$out" | tail -n 5
		fail "$1: the output is not the program's bytes and the status line"
	}
}
check_tail text 'no newline'
check_tail utf8 'caf\303'
check_tail nul 'nul:\000after'
check_tail all 'nul:\000aftercaf\303no newline'
echo ok
