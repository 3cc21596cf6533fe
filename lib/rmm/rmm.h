/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Software model of the RMM's realm measurements (backend independent).
 *
 * A struct rmm_realm follows what the RMM does to a realm's measurement
 * slots: REALM_CREATE initialises the RIM from the measured realm
 * parameters, DATA_CREATE, RTT_INIT_RIPAS and REC_CREATE extend it with
 * 256-byte descriptors while the realm is new, and RSI_MEASUREMENT_EXTEND
 * extends a REM once it is active. See docs/CCA.md section 1.
 *
 * Every operation that can reach the RIM is also appended, in order, to an
 * operation log (oplog.c) whose replay reproduces the RIM without the
 * memory contents: DATA records carry only the page digest.
 *
 * Errors follow common/error.h: FASCO_E_CONFIG for a value the RMM would
 * reject, FASCO_E_STATE for an operation in the wrong realm state,
 * -EBADMSG / FASCO_E_UNSUPPORTED for a malformed or unknown oplog.
 *
 * Threading: a realm is used by one thread at a time.
 */
#ifndef FASCO_RMM_RMM_H
#define FASCO_RMM_RMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rmm/hash.h"

#define RMM_GRANULE_SHIFT 12
#define RMM_GRANULE_SIZE (1u << RMM_GRANULE_SHIFT)
#define RMM_SLOT_SIZE RMM_HASH_SLOT_SIZE /* every measurement is 64 bytes */
#define RMM_NUM_SLOTS 5                  /* RIM + REM[0..3] */
#define RMM_RIM_INDEX 0
#define RMM_DESC_SIZE 0x100              /* measurement descriptor */
#define RMM_RPV_SIZE 64

/* RmiRealmFlags (1.0). */
#define RMM_REALM_FLAG_LPA2 (UINT64_C(1) << 0)
#define RMM_REALM_FLAG_SVE (UINT64_C(1) << 1)
#define RMM_REALM_FLAG_PMU (UINT64_C(1) << 2)
#define RMM_REALM_FLAGS_ALL (RMM_REALM_FLAG_LPA2 | RMM_REALM_FLAG_SVE | RMM_REALM_FLAG_PMU)

/* RmiRecFlags. */
#define RMM_REC_FLAG_RUNNABLE (UINT64_C(1) << 0)

/* RmiDataFlags. */
#define RMM_DATA_FLAG_MEASURE (UINT64_C(1) << 0)

/* Which RMM generation's measurement rules apply (CCA.md §0, §1.7). */
enum rmm_profile {
	RMM_PROFILE_1_0 = 0, /* RIM from realm params; RIPAS measured (default) */
	RMM_PROFILE_2_0 = 1, /* RIM starts at zero; RIPAS not measured; SHA-384 */
};

/*
 * How the host maps a RIPAS range onto RTT entries (1.0 only; CCA.md §1.5).
 * LARGEST_BLOCK is the KVM-like geometry modelled by veraison's
 * cca-realm-measurements: the starting level uses concatenated tables when
 * it would hold 16 entries or fewer, and each entry is the largest block of
 * a level below it (1 GiB / 2 MiB / 4 KiB, never level 0) that is aligned
 * and fits. PAGES maps every 4 KiB granule with its own level-3 entry.
 */
enum rmm_rtt_policy {
	RMM_RTT_LARGEST_BLOCK = 0,
	RMM_RTT_PAGES = 1,
};

/* REM extension formula (CCA.md §1.9, §6 item 2). */
enum rmm_rem_mode {
	RMM_REM_TFRMM = 0, /* RHA(old[0..digest len) || value[0..size)) (default) */
	RMM_REM_SPEC = 1,  /* RHA(old[0..64) || value zero-padded to 64 bytes) */
};

enum rmm_realm_state {
	RMM_REALM_NEW = 0,
	RMM_REALM_ACTIVE = 1,
	RMM_REALM_SYSTEM_OFF = 2,
};

/*
 * The fields of RmiRealmParams this model needs, in their spec encodings:
 * num_bps and num_wps are "count minus one", sve_vl is (VL / 128) - 1.
 */
struct rmm_realm_params {
	uint64_t flags;        /* RMM_REALM_FLAG_* */
	uint8_t s2sz;          /* IPA width in bits */
	uint8_t sve_vl;
	uint8_t num_bps;
	uint8_t num_wps;
	uint8_t pmu_num_ctrs;
	uint8_t hash_algo;     /* enum rmm_hash_algo */
	uint8_t rpv[RMM_RPV_SIZE]; /* reported, not measured */
};

struct rmm_realm_config {
	struct rmm_realm_params params;
	enum rmm_profile profile;
	enum rmm_rtt_policy rtt_policy;
	enum rmm_rem_mode rem_mode;
	bool record;           /* keep an operation log */
};

