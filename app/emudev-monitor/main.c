/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * dpdk-emudev-monitor: the smallest emudev consumer. It attaches to an
 * emulated device created with --vdev, starts it (so that a NET device
 * shows its link up to the guest once the guest enables queues), prints
 * every event with what it implies (queue rings, configuration), and on
 * SIGINT/SIGTERM stops, closes and removes the device.
 *
 *   dpdk-emudev-monitor <EAL args> --vdev=emu_iavf0,path=/run/s -- \
 *       --device=emu_iavf0 [--no-start]
 */

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_ether.h>

#include <rte_emudev.h>
#include <rte_emudev_net.h>

static volatile sig_atomic_t quit;

static void
on_signal(int sig __rte_unused)
{
	quit = 1;
}

static void
print_queue(uint16_t qid, const struct rte_emudev_q_info *q)
{
	if (!q->enabled) {
		printf("EVENT: queue %u (%s %u) disabled\n", qid,
		       RTE_EMUDEV_NET_IS_RXQ(qid) ? "rx" : "tx", RTE_EMUDEV_NET_QP(qid));
		return;
	}
	printf("EVENT: queue %u (%s %u) enabled: ring %#" PRIx64 " x %u, "
	       "vector %d, buf %u, max frame %u\n", qid, RTE_EMUDEV_NET_IS_RXQ(qid) ? "rx" : "tx",
	       RTE_EMUDEV_NET_QP(qid), q->base, q->size, q->irq_vector, q->buf_size,
	       q->max_pkt_len);
}

static void
print_config(uint32_t what, const struct rte_emudev_net_config *c)
{
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	uint16_t i;

	rte_ether_format_addr(mac, sizeof(mac), &c->mac);
	printf("EVENT: config changed (%#x): mac %s, filters", what, mac);
	for (i = 0; i < c->nb_macs; i++) {
		rte_ether_format_addr(mac, sizeof(mac), &c->macs[i]);
		printf(" %s", mac);
	}
	printf(", promisc %u, allmulti %u, vlan_strip %u, hena %#" PRIx64 "\n",
	       c->promisc, c->allmulti, c->vlan_strip, c->rss_hena);
}

/* The vector of each queue (by queue id); -1: none. */
static void
print_irq_map(uint16_t nb_queues, const int32_t *vectors)
{
	uint16_t i;

	printf("EVENT: interrupt routing changed:");
	for (i = 0; vectors != NULL && i < nb_queues; i++)
		printf(" q%u=%" PRId32, i, vectors[i]);
	printf("\n");
}

/* Events carry what they report: nothing is asked back from here. */
static void
on_event(uint16_t dev_id __rte_unused, const struct rte_emudev_event *ev,
		void *arg __rte_unused)
{
	switch (ev->type) {
	case RTE_EMUDEV_EVENT_QUEUE_STATE:
		print_queue(ev->queue.qid, &ev->queue.info);
		break;
	case RTE_EMUDEV_EVENT_MEM_CHANGING:
	case RTE_EMUDEV_EVENT_MEM_CHANGED:
		break; /* dozens at boot; the table is printed on demand */
	case RTE_EMUDEV_EVENT_RESET:
		printf("EVENT: device reset\n");
		break;
	case RTE_EMUDEV_EVENT_DRIVER_GONE:
		printf("EVENT: VMM gone\n");
		break;
	case RTE_EMUDEV_EVENT_LINK:
		printf("EVENT: link %s, %u Mbps\n", ev->link.up ? "up" : "down",
		       ev->link.speed);
		break;
	case RTE_EMUDEV_EVENT_CONFIG:
		if (ev->config.state != NULL)
			print_config(ev->config.changed, ev->config.state);
		break;
	case RTE_EMUDEV_EVENT_IRQ:
		print_irq_map(ev->irq.nb_queues, ev->irq.vectors);
		break;
	}
	fflush(stdout);
}

static int
parse_args(int argc, char **argv, const char **device, bool *start)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "no-start", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'd')
			*device = optarg;
		else if (opt == 'n')
			*start = false;
		else
			return -1;
	}
	return *device != NULL ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const struct rte_emudev_conf conf = { .stats_get = NULL };
	const char *device = NULL;
	struct rte_emudev_info info;
	bool start = true;
	int rc, id;

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	if (parse_args(argc - rc, argv + rc, &device, &start) < 0) {
		fprintf(stderr, "usage: %s <EAL args> -- --device=NAME "
			"[--no-start]\n", argv[0]);
		rte_eal_cleanup();
		return 2;
	}
	id = rte_emudev_get_dev_id(device);
	if (id < 0 || rte_emudev_info_get(id, &info) < 0 ||
	    rte_emudev_subscribe_event(id, on_event, NULL) < 0 ||
	    rte_emudev_configure(id, &conf) < 0 ||
	    (start && rte_emudev_start(id) < 0)) {
		fprintf(stderr, "cannot attach to emulated device %s\n", device);
		rte_eal_cleanup();
		return 1;
	}
	printf("MONITOR: %s (%s): %u queues, %u vectors, %s\n", device,
	       info.driver_name, info.max_queues, info.max_vectors,
	       start ? "started" : "not started");
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!quit)
		usleep(100 * 1000);
	rte_emudev_close(id);
	rte_emudev_unsubscribe_event(id, on_event, NULL);
	/* Removing the vdev prints the provider's summary. */
	rte_vdev_uninit(device);
	printf("MONITOR: done\n");
	rte_eal_cleanup();
	return 0;
}
