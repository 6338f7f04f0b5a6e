# Tier 3, a domU under xl on the full Xen host: the hello guest's status
# comes back through its console ring, xenconsoled and dom0's channel;
# arguments arrive unchanged; and 1 MiB of console output (the flood
# guest) arrives whole and in order.
. "$(dirname "$0")/../lib.bash"

boot --xl build/hello.elf 7
expect_rc 7
expect_grep "$out" '^Hello from rumpxen'
[ "$(tail -n 1 "$out")" = "rumpxen: exit 7" ] || fail "last line is not the status"

# Arguments reach the domU unchanged through xl's config and extra=.
args=("two words" 'quote"inside' 'back\slash' 'a|b,c' '')
boot --xl build/tests/runner/echo_args.elf "${args[@]}"
expect_rc 0
expect_echoed_args "${args[@]}"

boot --xl build/tests/runner/flood.elf
expect_rc 0
tests/flood_check "$out" || fail "the console lost or changed bytes"
echo ok
