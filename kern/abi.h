/*
 * abi.h: the Linux x86_64 ABI as the kernel world sees it: the layouts
 * of the structures programs hand the system calls (timespec, stat,
 * statfs, flock) and the constants of open, the *at calls, poll, file
 * modes, utimensat and fcntl's locks, each defined once. Linux's values,
 * under KERN_ names where musl's headers use the plain ones. Every layer
 * of kern/ may include it; it includes nothing.
 */
#ifndef RUMPXEN_KERN_ABI_H
#define RUMPXEN_KERN_ABI_H

/* Linux's struct timespec. */
struct kern_timespec {
	long sec, nsec;
};

/* utimensat's special nsec values: the time now, the time kept. */
#define UTIME_NOW  ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)

/* The layout of Linux's struct stat on x86_64. */
struct kern_stat {
	unsigned long dev, ino, nlink;
	unsigned mode, uid, gid, pad0;
	unsigned long rdev;
	long size, blksize, blocks;
	unsigned long atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	long unused[3];
};

/* Linux's struct statfs (statfs, fstatfs). */
struct kern_statfs {
	long type, bsize, blocks, bfree, bavail, files, ffree;
	int fsid[2];
	long namelen, frsize, flags, spare[4];
};

/* Linux's struct flock on x86_64. */
struct kern_flock {
	short type, whence;
	long start, len;
	int pid;
};

/* File types and mode bits. */
#define S_IFMT	   0170000
#define S_IFSOCK   0140000
#define S_IFLNK	   0120000
#define S_IFREG	   0100000
#define S_IFBLK	   0060000
#define S_IFDIR	   0040000
#define S_IFCHR	   0020000
#define S_IFIFO	   0010000
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)

/* Open flags. */
#define KERN_O_RDONLY	 0
#define KERN_O_WRONLY	 1
#define KERN_O_RDWR	 2
#define KERN_O_ACCMODE	 3
#define KERN_O_CREAT	 0100
#define KERN_O_EXCL	 0200
#define KERN_O_NOCTTY	 0400
#define KERN_O_TRUNC	 01000
#define KERN_O_APPEND	 02000
#define KERN_O_NONBLOCK	 04000
#define KERN_O_DIRECTORY 0200000
#define KERN_O_NOFOLLOW	 0400000
#define KERN_O_CLOEXEC	 02000000
#define KERN_O_PATH	 010000000
#define KERN_O_TMPFILE	 020000000

/* The *at calls' directory and flags. */
#define AT_FDCWD	    (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR	    0x200
#define AT_EACCESS	    0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_NO_AUTOMOUNT	    0x800
#define AT_EMPTY_PATH	    0x1000

/* Poll events. */
#define KERN_POLLIN	0x001
#define KERN_POLLPRI	0x002
#define KERN_POLLOUT	0x004
#define KERN_POLLERR	0x008
#define KERN_POLLHUP	0x010
#define KERN_POLLNVAL	0x020
#define KERN_POLLRDNORM 0x040
#define KERN_POLLWRNORM 0x100

/* fcntl's lock commands (struct kern_flock). */
#define F_GETLK	     5
#define F_SETLK	     6
#define F_SETLKW     7
#define F_OFD_GETLK  36
#define F_OFD_SETLK  37
#define F_OFD_SETLKW 38

/* ioctl: the bytes ready to read. */
#define FIONREAD 0x541b

/* Poll's events beyond the first (epoll's EPOLLRDHUP). */
#define KERN_POLLRDHUP 0x2000

/* The layout of Linux's struct iovec. */
struct kern_iovec {
	void *base;
	unsigned long len;
};

/* Sockets: Linux's struct sockaddr_in and struct msghdr. */
struct kern_sockaddr_in {
	unsigned short family;
	unsigned short port; /* network order */
	unsigned int addr;   /* network order */
	unsigned char zero[8];
};
/* Linux's struct sockaddr_in6. */
struct kern_sockaddr_in6 {
	unsigned short family;
	unsigned short port; /* network order */
	unsigned int flowinfo;
	unsigned char addr[16];
	unsigned int scope_id;
};
struct kern_msghdr {
	void *name;
	unsigned int namelen;
	struct kern_iovec *iov;
	unsigned long iovlen;
	void *control;
	unsigned long controllen;
	int flags;
};
#define KERN_AF_UNSPEC	      0
#define KERN_AF_UNIX	      1
#define KERN_AF_INET	      2
#define KERN_AF_INET6	      10
#define KERN_AF_NETLINK	      16
#define KERN_SOCK_STREAM      1
#define KERN_SOCK_DGRAM	      2
#define KERN_SOCK_RAW	      3
#define KERN_SOCK_SEQPACKET   5
#define KERN_SOCK_NONBLOCK    04000
#define KERN_SOCK_CLOEXEC     02000000
#define KERN_IPPROTO_IP	      0
#define KERN_IPPROTO_TCP      6
#define KERN_IPPROTO_UDP      17
#define KERN_IPPROTO_IPV6     41
#define KERN_SOL_SOCKET	      1
#define KERN_SO_REUSEADDR     2
#define KERN_SO_TYPE	      3
#define KERN_SO_ERROR	      4
#define KERN_SO_BROADCAST     6
#define KERN_SO_SNDBUF	      7
#define KERN_SO_RCVBUF	      8
#define KERN_SO_KEEPALIVE     9
#define KERN_SO_REUSEPORT     15
#define KERN_SO_RCVTIMEO      20
#define KERN_SO_SNDTIMEO      21
#define KERN_SO_ACCEPTCONN    30
#define KERN_SO_PROTOCOL      38
#define KERN_SO_DOMAIN	      39
#define KERN_TCP_NODELAY      1
#define KERN_MSG_OOB	      0x1
#define KERN_MSG_PEEK	      0x2
#define KERN_MSG_CTRUNC	      0x8
#define KERN_MSG_TRUNC	      0x20
#define KERN_MSG_DONTWAIT     0x40
#define KERN_MSG_WAITALL      0x100
#define KERN_MSG_NOSIGNAL     0x4000
#define KERN_MSG_MORE	      0x8000
#define KERN_MSG_CMSG_CLOEXEC 0x40000000
#define KERN_SHUT_RD	      0
#define KERN_SHUT_WR	      1
#define KERN_SHUT_RDWR	      2

/* Control messages: Linux's struct cmsghdr, its data 8-aligned after. */
struct kern_cmsghdr {
	unsigned long len; /* the header's and the data's */
	int level, type;
};
#define KERN_SCM_RIGHTS	     1
#define KERN_SCM_CREDENTIALS 2
/* Linux's struct ucred (SO_PEERCRED, SCM_CREDENTIALS). */
struct kern_ucred {
	int pid;
	unsigned uid, gid;
};

#endif /* RUMPXEN_KERN_ABI_H */