/* The measured fields of RmiRecParams, plus mpidr (not measured). */
struct rmm_rec_params {
	uint64_t flags;        /* RMM_REC_FLAG_* */
	uint64_t mpidr;
	uint64_t pc;
	uint64_t gprs[8];
};

struct rmm_realm;

/* ---- Parameters (params.c) ---------------------------------------------- */

/* Defaults: SHA-256, 40-bit IPA, 2 breakpoints/watchpoints, profile 1.0. */
void rmm_realm_config_init(struct rmm_realm_config *config);

/* Reject what REALM_CREATE would reject (FASCO_E_CONFIG, with the field). */
int rmm_realm_params_check(const struct rmm_realm_params *p, enum rmm_profile profile);

/* The zero-filled 4096-byte measured copy of RmiRealmParams. */
void rmm_realm_params_encode(const struct rmm_realm_params *p, uint8_t granule[RMM_GRANULE_SIZE]);

/* Initial RIM for these parameters under profile (checked first). */
int rmm_rim_init(const struct rmm_realm_params *p, enum rmm_profile profile,
		 uint8_t rim[RMM_SLOT_SIZE]);

/* The zero-filled 4096-byte measured copy of RmiRecParams (flags, pc, gprs). */
void rmm_rec_params_encode(const struct rmm_rec_params *p, uint8_t granule[RMM_GRANULE_SIZE]);

/* ---- Descriptors (desc.c): rim = RHA(descriptor), in place ---------------- */

void rmm_desc_data(uint8_t desc[RMM_DESC_SIZE], const uint8_t rim[RMM_SLOT_SIZE], uint64_t ipa,
		   uint64_t flags, const uint8_t content[RMM_SLOT_SIZE]);
void rmm_desc_rec(uint8_t desc[RMM_DESC_SIZE], const uint8_t rim[RMM_SLOT_SIZE],
		  const uint8_t content[RMM_SLOT_SIZE]);
void rmm_desc_ripas(uint8_t desc[RMM_DESC_SIZE], const uint8_t rim[RMM_SLOT_SIZE], uint64_t base,
		    uint64_t top);
/* rim := RHA(desc) zero padded; algo must be valid. */
void rmm_rim_extend(unsigned algo, uint8_t rim[RMM_SLOT_SIZE], const uint8_t desc[RMM_DESC_SIZE]);

/* ---- RTT geometry (ripas.c) --------------------------------------------- */

/*
 * Size of the RTT entry the host uses at ipa for a RIPAS range ending at
 * top (both granule aligned, ipa < top).
 */
uint64_t rmm_rtt_entry_size(enum rmm_rtt_policy policy, unsigned s2sz, uint64_t ipa, uint64_t top);

/* ---- REM (rem.c) -------------------------------------------------------- */

/* new := extension of old by value[0..size) under mode; size <= 64. */
int rmm_rem_compute(unsigned algo, enum rmm_rem_mode mode, const uint8_t old[RMM_SLOT_SIZE],
		    const void *value, size_t size, uint8_t new_rem[RMM_SLOT_SIZE]);

/* ---- Realm (realm.c) ---------------------------------------------------- */

/* REALM_CREATE: check the configuration, initialise the RIM. */
int rmm_realm_new(const struct rmm_realm_config *config, struct rmm_realm **ret_realm);
void rmm_realm_free(struct rmm_realm *realm);
static inline void rmm_realm_freep(struct rmm_realm **r)
{
	rmm_realm_free(*r);
}
#define _cleanup_rmm_realm_ __attribute__((cleanup(rmm_realm_freep)))

const struct rmm_realm_config *rmm_realm_config(const struct rmm_realm *realm);
enum rmm_realm_state rmm_realm_state(const struct rmm_realm *realm);
/* Digest length of the realm's RHA (32, 48 or 64). */
size_t rmm_realm_digest_len(const struct rmm_realm *realm);

/* NEW -> ACTIVE (RIM frozen) and ACTIVE -> SYSTEM_OFF. */
int rmm_realm_activate(struct rmm_realm *realm);
int rmm_realm_system_off(struct rmm_realm *realm);

/*
 * Measurement slot index (0 = RIM, 1..4 = REM) as the 64-byte slot; the
 * meaningful length (the digest length) goes to *ret_len. Any state.
 */
int rmm_realm_measurement(const struct rmm_realm *realm, unsigned index,
			  uint8_t slot[RMM_SLOT_SIZE], size_t *ret_len);

/*
 * DATA_CREATE of one granule at ipa (granule aligned, in the protected half
 * of the IPA space) whose content digest is already known: digest holds
 * rmm_realm_digest_len() bytes and is ignored (may be NULL) when !measure.
 * This is all the RMM hashes from the page, so a cache of page digests
 * keyed by file identity keeps the RIM exact.
 */
