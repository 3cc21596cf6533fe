/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm's address space, managed inside the realm: realm memory never
 * leaves it. Physical frames come from a bump allocator over the free part
 * of private memory plus a list of recycled frames; virtual memory is a
 * sorted array of areas; pages are mapped on first touch (a fresh frame is
 * already zero and costs the host nothing until the program writes it).
 *
 * Removing or narrowing a mapping leaves stale translations behind under
 * shadow paging, so such changes end with one plat_flush_tlb() per call, and
 * frames freed by them are only recycled after that flush.
 */
#include "shim.h"
#include "abi/exec_event.h"

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_U 0x4ull
#define PTE_A 0x20ull
#define PTE_D 0x40ull
#define PTE_PS 0x80ull
#define PTE_KEEP 0x200ull /* software: frame kept while the page is PROT_NONE */
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE 1
#define MADV_DONTNEED 4
#define MADV_FREE 8

#define E_NOMEM 12
#define E_INVAL 22
#define E_EXIST 17
#define E_NODEV 19
#define E_FAULT 14

#define MAX_AREAS 1024
#define FAULT_AROUND 16 /* pages mapped per fault in one go */

enum area_kind { AREA_IMAGE, AREA_ANON, AREA_STACK, AREA_BRK };

struct area {
	uint64_t start, end;
	uint32_t prot;
	uint32_t kind;
	/* filled from a file and not measured as code yet: made executable,
	 * it extends REM[0] first (exec_measure.c) */
	uint32_t code_pending;
	int32_t file_fd;   /* the descriptor it was filled from (for the log) */
	uint64_t file_off; /* file offset of start */
};

static struct area areas[MAX_AREAS];
static unsigned n_areas;

static uint64_t phys_end, bump_next, free_list, pending_list;
static uint64_t pml4_pa;
static uint64_t brk_base, brk_cur;
/* Held by every entry point below; a vCPU faulting on a page while it holds
 * it (filling a file mapping) takes it again. */
struct shim_lock mm_lock;

static inline void *phys(uint64_t pa)
{
	return (void *)(FASCO_GVA_PHYSMAP + pa);
}

/* ---- frames ---- */

static uint64_t frame_alloc(void)
{
	uint64_t pa;

	if (free_list) {
		pa = free_list;
		free_list = *(uint64_t *)phys(pa);
		memset(phys(pa), 0, PAGE_SIZE);
		return pa;
	}
	if (bump_next + PAGE_SIZE > phys_end)
		return 0;
	pa = bump_next;
	bump_next += PAGE_SIZE;
	return pa; /* never used: already zero */
}

/* Freed frames wait for the next TLB flush before they are reused. */
static void frame_release(uint64_t pa)
{
	*(uint64_t *)phys(pa) = pending_list;
	pending_list = pa;
}

static void flush_and_recycle(void)
{
	plat_flush_tlb();
	while (pending_list) {
		uint64_t pa = pending_list;

		pending_list = *(uint64_t *)phys(pa);
		*(uint64_t *)phys(pa) = free_list;
		free_list = pa;
	}
}

/* ---- page tables ---- */

static uint64_t *pte_lookup(uint64_t va, int create)
{
	uint64_t *table = phys(pml4_pa);

	for (int level = 3; level > 0; level--) {
		uint64_t *e = &table[(va >> (12 + 9 * level)) & 511];

		if (!(*e & PTE_P)) {
			uint64_t pa;

			if (!create || !(pa = frame_alloc()))
				return NULL;
			*e = pa | PTE_P | PTE_W | PTE_U | PTE_A;
		} else if (*e & PTE_PS) {
			return NULL; /* large pages are only used by the shim */
		}
		table = phys(*e & PTE_ADDR);
	}
	return &table[(va >> 12) & 511];
}

/* Accessed and dirty are set up front: nothing here reads them, and a shadow
 * MMU then needs no fault to set them and prefetches neighbouring entries. */
static uint64_t pte_flags(uint32_t prot)
{
	uint64_t f = PTE_P | PTE_U | PTE_A;

	if (prot & PROT_W)
		f |= PTE_W | PTE_D;
	if (!(prot & PROT_X))
		f |= PTE_NX;
	return f;
}

