/*
 * mknod and named FIFOs as Linux has them (tests/proc/mknod.sh): mknod
 * and mknodat make regular files (type S_IFREG or none), device nodes
 * (as root: a character device node opens as its device) and FIFOs; an
 * existing name is EEXIST, S_IFDIR EPERM, another type EINVAL. A FIFO
 * opens as a pipe its opens share: O_WRONLY|O_NONBLOCK with no reader
 * is ENXIO, O_RDONLY|O_NONBLOCK goes on, a blocking O_RDONLY waits for
 * a writer (a signal ends the wait with EINTR), O_RDWR never waits; the
 * bytes go through, the last writer's close is the reader's end of file,
 * and they are gone once every end is closed; fstat shows the node.
 * Prints "N failures" and exits 0 when there are none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"

#define DIR  "/tmp/mknod.d"
#define FIFO DIR "/fifo"

static void
nodes(void)
{
	struct stat st;
	char buf[8];
	int dir = open(DIR, O_RDONLY | O_DIRECTORY);

	check(dir >= 0 && mknodat(dir, "reg", S_IFREG | 0640, 0) == 0 &&
		      stat(DIR "/reg", &st) == 0 && S_ISREG(st.st_mode) &&
		      (st.st_mode & 0777) == 0640,
	      "mknodat S_IFREG: a regular file, its mode");
	check(mknod(DIR "/plain", 0600, 0) == 0 &&
		      stat(DIR "/plain", &st) == 0 && S_ISREG(st.st_mode),
	      "mknod with no type: a regular file");
	errno = 0;
	check(mknod(DIR "/reg", S_IFREG | 0600, 0) == -1 && errno == EEXIST,
	      "an existing name: EEXIST");
	errno = 0;
	check(mknod(DIR "/d", S_IFDIR | 0700, 0) == -1 && errno == EPERM,
	      "S_IFDIR: EPERM");
	errno = 0;
	check(mknod(DIR "/l", S_IFLNK | 0700, 0) == -1 && errno == EINVAL,
	      "S_IFLNK: EINVAL");
	errno = 0;
	check(mknod(DIR "/x", 0030000 | 0700, 0) == -1 && errno == EINVAL,
	      "an unknown type: EINVAL");
	check(mknod(DIR "/null", S_IFCHR | 0666, makedev(1, 3)) == 0 &&
		      stat(DIR "/null", &st) == 0 && S_ISCHR(st.st_mode) &&
		      st.st_rdev == makedev(1, 3),
	      "S_IFCHR 1:3 as root: made, its rdev");
	int fd = open(DIR "/null", O_RDWR);
	check(fd >= 0 && write(fd, "abc", 3) == 3 && read(fd, buf, 8) == 0,
	      "... it opens as /dev/null");
	close(fd);
	check(mknod(DIR "/blk", S_IFBLK | 0600, makedev(7, 200)) == 0 &&
		      stat(DIR "/blk", &st) == 0 && S_ISBLK(st.st_mode) &&
		      st.st_rdev == makedev(7, 200),
	      "S_IFBLK 7:200: made, its rdev");
	close(dir);
}

static volatile int reader_fd = -2;
static char reader_buf[16];

static void *
reader(void *arg)
{
	(void)arg;
	int fd = open(FIFO, O_RDONLY); /* waits for a writer */
	reader_fd = fd;
	if (fd >= 0 && read(fd, reader_buf, sizeof(reader_buf)) < 0)
		reader_buf[0] = '!';
	return NULL;
}

static void
on_alarm(int sig)
{
	(void)sig;
}

static void
fifos(void)
{
	struct stat st, fst;
	char buf[16] = {0};

	check(mkfifo(FIFO, 0600) == 0 && stat(FIFO, &st) == 0 &&
		      S_ISFIFO(st.st_mode),
	      "mkfifo: a FIFO node");
	errno = 0;
	check(open(FIFO, O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO,
	      "O_WRONLY|O_NONBLOCK, no reader: ENXIO");
	int r = open(FIFO, O_RDONLY | O_NONBLOCK);
	check(r >= 0, "O_RDONLY|O_NONBLOCK: opens at once");
	struct pollfd pf = {r, POLLIN, 0};
	check(poll(&pf, 1, 0) == 0,
	      "... poll: nothing, not even POLLHUP, before a writer came");
	errno = 0;
	check(read(r, buf, sizeof(buf)) == 0,
	      "... reading with no writer: end of file");
	int w = open(FIFO, O_WRONLY);
	check(w >= 0, "O_WRONLY with a reader: opens at once");
	check(write(w, "hello", 5) == 5 && read(r, buf, sizeof(buf)) == 5 &&
		      memcmp(buf, "hello", 5) == 0,
	      "... the bytes go through");
	check(fstat(w, &fst) == 0 && S_ISFIFO(fst.st_mode) &&
		      fst.st_ino == st.st_ino,
	      "fstat of an end: the node");
	close(w);
	pf.revents = 0;
	check(poll(&pf, 1, 0) == 1 && (pf.revents & POLLHUP),
	      "the writer gone: POLLHUP");
	check(read(r, buf, sizeof(buf)) == 0, "the writer gone: end of file");
	close(r);

	pthread_t th;
	pthread_create(&th, NULL, reader, NULL);
	usleep(50000);
	check(reader_fd == -2, "a blocking O_RDONLY waits for a writer");
	w = open(FIFO, O_WRONLY);
	check(w >= 0 && write(w, "world", 5) == 5, "... a writer opens");
	pthread_join(th, NULL);
	check(reader_fd >= 0 && memcmp(reader_buf, "world", 5) == 0,
	      "... the reader opened and read its bytes");
	close(w);
	close(reader_fd);

	int rw = open(FIFO, O_RDWR);
	check(rw >= 0 && write(rw, "x", 1) == 1 && read(rw, buf, 1) == 1 &&
		      buf[0] == 'x',
	      "O_RDWR: never waits, both ends");
	check(write(rw, "lost", 4) == 4, "bytes left in it");
	close(rw);
	rw = open(FIFO, O_RDWR | O_NONBLOCK);
	errno = 0;
	check(rw >= 0 && read(rw, buf, 4) == -1 && errno == EAGAIN,
	      "... gone once every end closed");
	close(rw);

	struct sigaction sa = {.sa_handler = on_alarm};
	struct itimerval it = {{0, 0}, {0, 100000}};
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	check(open(FIFO, O_RDONLY) == -1 && errno == EINTR,
	      "a signal ends the wait of a blocking open: EINTR");
	check(unlink(FIFO) == 0, "the FIFO unlinked");
}

int
main(void)
{
	mkdir(DIR, 0700);
	nodes();
	fifos();
	const char *names[] = {"reg", "plain", "null", "blk"};
	for (int i = 0; i < 4; i++) {
		char path[64];
		snprintf(path, sizeof(path), DIR "/%s", names[i]);
		unlink(path);
	}
	rmdir(DIR);
	printf("%d failures\n", failures);
	return failures != 0;
}
