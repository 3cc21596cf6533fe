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

/* What /proc/<pid>/stat says (proc(5) field numbers). */
#define OCI_STAT_FIELDS 21 /* 4 .. 24 */
struct oci_proc_info {
	char state;             /* 3 */
	char comm[32];          /* 2 */
	pid_t ppid, pgrp;       /* 4, 5 */
	uint64_t utime, stime;  /* 14, 15: clock ticks */
	uint64_t threads;       /* 20 */
	uint64_t start_time;    /* 22: clock ticks since boot */
	uint64_t rss_pages;     /* 24 */
};

int oci_proc_info(pid_t pid, struct oci_proc_info *ret);
/*
 * The live processes among roots and all their descendants, at most cap
 * into out (*ret_n: how many were stored), from one scan of /proc.
 */
int oci_proc_tree(const pid_t *roots, size_t n_roots, pid_t *out, size_t cap, size_t *ret_n);

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
