/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMUNIC_TEST_IAVFBE_H
#define EMUNIC_TEST_IAVFBE_H

#include <stdint.h>

#include <rte_mempool.h>

/*
 * emu_iavf with a scripted guest (test_vf.h) whose queues are enabled and
 * mapped, and a started net_iavfbe port on it with NQP queue pairs whose
 * Rx queues take mbufs from mp.
 */
int iavfbe_test_up(struct rte_mempool *mp, uint16_t *port);
void iavfbe_test_down(void);

#endif /* EMUNIC_TEST_IAVFBE_H */
