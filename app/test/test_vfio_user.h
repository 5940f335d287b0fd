/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef TEST_VFIO_USER_H
#define TEST_VFIO_USER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_vfio_user.h>

#include "vfio_user_protocol.h"

/* Raw-socket helpers shared by the vfio-user test files. */
int vu_raw_connect(const char *path);
int vu_raw_send(int fd, uint16_t id, uint16_t cmd, uint32_t flags,
		uint32_t size, const void *p, size_t len, const int *fds,
		int nfds);
int vu_raw_recv(int fd, struct vfio_user_header *h, void *buf, size_t max,
		int timeout_ms);
int vu_raw_negotiated(const char *path);

#endif /* TEST_VFIO_USER_H */
