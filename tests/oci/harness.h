/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fasco-oci end-to-end test harness: run fasco-oci --root <root> as a
 * child and collect its status and output, a busybox bundle whose
 * config.json comes from `fasco-oci spec`, and the container's status and
 * pid as `state` reports them. The test process is a child subreaper, like
 * containerd's shim: container processes become its children.
 */
#ifndef FASCO_TESTS_OCI_HARNESS_H
#define FASCO_TESTS_OCI_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct result {
	int status; /* exit code, or 128 + signal */
	char out[8192];
	char err[8192];
};

extern const char *fasco_oci;
extern char dir[64], bundle[128], root[128];
extern bool have_kvm;

void read_all(int fd, char *buf, size_t cap);
/* fasco-oci --root <root> args..., optionally with a fault point. */
void oci_fault(struct result *r, const char *fault, const char *const *args);
#define OCI(r, ...) oci_fault((r), NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define OCI_FAULT(r, f, ...) oci_fault((r), (f), (const char *const[]){ __VA_ARGS__, NULL })

void expect_ok(const struct result *r, const char *what);
void expect_error(const struct result *r, const char *message);

/* One command and the outcome it must have. */
#define OCI_OK(...)                                                    \
	do {                                                           \
		struct result r_;                                      \
		OCI(&r_, __VA_ARGS__);                                 \
		expect_ok(&r_, #__VA_ARGS__);                          \
	} while (0)
#define OCI_ERR(message, ...)                                          \
	do {                                                           \
		struct result r_;                                      \
		OCI(&r_, __VA_ARGS__);                                 \
		expect_error(&r_, (message));                          \
	} while (0)

void write_file(const char *path, const char *text);
char *read_file(const char *path);
/* The spec template with args (a JSON array body) and extra members. */
void set_config(const char *args, const char *extra);
/* The same with member added to its "linux" object. */
void set_config_linux(const char *args, const char *member);
unsigned root_entries(void);
/* The container's wait status, as its reaper sees it. */
int reap(pid_t pid);
void reap_all(void);
const char *status_of(const char *id);
int pid_of(const char *id);
/* Poll the status until it is want (a keeper dying with create takes a moment). */
void wait_status(const char *id, const char *want);
/* Checked fixture: a fresh directory with the busybox bundle. */
void setup(void);
void teardown(void);

#define NEED_KVM()                                                               \
	do {                                                                     \
		if (!have_kvm) {                                                 \
			printf("%s: skipped: /dev/kvm is not usable\n", __func__); \
			return;                                                  \
		}                                                                \
	} while (0)

/*
 * Run the tests of tc (fixtures and timeout set here) as a child
 * subreaper without forking per test; the process's exit status.
 */
int harness_run(const char *suite, TCase *tc);

#endif
