/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Operation log: every operation that can reach a realm's RIM, in order,
 * so that a verifier (or fasco-measure) can recompute the RIM without the
 * memory contents. The live log is kept in its serialised form, so
 * handing it out costs nothing; reading a log trusts nothing in it.
 *
 * Format, version 1. All integers little-endian, no padding, no alignment.
 *
 *   Header (32 bytes)
 *   0x00  4  magic "FMOL"
 *   0x04  2  version = 1
 *   0x06  1  profile        (enum rmm_profile: 0 = RMM 1.0, 1 = RMM 2.0)
 *   0x07  1  rtt policy     (enum rmm_rtt_policy: 0 = largest block, 1 = pages)
 *   0x08  8  realm flags    (RmiRealmFlags)
 *   0x10  1  s2sz
 *   0x11  1  sve_vl
 *   0x12  1  num_bps        (count - 1, as in RmiRealmParams)
 *   0x13  1  num_wps        (count - 1)
 *   0x14  1  pmu_num_ctrs
 *   0x15  1  hash_algo      (RmiHashAlgorithm; fixes the digest length D)
 *   0x16  2  reserved, zero
 *   0x18  4  record count N (at most RMM_OPLOG_MAX_RECORDS)
 *   0x1c  4  reserved, zero
 *
 *   N records, back to back, each a type byte and a fixed payload:
 *   1 DATA, measured     ipa u64, content digest (D bytes)
 *   2 DATA, unmeasured   ipa u64
 *   3 RTT_INIT_RIPAS     base u64, top u64 (the command's range)
 *   4 REC_CREATE         flags u64, pc u64, gprs[0..7] u64
 *
 *   Nothing follows the last record. The header is REALM_CREATE; RIPAS
 *   records are split into RTT entries by the rtt policy at replay, and
 *   non-runnable RECs are logged but do not measure. The RPV, mpidr and the
 *   REM formula are not part of the RIM and not logged.
 */
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "rmm/bytes.h"
#include "rmm/rmm.h"

#define OPLOG_MAGIC "FMOL"
#define OPLOG_VERSION 1
#define OPLOG_HEADER_SIZE 32
#define OPLOG_MAX_RECORDS (UINT32_C(1) << 26) /* 256 GiB of 4 KiB pages */
#define OPLOG_MIN_RECORD 9                     /* unmeasured DATA */

enum {
	HDR_MAGIC = 0x00,
	HDR_VERSION = 0x04,
	HDR_PROFILE = 0x06,
	HDR_RTT_POLICY = 0x07,
	HDR_FLAGS = 0x08,
	HDR_S2SZ = 0x10,
	HDR_SVE_VL = 0x11,
	HDR_NUM_BPS = 0x12,
	HDR_NUM_WPS = 0x13,
	HDR_PMU_NUM_CTRS = 0x14,
	HDR_HASH_ALGO = 0x15,
	HDR_RESERVED0 = 0x16,
	HDR_COUNT = 0x18,
	HDR_RESERVED1 = 0x1c,
};

struct rmm_oplog {
	uint8_t *buf;
	size_t len, cap;
	uint32_t count;
	size_t digest_len;
};

/* Encoded size of a record, type byte included; 0 for an unknown type. */
static size_t record_size(unsigned type, size_t digest_len)
{
	switch (type) {
	case RMM_OP_DATA_MEASURED:
		return 1 + 8 + digest_len;
	case RMM_OP_DATA_UNMEASURED:
		return 1 + 8;
	case RMM_OP_RIPAS:
		return 1 + 2 * 8;
	case RMM_OP_REC:
		return 1 + 10 * 8;
	default:
		return 0;
	}
}

/* ---- Writing ------------------------------------------------------------ */

static void encode_header(uint8_t hdr[OPLOG_HEADER_SIZE], const struct rmm_realm_config *c)
{
	const struct rmm_realm_params *p = &c->params;

	memset(hdr, 0, OPLOG_HEADER_SIZE);
	memcpy(hdr + HDR_MAGIC, OPLOG_MAGIC, 4);
	put_le16(hdr + HDR_VERSION, OPLOG_VERSION);
	hdr[HDR_PROFILE] = (uint8_t)c->profile;
	hdr[HDR_RTT_POLICY] = (uint8_t)c->rtt_policy;
	put_le64(hdr + HDR_FLAGS, p->flags);
	hdr[HDR_S2SZ] = p->s2sz;
	hdr[HDR_SVE_VL] = p->sve_vl;
	hdr[HDR_NUM_BPS] = p->num_bps;
	hdr[HDR_NUM_WPS] = p->num_wps;
	hdr[HDR_PMU_NUM_CTRS] = p->pmu_num_ctrs;
	hdr[HDR_HASH_ALGO] = p->hash_algo;
}

static void encode_op(uint8_t *p, const struct rmm_op *op, size_t digest_len)
{
	*p++ = (uint8_t)op->type;
	switch (op->type) {
	case RMM_OP_DATA_MEASURED:
		put_le64(p, op->u.data.ipa);
		memcpy(p + 8, op->u.data.digest, digest_len);
		break;
	case RMM_OP_DATA_UNMEASURED:
		put_le64(p, op->u.data.ipa);
		break;
	case RMM_OP_RIPAS:
		put_le64(p, op->u.ripas.base);
		put_le64(p + 8, op->u.ripas.top);
		break;
	case RMM_OP_REC:
		put_le64(p, op->u.rec.flags);
		put_le64(p + 8, op->u.rec.pc);
		for (unsigned i = 0; i < 8; i++)
			put_le64(p + 16 + 8 * i, op->u.rec.gprs[i]);
		break;
	}
}

int rmm_oplog_new(const struct rmm_realm_config *config, struct rmm_oplog **ret_log)
{
	_cleanup_free_ struct rmm_oplog *log = calloc(1, sizeof(*log));

	if (!log)
		return -ENOMEM;
	log->cap = RMM_GRANULE_SIZE;
	log->buf = malloc(log->cap);
	if (!log->buf)
		return -ENOMEM;
	log->digest_len = rmm_hash_len(config->params.hash_algo);
	encode_header(log->buf, config);
	log->len = OPLOG_HEADER_SIZE;
	*ret_log = take_ptr(log);
	return 0;
}

void rmm_oplog_free(struct rmm_oplog *log)
{
	if (!log)
		return;
	free(log->buf);
	free(log);
}

int rmm_oplog_reserve(struct rmm_oplog *log, enum rmm_op_type type, size_t n)
{
	size_t size = record_size(type, log->digest_len), need, cap;
	uint8_t *buf;

	if (n > OPLOG_MAX_RECORDS - log->count || n > (SIZE_MAX / 2 - log->len) / size)
		return fasco_fail(-E2BIG, "rmm: operation log full (%u records)", log->count);
	need = log->len + n * size;
	if (need <= log->cap)
		return 0;
	for (cap = log->cap; cap < need; cap *= 2)
		;
	buf = realloc(log->buf, cap);
	if (!buf)
		return -ENOMEM;
	log->buf = buf;
	log->cap = cap;
	return 0;
}

int rmm_oplog_append(struct rmm_oplog *log, const struct rmm_op *op)
{
	int ret = rmm_oplog_reserve(log, op->type, 1);

	if (ret < 0)
		return ret;
	encode_op(log->buf + log->len, op, log->digest_len);
	log->len += record_size(op->type, log->digest_len);
	put_le32(log->buf + HDR_COUNT, ++log->count);
	return 0;
}

const uint8_t *rmm_oplog_bytes(const struct rmm_oplog *log, size_t *ret_len)
{
	if (ret_len)
		*ret_len = log->len;
	return log->buf;
}

/* ---- Reading ------------------------------------------------------------ */

static int bad(const char *what, size_t offset)
{
	return fasco_fail(-EBADMSG, "rmm: oplog: %s at offset %zu", what, offset);
}

static int decode_header(struct rmm_oplog_reader *rd)
{
	const uint8_t *h = rd->buf;
	struct rmm_realm_params *p = &rd->config.params;
	unsigned version;

	if (rd->len < OPLOG_HEADER_SIZE)
		return fasco_fail(-EBADMSG, "rmm: oplog: header truncated (%zu of %u bytes)",
				  rd->len, OPLOG_HEADER_SIZE);
	if (memcmp(h + HDR_MAGIC, OPLOG_MAGIC, 4))
		return bad("bad magic", HDR_MAGIC);
	version = get_le16(h + HDR_VERSION);
	if (version != OPLOG_VERSION)
		return fasco_fail(FASCO_E_UNSUPPORTED, "rmm: oplog: version %u unsupported (reads %u)",
				  version, OPLOG_VERSION);
	if (get_le16(h + HDR_RESERVED0) || get_le32(h + HDR_RESERVED1))
		return bad("reserved header field not zero", HDR_RESERVED0);
	if (h[HDR_PROFILE] > RMM_PROFILE_2_0)
		return bad("unknown profile", HDR_PROFILE);
	if (h[HDR_RTT_POLICY] > RMM_RTT_PAGES)
		return bad("unknown RTT policy", HDR_RTT_POLICY);

	rmm_realm_config_init(&rd->config);
	rd->config.record = false;
	rd->config.profile = h[HDR_PROFILE];
	rd->config.rtt_policy = h[HDR_RTT_POLICY];
	p->flags = get_le64(h + HDR_FLAGS);
	p->s2sz = h[HDR_S2SZ];
	p->sve_vl = h[HDR_SVE_VL];
	p->num_bps = h[HDR_NUM_BPS];
	p->num_wps = h[HDR_NUM_WPS];
	p->pmu_num_ctrs = h[HDR_PMU_NUM_CTRS];
	p->hash_algo = h[HDR_HASH_ALGO];
	if (rmm_realm_params_check(p, rd->config.profile) < 0)
		return fasco_fail_wrap(-EBADMSG, "rmm: oplog: header realm parameters");
	rd->digest_len = rmm_hash_len(p->hash_algo);

	rd->count = get_le32(h + HDR_COUNT);
	if (rd->count > OPLOG_MAX_RECORDS ||
	    rd->count > (rd->len - OPLOG_HEADER_SIZE) / OPLOG_MIN_RECORD)
		return fasco_fail(-EBADMSG,
				  "rmm: oplog: %u records announced, %zu bytes hold at most %zu (limit %u)",
				  rd->count, rd->len - OPLOG_HEADER_SIZE,
				  (rd->len - OPLOG_HEADER_SIZE) / OPLOG_MIN_RECORD, OPLOG_MAX_RECORDS);
	return 0;
}

int rmm_oplog_reader_init(struct rmm_oplog_reader *rd, const uint8_t *buf, size_t len)
{
	*rd = (struct rmm_oplog_reader){ .buf = buf, .len = len, .pos = OPLOG_HEADER_SIZE };
	if (!buf && len)
		return fasco_fail(-EINVAL, "rmm: oplog: NULL buffer of %zu bytes", len);
	return decode_header(rd);
}

static void decode_op(const uint8_t *p, struct rmm_op *op, size_t digest_len)
{
	memset(op, 0, sizeof(*op));
	op->type = *p++;
	switch (op->type) {
	case RMM_OP_DATA_MEASURED:
		op->u.data.ipa = get_le64(p);
		memcpy(op->u.data.digest, p + 8, digest_len);
		break;
	case RMM_OP_DATA_UNMEASURED:
		op->u.data.ipa = get_le64(p);
		break;
	case RMM_OP_RIPAS:
		op->u.ripas.base = get_le64(p);
		op->u.ripas.top = get_le64(p + 8);
		break;
	case RMM_OP_REC:
		op->u.rec.flags = get_le64(p);
		op->u.rec.pc = get_le64(p + 8);
		for (unsigned i = 0; i < 8; i++)
			op->u.rec.gprs[i] = get_le64(p + 16 + 8 * i);
		break;
	}
}

int rmm_oplog_read(struct rmm_oplog_reader *rd, struct rmm_op *op)
{
	size_t size;

	if (rd->index == rd->count) {
		if (rd->pos != rd->len)
			return fasco_fail(-EBADMSG, "rmm: oplog: %zu bytes after record %u at offset %zu",
					  rd->len - rd->pos, rd->count, rd->pos);
		return 0;
	}
	if (rd->pos == rd->len)
		return fasco_fail(-EBADMSG, "rmm: oplog: truncated after %u of %u records (offset %zu)",
				  rd->index, rd->count, rd->pos);
	size = record_size(rd->buf[rd->pos], rd->digest_len);
	if (!size)
		return fasco_fail(-EBADMSG, "rmm: oplog: record %u has unknown type %u at offset %zu",
				  rd->index, rd->buf[rd->pos], rd->pos);
	if (rd->len - rd->pos < size)
		return fasco_fail(-EBADMSG,
				  "rmm: oplog: record %u (type %u) truncated at offset %zu: %zu of %zu bytes",
				  rd->index, rd->buf[rd->pos], rd->pos, rd->len - rd->pos, size);
	decode_op(rd->buf + rd->pos, op, rd->digest_len);
	rd->pos += size;
	rd->index++;
	return 1;
}

/* ---- Replay ------------------------------------------------------------- */

int rmm_oplog_replay(const uint8_t *buf, size_t len, struct rmm_realm **ret_realm)
{
	_cleanup_rmm_realm_ struct rmm_realm *realm = NULL;
	struct rmm_oplog_reader rd;
	struct rmm_op op;
	int ret;

	ret = rmm_oplog_reader_init(&rd, buf, len);
	if (ret < 0)
		return ret;
	ret = rmm_realm_new(&rd.config, &realm);
	if (ret < 0)
		return ret;
	for (;;) {
		size_t offset = rd.pos;

		ret = rmm_oplog_read(&rd, &op);
		if (ret <= 0)
			break;
		ret = rmm_realm_apply(realm, &op);
		if (ret < 0)
			return fasco_fail_wrap(-EBADMSG, "rmm: oplog: record %u at offset %zu",
					       rd.index - 1, offset);
	}
	if (ret < 0)
		return ret;
	*ret_realm = take_ptr(realm);
	return 0;
}

int rmm_oplog_replay_rim(const uint8_t *buf, size_t len, uint8_t rim[RMM_SLOT_SIZE],
			 size_t *ret_len)
{
	_cleanup_rmm_realm_ struct rmm_realm *realm = NULL;
	int ret = rmm_oplog_replay(buf, len, &realm);

	if (ret < 0)
		return ret;
	return rmm_realm_measurement(realm, RMM_RIM_INDEX, rim, ret_len);
}
