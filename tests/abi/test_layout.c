/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fasco_sys_layout(), the marshalling table shared by the shim and the host:
 * every forwarded call yields buffers inside the slot's data area, clamped
 * where the table allows and refused where it does not; hostile arguments
 * (huge or negative lengths, lengths whose product overflows, unknown numbers,
 * ioctl and fcntl commands outside the table) never produce a layout that
 * leaves the slot. The shim's clamped layout is the one the host recomputes.
 */
#include <asm/unistd.h>
#include <stdio.h>

#include "../check_suite.h"
#include "abi/realm_abi.h"
#include "abi/syscall_layout.h"

#define DATA_MAX FASCO_SLOT_DATA_MAX
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng_state;

static uint64_t rnd(void)
{
	return test_rand(&rng_state);
}

/* Argument values a hostile realm would try, and a few ordinary ones. */
static uint64_t hostile_value(void)
{
	static const uint64_t v[] = {
		0, 1, 7, 8, 36, 4095, 4096, 4097, DATA_MAX - 1, DATA_MAX, DATA_MAX + 1,
		FASCO_SLOT_SIZE, 0x7fffffff, 0x80000000, 0xffffffff, 1ull << 32, 1ull << 61,
		1ull << 62, 1ull << 63, UINT64_MAX, UINT64_MAX - 7, (uint64_t)-4096,
		0x5401, 0x5413, 0x5412, 5, 6, 1030, 1033,
	};
	uint64_t r = rnd();

	return r % 4 == 0 ? r : r % 4 == 1 ? r % 70000 : v[r % NELEM(v)];
}

static int forwarded(uint64_t nr)
{
	const struct fasco_sys_spec *s = fasco_sys_spec(nr);

	return s && s->kind == FASCO_SYS_FORWARD;
}

/*
 * What every accepted layout promises the host: buffers 8-byte aligned,
 * inside the data area and apart from each other; nothing for value
 * arguments and absent pointers; strings of an allowed length.
 */
static void check_layout(uint64_t nr, const uint64_t args[6], uint32_t mask,
			 const struct fasco_layout *l)
{
	ck_assert_uint_le(l->total, DATA_MAX);
	for (unsigned i = 0; i < 6; i++) {
		int buffer = l->kind[i] >= FASCO_ARG_STR && (mask >> i & 1);

		ck_assert_uint_le(l->kind[i], FASCO_ARG_INOUT);
		ck_assert_msg(buffer || l->len[i] == 0, "nr %llu arg %u: %u bytes for a value",
			      (unsigned long long)nr, i, l->len[i]);
		ck_assert_uint_eq(l->off[i] % 8, 0);
		ck_assert_uint_le(l->off[i], l->total);
		ck_assert_uint_le(l->len[i], l->total - l->off[i]);
		if (l->kind[i] == FASCO_ARG_STR && buffer) {
			ck_assert_uint_eq(l->len[i], args[i]);
			ck_assert_uint_ge(l->len[i], 1);
			ck_assert_uint_le(l->len[i], FASCO_PATH_MAX);
		}
		for (unsigned j = 0; j < i; j++)
			ck_assert_msg(l->len[i] == 0 || l->len[j] == 0 || l->off[j] + l->len[j] <= l->off[i],
				      "nr %llu: arguments %u and %u overlap", (unsigned long long)nr, j, i);
	}
}

/* The length the table asks for, recomputed here without the library. */
static int expected_len(const struct fasco_arg_spec *a, const uint64_t args[6], uint64_t *len)
{
	uint64_t unit = a->unit ? a->unit : 1;

	if (a->len_arg == FASCO_NO_LEN || (a->flags & FASCO_ARGF_LEN_PTR)) {
		*len = a->fixed;
		return 1;
	}
	if (args[a->len_arg] > UINT64_MAX / unit)
		return 0;
	*len = args[a->len_arg] * unit;
	if (a->flags & FASCO_ARGF_BITS) /* fd_set: whole 64-bit words of bits */
		*len = (args[a->len_arg] + 63) / 64 * 8;
	return 1;
}

