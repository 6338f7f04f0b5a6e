# rumpxen build: `make` builds the images, `make run` boots the default
# demo under the emulated Xen host, `make check` builds and runs every test,
# `make format-check` checks the formatting of the project's C code.
#
# Objects go under build/, one line is printed per step (V=1 prints the
# commands). Every build step that needs something from outside the clone
# first runs tools/deps, which installs what is missing and returns at once
# when nothing is.

.SUFFIXES:
MAKEFLAGS += -j$(shell nproc)
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:
SHELL := /bin/bash

CACHE := $(or $(RUMPXEN_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/rumpxen)
export RUMPXEN_CACHE := $(CACHE)
B := build

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)'
endif

CC := gcc
LD := ld

# Our sources, by layer.
LIB_SRCS := lib/fmt.c lib/num.c lib/cmdline.c lib/runmap.c
RUMPUSER_SHARED_SRCS := platform/shared/rumpuser_hyp.c \
	platform/shared/rumpuser_errtrans.c platform/shared/rumpuser_stubs.c
# platform/xen, room by room: the core (start of day, memory, threads,
# events, time, console), the xenbus services (xenstore, the split
# drivers' handshake, grant tables, xl shutdown), the drivers (disks and
# vifs), and the bindings of include/rumpxen/ on them (rumpuser/virt.c,
# the if_virt hypercalls, is linked only into images whose kernel has the
# deliver upcall: see below).
XEN_CORE_SRCS := $(addprefix platform/xen/core/,arch/x86_64/entry.S \
	arch/x86_64/traps.S arch/x86_64/switch.S boot.c console.c consring.c \
	shutdown.c mm.c pages.c heap.c traps.c ksyms.c time.c events.c sched.c)
XEN_XENBUS_SRCS := $(addprefix platform/xen/xenbus/,xenstore.c xenbus.c \
	gnttab.c control.c)
XEN_DEV_SRCS := $(addprefix platform/xen/dev/,blkring.c blkfront.c netring.c netcsum.c \
	netfront.c)
XEN_RUMPUSER_SRCS := $(addprefix platform/xen/rumpuser/,rumpuser_base.c \
	rumpuser_mem.c rumpuser_clock.c rumpuser_random.c rumpuser_thread.c \
	rumpuser_sync.c rumpuser_file.c platform_api.c)
XEN_SRCS := $(XEN_CORE_SRCS) $(XEN_XENBUS_SRCS) $(XEN_DEV_SRCS) \
	$(XEN_RUMPUSER_SRCS) $(RUMPUSER_SHARED_SRCS)
LDS := platform/xen/image.lds
XENHOST := $(B)/xenhost/vmlinux $(B)/xenhost/dom0.cpio $(B)/xenhost/domu.cpio

# Where the dependencies live once tools/deps has run.
XEN_INC := $(CACHE)/xen/usr/include
MUSL_SRC := $(CACHE)/src/musl/tree
MUSL_B := $(B)/musl
LIBC := $(MUSL_B)/lib/libc.a
MUSL_INC := $(MUSL_B)/include

WARN := -Wall -Wextra -Werror
# The image world: freestanding, musl's headers, no red zone (Xen pushes
# exception frames on the current stack), frame pointers and no tail calls
# for backtraces that name every caller.
IMG_CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -nostdinc \
	-isystem $(MUSL_INC) -isystem $(shell $(CC) -print-file-name=include) \
	-Iinclude -Ilib -I$(XEN_INC) -D__XEN_INTERFACE_VERSION__=0x00040d00 \
	-fno-pic -fno-pie -fno-stack-protector -mno-red-zone \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-optimize-sibling-calls \
	-fno-asynchronous-unwind-tables -MMD -MP
IMG_LDFLAGS := -nostdlib -static -T $(LDS) -z noexecstack -z max-page-size=4096 \
	--fatal-warnings
LIBGCC := $(shell $(CC) -print-libgcc-file-name)
# Host tests: the same sources built for Linux under the sanitizers.
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Iinclude -Ilib -I$(CACHE)/xen/usr/include \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -MMD -MP

img_obj = $(patsubst %,$(B)/img/%.o,$(basename $(1)))
host_obj = $(patsubst %,$(B)/host/%.o,$(basename $(1)))
XEN_OBJS := $(call img_obj,$(XEN_SRCS) $(LIB_SRCS))

