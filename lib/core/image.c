/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi/realm_abi.h"
#include "backend/kvm/x86_tables.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "core/image.h"
#include "loader/elf.h"
#include "loader/manifest.h"
#include "loader/stack.h"

#define PAGE FASCO_PAGE_SIZE
#define PAGE_DOWN(x) ((x) & ~(PAGE - 1))
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define PHYS_VA(gpa) (FASCO_GVA_PHYSMAP + (gpa))
#define PERCPU_BYTES FASCO_PERCPU_STRIDE
#define MANIFEST_BYTES (16 * PAGE)
#define HEADROOM (4ull << 20) /* private memory the program gets at least */

extern const uint8_t fasco_shim_blob[];
extern const size_t fasco_shim_blob_size;

void realm_shared_layout(const fasco_config *config, uint64_t *ret_gpa, uint64_t *ret_size)
{
	*ret_gpa = 1ull << (config->ipa_bits - 1);
	*ret_size = (config->vcpus * FASCO_SLOT_SIZE + FASCO_LARGE_PAGE_SIZE - 1) &
		    ~(FASCO_LARGE_PAGE_SIZE - 1);
}

void realm_memory_release(struct realm_memory *mem)
{
	free(mem->ranges);
	mem->ranges = NULL;
	mem->n_ranges = mem->cap_ranges = 0;
	if (mem->interp_fd >= 0)
		close(mem->interp_fd);
	mem->interp_fd = -1;
}

static int record_range(struct realm_memory *mem, uint64_t gpa, const struct populate_src *src)
{
	struct populated_range *last = mem->n_ranges ? &mem->ranges[mem->n_ranges - 1] : NULL;
	uint64_t len = src->len;
	int fd = src->bytes ? -1 : src->fd;

	if (last && fd < 0 && last->fd < 0 && last->gpa + last->len == gpa) {
		last->len += len;
		return 0;
	}
	if (mem->n_ranges == mem->cap_ranges) {
		size_t cap = mem->cap_ranges ? mem->cap_ranges * 2 : 32;
		struct populated_range *r = reallocarray(mem->ranges, cap, sizeof(*r));

		if (!r)
			return -ENOMEM;
		mem->ranges = r;
		mem->cap_ranges = cap;
	}
	mem->ranges[mem->n_ranges++] = (struct populated_range){ gpa, len, fd, src->file_offset };
	return 0;
}

/*
 * Segments up to this size are copied rather than mapped from the file:
 * present, writable host pages let the shadow MMU of kvm-pvm map eight
 * guest pages per fault instead of one, which saves more than the copy
 * costs (busybox: ~45 fewer faults of ~25 us for a 2 MB copy). Larger
 * images stay zero-copy and shared with the page cache.
 */
#define COPY_LIMIT (16ull << 20)

int realm_populate(struct realm_memory *mem, uint64_t gpa, const struct populate_src *src)
{
	void *dst = mem->private_mem + gpa;

	if (gpa > mem->private_size || src->len > mem->private_size - gpa)
		return fasco_fail(FASCO_E_NO_MEMORY, "realm memory too small: 0x%llx bytes at 0x%llx",
				  (unsigned long long)src->len, (unsigned long long)gpa);
	if (src->bytes) {
		memcpy(dst, src->bytes, src->len);
	} else if (src->len <= COPY_LIMIT) {
		int ret;

		/* one call faults in every destination page: cheaper than a
		 * trap per page in a nested VM (0.2 ms for busybox) */
		(void)madvise(dst, PAGE_UP(src->len), MADV_POPULATE_WRITE);
		ret = io_pread_full(src->fd, dst, src->len, src->file_offset);
		if (ret == -ENODATA)
			return fasco_fail(FASCO_E_BAD_ELF, "program is shorter than its segments");
		if (ret < 0)
			return fasco_fail(ret, "read program into realm memory: %s", strerror(-ret));
	} else {
		/* private copy-on-write mapping of the file over realm memory */
		if (mmap(dst, PAGE_UP(src->len), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
			 src->fd, (off_t)src->file_offset) == MAP_FAILED)
			return fasco_fail_errno("map program into realm memory");
	}
	return record_range(mem, gpa, src);
}

static int place(struct realm_memory *mem, uint64_t gpa, const void *bytes, uint64_t len)
{
	struct populate_src src = { .bytes = bytes, .fd = -1, .len = len };

	return realm_populate(mem, gpa, &src);
}

static uint64_t seg_flags(uint32_t prot)
{
	return X86_PTE_U | (prot & PROT_WRITE ? X86_PTE_W : 0) | (prot & PROT_EXEC ? 0 : X86_PTE_NX);
}

