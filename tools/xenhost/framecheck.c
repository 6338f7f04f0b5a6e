/*
 * framecheck IFACE MAC COUNT: dom0's side of the frame echo test. On
 * IFACE (the bridge) through an AF_PACKET socket it sends COUNT frames of
 * ethertype 0x88b5 to MAC, of sizes from 60 to 1514 bytes, each carrying
 * its sequence number, its size and a pattern of both; at most 64 are
 * outstanding; a frame not echoed within a second is sent again, up to 5
 * times. An echo must come back unaltered but for the swapped addresses.
 * Prints "ok: N frames echoed unaltered, R resends; socket drops D" or
 * "FAILED: ..." and exits 0 or 1: D counts the frames that reached dom0's
 * socket but found its receive queue full (PACKET_STATISTICS), which
 * tells a loss in dom0 from one on the way. framecheck IFACE MAC stop: sends
 * the frame that ends the echo. framecheck IFACE MAC rtt N: sends N frames of
 * 60 bytes one at a time and prints the median and mean round trip in
 * microseconds (a frame lost is sent again after a second, and its time not
 * counted).
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TYPE	0x88b5
#define WINDOW	64
#define TRIES	6
#define MIN_LEN 60
#define MAX_LEN 1514

static int sock;
static struct sockaddr_ll to;
static uint8_t mine[6], theirs[6];

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
frame_len(uint32_t seq)
{
	return MIN_LEN + (seq * 7919u) % (MAX_LEN - MIN_LEN + 1);
}

/* make: frame seq as sent (to them, from us). */
static size_t
make(uint32_t seq, uint8_t *f)
{
	size_t len = frame_len(seq);

	memcpy(f, theirs, 6);
	memcpy(f + 6, mine, 6);
	f[12] = TYPE >> 8;
	f[13] = TYPE & 0xff;
	memcpy(f + 14, &seq, 4);
	uint32_t l32 = (uint32_t)len;
	memcpy(f + 18, &l32, 4);
	for (size_t k = 22; k < len; k++)
		f[k] = (uint8_t)(seq * 31 + k);
	return len;
}

static int
parse_mac(const char *s, uint8_t *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6
		       ? 0
		       : -1;
}

