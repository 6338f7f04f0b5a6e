# Arguments reach the guest's argv unchanged, whatever characters they
# hold: spaces, quotes, backslashes, commas (QEMU's separator), empty ones.
. "$(dirname "$0")/../lib.bash"

args=(plain "two words" 'quote"inside' 'back\slash' 'a,b,,c' '' '--' 'x=y' '  ')
boot "$GUESTS/echo_args.elf" "${args[@]}"
expect_rc 0
expect_echoed_args "${args[@]}"

# Without arguments the guest has argv[0] alone.
boot "$GUESTS/echo_args.elf"
expect_rc 0
expect_grep "$out" '^argc=1$'
echo ok
