/*
 * Detection: the pure decision over synthetic evidence, then the whole
 * path (gather + decide) over scratch directories that hold captured
 * status files, real FIFOs (a reader opened here stands for a live
 * supervisor) and a real fcntl lock held by a child process.
 */
#include <sys/wait.h>

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../adapters/detect.h"
#include "../../adapters/service.h"
#include "fixtures.h"
#include "tmpdir.h"

static void
load(struct svx_evidence *ev, const char *fixture)
{
	ssize_t r = fixture_status(fixture, ev->status, sizeof(ev->status));

	assert_true(r > 0);
	ev->status_len = (size_t)r;
}

static void
evidence(struct svx_evidence *ev, int ok, int lock, const char *fixture)
{
	memset(ev, 0, sizeof(*ev));
	ev->ok.result = ok;
	ev->ok.err = ok == -1 ? ENOENT : 0;
	ev->control.result = ok == 1 || lock == 1 ? 1 : 0;
	ev->lock.result = lock;
	ev->lock_pid = lock == 1 ? 4242 : 0;
	ev->files = EV_RUN | EV_SUPERVISE;
	if (fixture != NULL)
		load(ev, fixture);
	else
		ev->status_err = ENOENT;
}

static void
expect(const struct svx_evidence *ev, enum svx_verdict v, enum svx_backend b)
{
	struct svx_detect d;

	detect_decide(ev, &d);
	if (d.verdict != v || d.backend != b)
		fail_msg("verdict %d/%s, expected %d/%s (%s)", d.verdict,
		    backend_name(d.backend), v, backend_name(b), d.why);
	assert_non_null(d.why);
}

static void
test_live_formats(void **state)
{
	struct svx_evidence ev;

	(void)state;
	evidence(&ev, 1, 0, "daemontools-up");
	expect(&ev, VERDICT_SUPERVISED, BACKEND_DAEMONTOOLS);
	evidence(&ev, 1, 0, "runit-up");
	expect(&ev, VERDICT_SUPERVISED, BACKEND_RUNIT);
	evidence(&ev, 1, 0, "runit-finishing");
	expect(&ev, VERDICT_SUPERVISED, BACKEND_RUNIT);
	evidence(&ev, 1, 0, "encore-up");
	expect(&ev, VERDICT_SUPERVISED, BACKEND_ENCORE);
	evidence(&ev, 1, 0, "encore-up-with-log");
	expect(&ev, VERDICT_SUPERVISED, BACKEND_ENCORE);
	evidence(&ev, 0, 1, "s6-up");
	expect(&ev, VERDICT_SUPERVISED, BACKEND_S6);
}

/* Both "fully down" 20-byte records: runit's fresh stat file decides. */
static void
test_twenty_byte_tie(void **state)
{
	struct svx_evidence ev;

	(void)state;
	evidence(&ev, 1, 0, "runit-down");
	expect(&ev, VERDICT_SUPERVISED, BACKEND_ENCORE);
	ev.files |= EV_STAT;
	expect(&ev, VERDICT_SUPERVISED, BACKEND_ENCORE);
	ev.files |= EV_STAT_FRESH;
	expect(&ev, VERDICT_SUPERVISED, BACKEND_RUNIT);
	evidence(&ev, 1, 0, "encore-down");
	expect(&ev, VERDICT_SUPERVISED, BACKEND_ENCORE);
}

static void
test_contradictions(void **state)
{
	struct svx_evidence ev;

	(void)state;
	evidence(&ev, 1, 0, "s6-up");	/* ok reader, s6 bytes */
	expect(&ev, VERDICT_AMBIGUOUS, BACKEND_S6);
	evidence(&ev, 0, 1, "runit-up");	/* s6 lock, runit bytes */
	expect(&ev, VERDICT_AMBIGUOUS, BACKEND_RUNIT);
	evidence(&ev, 1, 1, "s6-up");	/* two supervisors (§3.5) */
	expect(&ev, VERDICT_AMBIGUOUS, BACKEND_S6);
	evidence(&ev, 0, 0, "runit-up");
	ev.control.result = 1;		/* control read, no ok, no lock */
	expect(&ev, VERDICT_AMBIGUOUS, BACKEND_RUNIT);
	evidence(&ev, 1, 0, "runit-up");
	ev.status[19] = 7;		/* no backend writes that */
	expect(&ev, VERDICT_AMBIGUOUS, BACKEND_UNKNOWN);
	evidence(&ev, 1, 0, "runit-up");
	ev.status_len = 19;
	expect(&ev, VERDICT_AMBIGUOUS, BACKEND_UNKNOWN);
}

