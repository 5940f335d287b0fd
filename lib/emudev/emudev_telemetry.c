/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* Telemetry: /emudev/list and /emudev/info,<id>. */

#include <stdlib.h>

#include <rte_telemetry.h>

#include "emudev_internal.h"

static void
list_one(struct rte_emudev *dev, void *arg)
{
	rte_tel_data_add_array_int(arg, dev->id);
}

static int
telemetry_list(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	emudev_foreach(list_one, d);
	return 0;
}

struct info_req {
	long id;
	struct rte_tel_data *d;
	bool found;
};

static void
info_one(struct rte_emudev *dev, void *arg)
{
	struct info_req *req = arg;
	struct rte_emudev_info info = { 0 };

	if (dev->id != req->id)
		return;
	req->found = true;
	if (dev->ops->info_get != NULL)
		dev->ops->info_get(dev, &info);
	rte_tel_data_start_dict(req->d);
	rte_tel_data_add_dict_string(req->d, "name", dev->name);
	rte_tel_data_add_dict_string(req->d, "driver",
			info.driver_name != NULL ? info.driver_name : "");
	rte_tel_data_add_dict_int(req->d, "type", info.type);
	rte_tel_data_add_dict_int(req->d, "max_queues", info.max_queues);
	rte_tel_data_add_dict_int(req->d, "max_vectors", info.max_vectors);
	pthread_mutex_lock(&dev->lock);
	rte_tel_data_add_dict_int(req->d, "consumer", dev->configured);
	rte_tel_data_add_dict_int(req->d, "started", dev->started);
	rte_tel_data_add_dict_int(req->d, "subscribers", dev->nb_subscribers);
	rte_tel_data_add_dict_int(req->d, "events", dev->events_posted);
	pthread_mutex_unlock(&dev->lock);
}

static int
telemetry_info(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct info_req req = { .d = d };
	char *end;

	if (params == NULL || *params == '\0')
		return -1;
	req.id = strtol(params, &end, 10);
	if (*end != '\0')
		return -1;
	emudev_foreach(info_one, &req);
	return req.found ? 0 : -1;
}

RTE_INIT(emudev_telemetry_init)
{
	rte_telemetry_register_cmd("/emudev/list", telemetry_list,
			"Emulated device ids. No parameters");
	rte_telemetry_register_cmd("/emudev/info", telemetry_info,
			"Emulated device state. Parameters: int dev_id");
}
