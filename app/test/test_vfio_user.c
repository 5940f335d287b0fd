/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * vfio-user conformance: the client API and raw messages against the
 * server library serving the sample device, in process. Case names follow
 * the conformance checklist of the protocol reference.
 */

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <rte_common.h>
#include <rte_vfio_user.h>

#include "emunic_compat.h"
#include "sample_dev.h"
#include "test.h"
#include "test_vfio_user.h"
#include "vfio_user_protocol.h"

static struct sample_dev *sd;
static struct rte_vfio_user_client *cl;
static char sock_path[108];
static int fds_before;
static int fd_leaks;
static int case_no;

/* The sample device's memory table as published now. */
static const struct rte_vfio_user_mem_table *
table(void)
{
	return rte_vfio_user_get_mem_table(sample_dev_id(sd));
}

int
vu_raw_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
vu_raw_send(int fd, uint16_t id, uint16_t cmd, uint32_t flags, uint32_t size,
		const void *p, size_t len, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(16 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct vfio_user_header h = {
		.msg_id = id, .cmd = cmd, .flags = flags,
		.msg_size = size ? size : sizeof(h) + len,
	};
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)(uintptr_t)p, len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };

	if (nfds > 0) {
		struct cmsghdr *cm;

		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	return sendmsg(fd, &mh, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static int
read_full(int fd, void *buf, size_t len, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -ETIMEDOUT;
		n = recv(fd, p, len, 0);
		if (n <= 0)
			return -ECONNRESET;
		p += n;
		len -= n;
	}
	return 0;
}

int
vu_raw_recv(int fd, struct vfio_user_header *h, void *buf, size_t max,
		int timeout_ms)
{
	uint8_t sink[256];
	size_t len, i;
	int rc;

	rc = read_full(fd, h, sizeof(*h), timeout_ms);
	if (rc < 0)
		return rc;
	if (h->msg_size < sizeof(*h))
		return -EPROTO;
	len = h->msg_size - sizeof(*h);
	for (i = 0; i < len; i += rc) {
		size_t chunk = len - i;
		uint8_t *dst = sink;

		if (i < max) {
			chunk = RTE_MIN(chunk, max - i);
			dst = (uint8_t *)buf + i;
		} else {
			chunk = RTE_MIN(chunk, sizeof(sink));
		}
		if (read_full(fd, dst, chunk, timeout_ms) < 0)
			return -ECONNRESET;
		rc = chunk;
	}
	return (int)len;
}

/* A raw connection that negotiated VERSION without capabilities. */
int
vu_raw_negotiated(const char *path)
{
	struct vfio_user_header h;
	uint16_t v[2] = { 0, 0 };
	uint8_t buf[512];
	int fd = vu_raw_connect(path);

	if (fd < 0 || vu_raw_send(fd, 1, VFIO_USER_VERSION, 0, 0, v, 4, NULL, 0) ||
	    vu_raw_recv(fd, &h, buf, sizeof(buf), 2000) < 0 ||
	    (h.flags & VFIO_USER_F_ERROR)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Send one raw command and return the errno of its reply (0 = success). */
static int
raw_cmd(int fd, uint16_t cmd, const void *p, size_t len, const int *fds,
		int nfds)
{
	struct vfio_user_header h;
	uint8_t buf[512];
	int rc;

	rc = vu_raw_send(fd, 7, cmd, 0, 0, p, len, fds, nfds);
	if (rc == 0)
		rc = vu_raw_recv(fd, &h, buf, sizeof(buf), 2000);
	if (rc < 0)
		return rc;
	if (h.msg_id != 7 || h.cmd != cmd)
		return -EPROTO;
	return (h.flags & VFIO_USER_F_ERROR) ? (int)h.error_no : 0;
}

static int
wait_for(bool (*cond)(void))
{
	int i;

	for (i = 0; i < 2000 && !cond(); i++)
		usleep(1000);
	return cond() ? 0 : -ETIMEDOUT;
}

static bool
server_idle(void)
{
	return !rte_vfio_user_is_connected(sample_dev_id(sd));
}

static int
setup(void)
{
	fds_before = test_count_fds();
	snprintf(sock_path, sizeof(sock_path), "%s/vu%d.sock", test_tmpdir(),
		 case_no++);
	sd = sample_dev_create(sock_path, 0);
	if (sd == NULL)
		return -1;
	cl = rte_vfio_user_client_attach(sock_path, NULL);
	return cl ? 0 : -1;
}

static void
teardown(void)
{
	int i;

	rte_vfio_user_client_detach(cl);
	cl = NULL;
	sample_dev_destroy(sd);
	sd = NULL;
	/* The control thread closes a connection shortly after EOF. */
	for (i = 0; i < 3000 && test_count_fds() != fds_before; i++)
		usleep(1000);
	if (test_count_fds() != fds_before) {
		test_report_fds(sock_path, fds_before);
		fd_leaks++;
	}
}

static int
cfg_read32(uint32_t off, uint32_t *v)
{
	return rte_vfio_user_client_region_read(cl, RTE_VFIO_USER_PCI_CONFIG,
			off, v, 4);
}

static int
cfg_write32(uint32_t off, uint32_t v)
{
	return rte_vfio_user_client_region_write(cl, RTE_VFIO_USER_PCI_CONFIG,
			off, &v, 4, false);
}

static int
bar0_read32(uint32_t off, uint32_t *v)
{
	return rte_vfio_user_client_region_read(cl, RTE_VFIO_USER_PCI_BAR0,
			off, v, 4);
}

static int
bar0_write32(uint32_t off, uint32_t v, bool posted)
{
	return rte_vfio_user_client_region_write(cl, RTE_VFIO_USER_PCI_BAR0,
			off, &v, 4, posted);
}

/* A memfd of size bytes, mapped here, for DMA maps. */
static int
guest_mem(size_t size, uint8_t **va)
{
	int fd = memfd_create("guest", MFD_CLOEXEC);

	if (fd < 0 || ftruncate(fd, size) < 0)
		return -1;
	*va = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (*va == MAP_FAILED) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Negotiation
 */

static int
test_version_caps(void)
{
	const struct rte_vfio_user_server_caps *caps =
		rte_vfio_user_client_server_caps(cl);

	TEST_ASSERT_EQUAL(caps->major, 0, "major");
	TEST_ASSERT_EQUAL(caps->minor, 0, "minor");
	TEST_ASSERT_EQUAL(caps->max_msg_fds, RTE_VFIO_USER_MAX_MSG_FDS, "fds");
	TEST_ASSERT_EQUAL(caps->max_data_xfer_size, RTE_VFIO_USER_MAX_DATA_XFER,
			  "xfer");
	TEST_ASSERT(!caps->write_multiple, "write_multiple not offered");
	return TEST_SUCCESS;
}

/* Send a VERSION proposal; return the reply errno, or the reply JSON. */
static int
propose(uint16_t major, uint16_t minor, const char *json, size_t jlen,
		char *reply, size_t rlen, uint16_t *rminor)
{
	struct vfio_user_header h;
	uint8_t buf[1024];
	int fd = vu_raw_connect(sock_path), n, rc;

	if (fd < 0)
		return -ENOTCONN;
	memcpy(buf, &major, 2);
	memcpy(buf + 2, &minor, 2);
	memcpy(buf + 4, json, jlen);
	rc = vu_raw_send(fd, 0, VFIO_USER_VERSION, 0, 0, buf, 4 + jlen, NULL, 0);
	n = rc ? rc : vu_raw_recv(fd, &h, buf, sizeof(buf) - 1, 2000);
	close(fd);
	if (n < 0)
		return n;
	if (h.flags & VFIO_USER_F_ERROR)
		return h.error_no;
	if (n < 5 || buf[n - 1] != '\0')
		return -EPROTO;
	if (rminor)
		memcpy(rminor, buf + 2, 2);
	memcpy(reply, buf + 4, RTE_MIN(rlen, (size_t)n - 4));
	reply[rlen - 1] = '\0';
	return 0;
}

#define PROPOSE(json) propose(0, 0, json, sizeof(json), r, sizeof(r), NULL)

static int
test_version_negotiation(void)
{
	char r[512];
	uint16_t minor = 99;

	/* The fixture's client holds the socket: free it first. */
	rte_vfio_user_client_detach(cl);
	cl = NULL;
	TEST_ASSERT_SUCCESS(wait_for(server_idle), "server saw the detach");

	TEST_ASSERT_SUCCESS(propose(0, 5, "", 0, r, sizeof(r), &minor),
			    "no JSON is accepted");
	TEST_ASSERT_EQUAL(minor, 0, "minor is min(client, ours)");
	TEST_ASSERT(strstr(r, "\"max_msg_fds\":16") != NULL, "limits stated: %s", r);
	TEST_ASSERT(strstr(r, "write_multiple") == NULL, "not offered, not granted");
	TEST_ASSERT_SUCCESS(PROPOSE("{}"), "empty object");
	TEST_ASSERT_SUCCESS(PROPOSE("{\"capabilities\":{\"write_multiple\":true,"
		"\"max_msg_fds\":16,\"migration\":{\"pgsize\":4096}}}"), "QEMU-like");
	TEST_ASSERT(strstr(r, "\"write_multiple\":true") != NULL, "granted: %s", r);
	TEST_ASSERT_EQUAL(propose(1, 0, "", 0, r, sizeof(r), NULL), EINVAL,
			  "major 1");
	TEST_ASSERT_EQUAL(propose(0, 0, "{}", 2, r, sizeof(r), NULL), EINVAL,
			  "JSON without NUL");
	TEST_ASSERT_EQUAL(PROPOSE("{\"capabilities\":"), EINVAL, "unparsable");
	TEST_ASSERT_EQUAL(PROPOSE("[1]"), EINVAL, "not an object");
	TEST_ASSERT_EQUAL(PROPOSE("{\"capabilities\":3}"), EINVAL, "caps not object");
	TEST_ASSERT_EQUAL(PROPOSE("{\"capabilities\":{\"max_msg_fds\":\"x\"}}"),
			  EINVAL, "fds not a number");
	TEST_ASSERT_EQUAL(PROPOSE("{\"capabilities\":{\"max_msg_fds\":-1}}"),
			  EINVAL, "fds -1");
	TEST_ASSERT_EQUAL(PROPOSE("{\"capabilities\":{\"max_msg_fds\":1025}}"),
			  EINVAL, "fds 1025");
	TEST_ASSERT_EQUAL(PROPOSE("{\"capabilities\":{\"pgsizes\":4095}}"),
			  EINVAL, "pgsizes");
	TEST_ASSERT_EQUAL(PROPOSE("{\"capabilities\":{\"migration\":{\"pgsize\":4095}}}"),
			  EINVAL, "migration pgsize");
	TEST_ASSERT_EQUAL(PROPOSE("{\"capabilities\":{\"write_multiple\":1}}"),
			  EINVAL, "write_multiple not bool");
	return TEST_SUCCESS;
}

static int
test_first_message_not_version(void)
{
	struct vfio_user_device_info gi = { .argsz = 16 };
	struct vfio_user_header h;
	uint8_t buf[64];
	int fd;

	rte_vfio_user_client_detach(cl);
	cl = NULL;
	TEST_ASSERT_SUCCESS(wait_for(server_idle), "detached");
	fd = vu_raw_connect(sock_path);
	TEST_ASSERT(fd >= 0, "connect");
	TEST_ASSERT_EQUAL(raw_cmd(fd, VFIO_USER_DEVICE_GET_INFO, &gi, 16, NULL, 0),
			  EINVAL, "GET_INFO before VERSION");
	/* The connection is closed: nothing more is served on it. */
	vu_raw_send(fd, 8, VFIO_USER_VERSION, 0, 0, "\0\0\0\0", 4, NULL, 0);
	TEST_ASSERT_EQUAL(vu_raw_recv(fd, &h, buf, sizeof(buf), 1000),
			  -ECONNRESET, "closed after the refusal");
	close(fd);
	return TEST_SUCCESS;
}

/*
 * Framing
 */

static int
test_framing_split_message(void)
{
	struct vfio_user_device_info gi = { .argsz = 16 }, rep;
	struct vfio_user_header h = {
		.msg_id = 3, .cmd = VFIO_USER_DEVICE_GET_INFO,
		.msg_size = sizeof(h) + sizeof(gi),
	};
	int fd = rte_vfio_user_client_socket(cl);
	struct vfio_user_header rh;

	TEST_ASSERT(send(fd, &h, 10, 0) == 10, "part of the header");
	usleep(20000);
	TEST_ASSERT(send(fd, (uint8_t *)&h + 10, 6, 0) == 6, "rest");
	usleep(20000);
	TEST_ASSERT(send(fd, &gi, 5, 0) == 5, "payload piece");
	usleep(20000);
	TEST_ASSERT(send(fd, (uint8_t *)&gi + 5, 11, 0) == 11, "payload rest");
	TEST_ASSERT_EQUAL(vu_raw_recv(fd, &rh, &rep, sizeof(rep), 2000),
			  (int)sizeof(rep), "one reply");
	TEST_ASSERT_EQUAL(rh.msg_id, 3, "id echoed");
	TEST_ASSERT_EQUAL(rep.num_regions, 9, "regions");
	TEST_ASSERT_EQUAL(vu_raw_recv(fd, &rh, &rep, sizeof(rep), 200),
			  -ETIMEDOUT, "processed once");
	return TEST_SUCCESS;
}

static int
test_framing_bad_sizes(void)
{
	struct vfio_user_header h;
	int fd = rte_vfio_user_client_socket(cl);

	TEST_ASSERT_SUCCESS(vu_raw_send(fd, 4, VFIO_USER_DEVICE_GET_INFO, 0, 8,
					NULL, 0, NULL, 0), "send");
	TEST_ASSERT_EQUAL(vu_raw_recv(fd, &h, NULL, 0, 2000), 0, "error reply");
	TEST_ASSERT_EQUAL(h.error_no, EINVAL, "size < 16");
	TEST_ASSERT_EQUAL(h.flags, VFIO_USER_F_TYPE_REPLY | VFIO_USER_F_ERROR,
			  "flags 0x21");
	TEST_ASSERT_EQUAL(h.msg_size, 16, "header only");
	TEST_ASSERT_EQUAL(h.msg_id, 4, "id echoed");
	TEST_ASSERT_EQUAL(h.cmd, VFIO_USER_DEVICE_GET_INFO, "cmd echoed");

	/* A huge size is refused before anything is allocated for it. */
	rte_vfio_user_client_detach(cl);
	cl = NULL;
	TEST_ASSERT_SUCCESS(wait_for(server_idle), "detached");
	fd = vu_raw_negotiated(sock_path);
	TEST_ASSERT(fd >= 0, "negotiated");
	TEST_ASSERT_SUCCESS(vu_raw_send(fd, 5, VFIO_USER_REGION_WRITE, 0,
					0xfffffff0, NULL, 0, NULL, 0), "send");
	TEST_ASSERT_EQUAL(vu_raw_recv(fd, &h, NULL, 0, 2000), 0, "error reply");
	TEST_ASSERT_EQUAL(h.error_no, EINVAL, "too large");
	close(fd);
	return TEST_SUCCESS;
}

static int
test_framing_bad_commands(void)
{
	static const uint16_t bad[] = { 0, 11, 12, 14, 15, 19, 200, 0xffff };
	struct vfio_user_device_info gi = { .argsz = 16 };
	int fd = rte_vfio_user_client_socket(cl);
	struct vfio_user_header h;
	uint8_t payload[64] = { 0 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++)
		TEST_ASSERT_EQUAL(raw_cmd(fd, bad[i], payload, 16, NULL, 0),
				  EINVAL, "command %u", bad[i]);
	/* A reply-type message, and unknown flag bits. */
	vu_raw_send(fd, 9, VFIO_USER_DEVICE_GET_INFO, VFIO_USER_F_TYPE_REPLY, 0,
		    &gi, 16, NULL, 0);
	TEST_ASSERT_EQUAL(vu_raw_recv(fd, &h, payload, sizeof(payload), 2000), 0,
			  "reply to a reply");
	TEST_ASSERT_EQUAL(h.error_no, EINVAL, "reply type refused");
	/* Short fixed parts. */
	TEST_ASSERT_EQUAL(raw_cmd(fd, VFIO_USER_DEVICE_GET_INFO, &gi, 8, NULL, 0),
			  EINVAL, "short GET_INFO");
	TEST_ASSERT_EQUAL(raw_cmd(fd, VFIO_USER_DMA_MAP, payload, 31, NULL, 0),
			  EINVAL, "short DMA_MAP");
	TEST_ASSERT_EQUAL(raw_cmd(fd, VFIO_USER_DEVICE_SET_IRQS, payload, 19,
				  NULL, 0), EINVAL, "short SET_IRQS");
	TEST_ASSERT_EQUAL(raw_cmd(fd, VFIO_USER_REGION_READ, payload, 15, NULL, 0),
			  EINVAL, "short REGION_READ");
	TEST_ASSERT_EQUAL(raw_cmd(fd, VFIO_USER_DEVICE_RESET, payload, 4, NULL, 0),
			  EINVAL, "RESET with payload");
	/* Repeated ids are fine. */
	TEST_ASSERT_SUCCESS(raw_cmd(fd, VFIO_USER_DEVICE_GET_INFO, &gi, 16, NULL, 0),
			    "id 7");
	TEST_ASSERT_SUCCESS(raw_cmd(fd, VFIO_USER_DEVICE_GET_INFO, &gi, 16, NULL, 0),
			    "id 7 again");
	return TEST_SUCCESS;
}

static int
test_framing_no_reply(void)
{
	int fd = rte_vfio_user_client_socket(cl);
	struct vfio_user_device_info gi = { .argsz = 16 };
	struct vfio_user_header h;
	uint8_t buf[64];

	/* A failing NO_REPLY command gets nothing; the next reply is ours. */
	vu_raw_send(fd, 20, 200, VFIO_USER_F_NO_REPLY, 0, buf, 16, NULL, 0);
	vu_raw_send(fd, 21, VFIO_USER_DEVICE_GET_INFO, 0, 0, &gi, 16, NULL, 0);
	TEST_ASSERT_EQUAL(vu_raw_recv(fd, &h, buf, sizeof(buf), 2000), 16, "reply");
	TEST_ASSERT_EQUAL(h.msg_id, 21, "only the second command answered");
	return TEST_SUCCESS;
}

static int
test_framing_rejected_fds_closed(void)
{
	int fd = rte_vfio_user_client_socket(cl), efd[3], before, i;
	struct vfio_user_device_info gi = { .argsz = 16 };

	for (i = 0; i < 3; i++)
		efd[i] = eventfd(0, EFD_CLOEXEC);
	before = test_count_fds();
	TEST_ASSERT_EQUAL(raw_cmd(fd, VFIO_USER_DEVICE_GET_INFO, &gi, 16, efd, 3),
			  EINVAL, "fds on a command that takes none");
	TEST_ASSERT_EQUAL(raw_cmd(fd, 200, &gi, 16, efd, 2), EINVAL,
			  "fds on an unknown command");
	TEST_ASSERT_EQUAL(test_count_fds(), before, "server closed them");
	for (i = 0; i < 3; i++)
		close(efd[i]);
	return TEST_SUCCESS;
}

static int
test_framing_ordering(void)
{
	uint32_t v, i;

	/* Posted writes are applied before a later read is answered. */
	for (i = 1; i <= 50; i++)
		TEST_ASSERT_SUCCESS(bar0_write32(SAMPLE_REG_SCRATCH, i, true), "post");
	TEST_ASSERT_SUCCESS(bar0_read32(SAMPLE_REG_SCRATCH, &v), "read");
	TEST_ASSERT_EQUAL(v, 50, "last posted write visible");
	return TEST_SUCCESS;
}

static int
test_second_client_refused(void)
{
	struct rte_vfio_user_client *c2;
	uint32_t v;

	c2 = rte_vfio_user_client_attach(sock_path,
		&(struct rte_vfio_user_client_conf){ .timeout_ms = 500 });
	TEST_ASSERT(c2 == NULL, "second client not served");
	TEST_ASSERT_SUCCESS(bar0_read32(SAMPLE_REG_MAGIC, &v), "first still works");
	TEST_ASSERT_EQUAL(v, SAMPLE_MAGIC, "magic");
	return TEST_SUCCESS;
}

/*
 * DMA
 */

static int
test_dma_map_translate(void)
{
	uint64_t len;
	uint8_t *va, *p;
	int fd = guest_mem(1 << 20, &va);

	TEST_ASSERT(fd >= 0, "memfd");
	/* RW at 1 MiB from file offset 0; RO at 16 MiB from offset 512 KiB. */
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(cl, 0x100000, 0x80000, fd,
			0, RTE_VFIO_USER_PROT_READ | RTE_VFIO_USER_PROT_WRITE), "rw");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(cl, 0x1000000, 0x80000, fd,
			0x80000, RTE_VFIO_USER_PROT_READ), "ro");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(cl, 0xfffc0000, 0x40000, -1,
			0, RTE_VFIO_USER_PROT_READ), "fd-less");
	TEST_ASSERT_EQUAL(table()->nregions, 3, "three maps");

	strcpy((char *)va + 0x1234, "hello");
	len = 64;
	p = rte_vfio_user_mem_translate(table(), 0x101234, &len, RTE_VFIO_USER_PROT_WRITE);
	TEST_ASSERT_NOT_NULL(p, "translate");
	TEST_ASSERT_EQUAL(len, 64, "whole length mapped");
	TEST_ASSERT(strcmp((char *)p, "hello") == 0, "shared memory");
	strcpy((char *)p, "world");
	TEST_ASSERT(strcmp((char *)va + 0x1234, "world") == 0, "and back");

	len = 0x100;
	p = rte_vfio_user_mem_translate(table(), 0x17fff0, &len, RTE_VFIO_USER_PROT_READ);
	TEST_ASSERT(p != NULL && len == 0x10, "clipped at the end of the map");
	len = 8;
	TEST_ASSERT(rte_vfio_user_mem_translate(table(), 0x1000000, &len,
			RTE_VFIO_USER_PROT_WRITE) == NULL && len == 0,
			"write through a read-only map refused");
	len = 8;
	strcpy((char *)va + 0x80010, "offset");
	p = rte_vfio_user_mem_translate(table(), 0x1000010, &len, RTE_VFIO_USER_PROT_READ);
	TEST_ASSERT(p != NULL && strcmp((char *)p, "offset") == 0,
		    "file offset honoured");
	len = 8;
	TEST_ASSERT(rte_vfio_user_mem_translate(table(), 0xfffc0000, &len,
			RTE_VFIO_USER_PROT_READ) == NULL, "fd-less: no host address");
	len = 8;
	TEST_ASSERT(rte_vfio_user_mem_translate(table(), 0x180000, &len,
			RTE_VFIO_USER_PROT_READ) == NULL, "hole");
	len = 8;
	TEST_ASSERT(rte_vfio_user_mem_translate(table(), 0xfffff, &len,
			RTE_VFIO_USER_PROT_READ) == NULL, "before the first map");
	munmap(va, 1 << 20);
	close(fd);
	return TEST_SUCCESS;
}

static int
test_dma_map_errors(void)
{
	const uint32_t rw = RTE_VFIO_USER_PROT_READ | RTE_VFIO_USER_PROT_WRITE;
	struct vfio_user_dma_map m = { .argsz = 32, .flags = 3, .addr = 0x9000,
				       .size = 0x1000 };
	int sock = rte_vfio_user_client_socket(cl);
	uint8_t *va;
	int fd = guest_mem(0x10000, &va), efd = eventfd(0, 0);

	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(cl, 0x10000, 0x10000, fd,
			0, rw), "map");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_map(cl, 0x1f000, 0x2000, -1, 0, rw),
			  -EEXIST, "overlaps the end");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_map(cl, 0xf000, 0x2000, -1, 0, rw),
			  -EEXIST, "overlaps the start");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_map(cl, 0x0, 0x100000, -1, 0, rw),
			  -EEXIST, "covers it");
	TEST_ASSERT_EQUAL(table()->nregions, 1, "existing map unchanged");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_map(cl, 0x100000, 0x20000, fd,
			0, rw), -EINVAL, "beyond the file's size");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_map(cl, 0x100000, 0x1000, efd,
			0, rw), -EINVAL, "not a memory fd");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_map(cl, 0x100000, 0, -1, 0, rw),
			  -EINVAL, "size 0");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_map(cl, UINT64_MAX - 0xfff,
			0x2000, -1, 0, rw), -EINVAL, "wraps");
	m.flags = 0x7;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DMA_MAP, &m, 32, NULL, 0),
			  EINVAL, "unknown flag");
	m.flags = 3;
	m.argsz = 24;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DMA_MAP, &m, 32, NULL, 0),
			  EINVAL, "argsz");
	m.argsz = 32;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DMA_MAP, &m, 32,
				  (int[]){ fd, fd }, 2), EINVAL, "two fds");
	TEST_ASSERT_EQUAL(table()->nregions, 1, "still one map");
	munmap(va, 0x10000);
	close(fd);
	close(efd);
	return TEST_SUCCESS;
}

