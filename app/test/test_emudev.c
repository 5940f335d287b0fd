/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/* librte_emudev with a mock provider and a mock consumer. */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>

#include <rte_emudev.h>
#include <rte_emudev_driver.h>
#include <rte_emudev_net.h>
#include <rte_emudev_vdev.h>

#include "test.h"

#define MOCK_QUEUES 4
#define MOCK_IOVA 0x10000

/* Guest memory: two regions adjacent in guest space, apart in host space. */
static uint8_t region_a[4096], region_b[4096];
static uint32_t doorbells[MOCK_QUEUES];
static int starts, stops, raises;

static int
mock_info_get(struct rte_emudev *dev __rte_unused, struct rte_emudev_info *info)
{
	info->type = RTE_EMUDEV_TYPE_NET;
	info->driver_name = "mock";
	info->max_queues = MOCK_QUEUES;
	info->max_vectors = 3;
	info->max_doorbells = MOCK_QUEUES;
	return 0;
}

static int
mock_start(struct rte_emudev *dev __rte_unused)
{
	starts++;
	return 0;
}

static int
mock_stop(struct rte_emudev *dev __rte_unused)
{
	stops++;
	return 0;
}

static int
mock_queue_info_get(struct rte_emudev *dev __rte_unused, uint16_t qid,
		struct rte_emudev_q_info *info)
{
	info->enabled = true;
	info->base = 0x1000 * (qid + 1);
	info->size = 256;
	info->doorbell_id = qid;
	info->irq_vector = 1;
	return 0;
}

static int
mock_db_info_get(struct rte_emudev *dev __rte_unused, uint16_t id,
		struct rte_emudev_db_info *info)
{
	info->type = RTE_EMUDEV_DB_MEM;
	info->mem.addr = &doorbells[id];
	info->mem.mask = 0xffff;
	return 0;
}

static int
mock_irq_raise(struct rte_emudev *dev __rte_unused, uint16_t vector)
{
	if (vector >= 3)
		return -EINVAL;
	raises++;
	return 0;
}

/* Two regions of 4 KiB, next to each other in guest addresses. */
static struct {
	struct rte_emudev_mem_table t;
	struct rte_emudev_mem_region r[2];
} mock_mem;

static const struct rte_emudev_mem_table *
mock_mem_get(struct rte_emudev *dev __rte_unused)
{
	const uint32_t rw = RTE_EMUDEV_PROT_READ | RTE_EMUDEV_PROT_WRITE;

	mock_mem.t.nregions = 2;
	mock_mem.r[0] = (struct rte_emudev_mem_region){ MOCK_IOVA, 4096,
		region_a, rw };
	mock_mem.r[1] = (struct rte_emudev_mem_region){ MOCK_IOVA + 4096, 4096,
		region_b, rw };
	return &mock_mem.t;
}

static int
mock_attr_get(struct rte_emudev *dev __rte_unused, const char *name,
		void *val, size_t len)
{
	const uint32_t speed = 10000;

	if (strcmp(name, RTE_EMUDEV_NET_ATTR_LINK_SPEED) != 0)
		return -ENOTSUP;
	if (len < sizeof(speed))
		return -ENOSPC;
	memcpy(val, &speed, sizeof(speed));
	return sizeof(speed);
}

static const struct rte_emudev_ops mock_ops = {
	.info_get = mock_info_get,
	.start = mock_start,
	.stop = mock_stop,
	.queue_info_get = mock_queue_info_get,
	.db_info_get = mock_db_info_get,
	.irq_raise = mock_irq_raise,
	.mem_get = mock_mem_get,
	.attr_get = mock_attr_get,
};

static struct rte_emudev *mock;
static uint16_t mock_id;

static int
setup(void)
{
	starts = stops = raises = 0;
	mock = rte_emudev_allocate("mock0", MOCK_QUEUES, &mock_ops, NULL);
	if (mock == NULL)
		return -1;
	mock_id = rte_emudev_id(mock);
	return 0;
}

static void
teardown(void)
{
	rte_emudev_release(mock);
	mock = NULL;
}

