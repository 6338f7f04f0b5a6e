/*
 * Path lookup, and the process's place in the tree: the cwd and umask;
 * the name space's lock (vfs_ns_enter), which calls that change names
 * hold, so that no other such call changes what they found while a disk
 * file system waits.
 *
 * A path is walked a component at a time from the root (a leading /),
 * the cwd (AT_FDCWD) or an fd's directory: empty components and . are
 * nothing, .. goes up (at a mounted root, first down to what it covers;
 * at the root it stays), a mounted-on directory stands for the mounted
 * root, and a symlink met before the last component, or as the last with
 * VFS_FOLLOW or a trailing slash, is replaced by its target (from the
 * root if it is absolute), at most VFS_LINK_MAX times in one lookup
 * (ELOOP). A path of VFS_PATH_MAX bytes or more, or a component of more
 * than VFS_NAME_MAX, is ENAMETOOLONG; walking through a file that is not
 * a directory, ENOTDIR. Root's rights are the process's: no search
 * permission is checked.
 */
#include <string.h>

#include "vfs.h"

/*
 * The walk's path, which each link followed makes longer by its target:
 * room for loops of links with long names to end in ELOOP, as Linux's
 * nested walk ends them, rather than in ENAMETOOLONG.
 */
#define VFS_WALK_MAX (4 * VFS_PATH_MAX)

static struct vnode *vfs_cwd_vnode;
static unsigned vfs_umask_bits = 022;
static int vfs_ns_held; /* someone holds the name space */
static struct kern_waitq vfs_ns_queue;

void
vfs_ns_enter(void)
{
	/*
	 * Only a program's thread can find it held (the kernel's own, at
	 * boot, are alone): kern_thread_self is asked only then, so that
	 * the boot takes no thread of the process (tid 1 is the program's).
	 */
	while (vfs_ns_held) {
		struct kern_thread *t = kern_thread_self();
		struct kern_waiter w;
		kern_waitq_add(&vfs_ns_queue, &w, t);
		kern_thread_sleep(t, 0, 0);
		kern_waitq_remove(&w);
	}
	vfs_ns_held = 1;
}

void
vfs_ns_leave(void)
{
	vfs_ns_held = 0;
	kern_waitq_wake(&vfs_ns_queue);
}

unsigned
vfs_umask(unsigned mask, int set)
{
	unsigned old = vfs_umask_bits;

	if (set)
		vfs_umask_bits = mask & 0777;
	return old;
}

struct vnode *
vfs_cwd(void)
{
	return vfs_cwd_vnode;
}

void
vfs_set_cwd(struct vnode *vp)
{
	vnode_ref(vp);
	if (vfs_cwd_vnode != NULL)
		vnode_put(vfs_cwd_vnode);
	vfs_cwd_vnode = vp;
}

void
vfs_path_done(struct vfs_path *p)
{
	if (p->dir != NULL)
		vnode_put(p->dir);
	if (p->vp != NULL)
		vnode_put(p->vp);
	p->dir = p->vp = NULL;
}

/* vfs_start: where a relative path starts, referenced. */
static int
vfs_start(long dirfd, struct vnode **out)
{
	struct vnode *vp;

	if (dirfd == AT_FDCWD) {
		vp = vfs_cwd();
	} else {
		long err = vfs_fd_vnode(dirfd, &vp);
		if (err != 0)
			return (int)err;
	}
	vnode_ref(vp);
	*out = vp;
	return 0;
}

/* vfs_mounted: vp, or the root mounted on it (the reference moves). */
static struct vnode *
vfs_mounted(struct vnode *vp)
{
	while (vp->mounted != NULL) {
		struct vnode *root = vp->mounted->root;
		vnode_ref(root);
		vnode_put(vp);
		vp = root;
	}
	return vp;
}

