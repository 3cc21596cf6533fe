/* SPDX-License-Identifier: Apache-2.0 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "loader/stack.h"

#define HWCAP_VALUE 0x178bfbffull /* baseline x86-64 CPUID.1:EDX bits */

struct builder {
	uint8_t *buf;
	size_t size;  /* bytes reserved */
	size_t used;  /* grows down from the top */
	uint64_t top;
};

/* Push bytes below what is already there; returns their guest address. */
static uint64_t push(struct builder *b, const void *data, size_t len)
{
	b->used += len;
	memcpy(b->buf + b->size - b->used, data, len);
	return b->top - b->used;
}

static size_t strings_size(char *const v[], size_t *count)
{
	size_t total = 0, n = 0;

	for (; v && v[n]; n++)
		total += strlen(v[n]) + 1;
	*count = n;
	return total;
}

int stack_build(const struct elf_image *img, const char *execfn, char *const argv[],
		char *const envp[], uint64_t top, struct stack_image *out)
{
	size_t argc, envc, bytes, words;
	struct builder b = { .top = top };
	_cleanup_free_ uint64_t *ptrs = NULL;
	static const uint8_t zero16[16];
	uint64_t random_at, platform_at, execfn_at;

	bytes = strings_size(argv, &argc) + strings_size(envp, &envc) + strlen(execfn) + 1;
	if (bytes > STACK_ARGS_MAX)
		return fasco_fail(-E2BIG, "arguments and environment take %zu bytes (at most %u)",
				  bytes, STACK_ARGS_MAX);
	if (argc + envc > STACK_ARGS_MAX / 8)
		return fasco_fail(-E2BIG, "%zu arguments and environment entries (at most %u)",
				  argc + envc, STACK_ARGS_MAX / 8);
	/* argc, argv[], NULL, envp[], NULL, auxv (up to 24 pairs) */
	words = 1 + argc + 1 + envc + 1 + 48;
	b.size = (bytes + 16 + 16 + words * 8 + 64 + 4095) & ~4095ul;
	/* the ABI wants argc 16-byte aligned; the image must not wrap below 0 */
	if (top % 16 || top < b.size)
		return fasco_fail(-EINVAL, "stack top 0x%llx cannot hold a %zu-byte stack",
				  (unsigned long long)top, b.size);
	b.buf = calloc(1, b.size);
	if (!b.buf)
		return -ENOMEM;

	random_at = push(&b, zero16, 16);
	platform_at = push(&b, "x86_64", 7);
	execfn_at = push(&b, execfn, strlen(execfn) + 1);
	ptrs = calloc(argc + envc + 2, sizeof(*ptrs));
	if (!ptrs) {
		free(b.buf);
		return -ENOMEM;
	}
	for (size_t i = argc; i-- > 0;)
		ptrs[i] = push(&b, argv[i], strlen(argv[i]) + 1);
	for (size_t i = envc; i-- > 0;)
		ptrs[argc + 1 + i] = push(&b, envp[i], strlen(envp[i]) + 1);

	uint64_t auxv[] = {
		AT_PHDR, img->phdr_vaddr, AT_PHENT, sizeof(Elf64_Phdr), AT_PHNUM, img->phnum,
		AT_PAGESZ, 4096, AT_BASE, img->at_base, AT_FLAGS, 0, AT_ENTRY, img->entry,
		AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_SECURE, 0,
		AT_HWCAP, HWCAP_VALUE, AT_HWCAP2, 0, AT_CLKTCK, 100,
		AT_RANDOM, random_at, AT_PLATFORM, platform_at, AT_EXECFN, execfn_at,
		AT_NULL, 0,
	};
	/* the final stack pointer must be 16-byte aligned at argc */
	size_t vec = (1 + argc + 1 + envc + 1) * 8 + sizeof(auxv);
	b.used = ((b.used + vec + 15) & ~(size_t)15) - vec;

	uint64_t argc_word = argc;

	push(&b, auxv, sizeof(auxv));
	push(&b, &ptrs[argc + 1], (envc + 1) * 8); /* envp[] and its NULL */
	push(&b, ptrs, (argc + 1) * 8);            /* argv[] and its NULL */
	out->sp = push(&b, &argc_word, 8);

	out->bytes = b.buf;
	out->size = b.size;
	out->top = top;
	out->at_random = random_at;
	return 0;
}

void stack_image_free(struct stack_image *s)
{
	free(s->bytes);
	s->bytes = NULL;
}
