/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* The emu_iavf vdev: devargs, probe and remove. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <rte_hash_crc.h>
#include <rte_kvargs.h>

#include "emu_iavf_internal.h"
#include "emunic_kvargs.h"

#define ARG_PATH "path"
#define ARG_MAC "mac"
#define ARG_QUEUES "queues"
#define ARG_SPEED "speed"
#define ARG_DMA_MAPS "dma_maps"
#define ARG_SHADOW_IRQ "shadow_irq"

static const char *const valid_args[] = {
	ARG_PATH, ARG_MAC, ARG_QUEUES, ARG_SPEED, ARG_DMA_MAPS, ARG_SHADOW_IRQ,
	NULL
};

struct emu_iavf_args {
	struct emu_iavf_conf c;
	bool mac_set;
};

static int
parse_path(const char *key __rte_unused, const char *value, void *opaque)
{
	struct emu_iavf_args *a = opaque;

	if (value == NULL || value[0] == '\0' ||
	    strlen(value) >= sizeof(a->c.path))
		return -EINVAL;
	strcpy(a->c.path, value);
	return 0;
}

static int
parse_mac(const char *key __rte_unused, const char *value, void *opaque)
{
	struct emu_iavf_args *a = opaque;

	if (value == NULL || rte_ether_unformat_addr(value, &a->c.mac) < 0 ||
	    !rte_is_unicast_ether_addr(&a->c.mac) ||
	    rte_is_zero_ether_addr(&a->c.mac))
		return -EINVAL;
	a->mac_set = true;
	return 0;
}

static int
parse_queues(const char *key __rte_unused, const char *value, void *opaque)
{
	unsigned long v;
	int rc = emunic_parse_uint(value, 1, IAVF_MAX_QP, &v);

	if (rc == 0)
		((struct emu_iavf_args *)opaque)->c.num_qp = v;
	return rc;
}

static int
parse_speed(const char *key __rte_unused, const char *value, void *opaque)
{
	unsigned long v;
	int rc = emunic_parse_uint(value, 10, 800000, &v);

	if (rc == 0)
		((struct emu_iavf_args *)opaque)->c.link_speed = v;
	return rc;
}

static int
parse_dma_maps(const char *key __rte_unused, const char *value, void *opaque)
{
	unsigned long v;
	int rc = emunic_parse_uint(value, 1, RTE_VFIO_USER_MAX_DMA_MAPS, &v);

	if (rc == 0)
		((struct emu_iavf_args *)opaque)->c.max_dma_maps = v;
	return rc;
}

static int
parse_shadow_irq(const char *key __rte_unused, const char *value, void *opaque)
{
	unsigned long v;
	int rc = emunic_parse_uint(value, 0, 1, &v);

	if (rc == 0)
		((struct emu_iavf_args *)opaque)->c.shadow_irq = v;
	return rc;
}

/* A stable, locally administered address derived from the device name. */
static void
default_mac(const char *name, struct rte_ether_addr *mac)
{
	uint32_t h = rte_hash_crc(name, strlen(name), 0);

	mac->addr_bytes[0] = 0x02;
	mac->addr_bytes[1] = 0x1a;
	memcpy(&mac->addr_bytes[2], &h, sizeof(h));
}

static int
parse_args(const char *name, const char *params, struct emu_iavf_args *a)
{
	static const struct {
		const char *key;
		arg_handler_t fn;
	} handlers[] = {
		{ ARG_PATH, parse_path }, { ARG_MAC, parse_mac },
		{ ARG_QUEUES, parse_queues }, { ARG_SPEED, parse_speed },
		{ ARG_DMA_MAPS, parse_dma_maps },
		{ ARG_SHADOW_IRQ, parse_shadow_irq },
	};
	struct rte_kvargs *kv;
	unsigned int i;
	int rc = 0;

	*a = (struct emu_iavf_args){ .c = { .num_qp = 4, .link_speed = 25000,
					    .shadow_irq = true } };
	kv = rte_kvargs_parse(params != NULL ? params : "", valid_args);
	if (kv == NULL) {
		EMU_IAVF_LOG(ERR, "%s: bad devargs \"%s\"", name, params);
		return -EINVAL;
	}
	for (i = 0; rc == 0 && i < RTE_DIM(handlers); i++) {
		if (rte_kvargs_count(kv, handlers[i].key) > 1)
			rc = -EINVAL;
		else
			rc = rte_kvargs_process(kv, handlers[i].key,
					handlers[i].fn, a);
		if (rc < 0)
			EMU_IAVF_LOG(ERR, "%s: bad value for %s", name,
					handlers[i].key);
	}
	rte_kvargs_free(kv);
	if (rc == 0 && a->c.path[0] == '\0') {
		EMU_IAVF_LOG(ERR, "%s: devarg %s=<socket> is required", name,
				ARG_PATH);
		rc = -EINVAL;
	}
	if (rc == 0 && !a->mac_set)
		default_mac(name, &a->c.mac);
	return rc;
}

static int
emu_iavf_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct emu_iavf_args a;
	struct emu_iavf *dev;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		EMU_IAVF_LOG(ERR, "%s: secondary processes are not supported",
				name);
		return -ENOTSUP;
	}
	if (parse_args(name, rte_vdev_device_args(vdev), &a) < 0)
		return -EINVAL;
	dev = emu_iavf_create(name, &a.c);
	if (dev == NULL)
		return -EIO;
	rte_ether_format_addr(mac, sizeof(mac), &a.c.mac);
	EMU_IAVF_LOG(INFO, "%s: AVF on %s, %u queue pairs, MAC %s, %u Mbps",
			name, a.c.path, a.c.num_qp, mac, a.c.link_speed);
	return 0;
}

static int
emu_iavf_remove(struct rte_vdev_device *vdev)
{
	struct emu_iavf *dev = emu_iavf_find(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return -ENODEV;
	emu_iavf_destroy(dev);
	return 0;
}

static struct rte_vdev_driver emu_iavf_vdev_driver = {
	.probe = emu_iavf_probe,
	.remove = emu_iavf_remove,
};

RTE_PMD_REGISTER_VDEV(emu_iavf, emu_iavf_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(emu_iavf,
	ARG_PATH "=<socket path> "
	ARG_MAC "=<xx:xx:xx:xx:xx:xx> "
	ARG_QUEUES "=<1-16> "
	ARG_SPEED "=<Mbps> "
	ARG_DMA_MAPS "=<1-65535> "
	ARG_SHADOW_IRQ "=<0|1>");
