/* SPDX-License-Identifier: Apache-2.0 */
/* Public measurement calculators (include/fasco/measure.h). */
#include <string.h>

#include <fasco/measure.h>

#include "common/error.h"
#include "rmm/rmm.h"

_Static_assert(FASCO_MEASURE_MAX_LEN == RMM_SLOT_SIZE, "slot size");
_Static_assert(FASCO_HASH_SHA256 == (int)RMM_HASH_SHA256 &&
		       FASCO_HASH_SHA512 == (int)RMM_HASH_SHA512 &&
		       FASCO_HASH_SHA384 == (int)RMM_HASH_SHA384, "hash algorithm encodings");
_Static_assert(FASCO_REM_TFRMM == (int)RMM_REM_TFRMM && FASCO_REM_SPEC == (int)RMM_REM_SPEC,
	       "REM modes");
_Static_assert(FASCO_REALM_FLAG_LPA2 == RMM_REALM_FLAG_LPA2 &&
		       FASCO_REALM_FLAG_SVE == RMM_REALM_FLAG_SVE &&
		       FASCO_REALM_FLAG_PMU == RMM_REALM_FLAG_PMU, "realm flags");

int rmm_digest_copy_out(const uint8_t slot[RMM_SLOT_SIZE], size_t len, uint8_t *ret, size_t cap,
			size_t *ret_len)
{
	if (cap < len)
		return fasco_fail(FASCO_E_BUFFER, "measure: %zu-byte digest, buffer holds %zu", len,
				  cap);
	memcpy(ret, slot, len);
	if (ret_len)
		*ret_len = len;
	return 0;
}

/* A uint8_t spec field from a wider binding argument, rejecting truncation. */
static int narrow(unsigned v, const char *name, uint8_t *ret)
{
	if (v > UINT8_MAX)
		return fasco_fail(FASCO_E_CONFIG, "measure: %s %u out of range", name, v);
	*ret = (uint8_t)v;
	return 0;
}

FASCO_API int fasco_measure_rim_params(int hash_algo, unsigned ipa_bits, uint64_t flags,
				       unsigned sve_vl, unsigned num_bps, unsigned num_wps,
				       unsigned pmu_num_ctrs, uint8_t *ret_rim, size_t cap,
				       size_t *ret_len)
{
	struct rmm_realm_params p = { .flags = flags };
	uint8_t rim[RMM_SLOT_SIZE];
	int ret;

	fasco_error_clear();
	fasco_check_arg(ret_rim);
	fasco_check_arg(hash_algo >= 0 && hash_algo <= UINT8_MAX);
	p.hash_algo = (uint8_t)hash_algo;
	ret = narrow(ipa_bits, "ipa_bits", &p.s2sz) ?: narrow(sve_vl, "sve_vl", &p.sve_vl) ?:
	      narrow(num_bps, "num_bps", &p.num_bps) ?: narrow(num_wps, "num_wps", &p.num_wps) ?:
	      narrow(pmu_num_ctrs, "pmu_num_ctrs", &p.pmu_num_ctrs) ?:
	      rmm_rim_init(&p, RMM_PROFILE_1_0, rim);
	if (ret < 0)
		return ret;
	return rmm_digest_copy_out(rim, rmm_hash_len(p.hash_algo), ret_rim, cap, ret_len);
}

FASCO_API int fasco_measure_rem_extend(int hash_algo, int mode, const uint8_t *old,
				       size_t old_len, const uint8_t *value, size_t value_len,
				       uint8_t *ret_rem, size_t cap, size_t *ret_len)
{
	uint8_t slot[RMM_SLOT_SIZE] = { 0 };
	size_t dlen = hash_algo >= 0 ? rmm_hash_len((unsigned)hash_algo) : 0;
	int ret;

	fasco_error_clear();
	fasco_check_arg(ret_rem);
	fasco_check_arg(old || !old_len);
	fasco_check_arg(value || !value_len);
	if (!dlen)
		return fasco_fail(FASCO_E_CONFIG, "measure: hash algorithm %d unsupported", hash_algo);
	if (old_len && old_len != dlen && old_len != RMM_SLOT_SIZE)
		return fasco_fail(FASCO_E_CONFIG, "measure: old REM of %zu bytes (0, %zu or %u)",
				  old_len, dlen, RMM_SLOT_SIZE);
	if (old_len)
		memcpy(slot, old, old_len);
	for (size_t i = dlen; i < RMM_SLOT_SIZE; i++)
		if (slot[i])
			return fasco_fail(FASCO_E_CONFIG, "measure: old REM slot has a non-zero tail");
	ret = rmm_rem_compute((unsigned)hash_algo, (enum rmm_rem_mode)mode, slot, value,
			      value_len, slot);
	if (ret < 0)
		return ret;
	return rmm_digest_copy_out(slot, dlen, ret_rem, cap, ret_len);
}

FASCO_API int fasco_measure_replay(const uint8_t *log, size_t log_len, uint8_t *ret_rim,
				   size_t cap, size_t *ret_len)
{
	uint8_t rim[RMM_SLOT_SIZE];
	size_t len;
	int ret;

	fasco_error_clear();
	fasco_check_arg(ret_rim);
	fasco_check_arg(log || !log_len);
	ret = rmm_oplog_replay_rim(log, log_len, rim, &len);
	if (ret < 0)
		return ret;
	return rmm_digest_copy_out(rim, len, ret_rim, cap, ret_len);
}
