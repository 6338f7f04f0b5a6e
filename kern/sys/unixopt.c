/*
 * The options of AF_UNIX sockets, all at SOL_SOCKET (another level is
 * EOPNOTSUPP, as af_unix has none of its own): SO_SNDBUF and SO_RCVBUF
 * (doubled, bounded as Linux's), SO_RCVTIMEO and SO_SNDTIMEO (every
 * wait), SO_RCVLOWAT (a stream read), SO_PASSCRED (credentials with
 * each message, and an autobound name), SO_PEERCRED (the process's own
 * credentials once connected or listening; else pid 0 and ids -1), and
 * the ones only read: SO_TYPE, SO_ERROR (taken), SO_ACCEPTCONN,
 * SO_DOMAIN, SO_PROTOCOL. Options with no meaning here that Linux keeps
 * (SO_REUSEADDR, SO_KEEPALIVE, SO_BROADCAST, SO_LINGER...) are kept and
 * read back. Others are ENOPROTOOPT.
 */
#include <string.h>

#include "unix.h"

#define SO_DEBUG     1
#define SO_DONTROUTE 5
#define SO_OOBINLINE 10
#define SO_NO_CHECK  11
#define SO_PRIORITY  12
#define SO_LINGER    13
#define SO_PASSCRED  16
#define SO_PEERCRED  17
#define SO_RCVLOWAT  18
#define SO_SNDLOWAT  19
#define SNDBUF_MIN   4608 /* SOCK_MIN_SNDBUF */
#define RCVBUF_MIN   2304 /* SOCK_MIN_RCVBUF */
#define WMEM_MAX     212992

/* unixopt_kept: the bit in opts of an option only kept, or 0. */
static int
unixopt_kept(int name)
{
	switch (name) {
	case SO_DEBUG:
	case KERN_SO_REUSEADDR:
	case SO_DONTROUTE:
	case KERN_SO_BROADCAST:
	case KERN_SO_KEEPALIVE:
	case SO_OOBINLINE:
	case SO_NO_CHECK:
	case KERN_SO_REUSEPORT:
		return 1 << name;
	}
	return 0;
}

/* Linux's struct linger, kept as set. */
struct unixopt_linger {
	int onoff, secs;
};

long
unix_setopt(struct kern_file *f, int level, int name, const void *val,
	    unsigned len)
{
	struct unix_sock *s = f->priv;
	int v, bit = unixopt_kept(name);

	if (level != KERN_SOL_SOCKET)
		return -KERN_EOPNOTSUPP;
	if (name == KERN_SO_RCVTIMEO || name == KERN_SO_SNDTIMEO)
		return kern_timeo_set(val, len,
				      name == KERN_SO_RCVTIMEO ? &s->rcvtimeo
							       : &s->sndtimeo);
	if (len < sizeof(int))
		return -KERN_EINVAL;
	memcpy(&v, val, sizeof(v));
	if (bit != 0) {
		s->opts = v != 0 ? s->opts | bit : s->opts & ~bit;
		return 0;
	}
	switch (name) {
	case KERN_SO_SNDBUF:
	case KERN_SO_RCVBUF:
		v = (unsigned)v > WMEM_MAX ? WMEM_MAX : v;
		if (name == KERN_SO_SNDBUF) {
			s->sndbuf = 2 * v > SNDBUF_MIN ? 2 * v : SNDBUF_MIN;
			kern_waitq_wake(&s->q); /* room to send, maybe */
		} else
			s->rcvbuf = 2 * v > RCVBUF_MIN ? 2 * v : RCVBUF_MIN;
		return 0;
	case SO_RCVLOWAT:
		s->rcvlowat = v < 0 ? 0x7fffffff : (v == 0 ? 1 : v);
		return 0;
	case SO_PASSCRED:
		s->passcred = v != 0;
		return 0;
	case SO_PRIORITY:
		s->priority = v;
		return 0;
	case SO_LINGER: {
		struct unixopt_linger l;
		if (len < sizeof(l))
			return -KERN_EINVAL;
		memcpy(&l, val, sizeof(l));
		s->linger_on = l.onoff != 0;
		s->linger_s = l.secs;
		return 0;
	}
	}
	return -KERN_ENOPROTOOPT;
}

long
unix_getopt(struct kern_file *f, int level, int name, void *val, unsigned *len)
{
	struct unix_sock *s = f->priv;
	int v, bit = unixopt_kept(name);

	if (level != KERN_SOL_SOCKET)
		return -KERN_EOPNOTSUPP;
	if (name == KERN_SO_RCVTIMEO || name == KERN_SO_SNDTIMEO) {
		kern_timeo_get(name == KERN_SO_RCVTIMEO ? s->rcvtimeo
							: s->sndtimeo,
			       val, len);
		return 0;
	}
	if (name == SO_PEERCRED) {
		struct kern_ucred c = {0, ~0u, ~0u};
		if (s->has_cred)
			c = (struct kern_ucred){
				(int)kern_sys_call(sys_getpid, 0, 0, 0, 0, 0),
				0, 0};
		return kern_sockopt_out(val, len, &c, sizeof(c));
	}
	if (name == SO_LINGER) {
		const struct unixopt_linger l = {s->linger_on, s->linger_s};
		return kern_sockopt_out(val, len, &l, sizeof(l));
	}
	if (bit != 0)
		v = (s->opts & bit) != 0;
	else
		switch (name) {
		case KERN_SO_TYPE:
			v = s->type;
			break;
		case KERN_SO_ERROR:
			v = -s->err;
			s->err = 0;
			break;
		case KERN_SO_SNDBUF:
			v = s->sndbuf;
			break;
		case KERN_SO_RCVBUF:
			v = s->rcvbuf;
			break;
		case KERN_SO_ACCEPTCONN:
			v = s->state == UNIX_LISTENING;
			break;
		case KERN_SO_DOMAIN:
			v = KERN_AF_UNIX;
			break;
		case KERN_SO_PROTOCOL:
			v = 0;
			break;
		case SO_PRIORITY:
			v = s->priority;
			break;
		case SO_RCVLOWAT:
			v = s->rcvlowat;
			break;
		case SO_SNDLOWAT:
			v = 1;
			break;
		case SO_PASSCRED:
			v = s->passcred;
			break;
		default:
			return -KERN_ENOPROTOOPT;
		}
	return kern_sockopt_out(val, len, &v, sizeof(v));
}
