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
#include <time.h>
#include <cmocka.h>

#include "../../adapters/engine/detect.h"
#include "../../adapters/engine/service.h"
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
	/* runsv after `k` then `u`: state 0, got-TERM, the old pid. */
	evidence(&ev, 1, 0, "runit-down");
	ev.status[12] = 0x39;
	ev.status[18] = 1;
	expect(&ev, VERDICT_SUPERVISED, BACKEND_ENCORE);
	ev.files |= EV_STAT | EV_STAT_FRESH;
	expect(&ev, VERDICT_SUPERVISED, BACKEND_RUNIT);
}

static void
test_contradictions(void **state)
{
	struct svx_evidence ev;
	struct svx_detect d;

	(void)state;
	evidence(&ev, 1, 0, "s6-up");	/* ok reader, s6 bytes */
	expect(&ev, VERDICT_AMBIGUOUS, BACKEND_S6);
	evidence(&ev, 0, 1, "runit-up");	/* s6 lock, runit bytes */
	expect(&ev, VERDICT_AMBIGUOUS, BACKEND_RUNIT);
	evidence(&ev, 1, 1, "s6-up");	/* PROTOCOLS.md#two-supervisors */
	expect(&ev, VERDICT_AMBIGUOUS, BACKEND_S6);
	evidence(&ev, 0, 0, "runit-up");
	ev.control.result = 1;		/* control read, no ok, no lock */
	expect(&ev, VERDICT_SUPERVISED, BACKEND_RUNIT);
	detect_decide(&ev, &d);
	assert_true(d.starting);	/* starting: PROTOCOLS.md#liveness */
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

/*
 * A group given status access (svx perms, s6-svperms -g) may not open
 * control: with the proof of life it may read (ok for djb's family, the
 * lock for s6) that is no denial; without it, it is.
 */
static void
test_status_only_access(void **state)
{
	struct svx_evidence ev;

	(void)state;
	evidence(&ev, 1, -1, "runit-up");
	ev.lock.err = EACCES;
	ev.control.result = -1;
	ev.control.err = EACCES;
	expect(&ev, VERDICT_SUPERVISED, BACKEND_RUNIT);
	evidence(&ev, -1, 1, "s6-up");
	ev.control.result = -1;
	ev.control.err = EACCES;
	expect(&ev, VERDICT_SUPERVISED, BACKEND_S6);
	ev.lock.result = -1;
	ev.lock.err = EACCES;
	expect(&ev, VERDICT_ERROR, BACKEND_UNKNOWN);
	evidence(&ev, -1, 0, "s6-up");
	ev.lock.result = -1;
	ev.lock.err = ENOENT;
	ev.control.result = -1;
	ev.control.err = EACCES;
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
	len = fixture_status(fixture, buf, sizeof(buf));
	assert_true(len > 0);
	scratch_supervise(name, buf, (size_t)len, with_ok);
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

static void
set_mtime(const char *rel, time_t when)
{
	struct timespec ts[2] = { { when, 0 }, { when, 0 } };

	assert_int_equal(utimensat(AT_FDCWD, scratch_path(rel), ts, 0), 0);
}

/* Rewrite a status file now, as a supervisor would. */
static void
touch_status(const char *name)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "%s/supervise/status", name);
	assert_int_equal(utimensat(AT_FDCWD, scratch_path(rel), NULL, 0), 0);
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
	int r;

	(void)state;
	make_dir("s6", "s6-up-ready", 0);
	scratch_write("s6/notification-fd", "3\n", 2);
	open_service("s6", &sv);
	assert_int_equal(sv.det.verdict, VERDICT_UNSUPERVISED);
	assert_int_equal(sv.det.backend, BACKEND_S6);
	service_close(&sv);

	holder = hold_lock(scratch_path("s6/supervise/lock"));
	touch_status("s6");
	r = service_open(AT_FDCWD, scratch_path("s6"), NULL, &sv);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	assert_int_equal(r, 0);
	assert_int_equal(sv.det.verdict, VERDICT_SUPERVISED);
	assert_int_equal(sv.det.backend, BACKEND_S6);
	assert_int_equal(sv.det.ev.lock_pid, holder);
	assert_int_equal(sv.st.main.ready, TRI_YES);
	service_close(&sv);
}

