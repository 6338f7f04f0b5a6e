/*
 * The RAM disk as an initramfs: when the RAM disk (rumpuser's
 * /dev/ramdisk, or the device the configuration's initramfs= names) holds
 * a cpio archive in the newc format (magic 070701, or 070702 with
 * checksums), its files are unpacked into the root at boot, as Linux
 * does: directories, regular files, symlinks and hard links (by inode
 * number: a later name links to the first, and the data may come with
 * any of them), with their modes, owners and mtimes (a directory's last,
 * after what it holds). Leading "./" and "/" are dropped from names, and
 * missing parent directories are made. Device nodes, fifos and sockets
 * are skipped with a message. Any other RAM disk stays a block device.
 *
 * A damaged archive (a bad magic, a field that is not hexadecimal, a name
 * without its NUL, a size past the end of the disk) stops the unpacking
 * with a message naming the byte where it went wrong; what was unpacked
 * before stays.
 *
 * It unpacks through the system calls (openat, write, mkdirat, linkat,
 * fchmodat, utimensat...), as a program would, so what it makes obeys
 * the same rules; that is why it lives in the syscall layer.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define CPIO_HDR	     110
#define CPIO_CHUNK	     65536
#define CPIO_LINKS	     256
#define O_WRONLY_CREAT_TRUNC (KERN_O_WRONLY | KERN_O_CREAT | KERN_O_TRUNC)

/* The fields of a newc header, in order. */
enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_SIZE,
	F_MAJ,
	F_MIN,
	F_RMAJ,
	F_RMIN,
	F_NAMESIZE,
	F_CHECK,
	F_COUNT
};

struct cpio {
	int fd;	       /* rumpuser's, of the RAM disk */
	uint64_t size; /* its size */
	uint64_t off;  /* where the next header starts */
	char *buf;     /* CPIO_CHUNK bytes */
	char path[VFS_PATH_MAX];
	unsigned long fields[F_COUNT];
	struct {
		unsigned long ino, dev;
		char *path;
	} links[CPIO_LINKS];
	int nlinks;
	/* directories' mtimes, set at the end */
	struct cpio_dir {
		struct cpio_dir *next;
		unsigned long mtime;
		char path[];
	} * dirs;
	unsigned long files;
};

/* cpio_read: len bytes at off; 0, or -EIO past the end or on an error. */
static int
cpio_read(struct cpio *c, void *buf, size_t len, uint64_t off)
{
	struct rumpuser_iovec iov = {buf, len};
	size_t got = 0;

	if (off > c->size || len > c->size - off)
		return -KERN_EIO;
	if (rumpuser_iovread(c->fd, &iov, 1, (int64_t)off, &got) != 0 ||
	    got != len)
		return -KERN_EIO;
	return 0;
}

/* cpio_parents: the directories above path, made if missing. */
static void
cpio_parents(char *path)
{
	for (char *p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		kern_sys_call(sys_mkdirat, AT_FDCWD, (long)path, 0755, 0, 0);
		*p = '/';
	}
}

/* cpio_attrs: mode, owners and mtime of what path names now. */
static void
cpio_attrs(struct cpio *c, const char *path, int is_link)
{
	const unsigned long *f = c->fields;
	const struct kern_timespec t[2] = {{(long)f[F_MTIME], 0},
					   {(long)f[F_MTIME], 0}};

	if (!is_link)
		kern_sys_call(sys_fchmodat, AT_FDCWD, (long)path,
			      (long)(f[F_MODE] & 07777), 0, 0);
	kern_sys_call(sys_fchownat, AT_FDCWD, (long)path, (long)f[F_UID],
		      (long)f[F_GID], 0x100 /* AT_SYMLINK_NOFOLLOW */);
	kern_sys_call(sys_utimensat, AT_FDCWD, (long)path, (long)t, 0x100, 0);
}

/* cpio_copy: the file's data from the disk at off into fd. */
static long
cpio_copy(struct cpio *c, long fd, uint64_t off, unsigned long size)
{
	for (unsigned long done = 0; done < size;) {
		size_t n = size - done < CPIO_CHUNK ? size - done : CPIO_CHUNK;
		if (cpio_read(c, c->buf, n, off + done) != 0)
			return -KERN_EIO;
		long w = kern_sys_call(sys_write, fd, (long)c->buf, (long)n, 0,
				       0);
		if (w != (long)n)
			return w < 0 ? w : -KERN_ENOSPC;
		done += n;
	}
	return 0;
}

