/*
 * POSIX timers and queued signals as Linux has them (tests/proc/
 * posixtimer.sh): timer_create's checks (clock, sigevent), SIGEV_SIGNAL
 * (si_code SI_TIMER, si_value, si_timerid), relative and TIMER_ABSTIME
 * times on CLOCK_MONOTONIC and CLOCK_REALTIME, an interval timer's
 * overruns while its signal is blocked (si_overrun, timer_getoverrun),
 * timer_gettime and the old value of timer_settime, SIGEV_NONE,
 * SIGEV_THREAD_ID to one thread, musl's or glibc's SIGEV_THREAD,
 * timer_delete; sigqueue's value and sender, and rt_sigqueueinfo's
 * EPERM for a forged si_code from a thread that is not the pid named.
 * Prints "N failures" and exits 0 when there are none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid /* older glibc */
#endif

#define MS 1000000l

static long
now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000l + ts.tv_nsec;
}

/* block: sig blocked (or unblocked) in the calling thread. */
static void
block(int sig, int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(how, &set, NULL);
}

/* wait_for: sig taken by sigtimedwait (10 s at most: a hang); info. */
static int
wait_for(int sig, siginfo_t *info)
{
	sigset_t set;
	struct timespec limit = {10, 0};

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigtimedwait(&set, info, &limit) == sig;
}

/* arm: t fires after (or at, absolute) ns, then every interval ns. */
static int
arm(timer_t t, int flags, long ns, long interval)
{
	struct itimerspec its = {
		{interval / 1000000000l, interval % 1000000000l},
		{ns / 1000000000l, ns % 1000000000l}};

	return timer_settime(t, flags, &its, NULL);
}

static timer_t
make(clockid_t clk, int notify, int sig, int value)
{
	struct sigevent ev = {.sigev_notify = notify, .sigev_signo = sig};
	timer_t t = NULL;

	ev.sigev_value.sival_int = value;
	if (timer_create(clk, &ev, &t) != 0)
		return (timer_t)-1;
	return t;
}

static void
creates(void)
{
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL,
			      .sigev_signo = SIGUSR1};
	timer_t t;

	errno = 0;
	check(timer_create(123, &ev, &t) == -1 && errno == EINVAL,
	      "an unknown clock: EINVAL");
	ev.sigev_signo = 0;
	errno = 0;
	check(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &t) == -1 &&
		      errno == EINVAL,
	      "signal 0: EINVAL");
	ev.sigev_signo = 65;
	errno = 0;
	check(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &t) == -1 &&
		      errno == EINVAL,
	      "signal 65: EINVAL");
	ev.sigev_signo = SIGUSR1;
	ev.sigev_notify = 99;
	errno = 0;
	check(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &t) == -1 &&
		      errno == EINVAL,
	      "an unknown sigev_notify: EINVAL");
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_notify_thread_id = 0x3fffffff;
	errno = 0;
	check(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &t) == -1 &&
		      errno == EINVAL,
	      "SIGEV_THREAD_ID of no thread: EINVAL");
}

static void
signals(void)
{
	siginfo_t info;
	timer_t t = make(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 42);

	block(SIGUSR1, SIG_BLOCK);
	check(t != (timer_t)-1, "timer_create on CLOCK_MONOTONIC");
	long start = now_ns(CLOCK_MONOTONIC);
	check(arm(t, 0, 50 * MS, 0) == 0, "armed for 50 ms");
	check(wait_for(SIGUSR1, &info) && info.si_code == SI_TIMER &&
		      info.si_value.sival_int == 42 &&
		      info.si_timerid == (int)(intptr_t)t,
	      "its signal: SI_TIMER, its value, its id");
	check(now_ns(CLOCK_MONOTONIC) - start >= 50 * MS, "... after 50 ms");
	start = now_ns(CLOCK_MONOTONIC);
	check(arm(t, TIMER_ABSTIME, start + 50 * MS, 0) == 0 &&
		      wait_for(SIGUSR1, &info) &&
		      now_ns(CLOCK_MONOTONIC) - start >= 50 * MS,
	      "TIMER_ABSTIME on CLOCK_MONOTONIC: at that time");
	timer_delete(t);
	t = make(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, 7);
	start = now_ns(CLOCK_MONOTONIC);
	check(t != (timer_t)-1 &&
		      arm(t, TIMER_ABSTIME, now_ns(CLOCK_REALTIME) - 1000 * MS,
			  0) == 0 &&
		      wait_for(SIGUSR1, &info) && info.si_value.sival_int == 7,
	      "TIMER_ABSTIME on CLOCK_REALTIME in the past: at once");
	start = now_ns(CLOCK_MONOTONIC);
	check(arm(t, TIMER_ABSTIME, now_ns(CLOCK_REALTIME) + 50 * MS, 0) == 0 &&
		      wait_for(SIGUSR1, &info) &&
		      now_ns(CLOCK_MONOTONIC) - start >= 45 * MS,
	      "... and 50 ms ahead: then");
	timer_delete(t);
	block(SIGUSR1, SIG_UNBLOCK);
}

