/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vectored I/O through one slot: readv/writev become one read/write, the
 * vector gathered into (or scattered from) the data area, so musl's stdio
 * costs one forwarded call per writev, not one per element. sendmsg and
 * recvmsg travel flattened (abi/msg_wire.h): the vector as one payload, the
 * address and ancillary data (SCM_RIGHTS among it) in a meta buffer.
 */
#include "shim.h"
#include "abi/msg_wire.h"

#define E_INVAL 22
#define E_FAULT 14
#define E_NOBUFS 105
#define IOV_MAX 1024

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
	if (ret == FASCO_RESULT_SIGNALFD)
		return -E_INVAL; /* a signalfd is read with read() (signalfd.c) */
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

/*
 * Lay out a flattened message: meta (header + control) as argument 1, the
 * payload as argument 3, shortened to what the slot holds. args[4] comes
 * in as the payload wanted and goes out as the payload that fits.
 */
static int64_t msg_layout(uint64_t nr, uint64_t fd, uint64_t control_len, uint64_t flags,
			  uint64_t args[6], struct fasco_layout *lay)
{
	uint32_t mask = (1u << 1) | (args[4] ? 1u << 3 : 0);

	args[0] = fd, args[1] = 0, args[2] = FASCO_MSG_META_SIZE + control_len;
	args[3] = 0, args[5] = flags;
	return fasco_sys_layout(nr, args, mask, 1, lay) < 0 ? -E_NOBUFS : (int64_t)mask;
}

int64_t shim_sendmsg(uint64_t fd, uint64_t msg, uint64_t flags)
{
	uint8_t *data = this_cpu()->slot_data;
	struct fasco_msg_meta *meta;
	struct fasco_layout lay;
	struct msghdr_k m;
	uint64_t args[6];
	int64_t total, mask;

	if ((total = read_msghdr(msg, &m)) < 0)
		return total;
	if (m.controllen > FASCO_MSG_CONTROL_MAX)
		return -E_NOBUFS;
	if (m.namelen > FASCO_MSG_NAME_MAX)
		m.namelen = FASCO_MSG_NAME_MAX; /* as the kernel does */
	args[4] = FASCO_SLOT_DATA_MAX;
	if ((mask = msg_layout(__NR_sendmsg, fd, m.controllen, flags, args, &lay)) < 0)
		return mask;
	meta = (struct fasco_msg_meta *)(data + lay.off[1]);
	memset(meta, 0, FASCO_MSG_META_SIZE);
	meta->name_len = m.name ? m.namelen : 0;
	meta->control_len = (uint32_t)m.controllen;
	if ((m.name && copy_from_user(meta->name, m.name, m.namelen) < 0) ||
	    (m.controllen && copy_from_user(meta + 1, m.control, m.controllen) < 0))
		return -E_FAULT;
	if ((total = gather(m.iov, m.iovlen, data + lay.off[3], args[4])) < 0)
		return total;
	args[4] = (uint64_t)total;
	return forward_prepared(__NR_sendmsg, args, (uint32_t)mask);
}

int64_t shim_recvmsg(uint64_t fd, uint64_t msg, uint64_t flags)
{
	uint8_t *data = this_cpu()->slot_data;
	struct fasco_msg_meta *meta;
	struct fasco_layout lay;
	struct msghdr_k m;
	uint64_t args[6], name_cap, control_cap;
	int64_t cap, mask, ret;

	if ((ret = read_msghdr(msg, &m)) < 0)
		return ret;
	if (!mm_user_ok(msg, sizeof(m), PROT_W))
		return -E_FAULT;
	/* capacities: more is never written */
	name_cap = !m.name ? 0 : m.namelen < FASCO_MSG_NAME_MAX ? m.namelen : FASCO_MSG_NAME_MAX;
	control_cap = m.control && m.controllen < FASCO_MSG_CONTROL_MAX ? m.controllen
		      : m.control ? FASCO_MSG_CONTROL_MAX : 0;
	if ((name_cap && !mm_user_ok(m.name, name_cap, PROT_W)) ||
	    (control_cap && !mm_user_ok(m.control, control_cap, PROT_W)))
		return -E_FAULT;
	if ((cap = scatter_capacity(m.iov, m.iovlen, FASCO_SLOT_DATA_MAX)) < 0)
		return cap;
	args[4] = (uint64_t)cap;
	if ((mask = msg_layout(__NR_recvmsg, fd, control_cap, flags, args, &lay)) < 0)
		return mask;
	meta = (struct fasco_msg_meta *)(data + lay.off[1]);
	memset(meta, 0, FASCO_MSG_META_SIZE);
	meta->name_len = (uint32_t)name_cap;
	meta->control_len = (uint32_t)control_cap;
	if ((ret = forward_prepared(__NR_recvmsg, args, (uint32_t)mask)) < 0)
		return ret;
	/* the host's lengths, bounded by what was offered */
	if ((uint64_t)ret > args[4])
		ret = (int64_t)args[4];
	if (scatter(m.iov, m.iovlen, data + lay.off[3], (uint64_t)ret) < 0)
		return -E_FAULT;
	if (m.name) {
		/* the kernel reports the full length, but only name_cap bytes are written */
		if (copy_to_user(m.name, meta->name, meta->name_len < name_cap ? meta->name_len : name_cap) < 0)
			return -E_FAULT;
		m.namelen = meta->name_len;
	}
	if (meta->control_len > control_cap)
		meta->control_len = (uint32_t)control_cap;
	if (meta->control_len && copy_to_user(m.control, meta + 1, meta->control_len) < 0)
		return -E_FAULT;
	m.controllen = meta->control_len;
	m.flags = (int32_t)meta->msg_flags;
	return copy_to_user(msg, &m, sizeof(m)) < 0 ? -E_FAULT : ret;
}