/*
 * DMA_UNMAP as VFIO type1 reads it (QEMU relies on it behind a vIOMMU):
 * a range removes every map it contains, refuses to split one, and
 * succeeds with nothing to remove.
 */
static int
test_dma_unmap(void)
{
	struct vfio_user_dma_unmap u = { .argsz = 24, .flags = 2, .addr = 0x1000 };
	int sock = rte_vfio_user_client_socket(cl), i;

	for (i = 0; i < 4; i++)
		TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(cl, 0x10000 * (i + 1),
				0x10000, -1, 0, RTE_VFIO_USER_PROT_READ), "map %d", i);
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_unmap(cl, 0x10000, 0x8000, false),
			  -EINVAL, "the first half of a map");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_unmap(cl, 0x18000, 0x10000, false),
			  -EINVAL, "across two maps' halves");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_unmap(cl, 0x8000, 0x10000, false),
			  -EINVAL, "before and into a map");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_unmap(cl, 0x10000, 0x38000, false),
			  -EINVAL, "three maps and half of the fourth");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_unmap(cl, 0x10000, 0, false),
			  -EINVAL, "size 0");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_unmap(cl, UINT64_MAX - 0xfff,
			0x2000, false), -EINVAL, "wraps");
	TEST_ASSERT_EQUAL(table()->nregions, 4, "nothing removed");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_unmap(cl, 0x100000, 0x10000,
			false), "a range without maps");
	TEST_ASSERT_EQUAL(table()->nregions, 4, "still nothing removed");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_unmap(cl, 0x20000, 0x10000,
			false), "exact");
	TEST_ASSERT_EQUAL(table()->nregions, 3, "one removed");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_unmap(cl, 0, 0x40000, false),
			    "a range holding two maps and a hole");
	TEST_ASSERT(table()->nregions == 1 && table()->regions[0].iova == 0x40000,
		    "both removed, the one after kept");
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DMA_UNMAP, &u, 24, NULL, 0),
			  EINVAL, "UNMAP_ALL with an address");
	u.flags = 1;
	u.addr = 0x10000;
	u.size = 0x10000;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DMA_UNMAP, &u, 24, NULL, 0),
			  EINVAL, "dirty bitmap flag");
	u.flags = 0x10;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DMA_UNMAP, &u, 24, NULL, 0),
			  EINVAL, "unknown flag");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_unmap(cl, 0, 0, true), "all");
	TEST_ASSERT_EQUAL(table()->nregions, 0, "table empty");
	return TEST_SUCCESS;
}

