/*
 * What moves on AF_UNIX sockets: sendmsg and recvmsg (and so read,
 * write, sendto, recvfrom...), as Linux's af_unix gives them. A stream
 * send goes in pieces of at most half the send buffer, each a message
 * on the peer's queue, waiting while the sender's queued bytes (its
 * wmem) fill its send buffer; a read gathers pieces up to the length
 * asked (MSG_WAITALL) or what has come (SO_RCVLOWAT), and ends with the
 * first piece that carries files; a peek looks along the whole queue. A
 * datagram or seqpacket send is one message, whole or EMSGSIZE, and waits too
 * while a datagram receiver's queue is full (one more than
 * net.unix.max_dgram_qlen) unless it is connected back to the sender; a
 * read takes one message, its rest cut (MSG_TRUNC). Control messages:
 * SCM_RIGHTS passes open files (each referenced while in flight, a new
 * fd each on the receiving side, MSG_CMSG_CLOEXEC honoured, MSG_CTRUNC
 * and the files closed when the room runs out); SCM_CREDENTIALS is sent
 * as given, or the process's own, to a receiver with SO_PASSCRED.
 */
#include <string.h>

#include "unix.h"

#define CMSG_ALIGN(n) (((n) + 7) & ~7ul)
#define CMSG_HDR      sizeof(struct kern_cmsghdr)
#define UNIX_PIECE    65536 /* the most one stream piece holds */
#define SSIZE_MAX     0x7fffffffffffffffl

/* A cursor in an iovec array. */
struct unix_iter {
	const struct kern_iovec *iov;
	unsigned long n, i;
	size_t off;
};

/* unix_iter_move: len bytes between the cursor's place and buf. */
static void
unix_iter_move(struct unix_iter *it, char *buf, size_t len, int to_iov)
{
	while (len > 0 && it->i < it->n) {
		size_t k = it->iov[it->i].len - it->off;
		if (k > len)
			k = len;
		char *p = (char *)it->iov[it->i].base + it->off;
		if (to_iov)
			memcpy(p, buf, k);
		else
			memcpy(buf, p, k);
		buf += k;
		len -= k;
		it->off += k;
		if (it->off == it->iov[it->i].len) {
			it->i++;
			it->off = 0;
		}
	}
}

/* unix_iov_len: the iovecs' total length, or -EINVAL past SSIZE_MAX. */
static long
unix_iov_len(const struct kern_iovec *iov, unsigned long n)
{
	size_t len = 0;

	for (unsigned long i = 0; i < n; i++) {
		if (iov[i].len > (size_t)SSIZE_MAX - len)
			return -KERN_EINVAL;
		len += iov[i].len;
	}
	return (long)len;
}

/* What a send carries besides its bytes. */
struct unix_scm {
	struct kern_file *files[UNIX_FDS_MAX];
	int nfiles;
	int has_cred;
	struct kern_ucred cred;
};

static void
unix_scm_drop(struct unix_scm *c)
{
	for (int i = 0; i < c->nfiles; i++)
		kern_file_drop(c->files[i]);
	c->nfiles = 0;
}

/* unix_scm_rights: the files of an SCM_RIGHTS message's n fds, held. */
static long
unix_scm_rights(struct unix_scm *c, const int *fds, unsigned long n)
{
	if (n == 0)
		return 0;
	if (n > UNIX_FDS_MAX || c->nfiles + n > UNIX_FDS_MAX)
		return -KERN_EINVAL;
	if (!unix_inflight_room())
		return -KERN_ETOOMANYREFS;
	for (unsigned long i = 0; i < n; i++) {
		struct kern_file *f = kern_fd_file(fds[i]);
		if (f == NULL)
			return -KERN_EBADF;
		f->refs++;
		c->files[c->nfiles++] = f;
	}
	return 0;
}

/*
 * unix_scm_parse: m's control messages into c, as Linux's __scm_send:
 * other levels than SOL_SOCKET are skipped; a malformed header or
 * another type is EINVAL; a bad fd EBADF. On an error nothing is held.
 */
