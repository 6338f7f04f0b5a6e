/*
 * Timers as Linux has them (tests/proc/timers.sh): alarm (SIGALRM after
 * at least its seconds; the seconds left returned; a blocking read it
 * interrupts ends with EINTR), setitimer/getitimer's ITIMER_REAL (again
 * and again at its interval; what is left), timerfd (reads count the
 * expirations, at least its time after; O_NONBLOCK's EAGAIN; epoll sees
 * it; gettime; an absolute CLOCK_REALTIME time; disarming), and the CPU-time
 * timers ITIMER_VIRTUAL and ITIMER_PROF (their signals after their CPU
 * time, to a thread that makes system calls); an alarm reaches a thread
 * that spins on system calls. Run natively
 * and on Xen; prints "N failures" and exits 0 when there are none. Times
 * are only checked to be at least what was asked: these machines are
 * shared.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static volatile int alarms;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
alarm_checks(void)
{
	int p[2];
	char c;

	check(alarm(10) == 0 && alarm(0) == 10,
	      "alarm returns the seconds left");
	alarms = 0;
	double t0 = now();
	alarm(1);
	while (alarms == 0)
		pause();
	check(now() - t0 >= 0.999, "SIGALRM came, after a second at least");
	check(pipe(p) == 0, "a pipe");
	alarm(1);
	ssize_t r = read(p[0], &c, 1);
	check(r < 0 && errno == EINTR && alarms == 2,
	      "a read the alarm interrupts ends with EINTR");
	close(p[0]);
	close(p[1]);
}

static void
itimer_checks(void)
{
	struct itimerval v = {{0, 50000}, {0, 50000}}, got,
			 off = {{0, 0}, {0, 0}};

	alarms = 0;
	double t0 = now();
	check(setitimer(ITIMER_REAL, &v, NULL) == 0, "setitimer, 50 ms");
	while (alarms < 3)
		pause();
	check(now() - t0 >= 0.149, "three SIGALRMs, 150 ms at least");
	check(getitimer(ITIMER_REAL, &got) == 0 &&
		      got.it_interval.tv_usec == 50000 &&
		      got.it_value.tv_sec == 0 && got.it_value.tv_usec <= 50000,
	      "getitimer: the interval, and less than it left");
	check(setitimer(ITIMER_REAL, &off, &got) == 0 &&
		      getitimer(ITIMER_REAL, &got) == 0 &&
		      got.it_value.tv_sec == 0 && got.it_value.tv_usec == 0 &&
		      got.it_interval.tv_usec == 0,
	      "disarmed, its interval gone too");
	struct itimerval two = {{0, 0}, {2, 0}};
	setitimer(ITIMER_REAL, &two, NULL);
	check(getitimer(ITIMER_REAL, &got) == 0 && got.it_value.tv_sec <= 2 &&
		      got.it_value.tv_sec >= 1,
	      "getitimer: about 2 s left of 2 s");
	setitimer(ITIMER_REAL, &off, NULL);
}

static void
timerfd_checks(void)
{
	struct itimerspec v = {{0, 100000000}, {0, 100000000}}, got;
	uint64_t n = 0;
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);

	check(fd >= 0, "timerfd_create");
	double t0 = now();
	check(timerfd_settime(fd, 0, &v, NULL) == 0, "timerfd_settime, 100 ms");
	check(read(fd, &n, 8) == 8 && n >= 1 && now() - t0 >= 0.099,
	      "a read counts expirations, 100 ms at least after");
	check(timerfd_gettime(fd, &got) == 0 &&
		      got.it_interval.tv_nsec == 100000000 &&
		      got.it_value.tv_sec == 0,
	      "timerfd_gettime: the interval");
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN}, out;
	check(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0 &&
		      epoll_wait(ep, &out, 1, 5000) == 1,
	      "epoll sees it expire");
	close(ep);
	struct itimerspec off = {{0, 0}, {0, 0}};
	timerfd_settime(fd, 0, &off, NULL);
	close(fd);
	fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	check(fd >= 0 && read(fd, &n, 8) < 0 && errno == EAGAIN,
	      "O_NONBLOCK, nothing expired: EAGAIN");
	struct timespec wall;
	clock_gettime(CLOCK_REALTIME, &wall);
	wall.tv_nsec += 200000000;
	if (wall.tv_nsec >= 1000000000) {
		wall.tv_sec++;
		wall.tv_nsec -= 1000000000;
	}
	struct itimerspec at = {{0, 0}, wall};
	t0 = now();
	check(timerfd_settime(fd, TFD_TIMER_ABSTIME, &at, NULL) == 0,
	      "an absolute CLOCK_REALTIME time 200 ms on");
	int fired = 0;
	while (!fired) {
		if (read(fd, &n, 8) == 8)
			fired = 1;
		else
			usleep(10000);
	}
	check(now() - t0 >= 0.19 && n == 1, "... it expires once, then");
	close(fd);
}

static int restart_pipe[2];

static void *
late_writer(void *arg)
{
	(void)arg;
	usleep(300000);
	if (write(restart_pipe[1], "r", 1) != 1)
		return NULL;
	return NULL;
}

/* restart_checks: with SA_RESTART, a read the timer interrupts goes on. */
static void
restart_checks(void)
{
	struct sigaction sa;
	struct itimerval v = {{0, 50000}, {0, 50000}}, off = {{0, 0}, {0, 0}};
	pthread_t th;
	char c = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	check(pipe(restart_pipe) == 0 &&
		      pthread_create(&th, NULL, late_writer, NULL) == 0,
	      "a pipe, and a thread to write to it in 300 ms");
	alarms = 0;
	setitimer(ITIMER_REAL, &v, NULL);
	ssize_t r = read(restart_pipe[0], &c, 1);
	setitimer(ITIMER_REAL, &off, NULL);
	check(r == 1 && c == 'r' && alarms >= 2,
	      "SA_RESTART: SIGALRMs came and the read went on to its byte");
	pthread_join(th, NULL);
	close(restart_pipe[0]);
	close(restart_pipe[1]);
}

