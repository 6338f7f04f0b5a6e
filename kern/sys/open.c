/*
 * Opening files (openat, open, creat), their sizes (truncate, ftruncate,
 * fallocate), syncs (fsync, fdatasync, sync, syncfs: nothing waits to
 * be written on tmpfs, so they only check their fd), and copies between
 * fds (sendfile, copy_file_range) through a buffer kept between them, in
 * chunks of what the output can take now.
 *
 * openat follows Linux: O_CREAT makes a regular file (mode less the
 * umask) unless one is there (O_EXCL: EEXIST, and a final symlink is
 * then never followed), following a final symlink to where it points
 * otherwise; O_NOFOLLOW on a final symlink is ELOOP (but O_PATH opens the
 * link); O_DIRECTORY wants a directory; a directory opens only for
 * reading; O_TRUNC empties a regular file opened for writing; O_PATH
 * takes only O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC; O_TRUNC truncates a
 * regular file even opened read-only, as Linux's does. A FIFO opens as
 * a pipe shared by its opens (pipe.c's kern_fifo_open). O_TMPFILE is not
 * supported (EOPNOTSUPP). fallocate gives the range pages and makes the
 * file at least off + len long (not with FALLOC_FL_KEEP_SIZE); with
 * FALLOC_FL_PUNCH_HOLE (and KEEP_SIZE) it makes the range a hole.
 * Neither truncate nor fallocate grows a file past RLIMIT_FSIZE (EFBIG,
 * SIGXFSZ).
 */
#include "../vfs/vfs.h"
#include "sys.h"

#define FALLOC_KEEP_SIZE  1
#define FALLOC_PUNCH_HOLE 2
#define COPY_CHUNK	  65536 /* the most one read and write of a copy move */
#define COPY_SMALL	  1024 /* a copy's buffer on its stack, without memory */

/* open_new: a regular file made at p (its parent and name). */
static long
open_new(struct vfs_path *p, unsigned mode)
{
	struct vnode *dir = p->dir;

	if (dir->nlink == 0)
		return -KERN_ENOENT; /* a removed directory takes no file */
	return dir->ops->create(dir, p->name, p->len,
				S_IFREG | (mode & 07777 & ~vfs_umask(0, 0)), 0,
				&p->vp);
}

/* open_check: what an existing file allows this open; 0 or -errno. */
static long
open_check(struct vnode *vp, long flags)
{
	if (flags & KERN_O_PATH)
		return (flags & KERN_O_DIRECTORY) && !S_ISDIR(vp->mode)
			       ? -KERN_ENOTDIR
			       : 0;
	if ((flags & KERN_O_DIRECTORY) && !S_ISDIR(vp->mode))
		return -KERN_ENOTDIR;
	if (S_ISLNK(vp->mode))
		return -KERN_ELOOP;
	if (S_ISDIR(vp->mode) && ((flags & KERN_O_ACCMODE) != KERN_O_RDONLY ||
				  (flags & (KERN_O_CREAT | KERN_O_TRUNC))))
		return -KERN_EISDIR;
	if ((vp->mode & S_IFMT) == S_IFSOCK)
		return -KERN_ENXIO; /* a socket's name: connect, not open */
	if (vp->mount->rdonly && (S_ISREG(vp->mode) || S_ISDIR(vp->mode)) &&
	    ((flags & KERN_O_ACCMODE) != KERN_O_RDONLY ||
	     (flags & KERN_O_TRUNC)))
		return -KERN_EROFS;
	return 0;
}

/* size_cut: pages of vp past size are gone: hidden from mappings. */
static void
size_cut(struct vnode *vp, long size)
{
	kern_mem_file_unmap(
		vp, (size + PLATFORM_PAGE_SIZE - 1) / PLATFORM_PAGE_SIZE,
		~0ul >> 1);
}

/* open_lookup_flags: what vfs_lookup is to do for open's flags. */
static int
open_lookup_flags(long flags)
{
	int lflags = 0;

	if (!(flags & KERN_O_NOFOLLOW) &&
	    (flags & (KERN_O_CREAT | KERN_O_EXCL)) !=
		    (KERN_O_CREAT | KERN_O_EXCL))
		lflags |= VFS_FOLLOW;
	if (flags & KERN_O_CREAT)
		lflags |= VFS_PARENT | VFS_LONG_LATER;
	return lflags;
}

/*
 * open_vnode: p, open's lookup, gets the file to open in p->vp: the one
 * there (checked against flags, and truncated for O_TRUNC) or, with
 * O_CREAT, a new one of mode. 0 or -errno.
 */
