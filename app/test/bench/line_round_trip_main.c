/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * emunic-line-round-trip FROM TO: pins itself to CPU FROM and prints the
 * nanoseconds a cache line takes to CPU TO and back (line_round_trip.h),
 * for the scripts' benchmarks to tell where the hypervisor put the CPUs.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "line_round_trip.h"

int
main(int argc, char **argv)
{
	cpu_set_t set;
	double ns;

	if (argc != 3) {
		fprintf(stderr, "usage: %s FROM_CPU TO_CPU\n", argv[0]);
		return 2;
	}
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[1]), &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0) {
		perror("sched_setaffinity");
		return 1;
	}
	ns = line_round_trip_ns(atoi(argv[2]), 20000);
	if (ns <= 0) {
		fprintf(stderr, "%s: no thread on CPU %s\n", argv[0], argv[2]);
		return 1;
	}
	printf("%.0f\n", ns);
	return 0;
}
