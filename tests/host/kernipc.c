/*
 * System V IPC and the PI futexes of the syscall layer (kern/sys/msg.c,
 * sem.c, shm.c, futexpi.c) as a host program on platform/posix under
 * ASan and UBSan, one thread, entered as musl enters it: messages by
 * type, E2BIG and MSG_NOERROR, ENOMSG, IPC_RMID with messages left and
 * the stale id's EINVAL; semaphore operations undone when one cannot be
 * made, ERANGE, a timed wait's EAGAIN; a segment's IPC_STAT, shmat's
 * ENOMEM (POSIX has no windows), IPC_RMID; a PI futex word's owner tid,
 * EDEADLK, ESRCH, EPERM and FUTEX_OWNER_DIED. Exits 0 when all holds.
 */
#include <stdio.h>
#include <string.h>

#include "../../kern/kern.h"
#include "expect.h"

long __rumpxen_syscall(long n, long a1, long a2, long a3, long a4, long a5,
		       long a6);

static long
sys(long n, long a1, long a2, long a3, long a4, long a5)
{
	return __rumpxen_syscall(n, a1, a2, a3, a4, a5, 0);
}

struct msg {
	long type;
	char text[16];
};

static void
msg_checks(void)
{
	struct msg m = {2, "two"};
	long q = sys(68, 0, 01600, 0, 0, 0);

	expect(q >= 0, "msgget IPC_PRIVATE");
	sys(69, q, (long)&m, 4, 0, 0);
	m.type = 1;
	memcpy(m.text, "one, longer", 12);
	sys(69, q, (long)&m, 12, 0, 0);
	sys(69, q, (long)&m, 12, 0, 0);
	expect(sys(70, q, (long)&m, 16, 1, 0) == 12 && m.type == 1,
	       "msgrcv of type 1 skips the type 2 before it");
	expect(sys(70, q, (long)&m, 4, -5, 0) == -KERN_E2BIG,
	       "msgrcv of 4 bytes: E2BIG");
	expect(sys(70, q, (long)&m, 4, -5, 010000) == 4 && m.type == 1,
	       "MSG_NOERROR: cut to 4 bytes, the lowest type first");
	expect(sys(70, q, (long)&m, 16, 3, 04000) == -KERN_ENOMSG,
	       "no message of type 3: ENOMSG");
	expect(sys(71, q, 0, 0, 0, 0) == 0, "IPC_RMID with a message left");
	expect(sys(70, q, (long)&m, 16, 0, 04000) == -KERN_EINVAL,
	       "the removed queue's id: EINVAL");
}

struct sembuf_abi {
	unsigned short num;
	short op, flg;
};

static void
sem_checks(void)
{
	long s = sys(64, 0, 2, 01600, 0, 0);
	unsigned short vals[2] = {5, 0}, got[2];
	struct sembuf_abi ops[2] = {{0, -2, 0}, {1, -1, 04000}};
	long ts[2] = {0, 10000000};

	expect(s >= 0 && sys(66, s, 0, 17, (long)vals, 0) == 0,
	       "semget, SETALL");
	expect(sys(65, s, (long)ops, 2, 0, 0) == -KERN_EAGAIN &&
		       sys(66, s, 0, 13, (long)got, 0) == 0 && got[0] == 5,
	       "the second operation cannot be made: the first undone");
	ops[1].op = 32767;
	expect(sys(65, s, (long)ops, 2, 0, 0) == 0, "both made");
	expect(sys(65, s, (long)&ops[1], 1, 0, 0) == -KERN_ERANGE,
	       "past 32767: ERANGE");
	ops[0].op = -4;
	expect(sys(220, s, (long)ops, 1, (long)ts, 0) == -KERN_EAGAIN,
	       "semtimedop: the timeout's EAGAIN");
	expect(sys(66, s, 0, 14, 0, 0) == 0, "no waiter counted after");
	expect(sys(66, s, 0, 0, 0, 0) == 0 && sys(66, s, 0, 12, 0, 0) < 0,
	       "IPC_RMID, then EINVAL");
}

static void
shm_checks(void)
{
	long id = sys(29, 0, 5000, 01600, 0, 0);
	unsigned long ds[14];

	expect(id >= 0, "shmget");
	expect(sys(31, id, 2, (long)ds, 0, 0) == 0 && ds[6] == 5000,
	       "IPC_STAT: shm_segsz");
	expect(sys(30, id, 0, 0, 0, 0) == -KERN_ENOMEM,
	       "shmat on POSIX, which has no windows: ENOMEM");
	expect(sys(31, id, 0, 0, 0, 0) == 0 &&
		       sys(31, id, 2, (long)ds, 0, 0) == -KERN_EINVAL,
	       "IPC_RMID, then EINVAL");
}

static void
pi_checks(void)
{
	int word = 0, tid = (int)sys(186, 0, 0, 0, 0, 0);

	expect(sys(202, (long)&word, 6, 0, 0, 0) == 0 && word == tid,
	       "FUTEX_LOCK_PI: the owner's tid");
	expect(sys(202, (long)&word, 6, 0, 0, 0) == -KERN_EDEADLK,
	       "again: EDEADLK");
	expect(sys(202, (long)&word, 7, 0, 0, 0) == 0 && word == 0,
	       "FUTEX_UNLOCK_PI: 0");
	word = 0x3ffffff0;
	expect(sys(202, (long)&word, 8, 0, 0, 0) == -KERN_ESRCH,
	       "the word of no thread: ESRCH");
	expect(sys(202, (long)&word, 7, 0, 0, 0) == -KERN_EPERM,
	       "its unlock: EPERM");
	word = 0x40000000;
	expect(sys(202, (long)&word, 8, 0, 0, 0) == 0 &&
		       word == (tid | 0x40000000),
	       "FUTEX_TRYLOCK_PI keeps FUTEX_OWNER_DIED");
}

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	expect(kern_init() == 0, "kern_init");
	msg_checks();
	sem_checks();
	shm_checks();
	pi_checks();
	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures != 0;
}