static void
send_frame(const uint8_t *f, size_t len)
{
	if (sendto(sock, f, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		perror("framecheck: sendto");
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* rtt: n round trips of a 60-byte frame, one at a time. */
static int
rtt(int n, uint8_t *f, uint8_t *g)
{
	double *t = calloc((size_t)n, sizeof(double)), sum = 0;

	for (int i = 0; i < n; i++) {
		for (;;) {
			uint32_t seq = (uint32_t)i;
			/* 60 bytes: the size make gives sequence 0. */
			size_t len = make(0, f);
			memcpy(f + 14, &seq, 4);
			double start = now();
			send_frame(f, len);
			int back = 0;
			while (!back && now() - start < 1.0) {
				struct pollfd p = {.fd = sock,
						   .events = POLLIN};
				if (poll(&p, 1, 100) <= 0)
					continue;
				struct sockaddr_ll from;
				socklen_t fl = sizeof(from);
				ssize_t r =
					recvfrom(sock, g, 2048, 0,
						 (struct sockaddr *)&from, &fl);
				uint32_t got;
				if (r < 22 ||
				    from.sll_pkttype == PACKET_OUTGOING)
					continue;
				memcpy(&got, g + 14, 4);
				back = got == seq;
			}
			if (back) {
				t[i] = (now() - start) * 1e6;
				sum += t[i];
				break;
			}
		}
	}
	qsort(t, (size_t)n, sizeof(double), cmp_double);
	printf("rtt: %d frames of 60 bytes, median %.0f us, mean %.0f us\n", n,
	       t[n / 2], sum / n);
	free(t);
	return 0;
}

int
main(int argc, char **argv)
{
	uint8_t f[2048], g[2048];
	struct ifreq ifr;

	if (argc < 4 || parse_mac(argv[2], theirs) != 0) {
		fprintf(stderr,
			"usage: framecheck IFACE MAC COUNT|stop|rtt N\n");
		return 2;
	}
	sock = socket(AF_PACKET, SOCK_RAW, htons(TYPE));
	if (sock < 0) {
		perror("framecheck: socket");
		return 1;
	}
	/*
	 * Its own frames are not queued back to it, and 64 frames in flight
	 * fit its receive queue many times over: dom0 shares one emulated CPU
	 * with netback, and a full queue would drop echoes.
	 */
	int one = 1, size = 4 << 20;
	if (setsockopt(sock, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		       sizeof(one)) != 0)
		perror("framecheck: PACKET_IGNORE_OUTGOING");
	if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) !=
	    0)
		perror("framecheck: SO_RCVBUFFORCE");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(sock, SIOCGIFHWADDR, &ifr) != 0) {
		perror(argv[1]);
		return 1;
	}
	memcpy(mine, ifr.ifr_hwaddr.sa_data, 6);
	memset(&to, 0, sizeof(to));
	to.sll_family = AF_PACKET;
	to.sll_protocol = htons(TYPE);
	to.sll_ifindex = (int)if_nametoindex(argv[1]);
	to.sll_halen = 6;
	memcpy(to.sll_addr, theirs, 6);
	if (bind(sock, (struct sockaddr *)&to, sizeof(to)) != 0) {
		perror("framecheck: bind");
		return 1;
	}
	if (strcmp(argv[3], "stop") == 0) {
		memset(f, 0, MIN_LEN);
		memcpy(f, theirs, 6);
		memcpy(f + 6, mine, 6);
		f[12] = TYPE >> 8;
		f[13] = TYPE & 0xff;
		memcpy(f + 14, "STOP", 4);
		for (int i = 0; i < 3; i++)
			send_frame(f, MIN_LEN);
		return 0;
	}

	if (strcmp(argv[3], "rtt") == 0)
		return rtt(argc > 4 ? atoi(argv[4]) : 1000, f, g);

	uint32_t count = (uint32_t)atoi(argv[3]);
	uint8_t *done = calloc(count, 1), *tries = calloc(count, 1);
	double *sent_at = calloc(count, sizeof(double));
	uint32_t next = 0, base = 0, echoed = 0, resends = 0, altered = 0,
		 lost = 0;

	while (base < count) {
		/* Fill the window; resend what is overdue. */
		double t = now();
		for (uint32_t s = base; s < count && s < base + WINDOW; s++) {
			if (done[s])
				continue;
			if (s >= next || t - sent_at[s] > 1.0) {
				if (tries[s] == TRIES) {
					done[s] = 2; /* lost for good */
					lost++;
					continue;
				}
				if (tries[s] > 0)
					resends++;
				tries[s]++;
				send_frame(f, make(s, f));
				sent_at[s] = t;
				if (s >= next)
					next = s + 1;
			}
		}
		struct pollfd p = {.fd = sock, .events = POLLIN};
		if (poll(&p, 1, 100) > 0) {
			struct sockaddr_ll from;
			socklen_t fl = sizeof(from);
			ssize_t n = recvfrom(sock, g, sizeof(g), 0,
					     (struct sockaddr *)&from, &fl);
			uint32_t seq;
			if (n < 22 || from.sll_pkttype == PACKET_OUTGOING)
				continue;
			memcpy(&seq, g + 14, 4);
			if (seq >= count || done[seq])
				continue;
			size_t len = make(seq, f);
			/* The echo: addresses swapped, the rest as sent. */
			if ((size_t)n != len || memcmp(g, mine, 6) != 0 ||
			    memcmp(g + 6, theirs, 6) != 0 ||
			    memcmp(g + 12, f + 12, len - 12) != 0) {
				altered++;
				fprintf(stderr,
					"framecheck: frame %u came back "
					"altered (%zd bytes)\n",
					seq, n);
			}
			done[seq] = 1;
			echoed++;
		}
		while (base < count && done[base])
			base++;
	}
	struct tpacket_stats st = {0};
	socklen_t sl = sizeof(st);
	if (getsockopt(sock, SOL_PACKET, PACKET_STATISTICS, &st, &sl) != 0)
		perror("framecheck: PACKET_STATISTICS");
	if (echoed == count && altered == 0 && lost == 0)
		printf("ok: %u frames echoed unaltered, %u resends; socket "
		       "drops %u\n",
		       echoed, resends, st.tp_drops);
	else
		printf("FAILED: %u of %u frames echoed, %u altered, %u never, "
		       "%u resends; socket drops %u\n",
		       echoed, count, altered, lost, resends, st.tp_drops);
	return !(echoed == count && altered == 0 && lost == 0);
}
