/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef RTE_EMUDEV_VDEV_H
#define RTE_EMUDEV_VDEV_H

/**
 * @file
 * Helpers for consumer vdevs that name their emulated device with a
 * devarg, such as "net_iavfbe0,emu=emu_iavf0".
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 */

#include <stdint.h>

#include <rte_compat.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The usual devarg key naming the emulated device. */
#define RTE_EMUDEV_VDEV_ARG "emu"

/**
 * rte_kvargs_process() handler: resolve a device name to its id.
 *
 * @param key
 *   The devarg key (unused).
 * @param value
 *   The device name.
 * @param opaque
 *   A uint16_t that receives the device id.
 * @return
 *   0, or -ENODEV when no device has that name (the provider's vdev must
 *   be created first).
 */
__rte_experimental
int rte_emudev_vdev_kvarg(const char *key, const char *value, void *opaque);

/**
 * Parse a consumer's devargs string for the "emu" key.
 *
 * @param args
 *   The devargs, such as "emu=emu_iavf0,queues=2" (other keys ignored).
 * @return
 *   The device id, or a negative errno: -EINVAL when the key is missing
 *   or given twice, -ENODEV when no device has that name.
 */
__rte_experimental
int rte_emudev_vdev_parse(const char *args);

#ifdef __cplusplus
}
#endif

#endif /* RTE_EMUDEV_VDEV_H */
