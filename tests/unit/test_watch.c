/*
 * svx watch's pure parts: a reading reduced to a watch state
 * (adapters/engine/watch.c), what counts as a change, and the event as
 * a plain line and as an svx.event/1 object (shim/watch/watch_out.c).
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../adapters/engine/detect.h"
#include "../../adapters/engine/watch.h"
#include "../../adapters/supervisord/supervisord.h"
#include "../../mappings/watch_words.h"
#include "../../shim/watch/dirty.h"
#include "../../shim/watch/watch.h"

static struct svx_service sv;

/* A supervised service of BACKEND, its main record in STATE. */
static struct svx_proc *
reading(enum svx_backend backend, enum svx_state state, pid_t pid)
{
	memset(&sv, 0, sizeof(sv));
	sv.dirfd = sv.svfd = -1;
	sv.det.verdict = VERDICT_SUPERVISED;
	sv.det.backend = backend;
	sv.status_ok = 1;
	sv.st.main.state = state;
	sv.st.main.pid = pid;
	sv.st.main.wstat = -1;
	sv.st.main.ready = TRI_UNKNOWN;
	return &sv.st.main;
}

static enum watch_state
state_of(void)
{
	struct watch_snap s;

	watch_snap_take(&sv, &s);
	return s.state;
}

static void
test_states(void **unused)
{
	struct svx_proc *p;
	struct watch_snap s;

	(void)unused;
	reading(BACKEND_RUNIT, STATE_UP, 42);
	assert_int_equal(state_of(), WS_UP);
	p = reading(BACKEND_DAEMONTOOLS, STATE_UP, 42);
	p->paused = 1;
	assert_int_equal(state_of(), WS_PAUSED);
	reading(BACKEND_S6, STATE_FINISHING, 0);
	assert_int_equal(state_of(), WS_FINISHING);
	reading(BACKEND_ENCORE, STATE_FAILED, 0);
	assert_int_equal(state_of(), WS_FAILED);
	reading(BACKEND_ENCORE, STATE_STARTING, 0);
	assert_int_equal(state_of(), WS_STARTING);
	/* Gone but not reaped: down, and no pid. */
	p = reading(BACKEND_DAEMONTOOLS, STATE_EXITED, 42);
	p->since.sec = 1000;	/* the run's start, still in the record */
	p->wstat = 0;		/* the death before it */
	watch_snap_take(&sv, &s);
	assert_int_equal(s.state, WS_DOWN);
	assert_int_equal(s.pid, 0);
	/* How and when it ended are not known yet: neither is made up. */
	assert_int_equal(s.wstat, -1);
	assert_int_equal(s.since.sec, 0);
	assert_true(s.unrecorded);
	/* No supervisor: whatever the file says. */
	reading(BACKEND_RUNIT, STATE_UP, 42);
	sv.det.verdict = VERDICT_UNSUPERVISED;
	assert_int_equal(state_of(), WS_UNSUPERVISED);
	/*
	 * A live supervisor is never "unsupervised". One
	 * that has written no status yet tells no state (the last stands);
	 * one whose status cannot be decoded is unknown.
	 */
	reading(BACKEND_S6, STATE_UP, 42);
	sv.det.starting = 1;
	sv.status_ok = 0;
	assert_int_equal(watch_snap_take(&sv, &s), 0);
	assert_int_equal(s.state, WS_UNKNOWN);
	reading(BACKEND_RUNIT, STATE_UP, 42);
	sv.status_ok = 0;
	assert_int_equal(watch_snap_take(&sv, &s), 1);
	assert_int_equal(s.state, WS_UNKNOWN);
	/* Not root, supervise/ 0700: not "unsupervised", unknown. */
	reading(BACKEND_RUNIT, STATE_UP, 42);
	sv.det.verdict = VERDICT_ERROR;
	assert_int_equal(state_of(), WS_UNKNOWN);
}

/* Ready only where the service can say so: s6's ./notification-fd. */
static void
test_ready_only_when_signalled(void **unused)
{
	struct svx_proc *p;

	(void)unused;
	p = reading(BACKEND_S6, STATE_UP, 42);
	p->ready = TRI_YES;
	assert_int_equal(state_of(), WS_UP);
	sv.det.ev.files |= EV_NOTIFY_FD;
	assert_int_equal(state_of(), WS_READY);
}

/* The last death's status only while nothing runs. */
static void
test_wstat_while_down(void **unused)
{
	struct svx_proc *p;
	struct watch_snap s;

	(void)unused;
	p = reading(BACKEND_S6, STATE_DOWN, 0);
	p->wstat = 3 << 8;
	watch_snap_take(&sv, &s);
	assert_int_equal(s.wstat, 3 << 8);
	p = reading(BACKEND_S6, STATE_UP, 42);
	p->wstat = 3 << 8;	/* stale while up */
	watch_snap_take(&sv, &s);
	assert_int_equal(s.wstat, -1);
}

static struct watch_snap
snap(enum watch_state st, pid_t pid, int64_t sec)
{
	struct watch_snap s;

	watch_snap_absent(&s);
	s.state = st;
	s.pid = pid;
	s.since.sec = sec;
	return s;
}

