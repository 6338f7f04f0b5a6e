# Idling costs almost nothing: QEMU's CPU time for a guest that sleeps 2 s,
# above one that exits at once, is a small fraction of what a guest that
# spins 2 s costs above it. All three run here, one after the other, so
# they see the same machine.
. "$(dirname "$0")/../lib.bash"

cpu() {
	boot --cpu-time "$tmp/cpu" "$GUESTS/idle.elf" "$1"
	expect_rc 0
	cat "$tmp/cpu"
}
base=$(cpu exit)
sleep=$(cpu sleep)
spin=$(cpu spin)
echo "QEMU CPU seconds: exit $base, sleep 2 s $sleep, spin 2 s $spin"
python3 - "$base" "$sleep" "$spin" <<'PY'
import sys
base, sleep, spin = map(float, sys.argv[1:])
idle, busy = sleep - base, spin - base
print(f"sleeping cost {idle:.3f} s above exiting, spinning {busy:.3f} s")
if busy <= 0.5:
    sys.exit("the spinner did not cost CPU time: the measurement is broken")
if idle > busy / 4:
    sys.exit("sleeping costs more than a quarter of spinning")
PY
echo ok
