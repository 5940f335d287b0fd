/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Client side: what a VMM, a client PMD or a test needs to drive a device
 * served over vfio-user. Replies are matched by id and command; server
 * commands (DMA_READ/DMA_WRITE) arriving meanwhile are served in place.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "vfio_user_internal.h"

#define HDR_SIZE sizeof(struct vfio_user_header)
#define DEFAULT_TIMEOUT_MS 5000
#define REGION_INFO_MAX 4096

struct rte_vfio_user_client {
	int sock;
	uint16_t next_id;
	struct vfio_user_rx rx;
	struct rte_vfio_user_client_conf conf;
	struct rte_vfio_user_server_caps caps;
};

static const char default_caps[] =
	"{\"capabilities\":{\"max_msg_fds\":16,\"max_data_xfer_size\":1048576}}";

int
rte_vfio_user_client_socket(const struct rte_vfio_user_client *c)
{
	return c ? c->sock : -1;
}

const struct rte_vfio_user_server_caps *
rte_vfio_user_client_server_caps(const struct rte_vfio_user_client *c)
{
	return c ? &c->caps : NULL;
}

/* Serve one DMA_READ/DMA_WRITE from the server. */
static void
serve_dma(struct rte_vfio_user_client *c, struct vfio_user_msg *m)
{
	size_t hdr_len = c->conf.qemu_dma_rw_layout ?
		VFIO_USER_DMA_RW_QEMU_HDR : sizeof(struct vfio_user_dma_rw);
	bool is_write = m->hdr.cmd == VFIO_USER_DMA_WRITE;
	uint64_t iova, count = 0;
	uint8_t *out = NULL;
	int rc;

	if (m->len < hdr_len || m->nfds > 0) {
		rc = -EINVAL;
		goto err;
	}
	memcpy(&iova, m->payload, 8);
	memcpy(&count, m->payload + 8, hdr_len - 8);
	if (count > RTE_VFIO_USER_MAX_DATA_XFER) {
		rc = -E2BIG;
		goto err;
	}
	if (m->len != hdr_len + (is_write ? count : 0)) {
		rc = -EINVAL;
		goto err;
	}
	out = malloc(hdr_len + (is_write ? 0 : count));
	if (out == NULL) {
		rc = -ENOMEM;
		goto err;
	}
	memcpy(out, m->payload, hdr_len);
	if (c->conf.dma_rw == NULL)
		rc = -EFAULT;
	else if (is_write)
		rc = c->conf.dma_rw(c->conf.dma_rw_arg, iova,
				m->payload + hdr_len, count, true);
	else
		rc = c->conf.dma_rw(c->conf.dma_rw_arg, iova, out + hdr_len,
				count, false);
	if (rc < 0)
		goto err;
	vfio_user_send_reply(c->sock, &m->hdr, out,
			hdr_len + (is_write ? 0 : count), NULL, 0);
	free(out);
	return;
err:
	free(out);
	vfio_user_send_error(c->sock, &m->hdr, -rc);
}

static void
serve_command(struct rte_vfio_user_client *c, struct vfio_user_msg *m)
{
	if (m->hdr.cmd == VFIO_USER_DMA_READ || m->hdr.cmd == VFIO_USER_DMA_WRITE)
		serve_dma(c, m);
	else if (!(m->hdr.flags & VFIO_USER_F_NO_REPLY))
		vfio_user_send_error(c->sock, &m->hdr, ENOSYS);
}

/* Wait for the reply to (id, cmd), serving server commands meanwhile. */
static int
wait_reply(struct rte_vfio_user_client *c, uint16_t id, uint16_t cmd,
		struct vfio_user_msg *out)
{
	struct timespec deadline;
	struct vfio_user_msg m;
	int rc;

	/* One deadline for the request: stray messages do not extend it. */
	vfio_user_deadline_in(&deadline, c->conf.timeout_ms);
	for (;;) {
		rc = vfio_user_recv_msg(c->sock, &c->rx, &m, VFIO_USER_MAX_MSG,
				&deadline);
		if (rc < 0)
			return rc;
		if ((m.hdr.flags & VFIO_USER_F_TYPE_MASK) == VFIO_USER_F_TYPE_COMMAND) {
			serve_command(c, &m);
		} else if (m.hdr.msg_id == id && m.hdr.cmd == cmd) {
			*out = m;
			return 0;
		} else {
			VFIO_USER_LOG_RL(WARNING, "stray reply id %u cmd %u",
					m.hdr.msg_id, m.hdr.cmd);
		}
		vfio_user_msg_free(&m);
	}
}

