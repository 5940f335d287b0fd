/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * libFuzzer target: the input is what a hostile VF driver does to an
 * emu_iavf device: virtchnl messages posted on the admin queue, BAR0
 * register reads and writes (the mailbox registers included), and ARQ
 * consumption. Guest memory is a real memfd in the device's DMA table.
 * Each input starts from a power-on reset.
 *
 * Input: a sequence of records, the first byte of each choosing:
 *   0: virtchnl message: op (1 byte), length (2 bytes), payload
 *   1: register write: offset (3 bytes), value (4 bytes)
 *   2: register read: offset (3 bytes)
 *   3: the driver takes every ARQ message and re-arms the ring
 * The first input byte's bit 0 prepends VERSION and GET_VF_RESOURCES.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <rte_eal.h>

#include "fuzz_eal.h"
#include "emu_iavf_internal.h"
#include "vfio_user_internal.h"

#define MEM_IOVA 0x100000ull
#define MEM_SIZE (1u << 20)
#define ATQ_OFF 0x0
#define ARQ_OFF 0x1000
#define ATQ_BUF 0x10000
#define ARQ_BUF 0x30000
#define AQ_LEN 32

static struct emu_iavf *dev;
static uint8_t *mem;
static uint16_t atq_ntu;

static void
reg_write(uint32_t off, uint32_t v)
{
	emu_iavf_bar0_rw(dev, off, &v, 4, true);
}

static uint32_t
reg_read(uint32_t off)
{
	uint32_t v = 0;

	emu_iavf_bar0_rw(dev, off, &v, 4, false);
	return v;
}

static void
arq_arm_all(void)
{
	struct iavf_aq_desc *d = (void *)(mem + ARQ_OFF);
	uint64_t buf;
	int i;

	for (i = 0; i < AQ_LEN; i++) {
		buf = MEM_IOVA + ARQ_BUF + 4096u * i;
		memset(&d[i], 0, sizeof(d[i]));
		d[i].flags = IAVF_AQ_FLAG_BUF;
		d[i].datalen = 4096;
		d[i].addr_high = buf >> 32;
		d[i].addr_low = (uint32_t)buf;
	}
	reg_write(IAVF_VF_ARQT1, (reg_read(IAVF_VF_ARQH1) + AQ_LEN - 1) % AQ_LEN);
}

static void
aq_init(void)
{
	reg_write(IAVF_VF_ATQLEN1, AQ_LEN | IAVF_AQ_LEN_ENABLE);
	reg_write(IAVF_VF_ATQBAL1, (uint32_t)(MEM_IOVA + ATQ_OFF));
	reg_write(IAVF_VF_ARQLEN1, AQ_LEN | IAVF_AQ_LEN_ENABLE);
	reg_write(IAVF_VF_ARQBAL1, (uint32_t)(MEM_IOVA + ARQ_OFF));
	arq_arm_all();
	atq_ntu = 0;
}

static void
send_msg(uint32_t op, const uint8_t *payload, uint16_t len)
{
	struct iavf_aq_desc *d = (struct iavf_aq_desc *)(mem + ATQ_OFF) + atq_ntu;
	uint64_t buf = MEM_IOVA + ATQ_BUF + 4096u * atq_ntu;

	len = RTE_MIN(len, 4096);
	memset(d, 0, sizeof(*d));
	d->opcode = IAVF_AQ_OP_MSG_TO_PF;
	d->flags = IAVF_AQ_FLAG_BUF;
	d->cookie_high = op;
	d->datalen = len;
	d->addr_high = buf >> 32;
	d->addr_low = (uint32_t)buf;
	memcpy(mem + ATQ_BUF + 4096u * atq_ntu, payload, len);
	atq_ntu = (atq_ntu + 1) % AQ_LEN;
	reg_write(IAVF_VF_ATQT1, atq_ntu);
}

static void
enable_bus_master(void)
{
	uint16_t cmd = 0x6;

	rte_vfio_user_pci_config_access(dev->cfg, 4, &cmd, 2, true);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc __rte_unused, char ***argv __rte_unused)
{
	struct emu_iavf_conf conf = {
		.mac = {{ 0x02, 0, 0, 0, 0, 1 }}, .num_qp = 4,
		.link_speed = 25000 };
	int fd;

	fuzz_eal_init("64");
	snprintf(conf.path, sizeof(conf.path), "/tmp/fuzz-emu-iavf-%d.sock",
		 getpid());
	dev = emu_iavf_create("fuzz_iavf0", &conf);
	fd = memfd_create("fuzz-guest", MFD_CLOEXEC);
	if (dev == NULL || fd < 0 || ftruncate(fd, MEM_SIZE) < 0)
		abort();
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED ||
	    vfio_user_dma_map(vfio_user_dev_get(dev->vu_id), MEM_IOVA,
			MEM_SIZE, RTE_VFIO_USER_PROT_READ |
			RTE_VFIO_USER_PROT_WRITE, fd, 0) < 0)
		abort();
	unlink(conf.path);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t version[8] = { 1, 0, 0, 0, 1, 0, 0, 0 };
	static const uint8_t caps[4] = { 0xf9, 0x8c, 0xbd, 0x1a };
	size_t i = 0;

	pthread_mutex_lock(&dev->lock);
	emu_iavf_power_on_reset(dev);
	enable_bus_master();
	aq_init();
	if (size > 0 && (data[0] & 1)) {
		send_msg(VIRTCHNL_OP_VERSION, version, sizeof(version));
		send_msg(VIRTCHNL_OP_GET_VF_RESOURCES, caps, sizeof(caps));
	}
	if (size > 0)
		i = 1;
	while (i < size) {
		uint8_t kind = data[i++] % 4;
		uint32_t off = 0, v = 0;
		uint16_t len = 0;

		if (kind == 0 && i + 3 <= size) {
			memcpy(&len, data + i + 1, 2);
			len = RTE_MIN((size_t)len, size - i - 3);
			send_msg(data[i], data + i + 3, len);
			i += 3 + len;
		} else if (kind == 1 && i + 7 <= size) {
			memcpy(&off, data + i, 3);
			memcpy(&v, data + i + 3, 4);
			reg_write((off % IAVF_BAR0_SIZE) & ~3u, v);
			i += 7;
		} else if (kind == 2 && i + 3 <= size) {
			memcpy(&off, data + i, 3);
			reg_read((off % IAVF_BAR0_SIZE) & ~3u);
			i += 3;
		} else if (kind == 3) {
			arq_arm_all();
		} else {
			break;
		}
	}
	pthread_mutex_unlock(&dev->lock);
	return 0;
}
