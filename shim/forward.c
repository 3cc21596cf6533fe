/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Forwarding: copy what the pointer arguments point to into the shared
 * slot, ring the doorbell, copy the results back. The layout comes from the
 * table shared with the host, which recomputes it rather than trusting ours;
 * the system realm never reads private realm memory.
 */
#include "signals.h"

static void fill_request(uint64_t nr, const uint64_t args[6], uint32_t ptr_mask)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;

	slot->nr = nr;
	for (int i = 0; i < 6; i++)
		slot->args[i] = args[i];
	slot->ptr_mask = ptr_mask;
}

int64_t forward_prepared(uint64_t nr, const uint64_t args[6], uint32_t ptr_mask)
{
	fill_request(nr, args, ptr_mask);
	return host_call(FASCO_OP_SYSCALL);
}

int64_t forward_prepared_blocking(uint64_t nr, const uint64_t args[6], uint32_t ptr_mask)
{
	fill_request(nr, args, ptr_mask);
	return host_call_blocking(FASCO_OP_SYSCALL);
}

int64_t forward_syscall(uint64_t nr, const uint64_t uargs[6])
{
	const struct fasco_sys_spec *spec = fasco_sys_spec(nr);
	uint8_t *data = this_cpu()->slot_data;
	struct fasco_layout lay;
	uint64_t args[6], limit[6];
	uint32_t mask = 0;
	int64_t ret;

	for (unsigned i = 0; i < 6; i++)
		args[i] = uargs[i];
	if (!spec || spec->kind != FASCO_SYS_FORWARD)
		return forward_prepared(nr, args, 0); /* the host answers ENOSYS and counts */

	/* first pass: which pointers are present, how long the strings are */
	if ((ret = fasco_sys_layout(nr, args, 0, 1, &lay)) < 0)
		return ret;
	for (unsigned i = 0; i < spec->nargs; i++) {
		if (lay.kind[i] < FASCO_ARG_STR || !uargs[i])
			continue;
		mask |= 1u << i;
		if (lay.kind[i] == FASCO_ARG_STR) {
			int64_t n = strlen_user(uargs[i], FASCO_PATH_MAX);

			if (n < 0)
				return n;
			args[i] = (uint64_t)n + 1;
		}
	}
	if ((ret = fasco_sys_layout(nr, args, mask, 1, &lay)) < 0)
		return ret;

	for (unsigned i = 0; i < 6; i++) {
		int k = lay.kind[i];

		if (!(mask & (1u << i)))
			continue;
		if (k == FASCO_ARG_OUT)
			continue;
		if (copy_from_user(data + lay.off[i], uargs[i], lay.len[i]) < 0)
			return -E_FAULT;
		if (k == FASCO_ARG_STR)
			data[lay.off[i] + lay.len[i] - 1] = 0;
	}
	/* what each output may write back: a socket address no more than the
	 * capacity the program gave (the u32 its length pointer points to) */
	for (unsigned i = 0; i < 6; i++) {
		uint32_t cap = 0;

		limit[i] = lay.len[i];
		if (!(lay.flags[i] & FASCO_ARGF_LEN_PTR))
			continue;
		if (uargs[spec->arg[i].len_arg] &&
		    copy_from_user(&cap, uargs[spec->arg[i].len_arg], sizeof(cap)) < 0)
			return -E_FAULT;
		if (cap < limit[i])
			limit[i] = cap;
	}
	/* output buffers must be writable before the call has side effects */
	for (unsigned i = 0; i < 6; i++)
		if ((mask & (1u << i)) && lay.kind[i] >= FASCO_ARG_OUT &&
		    !mm_user_ok(uargs[i], limit[i], PROT_W))
			return -E_FAULT;

	ret = forward_prepared(nr, args, mask);
	if (unlikely(ret == FASCO_RESULT_SIGNALFD)) /* the realm's signals: served here */
		return nr == __NR_read ? sigfd_read(uargs[0], uargs[1], args[2], data + lay.off[1])
				       : -E_INVAL;
	if (ret < 0)
		return ret;

	for (unsigned i = 0; i < 6; i++) {
		uint64_t len = limit[i];

		if (!(mask & (1u << i)) || lay.kind[i] < FASCO_ARG_OUT)
			continue;
		if ((lay.flags[i] & FASCO_ARGF_RET_LEN) && (uint64_t)ret < len)
			len = (uint64_t)ret; /* never trust the host past the buffer */
		if (copy_to_user(uargs[i], data + lay.off[i], len) < 0)
			return -E_FAULT;
	}
	return ret;
}
