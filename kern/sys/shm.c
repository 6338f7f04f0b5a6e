/*
 * System V shared memory: shmget, shmat, shmdt, shmctl, as Linux has
 * them within one process. A segment is a file of the kernel's own
 * tmpfs (vfs_anon_root, as memfd_create's), unlinked at once and sized
 * to the segment; shmat maps it shared where the platform finds room
 * (kern_mem_map_vnode), so that every attachment of a segment shows the
 * same pages, and the pages stay while a mapping holds the file.
 *
 * A segment counts its attachments (shm_nattch); one that munmap took
 * instead of shmdt stops counting at the next call here (shm_prune
 * asks mem.c whether the mapping is still there). IPC_RMID destroys a
 * segment that nothing attaches, or marks it SHM_DEST (its key becomes
 * IPC_PRIVATE) and destroys it at its last detach, as Linux does; until
 * then its id still works. shmctl: IPC_STAT, IPC_SET, IPC_RMID,
 * SHM_LOCK and SHM_UNLOCK (a flag in the mode: memory is never swapped
 * here), and what ipcs lists with: IPC_INFO (the limits), SHM_INFO
 * (segments and pages in use), SHM_STAT and SHM_STAT_ANY (a segment by
 * its slot). shmat at an address of the caller's is EINVAL: the
 * platform places its windows itself.
 */
#include <string.h>

#include "../vfs/vfs.h"
#include "ipc.h"

#define SHMMAX	     (~0ul - (1ul << 24)) /* Linux's default */
#define SHM_RDONLY   010000
#define SHM_REMAP    040000
#define SHM_EXEC     0100000
#define SHM_HUGETLB  04000
#define SHM_LOCK     11
#define SHM_UNLOCK   12
#define SHM_STAT     13
#define SHM_INFO     14
#define SHM_STAT_ANY 15
#define SHM_DEST     01000
#define SHM_LOCKED   02000
#define PAGE	     PLATFORM_PAGE_SIZE

/* Linux's struct shmid64_ds on x86_64. */
struct shm_ds_abi {
	struct ipc_perm_abi perm;
	unsigned long segsz;
	long atime, dtime, ctime;
	int cpid, lpid;
	unsigned long nattch, unused[2];
};

/* Linux's struct shminfo64 (IPC_INFO) and struct shm_info (SHM_INFO). */
struct shm_limits_abi {
	unsigned long max, min, mni, seg, all, unused[4];
};
struct shm_info_abi {
	int used_ids;
	unsigned long tot, rss, swp, swap_attempts, swap_successes;
};

struct shm_seg {
	struct ipc_obj obj; /* first: the table's pointer is the segment's */
	struct vnode *vp;   /* its file, a reference */
	unsigned long size, nattch;
	long atime, dtime;
	int cpid, lpid;
};

/* An attachment: a mapping that shmat made, until shmdt or munmap. */
struct shm_att {
	unsigned long addr;
	struct shm_seg *seg;
	struct shm_att *next;
};

static struct ipc_table shm_table;
static struct shm_att *shm_atts;

static void
shm_destroy(struct shm_seg *seg)
{
	ipc_remove(&shm_table, &seg->obj);
	vnode_put(seg->vp);
	rumpuser_free(seg, sizeof(*seg));
}

/* shm_detached: *pp's attachment is gone; its segment may go too. */
static void
shm_detached(struct shm_att **pp)
{
	struct shm_att *at = *pp;
	struct shm_seg *seg = at->seg;

	*pp = at->next;
	rumpuser_free(at, sizeof(*at));
	seg->nattch--;
	seg->dtime = ipc_now();
	seg->lpid = ipc_pid();
	if (seg->nattch == 0 && (seg->obj.mode & SHM_DEST))
		shm_destroy(seg);
}

/* shm_prune: the attachments that munmap took are forgotten. */
static void
shm_prune(void)
{
	struct shm_att **pp = &shm_atts;

	while (*pp != NULL) {
		if (kern_mem_vnode((*pp)->addr) != (*pp)->seg->vp)
			shm_detached(pp);
		else
			pp = &(*pp)->next;
	}
}

/* shm_new: a segment of size bytes, its file made; 0 or -errno. */
static long
shm_new(unsigned long size, struct shm_seg **out)
{
	static unsigned long serial;
	char name[32];
	struct vnode *dir;
	size_t total, free;
	void *p;

	platform_pages_count(&total, &free);
	if (size / PAGE >= total)
		return -KERN_ENOMEM; /* more than there is, as Linux says */
	long err = vfs_anon_root(&dir);
	if (err != 0)
		return err;
	if (rumpuser_malloc(sizeof(struct shm_seg), 0, &p) != 0)
		return -KERN_ENOMEM;
	struct shm_seg *seg = p;
	memset(seg, 0, sizeof(*seg));
	size_t n = fmt_snprintf(name, sizeof(name), "shm:%lu", ++serial);
	err = dir->ops->create(dir, name, n, S_IFREG | 0600, 0, &seg->vp);
	if (err == 0) {
		dir->ops->remove(dir, name, n, seg->vp);
		err = seg->vp->ops->truncate(seg->vp, (long)size);
		if (err != 0)
			vnode_put(seg->vp);
	}
	if (err != 0) {
		rumpuser_free(seg, sizeof(*seg));
		return err == -KERN_EFBIG ? -KERN_ENOMEM : err;
	}
	seg->size = size;
	seg->cpid = ipc_pid();
	*out = seg;
	return 0;
}

