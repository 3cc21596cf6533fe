/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libfasco realm measurements: the Arm CCA RMM's measurement rules as plain
 * functions, for verifiers and tools that predict a realm's RIM and REMs.
 *
 * Conventions as in fasco.h: 0 or a negative code; digests go to a caller
 * buffer of capacity cap, the digest length (32, 48 or 64) to *ret_len
 * (which may be NULL); FASCO_E_BUFFER if cap is too small. Plain integers
 * and byte buffers only, so Python ctypes and cgo can call every function.
 */
#ifndef FASCO_MEASURE_H
#define FASCO_MEASURE_H

#include <stddef.h>
#include <stdint.h>

#include <fasco/fasco.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Realm hash algorithm (RmiHashAlgorithm). SHA-384 only in RMM 2.0. */
enum fasco_hash_algo {
	FASCO_HASH_SHA256 = 0,
	FASCO_HASH_SHA512 = 1,
	FASCO_HASH_SHA384 = 2,
};

/* RmiRealmFlags bits. */
enum fasco_realm_flag {
	FASCO_REALM_FLAG_LPA2 = 1,
	FASCO_REALM_FLAG_SVE = 2,
	FASCO_REALM_FLAG_PMU = 4,
};

/* REM extension formula. */
enum fasco_rem_mode {
	FASCO_REM_TFRMM = 0, /* RHA(old[0..digest len) || value): TF-RMM, Islet */
	FASCO_REM_SPEC = 1,  /* RHA(old[0..64) || value zero-padded to 64): DEN0137 text */
};

/* Largest digest: size ret buffers with this to never see FASCO_E_BUFFER. */
#define FASCO_MEASURE_MAX_LEN 64

/* The platform conventions a realm image follows (page-table bits, boot). */
enum fasco_platform {
	FASCO_PLATFORM_HOST = 0,    /* this host's */
	FASCO_PLATFORM_KVM_PVM = 1, /* shadow-paging KVM without VMX/SVM */
	FASCO_PLATFORM_KVM_HW = 2,  /* KVM on VMX/SVM */
};

/*
 * Predict the RIM of the realm a configuration creates, without creating it
 * and without /dev/kvm: the program is read inside root_dir (NULL: "/"),
 * exactly as fasco_realm_load() will read it. Equal, byte for byte, to
 * what fasco_realm_measurement(realm, 0, ...) reports for the same inputs
 * on the same platform.
 */
FASCO_API int fasco_measure_config(const fasco_config *config, const char *root_dir,
				   int platform, uint8_t *ret_rim, size_t cap, size_t *ret_len);

/*
 * Initial RIM of a realm under the RMM 1.0 rules: the RHA of the measured
 * fields of RmiRealmParams. Values use the spec encodings:
 *   ipa_bits      IPA width (s2sz), 32..48, or ..52 with LPA2
 *   flags         enum fasco_realm_flag bits
 *   sve_vl        (vector length / 128) - 1; 0 unless SVE
 *   num_bps/wps   number of breakpoints/watchpoints MINUS ONE (1..63)
 *   pmu_num_ctrs  0 unless PMU
 * FASCO_E_CONFIG names the first value the RMM would reject. (Under RMM 2.0
 * the initial RIM is all zeros.)
 */
FASCO_API int fasco_measure_rim_params(int hash_algo, unsigned ipa_bits, uint64_t flags,
				       unsigned sve_vl, unsigned num_bps, unsigned num_wps,
				       unsigned pmu_num_ctrs, uint8_t *ret_rim, size_t cap,
				       size_t *ret_len);

/*
 * One RSI_MEASUREMENT_EXTEND of a REM: old holds old_len bytes, either the
 * digest length or a whole 64-byte slot (whose tail must be zero); old_len
 * 0 (old may be NULL) is the initial all-zero REM. value_len <= 64. mode is
 * an enum fasco_rem_mode.
 */
FASCO_API int fasco_measure_rem_extend(int hash_algo, int mode, const uint8_t *old,
				       size_t old_len, const uint8_t *value, size_t value_len,
				       uint8_t *ret_rem, size_t cap, size_t *ret_len);

/*
 * RIM that a libfasco measurement operation log (as recorded by the realm
 * that loaded it) produces. The log is untrusted: a malformed log gives
 * -EBADMSG (an unknown format version FASCO_E_UNSUPPORTED) with the record
 * and byte offset in fasco_last_error().
 */
FASCO_API int fasco_measure_replay(const uint8_t *log, size_t log_len, uint8_t *ret_rim,
				   size_t cap, size_t *ret_len);

#ifdef __cplusplus
}
#endif

#endif /* FASCO_MEASURE_H */
