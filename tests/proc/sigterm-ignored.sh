# `xl shutdown` to a program that ignores SIGTERM: the first request
# changes nothing, the second ends the guest at once, with status 0.
#@ image build/tests/proc/sigterm.elf ignore
#@ dom0 tests/proc/sigterm.dom0
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
[ "$(grep -c '^rumpxen: the toolstack asked for poweroff$' "$out")" = 2 ] ||
	fail "the guest did not hear two requests"
expect_grep "$job/dom0.out" '^asked twice$'
echo ok
