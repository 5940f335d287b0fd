/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * dpdk-vfio-user-sample: serve the sample PCI device on a UNIX socket
 * until SIGINT or SIGTERM, then print the session's counters.
 *
 *   dpdk-vfio-user-sample [EAL options] -- --socket-path=PATH
 */

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_vfio_user.h>

#include "sample_dev.h"

static volatile sig_atomic_t quit;

static void
on_signal(int sig __rte_unused)
{
	quit = 1;
}

static const char *
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket-path", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "s:", opts, NULL)) != -1) {
		if (c != 's')
			return NULL;
		path = optarg;
	}
	return path;
}

int
main(int argc, char **argv)
{
	struct sample_dev *sd;
	bool was_connected = false;
	const char *path;
	int n;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "EAL initialisation failed\n");
		return 1;
	}
	path = parse_args(argc - n, argv + n);
	if (path == NULL) {
		fprintf(stderr, "usage: %s [EAL options] -- --socket-path=PATH\n",
			argv[0]);
		rte_eal_cleanup();
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	sd = sample_dev_create(path, 0);
	if (sd == NULL) {
		fprintf(stderr, "cannot serve on %s\n", path);
		rte_eal_cleanup();
		return 1;
	}
	printf("serving sample device %04x:%04x on %s\n", SAMPLE_VENDOR_ID,
	       SAMPLE_DEVICE_ID, path);
	fflush(stdout);
	while (!quit) {
		bool connected = rte_vfio_user_is_connected(sample_dev_id(sd));

		if (connected != was_connected) {
			printf("client %s\n", connected ? "attached" : "detached");
			fflush(stdout);
			was_connected = connected;
		}
		usleep(100 * 1000);
	}
	rte_vfio_user_dump(sample_dev_id(sd), stdout);
	printf("device resets: %u\n", sample_dev_resets(sd));
	sample_dev_destroy(sd);
	rte_eal_cleanup();
	return 0;
}
