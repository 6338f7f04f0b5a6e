/*
 * What System V IPC's kinds share (ipc.h): each kind's table of objects,
 * their keys and ids, and their owners and modes as IPC_STAT and IPC_SET
 * see them, and what the listing commands (IPC_INFO, *_INFO, *_STAT)
 * share. A slot's count of uses goes into the ids it gives, so an id
 * names one object only, never the next one in its slot.
 */
#include "ipc.h"

#define IPC_MODE_BITS 0777

long
ipc_get(struct ipc_table *t, int key, int flags, struct ipc_obj **out)
{
	*out = NULL;
	if (key == IPC_PRIVATE)
		return 0;
	for (int i = 0; i < IPC_SLOTS; i++) {
		struct ipc_obj *o = t->slot[i];
		if (o != NULL && o->key == key) {
			if ((flags & (IPC_CREAT | IPC_EXCL)) ==
			    (IPC_CREAT | IPC_EXCL))
				return -KERN_EEXIST;
			*out = o;
			return 0;
		}
	}
	return flags & IPC_CREAT ? 0 : -KERN_ENOENT;
}

long
ipc_add(struct ipc_table *t, struct ipc_obj *o, int key, int flags)
{
	for (int i = 0; i < IPC_SLOTS; i++) {
		if (t->slot[i] != NULL)
			continue;
		t->uses[i] = (unsigned short)((t->uses[i] + 1) %
					      (INT32_MAX / IPC_SEQ));
		o->key = key;
		o->id = t->uses[i] * IPC_SEQ + i;
		o->uid = o->gid = o->cuid = o->cgid = 0;
		o->mode = (unsigned)flags & IPC_MODE_BITS;
		o->ctime = ipc_now();
		t->slot[i] = o;
		return o->id;
	}
	return -KERN_ENOSPC;
}

struct ipc_obj *
ipc_find(struct ipc_table *t, int id)
{
	if (id < 0)
		return NULL;
	struct ipc_obj *o = t->slot[id % IPC_SEQ % IPC_SLOTS];
	return o != NULL && o->id == id ? o : NULL;
}

struct ipc_obj *
ipc_at(struct ipc_table *t, long index)
{
	return index >= 0 && index < IPC_SLOTS ? t->slot[index] : NULL;
}

int
ipc_count(const struct ipc_table *t, long *top)
{
	int n = 0;

	*top = 0;
	for (int i = 0; i < IPC_SLOTS; i++) {
		if (t->slot[i] != NULL) {
			n++;
			*top = i;
		}
	}
	return n;
}

void
ipc_remove(struct ipc_table *t, struct ipc_obj *o)
{
	t->slot[o->id % IPC_SEQ] = NULL;
}

void
ipc_perm_out(const struct ipc_obj *o, struct ipc_perm_abi *p)
{
	p->key = o->key;
	p->uid = o->uid;
	p->gid = o->gid;
	p->cuid = o->cuid;
	p->cgid = o->cgid;
	p->mode = o->mode;
	p->seq = (unsigned short)(o->id / IPC_SEQ);
	p->pad = 0;
	p->unused[0] = p->unused[1] = 0;
}

void
ipc_perm_set(struct ipc_obj *o, const struct ipc_perm_abi *p)
{
	o->uid = p->uid;
	o->gid = p->gid;
	o->mode = (o->mode & ~IPC_MODE_BITS) | (p->mode & IPC_MODE_BITS);
	o->ctime = ipc_now();
}

long
ipc_now(void)
{
	return (long)(kern_wall() / 1000000000u);
}

int
ipc_pid(void)
{
	static const long none[6];

	return (int)sys_getpid(none);
}
