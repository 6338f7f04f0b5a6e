/*
 * System V message queues: msgget, msgsnd, msgrcv, msgctl, as Linux has
 * them within one process. A queue holds its messages in the order they
 * came, up to msg_qbytes bytes (16384 at first, Linux's MSGMNB) and as
 * many messages; a message holds at most 8192 bytes (MSGMAX). msgrcv
 * takes the first message (msgtyp 0), the first of a type (> 0; with
 * MSG_EXCEPT the first of any other type) or the first of the lowest
 * type up to -msgtyp (< 0); a message longer than asked is E2BIG and
 * stays, unless MSG_NOERROR cuts it. A sender waits for room and a
 * receiver for a message on the queue's wait queue, unless IPC_NOWAIT
 * (EAGAIN, ENOMSG); a signal ends the wait with EINTR, IPC_RMID with
 * EIDRM. msgctl: IPC_STAT, IPC_SET (owners, mode, msg_qbytes), IPC_RMID,
 * and what ipcs lists with: IPC_INFO (the limits), MSG_INFO (what is in
 * use), MSG_STAT and MSG_STAT_ANY (a queue by its slot). MSG_COPY is not
 * there (ENOSYS, as in a kernel without CONFIG_CHECKPOINT_RESTORE).
 */
#include <limits.h>
#include <string.h>

#include "ipc.h"

#define MSGMAX	     8192
#define MSGMNB	     16384
#define MSG_NOERROR  010000
#define MSG_EXCEPT   020000
#define MSG_COPY     040000
#define MSG_STAT     11
#define MSG_INFO     12
#define MSG_STAT_ANY 13
#define MSGSSZ	     16
#define MSGSEG	     0xffff

/* Linux's struct msqid64_ds on x86_64. */
struct msg_ds_abi {
	struct ipc_perm_abi perm;
	long stime, rtime, ctime;
	unsigned long cbytes, qnum, qbytes;
	int lspid, lrpid;
	unsigned long unused[2];
};

/* Linux's struct msginfo (IPC_INFO, MSG_INFO). */
struct msg_info_abi {
	int pool, map, max, mnb, mni, ssz, tql;
	unsigned short seg;
};

struct msg_msg {
	struct msg_msg *next;
	long type;
	size_t len;
	char text[];
};

struct msg_queue {
	struct ipc_obj obj; /* first: the table's pointer is the queue's */
	struct msg_msg *first, **last;
	unsigned long cbytes, qnum, qbytes;
	long stime, rtime;
	int lspid, lrpid;
	struct kern_waitq q; /* senders and receivers, woken by a change */
};

static struct ipc_table msg_table;

static struct msg_queue *
msg_find(int id)
{
	return (struct msg_queue *)ipc_find(&msg_table, id);
}

long
sys_msgget(const long a[6])
{
	int key = (int)a[0], flags = (int)a[1];
	struct ipc_obj *o;
	void *p;

	long err = ipc_get(&msg_table, key, flags, &o);
	if (err != 0 || o != NULL)
		return err != 0 ? err : o->id;
	if (rumpuser_malloc(sizeof(struct msg_queue), 0, &p) != 0)
		return -KERN_ENOMEM;
	struct msg_queue *mq = p;
	memset(mq, 0, sizeof(*mq));
	mq->last = &mq->first;
	mq->qbytes = MSGMNB;
	long id = ipc_add(&msg_table, &mq->obj, key, flags);
	if (id < 0)
		rumpuser_free(mq, sizeof(*mq));
	return id;
}

/* msg_fits: a message of len bytes has room in mq now. */
static int
msg_fits(const struct msg_queue *mq, size_t len)
{
	return len + mq->cbytes <= mq->qbytes && mq->qnum + 1 <= mq->qbytes;
}

/*
 * msg_wait: the caller waits on mq (id) for a change: 0 with the queue
 * found again in *mq, -EIDRM when it went, -EINTR for a signal.
 */