static uint64_t pte_make(uint64_t pa, uint32_t prot)
{
	if (!(prot & (PROT_R | PROT_W | PROT_X)))
		return pa | PTE_KEEP; /* PROT_NONE: not present, frame kept */
	return pa | pte_flags(prot);
}

/*
 * Visit every page-table entry that holds a frame in [start, end), skipping
 * absent tables whole, so unmapping a large untouched reservation is cheap.
 */
typedef int (*pte_fn)(uint64_t va, uint64_t *pte, void *arg);

static int walk(uint64_t *table, int level, uint64_t base, uint64_t start, uint64_t end,
		pte_fn fn, void *arg)
{
	uint64_t span = 1ull << (12 + 9 * level);
	int changed = 0;

	for (unsigned i = (unsigned)((start - base) / span) & 511; i < 512; i++) {
		uint64_t va = base + i * span;
		uint64_t *e = &table[i];

		if (va >= end)
			break;
		if (level == 0) {
			if (*e & (PTE_P | PTE_KEEP))
				changed |= fn(va, e, arg);
			continue;
		}
		if (!(*e & PTE_P) || (*e & PTE_PS))
			continue;
		changed |= walk(phys(*e & PTE_ADDR), level - 1, va, va > start ? va : start, end, fn, arg);
	}
	return changed;
}

static int walk_range(uint64_t start, uint64_t end, pte_fn fn, void *arg)
{
	return walk(phys(pml4_pa), 3, 0, start, end, fn, arg);
}

static int clear_pte(uint64_t va, uint64_t *pte, void *arg)
{
	(void)va;
	(void)arg;
	frame_release(*pte & PTE_ADDR);
	*pte = 0;
	return 1;
}

static int reprotect_pte(uint64_t va, uint64_t *pte, void *arg)
{
	uint64_t old = *pte, new = pte_make(old & PTE_ADDR, *(uint32_t *)arg);

	(void)va;
	*pte = new;
	/* a flush is needed only if some access was taken away */
	return (old & PTE_P) && (!(new & PTE_P) || ((old & PTE_W) && !(new & PTE_W)) ||
				 (!(old & PTE_NX) && (new & PTE_NX)));
}

/* ---- areas ---- */

static int area_index(uint64_t va)
{
	unsigned lo = 0, hi = n_areas;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (va < areas[mid].start)
			hi = mid;
		else if (va >= areas[mid].end)
			lo = mid + 1;
		else
			return (int)mid;
	}
	return -(int)lo - 1; /* where an area starting at va would go */
}

static struct area *area_find(uint64_t va)
{
	int i = area_index(va);

	return i >= 0 ? &areas[i] : NULL;
}

static int area_insert(uint64_t start, uint64_t end, uint32_t prot, uint32_t kind)
{
	int i = area_index(start);
	unsigned at;

	if (i >= 0 || n_areas == MAX_AREAS)
		return -E_NOMEM;
	at = (unsigned)(-i - 1);
	memmove(&areas[at + 1], &areas[at], (n_areas - at) * sizeof(areas[0]));
	areas[at] = (struct area){ .start = start, .end = end, .prot = prot, .kind = kind };
	n_areas++;
	return 0;
}

/* Split so that no area crosses va. */
static int area_split(uint64_t va)
{
	int i = area_index(va);
	struct area a;

	if (i < 0 || areas[i].start == va)
		return 0;
	if (n_areas == MAX_AREAS)
		return -E_NOMEM;
	a = areas[i];
	areas[i].end = va;
	memmove(&areas[i + 2], &areas[i + 1], (n_areas - (unsigned)i - 1) * sizeof(areas[0]));
	a.file_off += va - a.start;
	a.start = va;
	areas[i + 1] = a;
	n_areas++;
	return 0;
}

static void area_remove_range(uint64_t start, uint64_t end)
{
	unsigned w = 0;

	for (unsigned r = 0; r < n_areas; r++)
		if (areas[r].end <= start || areas[r].start >= end)
			areas[w++] = areas[r];
	n_areas = w;
}

static int range_free(uint64_t start, uint64_t end)
{
	for (unsigned i = 0; i < n_areas; i++)
		if (areas[i].start < end && areas[i].end > start)
			return 0;
	return 1;
}

