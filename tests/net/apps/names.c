/*
 * names: the guest's side of tests/net/names.sh, through musl as any
 * program: its vif's address (SIOCGIFADDR on eth0, which DHCP leased),
 * /etc/resolv.conf (the DNS server the lease named), names resolved by
 * getaddrinfo through dom0's DNS server (one it knows, one it does not)
 * and through /etc/hosts (localhost), getnameinfo of 127.0.0.1, and
 * getservbyname and getprotobyname from /etc/services and
 * /etc/protocols; the interfaces as if_nameindex and getifaddrs give
 * them (both ask netlink). Each finding is a line; exits 0.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* interfaces: if_nameindex's list on a line, getifaddrs's a line each. */
static void
interfaces(void)
{
	struct if_nameindex *ni = if_nameindex();
	struct ifaddrs *ifa, *a;
	char buf[INET6_ADDRSTRLEN], mask[INET6_ADDRSTRLEN];

	if (ni == NULL)
		perror("if_nameindex");
	printf("if_nameindex:");
	for (struct if_nameindex *i = ni; i != NULL && i->if_index != 0; i++)
		printf(" %u %s", i->if_index, i->if_name);
	printf("\n");
	if (ni != NULL)
		if_freenameindex(ni);
	if (getifaddrs(&ifa) != 0) {
		perror("getifaddrs");
		return;
	}
	for (a = ifa; a != NULL; a = a->ifa_next) {
		int fam = a->ifa_addr != NULL ? a->ifa_addr->sa_family : -1;
		if (fam == AF_INET) {
			inet_ntop(
				AF_INET,
				&((struct sockaddr_in *)a->ifa_addr)->sin_addr,
				buf, sizeof(buf));
			inet_ntop(AF_INET,
				  &((struct sockaddr_in *)a->ifa_netmask)
					   ->sin_addr,
				  mask, sizeof(mask));
			printf("getifaddrs: %s inet %s mask %s\n", a->ifa_name,
			       buf, mask);
		} else if (fam == AF_INET6) {
			inet_ntop(AF_INET6,
				  &((struct sockaddr_in6 *)a->ifa_addr)
					   ->sin6_addr,
				  buf, sizeof(buf));
			printf("getifaddrs: %s inet6 %s\n", a->ifa_name, buf);
		} else
			printf("getifaddrs: %s family %d flags %#x\n",
			       a->ifa_name, fam, a->ifa_flags);
	}
	freeifaddrs(ifa);
}

/* resolve: name's first IPv4 address as text, or the error said. */
static void
resolve(const char *name)
{
	struct addrinfo hints = {.ai_family = AF_INET,
				 .ai_socktype = SOCK_STREAM},
			*res;
	char buf[INET_ADDRSTRLEN];
	int e = getaddrinfo(name, NULL, &hints, &res);

	if (e != 0) {
		printf("resolve %s: %s\n", name, gai_strerror(e));
		return;
	}
	inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, buf,
		  sizeof(buf));
	printf("resolve %s: %s\n", name, buf);
	freeaddrinfo(res);
}

int
main(void)
{
	struct ifreq ifr = {0};
	char line[128], host[64];
	struct sockaddr_in lo = {.sin_family = AF_INET};
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	FILE *f;

	strcpy(ifr.ifr_name, "eth0");
	if (ioctl(s, SIOCGIFADDR, &ifr) == 0)
		printf("eth0: %s\n",
		       inet_ntoa(((struct sockaddr_in *)&ifr.ifr_addr)
					 ->sin_addr));
	else
		perror("SIOCGIFADDR eth0");
	if ((f = fopen("/etc/resolv.conf", "r")) == NULL)
		perror("/etc/resolv.conf");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		printf("resolv.conf: %s", line);
	if (f != NULL)
		fclose(f);
	resolve("web.rumpxen.test");
	resolve("nosuch.rumpxen.test");
	resolve("localhost");
	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (getnameinfo((struct sockaddr *)&lo, sizeof(lo), host, sizeof(host),
			NULL, 0, NI_NAMEREQD) == 0)
		printf("name of 127.0.0.1: %s\n", host);
	else
		printf("name of 127.0.0.1: none\n");
	struct servent *se = getservbyname("http", "tcp");
	printf("service http/tcp: %d\n", se != NULL ? ntohs(se->s_port) : -1);
	struct protoent *pe = getprotobyname("udp");
	printf("protocol udp: %d\n", pe != NULL ? pe->p_proto : -1);
	interfaces();
	return 0;
}