static void
test_dead_supervisors(void **state)
{
	struct svx_evidence ev;

	(void)state;
	evidence(&ev, 0, 0, "daemontools-stale");
	expect(&ev, VERDICT_UNSUPERVISED, BACKEND_DAEMONTOOLS);
	evidence(&ev, 0, 0, "runit-stale");
	expect(&ev, VERDICT_UNSUPERVISED, BACKEND_RUNIT);
	evidence(&ev, -1, 0, "s6-stale");
	expect(&ev, VERDICT_UNSUPERVISED, BACKEND_S6);
	evidence(&ev, -1, 0, NULL);
	ev.files |= EV_EVENT;
	ev.lock.result = -1;
	ev.lock.err = ENOENT;
	expect(&ev, VERDICT_UNSUPERVISED, BACKEND_S6);
}

static void
test_no_supervise_dir(void **state)
{
	struct svx_evidence ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.svdir_err = ENOENT;
	ev.files = EV_RUN;
	expect(&ev, VERDICT_UNSUPERVISED, BACKEND_UNKNOWN);
	ev.files = 0;
	expect(&ev, VERDICT_NOT_SERVICE, BACKEND_UNKNOWN);
	ev.svdir_err = ENOTDIR;
	expect(&ev, VERDICT_NOT_SERVICE, BACKEND_UNKNOWN);
	ev.svdir_err = EACCES;
	expect(&ev, VERDICT_ERROR, BACKEND_UNKNOWN);
	evidence(&ev, -1, 0, "runit-up");
	ev.ok.err = EACCES;
	expect(&ev, VERDICT_ERROR, BACKEND_UNKNOWN);
}

/* A scratch service directory NAME holding FIXTURE as its status. */
static void
make_dir(const char *name, const char *fixture, int with_ok)
{
	unsigned char buf[STATUS_MAX];
	char rel[128];
	ssize_t len;

	scratch_mkdir(name);
	snprintf(rel, sizeof(rel), "%s/run", name);
	scratch_write(rel, "#!/bin/sh\n", 10);
	snprintf(rel, sizeof(rel), "%s/supervise", name);
	scratch_mkdir(rel);
	snprintf(rel, sizeof(rel), "%s/supervise/control", name);
	scratch_fifo(rel);
	if (with_ok) {
		snprintf(rel, sizeof(rel), "%s/supervise/ok", name);
		scratch_fifo(rel);
	}
	snprintf(rel, sizeof(rel), "%s/supervise/lock", name);
	scratch_write(rel, "", 0);
	len = fixture_status(fixture, buf, sizeof(buf));
	assert_true(len > 0);
	snprintf(rel, sizeof(rel), "%s/supervise/status", name);
	scratch_write(rel, buf, (size_t)len);
}

static void
open_service(const char *name, struct svx_service *sv)
{
	assert_int_equal(service_open(AT_FDCWD, scratch_path(name), NULL, sv),
	    0);
}

/* Opening `ok` for reading here is what a live supervisor does. */
static void
test_gather_djb(void **state)
{
	struct svx_service sv;
	int reader;

	(void)state;
	make_dir("dt", "daemontools-paused", 1);
	open_service("dt", &sv);
	assert_int_equal(sv.det.verdict, VERDICT_UNSUPERVISED);
	assert_int_equal(sv.det.backend, BACKEND_DAEMONTOOLS);
	assert_true(sv.status_ok);
	assert_true(sv.st.main.paused);
	service_close(&sv);

	reader = open(scratch_path("dt/supervise/ok"), O_RDONLY | O_NONBLOCK);
	assert_true(reader != -1);
	open_service("dt", &sv);
	assert_int_equal(sv.det.verdict, VERDICT_SUPERVISED);
	assert_int_equal(sv.det.backend, BACKEND_DAEMONTOOLS);
	assert_true(sv.det.ev.files & EV_OK);
	assert_int_equal(sv.det.ev.status_len, 18);
	service_close(&sv);
	close(reader);
}

static pid_t
hold_lock(const char *path)
{
	struct flock fl;
	int p[2], fd;
	char c;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		fd = open(path, O_WRONLY);
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fd == -1 || fcntl(fd, F_SETLK, &fl) == -1)
			_exit(1);
		(void)write(p[1], "", 1);
		pause();
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static void
test_gather_s6(void **state)
{
	struct svx_service sv;
	pid_t holder;

	(void)state;
	make_dir("s6", "s6-up-ready", 0);
	scratch_write("s6/notification-fd", "3\n", 2);
	open_service("s6", &sv);
	assert_int_equal(sv.det.verdict, VERDICT_UNSUPERVISED);
	assert_int_equal(sv.det.backend, BACKEND_S6);
	service_close(&sv);

	holder = hold_lock(scratch_path("s6/supervise/lock"));
	open_service("s6", &sv);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	assert_int_equal(sv.det.verdict, VERDICT_SUPERVISED);
	assert_int_equal(sv.det.backend, BACKEND_S6);
	assert_int_equal(sv.det.ev.lock_pid, holder);
	assert_int_equal(sv.st.main.ready, TRI_YES);
	service_close(&sv);
}

