# Tier 3: a domU that faults reports it (the platform's own trap report,
# with the symbol) and exits 139.
#@ image build/tests/boot/fault.elf null
. "$(dirname "$0")/../lib.bash"
expect_rc 139
expect_grep "$out" '<fault_null\+0x[0-9a-f]+>'
echo ok
