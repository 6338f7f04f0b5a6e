# The baseline of the boot benchmark: Debian's Linux (the kernel dom0 runs)
# as a PV domU with a tiny initramfs (tools/xenhost/mkdomu) whose init
# prints a line and powers off. Its first console line comes when the
# kernel's console registers.
#@ image build/xenhost/vmlinux
#@ ramdisk build/xenhost/domu.cpio
#@ xl extra="console=hvc0 rdinit=/init"
#@ xl memory=256
