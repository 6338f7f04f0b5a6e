# Every fault ends the guest with a readable report (what happened, where,
# the registers, a backtrace that names the faulting function) and the
# status a Linux process killed by the same signal has: 128 + signal.
. "$(dirname "$0")/../lib.bash"

# fault WHAT STATUS FUNCTION [PATTERN]: the report must name FUNCTION.
fault() {
	boot "$GUESTS/fault.elf" "$1"
	expect_rc "$2"
	expect_grep "$out" "<$3\+0x[0-9a-f]+>"
	expect_grep "$out" '^backtrace:$'
	[ $# -lt 4 ] || expect_grep "$out" "$4"
	[ "$(tail -n 1 "$out")" = "rumpxen: exit $2" ] || fail "last line is not the status"
}

fault null 139 fault_null 'page fault at 0x0: not mapped, write'
fault text 139 fault_text 'page fault at 0x[0-9a-f]+: protection violation, write'
fault exec 139 fault_exec 'page fault at 0x[0-9a-f]+: protection violation, instruction fetch'
fault ud2 132 fault_ud2 'fatal trap 6 \(invalid opcode\)'
fault divide 136 fault_divide 'fatal trap 0 \(divide error\)'
fault guard 139 fault_guard_victim 'guard page below the stack of thread "victim"'
expect_grep "$out" 'in thread "victim"'
fault panic 134 rumpxen_main 'panic: the test asked for a panic \(42\)'
fault kill 134 rumpuser_kill 'fatal signal 6'
fault rumppanic 134 rumpuser_exit 'the rump kernel panicked'
boot "$GUESTS/fault.elf" sigpipe
expect_rc 0
expect_grep "$out" '^rumpuser: signal 13 for process -1$'
echo ok
