/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run-time code measurement (abi/exec_event.h). When a program maps a file
 * executable, or makes pages it filled from a file executable, the shim
 * hashes exactly the bytes it placed in realm memory and asks the monitor
 * (the RMM's stand-in, never the system realm) to extend REM[0] with the
 * event's record, as Linux IMA's mmap-exec policy does through
 * RSI_MEASUREMENT_EXTEND. File data is hashed from private memory after it
 * is copied there, a chunk at a time while the chunk is still in cache:
 * the shared slot it came through can change under us, realm memory cannot.
 * If the extension fails the mapping fails: code is never left unmeasured.
 */
#include "shim.h"
#include "abi/exec_event.h"

#define E_IO 5
#define CHUNK (16u << 10) /* copied, then hashed while still in cache */

static int measure_on;
static uint64_t events; /* index of the next code event of this image */
static rmm_sha256_blocks_fn *compress = rmm_sha256_c_blocks;
static int compress_probed; /* SHA-NI looked for, at the first hash */

/* SHA-NI works in XMM registers, which belong to the program (Linux keeps
 * them across system calls) and which the rest of the shim never touches. */
static void ni_blocks_saving_xmm(uint32_t state[8], const uint8_t *blocks, size_t n)
{
	uint8_t fx[512] __attribute__((aligned(16)));

	__asm__ volatile("fxsave64 %0" : "=m"(fx));
	rmm_sha256_ni_blocks(state, blocks, n);
	__asm__ volatile("fxrstor64 %0" : : "m"(fx));
}

void exec_measure_init(const void *manifest)
{
	measure_on = fdt_u64(manifest, "fasco", "measure-exec", 0) == 1;
}

/* Probed when first needed, not at boot: a static program maps no code at
 * run time and never pays for the cpuid. Every vCPU finds the same. */
static rmm_sha256_blocks_fn *pick_compress(void)
{
	if (!__atomic_load_n(&compress_probed, __ATOMIC_ACQUIRE)) {
		if (rmm_sha256_ni_cpu())
			__atomic_store_n(&compress, ni_blocks_saving_xmm, __ATOMIC_RELAXED);
		__atomic_store_n(&compress_probed, 1, __ATOMIC_RELEASE);
	}
	return __atomic_load_n(&compress, __ATOMIC_RELAXED);
}

int exec_measure_on(void)
{
	return measure_on;
}

void exec_hash_start(struct rmm_sha256 *h)
{
	rmm_sha256_start(h, pick_compress());
}

void exec_hash_zeros(struct rmm_sha256 *h, uint64_t len)
{
	static const uint8_t zeros[1024];

	while (len) {
		uint64_t n = len < sizeof(zeros) ? len : sizeof(zeros);

		rmm_sha256_update(h, zeros, n);
		len -= n;
	}
}

/* Copy n bytes of a read's answer to the program's dst, hashing them there. */
static int copy_hashed(uint64_t dst, const uint8_t *src, uint64_t n, struct rmm_sha256 *h)
{
	for (uint64_t done = 0; done < n; done += CHUNK) {
		uint64_t m = n - done < CHUNK ? n - done : CHUNK;

		if (copy_to_user(dst + done, src + done, m) < 0)
			return -14; /* EFAULT */
		if (h)
			rmm_sha256_update(h, (const void *)(dst + done), m);
	}
	return 0;
}

int64_t exec_fill(uint64_t start, uint64_t len, int64_t fd, uint64_t off, struct rmm_sha256 *h)
{
	const uint8_t *data = this_cpu()->slot_data;
	uint64_t done = 0;

	if (h)
		exec_hash_start(h);
	while (done < len) {
		uint64_t args[6] = { (uint64_t)fd, start + done, len - done, off + done, 0, 0 };
		struct fasco_layout lay;
		int64_t n;

		if (fasco_sys_layout(__NR_pread64, args, 1u << 1, 1, &lay) < 0)
			return -E_IO;
		n = forward_prepared(__NR_pread64, args, 1u << 1);
		if (n < 0)
			return n;
		if (n == 0)
			break; /* past the end of the file: the rest stays zero */
		if ((uint64_t)n > args[2])
			return -E_IO; /* more than was asked for */
		if (copy_hashed(start + done, data + lay.off[1], (uint64_t)n, h) < 0)
			return -14;
		done += (uint64_t)n;
	}
	if (h)
		exec_hash_zeros(h, len - done);
	return 0;
}

int64_t exec_measure_extend(struct rmm_sha256 *h, int64_t fd, uint64_t off, uint64_t len,
			    uint32_t prot, uint32_t source)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;
	struct fasco_exec_event e = { .offset = off, .length = len, .prot = prot,
				      .source = source, .index = events };
	uint8_t record[FASCO_EXEC_RECORD_SIZE];
	struct rmm_sha256 r;
	int64_t ret;

	rmm_sha256_final(h, e.content);
	fasco_exec_record(&e, record);
	exec_hash_start(&r);
	rmm_sha256_update(&r, record, sizeof(record));
	rmm_sha256_final(&r, e.value);
	memcpy(this_cpu()->slot_data, &e, sizeof(e));
	slot->args[0] = (uint64_t)fd;
	ret = host_call(FASCO_OP_MEASURE_EXEC);
	if (ret == 0)
		events++;
	return ret;
}
