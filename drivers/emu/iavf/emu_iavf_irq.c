/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * The interrupt model of the MSI-X vectors: a raise sets the vector
 * pending; a pending vector fires when the guest has it enabled (INTENA)
 * and its throttling interval (ITR) has passed, and firing masks it until
 * the guest enables it again. Raises come from the data path as well as
 * from the control thread, hence atomics rather than the device lock.
 */

#include <rte_alarm.h>
#include <rte_cycles.h>

#include "emu_iavf_internal.h"

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
	rx = (const volatile uint32_t *)(dev->bar0 + IAVF_VFINT_ITRN1(0, n - 1));
	tx = (const volatile uint32_t *)(dev->bar0 + IAVF_VFINT_ITRN1(1, n - 1));
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
	if (n == 0 && !(dev->icr0_ena1 & IAVF_VFINT_ICR01_ADMINQ_MASK))
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
emu_iavf_out_irq(struct emu_iavf *dev, uint16_t n)
{
	if (n >= dev->num_vectors)
		return -EINVAL;
	atomic_store(&dev->vec[n].pending, 1);
	vector_try_fire(dev, n);
	return 0;
}

/* The mailbox causes the guest enabled (ICR0_ENA1). */
void
emu_iavf_irq_causes(struct emu_iavf *dev, uint32_t icr0_ena1)
{
	dev->icr0_ena1 = icr0_ena1 & (IAVF_VFINT_ICR01_ADMINQ_MASK | IAVF_VFINT_ICR01_LINK_STAT_CHANGE_MASK);
	vector_try_fire(dev, 0);
}

/* A DYN_CTLN write may set an ITR interval, as it does on hardware. */
static void
itr_update(struct emu_iavf *dev, uint16_t n, uint32_t val)
{
	uint32_t idx = IAVF_DYN_ITR_INDX(val);

	if (n == 0 || idx == IAVF_ITR_NONE)
		return;
	*(volatile uint32_t *)(dev->bar0 + IAVF_VFINT_ITRN1(idx, n - 1)) =
		IAVF_DYN_INTERVAL(val);
}

void
emu_iavf_irq_dyn_ctl(struct emu_iavf *dev, uint16_t n, uint32_t val)
{
	struct emu_iavf_vector *v = &dev->vec[n];

	v->dyn_ctl = val & ~(IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK | IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK);
	/*
	 * CLEARPBA drops what fired while the vector was off; but written
	 * with INTENA, as Linux's iavf does at the end of every NAPI poll, it
	 * keeps a cause raised while masked: that may be a frame written
	 * after the poll's last look. Delivering it costs one poll that may
	 * find nothing; dropping it would leave the frame until the next
	 * interrupt (the last frame of a burst, for ever).
	 */
	if ((val & IAVF_VFINT_DYN_CTLN1_CLEARPBA_MASK) && !(val & IAVF_VFINT_DYN_CTLN1_INTENA_MASK))
		atomic_store(&v->pending, 0);
	if (!(val & IAVF_VFINT_DYN_CTLN1_INTENA_MASK)) {
		atomic_store(&v->intena, 0);
		return;
	}
	itr_update(dev, n, val);
	if (val & IAVF_VFINT_DYN_CTLN1_SWINT_TRIG_MASK)
		atomic_store(&v->pending, 1);
	atomic_store(&v->intena, 1);
	vector_try_fire(dev, n);
}

void
emu_iavf_irq_reset(struct emu_iavf *dev)
{
	unsigned int n;

	dev->icr01 = 0;
	dev->icr0_ena1 = 0;
	for (n = 0; n < RTE_DIM(dev->vec); n++) {
		atomic_store(&dev->vec[n].intena, 0);
		atomic_store(&dev->vec[n].pending, 0);
		dev->vec[n].dyn_ctl = 0;
		dev->vec[n].dev = dev;
		dev->vec[n].n = n;
	}
}

void
emu_iavf_irq_release(struct emu_iavf *dev)
{
	unsigned int n;

	for (n = 0; n < RTE_DIM(dev->vec); n++)
		rte_eal_alarm_cancel(itr_alarm, &dev->vec[n]);
}
