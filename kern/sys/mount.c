/*
 * mount(2) and umount2(2): the system calls over kern/vfs/mount.c. mount
 * takes a file system type and its options (no remount, no bind: EINVAL;
 * other flags ignored); umount2 takes MNT_FORCE, MNT_DETACH (both
 * ignored) and UMOUNT_NOFOLLOW, and a mount whose files nobody holds
 * (EBUSY otherwise).
 */
#include "../vfs/vfs.h"
#include "sys.h"

#define MS_REMOUNT	32
#define MS_BIND		4096
#define MNT_FORCE	1
#define MNT_DETACH	2
#define UMOUNT_NOFOLLOW 8

long
sys_mount(const long a[6])
{
	const char *target = (const char *)a[1];
	const char *fstype = (const char *)a[2];
	long flags = a[3];
	const char *options = (const char *)a[4];
	struct vfs_path p;
	long err;

	if (flags & (MS_REMOUNT | MS_BIND))
		return -KERN_EINVAL;
	if (fstype == NULL)
		return -KERN_ENODEV;
	err = vfs_lookup(AT_FDCWD, target, VFS_FOLLOW, &p);
	if (err != 0)
		return err;
	err = vfs_mount(p.vp, fstype, options);
	vfs_path_done(&p);
	return err;
}

long
sys_umount2(const long a[6])
{
	const char *target = (const char *)a[0];
	long flags = a[1];
	struct vfs_path p;
	long err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | UMOUNT_NOFOLLOW))
		return -KERN_EINVAL;
	err = vfs_lookup(AT_FDCWD, target,
			 flags & UMOUNT_NOFOLLOW ? 0 : VFS_FOLLOW, &p);
	if (err != 0)
		return err;
	return vfs_umount(&p);
}
