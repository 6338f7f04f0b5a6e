/*
 * The files under /etc that the network's users read, made at boot
 * through the system calls, each only where the root has none: hosts
 * (localhost), services and protocols (the common entries, so that
 * getaddrinfo, getnameinfo, getservbyname and getprotobyname answer as
 * on a Linux system) before the RAM disk's cpio archive is unpacked,
 * whose own then replace them; resolv.conf once the network is up,
 * naming the DNS servers the dns= word or DHCP gave (none: no file, and
 * musl asks 127.0.0.1, as on Linux). The tables are ours, written for
 * this kernel. */
#include <string.h>

#include "../net/net.h"
#include "sys.h"

#define O_WRONLY_CREAT_EXCL 0301 /* O_WRONLY | O_CREAT | O_EXCL */

static const char etc_hosts[] = "127.0.0.1\tlocalhost\n"
				"::1\tlocalhost ip6-localhost ip6-loopback\n";

static const char etc_protocols[] = "ip\t0\tIP\n"
				    "icmp\t1\tICMP\n"
				    "igmp\t2\tIGMP\n"
				    "tcp\t6\tTCP\n"
				    "udp\t17\tUDP\n"
				    "ipv6\t41\tIPv6\n"
				    "ipv6-icmp\t58\tIPv6-ICMP\n"
				    "sctp\t132\tSCTP\n";

static const char etc_services[] = "echo\t\t7/tcp\n"
				   "echo\t\t7/udp\n"
				   "discard\t\t9/tcp\n"
				   "daytime\t\t13/tcp\n"
				   "ftp-data\t20/tcp\n"
				   "ftp\t\t21/tcp\n"
				   "ssh\t\t22/tcp\n"
				   "telnet\t\t23/tcp\n"
				   "smtp\t\t25/tcp\t\tmail\n"
				   "time\t\t37/tcp\n"
				   "domain\t\t53/tcp\n"
				   "domain\t\t53/udp\n"
				   "bootps\t\t67/udp\n"
				   "bootpc\t\t68/udp\n"
				   "tftp\t\t69/udp\n"
				   "http\t\t80/tcp\t\twww\n"
				   "pop3\t\t110/tcp\n"
				   "ntp\t\t123/udp\n"
				   "imap\t\t143/tcp\n"
				   "snmp\t\t161/udp\n"
				   "ldap\t\t389/tcp\n"
				   "https\t\t443/tcp\n"
				   "https\t\t443/udp\n"
				   "syslog\t\t514/udp\n"
				   "submission\t587/tcp\n"
				   "ldaps\t\t636/tcp\n"
				   "imaps\t\t993/tcp\n"
				   "pop3s\t\t995/tcp\n"
				   "mysql\t\t3306/tcp\n"
				   "postgresql\t5432/tcp\n"
				   "redis\t\t6379/tcp\n"
				   "http-alt\t8080/tcp\n";

/* etc_write: path made with text, unless it is there already. */
static void
etc_write(const char *path, const char *text, size_t len)
{
	long fd = kern_sys_call(sys_openat, AT_FDCWD, (long)path,
				O_WRONLY_CREAT_EXCL, 0644, 0);

	if (fd == -KERN_EEXIST || fd == -KERN_EROFS)
		return; /* the RAM disk's or the root image's, which wins */
	if (fd < 0) {
		platform_console_printf("etc: %s not made: error %ld\n", path,
					-fd);
		return;
	}
	if (kern_sys_call(sys_write, fd, (long)text, (long)len, 0, 0) !=
	    (long)len)
		platform_console_printf("etc: %s not written whole\n", path);
	kern_sys_call(sys_close, fd, 0, 0, 0, 0);
}

void
kern_etc_init(void)
{
	if (kern_sys_call(sys_mkdirat, AT_FDCWD, (long)"/etc", 0755, 0, 0) ==
	    -KERN_EROFS)
		return; /* a read-only root image: its /etc, if any, is all */
	etc_write("/etc/hosts", etc_hosts, sizeof(etc_hosts) - 1);
	etc_write("/etc/protocols", etc_protocols, sizeof(etc_protocols) - 1);
	etc_write("/etc/services", etc_services, sizeof(etc_services) - 1);
}

void
kern_etc_resolv(void)
{
	char resolv[3 * 32], addr[48];
	size_t n = 0;

	for (int i = 0; kern_net_dns_server(i, addr, sizeof(addr)) == 0; i++) {
		size_t k = strlen(addr);
		if (n + 11 + k + 1 > sizeof(resolv))
			break;
		memcpy(resolv + n, "nameserver ", 11);
		memcpy(resolv + n + 11, addr, k);
		resolv[n + 11 + k] = '\n';
		n += 11 + k + 1;
	}
	if (n > 0)
		etc_write("/etc/resolv.conf", resolv, n);
}