/* Map the program's segments into realm memory at *cursor and page tables. */
static int place_program(struct realm_memory *mem, const struct elf_image *img, int fd,
			 struct pt_builder *pt, uint64_t *cursor, struct manifest_info *mi)
{
	int ret;

	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint64_t vbase = PAGE_DOWN(s->vaddr), vend = PAGE_UP(s->vaddr + s->memsz);
		uint64_t fstart = PAGE_DOWN(s->offset), flen = s->offset + s->filesz - fstart;
		struct populate_src src = { .fd = fd, .file_offset = fstart, .len = flen };

		if (s->filesz && (ret = realm_populate(mem, *cursor, &src)) < 0)
			return ret;
		/* bss that shares the last file page starts zeroed, as Linux does */
		if (s->memsz > s->filesz && s->filesz) {
			uint64_t from = *cursor + (s->vaddr - vbase) + s->filesz;
			uint64_t to = PAGE_UP(from) < *cursor + PAGE_UP(flen) ? PAGE_UP(from) : *cursor + PAGE_UP(flen);

			if (to > from)
				memset(mem->private_mem + from, 0, to - from);
		}
		if ((ret = pt_map_range(pt, vbase, *cursor, vend - vbase, seg_flags(s->prot))) < 0)
			return ret;
		if (mi->n_areas == MANIFEST_MAX_AREAS)
			return fasco_fail(FASCO_E_BAD_ELF, "more than %d segments in all",
					  MANIFEST_MAX_AREAS - 1);
		mi->areas[mi->n_areas++] = (struct manifest_area){ vbase, vend, s->prot };
		*cursor += vend - vbase;
	}
	return 0;
}

static int read_program(int fd, uint64_t pie_base, struct elf_image *img)
{
	uint8_t head[4096];
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return fasco_fail_errno("stat program");
	if (!S_ISREG(st.st_mode))
		return fasco_fail(FASCO_E_BAD_ELF, "program is not a regular file");
	n = pread(fd, head, sizeof(head), 0);
	if (n < 0)
		return fasco_fail_errno("read program");
	return elf_parse(head, (size_t)n, (uint64_t)st.st_size, pie_base, FASCO_GVA_MMAP_TOP, img);
}

/*
 * The interpreter a dynamic program names (PT_INTERP), opened inside the
 * root and parsed for its place below the mmap area, as Linux puts ld.so.
 */
static int load_interp(int root_fd, int prog_fd, struct elf_image *prog, struct elf_image *interp,
		       int *ret_fd)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	char path[ELF_INTERP_MAX];
	ssize_t n = pread(prog_fd, path, prog->interp_len, (off_t)prog->interp_offset);
	int fd, ret;

	if (n != (ssize_t)prog->interp_len || path[n - 1] != 0 || strlen(path) != (size_t)n - 1 ||
	    path[0] != '/')
		return fasco_fail(FASCO_E_BAD_ELF, "ELF: PT_INTERP is not an absolute path");
	fd = (int)syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
	if (fd < 0)
		return fasco_fail(-errno, "interpreter %s: %s", path, strerror(errno));
	ret = read_program(fd, FASCO_GVA_INTERP_BASE, interp);
	if (ret == 0 && (!interp->pie || interp->interp_len))
		ret = fasco_fail(FASCO_E_BAD_ELF, "interpreter %s is not a shared object of its own",
				 path);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	prog->at_base = interp->bias;
	*ret_fd = fd;
	return 0;
}

/* The per-vCPU area: the fields entry.S and the shim read (realm_abi.h). */
static void build_percpu(uint8_t *page, uint64_t gpa, unsigned cpu)
{
	uint64_t exception_lo = PHYS_VA(gpa + FASCO_PERCPU_SIZE + FASCO_SYSCALL_STACK_SIZE);
	uint64_t f[11] = {
		exception_lo, /* the syscall stack ends where the exception stack begins */
		0,
		PHYS_VA(gpa),
		FASCO_GVA_SHARED + (uint64_t)cpu * FASCO_SLOT_SIZE,
		FASCO_GVA_SHARED + (uint64_t)cpu * FASCO_SLOT_SIZE + FASCO_SLOT_HEADER_SIZE,
		cpu,
		0, 0, 0,
		exception_lo + FASCO_EXCEPTION_STACK_SIZE - FASCO_RING0_STACK_SIZE,
		exception_lo,
	};

	memset(page, 0, FASCO_PERCPU_SIZE);
	memcpy(page, f, sizeof(f));
}

