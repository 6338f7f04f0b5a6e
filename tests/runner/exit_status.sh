# The runner exits with the status of the guest's "rumpxen: exit N" line,
# for small and large N, and the guest keeps only the low 8 bits.
. "$(dirname "$0")/../lib.bash"

for n in 7 200 0; do
	boot build/hello.elf "$n"
	expect_rc "$n"
	expect_grep "$out" '^Hello from rumpxen'
	[ "$(tail -n 1 "$out")" = "rumpxen: exit $n" ] || fail "last line is not the status"
done
boot build/hello.elf 258
expect_rc 2
boot build/hello.elf -1
expect_rc 255
boot build/hello.elf seven
expect_rc 2
expect_grep "$out" 'not a number: "seven"'
echo ok