/* cpio_link_of: the path first unpacked for this inode, or NULL. */
static const char *
cpio_link_of(struct cpio *c)
{
	unsigned long dev = c->fields[F_MAJ] << 32 | c->fields[F_MIN];

	for (int i = 0; i < c->nlinks; i++)
		if (c->links[i].ino == c->fields[F_INO] &&
		    c->links[i].dev == dev)
			return c->links[i].path;
	void *p;
	if (c->nlinks < CPIO_LINKS &&
	    rumpuser_malloc(strlen(c->path) + 1, 0, &p) == 0) {
		c->links[c->nlinks].path = p;
		strcpy(p, c->path);
		c->links[c->nlinks].ino = c->fields[F_INO];
		c->links[c->nlinks++].dev = dev;
	}
	return NULL;
}

/* cpio_file: a regular file (or another name of one) from data at off. */
static long
cpio_file(struct cpio *c, uint64_t off)
{
	const char *first = c->fields[F_NLINK] > 1 ? cpio_link_of(c) : NULL;
	long fd, err = 0;

	if (first != NULL) {
		kern_sys_call(sys_unlinkat, AT_FDCWD, (long)c->path, 0, 0, 0);
		err = kern_sys_call(sys_linkat, AT_FDCWD, (long)first, AT_FDCWD,
				    (long)c->path, 0);
		if (err != 0 || c->fields[F_SIZE] == 0)
			return err;
	}
	fd = kern_sys_call(sys_openat, AT_FDCWD, (long)c->path,
			   O_WRONLY_CREAT_TRUNC, 0600, 0);
	if (fd < 0)
		return fd;
	err = cpio_copy(c, fd, off, c->fields[F_SIZE]);
	kern_sys_call(sys_close, fd, 0, 0, 0, 0);
	return err;
}

static long
cpio_symlink(struct cpio *c, uint64_t off)
{
	unsigned long size = c->fields[F_SIZE];

	if (size == 0 || size >= CPIO_CHUNK)
		return -KERN_EINVAL;
	if (cpio_read(c, c->buf, size, off) != 0)
		return -KERN_EIO;
	c->buf[size] = '\0';
	kern_sys_call(sys_unlinkat, AT_FDCWD, (long)c->path, 0, 0, 0);
	return kern_sys_call(sys_symlinkat, (long)c->buf, AT_FDCWD,
			     (long)c->path, 0, 0);
}

static long
cpio_dir(struct cpio *c)
{
	struct cpio_dir *d;
	long err =
		kern_sys_call(sys_mkdirat, AT_FDCWD, (long)c->path, 0700, 0, 0);
	void *p;

	if (err != 0 && err != -17)
		return err;
	if (rumpuser_malloc(sizeof(*d) + strlen(c->path) + 1, 0, &p) == 0) {
		d = p;
		d->mtime = c->fields[F_MTIME];
		strcpy(d->path, c->path);
		d->next = c->dirs;
		c->dirs = d;
	}
	return 0;
}

/* cpio_hex: the eight hex digits at p; -1 if they are not. */
static long
cpio_hex(const char *p)
{
	unsigned long v = 0;

	for (int i = 0; i < 8; i++) {
		char ch = p[i];
		int d = ch >= '0' && ch <= '9'	 ? ch - '0'
			: ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
			: ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
						 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (unsigned long)d;
	}
	return (long)v;
}

/* cpio_bad: the message for damage at byte off; -EIO. */
static int
cpio_bad(const struct cpio *c, uint64_t off, const char *what)
{
	platform_console_printf("rumpxen: the RAM disk's cpio archive is "
				"damaged at byte %lu: %s; unpacking stops "
				"after %lu files\n",
				(unsigned long)off, what, c->files);
	return -KERN_EIO;
}

/*
 * cpio_header: the header at c->off and the name after it (into c->buf)
 * are read and checked: 0 with c->fields set, *data_off where the data
 * starts and c->off at the next entry; -EIO when the archive is damaged.
 */
static int
cpio_header(struct cpio *c, uint64_t *data_off)
{
	char hdr[CPIO_HDR];
	unsigned long *f = c->fields;

	if (cpio_read(c, hdr, CPIO_HDR, c->off) != 0)
		return cpio_bad(c, c->off, "a header past the end");
	if (memcmp(hdr, "07070", 5) != 0 || (hdr[5] != '1' && hdr[5] != '2'))
		return cpio_bad(c, c->off, "not a newc header");
	for (int i = 0; i < F_COUNT; i++) {
		long v = cpio_hex(hdr + 6 + 8 * i);
		if (v < 0)
			return cpio_bad(c, c->off + 6 + 8 * (unsigned)i,
					"not a hexadecimal field");
		f[i] = (unsigned long)v;
	}
	uint64_t name_off = c->off + CPIO_HDR;
	*data_off = (name_off + f[F_NAMESIZE] + 3) & ~3ull;
	uint64_t next = (*data_off + f[F_SIZE] + 3) & ~3ull;
	if (f[F_NAMESIZE] < 2 || f[F_NAMESIZE] > VFS_PATH_MAX - 2 ||
	    cpio_read(c, c->buf, f[F_NAMESIZE], name_off) != 0 ||
	    c->buf[f[F_NAMESIZE] - 1] != '\0' ||
	    strlen(c->buf) != f[F_NAMESIZE] - 1)
		return cpio_bad(c, name_off, "a bad name");
	if (*data_off + f[F_SIZE] > c->size)
		return cpio_bad(c, *data_off, "data past the end of the disk");
	c->off = next;
	return 0;
}