static long
unix_scm_parse(const struct kern_msghdr *m, struct unix_scm *c)
{
	const char *p = m->control, *end = p + m->controllen;
	long err = 0;

	c->nfiles = 0;
	c->has_cred = 0;
	while (p != NULL && (size_t)(end - p) >= CMSG_HDR) {
		const struct kern_cmsghdr *h = (const void *)p;
		const char *data = p + CMSG_HDR;
		if (h->len < CMSG_HDR || h->len > (size_t)(end - p)) {
			err = -KERN_EINVAL;
			break;
		}
		if (h->level != KERN_SOL_SOCKET) {
			/* not ours: skipped, as Linux */
		} else if (h->type == KERN_SCM_RIGHTS) {
			err = unix_scm_rights(c, (const int *)data,
					      (h->len - CMSG_HDR) /
						      sizeof(int));
		} else if (h->type == KERN_SCM_CREDENTIALS &&
			   h->len == CMSG_HDR + sizeof(struct kern_ucred)) {
			memcpy(&c->cred, data, sizeof(c->cred));
			c->has_cred = 1; /* root may say any ids */
		} else {
			err = -KERN_EINVAL;
		}
		if (err != 0)
			break;
		if (CMSG_ALIGN(h->len) > (size_t)(end - p))
			break;
		p += CMSG_ALIGN(h->len);
	}
	if (err != 0)
		unix_scm_drop(c);
	return err;
}

/*
 * unix_msg_new: a message of len bytes from it, sent by s with c's files
 * (taken over) when take_files; NULL without memory.
 */
static struct unix_msg *
unix_msg_new(struct unix_sock *s, struct unix_iter *it, size_t len,
	     struct unix_scm *c, int take_files)
{
	struct unix_msg *m;
	size_t size = sizeof(*m) + len;
	void *p;

	if (rumpuser_malloc(size, 0, &p) != 0)
		return NULL;
	m = p;
	memset(m, 0, sizeof(*m));
	if (take_files && c->nfiles > 0) {
		size_t fsize = (size_t)c->nfiles * sizeof(m->files[0]);
		if (rumpuser_malloc(fsize, 0, &p) != 0) {
			rumpuser_free(m, size);
			return NULL;
		}
		m->files = p;
		memcpy(m->files, c->files, fsize);
		m->nfiles = c->nfiles;
		c->nfiles = 0;
		for (int i = 0; i < m->nfiles; i++)
			unix_inflight(m->files[i], 1);
	}
	if (c->has_cred) {
		m->cred = c->cred;
		m->has_cred = 1;
	}
	unix_iter_move(it, m->data, len, 0);
	m->len = len;
	m->charge = size;
	m->from = s;
	s->refs++;
	s->wmem += size;
	return m;
}

void
unix_msg_free(struct unix_msg *m)
{
	struct unix_sock *from = m->from;

	for (int i = 0; i < m->nfiles; i++) {
		unix_inflight(m->files[i], -1);
		kern_file_drop(m->files[i]);
	}
	if (m->files != NULL)
		rumpuser_free(m->files,
			      (size_t)m->nfiles * sizeof(m->files[0]));
	from->wmem -= m->charge;
	kern_waitq_wake(&from->q); /* its room to send */
	unix_put(from);
	rumpuser_free(m, sizeof(*m) + m->len);
}

/* unix_queue: m onto to's queue to read. */
static void
unix_queue(struct unix_sock *to, struct unix_msg *m)
{
	if (!m->has_cred && (m->from->passcred || to->passcred)) {
		m->cred = (struct kern_ucred){
			(int)kern_sys_call(sys_getpid, 0, 0, 0, 0, 0), 0, 0};
		m->has_cred = 1; /* as Linux's unix_maybe_add_creds */
	}
	*to->rx_tail = m;
	to->rx_tail = &m->next;
	to->rx_len += m->len;
	to->rx_count++;
	kern_waitq_wake(&to->q);
}

/* unix_dequeue: to's first message, read through, goes. */
static void
unix_dequeue(struct unix_sock *s)
{
	struct unix_msg *m = s->rx;

	if ((s->rx = m->next) == NULL)
		s->rx_tail = &s->rx;
	s->rx_len -= m->len - m->off;
	s->rx_count--;
	unix_msg_free(m);
	kern_waitq_wake(&s->q);
}