int
rte_vfio_user_client_request(struct rte_vfio_user_client *c, uint16_t cmd,
		uint32_t flags, const void *payload, size_t len, const int *fds,
		int nfds, void *reply, size_t *reply_len, int *reply_fds,
		int *nreply_fds)
{
	struct vfio_user_header hdr = {
		.cmd = cmd,
		.flags = flags,
	};
	struct vfio_user_msg m;
	int rc, i, keep;

	if (c == NULL || len > VFIO_USER_MAX_PAYLOAD || (len && !payload))
		return -EINVAL;
	hdr.msg_id = c->next_id++;
	hdr.msg_size = HDR_SIZE + len;
	rc = vfio_user_send(c->sock, &hdr, payload, len, fds, nfds);
	if (rc < 0 || (flags & VFIO_USER_F_NO_REPLY))
		return rc;
	rc = wait_reply(c, hdr.msg_id, cmd, &m);
	if (rc < 0)
		return rc;
	if (m.hdr.flags & VFIO_USER_F_ERROR) {
		rc = m.hdr.error_no ? -(int)m.hdr.error_no : -EIO;
		vfio_user_msg_free(&m);
		return rc;
	}
	if (reply_len != NULL) {
		size_t n = RTE_MIN(*reply_len, (size_t)m.len);

		if (n > 0)
			memcpy(reply, m.payload, n);
		*reply_len = m.len;
	}
	keep = nreply_fds ? RTE_MIN(*nreply_fds, m.nfds) : 0;
	for (i = 0; i < keep; i++)
		reply_fds[i] = vfio_user_msg_take_fd(&m, i);
	if (nreply_fds != NULL)
		*nreply_fds = keep;
	vfio_user_msg_free(&m);
	return 0;
}

