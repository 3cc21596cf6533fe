/* A program that attacks its own realm's shim and shared buffer. Each mode
 * must end the realm (or fail the call) with a clear report while the host
 * and other realms carry on. Built static, with no sanitizer. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SHARED 0x00007f7f00000000ull
#define SHIM 0x00007f0000000000ull

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	volatile uint64_t *slot = (volatile uint64_t *)SHARED;
	long r;

	if (!strcmp(mode, "wild-pointer")) {
		r = syscall(SYS_write, 1, (void *)0xdead0000, 16);
		printf("write from a wild pointer: %ld errno %d\n", r, r < 0 ? errno : 0);
		r = syscall(SYS_read, 0, (void *)SHIM, 16);
		printf("read into the shim: %ld errno %d\n", r, r < 0 ? errno : 0);
		r = syscall(SYS_openat, -100, (void *)0x10, 0);
		printf("open of a wild path: %ld errno %d\n", r, r < 0 ? errno : 0);
		return 0;
	}
	if (!strcmp(mode, "huge-length")) {
		static char buf[64] = "x";
		r = syscall(SYS_write, 1, buf, 1ull << 40);
		printf("\nwrite of 1 TiB: %s\n", r < 0 ? "failed" : "short or refused");
		return 0;
	}
	if (!strcmp(mode, "bad-fd")) {
		/* the realm's table is its own: host descriptors 3.. are not reachable */
		for (int fd = 3; fd < 64; fd++)
			if (syscall(SYS_fcntl, fd, 1 /* F_GETFD */) >= 0)
				printf("descriptor %d is open\n", fd);
		printf("done\n");
		return 0;
	}
	if (!strcmp(mode, "slot-garbage")) {
		for (int i = 0; i < 32; i++)
			slot[i] = 0xdeadbeefdeadbeefull; /* magic, op, lengths, everything */
		*(volatile uint32_t *)(SHARED - 0x1000) = 1; /* ring with garbage */
		return 0;
	}
	if (!strcmp(mode, "segv"))
		return *(volatile int *)8;
	if (!strcmp(mode, "ud"))
		__asm__ volatile("ud2");
	if (!strcmp(mode, "smash-shim")) {
		memset((void *)SHIM, 0xcc, 4096); /* kvm-pvm: no privilege separation */
		return syscall(SYS_getppid) > 0;
	}
	if (!strcmp(mode, "spin"))
		for (;;)
			;
	fprintf(stderr, "unknown mode\n");
	return 2;
}
