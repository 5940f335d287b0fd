/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef FUZZ_EAL_H
#define FUZZ_EAL_H

#include <stdlib.h>

#include <rte_common.h>
#include <rte_eal.h>

/*
 * The EAL every fuzz target runs on: mem_mb MiB in a memfd, one lcore,
 * no files and no logs below critical. A target that cannot start aborts.
 */
static inline void
fuzz_eal_init(const char *mem_mb)
{
	char *eal[] = { "fuzz", "--no-huge", "-m", (char *)(uintptr_t)mem_mb,
		"--no-pci", "--no-shconf", "--no-telemetry", "-l", "0",
		"--log-level=*:critical", NULL };

	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0)
		abort();
}

#endif /* FUZZ_EAL_H */
