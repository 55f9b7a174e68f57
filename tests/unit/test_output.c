/*
 * The status line: durations, flags, stale and log parts, escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../adapters/supervisord/supervisord.h"
#include "../../shim/common/fields.h"
#include "../../shim/common/output.h"
#include "fixtures.h"

static const char *
duration(int64_t secs)
{
	static char buf[64];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	format_duration(&t, secs);
	return buf;
}

static void
test_durations(void **state)
{
	(void)state;
	assert_string_equal(duration(0), "0s");
	assert_string_equal(duration(-5), "0s");
	assert_string_equal(duration(59), "59s");
	assert_string_equal(duration(60), "1m 0s");
	assert_string_equal(duration(3599), "59m 59s");
	assert_string_equal(duration(3600 * 3 + 60 * 12 + 5), "3h 12m");
	assert_string_equal(duration(86400 * 3 + 3600 * 4 + 1), "3d 4h");
}

/* A service as detection would leave it, from a fixture. */
static void
service_from(struct svx_service *sv, const char *fixture,
    enum svx_backend b, enum svx_verdict v)
{
	ssize_t r;

	memset(sv, 0, sizeof(*sv));
	r = fixture_status(fixture, sv->det.ev.status, STATUS_MAX);
	assert_true(r > 0);
	sv->det.ev.status_len = (size_t)r;
	sv->det.verdict = v;
	sv->det.backend = b;
	sv->det.why = "test";
	sv->adapter = adapter_for(b);
	assert_int_equal(sv->adapter->unpack(sv->det.ev.status, (size_t)r,
	    &sv->st), 0);
	sv->status_ok = 1;
}

static const char *
line(const struct svx_service *sv, const struct svx_service *log,
    int64_t age)
{
	static char buf[512];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	format_status_line(&t, "web", sv, log, sv->st.main.since.sec + age);
	return buf;
}

static void
test_lines(void **state)
{
	struct svx_service sv, log;
	char want[256];

	(void)state;
	service_from(&sv, "runit-want-down-got-term", BACKEND_RUNIT,
	    VERDICT_SUPERVISED);
	snprintf(want, sizeof(want), "web: runit up (pid %ld) 5s, want down, "
	    "got TERM\n", fixture_pid("runit-want-down-got-term"));
	assert_string_equal(line(&sv, NULL, 5), want);

	service_from(&sv, "runit-finishing", BACKEND_RUNIT, VERDICT_SUPERVISED);
	snprintf(want, sizeof(want), "web: runit finishing (finish pid %ld) "
	    "2m 0s, normally up\n", fixture_pid("runit-finishing"));
	assert_string_equal(line(&sv, NULL, 120), want);

	service_from(&sv, "s6-permanent-failure", BACKEND_S6,
	    VERDICT_SUPERVISED);
	assert_string_equal(line(&sv, NULL, 1),
	    "web: s6 down 1s, normally up, exit 3\n");

	service_from(&sv, "daemontools-stale", BACKEND_DAEMONTOOLS,
	    VERDICT_UNSUPERVISED);
	snprintf(want, sizeof(want), "web: unsupervised; stale daemontools "
	    "status: up (pid %ld) 1d 0h\n", fixture_pid("daemontools-stale"));
	assert_string_equal(line(&sv, NULL, 86400), want);

	service_from(&sv, "runit-normally-down-with-log", BACKEND_RUNIT,
	    VERDICT_SUPERVISED);
	sv.normally_down = 1;
	service_from(&log, "runit-log-up", BACKEND_RUNIT, VERDICT_SUPERVISED);
	log.st.main.since = sv.st.main.since;
	snprintf(want, sizeof(want), "web: runit down 3s; log: up (pid %ld) "
	    "3s\n", fixture_pid("runit-log-up"));
	assert_string_equal(line(&sv, &log, 3), want);

	service_from(&sv, "encore-once", BACKEND_ENCORE, VERDICT_SUPERVISED);
	assert_string_equal(line(&sv, NULL, 0),
	    "web: encore up (pid 13441) 0s, once\n");

	service_from(&sv, "encore-up-with-log", BACKEND_ENCORE,
	    VERDICT_SUPERVISED);
	assert_non_null(strstr(line(&sv, NULL, 0), "; log: up (pid 13287)"));
}

