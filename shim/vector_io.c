/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vectored I/O through one slot: readv/writev become one read/write and
 * sendmsg/recvmsg one sendto/recvfrom, the vector gathered into (or
 * scattered from) the data area. musl's stdio writes through writev, so
 * each call costs one exit, not one per element.
 *
 * Ancillary data (SCM_RIGHTS, credentials) is not carried in this release:
 * sendmsg with a control buffer is refused with EOPNOTSUPP, and recvmsg
 * reports none (msg_controllen 0; msg_flags 0, so a truncated datagram is
 * not flagged).
 */
#include "shim.h"

#define E_INVAL 22
#define E_FAULT 14
#define E_OPNOTSUPP 95
#define IOV_MAX 1024
#define NAME_MAX_LEN 128 /* sockaddr_storage */

struct iovec_k {
	uint64_t base, len;
};

struct msghdr_k {
	uint64_t name;
	uint32_t namelen, pad0;
	uint64_t iov, iovlen, control, controllen;
	int32_t flags, pad1;
};

/*
 * The vector is read one element at a time, straight from the program,
 * so nothing is shared between vCPUs (threads call these concurrently). A
 * read's vector is read twice, before and after the call: the second pass
 * checks each element again before writing, so a program changing its own
 * vector meanwhile gets EFAULT, never a write the first pass did not allow.
 */
static int64_t iov_at(uint64_t iov, uint64_t i, struct iovec_k *v)
{
	return copy_from_user(v, iov + i * sizeof(*v), sizeof(*v)) < 0 ? -E_FAULT : 0;
}

/* Gather the program's vector into data, up to cap bytes: the count. */
static int64_t gather(uint64_t iov, uint64_t cnt, uint8_t *data, uint64_t cap)
{
	uint64_t total = 0;
	struct iovec_k v;

	if (cnt > IOV_MAX)
		return -E_INVAL;
	for (uint64_t i = 0; i < cnt && total < cap; i++) {
		uint64_t n;

		if (iov_at(iov, i, &v) < 0)
			return -E_FAULT;
		n = v.len < cap - total ? v.len : cap - total; /* a short write */
		if (copy_from_user(data + total, v.base, n) < 0)
			return -E_FAULT;
		total += n;
	}
	return (int64_t)total;
}

/* Check that the vector is writable: how much of it a read may fill (<= cap). */
static int64_t scatter_capacity(uint64_t iov, uint64_t cnt, uint64_t cap)
{
	uint64_t total = 0;
	struct iovec_k v;

	if (cnt > IOV_MAX)
		return -E_INVAL;
	for (uint64_t i = 0; i < cnt && total < cap; i++) {
		if (iov_at(iov, i, &v) < 0 || !mm_user_ok(v.base, v.len, PROT_W))
			return -E_FAULT;
		total += v.len < cap - total ? v.len : cap - total;
	}
	return (int64_t)total;
}

/* Scatter the n bytes a read returned into the vector. */
static int64_t scatter(uint64_t iov, uint64_t cnt, const uint8_t *data, uint64_t n)
{
	uint64_t done = 0;
	struct iovec_k v;

	for (uint64_t i = 0; i < cnt && done < n; i++) {
		uint64_t k;

		if (iov_at(iov, i, &v) < 0)
			return -E_FAULT;
		k = v.len < n - done ? v.len : n - done;
		if (copy_to_user(v.base, data + done, k) < 0)
			return -E_FAULT;
		done += k;
	}
	return 0;
}

int64_t shim_writev(uint64_t fd, uint64_t iov, uint64_t cnt)
{
	int64_t total = gather(iov, cnt, this_cpu()->slot_data, FASCO_SLOT_DATA_MAX);

	if (total < 0)
		return total;
	uint64_t args[6] = { fd, 0, (uint64_t)total, 0, 0, 0 };
	return forward_prepared(__NR_write, args, total ? 1u << 1 : 0);
}

int64_t shim_readv(uint64_t fd, uint64_t iov, uint64_t cnt)
{
	int64_t total = scatter_capacity(iov, cnt, FASCO_SLOT_DATA_MAX), ret;

	if (total < 0)
		return total;
	uint64_t args[6] = { fd, 0, (uint64_t)total, 0, 0, 0 };
	ret = forward_prepared(__NR_read, args, total ? 1u << 1 : 0);
	if (ret <= 0)
		return ret;
	if (ret > total)
		ret = total; /* never trust the host past the buffer */
	return scatter(iov, cnt, this_cpu()->slot_data, (uint64_t)ret) < 0 ? -E_FAULT : ret;
}

