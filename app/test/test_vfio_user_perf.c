/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Benchmark: round-trip latency of REGION_READ (a guest MMIO read that
 * traps to the server), client and server in one process on two threads.
 * Run by "meson test --benchmark", never as a pass/fail test.
 */

#include <stdlib.h>
#include <time.h>

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
	qsort(lat, ITER, sizeof(*lat), cmp_u64);
	printf("REGION_READ 4 bytes, %d round trips: mean %.1f us, p50 %.1f us, "
	       "p99 %.1f us, max %.1f us\n", ITER, sum / 1000.0 / ITER,
	       lat[ITER / 2] / 1000.0, lat[ITER * 99 / 100] / 1000.0,
	       lat[ITER - 1] / 1000.0);
	free(lat);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(vfio_user_perf_autotest, test_vfio_user_perf);
