/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMU_IAVF_INTERNAL_H
#define EMU_IAVF_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_log.h>

#include "emunic_compat.h"
#include "emunic_ratelimit.h"
#include <rte_emudev_driver.h>
#include <rte_emudev_net.h>
#include <rte_vfio_user.h>
#include <rte_vfio_user_pci.h>

#include "avf_regs.h"
#include "avf_virtchnl.h"

extern int emu_iavf_logtype;

#define EMU_IAVF_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, emu_iavf_logtype, \
		"EMU_IAVF: %s(): " fmt "\n", __func__, ##__VA_ARGS__)

/* For what the guest controls: a burst of lines per second per call site. */
#define EMU_IAVF_LOG_RL(level, fmt, ...) \
	EMUNIC_LOG_RL(EMU_IAVF_LOG, level, fmt, ##__VA_ARGS__)

#define IAVF_MAX_MACS RTE_EMUDEV_NET_MAX_MACS
/* How often the device looks at the DYN_CTLN shadows (emu_iavf_irq.c). */
#define EMU_IAVF_SHADOW_POLL_US                50u
#define EMU_IAVF_SHADOW_POLL_MAX_US            1000u
#define EMU_IAVF_SHADOW_SCAN_MS                10
#define EMU_IAVF_SHADOW_SWAPS                  8  /* tries of one look */
/* PF->VF messages waiting for ARQ room; more are dropped and counted. */
#define IAVF_ARQ_BACKLOG 64

/* BAR0 register blocks, for the counts of trapped accesses. */
enum emu_iavf_reg_block {
	EMU_IAVF_REGS_TAILS,      /* the tail pages, when not mmapped */
	EMU_IAVF_REGS_INTERRUPTS, /* DYN_CTL, ICR, ITR01 */
	EMU_IAVF_REGS_MAILBOX,    /* ATQ and ARQ */
	EMU_IAVF_REGS_RESET,      /* VFGEN_RSTAT */
	EMU_IAVF_REGS_RSS,        /* HENA, HKEY, HLUT */
	EMU_IAVF_REGS_OTHER,
	EMU_IAVF_REGS_BLOCKS,
};

/* One admin queue's registers. */
struct emu_iavf_aq {
	uint32_t bal, bah, len, head, tail;
};

/* A pending PF->VF message. */
struct emu_iavf_arq_msg {
	uint32_t op;
	int32_t status;
	uint16_t len;
	uint8_t *data;
};

/* A guest queue. */
struct emu_iavf_queue {
	bool configured;
	bool enabled;
	uint16_t ring_len;
	uint64_t ring_addr;
	uint32_t buf_size;   /* Rx */
	uint32_t max_pkt;    /* Rx */
	bool keep_crc;       /* Rx */
	int32_t vector;      /* from CONFIG_IRQ_MAP, -1 none */
};

/*
 * Interrupt state of an MSI-X vector, shared with the data path: the
 * device auto-masks a vector when it fires and remembers what fired while
 * masked until the guest sets INTENA again.
 */
struct emu_iavf_vector {
	atomic_uint intena;  /* vector 0; queue vectors: INTENA of DYN_CTLN */
	atomic_uint pending;
	uint32_t dyn_ctl;  /* vector 0: last value written, for reads */
	atomic_uint_fast64_t last_fire; /* TSC of the last interrupt */
	atomic_uint alarm_armed;        /* a throttled fire is scheduled */
	struct emu_iavf *dev;           /* for that alarm */
	uint16_t n;
};

/* Counters of what the guest did wrong or the device could not do. */
struct emu_iavf_errors {
	uint64_t vc_bad_msg;       /* virtchnl message rejected (ERR_PARAM) */
	uint64_t vc_unsupported;   /* NOT_SUPPORTED replies */
	uint64_t vc_bad_state;     /* op before VERSION or not granted */
	uint64_t aq_dma;           /* AQ descriptor or buffer not in memory */
	uint64_t aq_bad_desc;      /* unknown AQ opcode, oversized buffer */
	uint64_t aq_no_bme;        /* doorbell with bus mastering off */
	uint64_t arq_overflow;     /* PF->VF message dropped */
	uint64_t reg_unknown_rd;   /* reads of unimplemented offsets */
	uint64_t reg_unknown_wr;
	uint64_t reg_bad_access;   /* unaligned or odd-sized accesses */
};

struct emu_iavf {
	char name[RTE_EMUDEV_NAME_MAX_LEN];
	char path[108];
	uint32_t max_dma_maps;
	struct rte_emudev *edev;
	int vu_id;
	/* devargs */
	struct rte_ether_addr perm_mac;
	uint16_t num_qp;
	uint32_t link_speed;    /* Mbps */
	uint16_t max_frame;

	/*
	 * Control state, taken by every entry point (emu_iavf_pci.c,
	 * emu_iavf_emudev.c, telemetry, alarms) and by nothing below them.
	 */
	pthread_mutex_t lock;
	struct rte_vfio_user_pci_config *cfg;
	int bar0_fd;
	uint8_t *bar0;          /* memfd-backed; tail pages are shared */
	bool shadow_irq;        /* and the DYN_CTLN page */
	uint32_t rstat;
	struct emu_iavf_aq atq, arq;
	uint32_t icr01, icr0_ena1;
	uint8_t aq_buf[IAVF_AQ_BUF_MAX]; /* the ATQ message being handled */
	uint16_t num_vectors;
	struct emu_iavf_vector vec[IAVF_MAX_QP + 1];
	/* Looking at the queue vectors' DYN_CTLN words (emu_iavf_irq.c). */
	atomic_uint shadow_poll_armed, shadow_scan_armed, shadow_stop;
	atomic_uint irq_waiting;  /* vectors whose raise waits for INTENA */
	atomic_uint shadow_poll_us; /* the timer's interval now */
	atomic_uint_fast64_t shadow_polls;
	struct emu_iavf_arq_msg backlog[IAVF_ARQ_BACKLOG];
	uint32_t backlog_head, backlog_count;

	/* virtchnl */
	bool version_ok;
	uint32_t vc_major, vc_minor;
	bool resources_sent;
	uint32_t caps;
	struct emu_iavf_queue txq[IAVF_MAX_QP], rxq[IAVF_MAX_QP];
	/*
	 * What the guest configured, as consumers see it: CONFIG events
	 * point at it. The RSS part is also written through the RSS
	 * registers; those changes are told once per block (cfg_pending).
	 */
	struct rte_emudev_net_config net;
	uint32_t cfg_pending;   /* RTE_EMUDEV_NET_CFG_* not told yet */
	uint64_t cfg_deadline;  /* TSC: tell them then, unless written again */
	bool cfg_alarm_armed;

	/* Queues stopped for the memory change under way (emudev ids). */
	uint32_t mem_quiesced;

	/* Link as the guest was last told. */
	bool link_up;
	bool consumer_started;

	/* Counters */
	uint64_t vc_ops[EMU_IAVF_VC_OP_MAX];
	uint64_t vf_resets, device_resets, arq_posted;
	/* BAR0 accesses trapped (a round trip to the VMM), by block. */
	uint64_t trapped_reads[EMU_IAVF_REGS_BLOCKS];
	uint64_t trapped_writes[EMU_IAVF_REGS_BLOCKS];
	struct emu_iavf_errors err;
};

/*
 * Layers. Each file calls only the layers below it:
 *
 *   entry points   emu_iavf_vdev.c, emu_iavf_dev.c (lifecycle),
 *                  emu_iavf_pci.c (the VMM: config space, BAR0, memory),
 *                  emu_iavf_emudev.c (consumers), emu_iavf_telemetry.c
 *   registers      emu_iavf_regs.c      BAR0 decode
 *   admin queue    emu_iavf_adminq.c    ATQ: descriptors in, replies out
 *   virtchnl       emu_iavf_virtchnl.c  validate and apply one message
 *   device state   emu_iavf_state.c     queues, link, configuration, resets
 *   outbound       emu_iavf_out.c       events to consumers, PF->VF messages
 *                  emu_iavf_irq.c       MSI-X vectors
 *
 * Everything that leaves the device goes through the outbound interface
 * (emu_iavf_out_*). Entry points take dev->lock; nothing below does.
 */

/* Guest memory access for the mailbox: only while bus mastering is on. */
static inline int
emu_iavf_dma(struct emu_iavf *dev, uint64_t iova, void *buf, size_t len,
		bool is_write)
{
	if (!rte_vfio_user_pci_bus_master(dev->cfg))
		return -EACCES;
	return rte_vfio_user_dma_rw(dev->vu_id, iova, buf, len, is_write);
}

/* One admin queue's ring, as its registers describe it. */
static inline uint32_t
emu_iavf_aq_ring_len(const struct emu_iavf_aq *aq)
{
	if (!(aq->len & IAVF_AQ_LEN_ENABLE))
		return 0;
	return aq->len & IAVF_AQ_LEN_MASK;
}

static inline uint64_t
emu_iavf_aq_desc_addr(const struct emu_iavf_aq *aq, uint32_t idx)
{
	return (((uint64_t)aq->bah << 32) | aq->bal) +
		(uint64_t)idx * sizeof(struct iavf_aq_desc);
}

/* emu_iavf_dev.c: lifecycle and the device list */
/* What a device is created with (its devargs). */
struct emu_iavf_conf {
	char path[108];
	struct rte_ether_addr mac;
	uint16_t num_qp;
	uint32_t link_speed;	/* Mbps */
	uint32_t max_dma_maps;	/* 0: the vfio-user library's default */
	bool shadow_irq;	/* DYN_CTLN page offered for mmap */
};

struct emu_iavf *emu_iavf_create(const char *name,
		const struct emu_iavf_conf *conf);
void emu_iavf_destroy(struct emu_iavf *dev);
struct emu_iavf *emu_iavf_find(const char *name);
void emu_iavf_foreach(void (*f)(struct emu_iavf *dev, void *arg), void *arg);

/* emu_iavf_pci.c: config space, regions, vfio-user notifications */
int emu_iavf_pci_init(struct emu_iavf *dev);
void emu_iavf_pci_fini(struct emu_iavf *dev);

/* emu_iavf_emudev.c: what consumers see */
extern const struct rte_emudev_ops emu_iavf_emudev_ops;

/* emu_iavf_regs.c: BAR0 */
ssize_t emu_iavf_bar0_rw(struct emu_iavf *dev, uint64_t offset, void *buf,
		size_t count, bool is_write);
const char *emu_iavf_reg_block_name(enum emu_iavf_reg_block b);

/* emu_iavf_adminq.c: the ATQ */
void emu_iavf_atq_doorbell(struct emu_iavf *dev);

/* emu_iavf_virtchnl.c: the PF side of virtchnl */
/* A reply being built. */
struct emu_iavf_vc_reply {
	uint16_t len;
	bool none;       /* RESET_VF: never answered */
	bool link_event; /* tell the link state after the reply */
	union {
		uint8_t data;
		struct virtchnl_version_info version;
		struct virtchnl_vf_resource res;
		struct rte_emudev_net_stats stats; /* the wire layout */
		struct virtchnl_rss_hena hena;
	};
};
/* Handle one message; its status, with r filled on success. */
int32_t emu_iavf_vc_handle(struct emu_iavf *dev, uint32_t op,
		const uint8_t *msg, uint16_t len, struct emu_iavf_vc_reply *r);
const char *emu_iavf_vc_op_name(uint32_t op);

/* emu_iavf_state.c: queues, link, configuration, resets */
struct emu_iavf_queue *emu_iavf_queue(struct emu_iavf *dev, uint16_t qid);
void emu_iavf_queue_describe(struct emu_iavf *dev, uint16_t qid,
		struct rte_emudev_q_info *info, struct rte_emudev_db_info *db);
void emu_iavf_set_queue(struct emu_iavf *dev, uint16_t qid, bool enable);
void emu_iavf_irq_map_changed(struct emu_iavf *dev);
/* The link the guest sees follows the consumer and the queues; true
 * when it changed. */
bool emu_iavf_update_link(struct emu_iavf *dev);
/* Tell the guest its link (a virtchnl event), if it can parse one. */
void emu_iavf_link_msg(struct emu_iavf *dev);
void emu_iavf_set_link_speed(struct emu_iavf *dev, uint32_t mbps);
/* Tell consumers what changed in dev->net. */
void emu_iavf_config_changed(struct emu_iavf *dev, uint32_t what);
/* A register-level change: told when its block is complete, or soon. */
void emu_iavf_config_touched(struct emu_iavf *dev, uint32_t what,
		bool complete);
void emu_iavf_vf_reset(struct emu_iavf *dev);
void emu_iavf_power_on_reset(struct emu_iavf *dev);
void emu_iavf_state_init(struct emu_iavf *dev);
/* Cancel the configuration timer, before the consumers go away. */
void emu_iavf_state_release(struct emu_iavf *dev);

/* Outbound, emu_iavf_out.c: consumers and the guest's ARQ */
void emu_iavf_out_event(struct emu_iavf *dev,
		const struct rte_emudev_event *ev);
void emu_iavf_out_msg(struct emu_iavf *dev, uint32_t op, int32_t status,
		const void *data, uint16_t len);
/* The driver gave ARQ slots back (ARQT written). */
void emu_iavf_out_arq_tail(struct emu_iavf *dev);
/* Messages waiting for ARQ room are dropped (reset, destroy). */
void emu_iavf_out_reset(struct emu_iavf *dev);

/* Outbound, emu_iavf_irq.c: the interrupt model */
int emu_iavf_out_irq(struct emu_iavf *dev, uint16_t vector);
void emu_iavf_irq_dyn_ctl(struct emu_iavf *dev, uint16_t vector,
		uint32_t val);
void emu_iavf_irq_causes(struct emu_iavf *dev, uint32_t icr0_ena1);
/* Data path: deliver the raises that waited for the guest's INTENA. */
void emu_iavf_irq_poll(struct emu_iavf *dev);
/* Whether the guest has a vector enabled, and its DYN_CTL as read. */
bool emu_iavf_irq_enabled(struct emu_iavf *dev, uint16_t vector);
uint32_t emu_iavf_irq_dyn_ctl_read(struct emu_iavf *dev, uint16_t vector);
void emu_iavf_irq_reset(struct emu_iavf *dev);
void emu_iavf_irq_release(struct emu_iavf *dev);

#endif /* EMU_IAVF_INTERNAL_H */
