/*
 * NetBSD's TCP/IP on our if_virt hypercalls (platform/posix/virt.c): two
 * processes of this program, each with its own rump kernel, joined by a
 * SOCK_SEQPACKET socketpair that carries one Ethernet frame per message.
 * The parent (10.0.0.1) pings the child (10.0.0.2) through a raw ICMP
 * socket: PINGS echo requests, each sent again after a second without its
 * reply, up to five times. Exits 0 when every ping was answered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rump/netconfig.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#include <rumpxen/platform.h>

#define PINGS 100

/* NetBSD's struct sockaddr_in, which has a length byte. */
struct netbsd_sockaddr_in {
	uint8_t sin_len, sin_family;
	uint16_t sin_port;
	uint32_t sin_addr;
	uint8_t sin_zero[8];
};

/* NetBSD's struct timeval. */
struct netbsd_timeval {
	int64_t tv_sec;
	int32_t tv_usec;
};

static int
net_up(const char *addr)
{
	int rv = rump_init();

	if (rv != 0) {
		printf("rump_init: %d\n", rv);
		return rv;
	}
	rv = rump_pub_netconfig_ifcreate("virt0");
	if (rv == 0)
		rv = rump_pub_netconfig_ipv4_ifaddr("virt0", addr,
						    "255.255.255.0");
	if (rv == 0)
		rv = rump_pub_netconfig_ifup("virt0");
	if (rv != 0)
		printf("configuring virt0 as %s: error %d\n", addr, rv);
	return rv;
}

static uint16_t
icmp_sum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* ping_once: one echo request; 1 when its reply came within a second. */
static int
ping_once(int s, const struct netbsd_sockaddr_in *to, uint16_t seq)
{
	uint8_t req[64], reply[256];
	uint16_t sum;

	memset(req, 0, sizeof(req));
	req[0] = 8; /* echo request */
	req[4] = 0x12;
	req[5] = 0x34; /* identifier */
	req[6] = (uint8_t)(seq >> 8);
	req[7] = (uint8_t)seq;
	for (size_t i = 8; i < sizeof(req); i++)
		req[i] = (uint8_t)(i + seq);
	sum = icmp_sum(req, sizeof(req));
	req[2] = (uint8_t)(sum >> 8);
	req[3] = (uint8_t)sum;
	if (rump_sys_sendto(s, req, sizeof(req), 0, (const void *)to,
			    sizeof(*to)) != (ssize_t)sizeof(req))
		return 0;
	for (;;) {
		ssize_t n = rump_sys_recvfrom(s, reply, sizeof(reply), 0, NULL,
					      NULL);
		if (n < 0)
			return 0; /* the one-second receive timeout */
		size_t ihl = (size_t)(reply[0] & 15) * 4;
		if ((size_t)n >= ihl + sizeof(req) && reply[ihl] == 0 &&
		    reply[ihl + 4] == 0x12 && reply[ihl + 5] == 0x34 &&
		    reply[ihl + 6] == (uint8_t)(seq >> 8) &&
		    reply[ihl + 7] == (uint8_t)seq &&
		    memcmp(reply + ihl + 8, req + 8, sizeof(req) - 8) == 0)
			return 1;
	}
}

static int
parent(int fd, pid_t child)
{
	struct netbsd_sockaddr_in to = {.sin_len = sizeof(to),
					.sin_family = RUMP_AF_INET,
					.sin_addr = htonl(0x0a000002)};
	struct netbsd_timeval tv = {.tv_sec = 1};
	int answered = 0, resent = 0, s;
	char env[32];

	snprintf(env, sizeof(env), "fd:%d", fd);
	setenv("RUMPXEN_VIRT0", env, 1);
	if (net_up("10.0.0.1") != 0)
		return 1;
	s = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_RAW, RUMP_IPPROTO_ICMP);
	if (s < 0 || rump_sys_setsockopt(s, RUMP_SOL_SOCKET, RUMP_SO_RCVTIMEO,
					 &tv, sizeof(tv)) != 0) {
		printf("raw ICMP socket: errno %d\n", errno);
		return 1;
	}
	/* The child boots meanwhile: the first ping may wait for it. */
	for (int tries = 0; tries < 60 && !ping_once(s, &to, 0); tries++)
		;
	for (uint16_t seq = 1; seq <= PINGS; seq++) {
		int tries = 0;
		while (tries < 6 && !ping_once(s, &to, seq))
			tries++;
		answered += tries < 6;
		resent += tries;
	}
	printf("pings: %d of %d answered, %d sent again\n", answered, PINGS,
	       resent);
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	return answered == PINGS ? 0 : 1;
}

/* The child answers pings until the parent ends it (or a minute passes). */
static int
child(void)
{
	if (net_up("10.0.0.2") != 0)
		return 1;
	sleep(60);
	return 0;
}

int
rumpxen_main(int argc, char **argv)
{
	int sv[2];
	pid_t pid;
	char env[32];

	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return child();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) {
		perror("socketpair");
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		snprintf(env, sizeof(env), "fd:%d", sv[1]);
		setenv("RUMPXEN_VIRT0", env, 1);
		execl("/proc/self/exe", argv[0], "child", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	return parent(sv[0], pid);
}
