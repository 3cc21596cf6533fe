/* SPDX-License-Identifier: Apache-2.0 */
/* An execve request of a realm, copied out of its slot and resolved. */
#ifndef FASCO_CORE_EXEC_REQUEST_H
#define FASCO_CORE_EXEC_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "loader/elf.h"

#define EXEC_MAX_SCRIPTS 4    /* nested "#!" interpreters, as Linux allows */
#define EXEC_SCRIPT_LINE 256  /* the bytes of a "#!" line the kernel reads */

struct exec_request {
	char *path;          /* the program to load (an interpreter for a script) */
	char **argv, **envp; /* NULL-terminated, pointing into buf and lines */
	size_t argc, envc;
	int prog_fd;         /* the resolved program, open */
	char *buf;           /* host-private copy of the request */
	char **argv_mem;
	char lines[EXEC_MAX_SCRIPTS][EXEC_SCRIPT_LINE];
	uint64_t sig_blocked, sig_ignored; /* the signal state the image keeps */
};

/* Copy and check the request in the slot's data area (shared, hostile):
 * 0, -EFAULT for a malformed request, -ENOMEM. */
int exec_request_read(const uint8_t *data, struct exec_request *x);
/* Open and check what runs; img gets the program's ELF layout; self_exe is
 * what /proc/self/exe names (the realm's current program). -errno as execve
 * would fail: ENOENT, EACCES, ENOEXEC, ELOOP, ... */
int exec_request_resolve(struct exec_request *x, const char *self_exe, struct elf_image *img);
void exec_request_free(struct exec_request *x);

#endif