static int
test_registry(void)
{
	uint16_t n = rte_emudev_count();

	TEST_ASSERT(rte_emudev_allocate("mock0", 1, &mock_ops, NULL) == NULL &&
		    rte_errno == EEXIST, "duplicate name refused");
	TEST_ASSERT(rte_emudev_allocate("", 1, &mock_ops, NULL) == NULL &&
		    rte_errno == EINVAL, "empty name refused");
	TEST_ASSERT(rte_emudev_allocate("x", 1, NULL, NULL) == NULL,
		    "no ops refused");
	TEST_ASSERT_EQUAL(rte_emudev_get_dev_id("mock0"), mock_id, "find");
	TEST_ASSERT_EQUAL(rte_emudev_get_dev_id("nope"), -ENODEV, "missing");
	TEST_ASSERT(strcmp(rte_emudev_get_name(mock_id), "mock0") == 0, "name");
	TEST_ASSERT(rte_emudev_allocated("mock0") == mock, "allocated");
	TEST_ASSERT(rte_emudev_is_valid_id(mock_id), "valid id");
	TEST_ASSERT(!rte_emudev_is_valid_id(RTE_EMUDEV_MAX_DEVS), "id bound");
	TEST_ASSERT_SUCCESS(rte_emudev_release(mock), "release");
	TEST_ASSERT(!rte_emudev_is_valid_id(mock_id), "released id invalid");
	TEST_ASSERT_EQUAL(rte_emudev_count(), n - 1, "count");
	TEST_ASSERT_EQUAL(rte_emudev_start(mock_id), -EINVAL, "gone");
	return setup();
}

static int
stats_a(uint16_t dev_id __rte_unused, void *stats, size_t len, void *arg)
{
	struct rte_emudev_net_stats *s = stats;

	if (len < sizeof(*s))
		return -ENOSPC;
	s->rx_bytes = (uintptr_t)arg;
	return 0;
}

static int
test_consumer_lifecycle(void)
{
	const struct rte_emudev_conf a = { .stats_get = stats_a, .arg = (void *)7 };
	const struct rte_emudev_conf b = { .stats_get = stats_a, .arg = (void *)8 };
	struct rte_emudev_net_stats st;

	TEST_ASSERT_EQUAL(rte_emudev_start(mock_id), -EINVAL,
			  "start needs a consumer");
	TEST_ASSERT_SUCCESS(rte_emudev_consumer_stats(mock, &st, sizeof(st)),
			    "stats without a consumer");
	TEST_ASSERT_EQUAL(st.rx_bytes, 0, "zero without a consumer");
	TEST_ASSERT_SUCCESS(rte_emudev_configure(mock_id, &a), "configure");
	TEST_ASSERT_SUCCESS(rte_emudev_configure(mock_id, &a), "reconfigure");
	TEST_ASSERT_EQUAL(rte_emudev_configure(mock_id, &b), -EBUSY,
			  "a second consumer is refused");
	TEST_ASSERT_SUCCESS(rte_emudev_consumer_stats(mock, &st, sizeof(st)),
			    "stats");
	TEST_ASSERT_EQUAL(st.rx_bytes, 7, "the consumer's counters");
	TEST_ASSERT_SUCCESS(rte_emudev_start(mock_id), "start");
	TEST_ASSERT_SUCCESS(rte_emudev_start(mock_id), "start twice");
	TEST_ASSERT_EQUAL(starts, 1, "provider started once");
	TEST_ASSERT(rte_emudev_is_started(mock_id), "started");
	TEST_ASSERT_EQUAL(rte_emudev_configure(mock_id, &a), -EBUSY,
			  "no configure while started");
	TEST_ASSERT_SUCCESS(rte_emudev_close(mock_id), "close");
	TEST_ASSERT_EQUAL(stops, 1, "close stops");
	TEST_ASSERT(!rte_emudev_is_started(mock_id), "stopped");
	TEST_ASSERT_SUCCESS(rte_emudev_configure(mock_id, &b),
			    "another consumer after close");
	return rte_emudev_close(mock_id);
}

struct ev_log {
	int n;
	struct rte_emudev_event last;
	bool unsubscribe_self;
	bool call_back;   /* try the API from the callback */
	int rc[6];        /* what each call returned */
};

static void on_event(uint16_t dev_id, const struct rte_emudev_event *ev,
		void *arg);

/* From a callback: control calls are refused, the data path's are not. */
static void
call_back(uint16_t dev_id, struct ev_log *log)
{
	const struct rte_emudev_conf conf = { .stats_get = NULL };
	struct rte_emudev_q_info q;
	struct rte_emudev_info info;
	uint32_t speed;

	log->rc[0] = rte_emudev_configure(dev_id, &conf);
	log->rc[1] = rte_emudev_start(dev_id);
	log->rc[2] = rte_emudev_get_queue_info(dev_id, 0, &q);
	log->rc[3] = rte_emudev_get_attr(dev_id, RTE_EMUDEV_NET_ATTR_LINK_SPEED,
			&speed, sizeof(speed));
	log->rc[4] = rte_emudev_subscribe_event(dev_id, on_event, &speed);
	log->rc[5] = rte_emudev_info_get(dev_id, &info);
}

