/*
 * Pseudo file systems: trees whose files are written when they are
 * read, from the kernel's own state (/proc and /sys, whose contents the
 * syscall layer gives as tables of pseudo_entry; see vnode.h).
 *
 * A vnode is made at each lookup and goes at its last reference; it
 * knows its entry, its number (arg: a numbered directory's entries get
 * theirs, every other entry its parent's) and its parent, which it holds
 * (for ".."). Its inode number comes from the entry and the number, so
 * that it is the same at every lookup. A file's size is 0 and each read
 * writes the whole of it into a buffer and copies the part asked for, as
 * Linux's /proc files are; a symlink's target is written at the lookup,
 * which sets its size. Nothing can be made, removed, renamed or written:
 * EACCES (a symlink or file that shows nothing, -ENOENT from its show,
 * is not there).
 */
#include <string.h>

#include "../vfs/vnode.h"

#define PSEUDO_TYPES 4

/* A file's bytes as its show writes them: grown as needed. */
struct pseudo_buf {
	char *data;
	size_t len, size;
	int error; /* -ENOMEM once it could not grow */
};

/* The vnode's data. */
struct pseudo_node {
	const struct pseudo_entry *entry;
	long arg;
	struct vnode *parent; /* held; NULL for the root */
};

/* The registered types: each one's name and root. */
static struct {
	const char *fstype;
	const struct pseudo_entry *root;
	long magic;
} pseudo_types[PSEUDO_TYPES];

static const struct vnode_ops pseudo_ops;

void
pseudo_write(struct pseudo_buf *b, const void *p, size_t len)
{
	void *mem;

	if (b->error != 0)
		return;
	if (b->len + len > b->size) {
		size_t size = b->size * 2;
		while (size < b->len + len)
			size *= 2;
		if (rumpuser_malloc(size, 0, &mem) != 0) {
			b->error = -KERN_ENOMEM;
			return;
		}
		memcpy(mem, b->data, b->len);
		rumpuser_free(b->data, b->size);
		b->data = mem;
		b->size = size;
	}
	memcpy(b->data + b->len, p, len);
	b->len += len;
}

static void
pseudo_sink(void *ctx, const char *s, size_t len)
{
	pseudo_write(ctx, s, len);
}

void
pseudo_printf(struct pseudo_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(pseudo_sink, b, fmt, ap);
	va_end(ap);
}

/*
 * pseudo_show: e's bytes for arg into b (b->data freed by the caller
 * with b->size). 0 or -errno.
 */
static int
pseudo_show(const struct pseudo_entry *e, long arg, struct pseudo_buf *b)
{
	void *mem;
	int err;

	b->len = 0;
	b->size = 1024;
	b->error = 0;
	if (rumpuser_malloc(b->size, 0, &mem) != 0)
		return -KERN_ENOMEM;
	b->data = mem;
	err = e->show(b, arg);
	if (err == 0)
		err = b->error;
	if (err != 0)
		rumpuser_free(b->data, b->size);
	return err;
}

static struct pseudo_node *
pseudo_node(struct vnode *vp)
{
	return vp->data;
}

/* pseudo_ino: the inode number of entry e with number arg. */
static unsigned long
pseudo_ino(const struct pseudo_entry *e, long arg)
{
	return (((uintptr_t)e >> 3) & 0xfffff) | ((unsigned long)arg << 20);
}

/* pseudo_vnode: a vnode of entry e with arg under parent (held by it). */
static int
pseudo_vnode(struct mount *mp, struct vnode *parent,
	     const struct pseudo_entry *e, long arg, struct vnode **out)
{
	struct pseudo_node *n;
	struct pseudo_buf b;
	struct vnode *vp;
	long size = 0;
	void *p;

	if (S_ISLNK(e->mode)) {
		int err = pseudo_show(e, arg, &b);
		if (err != 0)
			return err;
		size = (long)b.len;
		rumpuser_free(b.data, b.size);
	}
	if (rumpuser_malloc(sizeof(*n), 0, &p) != 0)
		return -KERN_ENOMEM;
	n = p;
	vp = vnode_new(mp, &pseudo_ops, e->mode);
	if (vp == NULL) {
		rumpuser_free(n, sizeof(*n));
		return -KERN_ENOMEM;
	}
	n->entry = e;
	n->arg = arg;
	n->parent = parent;
	if (parent != NULL)
		vnode_ref(parent);
	vp->data = n;
	vp->ino = parent == NULL ? 1 : pseudo_ino(e, arg);
	vp->nlink = S_ISDIR(e->mode) ? 2 : 1;
	vp->size = size;
	*out = vp;
	return 0;
}

