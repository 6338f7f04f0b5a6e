/*
 * TCP sockets on lwIP's raw API. lwIP calls back with the CPU held (from
 * the thread that made it act, the platform's receive thread or the timer
 * thread): received data goes onto the socket's pieces, and the window
 * opens again only as the program reads them (tcp_recved); sent data
 * is charged to the budget of send queues (sndq.c), and what the peer
 * acknowledged makes room again: a write takes what the socket's limit
 * and the budget allow, waiting (or EAGAIN) for the rest, and poll says
 * POLLOUT only when a write would take bytes; a socket closed with bytes
 * still queued stays, unseen, until they are acknowledged, to give them
 * back to the budget; a new connection of a listening
 * socket waits on its accept queue as a socket of its own, counted by
 * lwIP against the backlog until it is accepted (beyond the backlog lwIP
 * ignores new SYNs and clients try again, as with Linux); an error means
 * lwIP has let the pcb go, and the socket keeps the error for the
 * program's next call. Once both ends have sent their FIN the socket lets
 * go of its pcb too, once all it sent is acknowledged (lwIP frees one in
 * TIME_WAIT or LAST_ACK without a
 * word), keeping its two ends' addresses for getsockname and
 * getpeername.
 *
 * Errors as Linux gives them: a refused connection is ECONNREFUSED (lwIP
 * says ERR_RST), a connection lwIP gave up on ETIMEDOUT; a write after the
 * peer reset the connection gives the reset once, then EPIPE, and so does
 * one on a socket that never connected.
 */
#include <string.h>

#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"

#include "sock.h"

static err_t sock_tcp_on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
			      err_t err);
static err_t sock_tcp_on_sent(void *arg, struct tcp_pcb *pcb, u16_t len);
static void sock_tcp_on_err(void *arg, err_t err);

/* tcp_hook: s's callbacks on pcb, which is s's now. */
static void
sock_tcp_hook(struct kern_sock *s, struct tcp_pcb *pcb)
{
	s->pcb.tcp = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, sock_tcp_on_recv);
	tcp_sent(pcb, sock_tcp_on_sent);
	tcp_err(pcb, sock_tcp_on_err);
}

/* sock_tcp_names: s keeps its pcb's two ends' addresses. */
static void
sock_tcp_names(struct kern_sock *s)
{
	ip_addr_copy(s->local, s->pcb.tcp->local_ip);
	s->local_port = s->pcb.tcp->local_port;
	ip_addr_copy(s->peer, s->pcb.tcp->remote_ip);
	s->peer_port = s->pcb.tcp->remote_port;
}

/* sock_tcp_let_go: pcb calls back no more. */
static void
sock_tcp_let_go(struct tcp_pcb *pcb)
{
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
}

/*
 * sock_tcp_detach: both FINs are out and all s sent is acknowledged
 * (lwIP may free the pcb without a word from now on): s lets go of its
 * pcb, which lwIP finishes with alone (its data to read stays with s).
 */
static void
sock_tcp_detach(struct kern_sock *s)
{
	struct tcp_pcb *pcb = s->pcb.tcp;

	sock_tcp_names(s);
	sock_tcp_let_go(pcb);
	s->pcb.tcp = NULL;
}

/* sock_tcp_alive: pcb is still one of lwIP's active ones. */
static int
sock_tcp_alive(const struct tcp_pcb *pcb)
{
	for (const struct tcp_pcb *p = tcp_active_pcbs; p != NULL; p = p->next)
		if (p == pcb)
			return 1;
	return 0;
}

static err_t
sock_tcp_on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct kern_sock *s = arg;

	if (p == NULL) {
		s->eof = 1; /* the peer's FIN */
		if (s->shut_wr && s->snd_queued == 0)
			sock_tcp_detach(s);
		sock_wake(s);
		return ERR_OK;
	}
	int last = pcb->state == TIME_WAIT;
	if (err == ERR_OK && (s->rx_count < SOCK_RX_PIECES || last) &&
	    sock_rx_push(s, p, NULL, 0) == 0)
		return ERR_OK;
	if (!last)
		return ERR_MEM; /* lwIP keeps p and offers it again */
	/*
	 * These bytes came with the peer's FIN after ours, and the pcb is
	 * in TIME_WAIT, where lwIP would never offer refused bytes again
	 * (nor the FIN with them) and frees the pcb without a word: past
	 * the piece limit they were taken; without memory for them, they
	 * are lost, and the program is told so (ECONNRESET) rather than
	 * waiting for them. The FIN comes next, and ends the socket's part.
	 */
	pbuf_free(p);
	s->err = -KERN_ECONNRESET;
	sock_wake(s);
	return ERR_OK;
}

