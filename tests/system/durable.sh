# Tier 3: a BLKFRONT_SYNC write (what rumpuser_bio's BIO_SYNC becomes) is
# in the disk file once it completed, even though the domain crashes
# right after, with no detach and no clean shutdown (guests/durable.c).
#@ setup truncate -s 1M disk.img
#@ disk disk.img
#@ image build/tests/system/durable.elf
#@ expect 8
. "$(dirname "$0")/../lib.bash"
cat "$out"
expect_rc 125
expect_grep "$out" '^the synced write completed: 0$'
expect_grep "$err" 'crashed'
got=$(dd if="$job/disk.img" bs=512 skip=8 count=1 2>/dev/null | tr -d '\0')
[ "$got" = "durable before its completion" ] || fail "the file holds [$got]"
echo ok