/*
 * cpio_make: the file c->path of the entry just read, its data at
 * data_off, is made with its attributes; what cannot be made is skipped
 * with a message.
 */
static void
cpio_make(struct cpio *c, uint64_t data_off)
{
	unsigned long type = c->fields[F_MODE] & S_IFMT;
	long err;

	switch (type) {
	case S_IFDIR:
		err = cpio_dir(c);
		break;
	case S_IFREG:
		err = cpio_file(c, data_off);
		break;
	case S_IFLNK:
		err = cpio_symlink(c, data_off);
		break;
	default:
		platform_console_printf("rumpxen: initramfs: %s skipped (a "
					"device, fifo or socket)\n",
					c->path);
		return;
	}
	if (err != 0) {
		platform_console_printf("rumpxen: initramfs: %s: error %ld\n",
					c->path, -err);
		return;
	}
	cpio_attrs(c, c->path, type == S_IFLNK);
	c->files++;
}

/*
 * cpio_entry: the entry at c->off, unpacked; 1 at the trailer, 0 to go
 * on, -EIO when the archive is damaged.
 */
static int
cpio_entry(struct cpio *c)
{
	uint64_t data_off;

	if (cpio_header(c, &data_off) != 0)
		return -KERN_EIO;
	if (strcmp(c->buf, "TRAILER!!!") == 0)
		return 1;
	/* The name, from the root: "./a/b", "a/b" and "/a/b" alike. */
	const char *name = c->buf;
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/')
		name++;
	if (name[0] == '\0' || strcmp(name, ".") == 0)
		return 0; /* the root itself */
	c->path[0] = '/';
	strcpy(c->path + 1, name);
	cpio_parents(c->path);
	cpio_make(c, data_off);
	return 0;
}

static void
cpio_done(struct cpio *c)
{
	while (c->dirs != NULL) {
		struct cpio_dir *d = c->dirs;
		const struct kern_timespec t[2] = {{(long)d->mtime, 0},
						   {(long)d->mtime, 0}};
		/* Newest first: children before their parents. */
		kern_sys_call(sys_utimensat, AT_FDCWD, (long)d->path, (long)t,
			      0, 0);
		c->dirs = d->next;
		rumpuser_free(d, sizeof(*d) + strlen(d->path) + 1);
	}
	for (int i = 0; i < c->nlinks; i++)
		rumpuser_free(c->links[i].path, strlen(c->links[i].path) + 1);
	rumpuser_free(c->buf, CPIO_CHUNK);
}

int
kern_cpio_unpack(void)
{
	const char *dev = platform_config_get("initramfs");
	struct cpio *c;
	char magic[6];
	int type, r = 0;
	void *p;

	if (dev == NULL)
		dev = "/dev/ramdisk";
	if (rumpuser_malloc(sizeof(*c), 0, &p) != 0)
		return -KERN_ENOMEM;
	c = p;
	memset(c, 0, sizeof(*c));
	if (rumpuser_getfileinfo(dev, &c->size, &type) != 0 ||
	    rumpuser_open(dev, RUMPUSER_OPEN_RDONLY, &c->fd) != 0) {
		rumpuser_free(c, sizeof(*c));
		return 0; /* no RAM disk */
	}
	if (cpio_read(c, magic, sizeof(magic), 0) == 0 &&
	    memcmp(magic, "07070", 5) == 0 &&
	    (magic[5] == '1' || magic[5] == '2') &&
	    rumpuser_malloc(CPIO_CHUNK, 0, &p) == 0) {
		c->buf = p;
		while ((r = cpio_entry(c)) == 0)
			;
		cpio_done(c);
		platform_console_printf("rumpxen: initramfs: %lu files "
					"unpacked\n",
					c->files);
	}
	rumpuser_close(c->fd);
	rumpuser_free(c, sizeof(*c));
	return r < 0 ? -KERN_EIO : 0;
}