static int user_range_valid(uint64_t start, uint64_t len)
{
	return len && start >= FASCO_GVA_MMAP_MIN && start + len > start &&
	       start + len <= FASCO_GVA_MMAP_TOP;
}

/* The highest gap of len bytes below the mmap top. */
static uint64_t find_gap(uint64_t len)
{
	uint64_t top = FASCO_GVA_MMAP_TOP;

	for (int i = (int)n_areas - 1; i >= -1; i--) {
		uint64_t floor = i >= 0 ? areas[i].end : FASCO_GVA_MMAP_MIN;

		if (i >= 0 && areas[i].start >= top)
			continue;
		if (floor <= top && top - floor >= len)
			return top - len;
		if (i >= 0)
			top = areas[i].start;
	}
	return 0;
}

/* ---- the calls ---- */

static int64_t mm_mprotect_locked(uint64_t addr, uint64_t len, uint64_t prot);

/* Map va (if it is not) with prot; a new frame is added to pop if given. */
static int map_fresh(uint64_t va, uint32_t prot, struct populate_req *pop)
{
	uint64_t *pte = pte_lookup(va, 1), pa;

	if (!pte)
		return -1;
	if (*pte & PTE_KEEP) {
		*pte = pte_make(*pte & PTE_ADDR, prot);
		return 0;
	}
	if (*pte & PTE_P)
		return 0;
	if (!(pa = frame_alloc()))
		return -1;
	*pte = pte_make(pa, prot);
	if (pop)
		populate_add(pop, pa);
	return 0;
}

/* Map the FAULT_AROUND-aligned block around va, within area a. */
static int map_around(const struct area *a, uint64_t va)
{
	uint64_t first = (va & PAGE_MASK) & ~(FAULT_AROUND * PAGE_SIZE - 1);
	uint64_t last = first + FAULT_AROUND * PAGE_SIZE;

	if (first < a->start)
		first = a->start;
	if (last > a->end)
		last = a->end;
	if (map_fresh(va & PAGE_MASK, a->prot, NULL) < 0)
		return -2; /* out of realm memory */
	for (uint64_t p = first; p < last; p += PAGE_SIZE)
		if (map_fresh(p, a->prot, NULL) < 0)
			break;
	return 0;
}

/* Pages a file fill must span before mapping it whole pays off. */
#define PREMAP_MIN_PAGES 16

/*
 * A file is about to be copied into [start, end): map it whole now and have
 * the host back the new frames before the copy writes them. kvm-pvm's
 * shadow MMU then maps up to 8 pages per fault instead of 1 (it prefetches
 * only neighbours the host backs already), and no guest fault maps the range
 * piece by piece. A dynamic /bin/true: 686 shadow faults -> ~100.
 */
static void premap(uint64_t start, uint64_t end, uint32_t prot)
{
	struct populate_req pop = { 0 };

	if (end - start < PREMAP_MIN_PAGES * PAGE_SIZE)
		return;
	for (uint64_t va = start; va < end; va += PAGE_SIZE)
		if (map_fresh(va, prot, &pop) < 0)
			break; /* out of memory: the fill's own faults will say so */
	populate_flush(&pop);
}

/*
 * Fresh heap and anonymous memory is about to be touched: mapping its first
 * block now saves the fault that would map it (a guest exception, about
 * 40 us on kvm-pvm). Frames never used before are zero already.
 */
static void map_ahead(uint64_t va)
{
	const struct area *a = area_find(va);

	if (a && (a->prot & (PROT_R | PROT_W)))
		(void)map_around(a, va);
}

static int64_t unmap_range(uint64_t start, uint64_t end)
{
	if (area_split(start) < 0 || area_split(end) < 0)
		return -E_NOMEM;
	area_remove_range(start, end);
	if (walk_range(start, end, clear_pte, NULL))
		flush_and_recycle();
	return 0;
}

static int64_t mm_munmap_locked(uint64_t addr, uint64_t len)
{
	if ((addr & ~PAGE_MASK) || !user_range_valid(addr, PAGE_UP(len)))
		return -E_INVAL;
	return unmap_range(addr, addr + PAGE_UP(len));
}

/*
 * Fill a new file mapping by reading the file into it. Mapped executable in
 * a measured realm, its bytes extend REM[0] before the program can run
 * them; otherwise the area remembers where it came from, for an mprotect
 * that makes it executable later.
 */
