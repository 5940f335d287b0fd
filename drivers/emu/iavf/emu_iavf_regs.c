/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * BAR0: the register file and the interrupt model. The Tx and Rx tail
 * pages live in shared memory (the guest may mmap them and the data path
 * polls them); every other register is trapped and handled here.
 */

#include <errno.h>
#include <string.h>

#include <rte_alarm.h>
#include <rte_cycles.h>

#include "emu_iavf_internal.h"

static bool
in_tail_page(uint64_t off)
{
	return off < IAVF_TX_TAIL_PAGE + IAVF_PAGE_SIZE ||
	       (off >= IAVF_RX_TAIL_PAGE && off < IAVF_RX_TAIL_PAGE + IAVF_PAGE_SIZE);
}

/* Index of a register in an array of count 4-byte registers, or -1. */
static int
reg_index(uint64_t off, uint64_t base, unsigned int count)
{
	if (off < base || off >= base + 4ull * count)
		return -1;
	return (off - base) / 4;
}

static void vector_try_fire(struct emu_iavf *dev, uint16_t n);

static void
itr_alarm(void *arg)
{
	struct emu_iavf_vector *v = arg;

	atomic_store(&v->alarm_armed, 0);
	vector_try_fire(v->dev, v->n);
}

/*
 * Interrupt throttling of a queue vector, in microseconds: the shorter of
 * its Rx and Tx ITRs, so that no cause waits longer than the guest asked.
 * The ITRN registers are in the Rx tail page, which the guest may write
 * directly; vector 0 (the mailbox) is not throttled.
 */
static uint32_t
itr_us(const struct emu_iavf *dev, uint16_t n)
{
	const volatile uint32_t *rx, *tx;

	if (n == 0)
		return 0;
	rx = (const volatile uint32_t *)(dev->bar0 + IAVF_ITRN(0, n - 1));
	tx = (const volatile uint32_t *)(dev->bar0 + IAVF_ITRN(1, n - 1));
	return RTE_MIN(*rx & IAVF_ITR_MASK, *tx & IAVF_ITR_MASK) *
		IAVF_ITR_UNIT_US;
}

/*
 * True when the vector fired less than its ITR interval ago; the fire is
 * then scheduled for the end of the interval (or done now if no timer can
 * be had: late is better than never).
 */
static bool
throttled(struct emu_iavf *dev, struct emu_iavf_vector *v, uint16_t n)
{
	uint64_t hz = rte_get_timer_hz(), now, next;
	uint32_t us = itr_us(dev, n);

	if (us == 0)
		return false;
	now = rte_get_timer_cycles();
	next = atomic_load(&v->last_fire) + us * hz / 1000000;
	if (now >= next)
		return false;
	if (atomic_exchange(&v->alarm_armed, 1) == 0 &&
	    rte_eal_alarm_set(RTE_MAX((next - now) * 1000000 / hz, 1ull),
			itr_alarm, v) < 0) {
		atomic_store(&v->alarm_armed, 0);
		return false;
	}
	return true;
}

/* Fire a vector if something is pending and the guest has it enabled. */
static void
vector_try_fire(struct emu_iavf *dev, uint16_t n)
{
	struct emu_iavf_vector *v = &dev->vec[n];

	if (atomic_load(&v->pending) == 0 || atomic_load(&v->intena) == 0)
		return;
	if (n == 0 && !(dev->icr0_ena1 & IAVF_ICR_ADMINQ))
		return; /* the guest disabled the mailbox cause */
	if (throttled(dev, v, n))
		return;
	/* Auto-mask: whoever clears INTENA delivers, once. */
	if (atomic_exchange(&v->intena, 0) == 0)
		return;
	/* Cleared before the signal, so that a later raise is not lost. */
	atomic_store(&v->pending, 0);
	atomic_store(&v->last_fire, rte_get_timer_cycles());
	rte_vfio_user_irq_trigger(dev->vu_id, RTE_VFIO_USER_PCI_MSIX, n);
}

int
emu_iavf_vector_raise(struct emu_iavf *dev, uint16_t n)
{
	if (n >= dev->num_vectors)
		return -EINVAL;
	atomic_store(&dev->vec[n].pending, 1);
	vector_try_fire(dev, n);
	return 0;
}

/* A DYN_CTLN write may set an ITR interval, as it does on hardware. */
static void
itr_update(struct emu_iavf *dev, uint16_t n, uint32_t val)
{
	uint32_t idx = IAVF_DYN_ITR_INDX(val);

	if (n == 0 || idx == IAVF_ITR_NONE)
		return;
	*(volatile uint32_t *)(dev->bar0 + IAVF_ITRN(idx, n - 1)) =
		IAVF_DYN_INTERVAL(val);
}

