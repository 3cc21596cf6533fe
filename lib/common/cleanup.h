/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One cleanup idiom: variables marked _cleanup_free_/_cleanup_close_ are
 * released when they go out of scope; take_ptr()/take_fd() hand ownership
 * on. Types with their own destructor declare a helper next to it.
 */
#ifndef FASCO_COMMON_CLEANUP_H
#define FASCO_COMMON_CLEANUP_H

#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(cleanup_freep)
#define _cleanup_close_ _cleanup_(cleanup_closep)

#define take_ptr(p)                        \
	({                                 \
		__typeof__(p) _tp_ = (p);  \
		(p) = NULL;                \
		_tp_;                      \
	})

#define take_fd(fd)                \
	({                         \
		int _tf_ = (fd);   \
		(fd) = -1;         \
		_tf_;              \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
