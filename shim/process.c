/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Processes: fork, vfork, clone without CLONE_VM (or with CLONE_VFORK) and
 * execve. The host forks the whole realm (lib/core/process.c): the child
 * resumes here, inside the same host_call, with result 0 and its own pid in
 * the slot. For execve the shim marshals the path, arguments and
 * environment into the slot (the host never reads realm memory); the host
 * answers only when the call failed and the old image carries on.
 */
#include "signals.h"

#define E_FAULT 14
#define E_INVAL 22
#define E_2BIG 7
#define E_NAMETOOLONG 36

#define CSIGNAL 0xffull
#define CLONE_VM 0x100ull
#define CLONE_VFORK 0x4000ull
#define CLONE_SETTLS 0x80000ull
#define CLONE_PARENT_SETTID 0x100000ull
#define CLONE_CHILD_CLEARTID 0x200000ull
#define CLONE_CHILD_SETTID 0x1000000ull
#define SIGCHLD 17

/* Everything a process clone may ask. Sharing memory without CLONE_VFORK
 * is a thread (not here); the child of CLONE_VM|CLONE_VFORK gets a copy,
 * which a vfork child that only execs or exits cannot tell apart. */
#define PROCESS_CLONE_FLAGS (CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | \
			     CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)
#define MAX_STRINGS (1u << 17)

struct clone_args_x86 {
	uint64_t flags, stack, parent_tid, child_tid, tls;
};

/*
 * The shim's locks, in the order they nest, held across the host's fork:
 * another thread's vCPU could hold one mid-update, and the child, which has
 * only this thread, would find it taken for good. sig_lock is innermost
 * (its holders touch no program memory, so never fault into mm_lock).
 */
static void fork_locks(int take)
{
	struct shim_lock *const locks[] = { &mm_lock, &clock_lock, &sig_lock };
	const unsigned n = sizeof(locks) / sizeof(locks[0]);

	for (unsigned i = 0; i < n; i++)
		if (take)
			shim_lock(locks[i]);
		else
			shim_unlock(locks[n - 1 - i]);
}

static int64_t child_side(struct shim_regs *r, const struct clone_args_x86 *c)
{
	uint32_t tid;

	shim_pid = this_cpu()->slot->aux[7];
	threads_after_fork();
	sigq_reset(); /* a child starts with no signal pending */
	tid = (uint32_t)shim_pid;
	/* the child's only thread (thread.c) */
	this_cpu()->tid = tid;
	this_cpu()->clear_child_tid = (c->flags & CLONE_CHILD_CLEARTID) ? c->child_tid : 0;
	if ((c->flags & CLONE_CHILD_SETTID) && copy_to_user(c->child_tid, &tid, sizeof(tid)) < 0)
		return -E_FAULT;
	if (c->flags & CLONE_SETTLS)
		plat_set_fs_base(c->tls);
	if (c->stack)
		r->rsp = c->stack;
	return 0;
}

static int64_t do_fork(struct shim_regs *r, const struct clone_args_x86 *c)
{
	int64_t pid;
	uint32_t tid;

	if (c->flags & ~PROCESS_CLONE_FLAGS)
		return -E_INVAL;
	if ((c->flags & CLONE_PARENT_SETTID) && !mm_user_ok(c->parent_tid, 4, PROT_W))
		return -E_FAULT;
	this_cpu()->slot->args[0] = c->flags;
	fork_locks(1);
	pid = host_call(FASCO_OP_FORK);
	fork_locks(0);
	if (pid == 0)
		return child_side(r, c);
	if (pid > 0 && (c->flags & CLONE_PARENT_SETTID)) {
		tid = (uint32_t)pid;
		copy_to_user(c->parent_tid, &tid, sizeof(tid));
	}
	return pid;
}

/* Append the NUL-terminated string at user address src to the request. */
static int64_t put_string(uint8_t *data, uint32_t *pos, uint64_t src)
{
	int64_t n = strlen_user(src, FASCO_SLOT_DATA_MAX - *pos);

	if (n == -E_NAMETOOLONG)
		return -E_2BIG;
	if (n < 0)
		return n;
	if (copy_from_user(data + *pos, src, (uint64_t)n + 1) < 0)
		return -E_FAULT;
	*pos += (uint32_t)n + 1;
	return 0;
}

/* Append the strings of a NULL-terminated user vector; returns their count. */
static int64_t put_vector(uint8_t *data, uint32_t *pos, uint64_t vec)
{
	uint64_t p;
	int64_t ret;

	for (uint32_t i = 0; vec; i++) {
		if (i == MAX_STRINGS)
			return -E_2BIG;
		if (copy_from_user(&p, vec + 8ull * i, sizeof(p)) < 0)
			return -E_FAULT;
		if (!p)
			return i;
		if ((ret = put_string(data, pos, p)) < 0)
			return ret;
	}
	return 0; /* a NULL vector is an empty one, as Linux takes it */
}

static int64_t do_exec(uint64_t path, uint64_t argv, uint64_t envp)
{
	uint8_t *data = this_cpu()->slot_data;
	struct fasco_exec_request req = { 0 };
	uint32_t pos = sizeof(req);
	int64_t argc, envc, ret;

	sig_exec_save(&req); /* first: it uses the data area */
	if ((ret = strlen_user(path, FASCO_PATH_MAX)) < 0)
		return ret;
	if ((ret = put_string(data, &pos, path)) < 0)
		return ret;
	if ((argc = put_vector(data, &pos, argv)) < 0)
		return argc;
	if ((envc = put_vector(data, &pos, envp)) < 0)
		return envc;
	req.total = pos;
	req.argc = (uint32_t)argc;
	req.envc = (uint32_t)envc;
	memcpy(data, &req, sizeof(req));
	ret = host_call(FASCO_OP_EXEC);
	return ret < 0 ? ret : -E_INVAL; /* a new image never returns here */
}

int shim_process_call(struct shim_regs *r, uint64_t nr, const uint64_t a[6], int64_t *ret)
{
	struct clone_args_x86 c = { a[0], a[1], a[2], a[3], a[4] };

	switch (nr) {
	case __NR_fork:
		c = (struct clone_args_x86){ .flags = SIGCHLD };
		break;
	case __NR_vfork:
		c = (struct clone_args_x86){ .flags = CLONE_VM | CLONE_VFORK | SIGCHLD };
		break;
	case __NR_clone:
		if ((c.flags & CLONE_VM) && !(c.flags & CLONE_VFORK))
			return 0; /* a thread */
		break;
	case __NR_execve:
		*ret = do_exec(a[0], a[1], a[2]);
		return 1;
	default:
		return 0;
	}
	*ret = do_fork(r, &c);
	return 1;
}
