# Tier 3, a domU under xl on the full Xen host: the hello guest's status
# comes back through its console ring, xenconsoled and dom0's channel; and
# 1 MiB of console output (the flood guest) arrives whole and in order.
. "$(dirname "$0")/../lib.bash"

boot --xl build/hello.elf 7
expect_rc 7
expect_grep "$out" '^Hello from rumpxen'
[ "$(tail -n 1 "$out")" = "rumpxen: exit 7" ] || fail "last line is not the status"

boot --xl build/tests/runner/flood.elf
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
    sys.exit(f"the domU's console differs: {len(got)} bytes")
print(f"all {len(got)} bytes arrived from the domU")
PY
echo ok