static long
open_vnode(struct vfs_path *p, long flags, unsigned mode)
{
	int dots = p->dir == NULL ||
		   (p->name[0] == '.' &&
		    (p->len == 1 || (p->len == 2 && p->name[1] == '.')));
	long err;

	if ((flags & KERN_O_CREAT) && p->slash && !dots)
		return -KERN_EISDIR;
	if (p->toolong)
		return -KERN_ENAMETOOLONG; /* once the slash was judged */
	if (p->vp == NULL)
		return open_new(p, mode);
	if ((flags & (KERN_O_CREAT | KERN_O_EXCL)) ==
	    (KERN_O_CREAT | KERN_O_EXCL))
		return -KERN_EEXIST;
	err = open_check(p->vp, flags);
	if (err == 0 && (flags & KERN_O_TRUNC) && S_ISREG(p->vp->mode)) {
		err = p->vp->ops->truncate(p->vp, 0);
		size_cut(p->vp, 0);
		vnode_touch(p->vp, VNODE_M | VNODE_C);
	}
	return err;
}

/*
 * open_at: openat's work: path from dirfd opened as flags say, on the
 * lowest free fd; the fd or -errno.
 */
static long
open_at(long dirfd, const char *path, long flags, unsigned mode)
{
	struct vfs_path p;
	struct kern_file *f;
	long err, fd;

	if (flags & KERN_O_TMPFILE)
		return -KERN_EOPNOTSUPP;
	if (flags & KERN_O_PATH)
		flags &= KERN_O_PATH | KERN_O_DIRECTORY | KERN_O_NOFOLLOW |
			 KERN_O_CLOEXEC;
	else if ((flags & KERN_O_ACCMODE) == KERN_O_ACCMODE)
		return -KERN_EINVAL;
	/* Making a name: nothing else changes names meanwhile. */
	int ns = (flags & KERN_O_CREAT) != 0;
	if (ns)
		vfs_ns_enter();
	err = vfs_lookup(dirfd, path, open_lookup_flags(flags), &p);
	if (err == 0) {
		err = open_vnode(&p, flags, mode);
		if (err != 0)
			vfs_path_done(&p);
	}
	if (ns)
		vfs_ns_leave();
	if (err != 0)
		return err;
	int fflags = (int)flags & ~(KERN_O_CLOEXEC | KERN_O_CREAT |
				    KERN_O_EXCL | KERN_O_NOCTTY | KERN_O_TRUNC);
	if ((p.vp->mode & S_IFMT) == S_IFIFO && !(flags & KERN_O_PATH))
		err = kern_fifo_open(p.vp, fflags, &f); /* may wait */
	else
		err = vfs_open_vnode(p.vp, fflags, &f);
	if (err != 0) {
		vfs_path_done(&p);
		return err;
	}
	p.vp = NULL; /* the file has its reference */
	vfs_path_done(&p);
	/* named while no fd shows it: making the name may wait */
	kern_file_path_set(f, dirfd, path);
	fd = kern_fd_install(f, 0, (flags & KERN_O_CLOEXEC) != 0);
	if (fd < 0) {
		kern_file_path_free(f);
		f->ops->release(f);
	}
	return fd;
}

long
sys_openat(const long a[6])
{
	return open_at(a[0], (const char *)a[1], a[2], (unsigned)a[3]);
}

long
sys_open(const long a[6])
{
	return open_at(AT_FDCWD, (const char *)a[0], a[1], (unsigned)a[2]);
}

long
sys_creat(const long a[6])
{
	return open_at(AT_FDCWD, (const char *)a[0],
		       KERN_O_CREAT | KERN_O_WRONLY | KERN_O_TRUNC,
		       (unsigned)a[1]);
}

/* size_set: vp's size becomes size, as truncate does. */
static long
size_set(struct vnode *vp, long size)
{
	long err;

	if (size < 0)
		return -KERN_EINVAL;
	if (S_ISDIR(vp->mode))
		return -KERN_EISDIR;
	if (!S_ISREG(vp->mode))
		return -KERN_EINVAL;
	err = size > vp->size ? kern_limit_size(size) : 0;
	if (err == 0)
		err = vp->ops->truncate(vp, size);
	if (err == 0) {
		size_cut(vp, size);
		vnode_touch(vp, VNODE_M | VNODE_C);
	}
	return err;
}

