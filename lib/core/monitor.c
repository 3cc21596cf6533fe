/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm monitor: a process forked per realm. It enters the system
 * realm's sandbox (the container root, no capabilities), builds the realm,
 * reports "loaded", waits for the start signal, then runs the vCPU and
 * serves each exit: forwarded calls through the service context, TLB
 * flushes, and the realm's end. A bug triggered by a hostile realm can at
 * worst end this process, never the library's caller.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "abi/realm_abi.h"
#include "common/cleanup.h"
#include "core/image.h"
#include "core/digest_cache.h"
#include "core/internal.h"
#include "core/measure.h"
#include "core/monitor.h"
#include "core/process.h"
#include "sysrealm/sandbox.h"
#include "sysrealm/service.h"

#define MAX_VCPUS 64
/* How long the shim spins for a polled answer before it rings: a running
 * poller answers a short call in a few microseconds, while a longer spin
 * only adds to the exit it ends with when the host is busy (measured). */
#define SPIN_NS 40000


static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void send_msg(int fd, const struct monitor_msg *msg)
{
	const uint8_t *p = (const uint8_t *)msg;
	size_t left = sizeof(*msg);

	while (left) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		left -= (size_t)n;
	}
}

static int prepare(struct monitor *m)
{
	const fasco_config *cfg = m->realm->config;
	struct vcpu_boot boot[MAX_VCPUS];
	struct realm_memory mem = { .interp_fd = -1 };
	uint64_t shared_gpa, shared_size;
	/* the digest cache is a directory of the host: closed when prepare
	 * returns, before any realm call is served */
	_cleanup_close_ int prog = -1, root = -1, digest_cache = -1;
	uint32_t platform;
	int ret;

	realm_shared_layout(cfg, &shared_gpa, &shared_size);
	m->be = m->realm->ctx->backend;
	/* probed before the sandbox hides the host's /sys */
	platform = m->platform = m->be->platform();
	/* /dev/kvm is opened before the sandbox hides the host's /dev */
	ret = m->be->vm_create(cfg->memory_bytes, shared_gpa, shared_size, &m->vm,
			       &mem.private_mem, &m->shared);
	if (ret < 0)
		return ret;
	mem.private_size = cfg->memory_bytes;
	if ((ret = m->be->vm_load_cpu_model(m->vm, m->realm->ctx->state_dir)) < 0)
		return ret;
	/* no cache is only slower: the pages are hashed from memory instead */
	digest_cache = cfg->measure ? digest_cache_open(m->realm->ctx->state_dir) : -1;
	/* the platform key lives beside the cache; loaded while it is reachable */
	if (cfg->measure)
		realm_attester_init(&m->attester, m->realm->ctx->state_dir, cfg->rpv,
				    m->realm->rak_seed);
	if ((ret = sandbox_enter(m->realm->sysrealm->root, cfg->cwd)) < 0)
		return ret;
	if ((ret = m->be->vm_begin(m->vm, cfg->vcpus)) < 0)
		return ret;
	prog = open(cfg->program, O_RDONLY | O_CLOEXEC);
	if (prog < 0)
		return fasco_fail(-errno, "program %s: %s", cfg->program, strerror(errno));
	root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC); /* the container's, now */
	if (root < 0)
		return fasco_fail_errno("open the container root");
	ret = realm_image_build(cfg, platform, root, prog, &mem, shared_gpa, shared_size, boot);
	if (ret == 0 && cfg->measure)
		ret = realm_measure(&mem, cfg, boot, digest_cache, &m->rmm);
	realm_memory_release(&mem);
	if (ret < 0)
		return ret;

	if ((ret = monitor_boot_vcpus(m, boot)) < 0)
		return ret;
	if ((ret = service_init(&m->svc)) < 0)
		return ret;
	tsm_init(&m->tsm, &m->attester, m->rmm, m->realm->config->hash_algo);
	return sandbox_drop_privileges();
}

