/* SPDX-License-Identifier: Apache-2.0 */
#include <asm/unistd.h>

#include "abi/realm_abi.h"
#include "abi/syscall_layout.h"

/* Negative errno values without <errno.h> (the shim is freestanding). */
#define L_EINVAL 22
#define L_ENOSYS 38
#define L_E2BIG 7
#define L_ENOTTY 25

#define V { FASCO_ARG_VAL, FASCO_NO_LEN, 0, 0, 0 }
#define FD { FASCO_ARG_FD, FASCO_NO_LEN, 0, 0, 0 }
#define DFD { FASCO_ARG_DIRFD, FASCO_NO_LEN, 0, 0, 0 }
#define STR { FASCO_ARG_STR, FASCO_NO_LEN, 0, 0, 0 }
#define IN_FIX(n) { FASCO_ARG_IN, FASCO_NO_LEN, 0, 0, (n) }
#define OUT_FIX(n) { FASCO_ARG_OUT, FASCO_NO_LEN, 0, 0, (n) }
#define INOUT_FIX(n) { FASCO_ARG_INOUT, FASCO_NO_LEN, 0, 0, (n) }
/* Data buffers the host passes to the kernel without reading them. */
#define IN_DATA(a) { FASCO_ARG_IN, (a), FASCO_ARGF_CLAMP | FASCO_ARGF_OPAQUE, 1, 0 }
#define OUT_DATA(a) { FASCO_ARG_OUT, (a), FASCO_ARGF_RET_LEN | FASCO_ARGF_CLAMP | FASCO_ARGF_OPAQUE, 1, 0 }
/* Output whose valid length is the result (directory entries, link text). */
#define OUT_RET(a) { FASCO_ARG_OUT, (a), FASCO_ARGF_RET_LEN | FASCO_ARGF_CLAMP, 1, 0 }
#define INOUT_N(a, u) { FASCO_ARG_INOUT, (a), 0, (u), 0 }
/* Input of args[a] bytes, refused (not shortened) if it does not fit. */
#define IN_LEN(a) { FASCO_ARG_IN, (a), 0, 1, 0 }
/* Socket addresses and options: see FASCO_ARGF_LEN_PTR. */
#define OUT_LENPTR(a, max) { FASCO_ARG_OUT, (a), FASCO_ARGF_LEN_PTR, 0, (max) }
#define OUT_N(a, u) { FASCO_ARG_OUT, (a), 0, (u), 0 }
/* fd_set of args[a] descriptors, read and written */
#define INOUT_BITS(a) { FASCO_ARG_INOUT, (a), FASCO_ARGF_BITS, 0, 0 }

