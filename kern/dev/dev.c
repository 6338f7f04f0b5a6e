/*
 * Devices, and devfs: the tmpfs at /dev with their nodes.
 *
 * Character devices by Linux's numbers: null (1:3: reads end, writes
 * vanish), zero (1:5: zeros), full (1:7: zeros, writes ENOSPC), random
 * and urandom (1:8, 1:9: rumpuser_getrandom; writes are taken and
 * dropped), tty (5:0) and console (5:1: the console file). Block devices
 * are the ones the platform offers through rumpuser (the RAM disk as
 * ram0, 1:0; Xen's vbds as xvda... 202:16n), read and written at any
 * offset through rumpuser_iovread/iovwrite, with lseek
 * and the ioctl BLKGETSIZE64. A node whose number is none of these opens
 * as ENXIO.
 */
#include <string.h>

#include "../vfs/vfs.h"

#define BLKGETSIZE64  0x80081272
#define DEV(ma, mi)   ((unsigned long)(ma) << 8 | (mi))
#define DEV_XVD_MAJOR 202
#define DEV_XVD_MAX   8

static long
dev_null_read(struct kern_file *f, void *buf, size_t len)
{
	(void)f;
	(void)buf;
	(void)len;
	return 0;
}

static long
dev_sink_write(struct kern_file *f, const void *buf, size_t len)
{
	(void)f;
	(void)buf;
	return (long)len;
}

static long
dev_zero_read(struct kern_file *f, void *buf, size_t len)
{
	(void)f;
	memset(buf, 0, len);
	return (long)len;
}

static long
dev_full_write(struct kern_file *f, const void *buf, size_t len)
{
	(void)f;
	(void)buf;
	(void)len;
	return -KERN_ENOSPC;
}

static long
dev_random_read(struct kern_file *f, void *buf, size_t len)
{
	size_t got = 0;

	(void)f;
	if (rumpuser_getrandom(buf, len, 0, &got) != 0)
		return -KERN_EIO;
	return (long)got;
}

/* A device's lseek: anywhere, as Linux's character devices allow. */
static long
dev_lseek(struct kern_file *f, long off, int whence)
{
	(void)whence;
	f->offset = off < 0 ? 0 : off;
	return 0;
}

static long
dev_fstat(struct kern_file *f, struct kern_stat *st)
{
	vnode_stat(f->vnode, st);
	return 0;
}

static void
dev_release(struct kern_file *f)
{
	if (f->priv != NULL)
		rumpuser_close((int)(long)f->priv - 1);
	vnode_put(f->vnode);
	rumpuser_free(f, sizeof(*f));
}

static const struct kern_file_ops dev_null_ops = {
	.read = dev_null_read,
	.write = dev_sink_write,
	.lseek = dev_lseek,
	.fstat = dev_fstat,
	.release = dev_release,
};
static const struct kern_file_ops dev_zero_ops = {
	.read = dev_zero_read,
	.write = dev_sink_write,
	.lseek = dev_lseek,
	.fstat = dev_fstat,
	.release = dev_release,
};
static const struct kern_file_ops dev_full_ops = {
	.read = dev_zero_read,
	.write = dev_full_write,
	.lseek = dev_lseek,
	.fstat = dev_fstat,
	.release = dev_release,
};
static const struct kern_file_ops dev_random_ops = {
	.read = dev_random_read,
	.write = dev_sink_write,
	.lseek = dev_lseek,
	.fstat = dev_fstat,
	.release = dev_release,
};

/* A block device: priv is rumpuser's fd + 1, size in the vnode. */
static int
dev_blk_fd(struct kern_file *f)
{
	return (int)(long)f->priv - 1;
}

