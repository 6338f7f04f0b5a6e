/*
 * Console input through musl (tests/proc/input.sh, tests/proc/typed.sh).
 * With "wait" (no input ever comes): an O_NONBLOCK read is EAGAIN; a
 * thread blocked in read(0) is interrupted by a signal with a handler
 * (EINTR, the handler ran in it) and, blocked again, is cancelled by
 * pthread_cancel, its cleanup handler run. With "echo": lines typed on
 * the console come back through fgets, until "end".
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static volatile int handled, reading, cleaned;
static volatile long read_result;
static volatile int read_errno;

static void
on_usr1(int sig)
{
	handled += sig == SIGUSR1;
}

static void
cleanup(void *arg)
{
	(void)arg;
	cleaned = 1;
}

static void *
reader(void *arg)
{
	char buf[16];

	(void)arg;
	pthread_cleanup_push(cleanup, NULL);
	reading = 1;
	read_result = read(0, buf, sizeof(buf));
	read_errno = errno;
	reading = 2;
	read(0, buf, sizeof(buf)); /* until cancelled */
	pthread_cleanup_pop(0);
	return NULL;
}

static void
wait_mode(void)
{
	struct sigaction sa;
	pthread_t t;
	char c;
	void *r;

	fcntl(0, F_SETFL, O_NONBLOCK);
	check(read(0, &c, 1) == -1 && errno == EAGAIN,
	      "O_NONBLOCK: a read with no input is EAGAIN");
	fcntl(0, F_SETFL, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_create(&t, NULL, reader, NULL);
	while (reading != 1)
		usleep(1000);
	usleep(50000); /* in its read by now */
	pthread_kill(t, SIGUSR1);
	while (reading != 2)
		usleep(1000);
	check(read_result == -1 && read_errno == EINTR && handled == 1,
	      "a signal ends a console read with EINTR, its handler ran");
	usleep(50000);
	pthread_cancel(t);
	pthread_join(t, &r);
	check(r == PTHREAD_CANCELED && cleaned,
	      "pthread_cancel ends a console read, cleanup ran");
}

int
main(int argc, char **argv)
{
	char line[256];

	if (argc > 1 && strcmp(argv[1], "wait") == 0) {
		wait_mode();
		printf("%d failures\n", failures);
		return failures != 0;
	}
	printf("type lines, then end\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\r\n")] = 0;
		if (strcmp(line, "end") == 0)
			break;
		printf("line: [%s]\n", line);
	}
	return 0;
}