#define SYS(nr_, n_, ...) [__NR_##nr_] = { FASCO_SYS_FORWARD, (n_), 0, #nr_, { __VA_ARGS__ } }
#define SYSFD(nr_, n_, ...) [__NR_##nr_] = { FASCO_SYS_FORWARD, (n_), FASCO_SYSF_RET_FD, #nr_, { __VA_ARGS__ } }
/* Forwarded with a wire format of the shim's own making, not Linux's arguments. */
#define SHIM_MARSHALED(nr_, n_, ...) \
	[__NR_##nr_] = { FASCO_SYS_FORWARD, (n_), FASCO_SYSF_SHIM_MARSHALS, #nr_, { __VA_ARGS__ } }
#define LOCAL(nr_) [__NR_##nr_] = { FASCO_SYS_LOCAL, 0, 0, #nr_, { V } }

/* sizes of the kernel's structures on x86-64 */
#define SZ_STAT 144
#define SZ_STATX 256
#define SZ_STATFS 120
#define SZ_TIMESPEC 16
#define SZ_TIMEVAL 16
#define SZ_UTSNAME 390
#define SZ_RLIMIT 16
#define SZ_RUSAGE 144
#define SZ_SYSINFO 112
#define SZ_TMS 32
#define SZ_FLOCK 32
#define SZ_TERMIOS 36
#define SZ_WINSIZE 8
#define SZ_IFREQ 40 /* struct ifreq: a name, then a union of plain values for these */
#define SZ_SOCKADDR 128 /* sockaddr_storage: the most the kernel writes */
#define SZ_SOCKOPT 256  /* larger than any option a program reads (TCP_INFO 232) */
#define SZ_EPOLL_EVENT 12
#define SZ_SIGSET 8
#define SZ_ITIMERSPEC 32
#define SZ_SIGINFO 128
#define SZ_ITIMERVAL 32
#define SZ_SIGEVENT 64

static const struct fasco_sys_spec table[FASCO_SYSCALL_MAX] = {
	/* the realm's own address space, threads and signals: the shim */
	LOCAL(mmap), LOCAL(mprotect), LOCAL(munmap), LOCAL(brk), LOCAL(mremap),
	LOCAL(madvise), LOCAL(msync), LOCAL(arch_prctl), LOCAL(set_tid_address),
	LOCAL(set_robust_list), LOCAL(rseq), LOCAL(rt_sigaction), LOCAL(rt_sigprocmask),
	LOCAL(sigaltstack), LOCAL(exit), LOCAL(exit_group), LOCAL(futex),
	LOCAL(sched_yield), LOCAL(readv), LOCAL(writev), LOCAL(getpid), LOCAL(gettid),
	/* processes: the shim asks the monitor to fork or replace the realm
	 * (clone is a process only without CLONE_VM: shim/process.c) */
	LOCAL(fork), LOCAL(vfork), LOCAL(execve), LOCAL(rt_sigsuspend), LOCAL(rt_sigreturn),
	/* signals wait in the shim's queue (shim/sigwait.c) */
	LOCAL(pause), LOCAL(rt_sigtimedwait), LOCAL(rt_sigpending),

	/* descriptors and data */
	SYS(read, 3, FD, OUT_DATA(2), V),
	SYS(write, 3, FD, IN_DATA(2), V),
	SYS(pread64, 4, FD, OUT_DATA(2), V, V),
	SYS(pwrite64, 4, FD, IN_DATA(2), V, V),
	SYS(lseek, 3, FD, V, V),
	SYS(close, 1, FD),
	SYS(fstat, 2, FD, OUT_FIX(SZ_STAT)),
	SYS(fstatfs, 2, FD, OUT_FIX(SZ_STATFS)),
	SYS(getdents64, 3, FD, OUT_RET(2), V),
	SYSFD(dup, 1, FD),
	SYS(dup2, 2, FD, V),
	SYS(dup3, 3, FD, V, V),
	SYS(fcntl, 3, FD, V, V), /* arg 2 refined per command */
	SYS(ioctl, 3, FD, V, V), /* arg 2 refined per request */
	SYS(flock, 2, FD, V),
	SYS(fsync, 1, FD),
	SYS(fdatasync, 1, FD),
	SYS(ftruncate, 2, FD, V),
	SYS(fchmod, 2, FD, V),
	SYS(fchown, 3, FD, V, V),
	SYS(fchdir, 1, FD),
	SYS(fadvise64, 4, FD, V, V, V),
	SYS(sendfile, 4, FD, FD, INOUT_FIX(8), V),
	SYS(poll, 3, INOUT_N(1, 8), V, V),
	SYS(ppoll, 5, INOUT_N(1, 8), V, INOUT_FIX(SZ_TIMESPEC), IN_FIX(SZ_SIGSET), V),
	SYS(select, 5, V, INOUT_BITS(0), INOUT_BITS(0), INOUT_BITS(0), INOUT_FIX(SZ_TIMEVAL)),
	/* the sixth argument points to a pointer: the host refuses it unless NULL */
	SYS(pselect6, 6, V, INOUT_BITS(0), INOUT_BITS(0), INOUT_BITS(0), INOUT_FIX(SZ_TIMESPEC), V),
	SYS(pipe, 1, { FASCO_ARG_OUT, FASCO_NO_LEN, FASCO_ARGF_FDS, 0, 8 }),
	SYS(pipe2, 2, { FASCO_ARG_OUT, FASCO_NO_LEN, FASCO_ARGF_FDS, 0, 8 }, V),
	SYS(close_range, 3, V, V, V),

	/* paths */
	SYSFD(open, 3, STR, V, V),
	SYSFD(openat, 4, DFD, STR, V, V),
	SYSFD(creat, 2, STR, V),
	SYS(stat, 2, STR, OUT_FIX(SZ_STAT)),
	SYS(lstat, 2, STR, OUT_FIX(SZ_STAT)),
	SYS(newfstatat, 4, DFD, STR, OUT_FIX(SZ_STAT), V),
	SYS(statx, 5, DFD, STR, V, V, OUT_FIX(SZ_STATX)),
	SYS(statfs, 2, STR, OUT_FIX(SZ_STATFS)),
	SYS(access, 2, STR, V),
	SYS(faccessat, 3, DFD, STR, V),
	SYS(faccessat2, 4, DFD, STR, V, V),
	SYS(readlink, 3, STR, OUT_RET(2), V),
	SYS(readlinkat, 4, DFD, STR, OUT_RET(3), V),
	SYS(getcwd, 2, OUT_RET(1), V),
	SYS(chdir, 1, STR),
	SYS(mkdir, 2, STR, V),
	SYS(mkdirat, 3, DFD, STR, V),
	SYS(rmdir, 1, STR),
	SYS(unlink, 1, STR),
	SYS(unlinkat, 3, DFD, STR, V),
	SYS(rename, 2, STR, STR),
	SYS(renameat, 4, DFD, STR, DFD, STR),
	SYS(renameat2, 5, DFD, STR, DFD, STR, V),
	SYS(link, 2, STR, STR),
	SYS(linkat, 5, DFD, STR, DFD, STR, V),
	SYS(symlink, 2, STR, STR),
	SYS(symlinkat, 3, STR, DFD, STR),
	SYS(chmod, 2, STR, V),
	SYS(fchmodat, 3, DFD, STR, V),
	SYS(chown, 3, STR, V, V),
	SYS(lchown, 3, STR, V, V),
	SYS(fchownat, 5, DFD, STR, V, V, V),
	SYS(truncate, 2, STR, V),
	SYS(utimensat, 4, DFD, STR, IN_FIX(2 * SZ_TIMESPEC), V),
	SYS(mknodat, 4, DFD, STR, V, V),
	SYS(umask, 1, V),
	SYS(sync, 0, V),
	/* extended attributes, read only (ls -l asks for ACLs and labels) */
	SYS(getxattr, 4, STR, STR, OUT_RET(3), V),
	SYS(lgetxattr, 4, STR, STR, OUT_RET(3), V),
	SYS(fgetxattr, 4, FD, STR, OUT_RET(3), V),
	SYS(listxattr, 3, STR, OUT_RET(2), V),
	SYS(llistxattr, 3, STR, OUT_RET(2), V),
	SYS(flistxattr, 3, FD, OUT_RET(2), V),

	/* identity, time and limits */
	SYS(getppid, 0, V), SYS(getuid, 0, V), SYS(geteuid, 0, V), SYS(getgid, 0, V),
	SYS(getegid, 0, V), SYS(getpgrp, 0, V), SYS(getpgid, 1, V), SYS(getsid, 1, V),
	SYS(setpgid, 2, V, V),
	SYS(getgroups, 2, V, OUT_N(0, 4)),
	SYS(getresuid, 3, OUT_FIX(4), OUT_FIX(4), OUT_FIX(4)),
	SYS(getresgid, 3, OUT_FIX(4), OUT_FIX(4), OUT_FIX(4)),
	SYS(uname, 1, OUT_FIX(SZ_UTSNAME)),
	SYS(sysinfo, 1, OUT_FIX(SZ_SYSINFO)),
	SYS(times, 1, OUT_FIX(SZ_TMS)),
	SYS(getrlimit, 2, V, OUT_FIX(SZ_RLIMIT)),
	SYS(getrusage, 2, V, OUT_FIX(SZ_RUSAGE)),
	SYS(prlimit64, 4, V, V, IN_FIX(SZ_RLIMIT), OUT_FIX(SZ_RLIMIT)),
	SYS(sched_getaffinity, 3, V, V, OUT_RET(1)),
	SYS(getrandom, 3, OUT_DATA(1), V, V),
	SYS(clock_gettime, 2, V, OUT_FIX(SZ_TIMESPEC)),
	SYS(clock_getres, 2, V, OUT_FIX(SZ_TIMESPEC)),
	SYS(gettimeofday, 2, OUT_FIX(SZ_TIMEVAL), OUT_FIX(8)),
	SYS(time, 1, OUT_FIX(8)),
	SYSFD(timerfd_create, 2, V, V),
	SYS(timerfd_settime, 4, FD, V, IN_FIX(SZ_ITIMERSPEC), OUT_FIX(SZ_ITIMERSPEC)),
	SYS(timerfd_gettime, 2, FD, OUT_FIX(SZ_ITIMERSPEC)),
	SYS(nanosleep, 2, IN_FIX(SZ_TIMESPEC), OUT_FIX(SZ_TIMESPEC)),
	SYS(clock_nanosleep, 4, V, V, IN_FIX(SZ_TIMESPEC), OUT_FIX(SZ_TIMESPEC)),

	/* sockets, in the system realm's network namespace */
	SYSFD(socket, 3, V, V, V),
	SYS(socketpair, 4, V, V, V, { FASCO_ARG_OUT, FASCO_NO_LEN, FASCO_ARGF_FDS, 0, 8 }),
	SYS(bind, 3, FD, IN_LEN(2), V),
	SYS(connect, 3, FD, IN_LEN(2), V),
	SYS(listen, 2, FD, V),
	SYSFD(accept, 3, FD, OUT_LENPTR(2, SZ_SOCKADDR), INOUT_FIX(4)),
	SYSFD(accept4, 4, FD, OUT_LENPTR(2, SZ_SOCKADDR), INOUT_FIX(4), V),
	SYS(getsockname, 3, FD, OUT_LENPTR(2, SZ_SOCKADDR), INOUT_FIX(4)),
	SYS(getpeername, 3, FD, OUT_LENPTR(2, SZ_SOCKADDR), INOUT_FIX(4)),
	SYS(setsockopt, 5, FD, V, V, IN_LEN(4), V),
	SYS(getsockopt, 5, FD, V, V, OUT_LENPTR(4, SZ_SOCKOPT), INOUT_FIX(4)),
	SYS(sendto, 6, FD, IN_DATA(2), V, V, IN_LEN(5), V),
	SYS(recvfrom, 6, FD, OUT_DATA(2), V, V, OUT_LENPTR(5, SZ_SOCKADDR), INOUT_FIX(4)),
	/* flattened by the shim (vector_io.c, abi/msg_wire.h) */
	SHIM_MARSHALED(sendmsg, 6, FD, IN_LEN(2), V, IN_DATA(4), V, V),
	SHIM_MARSHALED(recvmsg, 6, FD, INOUT_N(2, 1), V, OUT_DATA(4), V, V),
	SYS(shutdown, 2, FD, V),

	/* readiness */
	SYSFD(eventfd, 1, V),
	SYSFD(eventfd2, 2, V, V),
	SYSFD(epoll_create, 1, V),
	SYSFD(epoll_create1, 1, V),
	SYS(epoll_ctl, 4, FD, V, FD, IN_FIX(SZ_EPOLL_EVENT)),
	SYS(epoll_wait, 4, FD, OUT_N(2, SZ_EPOLL_EVENT), V, V),
	SYS(epoll_pwait, 6, FD, OUT_N(2, SZ_EPOLL_EVENT), V, V, IN_FIX(8), V),
	/* signalfds are pipes the host keeps readable (sysrealm/signalfd.c);
	 * the first argument is a realm descriptor or -1 */
	SYS(signalfd, 3, V, IN_FIX(SZ_SIGSET), V),
	SYS(signalfd4, 4, V, IN_FIX(SZ_SIGSET), V, V),

	/* processes: the host's process tree mirrors the realm's; signals
	 * reach only realms of the same tree (sysrealm/process_calls.c) */
	SYS(wait4, 4, V, OUT_FIX(4), V, OUT_FIX(SZ_RUSAGE)),
	SYS(waitid, 5, V, V, OUT_FIX(SZ_SIGINFO), V, OUT_FIX(SZ_RUSAGE)),
	SYS(kill, 2, V, V), SYS(tkill, 2, V, V), SYS(tgkill, 3, V, V, V),
	SYS(setsid, 0, V),
	/* timers: the host kernel signals the realm's monitor, which passes
	 * the signal on (lib/core/signals.c) */
	SYS(alarm, 1, V),
	SYS(setitimer, 3, V, IN_FIX(SZ_ITIMERVAL), OUT_FIX(SZ_ITIMERVAL)),
	SYS(getitimer, 2, V, OUT_FIX(SZ_ITIMERVAL)),
	SYS(timer_create, 3, V, IN_FIX(SZ_SIGEVENT), OUT_FIX(4)),
	SYS(timer_settime, 4, V, V, IN_FIX(SZ_ITIMERSPEC), OUT_FIX(SZ_ITIMERSPEC)),
	SYS(timer_gettime, 2, V, OUT_FIX(SZ_ITIMERSPEC)),
	SYS(timer_getoverrun, 1, V), SYS(timer_delete, 1, V),
};

const struct fasco_sys_spec *fasco_sys_spec(uint64_t nr)
{
	if (nr >= FASCO_SYSCALL_MAX)
		return 0;
	return &table[nr];
}

/*
 * The third argument of ioctl(), by request: only terminal queries and
 * network interface queries (whose struct ifreq holds no pointer) pass.
 */
static int ioctl_arg(uint64_t request, struct fasco_arg_spec *a)
{
	static const struct {
		uint32_t request;
		uint8_t kind;
		uint16_t size;
	} known[] = {
		{ 0x5401, FASCO_ARG_OUT, SZ_TERMIOS },  /* TCGETS */
		{ 0x5402, FASCO_ARG_IN, SZ_TERMIOS },   /* TCSETS */
		{ 0x5403, FASCO_ARG_IN, SZ_TERMIOS },   /* TCSETSW */
		{ 0x5404, FASCO_ARG_IN, SZ_TERMIOS },   /* TCSETSF */
		{ 0x540f, FASCO_ARG_OUT, 4 },           /* TIOCGPGRP */
		{ 0x5410, FASCO_ARG_IN, 4 },            /* TIOCSPGRP */
		{ 0x5413, FASCO_ARG_OUT, SZ_WINSIZE },  /* TIOCGWINSZ */
		{ 0x5414, FASCO_ARG_IN, SZ_WINSIZE },   /* TIOCSWINSZ */
		{ 0x541b, FASCO_ARG_OUT, 4 },           /* FIONREAD */
		{ 0x5421, FASCO_ARG_IN, 4 },            /* FIONBIO */
		{ 0x5450, FASCO_ARG_VAL, 0 },           /* FIONCLEX */
		{ 0x5451, FASCO_ARG_VAL, 0 },           /* FIOCLEX */
		{ 0x8910, FASCO_ARG_INOUT, SZ_IFREQ },  /* SIOCGIFNAME */
		{ 0x8913, FASCO_ARG_INOUT, SZ_IFREQ },  /* SIOCGIFFLAGS */
		{ 0x8915, FASCO_ARG_INOUT, SZ_IFREQ },  /* SIOCGIFADDR */
		{ 0x8919, FASCO_ARG_INOUT, SZ_IFREQ },  /* SIOCGIFBRDADDR */
		{ 0x891b, FASCO_ARG_INOUT, SZ_IFREQ },  /* SIOCGIFNETMASK */
		{ 0x8921, FASCO_ARG_INOUT, SZ_IFREQ },  /* SIOCGIFMTU */
		{ 0x8927, FASCO_ARG_INOUT, SZ_IFREQ },  /* SIOCGIFHWADDR */
		{ 0x8933, FASCO_ARG_INOUT, SZ_IFREQ },  /* SIOCGIFINDEX */
		{ 0x8942, FASCO_ARG_INOUT, SZ_IFREQ },  /* SIOCGIFTXQLEN */
	};

	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (known[i].request == (uint32_t)request) {
			a->kind = known[i].kind;
			a->len_arg = FASCO_NO_LEN;
			a->fixed = known[i].size;
			return 0;
		}
	}
	return -L_ENOTTY;
}

