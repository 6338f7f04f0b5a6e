# Console input through musl, with none coming (apps/input.c wait): an
# O_NONBLOCK read, a read ended by a signal, a read ended by cancellation.
. "$(dirname "$0")/../lib.bash"

boot "$GUESTS/input.elf" wait
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
