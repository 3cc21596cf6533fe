/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "core/digest_cache.h"
#include "core/granule_order.h"
#include "core/measure.h"

#define GRANULE RMM_GRANULE_SIZE
#define BITS_PER_WORD 64
#define MAX_FILES 4

/* Which granules were measured, which are covered by more than one range
 * (their content is the last range's, not any one file page), and the page
 * digests of the files the ranges came from. */
struct measure_state {
	uint64_t *done, *shared;
	int cache_dirfd;
	int fds[MAX_FILES];
	struct file_digests files[MAX_FILES];
	unsigned n_files;
};

void realm_measurements_of(const struct rmm_realm *rmm, struct realm_measurements *out)
{
	size_t len = 0;

	memset(out, 0, sizeof(*out));
	if (!rmm)
		return;
	for (unsigned i = 0; i < RMM_NUM_SLOTS; i++)
		rmm_realm_measurement(rmm, i, out->slot[i], &len);
	out->digest_len = (uint32_t)len;
}

void realm_rmm_config(const fasco_config *config, struct rmm_realm_config *ret)
{
	rmm_realm_config_init(ret);
	ret->params.hash_algo = config->hash_algo ? RMM_HASH_SHA512 : RMM_HASH_SHA256;
	ret->params.s2sz = (uint8_t)config->ipa_bits;
	memcpy(ret->params.rpv, config->rpv, sizeof(ret->params.rpv));
}

static int test_bit(const uint64_t *bits, uint64_t index)
{
	return (int)(bits[index / BITS_PER_WORD] >> (index % BITS_PER_WORD) & 1);
}

static uint64_t granule_down(uint64_t a)
{
	return a & ~(uint64_t)(GRANULE - 1);
}

/* Granules covered by more than one range: done doubles as "seen" here. */
static void find_shared(struct measure_state *s, const struct realm_memory *mem)
{
	for (size_t i = 0; i < mem->n_ranges; i++) {
		const struct populated_range *r = &mem->ranges[i];

		for (uint64_t g = granule_down(r->gpa); g < r->gpa + r->len; g += GRANULE)
			if (granule_bit_set(s->done, g / GRANULE))
				granule_bit_set(s->shared, g / GRANULE);
	}
}

/* The page digests of a range's file, or NULL to hash from memory. */
static const struct file_digests *file_of(struct measure_state *s, int fd, unsigned algo)
{
	for (unsigned i = 0; i < s->n_files; i++)
		if (s->fds[i] == fd)
			return s->files[i].digests ? &s->files[i] : NULL;
	if (s->n_files == MAX_FILES)
		return NULL;
	s->fds[s->n_files] = fd;
	if (file_digests_get(s->cache_dirfd, fd, algo, &s->files[s->n_files]) < 0)
		s->files[s->n_files].digests = NULL;
	return s->files[s->n_files++].digests ? &s->files[s->n_files - 1] : NULL;
}

/* A whole page of the range's file, untouched since: its digest is known. */
static const uint8_t *known_digest(const struct measure_state *s, const struct file_digests *f,
				   const struct populated_range *r, uint64_t g)
{
	uint64_t page;

	if (!f || test_bit(s->shared, g / GRANULE) || g < r->gpa || g + GRANULE > r->gpa + r->len)
		return NULL;
	page = (r->file_offset + (g - r->gpa)) / GRANULE;
	return page < f->npages ? f->digests + page * f->digest_len : NULL;
}

struct data_ctx {
	struct rmm_realm *rmm;
	const struct realm_memory *mem;
	struct measure_state *s;
	unsigned algo;
};

static int measure_granule(void *opaque, const struct populated_range *r, uint64_t g)
{
	struct data_ctx *c = opaque;
	const struct file_digests *f = r->fd >= 0 ? file_of(c->s, r->fd, c->algo) : NULL;
	const uint8_t *digest = known_digest(c->s, f, r, g);

	return digest ? rmm_populate_digest(c->rmm, g, digest, true)
		      : rmm_data_create(c->rmm, g, c->mem->private_mem + g, true);
}

