/*
 * svx doctor's checks (adapters/engine/doctor.c) over scratch service
 * directories: the run file (missing, not executable, its #! line and
 * its interpreter, a FIFO or a symlink where run should be), the down
 * file, a broken link, no supervisor and no scanner, a live supervisor
 * (an `ok` reader) whose record does not change: no crash loop, and the
 * watch ends at its bound. And the tables: one row and words per check.
 */
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../adapters/engine/doctor.h"
#include "../../mappings/mappings.h"
#include "fixtures.h"
#include "tmpdir.h"

/* Which checks found something in the service REL: a bit per check. */
static unsigned int
findings(const char *rel, int watch_ms, struct doctor_finding *fs)
{
	struct doctor_finding local[DOC_COUNT];
	struct doctor_ctx c;
	unsigned int bits = 0;
	size_t i, n;

	if (fs == NULL)
		fs = local;
	doctor_open(&c, scratch_path(rel), NULL);
	c.watch_ms = watch_ms;
	n = doctor_run(&c, fs, DOC_COUNT);
	doctor_close(&c);
	for (i = 0; i < n; i++)
		bits |= 1U << fs[i].check;
	return bits;
}

#define BIT(c)	(1U << (c))

static void
service(const char *name, const char *run, mode_t mode)
{
	char rel[128];

	scratch_mkdir(name);
	if (run == NULL)
		return;
	snprintf(rel, sizeof(rel), "%s/run", name);
	scratch_write(rel, run, strlen(run));
	assert_int_equal(0, chmod(scratch_path(rel), mode));
}

static void
test_tables(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < DOC_COUNT; i++) {
		assert_int_equal(doctor_rows[i].id, i);
		assert_non_null(doctor_rows[i].test);
		assert_non_null(doctor_words[i].problem);
		assert_non_null(doctor_words[i].fix);
		for (j = 0; j < i; j++)
			assert_string_not_equal(doctor_rows[i].name,
			    doctor_rows[j].name);
	}
}

static void
test_shebang(void **state)
{
	char buf[64];
	int dirfd;

	(void)state;
	scratch_mkdir("sb");
	scratch_write("sb/a", "#! /bin/sh -e\n", 14);
	scratch_write("sb/b", "#!/usr/bin/env python3\n", 23);
	scratch_write("sb/c", "exec foo\n", 9);
	scratch_write("sb/d", "#!\n", 3);
	scratch_fifo("sb/fifo");
	assert_int_equal(0, symlink("a", scratch_path("sb/link")));
	dirfd = open(scratch_path("sb"), O_RDONLY | O_DIRECTORY);
	assert_true(dirfd != -1);
	assert_int_equal(1, doctor_interpreter(dirfd, "a", buf, sizeof(buf)));
	assert_string_equal("/bin/sh", buf);
	assert_int_equal(1, doctor_interpreter(dirfd, "b", buf, sizeof(buf)));
	assert_string_equal("/usr/bin/env", buf);
	assert_int_equal(0, doctor_interpreter(dirfd, "c", buf, sizeof(buf)));
	assert_int_equal(0, doctor_interpreter(dirfd, "d", buf, sizeof(buf)));
	/* A FIFO with no writer would block a plain open: refused. */
	assert_int_equal(0, doctor_interpreter(dirfd, "fifo", buf,
	    sizeof(buf)));
	assert_int_equal(0, doctor_interpreter(dirfd, "link", buf,
	    sizeof(buf)));
	assert_int_equal(0, doctor_interpreter(dirfd, "none", buf,
	    sizeof(buf)));
	/* Too long for BUF: not found rather than cut. */
	assert_int_equal(0, doctor_interpreter(dirfd, "b", buf, 8));
	close(dirfd);
}

static void
test_run_file(void **state)
{
	struct doctor_finding fs[DOC_COUNT];
	unsigned int b;

	(void)state;
	service("noexec", "#!/bin/sh\nexec true\n", 0644);
	b = findings("noexec", 0, NULL);
	assert_true(b & BIT(DOC_RUN_NOT_EXEC));
	assert_false(b & BIT(DOC_INTERP_MISSING));

	service("nointerp", "#!/nonexistent/shell\n", 0755);
	b = findings("nointerp", 0, fs);
	assert_true(b & BIT(DOC_INTERP_MISSING));
	assert_false(b & BIT(DOC_RUN_NOT_EXEC));
	assert_int_equal(fs[0].check, DOC_INTERP_MISSING);
	assert_string_equal(fs[0].what, "/nonexistent/shell");
	assert_int_equal(fs[0].err, ENOENT);

	/* An interpreter that is there but cannot be executed. */
	scratch_write("plainfile", "", 0);
	service("interpnox", "", 0755);
	{
		char run[600];
		int n = snprintf(run, sizeof(run), "#!%s\n",
		    scratch_path("plainfile"));

		scratch_write("interpnox/run", run, (size_t)n);
	}
	assert_true(findings("interpnox", 0, NULL) & BIT(DOC_INTERP_MISSING));

	service("good", "#!/bin/sh\nexec true\n", 0755);
	b = findings("good", 0, NULL);
	assert_false(b & (BIT(DOC_RUN_NOT_EXEC) | BIT(DOC_INTERP_MISSING) |
	    BIT(DOC_RUN_MISSING) | BIT(DOC_DOWN_FILE)));

	/* Never started: no supervisor, and no scanner watches scratch. */
	assert_true(b & BIT(DOC_NO_SUPERVISOR));
	assert_true(b & BIT(DOC_NO_SCANNER));

	service("norun", NULL, 0);
	b = findings("norun", 0, NULL);
	assert_int_equal(b, BIT(DOC_RUN_MISSING));

	service("fiforun", NULL, 0);
	scratch_fifo("fiforun/run");
	b = findings("fiforun", 0, NULL);
	assert_true(b & BIT(DOC_RUN_NOT_EXEC));
	assert_false(b & BIT(DOC_INTERP_MISSING));
}

