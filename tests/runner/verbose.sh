# Xen's own boot chatter stays out of the guest's console unless --verbose.
. "$(dirname "$0")/../lib.bash"

boot build/hello.elf 5
expect_rc 5
if grep -q '^(XEN)' "$out"; then fail "Xen's lines shown without --verbose"; fi
boot --verbose build/hello.elf 5
expect_rc 5
expect_grep "$out" '^\(XEN\) .*Building a PV Dom0'
[ "$(tail -n 1 "$out")" = "rumpxen: exit 5" ] || fail "last line is not the status"
echo ok