static long
msg_wait(int id, struct msg_queue **mq)
{
	long err = kern_waitq_wait(&(*mq)->q, 0);

	*mq = msg_find(id);
	if (*mq == NULL)
		return -KERN_EIDRM;
	return err;
}

long
sys_msgsnd(const long a[6])
{
	int id = (int)a[0], flags = (int)a[3];
	const long *msgp = (const long *)a[1];
	size_t len = (size_t)a[2];
	struct msg_queue *mq;
	void *p;

	if (len > MSGMAX || id < 0)
		return -KERN_EINVAL;
	if (msgp == NULL)
		return -KERN_EFAULT;
	if (msgp[0] < 1)
		return -KERN_EINVAL;
	mq = msg_find(id);
	if (mq == NULL)
		return -KERN_EINVAL;
	while (!msg_fits(mq, len)) {
		if (flags & IPC_NOWAIT)
			return -KERN_EAGAIN;
		long err = msg_wait(id, &mq);
		if (err != 0)
			return err;
	}
	if (rumpuser_malloc(sizeof(struct msg_msg) + len, 0, &p) != 0)
		return -KERN_ENOMEM;
	struct msg_msg *m = p;
	m->next = NULL;
	m->type = msgp[0];
	m->len = len;
	memcpy(m->text, msgp + 1, len);
	*mq->last = m;
	mq->last = &m->next;
	mq->cbytes += len;
	mq->qnum++;
	mq->stime = ipc_now();
	mq->lspid = ipc_pid();
	kern_waitq_wake(&mq->q);
	return 0;
}

/*
 * msg_search: where the message msgrcv wants is linked in mq (the link
 * pointing at it), or NULL: the first one (type 0), the first of type
 * (or, except, of another), or the first of the lowest type up to -type.
 */
static struct msg_msg **
msg_search(struct msg_queue *mq, long type, int except)
{
	struct msg_msg **found = NULL;
	long most = type == LONG_MIN ? LONG_MAX : -type;

	for (struct msg_msg **pp = &mq->first; *pp != NULL; pp = &(*pp)->next) {
		long t = (*pp)->type;
		if (type == 0 || (type > 0 && (t == type) != except))
			return pp;
		if (type < 0 && t <= most &&
		    (found == NULL || t < (*found)->type))
			found = pp;
	}
	return found;
}

/* msg_take: the message at *pp leaves mq; it is the caller's. */
static struct msg_msg *
msg_take(struct msg_queue *mq, struct msg_msg **pp)
{
	struct msg_msg *m = *pp;

	*pp = m->next;
	if (mq->last == &m->next)
		mq->last = pp;
	mq->cbytes -= m->len;
	mq->qnum--;
	mq->rtime = ipc_now();
	mq->lrpid = ipc_pid();
	kern_waitq_wake(&mq->q);
	return m;
}

long
sys_msgrcv(const long a[6])
{
	int id = (int)a[0], flags = (int)a[4];
	long *msgp = (long *)a[1], type = a[3];
	long len = a[2];
	struct msg_queue *mq;
	struct msg_msg **pp;

	if (id < 0 || len < 0)
		return -KERN_EINVAL;
	if (flags & MSG_COPY)
		return -KERN_ENOSYS;
	mq = msg_find(id);
	if (mq == NULL)
		return -KERN_EINVAL;
	while ((pp = msg_search(mq, type, (flags & MSG_EXCEPT) != 0)) == NULL) {
		if (flags & IPC_NOWAIT)
			return -KERN_ENOMSG;
		long err = msg_wait(id, &mq);
		if (err != 0)
			return err;
	}
	if ((size_t)len < (*pp)->len && !(flags & MSG_NOERROR))
		return -KERN_E2BIG;
	if (msgp == NULL)
		return -KERN_EFAULT;
	struct msg_msg *m = msg_take(mq, pp);
	size_t n = m->len < (size_t)len ? m->len : (size_t)len;
	msgp[0] = m->type;
	memcpy(msgp + 1, m->text, n);
	rumpuser_free(m, sizeof(*m) + m->len);
	return (long)n;
}