static void
on_event(uint16_t dev_id, const struct rte_emudev_event *ev, void *arg)
{
	struct ev_log *log = arg;

	log->n++;
	log->last = *ev;
	if (log->call_back)
		call_back(dev_id, log);
	if (log->unsubscribe_self)
		rte_emudev_unsubscribe_event(dev_id, on_event, arg);
}

static int
test_events(void)
{
	struct ev_log l1 = { 0 }, l2 = { 0 }, l3 = { .unsubscribe_self = true };
	struct rte_emudev_event ev = {
		.type = RTE_EMUDEV_EVENT_QUEUE_STATE,
		.queue = { .qid = 3, .enabled = true },
	};
	struct ev_log extra[RTE_EMUDEV_MAX_SUBSCRIBERS];
	int i;

	TEST_ASSERT_SUCCESS(rte_emudev_subscribe_event(mock_id, on_event, &l1), "sub 1");
	TEST_ASSERT_SUCCESS(rte_emudev_subscribe_event(mock_id, on_event, &l2), "sub 2");
	TEST_ASSERT_SUCCESS(rte_emudev_subscribe_event(mock_id, on_event, &l3), "sub 3");
	TEST_ASSERT_EQUAL(rte_emudev_subscribe_event(mock_id, on_event, &l1),
			  -EEXIST, "no double subscription");
	rte_emudev_event_post(mock, &ev);
	TEST_ASSERT(l1.n == 1 && l2.n == 1 && l3.n == 1, "all delivered");
	TEST_ASSERT(l1.last.type == RTE_EMUDEV_EVENT_QUEUE_STATE &&
		    l1.last.queue.qid == 3 && l1.last.queue.enabled, "content");
	ev = (struct rte_emudev_event){ .type = RTE_EMUDEV_EVENT_LINK,
		.link = { .up = true } };
	rte_emudev_event_post(mock, &ev);
	TEST_ASSERT(l3.n == 1, "a callback may unsubscribe itself");
	TEST_ASSERT(l2.n == 2 && l2.last.link.up, "second event");
	TEST_ASSERT_SUCCESS(rte_emudev_unsubscribe_event(mock_id, on_event, &l2), "unsub");
	TEST_ASSERT_EQUAL(rte_emudev_unsubscribe_event(mock_id, on_event, &l2),
			  -ENOENT, "unsub twice");
	rte_emudev_event_post(mock, &ev);
	TEST_ASSERT(l1.n == 3 && l2.n == 2, "only subscribers get events");
	for (i = 0; i < RTE_EMUDEV_MAX_SUBSCRIBERS - 1; i++)
		TEST_ASSERT_SUCCESS(rte_emudev_subscribe_event(mock_id, on_event,
				&extra[i]), "fill");
	TEST_ASSERT_EQUAL(rte_emudev_subscribe_event(mock_id, on_event,
			&extra[i]), -ENOSPC, "bounded");
	return 0;
}

/*
 * A callback runs while the provider holds its control state: the API
 * refuses the control calls that would reach the provider, with -EDEADLK
 * rather than a deadlock, and allows the rest.
 */
static int
test_callback_contract(void)
{
	struct ev_log l = { .call_back = true };
	const struct rte_emudev_event ev = { .type = RTE_EMUDEV_EVENT_RESET };
	struct rte_emudev_info info;
	int i;

	TEST_ASSERT_SUCCESS(rte_emudev_subscribe_event(mock_id, on_event, &l),
			    "subscribe");
	rte_emudev_event_post(mock, &ev);
	TEST_ASSERT_EQUAL(l.n, 1, "delivered");
	for (i = 0; i < 5; i++)
		TEST_ASSERT_EQUAL(l.rc[i], -EDEADLK, "control call %d refused", i);
	TEST_ASSERT_SUCCESS(l.rc[5], "info_get allowed");
	TEST_ASSERT(!rte_emudev_is_started(mock_id), "nothing started");
	TEST_ASSERT_SUCCESS(rte_emudev_unsubscribe_event(mock_id, on_event, &l),
			    "unsubscribe");
	TEST_ASSERT_SUCCESS(rte_emudev_info_get(mock_id, &info),
			    "outside a callback, as before");
	return 0;
}