START_TEST(table_is_consistent)
{
	unsigned n_forward = 0;

	ck_assert_ptr_null(fasco_sys_spec(FASCO_SYSCALL_MAX));
	ck_assert_ptr_null(fasco_sys_spec(UINT64_MAX));
	for (uint64_t nr = 0; nr < FASCO_SYSCALL_MAX; nr++) {
		const struct fasco_sys_spec *s = fasco_sys_spec(nr);

		ck_assert_ptr_nonnull(s);
		ck_assert_uint_le(s->kind, FASCO_SYS_FORWARD);
		if (s->kind == FASCO_SYS_UNSUPPORTED)
			continue;
		ck_assert_ptr_nonnull(s->name);
		ck_assert_uint_le(s->nargs, 6);
		if (s->kind != FASCO_SYS_FORWARD)
			continue;
		n_forward++;
		for (unsigned i = 0; i < s->nargs; i++) {
			const struct fasco_arg_spec *a = &s->arg[i];

			ck_assert_uint_le(a->kind, FASCO_ARG_INOUT);
			ck_assert_uint_le(a->fixed, DATA_MAX);
			if (a->flags & FASCO_ARGF_LEN_PTR) {
				/* a socklen_t * of the same call caps the copy back */
				ck_assert_msg(a->kind == FASCO_ARG_OUT && a->len_arg < s->nargs &&
						      s->arg[a->len_arg].kind == FASCO_ARG_INOUT &&
						      s->arg[a->len_arg].fixed == 4 && a->fixed > 0,
					      "%s arg %u", s->name, i);
			} else if (a->len_arg != FASCO_NO_LEN) {
				/* the length is a plain value argument of the same call */
				ck_assert_msg(a->len_arg < s->nargs && a->len_arg != i, "%s arg %u", s->name, i);
				ck_assert_uint_eq(s->arg[a->len_arg].kind, FASCO_ARG_VAL);
				ck_assert_uint_eq(a->fixed, 0);
			}
			if (a->kind == FASCO_ARG_STR)
				ck_assert_uint_eq(a->len_arg, FASCO_NO_LEN);
			/* clamping rewrites a byte count: only unit-1 buffers */
			if (a->flags & FASCO_ARGF_CLAMP)
				ck_assert_msg(a->len_arg != FASCO_NO_LEN && a->unit <= 1, "%s arg %u", s->name, i);
			if (a->flags & FASCO_ARGF_FDS)
				ck_assert(a->kind == FASCO_ARG_OUT && a->fixed == 8);
		}
	}
	ck_assert_uint_gt(n_forward, 90);
}
END_TEST

START_TEST(unknown_numbers_refused)
{
	/* out of the table, not in it, or served inside the realm (never marshalled) */
	const uint64_t nrs[] = {
		FASCO_SYSCALL_MAX, FASCO_SYSCALL_MAX + 1, 1ull << 32, 1ull << 63, UINT64_MAX,
		__NR_execve, __NR_clone, __NR_fork, __NR_vfork, __NR_clone3, __NR_execveat,
		__NR_ptrace, __NR_mount, __NR_reboot, __NR_init_module,
		__NR_io_uring_setup, __NR_process_vm_readv, __NR_process_vm_writev, __NR_preadv,
		__NR_pwritev, __NR_preadv2, __NR_pwritev2, __NR_vmsplice, __NR_kexec_load, __NR_bpf,
		__NR_mmap, __NR_brk, __NR_readv, __NR_writev, __NR_exit_group, __NR_arch_prctl,
	};
	uint64_t args[6] = { 1, 2, 3, 4, 5, 6 };
	struct fasco_layout l;

	for (unsigned i = 0; i < NELEM(nrs); i++) {
		ck_assert_msg(!forwarded(nrs[i]), "nr %llu is forwarded", (unsigned long long)nrs[i]);
		ck_assert_int_eq(fasco_sys_layout(nrs[i], args, 0x3f, 0, &l), -ENOSYS);
		ck_assert_int_eq(fasco_sys_layout(nrs[i], args, 0x3f, 1, &l), -ENOSYS);
	}
}
END_TEST

