/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * emunic-test: runs named autotests, as DPDK's dpdk-test does.
 *
 *   DPDK_TEST=vfio_user_autotest emunic-test [EAL options]
 *   emunic-test [EAL options] -- name [name ...]
 *
 * The last line is "N passed, N failed"; the exit status is 0 only when
 * every test passed or was skipped.
 */

#include <execinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>

#include "test.h"

static TAILQ_HEAD(, test_command) commands = TAILQ_HEAD_INITIALIZER(commands);

void
add_test_command(struct test_command *t)
{
	TAILQ_INSERT_TAIL(&commands, t, next);
}

static int
run_named(const char *name)
{
	struct test_command *t;
	int rc;

	TAILQ_FOREACH(t, &commands, next) {
		if (strcmp(t->name, name) != 0)
			continue;
		printf("RTE>>%s\n", name);
		rc = t->fn();
		printf("Test %s: %s\n", name, rc == TEST_SUCCESS ? "OK" :
		       rc == TEST_SKIPPED ? "Skipped" : "Failed");
		return rc;
	}
	printf("unknown test %s; known:", name);
	TAILQ_FOREACH(t, &commands, next)
		printf(" %s", t->name);
	printf("\n");
	return TEST_FAILED;
}

/*
 * A crash prints where it happened into the test log, then kills the
 * process as before (the sanitizer builds print their own report).
 */
#if !defined(__SANITIZE_ADDRESS__)
static void
crash_report(int sig)
{
	static const char msg[] = "emunic-test: fatal signal, backtrace:\n";
	void *frames[64];
	int n = backtrace(frames, RTE_DIM(frames));

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) > 0)
		backtrace_symbols_fd(frames, n, STDERR_FILENO);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
report_crashes(void)
{
	void *frame;

	backtrace(&frame, 1); /* loads libgcc now, not in the handler */
	signal(SIGSEGV, crash_report);
	signal(SIGABRT, crash_report);
	signal(SIGFPE, crash_report);
	signal(SIGILL, crash_report);
}
#else
static void
report_crashes(void)
{
}
#endif

/* Free hugepages the kernel has (HugePages_Free in /proc/meminfo). */
static long
hugepages_free(void)
{
	char line[128];
	long n = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "HugePages_Free: %ld", &n) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return n;
}

int
main(int argc, char **argv)
{
	struct test_tally t = { 0, 0, 0 };
	const char *env = getenv("DPDK_TEST");

	int n, i;

	report_crashes();
	/* A test that needs hugepages is skipped (77) on a machine without. */
	if (getenv("EMUNIC_TEST_HUGEPAGES") != NULL && hugepages_free() == 0) {
		printf("no free hugepages: skipped\n");
		return 77;
	}
	n = rte_eal_init(argc, argv);
	if (n < 0)
		return 1;
	argc -= n;
	argv += n;
	if (env != NULL && env[0] != '\0') {
		argv[0] = (char *)(uintptr_t)env;
		argc = 1;
	} else {
		argc--;
		argv++;
	}
	for (i = 0; i < argc; i++)
		test_tally_add(&t, run_named(argv[i]));
	rte_eal_cleanup();
	printf("%d passed, %d failed, %d skipped\n", t.passed, t.failed, t.skipped);
	return t.failed ? 1 : 0;
}
