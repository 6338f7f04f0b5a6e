/*
 * <sys/queue.h>, the singly-linked tail queues (STAILQ) of BSD's and
 * glibc's header, which musl does not have.
 *
 * lighttpd's HPACK coder (src/ls-hpack, for HTTP/2) keeps its tables in
 * STAILQs; only the macros it uses are here, with the BSD definitions'
 * meaning. The Makefile puts apps/lighttpd/compat on lighttpd's include
 * path, so lighttpd's tree stays as Debian ships it.
 */
#ifndef COMPAT_SYS_QUEUE_H
#define COMPAT_SYS_QUEUE_H

/* A queue's head: its first element and where the last one's link is. */
#define STAILQ_HEAD(name, type)                                                \
	struct name {                                                          \
		struct type *stqh_first;                                       \
		struct type **stqh_last;                                       \
	}

/* The link inside each element. */
#define STAILQ_ENTRY(type)                                                     \
	struct {                                                               \
		struct type *stqe_next;                                        \
	}

#define STAILQ_FIRST(head)	((head)->stqh_first)
#define STAILQ_EMPTY(head)	((head)->stqh_first == NULL)
#define STAILQ_NEXT(elm, field) ((elm)->field.stqe_next)

#define STAILQ_INIT(head)                                                      \
	do {                                                                   \
		(head)->stqh_first = NULL;                                     \
		(head)->stqh_last = &(head)->stqh_first;                       \
	} while (0)

#define STAILQ_INSERT_TAIL(head, elm, field)                                   \
	do {                                                                   \
		(elm)->field.stqe_next = NULL;                                 \
		*(head)->stqh_last = (elm);                                    \
		(head)->stqh_last = &(elm)->field.stqe_next;                   \
	} while (0)

/* Takes the first element off; the queue must not be empty. */
#define STAILQ_REMOVE_HEAD(head, field)                                        \
	do {                                                                   \
		if (((head)->stqh_first =                                      \
			     (head)->stqh_first->field.stqe_next) == NULL)     \
			(head)->stqh_last = &(head)->stqh_first;               \
	} while (0)

#define STAILQ_FOREACH(var, head, field)                                       \
	for ((var) = STAILQ_FIRST(head); (var); (var) = STAILQ_NEXT(var, field))

#endif
