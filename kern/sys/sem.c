/*
 * System V semaphores: semget, semop, semtimedop, semctl, as Linux has
 * them within one process. A set holds nsems counters (0 to 32767,
 * SEMVMX). semop applies its operations all at once or not at all, in
 * their order, as Linux does: an operation that would take a counter
 * below 0, or a 0 that finds one above 0, makes the whole call wait
 * (counted for GETNCNT or GETZCNT on that counter) until the set
 * changes, then try again; with IPC_NOWAIT on that operation it is
 * EAGAIN instead, and so is semtimedop's (relative) timeout; a counter
 * past 32767 is ERANGE. A signal ends a wait with EINTR, IPC_RMID with
 * EIDRM. SEM_UNDO is taken: its adjustments would be made when the
 * process exits, and then nothing is left to see them. semctl: GETVAL,
 * SETVAL, GETALL, SETALL, GETPID, GETNCNT, GETZCNT, IPC_STAT, IPC_SET,
 * IPC_RMID, and what ipcs lists with: IPC_INFO (the limits), SEM_INFO
 * (sets and counters in use), SEM_STAT and SEM_STAT_ANY (a set by its
 * slot).
 */
#include <string.h>

#include "ipc.h"

#define SEMMSL	     32000
#define SEMOPM	     500
#define SEMVMX	     32767
#define GETPID	     11
#define GETVAL	     12
#define GETALL	     13
#define GETNCNT	     14
#define GETZCNT	     15
#define SETVAL	     16
#define SETALL	     17
#define SEM_STAT     18
#define SEM_INFO     19
#define SEM_STAT_ANY 20
#define SEMUSZ	     20

/* Linux's struct semid64_ds on x86_64, and struct sembuf. */
struct sem_ds_abi {
	struct ipc_perm_abi perm;
	long otime, unused1, ctime, unused2;
	unsigned long nsems, unused3, unused4;
};
struct sem_buf_abi {
	unsigned short num;
	short op, flg;
};

/* Linux's struct seminfo (IPC_INFO, SEM_INFO). */
struct sem_info_abi {
	int map, mni, mns, mnu, msl, opm, ume, usz, vmx, aem;
};

struct sem_one {
	unsigned short val;
	int pid;	/* the last to change it */
	int ncnt, zcnt; /* calls waiting for it to grow, to be 0 */
};

struct sem_set {
	struct ipc_obj obj; /* first: the table's pointer is the set's */
	int nsems;
	long otime;
	struct kern_waitq q; /* semop's waiters, woken by any change */
	struct sem_one sem[];
};

static struct ipc_table sem_table;

static struct sem_set *
sem_find(int id)
{
	return (struct sem_set *)ipc_find(&sem_table, id);
}

static size_t
sem_size(int nsems)
{
	return sizeof(struct sem_set) + (size_t)nsems * sizeof(struct sem_one);
}

long
sys_semget(const long a[6])
{
	int key = (int)a[0], nsems = (int)a[1], flags = (int)a[2];
	struct ipc_obj *o;
	void *p;

	if (nsems < 0 || nsems > SEMMSL)
		return -KERN_EINVAL;
	long err = ipc_get(&sem_table, key, flags, &o);
	if (err != 0)
		return err;
	if (o != NULL)
		return nsems > ((struct sem_set *)o)->nsems ? -KERN_EINVAL
							    : o->id;
	if (nsems == 0)
		return -KERN_EINVAL;
	if (rumpuser_malloc(sem_size(nsems), 0, &p) != 0)
		return -KERN_ENOMEM;
	struct sem_set *s = p;
	memset(s, 0, sem_size(nsems));
	s->nsems = nsems;
	long id = ipc_add(&sem_table, &s->obj, key, flags);
	if (id < 0)
		rumpuser_free(s, sem_size(nsems));
	return id;
}

/*
 * sem_apply: ops applied to s, all or none: 0; -ERANGE; or 1 with the
 * operation that would wait in *blocked.
 */
