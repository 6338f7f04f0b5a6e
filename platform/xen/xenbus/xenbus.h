/*
 * The contract of platform/xen's xenbus services (this folder): what a
 * domU gets from Xen and its toolstack beyond the core, and what every
 * split driver stands on. xenstore.c is the client of the domain's
 * xenstore ring; xenbus.c the common steps of a frontend's handshake;
 * gnttab.c the grant table that lets a backend map our pages; control.c
 * answers `xl shutdown`. dev/ (the drivers), rumpuser/ (configuration
 * keys), boot.c (which starts them) and the tests that play with
 * xenstore and grants include it; it includes the core's contract
 * (../core/core.h), whose rules hold here too: errors are positive errno
 * values, and what blocks says so, which also means no event handler may
 * call it. As dom0 under the emulated test host there is no xenstore:
 * its calls fail with ENODEV and the driver lists are empty.
 */
#ifndef RUMPXEN_XEN_XENBUS_H
#define RUMPXEN_XEN_XENBUS_H

#include <stddef.h>
#include <stdint.h>

#include "../core/core.h"

#include <xen/grant_table.h>
#include <xen/io/xenbus.h>

/*
 * xenstore.c: the xenstore client. One request is on the wire at a time;
 * other callers wait their turn. Every request blocks until its reply,
 * and fails with xenstored's own error (ENOENT, EACCES, EEXIST, EINVAL,
 * EAGAIN for a transaction that lost a race, ...), E2BIG (a request
 * longer than the protocol allows, or a reply that does not fit the
 * caller's buffer), ENODEV (no xenstore), EIO (the client is disabled:
 * xenstored broke the ring's rules, which is said on the console once) or
 * ETIMEDOUT (no room or no reply for 30 s; after 5 s the wait is said on
 * the console with the request's path). Paths without a leading "/" are
 * relative to the domain's own directory.
 */

/*
 * xs_init: starts the client on a domU's ring, from start_info (called
 * once, by boot_start). ENODEV for dom0, EINVAL when the ring's frame is
 * not ours, ENOSPC when its port is beyond those the core keeps.
 */
int xs_init(const start_info_t *si);
/*
 * xs_read: in transaction tx (0: none), path's value into buf,
 * NUL-ended (E2BIG when value and NUL do not fit in size).
 */
int xs_read(uint32_t tx, const char *path, char *buf, size_t size);
int xs_write(uint32_t tx, const char *path, const char *value);
int xs_mkdir(uint32_t tx, const char *path);
int xs_rm(uint32_t tx, const char *path);
/* xs_directory: path's children as NUL-separated names, *len bytes. */
int xs_directory(uint32_t tx, const char *path, char *buf, size_t size,
		 size_t *len);
/*
 * xs_watch, xs_unwatch: events for path (and below) from now on, and no
 * more. xenstored sends one event at once when the watch is set.
 */
int xs_watch(const char *path, const char *token);
int xs_unwatch(const char *path, const char *token);
/*
 * xs_watch_wait: blocks until a watch event comes (or, unless 0, the
 * monotonic deadline): the changed path into path. 0, ETIMEDOUT, ENODEV,
 * EIO, or E2BIG when the path does not fit (the event is gone). The
 * domain has one queue of events, for every watch (the token is not
 * kept), and every waiter takes from it, control.c's thread among them,
 * which drops what is not control/shutdown: an event goes to whichever
 * waiter runs first. The queue holds 64 events; more are dropped. So a
 * waiter re-reads what it watches after any event, and after a timeout.
 */
int xs_watch_wait(char *path, size_t size, uint64_t deadline);
/*
 * xs_transaction_start, xs_transaction_end: a transaction's id in *tx
 * (EIO when xenstored's is not a number), and its end: abort 0 commits,
 * where EAGAIN means another write got in first: start again.
 */
int xs_transaction_start(uint32_t *tx);
int xs_transaction_end(uint32_t tx, int abort);