int monitor_boot_vcpus(struct monitor *m, const struct vcpu_boot *boot)
{
	const fasco_config *cfg = m->realm->config;
	int ret;

	for (unsigned i = 0; i < cfg->vcpus; i++) {
		struct fasco_slot_header *slot = (void *)(m->shared + (uint64_t)i * FASCO_SLOT_SIZE);

		/* shared, unmeasured: the process id the realm reports as its own */
		slot->aux[7] = (uint64_t)getpid();
	}
	if ((ret = m->be->vm_seal(m->vm)) < 0)
		return ret;
	/* vCPUs beyond the first are created but run with the threads work */
	for (unsigned i = 0; i < cfg->vcpus; i++) {
		struct fasco_slot_header *slot = (void *)(m->shared + (uint64_t)i * FASCO_SLOT_SIZE);

		if ((ret = m->be->vcpu_create(m->vm, i, &boot[i])) < 0)
			return ret;
		slot->tsc_khz = m->be->tsc_khz(m->vm);
		slot->spin_cycles = (uint64_t)slot->tsc_khz * SPIN_NS / 1000000;
	}
	return 0;
}

static int fault_signal(uint64_t vector)
{
	switch (vector) {
	case 0: case 16: case 19: return SIGFPE; /* #DE, #MF, #XM */
	case 1: case 3: return SIGTRAP;          /* #DB, #BP */
	case 6: return SIGILL;                   /* #UD */
	case 17: return SIGBUS;                  /* #AC */
	default: return SIGSEGV;                 /* #GP, #PF, ... */
	}
}

static void end_fault(struct monitor *m, const struct fasco_slot_header *h)
{

	struct fasco_exit_info *e = &m->exit;

	e->kind = FASCO_END_FAULT;
	e->vector = (uint32_t)h->aux[FASCO_FAULT_VECTOR];
	e->error_code = h->aux[FASCO_FAULT_ERROR_CODE];
	e->address = h->aux[FASCO_FAULT_ADDRESS];
	e->ip = h->aux[FASCO_FAULT_IP];
	e->value = fault_signal(e->vector);
	if (h->aux[FASCO_FAULT_IN_SHIM] == 2)
		snprintf(e->detail, sizeof(e->detail),
			 "out of realm memory at address 0x%llx (ip 0x%llx)",
			 (unsigned long long)e->address, (unsigned long long)e->ip);
	else
		snprintf(e->detail, sizeof(e->detail),
			 "%s: exception %u, error code 0x%llx, address 0x%llx, ip 0x%llx",
			 h->aux[FASCO_FAULT_IN_SHIM] ? "shim fault" : "unhandled fault", e->vector,
			 (unsigned long long)e->error_code, (unsigned long long)e->address,
			 (unsigned long long)e->ip);
}

void monitor_end_crash(struct monitor *m, const char *why, uint64_t detail)
{
	m->exit.kind = FASCO_END_CRASH;
	m->exit.value = SIGKILL;
	snprintf(m->exit.detail, sizeof(m->exit.detail), "%s (0x%llx)", why, (unsigned long long)detail);
}

/* Serve the system call in the slot; the caller holds m->serving. */
static void serve_syscall(struct monitor *m, const struct fasco_slot_header *h)
{
	volatile struct fasco_slot_header *shared = (void *)m->shared;

	uint8_t *data = m->shared + FASCO_SLOT_HEADER_SIZE;
	int64_t ret;

	if (!tsm_serve(&m->tsm, &m->svc, h, data, &ret))
		ret = service_syscall(&m->svc, h, data);
	shared->result = ret;
	__atomic_store_n(&shared->state, FASCO_SLOT_DONE, __ATOMIC_RELEASE);
}

static void answer(struct monitor *m, int64_t ret)
{
	volatile struct fasco_slot_header *shared = (void *)m->shared;

	shared->result = ret;
	__atomic_store_n(&shared->state, FASCO_SLOT_DONE, __ATOMIC_RELEASE);
}

