# The runner's own failures: no status line ever, so its own status and a
# "rumpxen run:" line on stderr. An image that is not ELF is refused before
# QEMU starts; an ELF that Xen cannot build a domain from makes Xen panic;
# QEMU failing to run is reported with what QEMU said.
. "$(dirname "$0")/../lib.bash"

printf 'not an image\n' >"$tmp/junk.elf"
boot "$tmp/junk.elf"
expect_rc 125
expect_grep "$err" '^rumpxen run: .*is not an ELF image'

boot /bin/true
expect_rc 125
expect_grep "$err" '^rumpxen run: the guest ended without printing its exit status'

printf '#!/bin/sh\necho "qemu: cannot start" >&2\nexit 1\n' >"$tmp/qemu"
chmod +x "$tmp/qemu"
RUMPXEN_QEMU=$tmp/qemu boot build/hello.elf 3
expect_rc 125
expect_grep "$err" '^rumpxen run: QEMU exited with status 1 .*qemu: cannot start'

boot --ramdisk "$tmp/missing" build/hello.elf
expect_rc 125
expect_grep "$err" '^rumpxen run: the RAM disk .* is not a file'
echo ok