long
sys_truncate(const long a[6])
{
	struct vfs_path p;
	long err;

	if (a[1] < 0)
		return -KERN_EINVAL;
	err = vfs_lookup(AT_FDCWD, (const char *)a[0], VFS_FOLLOW, &p);
	if (err != 0)
		return err;
	err = size_set(p.vp, a[1]);
	vfs_path_done(&p);
	return err;
}

long
sys_ftruncate(const long a[6])
{
	struct kern_file *f = kern_fd_file(a[0]);

	if (a[1] < 0)
		return -KERN_EINVAL;
	if (f == NULL || (f->flags & KERN_O_PATH))
		return -KERN_EBADF;
	if (f->vnode == NULL || (f->flags & KERN_O_ACCMODE) == KERN_O_RDONLY)
		return -KERN_EINVAL;
	return size_set(f->vnode, a[1]);
}

long
sys_fallocate(const long a[6])
{
	struct kern_file *f = kern_fd_file(a[0]);
	long mode = a[1], off = a[2], len = a[3];

	if (f == NULL || (f->flags & KERN_O_PATH))
		return -KERN_EBADF;
	if (off < 0 || len <= 0)
		return -KERN_EINVAL;
	if ((mode & ~(FALLOC_KEEP_SIZE | FALLOC_PUNCH_HOLE)) != 0 ||
	    ((mode & FALLOC_PUNCH_HOLE) && !(mode & FALLOC_KEEP_SIZE)))
		return -KERN_EOPNOTSUPP;
	if ((f->flags & KERN_O_ACCMODE) == KERN_O_RDONLY)
		return -KERN_EBADF;
	if (f->vnode == NULL)
		return -KERN_ESPIPE;
	if (S_ISDIR(f->vnode->mode))
		return -KERN_EISDIR;
	if (!S_ISREG(f->vnode->mode))
		return -KERN_ENODEV;
	if (len > (long)(~0ul >> 1) - off)
		return -KERN_EFBIG;
	struct vnode *vp = f->vnode;
	if (mode & FALLOC_PUNCH_HOLE) {
		long end = off + len < vp->size ? off + len : vp->size;
		if (off < end) {
			long err = vp->ops->punch(vp, off, end - off);
			if (err != 0)
				return err;
			/* Whole pages punched are gone: hidden from mappings.
			 */
			kern_mem_file_unmap(vp,
					    (off + PLATFORM_PAGE_SIZE - 1) /
						    PLATFORM_PAGE_SIZE,
					    end / PLATFORM_PAGE_SIZE - 1);
		}
		vnode_touch(vp, VNODE_M | VNODE_C); /* past the end too */
		return 0;
	}
	/*
	 * The size grows first, so that a file system that keeps no blocks
	 * past the end (ext2) takes them; if there is no room, it is as it
	 * was.
	 */
	long old = vp->size, err = 0;
	int grows = !(mode & FALLOC_KEEP_SIZE) && off + len > old;
	if (grows)
		err = kern_limit_size(off + len); /* as Linux's file systems */
	if (grows && err == 0)
		err = vp->ops->truncate(vp, off + len);
	if (err == 0)
		err = vp->ops->allocate(vp, off, len);
	if (err != 0 && vp->size != old)
		vp->ops->truncate(vp, old);
	if (err == 0)
		vnode_touch(vp, VNODE_M | VNODE_C); /* as Linux's tmpfs */
	return err;
}

/* open_fsync: fsync (datasync 0) or fdatasync of fd. */
static long
open_fsync(long fd, int datasync)
{
	struct kern_file *f = kern_fd_file(fd);

	if (f == NULL || (f->flags & KERN_O_PATH))
		return -KERN_EBADF;
	if (f->vnode == NULL || f->vnode->ops->fsync == NULL)
		return 0;
	return f->vnode->ops->fsync(f->vnode, datasync);
}

long
sys_fsync(const long a[6])
{
	return open_fsync(a[0], 0);
}

long
sys_fdatasync(const long a[6])
{
	return open_fsync(a[0], 1);
}

long
sys_sync(const long a[6])
{
	(void)a;
	vfs_sync(NULL);
	return 0;
}

long
sys_syncfs(const long a[6])
{
	struct kern_file *f = kern_fd_file(a[0]);

	if (f == NULL || (f->flags & KERN_O_PATH))
		return -KERN_EBADF;
	return f->vnode != NULL ? vfs_sync(f->vnode->mount) : 0;
}

/*
 * The copies' buffer: one kept between calls (copy_spare), so a server
 * calling sendfile for every few KiB does not ask the heap each time; a
 * second copy while the first waits inside its write takes one of its
 * own, or without memory a small one on its stack.
 */
static void *copy_spare;