static int
test_queries(void)
{
	struct rte_emudev_q_info q;
	struct rte_emudev_db_info db;
	struct rte_emudev_irq_info irq;
	struct rte_emudev_info info;
	uint32_t speed = 0;
	void *base;
	uint64_t size;

	TEST_ASSERT_SUCCESS(rte_emudev_info_get(mock_id, &info), "info");
	TEST_ASSERT(info.max_queues == MOCK_QUEUES && info.type == RTE_EMUDEV_TYPE_NET,
		    "info content");
	TEST_ASSERT_SUCCESS(rte_emudev_get_queue_info(mock_id, 2, &q), "queue");
	TEST_ASSERT(q.base == 0x3000 && q.size == 256, "queue content");
	TEST_ASSERT_EQUAL(rte_emudev_get_queue_info(mock_id, MOCK_QUEUES, &q),
			  -EINVAL, "queue id bound");
	TEST_ASSERT_SUCCESS(rte_emudev_get_db_info(mock_id, 1, &db), "doorbell");
	doorbells[1] = 42;
	TEST_ASSERT(db.type == RTE_EMUDEV_DB_MEM && *db.mem.addr == 42,
		    "doorbell in shared memory");
	TEST_ASSERT_EQUAL(rte_emudev_get_db_info(mock_id, 9, &db), -EINVAL,
			  "doorbell id bound");
	TEST_ASSERT_EQUAL(rte_emudev_get_irq_info(mock_id, 3, &irq), -EINVAL,
			  "vector bound");
	TEST_ASSERT_EQUAL(rte_emudev_get_irq_info(mock_id, 0, &irq), -ENOTSUP,
			  "optional op");
	TEST_ASSERT_SUCCESS(rte_emudev_irq_raise(mock_id, 1), "raise");
	TEST_ASSERT_EQUAL(rte_emudev_irq_raise(mock_id, 3), -EINVAL, "raise bound");
	TEST_ASSERT_EQUAL(raises, 1, "one raised");
	TEST_ASSERT_EQUAL(rte_emudev_get_attr(mock_id, RTE_EMUDEV_NET_ATTR_LINK_SPEED,
			&speed, sizeof(speed)), 4, "attr");
	TEST_ASSERT_EQUAL(speed, 10000, "attr value");
	TEST_ASSERT_EQUAL(rte_emudev_get_attr(mock_id, "nope", &speed,
			sizeof(speed)), -ENOTSUP, "unknown attr");
	TEST_ASSERT_EQUAL(rte_emudev_set_attr(mock_id, "x", &speed, 4), -ENOTSUP,
			  "no setter");
	TEST_ASSERT_EQUAL(rte_emudev_region_map(mock_id, "bar0", &base, &size),
			  -ENOTSUP, "no regions");
	TEST_ASSERT_EQUAL(rte_emudev_get_mem_table(mock_id, NULL, 0), -ENOTSUP,
			  "no table");
	return 0;
}

/* The in-line translation: its hint is only ever a hint. */
static int
test_inline_translation(void)
{
	const struct rte_emudev_mem_table *mt = rte_emudev_get_mem(mock_id);
	uint32_t hint = 7; /* stale: beyond the table */
	uint64_t len = 64;

	TEST_ASSERT(mt != NULL && mt->nregions == 2, "table");
	TEST_ASSERT(rte_emudev_mem_translate(mt, MOCK_IOVA + 4096 + 8, &len,
			RTE_EMUDEV_PROT_WRITE, &hint) == region_b + 8 && len == 64 &&
		    hint == 1, "a stale hint is searched past, then set");
	len = 64;
	TEST_ASSERT(rte_emudev_mem_translate(mt, MOCK_IOVA + 4096 - 8, &len,
			RTE_EMUDEV_PROT_READ, &hint) == region_a + 4096 - 8 &&
		    len == 8 && hint == 0, "a hint to the other region");
	len = 64;
	TEST_ASSERT(rte_emudev_mem_translate(mt, MOCK_IOVA - 1, &len,
			RTE_EMUDEV_PROT_READ, &hint) == NULL && len == 0 && hint == 0,
		    "below the first region");
	len = 64;
	TEST_ASSERT(rte_emudev_mem_translate(mt, MOCK_IOVA + 8192, &len,
			RTE_EMUDEV_PROT_READ, &hint) == NULL && len == 0,
		    "past the last region");
	len = 64;
	TEST_ASSERT(rte_emudev_mem_translate(mt, MOCK_IOVA, &len,
			RTE_EMUDEV_PROT_READ | 4, &hint) == NULL && len == 0,
		    "rights the region does not give");
	len = 64;
	TEST_ASSERT(rte_emudev_mem_translate(NULL, MOCK_IOVA, &len,
			RTE_EMUDEV_PROT_READ, &hint) == NULL && len == 0, "no table");
	TEST_ASSERT(rte_emudev_get_mem(RTE_EMUDEV_MAX_DEVS) == NULL,
		    "unknown device");
	/* A provider without irq_poll, and no device: nothing happens. */
	rte_emudev_irq_poll(mock_id);
	rte_emudev_irq_poll(RTE_EMUDEV_MAX_DEVS);
	TEST_ASSERT_EQUAL(raises, 0, "irq_poll raises nothing");
	return 0;
}

