# The rumpxen side of the TCP benchmark: NetBSD's TCP/IP on netfront
# (tests/rump/netbsd_xennet.c) echoing 8 MiB from dom0.
#@ net
#@ image build/tests/rump/netbsd_xennet.elf
#@ dom0 bench/dom0/rxtcp.dom0
#@ timeout 900