/*
 * on_sent: len bytes acknowledged leave the budget; an orphan (closed
 * while sending) whose bytes are all acknowledged goes.
 */
static err_t
sock_tcp_on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct kern_sock *s = arg;

	if (s == NULL)
		return ERR_OK;
	sock_sndq_uncharge(s, len);
	s->snd_nomem = 0;
	if (s->orphan) {
		if (s->snd_queued == 0) {
			sock_tcp_let_go(pcb);
			sock_free(s);
		}
		return ERR_OK;
	}
	if (s->snd_queued == 0 && s->shut_wr && s->eof)
		sock_tcp_detach(s);
	sock_wake(s);
	return ERR_OK;
}

static void
sock_tcp_on_err(void *arg, err_t err)
{
	struct kern_sock *s = arg;

	if (s == NULL)
		return;
	sock_sndq_uncharge(s, s->snd_queued); /* lwIP has freed its queue */
	if (s->orphan) {
		sock_free(s);
		return;
	}
	s->pcb.tcp = NULL; /* lwIP has freed it */
	s->snd_nomem = 0;
	if (err == ERR_RST)
		s->err = s->state == SOCK_CONNECTING ? -KERN_ECONNREFUSED
						     : -KERN_ECONNRESET;
	else if (err == ERR_ABRT) /* retransmissions or keepalives ran out */
		s->err = -KERN_ETIMEDOUT;
	else if (err != ERR_CLSD)
		s->err = (int)sock_lwip_errno(err);
	if (s->state == SOCK_CONNECTING)
		s->state = SOCK_NEW;
	s->eof = 1;
	sock_wake(s);
}

static err_t
sock_tcp_on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct kern_sock *s = arg;

	(void)pcb;
	(void)err; /* always ERR_OK: failures come as sock_tcp_on_err */
	s->state = SOCK_CONNECTED;
	sock_tcp_names(s);
	sock_wake(s);
	return ERR_OK;
}

static err_t
sock_tcp_on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct kern_sock *l = arg, *s;

	if (err != ERR_OK || pcb == NULL)
		return ERR_VAL;
	s = sock_alloc(&sock_kind_tcp, KERN_SOCK_STREAM, l->domain);
	if (s == NULL)
		return ERR_MEM; /* lwIP resets it */
	s->state = SOCK_CONNECTED;
	s->v6only = l->v6only;
	/* As Linux: a connection takes on its listener's options. */
	s->opts = l->opts;
	s->sndbuf = l->sndbuf;
	s->rcvbuf = l->rcvbuf;
	s->rcvtimeo = l->rcvtimeo;
	s->sndtimeo = l->sndtimeo;
	s->rcvlowat = l->rcvlowat;
	s->linger = l->linger;
	s->linger_s = l->linger_s;
	s->keep_idle = l->keep_idle;
	s->keep_intvl = l->keep_intvl;
	s->keep_cnt = l->keep_cnt;
	s->ttl = l->ttl;
	s->tos = l->tos;
	sock_tcp_hook(s, pcb);
	sock_tcp_names(s);
	sock_apply(s);
	tcp_backlog_delayed(pcb); /* in the backlog until accepted */
	*l->acceptq_tail = s;
	l->acceptq_tail = &s->next;
	l->nacc++;
	sock_wake(l);
	return ERR_OK;
}

static long
sock_tcp_open(struct kern_sock *s)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(sock_iptype(s));

	if (pcb == NULL)
		return -KERN_ENOBUFS;
	sock_tcp_hook(s, pcb);
	return 0;
}

/*
 * sock_tcp_renew: s, whose connect failed (lwIP freed its pcb) or whose
 * listening was shut down, is a new socket again, as Linux's is after
 * it: a fresh pcb with s's options, bound where bind put it (if it did).
 * 0, or -ENOBUFS.
 */