static int read_msghdr(uint64_t msg, struct msghdr_k *m)
{
	return copy_from_user(m, msg, sizeof(*m)) < 0 ? -E_FAULT : 0;
}

/* The payload leaves room for the address and its length behind it. */
#define PAYLOAD_MAX (FASCO_SLOT_DATA_MAX - NAME_MAX_LEN - 16)

int64_t shim_sendmsg(uint64_t fd, uint64_t msg, uint64_t flags)
{
	uint8_t *data = this_cpu()->slot_data;
	struct fasco_layout lay;
	struct msghdr_k m;
	uint64_t args[6];
	uint32_t mask;
	int64_t total, ret;

	if ((ret = read_msghdr(msg, &m)) < 0)
		return ret;
	if (m.controllen)
		return -E_OPNOTSUPP;
	if (m.namelen > NAME_MAX_LEN)
		m.namelen = NAME_MAX_LEN; /* as the kernel does */
	if ((total = gather(m.iov, m.iovlen, data, PAYLOAD_MAX)) < 0)
		return total;
	/* sendto(fd, buf, len, flags, addr, addrlen): the table places addr */
	args[0] = fd, args[1] = 0, args[2] = (uint64_t)total, args[3] = flags;
	args[4] = 0, args[5] = m.name ? m.namelen : 0;
	mask = (total ? 1u << 1 : 0) | (m.name ? 1u << 4 : 0);
	if ((ret = fasco_sys_layout(__NR_sendto, args, mask, 0, &lay)) < 0)
		return ret;
	if (m.name && copy_from_user(data + lay.off[4], m.name, m.namelen) < 0)
		return -E_FAULT;
	return forward_prepared(__NR_sendto, args, mask);
}

int64_t shim_recvmsg(uint64_t fd, uint64_t msg, uint64_t flags)
{
	uint8_t *data = this_cpu()->slot_data;
	struct fasco_layout lay;
	struct msghdr_k m;
	uint64_t args[6];
	uint32_t mask, got_len;
	int64_t cap, ret;

	if ((ret = read_msghdr(msg, &m)) < 0)
		return ret;
	if ((cap = scatter_capacity(m.iov, m.iovlen, PAYLOAD_MAX)) < 0)
		return cap;
	if (m.namelen > NAME_MAX_LEN)
		m.namelen = NAME_MAX_LEN; /* a capacity: more is never written */
	if (m.name && !mm_user_ok(m.name, m.namelen, PROT_W))
		return -E_FAULT;
	if (!mm_user_ok(msg, sizeof(m), PROT_W))
		return -E_FAULT;
	/* recvfrom(fd, buf, len, flags, addr, &addrlen) */
	args[0] = fd, args[1] = 0, args[2] = (uint64_t)cap, args[3] = flags;
	args[4] = 0, args[5] = 0;
	mask = (cap ? 1u << 1 : 0) | (m.name ? (1u << 4) | (1u << 5) : 0);
	if ((ret = fasco_sys_layout(__NR_recvfrom, args, mask, 0, &lay)) < 0)
		return ret;
	if (m.name)
		memcpy(data + lay.off[5], &m.namelen, sizeof(m.namelen));
	ret = forward_prepared(__NR_recvfrom, args, mask);
	if (ret < 0)
		return ret;
	if (ret > cap)
		ret = cap;
	if (scatter(m.iov, m.iovlen, data, (uint64_t)ret) < 0)
		return -E_FAULT;
	if (m.name) {
		memcpy(&got_len, data + lay.off[5], sizeof(got_len));
		/* the kernel's full length, but never more bytes than the program gave */
		if (copy_to_user(m.name, data + lay.off[4], got_len < m.namelen ? got_len : m.namelen) < 0)
			return -E_FAULT;
		m.namelen = got_len;
	}
	m.controllen = 0;
	m.flags = 0;
	return copy_to_user(msg, &m, sizeof(m)) < 0 ? -E_FAULT : ret;
}