/*
 * Every forwarded call with hostile arguments, every pointer present: an
 * error the header names, or a layout that keeps every promise. The host
 * (clamp off) never touches args; the shim (clamp on) only shortens byte
 * counts of buffers marked FASCO_ARGF_CLAMP, and the host accepts exactly the
 * layout the shim computed.
 */
START_TEST(hostile_arguments_stay_in_bounds)
{
	unsigned ok = 0, clamped = 0, refused = 0;

	rng_state = 0x9e3779b97f4a7c15ull;
	for (uint64_t nr = 0; nr < FASCO_SYSCALL_MAX; nr++) {
		const struct fasco_sys_spec *s = fasco_sys_spec(nr);

		if (!forwarded(nr))
			continue;
		for (unsigned round = 0; round < 600; round++) {
			uint64_t args[6], orig[6];
			uint32_t mask = round % 3 ? 0x3f : (uint32_t)rnd();
			struct fasco_layout host, shim, again;
			int rh, rs;

			for (unsigned i = 0; i < 6; i++)
				args[i] = orig[i] = hostile_value();
			rh = fasco_sys_layout(nr, args, mask, 0, &host);
			ck_assert_mem_eq(args, orig, sizeof(args));
			rs = fasco_sys_layout(nr, args, mask, 1, &shim);
			ck_assert_msg(rh == 0 || rh == -E2BIG || rh == -EINVAL || rh == -ENOTTY,
				      "%s: %d", s->name, rh);
			if (rh == 0) {
				check_layout(nr, orig, mask, &host);
				/* what fits is never shortened */
				ck_assert_int_eq(rs, 0);
				ck_assert_mem_eq(args, orig, sizeof(args));
				ck_assert_mem_eq(&host, &shim, sizeof(host));
				ok++;
				continue;
			}
			if (rs < 0) {
				ck_assert_int_eq(rs, rh);
				refused++;
				continue;
			}
			/* only too-long clampable buffers are shortened */
			ck_assert_int_eq(rh, -E2BIG);
			check_layout(nr, args, mask, &shim);
			for (unsigned i = 0; i < 6; i++) {
				if (args[i] == orig[i])
					continue;
				ck_assert_uint_lt(args[i], orig[i]);
				for (unsigned j = 0; j < s->nargs; j++)
					if (s->arg[j].len_arg == i)
						ck_assert(s->arg[j].flags & FASCO_ARGF_CLAMP);
			}
			ck_assert_int_eq(fasco_sys_layout(nr, args, mask, 0, &again), 0);
			ck_assert_mem_eq(&again, &shim, sizeof(again));
			clamped++;
		}
	}
	ck_assert_uint_gt(ok, 1000);
	ck_assert_uint_gt(clamped, 1000);
	ck_assert_uint_gt(refused, 1000);
}
END_TEST

/* Lengths of accepted layouts match the table, recomputed independently. */
START_TEST(lengths_follow_the_table)
{
	rng_state = 42;
	for (uint64_t nr = 0; nr < FASCO_SYSCALL_MAX; nr++) {
		const struct fasco_sys_spec *s = fasco_sys_spec(nr);

		if (!forwarded(nr) || nr == __NR_ioctl || nr == __NR_fcntl)
			continue;
		for (unsigned round = 0; round < 500; round++) {
			uint64_t args[6];
			struct fasco_layout l;

			for (unsigned i = 0; i < 6; i++)
				args[i] = rnd() % 5000;
			if (fasco_sys_layout(nr, args, 0x3f, 0, &l) < 0)
				continue;
			for (unsigned i = 0; i < s->nargs; i++) {
				uint64_t want = 0;

				if (s->arg[i].kind == FASCO_ARG_STR)
					want = args[i];
				else if (s->arg[i].kind >= FASCO_ARG_IN)
					ck_assert(expected_len(&s->arg[i], args, &want));
				ck_assert_msg(l.len[i] == want, "%s arg %u: %u bytes, expected %llu", s->name,
					      i, l.len[i], (unsigned long long)want);
			}
		}
	}
}
END_TEST