static void
dyn_ctl_write(struct emu_iavf *dev, uint16_t n, uint32_t val)
{
	struct emu_iavf_vector *v = &dev->vec[n];

	v->dyn_ctl = val & ~(IAVF_DYN_CLEARPBA | IAVF_DYN_SWINT_TRIG);
	/*
	 * CLEARPBA drops what fired while the vector was off; but written
	 * with INTENA, as Linux's iavf does at the end of every NAPI poll, it
	 * keeps a cause raised while masked: that may be a frame written
	 * after the poll's last look. Delivering it costs one poll that may
	 * find nothing; dropping it would leave the frame until the next
	 * interrupt (the last frame of a burst, for ever).
	 */
	if ((val & IAVF_DYN_CLEARPBA) && !(val & IAVF_DYN_INTENA))
		atomic_store(&v->pending, 0);
	if (!(val & IAVF_DYN_INTENA)) {
		atomic_store(&v->intena, 0);
		return;
	}
	itr_update(dev, n, val);
	if (val & IAVF_DYN_SWINT_TRIG)
		atomic_store(&v->pending, 1);
	atomic_store(&v->intena, 1);
	vector_try_fire(dev, n);
}

static void
vectors_reset(struct emu_iavf *dev)
{
	unsigned int n;

	for (n = 0; n < RTE_DIM(dev->vec); n++) {
		atomic_store(&dev->vec[n].intena, 0);
		atomic_store(&dev->vec[n].pending, 0);
		dev->vec[n].dyn_ctl = 0;
		dev->vec[n].dev = dev;
		dev->vec[n].n = n;
	}
}

void
emu_iavf_regs_release(struct emu_iavf *dev)
{
	unsigned int n;

	for (n = 0; n < RTE_DIM(dev->vec); n++)
		rte_eal_alarm_cancel(itr_alarm, &dev->vec[n]);
}

void
emu_iavf_regs_reset(struct emu_iavf *dev)
{
	dev->icr01 = 0;
	dev->icr0_ena1 = 0;
	vectors_reset(dev);
	/* Tails read 0 after reset, as on hardware. */
	memset(dev->bar0 + IAVF_TX_TAIL_PAGE, 0, IAVF_PAGE_SIZE);
	memset(dev->bar0 + IAVF_RX_TAIL_PAGE, 0, IAVF_PAGE_SIZE);
}

/*
 * The RSS registers, which Linux uses when RSS_PF is not granted, are a
 * view of the same key, table and hash types as the virtchnl messages.
 */
static bool
rss_reg(struct emu_iavf *dev, uint64_t off, uint32_t *val, bool is_write)
{
	uint8_t *p;
	int i;

	if ((i = reg_index(off, IAVF_HENA(0), 2)) >= 0)
		p = (uint8_t *)&dev->rss_hena + 4 * i;
	else if ((i = reg_index(off, IAVF_HKEY(0), VC_RSS_KEY_SIZE / 4)) >= 0)
		p = dev->rss_key + 4 * i;
	else if ((i = reg_index(off, IAVF_HLUT(0), VC_RSS_LUT_SIZE / 4)) >= 0)
		p = dev->rss_lut + 4 * i;
	else
		return false;
	if (is_write)
		memcpy(p, val, 4);
	else
		memcpy(val, p, 4);
	return true;
}

static uint32_t
aq_len_value(uint32_t v)
{
	/* The error bits are never set by this device. */
	return v & (IAVF_AQ_LEN_MASK | IAVF_AQ_LEN_ENABLE);
}

static bool
aq_reg_read(const struct emu_iavf *dev, uint64_t off, uint32_t *val)
{
	switch (off) {
	case IAVF_ATQBAL: *val = dev->atq.bal; break;
	case IAVF_ATQBAH: *val = dev->atq.bah; break;
	case IAVF_ATQLEN: *val = dev->atq.len; break;
	case IAVF_ATQH:   *val = dev->atq.head; break;
	case IAVF_ATQT:   *val = dev->atq.tail; break;
	case IAVF_ARQBAL: *val = dev->arq.bal; break;
	case IAVF_ARQBAH: *val = dev->arq.bah; break;
	case IAVF_ARQLEN: *val = dev->arq.len; break;
	case IAVF_ARQH:   *val = dev->arq.head; break;
	case IAVF_ARQT:   *val = dev->arq.tail; break;
	default: return false;
	}
	return true;
}

