# SIGINT, SIGTERM and SIGHUP end `rumpxen run`, `batch` and `test` with
# status 128 + the signal's number, and take their QEMUs and temporary
# files with them: once the runner has ended, no process that names its
# temporary directory survives and the directory is empty. Each runner
# is signalled while its QEMU runs (a dom0 guest that spins, a full host
# that boots, a test script whose own runner boots a guest).
. "$(dirname "$0")/../lib.bash"

spin=$PWD/$GUESTS/spin.elf
printf '#@ image %s\n' "$spin" >"$tmp/spinjob.sh"
printf '"$RUMPXEN" run "%s"\n' "$spin" >"$tmp/spintest.sh"

# naming TEXT: the processes whose command line holds TEXT (from /proc:
# a fresh machine may have no pgrep).
naming() {
	local p
	for p in /proc/[0-9]*; do
		tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "$1" && echo "${p#/proc/}"
	done
	return 0
}

# Whatever ends this script, no runner or QEMU of it is left running.
trap 'kill -9 $(naming "$tmp") 2>/dev/null || true; rm -rf "$tmp"' EXIT

# signal_runner SIG WHAT ARGS...: starts the runner, waits until a QEMU
# of it runs, sends SIG and judges what is left.
signal_runner() {
	local sig=$1 what=$2 t=$tmp/$1-$2 pid i rc left
	shift 2
	mkdir -p "$t/tmpdir"
	out=$t/out # what fail shows
	: >"$err"
	TMPDIR=$t/tmpdir "$RUMPXEN" "$@" >"$t/out" 2>&1 &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		naming "$t/tmpdir" | grep -q . && break
		sleep 0.1
	done
	[ "$i" -lt 600 ] || fail "$what: no QEMU started in 60 s"
	kill -s "$sig" "$pid"
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$i" -ge 300 ]; then
		kill -USR1 "$pid" # the runner's threads' stacks, into its output
		sleep 1
		kill -9 "$pid" 2>/dev/null
		kill -9 $(naming "$t/tmpdir") 2>/dev/null || true
		fail "$what: still running 30 s after SIG$sig"
	fi
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" = $((128 + $(kill -l "$sig"))) ] || fail "$what: SIG$sig gave status $rc"
	sleep 0.5
	left=$(naming "$t/tmpdir")
	if [ -n "$left" ]; then
		ps -o pid,args -p $left 2>/dev/null || true
		kill -9 $left 2>/dev/null || true
		fail "$what: processes of it survived SIG$sig: $left"
	fi
	[ -z "$(ls -A "$t/tmpdir")" ] || { ls -lR "$t/tmpdir"; fail "$what: temporary files left after SIG$sig"; }
	echo "$what: SIG$sig ended it (status $rc), nothing left"
}

# A test script that ends while a runner it started in the background
# still runs: `rumpxen test` ends the runner's QEMU with the script.
t=$tmp/leftover
mkdir -p "$t/tmpdir"
cat >"$tmp/leftover.sh" <<EOF
"\$RUMPXEN" run "$spin" >/dev/null 2>&1 &
until grep -lF "$t/tmpdir" /proc/[0-9]*/cmdline 2>/dev/null |
	xargs -r grep -lF qemu-system 2>/dev/null | grep -q .; do sleep 0.1; done
exit 1
EOF
out=$t/out
: >"$err"
TMPDIR=$t/tmpdir timeout 120 "$RUMPXEN" test --out "$t/test-out" "$tmp/leftover.sh" \
	>"$out" 2>&1 || true
expect_grep "$out" '^0 passed, 1 failed$'
sleep 0.5
left=$(naming "$t/tmpdir")
[ -z "$left" ] || fail "a runner left by a finished test script survived it: $left"
[ -z "$(ls -A "$t/tmpdir")" ] || fail "a runner left by a finished test script left its files"
echo "a runner left behind by a test script ended with it, nothing left"

for sig in INT TERM HUP; do
	signal_runner "$sig" run run "$spin"
	signal_runner "$sig" batch batch "$tmp/$sig-batch-out" "$tmp/spinjob.sh"
	signal_runner "$sig" test test --out "$tmp/$sig-test-out" "$tmp/spintest.sh" "$tmp/spinjob.sh"
done
echo ok