static long
sock_tcp_renew(struct kern_sock *s)
{
	if (s->state != SOCK_NEW || s->pcb.tcp != NULL)
		return 0;
	long err = sock_tcp_open(s);
	if (err != 0)
		return err;
	s->eof = s->shut_rd = s->shut_wr = 0;
	sock_apply(s);
	if (s->bound) /* as Linux: a port bind gave stays */
		tcp_bind(s->pcb.tcp, &s->local, s->local_port);
	return 0;
}

static long
sock_tcp_bind(struct kern_sock *s, const ip_addr_t *ip, u16_t port)
{
	long e = sock_tcp_renew(s);

	if (e != 0)
		return e;
	if (s->pcb.tcp == NULL || s->state != SOCK_NEW ||
	    s->pcb.tcp->local_port != 0)
		return -KERN_EINVAL;
	err_t err = tcp_bind(s->pcb.tcp, ip, port);
	if (err == ERR_VAL && !ip_addr_isany(ip))
		return -KERN_EADDRNOTAVAIL;
	if (err == ERR_OK) {
		s->bound = 1;
		ip_addr_copy(s->local, *ip);
		s->local_port = s->pcb.tcp->local_port;
	}
	return sock_lwip_errno(err);
}

static long
sock_tcp_listen(struct kern_sock *s, int backlog)
{
	struct tcp_pcb *lpcb;
	err_t err;

	/* As Linux: a failed connect not yet told leaves it connecting. */
	if (s->connect_unseen || sock_tcp_renew(s) != 0 || s->pcb.tcp == NULL ||
	    (s->state != SOCK_NEW && s->state != SOCK_LISTENING))
		return -KERN_EINVAL;
	/* lwIP counts to 255; Linux takes a negative one as its most. */
	s->backlog = backlog < 0 || backlog > 255 ? 255 : backlog;
	if (s->state == SOCK_LISTENING) {
		((struct tcp_pcb_listen *)(void *)s->pcb.tcp)->backlog =
			(u8_t)s->backlog;
		return 0;
	}
	if (s->pcb.tcp->local_port == 0 &&
	    tcp_bind(s->pcb.tcp, sock_any(s), 0) != ERR_OK)
		return -KERN_EADDRINUSE;
	lpcb = tcp_listen_with_backlog_and_err(s->pcb.tcp, (u8_t)s->backlog,
					       &err);
	if (lpcb == NULL)
		return err == ERR_USE ? -KERN_EADDRINUSE : sock_lwip_errno(err);
	s->pcb.tcp = lpcb; /* the old pcb is freed */
	s->state = SOCK_LISTENING;
	tcp_arg(lpcb, s);
	tcp_accept(lpcb, sock_tcp_on_accept);
	return 0;
}

static long
sock_tcp_accept(struct kern_sock *s, int nonblock, struct kern_sock **out)
{
	uint64_t deadline = sock_deadline(s->rcvtimeo);

	if (s->state != SOCK_LISTENING)
		return -KERN_EINVAL;
	while (s->acceptq == NULL) {
		if (s->pcb.tcp == NULL)
			return -KERN_EINVAL; /* shut down: it listens no more */
		long err = sock_wait(s, nonblock, deadline);
		if (err != 0)
			return err;
	}
	*out = s->acceptq;
	s->acceptq = (*out)->next;
	if (s->acceptq == NULL)
		s->acceptq_tail = &s->acceptq;
	s->nacc--;
	(*out)->next = NULL;
	if ((*out)->pcb.tcp != NULL)
		tcp_backlog_accepted((*out)->pcb.tcp);
	return 0;
}

