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
#include "core/backend_populate.h"
#include "core/image.h"
#include "core/digest_cache.h"
#include "core/exec_measure.h"
#include "core/internal.h"
#include "core/measure.h"
#include "core/monitor.h"
#include "core/populate.h"
#include "core/process.h"
#include "sysrealm/sandbox.h"
#include "sysrealm/service.h"

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
	struct vcpu_boot boot[MONITOR_MAX_VCPUS];
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
	m->private_mem = mem.private_mem;
	m->private_size = mem.private_size;
	if ((ret = m->be->vm_load_cpu_model(m->vm, m->realm->ctx->state_dir)) < 0)
		return ret;
	/* no cache is only slower: the pages are hashed from memory instead */
	digest_cache = cfg->measure ? digest_cache_open(m->realm->ctx->state_dir) : -1;
	/* the platform key lives beside the cache; loaded while it is reachable */
	if (cfg->measure)
		realm_attester_init(&m->attester, m->realm->ctx->state_dir, cfg->rpv,
				    m->realm->rak_seed);
	if ((ret = sandbox_enter(&m->realm->sysrealm->spec, cfg->cwd)) < 0)
		return ret;
	/* the first vCPU now; a thread's when a clone first needs it */
	if ((ret = m->be->vm_begin(m->vm, 1)) < 0)
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
	if (ret == 0)
		ret = realm_backend_populate(m->be, m->vm, &mem, cfg, boot);
	realm_memory_release(&mem);
	if (ret < 0)
		return ret;

	if ((ret = monitor_boot_vcpus(m, boot)) < 0)
		return ret;
	if ((ret = service_init(&m->svc)) < 0)
		return ret;
	tsm_init(&m->tsm, &m->attester, m->rmm, m->realm->config->hash_algo);
	m->tsm.events = &m->events;
	return sandbox_drop_privileges(&m->realm->sysrealm->spec);
}

