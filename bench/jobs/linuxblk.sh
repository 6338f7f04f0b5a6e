# The baseline of the disk benchmark: a Debian Linux domU running
# tools/xenhost/blkbench.c (O_DIRECT) on a 64 MiB vbd of the same kind.
#@ setup truncate -s 64M disk.img
#@ disk disk.img
#@ image build/xenhost/vmlinux
#@ ramdisk build/xenhost/domu-blkbench.cpio
#@ xl extra="console=hvc0 rdinit=/init quiet -- /dev/xvda 3"
#@ xl memory=256
#@ timeout 600
