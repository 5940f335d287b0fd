/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Several devices served at once, reconnect cycles, a server in another
 * process, and server-initiated DMA for maps without an fd.
 */

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <rte_common.h>
#include <rte_vfio_user.h>
#include <rte_vfio_user_pci.h>

#include "sample_dev.h"
#include "test.h"

#define NDEVS 4

static int
read_reg(struct rte_vfio_user_client *c, uint32_t reg, uint32_t *v)
{
	return rte_vfio_user_client_region_read(c, RTE_VFIO_USER_PCI_BAR0, reg,
			v, 4);
}

static int
write_reg(struct rte_vfio_user_client *c, uint32_t reg, uint32_t v)
{
	return rte_vfio_user_client_region_write(c, RTE_VFIO_USER_PCI_BAR0, reg,
			&v, 4, false);
}

static int
test_several_devices(void)
{
	struct sample_dev *sd[NDEVS];
	struct rte_vfio_user_client *c[NDEVS];
	char path[NDEVS][108];
	uint32_t v;
	int i, round, rc = TEST_SUCCESS;

	for (i = 0; i < NDEVS; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/multi%d.sock",
			 test_tmpdir(), i);
		sd[i] = sample_dev_create(path[i], 0);
		TEST_ASSERT_NOT_NULL(sd[i], "device %d", i);
	}
	for (i = 0; i < NDEVS; i++) {
		c[i] = rte_vfio_user_client_attach(path[i], NULL);
		TEST_ASSERT_NOT_NULL(c[i], "client %d", i);
	}
	/* Interleaved traffic: each device keeps its own state. */
	for (round = 0; round < 50 && rc == TEST_SUCCESS; round++) {
		for (i = 0; i < NDEVS; i++)
			if (write_reg(c[i], SAMPLE_REG_SCRATCH, round * 16 + i))
				rc = TEST_FAILED;
		for (i = 0; i < NDEVS; i++)
			if (read_reg(c[i], SAMPLE_REG_SCRATCH, &v) ||
			    v != (uint32_t)(round * 16 + i))
				rc = TEST_FAILED;
	}
	for (i = 0; i < NDEVS; i++) {
		rte_vfio_user_client_detach(c[i]);
		sample_dev_destroy(sd[i]);
	}
	TEST_ASSERT_SUCCESS(rc, "devices mixed up their state");
	return TEST_SUCCESS;
}

static int
test_reconnect_cycles(void)
{
	char path[108];
	struct sample_dev *sd;
	struct rte_vfio_user_client *c;
	int i, fds, before;
	uint32_t v;

	snprintf(path, sizeof(path), "%s/cycles.sock", test_tmpdir());
	sd = sample_dev_create(path, 0);
	TEST_ASSERT_NOT_NULL(sd, "device");
	before = test_count_fds();
	for (i = 0; i < 100; i++) {
		c = rte_vfio_user_client_attach(path, NULL);
		TEST_ASSERT_NOT_NULL(c, "attach %d", i);
		TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(c, 0x100000,
				0x1000, -1, 0, RTE_VFIO_USER_PROT_READ), "map");
		TEST_ASSERT_SUCCESS(write_reg(c, SAMPLE_REG_SCRATCH, i), "write");
		TEST_ASSERT_SUCCESS(read_reg(c, SAMPLE_REG_SCRATCH, &v), "read");
		TEST_ASSERT_EQUAL(v, (uint32_t)i, "state of cycle %d", i);
		rte_vfio_user_client_detach(c);
		/* The next attach waits until the server dropped this one. */
		while (rte_vfio_user_is_connected(sample_dev_id(sd)))
			usleep(100);
	}
	for (i = 0; i < 1000 && (fds = test_count_fds()) != before; i++)
		usleep(1000);
	TEST_ASSERT_EQUAL(fds, before, "no fd left behind by 100 sessions");
	sample_dev_destroy(sd);
	return TEST_SUCCESS;
}

/* Guest memory the client holds for maps given without an fd. */
static uint8_t fdless_mem[0x2000];

static int
client_dma_rw(void *arg __rte_unused, uint64_t iova, void *buf, size_t len,
		bool is_write)
{
	if (iova < 0x40000 || iova - 0x40000 + len > sizeof(fdless_mem))
		return -EFAULT;
	if (is_write)
		memcpy(fdless_mem + (iova - 0x40000), buf, len);
	else
		memcpy(buf, fdless_mem + (iova - 0x40000), len);
	return 0;
}

static int
dma_via_device(struct rte_vfio_user_client *c, uint64_t addr, uint32_t val,
		uint32_t *status)
{
	uint32_t cmd = 0x6;

	if (rte_vfio_user_client_region_write(c, RTE_VFIO_USER_PCI_CONFIG, 4,
			&cmd, 2, false) ||
	    write_reg(c, SAMPLE_REG_SCRATCH, val) ||
	    write_reg(c, SAMPLE_REG_DMA_ADDR, (uint32_t)addr) ||
	    write_reg(c, SAMPLE_REG_DMA_ADDR + 4, addr >> 32) ||
	    write_reg(c, SAMPLE_REG_DMA_CMD, 1))
		return -EIO;
	return read_reg(c, SAMPLE_REG_DMA_STATUS, status);
}

