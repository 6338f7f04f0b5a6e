/*
 * AF_NETLINK (kern/sys/netlink.c) on platform/posix under ASan and UBSan,
 * entered as musl enters it, with the loopback interface alone: a link
 * dump gives "lo" (index 1, up, loopback, MTU 65536) then NLMSG_DONE,
 * every message with the request's sequence number and NLM_F_MULTI; an
 * address dump gives 127.0.0.1/8 labelled "lo" for AF_INET, ::1/128 for
 * AF_INET6, both for AF_UNSPEC; a route dump is refused with
 * NLMSG_ERROR and EOPNOTSUPP; an empty queue is EAGAIN without waiting;
 * a short buffer truncates (MSG_TRUNC) and MSG_TRUNC gives the whole
 * length; poll sees a reply; a 17-byte request (no padding after it) and
 * two requests in one send are each answered; requests nobody reads stop
 * at the queue's bound with ENOBUFS, and what was queued reads whole;
 * getsockname names the process, or the port bind chose; other socket
 * types and protocols are refused. Exits 0 when all holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "../../kern/kern.h"
#include "kernjob.h"

static long
call(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return __rumpxen_syscall(n, a1, a2, a3, a4, a5, a6);
}

/* ask: a dump request of type for family, sequence seq. */
static long
ask(long fd, int type, int family, unsigned seq)
{
	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
	} q = {{sizeof(q), (unsigned short)type, NLM_F_REQUEST | NLM_F_DUMP,
		seq, 0},
	       {(unsigned char)family}};

	return call(SYS_sendto, fd, (long)&q, sizeof(q), 0, 0, 0);
}

/* What a dump gave. */
struct seen {
	int links, lo, addrs4, addrs6, done, error, bad;
};

/* take: every reply now queued, checked against seq. */
static void
take(long fd, unsigned seq, struct seen *s)
{
	static char buf[8192];
	long r;

	memset(s, 0, sizeof(*s));
	while ((r = call(SYS_recvfrom, fd, (long)buf, sizeof(buf), MSG_DONTWAIT,
			 0, 0)) > 0) {
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, r);
		     h = NLMSG_NEXT(h, r)) {
			if (h->nlmsg_seq != seq)
				s->bad++;
			if (h->nlmsg_type == NLMSG_DONE) {
				s->done++;
				continue;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				s->error = e->error;
				continue;
			}
			if (!(h->nlmsg_flags & NLM_F_MULTI))
				s->bad++;
			if (h->nlmsg_type == RTM_NEWLINK) {
				struct ifinfomsg *i = NLMSG_DATA(h);
				int len = (int)IFLA_PAYLOAD(h), mtu = 0;
				const char *name = "";
				s->links++;
				for (struct rtattr *a = IFLA_RTA(i);
				     RTA_OK(a, len); a = RTA_NEXT(a, len)) {
					if (a->rta_type == IFLA_IFNAME)
						name = RTA_DATA(a);
					if (a->rta_type == IFLA_MTU)
						memcpy(&mtu, RTA_DATA(a), 4);
				}
				if (strcmp(name, "lo") == 0 &&
				    i->ifi_index == 1 && mtu == 65536 &&
				    (i->ifi_flags & (IFF_UP | IFF_LOOPBACK)) ==
					    (IFF_UP | IFF_LOOPBACK))
					s->lo++;
			}
			if (h->nlmsg_type == RTM_NEWADDR) {
				struct ifaddrmsg *a = NLMSG_DATA(h);
				int len = (int)IFA_PAYLOAD(h), label = 0;
				unsigned char addr[16] = {0};
				for (struct rtattr *t = IFA_RTA(a);
				     RTA_OK(t, len); t = RTA_NEXT(t, len)) {
					if (t->rta_type == IFA_ADDRESS)
						memcpy(addr, RTA_DATA(t),
						       RTA_PAYLOAD(t) < 16
							       ? RTA_PAYLOAD(t)
							       : 16);
					if (t->rta_type == IFA_LABEL)
						label = strcmp(RTA_DATA(t),
							       "lo") == 0;
				}
				static const unsigned char v6lo[16] = {
					[15] = 1};
				if (a->ifa_family == AF_INET &&
				    a->ifa_prefixlen == 8 && label &&
				    a->ifa_index == 1 && addr[0] == 127 &&
				    addr[3] == 1)
					s->addrs4++;
				else if (a->ifa_family == AF_INET6 &&
					 a->ifa_prefixlen == 128 &&
					 memcmp(addr, v6lo, 16) == 0)
					s->addrs6++;
				else
					s->bad++;
			}
		}
	}
	if (r != -EAGAIN)
		s->bad++;
}

int rumpxen_main(int argc, char **argv);

