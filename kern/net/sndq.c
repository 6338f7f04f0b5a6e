/*
 * The budget of TCP send queues, as Linux's tcp_mem: what every TCP
 * socket has written and its peer has not yet acknowledged, lwIP's
 * copies, is charged against one budget, scaled from the guest's memory
 * (an eighth of the pages the platform has for the kernel, or the
 * net.tcp_mem= word in bytes), besides each socket's own limit (half
 * its SO_SNDBUF, which Linux doubles for its overhead; by default a
 * share of the budget, at most lwIP's TCP_SND_BUF). A socket's room is
 * the smaller of the two; over the budget a socket may still hold
 * SNDQ_MIN bytes (Linux's tcp_wmem[0]), so that every connection moves
 * even while others fill the budget. A write waits for room (or says
 * EAGAIN), and a socket is writable only when a write would take bytes.
 *
 * Acknowledged bytes are uncharged from lwIP's sent callback; a socket
 * whose pcb goes (reset, timeout, abort) gives back what it held; a
 * socket closed with bytes still queued stays as the pcb's owner until
 * they are acknowledged (tcp.c), so the budget counts what lwIP still
 * holds, not what open files hold. Sockets that found the budget full
 * wait on a list here, and are woken, all at once, when acknowledged
 * bytes leave SNDQ_WAKE of room; so are those lwIP found no memory for,
 * at the latest at the network timer's next round (a quarter second
 * while connections are open), when memory may be back though no
 * acknowledgement came. Everything runs with the CPU held.
 */
#include "lwip/tcp.h"

#include "sock.h"

/* What every socket may hold over the budget (Linux's tcp_wmem[0]). */
#define SNDQ_MIN (4 * 1024)
/* The room that wakes sockets waiting for the budget, at most. */
#define SNDQ_WAKE (32 * 1024)
/* The least budget (a guest smaller than this is not a server). */
#define SNDQ_BUDGET_MIN (64 * 1024)

static size_t sndq_budget; /* bytes all send queues may hold; 0: unset */
static size_t sndq_used;   /* bytes they hold */
static struct kern_sock *sndq_waiters; /* found the budget full */
static int sndq_nomem; /* a waiter found no memory: the next tick wakes it */

/* sndq_budget_get: the budget, worked out at the first call. */
static size_t
sndq_budget_get(void)
{
	size_t total, avail;
	long v;

	if (sndq_budget != 0)
		return sndq_budget;
	const char *conf = platform_config_get("net.tcp_mem");
	if (conf != NULL && num_parse_long(conf, &v) == 0 && v > 0) {
		sndq_budget = (size_t)v;
	} else {
		platform_pages_count(&total, &avail);
		sndq_budget = total / 8 * PLATFORM_PAGE_SIZE;
	}
	if (sndq_budget < SNDQ_BUDGET_MIN)
		sndq_budget = SNDQ_BUDGET_MIN;
	return sndq_budget;
}

size_t
sock_sndq_default(void)
{
	size_t share = sndq_budget_get() / 8;

	if (share < 4 * SNDQ_MIN)
		share = 4 * SNDQ_MIN;
	return share < TCP_SND_BUF ? share : TCP_SND_BUF;
}

void
sock_sndq_usage(size_t *used, size_t *budget)
{
	*used = sndq_used;
	*budget = sndq_budget_get();
}

/* sndq_limit: the bytes s itself may hold (half its SO_SNDBUF). */
static size_t
sndq_limit(const struct kern_sock *s)
{
	size_t limit = (size_t)s->sndbuf / 2;

	return limit < TCP_SND_BUF ? limit : TCP_SND_BUF;
}

size_t
sock_sndq_room(const struct kern_sock *s)
{
	size_t budget = sndq_budget_get(), limit = sndq_limit(s);
	size_t own = limit > s->snd_queued ? limit - s->snd_queued : 0;
	size_t all = budget > sndq_used ? budget - sndq_used : 0;

	if (s->snd_queued < SNDQ_MIN && all < SNDQ_MIN - s->snd_queued)
		all = SNDQ_MIN - s->snd_queued;
	return own < all ? own : all;
}

size_t
sock_sndq_lowat(const struct kern_sock *s)
{
	size_t low = sndq_limit(s) / 2;

	if (low > TCP_SNDLOWAT)
		low = TCP_SNDLOWAT;
	if (s->snd_queued < SNDQ_MIN && low > SNDQ_MIN - s->snd_queued)
		low = SNDQ_MIN - s->snd_queued; /* an empty socket can write */
	return low > 0 ? low : 1;
}

void
sock_sndq_charge(struct kern_sock *s, size_t n)
{
	s->snd_queued += n;
	sndq_used += n;
}

/* sndq_wake_all: every socket waiting for the budget looks again. */
static void
sndq_wake_all(void)
{
	while (sndq_waiters != NULL) {
		struct kern_sock *s = sndq_waiters;
		sock_sndq_forget(s);
		s->snd_nomem = 0;
		sock_wake(s);
	}
}

void
sock_sndq_uncharge(struct kern_sock *s, size_t n)
{
	size_t budget = sndq_budget_get();
	size_t wake = budget / 4 < SNDQ_WAKE ? budget / 4 : SNDQ_WAKE;

	if (n > s->snd_queued)
		n = s->snd_queued; /* never: lwIP acknowledges what it took */
	s->snd_queued -= n;
	sndq_used -= n;
	if (n > 0 && sndq_waiters != NULL && sndq_used + wake <= budget)
		sndq_wake_all();
}

/* sndq_enlist: s is woken with the budget's other waiters. */
static void
sndq_enlist(struct kern_sock *s)
{
	if (s->sndq_pprev != NULL)
		return;
	s->sndq_next = sndq_waiters;
	if (sndq_waiters != NULL)
		sndq_waiters->sndq_pprev = &s->sndq_next;
	sndq_waiters = s;
	s->sndq_pprev = &sndq_waiters;
}

void
sock_sndq_wait(struct kern_sock *s)
{
	if (sndq_used + sock_sndq_lowat(s) > sndq_budget_get())
		sndq_enlist(s);
}

void
sock_sndq_nomem(struct kern_sock *s)
{
	s->snd_nomem = 1;
	sndq_enlist(s);
	sndq_nomem = 1;
}

void
sock_sndq_tick(void)
{
	if (sndq_nomem) {
		sndq_nomem = 0;
		sndq_wake_all();
	}
}

void
sock_sndq_forget(struct kern_sock *s)
{
	if (s->sndq_pprev == NULL)
		return;
	*s->sndq_pprev = s->sndq_next;
	if (s->sndq_next != NULL)
		s->sndq_next->sndq_pprev = s->sndq_pprev;
	s->sndq_next = NULL;
	s->sndq_pprev = NULL;
}