/* The third argument of fcntl(), by command. */
static int fcntl_arg(uint64_t cmd, struct fasco_arg_spec *a)
{
	switch (cmd) {
	case 5:  /* F_GETLK */
	case 36: /* F_OFD_GETLK */
		a->kind = FASCO_ARG_INOUT;
		break;
	case 6: case 7:   /* F_SETLK, F_SETLKW */
	case 37: case 38: /* F_OFD_SETLK, F_OFD_SETLKW */
		a->kind = FASCO_ARG_IN;
		break;
	case 0: case 1030:          /* F_DUPFD, F_DUPFD_CLOEXEC */
	case 1: case 2: case 3: case 4: /* F_GETFD, F_SETFD, F_GETFL, F_SETFL */
	case 1031: case 1032:       /* F_SETPIPE_SZ, F_GETPIPE_SZ */
		return 0;
	default:
		return -L_EINVAL;
	}
	a->len_arg = FASCO_NO_LEN;
	a->fixed = SZ_FLOCK;
	return 0;
}

static uint64_t arg_length(const struct fasco_arg_spec *a, const uint64_t args[6])
{
	uint64_t unit = a->unit ? a->unit : 1;

	if (a->len_arg == FASCO_NO_LEN || (a->flags & FASCO_ARGF_LEN_PTR))
		return a->fixed;
	/* a huge count is caught by the capacity check, not by overflow */
	if (args[a->len_arg] > FASCO_SLOT_DATA_MAX)
		return (uint64_t)FASCO_SLOT_DATA_MAX + 1;
	if (a->flags & FASCO_ARGF_BITS)
		return (args[a->len_arg] + 63) / 64 * 8;
	return args[a->len_arg] * unit;
}