static long
dev_blk_pread(struct kern_file *f, void *buf, size_t len, long off)
{
	struct rumpuser_iovec iov = {buf, len};
	size_t got = 0;
	int err;

	if (off < 0)
		return -KERN_EINVAL;
	if (off >= f->vnode->size)
		return 0;
	if ((long)len > f->vnode->size - off)
		iov.iov_len = (size_t)(f->vnode->size - off);
	err = rumpuser_iovread(dev_blk_fd(f), &iov, 1, off, &got);
	return err != 0 ? kern_errno(err) : (long)got;
}

static long
dev_blk_pwrite(struct kern_file *f, const void *buf, size_t len, long off)
{
	struct rumpuser_iovec iov = {(void *)buf, len};
	size_t got = 0;
	int err;

	if (off < 0)
		return -KERN_EINVAL;
	if (off >= f->vnode->size)
		return len == 0 ? 0 : -KERN_ENOSPC;
	if ((long)len > f->vnode->size - off)
		iov.iov_len = (size_t)(f->vnode->size - off);
	err = rumpuser_iovwrite(dev_blk_fd(f), &iov, 1, off, &got);
	return err != 0 ? kern_errno(err) : (long)got;
}

static long
dev_blk_read(struct kern_file *f, void *buf, size_t len)
{
	long r = dev_blk_pread(f, buf, len, f->offset);

	if (r > 0)
		f->offset += r;
	return r;
}

static long
dev_blk_write(struct kern_file *f, const void *buf, size_t len)
{
	long r = dev_blk_pwrite(f, buf, len, f->offset);

	if (r > 0)
		f->offset += r;
	return r;
}

static long
dev_blk_lseek(struct kern_file *f, long off, int whence)
{
	long base = whence == 0 ? 0 : whence == 1 ? f->offset : f->vnode->size;

	if (whence < 0 || whence > 2 || base + off < 0)
		return -KERN_EINVAL;
	f->offset = base + off;
	return f->offset;
}

static long
dev_blk_ioctl(struct kern_file *f, unsigned long req, long arg)
{
	if (req != BLKGETSIZE64)
		return -KERN_ENOTTY;
	*(uint64_t *)arg = (uint64_t)f->vnode->size;
	return 0;
}

static const struct kern_file_ops dev_blk_ops = {
	.read = dev_blk_read,
	.write = dev_blk_write,
	.pread = dev_blk_pread,
	.pwrite = dev_blk_pwrite,
	.lseek = dev_blk_lseek,
	.ioctl = dev_blk_ioctl,
	.fstat = dev_fstat,
	.release = dev_release,
};

/* The console's operations, with a node's fstat and release. */
static struct kern_file_ops dev_console_ops;

/* The platform's block devices: their names and numbers. */
struct dev_blk {
	char name[16]; /* in /dev */
	char host[24]; /* rumpuser's */
	unsigned long rdev;
};

static struct dev_blk dev_blks[DEV_XVD_MAX + 1];
static int dev_nblks;

static const struct dev_blk *
dev_blk_of(unsigned long rdev)
{
	for (int i = 0; i < dev_nblks; i++)
		if (dev_blks[i].rdev == rdev)
			return &dev_blks[i];
	return NULL;
}

const char *
dev_blk_name(unsigned long rdev)
{
	const struct dev_blk *b = dev_blk_of(rdev);

	return b != NULL ? b->host : NULL;
}

long
dev_open(struct vnode *vp, int flags, struct kern_file *f)
{
	const struct kern_file_ops *ops = NULL;

	if ((vp->mode & S_IFMT) == S_IFCHR) {
		switch (vp->rdev) {
		case DEV(1, 3):
			ops = &dev_null_ops;
			break;
		case DEV(1, 5):
			ops = &dev_zero_ops;
			break;
		case DEV(1, 7):
			ops = &dev_full_ops;
			break;
		case DEV(1, 8):
		case DEV(1, 9):
			ops = &dev_random_ops;
			break;
		case DEV(5, 0):
		case DEV(5, 1):
			ops = &dev_console_ops;
			break;
		}
		f->ops = ops;
		return ops != NULL ? 0 : -KERN_ENXIO;
	}
	const struct dev_blk *b = dev_blk_of(vp->rdev);
	int fd, mode = (flags & KERN_O_ACCMODE) == KERN_O_RDONLY
			       ? RUMPUSER_OPEN_RDONLY
			       : RUMPUSER_OPEN_RDWR;
	if (b == NULL)
		return -KERN_ENXIO;
	int err = rumpuser_open(b->host, mode, &fd);
	if (err != 0)
		return kern_errno(err);
	f->ops = &dev_blk_ops;
	f->priv = (void *)(long)(fd + 1);
	return 0;
}

