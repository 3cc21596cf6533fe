/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm: measurement slots, the NEW -> ACTIVE -> SYSTEM_OFF state
 * machine, and the measured operations. Each operation is expressed as a
 * struct rmm_op and goes through rmm_realm_apply(), which checks it, logs
 * it and measures it; the replay of a log uses the same function, so a
 * replayed realm cannot measure differently from a live one.
 */
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "rmm/rmm.h"

struct rmm_realm {
	struct rmm_realm_config config;
	enum rmm_realm_state state;
	size_t digest_len;
	uint8_t slots[RMM_NUM_SLOTS][RMM_SLOT_SIZE];
	struct rmm_oplog *log; /* NULL unless config.record */
};

static const char *const state_names[] = {
	[RMM_REALM_NEW] = "new",
	[RMM_REALM_ACTIVE] = "active",
	[RMM_REALM_SYSTEM_OFF] = "system off",
};

static int require_state(const struct rmm_realm *r, enum rmm_realm_state want, const char *what)
{
	if (r->state != want)
		return fasco_fail(FASCO_E_STATE, "rmm: %s needs the realm %s, it is %s", what,
				  state_names[want], state_names[r->state]);
	return 0;
}

static int check_config(const struct rmm_realm_config *c)
{
	if (c->profile != RMM_PROFILE_1_0 && c->profile != RMM_PROFILE_2_0)
		return fasco_fail(FASCO_E_CONFIG, "rmm: profile %d unknown", (int)c->profile);
	if (c->rtt_policy != RMM_RTT_LARGEST_BLOCK && c->rtt_policy != RMM_RTT_PAGES)
		return fasco_fail(FASCO_E_CONFIG, "rmm: RTT policy %d unknown", (int)c->rtt_policy);
	if (c->rem_mode != RMM_REM_TFRMM && c->rem_mode != RMM_REM_SPEC)
		return fasco_fail(FASCO_E_CONFIG, "rmm: REM mode %d unknown", (int)c->rem_mode);
	return 0;
}

int rmm_realm_new(const struct rmm_realm_config *config, struct rmm_realm **ret_realm)
{
	_cleanup_rmm_realm_ struct rmm_realm *r = NULL;
	int ret;

	ret = check_config(config);
	if (ret < 0)
		return ret;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->config = *config;
	r->state = RMM_REALM_NEW;
	r->digest_len = rmm_hash_len(config->params.hash_algo);
	ret = rmm_rim_init(&config->params, config->profile, r->slots[RMM_RIM_INDEX]);
	if (ret < 0)
		return ret;
	if (config->record) {
		ret = rmm_oplog_new(config, &r->log);
		if (ret < 0)
			return ret;
	}
	*ret_realm = take_ptr(r);
	return 0;
}

void rmm_realm_free(struct rmm_realm *realm)
{
	if (!realm)
		return;
	rmm_oplog_free(realm->log);
	free(realm);
}

const struct rmm_realm_config *rmm_realm_config(const struct rmm_realm *realm)
{
	return &realm->config;
}

enum rmm_realm_state rmm_realm_state(const struct rmm_realm *realm)
{
	return realm->state;
}

size_t rmm_realm_digest_len(const struct rmm_realm *realm)
{
	return realm->digest_len;
}

int rmm_realm_activate(struct rmm_realm *realm)
{
	int ret = require_state(realm, RMM_REALM_NEW, "activation");

	if (ret < 0)
		return ret;
	realm->state = RMM_REALM_ACTIVE;
	return 0;
}

int rmm_realm_system_off(struct rmm_realm *realm)
{
	int ret = require_state(realm, RMM_REALM_ACTIVE, "system off");

	if (ret < 0)
		return ret;
	realm->state = RMM_REALM_SYSTEM_OFF;
	return 0;
}

int rmm_realm_measurement(const struct rmm_realm *realm, unsigned index,
			  uint8_t slot[RMM_SLOT_SIZE], size_t *ret_len)
{
	if (index >= RMM_NUM_SLOTS)
		return fasco_fail(FASCO_E_CONFIG, "rmm: measurement index %u (0..%u)", index,
				  RMM_NUM_SLOTS - 1);
	memcpy(slot, realm->slots[index], RMM_SLOT_SIZE);
	if (ret_len)
		*ret_len = realm->digest_len;
	return 0;
}

const uint8_t *rmm_realm_oplog(const struct rmm_realm *realm, size_t *ret_len)
{
	return realm->log ? rmm_oplog_bytes(realm->log, ret_len) : NULL;
}

/* ---- Operations --------------------------------------------------------- */

/* [base, top) granule aligned, non-empty, inside the protected IPA range. */
static int check_ipa_range(const struct rmm_realm *r, uint64_t base, uint64_t top, const char *what)
{
	uint64_t par_top = UINT64_C(1) << (r->config.params.s2sz - 1);

	if ((base | top) & (RMM_GRANULE_SIZE - 1))
		return fasco_fail(FASCO_E_CONFIG, "rmm: %s [0x%llx, 0x%llx) not granule aligned",
				  what, (unsigned long long)base, (unsigned long long)top);
	if (base >= top || top > par_top)
		return fasco_fail(FASCO_E_CONFIG,
				  "rmm: %s [0x%llx, 0x%llx) empty or outside the protected IPA range [0, 0x%llx)",
				  what, (unsigned long long)base, (unsigned long long)top,
				  (unsigned long long)par_top);
	return 0;
}

