/* SPDX-License-Identifier: Apache-2.0 */
/* The header at offset 0 of the shim blob: how the host finds the entries. */
#include "shim.h"

/* absolute symbols from shim.ld: their address is their value */
extern char __shim_start[], __shim_image_size[], __shim_memory_size[];
extern char shim_boot[], shim_syscall_entry[], shim_vectors[];

__attribute__((section(".shim_header"), used))
const struct fasco_shim_header shim_header = {
	.magic = FASCO_SHIM_MAGIC,
	.abi_version = FASCO_ABI_VERSION,
	.link_base = (uint64_t)__shim_start,
	.image_size = (uint64_t)__shim_image_size,
	.memory_size = (uint64_t)__shim_memory_size,
	.entry = (uint64_t)shim_boot,
	.syscall_entry = (uint64_t)shim_syscall_entry,
	.vectors = (uint64_t)shim_vectors,
};
