/* SPDX-License-Identifier: Apache-2.0 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>

#include "service_test.h"

struct service *svc;
uint8_t *data;

void service_setup(void)
{
	/* a write to a pipe without readers must come back as -EPIPE here */
	signal(SIGPIPE, SIG_IGN);
	svc = calloc(1, sizeof(*svc));
	data = calloc(1, FASCO_SLOT_DATA_MAX);
	ck_assert(svc && data);
	ck_assert_int_eq(service_init(svc), 0);
}

void service_teardown(void)
{
	service_fini(svc);
	free(svc);
	free(data);
}

int64_t serve(uint64_t nr, uint32_t mask, const uint64_t args[6])
{
	struct fasco_slot_header h = { .magic = FASCO_SLOT_MAGIC, .op = FASCO_OP_SYSCALL,
				       .nr = nr, .ptr_mask = mask };

	memcpy(h.args, args, sizeof(h.args));
	ck_assert_int_eq(service_check_header(&h), 0);
	return service_syscall(svc, &h, data);
}

void realm_pipe(int fds[2])
{
	ck_assert_int_eq(SERVE(SYS_pipe2, 0x1, 0x1000, O_NONBLOCK), 0);
	memcpy(fds, data, 2 * sizeof(int));
	ck_assert_int_ge(fds[0], 3);
	ck_assert_int_ge(fds[1], 3);
	ck_assert_int_ne(fds[0], fds[1]);
}

unsigned host_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}
