/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * libFuzzer target: the input is a stream of vfio-user messages sent by a
 * client to a server device. Each message goes through the server's own
 * dispatch, as the control thread would run it; DMA_MAP and SET_IRQS get
 * real fds attached when the input asks for them. Replies are drained and
 * the session ends with a disconnect, so every input starts afresh and
 * leaks show up in LeakSanitizer.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <rte_common.h>
#include <rte_vfio_user_pci.h>

#include "vfio_user_internal.h"

#define MAX_MSGS 64

static int dev_id = -1;
static int guest_fd = -1;
static struct rte_vfio_user_pci_config *cfg;
static uint8_t bar0[4096];

static ssize_t
config_rw(int id __rte_unused, uint32_t index __rte_unused, uint64_t off,
		void *buf, size_t count, bool is_write)
{
	return rte_vfio_user_pci_config_access(cfg, off, buf, count, is_write);
}

static ssize_t
bar0_rw(int id, uint32_t index __rte_unused, uint64_t off, void *buf,
		size_t count, bool is_write)
{
	if (is_write)
		memcpy(bar0 + off, buf, count);
	else
		memcpy(buf, bar0 + off, count);
	/* Exercise the device-side helpers on guest input too. */
	if (is_write && count >= 4) {
		uint32_t v;

		memcpy(&v, buf, 4);
		rte_vfio_user_irq_trigger(id, RTE_VFIO_USER_PCI_MSIX, v & 7);
	}
	return count;
}

static const struct rte_vfio_user_notify_ops ops = { .new_device = NULL };

static void
setup_device(void)
{
	const struct rte_vfio_user_pci_ids ids = { .vendor_id = 0xcafe,
						   .device_id = 0xd00d };
	const struct rte_vfio_user_dev_info info = {
		.flags = RTE_VFIO_USER_DEV_F_PCI | RTE_VFIO_USER_DEV_F_RESET,
		.num_regions = RTE_VFIO_USER_PCI_NUM_REGIONS,
		.num_irqs = RTE_VFIO_USER_PCI_NUM_IRQS,
	};
	const struct rte_vfio_user_sparse_area area = { 4096, 4096 };
	struct rte_vfio_user_region r = { .flags = 3, .fd = -1 };

	/* Logging every refused input would slow fuzzing to a crawl. */
	rte_log_set_level(vfio_user_logtype, RTE_LOG_EMERG);
	cfg = rte_vfio_user_pci_config_create(&ids, true);
	rte_vfio_user_pci_config_set_bar(cfg, 0, 4096, 0);
	rte_vfio_user_pci_config_add_msix(cfg, 4, 1, 0, 1, 0x800);
	dev_id = rte_vfio_user_register("/nonexistent/fuzz.sock", &ops, 0, NULL);
	rte_vfio_user_set_dev_info(dev_id, &info);
	r.index = RTE_VFIO_USER_PCI_CONFIG;
	r.size = 4096;
	r.rw = config_rw;
	rte_vfio_user_set_region(dev_id, &r);
	r.index = RTE_VFIO_USER_PCI_BAR0;
	r.rw = bar0_rw;
	rte_vfio_user_set_region(dev_id, &r);
	/* Sealed, as an mmap-able region must be; also the DMA maps' file. */
	guest_fd = rte_vfio_user_region_memfd("fuzz-guest", 1 << 20);
	if (guest_fd < 0)
		abort();
	r.index = RTE_VFIO_USER_PCI_BAR2;
	r.size = 8192;
	r.rw = NULL;
	r.flags = 3 | RTE_VFIO_USER_REGION_F_MMAP;
	r.fd = guest_fd;
	r.nr_areas = 1;
	r.areas = &area;
	rte_vfio_user_set_region(dev_id, &r);
	rte_vfio_user_set_irq_info(dev_id, RTE_VFIO_USER_PCI_MSIX, 4,
			RTE_VFIO_USER_IRQ_F_EVENTFD);
	rte_vfio_user_set_irq_info(dev_id, RTE_VFIO_USER_PCI_ERR, 1,
			RTE_VFIO_USER_IRQ_F_EVENTFD);
}

static void
drain(int fd)
{
	uint8_t buf[4096];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/* Fds the input asks for: guest memory for DMA_MAP, eventfds otherwise. */
static int
attach_fds(struct vfio_user_msg *m, uint8_t n)
{
	int i;

	n %= 4;
	for (i = 0; i < n; i++) {
		m->fds[i] = m->hdr.cmd == VFIO_USER_DMA_MAP ?
			dup(guest_fd) : eventfd(0, EFD_NONBLOCK);
		m->nfds++;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfio_user_dev *dev;
	int sv[2], n;

	if (dev_id < 0)
		setup_device();
	dev = vfio_user_dev_get(dev_id);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) < 0)
		return 0;
	/* The control thread's epoll is not running: plain fd handling. */
	dev->conn_fd = sv[0];
	/* First byte: start negotiated or not. */
	if (size > 0)
		dev->negotiated = data[0] & 1;
	for (n = 0; n < MAX_MSGS && size >= 1 + sizeof(struct vfio_user_header) &&
	     dev->conn_fd >= 0; n++) {
		struct vfio_user_msg m = { .nfds = 0 };
		uint32_t len;

		data++;
		size--;
		memcpy(&m.hdr, data, sizeof(m.hdr));
		data += sizeof(m.hdr);
		size -= sizeof(m.hdr);
		/* The transport bounds sizes; dispatch sees what fits. */
		len = RTE_MIN((size_t)(m.hdr.msg_size > 16 ? m.hdr.msg_size - 16 : 0),
			      size);
		m.len = len;
		m.payload = malloc(len ? len : 1);
		memcpy(m.payload, data, len);
		attach_fds(&m, data[-1 - (int)sizeof(m.hdr)]);
		data += len;
		size -= len;
		vfio_user_dispatch(dev, &m);
		vfio_user_msg_free(&m);
		drain(sv[1]);
		/* As the control thread does once a command ends. */
		if (dev->broken != NULL)
			vfio_user_server_disconnect(dev);
	}
	/* The thread is not running (epfd -1): a disconnect is plain. */
	vfio_user_server_disconnect(dev);
	close(sv[1]);
	return 0;
}