static int64_t fill_from_file(struct area *a, int64_t fd, uint64_t off, uint32_t prot)
{
	int measure = exec_measure_on() && (prot & PROT_X);
	uint64_t len = a->end - a->start;
	struct rmm_sha256 h;
	int64_t ret = exec_fill(a->start, len, fd, off, measure ? &h : NULL);

	if (ret == 0 && measure)
		ret = exec_measure_extend(&h, fd, off, len, prot, FASCO_EXEC_MMAP);
	a->code_pending = exec_measure_on() && !measure;
	a->file_fd = (int32_t)fd;
	a->file_off = off;
	return ret;
}

/* PROT_EXEC added to an area filled from a file: measure what it holds now. */
static int64_t measure_area(struct area *a, uint32_t prot)
{
	struct rmm_sha256 h;
	int64_t ret;

	exec_hash_start(&h);
	for (uint64_t va = a->start; va < a->end; va += PAGE_SIZE) {
		const uint8_t *page = mm_page_bytes(va);

		if (page)
			rmm_sha256_update(&h, page, PAGE_SIZE);
		else
			exec_hash_zeros(&h, PAGE_SIZE);
	}
	ret = exec_measure_extend(&h, a->file_fd, a->file_off, a->end - a->start, prot,
				  FASCO_EXEC_MPROTECT);
	if (ret == 0)
		a->code_pending = 0;
	return ret;
}

static int64_t mm_mmap_locked(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, int64_t fd, uint64_t off)
{
	int anon = (flags & MAP_ANONYMOUS) != 0;
	uint32_t p = (uint32_t)prot & 7u;
	int64_t ret;

	if (!len || (off & ~PAGE_MASK) || !(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -E_INVAL;
	len = PAGE_UP(len);
	if (!anon && (flags & MAP_SHARED) && (prot & PROT_W))
		return -E_NODEV; /* shared writable file mappings: not in this release */

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if ((addr & ~PAGE_MASK) || !user_range_valid(addr, len))
			return -E_INVAL;
		if (!range_free(addr, addr + len)) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -E_EXIST;
			if ((ret = unmap_range(addr, addr + len)) < 0)
				return ret;
		}
	} else if (!(addr && !(addr & ~PAGE_MASK) && user_range_valid(addr, len) &&
		     range_free(addr, addr + len))) {
		addr = find_gap(len);
		if (!addr)
			return -E_NOMEM;
	}
	/* written by the shim first when a file fills it, then narrowed */
	if ((ret = area_insert(addr, addr + len, anon ? p : p | PROT_W, AREA_ANON)) < 0)
		return ret;
	if (anon)
		map_ahead(addr);
	if (!anon) {
		premap(addr, addr + len, p | PROT_W);
		if ((ret = fill_from_file(area_find(addr), fd, off, p)) < 0) {
			unmap_range(addr, addr + len);
			return ret;
		}
		if ((p & PROT_W) == 0)
			mm_mprotect_locked(addr, len, p);
	}
	return (int64_t)addr;
}

static int64_t mm_mprotect_locked(uint64_t addr, uint64_t len, uint64_t prot)
{
	uint32_t p = (uint32_t)prot & 7u;
	uint64_t end = addr + PAGE_UP(len);

	if ((addr & ~PAGE_MASK) || (len && !user_range_valid(addr, PAGE_UP(len))))
		return -E_INVAL;
	if (!len)
		return 0;
	for (uint64_t va = addr; va < end;) {
		struct area *a = area_find(va);

		if (!a)
			return -E_NOMEM;
		va = a->end;
	}
	if (area_split(addr) < 0 || area_split(end) < 0)
		return -E_NOMEM;
	for (unsigned i = 0; i < n_areas; i++) {
		int64_t ret;

		if (areas[i].start >= addr && areas[i].end <= end && areas[i].code_pending &&
		    (p & PROT_X) && (ret = measure_area(&areas[i], p)) < 0)
			return ret;
	}
	for (unsigned i = 0; i < n_areas; i++)
		if (areas[i].start >= addr && areas[i].end <= end)
			areas[i].prot = p;
	if (walk_range(addr, end, reprotect_pte, &p))
		flush_and_recycle();
	return 0;
}

