# Tier 3: the xenstore client of a domU against dom0's xenstored, with
# dom0 writing its part (xenstore.dom0, xstx.dom0): reads, watches,
# configuration, 100 transactions that conflict and retry; and
# `xl shutdown` ending a sleeping guest cleanly with status 0.
. "$(dirname "$0")/../lib.bash"

boot --xl --dom0-script tests/system/xenstore.dom0 "$GUESTS/xs.elf" rx1
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: platform_config_get reads the domain.s xenstore keys$'

boot --xl --dom0-script tests/system/xstx.dom0 "$GUESTS/xstx.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: 100 transactions committed, each exactly once'

boot --xl --dom0-script tests/system/shutdown.dom0 "$GUESTS/sleeper.elf"
cat "$out"
expect_rc 0
expect_grep "$out" '^rumpxen: the toolstack asked for poweroff$'
echo ok