/* dev_node: a node in /dev. */
static void
dev_node(struct vnode *dev, const char *name, unsigned mode, unsigned long rdev,
	 long size)
{
	struct vnode *vp;

	if (dev->ops->create(dev, name, strlen(name), mode, rdev, &vp) == 0) {
		vp->size = size;
		vnode_put(vp);
	}
}

/* dev_probe: the block device host, if the platform has it. */
static void
dev_probe(struct vnode *dev, const char *name, const char *host,
	  unsigned long rdev)
{
	uint64_t size;
	int type;

	if (rumpuser_getfileinfo(host, &size, &type) != 0 ||
	    type != RUMPUSER_FT_BLK)
		return;
	struct dev_blk *b = &dev_blks[dev_nblks++];
	strcpy(b->name, name);
	strcpy(b->host, host);
	b->rdev = rdev;
	dev_node(dev, name, S_IFBLK | 0660, rdev, (long)size);
}

int
dev_init(void)
{
	struct vfs_path p;
	int err;

	err = vfs_lookup(AT_FDCWD, "/dev", VFS_PARENT, &p);
	if (err != 0)
		return err;
	if (p.vp == NULL)
		err = p.dir->ops->create(p.dir, p.name, p.len, S_IFDIR | 0755,
					 0, &p.vp);
	if (err == -KERN_EROFS) {
		/* A root image, read-only, with no /dev: no devices. */
		platform_console_printf("dev: the root is read-only and has "
					"no /dev: no device nodes\n");
		vfs_path_done(&p);
		return 0;
	}
	if (err == 0)
		err = vfs_mount(p.vp, "tmpfs", NULL, "mode=755", 0);
	vfs_path_done(&p);
	if (err != 0)
		return err;
	dev_console_ops = *kern_console_file.ops;
	dev_console_ops.fstat = dev_fstat;
	dev_console_ops.release = dev_release;
	struct vnode *dev = NULL;
	err = vfs_lookup(AT_FDCWD, "/dev", VFS_FOLLOW, &p);
	if (err != 0)
		return err;
	dev = p.vp;
	dev_node(dev, "null", S_IFCHR | 0666, DEV(1, 3), 0);
	dev_node(dev, "zero", S_IFCHR | 0666, DEV(1, 5), 0);
	dev_node(dev, "full", S_IFCHR | 0666, DEV(1, 7), 0);
	dev_node(dev, "random", S_IFCHR | 0666, DEV(1, 8), 0);
	dev_node(dev, "urandom", S_IFCHR | 0666, DEV(1, 9), 0);
	dev_node(dev, "tty", S_IFCHR | 0666, DEV(5, 0), 0);
	dev_node(dev, "console", S_IFCHR | 0600, DEV(5, 1), 0);
	if (dev->ops->lookup(dev, "console", 7, &kern_console_node) != 0)
		kern_console_node = NULL; /* fstat of fds 0-2: no inode */
	dev_probe(dev, "ram0", "/dev/ramdisk", DEV(1, 0));
	for (int i = 0; i < DEV_XVD_MAX; i++) {
		char name[] = "xvda", host[] = "/dev/xvda";
		name[3] = host[8] = (char)('a' + i);
		dev_probe(dev, name, host, DEV(DEV_XVD_MAJOR, 16 * i));
	}
	vfs_path_done(&p);
	return 0;
}
