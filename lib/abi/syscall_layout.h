/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One table describes every system call the shim forwards: which arguments
 * are plain values, descriptors, strings or buffers, and how large each
 * buffer is. The shim uses it to marshal a call into the shared slot; the
 * host uses the same table to recompute and validate the layout from the
 * (hostile) header instead of trusting any offset the realm wrote.
 *
 * Freestanding: compiled into the shim and into libfasco.
 */
#ifndef FASCO_ABI_SYSCALL_LAYOUT_H
#define FASCO_ABI_SYSCALL_LAYOUT_H

#include <stdint.h>

#define FASCO_SYSCALL_MAX 512u   /* numbers at or above are unknown */
#define FASCO_PATH_MAX 4096u     /* longest string argument, NUL included */

/* How a call is handled. */
enum fasco_sys_kind {
	FASCO_SYS_UNSUPPORTED = 0, /* -ENOSYS, counted */
	FASCO_SYS_LOCAL = 1,       /* served inside the realm by the shim */
	FASCO_SYS_FORWARD = 2,     /* marshalled to the system realm */
};

/* What one argument is. */
enum fasco_arg_kind {
	FASCO_ARG_VAL = 0,   /* an integer, passed as is */
	FASCO_ARG_FD = 1,    /* a descriptor of the realm's table */
	FASCO_ARG_DIRFD = 2, /* a descriptor or AT_FDCWD */
	FASCO_ARG_STR = 3,   /* NUL-terminated input string; args[i] = length with NUL */
	FASCO_ARG_IN = 4,    /* input buffer */
	FASCO_ARG_OUT = 5,   /* output buffer */
	FASCO_ARG_INOUT = 6, /* both */
};

/* Argument flags. */
#define FASCO_ARGF_RET_LEN 0x1u /* OUT: only the first `result` bytes are valid */
#define FASCO_ARGF_CLAMP 0x2u   /* the shim may shorten the length (short I/O) */
#define FASCO_ARGF_OPAQUE 0x4u  /* the host never interprets these bytes */
#define FASCO_ARGF_FDS 0x8u     /* OUT: int[2] of new descriptors (pipe) */
/*
 * OUT: a socket address or option whose capacity is the u32 that argument
 * len_arg points to (socklen_t *). The buffer is `fixed` bytes (what the
 * kernel can write at most); the shim copies back no more than the capacity
 * the program gave.
 */
#define FASCO_ARGF_LEN_PTR 0x10u
/* A descriptor bitmap (fd_set) of args[len_arg] bits, in whole 64-bit words. */
#define FASCO_ARGF_BITS 0x20u

#define FASCO_NO_LEN 0xffu

struct fasco_arg_spec {
	uint8_t kind;    /* enum fasco_arg_kind */
	uint8_t len_arg; /* buffer length is args[len_arg] * unit, or FASCO_NO_LEN */
	uint8_t flags;   /* FASCO_ARGF_* */
	uint8_t unit;    /* bytes per length unit (0 means 1) */
	uint16_t fixed;  /* fixed buffer size when len_arg is FASCO_NO_LEN */
};

/* Call flags. */
#define FASCO_SYSF_RET_FD 0x1u /* the result is a new descriptor */
/* The shim marshals the call itself; the table describes its wire format. */
#define FASCO_SYSF_SHIM_MARSHALS 0x2u

struct fasco_sys_spec {
	uint8_t kind;  /* enum fasco_sys_kind */
	uint8_t nargs;
	uint8_t flags; /* FASCO_SYSF_* */
	const char *name;
	struct fasco_arg_spec arg[6];
};

/* The marshalled layout of one call inside the slot's data area. */
struct fasco_layout {
	uint32_t off[6];   /* offset of argument i's bytes in the data area */
	uint32_t len[6];   /* their length (0 for value arguments) */
	uint8_t kind[6];   /* enum fasco_arg_kind after per-command refinement */
	uint8_t flags[6];
	uint32_t total;    /* bytes of the data area in use */
};

/* The spec of call nr, or NULL when nr is out of the table. */
const struct fasco_sys_spec *fasco_sys_spec(uint64_t nr);

/*
 * Compute the layout of call nr. ptr_mask marks the pointer arguments that
 * are non-NULL (NULL ones take no space; bits above 5 are ignored). With
 * clamp set, lengths of FASCO_ARGF_CLAMP buffers are shortened to fit and
 * written back to args[] (the shim's side); without it, a call that does not
 * fit fails and args[] is left alone (the host's side), so the host accepts
 * exactly the layout the shim computed. Every buffer of an accepted layout
 * is 8-byte aligned, apart from the others and inside FASCO_SLOT_DATA_MAX.
 * Returns 0, or (as negative numbers) -ENOSYS for a call that is not
 * forwarded, -E2BIG for buffers that do not fit (a count above the data
 * area never wraps to a small size), -EINVAL for a string length of 0 or
 * above FASCO_PATH_MAX and for an fcntl command outside the table, -ENOTTY
 * for an ioctl request outside the table.
 */
int fasco_sys_layout(uint64_t nr, uint64_t args[6], uint32_t ptr_mask, int clamp,
		     struct fasco_layout *out);

#endif
