/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * Transport: framing of vfio-user messages on an AF_UNIX stream socket,
 * with file descriptors passed as SCM_RIGHTS ancillary data.
 */

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <rte_common.h>

#include "vfio_user_internal.h"

#define HDR_SIZE sizeof(struct vfio_user_header)

void
vfio_user_close_fds(int *fds, int nfds)
{
	int i;

	for (i = 0; i < nfds; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

int
vfio_user_msg_take_fd(struct vfio_user_msg *msg, int i)
{
	int fd;

	if (i < 0 || i >= msg->nfds)
		return -1;
	fd = msg->fds[i];
	msg->fds[i] = -1;
	return fd;
}

void
vfio_user_msg_free(struct vfio_user_msg *msg)
{
	vfio_user_close_fds(msg->fds, msg->nfds);
	msg->nfds = 0;
	free(msg->payload);
	msg->payload = NULL;
	msg->len = 0;
}

void
vfio_user_rx_init(struct vfio_user_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
}

void
vfio_user_rx_reset(struct vfio_user_rx *rx)
{
	vfio_user_msg_free(&rx->msg);
	vfio_user_rx_init(rx);
}

void
vfio_user_rx_take(struct vfio_user_rx *rx, struct vfio_user_msg *out)
{
	*out = rx->msg;
	out->next = NULL;
	vfio_user_rx_init(rx);
}

/* Keep the fds of one control message; close those beyond our limit. */
static void
rx_collect_fds(struct vfio_user_msg *msg, struct msghdr *mh)
{
	struct cmsghdr *cm;

	if (mh->msg_flags & MSG_CTRUNC)
		msg->fds_truncated = true;
	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		int n, i, *fds;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)CMSG_DATA(cm);
		for (i = 0; i < n; i++) {
			if (msg->nfds < RTE_VFIO_USER_MAX_MSG_FDS) {
				msg->fds[msg->nfds++] = fds[i];
			} else {
				close(fds[i]);
				msg->fds_truncated = true;
			}
		}
	}
}

