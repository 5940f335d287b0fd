/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMUNIC_LINE_ROUND_TRIP_H
#define EMUNIC_LINE_ROUND_TRIP_H

/*
 * Where the hypervisor has put two CPUs, seen from software: the time a
 * cache line takes to go from one to the other and back. On a shared
 * machine it changes every few seconds (here about 95 ns when the two
 * vCPUs share a cache, 340 ns when they do not), and every throughput
 * figure between two CPUs follows it. The benchmarks measure it around
 * their windows to tell one placement's figures from the other's.
 */

/*
 * Nanoseconds per round trip of a cache line between the calling thread
 * and a thread it starts on CPU cpu, averaged over n round trips; 0 if
 * the thread could not start.
 */
double line_round_trip_ns(int cpu, unsigned long n);

#endif /* EMUNIC_LINE_ROUND_TRIP_H */
