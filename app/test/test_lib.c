/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The emunic authors
 */

/*
 * What tests share beyond the runner: suites of cases, fd accounting,
 * the temporary directory, thread placement. Also linked into fuzz
 * targets that drive the scripted guest.
 */

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

static char tmpdir[64];

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

void
test_thread_other_cpu(pthread_t th)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0, &set);
	pthread_setaffinity_np(th, sizeof(set), &set);
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

void
test_tally_add(struct test_tally *t, int rc)
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
	struct test_tally t = { 0, 0, 0 };
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
		test_tally_add(&t, rc);
		fflush(stdout);
	}
	printf(" + %s: %d cases, %d passed, %d failed, %d skipped\n", suite,
	       t.passed + t.failed + t.skipped, t.passed, t.failed, t.skipped);
	return t.failed ? TEST_FAILED : TEST_SUCCESS;
}

