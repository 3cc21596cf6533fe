/* SPDX-License-Identifier: Apache-2.0 */
#include <elf.h>
#include <link.h>
#include <string.h>

#include <fasco/fasco.h>

#include "attest/keys.h"
#include "attest/token.h"
#include "core/realm_attest.h"
#include "rmm/rmm.h"

extern const uint8_t fasco_shim_blob[];
extern const size_t fasco_shim_blob_size;

/* What the software root of trust is, for the implementation-id claim. */
static const char implementation[] = "libfasco kvm software root of trust";

void realm_attester_init(struct realm_attester *a, const char *state_dir, const uint8_t rpv[64],
			 const uint8_t rak_seed[REALM_RAK_SEED_SIZE])
{
	memset(a, 0, sizeof(*a));
	attest_privkey_init(&a->platform);
	attest_privkey_init(&a->realm);
	memcpy(a->rpv, rpv, sizeof(a->rpv));
	memcpy(a->rak_seed, rak_seed, sizeof(a->rak_seed));
	a->load_error = state_dir ? attest_platform_key_load_or_create(state_dir, &a->platform)
				  : FASCO_E_KEY;
	a->have_platform = a->load_error >= 0;
}

void realm_attester_fini(struct realm_attester *a)
{
	attest_privkey_free(&a->platform);
	attest_privkey_free(&a->realm);
}

/* The GNU build id of the object holding this code: the library build. */
struct build_id {
	const uint8_t *bytes;
	size_t len;
};

static int find_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct build_id *id = arg;
	uintptr_t self = (uintptr_t)&find_build_id;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && self >= info->dlpi_addr + ph->p_vaddr &&
		    self < info->dlpi_addr + ph->p_vaddr + ph->p_memsz)
			goto mine;
	}
	return 0;
mine:
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end;

		if (ph->p_type != PT_NOTE)
			continue;
		for (end = p + ph->p_memsz; p + sizeof(ElfW(Nhdr)) <= end;) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			size_t name = (n->n_namesz + 3) & ~3u, desc = (n->n_descsz + 3) & ~3u;

			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    memcmp(p + sizeof(*n), "GNU", 4) == 0 && n->n_descsz <= 64) {
				id->bytes = p + sizeof(*n) + name;
				id->len = n->n_descsz;
				return 1;
			}
			p += sizeof(*n) + name + desc;
		}
	}
	return 1;
}

static int make_realm_key(struct realm_attester *a)
{
	int ret;

	if (a->have_realm)
		return 0;
	ret = attest_privkey_from_seed(&a->realm, ATTEST_CURVE_P384, a->rak_seed,
				       sizeof(a->rak_seed));
	if (ret < 0)
		return ret;
	a->have_realm = true;
	return 0;
}

int realm_attester_token(struct realm_attester *a, const struct realm_measurements *meas,
			 unsigned hash_algo, const uint8_t challenge[REALM_CHALLENGE_SIZE],
			 uint8_t *out, size_t cap, size_t *ret_len)
{
	struct attest_token_inputs in = { .hash_algo = hash_algo,
					  .collection_tag = CCA_TAG_COLLECTION };
	uint8_t shim_hash[RMM_SLOT_SIZE], signer[RMM_SLOT_SIZE], impl[RMM_SLOT_SIZE];
	struct build_id lib = { (const uint8_t *)"unknown", 7 };
	struct attest_sw_component sw[2];
	struct attest_keys keys = { &a->platform, &a->realm };
	struct attest_pubkey cpak;
	int ret;

	if (!a->have_platform)
		return a->load_error;
	if ((ret = make_realm_key(a)) < 0 || (ret = attest_privkey_public(&a->platform, &cpak)) < 0)
		return ret;
	memcpy(in.challenge, challenge, sizeof(in.challenge));
	memcpy(in.rpv, a->rpv, sizeof(in.rpv));
	if (!meas->digest_len)
		return fasco_fail(FASCO_E_UNSUPPORTED, "the realm was created without measurement");
	memcpy(in.rim, meas->slot[0], sizeof(in.rim));
	for (unsigned i = 0; i < 4; i++)
		memcpy(in.rem[i], meas->slot[i + 1], sizeof(in.rem[i]));
	rmm_hash(RMM_HASH_SHA256, implementation, sizeof(implementation) - 1, impl);
	memcpy(in.implementation_id, impl, sizeof(in.implementation_id));
	/* the software components: the shim every realm runs, and this build */
	rmm_hash(RMM_HASH_SHA256, fasco_shim_blob, fasco_shim_blob_size, shim_hash);
	rmm_hash(RMM_HASH_SHA256, cpak.point, cpak.point_len, signer);
	dl_iterate_phdr(find_build_id, &lib);
	sw[0] = (struct attest_sw_component){ .type = "fasco-shim", .version = fasco_version(),
		.hash_algo = "sha-256", .measurement = shim_hash, .measurement_len = 32,
		.signer_id = signer, .signer_id_len = 32 };
	sw[1] = (struct attest_sw_component){ .type = "libfasco", .version = fasco_version(),
		.measurement = lib.bytes, .measurement_len = lib.len, .signer_id = signer,
		.signer_id_len = 32 };
	in.sw = sw;
	in.sw_count = 2;
	return attest_token_build(&in, &keys, out, cap, ret_len);
}
