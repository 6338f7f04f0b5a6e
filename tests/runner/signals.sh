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

# signal_runner SIG WHAT ARGS...: starts the runner, waits until a QEMU
# of it runs, sends SIG and judges what is left.
signal_runner() {
	local sig=$1 what=$2 t=$tmp/$1-$2 pid i rc
	shift 2
	mkdir -p "$t/tmpdir"
	out=$t/out # what fail shows
	: >"$err"
	TMPDIR=$t/tmpdir "$RUMPXEN" "$@" >"$t/out" 2>&1 &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		pgrep -f "qemu-system-x86_64 .*$t/tmpdir" >/dev/null && break
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
		kill -9 "$pid"
		pkill -9 -f "$t/tmpdir" || true
		fail "$what: still running 30 s after SIG$sig"
	fi
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" = $((128 + $(kill -l "$sig"))) ] || fail "$what: SIG$sig gave status $rc"
	sleep 0.5
	if pgrep -af "$t/tmpdir"; then
		pkill -9 -f "$t/tmpdir"
		fail "$what: processes of it survived SIG$sig"
	fi
	[ -z "$(ls -A "$t/tmpdir")" ] || { ls -lR "$t/tmpdir"; fail "$what: temporary files left after SIG$sig"; }
	echo "$what: SIG$sig ended it (status $rc), nothing left"
}

for sig in INT TERM HUP; do
	signal_runner "$sig" run run "$spin"
	signal_runner "$sig" batch batch "$tmp/$sig-batch-out" "$tmp/spinjob.sh"
	signal_runner "$sig" test test --out "$tmp/$sig-test-out" "$tmp/spintest.sh" "$tmp/spinjob.sh"
done
echo ok