static long
sock_tcp_connect(struct kern_sock *s, const ip_addr_t *ip, u16_t port,
		 int nonblock)
{
	long err;

	if (s->state == SOCK_LISTENING)
		return -KERN_EISCONN;
	if (s->state == SOCK_CONNECTED) {
		if (!s->connect_unseen)
			return -KERN_EISCONN;
		s->connect_unseen = 0; /* a nonblocking connect's end */
		return 0;
	}
	if (s->state == SOCK_CONNECTING) {
		if (nonblock)
			return -KERN_EALREADY;
	} else {
		if (s->connect_unseen) {
			/* As Linux: a failed connect's end, told once. */
			s->connect_unseen = 0;
			return s->err != 0 ? sock_err_take(s)
					   : -KERN_ECONNABORTED;
		}
		if ((err = sock_tcp_renew(s)) != 0)
			return err;
		if (s->pcb.tcp == NULL)
			return -KERN_EINVAL;
		if (ip == NULL)
			return -KERN_EINVAL;
		err = sock_lwip_errno(tcp_connect(s->pcb.tcp, ip, port,
						  sock_tcp_on_connected));
		if (err != 0)
			return err;
		s->state = SOCK_CONNECTING;
		if (nonblock) {
			s->connect_unseen = 1;
			return -KERN_EINPROGRESS;
		}
	}
	uint64_t deadline = sock_deadline(s->sndtimeo);
	while (s->state == SOCK_CONNECTING) {
		err = sock_wait(s, 0, deadline); /* the SYN goes out first */
		if (err == -KERN_EAGAIN) {
			s->connect_unseen = 1;
			return -KERN_EINPROGRESS; /* SO_SNDTIMEO, as Linux */
		}
		if (err != 0)
			return err; /* EINTR: the connection goes on */
	}
	s->connect_unseen = 0;
	if (s->state != SOCK_CONNECTED)
		return s->err != 0 ? sock_err_take(s) : -KERN_ECONNREFUSED;
	return 0;
}

/* tcp_send_error: why s cannot send now, or 0 if it can. */
static long
sock_tcp_send_error(struct kern_sock *s)
{
	if (s->err != 0)
		return sock_err_take(s);
	if (s->shut_wr || s->pcb.tcp == NULL ||
	    (s->state != SOCK_CONNECTED && s->state != SOCK_CONNECTING))
		return -KERN_EPIPE; /* as Linux: never connected too */
	return 0;
}

size_t
sock_tcp_room(const struct kern_sock *s)
{
	if (s->state != SOCK_CONNECTED || s->pcb.tcp == NULL)
		return 0;
	size_t room = tcp_sndbuf(s->pcb.tcp), q = sock_sndq_room(s);
	return q < room ? q : room;
}

/*
 * sock_tcp_nomem: tcp_write found no memory for s's bytes. s waits for
 * its own bytes' acknowledgement, another socket's, or the network
 * timer's next round (memory may come back without either), and is not
 * writable meanwhile; with nothing queued anywhere to wait for, -ENOBUFS
 * (the memory is not the network's). 0 to wait.
 */
static long
sock_tcp_nomem(struct kern_sock *s)
{
	size_t used, budget;

	sock_sndq_usage(&used, &budget);
	if (used == 0)
		return -KERN_ENOBUFS;
	sock_sndq_nomem(s);
	return 0;
}

/*
 * sock_tcp_put: len bytes of buf into lwIP's send queue, waiting for room
 * (more: more is to come at once, no push yet). The bytes it took, or
 * -errno if none.
 */
static long
sock_tcp_put(struct kern_sock *s, const char *buf, size_t len, int more,
	     int nonblock, uint64_t deadline)
{
	size_t done = 0;

	while (done < len) {
		long err = sock_tcp_send_error(s);
		if (err != 0)
			return done > 0 ? (long)done : err;
		struct tcp_pcb *pcb = s->pcb.tcp;
		size_t room = sock_tcp_room(s);
		if (room > 0xffff)
			room = 0xffff; /* tcp_write's length */
		if (room > len - done)
			room = len - done;
		int flag = more || done + room < len ? TCP_WRITE_FLAG_MORE : 0;
		if (room > 0 && tcp_sndqueuelen(pcb) < TCP_SND_QUEUELEN - 2) {
			if (tcp_write(pcb, buf + done, (u16_t)room,
				      TCP_WRITE_FLAG_COPY | flag) == ERR_OK) {
				sock_sndq_charge(s, room);
				done += room;
				continue;
			}
			/* lwIP found no memory for its copy */
			if ((err = sock_tcp_nomem(s)) != 0)
				return done > 0 ? (long)done : err;
		}
		/* No room: what is queued goes, then we wait. */
		if (s->state == SOCK_CONNECTED) {
			sock_sndq_wait(s);
			tcp_output(pcb);
		}
		if (done > 0 && nonblock)
			return (long)done;
		err = sock_wait(s, nonblock, deadline);
		if (err != 0)
			return done > 0 ? (long)done : err;
	}
	return (long)done;
}