int
rumpxen_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	expect(kern_init() == 0, "kern_init");
	struct seen s;
	long fd = call(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		       NETLINK_ROUTE, 0, 0, 0);
	char buf[64];

	expect(fd >= 0, "a NETLINK_ROUTE socket opens");
	expect(call(SYS_socket, AF_NETLINK, SOCK_RAW, 99, 0, 0, 0) ==
		       -EPROTONOSUPPORT,
	       "another netlink protocol is refused (EPROTONOSUPPORT)");
	expect(call(SYS_socket, AF_NETLINK, SOCK_STREAM, 0, 0, 0, 0) ==
		       -ESOCKTNOSUPPORT,
	       "a stream netlink socket is refused (ESOCKTNOSUPPORT)");
	expect(call(SYS_recvfrom, fd, (long)buf, sizeof(buf), MSG_DONTWAIT, 0,
		    0) == -EAGAIN,
	       "nothing asked, nothing to read: EAGAIN at once");

	expect(ask(fd, RTM_GETLINK, AF_UNSPEC, 7) > 0, "a link dump is sent");
	struct pollfd p = {(int)fd, POLLIN, 0};
	expect(call(SYS_poll, (long)&p, 1, 0, 0, 0, 0) == 1 &&
		       (p.revents & POLLIN),
	       "poll sees the reply waiting");
	take(fd, 7, &s);
	expect(s.links == 1 && s.lo == 1 && s.done == 1 && !s.bad,
	       "the link dump: lo (index 1, up, loopback, MTU 65536), then "
	       "DONE, each with the request's sequence number");

	ask(fd, RTM_GETADDR, AF_INET, 8);
	take(fd, 8, &s);
	expect(s.addrs4 == 1 && s.addrs6 == 0 && s.done == 1 && !s.bad,
	       "the AF_INET address dump: 127.0.0.1/8 labelled lo");
	ask(fd, RTM_GETADDR, AF_INET6, 9);
	take(fd, 9, &s);
	expect(s.addrs4 == 0 && s.addrs6 == 1 && s.done == 1 && !s.bad,
	       "the AF_INET6 address dump: ::1/128");
	ask(fd, RTM_GETADDR, AF_UNSPEC, 10);
	take(fd, 10, &s);
	expect(s.addrs4 == 1 && s.addrs6 == 1 && s.done == 1 && !s.bad,
	       "the AF_UNSPEC address dump: both");
	ask(fd, RTM_GETROUTE, AF_UNSPEC, 11);
	take(fd, 11, &s);
	expect(s.error == -EOPNOTSUPP && s.done == 0 && !s.bad,
	       "a route dump: NLMSG_ERROR, EOPNOTSUPP");

	ask(fd, RTM_GETLINK, AF_UNSPEC, 12);
	long whole = call(SYS_recvfrom, fd, (long)buf, sizeof(buf),
			  MSG_PEEK | MSG_TRUNC, 0, 0);
	struct iovec iov = {buf, 8};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	long r = call(SYS_recvmsg, fd, (long)&m, 0, 0, 0, 0);
	expect(whole > 8 && r == 8 && (m.msg_flags & MSG_TRUNC),
	       "an 8-byte buffer takes 8 bytes, flagged MSG_TRUNC; MSG_TRUNC "
	       "gives the whole length");
	take(fd, 12, &s);

	struct {
		struct nlmsghdr h;
		struct rtgenmsg g;
	} two[2] = {{{NLMSG_LENGTH(1), RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP,
		      13, 0},
		     {AF_UNSPEC}},
		    {{NLMSG_LENGTH(1), RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP,
		      13, 0},
		     {AF_UNSPEC}}};
	expect(call(SYS_sendto, fd, (long)two, NLMSG_LENGTH(1), 0, 0, 0) ==
		       NLMSG_LENGTH(1),
	       "a 17-byte request (its padding left off) is taken");
	take(fd, 13, &s);
	expect(s.links == 1 && s.done == 1 && !s.bad, "and answered once");
	call(SYS_sendto, fd, (long)two, sizeof(two), 0, 0, 0);
	take(fd, 13, &s);
	expect(s.links == 2 && s.done == 2 && !s.bad,
	       "two requests in one send: two answers");

	long sent = 0, e;
	while ((e = ask(fd, RTM_GETADDR, AF_UNSPEC, 14)) > 0 && sent < 100000)
		sent++;
	take(fd, 14, &s);
	expect(e == -ENOBUFS && sent > 10 && s.done == sent && !s.bad,
	       "unread replies stop at the bound (ENOBUFS); each queued "
	       "one reads whole");

	struct sockaddr_nl me;
	socklen_t len = sizeof(me);
	expect(call(SYS_getsockname, fd, (long)&me, (long)&len, 0, 0, 0) == 0 &&
		       me.nl_family == AF_NETLINK &&
		       (long)me.nl_pid == call(SYS_getpid, 0, 0, 0, 0, 0, 0),
	       "getsockname names the process");
	long fd2 = call(SYS_socket, AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE, 0, 0,
			0);
	struct sockaddr_nl at = {.nl_family = AF_NETLINK, .nl_pid = 4242};
	len = sizeof(me);
	expect(call(SYS_bind, fd2, (long)&at, sizeof(at), 0, 0, 0) == 0 &&
		       call(SYS_getsockname, fd2, (long)&me, (long)&len, 0, 0,
			    0) == 0 &&
		       me.nl_pid == 4242,
	       "a port bind chooses is the socket's name");
	expect(call(SYS_close, fd, 0, 0, 0, 0, 0) == 0 &&
		       call(SYS_close, fd2, 0, 0, 0, 0, 0) == 0,
	       "they close");
	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures != 0;
}
