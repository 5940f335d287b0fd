/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* Telemetry: /emu_iavf/list and /emu_iavf/info,<name>. */

#include <string.h>

#include <rte_telemetry.h>

#include "emu_iavf_internal.h"

static void
list_one(struct emu_iavf *dev, void *arg)
{
	rte_tel_data_add_array_string(arg, dev->name);
}

static int
telemetry_list(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	emu_iavf_foreach(list_one, d);
	return 0;
}

static const char *
rstat_name(uint32_t rstat)
{
	switch (rstat) {
	case IAVF_RSTAT_INPROGRESS: return "in progress";
	case IAVF_RSTAT_COMPLETED: return "completed";
	case IAVF_RSTAT_VFACTIVE: return "VF active";
	default: return "?";
	}
}

static void
add_container(struct rte_tel_data *d, const char *name,
		struct rte_tel_data *c)
{
	if (c != NULL && rte_tel_data_add_dict_container(d, name, c, 0) < 0)
		rte_tel_data_free(c);
}

static struct rte_tel_data *
enabled_queues(const struct emu_iavf *dev, bool rx)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	uint16_t q;

	if (a == NULL)
		return NULL;
	rte_tel_data_start_array(a, RTE_TEL_INT_VAL);
	for (q = 0; q < dev->num_qp; q++)
		if ((rx ? dev->rxq[q] : dev->txq[q]).enabled)
			rte_tel_data_add_array_int(a, q);
	return a;
}

static struct rte_tel_data *
mac_list(const struct emu_iavf *dev)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	char buf[RTE_ETHER_ADDR_FMT_SIZE];
	uint16_t i;

	if (a == NULL)
		return NULL;
	rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	for (i = 0; i < dev->net.nb_macs; i++) {
		rte_ether_format_addr(buf, sizeof(buf), &dev->net.macs[i]);
		rte_tel_data_add_array_string(a, buf);
	}
	return a;
}

static struct rte_tel_data *
counters(const struct emu_iavf *dev)
{
	struct rte_tel_data *c = rte_tel_data_alloc();
	const struct emu_iavf_errors *e = &dev->err;

	if (c == NULL)
		return NULL;
	rte_tel_data_start_dict(c);
	rte_tel_data_add_dict_uint(c, "vf_resets", dev->vf_resets);
	rte_tel_data_add_dict_uint(c, "device_resets", dev->device_resets);
	rte_tel_data_add_dict_uint(c, "arq_posted", dev->arq_posted);
	/* Timer looks at DYN_CTLN shadows a raise waited in. */
	rte_tel_data_add_dict_uint(c, "shadow_polls",
			atomic_load(&dev->shadow_polls));
	rte_tel_data_add_dict_uint(c, "vc_bad_msg", e->vc_bad_msg);
	rte_tel_data_add_dict_uint(c, "vc_unsupported", e->vc_unsupported);
	rte_tel_data_add_dict_uint(c, "vc_bad_state", e->vc_bad_state);
	rte_tel_data_add_dict_uint(c, "aq_dma", e->aq_dma);
	rte_tel_data_add_dict_uint(c, "aq_bad_desc", e->aq_bad_desc);
	rte_tel_data_add_dict_uint(c, "aq_no_bme", e->aq_no_bme);
	rte_tel_data_add_dict_uint(c, "arq_overflow", e->arq_overflow);
	rte_tel_data_add_dict_uint(c, "reg_unknown_rd", e->reg_unknown_rd);
	rte_tel_data_add_dict_uint(c, "reg_unknown_wr", e->reg_unknown_wr);
	rte_tel_data_add_dict_uint(c, "reg_bad_access", e->reg_bad_access);
	return c;
}

