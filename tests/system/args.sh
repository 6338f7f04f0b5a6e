# Tier 3: arguments reach a domU unchanged through xl's extra=.
#@ image build/tests/runner/echo_args.elf "two words" 'quote"inside' 'back\slash' 'a|b,c' ''
#@ expect 7
. "$(dirname "$0")/../lib.bash"
expect_rc 0
expect_echoed_args "two words" 'quote"inside' 'back\slash' 'a|b,c' ''
echo ok
