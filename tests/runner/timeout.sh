# A guest that never prints a status line ends at the runner's time limit
# with status 124 and a "rumpxen run:" line on stderr that says so; its
# console output up to then is still shown.
. "$(dirname "$0")/../lib.bash"

BOOT_TIMEOUT=15 boot "$GUESTS/spin.elf"
expect_rc 124
expect_grep "$out" '^spinning forever$'
expect_grep "$err" '^rumpxen run: time limit of 15 s reached'
echo ok