int
unix_dgram_full(const struct unix_sock *s, const struct unix_sock *other)
{
	return other->peer != s && other->rx_count > UNIX_DGRAM_QLEN;
}

/*
 * unix_send_room: wait until s's queued bytes leave room to send; as
 * Linux's sock_alloc_send_pskb, a pending error or a shut sending side
 * ends it first.
 */
static long
unix_send_room(struct unix_sock *s, int nonblock, uint64_t deadline)
{
	for (;;) {
		long err = s->err;
		if (err != 0) {
			s->err = 0;
			return err;
		}
		if (s->shut & UNIX_SEND)
			return -KERN_EPIPE;
		if (s->wmem < (size_t)s->sndbuf)
			return 0;
		if ((err = unix_wait(&s->q, nonblock, deadline)) != 0)
			return err;
	}
}

static long
unix_send_stream(struct unix_sock *s, const struct kern_msghdr *hdr, size_t len,
		 struct unix_scm *c, int nonblock)
{
	struct unix_iter it = {hdr->iov, hdr->iovlen, 0, 0};
	uint64_t deadline = unix_deadline(s->sndtimeo);
	size_t sent = 0;
	long err = 0;

	if (hdr->name != NULL)
		return s->state == UNIX_CONNECTED ? -KERN_EISCONN
						  : -KERN_EOPNOTSUPP;
	if (s->peer == NULL)
		return -KERN_ENOTCONN;
	if (s->shut & UNIX_SEND)
		return -KERN_EPIPE;
	while (sent < len) {
		struct unix_sock *peer = s->peer;
		size_t chunk = len - sent, most = (size_t)s->sndbuf / 2 - 64;
		struct unix_msg *m;
		if ((err = unix_send_room(s, nonblock, deadline)) != 0)
			break;
		if (peer == NULL || peer->dead || (peer->shut & UNIX_RCV)) {
			err = -KERN_EPIPE;
			break;
		}
		if (chunk > most)
			chunk = most;
		if (chunk > UNIX_PIECE)
			chunk = UNIX_PIECE;
		if ((m = unix_msg_new(s, &it, chunk, c, 1)) == NULL) {
			err = -KERN_ENOMEM;
			break;
		}
		unix_queue(peer, m);
		sent += chunk;
	}
	return sent > 0 ? (long)sent : err;
}

/* unix_dgram_target: where a datagram of s goes, referenced, into *out. */
static long
unix_dgram_target(struct unix_sock *s, const struct kern_msghdr *hdr,
		  struct unix_sock **out)
{
	if (hdr->name != NULL)
		return unix_find(hdr->name, hdr->namelen, s->type, out);
	if (s->peer == NULL)
		return -KERN_ENOTCONN;
	*out = s->peer;
	s->peer->refs++;
	return 0;
}

static long
unix_send_dgram(struct unix_sock *s, const struct kern_msghdr *hdr, size_t len,
		struct unix_scm *c, int nonblock)
{
	struct unix_iter it = {hdr->iov, hdr->iovlen, 0, 0};
	uint64_t deadline = unix_deadline(s->sndtimeo);
	struct unix_sock *other = NULL;
	struct unix_msg *m;
	long err;

	if (hdr->name != NULL &&
	    (hdr->namelen <= UNIX_PATH_OFF || hdr->namelen > UNIX_ADDR_MAX ||
	     *(const unsigned short *)hdr->name != KERN_AF_UNIX))
		return -KERN_EINVAL;
	if (s->passcred && (err = unix_autobind(s)) != 0)
		return err;
	if (len > (size_t)s->sndbuf - 32)
		return -KERN_EMSGSIZE;
	if ((err = unix_send_room(s, nonblock, deadline)) != 0)
		return err;
	if (hdr->name == NULL && s->peer == NULL)
		return -KERN_ENOTCONN;
	for (;;) {
		if (other == NULL &&
		    (err = unix_dgram_target(s, hdr, &other)) != 0)
			return err;
		if (other->peer != NULL && other->peer != s)
			err = -KERN_EPERM;
		else if (other->dead && other == s->peer) {
			s->peer = NULL; /* its reference goes with other's */
			s->state = UNIX_NEW;
			unix_dgram_disconnected(s, other);
			unix_put(other);
			err = -KERN_ECONNREFUSED;
		} else if (other->dead)
			err = -KERN_ECONNREFUSED;
		else if (other->shut & UNIX_RCV)
			err = -KERN_EPIPE;
		else if (!unix_dgram_full(s, other))
			break;
		else
			err = unix_wait(&other->q, nonblock, deadline);
		if (err != 0) {
			unix_put(other);
			return err;
		}
	}
	if ((m = unix_msg_new(s, &it, len, c, 1)) == NULL) {
		unix_put(other);
		return -KERN_ENOMEM;
	}
	unix_queue(other, m);
	unix_put(other);
	return (long)len;
}

