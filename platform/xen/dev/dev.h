/*
 * The contract of platform/xen's drivers (this folder): a domU's disks
 * (blkfront.c, Xen's blkif) and network interfaces (netfront.c, Xen's
 * netif), each found through xenstore and connected on first use. Their
 * users include it: rumpuser/ (rumpuser_open and rumpuser_bio on disks,
 * the if_virt hypercalls on vifs), core/shutdown.c (which detaches them) and
 * the tests and benchmarks of the drivers. The drivers' own parts stay
 * private: blkring.h, netring.h and frontring.h, the checked rings that
 * only the drivers and their host tests include.
 *
 * The core's rules hold (../core/core.h): errors are positive errno
 * values, and a call that blocks says so and is for threads only. A
 * backend is not trusted: a response that breaks the rules disconnects
 * the device with a message on the console, and from then on its calls
 * fail with EIO. No event handler of a driver does more than wake the
 * notify queue its user gave; the user's thread then takes what came.
 * Both lists of devices are read once, at the first get.
 */
#ifndef RUMPXEN_XEN_DEV_H
#define RUMPXEN_XEN_DEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct waitq; /* core.h */

/* blkfront.c: the domU's disks, xvda, xvdb, ... (Xen's blkif). */

struct blkfront;

/* Operations; BLKFRONT_SYNC with a write: durable before it completes. */
#define BLKFRONT_READ  1
#define BLKFRONT_WRITE 2
#define BLKFRONT_FLUSH 3
#define BLKFRONT_SYNC  0x10

/* A request's end: error is 0 or an errno (EIO, EROFS, EINVAL, ENOMEM). */
typedef void blkfront_done_fn(void *arg, int error);

/*
 * blkfront_get: the disk called name ("xvda"), connected to its backend
 * at the first call, which blocks for the handshake (30 s at most for
 * each step); notify is woken whenever requests may have ended (it is
 * taken at that first call: give the same one for every disk). ENOENT
 * when there is no such disk, EIO when its backend fails the handshake
 * (with a message), and from then on.
 */
int blkfront_get(const char *name, struct waitq *notify, struct blkfront **out);
/* blkfront_info: its size in bytes, sector size and whether read-only. */
void blkfront_info(const struct blkfront *d, uint64_t *bytes,
		   unsigned *sector_size, int *readonly);
/*
 * blkfront_start: starts op on len bytes at byte offset off (multiples
 * of the sector size; len 0 for a flush) to or from data, which must
 * stay valid until the end; done(arg, error) is called later by
 * blkfront_deliver (also for a request that ended at once: one of length
 * 0, a flush the backend has no cache for, or ENOMEM in the middle). An
 * error found at the start (EINVAL, EROFS, EIO once disconnected or at
 * the domain's end, ENOMEM) is returned instead, and done never called.
 * Does not block: a request waits in a queue for room in the ring.
 */
int blkfront_start(struct blkfront *d, int op, void *data, size_t len,
		   uint64_t off, blkfront_done_fn *done, void *arg);
/*
 * blkfront_io: as blkfront_start, but blocks until the end and returns
 * its error.
 */
int blkfront_io(struct blkfront *d, int op, void *data, size_t len,
		uint64_t off);
/*
 * blkfront_poll: takes the responses of every disk and sends what waited
 * for room; blkfront_deliver then calls the done functions of the
 * requests that ended, in the calling thread, and returns how many.
 * Neither blocks; they are for the thread that waits on notify.
 */
void blkfront_poll(void);
unsigned blkfront_deliver(void);
/*
 * blkfront_detach_all: at the domain's end (platform_exit): blocks while
 * it waits (seconds at most) for outstanding requests, closes every disk
 * and takes back each grant once the backend let go of it. Done functions
 * are not called any more, and new requests fail with EIO.
 */
void blkfront_detach_all(void);

/* netfront.c: the domU's network interfaces, vif0, ... (Xen's netif). */

struct netfront;

/* The most pieces netfront_recv gives a frame in. */
#define NETFRONT_FRAGS 24

/*
 * netfront_get: interface index, connected to its backend at the first
 * call, which blocks for the handshake (30 s at most for each step), and
 * its MAC; notify is woken whenever frames or free transmit slots may
 * have come, until netfront_put. With offload (taken at the first call;
 * a later call asking otherwise is EINVAL), the backend is offered what
 * a Linux frontend offers:
 * received frames of up to 64 KiB (TCP/IPv4 super-frames, whose blank
 * checksums netfront fills in) in several buffers, and checksums it need
 * not check; *tso then says whether the backend takes super-frames from
 * us (netfront_send with an mss). ENOENT when there is no such interface,
 * EIO when its backend fails the handshake (with a message), and from
 * then on.
 */
int netfront_get(unsigned index, struct waitq *notify, int offload,
		 struct netfront **out, uint8_t mac[6], int *tso);
/* netfront_put: d's notify is forgotten (the interface stays connected). */
void netfront_put(struct netfront *d);
/*
 * netfront_send: copies the frame in iov[0..n) out and sends it; with
 * mss > 0, a TCP/IPv4 super-frame (its TCP checksum field holding the
 * pseudo-header's sum, as for offloaded checksums) that the backend cuts
 * into segments of mss bytes. EAGAIN when too few transmit slots are
 * free (wait on notify), EMSGSIZE for a frame larger than a page (64 KiB
 * for a super-frame) or smaller than a header, EIO once disconnected,
 * the link is down, or at the domain's end. Never blocks.
 */
int netfront_send(struct netfront *d, const struct iovec *iov, size_t n,
		  unsigned mss);
/*
 * netfront_recv: the next received frame, in iov[0..*n) (room for
 * NETFRONT_FRAGS), in the interface's buffers until netfront_recv_done
 * gives them back; one frame at a time. EAGAIN when there is none now
 * (wait on notify, with nothing that blocks in between: the notification
 * of the next frame may come meanwhile, and only once), EIO once
 * disconnected. Never blocks; neither does netfront_recv_done.
 */
int netfront_recv(struct netfront *d, struct iovec *iov, size_t *n);
void netfront_recv_done(struct netfront *d);
/*
 * netfront_link_up: whether the backend is still Connected (read at most
 * once a second); once it is not, the link stays down and sends fail.
 * Blocks on xenstore when it reads the state.
 */
int netfront_link_up(struct netfront *d);
/*
 * netfront_detach_all: at the domain's end (platform_exit): closes every
 * interface and takes back each grant once the backend let go of it,
 * blocking for that (seconds at most). Sends and receives fail with EIO
 * from then on.
 */
void netfront_detach_all(void);

#endif /* RUMPXEN_XEN_DEV_H */