static void
test_down_and_links(void **state)
{
	struct doctor_finding fs[DOC_COUNT];
	unsigned int b;

	(void)state;
	service("downed", "#!/bin/sh\nexec true\n", 0755);
	scratch_write("downed/down", "", 0);
	assert_true(findings("downed", 0, NULL) & BIT(DOC_DOWN_FILE));

	assert_int_equal(0, symlink(scratch_path("gone"),
	    scratch_path("dangling")));
	b = findings("dangling", 0, fs);
	assert_int_equal(b, BIT(DOC_LINK_BROKEN));
	assert_string_equal(fs[0].what, scratch_path("gone"));

	scratch_write("afile", "", 0);
	assert_int_equal(findings("afile", 0, fs), BIT(DOC_NOT_DIR));
	assert_int_equal(fs[0].err, ENOTDIR);
}

/* A supervisor's `ok` reader, a record that never changes. */
static void
make_supervised(const char *name, const char *fixture)
{
	unsigned char buf[STATUS_MAX];
	ssize_t len;

	service(name, "#!/bin/sh\nexec true\n", 0755);
	len = fixture_status(fixture, buf, sizeof(buf));
	assert_true(len > 0);
	scratch_supervise(name, buf, (size_t)len, 1);
}

static int64_t
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
test_supervised_still(void **state)
{
	int64_t t0;
	unsigned int b;
	int reader;

	(void)state;
	/* Recorded up, wanted up, its pid long gone: not up, but the
	 * record does not move in the watch, so no loop is claimed. */
	make_supervised("still", "daemontools-up");
	reader = open(scratch_path("still/supervise/ok"), O_RDONLY |
	    O_NONBLOCK);
	assert_true(reader != -1);
	t0 = ms_now();
	b = findings("still", 200, NULL);
	assert_true(ms_now() - t0 < 1000);
	assert_false(b & BIT(DOC_CRASH_LOOP));
	assert_false(b & BIT(DOC_NO_SUPERVISOR));
	assert_false(b & BIT(DOC_NO_SCANNER));
	close(reader);
	/* The same directory with its supervisor gone. */
	b = findings("still", 0, NULL);
	assert_true(b & BIT(DOC_NO_SUPERVISOR));
}

/* A daemontools record, down since LABEL seconds (TAI64), wanted up,
 * renamed into place as supervise writes it. */
static void
dt_down_want_up(const char *name, uint64_t label)
{
	unsigned char b[18];
	char rel[128], tmp[128];
	int i;

	memset(b, 0, sizeof(b));
	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(label >> (56 - 8 * i));
	b[17] = 'u';
	snprintf(tmp, sizeof(tmp), "%s/supervise/status.new", name);
	snprintf(rel, sizeof(rel), "%s/supervise/status", name);
	scratch_write(tmp, b, sizeof(b));
	assert_int_equal(0, rename(scratch_path(tmp), scratch_path(rel)));
}

/*
 * Wanted up, down, and its record rewritten every 100 ms meanwhile (a
 * run that dies faster than a look): a crash loop, seen within the
 * watch, the last exit not recorded (daemontools keeps none).
 */
static void
test_crash_watch(void **state)
{
	struct doctor_finding fs[DOC_COUNT];
	struct timespec step = { 0, 100000000L };
	unsigned int b;
	size_t i;
	int reader, st;
	pid_t child;

	(void)state;
	make_supervised("loop", "daemontools-down");
	dt_down_want_up("loop", 0x4000000060000000ULL);
	reader = open(scratch_path("loop/supervise/ok"), O_RDONLY |
	    O_NONBLOCK);
	assert_true(reader != -1);
	if ((child = fork()) == 0) {
		for (i = 1; i <= 15; i++) {
			nanosleep(&step, NULL);
			dt_down_want_up("loop", 0x4000000060000000ULL + i);
		}
		_exit(0);
	}
	assert_true(child > 0);
	b = findings("loop", 1500, fs);
	assert_int_equal(child, waitpid(child, &st, 0));
	close(reader);
	assert_true(b & BIT(DOC_CRASH_LOOP));
	for (i = 0; fs[i].check != DOC_CRASH_LOOP; i++)
		;
	assert_true(fs[i].deaths >= 1);
	assert_true(fs[i].over_ms > 0 && fs[i].over_ms <= 1600);
	assert_int_equal(fs[i].wstat, -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_shebang),
		cmocka_unit_test(test_run_file),
		cmocka_unit_test(test_down_and_links),
		cmocka_unit_test(test_supervised_still),
		cmocka_unit_test(test_crash_watch),
	};

	return cmocka_run_group_tests_name("doctor", tests, scratch_setup,
	    scratch_teardown);
}
