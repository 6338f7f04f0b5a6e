/*
 * netecho IP: the Linux domU's side of the network benchmark (bench/net.sh),
 * the same service our guests give: it puts IP/24 on eth0 and brings it
 * up, echoes every Ethernet frame of type 0x88b5 with the addresses
 * swapped (AF_PACKET), and echoes TCP connections on port 7, one after
 * another, until a frame whose payload starts "STOP" comes. Built static,
 * for the domU's tiny initramfs.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define TYPE 0x88b5

static int
configure(const char *ip)
{
	struct ifreq ifr;
	struct sockaddr_in *a = (struct sockaddr_in *)&ifr.ifr_addr;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "eth0");
	a->sin_family = AF_INET;
	if (inet_pton(AF_INET, ip, &a->sin_addr) != 1 ||
	    ioctl(s, SIOCSIFADDR, &ifr) != 0)
		return -1;
	inet_pton(AF_INET, "255.255.255.0", &a->sin_addr);
	if (ioctl(s, SIOCSIFNETMASK, &ifr) != 0 ||
	    ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
		return -1;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	return ioctl(s, SIOCSIFFLAGS, &ifr);
}

static void *
tcp_echo(void *arg)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(7)};
	static char buf[65536];
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	(void)arg;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(s, 4) != 0) {
		perror("netecho: port 7");
		return NULL;
	}
	for (;;) {
		int c = accept(s, NULL, NULL);
		ssize_t n;
		while (c >= 0 && (n = read(c, buf, sizeof(buf))) > 0)
			for (ssize_t at = 0, w; at < n; at += w)
				if ((w = write(c, buf + at,
					       (size_t)(n - at))) <= 0)
					break;
		if (c >= 0)
			close(c);
	}
}

int
main(int argc, char **argv)
{
	unsigned char f[2048], mac[6];
	pthread_t t;
	int s;

	if (argc != 2 || configure(argv[1]) != 0) {
		perror("netecho: eth0");
		return 1;
	}
	s = socket(AF_PACKET, SOCK_RAW, htons(TYPE));
	if (s < 0) {
		perror("netecho: socket");
		return 1;
	}
	pthread_create(&t, NULL, tcp_echo, NULL);
	printf("netecho: eth0 is %s, echoing\n", argv[1]);
	fflush(stdout);
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s, f, sizeof(f), 0,
				     (struct sockaddr *)&from, &fl);
		if (n < 18 || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (memcmp(f + 14, "STOP", 4) == 0)
			return 0;
		memcpy(mac, f, 6);
		memcpy(f, f + 6, 6);
		memcpy(f + 6, mac, 6);
		sendto(s, f, (size_t)n, 0, (struct sockaddr *)&from, fl);
	}
}
