/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

#ifndef EMUNIC_TEST_H
#define EMUNIC_TEST_H

/*
 * The conventions of DPDK's app/test: named autotests, TEST_ASSERT*.
 * Failures go to stderr, in order with the libraries' logs.
 */

#include <pthread.h>
#include <stdio.h>
#include <sys/queue.h>

#define TEST_SUCCESS 0
#define TEST_FAILED (-1)
#define TEST_SKIPPED 77

#define TEST_ASSERT(cond, msg, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "TestCase %s() line %d failed: " msg "\n", \
			__func__, __LINE__, ##__VA_ARGS__); \
		return TEST_FAILED; \
	} \
} while (0)

/* Each operand evaluated once: they may be calls with side effects. */
#define TEST_ASSERT_EQUAL(a, b, msg, ...) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	TEST_ASSERT(a_ == b_, msg " (%lld != %lld)", ##__VA_ARGS__, a_, b_); \
} while (0)
#define TEST_ASSERT_SUCCESS(v, msg, ...) TEST_ASSERT_EQUAL(v, 0, msg, ##__VA_ARGS__)
#define TEST_ASSERT_NOT_NULL(p, msg, ...) TEST_ASSERT((p) != NULL, msg, ##__VA_ARGS__)

struct unit_test_case {
	const char *name;
	int (*fn)(void);
};

/* Passed, failed and skipped results. */
struct test_tally {
	int passed, failed, skipped;
};
void test_tally_add(struct test_tally *t, int rc);

/* Run cases in order, each between setup and teardown; 0 if all pass. */
int unit_test_suite_run(const char *suite, const struct unit_test_case *cases,
		int (*setup)(void), void (*teardown)(void));

struct test_command {
	TAILQ_ENTRY(test_command) next;
	const char *name;
	int (*fn)(void);
};

void add_test_command(struct test_command *t);

#define REGISTER_TEST_COMMAND(cmd, func) \
static struct test_command test_struct_##cmd = { .name = #cmd, .fn = func }; \
__attribute__((constructor)) static void test_register_##cmd(void) \
{ \
	add_test_command(&test_struct_##cmd); \
}

/* Open file descriptors of this process (leak checks). */
int test_count_fds(void);
/* Report a leak on stderr with every open fd and what it points to. */
void test_report_fds(const char *what, int expected);
/* Let a test's thread run on every CPU: the main lcore is pinned to one. */
void test_thread_any_cpu(pthread_t th);
/*
 * Put a test's thread on another CPU than the main lcore's (CPU 1), when
 * there is one: a guest thread then runs beside the host side rather than
 * taking turns with it.
 */
void test_thread_other_cpu(pthread_t th);
/* A directory for sockets, removed at exit. */
const char *test_tmpdir(void);

#endif /* EMUNIC_TEST_H */
