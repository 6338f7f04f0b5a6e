# Files on the tmpfs root through musl (apps/files.c): stdio files, a
# tree, readdir, rename, links, the cwd, the devices of /dev; then, on a
# root of 2 MiB, writes until ENOSPC with every earlier file intact.
. "$(dirname "$0")/../lib.bash"

boot "$GUESTS/files.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
expect_grep "$out" '^written to /dev/tty$'
if grep -q 'not implemented' "$out"; then fail "a syscall was missing"; fi

boot --config root=tmpfs:size=2m "$GUESTS/files.elf" limit
cat "$out"
expect_rc 0
expect_grep "$out" '^limit: [0-9]+ files written before ENOSPC$'
expect_grep "$out" '^0 failures$'
echo ok
