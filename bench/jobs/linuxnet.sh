# The baseline of the network benchmark: a Debian Linux domU running
# tools/xenhost/netecho.c (frame echo and TCP echo). Its address is the
# one the runner gives the third job of bench/net.sh's batch.
#@ net
#@ image build/xenhost/vmlinux
#@ ramdisk build/xenhost/domu-netecho.cpio
#@ xl extra="console=hvc0 rdinit=/init quiet -- 192.0.2.12"
#@ xl memory=256
#@ dom0 bench/dom0/linuxnet.dom0
#@ timeout 900