int rmm_realm_check(const struct rmm_realm *r, const struct rmm_op *op)
{
	switch (op->type) {
	case RMM_OP_DATA_MEASURED:
	case RMM_OP_DATA_UNMEASURED:
		if (op->u.data.ipa > UINT64_MAX - RMM_GRANULE_SIZE)
			return fasco_fail(FASCO_E_CONFIG, "rmm: DATA at 0x%llx overflows",
					  (unsigned long long)op->u.data.ipa);
		return require_state(r, RMM_REALM_NEW, "DATA_CREATE") ?:
		       check_ipa_range(r, op->u.data.ipa, op->u.data.ipa + RMM_GRANULE_SIZE, "DATA");
	case RMM_OP_RIPAS:
		return require_state(r, RMM_REALM_NEW, "RTT_INIT_RIPAS") ?:
		       check_ipa_range(r, op->u.ripas.base, op->u.ripas.top, "RIPAS");
	case RMM_OP_REC:
		if (op->u.rec.flags & ~RMM_REC_FLAG_RUNNABLE)
			return fasco_fail(FASCO_E_CONFIG, "rmm: REC flags 0x%llx have reserved bits",
					  (unsigned long long)op->u.rec.flags);
		return require_state(r, RMM_REALM_NEW, "REC_CREATE");
	}
	return fasco_fail(-EINVAL, "rmm: operation type %d unknown", (int)op->type);
}

static void measure_data(struct rmm_realm *r, const struct rmm_op *op)
{
	static const uint8_t no_content[RMM_SLOT_SIZE];
	bool measured = op->type == RMM_OP_DATA_MEASURED;
	uint8_t desc[RMM_DESC_SIZE];

	rmm_desc_data(desc, r->slots[RMM_RIM_INDEX], op->u.data.ipa,
		      measured ? RMM_DATA_FLAG_MEASURE : 0, measured ? op->u.data.digest : no_content);
	rmm_rim_extend(r->config.params.hash_algo, r->slots[RMM_RIM_INDEX], desc);
}

static void measure_ripas(struct rmm_realm *r, const struct rmm_op *op)
{
	const struct rmm_realm_params *p = &r->config.params;
	uint8_t desc[RMM_DESC_SIZE];
	uint64_t ipa = op->u.ripas.base, top = op->u.ripas.top;

	if (r->config.profile != RMM_PROFILE_1_0)
		return;
	while (ipa < top) {
		uint64_t end = ipa + rmm_rtt_entry_size(r->config.rtt_policy, p->s2sz, ipa, top);

		rmm_desc_ripas(desc, r->slots[RMM_RIM_INDEX], ipa, end < top ? end : top);
		rmm_rim_extend(p->hash_algo, r->slots[RMM_RIM_INDEX], desc);
		ipa = end;
	}
}

static void measure_rec(struct rmm_realm *r, const struct rmm_op *op)
{
	uint8_t granule[RMM_GRANULE_SIZE], content[RMM_SLOT_SIZE], desc[RMM_DESC_SIZE];
	unsigned algo = r->config.params.hash_algo;

	if (!(op->u.rec.flags & RMM_REC_FLAG_RUNNABLE))
		return;
	rmm_rec_params_encode(&op->u.rec, granule);
	(void)rmm_hash(algo, granule, sizeof(granule), content);
	rmm_desc_rec(desc, r->slots[RMM_RIM_INDEX], content);
	rmm_rim_extend(algo, r->slots[RMM_RIM_INDEX], desc);
}

int rmm_realm_apply(struct rmm_realm *realm, const struct rmm_op *op)
{
	int ret = rmm_realm_check(realm, op);

	if (ret < 0)
		return ret;
	if (realm->log) {
		ret = rmm_oplog_append(realm->log, op);
		if (ret < 0)
			return ret;
	}
	switch (op->type) {
	case RMM_OP_DATA_MEASURED:
	case RMM_OP_DATA_UNMEASURED:
		measure_data(realm, op);
		break;
	case RMM_OP_RIPAS:
		measure_ripas(realm, op);
		break;
	case RMM_OP_REC:
		measure_rec(realm, op);
		break;
	}
	return 0;
}

int rmm_realm_reserve(struct rmm_realm *realm, enum rmm_op_type type, size_t n)
{
	return realm->log ? rmm_oplog_reserve(realm->log, type, n) : 0;
}

int rmm_ripas_init(struct rmm_realm *realm, uint64_t base, uint64_t top)
{
	struct rmm_op op = { .type = RMM_OP_RIPAS, .u.ripas = { .base = base, .top = top } };

	return rmm_realm_apply(realm, &op);
}

int rmm_rec_create(struct rmm_realm *realm, const struct rmm_rec_params *params)
{
	struct rmm_op op = { .type = RMM_OP_REC, .u.rec = *params };

	op.u.rec.mpidr = 0; /* not measured, not logged */
	return rmm_realm_apply(realm, &op);
}

int rmm_rem_extend(struct rmm_realm *realm, unsigned index, const void *value, size_t size)
{
	int ret = require_state(realm, RMM_REALM_ACTIVE, "RSI_MEASUREMENT_EXTEND");

	if (ret < 0)
		return ret;
	if (index < 1 || index >= RMM_NUM_SLOTS)
		return fasco_fail(FASCO_E_CONFIG, "rmm: REM index %u outside 1..%u", index,
				  RMM_NUM_SLOTS - 1);
	return rmm_rem_compute(realm->config.params.hash_algo, realm->config.rem_mode,
			       realm->slots[index], value, size, realm->slots[index]);
}
