/* SPDX-License-Identifier: Apache-2.0 */
/*
 * futex for the realm's threads, served on the monitor's own mapping of
 * realm memory: the host kernel does the waiting (a waiting vCPU's thread
 * sleeps, timeouts are real) and a wake from any vCPU's thread reaches it.
 *
 * A futex address is the program's virtual address: it is translated
 * through the realm's page tables by a bounded four-level walk in which
 * every entry is read once and every table and frame address is checked
 * against realm memory. Only user-accessible, present, 4-byte-aligned words
 * of the program's half (not the shim's window) are followed; the realm may
 * change its tables meanwhile, which at worst points the call at another of
 * its own words.
 */
#include <errno.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "backend/kvm/x86_tables.h"
#include "core/monitor.h"

#define PTE_ADDR 0x000ffffffffff000ull
/* The shim's window (image, physical map, shared region): no program data */
#define SHIM_WINDOW_END (FASCO_GVA_SHARED + (1ull << 32))
#define USER_END (1ull << 47)
#define TIMEOUT_ARG 3

static uint64_t read_entry(struct monitor *m, uint64_t table_gpa, unsigned index, int *ok)
{
	if (table_gpa > m->private_size - FASCO_PAGE_SIZE) {
		*ok = 0;
		return 0;
	}
	return __atomic_load_n((uint64_t *)(m->private_mem + table_gpa) + index, __ATOMIC_RELAXED);
}

uint32_t *guest_u32(struct monitor *m, uint64_t va, int write)
{
	uint64_t table = m->pt_root & PTE_ADDR, e = 0, gpa;
	int ok = 1;

	if ((va & 3) || va >= USER_END || (va >= FASCO_GVA_SHIM && va < SHIM_WINDOW_END) ||
	    !m->private_mem)
		return NULL;
	for (int level = 3; level >= 0; level--) {
		uint64_t span = 1ull << (12 + 9 * level);

		e = read_entry(m, table, (unsigned)(va >> (12 + 9 * level)) & 511, &ok);
		if (!ok || !(e & X86_PTE_P) || !(e & X86_PTE_U) || (write && !(e & X86_PTE_W)))
			return NULL;
		if (level == 0 || ((e & X86_PTE_PS) && level <= 2)) {
			gpa = (e & PTE_ADDR & ~(span - 1)) + (va & (span - 1));
			if (gpa > m->private_size - sizeof(uint32_t))
				return NULL;
			return (uint32_t *)(m->private_mem + gpa);
		}
		if (e & X86_PTE_PS)
			return NULL; /* a 512 GiB page does not exist */
		table = e & PTE_ADDR;
	}
	return NULL;
}

/* The timeout the shim passed by value, checked as the kernel checks it. */
static int copy_timeout(const uint8_t *data, struct timespec *ts)
{
	int64_t v[2];

	memcpy(v, data, sizeof(v)); /* once: the realm may change it meanwhile */
	if (v[0] < 0 || v[1] < 0 || v[1] >= 1000000000)
		return -EINVAL;
	ts->tv_sec = (time_t)v[0];
	ts->tv_nsec = (long)v[1];
	return 0;
}

static int64_t host_futex(uint32_t *w, long op, uint64_t val, const void *ts_or_val2,
			  uint32_t *w2, uint64_t val3)
{
	long r = syscall(SYS_futex, w, op, (uint32_t)val, ts_or_val2, w2, (uint32_t)val3);

	return r < 0 ? -errno : r;
}

int futex_serve(struct monitor *m, const struct fasco_slot_header *h, const uint8_t *data,
		int64_t *ret)
{
	int op = (int)h->args[1], cmd = op & FUTEX_CMD_MASK;
	uint32_t *w, *w2 = NULL;
	struct timespec ts;

	if (h->nr != SYS_futex)
		return 0;
	__atomic_add_fetch(&m->svc.forwarded, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&m->svc.per_syscall[SYS_futex], 1, __ATOMIC_RELAXED);
	if (!(w = guest_u32(m, h->args[0], 0))) {
		*ret = h->args[0] & 3 ? -EINVAL : -EFAULT;
		return 1;
	}
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if ((h->ptr_mask >> TIMEOUT_ARG) & 1) {
			if ((*ret = copy_timeout(data, &ts)) < 0)
				return 1;
			*ret = host_futex(w, op, h->args[2], &ts, NULL, h->args[5]);
		} else {
			*ret = host_futex(w, op, h->args[2], NULL, NULL, h->args[5]);
		}
		return 1;
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		*ret = host_futex(w, op, h->args[2], NULL, NULL, h->args[5]);
		return 1;
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
	case FUTEX_WAKE_OP:
		if (!(w2 = guest_u32(m, h->args[4], cmd == FUTEX_WAKE_OP))) {
			*ret = h->args[4] & 3 ? -EINVAL : -EFAULT;
			return 1;
		}
		*ret = host_futex(w, op, h->args[2], (const void *)(uintptr_t)h->args[3], w2, h->args[5]);
		return 1;
	default:
		*ret = -ENOSYS; /* priority inheritance: the words hold realm thread ids */
		return 1;
	}
}
