# The rumpxen side of the disk benchmark: bench/guests/blkbench.c on a
# 64 MiB vbd.
#@ setup truncate -s 64M disk.img
#@ disk disk.img
#@ image build/bench/blkbench.elf 3
#@ timeout 600