static uint64_t mm_brk_locked(uint64_t addr)
{
	uint64_t old_top = PAGE_UP(brk_cur), new_top = PAGE_UP(addr);
	struct area *a;

	if (addr < brk_base || addr > FASCO_GVA_MMAP_TOP)
		return brk_cur;
	a = area_find(brk_base);
	if (new_top > old_top) {
		if (!range_free(old_top, new_top))
			return brk_cur;
		if (!a || a->kind != AREA_BRK) {
			if (area_insert(brk_base, new_top, PROT_R | PROT_W, AREA_BRK) < 0)
				return brk_cur;
		} else {
			a->end = new_top;
		}
		map_ahead(old_top);
	} else if (new_top < old_top) {
		unmap_range(new_top, old_top);
		if (new_top > brk_base && (a = area_find(brk_base)))
			a->end = new_top;
	}
	brk_cur = addr;
	return brk_cur;
}

/* mremap moved [old, ...) of area from to area to: the origin goes along */
static void moved_file_origin(struct area *to, const struct area *from, uint64_t old)
{
	to->code_pending = from->code_pending;
	to->file_fd = from->file_fd;
	to->file_off = from->file_off + (old - from->start);
}

static int64_t mm_mremap_locked(uint64_t old, uint64_t old_len, uint64_t new_len, uint64_t flags, uint64_t new_addr)
{
	struct area *a = area_find(old);
	uint64_t dst;

	(void)new_addr;
	old_len = PAGE_UP(old_len);
	new_len = PAGE_UP(new_len);
	if ((old & ~PAGE_MASK) || !new_len || (flags & ~(uint64_t)MREMAP_MAYMOVE))
		return -E_INVAL;
	if (!a || old + old_len > a->end)
		return -E_FAULT;
	if (new_len <= old_len) {
		if (new_len < old_len)
			unmap_range(old + new_len, old + old_len);
		return (int64_t)old;
	}
	if (a->end == old + old_len && user_range_valid(old, new_len) &&
	    range_free(old + old_len, old + new_len)) {
		a->end = old + new_len; /* grow in place */
		return (int64_t)old;
	}
	if (!(flags & MREMAP_MAYMOVE) || !(dst = find_gap(new_len)))
		return -E_NOMEM;
	if (area_insert(dst, dst + new_len, a->prot, a->kind) < 0)
		return -E_NOMEM;
	a = area_find(old);
	moved_file_origin(area_find(dst), a, old); /* still unmeasured code if it was */
	for (uint64_t o = 0; o < old_len; o += PAGE_SIZE) {
		uint64_t *src = pte_lookup(old + o, 0), *to;

		if (!src || !(*src & (PTE_P | PTE_KEEP)))
			continue;
		if (!(to = pte_lookup(dst + o, 1)))
			return -E_NOMEM;
		*to = *src;
		*src = 0;
	}
	if (area_split(old) < 0 || area_split(old + old_len) < 0)
		return -E_NOMEM;
	area_remove_range(old, old + old_len);
	flush_and_recycle();
	return (int64_t)dst;
}

static int64_t mm_madvise_locked(uint64_t addr, uint64_t len, uint64_t advice)
{
	if (addr & ~PAGE_MASK)
		return -E_INVAL;
	if ((advice == MADV_DONTNEED || advice == MADV_FREE) && len) {
		if (!user_range_valid(addr, PAGE_UP(len)))
			return -E_INVAL;
		/* private anonymous memory reads back as zero: drop the frames */
		if (walk_range(addr, addr + PAGE_UP(len), clear_pte, NULL))
			flush_and_recycle();
	}
	return 0;
}

static int mm_user_ok_locked(uint64_t va, uint64_t len, unsigned need)
{
	uint64_t end = va + len;

	if (!len)
		return 1;
	if (end < va)
		return 0;
	while (va < end) {
		struct area *a = area_find(va);

		if (!a || (a->prot & need) != need)
			return 0;
		va = a->end;
	}
	return 1;
}

