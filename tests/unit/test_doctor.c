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
#include "../../adapters/engine/sd_doctor.h"
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

/* A check's row, in the directory table or supervisord's. */
static int
row_id(size_t i)
{
	return i < DOC_DIR_COUNT ? (int)doctor_rows[i].id :
	    (int)sd_doctor_rows[i - DOC_DIR_COUNT].id;
}

static int
row_has_test(size_t i)
{
	return i < DOC_DIR_COUNT ? doctor_rows[i].test != NULL :
	    sd_doctor_rows[i - DOC_DIR_COUNT].test != NULL;
}

static const char *
row_name(size_t i)
{
	return i < DOC_DIR_COUNT ? doctor_rows[i].name :
	    sd_doctor_rows[i - DOC_DIR_COUNT].name;
}

static void
test_tables(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < DOC_COUNT; i++) {
		assert_int_equal(row_id(i), i);
		assert_true(row_has_test(i));
		assert_non_null(doctor_words[i].problem);
		assert_non_null(doctor_words[i].fix);
		for (j = 0; j < i; j++)
			assert_string_not_equal(row_name(i), row_name(j));
	}
}

/* ---- supervisord programs (adapters/engine/sd_doctor.c) ---- */

static const char main_log[] =
    "2026-12-06 06:10:01,100 INFO spawned: 'crashy' with pid 10\n"
    "2026-12-06 06:10:01,200 WARN exited: crashy (exit status 3; not "
    "expected)\n"
    "2026-12-06 06:10:02,100 INFO spawned: 'crashy' with pid 11\n"
    "2026-12-06 06:10:02,200 WARN exited: crashy (terminated by SIGKILL; "
    "not expected)\n"
    "2026-12-06 06:10:03,200 WARN exited: xcrashy (exit status 9; not "
    "expected)\n"
    "2026-12-06 06:10:04,200 WARN exited: web (exit status 250; not "
    "expected)\n"
    "2026-12-06 06:10:05,200 WARN exited: cut (exit status 1";

static void
test_sd_last_death(void **state)
{
	char out[64];
	int code;

	(void)state;
	/* The last line of the program, not of one whose name ends so. */
	assert_int_equal(1, sd_last_death(main_log, strlen(main_log),
	    "crashy", out, sizeof(out), &code));
	assert_string_equal(out, "terminated by SIGKILL");
	assert_int_equal(code, -1);
	assert_int_equal(1, sd_last_death(main_log, strlen(main_log), "web",
	    out, sizeof(out), &code));
	assert_string_equal(out, "exit status 250");
	assert_int_equal(code, 250);
	/* The first death, when the log ends before the second. */
	assert_int_equal(1, sd_last_death(main_log, 120, "crashy", out,
	    sizeof(out), &code));
	assert_string_equal(out, "exit status 3");
	assert_int_equal(code, 3);
	/* A line cut by the end of what was read; no line at all. */
	assert_int_equal(0, sd_last_death(main_log, strlen(main_log), "cut",
	    out, sizeof(out), &code));
	assert_int_equal(0, sd_last_death(main_log, strlen(main_log), "idle",
	    out, sizeof(out), &code));
	/* Cut to the buffer. */
	assert_int_equal(1, sd_last_death(main_log, strlen(main_log), "web",
	    out, 5, &code));
	assert_string_equal(out, "exit");
}

/* What sd_doctor_run finds in D: the checks, in order, into IDS. */
static size_t
sd_found(const struct sd_doctor *d, enum doctor_check *ids)
{
	struct doctor_finding fs[DOC_COUNT];
	size_t i, n = sd_doctor_run(d, fs, DOC_COUNT);

	for (i = 0; i < n; i++)
		ids[i] = fs[i].check;
	return n;
}

static void
sd_running(struct sd_doctor *d, int state)
{
	memset(d, 0, sizeof(*d));
	d->socket = "/run/sd.sock";
	d->result = SD_OK;
	d->proc.state = state;
	d->have_prog = 1;
	d->prog.autostart = 1;
	d->death_exit = -1;
}

static void
test_sd_checks(void **state)
{
	struct doctor_finding fs[DOC_COUNT];
	enum doctor_check ids[DOC_COUNT];
	struct sd_doctor d;

	(void)state;
	sd_running(&d, SD_RUNNING);
	assert_int_equal(0, sd_found(&d, ids));
	/* Ended by design, or never meant to start: nothing wrong. */
	sd_running(&d, SD_EXITED);
	assert_int_equal(0, sd_found(&d, ids));
	sd_running(&d, SD_STOPPED);
	d.prog.autostart = 0;
	assert_int_equal(0, sd_found(&d, ids));
	d.prog.autostart = 1;
	assert_int_equal(1, sd_found(&d, ids));
	assert_int_equal(DOC_SD_STOPPED, ids[0]);

	sd_running(&d, SD_FATAL);
	strlcpy(d.proc.spawnerr, "Exited too quickly", sizeof(d.proc.spawnerr));
	strlcpy(d.death, "exit status 3", sizeof(d.death));
	d.death_exit = 3;
	assert_int_equal(1, sd_doctor_run(&d, fs, DOC_COUNT));
	assert_int_equal(DOC_SD_FATAL, fs[0].check);
	assert_string_equal(fs[0].what, "Exited too quickly");
	assert_string_equal(fs[0].death, "exit status 3");
	assert_true(WIFEXITED(fs[0].wstat) && WEXITSTATUS(fs[0].wstat) == 3);
	d.proc.state = SD_BACKOFF;
	assert_int_equal(1, sd_found(&d, ids));
	assert_int_equal(DOC_SD_BACKOFF, ids[0]);

	sd_running(&d, SD_RUNNING);
	strlcpy(d.log_missing, "/var/log/x.log", sizeof(d.log_missing));
	d.supervisord = 42;
	assert_int_equal(1, sd_doctor_run(&d, fs, DOC_COUNT));
	assert_int_equal(DOC_SD_LOG_MISSING, fs[0].check);
	assert_string_equal(fs[0].what, "/var/log/x.log");
	assert_int_equal(42, fs[0].pid);

	/* Nothing else is asked of a supervisord that does not answer, nor
	 * of a program it does not know. */
	sd_running(&d, SD_FATAL);
	d.result = SD_NOT_LISTENING;
	assert_int_equal(1, sd_doctor_run(&d, fs, DOC_COUNT));
	assert_int_equal(DOC_SD_UNREACHABLE, fs[0].check);
	assert_int_equal(ECONNREFUSED, fs[0].err);
	assert_string_equal(fs[0].what, "/run/sd.sock");
	d.result = SD_FAULT;
	d.fault_code = SD_FAULT_BAD_NAME;
	assert_int_equal(1, sd_found(&d, ids));
	assert_int_equal(DOC_SD_UNKNOWN, ids[0]);
	d.fault_code = 6;	/* SHUTDOWN_STATE */
	assert_int_equal(1, sd_found(&d, ids));
	assert_int_equal(DOC_SD_UNREACHABLE, ids[0]);
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
		cmocka_unit_test(test_sd_last_death),
		cmocka_unit_test(test_sd_checks),
		cmocka_unit_test(test_shebang),
		cmocka_unit_test(test_run_file),
		cmocka_unit_test(test_down_and_links),
		cmocka_unit_test(test_supervised_still),
		cmocka_unit_test(test_crash_watch),
	};

	return cmocka_run_group_tests_name("doctor", tests, scratch_setup,
	    scratch_teardown);
}
