/*
 * errno.h: the kernel world's error names: Linux's errno values, each
 * defined once, here. Every layer of kern/ may include it.
 *
 * A function of kern/ that can fail returns 0 (or a value >= 0) or one
 * of these negated, -KERN_EINVAL, as Linux's system calls do (kern.h
 * says so for the whole kernel world). The platform and rumpuser give
 * positive errno values; kern_errno (errno.c) and the few callers of the
 * platform's failing calls convert them where they are called.
 */
#ifndef RUMPXEN_KERN_ERRNO_H
#define RUMPXEN_KERN_ERRNO_H

#define KERN_EPERM	     1
#define KERN_ENOENT	     2
#define KERN_ESRCH	     3
#define KERN_EINTR	     4
#define KERN_EIO	     5
#define KERN_ENXIO	     6
#define KERN_E2BIG	     7
#define KERN_EBADF	     9
#define KERN_EAGAIN	     11
#define KERN_ENOMEM	     12
#define KERN_EACCES	     13
#define KERN_EFAULT	     14
#define KERN_ENOTBLK	     15
#define KERN_EBUSY	     16
#define KERN_EEXIST	     17
#define KERN_EXDEV	     18
#define KERN_ENODEV	     19
#define KERN_ENOTDIR	     20
#define KERN_EISDIR	     21
#define KERN_EINVAL	     22
#define KERN_EMFILE	     24
#define KERN_ENOTTY	     25
#define KERN_EFBIG	     27
#define KERN_ENOSPC	     28
#define KERN_ESPIPE	     29
#define KERN_EROFS	     30
#define KERN_EMLINK	     31
#define KERN_EPIPE	     32
#define KERN_EDOM	     33
#define KERN_ERANGE	     34
#define KERN_EDEADLK	     35
#define KERN_ENAMETOOLONG    36
#define KERN_ENOLCK	     37
#define KERN_ENOSYS	     38
#define KERN_ENOTEMPTY	     39
#define KERN_ELOOP	     40
#define KERN_ENOMSG	     42
#define KERN_EIDRM	     43
#define KERN_EOVERFLOW	     75
#define KERN_ENOTSOCK	     88
#define KERN_EDESTADDRREQ    89
#define KERN_EMSGSIZE	     90
#define KERN_EPROTOTYPE	     91
#define KERN_ENOPROTOOPT     92
#define KERN_EPROTONOSUPPORT 93
#define KERN_ESOCKTNOSUPPORT 94
#define KERN_EOPNOTSUPP	     95 /* also Linux's ENOTSUP */
#define KERN_EAFNOSUPPORT    97
#define KERN_EADDRINUSE	     98
#define KERN_EADDRNOTAVAIL   99
#define KERN_ENETUNREACH     101
#define KERN_ECONNABORTED    103
#define KERN_ECONNRESET	     104
#define KERN_ENOBUFS	     105
#define KERN_EISCONN	     106
#define KERN_ENOTCONN	     107
#define KERN_ETOOMANYREFS    109
#define KERN_ETIMEDOUT	     110
#define KERN_ECONNREFUSED    111
#define KERN_EHOSTUNREACH    113
#define KERN_EALREADY	     114
#define KERN_EINPROGRESS     115
/*
 * Not an errno a program sees: a call that returns it, interrupted by a
 * signal, is made again once the handlers have run, whatever their
 * SA_RESTART (Linux's ERESTARTNOINTR; dispatch.c).
 */
#define KERN_ERESTARTNOINTR 513

#endif /* RUMPXEN_KERN_ERRNO_H */