/*
 * sock_tcp_cork_flush: what TCP_CORK holds goes to lwIP, waiting for room
 * unless nonblock (0, or -EAGAIN, -EINTR with some of it left). The
 * cork's bytes were taken (their write returned them), so they go as far
 * as lwIP's own room goes, whatever the budget says (they are charged
 * all the same): a close or shutdown never leaves them behind. Each
 * piece leaves the cork before the CPU can be given back, so two threads
 * never send the same bytes. On a connection that has failed it does
 * nothing (its error is for the next call).
 */
static long
sock_tcp_cork_flush(struct kern_sock *s, int nonblock, uint64_t deadline)
{
	while (s->cork_len > 0) {
		struct tcp_pcb *pcb = s->pcb.tcp;
		if (s->err != 0 || pcb == NULL || s->shut_wr ||
		    (s->state != SOCK_CONNECTED && s->state != SOCK_CONNECTING))
			return 0;
		size_t n = tcp_sndbuf(pcb);
		if (n > s->cork_len)
			n = s->cork_len;
		long err = 0;
		if (n > 0 && tcp_sndqueuelen(pcb) < TCP_SND_QUEUELEN - 2) {
			if (tcp_write(pcb, s->cork, (u16_t)n,
				      TCP_WRITE_FLAG_COPY) == ERR_OK) {
				sock_sndq_charge(s, n);
				memmove(s->cork, s->cork + n, s->cork_len - n);
				s->cork_len -= n;
				continue;
			}
			if ((err = sock_tcp_nomem(s)) != 0)
				return err;
		}
		if (s->state == SOCK_CONNECTED) {
			sock_sndq_wait(s);
			tcp_output(pcb);
		}
		err = sock_wait(s, nonblock, deadline);
		if (err != 0)
			return err;
	}
	if (s->pcb.tcp != NULL && s->state == SOCK_CONNECTED)
		tcp_output(s->pcb.tcp);
	return 0;
}

void
sock_tcp_uncork(struct kern_sock *s)
{
	/* What does not fit now goes before the next write's bytes. */
	sock_tcp_cork_flush(s, 1, 0);
}

/*
 * sock_tcp_send_corked: under TCP_CORK, bytes gather into whole segments
 * before lwIP sees them (lwIP sends a short one whenever nothing is in
 * flight); a full one goes as it fills, and a short one when the
 * socket's limit or the budget leaves no room for more (a limit below a
 * segment would hold it for good). The cork takes no more than lwIP has
 * room for beside it, so flushing it never needs to wait.
 */
static long
sock_tcp_send_corked(struct kern_sock *s, const struct kern_iovec *iov,
		     unsigned long n, int nonblock, uint64_t deadline)
{
	size_t done = 0;

	if (s->cork == NULL && (s->cork = kern_net_malloc(TCP_MSS)) == NULL)
		return -KERN_ENOMEM;
	for (unsigned long i = 0; i < n; i++) {
		for (size_t at = 0; at < iov[i].len;) {
			long err = sock_tcp_send_error(s);
			if (err == 0 && s->cork_len == TCP_MSS)
				err = sock_tcp_cork_flush(s, nonblock,
							  deadline);
			if (err != 0)
				return done > 0 ? (long)done : err;
			size_t room = sock_tcp_room(s);
			size_t take = TCP_MSS - s->cork_len;
			if (take > iov[i].len - at)
				take = iov[i].len - at;
			if (room < s->cork_len + take)
				take = room > s->cork_len ? room - s->cork_len
							  : 0;
			if (take == 0 && s->cork_len > 0) {
				err = sock_tcp_cork_flush(s, nonblock,
							  deadline);
				if (err != 0)
					return done > 0 ? (long)done : err;
				if (s->cork_len == 0)
					continue;
			}
			if (take == 0) {
				if (s->state == SOCK_CONNECTED)
					sock_sndq_wait(s);
				if (done > 0 && nonblock)
					return (long)done;
				err = sock_wait(s, nonblock, deadline);
				if (err != 0)
					return done > 0 ? (long)done : err;
				continue;
			}
			memcpy(s->cork + s->cork_len,
			       (const char *)iov[i].base + at, take);
			s->cork_len += take;
			at += take;
			done += take;
		}
	}
	if (s->cork_len == TCP_MSS)
		sock_tcp_cork_flush(s, 1, 0); /* a whole segment goes now */
	return (long)done;
}