/* The poller's side: a call posted without an exit. */
static void serve_posted(void *opaque)
{
	struct monitor *m = opaque;
	struct fasco_slot_header h;

	memcpy(&h, m->shared, sizeof(h)); /* copy once, then validate */
	if (service_check_header(&h) < 0 || h.op != FASCO_OP_SYSCALL) {
		/* only system calls are posted; the realm broke its own request */
		((volatile struct fasco_slot_header *)m->shared)->result = -EPROTO;
		__atomic_store_n(&((struct fasco_slot_header *)m->shared)->state, FASCO_SLOT_DONE,
				 __ATOMIC_RELEASE);
		return;
	}
	serve_syscall(m, &h);
}

static int serve_locked(struct monitor *m)
{
	volatile struct fasco_slot_header *shared = (void *)m->shared;
	struct fasco_slot_header h;
	uint32_t state = __atomic_load_n(&shared->state, __ATOMIC_ACQUIRE);

	/* rang only to wait for a call the poller took: it is answered now */
	if (state == FASCO_SLOT_TAKEN || state == FASCO_SLOT_DONE)
		return 0;
	memcpy(&h, (const void *)shared, sizeof(h)); /* copy once, then validate */
	if (service_check_header(&h) < 0) {
		char why[128];

		snprintf(why, sizeof(why), "shared-buffer protocol violation: %s", fasco_last_error());
		monitor_end_crash(m, why, h.op);
		return 1;
	}
	/* one toggle of CR4.PGE per exit: a second would undo the first */
	if ((h.flags & FASCO_SLOT_FLUSH_TLB) || h.op == FASCO_OP_FLUSH)
		m->be->vcpu_flush_tlb(m->vm, 0);
	switch (h.op) {
	case FASCO_OP_SYSCALL:
		serve_syscall(m, &h);
		poller_kick(&m->poller); /* the program is making calls */
		return 0;
	case FASCO_OP_FLUSH:
		return 0;
	case FASCO_OP_FORK:
		answer(m, process_fork(m));
		return 0;
	case FASCO_OP_EXEC:
		return process_exec(m, answer);
	case FASCO_OP_EXIT:
		m->exit.kind = FASCO_END_EXIT;
		m->exit.value = (int32_t)(h.args[0] & 0xff);
		snprintf(m->exit.detail, sizeof(m->exit.detail), "exited with status %d", m->exit.value);
		return 1;
	case FASCO_OP_FAULT:
		end_fault(m, &h);
		return 1;
	case FASCO_OP_PANIC:
		monitor_end_crash(m, "shim panic", h.args[0]);
		return 1;
	default: /* service_check_header() let only the above through */
		monitor_end_crash(m, "internal: unchecked operation", h.op);
		return 1;
	}
}

/* Serve one doorbell. Returns 1 when the realm has ended. */
static int serve(struct monitor *m)
{
	int ended;

	pthread_mutex_lock(&m->serving);
	ended = serve_locked(m);
	pthread_mutex_unlock(&m->serving);
	return ended;
}

int monitor_start_poller(struct monitor *m)
{
	uint64_t idle_ns = m->realm->config->poll_ns;

	if (!idle_ns)
		return 0;
	m->poller = (struct poller){
		.slot = (volatile struct fasco_slot_header *)m->shared,
		.serving = &m->serving, .serve = serve_posted, .opaque = m, .idle_ns = idle_ns,
	};
	return poller_start(&m->poller);
}

static int run(struct monitor *m)
{
	struct vm_exit ex;
	int ret;

	pthread_mutex_init(&m->serving, NULL);
	if ((ret = monitor_start_poller(m)) < 0)
		return ret;

	for (;;) {
		if ((ret = m->be->vcpu_run(m->vm, 0, &ex)) < 0)
			return ret;
		m->stats.exits++;
		switch (ex.kind) {
		case VM_EXIT_INTR:
			continue;
		case VM_EXIT_DOORBELL:
			if (serve(m))
				return 0;
			continue;
		case VM_EXIT_SHUTDOWN: {
			uint64_t ip = 0, sp = 0;

			m->be->vcpu_where(m->vm, 0, &ip, &sp);
			monitor_end_crash(m, "triple fault: the realm destroyed its own CPU state; ip", ip);
			m->exit.ip = ip;
			return 0;
		}
		default:
			monitor_end_crash(m, "unexpected VM exit", ex.detail);
			return 0;
		}
	}
}

