/*
 * Threads: clone (threads only), exit, exit_group, set_tid_address,
 * set_robust_list, get_robust_list, gettid, and the two entries musl's overlay
 * calls as functions, __rumpxen_clone and __rumpxen_unmapself.
 *
 * clone takes what musl's pthread_create passes (CLONE_VM, FS, FILES,
 * SIGHAND, THREAD, SYSVSEM, SETTLS, PARENT_SETTID, CHILD_CLEARTID,
 * CHILD_SETTID; DETACHED ignored, as Linux does) and makes a platform
 * thread that runs fn(arg) on the caller's stack, below the address it
 * gave (the size is that of the mapping holding it, or 64 KiB for a stack
 * from elsewhere); without CLONE_VM|CLONE_THREAD, a fork, it gives
 * ENOSYS. The child inherits the signal mask and, without CLONE_SETTLS,
 * the TLS pointer. A thread's end clears and wakes its CLONE_CHILD_CLEARTID
 * word (musl's joiners and thread-list lock wait on it), marks the robust
 * futexes it holds as their owner dead, hands the PI futexes it holds
 * to their waiters (futexpi.c), and exits; the last thread's end
 * ends the guest with its status. __unmapself's stack is unmapped once
 * the thread has stopped (thread_unmap_stack, its reap hook).
 */
#include "../net/net.h"
#include "../vfs/vfs.h"
#include "sys.h"

#define CLONE_VM	     0x00000100
#define CLONE_FS	     0x00000200
#define CLONE_FILES	     0x00000400
#define CLONE_SIGHAND	     0x00000800
#define CLONE_THREAD	     0x00010000
#define CLONE_SYSVSEM	     0x00040000
#define CLONE_SETTLS	     0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED	     0x00400000
#define CLONE_CHILD_SETTID   0x01000000
#define CLONE_THREAD_FLAGS                                                     \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |    \
	 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |                  \
	 CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_CHILD_SETTID)
#define CLONE_STACK_GUESS (64 * 1024)

#define FUTEX_TID_MASK	  0x3fffffff
#define FUTEX_OWNER_DIED  0x40000000
#define FUTEX_WAITERS	  0x80000000u
#define ROBUST_LIST_LIMIT 2048

/* Linux's struct robust_list_head. */
struct kern_robust_head {
	unsigned long list; /* the first entry; the head's own address ends */
	long futex_offset;  /* from an entry to its futex word */
	unsigned long pending;
};

/* thread_robust_release: one robust futex of a dying thread. */
static void
thread_robust_release(const struct kern_thread *t, unsigned long entry,
		      long offset)
{
	int *word = (int *)((entry & ~1ul) + (unsigned long)offset);

	if (((uintptr_t)word & 3) != 0)
		return;
	unsigned v = (unsigned)__atomic_load_n(word, __ATOMIC_SEQ_CST);
	if ((v & FUTEX_TID_MASK) != (unsigned)t->tid)
		return;
	__atomic_store_n(word, (int)((v & FUTEX_WAITERS) | FUTEX_OWNER_DIED),
			 __ATOMIC_SEQ_CST);
	if (v & FUTEX_WAITERS)
		kern_futex_wake(word, 1);
}

/* thread_robust_walk: what a dying thread's robust list still holds. */
static void
thread_robust_walk(const struct kern_thread *t)
{
	const struct kern_robust_head *h = (const void *)t->robust_list;

	if (h == NULL)
		return;
	unsigned long entry = h->list;
	for (int n = 0;
	     entry != t->robust_list && entry != 0 && n < ROBUST_LIST_LIMIT;
	     n++) {
		unsigned long next = *(const unsigned long *)(entry & ~1ul);
		if (entry != h->pending)
			thread_robust_release(t, entry, h->futex_offset);
		entry = next;
	}
	if (h->pending != 0)
		thread_robust_release(t, h->pending, h->futex_offset);
}

/* thread_end: the calling thread t, holding the CPU, ends. */
__attribute__((noreturn)) static void
thread_end(struct kern_thread *t, int status)
{
	thread_robust_walk(t);
	kern_futex_pi_exit(t);
	if (t->clear_tid != NULL) {
		__atomic_store_n(t->clear_tid, 0, __ATOMIC_SEQ_CST);
		kern_futex_wake(t->clear_tid, 1);
	}
	if (kern_thread_exit(t) == 0)
		kern_proc_end(status); /* the process's last thread */
	kern_leave_exit();
}