/* vfs_step: the entry name of dir, referenced, across mounts. */
static int
vfs_step(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct vnode *vp = dir;
	int err;

	vnode_ref(vp);
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		if (vp == vfs_root()) {
			*out = vp;
			return 0;
		}
		while (vp == vp->mount->root && vp->mount->covered != NULL) {
			struct vnode *under = vp->mount->covered;
			vnode_ref(under);
			vnode_put(vp);
			vp = under;
		}
	}
	err = vp->ops->lookup(vp, name, len, out);
	vnode_put(vp);
	if (err != 0)
		return err;
	*out = vfs_mounted(*out);
	return 0;
}

/*
 * vfs_splice: path becomes target, then "/" and rest unless rest is
 * empty. 0 or -ENAMETOOLONG.
 */
static int
vfs_splice(char *path, const char *target, size_t tlen, const char *rest)
{
	size_t rlen = strlen(rest);
	char *tmp;
	void *p;

	if (tlen + 1 + rlen >= VFS_WALK_MAX)
		return -KERN_ENAMETOOLONG;
	if (rumpuser_malloc(VFS_WALK_MAX, 0, &p) != 0)
		return -KERN_ENOMEM;
	tmp = p;
	memcpy(tmp, target, tlen);
	tmp[tlen] = '/';
	memcpy(tmp + tlen + 1, rest, rlen + 1);
	if (rlen == 0)
		tmp[tlen] = '\0'; /* the link was the last component */
	memcpy(path, tmp, tlen + 1 + rlen + 1);
	rumpuser_free(p, VFS_WALK_MAX);
	return 0;
}

/* vfs_readlink_into: vp's target into buf (VFS_PATH_MAX); its length. */
static long
vfs_readlink_into(struct vnode *vp, char *buf)
{
	if (vp->size >= VFS_PATH_MAX)
		return -KERN_ENAMETOOLONG;
	return vp->ops->read(vp, buf, (size_t)vp->size, 0);
}

/*
 * A walk in progress: the path (a copy, which following a link rewrites),
 * the next component's place in it, the directory reached (referenced),
 * the lookup's flags and the links followed so far.
 */
struct vfs_walk {
	char *path;
	char *c;
	struct vnode *cur;
	int flags;
	int links;
};

/* A component of the path: its name, what follows, and where it stands. */
struct vfs_comp {
	const char *name;
	size_t len;
	char *after; /* past it and its slashes */
	int last;    /* nothing but slashes follows */
	int slash;   /* the last, with a trailing slash */
};

/* vfs_walk_next: the next component into k; 0 when there is none. */
static int
vfs_walk_next(struct vfs_walk *w, struct vfs_comp *k)
{
	while (*w->c == '/')
		w->c++;
	if (*w->c == '\0')
		return 0;
	k->name = w->c;
	k->len = strcspn(w->c, "/");
	char *next = w->c + k->len;
	k->after = next;
	while (*k->after == '/')
		k->after++;
	k->last = *k->after == '\0';
	k->slash = k->last && next != k->after;
	return 1;
}

/* vfs_walk_fail: the walk ends with err; its directory is dropped. */
static int
vfs_walk_fail(struct vfs_walk *w, int err)
{
	vnode_put(w->cur);
	return err;
}

/*
 * vfs_walk_check: k may be looked up in the walk's directory: 0; -ENOTDIR
 * or -ENAMETOOLONG; or 1 when k is a last component too long that
 * VFS_LONG_LATER leaves to the caller (p has it, and the directory).
 */
static int
vfs_walk_check(struct vfs_walk *w, const struct vfs_comp *k, struct vfs_path *p)
{
	if (!S_ISDIR(w->cur->mode))
		return -KERN_ENOTDIR;
	if (k->len <= VFS_NAME_MAX)
		return 0;
	if (k->last && (w->flags & VFS_LONG_LATER)) {
		p->dir = w->cur;
		p->toolong = 1;
		p->slash = k->slash;
		return 1;
	}
	return -KERN_ENAMETOOLONG;
}

/*
 * vfs_walk_follows: a symlink at k is followed: before the last
 * component always; as the last with VFS_FOLLOW or a trailing slash,
 * except that a parent lookup with a slash takes the link itself.
 */