/*
 * pseudo_each: calls fn for each entry of directory dir after cookie:
 * the fixed ones (cookies 3...), then the numbered ones (cookie: the
 * number + PSEUDO_NUMBERED), until fn says stop (its value). fn gets the
 * entry, its number and its name.
 */
#define PSEUDO_NUMBERED 0x10000l
typedef int pseudo_each_fn(void *ctx, const struct pseudo_entry *e, long arg,
			   const char *name, size_t len, long cookie);
static int
pseudo_each(struct vnode *dir, long cookie, pseudo_each_fn *fn, void *ctx)
{
	const struct pseudo_entry *d = pseudo_node(dir)->entry;
	long arg = pseudo_node(dir)->arg, k = 3;
	int r;

	for (const struct pseudo_entry *e = d->entries; e != NULL && e->name;
	     e++, k++)
		if (k > cookie &&
		    (r = fn(ctx, e, arg, e->name, strlen(e->name), k)) != 0)
			return r;
	if (d->next == NULL)
		return 0;
	long num = cookie >= PSEUDO_NUMBERED ? cookie - PSEUDO_NUMBERED : -1;
	while ((num = d->next(arg, num)) >= 0) {
		char name[24];
		size_t len = fmt_snprintf(name, sizeof(name), "%ld", num);
		if ((r = fn(ctx, d->numbered, num, name, len,
			    num + PSEUDO_NUMBERED)) != 0)
			return r;
	}
	return 0;
}

/* What pseudo_lookup's walk looks for, and finds. */
struct pseudo_search {
	const char *name;
	size_t len;
	const struct pseudo_entry *found;
	long arg;
};

static int
pseudo_match(void *ctx, const struct pseudo_entry *e, long arg,
	     const char *name, size_t len, long cookie)
{
	struct pseudo_search *s = ctx;

	(void)cookie;
	if (len != s->len || memcmp(name, s->name, len) != 0)
		return 0;
	s->found = e;
	s->arg = arg;
	return 1;
}

static int
pseudo_lookup(struct vnode *dir, const char *name, size_t len,
	      struct vnode **out)
{
	struct pseudo_node *d = pseudo_node(dir);
	struct pseudo_search s = {.name = name, .len = len};

	if (len == 1 && name[0] == '.') {
		*out = dir;
	} else if (len == 2 && name[0] == '.' && name[1] == '.') {
		*out = d->parent != NULL ? d->parent : dir;
	} else {
		if (!pseudo_each(dir, 0, pseudo_match, &s))
			return -KERN_ENOENT;
		return pseudo_vnode(dir->mount, dir, s.found, s.arg, out);
	}
	vnode_ref(*out);
	return 0;
}

/* readdir's walk: each entry to vfs's fn. */
struct pseudo_listing {
	vfs_dirent_fn *fn;
	void *ctx;
};

static int
pseudo_listed(void *ctx, const struct pseudo_entry *e, long arg,
	      const char *name, size_t len, long cookie)
{
	struct pseudo_listing *l = ctx;

	return l->fn(l->ctx, name, len, pseudo_ino(e, arg),
		     (e->mode & S_IFMT) >> 12, cookie);
}

static int
pseudo_readdir(struct vnode *dir, long cookie, vfs_dirent_fn *fn, void *ctx)
{
	struct pseudo_node *d = pseudo_node(dir);
	struct pseudo_listing l = {fn, ctx};

	if (cookie < 1 && fn(ctx, ".", 1, dir->ino, 4, 1))
		return 0;
	if (cookie < 2 &&
	    fn(ctx, "..", 2, d->parent != NULL ? d->parent->ino : dir->ino, 4,
	       2))
		return 0;
	pseudo_each(dir, cookie, pseudo_listed, &l);
	return 0;
}

static long
pseudo_read(struct vnode *vp, void *buf, size_t len, long off)
{
	struct pseudo_node *n = pseudo_node(vp);
	struct pseudo_buf b;
	int err;

	if (S_ISDIR(vp->mode))
		return -KERN_EISDIR;
	err = pseudo_show(n->entry, n->arg, &b);
	if (err != 0)
		return err;
	size_t got = 0;
	if ((size_t)off < b.len) {
		got = b.len - (size_t)off < len ? b.len - (size_t)off : len;
		memcpy(buf, b.data + off, got);
	}
	rumpuser_free(b.data, b.size);
	return (long)got;
}

