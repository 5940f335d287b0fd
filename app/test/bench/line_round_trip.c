/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* A cache line handed between two CPUs (line_round_trip.h). */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "line_round_trip.h"

struct line {
	_Alignas(64) volatile uint64_t turn; /* odd: the other thread's */
	_Alignas(64) volatile bool stop;     /* on a line of its own */
	int cpu;
};

static void *
pong(void *arg)
{
	struct line *l = arg;
	cpu_set_t set;
	uint64_t t = 1;

	CPU_ZERO(&set);
	CPU_SET(l->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	while (!l->stop) {
		if (l->turn == t) {
			l->turn = t + 1;
			t += 2;
		}
	}
	return NULL;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

double
line_round_trip_ns(int cpu, unsigned long n)
{
	static struct line l;
	pthread_t th;
	uint64_t t;
	double start;

	l.turn = 0;
	l.stop = false;
	l.cpu = cpu;
	if (pthread_create(&th, NULL, pong, &l) != 0)
		return 0;
	/* the first hand-over waits for the thread to run: not counted */
	l.turn = 1;
	while (l.turn != 2)
		;
	start = now_ns();
	for (t = 2; t < 2 * n + 2; t += 2) {
		l.turn = t + 1;
		while (l.turn != t + 2)
			;
	}
	start = now_ns() - start;
	l.stop = true;
	pthread_join(th, NULL);
	return start / n;
}