/* The device's default limit, which VERSION advertises. */
static int
test_dma_max_maps(void)
{
	const uint32_t max = RTE_VFIO_USER_DEFAULT_DMA_MAPS;
	uint32_t i;

	TEST_ASSERT_EQUAL(rte_vfio_user_client_server_caps(cl)->max_dma_maps,
			  max, "advertised");
	for (i = 0; i < max; i++)
		TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(cl,
				(uint64_t)i << 12, 4096, -1, 0,
				RTE_VFIO_USER_PROT_READ), "map %u", i);
	TEST_ASSERT_EQUAL(table()->nregions, max, "all mapped");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_dma_map(cl, 1ull << 40, 4096, -1, 0,
			RTE_VFIO_USER_PROT_READ), -ENOSPC, "one too many");
	TEST_ASSERT_EQUAL(table()->regions[0x1234].iova, 0x1234ull << 12, "kept sorted");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_unmap(cl, 0, 0, true), "all");
	return TEST_SUCCESS;
}

/*
 * A data-path thread reading guest memory: it takes the current table for
 * each read and says between reads which grace period it has passed; the
 * device's mem_changed waits for it. Each grace period has its own
 * number, so the control side never takes an earlier acknowledgement for
 * this one.
 */
static struct {
	int stop;
	int dev_id;
	uint32_t grace_no, passed_no;
	uint64_t reads;
	int calls;
	struct rte_vfio_user_mem_change chg[2]; /* at changing, at changed */
} dp;