long
unix_sendmsg(struct kern_file *f, const struct kern_msghdr *hdr, int flags)
{
	struct unix_sock *s = f->priv;
	int nonblock =
		(f->flags & KERN_O_NONBLOCK) || (flags & KERN_MSG_DONTWAIT);
	struct unix_scm *c;
	long len = unix_iov_len(hdr->iov, hdr->iovlen), err;
	void *p;

	if (len < 0)
		return len;
	if (s->type == KERN_SOCK_SEQPACKET) {
		/* As Linux: these before the control messages are read. */
		if (s->err != 0) {
			err = s->err;
			s->err = 0;
			return err;
		}
		if (s->state != UNIX_CONNECTED)
			return -KERN_ENOTCONN;
	}
	if (rumpuser_malloc(sizeof(*c), 0, &p) != 0)
		return -KERN_ENOMEM;
	c = p;
	if ((err = unix_scm_parse(hdr, c)) != 0) {
		rumpuser_free(c, sizeof(*c));
		return err;
	}
	if (flags & KERN_MSG_OOB)
		err = -KERN_EOPNOTSUPP;
	else if (s->type == KERN_SOCK_STREAM)
		err = unix_send_stream(s, hdr, (size_t)len, c, nonblock);
	else {
		struct kern_msghdr h = *hdr;
		if (s->type == KERN_SOCK_SEQPACKET)
			h.name = NULL; /* as Linux: its address is ignored */
		err = unix_send_dgram(s, &h, (size_t)len, c, nonblock);
	}
	unix_scm_drop(c); /* what no message took */
	rumpuser_free(c, sizeof(*c));
	return err;
}

/*
 * unix_cmsg_put: a control message of (SOL_SOCKET, type) with dlen bytes
 * of data at hdr's control, past *used; MSG_CTRUNC when it does not fit
 * (as Linux's put_cmsg, the part that fits is there, its length cut).
 */
static void
unix_cmsg_put(struct kern_msghdr *hdr, size_t *used, int type, const void *data,
	      size_t dlen)
{
	size_t room = hdr->controllen - *used, clen = CMSG_HDR + dlen;
	char *p = (char *)hdr->control + *used;

	if (room < CMSG_HDR) {
		hdr->flags |= KERN_MSG_CTRUNC;
		return;
	}
	if (room < clen) {
		hdr->flags |= KERN_MSG_CTRUNC;
		clen = room;
	}
	struct kern_cmsghdr h = {clen, KERN_SOL_SOCKET, type};
	memcpy(p, &h, CMSG_HDR);
	memcpy(p + CMSG_HDR, data, clen - CMSG_HDR);
	*used += CMSG_ALIGN(clen) < room ? CMSG_ALIGN(clen) : room;
}

/*
 * unix_files_out: m's files get fds of the receiver's, as many as the
 * control room holds (the rest, and the ones that find no fd, closed
 * with MSG_CTRUNC); a peek leaves them in m, else m lets them go.
 */
