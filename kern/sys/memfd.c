/*
 * memfd_create: a file of memory that no path names, as Linux's: a file
 * of the kernel's own tmpfs (vfs_anon_root, mounted nowhere) made and
 * unlinked at once, open read and write, mode 0777, named
 * "/memfd:NAME (deleted)" in /proc/self/fd, as on Linux.
 * It grows, maps shared and reads as any tmpfs file, and goes with its
 * last reference. MFD_CLOEXEC sets close-on-exec; MFD_ALLOW_SEALING is
 * taken (no seal is ever set: fcntl's seal commands stay EINVAL);
 * MFD_HUGETLB and unknown flags, or a name of more than 249 bytes, are
 * EINVAL.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define MFD_CLOEXEC	  1
#define MFD_ALLOW_SEALING 2
#define MEMFD_NAME_MAX	  249

long
sys_memfd_create(const long a[6])
{
	static unsigned long serial;
	const char *name = (const char *)a[0];
	char entry[VFS_NAME_MAX + 1];
	struct kern_file *f;
	struct vnode *dir, *vp;
	if (name == NULL)
		return -KERN_EFAULT;
	size_t len = strnlen(name, MEMFD_NAME_MAX + 1);
	if (len > MEMFD_NAME_MAX ||
	    (a[1] & ~(long)(MFD_CLOEXEC | MFD_ALLOW_SEALING)) != 0)
		return -KERN_EINVAL;
	if (!kern_fd_room())
		return -KERN_EMFILE;
	long err = vfs_anon_root(&dir);
	if (err != 0)
		return err;
	/* A name of its own for the moment it is in the directory. */
	size_t n = fmt_snprintf(entry, sizeof(entry), "memfd:%lu", ++serial);
	err = dir->ops->create(dir, entry, n, S_IFREG | 0777, 0, &vp);
	if (err != 0)
		return err;
	dir->ops->remove(dir, entry, n, vp);
	err = vfs_open_vnode(vp, KERN_O_RDWR, &f);
	if (err != 0) {
		vnode_put(vp);
		return err;
	}
	char path[MEMFD_NAME_MAX + 8];
	fmt_snprintf(path, sizeof(path), "/memfd:%s", name);
	kern_file_path_keep(f, path);
	long fd = kern_fd_install(f, 0, (a[1] & MFD_CLOEXEC) != 0);
	if (fd < 0) {
		kern_file_path_free(f);
		f->ops->release(f);
	}
	return fd;
}
