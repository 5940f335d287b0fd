/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef VFIO_USER_INTERNAL_H
#define VFIO_USER_INTERNAL_H

#include <pthread.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <sys/un.h>

#include <rte_log.h>
#include <rte_rwlock.h>

#include "emunic_ratelimit.h"
#include "rte_vfio_user.h"
#include "vfio_user_protocol.h"

extern int vfio_user_logtype;
#define RTE_LOGTYPE_VFIO_USER vfio_user_logtype

#define VFIO_USER_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vfio_user_logtype, \
		"VFIO_USER: %s(): " fmt "\n", __func__, ##__VA_ARGS__)

/*
 * Rate-limited log for what a peer controls: at most a burst of lines per
 * second and call site, so that a hostile peer cannot flood the log.
 */
#define VFIO_USER_LOG_RL(level, fmt, ...) \
	EMUNIC_LOG_RL(VFIO_USER_LOG, level, fmt, ##__VA_ARGS__)

/* Payload never exceeds a region/DMA access of the largest size. */
#define VFIO_USER_MAX_PAYLOAD \
	(RTE_VFIO_USER_MAX_DATA_XFER + sizeof(struct vfio_user_region_access))
#define VFIO_USER_MAX_MSG (sizeof(struct vfio_user_header) + VFIO_USER_MAX_PAYLOAD)
#define VFIO_USER_DEFAULT_XFER (1024 * 1024)
#define VFIO_USER_SEND_TIMEOUT_MS 1000

/*
 * transport (vfio_user_socket.c)
 */

/* A received message: header, payload and the fds that came with it. */
struct vfio_user_msg {
	struct vfio_user_header hdr;
	uint8_t *payload;	/* hdr.msg_size - 16 bytes, malloc'd */
	uint32_t len;
	int fds[RTE_VFIO_USER_MAX_MSG_FDS];
	int nfds;
	bool fds_truncated;	/* more fds came than we accept */
	struct vfio_user_msg *next;
};

/* Incremental receive of one message from a non-blocking socket. */
struct vfio_user_rx {
	struct vfio_user_msg msg;
	uint32_t got;		/* header + payload bytes so far */
};

enum vfio_user_rx_result {
	VFIO_USER_RX_AGAIN,	/* nothing more to read now */
	VFIO_USER_RX_MSG,	/* rx->msg is complete */
	VFIO_USER_RX_BAD_SIZE,	/* header complete, size rejected */
	VFIO_USER_RX_CLOSED,	/* peer closed or socket error */
};

void vfio_user_rx_init(struct vfio_user_rx *rx);
enum vfio_user_rx_result vfio_user_rx_step(struct vfio_user_rx *rx, int fd,
		uint32_t max_msg);
/* Hand the completed message over; rx starts a new one. */
void vfio_user_rx_take(struct vfio_user_rx *rx, struct vfio_user_msg *out);
void vfio_user_rx_reset(struct vfio_user_rx *rx);

void vfio_user_msg_free(struct vfio_user_msg *msg);
void vfio_user_close_fds(int *fds, int nfds);
/* Take fd i out of a message (the caller owns it); -1 if none. */
int vfio_user_msg_take_fd(struct vfio_user_msg *msg, int i);

int vfio_user_send(int sock, const struct vfio_user_header *hdr,
		const void *payload, size_t len, const int *fds, int nfds);
int vfio_user_send_reply(int sock, const struct vfio_user_header *req,
		const void *payload, size_t len, const int *fds, int nfds);
int vfio_user_send_error(int sock, const struct vfio_user_header *req,
		int err);
/* The monotonic time timeout_ms from now. */
void vfio_user_deadline_in(struct timespec *ts, int timeout_ms);
/* Wait for one whole message until the deadline. */
int vfio_user_recv_msg(int sock, struct vfio_user_rx *rx,
		struct vfio_user_msg *out, uint32_t max_msg,
		const struct timespec *deadline);

/*
 * DMA table (vfio_user_dma.c)
 */

struct vfio_user_dma_map_priv {
	void *mmap_addr;	/* page-aligned base actually mapped */
	size_t mmap_len;
};

struct vfio_user_dma_table {
	/* The published table, read by the data path: see vfio_user_dma.c. */
	struct rte_vfio_user_mem_table *cur;
	/* Parallel to cur->regions; the control thread's alone. */
	struct vfio_user_dma_map_priv *priv;
	uint32_t priv_cap;
	uint32_t high_water;	/* most maps held at once */
	uint32_t nmaps;		/* cur->nregions, for other threads */
};

struct vfio_user_dev;

void vfio_user_dma_init(struct vfio_user_dma_table *t);
/* Release a table no client uses any more. */
void vfio_user_dma_free(struct vfio_user_dma_table *t);
/* DMA_MAP: checked against the table, mmap'd, published. */
int vfio_user_dma_map(struct vfio_user_dev *dev, uint64_t iova, uint64_t size,
		uint32_t prot, int fd, uint64_t fd_offset);
/*
 * DMA_UNMAP of a range: every map it contains goes (maybe none); -EINVAL
 * when it covers part of a map.
 */
int vfio_user_dma_unmap(struct vfio_user_dev *dev, uint64_t iova,
		uint64_t size);
/* UNMAP_ALL and disconnect. */
void vfio_user_dma_unmap_all(struct vfio_user_dev *dev);
/* The map holding iova, or NULL. */
const struct rte_vfio_user_mem_region *
vfio_user_dma_lookup(const struct rte_vfio_user_mem_table *t, uint64_t iova);

/*
 * SIGBUS guard of mmap'd guest memory (vfio_user_memguard.c)
 */

/*
 * Guard [addr, addr + len): a SIGBUS there replaces it with anonymous
 * memory, sets *faulted and writes wakefd (when >= 0).
 */
int vfio_user_memguard_add(void *addr, size_t len, int prot,
		uint32_t *faulted, int wakefd);
/* Stop guarding the range that starts at addr (before munmap). */
void vfio_user_memguard_del(void *addr);

/*
 * IRQs (vfio_user_irq.c)
 */

struct vfio_user_irq_index {
	uint32_t count;
	uint32_t flags;
	int *fds;		/* count entries, -1 when unbound */
	uint8_t *masked;	/* count entries */
	uint64_t *pending;	/* bitmap: raised, not yet delivered */
	uint64_t *held;		/* bitmap: raised while unbound or masked */
};

struct vfio_user_irqs {
	rte_rwlock_t lock;	/* fds vs. triggers from other threads */
	int kickfd;		/* wakes the control thread to deliver */
	uint32_t nindexes;
	struct vfio_user_irq_index idx[RTE_VFIO_USER_MAX_IRQ_INDEXES];
};

void vfio_user_irqs_init(struct vfio_user_irqs *irqs);
int vfio_user_irqs_set_info(struct vfio_user_irqs *irqs, uint32_t index,
		uint32_t count, uint32_t flags);
int vfio_user_irqs_set(struct vfio_user_irqs *irqs,
		const struct vfio_user_irq_set *set, size_t len,
		struct vfio_user_msg *msg);
void vfio_user_irqs_release(struct vfio_user_irqs *irqs);
void vfio_user_irqs_free(struct vfio_user_irqs *irqs);
/*
 * Raise a vector from any thread: on the control thread it is written at
 * once (-EPERM: the client made the fd blocking), elsewhere marked pending
 * and the control thread kicked.
 */
int vfio_user_irqs_trigger(struct vfio_user_irqs *irqs, uint32_t index,
		uint32_t vector, bool on_ctrl_thread);
/*
 * Write the pending vectors' eventfds; control thread only. -EPERM when
 * the client made an fd blocking (it is to be disconnected).
 */
int vfio_user_irqs_deliver(struct vfio_user_irqs *irqs);
bool vfio_user_irqs_is_bound(struct vfio_user_irqs *irqs, uint32_t index,
		uint32_t vector);

/*
 * Server devices (vfio_user_server.c) and their message handling
 * (vfio_user_dispatch.c, vfio_user_version.c).
 */

struct vfio_user_region_slot {
	struct rte_vfio_user_region desc;
	struct rte_vfio_user_sparse_area areas[RTE_VFIO_USER_MAX_SPARSE_AREAS];
};

/* What the client stated in VERSION, with the spec's defaults. */
struct vfio_user_peer_caps {
	uint32_t max_msg_fds;
	uint64_t max_data_xfer_size;
	uint32_t max_dma_maps;
	uint64_t pgsizes;
	bool write_multiple;
};

struct vfio_user_stats {
	uint64_t msgs;
	uint64_t errors;	/* error replies sent */
	uint64_t rejected_fds;	/* fds closed with a rejected message */
	uint64_t connects;
	uint64_t disconnects;
	uint64_t dma_maps;
	uint64_t dma_unmaps;
	uint64_t dma_maps_removed; /* by DMA_UNMAP ranges, UNMAP_ALL, disconnect */
	/* Time the client waited for DMA_MAP and DMA_UNMAP (a vIOMMU guest
	 * waits with them, at every buffer), in microseconds. */
	uint64_t dma_map_us, dma_map_us_max;
	uint64_t dma_unmap_us, dma_unmap_us_max;
	uint64_t dma_maps_unsealed; /* the client may shrink their file */
	uint64_t resets;
	uint64_t abuse_disconnects; /* the client broke the protocol's rules */
	uint64_t mem_faults;	/* SIGBUS recovered in the client's memory */
	uint64_t cmds[VFIO_USER_MAX_COMMAND]; /* by command, valid ones */
	/* Accesses served by the device's callback (trapped), by region. */
	uint64_t region_reads[RTE_VFIO_USER_MAX_REGIONS];
	uint64_t region_writes[RTE_VFIO_USER_MAX_REGIONS];
};

struct vfio_user_dev {
	int id;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const struct rte_vfio_user_notify_ops *ops;
	uint64_t flags;
	void *priv;

	struct rte_vfio_user_dev_info info;
	struct vfio_user_region_slot regions[RTE_VFIO_USER_MAX_REGIONS];
	struct vfio_user_irqs irqs;
	struct vfio_user_dma_table dma;

	struct rte_vfio_user_limits limits;

	/* The device's control thread and what it waits on. */
	pthread_t tid;
	int epfd;
	int wakefd;		/* stop, interrupts to deliver, memory faults */
	int timerfd;		/* the client's negotiation deadline */
	bool started;
	bool stopping;		/* atomic: the thread is to exit */
	uint32_t mem_faulted;	/* atomic: set by the SIGBUS guard */

	int listen_fd;
	int conn_fd;
	bool negotiated;
	/* The client broke a rule, or went: disconnected once the command ends. */
	const char *broken;
	struct vfio_user_peer_caps peer;
	struct vfio_user_rx rx;
	/* Commands that arrived while waiting for a DMA_READ/WRITE reply. */
	struct vfio_user_msg *deferred_head, *deferred_tail;
	uint32_t ndeferred;
	uint64_t deferred_bytes;
	uint32_t deferred_fds;
	uint16_t next_msg_id;
	bool in_handler;	/* on the control thread, inside a command */

	struct vfio_user_stats stats;
};

/* The device of an id, or NULL (no locking: control thread or tests). */
struct vfio_user_dev *vfio_user_dev_get(int dev_id);

/* Process one command; the message is freed by the caller. */
void vfio_user_dispatch(struct vfio_user_dev *dev, struct vfio_user_msg *msg);
/* Disconnect the client (the session ends, the device stays). */
void vfio_user_server_disconnect(struct vfio_user_dev *dev);
/*
 * The client broke a rule (why): nothing more is sent to it and it is
 * disconnected when the current command ends.
 */
void vfio_user_server_abuse(struct vfio_user_dev *dev, const char *why);
/* Send to the client, unless it is broken; a failure breaks it. */
int vfio_user_server_send(struct vfio_user_dev *dev,
		const struct vfio_user_header *hdr, const void *payload,
		size_t len, const int *fds, int nfds);
int vfio_user_server_reply(struct vfio_user_dev *dev,
		const struct vfio_user_header *req, const void *payload,
		size_t len, const int *fds, int nfds);
void vfio_user_server_error(struct vfio_user_dev *dev,
		const struct vfio_user_header *req, int err);

int vfio_user_version_parse(struct vfio_user_peer_caps *peer,
		const char *json, size_t len);
/* Build the reply JSON (NUL included in *len); free() it. */
char *vfio_user_version_reply_json(const struct vfio_user_peer_caps *peer,
		uint32_t max_dma_maps, size_t *len);
int vfio_user_parse_server_caps(struct rte_vfio_user_server_caps *caps,
		const char *json, size_t len);


/* Server-initiated DMA_READ/DMA_WRITE over the socket. */
int vfio_user_dma_msg_rw(struct vfio_user_dev *dev, uint64_t iova, void *buf,
		size_t len, bool is_write);

#endif /* VFIO_USER_INTERNAL_H */
