/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host processes named in a container's state: a pid alone can be reused,
 * so the state also records the process's start time (field 22 of
 * /proc/<pid>/stat) and every check compares both.
 */
#ifndef FASCO_OCI_PROC_H
#define FASCO_OCI_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Start time (clock ticks since boot) and state letter of pid. */
int oci_proc_stat(pid_t pid, uint64_t *ret_start_time, char *ret_state);
/* pid exists, is not a zombie, and started at start_time. */
bool oci_proc_alive(pid_t pid, uint64_t start_time);
/* A pidfd for pid, checked against start_time after it is opened. */
int oci_proc_pidfd(pid_t pid, uint64_t start_time, int *ret_fd);
/* SIGKILL pid (if it is still that process) and wait until it has exited. */
int oci_proc_kill_wait(pid_t pid, uint64_t start_time, int timeout_ms);
int oci_pidfd_kill_wait(int pidfd, int timeout_ms);

#endif
