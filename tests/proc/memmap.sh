# Mappings cut, placed, grown and moved (tests/proc/apps/memmap.c):
# natively first, to show the expectations are Linux's, then on Xen.
. "$(dirname "$0")/../lib.bash"
native tests/proc/apps/memmap.c
boot "$GUESTS/memmap.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^0 failures$'
echo ok
