/*
 * Open files of the VFS: what an fd on a vnode does.
 *
 * A regular file reads and writes at the file's offset (shared by dup),
 * or at the end with O_APPEND (pwrite too, as on Linux); writes set
 * mtime and ctime, reads atime (vnode_accessed: relatime). lseek takes
 * SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA and SEEK_HOLE. A directory's offset
 * is its readdir cookie (getdents64); reading one is EISDIR. A device node
 * opens as its device (kern/dev). An O_PATH file only names its vnode. FIONREAD
 * says how much is left to read.
 */
#include <string.h>

#include "vfs.h"

#define SEEK_SET  0
#define SEEK_CUR  1
#define SEEK_END  2
#define SEEK_DATA 3
#define SEEK_HOLE 4

static long
vfile_pread(struct kern_file *f, void *buf, size_t len, long off)
{
	struct vnode *vp = f->vnode;
	long r;

	if (off < 0)
		return -KERN_EINVAL;
	r = vp->ops->read(vp, buf, len, off);
	if (r >= 0)
		vnode_accessed(vp);
	return r;
}

static long
vfile_pwrite(struct kern_file *f, const void *buf, size_t len, long off)
{
	struct vnode *vp = f->vnode;
	long r;

	if (off < 0)
		return -KERN_EINVAL;
	if (len == 0)
		return 0;
	if (f->flags & KERN_O_APPEND)
		off = -1; /* Linux's pwrite appends, whatever off says */
	r = vp->ops->write(vp, buf, len, off);
	if (r > 0)
		vnode_touch(vp, VNODE_M | VNODE_C);
	return r;
}

static long
vfile_read(struct kern_file *f, void *buf, size_t len)
{
	long r = vfile_pread(f, buf, len, f->offset);

	if (r > 0)
		f->offset += r;
	return r;
}

static long
vfile_write(struct kern_file *f, const void *buf, size_t len)
{
	if (len == 0)
		return 0; /* nothing moves, not even an O_APPEND offset */
	long r = vfile_pwrite(f, buf, len, f->offset);
	if (r > 0 && (f->flags & KERN_O_APPEND))
		f->offset = f->vnode->size; /* the end it wrote to */
	else if (r > 0)
		f->offset += r;
	return r;
}

static long
vfile_lseek(struct kern_file *f, long off, int whence)
{
	struct vnode *vp = f->vnode;
	long base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->offset;
		break;
	case SEEK_END:
		base = vp->size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (off < 0 || off >= vp->size)
			return -KERN_ENXIO;
		if (S_ISDIR(vp->mode) || vp->ops->seek_data == NULL)
			return -KERN_EINVAL;
		base = vp->ops->seek_data(vp, off, whence == SEEK_HOLE);
		if (base < 0)
			return base;
		f->offset = base;
		return base;
	default:
		return -KERN_EINVAL;
	}
	if ((off > 0 && base > (long)(~0ul >> 1) - off))
		return -KERN_EOVERFLOW;
	if (base + off < 0)
		return -KERN_EINVAL;
	f->offset = base + off;
	return f->offset;
}

static long
vfile_ioctl(struct kern_file *f, unsigned long req, long arg)
{
	if (req != FIONREAD || !S_ISREG(f->vnode->mode))
		return -KERN_ENOTTY;
	long left = f->vnode->size - f->offset;
	*(int *)arg =
		left > 0 ? (int)(left > 0x7fffffff ? 0x7fffffff : left) : 0;
	return 0;
}

static long
vfile_fstat(struct kern_file *f, struct kern_stat *st)
{
	vnode_stat(f->vnode, st);
	return 0;
}

static void
vfile_release(struct kern_file *f)
{
	vnode_put(f->vnode);
	rumpuser_free(f, sizeof(*f));
}

static long
vfile_dir_read(struct kern_file *f, void *buf, size_t len)
{
	(void)f;
	(void)buf;
	(void)len;
	return -KERN_EISDIR;
}

static long
vfile_dir_pread(struct kern_file *f, void *buf, size_t len, long off)
{
	(void)off;
	return vfile_dir_read(f, buf, len);
}

static long
vfile_dir_lseek(struct kern_file *f, long off, int whence)
{
	/* A cookie: a place readdir gave, or the start. */
	if (whence == SEEK_CUR)
		off += f->offset;
	else if (whence != SEEK_SET)
		return -KERN_EINVAL;
	if (off < 0)
		return -KERN_EINVAL;
	f->offset = off;
	return off;
}

static const struct kern_file_ops vfile_reg_ops = {
	.read = vfile_read,
	.write = vfile_write,
	.pread = vfile_pread,
	.pwrite = vfile_pwrite,
	.lseek = vfile_lseek,
	.ioctl = vfile_ioctl,
	.fstat = vfile_fstat,
	.release = vfile_release,
};

static const struct kern_file_ops vfile_dir_ops = {
	.read = vfile_dir_read,
	.pread = vfile_dir_pread,
	.lseek = vfile_dir_lseek,
	.fstat = vfile_fstat,
	.release = vfile_release,
};

/* What an O_PATH file (or a symlink, a socket...) does: nothing. */
static const struct kern_file_ops vfile_path_ops = {
	.fstat = vfile_fstat,
	.release = vfile_release,
};

long
vfs_open_vnode(struct vnode *vp, int flags, struct kern_file **out)
{
	struct kern_file *f = kern_file_new(NULL, flags, NULL);

	if (f == NULL)
		return -KERN_ENOMEM;
	f->vnode = vp;
	if (flags & KERN_O_PATH)
		f->ops = &vfile_path_ops;
	else if (S_ISREG(vp->mode))
		f->ops = &vfile_reg_ops;
	else if (S_ISDIR(vp->mode))
		f->ops = &vfile_dir_ops;
	else
		f->ops = &vfile_path_ops;
	if (!(flags & KERN_O_PATH) && ((vp->mode & S_IFMT) == S_IFCHR ||
				       (vp->mode & S_IFMT) == S_IFBLK)) {
		long err = dev_open(vp, flags, f);
		if (err != 0) {
			rumpuser_free(f, sizeof(*f));
			return err;
		}
	}
	*out = f;
	return 0;
}

long
vfs_fd_vnode(long fd, struct vnode **out)
{
	struct kern_file *f = kern_fd_file(fd);

	if (f == NULL)
		return -KERN_EBADF;
	if (f->vnode == NULL)
		return -KERN_ENOTDIR; /* no file of the VFS */
	*out = f->vnode;
	return 0;
}
