/* SPDX-License-Identifier: Apache-2.0 */
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "common/cleanup.h"
#include "sysrealm/fdtable.h"
#include "sysrealm/fdwait.h"
#include "sysrealm/raw.h"

#define WORD_BITS 64

/*
 * A realm number that is not in the table becomes INT_MAX, above any
 * descriptor the kernel can have, so the kernel itself answers POLLNVAL and
 * counts it. The array is the host-private copy (a[0]); the layout bounded
 * nfds by the data area.
 */
int64_t fdwait_poll(struct service *svc, uint64_t nr, uint64_t nfds, long a[6])
{
	struct pollfd *p = (struct pollfd *)a[0];
	_cleanup_free_ int *realm = NULL;
	long r;

	if (!p || nfds == 0)
		return sys_raw(nr, a);
	realm = malloc(nfds * sizeof(*realm));
	if (!realm)
		return -ENOMEM;
	for (uint64_t i = 0; i < nfds; i++) {
		realm[i] = p[i].fd;
		if (p[i].fd >= 0) {
			int h = fd_host(svc, p[i].fd);

			p[i].fd = h >= 0 ? h : INT_MAX;
		}
	}
	r = sys_raw(nr, a);
	for (uint64_t i = 0; i < nfds; i++)
		p[i].fd = realm[i];
	return r;
}

static int bit_test(const uint64_t *set, uint64_t i)
{
	return (int)(set[i / WORD_BITS] >> (i % WORD_BITS) & 1);
}

static void bit_set(uint64_t *set, uint64_t i)
{
	set[i / WORD_BITS] |= 1ull << (i % WORD_BITS);
}

/*
 * The host descriptors of the realm's sets need bitmaps of their own, as
 * large as the highest host descriptor asks: the realm's nfds says nothing
 * about the host's numbers. A realm descriptor that is not open is EBADF,
 * as the kernel says for a closed one.
 */
int64_t fdwait_select(struct service *svc, uint64_t nr, uint64_t nfds, long a[6])
{
	_cleanup_free_ int *host = NULL;
	_cleanup_free_ uint64_t *hsets = NULL;
	uint64_t max_host = 0, words;
	long h[6];
	long r;

	if (nr == SYS_pselect6 && a[5])
		return -ENOSYS; /* a signal mask: needs signal delivery (not in this release) */
	if (nfds > SERVICE_MAX_FDS)
		return -EINVAL;
	host = malloc((nfds ? nfds : 1) * sizeof(*host));
	if (!host)
		return -ENOMEM;
	for (uint64_t i = 0; i < nfds; i++) {
		int wanted = 0;

		for (unsigned s = 1; s <= 3; s++)
			wanted |= a[s] && bit_test((const uint64_t *)a[s], i);
		host[i] = wanted ? fd_host(svc, (int64_t)i) : -1;
		if (wanted && host[i] < 0)
			return -EBADF;
		if (host[i] >= 0 && (uint64_t)host[i] + 1 > max_host)
			max_host = (uint64_t)host[i] + 1;
	}
	words = (max_host + WORD_BITS - 1) / WORD_BITS;
	hsets = calloc(3 * (words ? words : 1), sizeof(*hsets));
	if (!hsets)
		return -ENOMEM;
	memcpy(h, a, sizeof(h));
	h[0] = (long)max_host;
	for (unsigned s = 1; s <= 3; s++) {
		uint64_t *hs = hsets + (s - 1) * (words ? words : 1);

		h[s] = a[s] ? (long)hs : 0;
		for (uint64_t i = 0; a[s] && i < nfds; i++)
			if (bit_test((const uint64_t *)a[s], i))
				bit_set(hs, (uint64_t)host[i]);
	}
	r = sys_raw(nr, h);
	if (r < 0)
		return r;
	for (unsigned s = 1; s <= 3; s++) {
		uint64_t *rs = (uint64_t *)a[s];

		if (!rs)
			continue;
		memset(rs, 0, (nfds + WORD_BITS - 1) / WORD_BITS * 8);
		for (uint64_t i = 0; i < nfds; i++)
			if (host[i] >= 0 && bit_test((const uint64_t *)h[s], (uint64_t)host[i]))
				bit_set(rs, i);
	}
	return r;
}
