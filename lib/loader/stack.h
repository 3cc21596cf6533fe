/* SPDX-License-Identifier: Apache-2.0 */
/* The program's initial stack: argc, argv, envp, the auxiliary vector. */
#ifndef FASCO_LOADER_STACK_H
#define FASCO_LOADER_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "loader/elf.h"

#define STACK_ARGS_MAX (1u << 20) /* bytes of argument and environment strings */

struct stack_image {
	uint8_t *bytes;     /* the top of the stack, built on the host */
	size_t size;        /* page multiple; placed at top - size */
	uint64_t top;       /* highest address (exclusive) */
	uint64_t sp;        /* initial stack pointer */
	uint64_t at_random; /* 16 bytes the shim fills from the CPU's generator */
};

/*
 * Build the stack for img with argv/envp below top. execfn is the program
 * path (AT_EXECFN). Deterministic: the same inputs give the same bytes, so
 * the stack can be measured. Free with stack_image_free().
 */
int stack_build(const struct elf_image *img, const char *execfn, char *const argv[],
		char *const envp[], uint64_t top, struct stack_image *out);
void stack_image_free(struct stack_image *s);

#endif
