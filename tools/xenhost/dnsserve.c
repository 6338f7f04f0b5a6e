/*
 * dnsserve: a DNS server for dom0's side of the name tests (tests/net):
 * on UDP port 53 of ADDRESS, for SECONDS at most, it answers A queries
 * for the names it is given with their addresses, other queries for
 * those names with no answer, and queries for any other name with
 * NXDOMAIN; each query is said on stdout ("query NAME TYPE").
 *
 *   dnsserve ADDRESS SECONDS NAME=IPV4...
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TYPE_A 1

/* name_read: the query's name (labels) at p into name, dotted; the
 * offset after it, or -1 for a malformed one. */
static int
name_read(const unsigned char *q, int len, int p, char *name, size_t size)
{
	size_t n = 0;

	while (p < len && q[p] != 0) {
		int l = q[p++];
		if (l > 63 || p + l > len || n + (size_t)l + 2 > size)
			return -1;
		if (n > 0)
			name[n++] = '.';
		for (int i = 0; i < l; i++)
			name[n++] = (char)tolower(q[p + i]);
		p += l;
	}
	if (p >= len)
		return -1;
	name[n] = 0;
	return p + 1;
}

/* answer: the reply to query q (len bytes) into r; its length or -1. */
static int
answer(const unsigned char *q, int len, unsigned char *r, int argc, char **argv)
{
	char name[256];
	int end = name_read(q, len, 12, name, sizeof(name)), found = 0;
	struct in_addr a;

	if (len < 12 || end < 0 || end + 4 > len)
		return -1;
	int type = q[end] << 8 | q[end + 1];
	printf("query %s %d\n", name, type);
	fflush(stdout);
	for (int i = 3; i < argc && !found; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq != NULL && (size_t)(eq - argv[i]) == strlen(name) &&
		    strncasecmp(argv[i], name, strlen(name)) == 0 &&
		    inet_aton(eq + 1, &a))
			found = 1;
	}
	memcpy(r, q, (size_t)end + 4); /* the header and the question */
	r[2] = 0x80 | (q[2] & 0x01);   /* a response; RD as asked */
	r[3] = 0x80 | (found ? 0 : 3); /* RA; NOERROR or NXDOMAIN */
	r[4] = 0, r[5] = 1;	       /* one question */
	r[6] = 0, r[7] = 0;	       /* answers: below */
	memset(r + 8, 0, 4);	       /* no authority, no additional */
	int n = end + 4;
	if (found && type == TYPE_A) {
		static const unsigned char rr[] = {0xc0, 12, 0, TYPE_A, 0, 1,
						   0,	 0,  0, 60,	0, 4};
		memcpy(r + n, rr, sizeof(rr));
		memcpy(r + n + sizeof(rr), &a.s_addr, 4);
		n += (int)sizeof(rr) + 4;
		r[7] = 1;
	}
	return n;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(53)};
	unsigned char q[512], r[600];
	time_t end;
	int s;

	if (argc < 4 || !inet_aton(argv[1], &sa.sin_addr)) {
		fprintf(stderr,
			"usage: dnsserve ADDRESS SECONDS NAME=IPV4...\n");
		return 2;
	}
	end = time(NULL) + atoi(argv[2]);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("dnsserve: bind");
		return 1;
	}
	printf("dnsserve: on %s:53 for %s s\n", argv[1], argv[2]);
	fflush(stdout);
	while (time(NULL) < end) {
		struct pollfd p = {s, POLLIN, 0};
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		if (poll(&p, 1, 1000) != 1)
			continue;
		int len = (int)recvfrom(s, q, sizeof(q), 0,
					(struct sockaddr *)&from, &flen);
		int n = len > 0 ? answer(q, len, r, argc, argv) : -1;
		if (n > 0)
			sendto(s, r, (size_t)n, 0, (struct sockaddr *)&from,
			       flen);
	}
	return 0;
}
