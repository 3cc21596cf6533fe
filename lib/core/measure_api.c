/* SPDX-License-Identifier: Apache-2.0 */
/* fasco_measure_config(): a realm's RIM predicted offline (measure.h). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fasco/measure.h>

#include "abi/realm_abi.h"
#include "common/cleanup.h"
#include "core/measure.h"

#define MAX_VCPUS 64

_Static_assert(FASCO_PLATFORM_KVM_PVM == (int)FASCO_PLATFORM_KVM_PVM &&
	       FASCO_PLATFORM_KVM_HW == (int)FASCO_PLATFORM_KVM_HW, "platform encodings");

/*
 * The program as the sandboxed monitor opens it: inside the root only, a
 * relative path from the working directory.
 */
static int open_in_root(int root, const char *cwd, const char *path)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	_cleanup_free_ char *joined = NULL;
	int fd;

	if (path[0] != '/' && asprintf(&joined, "%s/%s", cwd, path) < 0)
		return -ENOMEM;
	fd = (int)syscall(SYS_openat2, root, joined ? joined : path, &how, sizeof(how));
	if (fd < 0)
		return fasco_fail(-errno, "program %s: %s", path, strerror(errno));
	return fd;
}

static int measure_image(const fasco_config *config, uint32_t platform, int root, int prog,
			 struct rmm_realm **ret_rmm)
{
	struct realm_memory mem = { .private_size = config->memory_bytes, .interp_fd = -1 };
	struct vcpu_boot boot[MAX_VCPUS];
	uint64_t shared_gpa, shared_size;
	int ret;

	mem.private_mem = mmap(NULL, mem.private_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem.private_mem == MAP_FAILED)
		return fasco_fail(-ENOMEM, "cannot reserve %llu bytes to build the image",
				  (unsigned long long)mem.private_size);
	realm_shared_layout(config, &shared_gpa, &shared_size);
	ret = realm_image_build(config, platform, root, prog, &mem, shared_gpa, shared_size, boot);
	if (ret == 0)
		ret = realm_measure(&mem, config, boot, -1, ret_rmm);
	realm_memory_release(&mem);
	munmap(mem.private_mem, mem.private_size);
	return ret;
}

int fasco_measure_config(const fasco_config *config, const char *root_dir, int platform,
			 uint8_t *ret_rim, size_t cap, size_t *ret_len)
{
	_cleanup_rmm_realm_ struct rmm_realm *rmm = NULL;
	_cleanup_close_ int root = -1, prog = -1;
	uint8_t rim[RMM_SLOT_SIZE];
	size_t len;
	int ret;

	fasco_error_clear();
	fasco_check_arg(config && ret_rim);
	if (!config->program)
		return fasco_fail(FASCO_E_CONFIG, "no program configured");
	if (config->vcpus > MAX_VCPUS)
		return fasco_fail(FASCO_E_CONFIG, "at most %d vCPUs", MAX_VCPUS);
	if (platform == FASCO_PLATFORM_HOST)
		platform = (int)kvm_backend_ops.platform();
	if (platform != FASCO_PLATFORM_KVM_PVM && platform != FASCO_PLATFORM_KVM_HW)
		return fasco_fail(FASCO_E_CONFIG, "unknown platform %d", platform);
	if (!root_dir)
		root_dir = "/";
	root = open(root_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return fasco_fail(-errno, "root directory %s: %s", root_dir, strerror(errno));
	prog = open_in_root(root, config->cwd, config->program);
	if (prog < 0)
		return prog;
	if ((ret = measure_image(config, (uint32_t)platform, root, prog, &rmm)) < 0 ||
	    (ret = rmm_realm_measurement(rmm, RMM_RIM_INDEX, rim, &len)) < 0)
		return ret;
	return rmm_digest_copy_out(rim, len, ret_rim, cap, ret_len);
}