static void
test_escaping(void **state)
{
	char buf[128];
	struct text t;

	(void)state;
	text_init(&t, buf, sizeof(buf));
	text_name(&t, "a\x1b[31mb\n\\");
	assert_string_equal(buf, "a\\x1b[31mb\\x0a\\\\");
	/* UTF-8 passes; a byte that is not UTF-8 (or an overlong form, or a
	 * surrogate) is escaped, so a terminal shows what is there. */
	text_init(&t, buf, sizeof(buf));
	text_name(&t, "caf\xc3\xa9 \xff \xc0\xaf \xed\xa0\x80");
	assert_string_equal(buf, "caf\xc3\xa9 \\xff \\xc0\\xaf "
	    "\\xed\\xa0\\x80");
	/* A cause holding a name: the same, but a backslash is its own. */
	text_init(&t, buf, sizeof(buf));
	text_visible(&t, "x\x1b[31m\ny\tz\x7f\\ caf\xc3\xa9 \xff");
	assert_string_equal(buf, "x\\x1b[31m\\x0ay\\x09z\\x7f\\ "
	    "caf\xc3\xa9 \\xff");
	assert_int_equal(name_width("caf\xc3\xa9"), 4);
	assert_int_equal(name_width("a\nb"), 6);
	assert_int_equal(name_width("a\\b"), 4);
}

static void
test_truncation(void **state)
{
	char buf[8];
	struct text t;

	(void)state;
	text_init(&t, buf, sizeof(buf));
	text_add(&t, "%s", "0123456789");
	text_add(&t, "%s", "more");
	assert_string_equal(buf, "0123456");
	assert_int_equal(t.len, 7);
}

static const char *
fields(const struct svx_service *sv, int64_t now)
{
	static const enum status_field_id all[] = {
		SF_BACKEND, SF_SUPERVISOR, SF_STATE, SF_PID, SF_AGE, SF_WANT,
		SF_NORMALLY, SF_PAUSED, SF_READY, SF_EXIT, SF_SIGNAL,
	};
	static char buf[512];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	format_fields(&t, all, sizeof(all) / sizeof(all[0]), "web", sv, now);
	return buf;
}

/*
 * One decision per field, whatever prints it: a live record gives the
 * process facts; a stale one (no supervisor) gives none of them, only
 * its want; supervisord's programs have no normal state.
 */
static void
test_fields(void **state)
{
	struct svx_service sv;
	struct field_value v;
	char want[256];

	(void)state;
	service_from(&sv, "s6-up", BACKEND_S6, VERDICT_SUPERVISED);
	snprintf(want, sizeof(want), "s6 running up %ld 7 up up false false "
	    "-1 NA\n", fixture_pid("s6-up"));
	assert_string_equal(fields(&sv, sv.st.main.since.sec + 7), want);
	field_get(SF_PID, "web", &sv, 0, &v);
	assert_int_equal(v.kind, FV_NUMBER);
	assert_int_equal(v.number, fixture_pid("s6-up"));

	service_from(&sv, "s6-exited", BACKEND_S6, VERDICT_SUPERVISED);
	field_get(SF_EXIT, "web", &sv, 0, &v);
	assert_int_equal(v.kind, FV_NUMBER);
	field_get(SF_PID, "web", &sv, 0, &v);
	assert_int_equal(v.kind, FV_ABSENT);

	service_from(&sv, "s6-up", BACKEND_S6, VERDICT_UNSUPERVISED);
	assert_string_equal(fields(&sv, sv.st.main.since.sec + 7),
	    "s6 absent unsupervised -1 -1 up up false unknown -1 NA\n");
	field_get(SF_STATE, "web", &sv, 0, &v);
	assert_int_equal(v.code, ROW_UNSUPERVISED);

	service_from(&sv, "s6-up", BACKEND_S6, VERDICT_SUPERVISED);
	sv.det.backend = BACKEND_SUPERVISORD;
	sv.adapter = adapter_for(BACKEND_SUPERVISORD);
	field_get(SF_NORMALLY, "web", &sv, 0, &v);
	assert_int_equal(v.kind, FV_ABSENT);
	field_get(SF_BACKEND, "web", &sv, 0, &v);
	assert_string_equal(v.word, "supervisord");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_fields),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