static void
test_changes(void **unused)
{
	struct watch_snap a, b;

	(void)unused;
	a = snap(WS_UP, 10, 100);
	b = a;
	assert_false(watch_snap_changed(&a, &b));
	b.pid = 11;			/* a restart read as up -> up */
	assert_true(watch_snap_changed(&a, &b));
	b = snap(WS_DOWN, 0, 100);
	assert_true(watch_snap_changed(&a, &b));
	a = snap(WS_DOWN, 0, 100);
	b = snap(WS_DOWN, 0, 105);	/* a run came and went unseen */
	assert_true(watch_snap_changed(&a, &b));
	a = snap(WS_UNSUPERVISED, 0, 100);
	b = snap(WS_UNSUPERVISED, 0, 105);
	assert_false(watch_snap_changed(&a, &b));
	/* A death seen before its record, then the record: news only for
	 * an exit status the backend keeps (s6), not a second "down". */
	a = snap(WS_DOWN, 0, 0);
	a.wstat = -1;
	a.unrecorded = 1;
	b = snap(WS_DOWN, 0, 105);
	b.wstat = -1;
	assert_false(watch_snap_changed(&a, &b));
	b.wstat = 15;
	assert_true(watch_snap_changed(&a, &b));
	a = snap(WS_ABSENT, 0, 0);
	b = snap(WS_UNSUPERVISED, 0, 0);
	assert_true(watch_snap_changed(&a, &b));
}

static void
test_words_complete(void **unused)
{
	size_t i, j;

	(void)unused;
	for (i = 0; i < WS_COUNT; i++) {
		assert_non_null(watch_words[i].word);
		for (j = 0; j < i; j++)
			assert_string_not_equal(watch_words[i].word,
			    watch_words[j].word);
	}
	assert_true(watch_is_status_file("status"));
	assert_false(watch_is_status_file("status.new"));
	assert_false(watch_is_status_file("stat"));
}

static char buf[4096];

static struct watch_event
event(enum watch_state was, enum watch_state now)
{
	struct watch_event e;

	memset(&e, 0, sizeof(e));
	e.service = "web";
	e.dir = "/run/service";
	e.name = "web";
	e.backend = "s6";
	e.was = snap(was, 0, 0);
	e.now = snap(now, 0, 0);
	e.at.tv_sec = 86400 + 3661;
	e.at.tv_nsec = 5000000;
	return e;
}

static const char *
line(const struct watch_event *e)
{
	struct text t;

	text_init(&t, buf, sizeof(buf));
	watch_format_line(&t, e);
	return t.buf;
}

static const char *
json(const struct watch_event *e)
{
	struct text t;

	text_init(&t, buf, sizeof(buf));
	watch_format_json(&t, e);
	return t.buf;
}

static void
test_plain_lines(void **unused)
{
	struct watch_event e;

	(void)unused;
	e = event(WS_DOWN, WS_UP);
	e.now.pid = 1234;
	assert_string_equal(line(&e),
	    "1970-01-02T01:01:01.005Z web (s6): down -> up, pid 1234");
	e = event(WS_UP, WS_DOWN);
	e.now.wstat = 3 << 8;
	assert_string_equal(line(&e),
	    "1970-01-02T01:01:01.005Z web (s6): up -> down, exit 3");
	e.now.wstat = SIGKILL;
	assert_string_equal(line(&e),
	    "1970-01-02T01:01:01.005Z web (s6): up -> down, signal SIGKILL");
	e = event(WS_UP, WS_UNSUPERVISED);
	assert_string_equal(line(&e), "1970-01-02T01:01:01.005Z web (s6): "
	    "up -> unsupervised, supervisor gone");
	e = event(WS_ABSENT, WS_UNSUPERVISED);
	e.backend = NULL;
	assert_string_equal(line(&e), "1970-01-02T01:01:01.005Z web: "
	    "absent -> unsupervised, directory added");
	e = event(WS_DOWN, WS_ABSENT);
	assert_string_equal(line(&e), "1970-01-02T01:01:01.005Z web (s6): "
	    "down -> absent, directory removed");
	/* A name from a directory anyone may create: one line still. */
	e = event(WS_DOWN, WS_UP);
	e.service = "a\nb";
	assert_string_equal(line(&e),
	    "1970-01-02T01:01:01.005Z a\\x0ab (s6): down -> up");
}