static void *
dp_thread(void *arg __rte_unused)
{
	while (!__atomic_load_n(&dp.stop, __ATOMIC_SEQ_CST)) {
		const struct rte_vfio_user_mem_table *mt =
			rte_vfio_user_get_mem_table(dp.dev_id);
		uint64_t len = 8;
		volatile uint64_t *p;

		p = rte_vfio_user_mem_translate(mt,
				0x200000 + (dp.reads % 16) * 4096, &len,
				RTE_VFIO_USER_PROT_READ);
		if (p != NULL) {
			(void)*p;
			dp.reads++;
		}
		/* Between reads: no table of before is in use. */
		__atomic_store_n(&dp.passed_no,
			__atomic_load_n(&dp.grace_no, __ATOMIC_SEQ_CST),
			__ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void
dp_changing(int dev_id __rte_unused, const struct rte_vfio_user_mem_change *chg)
{
	dp.calls++;
	dp.chg[0] = *chg;
}

static void
dp_changed(int dev_id __rte_unused, const struct rte_vfio_user_mem_change *chg)
{
	uint32_t no = __atomic_add_fetch(&dp.grace_no, 1, __ATOMIC_SEQ_CST);

	dp.calls++;
	dp.chg[1] = *chg;
	while (__atomic_load_n(&dp.passed_no, __ATOMIC_SEQ_CST) != no)
		sched_yield();
}

static bool
change_is(const struct rte_vfio_user_mem_change *c, uint64_t iova,
		uint64_t size, bool unmap)
{
	return c->iova == iova && c->size == size && c->unmap == unmap;
}

/*
 * The data path reads every page of a 64 KiB range while the range is
 * mapped and unmapped: as one map, or as 16 page maps removed by one
 * range unmap. The device is told of every change, what it is, and waits
 * for its readers before the previous table goes (ASan sees a reader of
 * a freed table, and a read of an unmapped page faults).
 */
static int
test_dma_unmap_waits_for_readers(void)
{
	const uint32_t rd = RTE_VFIO_USER_PROT_READ;
	pthread_t t;
	uint8_t *va;
	int fd = guest_mem(0x10000, &va), i, p;

	memset(&dp, 0, sizeof(dp));
	dp.dev_id = sample_dev_id(sd);
	sample_dev_set_mem_hooks(sd, dp_changing, dp_changed);
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, dp_thread, NULL), "thread");
	for (i = 0; i < 200; i++) {
		if (i % 2 == 0) {
			TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(cl,
					0x200000, 0x10000, fd, 0, rd), "map");
			TEST_ASSERT(change_is(&dp.chg[0], 0x200000, 0x10000, false) &&
				    change_is(&dp.chg[1], 0x200000, 0x10000, false),
				    "told the map");
		} else {
			for (p = 0; p < 16; p++)
				TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(cl,
						0x200000 + 4096 * p, 4096, fd,
						4096 * p, rd), "page map %d", p);
			TEST_ASSERT(change_is(&dp.chg[0], 0x20f000, 4096, false),
				    "told the page map");
		}
		usleep(100);
		TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_unmap(cl, 0x200000,
				0x10000, false), "unmap");
		TEST_ASSERT(change_is(&dp.chg[0], 0x200000, 0x10000, true) &&
			    change_is(&dp.chg[1], 0x200000, 0x10000, true),
			    "told the unmap");
		TEST_ASSERT_EQUAL(table()->nregions, 0, "every map removed");
	}
	__atomic_store_n(&dp.stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(t, NULL);
	sample_dev_set_mem_hooks(sd, NULL, NULL);
	TEST_ASSERT_EQUAL(dp.calls, 100 * 4 + 100 * 34, "told of every change");
	TEST_ASSERT(dp.reads > 0, "the data path did run");
	munmap(va, 0x10000);
	close(fd);
	return TEST_SUCCESS;
}

