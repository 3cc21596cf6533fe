/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Measurement descriptors (CCA.md §1.3): 256 bytes, zero where unused,
 * carrying the current RIM; the new RIM is the RHA of all 256 bytes.
 */
#include <string.h>

#include "rmm/bytes.h"
#include "rmm/rmm.h"

/* RmmMeasurementDescriptor{Data,Rec,Ripas} ([SPEC-1.0] C1.11-C1.13). */
enum {
	DESC_TYPE = 0x00,  /* 1 byte in an 8-byte slot */
	DESC_LEN = 0x08,
	DESC_RIM = 0x10,
	DESC_DATA_IPA = 0x50,
	DESC_DATA_FLAGS = 0x58,
	DESC_DATA_CONTENT = 0x60,
	DESC_REC_CONTENT = 0x50,
	DESC_RIPAS_BASE = 0x50,
	DESC_RIPAS_TOP = 0x58,
};

enum {
	DESC_TYPE_DATA = 0,
	DESC_TYPE_REC = 1,
	DESC_TYPE_RIPAS = 2,
};

_Static_assert(DESC_DATA_CONTENT + RMM_SLOT_SIZE <= RMM_DESC_SIZE, "data content fits");
_Static_assert(DESC_REC_CONTENT + RMM_SLOT_SIZE <= RMM_DESC_SIZE, "rec content fits");

static void desc_header(uint8_t desc[RMM_DESC_SIZE], uint8_t type, const uint8_t rim[RMM_SLOT_SIZE])
{
	memset(desc, 0, RMM_DESC_SIZE);
	desc[DESC_TYPE] = type;
	put_le64(desc + DESC_LEN, RMM_DESC_SIZE);
	memcpy(desc + DESC_RIM, rim, RMM_SLOT_SIZE);
}

void rmm_desc_data(uint8_t desc[RMM_DESC_SIZE], const uint8_t rim[RMM_SLOT_SIZE], uint64_t ipa,
		   uint64_t flags, const uint8_t content[RMM_SLOT_SIZE])
{
	desc_header(desc, DESC_TYPE_DATA, rim);
	put_le64(desc + DESC_DATA_IPA, ipa);
	put_le64(desc + DESC_DATA_FLAGS, flags);
	memcpy(desc + DESC_DATA_CONTENT, content, RMM_SLOT_SIZE);
}

void rmm_desc_rec(uint8_t desc[RMM_DESC_SIZE], const uint8_t rim[RMM_SLOT_SIZE],
		  const uint8_t content[RMM_SLOT_SIZE])
{
	desc_header(desc, DESC_TYPE_REC, rim);
	memcpy(desc + DESC_REC_CONTENT, content, RMM_SLOT_SIZE);
}

void rmm_desc_ripas(uint8_t desc[RMM_DESC_SIZE], const uint8_t rim[RMM_SLOT_SIZE], uint64_t base,
		    uint64_t top)
{
	desc_header(desc, DESC_TYPE_RIPAS, rim);
	put_le64(desc + DESC_RIPAS_BASE, base);
	put_le64(desc + DESC_RIPAS_TOP, top);
}

void rmm_rim_extend(unsigned algo, uint8_t rim[RMM_SLOT_SIZE], const uint8_t desc[RMM_DESC_SIZE])
{
	(void)rmm_hash(algo, desc, RMM_DESC_SIZE, rim);
}