static void
unix_files_out(struct kern_msghdr *hdr, size_t *used, struct unix_msg *m,
	       int flags)
{
	int fds[UNIX_FDS_MAX];
	size_t room = hdr->controllen - *used;
	long max =
		room > CMSG_HDR ? (long)((room - CMSG_HDR) / sizeof(int)) : 0;
	int i = 0;

	for (; i < m->nfiles && i < max; i++) {
		long fd = kern_fd_install(m->files[i], 0,
					  (flags & KERN_MSG_CMSG_CLOEXEC) != 0);
		if (fd < 0)
			break;
		m->files[i]->refs++; /* the new fd's */
		fds[i] = (int)fd;
	}
	if (i > 0) {
		struct kern_cmsghdr h = {CMSG_HDR + (size_t)i * sizeof(int),
					 KERN_SOL_SOCKET, KERN_SCM_RIGHTS};
		size_t space = CMSG_ALIGN(h.len);
		char *p = (char *)hdr->control + *used;
		memcpy(p, &h, CMSG_HDR);
		memcpy(p + CMSG_HDR, fds, (size_t)i * sizeof(int));
		*used += space < room ? space : room;
	}
	if (i < m->nfiles)
		hdr->flags |= KERN_MSG_CTRUNC;
	if (flags & KERN_MSG_PEEK)
		return;
	for (i = 0; i < m->nfiles; i++) {
		unix_inflight(m->files[i], -1);
		kern_file_drop(m->files[i]);
	}
	rumpuser_free(m->files, (size_t)m->nfiles * sizeof(m->files[0]));
	m->files = NULL;
	m->nfiles = 0;
}

/*
 * unix_cred_out: m's credentials for s with SO_PASSCRED (pid 0 and the
 * overflow ids when none went with it, as Linux gives them).
 */
static void
unix_cred_out(struct unix_sock *s, struct kern_msghdr *hdr, size_t *used,
	      const struct unix_msg *m)
{
	struct kern_ucred none = {0, 65534, 65534};

	if (s->passcred)
		unix_cmsg_put(hdr, used, KERN_SCM_CREDENTIALS,
			      m->has_cred ? &m->cred : &none, sizeof(none));
}

/* unix_same_cred: a stream read may glue b to a (SO_PASSCRED). */
static int
unix_same_cred(const struct unix_msg *a, const struct unix_msg *b)
{
	return a->has_cred == b->has_cred &&
	       (!a->has_cred ||
		memcmp(&a->cred, &b->cred, sizeof(a->cred)) == 0);
}

/* unix_from_out: the name of m's sender into hdr's name (cap bytes). */
static void
unix_from_out(struct kern_msghdr *hdr, unsigned cap, const struct unix_msg *m)
{
	if (hdr->name == NULL)
		return;
	hdr->namelen = cap;
	if (m->from->name != NULL)
		unix_name_out(m->from->name, hdr->name, &hdr->namelen);
	else
		hdr->namelen = 0; /* as Linux: an unbound sender has none */
}

/* unix_rx_wait: nothing to read yet: 1 to look again, or 0 or -errno to
 * return (0 also for the end). */
static long
unix_rx_wait(struct unix_sock *s, int nonblock, uint64_t deadline, int *again)
{
	long err;

	*again = 0;
	if (s->err != 0) {
		err = s->err;
		s->err = 0;
		return err;
	}
	if (s->shut & UNIX_RCV)
		return (nonblock && s->type == KERN_SOCK_DGRAM) ? -KERN_EAGAIN
								: 0;
	if ((err = unix_wait(&s->q, nonblock, deadline)) != 0)
		return err;
	*again = 1;
	return 0;
}

static long
unix_recv_dgram(struct unix_sock *s, struct kern_msghdr *hdr, size_t len,
		int flags, int nonblock, unsigned cap, size_t *used)
{
	struct unix_iter it = {hdr->iov, hdr->iovlen, 0, 0};
	uint64_t deadline = unix_deadline(s->rcvtimeo);
	struct unix_msg *m;
	int again = 1;
	long err;

	if (s->type == KERN_SOCK_SEQPACKET && s->state != UNIX_CONNECTED)
		return -KERN_ENOTCONN;
	if (s->err != 0) { /* as Linux's datagrams: before what came */
		err = s->err;
		s->err = 0;
		return err;
	}
	while (s->rx == NULL) {
		err = unix_rx_wait(s, nonblock, deadline, &again);
		if (!again)
			return err;
	}
	m = s->rx;
	unix_iter_move(&it, m->data, len < m->len ? len : m->len, 1);
	if (m->len > len)
		hdr->flags |= KERN_MSG_TRUNC;
	unix_from_out(hdr, cap, m);
	unix_cred_out(s, hdr, used, m);
	if (m->nfiles > 0)
		unix_files_out(hdr, used, m, flags);
	err = (flags & KERN_MSG_TRUNC) || m->len < len ? (long)m->len
						       : (long)len;
	if (!(flags & KERN_MSG_PEEK))
		unix_dequeue(s);
	return err;
}