/*
 * Device, regions and config space
 */

static int
test_device_and_region_info(void)
{
	struct rte_vfio_user_dev_info info;
	struct rte_vfio_user_region_info ri;
	uint32_t i;

	TEST_ASSERT_SUCCESS(rte_vfio_user_client_get_dev_info(cl, &info), "info");
	TEST_ASSERT_EQUAL(info.flags, RTE_VFIO_USER_DEV_F_PCI |
			  RTE_VFIO_USER_DEV_F_RESET, "flags");
	TEST_ASSERT_EQUAL(info.num_regions, 9, "regions");
	TEST_ASSERT_EQUAL(info.num_irqs, 5, "irqs");
	for (i = 0; i < 9; i++) {
		TEST_ASSERT_SUCCESS(rte_vfio_user_client_get_region_info(cl, i, &ri),
				    "region %u", i);
		if (ri.fd >= 0)
			close(ri.fd);
		if (i == 3 || i == 4 || i == 5 || i == 6 || i == 8)
			TEST_ASSERT(ri.size == 0 && ri.flags == 0, "absent %u", i);
		else
			TEST_ASSERT(ri.size != 0 && rte_is_power_of_2(ri.size),
				    "size of %u", i);
	}
	TEST_ASSERT_EQUAL(rte_vfio_user_client_get_region_info(cl, 9, &ri), -EINVAL,
			  "index 9");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_get_region_info(cl,
			RTE_VFIO_USER_PCI_CONFIG, &ri), "config");
	TEST_ASSERT_EQUAL(ri.size, 4096, "PCIe config space");
	return TEST_SUCCESS;
}

static int
test_region_info_sparse_mmap(void)
{
	struct vfio_user_region_info req = { .argsz = 32, .index = 2 }, rep;
	struct rte_vfio_user_region_info ri;
	size_t len = sizeof(rep);
	int fds[2], nfds = 2;
	volatile uint32_t *p;

	TEST_ASSERT_SUCCESS(rte_vfio_user_client_request(cl,
			VFIO_USER_DEVICE_GET_REGION_INFO, 0, &req, sizeof(req),
			NULL, 0, &rep, &len, fds, &nfds), "argsz 32");
	TEST_ASSERT_EQUAL(nfds, 0, "no fd when truncated");
	TEST_ASSERT_EQUAL(rep.argsz, 32 + 16 + 16, "full size reported");
	TEST_ASSERT_EQUAL(rep.flags & (1u << 3), 0, "CAPS clear");

	TEST_ASSERT_SUCCESS(rte_vfio_user_client_get_region_info(cl, 2, &ri), "full");
	TEST_ASSERT(ri.flags & RTE_VFIO_USER_REGION_F_MMAP, "MMAP");
	TEST_ASSERT(ri.fd >= 0, "one fd");
	TEST_ASSERT_EQUAL(ri.nr_areas, 1, "one area");
	TEST_ASSERT_EQUAL(ri.areas[0].offset, SAMPLE_BAR2_MMAP_OFFSET, "area offset");
	TEST_ASSERT_EQUAL(ri.areas[0].size, 4096, "area size");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ri.fd,
		 ri.offset + ri.areas[0].offset);
	TEST_ASSERT(p != MAP_FAILED, "mmap the area");
	*p = 0xa5a5a5a5;
	TEST_ASSERT_EQUAL(*(volatile uint32_t *)sample_dev_shared_page(sd),
			  0xa5a5a5a5, "device sees client writes");
	munmap((void *)(uintptr_t)p, 4096);
	close(ri.fd);
	return TEST_SUCCESS;
}

static int
test_config_space(void)
{
	uint8_t *cfg = malloc(4096);
	uint32_t v;

	TEST_ASSERT_SUCCESS(rte_vfio_user_client_region_read(cl,
			RTE_VFIO_USER_PCI_CONFIG, 0, cfg, 4096), "whole space");
	TEST_ASSERT_EQUAL(cfg[0] | cfg[1] << 8, SAMPLE_VENDOR_ID, "vendor");
	TEST_ASSERT_EQUAL(cfg[2] | cfg[3] << 8, SAMPLE_DEVICE_ID, "device");
	free(cfg);
	/* BAR0: 4 KiB 32-bit memory. */
	TEST_ASSERT_SUCCESS(cfg_write32(0x10, 0xffffffff), "size BAR0");
	TEST_ASSERT_SUCCESS(cfg_read32(0x10, &v), "read BAR0");
	TEST_ASSERT_EQUAL(v, 0xfffff000, "BAR0 size mask");
	TEST_ASSERT_SUCCESS(cfg_write32(0x10, 0xfebf0000), "place BAR0");
	TEST_ASSERT_SUCCESS(cfg_read32(0x10, &v), "read BAR0");
	TEST_ASSERT_EQUAL(v, 0xfebf0000, "address restored");
	/* BAR2: 8 KiB 64-bit. */
	TEST_ASSERT_SUCCESS(cfg_write32(0x18, 0xffffffff), "size BAR2 low");
	TEST_ASSERT_SUCCESS(cfg_read32(0x18, &v), "read");
	TEST_ASSERT_EQUAL(v, 0xffffe004, "BAR2 low: mask and 64-bit type");
	TEST_ASSERT_SUCCESS(cfg_write32(0x1c, 0xffffffff), "size BAR2 high");
	TEST_ASSERT_SUCCESS(cfg_read32(0x1c, &v), "read");
	TEST_ASSERT_EQUAL(v, 0xffffffff, "BAR2 high");
	/* Absent BAR and ROM. */
	TEST_ASSERT_SUCCESS(cfg_write32(0x20, 0xffffffff), "BAR4");
	TEST_ASSERT_SUCCESS(cfg_read32(0x20, &v), "read");
	TEST_ASSERT_EQUAL(v, 0, "no BAR4");
	TEST_ASSERT_SUCCESS(cfg_write32(0x30, 0xfffff800), "ROM");
	TEST_ASSERT_SUCCESS(cfg_read32(0x30, &v), "read");
	TEST_ASSERT_EQUAL(v, 0, "no ROM");
	/* Identity is read-only, COMMAND is stored. */
	TEST_ASSERT_SUCCESS(cfg_write32(0x0, 0x12341234), "ids");
	TEST_ASSERT_SUCCESS(cfg_read32(0x0, &v), "read");
	TEST_ASSERT_EQUAL(v, (uint32_t)SAMPLE_DEVICE_ID << 16 | SAMPLE_VENDOR_ID,
			  "ids RO");
	TEST_ASSERT_SUCCESS(cfg_write32(0x4, 0x0106), "command");
	TEST_ASSERT_SUCCESS(cfg_read32(0x4, &v), "read");
	TEST_ASSERT_EQUAL(v & 0xffff, 0x0106, "command stored");
	return TEST_SUCCESS;
}