static int place_shim_and_cpus(struct realm_memory *mem, const struct fasco_shim_header *sh,
			       uint32_t platform, unsigned vcpus, uint64_t *cursor,
			       struct vcpu_boot *boot)
{
	uint8_t page[FASCO_PERCPU_SIZE], tss[X86_TSS_SIZE], gdt[X86_GDT_SIZE], idt[X86_IDT_SIZE];
	uint64_t idt_gpa;
	int ret;

	if ((ret = place(mem, FASCO_GPA_SHIM, fasco_shim_blob, fasco_shim_blob_size)) < 0)
		return ret;
	*cursor = FASCO_GPA_SHIM + PAGE_UP(sh->memory_size);
	idt_gpa = *cursor;
	x86_build_idt(idt, sh->vectors, FASCO_SHIM_VECTOR_STRIDE);
	if ((ret = place(mem, idt_gpa, idt, sizeof(idt))) < 0)
		return ret;
	*cursor += PAGE;

	for (unsigned i = 0; i < vcpus; i++) {
		uint64_t base = *cursor;
		uint64_t rsp0 = PHYS_VA(base + FASCO_PERCPU_SIZE + FASCO_SYSCALL_STACK_SIZE +
					FASCO_EXCEPTION_STACK_SIZE);
		uint64_t tables = base + PERCPU_BYTES - 2 * PAGE; /* GDT then TSS */

		build_percpu(page, base, i);
		x86_build_tss(tss, rsp0);
		x86_build_gdt(gdt, PHYS_VA(tables + 256));
		if ((ret = place(mem, base, page, sizeof(page))) < 0 ||
		    (ret = place(mem, tables, gdt, sizeof(gdt))) < 0 ||
		    (ret = place(mem, tables + 256, tss, sizeof(tss))) < 0)
			return ret;
		/* kvm-pvm boots the shim at user privilege (ring 0 is emulated
		 * there), on the syscall stack: a fault during boot must not
		 * land on the stack it interrupts */
		int user_boot = platform == FASCO_PLATFORM_KVM_PVM;

		boot[i] = (struct vcpu_boot){
			.entry = sh->entry,
			.stack = user_boot ? PHYS_VA(base + FASCO_PERCPU_SIZE + FASCO_SYSCALL_STACK_SIZE)
					   : rsp0,
			.user_mode = user_boot,
			.percpu = PHYS_VA(base),
			.gdt = PHYS_VA(tables), .idt = PHYS_VA(idt_gpa), .tss = PHYS_VA(tables + 256),
			.syscall_entry = sh->syscall_entry,
		};
		*cursor += PERCPU_BYTES;
	}
	return 0;
}

static int check_shim(struct fasco_shim_header *sh)
{
	memcpy(sh, fasco_shim_blob, sizeof(*sh));
	if (sh->magic != FASCO_SHIM_MAGIC || sh->abi_version != FASCO_ABI_VERSION ||
	    sh->link_base != FASCO_GVA_SHIM || sh->image_size != fasco_shim_blob_size ||
	    sh->memory_size < sh->image_size)
		return fasco_fail(FASCO_E_INTERNAL, "embedded shim image is inconsistent");
	return 0;
}

/* The system-wide mappings: shim image, physical map, shared region. */
static int map_system(struct pt_builder *pt, const struct fasco_shim_header *sh, uint32_t platform,
		      uint64_t private_size, uint64_t shared_gpa, uint64_t shared_size)
{
	uint64_t u = platform == FASCO_PLATFORM_KVM_PVM ? X86_PTE_U : 0;
	int ret;

	if ((ret = pt_map_range(pt, FASCO_GVA_SHIM, FASCO_GPA_SHIM, PAGE_UP(sh->memory_size),
				X86_PTE_W | u)) < 0)
		return ret;
	for (uint64_t off = 0; off < private_size; off += FASCO_LARGE_PAGE_SIZE)
		if ((ret = pt_map(pt, FASCO_GVA_PHYSMAP + off, off, X86_PTE_W | X86_PTE_NX | u, 1)) < 0)
			return ret;
	for (uint64_t off = 0; off < shared_size; off += FASCO_LARGE_PAGE_SIZE)
		if ((ret = pt_map(pt, FASCO_GVA_SHARED + off, shared_gpa + off, X86_PTE_W | X86_PTE_NX | u, 1)) < 0)
			return ret;
	/* the doorbell page: right above the shared region, no memory behind it */
	return pt_map(pt, FASCO_GVA_DOORBELL, shared_gpa + shared_size, X86_PTE_W | X86_PTE_NX | X86_PTE_U, 0);
}

