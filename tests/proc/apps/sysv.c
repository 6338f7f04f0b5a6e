/*
 * System V IPC within one process, and POSIX's shm_open and sem_open
 * (tests/proc/ipc.sh): message queues (keys, IPC_EXCL, the msgtyp
 * rules, E2BIG and MSG_NOERROR, a full queue, a blocked msgrcv woken by
 * a sender, by a signal with EINTR, by IPC_RMID with EIDRM), semaphores
 * (all operations or none, IPC_NOWAIT, ERANGE, EFBIG, a timeout,
 * GETNCNT and GETZCNT of blocked threads, semctl's commands, EIDRM),
 * shared memory (a segment attached twice shows the same bytes at both
 * addresses; shm_nattch; IPC_RMID destroying at the last detach), and
 * what ipcs lists with (IPC_INFO, the *_INFO and *_STAT commands). Run
 * natively and on Xen; prints "N failures" and exits 0 when there are
 * none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

struct msg {
	long type;
	char text[32];
};

/* fails: call returned -1 with errno e. */
static int
fails(long r, int e)
{
	return r == -1 && errno == e;
}

static void
on_usr1(int sig)
{
	(void)sig;
}

static void
nap(long ms)
{
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000};

	nanosleep(&ts, NULL);
}

static int qid;

/* msg_waiter: a blocking msgrcv; its result and errno. */
static void *
msg_waiter(void *arg)
{
	struct msg m;
	long *res = arg;

	res[0] = msgrcv(qid, &m, sizeof(m.text), 0, 0);
	res[1] = errno;
	res[2] = res[0] >= 0 ? m.type : 0;
	return NULL;
}

/* msg_block: a thread blocked in msgrcv, then what happens to it. */
static void
msg_block(int how, long *res)
{
	pthread_t t;
	struct msg m = {7, "wake"};

	res[0] = res[1] = res[2] = 0;
	pthread_create(&t, NULL, msg_waiter, res);
	nap(100);
	if (how == 0)
		msgsnd(qid, &m, 5, 0);
	else if (how == 1)
		pthread_kill(t, SIGUSR1);
	else
		msgctl(qid, IPC_RMID, NULL);
	pthread_join(t, NULL);
}

/* msg_listed: what ipcs does: the limits, the use, qid by its slot. */
static void
msg_listed(void)
{
	struct msginfo info;
	struct msqid_ds ds;
	int top = msgctl(0, IPC_INFO, (struct msqid_ds *)&info), found = 0;

	check(top >= 0 && info.msgmax == 8192 && info.msgmnb == 16384,
	      "msgctl IPC_INFO: the limits");
	check(msgctl(0, MSG_INFO, (struct msqid_ds *)&info) == top &&
		      info.msgpool >= 1 && info.msgmap >= 1 &&
		      info.msgtql >= 16,
	      "msgctl MSG_INFO: queues, messages, bytes in use");
	for (int i = 0; i <= top; i++)
		found |= msgctl(i, MSG_STAT, &ds) == qid && ds.msg_qnum == 1;
	check(found, "msgctl MSG_STAT: the queue found by its slot");
}

