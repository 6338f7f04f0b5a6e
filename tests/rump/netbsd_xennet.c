/*
 * NetBSD's TCP/IP on a Xen vif (tests/rump/xennet.sh): a domU with the
 * NetBSD rump kernel and its network libraries linked, over netfront and
 * platform/xen/rumpuser/virt.c. It first runs the whole NetBSD test of
 * netbsd_rump.c (file systems, threads, FFS on the vbd the configuration
 * names), then takes the address the toolstack gave its vif (the backend's
 * "ip"), brings up virt0 on the bridge's /24, answers the pings dom0
 * sends and serves one TCP echo connection on port 7 to its end. dom0's
 * part (xennet.dom0) then writes its verdict to data/result, which the
 * guest prints. Exits 0 when every check passed and dom0 says "ok".
 */
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <rump/netconfig.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#include <rumpxen/platform.h>

#include "../../platform/xen/xenbus/xenbus.h"
#include "harness.h"

/* NetBSD's struct sockaddr_in, which has a length byte. */
struct netbsd_sockaddr_in {
	uint8_t sin_len, sin_family;
	uint16_t sin_port;
	uint32_t sin_addr;
	uint8_t sin_zero[8];
};

/* xs_wait: until key exists (ten minutes catch a hang); its value. */
static int
xs_wait(const char *key, char *value, size_t size)
{
	uint64_t end = time_monotonic_ns() + 600000000000ull;

	while (xs_read(0, key, value, size) != 0) {
		if (time_monotonic_ns() > end)
			return 0;
		sched_sleep_until(time_monotonic_ns() + 200000000);
	}
	return 1;
}

/* echo_one: serves one connection on s to its end; bytes echoed, or -1. */
static long
echo_one(int s)
{
	static char buf[65536];
	long total = 0;
	int c = rump_sys_accept(s, NULL, NULL);

	if (c < 0)
		return -1;
	for (;;) {
		ssize_t n = rump_sys_read(c, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t at = 0; at < n;) {
			ssize_t w =
				rump_sys_write(c, buf + at, (size_t)(n - at));
			if (w <= 0) {
				rump_sys_close(c);
				return -1;
			}
			at += w;
		}
		total += n;
	}
	rump_sys_close(c);
	return total;
}

static int
net_run(void)
{
	char back[128], path[160], ip[32], result[256];
	struct netbsd_sockaddr_in sin = {.sin_len = sizeof(sin),
					 .sin_family = RUMP_AF_INET,
					 .sin_port = 7 << 8}; /* port 7 */
	int rv, s;

	if (xs_read(0, "device/vif/0/backend", back, sizeof(back)) != 0)
		return rt_print("no vif\n"), 1;
	fmt_snprintf(path, sizeof(path), "%s/ip", back);
	if (xs_read(0, path, ip, sizeof(ip)) != 0)
		return rt_print("the vif has no ip\n"), 1;
	rv = rump_pub_netconfig_ifcreate("virt0");
	if (rv == 0)
		rv = rump_pub_netconfig_ipv4_ifaddr("virt0", ip,
						    "255.255.255.0");
	if (rv == 0)
		rv = rump_pub_netconfig_ifup("virt0");
	rt_print("virt0 is %s: %d\n", ip, rv);
	if (rv != 0)
		return 1;
	s = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0);
	if (s < 0 || rump_sys_bind(s, (void *)&sin, sizeof(sin)) != 0 ||
	    rump_sys_listen(s, 1) != 0)
		return rt_print("cannot listen on port 7\n"), 1;
	xs_write(0, "data/ready", "1");
	long n = echo_one(s);
	rt_print("echoed %ld bytes over TCP\n", n);
	rump_sys_close(s);
	if (!xs_wait("data/result", result, sizeof(result)))
		strcpy(result, "(dom0 wrote no result)");
	rt_print("dom0: %s\n", result);
	return strncmp(result, "ok", 2) != 0;
}

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int failed = rump_test_run();
	return (failed + net_run()) != 0;
}
