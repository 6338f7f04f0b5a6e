# An ordinary autoconf+automake package (tests/proc/autoconf) cross-built
# with tools/rumpxen-cc as CC, as a user would: autoreconf -fi, configure
# --host=x86_64-linux-musl, make; then the program boots and prints what
# configure found (config.h), its arguments' sum by threads, their mean and
# standard deviation by libm, and exits with the sum. configure also gets
# --build, so that it knows from the start that it cannot run what it
# links (with --host alone it runs one image on the host, which crashes,
# and only then takes cross mode). Also: automake's dependency tracking
# (depcomp's gcc3 mode) works through rumpxen-cc.
. "$(dirname "$0")/../lib.bash"
# fail shows the boot's output: none before the boot.
: >"$out"
: >"$err"
command -v autoreconf >/dev/null && command -v automake >/dev/null ||
	fail "autoconf and automake are not installed (tools/deps installs them)"

cc=$PWD/tools/rumpxen-cc
cp -r tests/proc/autoconf "$tmp/acdemo"
# build_failed MESSAGE: fails with the tails of config.log and of the
# output of autoreconf, configure and make.
build_failed() {
	echo "--- config.log"
	tail -n 60 "$tmp/acdemo/config.log" 2>/dev/null || true
	echo "--- configure and make"
	tail -n 40 "$tmp/build.log"
	fail "$1"
}
t0=$SECONDS
(cd "$tmp/acdemo" && autoreconf -fi) >"$tmp/build.log" 2>&1 ||
	build_failed "autoreconf -fi failed"
t1=$SECONDS
build=$("$tmp/acdemo/build-aux/config.guess")
(cd "$tmp/acdemo" && ./configure --build="$build" --host=x86_64-linux-musl \
	CC="$cc") >>"$tmp/build.log" 2>&1 ||
	build_failed "configure failed"
t2=$SECONDS
make -C "$tmp/acdemo" >>"$tmp/build.log" 2>&1 || build_failed "make failed"
echo "autoreconf $((t1 - t0))s, configure $((t2 - t1))s, make $((SECONDS - t2))s" >&2

grep -q '^checking whether we are cross compiling\.\.\. yes$' "$tmp/build.log" ||
	build_failed "configure was not in cross mode"
if grep -q '^configure:[0-9]*: \./conftest' "$tmp/acdemo/config.log"; then
	build_failed "configure ran a program it built"
fi
# What configure (and libtool) ask of a compiler without an input file.
awk '/rumpxen-cc --version >&5$/ { f = 1 } f && /: \$\? = / { print; exit }' \
	"$tmp/acdemo/config.log" | grep -q ' = 0$' || build_failed "rumpxen-cc --version failed"
[ "$("$cc" -dumpmachine)" = x86_64-linux-musl ] || build_failed "rumpxen-cc -dumpmachine"
[ "$("$cc" -print-prog-name=ld)" = ld ] || build_failed "rumpxen-cc -print-prog-name=ld"
grep -q 'dependency style of .*rumpxen-cc\.\.\. gcc3' "$tmp/build.log" ||
	build_failed "automake's dependency tracking is not in gcc3 mode"
grep -q 'stats\.h' "$tmp/acdemo/.deps/acdemo.Po" ||
	build_failed "the dependencies of acdemo.o do not name stats.h"
grep -q 'build/musl/include/stdio\.h' "$tmp/acdemo/.deps/acdemo.Po" ||
	build_failed "acdemo.o was not compiled with musl's headers"
# Nothing to do after make; after a change of stats.h, both objects are
# compiled again, and acdemo linked again.
make -C "$tmp/acdemo" >"$tmp/again.log" 2>&1 || build_failed "make again failed"
if grep -q rumpxen-cc "$tmp/again.log"; then
	cat "$tmp/again.log"
	build_failed "make again built something"
fi
# stats.h is made newer than everything else by giving every file of the
# tree one time two minutes back first, not by the clock alone: on a file
# system that keeps seconds only (ext4 with 128-byte inodes), a touch in
# the same second as the build leaves stats.h as old as the objects, and
# make rightly sees nothing to do.
find "$tmp/acdemo" -exec touch -h -d "@$(($(date +%s) - 120))" {} +
touch "$tmp/acdemo/stats.h"
make -C "$tmp/acdemo" >"$tmp/again.log" 2>&1 || build_failed "make after touch failed"
for o in acdemo.o stats.o; do
	grep -q -- "-c -o $o" "$tmp/again.log" ||
		build_failed "$o was not compiled again after a change of stats.h"
done
grep -q -- "-o acdemo acdemo.o libstats.a" "$tmp/again.log" ||
	build_failed "acdemo was not linked again after a change of stats.h"

t0=$SECONDS
boot "$tmp/acdemo/acdemo" 3 1 4 1 5 9 2 6
echo "boot $((SECONDS - t0))s" >&2
cat "$out"
expect_rc 31
expect_grep "$out" '^package: acdemo 1\.0$'
expect_grep "$out" '^host: x86_64-pc-linux-musl$'
for v in HAVE_PTHREAD_CREATE HAVE_CLOCK_GETTIME HAVE_GETRANDOM HAVE_MMAP \
	HAVE_STDINT_H HAVE_PTHREAD_H HAVE_SYS_MMAN_H HAVE_LIBM HAVE_LIBPTHREAD; do
	expect_grep "$out" "^$v=1$"
done
# Not in musl: configure looked at musl, not at the host's glibc.
expect_grep "$out" '^HAVE_ARC4RANDOM=0$'
expect_grep "$out" '^HAVE_EXECINFO_H=0$'
expect_grep "$out" '^SIZEOF_LONG=8$'
expect_grep "$out" '^SIZEOF_VOID_P=8$'
expect_grep "$out" '^clock_gettime: ok$'
expect_grep "$out" '^getrandom: 16 bytes$'
expect_grep "$out" '^count=8 sum=31 threads=4$'
expect_grep "$out" '^mean=3\.875 stddev=2\.571$'
echo ok
