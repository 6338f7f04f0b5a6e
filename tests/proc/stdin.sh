# Lines typed on a domU's console reach a program's fgets through musl
# and the kernel's console file (apps/input.c).
#@ image build/tests/proc/input.elf
#@ input first line\nsecond, with spaces\nend\n
#@ expect 7
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
expect_grep "$out" '^line: \[first line\]$'
expect_grep "$out" '^line: \[second, with spaces\]$'
echo ok
