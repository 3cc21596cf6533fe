/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FASCO_SYSREALM_FDTABLE_H
#define FASCO_SYSREALM_FDTABLE_H

#include "sysrealm/service.h"

/* Host descriptor behind realm descriptor fd, or -EBADF. */
int fd_host(const struct service *svc, int64_t fd);
/* Install host descriptor h at the lowest free realm number >= min. */
int fd_install(struct service *svc, int h, int min);
/* Install at exactly fd, closing what was there. */
int fd_install_at(struct service *svc, int h, int fd);
int fd_close(struct service *svc, int64_t fd);

#endif
