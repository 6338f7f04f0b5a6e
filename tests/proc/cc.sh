# tools/rumpxen-cc: a C program compiled and linked into an image in one
# step; the same in steps, as build systems do (-c, an archive, -L and -l,
# -Wl, and -lm -lpthread -static that musl folds away); -E with musl's
# headers; and a clear error for a library that is not there.
. "$(dirname "$0")/../lib.bash"
CCX=tools/rumpxen-cc

$CCX -O2 -Wall -o "$tmp/hello.elf" tests/proc/apps/hello_libc.c ||
	fail "rumpxen-cc could not build hello_libc.c"
boot "$tmp/hello.elf" 5
cat "$out"
expect_rc 5
expect_grep "$out" '^hello from musl: 42 text 3\.25$'
expect_grep "$out" '^argc=2 \[hello\] \[5\]$'

mkdir "$tmp/proj"
cat >"$tmp/proj/twice.c" <<'C'
int twice(int x) { return 2 * x; }
C
cat >"$tmp/proj/main.c" <<'C'
#include <math.h>
#include <stdio.h>
int twice(int);
int main(void)
{
	printf("twice(21) = %d, sqrt(2) = %.4f\n", twice(21), sqrt(2.0));
	return 0;
}
C
(cd "$tmp/proj" &&
	"$OLDPWD/$CCX" -O2 -c twice.c -o twice.o &&
	ar rcs libtwice.a twice.o &&
	"$OLDPWD/$CCX" -O2 -DUNUSED=1 -I. -c main.c &&
	"$OLDPWD/$CCX" -static -pthread -o prog.elf main.o -L. -ltwice -lm -lpthread \
		-Wl,-O1) || fail "the build in steps failed"
boot "$tmp/proj/prog.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^twice\(21\) = 42, sqrt\(2\) = 1\.4142$'

printf '#include <stdio.h>\n' | $CCX -E -x c - >"$tmp/pre" || fail "-E failed"
grep -q 'build/musl/include/stdio.h' "$tmp/pre" || fail "-E did not use musl's headers"

if $CCX -o "$tmp/x.elf" "$tmp/proj/main.c" -lnosuchlib 2>"$tmp/err"; then
	fail "a missing library was not an error"
fi
grep -q 'cannot find -lnosuchlib' "$tmp/err" || fail "no clear message for a missing library"
echo ok