static int
test_guest_memory(void)
{
	uint8_t out[64], in[64];
	uint64_t len = 64;
	unsigned int i;

	for (i = 0; i < sizeof(out); i++)
		out[i] = i + 1;
	TEST_ASSERT(rte_emudev_translate(mock_id, MOCK_IOVA + 4096 - 16, &len,
			RTE_EMUDEV_PROT_READ) == region_a + 4096 - 16 && len == 16,
		    "translation stops at the region's end");
	TEST_ASSERT_SUCCESS(rte_emudev_write_guest(mock_id, MOCK_IOVA + 4096 - 16,
			out, sizeof(out)), "write across regions");
	TEST_ASSERT(memcmp(region_a + 4096 - 16, out, 16) == 0 &&
		    memcmp(region_b, out + 16, 48) == 0, "both regions written");
	TEST_ASSERT_SUCCESS(rte_emudev_read_guest(mock_id, MOCK_IOVA + 4096 - 16,
			in, sizeof(in)), "read across regions");
	TEST_ASSERT(memcmp(in, out, sizeof(in)) == 0, "read back");
	TEST_ASSERT_EQUAL(rte_emudev_read_guest(mock_id, MOCK_IOVA + 8192 - 8,
			in, 16), -EFAULT, "past the end");
	TEST_ASSERT_EQUAL(rte_emudev_read_guest(mock_id, UINT64_MAX - 4, in, 16),
			  -EFAULT, "wrapping address");
	len = 0;
	TEST_ASSERT(rte_emudev_translate(mock_id, MOCK_IOVA, &len,
			RTE_EMUDEV_PROT_READ) == NULL, "empty translation");
	return test_inline_translation();
}

struct burst_worker {
	struct rte_emudev_qguard *g;
	atomic_int in_burst;
	atomic_long bursts;
	atomic_long skipped;
	atomic_int stop;
};

static void *
burst_loop(void *arg)
{
	struct burst_worker *w = arg;

	while (!atomic_load(&w->stop)) {
		if (!rte_emudev_qguard_enter(w->g)) {
			atomic_fetch_add(&w->skipped, 1);
			sched_yield(); /* a test on a shared machine */
			continue;
		}
		atomic_store(&w->in_burst, 1);
		usleep(50);
		atomic_store(&w->in_burst, 0);
		atomic_fetch_add(&w->bursts, 1);
		rte_emudev_qguard_leave(w->g);
	}
	return NULL;
}

static int
test_qguard(void)
{
	struct burst_worker w = { .g = rte_emudev_get_qguard(mock_id, 1) };
	long before;
	pthread_t t;
	int i, rc = 0;

	TEST_ASSERT_NOT_NULL(w.g, "guard");
	TEST_ASSERT(rte_emudev_get_qguard(mock_id, MOCK_QUEUES) == NULL, "bound");
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, burst_loop, &w), "thread");
	for (i = 0; i < 50 && rc == 0; i++) {
		rte_emudev_queue_quiesce(mock, 1);
		/* No burst in flight now, nor while the guard is held. */
		if (atomic_load(&w.in_burst))
			rc = -1;
		before = atomic_load(&w.bursts);
		usleep(100);
		if (atomic_load(&w.bursts) != before || atomic_load(&w.in_burst))
			rc = -1;
		rte_emudev_queue_resume(mock, 1);
		usleep(100);
	}
	atomic_store(&w.stop, 1);
	pthread_join(t, NULL);
	TEST_ASSERT_SUCCESS(rc, "a burst ran while the queue was quiesced");
	TEST_ASSERT(atomic_load(&w.bursts) > 0 && atomic_load(&w.skipped) > 0,
		    "bursts ran between quiesces and were skipped during");
	/* Other queues are not affected by one queue's guard. */
	rte_emudev_queue_quiesce(mock, 1);
	TEST_ASSERT(rte_emudev_qguard_enter(rte_emudev_get_qguard(mock_id, 2)),
		    "queue 2 free");
	rte_emudev_qguard_leave(rte_emudev_get_qguard(mock_id, 2));
	rte_emudev_queue_resume(mock, 1);
	rte_emudev_quiesce_all(mock);
	TEST_ASSERT(!rte_emudev_qguard_enter(rte_emudev_get_qguard(mock_id, 3)),
		    "all quiesced");
	rte_emudev_resume_all(mock);
	return 0;
}

