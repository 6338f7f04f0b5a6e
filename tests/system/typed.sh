# Tier 3: what is typed through the host reaches a domU's console: the
# runner sends the line on dom0's input port, dom0 types it on the
# guest's console pty, xenconsoled puts it in the console ring.
#@ image build/tests/system/typed.elf
#@ input hello, typist\n
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
expect_grep "$out" '^got \[hello, typist\]$'
echo ok