static int
test_msix_capability(void)
{
	uint8_t cfg[256];
	uint32_t off, count, flags, tbl, pba;
	int hops = 0;

	TEST_ASSERT_SUCCESS(rte_vfio_user_client_region_read(cl,
			RTE_VFIO_USER_PCI_CONFIG, 0, cfg, sizeof(cfg)), "read");
	for (off = cfg[0x34]; off != 0 && cfg[off] != 0x11 && hops < 48; hops++)
		off = cfg[off + 1];
	TEST_ASSERT(off != 0 && cfg[off] == 0x11, "MSI-X capability found");
	TEST_ASSERT_EQUAL((cfg[off + 2] | cfg[off + 3] << 8) + 1,
			  SAMPLE_MSIX_VECTORS, "table size");
	memcpy(&tbl, &cfg[off + 4], 4);
	memcpy(&pba, &cfg[off + 8], 4);
	TEST_ASSERT(tbl == 1 && pba == (SAMPLE_PBA_OFFSET | 1), "BIR and offsets");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_get_irq_info(cl,
			RTE_VFIO_USER_PCI_MSIX, &count, &flags), "irq info");
	TEST_ASSERT_EQUAL(count, SAMPLE_MSIX_VECTORS, "vectors");
	TEST_ASSERT_EQUAL(flags, RTE_VFIO_USER_IRQ_F_EVENTFD, "no NORESIZE");
	pba = 0xffffffff;
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_region_write(cl, 1,
			SAMPLE_PBA_OFFSET, &pba, 4, false), "PBA write accepted");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_region_read(cl, 1,
			SAMPLE_PBA_OFFSET, &pba, 4), "PBA readable");
	TEST_ASSERT_EQUAL(pba, 0, "no vector pending, whatever was written");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_get_irq_info(cl,
			RTE_VFIO_USER_PCI_INTX, &count, &flags), "INTx");
	TEST_ASSERT_EQUAL(count, 0, "no INTx with pin 0");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_get_irq_info(cl, 5, &count, &flags),
			  -EINVAL, "bad index");
	return TEST_SUCCESS;
}

static int
test_region_access_bounds(void)
{
	struct vfio_user_region_access ra = { .offset = 4092, .region = 0,
					      .count = 8 };
	int sock = rte_vfio_user_client_socket(cl);
	uint8_t buf[20] = { 0 };
	uint32_t v;

	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_REGION_READ, &ra, 16, NULL, 0),
			  EINVAL, "read across the end");
	ra.offset = UINT64_MAX - 3;
	ra.count = 8;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_REGION_READ, &ra, 16, NULL, 0),
			  EINVAL, "offset wraps");
	ra.offset = 0;
	ra.count = RTE_VFIO_USER_MAX_DATA_XFER + 1;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_REGION_READ, &ra, 16, NULL, 0),
			  EINVAL, "count above max_data_xfer_size");
	ra.count = 4;
	ra.region = 3;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_REGION_READ, &ra, 16, NULL, 0),
			  EINVAL, "absent region");
	ra.region = 100;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_REGION_READ, &ra, 16, NULL, 0),
			  EINVAL, "region out of range");
	ra.region = 0;
	ra.count = 8;
	memcpy(buf, &ra, 16);
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_REGION_WRITE, buf, 16 + 4, NULL, 0),
			  EINVAL, "write payload shorter than count");
	TEST_ASSERT_EQUAL(rte_vfio_user_client_region_read(cl, 0, 1, &v, 4),
			  -EINVAL, "device refuses unaligned register access");
	TEST_ASSERT_SUCCESS(bar0_read32(SAMPLE_REG_COUNTER, &v), "counter");
	TEST_ASSERT_EQUAL(v, 1, "first read");
	return TEST_SUCCESS;
}

static int
test_region_write_multi(void)
{
	struct {
		uint64_t cnt;
		struct vfio_user_write_multi_entry e[2];
	} wm = { .cnt = 2 };
	int sock = rte_vfio_user_client_socket(cl);
	struct rte_vfio_user_client *c2;
	uint32_t v = 0x77, w = 0x88;
	uint64_t done = 0;
	size_t len = sizeof(done);

	wm.e[0] = (struct vfio_user_write_multi_entry){ .offset = 4, .count = 4 };
	memcpy(wm.e[0].data, &v, 4);
	wm.e[1] = (struct vfio_user_write_multi_entry){ .offset = 0x10, .count = 4 };
	memcpy(wm.e[1].data, &w, 4);
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_REGION_WRITE_MULTI, &wm,
				  sizeof(wm), NULL, 0), EINVAL, "not negotiated");
	rte_vfio_user_client_detach(cl);
	cl = NULL;
	TEST_ASSERT_SUCCESS(wait_for(server_idle), "detached");
	c2 = rte_vfio_user_client_attach(sock_path, &(struct rte_vfio_user_client_conf){
		.caps_json = "{\"capabilities\":{\"write_multiple\":true}}" });
	TEST_ASSERT_NOT_NULL(c2, "attach with write_multiple");
	cl = c2;
	TEST_ASSERT(rte_vfio_user_client_server_caps(cl)->write_multiple, "granted");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_request(cl,
			VFIO_USER_REGION_WRITE_MULTI, 0, &wm, sizeof(wm), NULL, 0,
			&done, &len, NULL, NULL), "write multi");
	TEST_ASSERT_EQUAL(done, 2, "both done");
	TEST_ASSERT_SUCCESS(bar0_read32(SAMPLE_REG_SCRATCH, &v), "scratch");
	TEST_ASSERT_EQUAL(v, 0x77, "first write");
	TEST_ASSERT_SUCCESS(bar0_read32(SAMPLE_REG_DMA_ADDR, &v), "dma addr");
	TEST_ASSERT_EQUAL(v, 0x88, "second write");
	wm.cnt = 3;
	TEST_ASSERT_EQUAL(rte_vfio_user_client_request(cl,
			VFIO_USER_REGION_WRITE_MULTI, 0, &wm, sizeof(wm), NULL, 0,
			NULL, NULL, NULL, NULL), -EINVAL, "count beyond payload");
	wm.cnt = 2;
	wm.e[1].count = 9;
	TEST_ASSERT_EQUAL(rte_vfio_user_client_request(cl,
			VFIO_USER_REGION_WRITE_MULTI, 0, &wm, sizeof(wm), NULL, 0,
			NULL, NULL, NULL, NULL), -EINVAL, "entry count above 8");
	return TEST_SUCCESS;
}

static int
test_unsupported_commands(void)
{
	struct vfio_user_region_io_fds io = { .argsz = 16, .index = 0 };
	struct vfio_user_device_feature f = { .argsz = 8,
		.flags = 1 | VFIO_USER_DEVICE_FEATURE_PROBE |
			 VFIO_USER_DEVICE_FEATURE_GET };
	int sock = rte_vfio_user_client_socket(cl);
	uint32_t mig[2] = { 8, 0 };

	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DEVICE_GET_REGION_IO_FDS, &io,
				  16, NULL, 0), ENOTSUP, "IO fds");
	io.flags = 1;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DEVICE_GET_REGION_IO_FDS, &io,
				  16, NULL, 0), EINVAL, "IO fds bad flags");
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DEVICE_FEATURE, &f, 8, NULL, 0),
			  ENOTSUP, "migration probe");
	f.flags = 1 | VFIO_USER_DEVICE_FEATURE_GET | VFIO_USER_DEVICE_FEATURE_SET;
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DEVICE_FEATURE, &f, 8, NULL, 0),
			  EINVAL, "GET and SET without PROBE");
	TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_MIG_DATA_READ, mig, 8, NULL, 0),
			  ENOTSUP, "MIG_DATA_READ");
	return TEST_SUCCESS;
}