static int
test_vdev_args(void)
{
	TEST_ASSERT_EQUAL(rte_emudev_vdev_parse("emu=mock0,mac=x"), mock_id,
			  "resolves the name");
	TEST_ASSERT_EQUAL(rte_emudev_vdev_parse("mac=x"), -EINVAL, "missing key");
	TEST_ASSERT_EQUAL(rte_emudev_vdev_parse("emu=mock0,emu=mock0"), -EINVAL,
			  "key twice");
	TEST_ASSERT_EQUAL(rte_emudev_vdev_parse("emu=other"), -ENODEV,
			  "unknown device");
	TEST_ASSERT_EQUAL(rte_emudev_vdev_parse(NULL), -EINVAL, "no args");
	return 0;
}

static struct {
	struct rte_emudev_qguard *g;
	atomic_int entered, release, synced;
} grace;

/* A burst that stays in its guard until told to leave. */
static void *
long_burst(void *arg __rte_unused)
{
	while (!rte_emudev_qguard_enter(grace.g))
		sched_yield();
	atomic_store(&grace.entered, 1);
	while (!atomic_load(&grace.release))
		sched_yield();
	rte_emudev_qguard_leave(grace.g);
	return NULL;
}

static void *
syncer(void *arg __rte_unused)
{
	rte_emudev_sync_all(mock);
	atomic_store(&grace.synced, 1);
	return NULL;
}

/*
 * rte_emudev_sync_all() waits for a burst that was in its guard when it
 * was called, stops no burst (other guards stay free, new bursts enter),
 * and skips the guards the provider holds itself.
 */
static int
test_sync_all(void)
{
	pthread_t burst, sync;
	int i;

	memset(&grace, 0, sizeof(grace));
	grace.g = rte_emudev_get_qguard(mock_id, 2);
	rte_emudev_queue_quiesce(mock, 1); /* the provider's own: skipped */
	TEST_ASSERT_SUCCESS(pthread_create(&burst, NULL, long_burst, NULL), "burst");
	test_thread_any_cpu(burst);
	while (!atomic_load(&grace.entered))
		sched_yield();
	TEST_ASSERT_SUCCESS(pthread_create(&sync, NULL, syncer, NULL), "sync");
	test_thread_any_cpu(sync);
	for (i = 0; i < 50; i++) {
		usleep(1000);
		if (atomic_load(&grace.synced))
			break;
		/* Meanwhile, bursts on other queues go on. */
		if (!rte_emudev_qguard_enter(rte_emudev_get_qguard(mock_id, 3)))
			break;
		rte_emudev_qguard_leave(rte_emudev_get_qguard(mock_id, 3));
	}
	TEST_ASSERT_EQUAL(i, 50, "no return while the burst is in, nor a stopped queue");
	atomic_store(&grace.release, 1);
	pthread_join(burst, NULL);
	pthread_join(sync, NULL);
	TEST_ASSERT(atomic_load(&grace.synced), "returns once it left");
	TEST_ASSERT(rte_emudev_qguard_enter(grace.g), "the guard is free");
	rte_emudev_qguard_leave(grace.g);
	rte_emudev_queue_resume(mock, 1);
	return 0;
}

static const struct unit_test_case emudev_cases[] = {
	{ "registry", test_registry },
	{ "consumer_lifecycle", test_consumer_lifecycle },
	{ "events", test_events },
	{ "callback_contract", test_callback_contract },
	{ "queries", test_queries },
	{ "guest_memory", test_guest_memory },
	{ "qguard", test_qguard },
	{ "sync_all", test_sync_all },
	{ "vdev_args", test_vdev_args },
	{ NULL, NULL },
};

static int
test_emudev(void)
{
	return unit_test_suite_run("emudev", emudev_cases, setup, teardown);
}

REGISTER_TEST_COMMAND(emudev_autotest, test_emudev);