static bool
aq_reg_write(struct emu_iavf *dev, uint64_t off, uint32_t val)
{
	switch (off) {
	case IAVF_ATQBAL: dev->atq.bal = val; break;
	case IAVF_ATQBAH: dev->atq.bah = val; break;
	case IAVF_ATQLEN: dev->atq.len = aq_len_value(val); break;
	case IAVF_ATQH:   dev->atq.head = val & IAVF_AQ_PTR_MASK; break;
	case IAVF_ATQT:
		dev->atq.tail = val & IAVF_AQ_PTR_MASK;
		emu_iavf_atq_doorbell(dev);
		break;
	case IAVF_ARQBAL: dev->arq.bal = val; break;
	case IAVF_ARQBAH: dev->arq.bah = val; break;
	case IAVF_ARQLEN: dev->arq.len = aq_len_value(val); break;
	case IAVF_ARQH:   dev->arq.head = val & IAVF_AQ_PTR_MASK; break;
	case IAVF_ARQT:
		dev->arq.tail = val & IAVF_AQ_PTR_MASK;
		emu_iavf_arq_doorbell(dev);
		break;
	default: return false;
	}
	return true;
}

static uint32_t
reg_read(struct emu_iavf *dev, uint64_t off)
{
	uint32_t val = 0;
	int i;

	if (aq_reg_read(dev, off, &val))
		return val;
	switch (off) {
	case IAVF_RSTAT:
		return dev->rstat;
	case IAVF_ICR01:
		val = dev->icr01; /* read-to-clear */
		dev->icr01 = 0;
		return val;
	case IAVF_ICR0_ENA1:
		return dev->icr0_ena1;
	case IAVF_DYN_CTL01:
		return dev->vec[0].dyn_ctl;
	}
	if ((i = reg_index(off, IAVF_DYN_CTLN(0), dev->num_vectors - 1)) >= 0)
		return dev->vec[i + 1].dyn_ctl;
	if (rss_reg(dev, off, &val, false))
		return val;
	dev->err.reg_unknown_rd++;
	return 0;
}

static void
reg_write(struct emu_iavf *dev, uint64_t off, uint32_t val)
{
	int i;

	if (aq_reg_write(dev, off, val))
		return;
	switch (off) {
	case IAVF_ICR0_ENA1:
		dev->icr0_ena1 = val & (IAVF_ICR_ADMINQ | IAVF_ICR_LINK);
		vector_try_fire(dev, 0);
		return;
	case IAVF_DYN_CTL01:
		dyn_ctl_write(dev, 0, val);
		return;
	case IAVF_RSTAT:
	case IAVF_ICR01:
		return; /* read-only */
	case IAVF_HKEY(13):
	case IAVF_HLUT(16):
		return; /* Linux writes one past the key and the table */
	}
	if ((i = reg_index(off, IAVF_DYN_CTLN(0), dev->num_vectors - 1)) >= 0)
		dyn_ctl_write(dev, i + 1, val);
	else if (rss_reg(dev, off, &val, true))
		emu_iavf_post_config(dev, RTE_EMUDEV_NET_CFG_RSS);
	else if (reg_index(off, IAVF_ITR01(0), 3) < 0)
		dev->err.reg_unknown_wr++; /* ITR01 is accepted and ignored */
}

/*
 * Registers take aligned 4-byte accesses; an aligned 8-byte access is two
 * of them. Anything else is counted, reads as 0 and writes are ignored: a
 * failed read would look like a surprise removal to the guest.
 */
static ssize_t
regs_rw(struct emu_iavf *dev, uint64_t offset, uint8_t *buf, size_t count,
		bool is_write)
{
	size_t i;

	if ((count != 4 && count != 8) || offset % 4) {
		dev->err.reg_bad_access++;
		if (!is_write)
			memset(buf, 0, count);
		return count;
	}
	for (i = 0; i < count; i += 4) {
		uint32_t v;

		if (is_write) {
			memcpy(&v, buf + i, 4);
			reg_write(dev, offset + i, v);
		} else {
			v = reg_read(dev, offset + i);
			memcpy(buf + i, &v, 4);
		}
	}
	return count;
}

ssize_t
emu_iavf_bar0_rw(struct emu_iavf *dev, uint64_t offset, void *buf,
		size_t count, bool is_write)
{
	if (in_tail_page(offset)) {
		/* The library keeps [offset, offset + count) in the BAR. */
		if (is_write)
			memcpy(dev->bar0 + offset, buf, count);
		else
			memcpy(buf, dev->bar0 + offset, count);
		return count;
	}
	return regs_rw(dev, offset, buf, count, is_write);
}