long
sys_shmget(const long a[6])
{
	int key = (int)a[0], flags = (int)a[2];
	unsigned long size = (unsigned long)a[1];
	struct ipc_obj *o;
	struct shm_seg *seg;

	shm_prune();
	long err = ipc_get(&shm_table, key, flags, &o);
	if (err != 0)
		return err;
	if (o != NULL)
		return size > ((struct shm_seg *)o)->size ? -KERN_EINVAL
							  : o->id;
	if (size < 1 || size > SHMMAX)
		return -KERN_EINVAL;
	if (flags & SHM_HUGETLB)
		return -KERN_ENOMEM; /* no huge pages are set aside */
	err = shm_new(size, &seg);
	if (err != 0)
		return err;
	long id = ipc_add(&shm_table, &seg->obj, key, flags);
	if (id < 0)
		shm_destroy(seg);
	return id;
}

long
sys_shmat(const long a[6])
{
	int id = (int)a[0], flags = (int)a[2];
	struct shm_seg *seg;
	void *p;

	shm_prune();
	seg = (struct shm_seg *)ipc_find(&shm_table, id);
	if (seg == NULL || a[1] != 0 || (flags & SHM_REMAP))
		return -KERN_EINVAL;
	int prot = PLATFORM_PROT_READ;
	if (!(flags & SHM_RDONLY))
		prot |= PLATFORM_PROT_WRITE;
	if (flags & SHM_EXEC)
		prot |= PLATFORM_PROT_EXEC;
	if (rumpuser_malloc(sizeof(struct shm_att), 0, &p) != 0)
		return -KERN_ENOMEM;
	long va = kern_mem_map_vnode(seg->vp, (seg->size + PAGE - 1) / PAGE,
				     prot);
	if (va < 0) {
		rumpuser_free(p, sizeof(struct shm_att));
		return va == -KERN_ENODEV ? -KERN_ENOMEM : va;
	}
	struct shm_att *at = p;
	at->addr = (unsigned long)va;
	at->seg = seg;
	at->next = shm_atts;
	shm_atts = at;
	seg->nattch++;
	seg->atime = ipc_now();
	seg->lpid = ipc_pid();
	return va;
}

long
sys_shmdt(const long a[6])
{
	unsigned long addr = (unsigned long)a[0];

	shm_prune();
	for (struct shm_att **pp = &shm_atts; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->addr != addr)
			continue;
		kern_mem_unmap(addr, (*pp)->seg->size);
		shm_detached(pp);
		return 0;
	}
	return -KERN_EINVAL;
}

/* shm_stat: IPC_STAT's picture of seg. */
static void
shm_stat(const struct shm_seg *seg, struct shm_ds_abi *buf)
{
	memset(buf, 0, sizeof(*buf));
	ipc_perm_out(&seg->obj, &buf->perm);
	buf->segsz = seg->size;
	buf->atime = seg->atime;
	buf->dtime = seg->dtime;
	buf->ctime = seg->obj.ctime;
	buf->cpid = seg->cpid;
	buf->lpid = seg->lpid;
	buf->nattch = seg->nattch;
}

/*
 * shm_info: IPC_INFO's limits, or SHM_INFO's segments and pages in use
 * (their whole size, and the pages they hold), into buf; the highest
 * slot in use.
 */
static long
shm_info(int cmd, void *buf)
{
	long top;
	int n = ipc_count(&shm_table, &top);

	if (cmd == IPC_INFO) {
		struct shm_limits_abi *l = buf;
		memset(l, 0, sizeof(*l));
		l->max = l->all = SHMMAX;
		l->min = 1;
		l->mni = l->seg = IPC_SLOTS;
		return top;
	}
	struct shm_info_abi *info = buf;
	memset(info, 0, sizeof(*info));
	info->used_ids = n;
	for (long i = 0; i <= top; i++) {
		struct shm_seg *seg = (void *)ipc_at(&shm_table, i);
		if (seg != NULL) {
			info->tot += (seg->size + PAGE - 1) / PAGE;
			info->rss +=
				(unsigned long)seg->vp->ops->blocks(seg->vp) /
				(PAGE / 512);
		}
	}
	return top;
}

long
sys_shmctl(const long a[6])
{
	int id = (int)a[0], cmd = (int)a[1];
	struct shm_ds_abi *buf = (struct shm_ds_abi *)a[2];
	struct shm_seg *seg;

	shm_prune();
	if (id < 0 || cmd < 0 || (cmd > IPC_INFO && cmd < SHM_LOCK) ||
	    cmd > SHM_STAT_ANY)
		return -KERN_EINVAL;
	if (cmd == IPC_INFO || cmd == SHM_INFO)
		return buf == NULL ? -KERN_EFAULT : shm_info(cmd, buf);
	if (cmd == SHM_STAT || cmd == SHM_STAT_ANY)
		seg = (struct shm_seg *)ipc_at(&shm_table, id);
	else
		seg = (struct shm_seg *)ipc_find(&shm_table, id);
	if (seg == NULL)
		return -KERN_EINVAL;
	if ((cmd == IPC_STAT || cmd == IPC_SET || cmd >= SHM_STAT) &&
	    buf == NULL)
		return -KERN_EFAULT;
	switch (cmd) {
	case IPC_STAT:
		shm_stat(seg, buf);
		return 0;
	case SHM_STAT:
	case SHM_STAT_ANY:
		shm_stat(seg, buf);
		return seg->obj.id;
	case IPC_SET:
		ipc_perm_set(&seg->obj, &buf->perm);
		return 0;
	case SHM_LOCK:
		seg->obj.mode |= SHM_LOCKED;
		return 0;
	case SHM_UNLOCK:
		seg->obj.mode &= ~(unsigned)SHM_LOCKED;
		return 0;
	default: /* IPC_RMID */
		if (seg->nattch == 0) {
			shm_destroy(seg);
			return 0;
		}
		seg->obj.mode |= SHM_DEST;
		seg->obj.key = IPC_PRIVATE;
		return 0;
	}
}
