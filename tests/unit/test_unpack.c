/*
 * Every unpacker against the status files the real supervisors wrote in
 * each state of tests/fixtures/, then against every wrong length and
 * impossible value: an unpacker either returns the truth or refuses.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../adapters/adapter.h"
#include "../../adapters/bytes.h"
#include "fixtures.h"

enum pid_field { PID_NONE, PID_MAIN, PID_HELPER };

struct expect {
	const char	*fixture;
	enum svx_backend backend;
	enum svx_state	 state;
	enum svx_want	 want;
	enum pid_field	 pid;
	int		 paused;
	int		 got_term;
	int		 ready;		/* before the service-dir check */
	int		 wstat;		/* -2: do not check */
};

static const struct expect cases[] = {
	{ "daemontools-up", BACKEND_DAEMONTOOLS, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "daemontools-paused", BACKEND_DAEMONTOOLS, STATE_UP, WANT_UP, PID_MAIN, 1, 0, TRI_UNKNOWN, -1 },
	{ "daemontools-down", BACKEND_DAEMONTOOLS, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_UNKNOWN, -1 },
	{ "daemontools-once", BACKEND_DAEMONTOOLS, STATE_UP, WANT_ONCE, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "daemontools-normally-down", BACKEND_DAEMONTOOLS, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_UNKNOWN, -1 },
	{ "daemontools-up-normally-down", BACKEND_DAEMONTOOLS, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "daemontools-want-down", BACKEND_DAEMONTOOLS, STATE_UP, WANT_DOWN, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "daemontools-exited", BACKEND_DAEMONTOOLS, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_UNKNOWN, -1 },
	{ "daemontools-stale", BACKEND_DAEMONTOOLS, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "encore-up", BACKEND_ENCORE, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "encore-paused", BACKEND_ENCORE, STATE_UP, WANT_UP, PID_MAIN, 1, 0, TRI_UNKNOWN, -1 },
	{ "encore-down", BACKEND_ENCORE, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_UNKNOWN, -1 },
	{ "encore-once", BACKEND_ENCORE, STATE_UP, WANT_ONCE, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "encore-failed", BACKEND_ENCORE, STATE_FAILED, WANT_DOWN, PID_NONE, 0, 0, TRI_UNKNOWN, -1 },
	{ "encore-up-with-log", BACKEND_ENCORE, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-up", BACKEND_RUNIT, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-paused", BACKEND_RUNIT, STATE_UP, WANT_UP, PID_MAIN, 1, 0, TRI_UNKNOWN, -1 },
	{ "runit-finishing", BACKEND_RUNIT, STATE_FINISHING, WANT_DOWN, PID_HELPER, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-down", BACKEND_RUNIT, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-once", BACKEND_RUNIT, STATE_UP, WANT_DOWN, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-finishing-want-up", BACKEND_RUNIT, STATE_FINISHING, WANT_UP, PID_HELPER, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-normally-down", BACKEND_RUNIT, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-normally-down-with-log", BACKEND_RUNIT, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-log-up", BACKEND_RUNIT, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-up-normally-down", BACKEND_RUNIT, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-want-down-got-term", BACKEND_RUNIT, STATE_UP, WANT_DOWN, PID_MAIN, 0, 1, TRI_UNKNOWN, -1 },
	{ "runit-exited", BACKEND_RUNIT, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_UNKNOWN, -1 },
	{ "runit-stale", BACKEND_RUNIT, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_UNKNOWN, -1 },
	{ "s6-up", BACKEND_S6, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_NO, -2 },
	{ "s6-paused", BACKEND_S6, STATE_UP, WANT_UP, PID_MAIN, 1, 0, TRI_NO, -2 },
	{ "s6-finishing", BACKEND_S6, STATE_FINISHING, WANT_DOWN, PID_HELPER, 0, 0, TRI_NO, 0 },
	{ "s6-down", BACKEND_S6, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_NO, 0 },
	{ "s6-once", BACKEND_S6, STATE_UP, WANT_DOWN, PID_MAIN, 0, 0, TRI_NO, -2 },
	{ "s6-finishing-want-up", BACKEND_S6, STATE_FINISHING, WANT_UP, PID_HELPER, 0, 0, TRI_NO, 9 },
	{ "s6-normally-down", BACKEND_S6, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_NO, 0 },
	{ "s6-up-normally-down", BACKEND_S6, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_NO, -2 },
	{ "s6-up-not-ready", BACKEND_S6, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_NO, -2 },
	{ "s6-up-ready", BACKEND_S6, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_YES, -2 },
	{ "s6-want-down", BACKEND_S6, STATE_UP, WANT_DOWN, PID_MAIN, 0, 0, TRI_NO, -2 },
	{ "s6-permanent-failure", BACKEND_S6, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_NO, 3 << 8 },
	{ "s6-exited", BACKEND_S6, STATE_DOWN, WANT_DOWN, PID_NONE, 0, 0, TRI_NO, -2 },
	{ "s6-stale", BACKEND_S6, STATE_UP, WANT_UP, PID_MAIN, 0, 0, TRI_NO, -2 },
};