/* One recvmsg into dst; returns bytes read, 0 on EOF, -errno. */
static ssize_t
rx_read(int fd, struct vfio_user_msg *msg, void *dst, size_t len)
{
	union {
		char buf[CMSG_SPACE(RTE_VFIO_USER_MAX_MSG_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = dst, .iov_len = len };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;

	do {
		n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	rx_collect_fds(msg, &mh);
	return n;
}

enum vfio_user_rx_result
vfio_user_rx_step(struct vfio_user_rx *rx, int fd, uint32_t max_msg)
{
	struct vfio_user_msg *msg = &rx->msg;
	uint32_t want;
	ssize_t n;

	for (;;) {
		if (rx->got < HDR_SIZE) {
			n = rx_read(fd, msg, (uint8_t *)&msg->hdr + rx->got,
					HDR_SIZE - rx->got);
		} else {
			want = msg->hdr.msg_size;
			if (rx->got == HDR_SIZE && msg->payload == NULL &&
			    want > HDR_SIZE) {
				msg->payload = malloc(want - HDR_SIZE);
				if (msg->payload == NULL)
					return VFIO_USER_RX_CLOSED;
			}
			if (rx->got == want) {
				msg->len = want - HDR_SIZE;
				return VFIO_USER_RX_MSG;
			}
			n = rx_read(fd, msg, msg->payload + (rx->got - HDR_SIZE),
					want - rx->got);
		}
		if (n == -EAGAIN || n == -EWOULDBLOCK)
			return VFIO_USER_RX_AGAIN;
		if (n <= 0)
			return VFIO_USER_RX_CLOSED;
		rx->got += n;
		/* Validate the size before allocating anything for it. */
		if (rx->got == HDR_SIZE &&
		    (msg->hdr.msg_size < HDR_SIZE || msg->hdr.msg_size > max_msg)) {
			return VFIO_USER_RX_BAD_SIZE;
		}
	}
}

void
vfio_user_deadline_in(struct timespec *ts, int timeout_ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += timeout_ms / 1000;
	ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* Wait until fd is ready for events or the deadline passes. */
static int
wait_fd(int fd, short events, const struct timespec *deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	struct timespec now;
	int64_t ms;
	int rc;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (deadline->tv_sec - now.tv_sec) * 1000 +
			(deadline->tv_nsec - now.tv_nsec) / 1000000;
		if (ms < 0)
			return -ETIMEDOUT;
		rc = poll(&pfd, 1, (int)ms);
		if (rc > 0)
			return 0;
		if (rc == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

int
vfio_user_recv_msg(int sock, struct vfio_user_rx *rx, struct vfio_user_msg *out,
		uint32_t max_msg, const struct timespec *deadline)
{
	int rc;

	for (;;) {
		switch (vfio_user_rx_step(rx, sock, max_msg)) {
		case VFIO_USER_RX_MSG:
			vfio_user_rx_take(rx, out);
			return 0;
		case VFIO_USER_RX_BAD_SIZE:
			vfio_user_rx_reset(rx);
			return -EMSGSIZE;
		case VFIO_USER_RX_CLOSED:
			vfio_user_rx_reset(rx);
			return -ECONNRESET;
		case VFIO_USER_RX_AGAIN:
			rc = wait_fd(sock, POLLIN, deadline);
			if (rc < 0)
				return rc;
			break;
		}
	}
}

/*
 * Send a whole message. The fds go with the first byte; the rest is sent
 * as the socket drains, for at most VFIO_USER_SEND_TIMEOUT_MS, so that a
 * peer that stops reading cannot stall the control thread for long.
 */
/* Attach nfds fds to mh as SCM_RIGHTS, in ctl. */
static void
attach_fds(struct msghdr *mh, void *ctl, size_t ctl_len, const int *fds,
		int nfds)
{
	struct cmsghdr *cm;

	memset(ctl, 0, ctl_len);
	mh->msg_control = ctl;
	mh->msg_controllen = CMSG_SPACE(nfds * sizeof(int));
	cm = CMSG_FIRSTHDR(mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
}

/* Drop the n bytes sent from the front of mh's iovecs (fds went first). */
static void
consume_sent(struct msghdr *mh, size_t n)
{
	mh->msg_control = NULL;
	mh->msg_controllen = 0;
	while (mh->msg_iovlen > 0 && n >= mh->msg_iov->iov_len) {
		n -= mh->msg_iov->iov_len;
		mh->msg_iov++;
		mh->msg_iovlen--;
	}
	if (mh->msg_iovlen > 0) {
		mh->msg_iov->iov_base = (uint8_t *)mh->msg_iov->iov_base + n;
		mh->msg_iov->iov_len -= n;
	}
}

int
vfio_user_send(int sock, const struct vfio_user_header *hdr,
		const void *payload, size_t len, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(RTE_VFIO_USER_MAX_MSG_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov[2] = {
		{ .iov_base = (void *)(uintptr_t)hdr, .iov_len = HDR_SIZE },
		{ .iov_base = (void *)(uintptr_t)payload, .iov_len = len },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	struct timespec deadline;
	ssize_t n;
	int rc;

	if (nfds < 0 || nfds > RTE_VFIO_USER_MAX_MSG_FDS)
		return -EINVAL;
	if (nfds > 0)
		attach_fds(&mh, ctl.buf, sizeof(ctl), fds, nfds);
	vfio_user_deadline_in(&deadline, VFIO_USER_SEND_TIMEOUT_MS);
	while (mh.msg_iovlen > 0) {
		n = sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0) {
			consume_sent(&mh, n);
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		rc = wait_fd(sock, POLLOUT, &deadline);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
vfio_user_send_reply(int sock, const struct vfio_user_header *req,
		const void *payload, size_t len, const int *fds, int nfds)
{
	struct vfio_user_header hdr = {
		.msg_id = req->msg_id,
		.cmd = req->cmd,
		.msg_size = HDR_SIZE + len,
		.flags = VFIO_USER_F_TYPE_REPLY,
	};

	return vfio_user_send(sock, &hdr, payload, len, fds, nfds);
}

int
vfio_user_send_error(int sock, const struct vfio_user_header *req, int err)
{
	struct vfio_user_header hdr = {
		.msg_id = req->msg_id,
		.cmd = req->cmd,
		.msg_size = HDR_SIZE,
		.flags = VFIO_USER_F_TYPE_REPLY | VFIO_USER_F_ERROR,
		.error_no = err,
	};

	return vfio_user_send(sock, &hdr, NULL, 0, NULL, 0);
}