static long
sem_apply(struct sem_set *s, const struct sem_buf_abi *ops, long n,
	  const struct sem_buf_abi **blocked)
{
	long i, err = 0;

	for (i = 0; i < n; i++) {
		struct sem_one *m = &s->sem[ops[i].num];
		int v = m->val + ops[i].op;
		if ((ops[i].op == 0 && m->val != 0) || v < 0) {
			*blocked = &ops[i];
			err = 1;
			break;
		}
		if (v > SEMVMX) {
			err = -KERN_ERANGE;
			break;
		}
		m->val = (unsigned short)v;
	}
	if (err == 0) {
		for (i = 0; i < n; i++)
			s->sem[ops[i].num].pid = ipc_pid();
		return 0;
	}
	while (i-- > 0) /* undone, last first */
		s->sem[ops[i].num].val =
			(unsigned short)(s->sem[ops[i].num].val - ops[i].op);
	return err;
}

/*
 * sem_wait: the caller waits on set id (s) for a change, counted for
 * GETNCNT or GETZCNT on op's counter: 0, -EIDRM when the set went, or
 * -EAGAIN (the deadline) or -EINTR.
 */
static long
sem_wait(int id, struct sem_set **s, const struct sem_buf_abi *op,
	 uint64_t deadline)
{
	int *count = op->op == 0 ? &(*s)->sem[op->num].zcnt
				 : &(*s)->sem[op->num].ncnt;

	(*count)++;
	long err = kern_waitq_wait(&(*s)->q, deadline);
	*s = sem_find(id);
	if (*s == NULL)
		return -KERN_EIDRM; /* its counts went with it */
	(*count)--;
	return err == -KERN_ETIMEDOUT ? -KERN_EAGAIN : err;
}

/* sem_ops: semop's and semtimedop's work, after their arguments' checks. */
static long
sem_ops(int id, const struct sem_buf_abi *ops, long n, uint64_t deadline)
{
	struct sem_set *s = sem_find(id);
	const struct sem_buf_abi *blocked;
	int alters = 0;

	if (s == NULL)
		return -KERN_EINVAL;
	for (long i = 0; i < n; i++) {
		if (ops[i].num >= s->nsems)
			return -KERN_EFBIG;
		alters |= ops[i].op != 0;
	}
	for (;;) {
		long err = sem_apply(s, ops, n, &blocked);
		if (err < 0)
			return err;
		if (err == 0)
			break;
		if (blocked->flg & IPC_NOWAIT)
			return -KERN_EAGAIN;
		err = sem_wait(id, &s, blocked, deadline);
		if (err != 0)
			return err;
	}
	s->otime = ipc_now();
	if (alters)
		kern_waitq_wake(&s->q);
	return 0;
}

long
sys_semtimedop(const long a[6])
{
	int id = (int)a[0];
	const struct sem_buf_abi *ops = (const void *)a[1];
	unsigned long n = (unsigned long)a[2];
	const struct kern_timespec *ts = (const void *)a[3];
	uint64_t deadline = 0, t;

	if (n < 1 || id < 0)
		return -KERN_EINVAL;
	if (n > SEMOPM)
		return -KERN_E2BIG;
	if (ops == NULL)
		return -KERN_EFAULT;
	if (ts != NULL) {
		long err = kern_timespec_ns(ts, &t);
		if (err != 0)
			return err;
		if (t != KERN_NS_FOREVER)
			deadline = kern_now() + t;
	}
	/* The kernel's copy: the program may change its own while we wait. */
	void *copy;
	if (rumpuser_malloc(n * sizeof(*ops), 0, &copy) != 0)
		return -KERN_ENOMEM;
	memcpy(copy, ops, n * sizeof(*ops));
	long err = sem_ops(id, copy, (long)n, deadline);
	rumpuser_free(copy, n * sizeof(*ops));
	return err;
}

long
sys_semop(const long a[6])
{
	const long b[6] = {a[0], a[1], a[2], 0};

	return sys_semtimedop(b);
}

/* sem_stat: IPC_STAT's picture of s. */
static void
sem_stat(const struct sem_set *s, struct sem_ds_abi *buf)
{
	memset(buf, 0, sizeof(*buf));
	ipc_perm_out(&s->obj, &buf->perm);
	buf->otime = s->otime;
	buf->ctime = s->obj.ctime;
	buf->nsems = (unsigned long)s->nsems;
}