/*
 * Interrupts
 */

static bool
fd_signalled(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t v;

	if (poll(&p, 1, 1000) != 1)
		return false;
	return read(fd, &v, 8) == 8 && v >= 1;
}

static int
test_irq_bind_trigger(void)
{
	int e[4], i, before;
	const int none[1] = { -1 };

	for (i = 0; i < 4; i++)
		e[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	/* QEMU's MSI-X enable: vector 0, no fd. */
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irq_eventfds(cl,
			RTE_VFIO_USER_PCI_MSIX, 0, 1, none), "enable, no fd");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irq_eventfds(cl,
			RTE_VFIO_USER_PCI_MSIX, 0, 4, e), "bind 4");
	TEST_ASSERT_SUCCESS(bar0_write32(SAMPLE_REG_IRQ, 2, false), "raise 2");
	TEST_ASSERT(fd_signalled(e[2]), "vector 2 fired");
	TEST_ASSERT(!fd_signalled(e[1]), "vector 1 did not");
	before = test_count_fds();
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irq_eventfds(cl,
			RTE_VFIO_USER_PCI_MSIX, 2, 1, &e[3]), "replace 2");
	TEST_ASSERT_EQUAL(test_count_fds(), before, "old fd closed, new one kept");
	TEST_ASSERT_SUCCESS(bar0_write32(SAMPLE_REG_IRQ, 2, false), "raise 2");
	TEST_ASSERT(fd_signalled(e[3]), "the new fd fired");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irq_eventfds(cl,
			RTE_VFIO_USER_PCI_MSIX, 2, 1, none), "de-assign 2");
	TEST_ASSERT(!rte_vfio_user_irq_is_bound(sample_dev_id(sd),
			RTE_VFIO_USER_PCI_MSIX, 2), "unbound");
	TEST_ASSERT_EQUAL(rte_vfio_user_irq_trigger(sample_dev_id(sd),
			RTE_VFIO_USER_PCI_MSIX, 2), -ENOENT, "held: no fd");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irq_eventfds(cl,
			RTE_VFIO_USER_PCI_MSIX, 2, 1, &e[1]), "bind 2 again");
	TEST_ASSERT(fd_signalled(e[1]), "the held interrupt, on the bind");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irq_eventfds(cl,
			RTE_VFIO_USER_PCI_MSIX, 2, 1, &e[1]), "bind 2 once more");
	TEST_ASSERT(!fd_signalled(e[1]), "delivered once");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irqs(cl, RTE_VFIO_USER_PCI_MSIX,
			VFIO_USER_IRQ_SET_DATA_NONE | VFIO_USER_IRQ_SET_ACTION_MASK,
			0, 1, NULL), "mask 0");
	TEST_ASSERT_EQUAL(rte_vfio_user_irq_trigger(sample_dev_id(sd),
			RTE_VFIO_USER_PCI_MSIX, 0), -EAGAIN, "held: masked");
	TEST_ASSERT(!fd_signalled(e[0]), "not while masked");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irqs(cl, RTE_VFIO_USER_PCI_MSIX,
			VFIO_USER_IRQ_SET_DATA_NONE | VFIO_USER_IRQ_SET_ACTION_UNMASK,
			0, 1, NULL), "unmask 0");
	TEST_ASSERT(fd_signalled(e[0]), "the held interrupt, on the unmask");
	TEST_ASSERT_SUCCESS(rte_vfio_user_irq_trigger(sample_dev_id(sd),
			RTE_VFIO_USER_PCI_MSIX, 0), "unmasked");
	TEST_ASSERT(fd_signalled(e[0]), "vector 0 fired");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irqs(cl, RTE_VFIO_USER_PCI_MSIX,
			VFIO_USER_IRQ_SET_DATA_NONE | VFIO_USER_IRQ_SET_ACTION_TRIGGER,
			0, 0, NULL), "disable the index");
	TEST_ASSERT(!rte_vfio_user_irq_is_bound(sample_dev_id(sd),
			RTE_VFIO_USER_PCI_MSIX, 0), "all unbound");
	TEST_ASSERT_EQUAL(rte_vfio_user_irq_trigger(sample_dev_id(sd),
			RTE_VFIO_USER_PCI_MSIX, 1), -ENOENT, "held: no fd");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irqs(cl, RTE_VFIO_USER_PCI_MSIX,
			VFIO_USER_IRQ_SET_DATA_NONE | VFIO_USER_IRQ_SET_ACTION_TRIGGER,
			0, 0, NULL), "disable the index again");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irq_eventfds(cl,
			RTE_VFIO_USER_PCI_MSIX, 1, 1, &e[1]), "bind 1");
	TEST_ASSERT(!fd_signalled(e[1]), "disabling dropped what was held");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irqs(cl, RTE_VFIO_USER_PCI_MSIX,
			VFIO_USER_IRQ_SET_DATA_NONE | VFIO_USER_IRQ_SET_ACTION_TRIGGER,
			0, 0, NULL), "disable the index");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irqs(cl, RTE_VFIO_USER_PCI_INTX,
			VFIO_USER_IRQ_SET_DATA_NONE | VFIO_USER_IRQ_SET_ACTION_TRIGGER,
			0, 0, NULL), "disable an index without vectors (found by fuzzing)");
	for (i = 0; i < 4; i++)
		close(e[i]);
	return TEST_SUCCESS;
}

static int
test_irq_set_errors(void)
{
	int sock = rte_vfio_user_client_socket(cl), e[3], before, i;
	struct {
		struct vfio_user_irq_set s;
		uint8_t data[4];
	} m;
	const struct {
		uint32_t flags, index, start, count, argsz_extra, nfds;
		const char *what;
	} bad[] = {
		{ 0x09 | 0x10, 2, 0, 1, 0, 0, "MASK and UNMASK" },
		{ 0x01 | 0x02 | 0x20, 2, 0, 1, 0, 0, "NONE and BOOL" },
		{ 0x20, 2, 0, 1, 0, 0, "no data flag" },
		{ 0x01, 2, 0, 1, 0, 0, "no action flag" },
		{ 0x24, 7, 0, 1, 0, 1, "bad index" },
		{ 0x24, 2, 3, 2, 0, 2, "start + count beyond" },
		{ 0x24, 2, 0, 3, 0, 2, "fd count differs" },
		{ 0x21, 2, 0, 1, 0, 1, "fds with DATA_NONE" },
		{ 0x22, 2, 0, 2, 1, 0, "BOOL size wrong" },
		{ 0x124, 2, 0, 1, 0, 1, "unknown flag" },
	};
	unsigned int k;

	for (i = 0; i < 3; i++)
		e[i] = eventfd(0, EFD_CLOEXEC);
	before = test_count_fds();
	for (k = 0; k < RTE_DIM(bad); k++) {
		memset(&m, 0, sizeof(m));
		m.s.flags = bad[k].flags;
		m.s.index = bad[k].index;
		m.s.start = bad[k].start;
		m.s.count = bad[k].count;
		m.s.argsz = 20 + bad[k].argsz_extra;
		TEST_ASSERT_EQUAL(raw_cmd(sock, VFIO_USER_DEVICE_SET_IRQS, &m,
					  m.s.argsz, e, bad[k].nfds), EINVAL,
				  "%s", bad[k].what);
	}
	TEST_ASSERT_EQUAL(test_count_fds(), before, "every fd closed");
	for (i = 0; i < 3; i++)
		close(e[i]);
	return TEST_SUCCESS;
}

/*
 * Reset, disconnect, reconnect
 */

static int
test_reset_keeps_maps(void)
{
	uint32_t v;

	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(cl, 0x100000, 0x1000, -1,
			0, RTE_VFIO_USER_PROT_READ), "map");
	TEST_ASSERT_SUCCESS(bar0_write32(SAMPLE_REG_SCRATCH, 0x55, false), "write");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_reset(cl), "reset");
	TEST_ASSERT_EQUAL(sample_dev_resets(sd), 1, "device reset callback");
	TEST_ASSERT_SUCCESS(bar0_read32(SAMPLE_REG_SCRATCH, &v), "read");
	TEST_ASSERT_EQUAL(v, 0, "device state reset");
	TEST_ASSERT_EQUAL(table()->nregions, 1, "DMA maps survive reset");
	return TEST_SUCCESS;
}