static long
sock_tcp_send(struct kern_sock *s, const struct kern_iovec *iov,
	      unsigned long n, int flags, int nonblock, const ip_addr_t *ip,
	      u16_t port)
{
	size_t done = 0;

	(void)ip; /* a connected stream ignores an address, as Linux */
	(void)port;
	uint64_t deadline = sock_deadline(s->sndtimeo);
	long err = sock_tcp_send_error(s);
	if (err != 0)
		return err;
	if (s->opts & SOCK_OPT_CORK)
		return sock_tcp_send_corked(s, iov, n, nonblock, deadline);
	/* Bytes a cork left behind go before these. */
	err = sock_tcp_cork_flush(s, nonblock, deadline);
	if (err != 0)
		return err;
	for (unsigned long i = 0; i < n; i++) {
		int more = (flags & KERN_MSG_MORE) || i + 1 < n;
		long r = sock_tcp_put(s, iov[i].base, iov[i].len, more,
				      nonblock, deadline);
		if (r < 0)
			return done > 0 ? (long)done : r;
		done += (size_t)r;
		if ((size_t)r < iov[i].len)
			break;
	}
	if (s->pcb.tcp != NULL && s->state == SOCK_CONNECTED &&
	    !(flags & KERN_MSG_MORE))
		tcp_output(s->pcb.tcp);
	return (long)done;
}

/* tcp_recved: the window opens by n bytes the program has read. */
static void
sock_tcp_recved_all(struct kern_sock *s, size_t n)
{
	while (n > 0 && s->pcb.tcp != NULL) {
		u16_t chunk = n > 0xffff ? 0xffff : (u16_t)n;
		tcp_recved(s->pcb.tcp, chunk);
		n -= chunk;
	}
}

/*
 * sock_tcp_recv_wait: until s has low bytes to read (1; fewer once no
 * more will come), or nothing and none will come (0), or an error to
 * give (-errno), or the deadline.
 */
static long
sock_tcp_recv_wait(struct kern_sock *s, int nonblock, size_t low,
		   uint64_t deadline)
{
	while (s->rx_len < low) {
		if (s->err != 0 && s->rx_len == 0)
			return sock_err_take(s);
		if (s->eof || s->shut_rd || s->err != 0)
			return s->rx_len > 0;
		long err = sock_wait(s, nonblock, deadline);
		if (err != 0)
			return s->rx_len > 0 ? 1
					     : err; /* what came, as Linux */
	}
	return 1;
}

/*
 * sock_tcp_lowat: what a read of want bytes waits for: SO_RCVLOWAT, but
 * never more than half the window could bring, nor more than want.
 */
static size_t
sock_tcp_lowat(const struct kern_sock *s, size_t want)
{
	size_t low = (size_t)s->rcvlowat;

	if (low > TCP_WND / 2)
		low = TCP_WND / 2;
	return low < want ? low : want;
}

static long
sock_tcp_recv(struct kern_sock *s, const struct kern_iovec *iov,
	      unsigned long n, int flags, int nonblock, ip_addr_t *ip,
	      u16_t *port, int *mflags)
{
	int peek = (flags & KERN_MSG_PEEK) != 0;
	size_t done = 0, left, want = 0;
	uint64_t deadline = sock_deadline(s->rcvtimeo);
	long ready;

	(void)ip; /* the peer's address is getpeername's */
	(void)port;
	(void)mflags;
	if (s->state == SOCK_LISTENING ||
	    (s->state == SOCK_NEW && !s->eof && !s->shut_rd))
		return -KERN_ENOTCONN;
	for (unsigned long i = 0; i < n; i++)
		want += iov[i].len;
	if (want == 0)
		return 0;
	if (peek || !(flags & KERN_MSG_WAITALL)) {
		/* SO_RCVLOWAT: so many bytes, or what a full read takes. */
		size_t low = sock_tcp_lowat(s, want);
		ready = sock_tcp_recv_wait(s, nonblock, low, deadline);
		if (ready <= 0)
			return ready;
		if ((flags & KERN_MSG_TRUNC) && !peek) {
			/* As Linux: the bytes are dropped, not copied. */
			done = sock_rx_skip(s, want);
			sock_tcp_recved_all(s, done);
			return (long)done;
		}
		done = sock_rx_copy(s, iov, n, peek, 0, &left);
		if (!peek)
			sock_tcp_recved_all(s, done);
		return (long)done;
	}
	/* MSG_WAITALL: every iovec filled, unless the stream ends first. */
	for (unsigned long i = 0; i < n; i++) {
		size_t at = 0;
		while (at < iov[i].len) {
			ready = sock_tcp_recv_wait(s, nonblock, 1, deadline);
			if (ready <= 0)
				return done > 0 ? (long)done : ready;
			struct kern_iovec one = {(char *)iov[i].base + at,
						 iov[i].len - at};
			size_t got = sock_rx_copy(s, &one, 1, 0, 0, &left);
			sock_tcp_recved_all(s, got);
			at += got;
			done += got;
		}
	}
	return (long)done;
}