/* Each granule once, with the content it has now that the build is done,
 * in the order a firmware-measuring backend populates it (granule_order.h). */
static int measure_data(struct rmm_realm *rmm, const struct realm_memory *mem,
			struct measure_state *s, unsigned algo)
{
	struct data_ctx c = { .rmm = rmm, .mem = mem, .s = s, .algo = algo };

	find_shared(s, mem);
	memset(s->done, 0, (mem->private_size / GRANULE + BITS_PER_WORD - 1) / BITS_PER_WORD * 8);
	return realm_granules_each(mem, s->done, measure_granule, &c);
}

/* The first granule at or after g whose done bit equals want (or n). */
static uint64_t next_with(const uint64_t *done, uint64_t g, uint64_t n, int want)
{
	while (g < n) {
		uint64_t word = done[g / BITS_PER_WORD];

		word = (want ? word : ~word) >> (g % BITS_PER_WORD);
		if (word)
			return g + (uint64_t)__builtin_ctzll(word) < n ? g + (uint64_t)__builtin_ctzll(word)
								       : n;
		g = (g / BITS_PER_WORD + 1) * BITS_PER_WORD; /* the rest of this word is skipped */
	}
	return n;
}

/* RAM over every run of granules that holds no data: word by word, as
 * almost all of a realm's memory is one such run. */
static int measure_ripas(struct rmm_realm *rmm, const struct realm_memory *mem, const uint64_t *done)
{
	uint64_t n = mem->private_size / GRANULE;
	int ret;

	for (uint64_t g = next_with(done, 0, n, 0); g < n; g = next_with(done, g, n, 0)) {
		uint64_t end = next_with(done, g, n, 1);

		if ((ret = rmm_ripas_init(rmm, g * GRANULE, end * GRANULE)) < 0)
			return ret;
		g = end;
	}
	return 0;
}

/*
 * The boot state the host sets, in the REC's measured fields: pc and
 * gprs[0..7] (vcpu_boot_gprs(): the cca backend sets x0..x7 from it).
 * Segment and control registers are fixed constants of the kvm backend;
 * everything they point to is measured data.
 */
static int measure_recs(struct rmm_realm *rmm, const fasco_config *config,
			const struct vcpu_boot *boot)
{
	for (unsigned i = 0; i < config->vcpus; i++) {
		struct rmm_rec_params rec = {
			.flags = i == 0 ? RMM_REC_FLAG_RUNNABLE : 0,
			.mpidr = i,
			.pc = boot[i].entry,
		};
		int ret;

		vcpu_boot_gprs(&boot[i], rec.gprs);
		if ((ret = rmm_rec_create(rmm, &rec)) < 0)
			return ret;
	}
	return 0;
}

int realm_measure(const struct realm_memory *mem, const fasco_config *config,
		  const struct vcpu_boot *boot, int cache_dirfd, struct rmm_realm **ret_realm)
{
	struct rmm_realm_config rc;
	_cleanup_rmm_realm_ struct rmm_realm *rmm = NULL;
	uint64_t words = (mem->private_size / GRANULE + BITS_PER_WORD - 1) / BITS_PER_WORD + 1;
	_cleanup_free_ uint64_t *done = calloc(words, sizeof(uint64_t));
	_cleanup_free_ uint64_t *shared = calloc(words, sizeof(uint64_t));
	struct measure_state s = { .done = done, .shared = shared, .cache_dirfd = cache_dirfd };
	int ret;

	if (!done || !shared)
		return -ENOMEM;
	realm_rmm_config(config, &rc);
	rc.record = false; /* the oplog serves replay tools, not a running realm */
	ret = rmm_realm_new(&rc, &rmm);
	if (ret == 0)
		ret = measure_data(rmm, mem, &s, rc.params.hash_algo);
	for (unsigned i = 0; i < s.n_files; i++)
		file_digests_free(&s.files[i]);
	if (ret < 0 || (ret = measure_ripas(rmm, mem, done)) < 0 ||
	    (ret = measure_recs(rmm, config, boot)) < 0)
		return ret;
	*ret_realm = take_ptr(rmm);
	return 0;
}