static int
test_disconnect_releases_session(void)
{
	uint8_t *va;
	int fd = guest_mem(0x10000, &va), e = eventfd(0, EFD_CLOEXEC);
	uint32_t v;

	TEST_ASSERT_SUCCESS(rte_vfio_user_client_dma_map(cl, 0x100000, 0x10000, fd,
			0, RTE_VFIO_USER_PROT_READ), "map");
	TEST_ASSERT_SUCCESS(rte_vfio_user_client_set_irq_eventfds(cl,
			RTE_VFIO_USER_PCI_MSIX, 1, 1, &e), "bind");
	TEST_ASSERT_SUCCESS(bar0_write32(SAMPLE_REG_SCRATCH, 0x66, false), "state");
	rte_vfio_user_client_detach(cl);
	cl = NULL;
	TEST_ASSERT_SUCCESS(wait_for(server_idle), "server saw it");
	TEST_ASSERT_EQUAL(table()->nregions, 0, "maps released");
	TEST_ASSERT(!rte_vfio_user_irq_is_bound(sample_dev_id(sd),
			RTE_VFIO_USER_PCI_MSIX, 1), "irq fds released");
	cl = rte_vfio_user_client_attach(sock_path, NULL);
	TEST_ASSERT_NOT_NULL(cl, "next client");
	TEST_ASSERT_SUCCESS(bar0_read32(SAMPLE_REG_SCRATCH, &v), "read");
	TEST_ASSERT_EQUAL(v, 0x66, "device state kept");
	munmap(va, 0x10000);
	close(fd);
	close(e);
	return TEST_SUCCESS;
}

static int
test_disconnect_mid_message(void)
{
	struct vfio_user_header h = { .msg_id = 1, .cmd = VFIO_USER_REGION_WRITE,
				      .msg_size = 16 + 16 + 64 };
	int fd;

	rte_vfio_user_client_detach(cl);
	cl = NULL;
	TEST_ASSERT_SUCCESS(wait_for(server_idle), "detached");
	fd = vu_raw_negotiated(sock_path);
	TEST_ASSERT(fd >= 0, "negotiated");
	TEST_ASSERT(send(fd, &h, sizeof(h), 0) == sizeof(h), "header");
	TEST_ASSERT(send(fd, &h, 8, 0) == 8, "some payload");
	close(fd);
	usleep(50000);
	cl = rte_vfio_user_client_attach(sock_path, NULL);
	TEST_ASSERT_NOT_NULL(cl, "server still serves");
	return TEST_SUCCESS;
}

static int
test_no_fd_leaks(void)
{
	TEST_ASSERT_EQUAL(fd_leaks, 0, "cases leaked fds");
	return TEST_SUCCESS;
}

/*
 * The client side against a hostile server: after VERSION, every request
 * gets only stray replies (wrong ids), one every 20 ms. The request must
 * fail at its deadline, which the strays do not extend.
 */
static struct {
	int listen_fd;
	volatile bool stop;
} evil;

static void *
evil_server(void *arg __rte_unused)
{
	struct vfio_user_header h;
	uint8_t buf[512];
	uint16_t v[2] = { 0, 0 };
	int fd = accept(evil.listen_fd, NULL, NULL), i = 0;

	if (fd < 0)
		return NULL;
	if (vu_raw_recv(fd, &h, buf, sizeof(buf), 2000) >= 0)
		vu_raw_send(fd, h.msg_id, VFIO_USER_VERSION,
			    VFIO_USER_F_TYPE_REPLY, 0, v, 4, NULL, 0);
	if (vu_raw_recv(fd, &h, buf, sizeof(buf), 2000) >= 0)
		while (!evil.stop &&
		       vu_raw_send(fd, h.msg_id + 1 + i++, h.cmd,
				   VFIO_USER_F_TYPE_REPLY, 0, NULL, 0, NULL,
				   0) == 0)
			usleep(20000);
	close(fd);
	return NULL;
}

static int
test_client_stray_replies(void)
{
	const struct rte_vfio_user_client_conf conf = { .timeout_ms = 300 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct rte_vfio_user_dev_info info;
	struct rte_vfio_user_client *c;
	struct timespec t0, t1;
	pthread_t th;
	int rc, ms;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/evil.sock",
		 test_tmpdir());
	evil.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	evil.stop = false;
	TEST_ASSERT(evil.listen_fd >= 0 &&
		    bind(evil.listen_fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
		    listen(evil.listen_fd, 1) == 0, "listen");
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, evil_server, NULL),
			"server");
	c = rte_vfio_user_client_attach(sa.sun_path, &conf);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = c != NULL ? rte_vfio_user_client_get_dev_info(c, &info) : -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	evil.stop = true;
	pthread_join(th, NULL);
	rte_vfio_user_client_detach(c);
	close(evil.listen_fd);
	unlink(sa.sun_path);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	TEST_ASSERT_NOT_NULL(c, "attached");
	TEST_ASSERT_EQUAL(rc, -ETIMEDOUT, "the request times out");
	TEST_ASSERT(ms < 1000, "at its deadline, not later (%d ms)", ms);
	return 0;
}

static const struct unit_test_case vfio_user_cases[] = {
	{ "version_caps", test_version_caps },
	{ "version_negotiation", test_version_negotiation },
	{ "first_message_not_version", test_first_message_not_version },
	{ "framing_split_message", test_framing_split_message },
	{ "framing_bad_sizes", test_framing_bad_sizes },
	{ "framing_bad_commands", test_framing_bad_commands },
	{ "framing_no_reply", test_framing_no_reply },
	{ "framing_rejected_fds_closed", test_framing_rejected_fds_closed },
	{ "framing_ordering", test_framing_ordering },
	{ "second_client_refused", test_second_client_refused },
	{ "dma_map_translate", test_dma_map_translate },
	{ "dma_map_errors", test_dma_map_errors },
	{ "dma_unmap", test_dma_unmap },
	{ "dma_max_maps", test_dma_max_maps },
	{ "dma_unmap_waits_for_readers", test_dma_unmap_waits_for_readers },
	{ "device_and_region_info", test_device_and_region_info },
	{ "region_info_sparse_mmap", test_region_info_sparse_mmap },
	{ "config_space", test_config_space },
	{ "msix_capability", test_msix_capability },
	{ "region_access_bounds", test_region_access_bounds },
	{ "region_write_multi", test_region_write_multi },
	{ "unsupported_commands", test_unsupported_commands },
	{ "irq_bind_trigger", test_irq_bind_trigger },
	{ "irq_set_errors", test_irq_set_errors },
	{ "reset_keeps_maps", test_reset_keeps_maps },
	{ "disconnect_releases_session", test_disconnect_releases_session },
	{ "disconnect_mid_message", test_disconnect_mid_message },
	{ NULL, NULL },
};

static int
test_vfio_user(void)
{
	static const struct unit_test_case leak_case[] = {
		{ "no_fd_leaks", test_no_fd_leaks },
		{ NULL, NULL },
	};
	static const struct unit_test_case client_cases[] = {
		{ "client_stray_replies", test_client_stray_replies },
		{ NULL, NULL },
	};
	int rc;

	rc = unit_test_suite_run("vfio_user", vfio_user_cases, setup, teardown);
	if (unit_test_suite_run("vfio_user_client", client_cases, NULL,
				NULL) != 0)
		rc = TEST_FAILED;
	if (unit_test_suite_run("vfio_user_leaks", leak_case, NULL, NULL) != 0)
		rc = TEST_FAILED;
	return rc;
}

REGISTER_TEST_COMMAND(vfio_user_autotest, test_vfio_user);