int realm_image_build(const fasco_config *config, uint32_t platform, int root_fd, int prog_fd,
		      struct realm_memory *mem, uint64_t shared_gpa, uint64_t shared_size,
		      struct vcpu_boot *boot)
{
	struct fasco_shim_header sh;
	struct elf_image img, interp = { 0 };
	struct manifest_info mi = { 0 };
	struct pt_builder pt = { 0 };
	struct stack_image stack = { 0 };
	_cleanup_free_ uint8_t *fdt = NULL;
	uint64_t cursor, pt_gpa, manifest_gpa, stack_low;
	unsigned pt_pages = 64 + (unsigned)(config->memory_bytes >> 30) + (unsigned)(config->vcpus);
	size_t fdt_len;
	int ret;

	if ((ret = check_shim(&sh)) < 0 || (ret = read_program(prog_fd, FASCO_GVA_PIE_BASE, &img)) < 0)
		return ret;
	if (img.interp_len && (ret = load_interp(root_fd, prog_fd, &img, &interp, &mem->interp_fd)) < 0)
		return ret;
	if ((ret = place_shim_and_cpus(mem, &sh, platform, (unsigned)config->vcpus, &cursor, boot)) < 0)
		return ret;

	pt_gpa = cursor;
	cursor += (uint64_t)pt_pages * PAGE;
	manifest_gpa = cursor;
	cursor += MANIFEST_BYTES;
	if ((ret = pt_init(&pt, pt_gpa, pt_pages)) < 0)
		return ret;
	pt.user_bit = X86_PTE_U;
	if ((ret = map_system(&pt, &sh, platform, mem->private_size, shared_gpa, shared_size)) < 0 ||
	    (ret = place_program(mem, &img, prog_fd, &pt, &cursor, &mi)) < 0 ||
	    (interp.nseg && (ret = place_program(mem, &interp, mem->interp_fd, &pt, &cursor, &mi)) < 0))
		goto out;
	mi.brk_base = img.hi;

	ret = stack_build(&img, config->program, config->argv, config->envp, FASCO_GVA_STACK_TOP, &stack);
	if (ret < 0)
		goto out;
	/* as Linux: arguments and environment may take a quarter of the stack */
	if (stack.size > config->stack_bytes / 4) {
		ret = fasco_fail(-E2BIG, "arguments and environment take %llu bytes, more than a "
				 "quarter of the %llu-byte stack", (unsigned long long)stack.size,
				 (unsigned long long)config->stack_bytes);
		goto out;
	}
	if ((ret = place(mem, cursor, stack.bytes, stack.size)) < 0 ||
	    (ret = pt_map_range(&pt, stack.top - stack.size, cursor, stack.size,
				X86_PTE_U | X86_PTE_W | X86_PTE_NX)) < 0)
		goto out;
	cursor += stack.size;
	stack_low = FASCO_GVA_STACK_TOP - config->stack_bytes;
	mi.areas[mi.n_areas++] = (struct manifest_area){ stack_low, FASCO_GVA_STACK_TOP,
							 PROT_READ | PROT_WRITE | MANIFEST_AREA_STACK };

	if (cursor + HEADROOM > mem->private_size) {
		ret = fasco_fail(FASCO_E_CONFIG, "realm memory of %llu MiB cannot hold this program",
				 (unsigned long long)(mem->private_size >> 20));
		goto out;
	}
	mi.platform = platform;
	mi.vcpus = (uint32_t)config->vcpus;
	mi.private_size = mem->private_size;
	mi.shared_gpa = shared_gpa;
	mi.shared_size = shared_size;
	mi.slot_size = FASCO_SLOT_SIZE;
	mi.free_base = cursor;
	mi.page_table_root = pt_gpa;
	/* a dynamic program starts in its interpreter, which finds it by AT_ENTRY */
	mi.entry = interp.nseg ? interp.entry : img.entry;
	mi.stack_pointer = stack.sp;
	mi.stack_limit = config->stack_bytes;
	mi.at_random = stack.at_random;
	mi.program = config->program;
	mi.config_digest = config->config_digest;
	mi.config_digest_len = config->config_digest_len;
	mi.measure_exec = config->measure != 0;
	fdt = malloc(MANIFEST_BYTES);
	if (!fdt) {
		ret = -ENOMEM;
		goto out;
	}
	if ((ret = manifest_build(&mi, fdt, MANIFEST_BYTES, &fdt_len)) < 0 ||
	    (ret = place(mem, manifest_gpa, fdt, fdt_len)) < 0 ||
	    (ret = place(mem, pt_gpa, pt.pool, (uint64_t)pt.used * PAGE)) < 0)
		goto out;
	for (unsigned i = 0; i < config->vcpus; i++) {
		boot[i].page_table_root = pt_gpa;
		boot[i].arg0 = PHYS_VA(manifest_gpa);
	}
out:
	stack_image_free(&stack);
	pt_free(&pt);
	return ret;
}