/* Byte counts of read-like and write-like calls are clamped by the shim. */
START_TEST(data_buffers_clamped)
{
	const struct {
		uint64_t nr;
		unsigned buf, len_arg;
	} calls[] = {
		{ __NR_read, 1, 2 }, { __NR_write, 1, 2 }, { __NR_pread64, 1, 2 }, { __NR_pwrite64, 1, 2 },
		{ __NR_getdents64, 1, 2 }, { __NR_getrandom, 0, 1 }, { __NR_getcwd, 0, 1 },
		{ __NR_sched_getaffinity, 2, 1 },
	};
	const uint64_t counts[] = { DATA_MAX + 1, FASCO_SLOT_SIZE, 1ull << 32, 1ull << 63,
				    UINT64_MAX, (uint64_t)-1 /* a negative count */ };
	struct fasco_layout l;

	for (unsigned c = 0; c < NELEM(calls); c++) {
		for (unsigned k = 0; k < NELEM(counts); k++) {
			uint64_t args[6] = { 3, 0, 0, 0, 0, 0 };

			args[calls[c].len_arg] = counts[k];
			ck_assert_int_eq(fasco_sys_layout(calls[c].nr, args, 0x3f, 0, &l), -E2BIG);
			ck_assert_uint_eq(args[calls[c].len_arg], counts[k]);
			ck_assert_int_eq(fasco_sys_layout(calls[c].nr, args, 0x3f, 1, &l), 0);
			ck_assert_uint_eq(args[calls[c].len_arg], DATA_MAX);
			ck_assert_uint_eq(l.off[calls[c].buf], 0);
			ck_assert_uint_eq(l.len[calls[c].buf], DATA_MAX);
			ck_assert_uint_eq(l.total, DATA_MAX);
		}
		/* exactly the data area: no clamping needed */
		uint64_t args[6] = { 3, 0, 0, 0, 0, 0 };

		args[calls[c].len_arg] = DATA_MAX;
		ck_assert_int_eq(fasco_sys_layout(calls[c].nr, args, 0x3f, 0, &l), 0);
		ck_assert_uint_eq(l.total, DATA_MAX);
	}
}
END_TEST

/* A string first, then a clamped output: the output gets what is left. */
START_TEST(clamp_after_string)
{
	uint64_t args[6] = { 11, 0, UINT64_MAX, 0, 0, 0 };
	struct fasco_layout l;

	ck_assert_int_eq(fasco_sys_layout(__NR_readlink, args, 0x3, 1, &l), 0);
	ck_assert_uint_eq(l.off[0], 0);
	ck_assert_uint_eq(l.len[0], 11);
	ck_assert_uint_eq(l.off[1], 16);
	ck_assert_uint_eq(l.len[1], DATA_MAX - 16);
	ck_assert_uint_eq(args[2], DATA_MAX - 16);
	ck_assert_uint_eq(l.total, DATA_MAX);
}
END_TEST

/* Counted arrays are not clamped: a huge count is refused, and a count
 * whose byte size overflows 64 bits must not wrap to a small buffer. */
