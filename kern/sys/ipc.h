/*
 * ipc.h: what System V IPC's three kinds share (ipc.c): message queues
 * (msg.c), semaphore sets (sem.c) and shared memory segments (shm.c).
 * Each kind has a table of its objects; an object is found by its key
 * (msgget, semget, shmget) or by its id, which is the object's slot in
 * the table plus IPC_SEQ times a count of that slot's uses, so that the
 * id of a removed object stays invalid (EINVAL) for a while, as on
 * Linux. The process is root: every permission check passes, and the
 * modes are only recorded. Everything runs with the CPU held. Errors
 * are -errno (kern.h).
 */
#ifndef RUMPXEN_KERN_SYS_IPC_H
#define RUMPXEN_KERN_SYS_IPC_H

#include "sys.h"

#define IPC_CREAT   01000
#define IPC_EXCL    02000
#define IPC_NOWAIT  04000
#define IPC_RMID    0
#define IPC_SET	    1
#define IPC_STAT    2
#define IPC_INFO    3
#define IPC_PRIVATE 0
#define IPC_SLOTS   1024  /* objects of one kind at most (Linux: 32000) */
#define IPC_SEQ	    32768 /* Linux's SEQ_MULTIPLIER */

/* Linux's struct ipc64_perm on x86_64, as msgctl and the rest give it. */
struct ipc_perm_abi {
	int key;
	unsigned uid, gid, cuid, cgid, mode;
	unsigned short seq, pad;
	unsigned long unused[2];
};

/* What every object has first: its name and its owners. */
struct ipc_obj {
	int key, id;
	unsigned uid, gid, cuid, cgid, mode;
	long ctime; /* the last change by *ctl, in seconds */
};

/* A kind's objects, by slot. */
struct ipc_table {
	struct ipc_obj *slot[IPC_SLOTS];
	unsigned short uses[IPC_SLOTS];
};

/*
 * ipc_get: the start of msgget, semget and shmget: 0 with the object of
 * key in *out (IPC_CREAT|IPC_EXCL: -EEXIST), 0 with *out NULL when a new
 * one is to be made (IPC_PRIVATE, or none and IPC_CREAT), or -ENOENT.
 */
long ipc_get(struct ipc_table *t, int key, int flags, struct ipc_obj **out);
/*
 * ipc_add: o, new, joins t with key and the mode bits of flags; its id,
 * or -ENOSPC when the table is full.
 */
long ipc_add(struct ipc_table *t, struct ipc_obj *o, int key, int flags);
/* ipc_find: the object with this id, or NULL. */
struct ipc_obj *ipc_find(struct ipc_table *t, int id);
/* ipc_at: the object in slot index (*_STAT's argument), or NULL. */
struct ipc_obj *ipc_at(struct ipc_table *t, long index);
/*
 * ipc_count: how many objects t has; *top becomes the highest slot in
 * use, 0 when none (what IPC_INFO and the *_INFO commands return).
 */
int ipc_count(const struct ipc_table *t, long *top);
/* ipc_remove: o leaves t (its id and key find nothing after). */
void ipc_remove(struct ipc_table *t, struct ipc_obj *o);
/* ipc_perm_out: o's owners and mode as IPC_STAT gives them. */
void ipc_perm_out(const struct ipc_obj *o, struct ipc_perm_abi *p);
/* ipc_perm_set: IPC_SET's owners and mode bits for o; its ctime now. */
void ipc_perm_set(struct ipc_obj *o, const struct ipc_perm_abi *p);
/* ipc_now: the wall-clock time in seconds, for the objects' times. */
long ipc_now(void);
/* ipc_pid: the process's pid, for the objects' last-pid fields. */
int ipc_pid(void);

#endif /* RUMPXEN_KERN_SYS_IPC_H */