static int mm_fault_locked(uint64_t va, uint64_t error_code)
{
	struct area *a = area_find(va);
	unsigned need = (error_code & 2) ? PROT_W : (error_code & 16) ? PROT_X : PROT_R;
	uint64_t *pte;

	if (!a || !(a->prot & need))
		return -1;
	pte = pte_lookup(va, 0);
	if (pte && (*pte & PTE_P)) {
		/* a stale, narrower translation: the entry already allows it */
		plat_invalidate_page(va);
		return 0;
	}
	return map_around(a, va);
}


/* ---- the entry points: one address space for every vCPU ---- */

#define MM_LOCKED(type, name, params, args) \
	type name params                     \
	{                                    \
		type ret;                    \
		shim_lock(&mm_lock);         \
		ret = name##_locked args;    \
		shim_unlock(&mm_lock);       \
		return ret;                  \
	}

MM_LOCKED(uint64_t, mm_brk, (uint64_t addr), (addr))
MM_LOCKED(int64_t, mm_mmap, (uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, int64_t fd,
			    uint64_t off), (addr, len, prot, flags, fd, off))
MM_LOCKED(int64_t, mm_munmap, (uint64_t addr, uint64_t len), (addr, len))
MM_LOCKED(int64_t, mm_mprotect, (uint64_t addr, uint64_t len, uint64_t prot), (addr, len, prot))
MM_LOCKED(int64_t, mm_mremap, (uint64_t old, uint64_t old_len, uint64_t new_len, uint64_t flags,
			      uint64_t new_addr), (old, old_len, new_len, flags, new_addr))
MM_LOCKED(int64_t, mm_madvise, (uint64_t addr, uint64_t len, uint64_t advice), (addr, len, advice))
MM_LOCKED(int, mm_user_ok, (uint64_t va, uint64_t len, unsigned need), (va, len, need))
MM_LOCKED(int, mm_fault, (uint64_t va, uint64_t error_code), (va, error_code))

/* ---- copies between the program and the shim ---- */

int copy_from_user(void *dst, uint64_t src, uint64_t len)
{
	if (!mm_user_ok(src, len, PROT_R))
		return -E_FAULT;
	memcpy(dst, (const void *)src, len);
	return 0;
}

int copy_to_user(uint64_t dst, const void *src, uint64_t len)
{
	if (!mm_user_ok(dst, len, PROT_W))
		return -E_FAULT;
	memcpy((void *)dst, src, len);
	return 0;
}

int64_t strlen_user(uint64_t src, uint64_t max)
{
	uint64_t n = 0;

	while (n < max) {
		uint64_t page_left = PAGE_SIZE - ((src + n) & (PAGE_SIZE - 1));
		uint64_t chunk = page_left < max - n ? page_left : max - n;
		const char *p = (const char *)(src + n);
		uint64_t l;

		if (!mm_user_ok(src + n, chunk, PROT_R))
			return -E_FAULT;
		l = shim_strnlen(p, chunk);
		if (l < chunk)
			return (int64_t)(n + l);
		n += chunk;
	}
	return -36; /* ENAMETOOLONG */
}

/* ---- start-up: the areas the host laid out ---- */

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

const uint8_t *mm_page_bytes(uint64_t va)
{
	uint64_t *pte = pte_lookup(va, 0);

	return pte && (*pte & (PTE_P | PTE_KEEP)) ? phys(*pte & PTE_ADDR) : NULL;
}

int mm_init(const void *manifest)
{
	uint32_t len;
	const uint8_t *v = fdt_prop(manifest, "fasco", "areas", &len);

	phys_end = fdt_u64(manifest, "fasco", "private-size", 0);
	bump_next = fdt_u64(manifest, "fasco", "free-base", 0);
	pml4_pa = fdt_u64(manifest, "fasco", "page-table-root", 0);
	brk_base = brk_cur = fdt_u64(manifest, "fasco", "brk-base", 0);
	exec_measure_init(manifest);
	if (!v || len % 24 || !phys_end || !bump_next || !pml4_pa || !brk_base)
		return -1;
	for (uint32_t off = 0; off < len; off += 24) {
		uint64_t s = be64(v + off), e = be64(v + off + 8), p = be64(v + off + 16);

		if (area_insert(s, e, (uint32_t)(p & 7), (p >> 8) == 1 ? AREA_STACK : AREA_IMAGE) < 0)
			return -1;
	}
	return 0;
}