static volatile int vtalrms, profs;

static void
on_vtalrm(int sig)
{
	(void)sig;
	vtalrms++;
}

static void
on_prof(int sig)
{
	(void)sig;
	profs++;
}

/* cpu_ns: the process's CPU time. */
static long long
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* spin: system calls until *count reaches n (or 60 s pass). */
static void
spin(volatile int *count, int n)
{
	time_t start = time(NULL);

	while (*count < n && time(NULL) - start < 60)
		getppid();
}

/*
 * cpu_itimer_checks: ITIMER_VIRTUAL and ITIMER_PROF fire after CPU time,
 * to a thread that makes system calls.
 */
static void
cpu_itimer_checks(void)
{
	struct sigaction sa;
	struct itimerval it = {{0, 0}, {0, 50000}}, now,
			 zero = {{0, 0}, {0, 0}};

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_vtalrm;
	sigaction(SIGVTALRM, &sa, NULL);
	sa.sa_handler = on_prof;
	sigaction(SIGPROF, &sa, NULL);
	long long start = cpu_ns();
	check(setitimer(ITIMER_VIRTUAL, &it, NULL) == 0,
	      "ITIMER_VIRTUAL: 50 ms of CPU time");
	check(getitimer(ITIMER_VIRTUAL, &now) == 0 &&
		      now.it_value.tv_sec == 0 && now.it_value.tv_usec > 0 &&
		      now.it_value.tv_usec <= 60000,
	      "getitimer: about that is left (Linux rounds up to its tick)");
	spin(&vtalrms, 1);
	check(vtalrms == 1, "SIGVTALRM came, once");
	check(cpu_ns() - start >= 40000000, "after about its CPU time");
	check(getitimer(ITIMER_VIRTUAL, &now) == 0 &&
		      now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0,
	      "then it is disarmed");
	it.it_interval.tv_usec = 20000;
	check(setitimer(ITIMER_PROF, &it, NULL) == 0,
	      "ITIMER_PROF: 50 ms, then every 20 ms");
	spin(&profs, 3);
	check(profs >= 3, "SIGPROF came again and again");
	check(setitimer(ITIMER_PROF, &zero, &now) == 0 &&
		      now.it_interval.tv_usec == 20000,
	      "disarmed, the old value says its interval");
	check(getitimer(ITIMER_PROF, &now) == 0 && now.it_value.tv_usec == 0 &&
		      now.it_interval.tv_usec == 0,
	      "and nothing is left");
}

int
main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: reads end with EINTR */
	sigaction(SIGALRM, &sa, NULL);
	alarm_checks();
	itimer_checks();
	timerfd_checks();
	restart_checks();
	cpu_itimer_checks();
	/* a thread that spins on system calls still gets its alarm */
	int before = alarms;
	alarm(1);
	spin((volatile int *)&alarms, before + 1);
	check(alarms == before + 1, "SIGALRM reaches a thread spinning on "
				    "system calls");
	printf("%d failures\n", failures);
	return failures != 0;
}