START_TEST(counted_arrays_refused)
{
	const uint64_t counts[] = { DATA_MAX / 4 + 1, 1ull << 32, 1ull << 61, 1ull << 62, 1ull << 63,
				    UINT64_MAX, (uint64_t)-1, (uint64_t)-2 };
	struct fasco_layout l;

	for (unsigned k = 0; k < NELEM(counts); k++) {
		uint64_t poll[6] = { 0x1000, counts[k], 0, 0, 0, 0 };
		uint64_t groups[6] = { counts[k], 0x1000, 0, 0, 0, 0 };

		for (int clamp = 0; clamp <= 1; clamp++) {
			ck_assert_int_eq(fasco_sys_layout(__NR_poll, poll, 0x1, clamp, &l), -E2BIG);
			ck_assert_int_eq(fasco_sys_layout(__NR_getgroups, groups, 0x2, clamp, &l), -E2BIG);
			ck_assert_uint_eq(poll[1], counts[k]);
			ck_assert_uint_eq(groups[0], counts[k]);
		}
	}
	/* the largest that fits */
	uint64_t poll[6] = { 0x1000, DATA_MAX / 8, 0, 0, 0, 0 };

	ck_assert_int_eq(fasco_sys_layout(__NR_poll, poll, 0x1, 0, &l), 0);
	ck_assert_uint_eq(l.len[0], DATA_MAX);
	ck_assert_uint_eq(l.kind[0], FASCO_ARG_INOUT);
}
END_TEST

START_TEST(string_lengths)
{
	const uint64_t bad[] = { 0, FASCO_PATH_MAX + 1, DATA_MAX, UINT64_MAX, 1ull << 32 };
	struct fasco_layout l;

	for (unsigned k = 0; k < NELEM(bad); k++) {
		uint64_t args[6] = { bad[k], 0, 0, 0, 0, 0 };

		ck_assert_int_eq(fasco_sys_layout(__NR_chdir, args, 0x1, 0, &l), -EINVAL);
		ck_assert_int_eq(fasco_sys_layout(__NR_chdir, args, 0x1, 1, &l), -EINVAL);
	}
	/* the longest path, twice, and a NULL one that takes no room */
	uint64_t args[6] = { -100, FASCO_PATH_MAX, -100, FASCO_PATH_MAX, 0, 0 };

	ck_assert_int_eq(fasco_sys_layout(__NR_renameat2, args, 0xa, 0, &l), 0);
	ck_assert_uint_eq(l.len[1], FASCO_PATH_MAX);
	ck_assert_uint_eq(l.off[3], FASCO_PATH_MAX);
	ck_assert_uint_eq(l.total, 2 * FASCO_PATH_MAX);
	ck_assert_int_eq(fasco_sys_layout(__NR_renameat2, args, 0x2, 0, &l), 0);
	ck_assert_uint_eq(l.len[3], 0);
	ck_assert_uint_eq(l.total, FASCO_PATH_MAX);
}
END_TEST

/* Mask bits above the six arguments, or on value arguments, take no room. */
START_TEST(mask_bits_without_buffers)
{
	uint64_t args[6] = { 1, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX };
	struct fasco_layout l;

	ck_assert_int_eq(fasco_sys_layout(__NR_lseek, args, 0xffffffffu, 0, &l), 0);
	ck_assert_uint_eq(l.total, 0);
	ck_assert_int_eq(fasco_sys_layout(__NR_fstat, args, 0xffffffc0u, 0, &l), 0);
	ck_assert_uint_eq(l.total, 0);
	ck_assert_int_eq(fasco_sys_layout(__NR_fstat, args, 0x2, 0, &l), 0);
	ck_assert_uint_eq(l.len[1], 144);
	ck_assert_uint_eq(l.kind[1], FASCO_ARG_OUT);
}
END_TEST