# Images: $(call image,ELF,SOURCES[,ARCHIVES]) links the platform, SOURCES,
# the whole of each of ARCHIVES (NetBSD's rump kernel libraries register
# their parts through link sets, so nothing refers to most of them) and
# libc, twice: the first link gives the symbols that tools/ksyms turns into
# the table the second link embeds (after everything else: nothing moves).
IMAGES :=
BENCH_IMAGES := $(patsubst bench/guests/%.c,$(B)/bench/%.elf,$(wildcard bench/guests/*.c))
define image
IMAGES += $(1)
$(1): $(call img_obj,$(2)) $(1:.elf=.name.o) $(XEN_OBJS) $(LIBC) $(LDS) tools/ksyms $(3)
	$$(call msg,LD,$$@)
	$$(Q)$(LD) $(IMG_LDFLAGS) -o $$@.pass1 $$(filter %.o,$$^) \
		$(if $(3),--whole-archive $(3) --no-whole-archive) $(LIBC) $(LIBGCC)
	$$(Q)nm -n --defined-only $$@.pass1 | tools/ksyms | \
		$(CC) -c -x assembler -o $$@.ksyms.o -
	$$(Q)$(LD) $(IMG_LDFLAGS) -o $$@ $$(filter %.o,$$^) $$@.ksyms.o \
		$(if $(3),--whole-archive $(3) --no-whole-archive) $(LIBC) $(LIBGCC)
	$$(Q)rm -f $$@.pass1 $$@.ksyms.o
endef

# Tests: host programs, self-checking boot images (tests/boot/*.c, pass by
# exiting 0), and scripts (tests/*/*.sh) with guests of their own
# (tests/*/guests/*.c, built into build/tests/*/).
HOST_TESTS := $(patsubst tests/host/%.c,$(B)/tests/host/%,$(wildcard tests/host/*.c))
BOOT_TESTS := $(patsubst tests/boot/%.c,$(B)/tests/boot/%.elf,$(wildcard tests/boot/*.c))
SCRIPT_TESTS := $(wildcard tests/*/*.sh)
GUEST_SRCS := $(wildcard tests/*/guests/*.c)

# The kernel world (kern/) and programs on it through musl: their images
# link the kernel with the platform, the program and libc.a.
KERN_SRCS := $(shell find kern -name '*.c')
# lwIP (DESIGN.md §3): upstream's tree from Debian's orig tarball, in the
# cache, built with the kernel world's flags and its port (kern/net: the
# options, arch/cc.h, the hooks). The files its options use; the sockets,
# netconn and the apps are ours or left out.
LWIP_SRC := $(CACHE)/src/lwip/tree/src
LWIP_FILES := $(addprefix core/,init.c def.c dns.c inet_chksum.c ip.c mem.c \
	memp.c netif.c pbuf.c tcp.c tcp_in.c tcp_out.c timeouts.c udp.c) \
	$(addprefix core/ipv4/,dhcp.c etharp.c icmp.c ip4.c ip4_addr.c \
	ip4_frag.c) \
	$(addprefix core/ipv6/,ethip6.c icmp6.c inet6.c ip6.c ip6_addr.c \
	ip6_frag.c mld6.c nd6.c) \
	netif/ethernet.c
LWIP_CFLAGS := -Ikern/net -I$(LWIP_SRC)/include
# netif_find parses a number with atoi: the kernel's own (stack.c).
LWIP_OWN_CFLAGS := $(LWIP_CFLAGS) -Datoi=kern_net_atoi
LWIP_OBJS := $(patsubst %.c,$(B)/img/lwip/%.o,$(LWIP_FILES))
LWIP_HOST_OBJS := $(patsubst %.c,$(B)/host/lwip/%.o,$(LWIP_FILES))
LWIP_TSAN_OBJS := $(patsubst %.c,$(B)/tsan/lwip/%.o,$(LWIP_FILES))
$(B)/img/kern/net/%.o $(B)/host/kern/net/%.o $(B)/tsan/kern/net/%.o: EXTRA_CFLAGS = $(LWIP_CFLAGS)
$(B)/img/lwip/%.o: $(MUSL_B)/.built Makefile $(wildcard kern/net/*.h kern/net/arch/*.h) | deps
	$(call msg,CC,lwip/$*.c)
	$(Q)mkdir -p $(@D) && $(CC) $(IMG_CFLAGS) $(LWIP_OWN_CFLAGS) -c -o $@ $(LWIP_SRC)/$*.c
$(B)/host/lwip/%.o: Makefile $(wildcard kern/net/*.h kern/net/arch/*.h) | deps
	$(call msg,HOSTCC,lwip/$*.c)
	$(Q)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) $(LWIP_OWN_CFLAGS) -c -o $@ $(LWIP_SRC)/$*.c
$(B)/tsan/lwip/%.o: Makefile $(wildcard kern/net/*.h kern/net/arch/*.h) | deps
	$(call msg,TSANCC,lwip/$*.c)
	$(Q)mkdir -p $(@D) && $(CC) $(TSAN_CFLAGS) $(LWIP_OWN_CFLAGS) -c -o $@ $(LWIP_SRC)/$*.c
KERN_OBJS := $(call img_obj,$(KERN_SRCS)) $(LWIP_OBJS)
# The kernel world is freestanding: what its objects (with lwIP's) take
# from outside themselves is the <string.h> functions, rumpuser's,
# platform.h's and the if_virt calls (with rumpxen's extension of them),
# klib, and at the start the app world's entry (musl's __libc_start_main
# and main).
KERN_ALLOWED := ^((mem|str)[a-z]+|rumpuser_.*|rumpcomp_virt_.*|rumpxen_virt_.*|platform_.*|(fmt|num|cmdline|runmap)_.*|main|__libc_start_main|_image_start)$$
$(B)/kerncheck.ok: $(KERN_OBJS)
	$(call msg,CHECK,kernel objects take only what they may)
	$(Q)nm --defined-only $^ | awk 'NF == 3 { print $$3 }' | sort -u >$@.defined
	$(Q)bad=$$(nm -u $^ | awk 'NF == 2 { print $$2 }' | sort -u | \
		comm -23 - $@.defined | grep -Ev '$(KERN_ALLOWED)'); \
	rm -f $@.defined; \
	if [ -n "$$bad" ]; then echo "kern/ uses what it may not: $$bad" >&2; exit 1; fi
	$(Q)touch $@
# What tools/rumpxen-cc links a program with: the platform, the if_virt
# calls over netfront and the kernel.
$(B)/rumpxen/librumpxen.a: $(XEN_OBJS) $(call img_obj,platform/xen/rumpuser/virt.c) $(KERN_OBJS)
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D) && rm -f $@ && ar rcs $@ $^
# The programs of tests/proc, built as a user would build them.
PROC_APPS := $(patsubst tests/proc/apps/%.c,$(B)/tests/proc/%.elf,$(wildcard tests/proc/apps/*.c))
IMAGES += $(PROC_APPS)
$(B)/tests/proc/%.elf: tests/proc/apps/%.c tests/proc/apps/check.h tools/rumpxen-cc \
		$(B)/rumpxen/librumpxen.a $(B)/musl/.built
	$(call msg,RUMPXEN-CC,$@)
	$(Q)mkdir -p $(@D) && tools/rumpxen-cc -O2 -g -Wall -Wextra -Werror -o $@ $<

# The file system tests' programs (tests/fs/apps), built the same way.
FS_APPS := $(patsubst tests/fs/apps/%.c,$(B)/tests/fs/%.elf,$(wildcard tests/fs/apps/*.c))
IMAGES += $(FS_APPS)
$(B)/tests/fs/%.elf: tests/fs/apps/%.c tools/rumpxen-cc $(B)/rumpxen/librumpxen.a \
		$(B)/musl/.built
	$(call msg,RUMPXEN-CC,$@)
	$(Q)mkdir -p $(@D) && tools/rumpxen-cc -O2 -g -Wall -Wextra -Werror -o $@ $<

# The network tests' programs (tests/net/apps), built the same way.
NET_APPS := $(patsubst tests/net/apps/%.c,$(B)/tests/net/%.elf,$(wildcard tests/net/apps/*.c))
IMAGES += $(NET_APPS)
$(B)/tests/net/%.elf: tests/net/apps/%.c tools/rumpxen-cc $(B)/rumpxen/librumpxen.a \
		$(B)/musl/.built
	$(call msg,RUMPXEN-CC,$@)
	$(Q)mkdir -p $(@D) && tools/rumpxen-cc -O2 -g -Wall -Wextra -Werror -pthread -o $@ $<

# SQLite's shell, unmodified: Debian's source package (the cache) built
# by its own configure and make, in cross mode, with tools/rumpxen-cc.
# Configured once per libc; relinked when the kernel or platform changes.
SQLITE_B := $(B)/sqlite3
SQLITE_ELF := $(B)/apps/sqlite3.elf
IMAGES += $(SQLITE_ELF)
$(SQLITE_B)/.configured: $(B)/musl/.built tools/rumpxen-cc | deps $(B)/rumpxen/librumpxen.a
	$(call msg,CONFIGURE,sqlite3)
	$(Q)rm -rf $(SQLITE_B) && mkdir -p $(SQLITE_B) && \
		cp -a $(CACHE)/src/sqlite3/tree/. $(SQLITE_B)/
	$(Q)cd $(SQLITE_B) && ./configure --build=$$(sh ./config.guess) \
		--host=x86_64-linux-musl CC=$(abspath tools/rumpxen-cc) \
		--disable-tcl --disable-readline --disable-editline \
		--disable-load-extension --disable-shared --enable-static \
		>configure.log 2>&1 || { tail -n 40 configure.log; exit 1; }
	$(Q)touch $@
$(SQLITE_ELF): $(SQLITE_B)/.configured $(B)/rumpxen/librumpxen.a
	$(call msg,MAKE,sqlite3)
	$(Q)rm -f $(SQLITE_B)/sqlite3
	$(Q)$(MAKE) -C $(SQLITE_B) CROSS_BUILDING=yes sqlite3 >$(SQLITE_B)/make.log \
		2>&1 || { tail -n 40 $(SQLITE_B)/make.log; exit 1; }
	$(Q)mkdir -p $(@D) && cp $(SQLITE_B)/sqlite3 $@

# socat, an unmodified network program from Debian's source package, by
# its own configure and make in cross mode with tools/rumpxen-cc (without
# OpenSSL, readline, libwrap, SCTP, vsock, TUN); tests/net/socat.sh
# relays through it.
SOCAT_B := $(B)/socat
SOCAT_ELF := $(B)/apps/socat.elf
IMAGES += $(SOCAT_ELF)
$(SOCAT_B)/.configured: $(B)/musl/.built tools/rumpxen-cc | deps $(B)/rumpxen/librumpxen.a
	$(call msg,CONFIGURE,socat)
	$(Q)rm -rf $(SOCAT_B) && mkdir -p $(SOCAT_B) && \
		cp -a $(CACHE)/src/socat/tree/. $(SOCAT_B)/
	$(Q)cd $(SOCAT_B) && ./configure --build=$$(gcc -dumpmachine) \
		--host=x86_64-linux-musl CC=$(abspath tools/rumpxen-cc) \
		--disable-openssl --disable-readline --disable-libwrap \
		--disable-sctp --disable-vsock --disable-tun \
		>configure.log 2>&1 || { tail -n 40 configure.log; exit 1; }
	$(Q)touch $@
$(SOCAT_ELF): $(SOCAT_B)/.configured $(B)/rumpxen/librumpxen.a
	$(call msg,MAKE,socat)
	$(Q)rm -f $(SOCAT_B)/socat
	$(Q)$(MAKE) -C $(SOCAT_B) socat >$(SOCAT_B)/make.log \
		2>&1 || { tail -n 40 $(SOCAT_B)/make.log; exit 1; }
	$(Q)mkdir -p $(@D) && cp $(SOCAT_B)/socat $@

# lighttpd, Debian's source package unmodified, by its own configure and
# make in cross mode with tools/rumpxen-cc: one static program
# (LIGHTTPD_STATIC) whose modules apps/lighttpd/plugin-static.h names,
# with apps/lighttpd/compat for what musl lacks (<sys/queue.h>). No PCRE2
# (so no mod_rewrite or mod_redirect) and no compression libraries;
# pkg-config looks only into an empty directory of ours, so nothing of the
# host's is found. Only the modules the header names are linked: its
# static build would link every module of its Makefile.am (webdav, cgi,
# proxy...), so the program's objects are given to its make as its core
# ($(am__objects_10), automake's name for it in 1.4.69) and those
# modules. tests/net/httpd.sh serves files with it.
LIGHTTPD_B := $(B)/lighttpd
LIGHTTPD_MODS := $(shell sed -n 's/^PLUGIN_INIT(\(mod_[a-z_]*\))$$/\1/p' \
	apps/lighttpd/plugin-static.h)
LIGHTTPD_ELF := $(B)/apps/lighttpd.elf
LIGHTTPD_GLUE := apps/lighttpd/plugin-static.h apps/lighttpd/compat/sys/queue.h
IMAGES += $(LIGHTTPD_ELF)
$(LIGHTTPD_B)/.configured: $(B)/musl/.built tools/rumpxen-cc | deps $(B)/rumpxen/librumpxen.a
	$(call msg,CONFIGURE,lighttpd)
	$(Q)rm -rf $(LIGHTTPD_B) && mkdir -p $(LIGHTTPD_B)/tree $(LIGHTTPD_B)/pkgconfig && \
		cp -a $(CACHE)/src/lighttpd/tree/. $(LIGHTTPD_B)/tree/
	$(Q)cd $(LIGHTTPD_B)/tree && LIGHTTPD_STATIC=yes \
		PKG_CONFIG_LIBDIR=$(abspath $(LIGHTTPD_B))/pkgconfig ./configure \
		--build=$$(gcc -dumpmachine) --host=x86_64-linux-musl \
		CC=$(abspath tools/rumpxen-cc) \
		CPPFLAGS="-I$(abspath apps/lighttpd) -I$(abspath apps/lighttpd/compat)" \
		--disable-shared --without-pcre2 --without-zlib --without-zstd \
		--without-bzip2 --without-brotli --without-libdeflate \
		>configure.log 2>&1 || { tail -n 40 configure.log; exit 1; }
	$(Q)touch $@
# src's generated files first (make builds them only for its own targets).
$(LIGHTTPD_ELF): $(LIGHTTPD_B)/.configured $(LIGHTTPD_GLUE) $(B)/rumpxen/librumpxen.a
	$(call msg,MAKE,lighttpd)
	$(Q)rm -f $(LIGHTTPD_B)/tree/src/lighttpd
	$(Q){ $(MAKE) -C $(LIGHTTPD_B)/tree/src versionstamp parsers && \
		$(MAKE) -C $(LIGHTTPD_B)/tree/src lighttpd \
			am_lighttpd_OBJECTS='$$(am__objects_10) $(LIGHTTPD_MODS:%=lighttpd-%.$$(OBJEXT))'; \
		} >$(LIGHTTPD_B)/make.log \
		2>&1 || { tail -n 40 $(LIGHTTPD_B)/make.log; exit 1; }
	$(Q)mkdir -p $(@D) && cp $(LIGHTTPD_B)/tree/src/lighttpd $@

# The default demo (make run): lighttpd serving apps/lighttpd/site, made
# into the ext2 image its domain config (apps/lighttpd/domain_config)
# attaches read-only.
DEMO_SITE := $(B)/apps/lighttpd-site.img
$(DEMO_SITE): $(shell find apps/lighttpd/site) tools/mkext2 | deps
	$(call msg,MKEXT2,$@)
	$(Q)mkdir -p $(@D) && tools/mkext2 apps/lighttpd/site $@

# The frame echo on the if_virt path (platform/xen/rumpuser/virt.c needs the
# kernel's deliver upcall: the guest, with the model kernel, provides it).
$(eval $(call image,$(B)/tests/system/frame_echo.elf,tests/system/echo/frame_echo.c tests/conformance/model.c platform/xen/rumpuser/virt.c))

# The rumpuser conformance suite, on each platform.
CONFORMANCE_SRCS := $(addprefix tests/conformance/,suite.c suite_sync.c \
	suite_misc.c suite_bio.c model.c)
$(eval $(call image,$(B)/tests/conformance/conformance.elf,$(CONFORMANCE_SRCS) tests/conformance/harness_xen.c))

# platform/posix: the same contract as a host library, built twice, for
# AddressSanitizer and UBSan and for ThreadSanitizer.
# virt.c needs the kernel's deliver upcall: only programs with NetBSD's
# network libraries link it.
POSIX_SRCS := $(filter-out platform/posix/virt.c,$(wildcard platform/posix/*.c)) \
	$(RUMPUSER_SHARED_SRCS)
TSAN_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Iinclude -Ilib -fsanitize=thread \
	-fno-omit-frame-pointer -MMD -MP
$(B)/tsan/%.o: %.c Makefile | deps
	$(call msg,TSANCC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(TSAN_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<
CONFORMANCE_POSIX := $(CONFORMANCE_SRCS) tests/conformance/harness_posix.c \
	$(POSIX_SRCS) $(LIB_SRCS)
HOST_TESTS += $(B)/tests/host/conformance $(B)/tests/host/conformance-tsan
$(B)/tests/host/conformance: $(call host_obj,$(CONFORMANCE_POSIX))
	$(call msg,HOSTLD,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) -o $@ $^ -lpthread
$(B)/tests/host/conformance-tsan: $(patsubst %,$(B)/tsan/%.o,$(basename $(CONFORMANCE_POSIX)))
	$(call msg,HOSTLD,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(TSAN_CFLAGS) -o $@ $^ -lpthread
# The wait mechanism's, the locks', the threads' and the virtual CPU's
# races between threads, under ThreadSanitizer.
KERN_TSAN := $(filter-out kern/start.c,$(KERN_SRCS)) $(POSIX_SRCS) platform/posix/virt.c $(LIB_SRCS)
HOST_TESTS += $(B)/tests/host/kernwait-tsan $(B)/tests/host/kernlock-tsan \
	$(B)/tests/host/kernthread-tsan $(B)/tests/host/kerncpu-tsan
$(B)/tests/host/%-tsan: $(B)/tsan/tests/host/%.o $(patsubst %,$(B)/tsan/%.o,$(basename $(KERN_TSAN))) $(LWIP_TSAN_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(TSAN_CFLAGS) -o $@ $^ -lpthread

# A NetBSD rump kernel to test the rumpuser implementation with (DESIGN.md
# §5a): RUMP_LIBS names a directory of kernel-only librump*.a and their
# include/; ../shared/netbsd-rump when it is there.
RUMP_LIBS ?= $(wildcard ../shared/netbsd-rump)
RUMP_XEN_ARCHIVES = $(addprefix $(RUMP_LIBS)/lib/,librump.a librumpvfs.a \
	librumpfs_tmpfs.a librumpfs_ffs.a librumpdev.a librumpdev_disk.a \
	librumpdev_rnd.a)
RUMP_POSIX_ARCHIVES = $(RUMP_XEN_ARCHIVES)
ifneq ($(RUMP_LIBS),)
$(B)/img/tests/rump/%.o: EXTRA_CFLAGS = -I$(RUMP_LIBS)/include
$(eval $(call image,$(B)/tests/rump/netbsd_rump.elf,tests/rump/netbsd_rump.c tests/rump/harness_xen.c tests/rump/main_xen.c,$(RUMP_XEN_ARCHIVES)))
# With the network libraries too, over netfront (platform/xen/rumpuser/virt.c).
RUMP_XEN_NET_ARCHIVES = $(RUMP_XEN_ARCHIVES) $(addprefix $(RUMP_LIBS)/lib/,\
	librumpnet.a librumpnet_net.a librumpnet_netinet.a librumpnet_config.a \
	librumpnet_virtif.a)
$(eval $(call image,$(B)/tests/rump/netbsd_xennet.elf,tests/rump/netbsd_rump.c tests/rump/harness_xen.c tests/rump/netbsd_xennet.c platform/xen/rumpuser/virt.c,$(RUMP_XEN_NET_ARCHIVES)))
IMAGES += $(B)/tests/rump/mktree $(B)/tests/rump/netbsd_rump_posix \
	$(B)/tests/rump/netbsd_net_posix
# On the host: no sanitizers, since the NetBSD archives were built without
# them; they are not position-independent, so neither is the program.
RUMP_POSIX_SRCS := tests/rump/netbsd_rump.c tests/rump/harness_posix.c \
	$(POSIX_SRCS) $(LIB_SRCS)
PLAIN_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Iinclude -Ilib -MMD -MP
$(B)/plain/%.o: %.c Makefile | deps
	$(call msg,HOSTCC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(PLAIN_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<
$(B)/plain/tests/rump/%.o: EXTRA_CFLAGS = -I$(RUMP_LIBS)/include
$(B)/tests/rump/netbsd_rump_posix: $(patsubst %,$(B)/plain/%.o,$(basename $(RUMP_POSIX_SRCS))) $(RUMP_POSIX_ARCHIVES)
	$(call msg,HOSTLD,$@)
	$(Q)mkdir -p $(@D) && $(CC) -no-pie -o $@ $(filter %.o,$^) \
		-Wl,--whole-archive $(RUMP_POSIX_ARCHIVES) -Wl,--no-whole-archive -lpthread
# NetBSD's TCP/IP on POSIX, over platform/posix/virt.c.
RUMP_NET_ARCHIVES = $(addprefix $(RUMP_LIBS)/lib/,librump.a librumpnet.a \
	librumpnet_net.a librumpnet_netinet.a librumpnet_config.a \
	librumpnet_virtif.a)
RUMP_NET_POSIX_SRCS := tests/rump/netbsd_net.c platform/posix/virt.c \
	$(POSIX_SRCS) $(LIB_SRCS)
$(B)/tests/rump/netbsd_net_posix: $(patsubst %,$(B)/plain/%.o,$(basename $(RUMP_NET_POSIX_SRCS))) $(RUMP_NET_ARCHIVES)
	$(call msg,HOSTLD,$@)
	$(Q)mkdir -p $(@D) && $(CC) -no-pie -o $@ $(filter %.o,$^) \
		-Wl,--whole-archive $(RUMP_NET_ARCHIVES) -Wl,--no-whole-archive -lpthread
endif
$(B)/tests/rump/mktree: tests/rump/mktree.c tests/rump/tree.h
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) -o $@ $<

# platform.h on both platforms.
$(eval $(call image,$(B)/tests/platform/api.elf,tests/platform/api.c))
HOST_PROGRAMS := $(B)/tests/platform/api_posix
$(B)/tests/platform/api_posix: $(call host_obj,tests/platform/api.c $(POSIX_SRCS) $(LIB_SRCS))
	$(call msg,HOSTLD,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) -o $@ $^ -lpthread

$(eval $(call image,$(B)/hello.elf,apps/hello/hello.c))
$(foreach t,$(BOOT_TESTS),$(eval $(call image,$(t),$(t:$(B)/%.elf=%.c))))
$(foreach g,$(GUEST_SRCS),$(eval $(call image,$(patsubst tests/%/guests/,$(B)/tests/%/,$(dir $(g)))$(notdir $(g:.c=.elf)),$(g))))

.PHONY: all deps run check stress bench format format-check clean
all: $(IMAGES) $(DEMO_SITE) $(HOST_TESTS) $(HOST_PROGRAMS) $(B)/symcheck.ok $(XENHOST) $(BENCH_IMAGES) \
	$(B)/libc.check $(B)/kerncheck.ok $(B)/rumpxen/librumpxen.a

# The full Xen host (tools/rumpxen run --xl): dom0's kernel, uncompressed
# (emulated decompression costs seconds), and its initramfs.
$(B)/xenhost/vmlinux: tools/xenhost/extract-vmlinux | deps
	$(call msg,VMLINUX,$@)
	$(Q)mkdir -p $(@D) && tools/xenhost/extract-vmlinux \
		$(CACHE)/xenhost/root/boot/vmlinuz-$$(cat $(CACHE)/xenhost/kernel-version) $@
$(B)/xenhost/dom0.cpio: tools/xenhost/mkinitramfs tools/xenhost/dom0-init \
		tools/xenhost/gntcheck.c tools/xenhost/framecheck.c \
		tools/xenhost/tcpcheck.c tools/xenhost/sockcheck.c tools/xenhost/httpcheck.c \
		tools/xenhost/dnsserve.c tools/xenhost/block tools/xenhost/vif-bridge \
		bench/net/netload.c bench/net/netproto.h bench/net/httpload.c | deps
	$(call msg,INITRAMFS,$@)
	$(Q)mkdir -p $(@D) && tools/xenhost/mkinitramfs $@
$(B)/xenhost/domu.cpio: tools/xenhost/mkdomu | deps
	$(call msg,INITRAMFS,$@)
	$(Q)mkdir -p $(@D) && tools/xenhost/mkdomu $@

# Benchmarks (make bench): our side as images, the Linux domU's as a
# static program in its initramfs.
$(foreach t,$(BENCH_IMAGES),$(eval $(call image,$(t),$(patsubst $(B)/bench/%.elf,bench/guests/%.c,$(t)))))
$(B)/xenhost/blkbench: tools/xenhost/blkbench.c
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D) && $(CC) -static -O2 $(WARN) -pthread -o $@ $<
$(B)/xenhost/domu-blkbench.cpio: tools/xenhost/mkdomu $(B)/xenhost/blkbench | deps
	$(call msg,INITRAMFS,$@)
	$(Q)tools/xenhost/mkdomu $@ $(B)/xenhost/blkbench
# The Linux domU's lighttpd of bench/httpd.sh: the same source, configure
# options and seven modules as $(LIGHTTPD_ELF), built with musl-gcc
# -static (musl-tools, which tools/deps --bench installs) instead of
# tools/rumpxen-cc (libtool links the program statically when its make
# is given -all-static; -static alone it keeps for its own libraries);
# for the benchmark only, not part of all.
LIGHTTPD_LX_B := $(B)/bench/httpd/lighttpd-linux
LIGHTTPD_LX := $(B)/bench/httpd/lighttpd
$(LIGHTTPD_LX_B)/.configured: | deps
	$(call msg,CONFIGURE,lighttpd for Linux)
	$(Q)tools/deps --bench
	$(Q)rm -rf $(LIGHTTPD_LX_B) && mkdir -p $(LIGHTTPD_LX_B)/tree $(LIGHTTPD_LX_B)/pkgconfig && \
		cp -a $(CACHE)/src/lighttpd/tree/. $(LIGHTTPD_LX_B)/tree/
	$(Q)cd $(LIGHTTPD_LX_B)/tree && LIGHTTPD_STATIC=yes \
		PKG_CONFIG_LIBDIR=$(abspath $(LIGHTTPD_LX_B))/pkgconfig ./configure \
		CC=musl-gcc LDFLAGS=-static \
		CPPFLAGS="-I$(abspath apps/lighttpd) -I$(abspath apps/lighttpd/compat)" \
		--disable-shared --without-pcre2 --without-zlib --without-zstd \
		--without-bzip2 --without-brotli --without-libdeflate \
		>configure.log 2>&1 || { tail -n 40 configure.log; exit 1; }
	$(Q)touch $@
$(LIGHTTPD_LX): $(LIGHTTPD_LX_B)/.configured $(LIGHTTPD_GLUE)
	$(call msg,MAKE,lighttpd for Linux)
	$(Q)rm -f $(LIGHTTPD_LX_B)/tree/src/lighttpd
	$(Q){ $(MAKE) -C $(LIGHTTPD_LX_B)/tree/src versionstamp parsers && \
		$(MAKE) -C $(LIGHTTPD_LX_B)/tree/src lighttpd LDFLAGS=-all-static \
			am_lighttpd_OBJECTS='$$(am__objects_10) $(LIGHTTPD_MODS:%=lighttpd-%.$$(OBJEXT))'; \
		} >$(LIGHTTPD_LX_B)/make.log \
		2>&1 || { tail -n 40 $(LIGHTTPD_LX_B)/make.log; exit 1; }
	$(Q)cp $(LIGHTTPD_LX_B)/tree/src/lighttpd $@

# The platforms' global names: rumpuser's and the if_virt hypercalls, the
# platform contract, and each layer's subsystem prefixes. Nothing may clash
# with a NetBSD rump kernel or the libc (tools/symcheck).
PLATFORM_PREFIXES := rumpuser_ rumpcomp_ rumpxen_main platform_ boot_ \
	console_ consring_ crash_exit shutdown_ mm_ pages_ heap_ trap_ traps_ \
	ksyms_ time_ evtchn_ events_ sched_ waitq_ xs_ control_ gnttab_ shared_info \
	xenbus_ blkring_ blkfront_ netring_ netcsum_ netfront_ rumpxen_virt_ \
	hypercall_page \
	_start main posix_ fmt_ num_ cmdline_ runmap_
$(B)/symcheck.ok: tools/symcheck $(XEN_OBJS) $(call host_obj,$(POSIX_SRCS))
	$(call msg,SYMCHECK,platform globals)
	$(Q)tools/symcheck "$(PLATFORM_PREFIXES)" $(filter %.o,$^) && touch $@

deps:
	$(Q)tools/deps

# musl, from the cached source with our overlay (libc/overlay: the files
# that held the syscall instruction), built out of tree. Like the rest of
# an image, without a red zone: Xen pushes exception frames on the
# running stack.
MUSL_OVERLAY := $(shell find libc/overlay -type f)
$(MUSL_B)/.built: $(MUSL_OVERLAY) | deps
	$(call msg,MUSL,$(LIBC))
	$(Q)rm -rf $(MUSL_B) $(MUSL_B)-src && mkdir -p $(MUSL_B) $(MUSL_B)-src
	$(Q)cp -a $(MUSL_SRC)/. $(MUSL_B)-src/ && cp -a libc/overlay/. $(MUSL_B)-src/
	$(Q)cd $(MUSL_B) && CC=$(CC) $(abspath $(MUSL_B))-src/configure \
		--disable-shared --prefix=/ --includedir=/include \
		CFLAGS="-O2 -g -fno-omit-frame-pointer -fno-stack-protector -mno-red-zone" \
		>configure.log 2>&1 || { cat configure.log; exit 1; }
	$(Q)$(MAKE) -s -C $(MUSL_B) lib/libc.a >$(MUSL_B)/build.log 2>&1 || \
		{ tail -n 40 $(MUSL_B)/build.log; exit 1; }
	$(Q)$(MAKE) -s -C $(MUSL_B) install-headers DESTDIR=$(abspath $(MUSL_B)) \
		>>$(MUSL_B)/build.log 2>&1
	$(Q)touch $@
# No syscall instruction may be left in libc.a: the kernel is entered by
# calls only.
$(B)/libc.check: $(MUSL_B)/.built
	$(call msg,CHECK,no syscall instruction in $(LIBC))
	$(Q)if objdump -d $(LIBC) | grep -E '\ssyscall\s*$$'; then \
		echo "libc.a still holds syscall instructions" >&2; exit 1; fi
	$(Q)touch $@
$(LIBC): $(MUSL_B)/.built

$(B)/img/%.o: %.c $(MUSL_B)/.built Makefile
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(IMG_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<
$(B)/img/%.o: %.S $(MUSL_B)/.built Makefile
	$(call msg,AS,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(IMG_CFLAGS) -c -o $@ $<
# The image's name, argv[0] of its rumpxen_main.
$(B)/%.name.o: $(MUSL_B)/.built
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D) && printf 'const char rumpxen_image_name[] = "%s";\n' \
		'$(notdir $*)' | $(CC) $(IMG_CFLAGS) -x c -c -o $@ -
$(B)/host/%.o: %.c Makefile | deps
	$(call msg,HOSTCC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<
$(B)/tests/host/%: $(B)/host/tests/host/%.o $(call host_obj,$(LIB_SRCS))
	$(call msg,HOSTLD,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(HOST_CFLAGS) -o $@ $^
# The ring code of the Xen frontends, against hostile backends.
$(B)/tests/host/blkring: $(call host_obj,platform/xen/dev/blkring.c)
$(B)/tests/host/netring: $(call host_obj,platform/xen/dev/netring.c)
$(B)/tests/host/netcsum: $(call host_obj,platform/xen/dev/netcsum.c)
$(B)/tests/host/kerntso: $(call host_obj,kern/net/tso.c)
# The syscall layer on platform/posix (kern/start.c is the app world's
# door, which the test stands in for).
$(B)/tests/host/kernsys $(B)/tests/host/kernthread $(B)/tests/host/kernvfs $(B)/tests/host/kerncpio $(B)/tests/host/vfsdiff $(B)/tests/host/kernwait \
	$(B)/tests/host/kernlock $(B)/tests/host/kerncpu $(B)/tests/host/kernnet $(B)/tests/host/kernsockopt $(B)/tests/host/sockdiff $(B)/tests/host/kernunix $(B)/tests/host/kernnetlink \
	$(B)/tests/host/kernext2 $(B)/tests/host/kernipc: $(call host_obj,$(filter-out kern/start.c,$(KERN_SRCS)) $(POSIX_SRCS) platform/posix/virt.c) $(LWIP_HOST_OBJS)

# make run: the demo DEMO names. httpd (the default): lighttpd on the full
# Xen host, its port 80 forwarded from 127.0.0.1:PORT; hello: the hello
# guest as dom0, with ARGS.
DEMO ?= httpd
PORT ?= 8080
ifeq ($(DEMO),httpd)
run: $(LIGHTTPD_ELF) $(DEMO_SITE) $(XENHOST) | deps
	tools/rumpxen run --xl --domain-config apps/lighttpd/domain_config \
		--forward 127.0.0.1:$(PORT):80
else ifeq ($(DEMO),hello)
run: $(B)/hello.elf | deps
	tools/rumpxen run $(B)/hello.elf $(ARGS)
else
run:
	@echo "make run: DEMO is httpd (the default) or hello, not $(DEMO)" >&2; exit 2
endif

check: all | deps
	$(Q)tools/rumpxen test $(HOST_TESTS) $(BOOT_TESTS) $(SCRIPT_TESTS)

# Every job of the full host, N times in a row, each round shuffled across
# boots with its own seed (SEED=S replays from S); not part of check.
N ?= 5
stress: all | deps
	$(Q)tools/rumpxen stress --rounds $(N) $(if $(SEED),--seed $(SEED)) $(SCRIPT_TESTS)

# Benchmarks measure and write bench/report.md; they judge nothing.
bench: all $(BENCH_IMAGES) $(B)/xenhost/domu-blkbench.cpio $(LIGHTTPD_LX) | deps
	$(Q)tools/deps --bench
	$(Q)bench/run

FORMAT_SRCS = $(shell find include lib platform kern apps tests bench tools -name '*.[ch]')
format: | deps
	$(Q)clang-format -i $(FORMAT_SRCS)
format-check: | deps
	$(call msg,FORMAT,$(words $(FORMAT_SRCS)) files)
	$(Q)clang-format --dry-run -Werror $(FORMAT_SRCS)

clean:
	rm -rf $(B)

-include $(shell find $(B) -path $(SQLITE_B) -prune -o -name '*.d' -type f -print 2>/dev/null)