void
kern_proc_end(int status)
{
	const long all[6] = {0, ~0l, 0};

	sys_close_range(all);
	kern_net_drain(2000000000);
	vfs_shutdown();
	kern_leave();
	platform_exit(status);
}

/* thread_start: a new thread's first steps, then its function. */
static void
thread_start(void *arg)
{
	struct kern_thread *t = arg;

	kern_enter();
	kern_thread_bind(t);
	kern_leave();
	int status = t->start(t->start_arg);
	kern_enter();
	thread_end(t, status);
}

static long
thread_clone(int (*fn)(void *), unsigned long stack, long flags, void *arg,
	     int *ptid, unsigned long tls, int *ctid)
{
	struct kern_thread *self = kern_thread_self(), *t;
	unsigned long base = kern_mem_base(stack - 1);
	const unsigned long need = CLONE_VM | CLONE_THREAD | CLONE_SIGHAND;

	if ((flags & (CLONE_VM | CLONE_THREAD)) != (CLONE_VM | CLONE_THREAD))
		return -KERN_ENOSYS; /* a fork: there is one process */
	if ((flags & need) != need || (flags & ~CLONE_THREAD_FLAGS) != 0 ||
	    fn == NULL || stack == 0)
		return -KERN_EINVAL;
	kern_thread_reap();
	t = kern_thread_new(self);
	if (t == NULL)
		return -KERN_EAGAIN;
	t->start = fn;
	t->start_arg = arg;
	t->fs_base = flags & CLONE_SETTLS ? tls : self->fs_base;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_tid = ctid;
	if (base == 0 || stack - base < 4096)
		base = stack - CLONE_STACK_GUESS;
	const struct platform_thread_attr attr = {
		.name = "thread",
		.stack = (void *)base,
		.stack_size = stack - base,
		.tls = t->fs_base,
		.joinable = 1,
	};
	if (flags & CLONE_PARENT_SETTID)
		*ptid = t->tid;
	if (flags & CLONE_CHILD_SETTID)
		*ctid = t->tid;
	if (platform_thread_create(&attr, thread_start, t, &t->pt) != 0) {
		kern_thread_exit(t);
		kern_thread_reap();
		return -KERN_EAGAIN;
	}
	return t->tid;
}

int __rumpxen_clone(int (*fn)(void *), void *stack, int flags, void *arg,
		    int *ptid, unsigned long tls, int *ctid);

int
__rumpxen_clone(int (*fn)(void *), void *stack, int flags, void *arg, int *ptid,
		unsigned long tls, int *ctid)
{
	long r;

	kern_enter();
	r = thread_clone(fn, (unsigned long)stack, flags, arg, ptid, tls, ctid);
	kern_leave();
	return (int)r;
}

/* thread_unmap_stack: the reap hook of a thread that __unmapself ended. */
static void
thread_unmap_stack(struct kern_thread *t)
{
	if (t->unmap_len != 0)
		kern_mem_unmap(t->unmap_base, t->unmap_len);
}

__attribute__((noreturn)) void __rumpxen_unmapself(void *base, size_t size);

void
__rumpxen_unmapself(void *base, size_t size)
{
	kern_enter();
	struct kern_thread *t = kern_thread_self();
	t->unmap_base = (unsigned long)base;
	t->unmap_len = size;
	t->reap = thread_unmap_stack;
	thread_end(t, 0);
}

long
sys_exit(const long a[6])
{
	thread_end(kern_thread_self(), (int)a[0]);
}

long
sys_exit_group(const long a[6])
{
	kern_proc_end((int)a[0]);
}

long
sys_set_tid_address(const long a[6])
{
	struct kern_thread *t = kern_thread_self();

	t->clear_tid = (int *)a[0];
	return t->tid;
}

long
sys_set_robust_list(const long a[6])
{
	if (a[1] != sizeof(struct kern_robust_head))
		return -KERN_EINVAL;
	kern_thread_self()->robust_list = (unsigned long)a[0];
	return 0;
}

long
sys_get_robust_list(const long a[6])
{
	struct kern_thread *t =
		a[0] == 0 ? kern_thread_self() : kern_thread_find((int)a[0]);

	if (t == NULL)
		return -KERN_ESRCH;
	*(unsigned long *)a[1] = t->robust_list;
	*(size_t *)a[2] = sizeof(struct kern_robust_head);
	return 0;
}

long
sys_gettid(const long a[6])
{
	(void)a;
	return kern_thread_self()->tid;
}
