/*
 * kern_init: the kernel world comes up, bottom to top: the core (rumpuser
 * and the virtual CPU), the platform's fault hook (a program's fault
 * becomes its signal) and shutdown hook (xl shutdown becomes SIGTERM),
 * the VFS with its root and the configuration's
 * mounts, the devices at /dev, /etc's usual files, the RAM disk's cpio
 * archive unpacked into the root (a damaged archive is reported, not
 * fatal; its files win), /proc and /sys, the network (lwIP, loopback and the
 * configured vifs) and /etc/resolv.conf from it. The one file of kern/ that
 * calls into every layer.
 */
#include "net/net.h"
#include "sys/sys.h"
#include "vfs/vfs.h"

int
kern_init(void)
{
	int err = kern_core_init();

	if (err != 0)
		return err;
	kern_boot_ns = kern_now();
	platform_fault_hook_set(kern_signal_fault);
	platform_shutdown_hook_set(kern_signal_shutdown);
	kern_enter();
	err = vfs_init();
	if (err == 0)
		err = dev_init();
	if (err == 0) {
		kern_etc_init();
		kern_cpio_unpack();
		kern_proc_init();
	}
	if (err == 0)
		err = kern_net_init();
	if (err == 0)
		kern_etc_resolv();
	kern_leave();
	return err;
}
