/*
 * The standard tree a Linux program expects, made at boot through the
 * system calls, each directory and file only where the root has none
 * (what the RAM disk's cpio archive or a root image holds wins: the
 * archive is unpacked after, replacing these): /tmp and /var/tmp (sticky,
 * 01777), /dev/shm (the same, in devfs), /home, /root; under /etc,
 * passwd and group (root, and nobody), nsswitch.conf (files, then dns
 * for hosts), localtime (UTC: a program's TZ, env.TZ=, or the archive's
 * own /etc/localtime says otherwise), hosts (localhost), services and
 * protocols (the common entries, so that getaddrinfo, getnameinfo,
 * getservbyname and getprotobyname answer as on a Linux system), and
 * resolv.conf once the network is up, naming the DNS servers the dns=
 * word or DHCP gave (none: no file, and musl asks 127.0.0.1, as on
 * Linux). The tables are ours, written for this kernel. A read-only root
 * gets none of it.
 */
#include <string.h>

#include "../net/net.h"
#include "sys.h"

#define O_WRONLY_CREAT_EXCL 0301 /* O_WRONLY | O_CREAT | O_EXCL */

/* The directories, with their modes (the umask does not apply). */
static const struct {
	const char *path;
	long mode;
} etc_dirs[] = {
	{"/etc", 0755},	     {"/tmp", 01777}, {"/var", 0755},
	{"/var/tmp", 01777}, {"/home", 0755}, {"/root", 0700},
	{"/dev/shm", 01777},
};

static const char etc_passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
				 "nobody:x:65534:65534:nobody:/nonexistent:"
				 "/bin/false\n";
static const char etc_group[] = "root:x:0:\n"
				"nogroup:x:65534:\n";
static const char etc_nsswitch[] = "passwd:\tfiles\n"
				   "group:\tfiles\n"
				   "shadow:\tfiles\n"
				   "hosts:\tfiles dns\n"
				   "networks:\tfiles\n"
				   "protocols:\tfiles\n"
				   "services:\tfiles\n";
/*
 * UTC as a TZif file (RFC 8536), version 2: a header and the data of
 * one local time type (offset 0, not DST, named "UTC"), once with 32-bit
 * and once with 64-bit times, and the POSIX TZ string "UTC0".
 */
#define ETC_TZIF_HALF                                                          \
	"TZif2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"                                  \
	"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1\0\0\0\4"                     \
	"\0\0\0\0\0\0UTC\0"
static const char etc_localtime[] = ETC_TZIF_HALF ETC_TZIF_HALF "\nUTC0\n";

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
	for (size_t i = 0; i < sizeof(etc_dirs) / sizeof(etc_dirs[0]); i++) {
		long r = kern_sys_call(sys_mkdirat, AT_FDCWD,
				       (long)etc_dirs[i].path, 0700, 0, 0);
		if (r == -KERN_EROFS && i == 0)
			return; /* a read-only root image: its own is all */
		if (r == 0)
			kern_sys_call(sys_fchmodat, AT_FDCWD,
				      (long)etc_dirs[i].path, etc_dirs[i].mode,
				      0, 0);
	}
	etc_write("/etc/passwd", etc_passwd, sizeof(etc_passwd) - 1);
	etc_write("/etc/group", etc_group, sizeof(etc_group) - 1);
	etc_write("/etc/nsswitch.conf", etc_nsswitch, sizeof(etc_nsswitch) - 1);
	etc_write("/etc/localtime", etc_localtime, sizeof(etc_localtime) - 1);
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
