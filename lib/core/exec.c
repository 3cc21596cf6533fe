/* SPDX-License-Identifier: Apache-2.0 */
/*
 * execve: the monitor replaces the realm's image in place. The request is
 * resolved and checked first (exec_request.c); then the old image is
 * released (a new VM over fresh memory), the new one built and measured as
 * a realm of its own (its own RIM), and the descriptors marked close-on-exec
 * are closed. The monitor, its process id, its descriptor table and its
 * working directory stay: the realm is the same process.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "core/backend_populate.h"
#include "core/exec_request.h"
#include "core/image.h"
#include "core/measure.h"
#include "core/process.h"
#include "loader/stack.h"
#include "sysrealm/service.h"

#define MAX_VCPUS 64

/* The configuration of the new image: the realm's, with its program. */
static int exec_config(const fasco_config *old, const struct exec_request *x,
		       fasco_config **ret)
{
	fasco_config *c;
	int r;

	if ((r = config_copy(old, &c)) < 0)
		return r;
	if ((r = fasco_config_set_program(c, x->path)) < 0 ||
	    (r = fasco_config_set_argv(c, (int)x->argc, (const char *const *)x->argv)) < 0 ||
	    (r = config_set_envv(c, x->envc, (const char *const *)x->envp)) < 0) {
		fasco_config_destroy(c);
		return r == -ENAMETOOLONG ? r : -ENOMEM;
	}
	*ret = c;
	return 0;
}

/* As Linux: arguments and environment may take a quarter of the stack. */
static int check_stack(const fasco_config *c, const struct elf_image *img)
{
	struct stack_image st = { 0 };
	int r = stack_build(img, c->program, c->argv, c->envp, FASCO_GVA_STACK_TOP, &st);

	if (r == 0 && st.size > c->stack_bytes / 4)
		r = -E2BIG;
	stack_image_free(&st);
	return r < 0 ? (r == -E2BIG ? r : -ENOMEM) : 0;
}

/* Past the point of no return: build, measure and boot the new image. */
static int replace_image(struct monitor *m, fasco_config *c, int prog_fd)
{
	struct vcpu_boot boot[MAX_VCPUS];
	struct realm_memory mem = { .interp_fd = -1, .private_size = c->memory_bytes };
	struct rmm_realm *rmm = NULL;
	uint64_t shared_gpa, shared_size;
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (root < 0)
		return fasco_fail_errno("open the container root");
	realm_shared_layout(c, &shared_gpa, &shared_size);
	if ((r = m->be->vm_reset(m->vm, &mem.private_mem, &m->shared)) < 0 ||
	    (r = m->be->vm_begin(m->vm, 1)) < 0) /* while the image builds; threads: threads.c */
		return r;
	r = realm_image_build(c, m->platform, root, prog_fd, &mem, shared_gpa, shared_size, boot);
	if (r == 0 && c->measure)
		r = realm_measure(&mem, c, boot, -1, &rmm);
	if (r == 0)
		r = realm_backend_populate(m->be, m->vm, &mem, c, boot);
	realm_memory_release(&mem);
	if (r < 0)
		return r;
	rmm_realm_free(m->rmm);
	m->rmm = rmm;
	m->tsm.rmm = rmm;
	event_log_reset(&m->events); /* a new image, a new log */
	if (rmm)
		rmm_realm_activate(rmm);
	return monitor_boot_vcpus(m, boot);
}

int process_exec(struct monitor *m, struct vcpu_host *cpu,
		 void (*answer)(struct vcpu_host *cpu, int64_t ret))
{
	struct exec_request x;
	struct elf_image img;
	fasco_config *c = NULL;
	int r;

	r = exec_request_read(cpu->data, &x);
	if (r == 0)
		r = exec_request_resolve(&x, m->realm->config->program, &img);
	if (r == 0)
		r = exec_config(m->realm->config, &x, &c);
	if (r == 0 && (r = check_stack(c, &img)) < 0)
		fasco_config_destroy(c);
	if (r < 0) {
		exec_request_free(&x);
		answer(cpu, r);
		return 0;
	}
	r = replace_image(m, c, x.prog_fd);
	if (r == 0)
		signals_exec_carry(m, x.sig_blocked, x.sig_ignored);
	exec_request_free(&x);
	fasco_config_destroy(m->realm->config);
	m->realm->config = c;
	if (r < 0) {
		char why[160];

		/* as Linux past the point of no return: the process is killed */
		snprintf(why, sizeof(why), "execve of %s failed after the old image was released: %s",
			 c->program, fasco_last_error());
		monitor_end_crash(m, why, (uint64_t)-r);
		return 1;
	}
	/* a process forked by a thread on another vCPU: its new image starts
	 * on the first, which this host thread runs from now on */
	if (cpu->index != 0)
		threads_reset(m, 0);
	service_exec(&m->svc);
	return 0;
}