/*
 * gnttab.c: grant tables (version 1), 4 frames of entries, the first 8
 * the toolstack's. Only gnttab_end_access_wait blocks.
 */

/*
 * gnttab_init: sets up the table with Xen and maps it (called once, by
 * boot_start). EINVAL when Xen refuses, ENOMEM when there is no room to
 * map it.
 */
int gnttab_init(void);
/*
 * gnttab_grant_access: lets domid map machine frame mfn (read-only if
 * readonly) through *ref. ENOSPC when the table is full, ENODEV when
 * gnttab_init failed.
 */
int gnttab_grant_access(domid_t domid, unsigned long mfn, int readonly,
			grant_ref_t *ref);
/*
 * gnttab_end_access: takes the grant back and frees ref, which
 * gnttab_grant_access gave. EBUSY (and nothing changes) while the other
 * domain still has it mapped, EINVAL (and nothing changes) for a ref
 * that is not granted (ended already, or never given), outside the
 * table or one of the toolstack's.
 */
int gnttab_end_access(grant_ref_t ref);
/*
 * gnttab_end_access_wait: gnttab_end_access, tried every 10 ms while the
 * other domain still maps the page, until the monotonic deadline (then
 * EBUSY). Blocks.
 */
int gnttab_end_access_wait(grant_ref_t ref, uint64_t deadline);
/* gnttab_free_entries: how many grants can still be made. */
unsigned gnttab_free_entries(void);

/*
 * xenbus.c: the handshake of split drivers (xen/io/xenbus.h states).
 * Every call reads or writes xenstore, so every call blocks.
 */

/*
 * xenbus_read_ulong: dir/key as a decimal; xs_read's errors, EINVAL when
 * the value is not a decimal number.
 */
int xenbus_read_ulong(const char *dir, const char *key, unsigned long *out);
/* xenbus_state: dir/state, XenbusStateUnknown if missing, bad or unread. */
int xenbus_state(const char *dir);
/* xenbus_set_state: writes dir/state; xs_write's errors. */
int xenbus_set_state(const char *dir, int state);
/*
 * xenbus_wait_state: waits until dir/state is one of mask's bits (1 <<
 * state) or the monotonic deadline (ETIMEDOUT); the last state seen in
 * *state either way. It reads the state every 10 ms (watch events would
 * compete with the application's: see xs_watch_wait); after 5 s it says
 * on the console what it waits for.
 */
int xenbus_wait_state(const char *dir, unsigned mask, uint64_t deadline,
		      int *state);

/* A split device: its number, both directories, the backend's domain. */
struct xenbus_dev {
	unsigned long id;
	char front[64], back[128];
	unsigned long backend_id;
};
/*
 * xenbus_list: up to max devices of class in device/CLASS ("vbd"); a
 * device whose backend or backend-id cannot be read is left out. No
 * error: a failure to list (other than no such class, or no xenstore) is
 * said on the console, and gives none.
 */
unsigned xenbus_list(const char *class, struct xenbus_dev *out, unsigned max);
/* A key the frontend publishes: the string str, or else the number. */
struct xenbus_key {
	const char *key, *str;
	unsigned long value;
};
/*
 * xenbus_publish: keys under front, in one transaction, started again on
 * EAGAIN; the xs_* errors.
 */
int xenbus_publish(const char *front, const struct xenbus_key *keys,
		   unsigned n);
/*
 * xenbus_close: the frontend's side of closing, each wait for the backend
 * at most step_ns; what a backend that went first has done is skipped.
 * No error: a backend that does not answer is left behind.
 */
void xenbus_close(const char *front, const char *back, uint64_t step_ns);

/*
 * control.c: `xl shutdown` through control/shutdown. control_init (called
 * once, by boot_start, on the boot context) watches the key and starts
 * the thread that answers it with platform_exit(0); it blocks on xenstore
 * as a domU, and does nothing without xenstore.
 */
void control_init(void);

#endif /* RUMPXEN_XEN_XENBUS_H */