int monitor_boot_vcpus(struct monitor *m, const struct vcpu_boot *boot)
{
	const fasco_config *cfg = m->realm->config;
	uint64_t pid = (uint64_t)getpid();
	uint32_t tsc_khz;
	int ret;

	for (unsigned i = 0; i < cfg->vcpus; i++) {
		struct fasco_slot_header *slot = (void *)(m->shared + (uint64_t)i * FASCO_SLOT_SIZE);

		/* shared, unmeasured: the process id the realm reports as its own */
		slot->aux[FASCO_SLOT_AUX_PID] = pid;
	}
	/* the first thread's id is the process id, as on Linux */
	((struct fasco_slot_header *)m->shared)->aux[FASCO_SLOT_AUX_TID] = pid;
	m->pt_root = boot[0].page_table_root;
	m->n_vcpus = (unsigned)cfg->vcpus;
	for (unsigned i = 0; i < MONITOR_MAX_VCPUS; i++) {
		/* a new VM (or an execve's): made again, no synced registers yet */
		m->cpu[i].created = 0;
		m->cpu[i].ran = 0;
		m->cpu[i].flush = 0;
	}
	if ((ret = m->be->vm_seal(m->vm)) < 0)
		return ret;
	/* every vCPU was measured as a REC with its boot state; the KVM vCPU
	 * of a thread is made with that same state when a clone first needs
	 * it (threads.c): a realm that never clones pays for one */
	memcpy(m->boot, boot, cfg->vcpus * sizeof(boot[0]));
	if ((ret = m->be->vcpu_create(m->vm, 0, &boot[0])) < 0)
		return ret;
	m->cpu[0].created = 1;
	tsc_khz = m->be->tsc_khz(m->vm); /* an ioctl: once, not per vCPU */
	for (unsigned i = 0; i < cfg->vcpus; i++) {
		struct fasco_slot_header *slot = (void *)(m->shared + (uint64_t)i * FASCO_SLOT_SIZE);

		slot->tsc_khz = tsc_khz;
		slot->spin_cycles = (uint64_t)tsc_khz * SPIN_NS / 1000000;
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

void monitor_end_exit(struct monitor *m, int status, int signo)
{
	if (signo > 0 && signo < 65) {
		m->exit.kind = FASCO_END_SIGNAL;
		m->exit.value = signo;
		snprintf(m->exit.detail, sizeof(m->exit.detail), "killed by signal %d", signo);
		return;
	}
	m->exit.kind = FASCO_END_EXIT;
	m->exit.value = status & 0xff;
	snprintf(m->exit.detail, sizeof(m->exit.detail), "exited with status %d", m->exit.value);
}

/* Serve the system call in the vCPU's slot; the caller holds cpu->serving. */
static void serve_syscall(struct monitor *m, struct vcpu_host *cpu, const struct fasco_slot_header *h)
{
	int64_t ret;
	int mine;

	pthread_mutex_lock(&m->tsm_lock);
	mine = tsm_serve(&m->tsm, &m->svc, h, cpu->data, &ret);
	pthread_mutex_unlock(&m->tsm_lock);
	if (!mine && !futex_serve(m, h, cpu->data, &ret))
		ret = service_syscall_with(&m->svc, h, cpu->data, cpu->priv);
	cpu->slot->result = ret;
	__atomic_store_n(&cpu->slot->state, FASCO_SLOT_DONE, __ATOMIC_RELEASE);
}

/* The answer to a vCPU's fork or execve. */
static void answer(struct vcpu_host *cpu, int64_t ret)
{
	cpu->slot->result = ret;
	__atomic_store_n(&cpu->slot->state, FASCO_SLOT_DONE, __ATOMIC_RELEASE);
}

/* execve of a realm with one thread: replacing a realm whose other threads
 * run is not done yet. */
static int single_threaded(struct monitor *m, struct vcpu_host *cpu)
{
	int one;

	pthread_mutex_lock(&m->threads_lock);
	one = cpu->index == m->leader && m->live == 1;
	pthread_mutex_unlock(&m->threads_lock);
	return one;
}

/* The poller's side: a call posted without an exit. */
static void serve_posted(void *opaque, unsigned index)
{
	struct monitor *m = opaque;
	struct vcpu_host *cpu = &m->cpu[index];
	struct fasco_slot_header h;

	memcpy(&h, (const void *)cpu->slot, sizeof(h)); /* copy once, then validate */
	if (service_check_header(&h) < 0)
		h.op = 0; /* answered -EPROTO below */
	if (h.op == FASCO_OP_SYSCALL) {
		serve_syscall(m, cpu, &h);
		return;
	}
	/* only system calls and populate hints are posted; anything else
	 * breaks the realm's own request */
	cpu->slot->result = h.op == FASCO_OP_POPULATE ? populate_serve(m, &h, cpu->data) : -EPROTO;
	__atomic_store_n(&cpu->slot->state, FASCO_SLOT_DONE, __ATOMIC_RELEASE);
}

/* Requests that end the realm: whoever comes first reports. */
static enum serve_result serve_end(struct monitor *m, const struct fasco_slot_header *h)
{
	pthread_mutex_lock(&m->end_lock);
	switch (h->op) {
	case FASCO_OP_EXIT:
		monitor_end_exit(m, (int)(h->args[0] & 0xff), (int)h->args[1]);
		break;
	case FASCO_OP_FAULT:
		end_fault(m, h);
		break;
	case FASCO_OP_PANIC:
		monitor_end_crash(m, "shim panic", h->args[0]);
		break;
	default: /* service_check_header() let only the above through */
		monitor_end_crash(m, "internal: unchecked operation", h->op);
		break;
	}
	return SERVE_ENDED;
}

static enum serve_result serve_locked(struct monitor *m, struct vcpu_host *cpu,
				      struct fasco_slot_header *h)
{
	uint32_t state = __atomic_load_n(&cpu->slot->state, __ATOMIC_ACQUIRE);

	/* rang only to wait for a call the poller took: it is answered now */
	if (state == FASCO_SLOT_TAKEN || state == FASCO_SLOT_DONE)
		return SERVE_RESUME;
	memcpy(h, (const void *)cpu->slot, sizeof(*h)); /* copy once, then validate */
	if (service_check_header(h) < 0) {
		char why[128];

		snprintf(why, sizeof(why), "shared-buffer protocol violation: %s", fasco_last_error());
		pthread_mutex_lock(&m->end_lock);
		monitor_end_crash(m, why, h->op);
		return SERVE_ENDED;
	}
	if (h->flags & FASCO_SLOT_FLUSH_TLB)
		cpu->flush = 1;
	switch (h->op) {
	case FASCO_OP_SYSCALL:
		serve_syscall(m, cpu, h);
		poller_kick(&m->poller); /* the program is making calls */
		return SERVE_RESUME;
	case FASCO_OP_FLUSH:
		cpu->flush = 1;
		if (h->args[0] != FASCO_FLUSH_SELF)
			threads_shootdown(m, cpu);
		return SERVE_RESUME;
	case FASCO_OP_THREAD_START:
		cpu->slot->result = threads_start(m, h->args[0], h->args[1]);
		return SERVE_RESUME;
	case FASCO_OP_THREAD_EXIT:
		return SERVE_PARK;
	case FASCO_OP_SIGNALS:
		cpu->slot->result = signals_serve(m, cpu, h);
		return SERVE_RESUME;
	case FASCO_OP_MEASURE_EXEC:
		cpu->slot->result = exec_measure_serve(m, cpu, h);
		return SERVE_RESUME;
	case FASCO_OP_POPULATE:
		cpu->slot->result = populate_serve(m, h, cpu->data);
		return SERVE_RESUME;
	case FASCO_OP_FORK:
		answer(cpu, process_fork(m, cpu));
		return SERVE_RESUME;
	case FASCO_OP_EXEC:
		if (!single_threaded(m, cpu)) {
			cpu->slot->result = -ENOSYS;
			return SERVE_RESUME;
		}
		if (process_exec(m, cpu, answer) == 0)
			return cpu->index == m->leader ? SERVE_RESUME : SERVE_LEADER;
		pthread_mutex_lock(&m->end_lock);
		return SERVE_ENDED;
	default:
		return serve_end(m, h);
	}
}

/* Serve one doorbell of this vCPU. */
enum serve_result monitor_serve(struct monitor *m, struct vcpu_host *cpu)
{
	struct fasco_slot_header h;
	enum serve_result r;

	pthread_mutex_lock(&cpu->serving);
	r = serve_locked(m, cpu, &h);
	pthread_mutex_unlock(&cpu->serving);
	if (r == SERVE_PARK)
		r = threads_park(m, cpu, h.args[0], (int)h.args[1]);
	return r;
}

static void poller_watch_all(struct monitor *m)
{
	for (unsigned i = 0; i < m->n_vcpus; i++)
		m->poller.slots[i] = (struct poller_slot){ m->cpu[i].slot, &m->cpu[i].serving };
}

int monitor_start_poller(struct monitor *m)
{
	uint64_t idle_ns = m->realm->config->poll_ns;

	if (!idle_ns)
		return 0;
	m->poller.serve = serve_posted;
	m->poller.opaque = m;
	m->poller.idle_ns = idle_ns;
	m->poller.n_slots = 1;
	poller_watch_all(m);
	return poller_start(&m->poller);
}

static enum serve_result end_vm_exit(struct monitor *m, struct vcpu_host *cpu, const struct vm_exit *ex)
{
	uint64_t ip = 0, sp = 0;

	pthread_mutex_lock(&m->end_lock);
	if (ex->kind != VM_EXIT_SHUTDOWN) {
		monitor_end_crash(m, "unexpected VM exit", ex->detail);
		return SERVE_ENDED;
	}
	m->be->vcpu_where(m->vm, cpu->index, &ip, &sp);
	monitor_end_crash(m, "triple fault: the realm destroyed its own CPU state; ip", ip);
	m->exit.ip = ip;
	return SERVE_ENDED;
}

int monitor_run_vcpu(struct monitor *m, struct vcpu_host *cpu)
{
	struct vm_exit ex;
	enum serve_result r;
	int ret;

	signals_block(); /* glibc may have unblocked SIGCANCEL here (signals.h) */
	for (;;) {
		threads_enter_guest(m, cpu);
		ret = m->be->vcpu_run(m->vm, cpu->index, &ex);
		threads_leave_guest(cpu);
		if (ret < 0)
			return ret;
		__atomic_add_fetch(&m->stats.exits, 1, __ATOMIC_RELAXED);
		if (ex.kind == VM_EXIT_INTR) {
			signals_interrupted(m, cpu);
			continue;
		}
		r = ex.kind == VM_EXIT_DOORBELL ? monitor_serve(m, cpu) : end_vm_exit(m, cpu, &ex);
		if (r == SERVE_ENDED)
			return 0;
		if (r == SERVE_PARKED)
			return MONITOR_PARKED;
		if (r == SERVE_LEADER)
			cpu = &m->cpu[m->leader];
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

	signals_block(); /* pthread_create unblocked SIGCANCEL (signals.h) */
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
	char go;
	int ret;

	signals_block(); /* the realm's from here on (signals.c) */
	m.realm = realm;
	m.t_start = now_ns();
	m.status_fd = status_fd;
	m.owner_pidfd = owner_pidfd;
	m.root_pidfd = -1;
	/* single-threaded until the sandbox is entered (unshare needs it) */
	ret = prepare(&m);
	if (ret == 0)
		ret = process_init(&m);
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
	/* an owner that ends meanwhile closes the pipe: no watch needed yet */
	if (read(go_fd, &go, 1) != 1)
		_exit(0); /* destroyed before it started */
	close(go_fd);

	m.t_run = now_ns();
	if (m.rmm)
		rmm_realm_activate(m.rmm); /* the RIM is frozen from here */
	/* still one thread: glibc applies the credentials without a broadcast,
	 * which the realm's blocked signals would hold up */
	if ((ret = sandbox_become_user(&realm->sysrealm->spec)) == 0 &&
	    (ret = monitor_start_watch(&m)) == 0 && (ret = threads_init(&m)) == 0 &&
	    (ret = signals_start(&m)) == 0 && (ret = monitor_start_poller(&m)) == 0)
		ret = monitor_run_vcpu(&m, &m.cpu[0]);
	monitor_finish(&m, ret);
}

void monitor_finish(struct monitor *m, int ret)
{
	static struct monitor_msg msg;

	if (ret < 0)
		pthread_mutex_lock(&m->end_lock); /* an error ends it too: report once */
	memset(&msg, 0, sizeof(msg));
	if (ret < 0) {
		msg.type = MSG_ERROR;
		msg.code = ret;
		snprintf(msg.detail, sizeof(msg.detail), "%s", fasco_last_error());
		monitor_end_crash(m, "monitor error", (uint64_t)-ret);
	} else {
		msg.type = MSG_END;
		finish_stats(m, now_ns());
		m->exit.size = sizeof(m->exit);
		msg.exit = m->exit;
		msg.stats = m->stats;
		realm_measurements_of(m->rmm, &msg.meas);
	}
	/* only the first realm of a tree reports to the library */
	if (m->status_fd >= 0) {
		send_msg(m->status_fd, &msg);
		if (msg.type == MSG_END)
			exec_measure_send_log(m); /* before the EOF that says it is over */
		/* EOF at once: fasco_realm_fd() stays readable after the report is read */
		close(m->status_fd);
		m->status_fd = -1;
	}
	process_end(&m->exit);
}