static void
overruns(void)
{
	siginfo_t info;
	timer_t t = make(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR2, 0);

	block(SIGUSR2, SIG_BLOCK);
	check(arm(t, 0, 10 * MS, 10 * MS) == 0, "every 10 ms, blocked");
	usleep(200000);
	check(wait_for(SIGUSR2, &info) && info.si_overrun >= 5,
	      "200 ms later: one signal, 5 overruns or more");
	check(timer_getoverrun(t) == info.si_overrun,
	      "timer_getoverrun says the same");
	struct itimerspec cur, old;
	check(timer_gettime(t, &cur) == 0 && cur.it_interval.tv_sec == 0 &&
		      cur.it_interval.tv_nsec == 10 * MS &&
		      cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
		      cur.it_value.tv_nsec <= 10 * MS,
	      "timer_gettime: the interval, and less than one left");
	struct itimerspec off = {{0, 0}, {0, 0}};
	check(timer_settime(t, 0, &off, &old) == 0 &&
		      old.it_interval.tv_nsec == 10 * MS &&
		      timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 &&
		      cur.it_value.tv_nsec == 0 && cur.it_interval.tv_nsec == 0,
	      "disarmed: the old value given, nothing left");
	struct itimerspec bad = {{0, 0}, {0, 1000000000}};
	errno = 0;
	check(timer_settime(t, 0, &bad, NULL) == -1 && errno == EINVAL,
	      "a nsec of 10^9: EINVAL");
	check(arm(t, 0, 10000 * MS, 1000 * MS) == 0 &&
		      timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec >= 9 &&
		      cur.it_value.tv_sec <= 10 && cur.it_interval.tv_sec == 1,
	      "armed for 10 s every 1 s: timer_gettime says so");
	check(timer_delete(t) == 0, "timer_delete");
	errno = 0;
	check(timer_gettime(t, &cur) == -1 && errno == EINVAL,
	      "... then the id is EINVAL");
	sigset_t pend;
	sigpending(&pend);
	if (sigismember(&pend, SIGUSR2))
		wait_for(SIGUSR2, &info);
	block(SIGUSR2, SIG_UNBLOCK);
}

static void
none(void)
{
	struct itimerspec cur;
	sigset_t pend;
	timer_t t = make(CLOCK_BOOTTIME, SIGEV_NONE, SIGUSR1, 0);

	block(SIGUSR1, SIG_BLOCK);
	check(t != (timer_t)-1 && arm(t, 0, 100 * MS, 0) == 0 &&
		      timer_gettime(t, &cur) == 0 && cur.it_value.tv_nsec > 0,
	      "SIGEV_NONE on CLOCK_BOOTTIME: armed, counting");
	usleep(150000);
	sigpending(&pend);
	check(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 &&
		      cur.it_value.tv_nsec == 0 && !sigismember(&pend, SIGUSR1),
	      "... expired, and no signal");
	timer_delete(t);
	block(SIGUSR1, SIG_UNBLOCK);
}

static volatile int thread_tid;
static volatile int thread_got;
static sem_t thread_ready;

static void *
waiter(void *arg)
{
	siginfo_t info;

	(void)arg;
	block(SIGUSR1, SIG_BLOCK);
	thread_tid = gettid();
	sem_post(&thread_ready);
	thread_got = wait_for(SIGUSR1, &info) && info.si_code == SI_TIMER &&
		     info.si_value.sival_int == 5;
	return NULL;
}

static void
thread_id(void)
{
	pthread_t th;
	struct sigevent ev = {.sigev_notify = SIGEV_THREAD_ID,
			      .sigev_signo = SIGUSR1};
	timer_t t;

	block(SIGUSR1, SIG_BLOCK); /* only the waiter may take it */
	sem_init(&thread_ready, 0, 0);
	pthread_create(&th, NULL, waiter, NULL);
	sem_wait(&thread_ready);
	ev.sigev_notify_thread_id = thread_tid;
	ev.sigev_value.sival_int = 5;
	check(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0 &&
		      arm(t, 0, 20 * MS, 0) == 0,
	      "SIGEV_THREAD_ID: armed for a thread");
	pthread_join(th, NULL);
	check(thread_got, "... that thread took it");
	timer_delete(t);
	block(SIGUSR1, SIG_UNBLOCK);
}

