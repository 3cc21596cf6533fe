/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sendmsg and recvmsg on the wire. The program's struct msghdr points to
 * a vector, an address and ancillary data; the shim flattens them into two
 * buffers of the slot, and the call travels as
 *
 *     sendmsg(fd, meta, meta_len, payload, payload_len, flags)
 *     recvmsg(fd, meta, meta_len, payload, payload_len, flags)
 *
 * where payload is the gathered vector (opaque to the host) and meta is a
 * struct fasco_msg_meta followed by the control bytes. For recvmsg, meta
 * carries the capacities in and the lengths and msg_flags out. Descriptors
 * in SCM_RIGHTS are realm numbers on both sides; the system realm
 * translates them through the realm's table.
 *
 * Freestanding: compiled into the shim and into libfasco.
 */
#ifndef FASCO_ABI_MSG_WIRE_H
#define FASCO_ABI_MSG_WIRE_H

#include <stdint.h>

#define FASCO_MSG_NAME_MAX 128u     /* sockaddr_storage */
/* Ancillary data carried per call: SCM_RIGHTS of the kernel's limit of
 * 253 descriptors takes 1028 bytes; more is refused with ENOBUFS. */
#define FASCO_MSG_CONTROL_MAX 4096u

struct fasco_msg_meta {
	uint32_t name_len;    /* address length (recvmsg in: capacity, 0 = none) */
	uint32_t control_len; /* control bytes after this header (in: capacity) */
	uint32_t msg_flags;   /* recvmsg out */
	uint32_t reserved;    /* 0 */
	uint8_t name[FASCO_MSG_NAME_MAX];
	/* control_len bytes of control messages follow */
};

#define FASCO_MSG_META_SIZE ((uint32_t)sizeof(struct fasco_msg_meta))

#endif