static void
msg_checks(key_t key)
{
	struct msg m;
	struct msqid_ds ds;
	long res[3];

	check(msgget(key, 0600) == -1 && errno == ENOENT, "msgget: ENOENT");
	int k = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
	check(k >= 0, "msgget: a keyed queue");
	check(fails(msgget(key, IPC_CREAT | IPC_EXCL | 0600), EEXIST),
	      "msgget: IPC_EXCL gives EEXIST");
	check(msgget(key, 0) == k, "msgget: the key finds it");
	qid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	check(qid >= 0 && qid != k, "msgget: IPC_PRIVATE is another");
	static const long types[] = {3, 1, 2, 1};
	for (int i = 0; i < 4; i++) {
		m.type = types[i];
		snprintf(m.text, sizeof(m.text), "m%d", i);
		check(msgsnd(qid, &m, 3, 0) == 0, "msgsnd");
	}
	check(msgrcv(qid, &m, sizeof(m.text), 0, 0) == 3 && m.type == 3 &&
		      strcmp(m.text, "m0") == 0,
	      "msgrcv 0: the first");
	check(msgrcv(qid, &m, sizeof(m.text), -2, 0) == 3 && m.type == 1 &&
		      strcmp(m.text, "m1") == 0,
	      "msgrcv -2: the first of the lowest type");
	check(msgrcv(qid, &m, sizeof(m.text), 1, MSG_EXCEPT) == 3 &&
		      m.type == 2,
	      "msgrcv MSG_EXCEPT: another type");
	check(msgrcv(qid, &m, sizeof(m.text), 1, 0) == 3 &&
		      strcmp(m.text, "m3") == 0,
	      "msgrcv 1: that type");
	check(fails(msgrcv(qid, &m, sizeof(m.text), 0, IPC_NOWAIT), ENOMSG),
	      "msgrcv IPC_NOWAIT: ENOMSG");
	m.type = 5;
	memcpy(m.text, "0123456789", 10);
	msgsnd(qid, &m, 10, 0);
	check(fails(msgrcv(qid, &m, 4, 0, 0), E2BIG), "msgrcv: E2BIG");
	check(msgctl(qid, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1 &&
		      ds.msg_cbytes == 10 && ds.msg_qbytes == 16384 &&
		      (ds.msg_perm.mode & 0777) == 0600 &&
		      ds.msg_lspid == getpid() && ds.msg_lrpid == getpid(),
	      "msgctl IPC_STAT: it stayed");
	memset(m.text, 0, sizeof(m.text));
	check(msgrcv(qid, &m, 4, 0, MSG_NOERROR) == 4 &&
		      memcmp(m.text, "0123\0", 5) == 0,
	      "msgrcv MSG_NOERROR: cut");
	m.type = 0;
	check(fails(msgsnd(qid, &m, 1, 0), EINVAL), "msgsnd type 0: EINVAL");
	m.type = 1;
	check(fails(msgsnd(qid, &m, 8193, 0), EINVAL),
	      "msgsnd of 8193 bytes: EINVAL");
	ds.msg_qbytes = 20;
	check(msgctl(qid, IPC_SET, &ds) == 0, "msgctl IPC_SET");
	check(msgsnd(qid, &m, 16, 0) == 0, "msgsnd into 20 bytes");
	check(fails(msgsnd(qid, &m, 16, IPC_NOWAIT), EAGAIN),
	      "msgsnd to a full queue: EAGAIN");
	msg_listed();
	msgrcv(qid, &m, sizeof(m.text), 0, 0);
	msg_block(0, res);
	check(res[0] == 5 && res[2] == 7, "a blocked msgrcv gets a message");
	msg_block(1, res);
	check(res[0] == -1 && res[1] == EINTR,
	      "a signal ends msgrcv with EINTR (SA_RESTART or not)");
	msg_block(2, res);
	check(res[0] == -1 && res[1] == EIDRM, "IPC_RMID: EIDRM for msgrcv");
	check(fails(msgctl(qid, IPC_STAT, &ds), EINVAL),
	      "a removed queue: EINVAL");
	check(fails(msgsnd(-1, &m, 1, 0), EINVAL), "msgsnd -1: EINVAL");
	check(msgctl(k, IPC_RMID, NULL) == 0, "msgctl IPC_RMID");
}

static int sid;

/* sem_waiter: a blocking semop of arg's operation; its result, errno. */
static void *
sem_waiter(void *arg)
{
	long *res = arg;
	struct sembuf op = {(unsigned short)res[0], (short)res[1], 0};

	res[2] = semop(sid, &op, 1);
	res[3] = errno;
	return NULL;
}

/* sem_wait_count: cmd (GETNCNT, GETZCNT) of sem num reaches n. */
static int
sem_wait_count(int num, int cmd, int n)
{
	for (int i = 0; i < 200; i++) {
		if (semctl(sid, num, cmd) == n)
			return 1;
		nap(10);
	}
	return 0;
}

static void
sem_block_checks(void)
{
	pthread_t t;
	long res[4] = {0, -1, 0, 0};
	struct sembuf up = {0, 1, 0}, down = {1, -1, 0};

	semctl(sid, 0, SETVAL, 0);
	pthread_create(&t, NULL, sem_waiter, res);
	check(sem_wait_count(0, GETNCNT, 1), "GETNCNT counts a waiter");
	semop(sid, &up, 1);
	pthread_join(t, NULL);
	check(res[2] == 0 && semctl(sid, 0, GETVAL) == 0 &&
		      semctl(sid, 0, GETNCNT) == 0,
	      "semop: a blocked -1 goes on after a +1");
	long zres[4] = {1, 0, 0, 0};
	semctl(sid, 1, SETVAL, 1);
	pthread_create(&t, NULL, sem_waiter, zres);
	check(sem_wait_count(1, GETZCNT, 1), "GETZCNT counts a waiter");
	semop(sid, &down, 1);
	pthread_join(t, NULL);
	check(zres[2] == 0, "semop: a wait for 0 ends at 0");
	long ires[4] = {0, -1, 0, 0};
	pthread_create(&t, NULL, sem_waiter, ires);
	sem_wait_count(0, GETNCNT, 1);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	check(ires[2] == -1 && ires[3] == EINTR, "a signal: EINTR for semop");
	long rres[4] = {0, -1, 0, 0};
	pthread_create(&t, NULL, sem_waiter, rres);
	sem_wait_count(0, GETNCNT, 1);
	semctl(sid, 0, IPC_RMID);
	pthread_join(t, NULL);
	check(rres[2] == -1 && rres[3] == EIDRM, "IPC_RMID: EIDRM for semop");
}

/* sem_listed: what ipcs does: the limits, the use, sid by its slot. */
static void
sem_listed(void)
{
	struct seminfo info;
	struct semid_ds ds;
	int top = semctl(0, 0, IPC_INFO, &info), found = 0;

	check(top >= 0 && info.semvmx == 32767 && info.semopm == 500,
	      "semctl IPC_INFO: the limits");
	check(semctl(0, 0, SEM_INFO, &info) == top && info.semusz >= 1 &&
		      info.semaem >= 3,
	      "semctl SEM_INFO: sets and counters in use");
	for (int i = 0; i <= top; i++)
		found |=
			semctl(i, 0, SEM_STAT, &ds) == sid && ds.sem_nsems == 3;
	check(found, "semctl SEM_STAT: the set found by its slot");
}

static void
sem_checks(key_t key)
{
	unsigned short vals[3] = {1, 0, 2}, got[3];
	struct semid_ds ds;

	check(fails(semget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL),
	      "semget of 0: EINVAL");
	check(fails(semget(key, 1, 0600), ENOENT), "semget: ENOENT");
	int k = semget(key, 2, IPC_CREAT | 0600);
	check(k >= 0 && semget(key, 1, 0) == k, "semget: the key finds it");
	check(fails(semget(key, 3, 0), EINVAL), "semget: more than it has");
	check(fails(semget(key, 2, IPC_CREAT | IPC_EXCL), EEXIST),
	      "semget: IPC_EXCL gives EEXIST");
	semctl(k, 0, IPC_RMID);
	sid = semget(IPC_PRIVATE, 3, IPC_CREAT | 0640);
	check(sid >= 0, "semget: a set of 3");
	check(semctl(sid, 0, IPC_STAT, &ds) == 0 && ds.sem_nsems == 3 &&
		      (ds.sem_perm.mode & 0777) == 0640 && ds.sem_otime == 0,
	      "semctl IPC_STAT");
	check(semctl(sid, 0, SETALL, vals) == 0, "semctl SETALL");
	check(semctl(sid, 0, GETALL, got) == 0 && got[0] == 1 && got[1] == 0 &&
		      got[2] == 2,
	      "semctl GETALL");
	struct sembuf two[2] = {{0, -1, SEM_UNDO}, {1, 1, 0}};
	check(semop(sid, two, 2) == 0 && semctl(sid, 0, GETVAL) == 0 &&
		      semctl(sid, 1, GETVAL) == 1,
	      "semop: two operations (SEM_UNDO taken)");
	check(semctl(sid, 0, GETPID) == getpid(), "semctl GETPID");
	struct sembuf half[2] = {{2, -1, 0}, {0, -1, IPC_NOWAIT}};
	check(fails(semop(sid, half, 2), EAGAIN) && semctl(sid, 2, GETVAL) == 2,
	      "semop: all or nothing (EAGAIN, nothing done)");
	struct sembuf zero = {1, 0, IPC_NOWAIT};
	check(fails(semop(sid, &zero, 1), EAGAIN), "semop: 0 on 1 EAGAIN");
	struct sembuf big = {3, 1, 0};
	check(fails(semop(sid, &big, 1), EFBIG), "semop: sem_num 3: EFBIG");
	check(fails(semop(sid, two, 0), EINVAL), "semop: none: EINVAL");
	static struct sembuf many[501];
	check(fails(semop(sid, many, 501), E2BIG), "semop: 501: E2BIG");
	check(fails(semctl(sid, 0, SETVAL, 32768), ERANGE) &&
		      fails(semctl(sid, 0, SETVAL, -1), ERANGE),
	      "semctl SETVAL: ERANGE");
	semctl(sid, 0, SETVAL, 32767);
	struct sembuf up = {0, 1, 0};
	check(fails(semop(sid, &up, 1), ERANGE), "semop: past 32767: ERANGE");
	check(fails(semctl(sid, 3, GETVAL), EINVAL), "semctl GETVAL 3: EINVAL");
	semctl(sid, 0, SETVAL, 0);
	struct sembuf down = {0, -1, 0};
	struct timespec ts = {0, 50000000};
	check(fails(semtimedop(sid, &down, 1, &ts), EAGAIN),
	      "semtimedop: the timeout gives EAGAIN");
	check(semctl(sid, 0, IPC_STAT, &ds) == 0 && ds.sem_otime != 0,
	      "sem_otime set by semop");
	sem_listed();
	sem_block_checks();
	check(fails(semctl(sid, 0, GETVAL), EINVAL), "a removed set: EINVAL");
}

/* shm_listed: what ipcs does: the limits, the use, id by its slot. */
static void
shm_listed(int id)
{
	struct shminfo limits;
	struct shm_info info;
	struct shmid_ds ds;
	int top = shmctl(0, IPC_INFO, (struct shmid_ds *)&limits), found = 0;

	check(top >= 0 && limits.shmmin == 1 && limits.shmmax >= 10000,
	      "shmctl IPC_INFO: the limits");
	check(shmctl(0, SHM_INFO, (struct shmid_ds *)&info) == top &&
		      info.used_ids >= 1 && info.shm_tot >= 3 &&
		      info.shm_rss >= 1,
	      "shmctl SHM_INFO: segments and pages in use");
	for (int i = 0; i <= top; i++)
		found |= shmctl(i, SHM_STAT, &ds) == id &&
			 ds.shm_segsz == 10000 && ds.shm_nattch == 2;
	check(found, "shmctl SHM_STAT: the segment found by its slot");
}

static void
shm_checks(key_t key)
{
	struct shmid_ds ds;

	check(fails(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL),
	      "shmget of 0 bytes: EINVAL");
	check(fails(shmget(key, 4096, 0600), ENOENT), "shmget: ENOENT");
	int id = shmget(key, 10000, IPC_CREAT | 0600);
	check(id >= 0, "shmget: 10000 bytes");
	check(shmget(key, 0, 0) == id, "shmget: the key finds it");
	check(fails(shmget(key, 20000, 0), EINVAL), "shmget: bigger: EINVAL");
	check(fails(shmget(key, 100, IPC_CREAT | IPC_EXCL), EEXIST),
	      "shmget: IPC_EXCL gives EEXIST");
	char *a = shmat(id, NULL, 0), *b = shmat(id, NULL, 0);
	check(a != (void *)-1 && b != (void *)-1 && a != b,
	      "shmat twice: two addresses");
	check(a[0] == 0 && a[9999] == 0, "a new segment reads as zeros");
	strcpy(a + 5000, "shared");
	b[9999] = 'z';
	check(strcmp(b + 5000, "shared") == 0 && a[9999] == 'z',
	      "both addresses show the same bytes");
	check(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 2 &&
		      ds.shm_segsz == 10000 && ds.shm_cpid == getpid() &&
		      (ds.shm_perm.mode & 0777) == 0600,
	      "shmctl IPC_STAT: 2 attached");
	shm_listed(id);
	char *r = shmat(id, NULL, SHM_RDONLY);
	check(r != (void *)-1 && r[9999] == 'z', "shmat SHM_RDONLY reads");
	check(shmdt(r) == 0 && shmdt(a) == 0, "shmdt");
	check(fails(shmdt(a), EINVAL), "shmdt again: EINVAL");
	check(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_nattch == 1,
	      "shm_nattch 1 after shmdt");
	check(shmctl(id, IPC_RMID, NULL) == 0, "shmctl IPC_RMID");
	check(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & 01000) &&
		      ds.shm_perm.__key == 0,
	      "still there while attached: SHM_DEST, key IPC_PRIVATE");
	check(fails(shmget(key, 0, 0), ENOENT), "its key finds nothing");
	check(strcmp(b + 5000, "shared") == 0, "its memory is still there");
	check(shmdt(b) == 0, "the last shmdt");
	check(fails(shmctl(id, IPC_STAT, &ds), EINVAL),
	      "then it is gone: EINVAL");
	check(shmat(-1, NULL, 0) == (void *)-1 && errno == EINVAL,
	      "shmat -1: EINVAL");
}