static int
pseudo_denied(void)
{
	return -KERN_EACCES;
}

static int
pseudo_create(struct vnode *dir, const char *name, size_t len, unsigned mode,
	      unsigned long rdev, struct vnode **out)
{
	(void)dir, (void)name, (void)len, (void)mode, (void)rdev, (void)out;
	return pseudo_denied();
}

/* pseudo_name_denied: link and remove. */
static int
pseudo_name_denied(struct vnode *dir, const char *name, size_t len,
		   struct vnode *vp)
{
	(void)dir, (void)name, (void)len, (void)vp;
	return pseudo_denied();
}

static int
pseudo_rename(struct vnode *odir, const char *oname, size_t olen,
	      struct vnode *vp, struct vnode *ndir, const char *nname,
	      size_t nlen, struct vnode *target, int exchange)
{
	(void)odir, (void)oname, (void)olen, (void)vp, (void)ndir;
	(void)nname, (void)nlen, (void)target, (void)exchange;
	return pseudo_denied();
}

static long
pseudo_write_op(struct vnode *vp, const void *buf, size_t len, long off)
{
	(void)vp, (void)buf, (void)len, (void)off;
	return pseudo_denied();
}

static int
pseudo_truncate(struct vnode *vp, long size)
{
	(void)vp, (void)size;
	return pseudo_denied();
}

static int
pseudo_range(struct vnode *vp, long off, long len)
{
	(void)vp, (void)off, (void)len;
	return pseudo_denied();
}

static int
pseudo_empty(struct vnode *dir)
{
	(void)dir;
	return 0;
}

static long
pseudo_blocks(struct vnode *vp)
{
	(void)vp;
	return 0;
}

static int
pseudo_fsync(struct vnode *vp, int datasync)
{
	(void)vp, (void)datasync;
	return 0;
}

/* pseudo_release: the last reference went: the vnode goes. */
static void
pseudo_release(struct vnode *vp)
{
	struct pseudo_node *n = pseudo_node(vp);

	if (n->parent != NULL)
		vnode_put(n->parent);
	rumpuser_free(n, sizeof(*n));
	rumpuser_free(vp, sizeof(*vp));
}

static const struct vnode_ops pseudo_ops = {
	.lookup = pseudo_lookup,
	.create = pseudo_create,
	.link = pseudo_name_denied,
	.remove = pseudo_name_denied,
	.rename = pseudo_rename,
	.read = pseudo_read,
	.write = pseudo_write_op,
	.truncate = pseudo_truncate,
	.allocate = pseudo_range,
	.punch = pseudo_range,
	.readdir = pseudo_readdir,
	.empty = pseudo_empty,
	.blocks = pseudo_blocks,
	.reclaim = pseudo_release,
	.inactive = pseudo_release,
	.fsync = pseudo_fsync,
};

static long
pseudo_statfs(struct mount *mp, struct kern_statfs *st)
{
	memset(st, 0, sizeof(*st));
	for (int i = 0; i < PSEUDO_TYPES; i++)
		if (pseudo_types[i].fstype == mp->fstype)
			st->type = pseudo_types[i].magic;
	st->bsize = st->frsize = PLATFORM_PAGE_SIZE;
	st->namelen = VFS_NAME_MAX;
	return 0;
}

static int
pseudo_unmount(struct mount *mp)
{
	vnode_put(mp->root);
	return 0;
}

int
pseudo_register(const char *fstype, long magic, const struct pseudo_entry *root)
{
	for (int i = 0; i < PSEUDO_TYPES; i++)
		if (pseudo_types[i].fstype == NULL) {
			pseudo_types[i].fstype = fstype;
			pseudo_types[i].magic = magic;
			pseudo_types[i].root = root;
			return 0;
		}
	return -KERN_ENOMEM;
}

const char *
pseudo_type(const char *fstype)
{
	for (int i = 0; i < PSEUDO_TYPES; i++)
		if (pseudo_types[i].fstype != NULL &&
		    strcmp(pseudo_types[i].fstype, fstype) == 0)
			return pseudo_types[i].fstype;
	return NULL;
}

int
pseudo_mount(struct mount *mp, const char *fstype)
{
	for (int i = 0; i < PSEUDO_TYPES; i++)
		if (pseudo_types[i].fstype == fstype) {
			mp->statfs = pseudo_statfs;
			mp->unmount = pseudo_unmount;
			return pseudo_vnode(mp, NULL, pseudo_types[i].root, 0,
					    &mp->root);
		}
	return -KERN_ENODEV;
}