/* copy_buf_get: a buffer of COPY_CHUNK bytes for a copy, or NULL. */
static void *
copy_buf_get(void)
{
	void *buf = copy_spare;

	if (buf != NULL)
		copy_spare = NULL;
	else if (rumpuser_malloc(COPY_CHUNK, 0, &buf) != 0)
		return NULL;
	return buf;
}

/* copy_buf_put: buf goes back (kept, unless one is kept already). */
static void
copy_buf_put(void *buf)
{
	if (buf == NULL)
		return;
	if (copy_spare == NULL)
		copy_spare = buf;
	else
		rumpuser_free(buf, COPY_CHUNK);
}

/*
 * copy_chunk: how much of want to read for one write to fo: what fo
 * can take now when it can tell (a socket's room: no bytes read in vain
 * only to be given back), else a page when it can take none (the write
 * waits, or says EAGAIN), at most size.
 */
static size_t
copy_chunk(struct kern_file *fo, size_t want, size_t size)
{
	long room = fo->ops->room != NULL ? fo->ops->room(fo) : -1;

	if (room == 0)
		room = PLATFORM_PAGE_SIZE;
	if (room > 0 && (size_t)room < want)
		want = (size_t)room;
	return want < size ? want : size;
}

/*
 * copy_files: up to len bytes from fi (at *in_off, or its offset) to fo
 * (at *out_off, or its offset), in chunks; the count or -errno.
 */
static long
copy_files(struct kern_file *fi, long *in_off, struct kern_file *fo,
	   long *out_off, size_t len)
{
	long total = 0;
	char small[COPY_SMALL];

	if (fi->ops->read == NULL || fo->ops->write == NULL ||
	    (fi->flags & KERN_O_ACCMODE) == KERN_O_WRONLY ||
	    (fo->flags & KERN_O_ACCMODE) == KERN_O_RDONLY)
		return -KERN_EBADF;
	if ((in_off != NULL && fi->ops->pread == NULL) ||
	    (out_off != NULL && fo->ops->pwrite == NULL))
		return -KERN_ESPIPE;
	/* Without memory, a small buffer: slower, but it goes on. */
	char *heap = copy_buf_get(), *buf = heap != NULL ? heap : small;
	size_t size = heap != NULL ? COPY_CHUNK : sizeof(small);
	while ((size_t)total < len) {
		size_t want = copy_chunk(fo, len - (size_t)total, size);
		long r = kern_limit_write(fo, out_off ? *out_off : -1, &want);
		if (r != 0) {
			if (total == 0)
				total = r;
			break;
		}
		r = in_off != NULL ? fi->ops->pread(fi, buf, want, *in_off)
				   : fi->ops->read(fi, buf, want);
		if (r <= 0) {
			if (total == 0)
				total = r;
			break;
		}
		long w = out_off != NULL
				 ? fo->ops->pwrite(fo, buf, (size_t)r, *out_off)
				 : fo->ops->write(fo, buf, (size_t)r);
		if (w < 0) {
			if (in_off == NULL && fi->ops->lseek != NULL)
				fi->ops->lseek(fi, -r, 1); /* unread again */
			if (total == 0)
				total = w;
			break;
		}
		if (in_off != NULL)
			*in_off += w;
		if (out_off != NULL)
			*out_off += w;
		total += w;
		if (w < r) {
			/* The rest was read but not written: give it back. */
			if (in_off == NULL && fi->ops->lseek != NULL)
				fi->ops->lseek(fi, w - r, 1);
			break;
		}
	}
	copy_buf_put(heap);
	return total;
}

/*
 * copy_fds: copy_files of the files fds in and out name, held while it
 * waits (a close meanwhile frees neither).
 */
static long
copy_fds(long in, long *in_off, long out, long *out_off, size_t len)
{
	struct kern_file *fi = kern_file_hold(in), *fo = kern_file_hold(out);
	long r = fi != NULL && fo != NULL
			 ? copy_files(fi, in_off, fo, out_off, len)
			 : -KERN_EBADF;

	if (fi != NULL)
		kern_file_drop(fi);
	if (fo != NULL)
		kern_file_drop(fo);
	return r;
}

long
sys_sendfile(const long a[6])
{
	return copy_fds(a[1], (long *)a[2], a[0], NULL, (size_t)a[3]);
}

long
sys_copy_file_range(const long a[6])
{
	if (a[5] != 0)
		return -KERN_EINVAL;
	return copy_fds(a[0], (long *)a[1], a[2], (long *)a[3], (size_t)a[4]);
}
