/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Guest memory the client can pull away. A DMA map is a MAP_SHARED view
 * of a file the client owns: when the client shrinks the file (a memfd
 * without F_SEAL_SHRINK, a hugetlbfs or tmpfs file, which cannot be
 * sealed), the next access to the part cut off raises SIGBUS, in whatever
 * thread touched it: the data path, the control thread, the process.
 *
 * Sealing cannot be required (QEMU seals its memfd backend, not a
 * hugetlbfs file), so every mapped range is guarded instead, at no cost
 * to an access: one SIGBUS handler for the process looks the faulting
 * address up among the guarded ranges, replaces that whole range with
 * anonymous memory of the same protection (the access is retried and
 * reads zeros or writes into memory nobody sees), flags the device and
 * wakes its control thread, which disconnects the client. A fault outside
 * every range goes to the handler installed before ours (by default the
 * process is killed, as before).
 *
 * The ranges live in chunks that are never freed, so that the handler can
 * read them at any time without a lock.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <rte_common.h>

#include "vfio_user_internal.h"

#define SLOTS_PER_CHUNK 4096
#define MAX_CHUNKS 256

struct guard_slot {
	uintptr_t start;	/* 0: free; written last when added */
	uintptr_t end;
	int prot;
	int wakefd;
	uint32_t *faulted;
};

static struct {
	pthread_mutex_t lock;	/* adds and deletes; the handler takes none */
	struct guard_slot *chunks[MAX_CHUNKS];
	uint32_t nchunks;
	struct sigaction prev;
	bool installed;
} guard = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
chain_to_prev(int sig, siginfo_t *si, void *uctx)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	if (guard.prev.sa_flags & SA_SIGINFO) {
		guard.prev.sa_sigaction(sig, si, uctx);
		return;
	}
	if (guard.prev.sa_handler != SIG_DFL &&
	    guard.prev.sa_handler != SIG_IGN) {
		guard.prev.sa_handler(sig);
		return;
	}
	/* The access faults again, now with the default action. */
	sigaction(SIGBUS, &dfl, NULL);
}

/* Replace the range with anonymous memory; async-signal-safe. */
static bool
recover(struct guard_slot *s)
{
	uint64_t one = 1;
	ssize_t n;
	void *p;

	p = mmap((void *)s->start, s->end - s->start, s->prot,
		 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return false;
	__atomic_store_n(s->faulted, 1, __ATOMIC_RELEASE);
	/* Should the kick fail, the flag is still seen at the next wakeup. */
	if (s->wakefd >= 0) {
		n = write(s->wakefd, &one, sizeof(one));
		RTE_SET_USED(n);
	}
	return true;
}

static void
on_sigbus(int sig, siginfo_t *si, void *uctx)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	uint32_t c, i, n = __atomic_load_n(&guard.nchunks, __ATOMIC_ACQUIRE);

	for (c = 0; c < n; c++) {
		struct guard_slot *chunk = guard.chunks[c];

		for (i = 0; i < SLOTS_PER_CHUNK; i++) {
			struct guard_slot *s = &chunk[i];
			uintptr_t start = __atomic_load_n(&s->start,
					__ATOMIC_ACQUIRE);

			if (start != 0 && a >= start && a < s->end) {
				if (recover(s))
					return;
				goto chain;
			}
		}
	}
chain:
	chain_to_prev(sig, si, uctx);
}

static int
install(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus,
				.sa_flags = SA_SIGINFO };

	if (guard.installed)
		return 0;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &guard.prev) < 0)
		return -errno;
	guard.installed = true;
	return 0;
}

static struct guard_slot *
free_slot(void)
{
	uint32_t c, i;

	for (c = 0; c < guard.nchunks; c++)
		for (i = 0; i < SLOTS_PER_CHUNK; i++)
			if (guard.chunks[c][i].start == 0)
				return &guard.chunks[c][i];
	if (guard.nchunks == MAX_CHUNKS)
		return NULL;
	guard.chunks[guard.nchunks] = calloc(SLOTS_PER_CHUNK,
			sizeof(struct guard_slot));
	if (guard.chunks[guard.nchunks] == NULL)
		return NULL;
	__atomic_store_n(&guard.nchunks, guard.nchunks + 1, __ATOMIC_RELEASE);
	return &guard.chunks[guard.nchunks - 1][0];
}

int
vfio_user_memguard_add(void *addr, size_t len, int prot, uint32_t *faulted,
		int wakefd)
{
	struct guard_slot *s;
	int rc;

	pthread_mutex_lock(&guard.lock);
	rc = install();
	s = rc == 0 ? free_slot() : NULL;
	if (s != NULL) {
		s->end = (uintptr_t)addr + len;
		s->prot = prot;
		s->wakefd = wakefd;
		s->faulted = faulted;
		__atomic_store_n(&s->start, (uintptr_t)addr, __ATOMIC_RELEASE);
	} else if (rc == 0) {
		rc = -ENOSPC;
	}
	pthread_mutex_unlock(&guard.lock);
	return rc;
}

void
vfio_user_memguard_del(void *addr)
{
	uint32_t c, i;

	pthread_mutex_lock(&guard.lock);
	for (c = 0; c < guard.nchunks; c++)
		for (i = 0; i < SLOTS_PER_CHUNK; i++)
			if (guard.chunks[c][i].start == (uintptr_t)addr) {
				__atomic_store_n(&guard.chunks[c][i].start, 0,
						__ATOMIC_RELEASE);
				goto out;
			}
out:
	pthread_mutex_unlock(&guard.lock);
}
