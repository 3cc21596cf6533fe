/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An execve request as the shim marshalled it (struct fasco_exec_request):
 * copied once out of shared memory, every string bounded and terminated,
 * then resolved as the kernel would: the file opened in the container
 * (relative to the realm's working directory, which is the monitor's),
 * executable, an ELF the loader accepts or a "#!" script whose interpreter
 * is resolved in turn. Everything that can fail here fails before the old
 * image is released.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi/realm_abi.h"
#include "common/cleanup.h"
#include "core/exec_request.h"
#include "loader/elf.h"

void exec_request_free(struct exec_request *x)
{
	if (x->prog_fd >= 0)
		close(x->prog_fd);
	free(x->buf);
	free(x->argv_mem);
	*x = (struct exec_request){ .prog_fd = -1 };
}

/* The next string at *pos, NUL-terminated before end; NULL if it is not. */
static char *next_string(char *buf, size_t end, size_t *pos)
{
	char *s = buf + *pos;
	char *nul = *pos < end ? memchr(s, 0, end - *pos) : NULL;

	if (!nul)
		return NULL;
	*pos = (size_t)(nul - buf) + 1;
	return s;
}

int exec_request_read(const uint8_t *data, struct exec_request *x)
{
	struct fasco_exec_request hdr;
	size_t pos = sizeof(hdr), n;

	*x = (struct exec_request){ .prog_fd = -1 };
	memcpy(&hdr, data, sizeof(hdr)); /* copy once, then validate */
	if (hdr.total < sizeof(hdr) || hdr.total > FASCO_SLOT_DATA_MAX ||
	    (uint64_t)hdr.argc + hdr.envc >= hdr.total)
		return -EFAULT; /* the shim never writes this: a broken request */
	x->sig_blocked = hdr.sig_blocked;
	x->sig_ignored = hdr.sig_ignored;
	x->buf = malloc(hdr.total);
	n = (size_t)hdr.argc + hdr.envc;
	/* room for the interpreters of nested scripts before the arguments,
	 * an argv[0] for a program given none, and two terminators */
	x->argv_mem = calloc(2 * EXEC_MAX_SCRIPTS + n + 3, sizeof(char *));
	if (!x->buf || !x->argv_mem)
		return -ENOMEM;
	memcpy(x->buf, data, hdr.total);
	if (!(x->path = next_string(x->buf, hdr.total, &pos)))
		return -EFAULT;
	x->argv = x->argv_mem + 2 * EXEC_MAX_SCRIPTS;
	/* as Linux since 5.18: an empty argv[0] for a program given none */
	x->argc = hdr.argc ? hdr.argc : 1;
	x->argv[0] = x->path + strlen(x->path);
	x->envc = hdr.envc;
	x->envp = x->argv + x->argc + 1; /* argv[argc] stays NULL */
	for (size_t i = 0; i < n; i++) {
		char **to = i < hdr.argc ? &x->argv[i] : &x->envp[i - hdr.argc];

		if (!(*to = next_string(x->buf, hdr.total, &pos)))
			return -EFAULT;
	}
	return 0;
}

/* "#!interpreter [one argument]" in line (NUL-terminated): 0, or -ENOEXEC. */
static int parse_script_line(char *line, char **ret_interp, char **ret_arg)
{
	char *p = line + 2, *end = strchr(p, '\n');

	if (!end)
		return -ENOEXEC; /* longer than the kernel reads, or no line at all */
	*end = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*ret_interp = p;
	p += strcspn(p, " \t");
	*ret_arg = NULL;
	if (*p) {
		*p++ = 0;
		p += strspn(p, " \t");
		/* like Linux: the rest of the line, trailing blanks removed */
		for (char *q = p + strlen(p); q > p && (q[-1] == ' ' || q[-1] == '\t'); q--)
			q[-1] = 0;
		*ret_arg = *p ? p : NULL;
	}
	return 0;
}

/* Open path as an executable; head gets its first bytes. */
static int open_executable(const char *path, uint8_t *head, size_t cap, size_t *ret_len,
			   uint64_t *ret_size)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
		return -EACCES;
	n = pread(fd, head, cap, 0);
	if (n < 0)
		return -errno;
	*ret_len = (size_t)n;
	*ret_size = (uint64_t)st.st_size;
	return take_fd(fd);
}

/* A script: its interpreter (and argument) go before the script's path. */
static int push_interpreter(struct exec_request *x, unsigned depth, uint8_t *head, size_t len)
{
	char *interp, *arg;
	int ret;

	head[len < EXEC_SCRIPT_LINE ? len : EXEC_SCRIPT_LINE - 1] = 0;
	memcpy(x->lines[depth], head, EXEC_SCRIPT_LINE);
	if ((ret = parse_script_line(x->lines[depth], &interp, &arg)) < 0)
		return ret;
	/* argv[0] gives way to the script's path, as the kernel does it */
	x->argv[0] = x->path;
	if (arg)
		*--x->argv = arg;
	*--x->argv = interp;
	x->argc += arg ? 2 : 1;
	x->path = interp;
	return 0;
}

int exec_request_resolve(struct exec_request *x, const char *self_exe, struct elf_image *img)
{
	uint8_t head[4096];
	uint64_t size = 0;
	size_t len = 0;
	int fd, ret;

	/* the realm's own program, not the monitor's (busybox runs its applets
	 * so); the host's /proc knows only the monitor */
	if (strcmp(x->path, "/proc/self/exe") == 0)
		x->path = (char *)self_exe;
	for (unsigned depth = 0;; depth++) {
		if ((fd = open_executable(x->path, head, sizeof(head), &len, &size)) < 0)
			return fd;
		if (len >= 2 && head[0] == '#' && head[1] == '!' && depth < EXEC_MAX_SCRIPTS) {
			close(fd);
			if ((ret = push_interpreter(x, depth, head, len)) < 0)
				return ret;
			continue;
		}
		if (len >= 2 && head[0] == '#' && head[1] == '!')
			ret = -ELOOP; /* scripts nested too deep */
		else
			ret = elf_parse(head, len, size, FASCO_GVA_PIE_BASE, FASCO_GVA_MMAP_TOP, img) < 0
				      ? -ENOEXEC : 0;
		if (ret < 0) {
			close(fd);
			return ret;
		}
		x->prog_fd = fd;
		return 0;
	}
}
