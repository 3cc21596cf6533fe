/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading memory into a new realm: byte ranges become one DATA_CREATE per
 * 4 KiB granule, in ascending IPA order, the last page zero padded. Full
 * pages are hashed in batches straight from the caller's buffer (two at a
 * time on SHA-NI); only the digest enters the descriptor, so callers with
 * a digest cache can skip the hashing through rmm_populate_digest().
 */
#include <string.h>

#include "common/error.h"
#include "rmm/rmm.h"

#define HASH_BATCH 32 /* pages hashed per rmm_hash_pages() call */

int rmm_populate_digest(struct rmm_realm *realm, uint64_t ipa, const uint8_t *digest, bool measure)
{
	struct rmm_op op = { .type = measure ? RMM_OP_DATA_MEASURED : RMM_OP_DATA_UNMEASURED,
			     .u.data.ipa = ipa };

	if (measure) {
		if (!digest)
			return fasco_fail(-EINVAL, "rmm: measured DATA at 0x%llx without a digest",
					  (unsigned long long)ipa);
		memcpy(op.u.data.digest, digest, rmm_realm_digest_len(realm));
	}
	return rmm_realm_apply(realm, &op);
}

int rmm_data_create(struct rmm_realm *realm, uint64_t ipa, const uint8_t page[RMM_GRANULE_SIZE],
		    bool measure)
{
	uint8_t digest[RMM_SLOT_SIZE];

	if (measure)
		(void)rmm_hash(rmm_realm_config(realm)->params.hash_algo, page, RMM_GRANULE_SIZE,
			       digest);
	return rmm_populate_digest(realm, ipa, digest, measure);
}

/*
 * Check the whole range up front with the same rules each page will meet,
 * and reserve its log records, so the loop below cannot stop half way.
 */
static int populate_prepare(struct rmm_realm *realm, uint64_t ipa, size_t npages, bool measure)
{
	struct rmm_op first = { .type = measure ? RMM_OP_DATA_MEASURED : RMM_OP_DATA_UNMEASURED,
				.u.data.ipa = ipa };
	struct rmm_op last = first;

	if (npages > (UINT64_MAX - ipa) / RMM_GRANULE_SIZE)
		return fasco_fail(FASCO_E_CONFIG, "rmm: populate at 0x%llx of %zu pages overflows",
				  (unsigned long long)ipa, npages);
	last.u.data.ipa = ipa + (uint64_t)(npages - 1) * RMM_GRANULE_SIZE;
	/* DATA rules are per page and the range is contiguous: the ends suffice. */
	return rmm_realm_check(realm, &first) ?: rmm_realm_check(realm, &last) ?:
	       rmm_realm_reserve(realm, first.type, npages);
}

static int populate_pages(struct rmm_realm *realm, uint64_t ipa, const uint8_t *data,
			  size_t npages, bool measure)
{
	uint8_t digests[HASH_BATCH][RMM_SLOT_SIZE];
	unsigned algo = rmm_realm_config(realm)->params.hash_algo;

	for (size_t done = 0; done < npages;) {
		size_t n = npages - done < HASH_BATCH ? npages - done : HASH_BATCH;
		int ret;

		if (measure)
			(void)rmm_hash_pages(algo, data + done * RMM_GRANULE_SIZE, n, digests);
		for (size_t i = 0; i < n; i++, done++) {
			ret = rmm_populate_digest(realm, ipa + done * RMM_GRANULE_SIZE, digests[i],
						  measure);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

int rmm_populate(struct rmm_realm *realm, uint64_t ipa, const void *data, size_t len, bool measure)
{
	size_t full = len / RMM_GRANULE_SIZE, tail = len % RMM_GRANULE_SIZE;
	uint8_t page[RMM_GRANULE_SIZE];
	int ret;

	if (!len)
		return 0;
	if (!data)
		return fasco_fail(-EINVAL, "rmm: populate of %zu bytes from NULL", len);
	ret = populate_prepare(realm, ipa, full + (tail != 0), measure);
	if (ret < 0)
		return ret;
	ret = populate_pages(realm, ipa, data, full, measure);
	if (ret < 0 || !tail)
		return ret;
	memcpy(page, (const uint8_t *)data + full * RMM_GRANULE_SIZE, tail);
	memset(page + tail, 0, sizeof(page) - tail);
	return rmm_data_create(realm, ipa + full * RMM_GRANULE_SIZE, page, measure);
}