static void
check_case(const struct expect *e)
{
	const struct svx_adapter *a = adapter_for(e->backend);
	unsigned char buf[STATUS_MAX];
	struct svx_status st;
	ssize_t len;
	long pid;

	len = fixture_status(e->fixture, buf, sizeof(buf));
	pid = fixture_pid(e->fixture);
	if (len < 0 || pid < 0)
		fail_msg("fixture %s is missing", e->fixture);
	if (a->unpack(buf, (size_t)len, &st) != 0)
		fail_msg("%s: unpack refused it", e->fixture);
	assert_int_equal(st.main.state, e->state);
	assert_int_equal(st.main.want, e->want);
	assert_int_equal(st.main.paused, e->paused);
	assert_int_equal(st.main.got_term, e->got_term);
	assert_int_equal(st.main.ready, e->ready);
	assert_int_equal(st.main.pid, e->pid == PID_MAIN ? pid : 0);
	assert_int_equal(st.main.helper_pid, e->pid == PID_HELPER ? pid : 0);
	if (e->pid != PID_NONE)
		assert_true(pid > 1);
	if (e->wstat != -2)
		assert_int_equal(st.main.wstat, e->wstat);
	/* Captured in 2026 (2025 for encore): a sane unix time. */
	assert_true(st.main.since.sec > 1735689600 &&
	    st.main.since.sec < 1830297600);
	assert_int_equal(st.size, (size_t)len);
}

static void
test_fixtures(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("  %s\n", cases[i].fixture);
		check_case(&cases[i]);
	}
}

static void
test_encore_log_record(void **state)
{
	unsigned char buf[STATUS_MAX];
	struct svx_status st;
	ssize_t len;

	(void)state;
	len = fixture_status("encore-up-with-log", buf, sizeof(buf));
	assert_int_equal(len, 40);
	assert_int_equal(status_unpack_encore(buf, 40, &st), 0);
	assert_true(st.has_log);
	assert_int_equal(st.log.pid, 13287);
	assert_int_equal(st.log.state, STATE_UP);
	assert_int_equal(st.main.pid, 13295);
}

/* The same instant, as each backend stamps it (PROTOCOLS.md#timestamps). */
static void
test_epochs(void **state)
{
	/* svc -d at unix 1795462697: djb label 0x6b049633 = unix + 10. */
	unsigned char djb[12] = { 0x40, 0, 0, 0, 0x6b, 0x04, 0x96, 0x33,
	    0x0a, 0x21, 0xb6, 0x3c };
	/* s6-svc -d at unix 1795462938: label 0x6b04973f = unix + 37. */
	unsigned char s6[12] = { 0x40, 0, 0, 0, 0x6b, 0x04, 0x97, 0x3f,
	    0x34, 0x8f, 0xf5, 0x77 };
	struct svx_stamp st;

	(void)state;
	tai_unpack_djb(djb, &st);
	assert_int_equal(st.sec, 1795462697);
	assert_int_equal(st.nsec, 169981500);
	tai_unpack_s6(s6, &st);
	assert_int_equal(st.sec, 1795462938);
	assert_int_equal(tai_leap_offset(63072000 + 10), 10);
	assert_int_equal(tai_leap_offset(1483228800 + 36), 36);
	assert_int_equal(tai_leap_offset(1483228800 + 37), 37);
	assert_int_equal(tai_leap_offset(0), 10);
}