static int
dma_messages(bool qemu_layout)
{
	struct rte_vfio_user_client_conf conf = {
		.dma_rw = client_dma_rw,
		.qemu_dma_rw_layout = qemu_layout,
	};
	struct rte_vfio_user_client *c;
	struct sample_dev *sd;
	char path[108];
	uint32_t st, v, off = 0;

	snprintf(path, sizeof(path), "%s/dma%d.sock", test_tmpdir(), qemu_layout);
	sd = sample_dev_create(path, qemu_layout ?
			RTE_VFIO_USER_F_QEMU_DMA_RW_LAYOUT : 0);
	TEST_ASSERT_NOT_NULL(sd, "device");
	c = rte_vfio_user_client_attach(path, &conf);
	TEST_ASSERT_NOT_NULL(c, "client");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(c, 0x40000,
			sizeof(fdless_mem), -1, 0, RTE_VFIO_USER_PROT_READ |
			RTE_VFIO_USER_PROT_WRITE), "fd-less map");
	memset(fdless_mem, 0, sizeof(fdless_mem));
	TEST_ASSERT_SUCCESS(dma_via_device(c, 0x40100, 0xdecafbad, &st), "dma");
	TEST_ASSERT_EQUAL(st, 0, "DMA_WRITE message served");
	memcpy(&v, fdless_mem + 0x100, 4);
	TEST_ASSERT_EQUAL(v, 0xdecafbad, "data landed at the right place");
	TEST_ASSERT(memcmp(fdless_mem, (uint8_t[0x100]){ 0 }, 0x100) == 0,
		    "nothing stray before it");
	TEST_ASSERT_SUCCESS(dma_via_device(c, 0x90000, 1, &st), "dma");
	TEST_ASSERT_EQUAL(st, EFAULT, "unmapped address refused");
	/* Bus master off: the device must not DMA at all. */
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_region_write(c,
			RTE_VFIO_USER_PCI_CONFIG, 4, &off, 2, false), "BME off");
	TEST_ASSERT_SUCCESS(write_reg(c, SAMPLE_REG_DMA_CMD, 1), "dma");
	TEST_ASSERT_SUCCESS(read_reg(c, SAMPLE_REG_DMA_STATUS, &st), "status");
	TEST_ASSERT_EQUAL(st, EACCES, "no DMA without BME");
	rte_vfio_user_client_detach(c);
	sample_dev_destroy(sd);
	return TEST_SUCCESS;
}

static int
test_dma_messages_spec_layout(void)
{
	return dma_messages(false);
}

static int
test_dma_messages_qemu_layout(void)
{
	return dma_messages(true);
}

/* The sample app as a separate server process. */
static int
test_server_in_other_process(void)
{
	const char *app = getenv("EMUNIC_SAMPLE_APP");
	struct rte_vfio_user_client *c = NULL;
	struct rte_vfio_user_dev_info info;
	char path[108];
	pid_t pid;
	uint32_t v = 0;
	int i, status;

	if (app == NULL)
		return TEST_SKIPPED;
	snprintf(path, sizeof(path), "%s/proc.sock", test_tmpdir());
	pid = fork();
	if (pid == 0) {
		char arg[128];

		snprintf(arg, sizeof(arg), "--socket-path=%s", path);
		execl(app, app, "--no-huge", "-m", "64", "--no-pci",
		      "--no-shconf", "--no-telemetry", "-l", "0",
		      "--log-level=lib.eal:error", "--", arg, (char *)NULL);
		_exit(127);
	}
	TEST_ASSERT(pid > 0, "fork");
	for (i = 0; i < 100 && c == NULL; i++) {
		usleep(50000);
		c = rte_vfio_user_client_attach(path, NULL);
	}
	if (c != NULL && rte_vfio_user_client_get_dev_info(c, &info) == 0)
		read_reg(c, SAMPLE_REG_MAGIC, &v);
	rte_vfio_user_client_detach(c);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	TEST_ASSERT_NOT_NULL(c, "attached to the other process");
	TEST_ASSERT_EQUAL(info.num_regions, 9, "device info");
	TEST_ASSERT_EQUAL(v, SAMPLE_MAGIC, "register served across processes");
	TEST_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "server exited cleanly on SIGTERM");
	return TEST_SUCCESS;
}

static const struct unit_test_case multi_cases[] = {
	{ "several_devices", test_several_devices },
	{ "reconnect_cycles", test_reconnect_cycles },
	{ "dma_messages_spec_layout", test_dma_messages_spec_layout },
	{ "dma_messages_qemu_layout", test_dma_messages_qemu_layout },
	{ "server_in_other_process", test_server_in_other_process },
	{ NULL, NULL },
};

static int
test_vfio_user_multi(void)
{
	return unit_test_suite_run("vfio_user_multi", multi_cases, NULL, NULL);
}

REGISTER_TEST_COMMAND(vfio_user_multi_autotest, test_vfio_user_multi);