/* ioctl: only the terminal requests of the table, with their sizes. */
START_TEST(ioctl_requests)
{
	const struct {
		uint64_t req;
		int ret;
		uint8_t kind;
		uint32_t len;
	} cases[] = {
		{ 0x5401, 0, FASCO_ARG_OUT, 36 },             /* TCGETS */
		{ 0x5402, 0, FASCO_ARG_IN, 36 },              /* TCSETS */
		{ 0x5413, 0, FASCO_ARG_OUT, 8 },              /* TIOCGWINSZ */
		{ 0x5414, 0, FASCO_ARG_IN, 8 },               /* TIOCSWINSZ */
		{ 0x541b, 0, FASCO_ARG_OUT, 4 },              /* FIONREAD */
		{ 0x5451, 0, FASCO_ARG_VAL, 0 },              /* FIOCLEX */
		/* the kernel reads the request as 32 bits, and so does the table */
		{ 0xffffffff00005401ull, 0, FASCO_ARG_OUT, 36 },
		{ 0x5412, -ENOTTY, 0, 0 },                    /* TIOCSTI: typing into a terminal */
		{ 0x541c, -ENOTTY, 0, 0 },                    /* TIOCLINUX */
		{ 0x5422, -ENOTTY, 0, 0 },                    /* TIOCNOTTY */
		{ 0xc0045877, -ENOTTY, 0, 0 },                /* FIFREEZE */
		{ 0x4008ae6a, -ENOTTY, 0, 0 },                /* a KVM request */
		{ 0, -ENOTTY, 0, 0 },
		{ UINT64_MAX, -ENOTTY, 0, 0 },
	};

	for (unsigned c = 0; c < NELEM(cases); c++) {
		uint64_t args[6] = { 1, cases[c].req, 0x1000, 0, 0, 0 };
		struct fasco_layout l;

		ck_assert_int_eq(fasco_sys_layout(__NR_ioctl, args, 0x4, 0, &l), cases[c].ret);
		if (cases[c].ret)
			continue;
		ck_assert_uint_eq(l.kind[2], cases[c].kind);
		ck_assert_uint_eq(l.len[2], cases[c].len);
	}
}
END_TEST

/* fcntl: the commands of the table; everything else, even a known command
 * with high bits set, is refused. */
START_TEST(fcntl_commands)
{
	const struct {
		uint64_t cmd;
		int ret;
		uint8_t kind;
		uint32_t len;
	} cases[] = {
		{ 0, 0, FASCO_ARG_VAL, 0 },     /* F_DUPFD */
		{ 1030, 0, FASCO_ARG_VAL, 0 },  /* F_DUPFD_CLOEXEC */
		{ 3, 0, FASCO_ARG_VAL, 0 },     /* F_GETFL */
		{ 5, 0, FASCO_ARG_INOUT, 32 },  /* F_GETLK */
		{ 6, 0, FASCO_ARG_IN, 32 },     /* F_SETLK */
		{ 38, 0, FASCO_ARG_IN, 32 },    /* F_OFD_SETLKW */
		{ 8, -EINVAL, 0, 0 },           /* F_SETOWN */
		{ 10, -EINVAL, 0, 0 },          /* F_SETSIG */
		{ 1024, -EINVAL, 0, 0 },        /* F_SETLEASE */
		{ 1026, -EINVAL, 0, 0 },        /* F_NOTIFY */
		{ 1033, -EINVAL, 0, 0 },        /* F_ADD_SEALS */
		{ (1ull << 32) | 5, -EINVAL, 0, 0 },
		{ UINT64_MAX, -EINVAL, 0, 0 },
	};

	for (unsigned c = 0; c < NELEM(cases); c++) {
		uint64_t args[6] = { 1, cases[c].cmd, 0x1000, 0, 0, 0 };
		struct fasco_layout l;

		ck_assert_int_eq(fasco_sys_layout(__NR_fcntl, args, 0x4, 0, &l), cases[c].ret);
		if (cases[c].ret)
			continue;
		ck_assert_uint_eq(l.kind[2], cases[c].kind);
		ck_assert_uint_eq(l.len[2], cases[c].len);
	}
}
END_TEST

int main(void)
{
	return RUN_TESTS("abi-layout", NULL, NULL,
			 table_is_consistent, unknown_numbers_refused, hostile_arguments_stay_in_bounds,
			 lengths_follow_the_table, data_buffers_clamped, clamp_after_string,
			 counted_arrays_refused, string_lengths, mask_bits_without_buffers, ioctl_requests,
			 fcntl_commands);
}