static void finish_stats(struct monitor *m, uint64_t t_end)
{
	struct rusage ru;

	m->stats.size = sizeof(m->stats);
	m->stats.startup_ns = m->t_run - m->t_start;
	m->stats.run_ns = t_end - m->t_run;
	m->stats.forwarded = m->svc.forwarded;
	m->stats.unsupported = m->svc.unsupported;
	m->stats.polled = __atomic_load_n(&m->poller.served, __ATOMIC_RELAXED);
	memcpy(m->stats.per_syscall, m->svc.per_syscall, sizeof(m->stats.per_syscall));
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		m->stats.peak_rss_bytes = (uint64_t)ru.ru_maxrss * 1024;
}

/*
 * A realm never outlives the process that owns it. PR_SET_PDEATHSIG would
 * follow the thread that forked the monitor, which may end long before its
 * process (bindings fork from whatever thread calls them), so a thread
 * waits on a pidfd of the owner process instead; a forked realm also ends
 * with the first realm of its tree, as a container's processes end with
 * its init.
 */
static void *watch_owner(void *arg)
{
	struct monitor *m = arg;
	struct pollfd p[2] = { { .fd = m->owner_pidfd, .events = POLLIN },
			       { .fd = m->root_pidfd, .events = POLLIN } };

	while (poll(p, 2, -1) < 0 && errno == EINTR)
		;
	if (m->root_pidfd >= 0)
		kill(getpid(), SIGKILL);
	_exit(1);
	return NULL;
}

int monitor_start_watch(struct monitor *m)
{
	pthread_t t;
	int ret;

	if (m->owner_pidfd < 0)
		return fasco_fail(FASCO_E_INTERNAL, "no pidfd of the realm's owner");
	ret = pthread_create(&t, NULL, watch_owner, m);
	if (ret)
		return fasco_fail(-ret, "cannot watch the realm's owner: %s", strerror(ret));
	pthread_detach(t);
	return 0;
}

void monitor_main(fasco_realm *realm, int status_fd, int go_fd, int owner_pidfd)
{
	static struct monitor m;
	static struct monitor_msg msg;
	sigset_t none;
	char go;
	int ret;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	m.realm = realm;
	m.t_start = now_ns();
	m.status_fd = status_fd;
	m.owner_pidfd = owner_pidfd;
	m.root_pidfd = -1;
	/* single-threaded until the sandbox is entered (unshare needs it) */
	ret = prepare(&m);
	if (ret == 0)
		ret = process_init(&m);
	if (ret == 0)
		ret = monitor_start_watch(&m);
	if (ret < 0) {
		msg.type = MSG_ERROR;
		msg.code = ret;
		snprintf(msg.detail, sizeof(msg.detail), "%s", fasco_last_error());
		send_msg(status_fd, &msg);
		_exit(1);
	}
	msg.type = MSG_LOADED;
	realm_measurements_of(m.rmm, &msg.meas);
	send_msg(status_fd, &msg);
	if (read(go_fd, &go, 1) != 1)
		_exit(0); /* destroyed before it started */
	close(go_fd);

	m.t_run = now_ns();
	if (m.rmm)
		rmm_realm_activate(m.rmm); /* the RIM is frozen from here */
	ret = run(&m);
	memset(&msg, 0, sizeof(msg));
	if (ret < 0) {
		msg.type = MSG_ERROR;
		msg.code = ret;
		snprintf(msg.detail, sizeof(msg.detail), "%s", fasco_last_error());
		monitor_end_crash(&m, "monitor error", (uint64_t)-ret);
	} else {
		msg.type = MSG_END;
		finish_stats(&m, now_ns());
		m.exit.size = sizeof(m.exit);
		msg.exit = m.exit;
		msg.stats = m.stats;
		realm_measurements_of(m.rmm, &msg.meas);
	}
	/* only the first realm of a tree reports to the library */
	if (m.status_fd >= 0)
		send_msg(m.status_fd, &msg);
	process_end(&m.exit);
}