static void
test_json_objects(void **unused)
{
	struct watch_event e;

	(void)unused;
	e = event(WS_UP, WS_UP);
	e.was.pid = 10;
	e.now.pid = 11;
	e.now.since.sec = 86400 + 3660;
	e.now.since.nsec = 999000000;
	assert_string_equal(json(&e), "{\"schema\":\"svx.event/1\","
	    "\"time\":\"1970-01-02T01:01:01.005Z\",\"service\":\"web\","
	    "\"path\":\"/run/service/web\",\"backend\":\"s6\","
	    "\"old\":\"up\",\"new\":\"up\","
	    "\"since\":\"1970-01-02T01:01:00.999Z\",\"pid\":11,\"old_pid\":10,"
	    "\"exit\":null,\"signal\":null}");
	e = event(WS_UP, WS_DOWN);
	e.now.wstat = SIGTERM;
	e.backend = NULL;
	e.dir = "/";
	e.service = "q\"x\377";
	e.name = "q\"x\377";
	assert_string_equal(json(&e), "{\"schema\":\"svx.event/1\","
	    "\"time\":\"1970-01-02T01:01:01.005Z\",\"service\":"
	    "\"q\\\"x\\ufffd\",\"path\":\"/q\\\"x\\ufffd\",\"backend\":null,"
	    "\"old\":\"up\",\"new\":\"down\",\"since\":null,"
	    "\"pid\":null,\"old_pid\":null,"
	    "\"exit\":null,\"signal\":\"SIGTERM\"}");
	/* supervisord:NAME: no directory. */
	e = event(WS_DOWN, WS_DOWN);
	e.dir = NULL;
	e.name = "supervisord:web";
	e.now.wstat = 0;
	assert_non_null(strstr(json(&e), "\"path\":\"supervisord:web\""));
	assert_non_null(strstr(json(&e), "\"exit\":0,\"signal\":null}"));
}

static struct watch_dirty dirty;

/*
 * A slot marked, its service removed, the slot reused
 * and marked again in one batch is in the list once; a batch of every
 * slot marked over and over never writes past the list.
 */
static void
test_dirty_list(void **unused)
{
	size_t cursor = 0, i, round;

	(void)unused;
	dirty_clear(&dirty);
	assert_int_equal(dirty_mark(&dirty, 7), 1);
	assert_int_equal(dirty_mark(&dirty, 3), 1);
	assert_int_equal(dirty_mark(&dirty, 7), 0);	/* reused, again */
	assert_int_equal(dirty_mark(&dirty, WATCH_DIRTY_MAX), -1);
	assert_int_equal(dirty_take(&dirty, &cursor), 7);
	assert_int_equal(dirty_take(&dirty, &cursor), 3);
	assert_int_equal(dirty_take(&dirty, &cursor), -1);
	assert_int_equal(dirty.n, 0);
	assert_int_equal(dirty_mark(&dirty, 7), 1);	/* taken: markable */
	for (round = 0; round < 3; round++)
		for (i = 0; i < WATCH_DIRTY_MAX; i++)
			assert_true(dirty_mark(&dirty, i) >= 0);
	assert_int_equal(dirty.n, WATCH_DIRTY_MAX);
	for (i = 0; i < WATCH_DIRTY_MAX; i++)
		assert_true(dirty_take(&dirty, &cursor) >= 0);
	assert_int_equal(dirty_take(&dirty, &cursor), -1);
	/* Re-marked during a walk: taken again, and the list still bounded. */
	for (i = 0; i < WATCH_DIRTY_MAX; i++)
		(void)dirty_mark(&dirty, i);
	assert_int_equal(dirty_take(&dirty, &cursor), 0);
	assert_int_equal(dirty_mark(&dirty, 0), -1);	/* no room left */
	while (dirty_take(&dirty, &cursor) != -1)
		;
	assert_int_equal(dirty.n, 0);
}

/*
 * watch reads every program from one getAllProcessInfo,
 * matched by name as getProcessInfo would take it (NAME is NAME:NAME).
 */
static void
test_sd_proc_is(void **unused)
{
	struct sd_proc p;

	(void)unused;
	memset(&p, 0, sizeof(p));
	strcpy(p.group, "web");
	strcpy(p.name, "web");
	assert_true(sd_proc_is(&p, "web"));
	assert_true(sd_proc_is(&p, "web:web"));
	assert_false(sd_proc_is(&p, "we"));
	assert_false(sd_proc_is(&p, "web:"));
	strcpy(p.group, "workers");
	strcpy(p.name, "w1");
	assert_true(sd_proc_is(&p, "workers:w1"));
	assert_false(sd_proc_is(&p, "w1"));
	assert_false(sd_proc_is(&p, "workers"));
	assert_false(sd_proc_is(&p, "work:w1"));
}

/*
 * The holder of a flock, from /proc/locks; found by the
 * inode alone when stat's device is not the one /proc/locks shows
 * (btrfs subvolumes, overlayfs), as long as one lock has that inode.
 */
static void
test_flock_holder(void **unused)
{
	char path[] = "/tmp/svx-test-flock.XXXXXX";
	struct stat sb;
	int fd;

	(void)unused;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &sb), 0);
	assert_int_equal(proc_flock_holder(sb.st_dev, sb.st_ino), 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	assert_int_equal(proc_flock_holder(sb.st_dev, sb.st_ino), getpid());
	assert_int_equal(proc_flock_holder(makedev(major(sb.st_dev) + 1,
	    minor(sb.st_dev) + 7), sb.st_ino), getpid());
	close(fd);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_ready_only_when_signalled),
		cmocka_unit_test(test_wstat_while_down),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_words_complete),
		cmocka_unit_test(test_plain_lines),
		cmocka_unit_test(test_json_objects),
		cmocka_unit_test(test_dirty_list),
		cmocka_unit_test(test_sd_proc_is),
		cmocka_unit_test(test_flock_holder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
