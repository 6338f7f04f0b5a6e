# Helpers for the tests that are shell scripts (tests/*/*.sh), which boot
# guests of their own (built from tests/*/guests/*.c into $GUESTS).
#
# boot ARGS... runs `rumpxen run ARGS...` with stdout in $out and stderr in
# $err, and leaves its exit status in $rc; expect_rc and expect_grep judge
# the result and show both streams when they fail.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
RUMPXEN=${RUMPXEN:-tools/rumpxen}
GUESTS=build/tests/$(basename "$here")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
err=$tmp/err

fail() {
	echo "--- stdout"; tail -n 40 "$out"
	echo "--- stderr"; tail -n 60 "$err"
	echo "FAIL: $*"
	exit 1
}

boot() {
	rc=0
	"$RUMPXEN" run --timeout "${BOOT_TIMEOUT:-300}" "$@" >"$out" 2>"$err" || rc=$?
	echo "rumpxen run $* -> $rc" >&2
}

expect_rc() {
	[ "$rc" = "$1" ] || fail "expected exit status $1, got $rc"
}

# expect_grep FILE PATTERN: an extended regular expression FILE must match.
expect_grep() {
	grep -Eq -- "$2" "$1" || fail "no line matching /$2/ in $(basename "$1")"
}