static long
unix_recv_stream(struct unix_sock *s, struct kern_msghdr *hdr, size_t len,
		 int flags, int nonblock, unsigned cap, size_t *used)
{
	struct unix_iter it = {hdr->iov, hdr->iovlen, 0, 0};
	uint64_t deadline = unix_deadline(s->rcvtimeo);
	size_t copied = 0, target;
	struct unix_msg *m = NULL, first = {0}; /* first: its credentials */
	int any = 0;
	int peek = (flags & KERN_MSG_PEEK) != 0, again;
	long err = 0;

	if (s->state != UNIX_CONNECTED)
		return -KERN_EINVAL;
	/* As Linux's sock_rcvlowat: at least one byte. */
	target = (flags & KERN_MSG_WAITALL) ? len : (size_t)s->rcvlowat;
	if (target > len)
		target = len;
	if (target == 0)
		target = 1;
	for (;;) {
		/* A peek goes along the queue to its end; a read takes from
		 * its head while there is room. */
		if (peek && m != NULL) {
			if ((m = m->next) == NULL)
				break;
		} else if ((m = s->rx) == NULL) {
			if (copied >= target)
				break;
			err = unix_rx_wait(s, nonblock, deadline, &again);
			if (!again)
				break;
			continue;
		}
		if (!any) {
			any = 1;
			first.has_cred = m->has_cred;
			first.cred = m->cred;
			unix_from_out(hdr, cap, m);
			unix_cred_out(s, hdr, used, m);
		} else if (s->passcred && !unix_same_cred(&first, m))
			break; /* two senders' bytes are not glued */
		size_t chunk = m->len - m->off;
		if (chunk > len - copied)
			chunk = len - copied;
		unix_iter_move(&it, m->data + m->off, chunk, 1);
		copied += chunk;
		/* A read ends with the first files it takes, as Linux's. */
		int had_files = m->nfiles > 0;
		if (had_files)
			unix_files_out(hdr, used, m, flags);
		if (!peek) {
			m->off += chunk;
			s->rx_len -= chunk;
			if (m->off < m->len)
				break;
			unix_dequeue(s);
			if (copied == len)
				break;
		}
		if (had_files)
			break;
	}
	if (!any && err == 0 && s->passcred) {
		/* As Linux: the (empty) credentials of no message. */
		const struct kern_ucred none = {0, 0, 0};
		unix_cmsg_put(hdr, used, KERN_SCM_CREDENTIALS, &none,
			      sizeof(none));
	}
	return copied > 0 ? (long)copied : err;
}

long
unix_recvmsg(struct kern_file *f, struct kern_msghdr *hdr, int flags)
{
	struct unix_sock *s = f->priv;
	int nonblock =
		(f->flags & KERN_O_NONBLOCK) || (flags & KERN_MSG_DONTWAIT);
	unsigned cap = hdr->namelen;
	size_t used = 0;
	long len = unix_iov_len(hdr->iov, hdr->iovlen), r;

	if (len < 0)
		return len;
	hdr->namelen = 0;
	if (hdr->control == NULL)
		hdr->controllen = 0;
	if (flags & KERN_MSG_OOB)
		r = s->type == KERN_SOCK_STREAM ? -KERN_EINVAL
						: -KERN_EOPNOTSUPP;
	else if (s->type == KERN_SOCK_STREAM)
		r = unix_recv_stream(s, hdr, (size_t)len, flags, nonblock, cap,
				     &used);
	else
		r = unix_recv_dgram(s, hdr, (size_t)len, flags, nonblock, cap,
				    &used);
	hdr->controllen = used;
	return r;
}