/* sock_tcp_drop_queue: connections nobody accepted are reset and freed. */
static void
sock_tcp_drop_queue(struct kern_sock *s)
{
	while (s->acceptq != NULL) {
		struct kern_sock *c = s->acceptq;
		s->acceptq = c->next;
		if (c->pcb.tcp != NULL) {
			tcp_arg(c->pcb.tcp, NULL);
			tcp_err(c->pcb.tcp, NULL);
			tcp_abort(c->pcb.tcp);
		}
		sock_free(c);
	}
	s->acceptq_tail = &s->acceptq;
	s->nacc = 0;
}

static long
sock_tcp_shutdown(struct kern_sock *s, int how)
{
	int rd = how != KERN_SHUT_WR, wr = how != KERN_SHUT_RD;

	if (s->state == SOCK_LISTENING) {
		/*
		 * As Linux: reading's end stops the listening (and accept);
		 * the socket is new again, on the port bind gave it, if any.
		 */
		if (rd) {
			if (s->pcb.tcp != NULL) {
				/* as Linux: getsockname still says the port
				 * it had (unless bind gave it, it is free) */
				if (!s->bound) {
					ip_addr_set_zero(&s->local);
					s->local_port = s->pcb.tcp->local_port;
				}
				tcp_close(s->pcb.tcp);
			}
			s->pcb.tcp = NULL;
			sock_tcp_drop_queue(s);
			s->state = SOCK_NEW;
			sock_tcp_renew(s);
			sock_wake(s);
		}
		return 0;
	}
	if (s->state != SOCK_CONNECTED) {
		/* As Linux: ENOTCONN, and yet reading has ended. */
		s->shut_rd |= rd;
		sock_wake(s);
		return -KERN_ENOTCONN;
	}
	if (rd)
		s->shut_rd = 1;
	if (wr && !s->shut_wr) {
		sock_tcp_cork_flush(s, 1, 0); /* what it held goes first */
		s->shut_wr = 1;
		if (s->pcb.tcp != NULL) {
			tcp_shutdown(s->pcb.tcp, 0, 1); /* our FIN */
			if (s->eof && s->pcb.tcp != NULL && s->snd_queued == 0)
				sock_tcp_detach(s);
		}
	}
	sock_wake(s);
	return 0;
}

static long
sock_tcp_name(struct kern_sock *s, int peer, ip_addr_t *ip, u16_t *port)
{
	struct tcp_pcb *pcb = s->pcb.tcp;

	if (peer && s->state != SOCK_CONNECTED)
		return -KERN_ENOTCONN;
	if (pcb == NULL) { /* gone: the ends it had */
		*ip = peer ? s->peer : s->local;
		*port = peer ? s->peer_port : s->local_port;
		return 0;
	}
	if (!peer && pcb->local_port == 0 && s->state == SOCK_NEW) {
		/* unbound again: the port it had, as Linux says it */
		ip_addr_copy(*ip, s->local);
		*port = s->local_port;
		return 0;
	}
	*ip = peer ? pcb->remote_ip : pcb->local_ip;
	*port = peer ? pcb->remote_port : pcb->local_port;
	return 0;
}

/*
 * sock_tcp_writable: a write to connected s would take bytes now, at
 * least its low-water mark (sndq.c); if the budget is what stops it, s
 * is woken when the budget has room again.
 */