static int
vfs_walk_follows(const struct vfs_walk *w, const struct vfs_comp *k)
{
	int parent_slash = k->slash && (w->flags & VFS_PARENT);

	return !k->last ||
	       (!parent_slash && (k->slash || (w->flags & VFS_FOLLOW)));
}

/*
 * vfs_walk_link: the symlink link (whose reference it takes) at k is
 * replaced in the path by its target, and the walk starts again from
 * the path's start (the root, for an absolute target): 0, or -ELOOP
 * past VFS_LINK_MAX links, -ENOENT for an empty target, -ENAMETOOLONG.
 */
static int
vfs_walk_link(struct vfs_walk *w, const struct vfs_comp *k, struct vnode *link)
{
	char target[VFS_PATH_MAX];
	long tlen = vfs_readlink_into(link, target);

	if (tlen >= 0)
		vnode_accessed(link); /* followed: read */
	vnode_put(link);
	if (tlen >= 0 && ++w->links > VFS_LINK_MAX)
		tlen = -KERN_ELOOP;
	if (tlen == 0)
		tlen = -KERN_ENOENT; /* an empty target */
	if (tlen >= 0)
		tlen = vfs_splice(w->path, target, (size_t)tlen,
				  k->slash ? "/" : k->after);
	if (tlen < 0)
		return (int)tlen;
	if (w->path[0] == '/') {
		vnode_put(w->cur);
		w->cur = vfs_root();
		vnode_ref(w->cur);
	}
	w->c = w->path;
	return 0;
}

/*
 * vfs_walk_last: the walk ends at the last component k, which is child
 * (referenced) or, for a parent lookup, may be NULL: p gets them (and,
 * for a parent lookup, the directory and the name). -ENOTDIR for a
 * trailing slash after a file that is not a directory, unless the
 * caller, a parent lookup, judges that.
 */
static int
vfs_walk_last(struct vfs_walk *w, const struct vfs_comp *k, struct vnode *child,
	      struct vfs_path *p)
{
	p->slash = k->slash;
	if (w->flags & VFS_PARENT) {
		p->dir = w->cur;
		memcpy(p->name, k->name, k->len);
		p->name[k->len] = '\0';
		p->len = k->len;
	} else {
		vnode_put(w->cur);
	}
	p->vp = child;
	if (child != NULL && k->slash && !S_ISDIR(child->mode) &&
	    !(w->flags & VFS_PARENT)) {
		vfs_path_done(p);
		return -KERN_ENOTDIR;
	}
	return 0;
}

/*
 * vfs_walk: the lookup proper, from cur (referenced) on path, a copy it
 * may rewrite: a component at a time, each checked, looked up, and
 * either followed (a symlink), ended at (the last) or stepped into.
 */
static int
vfs_walk(struct vnode *cur, char *path, int flags, struct vfs_path *p)
{
	struct vfs_walk w = {
		.path = path, .c = path, .cur = cur, .flags = flags};
	struct vfs_comp k;
	int err;

	while (vfs_walk_next(&w, &k)) {
		err = vfs_walk_check(&w, &k, p);
		if (err != 0)
			return err > 0 ? 0 : vfs_walk_fail(&w, err);
		struct vnode *child = NULL;
		err = vfs_step(w.cur, k.name, k.len, &child);
		if (err != 0 &&
		    !(err == -KERN_ENOENT && k.last && (flags & VFS_PARENT)))
			return vfs_walk_fail(&w, err);
		if (child != NULL && S_ISLNK(child->mode) &&
		    vfs_walk_follows(&w, &k)) {
			err = vfs_walk_link(&w, &k, child);
			if (err != 0)
				return vfs_walk_fail(&w, err);
			continue;
		}
		if (k.last)
			return vfs_walk_last(&w, &k, child, p);
		vnode_put(w.cur);
		w.cur = child;
		w.c = k.after;
	}
	/* Nothing more ("/", or a trailing slash). */
	p->vp = w.cur;
	return 0;
}