/* msg_remove: IPC_RMID: the queue and its messages go; waiters: EIDRM. */
static void
msg_remove(struct msg_queue *mq)
{
	ipc_remove(&msg_table, &mq->obj);
	while (mq->first != NULL) {
		struct msg_msg *m = mq->first;
		mq->first = m->next;
		rumpuser_free(m, sizeof(*m) + m->len);
	}
	kern_waitq_detach(&mq->q);
	rumpuser_free(mq, sizeof(*mq));
}

/*
 * msg_info: IPC_INFO's limits, or MSG_INFO's queues, messages and bytes
 * in use, into info; the highest slot in use.
 */
static long
msg_info(int cmd, struct msg_info_abi *info)
{
	long top;
	int n = ipc_count(&msg_table, &top);

	memset(info, 0, sizeof(*info));
	info->max = MSGMAX;
	info->mnb = MSGMNB;
	info->mni = IPC_SLOTS;
	info->ssz = MSGSSZ;
	info->seg = MSGSEG;
	info->pool = IPC_SLOTS * MSGMNB / 1024;
	info->map = info->tql = MSGMNB;
	if (cmd == MSG_INFO) {
		info->pool = n;
		info->map = info->tql = 0;
		for (long i = 0; i <= top; i++) {
			struct msg_queue *mq = (void *)ipc_at(&msg_table, i);
			if (mq != NULL) {
				info->map += (int)mq->qnum;
				info->tql += (int)mq->cbytes;
			}
		}
	}
	return top;
}

/* msg_stat: IPC_STAT's picture of mq. */
static void
msg_stat(const struct msg_queue *mq, struct msg_ds_abi *buf)
{
	memset(buf, 0, sizeof(*buf));
	ipc_perm_out(&mq->obj, &buf->perm);
	buf->stime = mq->stime;
	buf->rtime = mq->rtime;
	buf->ctime = mq->obj.ctime;
	buf->cbytes = mq->cbytes;
	buf->qnum = mq->qnum;
	buf->qbytes = mq->qbytes;
	buf->lspid = mq->lspid;
	buf->lrpid = mq->lrpid;
}

long
sys_msgctl(const long a[6])
{
	int id = (int)a[0], cmd = (int)a[1];
	struct msg_ds_abi *buf = (struct msg_ds_abi *)a[2];
	struct msg_queue *mq;

	if (id < 0 || cmd < 0 || (cmd > IPC_INFO && cmd < MSG_STAT) ||
	    cmd > MSG_STAT_ANY)
		return -KERN_EINVAL;
	if (cmd == IPC_INFO || cmd == MSG_INFO)
		return buf == NULL ? -KERN_EFAULT
				   : msg_info(cmd, (struct msg_info_abi *)buf);
	if (cmd == MSG_STAT || cmd == MSG_STAT_ANY)
		mq = (struct msg_queue *)ipc_at(&msg_table, id);
	else
		mq = msg_find(id);
	if (mq == NULL)
		return -KERN_EINVAL;
	if (cmd != IPC_RMID && buf == NULL)
		return -KERN_EFAULT;
	if (cmd == MSG_STAT || cmd == MSG_STAT_ANY) {
		msg_stat(mq, buf);
		return mq->obj.id;
	}
	switch (cmd) {
	case IPC_STAT:
		msg_stat(mq, buf);
		return 0;
	case IPC_SET:
		ipc_perm_set(&mq->obj, &buf->perm);
		mq->qbytes = buf->qbytes;
		kern_waitq_wake(&mq->q); /* more room, perhaps */
		return 0;
	default:
		msg_remove(mq);
		return 0;
	}
}