/* s6's ready flag, as s6-svstat reports it, with or without notification-fd. */
static void
test_s6_readiness_unknown(void **state)
{
	struct svx_service sv;
	pid_t holder;
	int r;

	(void)state;
	make_dir("s6b", "s6-up", 0);
	set_mtime("s6b/supervise/status", 1600000000);	/* a predecessor's */
	holder = hold_lock(scratch_path("s6b/supervise/lock"));
	r = service_open(AT_FDCWD, scratch_path("s6b"), NULL, &sv);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	assert_int_equal(r, 0);
	/* An older status is shown with the holder's start, not judged. */
	assert_false(sv.det.starting);
	assert_true(sv.det.ev.holder_start.sec > 1600000000);
	service_close(&sv);
	holder = hold_lock(scratch_path("s6b/supervise/lock"));
	touch_status("s6b");
	r = service_open(AT_FDCWD, scratch_path("s6b"), NULL, &sv);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	assert_int_equal(r, 0);
	assert_false(sv.det.starting);
	assert_int_equal(sv.st.main.ready, TRI_NO);	/* as s6 says it */
	service_close(&sv);
	scratch_write("s6b/notification-fd", "3\n", 2);
	holder = hold_lock(scratch_path("s6b/supervise/lock"));
	touch_status("s6b");
	r = service_open(AT_FDCWD, scratch_path("s6b"), NULL, &sv);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	assert_int_equal(r, 0);
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

/* The 20-byte tie on disk: runit's stat file, fresh or left over. */
static void
test_runit_stat_freshness(void **state)
{
	struct svx_service sv;
	int reader;

	(void)state;
	make_dir("rd", "runit-down", 1);
	scratch_write("rd/supervise/stat", "down\n", 5);
	set_mtime("rd/supervise/stat", 1700000000);
	set_mtime("rd/supervise/status", 1700000000);
	reader = open(scratch_path("rd/supervise/ok"), O_RDONLY | O_NONBLOCK);
	open_service("rd", &sv);
	assert_int_equal(sv.det.backend, BACKEND_RUNIT);
	assert_true(sv.det.ev.files & EV_STAT_FRESH);
	service_close(&sv);
	set_mtime("rd/supervise/stat", 1600000000);	/* an older runsv's */
	open_service("rd", &sv);
	assert_int_equal(sv.det.backend, BACKEND_ENCORE);
	assert_false(sv.det.ev.files & EV_STAT_FRESH);
	service_close(&sv);
	close(reader);
}

/* An unsupported verb sends nothing: the FIFO stays empty. */
static void
test_unsupported_sends_nothing(void **state)
{
	struct svx_service sv;
	const char *bytes;
	char buf[8];
	int ok, ctl, keep;

	(void)state;
	make_dir("q", "daemontools-up", 1);
	ok = open(scratch_path("q/supervise/ok"), O_RDONLY | O_NONBLOCK);
	ctl = open(scratch_path("q/supervise/control"), O_RDONLY | O_NONBLOCK);
	/* Our own writer, as supervisors keep, so an empty read is EAGAIN. */
	keep = open(scratch_path("q/supervise/control"), O_WRONLY);
	open_service("q", &sv);
	assert_int_equal(service_send(&sv, VERB_QUIT, &bytes), SEND_UNSUPPORTED);
	assert_int_equal(read(ctl, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(service_send(&sv, VERB_HUP, &bytes), SEND_OK);
	assert_int_equal(read(ctl, buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 'h');
	service_close(&sv);
	close(keep);
	close(ctl);
	close(ok);
}

/* encore signals whatever pid is recorded: not while ./start runs. */
static void
test_encore_helper_not_signalled(void **state)
{
	static const unsigned char starting[20] = { 0x40, 0, 0, 0, 0x6b, 0,
	    0, 0, 0, 0, 0, 0, 0x39, 0x30, 0, 0, 0, 'u', 1, 0 };
	struct svx_service sv;
	const char *bytes;
	char buf[8];
	int ok, ctl, keep;

	(void)state;
	make_dir("enc", "encore-up", 1);
	scratch_write("enc/supervise/status", starting, sizeof(starting));
	ok = open(scratch_path("enc/supervise/ok"), O_RDONLY | O_NONBLOCK);
	ctl = open(scratch_path("enc/supervise/control"),
	    O_RDONLY | O_NONBLOCK);
	keep = open(scratch_path("enc/supervise/control"), O_WRONLY);
	open_service("enc", &sv);
	assert_int_equal(sv.st.main.state, STATE_STARTING);
	assert_int_equal(sv.st.main.helper_pid, 12345);
	assert_int_equal(service_send(&sv, VERB_HUP, &bytes),
	    SEND_HELPER_RUNNING);
	assert_int_equal(read(ctl, buf, sizeof(buf)), -1);
	assert_int_equal(service_send(&sv, VERB_DOWN, &bytes), SEND_OK);
	assert_int_equal(read(ctl, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "ld", 2);
	service_close(&sv);
	close(keep);
	close(ctl);
	close(ok);
}

/* runsv ignores x on log/, so svx refuses it there
 * (PROTOCOLS.md#control-letters). */
static void
test_runit_log_exit_refused(void **state)
{
	struct svx_service sv;
	const char *bytes;
	int ok1, ok2, ctl;

	(void)state;
	make_dir("rl", "runit-up", 1);
	make_dir("rl/log", "runit-log-up", 1);
	ok1 = open(scratch_path("rl/supervise/ok"), O_RDONLY | O_NONBLOCK);
	ok2 = open(scratch_path("rl/log/supervise/ok"), O_RDONLY | O_NONBLOCK);
	ctl = open(scratch_path("rl/supervise/control"), O_RDONLY | O_NONBLOCK);
	open_service("rl/log", &sv);
	assert_true(sv.is_log);
	assert_int_equal(service_send(&sv, VERB_EXIT, &bytes), SEND_UNSUPPORTED);
	service_close(&sv);
	open_service("rl", &sv);
	assert_false(sv.is_log);
	assert_int_equal(service_send(&sv, VERB_EXIT, &bytes), SEND_OK);
	assert_string_equal(bytes, "x");
	service_close(&sv);
	close(ctl);
	close(ok1);
	close(ok2);
}

/* A pid that no process has: the record says up, the process is gone. */
static void
test_exited_not_reaped(void **state)
{
	unsigned char buf[STATUS_MAX];
	struct svx_service sv;
	ssize_t len;
	int reader;

	(void)state;
	make_dir("ex", "daemontools-up", 1);
	len = fixture_status("daemontools-up", buf, sizeof(buf));
	assert_int_equal(len, 18);
	buf[12] = 0xf0; buf[13] = 0xff; buf[14] = 0xff; buf[15] = 0x7f;
	scratch_write("ex/supervise/status", buf, 18);
	reader = open(scratch_path("ex/supervise/ok"), O_RDONLY | O_NONBLOCK);
	open_service("ex", &sv);
	assert_int_equal(sv.st.main.state, STATE_EXITED);
	assert_int_equal(sv.st.main.pid, 0x7ffffff0);
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
		cmocka_unit_test(test_status_only_access),
		cmocka_unit_test(test_gather_djb),
		cmocka_unit_test(test_gather_s6),
		cmocka_unit_test(test_s6_readiness_unknown),
		cmocka_unit_test(test_odd_directories),
		cmocka_unit_test(test_supervisedir),
		cmocka_unit_test(test_runit_stat_freshness),
		cmocka_unit_test(test_unsupported_sends_nothing),
		cmocka_unit_test(test_encore_helper_not_signalled),
		cmocka_unit_test(test_runit_log_exit_refused),
		cmocka_unit_test(test_exited_not_reaped),
	};

	return cmocka_run_group_tests_name("detect", tests, scratch_setup,
	    scratch_teardown);
}
