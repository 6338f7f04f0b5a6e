/*
 * The names of open files, as /proc/self/fd's links show them. A file
 * opened by a path keeps the path it was opened by, made absolute (from
 * the cwd, or from the dirfd's directory) and tidied (no "." or ".."
 * components, no repeated slashes): a rename after the open is not seen,
 * and a symlink on the way is not resolved. A directory is named by its
 * path now. " (deleted)" follows the name of a file that has no link
 * left; memfd's are "/memfd:NAME" as they are. Other files are named by kind,
 * as Linux names them: pipe:[INO], socket:[INO], or what their operations call
 * them (anon_inode:[eventfd], /dev/console).
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "sys.h"

long
kern_path_join(char *buf, const char *path)
{
	size_t at = strlen(buf);

	if (at == 1)
		at = 0; /* "/": each component brings its own slash */
	while (*path != '\0') {
		size_t len = strcspn(path, "/");
		if (len == 2 && path[0] == '.' && path[1] == '.') {
			while (at > 0 && buf[--at] != '/')
				;
		} else if (len > 0 && !(len == 1 && path[0] == '.')) {
			if (at + 1 + len + 1 > VFS_PATH_MAX)
				return -KERN_ENAMETOOLONG;
			buf[at++] = '/';
			memcpy(buf + at, path, len);
			at += len;
		}
		path += len;
		while (*path == '/')
			path++;
	}
	if (at == 0)
		buf[at++] = '/';
	buf[at] = '\0';
	return (long)at;
}

/* fdname_base: the absolute name a relative path from dirfd starts at. */
static long
fdname_base(long dirfd, char *buf)
{
	if (dirfd == AT_FDCWD)
		return vfs_getcwd(buf, VFS_PATH_MAX);
	struct kern_file *f = kern_file_hold(dirfd); /* the path may wait */
	long err;

	if (f == NULL)
		return -KERN_EBADF;
	if (f->vnode == NULL || !S_ISDIR(f->vnode->mode))
		err = -KERN_ENOTDIR;
	else
		err = vfs_dir_path(f->vnode, buf, VFS_PATH_MAX);
	kern_file_drop(f);
	return err;
}

void
kern_file_path_set(struct kern_file *f, long dirfd, const char *path)
{
	void *mem;
	char *buf;
	long len;

	if (rumpuser_malloc(VFS_PATH_MAX, 0, &mem) != 0)
		return; /* no name: /proc shows its kind */
	buf = mem;
	strcpy(buf, "/");
	len = path[0] == '/' ? 0 : fdname_base(dirfd, buf);
	if (len >= 0)
		len = kern_path_join(buf, path);
	if (len > 0)
		kern_file_path_keep(f, buf);
	rumpuser_free(mem, VFS_PATH_MAX);
}

void
kern_file_path_keep(struct kern_file *f, const char *name)
{
	size_t len = strlen(name);
	void *keep;

	if (rumpuser_malloc(len + 1, 0, &keep) == 0) {
		memcpy(keep, name, len + 1);
		f->path = keep;
	}
}

void
kern_file_path_free(struct kern_file *f)
{
	if (f->path != NULL)
		rumpuser_free(f->path, strlen(f->path) + 1);
	f->path = NULL;
}

long
kern_file_name(struct kern_file *f, char *buf, size_t size)
{
	struct kern_stat st;
	size_t len;

	if (f->vnode != NULL && S_ISDIR(f->vnode->mode)) {
		long n = vfs_dir_path(f->vnode, buf, size);
		if (n >= 0)
			return n - 1;
	}
	if (f->path != NULL) {
		len = fmt_snprintf(buf, size, "%s%s", f->path,
				   f->vnode != NULL && f->vnode->nlink == 0
					   ? " (deleted)"
					   : "");
	} else if (f->ops->name != NULL) {
		len = fmt_snprintf(buf, size, "%s", f->ops->name);
	} else if (f->ops->fstat != NULL && f->ops->fstat(f, &st) == 0 &&
		   ((st.mode & S_IFMT) == S_IFIFO ||
		    (st.mode & S_IFMT) == S_IFSOCK)) {
		len = fmt_snprintf(buf, size, "%s:[%lu]",
				   (st.mode & S_IFMT) == S_IFIFO ? "pipe"
								 : "socket",
				   (unsigned long)st.ino);
	} else {
		len = fmt_snprintf(buf, size, "anon_inode:[unknown]");
	}
	return len < size ? (long)len : -KERN_ENAMETOOLONG;
}