/* sem_setall: SETALL: every counter from vals; -ERANGE if one is big. */
static long
sem_setall(struct sem_set *s, const unsigned short *vals)
{
	for (int i = 0; i < s->nsems; i++)
		if (vals[i] > SEMVMX)
			return -KERN_ERANGE;
	for (int i = 0; i < s->nsems; i++) {
		s->sem[i].val = vals[i];
		s->sem[i].pid = ipc_pid();
	}
	s->obj.ctime = ipc_now();
	kern_waitq_wake(&s->q);
	return 0;
}

/* sem_one_cmd: the commands on one counter of s: num, checked. */
static long
sem_one_cmd(struct sem_set *s, int num, int cmd, long arg)
{
	struct sem_one *m = &s->sem[num];

	switch (cmd) {
	case GETVAL:
		return m->val;
	case GETPID:
		return m->pid;
	case GETNCNT:
		return m->ncnt;
	case GETZCNT:
		return m->zcnt;
	default: /* SETVAL */
		m->val = (unsigned short)arg;
		m->pid = ipc_pid();
		s->obj.ctime = ipc_now();
		kern_waitq_wake(&s->q);
		return 0;
	}
}

/*
 * sem_info: IPC_INFO's limits, or SEM_INFO's sets and counters in use,
 * into info; the highest slot in use.
 */
static long
sem_info(int cmd, struct sem_info_abi *info)
{
	long top;
	int n = ipc_count(&sem_table, &top);

	info->mni = IPC_SLOTS;
	info->msl = SEMMSL;
	info->mns = info->mnu = info->map = IPC_SLOTS * SEMMSL;
	info->opm = info->ume = SEMOPM;
	info->vmx = SEMVMX;
	info->usz = SEMUSZ;
	info->aem = SEMVMX;
	if (cmd == SEM_INFO) {
		info->usz = n;
		info->aem = 0;
		for (long i = 0; i <= top; i++) {
			struct sem_set *s = (void *)ipc_at(&sem_table, i);
			info->aem += s != NULL ? s->nsems : 0;
		}
	}
	return top;
}

/* sem_remove: IPC_RMID: the set goes; its waiters: EIDRM. */
static void
sem_remove(struct sem_set *s)
{
	ipc_remove(&sem_table, &s->obj);
	kern_waitq_detach(&s->q);
	rumpuser_free(s, sem_size(s->nsems));
}

long
sys_semctl(const long a[6])
{
	int id = (int)a[0], num = (int)a[1], cmd = (int)a[2];
	long arg = a[3];
	void *ptr = (void *)a[3];
	struct sem_set *s;

	if (id < 0 || cmd < 0 || cmd > SEM_STAT_ANY ||
	    (cmd > IPC_INFO && cmd < GETPID))
		return -KERN_EINVAL;
	if (cmd == IPC_INFO || cmd == SEM_INFO)
		return ptr == NULL ? -KERN_EFAULT : sem_info(cmd, ptr);
	if (cmd == SETVAL && ((int)arg < 0 || (int)arg > SEMVMX))
		return -KERN_ERANGE;
	if (cmd == SEM_STAT || cmd == SEM_STAT_ANY)
		s = (struct sem_set *)ipc_at(&sem_table, id);
	else
		s = sem_find(id);
	if (s == NULL)
		return -KERN_EINVAL;
	switch (cmd) {
	case IPC_RMID:
		sem_remove(s);
		return 0;
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
	case IPC_SET:
	case GETALL:
	case SETALL:
		if (ptr == NULL)
			return -KERN_EFAULT;
		break;
	default:
		if (num < 0 || num >= s->nsems)
			return -KERN_EINVAL;
		return sem_one_cmd(s, num, cmd, (int)arg);
	}
	switch (cmd) {
	case IPC_STAT:
		sem_stat(s, ptr);
		return 0;
	case SEM_STAT:
	case SEM_STAT_ANY:
		sem_stat(s, ptr);
		return s->obj.id;
	case IPC_SET:
		ipc_perm_set(&s->obj, &((const struct sem_ds_abi *)ptr)->perm);
		return 0;
	case GETALL:
		for (int i = 0; i < s->nsems; i++)
			((unsigned short *)ptr)[i] = s->sem[i].val;
		return 0;
	default:
		return sem_setall(s, ptr);
	}
}