static sem_t notified;
static volatile int notified_value;

static void
notify(union sigval v)
{
	notified_value = v.sival_int;
	sem_post(&notified);
}

static void
thread_notify(void)
{
	struct sigevent ev = {.sigev_notify = SIGEV_THREAD,
			      .sigev_notify_function = notify};
	struct timespec limit;
	timer_t t;

	sem_init(&notified, 0, 0);
	ev.sigev_value.sival_int = 99;
	check(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0 &&
		      arm(t, 0, 20 * MS, 20 * MS) == 0,
	      "SIGEV_THREAD: armed, every 20 ms");
	clock_gettime(CLOCK_REALTIME, &limit);
	limit.tv_sec += 10;
	check(sem_timedwait(&notified, &limit) == 0 &&
		      sem_timedwait(&notified, &limit) == 0 &&
		      notified_value == 99,
	      "... its function called, twice, with its value");
	check(timer_delete(t) == 0, "... deleted");
}

static volatile int queued_sig, queued_code, queued_value, queued_pid;

static void
on_queued(int sig, siginfo_t *info, void *uc)
{
	(void)uc;
	queued_sig = sig;
	queued_code = info->si_code;
	queued_value = info->si_value.sival_int;
	queued_pid = info->si_pid;
}

static volatile long forged_err;

static void *
forger(void *arg)
{
	siginfo_t si;

	(void)arg;
	memset(&si, 0, sizeof(si));
	si.si_code = SI_USER;
	errno = 0;
	forged_err = syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si) == -1
			     ? errno
			     : 0;
	return NULL;
}

static void
queue(void)
{
	struct sigaction sa = {.sa_sigaction = on_queued,
			       .sa_flags = SA_SIGINFO};
	union sigval v = {.sival_int = 77};
	pthread_t th;
	siginfo_t si;

	sigaction(SIGUSR1, &sa, NULL);
	check(sigqueue(getpid(), SIGUSR1, v) == 0 && queued_sig == SIGUSR1 &&
		      queued_code == SI_QUEUE && queued_value == 77 &&
		      queued_pid == getpid(),
	      "sigqueue: SI_QUEUE, its value, the sender");
	memset(&si, 0, sizeof(si));
	si.si_code = SI_USER;
	queued_sig = 0;
	check(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si) == 0 &&
		      queued_sig == SIGUSR1 && queued_code == SI_USER,
	      "rt_sigqueueinfo with SI_USER from the main thread: taken");
	pthread_create(&th, NULL, forger, NULL);
	pthread_join(th, NULL);
	check(forged_err == EPERM, "... from another thread: EPERM");
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 8;
	queued_sig = 0;
	check(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR1,
		      &si) == 0 &&
		      queued_sig == SIGUSR1 && queued_value == 8,
	      "rt_tgsigqueueinfo to this thread");
	errno = 0;
	check(syscall(SYS_rt_tgsigqueueinfo, getpid(), 0x3fffffff, SIGUSR1,
		      &si) == -1 &&
		      errno == ESRCH,
	      "... to no thread: ESRCH");
	signal(SIGUSR1, SIG_DFL);
}

/*
 * shared_signal: two timers on SIGALRM; the second fires while the
 * first's signal is pending (it takes no second); the first fires
 * again after its signal is taken, and is seen again.
 */
static void
shared_signal(void)
{
	sigset_t set;
	siginfo_t si;
	timer_t a, b;
	struct itimerspec once = {{0, 0}, {0, 10000000}};
	struct timespec wait = {5, 0}, pause = {0, 50000000};

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	check(timer_create(CLOCK_MONOTONIC, NULL, &a) == 0 &&
		      timer_create(CLOCK_MONOTONIC, NULL, &b) == 0,
	      "two timers on SIGALRM");
	timer_settime(a, 0, &once, NULL);
	once.it_value.tv_nsec = 20000000;
	timer_settime(b, 0, &once, NULL);
	nanosleep(&pause, NULL);
	check(sigtimedwait(&set, &si, &wait) == SIGALRM &&
		      si.si_code == SI_TIMER,
	      "one SIGALRM for both");
	once.it_value.tv_nsec = 10000000;
	timer_settime(a, 0, &once, NULL);
	check(sigtimedwait(&set, &si, &wait) == SIGALRM &&
		      si.si_code == SI_TIMER,
	      "the first timer signals again");
	timer_delete(a);
	timer_delete(b);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int
main(void)
{
	creates();
	shared_signal();
	signals();
	overruns();
	none();
	thread_id();
	thread_notify();
	queue();
	printf("%d failures\n", failures);
	return failures != 0;
}