static void
fill_valid(enum svx_backend b, unsigned char *buf, size_t *len)
{
	static const char *const names[] = {
		[BACKEND_DAEMONTOOLS] = "daemontools-up",
		[BACKEND_ENCORE] = "encore-up-with-log",
		[BACKEND_RUNIT] = "runit-up",
		[BACKEND_S6] = "s6-up",
	};
	ssize_t r = fixture_status(names[b], buf, STATUS_MAX);

	assert_true(r > 0);
	*len = (size_t)r;
}

/* Any length but the real ones is refused, with EPROTO. */
static void
test_lengths(void **state)
{
	unsigned char buf[STATUS_MAX];
	struct svx_status st;
	size_t len, n;
	int b;

	(void)state;
	for (b = BACKEND_DAEMONTOOLS; b < BACKEND_DIR_COUNT; b++) {
		fill_valid(b, buf, &len);
		for (n = 0; n <= STATUS_MAX; n++) {
			int ok = adapter_for(b)->unpack(buf, n, &st) == 0;
			int real = n == len || (b == BACKEND_ENCORE && n == 20) ||
			    (b == BACKEND_S6 && n == 43);

			if (b == BACKEND_S6 && n == 43)
				continue;	/* 35 valid bytes + 8 zeros */
			if (ok != real)
				fail_msg("%s accepted=%d at %zu bytes",
				    backend_name(b), ok, n);
			if (!ok)
				assert_int_equal(errno, EPROTO);
		}
	}
}

/* One corrupted byte at a time: refused, or still a coherent record. */
static void
test_impossible_values(void **state)
{
	unsigned char buf[STATUS_MAX];
	struct svx_status st;
	size_t len;

	(void)state;
	fill_valid(BACKEND_DAEMONTOOLS, buf, &len);
	buf[17] = 'x';
	assert_int_equal(status_unpack_daemontools(buf, len, &st), -1);
	fill_valid(BACKEND_DAEMONTOOLS, buf, &len);
	buf[16] = 2;
	assert_int_equal(status_unpack_daemontools(buf, len, &st), -1);
	fill_valid(BACKEND_DAEMONTOOLS, buf, &len);
	buf[0] = 0;
	assert_int_equal(status_unpack_daemontools(buf, len, &st), -1);
	fill_valid(BACKEND_RUNIT, buf, &len);
	buf[19] = 3;
	assert_int_equal(status_unpack_runit(buf, len, &st), -1);
	fill_valid(BACKEND_RUNIT, buf, &len);
	buf[18] = 2;
	assert_int_equal(status_unpack_runit(buf, len, &st), -1);
	fill_valid(BACKEND_RUNIT, buf, &len);
	buf[17] = 0;	/* runit never writes want 0 */
	assert_int_equal(status_unpack_runit(buf, len, &st), -1);
	fill_valid(BACKEND_ENCORE, buf, &len);
	buf[18] = 6;
	assert_int_equal(status_unpack_encore(buf, len, &st), -1);
	fill_valid(BACKEND_ENCORE, buf, &len);
	buf[39] = 1;
	assert_int_equal(status_unpack_encore(buf, len, &st), -1);
	fill_valid(BACKEND_S6, buf, &len);
	buf[34] = 0x10;
	assert_int_equal(status_unpack_s6(buf, len, &st), -1);
	fill_valid(BACKEND_S6, buf, &len);
	buf[24] = 1;	/* a pid beyond pid_t */
	assert_int_equal(status_unpack_s6(buf, len, &st), -1);
}

