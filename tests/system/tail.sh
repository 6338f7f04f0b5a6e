# Tier 3: the status line of a domU is found whatever its program printed
# last: a NUL byte, a partial UTF-8 sequence and text without a newline
# (tests/proc/apps/tail.c; tests/proc/tail.sh checks each on dom0).
#@ image build/tests/proc/tail.elf all
. "$(dirname "$0")/../lib.bash"
expect_rc 3
printf 'nul:\000aftercaf\303no newline\nrumpxen: exit 3\n' >"$tmp/want"
cmp "$tmp/want" "$out" || {
	od -c "$out" | tail -n 5
	fail "the output is not the program's bytes and the status line"
}
echo ok