int
vfs_lookup(long dirfd, const char *upath, int flags, struct vfs_path *p)
{
	size_t n = strnlen(upath, VFS_PATH_MAX);
	struct vnode *cur = NULL;
	char *path;
	void *mem;
	int err;

	memset(p, 0, sizeof(*p));
	if (n >= VFS_PATH_MAX)
		return -KERN_ENAMETOOLONG;
	if (n == 0) {
		if (!(flags & VFS_EMPTY_OK))
			return -KERN_ENOENT;
		return vfs_start(dirfd, &p->vp);
	}
	if (upath[0] == '/') {
		cur = vfs_root();
		vnode_ref(cur);
	} else if ((err = vfs_start(dirfd, &cur)) != 0) {
		return err;
	}
	if (rumpuser_malloc(VFS_WALK_MAX, 0, &mem) != 0) {
		vnode_put(cur);
		return -KERN_ENOMEM;
	}
	path = mem;
	memcpy(path, upath, n + 1);
	err = vfs_walk(cur, path, flags, p);
	rumpuser_free(mem, VFS_WALK_MAX);
	return err;
}

int
vfs_ancestor(struct vnode *a, struct vnode *b)
{
	struct vnode *vp = b, *up;

	vnode_ref(vp);
	for (;;) {
		if (vp == a) {
			vnode_put(vp);
			return 1;
		}
		if (vp == vfs_root() || vfs_step(vp, "..", 2, &up) != 0) {
			vnode_put(vp);
			return 0;
		}
		vnode_put(vp);
		vp = up;
	}
}

/* What vfs_getcwd's search of a directory looks for and finds. */
struct vfs_name_search {
	unsigned long ino;
	char name[VFS_NAME_MAX + 1];
	size_t len;
};

static int
vfs_name_found(void *ctx, const char *name, size_t len, unsigned long ino,
	       unsigned type, long cookie)
{
	struct vfs_name_search *s = ctx;

	(void)type;
	(void)cookie;
	if (ino != s->ino || (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	memcpy(s->name, name, len);
	s->len = len;
	return 1;
}

long
vfs_getcwd(char *buf, size_t size)
{
	return vfs_dir_path(vfs_cwd(), buf, size);
}

long
vfs_dir_path(struct vnode *dir, char *buf, size_t size)
{
	struct vnode *vp = dir, *up;
	char *tmp;
	void *mem;
	size_t at = VFS_PATH_MAX - 1;

	if (vp->nlink == 0)
		return -KERN_ENOENT; /* removed since */
	if (rumpuser_malloc(VFS_PATH_MAX, 0, &mem) != 0)
		return -KERN_ENOMEM;
	tmp = mem;
	tmp[at] = '\0';
	vnode_ref(vp);
	while (vp != vfs_root()) {
		struct vfs_name_search s = {.len = 0};
		/* At a mounted root, the name is that of what it covers. */
		while (vp == vp->mount->root && vp->mount->covered != NULL) {
			up = vp->mount->covered;
			vnode_ref(up);
			vnode_put(vp);
			vp = up;
		}
		s.ino = vp->ino;
		if (vfs_step(vp, "..", 2, &up) != 0)
			break;
		vnode_put(vp);
		vp = up;
		up->ops->readdir(up, 0, vfs_name_found, &s);
		if (s.len == 0 || s.len + 1 > at) {
			vnode_put(vp);
			rumpuser_free(mem, VFS_PATH_MAX);
			return s.len == 0 ? -KERN_ENOENT : -KERN_ENAMETOOLONG;
		}
		at -= s.len;
		memcpy(tmp + at, s.name, s.len);
		tmp[--at] = '/';
	}
	vnode_put(vp);
	if (at == VFS_PATH_MAX - 1)
		tmp[--at] = '/';
	size_t len = VFS_PATH_MAX - at; /* with the NUL */
	if (len > size) {
		rumpuser_free(mem, VFS_PATH_MAX);
		return -KERN_ERANGE;
	}
	memcpy(buf, tmp + at, len);
	rumpuser_free(mem, VFS_PATH_MAX);
	return (long)len;
}
