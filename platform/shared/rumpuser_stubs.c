/*
 * The three groups of rump kernel hypercalls that this project offers
 * only as stubs (rumpuser(3) allows it; every other hypercall is
 * implemented for real): dynamic loading (a static image finds its
 * components through link sets), daemonizing (nothing forks) and the
 * remote system call server (sysproxy), whose calls answer ENOSYS.
 */
#include <rumpxen/rumpuser.h>

#define NETBSD_ENOSYS 78

void
rumpuser_dl_bootstrap(rump_modinit_fn domodinit, rump_symload_fn symload,
		      rump_compload_fn compload)
{
	(void)domodinit;
	(void)symload;
	(void)compload;
}

int
rumpuser_daemonize_begin(void)
{
	return 0;
}

int
rumpuser_daemonize_done(int error)
{
	(void)error;
	return 0;
}

int
rumpuser_sp_init(const char *url, const char *ostype, const char *osrelease,
		 const char *machine)
{
	(void)url;
	(void)ostype;
	(void)osrelease;
	(void)machine;
	return NETBSD_ENOSYS;
}

int
rumpuser_sp_copyin(void *arg, const void *raddr, void *laddr, size_t len)
{
	(void)arg;
	(void)raddr;
	(void)laddr;
	(void)len;
	return NETBSD_ENOSYS;
}

int
rumpuser_sp_copyinstr(void *arg, const void *raddr, void *laddr, size_t *len)
{
	(void)arg;
	(void)raddr;
	(void)laddr;
	(void)len;
	return NETBSD_ENOSYS;
}

int
rumpuser_sp_copyout(void *arg, const void *laddr, void *raddr, size_t len)
{
	(void)arg;
	(void)laddr;
	(void)raddr;
	(void)len;
	return NETBSD_ENOSYS;
}

int
rumpuser_sp_copyoutstr(void *arg, const void *laddr, void *raddr, size_t *len)
{
	(void)arg;
	(void)laddr;
	(void)raddr;
	(void)len;
	return NETBSD_ENOSYS;
}

int
rumpuser_sp_anonmmap(void *arg, size_t howmuch, void **addr)
{
	(void)arg;
	(void)howmuch;
	(void)addr;
	return NETBSD_ENOSYS;
}

int
rumpuser_sp_raise(void *arg, int signo)
{
	(void)arg;
	(void)signo;
	return NETBSD_ENOSYS;
}

void
rumpuser_sp_fini(void *arg)
{
	(void)arg;
}