/* 2.13.x: a pgid before wstat; flags at 42 (PROTOCOLS.md#s6). */
static void
test_s6_213(void **state)
{
	unsigned char buf[STATUS_MAX], big[43];
	struct svx_status st;
	size_t len;

	(void)state;
	fill_valid(BACKEND_S6, buf, &len);
	memcpy(big, buf, 32);
	put_be64(big + 32, 4242);
	memcpy(big + 40, buf + 32, 3);
	big[42] = 0x0d;		/* wantup, ready, paused */
	assert_int_equal(status_unpack_s6(big, sizeof(big), &st), 0);
	assert_int_equal(st.main.pid, (pid_t)get_be64(buf + 24));
	assert_int_equal(st.main.state, STATE_UP);
	assert_true(st.main.paused);
	assert_int_equal(st.main.ready, TRI_YES);
	/* 2.13.2's "not started yet": pid 0 and paused. */
	memset(big + 24, 0, 8);
	big[42] = 0x01;
	assert_int_equal(status_unpack_s6(big, sizeof(big), &st), 0);
	assert_int_equal(st.main.state, STATE_DOWN);
	assert_false(st.main.paused);
}

/*
 * s6-supervise's first record copies one stamp into both stamp fields,
 * with no pid and no wait status: fresh. A death reads the clock twice.
 */
static void
test_s6_first_record(void **state)
{
	unsigned char buf[STATUS_MAX];
	struct svx_status st;
	size_t len;

	(void)state;
	fill_valid(BACKEND_S6, buf, &len);
	memcpy(buf + 12, buf, 12);
	memset(buf + 24, 0, 10);
	buf[34] = 0x0c;		/* want up, ready */
	assert_int_equal(status_unpack_s6(buf, len, &st), 0);
	assert_int_equal(st.main.state, STATE_DOWN);
	assert_true(st.main.fresh);
	buf[23] ^= 1;		/* the ready stamp read apart */
	assert_int_equal(status_unpack_s6(buf, len, &st), 0);
	assert_false(st.main.fresh);
	buf[23] ^= 1;
	buf[32] = 3;		/* exit 3 */
	assert_int_equal(status_unpack_s6(buf, len, &st), 0);
	assert_false(st.main.fresh);
	fill_valid(BACKEND_S6, buf, &len);
	memcpy(buf + 12, buf, 12);
	assert_int_equal(status_unpack_s6(buf, len, &st), 0);
	assert_false(st.main.fresh);	/* a pid: something runs */
}

static void
encore_record(unsigned char *p, uint32_t pid, unsigned char want,
    unsigned char state)
{
	memset(p, 0, 20);
	p[0] = 0x40;
	p[7] = 0x10;
	put_le32(p + 12, pid);
	p[17] = want;
	p[18] = state;
}

/* encore states never captured live: whose pid is it? (encore.c) */
static void
test_encore_states(void **state)
{
	static const struct {
		uint32_t	pid;
		unsigned char	raw;
		enum svx_state	st;
		int		helper;
	} rows[] = {
		{ 100, 0, STATE_FINISHING, 1 },	/* ./stop running */
		{ 0, 0, STATE_DOWN, 0 },
		{ 101, 1, STATE_STARTING, 1 },	/* ./start running */
		{ 0, 2, STATE_STARTED, 0 },
		{ 102, 3, STATE_UP, 0 },
		{ 0, 3, STATE_DOWN, 0 },
		{ 103, 4, STATE_STOPPING, 0 },
		{ 0, 5, STATE_FAILED, 0 },
	};
	unsigned char buf[20];
	struct svx_status st;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		encore_record(buf, rows[i].pid, 'u', rows[i].raw);
		assert_int_equal(status_unpack_encore(buf, 20, &st), 0);
		assert_int_equal(st.main.state, rows[i].st);
		assert_int_equal(st.main.helper_pid,
		    rows[i].helper ? (pid_t)rows[i].pid : 0);
		assert_int_equal(st.main.pid,
		    rows[i].helper ? 0 : (pid_t)rows[i].pid);
		assert_int_equal(st.main.raw_state, rows[i].raw);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_encore_log_record),
		cmocka_unit_test(test_epochs),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_impossible_values),
		cmocka_unit_test(test_s6_213),
		cmocka_unit_test(test_s6_first_record),
		cmocka_unit_test(test_encore_states),
	};

	return cmocka_run_group_tests_name("unpack", tests, NULL, NULL);
}