/* s6 with no notification-fd cannot know readiness: unknown, not "no". */
static void
test_s6_readiness_unknown(void **state)
{
	struct svx_service sv;
	pid_t holder;

	(void)state;
	make_dir("s6b", "s6-up", 0);
	holder = hold_lock(scratch_path("s6b/supervise/lock"));
	open_service("s6b", &sv);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	assert_int_equal(sv.st.main.ready, TRI_UNKNOWN);
	service_close(&sv);
	scratch_write("s6b/notification-fd", "3\n", 2);
	holder = hold_lock(scratch_path("s6b/supervise/lock"));
	open_service("s6b", &sv);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	assert_int_equal(sv.st.main.ready, TRI_NO);
	service_close(&sv);
}

static void
test_odd_directories(void **state)
{
	struct svx_service sv;

	(void)state;
	scratch_mkdir("never");
	scratch_write("never/run", "#!/bin/sh\n", 10);
	open_service("never", &sv);
	assert_int_equal(sv.det.verdict, VERDICT_UNSUPERVISED);
	assert_int_equal(sv.det.backend, BACKEND_UNKNOWN);
	service_close(&sv);

	scratch_mkdir("dangling");
	scratch_write("dangling/run", "#!/bin/sh\n", 10);
	assert_int_equal(symlink("/nonexistent/svx-test",
	    scratch_path("dangling/supervise")), 0);
	open_service("dangling", &sv);
	assert_int_equal(sv.det.verdict, VERDICT_UNSUPERVISED);
	service_close(&sv);

	scratch_mkdir("plain");
	open_service("plain", &sv);
	assert_int_equal(sv.det.verdict, VERDICT_NOT_SERVICE);
	service_close(&sv);

	scratch_mkdir("filesv");
	scratch_write("filesv/supervise", "x", 1);
	open_service("filesv", &sv);
	assert_int_equal(sv.det.verdict, VERDICT_NOT_SERVICE);
	service_close(&sv);

	scratch_write("notadir", "x", 1);
	assert_int_equal(service_open(AT_FDCWD, scratch_path("notadir"), NULL,
	    &sv), -1);
	assert_int_equal(errno, ENOTDIR);
}

/* encore: $SUPERVISEDIR relative, and absolute with the mangled path. */
static void
test_supervisedir(void **state)
{
	struct svx_service sv;
	char real[512], mangled[1024], *p;
	int reader;

	(void)state;
	make_dir("en", "encore-up", 1);
	assert_int_equal(rename(scratch_path("en/supervise"),
	    scratch_path("en/ctl")), 0);
	reader = open(scratch_path("en/ctl/ok"), O_RDONLY | O_NONBLOCK);
	assert_int_equal(service_open(AT_FDCWD, scratch_path("en"), "ctl",
	    &sv), 0);
	assert_int_equal(sv.det.verdict, VERDICT_SUPERVISED);
	assert_int_equal(sv.det.backend, BACKEND_ENCORE);
	assert_true(sv.relocated);
	service_close(&sv);
	close(reader);

	assert_non_null(realpath(scratch_path("en"), real));
	for (p = real + 1; *p != '\0'; p++)
		if (*p == '/')
			*p = ':';
	scratch_mkdir("svroot");
	snprintf(mangled, sizeof(mangled), "%s%s", scratch_path("svroot"),
	    real);
	assert_int_equal(rename(scratch_path("en/ctl"), mangled), 0);
	reader = open(strcat(mangled, "/ok"), O_RDONLY | O_NONBLOCK);
	assert_true(reader != -1);
	assert_int_equal(service_open(AT_FDCWD, scratch_path("en"),
	    scratch_path("svroot"), &sv), 0);
	assert_int_equal(sv.det.verdict, VERDICT_SUPERVISED);
	assert_int_equal(sv.det.backend, BACKEND_ENCORE);
	service_close(&sv);
	close(reader);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_formats),
		cmocka_unit_test(test_twenty_byte_tie),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_dead_supervisors),
		cmocka_unit_test(test_no_supervise_dir),
		cmocka_unit_test(test_gather_djb),
		cmocka_unit_test(test_gather_s6),
		cmocka_unit_test(test_s6_readiness_unknown),
		cmocka_unit_test(test_odd_directories),
		cmocka_unit_test(test_supervisedir),
	};

	return cmocka_run_group_tests_name("detect", tests, scratch_setup,
	    scratch_teardown);
}
