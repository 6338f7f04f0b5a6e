# platform.h's extensions on both platforms: the same program as a host
# process and as a Xen guest, each given RUMPXEN_API_TEST=42 as
# configuration (the environment; the command line's configuration); on
# the host RUMPXEN_API_HOST=1 too, where the free page count moves by
# itself.
. "$(dirname "$0")/../lib.bash"

echo "--- platform/posix"
rc=0
RUMPXEN_API_TEST=42 RUMPXEN_API_HOST=1 timeout 60 "$GUESTS/api_posix" >"$out" 2>"$err" || rc=$?
cat "$out"
expect_rc 0
expect_grep "$out" '^no TLS pointer on this platform$'

echo "--- platform/xen"
boot --config RUMPXEN_API_TEST=42 "$GUESTS/api.elf"
cat "$out"
expect_rc 0
expect_grep "$out" "^ok: the thread's FS base is the TLS pointer given$"
echo ok