int rmm_populate_digest(struct rmm_realm *realm, uint64_t ipa, const uint8_t *digest, bool measure);

/* DATA_CREATE of one 4096-byte page at ipa. */
int rmm_data_create(struct rmm_realm *realm, uint64_t ipa, const uint8_t page[RMM_GRANULE_SIZE],
		    bool measure);

/*
 * Populate [ipa, ipa + len) from data: one DATA_CREATE per 4 KiB granule in
 * ascending order, the last page zero padded. ipa must be granule aligned.
 * Validated as a whole before anything is measured. Main loader entry.
 */
int rmm_populate(struct rmm_realm *realm, uint64_t ipa, const void *data, size_t len, bool measure);

/*
 * RTT_INIT_RIPAS over [base, top) (granule aligned): one RIPAS descriptor
 * per RTT entry under the realm's RTT policy (1.0); not measured in 2.0.
 */
int rmm_ripas_init(struct rmm_realm *realm, uint64_t base, uint64_t top);

/* REC_CREATE: a runnable REC extends the RIM, others leave it alone. */
int rmm_rec_create(struct rmm_realm *realm, const struct rmm_rec_params *params);

/* RSI_MEASUREMENT_EXTEND of REM index 1..4 by value[0..size), size <= 64. */
int rmm_rem_extend(struct rmm_realm *realm, unsigned index, const void *value, size_t size);

/*
 * The realm's operation log in its serialised form (see oplog.c); NULL if
 * the realm was created without config.record. Valid until the next
 * operation on the realm.
 */
const uint8_t *rmm_realm_oplog(const struct rmm_realm *realm, size_t *ret_len);

/*
 * Copy a digest of len bytes to a caller's buffer of capacity cap (the
 * public API's convention): FASCO_E_BUFFER if it does not fit.
 */
int rmm_digest_copy_out(const uint8_t slot[RMM_SLOT_SIZE], size_t len, uint8_t *ret, size_t cap,
			size_t *ret_len);

/* ---- Operation log (oplog.c) -------------------------------------------- */

enum rmm_op_type {
	RMM_OP_DATA_MEASURED = 1,
	RMM_OP_DATA_UNMEASURED = 2,
	RMM_OP_RIPAS = 3,
	RMM_OP_REC = 4,
};

struct rmm_op {
	enum rmm_op_type type;
	union {
		struct {
			uint64_t ipa;
			uint8_t digest[RMM_SLOT_SIZE]; /* zero padded */
		} data;
		struct {
			uint64_t base, top;
		} ripas;
		struct rmm_rec_params rec; /* mpidr is not logged: 0 */
	} u;
};

/* Cursor over a serialised log that has not been trusted yet. */
struct rmm_oplog_reader {
	const uint8_t *buf;
	size_t len, pos;
	uint32_t count, index; /* records announced / read so far */
	size_t digest_len;
	struct rmm_realm_config config; /* from the header; record = false */
};

/*
 * Apply one operation to a realm: check it against the state and the
 * configuration, append it to the realm's log, extend the RIM. Every
 * rmm_* operation above and the replay go through here.
 */
int rmm_realm_apply(struct rmm_realm *realm, const struct rmm_op *op);
/* The checks of rmm_realm_apply() alone: would op be accepted now? */
int rmm_realm_check(const struct rmm_realm *realm, const struct rmm_op *op);
/* Reserve log room for n operations of type (no-op without a log). */
int rmm_realm_reserve(struct rmm_realm *realm, enum rmm_op_type type, size_t n);

/* Check the header; the records are checked as they are read. */
int rmm_oplog_reader_init(struct rmm_oplog_reader *rd, const uint8_t *buf, size_t len);
/* 1 and *op, 0 at a clean end, or a negative code naming the offset. */
int rmm_oplog_read(struct rmm_oplog_reader *rd, struct rmm_op *op);

/* Rebuild the realm a log describes; the returned realm is still NEW. */
int rmm_oplog_replay(const uint8_t *buf, size_t len, struct rmm_realm **ret_realm);
/* Just its RIM (slot and digest length). */
int rmm_oplog_replay_rim(const uint8_t *buf, size_t len, uint8_t rim[RMM_SLOT_SIZE],
			 size_t *ret_len);

/* Internal to the realm: a growing serialised log. */
struct rmm_oplog;
int rmm_oplog_new(const struct rmm_realm_config *config, struct rmm_oplog **ret_log);
void rmm_oplog_free(struct rmm_oplog *log);
/* Make room for n more records of type, so the next n appends cannot fail. */
int rmm_oplog_reserve(struct rmm_oplog *log, enum rmm_op_type type, size_t n);
int rmm_oplog_append(struct rmm_oplog *log, const struct rmm_op *op);
const uint8_t *rmm_oplog_bytes(const struct rmm_oplog *log, size_t *ret_len);

#endif
