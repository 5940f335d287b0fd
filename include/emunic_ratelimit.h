/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMUNIC_RATELIMIT_H
#define EMUNIC_RATELIMIT_H

/*
 * The rate limit of every log line a peer (a guest, a VMM, a server) can
 * cause: a burst of lines per second and source, so that a hostile peer
 * cannot flood the log. Internal to this tree, not installed.
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* Lines a source may log in one second. */
#define EMUNIC_RATELIMIT_BURST 10

struct emunic_ratelimit {
	uint64_t second;
	uint32_t count;
};

/* True when one more line from this source may be logged now. */
static inline bool
emunic_ratelimit_ok(struct emunic_ratelimit *rl)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	if ((uint64_t)ts.tv_sec != rl->second) {
		rl->second = ts.tv_sec;
		rl->count = 0;
	}
	return rl->count++ < EMUNIC_RATELIMIT_BURST;
}

/* A rate-limited log line whose source is its call site. */
#define EMUNIC_LOG_RL(log_macro, level, fmt, ...) do { \
	static struct emunic_ratelimit rl__; \
	if (emunic_ratelimit_ok(&rl__)) \
		log_macro(level, fmt, ##__VA_ARGS__); \
} while (0)

#endif /* EMUNIC_RATELIMIT_H */
