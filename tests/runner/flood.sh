# Nothing of the guest's console is lost: the flood guest prints 1 MiB
# (16384 lines of 64 bytes) and the runner must pass on every byte, in
# order, before the status line.
. "$(dirname "$0")/../lib.bash"

boot "$GUESTS/flood.elf"
expect_rc 0
python3 - "$out" <<'PY'
import sys
alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
want = []
for n in range(16384):
    line = f"flood {n:05d} "
    line += "".join(alphabet[(n * 7 + k) % 36] for k in range(len(line), 63))
    want.append(line + "\n")
want.append("rumpxen: exit 0\n")
got = open(sys.argv[1]).read()
if got != "".join(want):
    lines = got.splitlines(keepends=True)
    bad = next((i for i, (a, b) in enumerate(zip(lines, want)) if a != b), min(len(lines), len(want)))
    sys.exit(f"console differs: {len(got)} bytes, {len(lines)} lines; first difference at line {bad}: "
             f"{lines[bad] if bad < len(lines) else '<missing>'!r}")
print(f"all {len(got)} bytes arrived")
PY
echo ok
