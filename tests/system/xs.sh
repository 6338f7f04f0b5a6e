# Tier 3: the xenstore client of a domU against dom0's xenstored, with
# dom0 writing its part (xs.dom0): the guest's own name and domid, a
# key from dom0, a watch on a key dom0 changes, configuration from
# xenstore.
#@ image build/tests/system/xs.elf xs
#@ dom0 tests/system/xs.dom0
#@ expect 7
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 0
expect_grep "$out" '^ok: platform_config_get reads the domain.s xenstore keys$'
echo ok
