/* SPDX-License-Identifier: Apache-2.0 */
/*
 * readv/writev become one read/write through the slot: the vector is
 * gathered into (or scattered from) the data area, so musl's stdio, which
 * writes through writev, costs one exit per call, not one per element.
 */
#include "shim.h"

#define E_INVAL 22
#define E_FAULT 14
#define IOV_MAX 1024

struct iovec_k {
	uint64_t base, len;
};

static int64_t read_iov(uint64_t iov, uint64_t cnt, struct iovec_k *v)
{
	if (cnt > IOV_MAX)
		return -E_INVAL;
	if (copy_from_user(v, iov, cnt * sizeof(*v)) < 0)
		return -E_FAULT;
	return 0;
}

int64_t shim_writev(uint64_t fd, uint64_t iov, uint64_t cnt)
{
	static struct iovec_k v[IOV_MAX];
	uint8_t *data = this_cpu()->slot_data;
	uint64_t total = 0;
	int64_t ret;

	if ((ret = read_iov(iov, cnt, v)) < 0)
		return ret;
	for (uint64_t i = 0; i < cnt && total < FASCO_SLOT_DATA_MAX; i++) {
		uint64_t n = v[i].len;

		if (n > FASCO_SLOT_DATA_MAX - total)
			n = FASCO_SLOT_DATA_MAX - total; /* a short write */
		if (copy_from_user(data + total, v[i].base, n) < 0)
			return -E_FAULT;
		total += n;
	}
	uint64_t args[6] = { fd, 0, total, 0, 0, 0 };
	return forward_prepared(__NR_write, args, total ? 1u << 1 : 0);
}

int64_t shim_readv(uint64_t fd, uint64_t iov, uint64_t cnt)
{
	static struct iovec_k v[IOV_MAX];
	uint8_t *data = this_cpu()->slot_data;
	uint64_t total = 0, done = 0;
	int64_t ret;

	if ((ret = read_iov(iov, cnt, v)) < 0)
		return ret;
	for (uint64_t i = 0; i < cnt; i++) {
		if (!mm_user_ok(v[i].base, v[i].len, PROT_W))
			return -E_FAULT;
		total += v[i].len < FASCO_SLOT_DATA_MAX ? v[i].len : FASCO_SLOT_DATA_MAX;
		if (total >= FASCO_SLOT_DATA_MAX) {
			total = FASCO_SLOT_DATA_MAX;
			break;
		}
	}
	uint64_t args[6] = { fd, 0, total, 0, 0, 0 };
	ret = forward_prepared(__NR_read, args, total ? 1u << 1 : 0);
	if (ret <= 0)
		return ret;
	if ((uint64_t)ret > total)
		ret = (int64_t)total;
	for (uint64_t i = 0; i < cnt && done < (uint64_t)ret; i++) {
		uint64_t n = v[i].len < (uint64_t)ret - done ? v[i].len : (uint64_t)ret - done;

		memcpy((void *)v[i].base, data + done, n);
		done += n;
	}
	return ret;
}
