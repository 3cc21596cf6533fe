/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What an execve keeps of the signal state (POSIX, as Linux): the mask and
 * the pending signals stay, ignored signals stay ignored, handled ones go
 * back to their default (the handlers are gone with the old image), the
 * alternate stack is dropped. The new image's shim starts from nothing, so
 * the mask and ignored set travel in the request (the host writes them to
 * the new image's first slot) and the pending signals are given to the
 * host, which holds them as signals received: the new image takes them as
 * it takes any (and the old one, if the execve fails).
 */
#include "signals.h"

/* Hand every pending signal of the process and this thread to the host. */
static void give_pending(void)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;
	uint8_t *data = this_cpu()->slot_data;
	uint64_t n = 0;

	while (n < FASCO_SIG_TAKE_MAX &&
	       sigq_take((int)this_cpu()->cpu, ~0ull, data + n * SIGINFO_SIZE))
		n++;
	if (!n)
		return;
	slot->args[0] = FASCO_SIG_REQUEUE;
	slot->args[1] = n;
	host_call(FASCO_OP_SIGNALS);
}

void sig_exec_save(struct fasco_exec_request *req)
{
	uint64_t ignored = 0;

	shim_lock(&sig_lock);
	for (int sig = 1; sig <= NSIG; sig++)
		if (sigactions[sig - 1].handler == SIG_IGN)
			ignored |= SIGBIT(sig);
	shim_unlock(&sig_lock);
	req->sig_blocked = this_cpu()->sigmask;
	req->sig_ignored = ignored;
	give_pending();
}

void sig_exec_restore(void)
{
	volatile struct fasco_slot_header *slot = this_cpu()->slot;
	uint64_t ignored = slot->aux[FASCO_SLOT_AUX_SIGIGN] & ~UNBLOCKABLE;

	for (int sig = 1; sig <= NSIG; sig++)
		if (ignored & SIGBIT(sig))
			sigactions[sig - 1].handler = SIG_IGN;
	sig_set_mask(slot->aux[FASCO_SLOT_AUX_SIGMASK]);
}
