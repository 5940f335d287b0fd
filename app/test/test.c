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

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>

#include "test.h"

static TAILQ_HEAD(, test_command) commands = TAILQ_HEAD_INITIALIZER(commands);
static char tmpdir[64];

void
add_test_command(struct test_command *t)
{
	TAILQ_INSERT_TAIL(&commands, t, next);
}

int
test_count_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own fd */
}

void
test_report_fds(const char *what, int expected)
{
	char path[300], target[256];
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	ssize_t n;

	fprintf(stderr, "fd leak in %s: %d open, %d expected:\n", what,
		test_count_fds(), expected);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		fprintf(stderr, "  fd %s -> %s\n", de->d_name, target);
	}
	closedir(d);
}

static void
rm_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

void
test_thread_any_cpu(pthread_t th)
{
	long i, n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t all;

	CPU_ZERO(&all);
	for (i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET(i, &all);
	pthread_setaffinity_np(th, sizeof(all), &all);
}

const char *
test_tmpdir(void)
{
	if (tmpdir[0] == '\0') {
		strcpy(tmpdir, "/tmp/emunic-test.XXXXXX");
		if (mkdtemp(tmpdir) == NULL) {
			perror("mkdtemp");
			exit(1);
		}
		atexit(rm_tmpdir);
	}
	return tmpdir;
}

struct tally {
	int passed, failed, skipped;
};

static void
tally_add(struct tally *t, int rc)
{
	if (rc == TEST_SUCCESS)
		t->passed++;
	else if (rc == TEST_SKIPPED)
		t->skipped++;
	else
		t->failed++;
}

int
unit_test_suite_run(const char *suite, const struct unit_test_case *cases,
		int (*setup)(void), void (*teardown)(void))
{
	struct tally t = { 0, 0, 0 };
	int rc;

	printf(" + Test suite: %s\n", suite);
	for (; cases->name != NULL; cases++) {
		rc = setup ? setup() : 0;
		if (rc == 0) {
			rc = cases->fn();
			if (teardown)
				teardown();
		}
		printf(" + TestCase [%2d] : %s %s\n", t.passed + t.failed + t.skipped,
		       cases->name, rc == TEST_SUCCESS ? "succeeded" :
		       rc == TEST_SKIPPED ? "skipped" : "failed");
		if (rc != TEST_SUCCESS && rc != TEST_SKIPPED)
			fprintf(stderr, "%s: case %s failed\n", suite, cases->name);
		tally_add(&t, rc);
		fflush(stdout);
	}
	printf(" + %s: %d cases, %d passed, %d failed, %d skipped\n", suite,
	       t.passed + t.failed + t.skipped, t.passed, t.failed, t.skipped);
	return t.failed ? TEST_FAILED : TEST_SUCCESS;
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

int
main(int argc, char **argv)
{
	struct tally t = { 0, 0, 0 };
	const char *env = getenv("DPDK_TEST");

	int n, i;

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
		tally_add(&t, run_named(argv[i]));
	rte_eal_cleanup();
	printf("%d passed, %d failed, %d skipped\n", t.passed, t.failed, t.skipped);
	return t.failed ? 1 : 0;
}