int fasco_sys_layout(uint64_t nr, uint64_t args[6], uint32_t ptr_mask, int clamp,
		     struct fasco_layout *out)
{
	const struct fasco_sys_spec *spec = fasco_sys_spec(nr);
	uint32_t pos = 0;
	int ret;

	if (!spec || spec->kind != FASCO_SYS_FORWARD)
		return -L_ENOSYS;

	for (unsigned i = 0; i < 6; i++) {
		struct fasco_arg_spec a = spec->arg[i];
		uint64_t len;

		if (i >= spec->nargs)
			a.kind = FASCO_ARG_VAL;
		if (i == 2 && nr == __NR_ioctl && (ret = ioctl_arg(args[1], &a)) < 0)
			return ret;
		if (i == 2 && nr == __NR_fcntl && (ret = fcntl_arg(args[1], &a)) < 0)
			return ret;

		out->kind[i] = a.kind;
		out->flags[i] = a.flags;
		out->off[i] = pos;
		out->len[i] = 0;
		if (a.kind < FASCO_ARG_STR || !(ptr_mask & (1u << i)))
			continue;

		if (a.kind == FASCO_ARG_STR) {
			len = args[i];
			if (len == 0 || len > FASCO_PATH_MAX)
				return -L_EINVAL;
		} else {
			len = arg_length(&a, args);
		}
		if (len > FASCO_SLOT_DATA_MAX - pos) {
			if (!clamp || !(a.flags & FASCO_ARGF_CLAMP))
				return -L_E2BIG;
			len = FASCO_SLOT_DATA_MAX - pos;
			args[a.len_arg] = len; /* a short read or write */
		}
		out->len[i] = (uint32_t)len;
		pos += (uint32_t)len;
		pos = (pos + 7u) & ~7u; /* keep every buffer 8-byte aligned */
		if (pos > FASCO_SLOT_DATA_MAX)
			pos = FASCO_SLOT_DATA_MAX;
	}
	out->total = pos;
	return 0;
}