/* "<block>_reads"/"_writes": BAR0 accesses trapped, by register block. */
static struct rte_tel_data *
trapped_counts(const struct emu_iavf *dev)
{
	struct rte_tel_data *c = rte_tel_data_alloc();
	char key[32];
	unsigned int b;

	if (c == NULL)
		return NULL;
	rte_tel_data_start_dict(c);
	for (b = 0; b < 2 * EMU_IAVF_REGS_BLOCKS; b++) {
		bool wr = b % 2;

		snprintf(key, sizeof(key), "%s_%s",
			 emu_iavf_reg_block_name(b / 2), wr ? "writes" : "reads");
		rte_tel_data_add_dict_uint(c, key, (wr ? dev->trapped_writes :
				dev->trapped_reads)[b / 2]);
	}
	return c;
}

static struct rte_tel_data *
op_counts(const struct emu_iavf *dev)
{
	struct rte_tel_data *c = rte_tel_data_alloc();
	char unknown[32];
	uint32_t op;

	if (c == NULL)
		return NULL;
	rte_tel_data_start_dict(c);
	for (op = 0; op < EMU_IAVF_VC_OP_MAX; op++) {
		const char *name = emu_iavf_vc_op_name(op);

		if (dev->vc_ops[op] == 0)
			continue;
		if (strcmp(name, "UNKNOWN") == 0) {
			snprintf(unknown, sizeof(unknown), "op_%u", op);
			name = unknown;
		}
		rte_tel_data_add_dict_uint(c, name, dev->vc_ops[op]);
	}
	return c;
}

struct info_req {
	const char *name;
	struct rte_tel_data *d;
	bool found;
};

static void
info_one(struct emu_iavf *dev, void *arg)
{
	struct info_req *req = arg;
	struct rte_tel_data *d = req->d;
	char buf[RTE_ETHER_ADDR_FMT_SIZE];

	if (strcmp(dev->name, req->name) != 0)
		return;
	req->found = true;
	pthread_mutex_lock(&dev->lock);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "path", dev->path);
	rte_tel_data_add_dict_int(d, "connected",
			rte_vfio_user_is_connected(dev->vu_id));
	rte_tel_data_add_dict_string(d, "reset_state", rstat_name(dev->rstat));
	snprintf(buf, sizeof(buf), "%u.%u", dev->vc_major, dev->vc_minor);
	rte_tel_data_add_dict_string(d, "virtchnl_version",
			dev->version_ok ? buf : "none");
	rte_tel_data_add_dict_int(d, "caps", dev->caps);
	rte_tel_data_add_dict_int(d, "queue_pairs", dev->num_qp);
	add_container(d, "tx_queues_enabled", enabled_queues(dev, false));
	add_container(d, "rx_queues_enabled", enabled_queues(dev, true));
	rte_ether_format_addr(buf, sizeof(buf), &dev->net.mac);
	rte_tel_data_add_dict_string(d, "mac", buf);
	add_container(d, "mac_filters", mac_list(dev));
	rte_tel_data_add_dict_int(d, "promisc_unicast",
			dev->net.promisc);
	rte_tel_data_add_dict_int(d, "promisc_multicast",
			dev->net.allmulti);
	rte_tel_data_add_dict_int(d, "vlan_strip", dev->net.vlan_strip);
	rte_tel_data_add_dict_int(d, "link_up", dev->link_up);
	rte_tel_data_add_dict_int(d, "link_speed", dev->link_speed);
	rte_tel_data_add_dict_int(d, "consumer_started", dev->consumer_started);
	rte_tel_data_add_dict_int(d, "shadow_irq", dev->shadow_irq);
	add_container(d, "counters", counters(dev));
	add_container(d, "virtchnl_ops", op_counts(dev));
	add_container(d, "bar0_trapped", trapped_counts(dev));
	pthread_mutex_unlock(&dev->lock);
}

static int
telemetry_info(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct info_req req = { .name = params, .d = d };

	if (params == NULL || *params == '\0')
		return -1;
	emu_iavf_foreach(info_one, &req);
	return req.found ? 0 : -1;
}

RTE_INIT(emu_iavf_telemetry_init)
{
	rte_telemetry_register_cmd("/emu_iavf/list", telemetry_list,
			"Emulated AVF devices. No parameters");
	rte_telemetry_register_cmd("/emu_iavf/info", telemetry_info,
			"Emulated AVF state. Parameters: string device name");
}
