/*
 * The if_virt hypercalls on a Linux process: interface virtN moves frames
 * through a file descriptor named by the configuration (the environment):
 *
 *   RUMPXEN_VIRT<N>=fd:<n>    a datagram socket the program inherited (one
 *                             end of a SOCK_SEQPACKET socketpair: one
 *                             frame per message), or
 *   RUMPXEN_VIRT<N>=tap:<if>  the Linux TAP interface <if> (needs root).
 *
 * A receive thread per interface takes a permanent lwp once and delivers
 * each frame between hyp_backend_schedule and hyp_backend_unschedule
 * (the kernel's if_virt expects no more), never more than one frame at a time.
 * Dying sets a flag and wakes the thread through a pipe; destroy joins it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rumpxen/virt.h>

#include "posix.h"

#define VIRT_FRAME_MAX 9018 /* a jumbo frame, as NetBSD's own uses */

struct virtif_user {
	struct virtif_sc *sc;
	int fd;
	int wake[2]; /* a pipe: written to stop the receiver */
	int dying;   /* atomic */
	pthread_t receiver;
};

/* virt_open: the descriptor the configuration names for unit. */
static int
virt_open(const char *unit, int *fd)
{
	char key[32];
	const char *v;

	snprintf(key, sizeof(key), "RUMPXEN_VIRT%s", unit);
	v = getenv(key);
	if (v == NULL)
		return ENXIO;
	if (strncmp(v, "fd:", 3) == 0) {
		*fd = atoi(v + 3);
		return fcntl(*fd, F_GETFD) < 0 ? EBADF : 0;
	}
	if (strncmp(v, "tap:", 4) == 0) {
		struct ifreq ifr;
		*fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
		if (*fd < 0)
			return errno;
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", v + 4);
		if (ioctl(*fd, TUNSETIFF, &ifr) != 0) {
			int err = errno;
			close(*fd);
			return err;
		}
		return 0;
	}
	return EINVAL;
}

static void *
virt_receiver(void *arg)
{
	struct virtif_user *viu = arg;
	static __thread unsigned char frame[VIRT_FRAME_MAX];
	struct pollfd pfd[2] = {{.fd = viu->fd, .events = POLLIN},
				{.fd = viu->wake[0], .events = POLLIN}};
	int dummy;

	rumpuser_hyp.hyp_schedule();
	rumpuser_hyp.hyp_lwproc_newlwp(0);
	rumpuser_hyp.hyp_unschedule();
	while (!__atomic_load_n(&viu->dying, __ATOMIC_ACQUIRE)) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break;
		if (!(pfd[0].revents & POLLIN)) {
			if (pfd[0].revents & (POLLHUP | POLLERR))
				break; /* the peer went away */
			continue;
		}
		ssize_t n = read(viu->fd, frame, sizeof(frame));
		if (n <= 0) {
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			break;
		}
		struct iovec iov = {.iov_base = frame, .iov_len = (size_t)n};
		rumpuser_hyp.hyp_backend_schedule(0, NULL);
		rump_virtif_virt_deliverpkt(viu->sc, &iov, 1);
		rumpuser_hyp.hyp_backend_unschedule(0, &dummy, NULL);
	}
	return NULL;
}

int
rumpcomp_virt_create(const char *linkstr, struct virtif_sc *sc, uint8_t *enaddr,
		     struct virtif_user **viup)
{
	struct virtif_user *viu;
	int nlocks, err;

	(void)enaddr; /* the kernel's made-up MAC serves a socket or a tap */
	viu = calloc(1, sizeof(*viu));
	if (viu == NULL)
		return 12; /* ENOMEM */
	nlocks = rumpuser_unschedule(NULL);
	err = virt_open(linkstr, &viu->fd);
	if (err == 0 && pipe2(viu->wake, O_CLOEXEC) != 0)
		err = errno;
	viu->sc = sc;
	if (err == 0) {
		err = pthread_create(&viu->receiver, NULL, virt_receiver, viu);
		if (err != 0) {
			close(viu->wake[0]);
			close(viu->wake[1]);
		}
	}
	rumpuser_schedule(nlocks, NULL);
	if (err != 0) {
		fprintf(stderr, "virt%s: no device (%s)\n", linkstr,
			strerror(err));
		free(viu);
		return rumpuser_errtrans(err);
	}
	*viup = viu;
	return 0;
}

/* The POSIX devices offer no offloads: a socket or a tap takes frames. */
int
rumpxen_virt_create(const char *linkstr, struct virtif_sc *sc, uint8_t *enaddr,
		    unsigned want, unsigned *got, struct virtif_user **viup)
{
	(void)want;
	*got = 0;
	return rumpcomp_virt_create(linkstr, sc, enaddr, viup);
}

/* Never asked for (no offload was given); dropped, as the contract lets. */
void
rumpxen_virt_send_tso(struct virtif_user *viu, struct iovec *iov, size_t iovlen,
		      unsigned mss)
{
	(void)viu, (void)iov, (void)iovlen, (void)mss;
}

int
rumpcomp_virt_dying(struct virtif_user *viu)
{
	__atomic_store_n(&viu->dying, 1, __ATOMIC_RELEASE);
	/* If the pipe is full it is awake already; the flag does the rest. */
	ssize_t n = write(viu->wake[1], "x", 1);
	(void)n;
	return 0;
}

void
rumpcomp_virt_destroy(struct virtif_user *viu)
{
	int nlocks = rumpuser_unschedule(NULL);

	pthread_join(viu->receiver, NULL);
	close(viu->wake[0]);
	close(viu->wake[1]);
	close(viu->fd);
	free(viu);
	rumpuser_schedule(nlocks, NULL);
}

void
rumpcomp_virt_send(struct virtif_user *viu, struct iovec *iov, size_t iovlen)
{
	int nlocks = rumpuser_unschedule(NULL);

	/* One writev is one message on a SEQPACKET socket, one frame on a
	 * tap; a failed one is a dropped frame, which the contract allows. */
	ssize_t n = writev(viu->fd, iov, (int)iovlen);
	(void)n;
	rumpuser_schedule(nlocks, NULL);
}