static void
posix_checks(void)
{
	int fd = shm_open("/sysv-test", O_CREAT | O_RDWR | O_EXCL, 0600);

	check(fd >= 0 && ftruncate(fd, 8192) == 0, "shm_open, ftruncate");
	char *a = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *b = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(a != MAP_FAILED && b != MAP_FAILED, "two mappings of it");
	strcpy(a + 4100, "posix");
	check(strcmp(b + 4100, "posix") == 0, "they show the same bytes");
	munmap(a, 8192);
	munmap(b, 8192);
	close(fd);
	check(shm_unlink("/sysv-test") == 0, "shm_unlink");
	check(shm_open("/sysv-test", O_RDWR, 0) == -1 && errno == ENOENT,
	      "shm_open after shm_unlink: ENOENT");
	sem_t *s = sem_open("/sysv-sem", O_CREAT | O_EXCL, 0600, 1);
	int v = -1;
	check(s != SEM_FAILED, "sem_open");
	check(sem_wait(s) == 0 && sem_trywait(s) == -1 && errno == EAGAIN,
	      "sem_wait, then sem_trywait: EAGAIN");
	check(sem_post(s) == 0 && sem_getvalue(s, &v) == 0 && v == 1,
	      "sem_post, sem_getvalue");
	check(sem_close(s) == 0 && sem_unlink("/sysv-sem") == 0,
	      "sem_close, sem_unlink");
}

int
main(void)
{
	struct sigaction sa;
	key_t key = (key_t)(0x53590000 | (getpid() & 0xffff));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	msg_checks(key);
	sem_checks(key);
	shm_checks(key);
	posix_checks();
	printf("%d failures\n", failures);
	return failures != 0;
}