static int
sock_tcp_writable(struct kern_sock *s)
{
	size_t used, budget;

	if (tcp_sndqueuelen(s->pcb.tcp) >= TCP_SNDQUEUELOWAT)
		return 0; /* lwIP's segments: its acknowledgements wake s */
	if (s->snd_nomem) {
		sock_sndq_usage(&used, &budget);
		if (used > 0) { /* a write would wait (sock_tcp_nomem) */
			sock_sndq_nomem(s);
			return 0;
		}
	}
	if (sock_tcp_room(s) >= sock_sndq_lowat(s))
		return 1;
	sock_sndq_wait(s);
	return 0;
}

static unsigned
sock_tcp_poll(struct kern_sock *s)
{
	unsigned ev = 0;

	if (s->state == SOCK_LISTENING)
		return (s->acceptq != NULL ? KERN_POLLIN | KERN_POLLRDNORM
					   : 0) |
		       (s->pcb.tcp == NULL ? KERN_POLLIN | KERN_POLLHUP : 0);
	if (s->err != 0)
		ev |= KERN_POLLERR;
	if (s->state == SOCK_NEW) /* not connected, as Linux says it */
		return ev | KERN_POLLOUT | KERN_POLLWRNORM | KERN_POLLHUP |
		       (s->shut_rd || s->eof
				? KERN_POLLIN | KERN_POLLRDNORM | KERN_POLLRDHUP
				: 0);
	if (s->pcb.tcp == NULL) /* reset, timed out, both FINs */
		return ev | KERN_POLLIN | KERN_POLLRDNORM | KERN_POLLOUT |
		       KERN_POLLWRNORM | KERN_POLLHUP | KERN_POLLRDHUP;
	if (s->rx_len >= sock_tcp_lowat(s, (size_t)s->rcvlowat) || s->eof ||
	    s->shut_rd || s->rx_count >= SOCK_RX_PIECES)
		ev |= KERN_POLLIN | KERN_POLLRDNORM;
	if (s->eof)
		ev |= KERN_POLLRDHUP;
	if (s->state == SOCK_CONNECTED && (s->shut_wr || sock_tcp_writable(s)))
		ev |= KERN_POLLOUT | KERN_POLLWRNORM; /* after SHUT_WR: EPIPE */
	if (s->shut_wr && s->eof)
		ev |= KERN_POLLHUP;
	return ev;
}

static void
sock_tcp_close(struct kern_sock *s)
{
	struct tcp_pcb *pcb = s->pcb.tcp;

	sock_tcp_drop_queue(s);
	if (pcb != NULL && s->state == SOCK_CONNECTED && !s->shut_wr)
		sock_tcp_cork_flush(s, 1, 0); /* what it held goes too */
	pcb = s->pcb.tcp;
	if (pcb != NULL && s->state == SOCK_LISTENING) {
		tcp_arg(pcb, NULL);
		tcp_close(pcb);
	} else if (pcb != NULL) {
		tcp_recv(pcb, NULL);
		/*
		 * Unread data or SO_LINGER of 0 s: a reset, as Linux. Else
		 * lwIP sends what is queued and closes in its own time (a
		 * longer linger does not hold the close back); s stays, as
		 * an orphan, to take what it queued off the budget as it is
		 * acknowledged (on_sent, on_err free it).
		 */
		int reset = s->rx_len > 0 || (s->linger && s->linger_s == 0);
		if (!reset && tcp_close(pcb) == ERR_OK) {
			if (s->snd_queued > 0 && sock_tcp_alive(pcb)) {
				s->orphan = 1;
				return;
			}
			pcb = NULL; /* closed: freed, or sent all it had */
		}
		if (pcb != NULL) {
			sock_tcp_let_go(pcb);
			tcp_abort(pcb);
		} else if (sock_tcp_alive(s->pcb.tcp)) {
			sock_tcp_let_go(s->pcb.tcp);
		}
		sock_sndq_uncharge(s, s->snd_queued);
	}
	sock_free(s);
}

const struct sock_kind sock_kind_tcp = {
	.open = sock_tcp_open,
	.bind = sock_tcp_bind,
	.listen = sock_tcp_listen,
	.accept = sock_tcp_accept,
	.connect = sock_tcp_connect,
	.send = sock_tcp_send,
	.recv = sock_tcp_recv,
	.shutdown = sock_tcp_shutdown,
	.name = sock_tcp_name,
	.poll = sock_tcp_poll,
	.close = sock_tcp_close,
};
