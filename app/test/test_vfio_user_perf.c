/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Benchmarks: round-trip latency of REGION_READ (a guest MMIO read that
 * traps to the server), client and server in one process on two threads;
 * and the latency of an interrupt, from rte_vfio_user_irq_trigger() (as a
 * data-path lcore calls it) to the wakeup of a client thread blocked on
 * the eventfd, with what the trigger itself costs the caller. Run by "meson test
 * --benchmark", never as a pass/fail test.
 */

#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <rte_common.h>
#include <rte_vfio_user.h>

#include "sample_dev.h"
#include "test.h"

#define ITER 20000

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void
print_latency(const char *what, const char *unit, uint64_t *lat,
		uint64_t sum, int n)
{
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("%s, %d %s: mean %.1f us, p50 %.1f us, p99 %.1f us, max %.1f us\n",
	       what, n, unit, sum / 1000.0 / n, lat[n / 2] / 1000.0,
	       lat[n * 99 / 100] / 1000.0, lat[n - 1] / 1000.0);
}

#define IRQ_ITER 5000

/*
 * The client's side of an interrupt: a thread blocked in poll() on the
 * eventfd, as a VMM's is, noting when each one arrives.
 */
static struct {
	int fd;
	uint32_t seen;		/* atomic */
	uint64_t at_ns;		/* when the last one was read */
	volatile bool stop;
} rx;

static void *
irq_reader(void *arg __rte_unused)
{
	struct pollfd pfd = { .fd = rx.fd, .events = POLLIN };
	uint64_t v;

	while (!rx.stop) {
		if (poll(&pfd, 1, 100) != 1 || read(rx.fd, &v, 8) != 8)
			continue;
		rx.at_ns = now_ns();
		__atomic_fetch_add(&rx.seen, 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Trigger to the reader's wakeup, through the device's control thread. */
static int
irq_latency(const char *path)
{
	struct rte_vfio_user_client *c;
	struct sample_dev *sd;
	uint64_t *lat, *call, sum = 0, csum = 0, t, t1, end;
	pthread_t th;
	int i, id;

	sd = sample_dev_create(path, 0);
	TEST_ASSERT_NOT_NULL(sd, "device");
	id = sample_dev_id(sd);
	c = rte_vfio_user_client_attach(path, NULL);
	rx.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	rx.seen = 0;
	rx.stop = false;
	lat = malloc(IRQ_ITER * sizeof(*lat));
	call = malloc(IRQ_ITER * sizeof(*call));
	TEST_ASSERT(c != NULL && rx.fd >= 0 && lat != NULL && call != NULL,
		    "client, eventfd");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irq_eventfds(c,
			RTE_VFIO_USER_PCI_MSIX, 0, 1, &rx.fd), "bind");
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, irq_reader, NULL),
			"reader");
	test_thread_any_cpu(th);
	usleep(10000);
	for (i = 0; i < IRQ_ITER; i++) {
		t = now_ns();
		if (rte_vfio_user_irq_trigger(id, RTE_VFIO_USER_PCI_MSIX, 0) != 0)
			break;
		t1 = now_ns();
		end = t + 1000000000ull;
		while (__atomic_load_n(&rx.seen, __ATOMIC_ACQUIRE) == (uint32_t)i &&
		       now_ns() < end)
			;
		if (__atomic_load_n(&rx.seen, __ATOMIC_ACQUIRE) != (uint32_t)i + 1)
			break;
		lat[i] = rx.at_ns - t;
		call[i] = t1 - t;
		sum += lat[i];
		csum += call[i];
	}
	rx.stop = true;
	pthread_join(th, NULL);
	rte_vfio_user_client_detach(c);
	sample_dev_destroy(sd);
	close(rx.fd);
	TEST_ASSERT_EQUAL(i, IRQ_ITER, "interrupts");
	print_latency("IRQ trigger to the reader's wakeup", "interrupts", lat,
		      sum, IRQ_ITER);
	print_latency("IRQ trigger call", "calls", call, csum, IRQ_ITER);
	free(lat);
	free(call);
	return TEST_SUCCESS;
}

static int
test_vfio_user_perf(void)
{
	struct rte_vfio_user_client *c;
	struct sample_dev *sd;
	uint64_t *lat, sum = 0, t;
	char path[108];
	uint32_t v;
	int i;

	snprintf(path, sizeof(path), "%s/perf.sock", test_tmpdir());
	sd = sample_dev_create(path, 0);
	TEST_ASSERT_NOT_NULL(sd, "device");
	c = rte_vfio_user_client_attach(path, NULL);
	TEST_ASSERT_NOT_NULL(c, "client");
	lat = malloc(ITER * sizeof(*lat));
	TEST_ASSERT_NOT_NULL(lat, "memory");
	for (i = 0; i < ITER; i++) {
		t = now_ns();
		if (rte_vfio_user_client_region_read(c, RTE_VFIO_USER_PCI_BAR0,
				SAMPLE_REG_SCRATCH, &v, 4) != 0)
			break;
		lat[i] = now_ns() - t;
		sum += lat[i];
	}
	rte_vfio_user_client_detach(c);
	sample_dev_destroy(sd);
	TEST_ASSERT_EQUAL(i, ITER, "reads");
	print_latency("REGION_READ 4 bytes", "round trips", lat, sum, ITER);
	free(lat);
	return irq_latency(path);
}

REGISTER_TEST_COMMAND(vfio_user_perf_autotest, test_vfio_user_perf);
