/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RmiRealmParams and RmiRecParams: validation and the zero-filled 4096-byte
 * measured copies the RMM hashes (CCA.md §1.2, §1.6). Every field goes into
 * its own little-endian 8-byte slot, written whole, so no stale byte of a
 * wider host field can leak into the hash.
 */
#include <string.h>

#include "common/error.h"
#include "rmm/bytes.h"
#include "rmm/rmm.h"

/* RmiRealmParams offsets ([SPEC-1.0] B4.4.12); rpv (0x400) is not measured. */
enum {
	REALM_PARAMS_FLAGS = 0x000,
	REALM_PARAMS_S2SZ = 0x008,
	REALM_PARAMS_SVE_VL = 0x010,
	REALM_PARAMS_NUM_BPS = 0x018,
	REALM_PARAMS_NUM_WPS = 0x020,
	REALM_PARAMS_PMU_NUM_CTRS = 0x028,
	REALM_PARAMS_HASH_ALGO = 0x030,
};

/* RmiRecParams offsets ([SPEC-1.0] B4.4.14); mpidr (0x100) is not measured. */
enum {
	REC_PARAMS_FLAGS = 0x000,
	REC_PARAMS_PC = 0x200,
	REC_PARAMS_GPRS = 0x300,
};

#define IPA_BITS_MIN 32
#define IPA_BITS_MAX 48
#define IPA_BITS_MAX_LPA2 52
#define SVE_VL_MAX 15      /* (2048 / 128) - 1 */
#define DEBUG_FIELD_MAX 63 /* count - 1, up to 64 with FEAT_Debugv8p9 */
#define PMU_CTRS_MAX 31

void rmm_realm_config_init(struct rmm_realm_config *config)
{
	*config = (struct rmm_realm_config){
		.params = {
			.s2sz = 40,
			.num_bps = 1,
			.num_wps = 1,
			.hash_algo = RMM_HASH_SHA256,
		},
		.profile = RMM_PROFILE_1_0,
		.rtt_policy = RMM_RTT_LARGEST_BLOCK,
		.rem_mode = RMM_REM_TFRMM,
		.record = true,
	};
}

int rmm_realm_params_check(const struct rmm_realm_params *p, enum rmm_profile profile)
{
	unsigned max_ipa = p->flags & RMM_REALM_FLAG_LPA2 ? IPA_BITS_MAX_LPA2 : IPA_BITS_MAX;

	if (!rmm_hash_len(p->hash_algo) ||
	    (p->hash_algo == RMM_HASH_SHA384 && profile != RMM_PROFILE_2_0))
		return fasco_fail(FASCO_E_CONFIG, "rmm: hash algorithm %u unsupported",
				  p->hash_algo);
	if (p->flags & ~RMM_REALM_FLAGS_ALL)
		return fasco_fail(FASCO_E_CONFIG, "rmm: realm flags 0x%llx have reserved bits",
				  (unsigned long long)p->flags);
	if (p->s2sz < IPA_BITS_MIN || p->s2sz > max_ipa)
		return fasco_fail(FASCO_E_CONFIG, "rmm: s2sz %u outside %u..%u", p->s2sz,
				  IPA_BITS_MIN, max_ipa);
	if (p->sve_vl > (p->flags & RMM_REALM_FLAG_SVE ? SVE_VL_MAX : 0))
		return fasco_fail(FASCO_E_CONFIG, "rmm: sve_vl %u invalid (SVE %s)", p->sve_vl,
				  p->flags & RMM_REALM_FLAG_SVE ? "on" : "off");
	if (p->num_bps < 1 || p->num_bps > DEBUG_FIELD_MAX)
		return fasco_fail(FASCO_E_CONFIG, "rmm: num_bps field %u outside 1..%u",
				  p->num_bps, DEBUG_FIELD_MAX);
	if (p->num_wps < 1 || p->num_wps > DEBUG_FIELD_MAX)
		return fasco_fail(FASCO_E_CONFIG, "rmm: num_wps field %u outside 1..%u",
				  p->num_wps, DEBUG_FIELD_MAX);
	if (p->pmu_num_ctrs > (p->flags & RMM_REALM_FLAG_PMU ? PMU_CTRS_MAX : 0))
		return fasco_fail(FASCO_E_CONFIG, "rmm: pmu_num_ctrs %u invalid (PMU %s)",
				  p->pmu_num_ctrs, p->flags & RMM_REALM_FLAG_PMU ? "on" : "off");
	return 0;
}

void rmm_realm_params_encode(const struct rmm_realm_params *p, uint8_t granule[RMM_GRANULE_SIZE])
{
	memset(granule, 0, RMM_GRANULE_SIZE);
	put_le64(granule + REALM_PARAMS_FLAGS, p->flags);
	put_le64(granule + REALM_PARAMS_S2SZ, p->s2sz);
	put_le64(granule + REALM_PARAMS_SVE_VL, p->sve_vl);
	put_le64(granule + REALM_PARAMS_NUM_BPS, p->num_bps);
	put_le64(granule + REALM_PARAMS_NUM_WPS, p->num_wps);
	put_le64(granule + REALM_PARAMS_PMU_NUM_CTRS, p->pmu_num_ctrs);
	put_le64(granule + REALM_PARAMS_HASH_ALGO, p->hash_algo);
}

int rmm_rim_init(const struct rmm_realm_params *p, enum rmm_profile profile,
		 uint8_t rim[RMM_SLOT_SIZE])
{
	uint8_t granule[RMM_GRANULE_SIZE];
	int r = rmm_realm_params_check(p, profile);

	if (r < 0)
		return r;
	if (profile == RMM_PROFILE_2_0) {
		memset(rim, 0, RMM_SLOT_SIZE);
		return 0;
	}
	rmm_realm_params_encode(p, granule);
	return rmm_hash(p->hash_algo, granule, sizeof(granule), rim);
}

void rmm_rec_params_encode(const struct rmm_rec_params *p, uint8_t granule[RMM_GRANULE_SIZE])
{
	memset(granule, 0, RMM_GRANULE_SIZE);
	put_le64(granule + REC_PARAMS_FLAGS, p->flags);
	put_le64(granule + REC_PARAMS_PC, p->pc);
	for (unsigned i = 0; i < 8; i++)
		put_le64(granule + REC_PARAMS_GPRS + 8 * i, p->gprs[i]);
}
