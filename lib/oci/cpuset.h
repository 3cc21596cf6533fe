/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CPU lists as linux.resources.cpu.cpus gives them ("0-3,6"): the CPUs a
 * realm's monitor (and so its vCPUs) may run on, applied with
 * sched_setaffinity to every thread of a process.
 */
#ifndef FASCO_OCI_CPUSET_H
#define FASCO_OCI_CPUSET_H

#include <sched.h>
#include <sys/types.h>

/* Parse list; FASCO_E_CONFIG naming what is wrong. */
int oci_cpuset_parse(const char *list, cpu_set_t *ret);
/* Every thread of pid; -errno of the first failure (EINVAL: no usable CPU). */
int oci_cpuset_apply(pid_t pid, const cpu_set_t *set);

#endif