static int
negotiate(struct rte_vfio_user_client *c)
{
	const char *caps = c->conf.caps_json ? c->conf.caps_json : default_caps;
	size_t clen = strlen(caps) + 1, rlen = VFIO_USER_MAX_PAYLOAD;
	struct vfio_user_version *v, *r;
	int rc;

	v = malloc(sizeof(*v) + clen);
	r = malloc(rlen);
	if (v == NULL || r == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	v->major = VFIO_USER_MAJOR;
	v->minor = VFIO_USER_MINOR;
	memcpy(v->caps, caps, clen);
	rc = rte_vfio_user_client_request(c, VFIO_USER_VERSION, 0, v,
			sizeof(*v) + clen, NULL, 0, r, &rlen, NULL, NULL);
	if (rc < 0)
		goto out;
	if (rlen < sizeof(*r) || rlen > VFIO_USER_MAX_PAYLOAD ||
	    r->major != VFIO_USER_MAJOR || r->minor > VFIO_USER_MINOR) {
		rc = -EPROTO;
		goto out;
	}
	rc = vfio_user_parse_server_caps(&c->caps, r->caps, rlen - sizeof(*r));
	c->caps.major = r->major;
	c->caps.minor = r->minor;
out:
	free(v);
	free(r);
	return rc;
}

struct rte_vfio_user_client *
rte_vfio_user_client_attach(const char *path,
		const struct rte_vfio_user_client_conf *conf)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct rte_vfio_user_client *c;
	int rc;

	if (path == NULL || strlen(path) >= sizeof(sa.sun_path)) {
		rte_errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	if (conf != NULL)
		c->conf = *conf;
	if (c->conf.timeout_ms == 0)
		c->conf.timeout_ms = DEFAULT_TIMEOUT_MS;
	vfio_user_rx_init(&c->rx);
	strcpy(sa.sun_path, path);
	c->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->sock < 0 ||
	    connect(c->sock, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    fcntl(c->sock, F_SETFL, O_NONBLOCK) < 0) {
		rc = -errno;
		goto err;
	}
	rc = negotiate(c);
	if (rc < 0)
		goto err;
	return c;
err:
	if (c->sock >= 0)
		close(c->sock);
	free(c);
	rte_errno = -rc;
	return NULL;
}

void
rte_vfio_user_client_detach(struct rte_vfio_user_client *c)
{
	if (c == NULL)
		return;
	vfio_user_rx_reset(&c->rx);
	close(c->sock);
	free(c);
}

int
rte_vfio_user_client_get_dev_info(struct rte_vfio_user_client *c,
		struct rte_vfio_user_dev_info *info)
{
	struct vfio_user_device_info req = { .argsz = sizeof(req) }, rep;
	size_t len = sizeof(rep);
	int rc;

	rc = rte_vfio_user_client_request(c, VFIO_USER_DEVICE_GET_INFO, 0,
			&req, sizeof(req), NULL, 0, &rep, &len, NULL, NULL);
	if (rc < 0)
		return rc;
	if (len != sizeof(rep))
		return -EPROTO;
	info->flags = rep.flags;
	info->num_regions = rep.num_regions;
	info->num_irqs = rep.num_irqs;
	return 0;
}

/* Walk the capability chain for the sparse-mmap areas. */
static int
parse_region_caps(const uint8_t *buf, size_t len, uint32_t off,
		struct rte_vfio_user_region_info *info)
{
	int hops;

	for (hops = 0; off != 0 && hops < 16; hops++) {
		struct vfio_user_cap_header h;

		if (off < sizeof(struct vfio_user_region_info) ||
		    off > len || len - off < sizeof(h))
			return -EPROTO;
		memcpy(&h, buf + off, sizeof(h));
		if (h.id == VFIO_USER_CAP_SPARSE_MMAP) {
			struct vfio_user_cap_sparse_mmap sm;

			if (len - off < sizeof(sm))
				return -EPROTO;
			memcpy(&sm, buf + off, sizeof(sm));
			if (sm.nr_areas > RTE_VFIO_USER_MAX_SPARSE_AREAS ||
			    len - off - sizeof(sm) <
			    sm.nr_areas * sizeof(struct vfio_user_sparse_area))
				return -EPROTO;
			memcpy(info->areas, buf + off + sizeof(sm),
			       sm.nr_areas * sizeof(info->areas[0]));
			info->nr_areas = sm.nr_areas;
		}
		off = h.next;
	}
	return off == 0 ? 0 : -EPROTO;
}

int
rte_vfio_user_client_get_region_info(struct rte_vfio_user_client *c,
		uint32_t index, struct rte_vfio_user_region_info *info)
{
	struct vfio_user_region_info req = { .index = index }, rep;
	uint32_t argsz = sizeof(req) + 256;
	uint8_t buf[REGION_INFO_MAX];
	int rc, fd = -1, nfds;
	size_t len;

	for (;;) {
		req.argsz = argsz;
		len = sizeof(buf);
		nfds = 1;
		fd = -1;
		rc = rte_vfio_user_client_request(c,
				VFIO_USER_DEVICE_GET_REGION_INFO, 0, &req,
				sizeof(req), NULL, 0, buf, &len, &fd, &nfds);
		if (rc < 0)
			return rc;
		if (len < sizeof(rep) || len > sizeof(buf))
			goto proto;
		memcpy(&rep, buf, sizeof(rep));
		if (rep.argsz <= argsz)
			break;
		if (fd >= 0)
			close(fd);
		if (rep.argsz > REGION_INFO_MAX)
			return -EPROTO;
		argsz = rep.argsz;
	}
	memset(info, 0, sizeof(*info));
	info->index = rep.index;
	info->flags = rep.flags & (RTE_VFIO_USER_REGION_F_READ |
				   RTE_VFIO_USER_REGION_F_WRITE |
				   RTE_VFIO_USER_REGION_F_MMAP);
	info->size = rep.size;
	info->offset = rep.offset;
	info->fd = -1;
	if ((rep.flags & RTE_VFIO_USER_REGION_F_MMAP) && fd < 0)
		goto proto;
	if ((rep.flags & (1u << 3)) &&
	    parse_region_caps(buf, len, rep.cap_offset, info) < 0)
		goto proto;
	info->fd = fd;
	return 0;
proto:
	if (fd >= 0)
		close(fd);
	return -EPROTO;
}

int
rte_vfio_user_client_get_irq_info(struct rte_vfio_user_client *c,
		uint32_t index, uint32_t *count, uint32_t *flags)
{
	struct vfio_user_irq_info req = { .argsz = sizeof(req), .index = index };
	struct vfio_user_irq_info rep;
	size_t len = sizeof(rep);
	int rc;

	rc = rte_vfio_user_client_request(c, VFIO_USER_DEVICE_GET_IRQ_INFO, 0,
			&req, sizeof(req), NULL, 0, &rep, &len, NULL, NULL);
	if (rc < 0)
		return rc;
	if (len != sizeof(rep))
		return -EPROTO;
	*count = rep.count;
	*flags = rep.flags;
	return 0;
}

int
rte_vfio_user_client_dma_map(struct rte_vfio_user_client *c, uint64_t iova,
		uint64_t size, int fd, uint64_t fd_offset, uint32_t prot)
{
	struct vfio_user_dma_map m = {
		.argsz = sizeof(m),
		.offset = fd >= 0 ? fd_offset : 0,
		.addr = iova,
		.size = size,
	};

	if (prot & RTE_VFIO_USER_PROT_READ)
		m.flags |= VFIO_USER_DMA_F_READ;
	if (prot & RTE_VFIO_USER_PROT_WRITE)
		m.flags |= VFIO_USER_DMA_F_WRITE;
	return rte_vfio_user_client_request(c, VFIO_USER_DMA_MAP, 0, &m,
			sizeof(m), fd >= 0 ? &fd : NULL, fd >= 0 ? 1 : 0,
			NULL, NULL, NULL, NULL);
}

int
rte_vfio_user_client_dma_unmap(struct rte_vfio_user_client *c, uint64_t iova,
		uint64_t size, bool all)
{
	struct vfio_user_dma_unmap u = {
		.argsz = sizeof(u),
		.flags = all ? VFIO_USER_UNMAP_F_ALL : 0,
		.addr = iova,
		.size = size,
	}, rep;
	size_t len = sizeof(rep);
	int rc;

	rc = rte_vfio_user_client_request(c, VFIO_USER_DMA_UNMAP, 0, &u,
			sizeof(u), NULL, 0, &rep, &len, NULL, NULL);
	if (rc < 0)
		return rc;
	return len == sizeof(rep) ? 0 : -EPROTO;
}

static int
send_irq_set(struct rte_vfio_user_client *c, uint32_t index, uint32_t flags,
		uint32_t start, uint32_t count, const int *fds, int nfds,
		const uint8_t *bools)
{
	size_t blen = bools ? count : 0;
	struct vfio_user_irq_set *s;
	int rc;

	s = malloc(sizeof(*s) + blen);
	if (s == NULL)
		return -ENOMEM;
	s->argsz = sizeof(*s) + blen;
	s->flags = flags;
	s->index = index;
	s->start = start;
	s->count = count;
	if (blen)
		memcpy(s->data, bools, blen);
	rc = rte_vfio_user_client_request(c, VFIO_USER_DEVICE_SET_IRQS, 0, s,
			s->argsz, fds, nfds, NULL, NULL, NULL, NULL);
	free(s);
	return rc;
}

/* Length of the run from fds[0] whose members are all valid or all -1. */
static uint32_t
same_validity_run(const int *fds, uint32_t n)
{
	uint32_t i;

	for (i = 1; i < n; i++)
		if ((fds[i] >= 0) != (fds[0] >= 0))
			break;
	return i;
}

int
rte_vfio_user_client_set_irq_eventfds(struct rte_vfio_user_client *c,
		uint32_t index, uint32_t start, uint32_t count, const int *fds)
{
	const uint32_t flags = VFIO_USER_IRQ_SET_DATA_EVENTFD |
			       VFIO_USER_IRQ_SET_ACTION_TRIGGER;
	uint32_t max, done = 0, n;
	int rc;

	if (c == NULL)
		return -EINVAL;
	if (fds == NULL || count == 0)
		return send_irq_set(c, index, flags, start, count, NULL, 0, NULL);
	max = RTE_MIN(RTE_MAX(c->caps.max_msg_fds, 1u),
		      (uint32_t)RTE_VFIO_USER_MAX_MSG_FDS);
	/* Each message carries all valid fds or none, at most max of them. */
	while (done < count) {
		n = RTE_MIN(same_validity_run(fds + done, count - done), max);
		rc = send_irq_set(c, index, flags, start + done, n,
				fds[done] >= 0 ? fds + done : NULL,
				fds[done] >= 0 ? (int)n : 0, NULL);
		if (rc < 0)
			return rc;
		done += n;
	}
	return 0;
}

int
rte_vfio_user_client_set_irqs(struct rte_vfio_user_client *c, uint32_t index,
		uint32_t flags, uint32_t start, uint32_t count,
		const uint8_t *bools)
{
	if (c == NULL || (flags & VFIO_USER_IRQ_SET_DATA_EVENTFD))
		return -EINVAL;
	return send_irq_set(c, index, flags, start, count, NULL, 0,
			(flags & VFIO_USER_IRQ_SET_DATA_BOOL) ? bools : NULL);
}

static size_t
xfer_max(const struct rte_vfio_user_client *c)
{
	return RTE_MIN(c->caps.max_data_xfer_size,
		       (uint64_t)RTE_VFIO_USER_MAX_DATA_XFER);
}

int
rte_vfio_user_client_region_read(struct rte_vfio_user_client *c,
		uint32_t index, uint64_t offset, void *buf, size_t count)
{
	struct vfio_user_region_access req = { .region = index };
	uint8_t *out, *p = buf;
	size_t max, len;
	int rc = 0;

	if (c == NULL || (buf == NULL && count))
		return -EINVAL;
	max = xfer_max(c);
	out = malloc(sizeof(req) + max);
	if (out == NULL)
		return -ENOMEM;
	while (count > 0) {
		req.offset = offset;
		req.count = RTE_MIN(count, max);
		len = sizeof(req) + req.count;
		rc = rte_vfio_user_client_request(c, VFIO_USER_REGION_READ, 0,
				&req, sizeof(req), NULL, 0, out, &len, NULL, NULL);
		if (rc < 0)
			break;
		if (len != sizeof(req) + req.count) {
			rc = -EIO; /* short or oversized reply */
			break;
		}
		memcpy(p, out + sizeof(req), req.count);
		p += req.count;
		offset += req.count;
		count -= req.count;
	}
	free(out);
	return rc;
}

int
rte_vfio_user_client_region_write(struct rte_vfio_user_client *c,
		uint32_t index, uint64_t offset, const void *buf, size_t count,
		bool posted)
{
	struct vfio_user_region_access *req, rep;
	const uint8_t *p = buf;
	size_t max, len;
	int rc = 0;

	if (c == NULL || (buf == NULL && count))
		return -EINVAL;
	max = xfer_max(c);
	req = malloc(sizeof(*req) + max);
	if (req == NULL)
		return -ENOMEM;
	while (count > 0) {
		req->offset = offset;
		req->region = index;
		req->count = RTE_MIN(count, max);
		memcpy(req->data, p, req->count);
		len = sizeof(rep);
		rc = rte_vfio_user_client_request(c, VFIO_USER_REGION_WRITE,
				posted ? VFIO_USER_F_NO_REPLY : 0, req,
				sizeof(*req) + req->count, NULL, 0, &rep, &len,
				NULL, NULL);
		if (rc < 0)
			break;
		if (!posted && (len != sizeof(rep) || rep.count != req->count)) {
			rc = -EIO;
			break;
		}
		p += req->count;
		offset += req->count;
		count -= req->count;
	}
	free(req);
	return rc;
}

int
rte_vfio_user_client_reset(struct rte_vfio_user_client *c)
{
	return rte_vfio_user_client_request(c, VFIO_USER_DEVICE_RESET, 0, NULL,
			0, NULL, 0, NULL, NULL, NULL, NULL);
}
