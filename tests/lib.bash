# Helpers for the tests that are shell scripts (tests/*/*.sh), which boot
# guests of their own (built from tests/*/guests/*.c into $GUESTS).
#
# boot ARGS... runs `rumpxen run ARGS...` with stdout in $out and stderr in
# $err, and leaves its exit status in $rc; expect_rc and expect_grep judge
# the result and show both streams when they fail.
#
# A script that is a job of the full Xen host says what its guest is in
# "#@ " lines (tools/runner/jobs.py). `rumpxen test` runs such jobs
# together in one boot of the host and then each script with $RUMPXEN_JOB
# naming its job's directory; run alone, the script boots a host for its
# own job. Either way $out, $err and $rc hold what `rumpxen run` would
# have given, and $job the job's directory (its disks and setup files).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
script=$here/$(basename "$0")
cd "$here/../.."
RUMPXEN=${RUMPXEN:-tools/rumpxen}
GUESTS=build/tests/$(basename "$here")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
err=$tmp/err
if grep -q '^#@ image ' "$script"; then
	if [ -z "${RUMPXEN_JOB:-}" ]; then
		"$RUMPXEN" batch "$tmp/jobs" "$script"
		RUMPXEN_JOB=$tmp/jobs/$(basename "$script" .sh)
	fi
	job=$RUMPXEN_JOB
	out=$job/out
	err=$job/err
	rc=$(cat "$job/rc")
	echo "job $(basename "$job"): exit $rc, $(cat "$job/timing" 2>/dev/null)" >&2
fi

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

# native SOURCE [ARGS...]: a test program of ours (tests/*/apps/*.c) built
# and run on the host, to show that what it expects is Linux's; it must
# print "0 failures".
native() {
	local prog=$tmp/$(basename "$1" .c)
	cc -O2 -Wall -pthread -o "$prog" "$1"
	shift
	"$prog" "$@" >"$tmp/native.out" || { cat "$tmp/native.out"; fail "natively"; }
	grep -q '^0 failures$' "$tmp/native.out" || fail "natively: $(cat "$tmp/native.out")"
}

expect_rc() {
	[ "$rc" = "$1" ] || fail "expected exit status $1, got $rc"
}

# expect_grep FILE PATTERN: an extended regular expression FILE must match.
expect_grep() {
	grep -Eq -- "$2" "$1" || fail "no line matching /$2/ in $(basename "$1")"
}

# expect_echoed_args ARG...: $out must be what the echo_args guest prints
# for these arguments: argc, argv[0], each argument in brackets, status 0.
expect_echoed_args() {
	{
		echo "argc=$(($# + 1))"
		echo "argv[0]=[echo_args]"
		local i=1
		for a in "$@"; do
			echo "argv[$i]=[$a]"
			i=$((i + 1))
		done
		echo "rumpxen: exit 0"
	} >"$tmp/want"
	diff -u "$tmp/want" "$out" || fail "the guest saw other arguments"
}

# needs_rump_guest IMAGE: the tests of the NetBSD rump kernel end here,
# saying they are skipped and why, when IMAGE was not built (there are no
# NetBSD libraries: ../shared/netbsd-rump or RUMP_LIBS); under CI that is
# a failure.
needs_rump_guest() {
	[ -f "$1" ] && return 0
	echo "SKIPPED: no NetBSD rump kernel libraries (../shared/netbsd-rump or RUMP_LIBS)"
	[ "${CI:-}" != true ] || fail "CI must run this test"
	exit 0
}
