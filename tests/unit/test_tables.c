/*
 * The tables everything else trusts: sorted where bsearch reads them,
 * complete where an enum indexes them, and holding only letters the
 * supervisors accept (PROTOCOLS.md#control-letters).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../mappings/mappings.h"
#include "../../adapters/engine/service.h"
#include "../../shim/common/tool.h"
#include "../../shim/compat/compat.h"
#include "../../shim/personality.h"

static void
test_sorted(void **state)
{
	(void)state;
	assert_true(map_rows_sorted(svx_verbs, svx_nverbs, sizeof(svx_verbs[0]),
	    verb_row_name));
	assert_true(map_rows_sorted(personalities, npersonalities,
	    sizeof(personalities[0]), personality_name));
	/* status -o looks its fields up by bsearch. */
	assert_true(map_rows_sorted(status_fields, status_nfields,
	    sizeof(status_fields[0]), status_field_name));
	assert_non_null(map_status_field("pid"));
	assert_null(map_status_field("nope"));
}

static void
test_lookup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < svx_nverbs; i++)
		assert_ptr_equal(map_svx_verb(svx_verbs[i].name), &svx_verbs[i]);
	assert_null(map_svx_verb("upp"));
	assert_null(map_svx_verb(""));
	assert_non_null(find_personality("svx"));
	assert_null(find_personality("nosuch"));
}

/* Every verdict has an outcome; a record not read is never fine. */
static void
test_status_outcomes(void **state)
{
	int v;

	(void)state;
	for (v = 0; v < VERDICT_COUNT; v++)
		assert_true(verdict_outcomes[v] != OUT_OK ||
		    v == VERDICT_SUPERVISED);
	assert_int_equal(map_status_outcome(VERDICT_SUPERVISED, 1), OUT_OK);
	assert_int_equal(map_status_outcome(VERDICT_SUPERVISED, 0), OUT_SYSTEM);
	assert_int_equal(map_status_outcome(VERDICT_NOT_SERVICE, 0),
	    OUT_NOT_SUPERVISED);
	assert_int_equal(map_status_outcome(VERDICT_AMBIGUOUS, 1), OUT_SYSTEM);
	assert_int_equal(map_status_outcome(VERDICT_COUNT, 1), OUT_SYSTEM);
}

/* -o finds a field's absent word by its id: ids are the indexes. */
static void
test_status_field_ids(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < status_nfields; i++) {
		assert_int_equal(status_fields[i].id, i);
		assert_non_null(status_fields[i].absent);
	}
}

/* The personalities (shim/) and the tools' data (mappings/) name the
 * same tools, in the same order. */
static void
test_personalities_are_tools(void **state)
{
	size_t i;

	(void)state;
	assert_true(map_rows_sorted(tools, ntools, sizeof(tools[0]),
	    tool_row_name));
	assert_int_equal(ntools, npersonalities);
	for (i = 0; i < ntools; i++)
		assert_string_equal(tools[i].name, personalities[i].name);
	assert_true(map_tool("svc")->reads_supervisedir);
	assert_false(map_tool("sv")->reads_supervisedir);
	assert_null(map_tool("nosuch"));
}

/* Every control verb is reachable by its canonical name, and back. */
static void
test_verbs_complete(void **state)
{
	const struct verb_row *row;
	int v;

	(void)state;
	for (v = 0; v < VERB_COUNT; v++) {
		assert_non_null(verb_names[v]);
		if (v > SVX_VERB_LAST) {
			assert_null(map_svx_verb(verb_names[v]));
			continue;
		}
		row = map_svx_verb(verb_names[v]);
		assert_non_null(row);
		assert_int_equal(row->cmd, CMD_CONTROL);
		assert_int_equal(row->verb, v);
	}
	for (v = 0; v < STATE_COUNT; v++)
		assert_non_null(state_names[v]);
}

static const char *const accepted[BACKEND_DIR_COUNT] = {
	[BACKEND_DAEMONTOOLS] = "udopchaitkx",
	[BACKEND_ENCORE] = "+=Lludopchaitkwxq12",
	[BACKEND_RUNIT] = "duxtkpcoahiq12",
	[BACKEND_S6] = "abqhktiy12pcroduDUxOQ",
};

static void
test_control_letters(void **state)
{
	const struct svx_adapter *a;
	const char *p;
	int b, v;

	(void)state;
	for (b = BACKEND_DAEMONTOOLS; b < BACKEND_DIR_COUNT; b++) {
		a = adapter_for(b);
		assert_non_null(a);
		assert_int_equal(a->id, b);
		assert_non_null(a->unpack);
		assert_non_null(a->alive);
		for (v = 0; v < VERB_COUNT; v++) {
			if (a->ctl[v] == NULL)
				continue;
			assert_true(strlen(a->ctl[v]) > 0 &&
			    strlen(a->ctl[v]) < 32);
			for (p = a->ctl[v]; *p != '\0'; p++)
				if (strchr(accepted[b], *p) == NULL)
					fail_msg("%s: %s sends '%c'", a->name,
					    verb_names[v], *p);
		}
	}
}

/*
 * The registry: every directory backend reads supervise/ files and has no
 * source; supervisord has a source and neither letters nor an unpacker;
 * past the last backend there is none.
 */
static void
test_backend_registry(void **state)
{
	const struct svx_adapter *a;
	int b, v;

	(void)state;
	assert_null(adapter_for(BACKEND_UNKNOWN));
	assert_null(adapter_for(BACKEND_ALL_COUNT));
	assert_true(backend_has_directory(BACKEND_UNKNOWN));
	for (b = BACKEND_DAEMONTOOLS; b < BACKEND_DIR_COUNT; b++) {
		assert_null(adapter_for(b)->source);
		assert_true(backend_has_directory(b));
	}
	a = adapter_for(BACKEND_SUPERVISORD);
	assert_non_null(a);
	assert_int_equal(a->id, BACKEND_SUPERVISORD);
	assert_string_equal(backend_name(BACKEND_SUPERVISORD), "supervisord");
	assert_non_null(a->source);
	assert_false(backend_has_directory(BACKEND_SUPERVISORD));
	assert_null(a->unpack);
	assert_null(a->alive);
	for (v = 0; v < VERB_COUNT; v++)
		assert_null(a->ctl[v]);
	/* A backend's name without its adapter (adapter.c) is its
	 * adapter's; the registry knows every backend. */
	for (b = BACKEND_DAEMONTOOLS; b < BACKEND_ALL_COUNT; b++) {
		assert_non_null(adapter_for(b));
		assert_int_equal(adapter_for(b)->id, b);
		assert_string_equal(backend_name(b), adapter_for(b)->name);
	}
	assert_string_equal(backend_name(BACKEND_UNKNOWN), "unknown");
	assert_string_equal(backend_name(BACKEND_ALL_COUNT), "unknown");
}

/* The facts the issue fixes: exit differs on runit; 0.76 lacks q 1 2. */
static void
test_documented_letters(void **state)
{
	(void)state;
	assert_string_equal(adapter_runit.ctl[VERB_EXIT], "x");
	assert_string_equal(adapter_daemontools.ctl[VERB_EXIT], "dx");
	assert_string_equal(adapter_s6.ctl[VERB_EXIT], "dx");
	assert_string_equal(adapter_encore.ctl[VERB_EXIT], "ldx");
	assert_null(adapter_daemontools.ctl[VERB_QUIT]);
	assert_null(adapter_daemontools.ctl[VERB_USR1]);
	assert_null(adapter_daemontools.ctl[VERB_USR2]);
	assert_null(adapter_runit.ctl[VERB_WINCH]);
	assert_string_equal(adapter_s6.ctl[VERB_WINCH], "y");
}

static void
test_outcomes(void **state)
{
	int r;

	(void)state;
	assert_int_equal(svx_exits.code[OUT_OK], 0);
	assert_int_equal(svx_exits.code[OUT_FALSE], 1);
	assert_int_equal(svx_exits.code[OUT_USAGE], 100);
	assert_int_equal(svx_exits.code[OUT_NOT_SUPERVISED], 102);
	assert_int_equal(svx_exits.code[OUT_UNSUPPORTED], 103);
	assert_int_equal(svx_exits.code[OUT_SYSTEM], 111);
	for (r = SEND_OK + 1; r <= SEND_ERROR; r++) {
		assert_non_null(send_rows[r].message);
		assert_int_not_equal(send_rows[r].outcome, OUT_OK);
	}
	assert_string_equal(signal_name(15), "SIGTERM");
	assert_null(signal_name(0));
}

/*
 * Each native tool's codes, pinned: scripts read them, and the
 * personalities exit with nothing but these tables. A row omitted from a
 * map's initializer would read as 0 (success): every outcome is listed.
 */
static void
test_personality_exit_codes(void **state)
{
	static const struct {
		const struct exit_map *map;
		int		 code[OUT_COUNT];
	} rows[] = {
		/*                 OK FALSE TIMEOUT USAGE NOTSUP UNSUP SYS */
		{ &svx_exits,      { 0, 1,  1,  100, 102, 103, 111 } },
		{ &svc_exits,      { 0, 0,  0,  100, 0,   100, 0 } },
		{ &svstat_exits,   { 0, 0,  0,  100, 0,   0,   0 } },
		{ &svok_exits,     { 0, 100, 100, 100, 100, 100, 111 } },
		{ &s6svok_exits,   { 0, 1,  1,  100, 1,   100, 111 } },
		{ &s6svstat_exits, { 0, 1,  1,  100, 1,   100, 111 } },
		{ &s6svc_exits,    { 0, 1,  99, 100, 100, 100, 111 } },
		{ &s6svlisten1_exits, { 0, 1, 99, 100, 1, 100, 111 } },
		{ &s6svwait_exits, { 0, 1,  99, 100, 111, 100, 111 } },
	};
	size_t i;
	int o;

	(void)state;
	assert_int_equal(OUT_COUNT, 7);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_non_null(rows[i].map->personality);
		assert_non_null(rows[i].map->note);
		for (o = 0; o < OUT_COUNT; o++)
			if (rows[i].map->code[o] != rows[i].code[o])
				fail_msg("%s: outcome %d exits %d, not %d",
				    rows[i].map->personality, o,
				    rows[i].map->code[o], rows[i].code[o]);
	}
	/* s6-svwait counts its failures; s6-svlisten1 says 1 for any. */
	assert_int_equal(personality_code(&s6svwait_exits, OUT_FALSE, 3), 3);
	assert_int_equal(personality_code(&s6svwait_exits, OUT_TIMEOUT, 3),
	    99);
	assert_int_equal(personality_code(&s6svlisten1_exits, OUT_FALSE, 3),
	    1);
	assert_int_equal(personality_code(&svx_exits, OUT_SYSTEM, 0), 111);
	/* sv's fixed codes: failures capped at 99, LSB's 2, 151, 0 3 4. */
	assert_int_equal(sv_codes.max_failures, 99);
	assert_int_equal(sv_codes.usage, 100);
	assert_int_equal(sv_codes.fatal, 100);
	assert_int_equal(sv_codes.lsb_usage, 2);
	assert_int_equal(sv_codes.lsb_fatal, 151);
	assert_int_equal(sv_codes.lsb_running, 0);
	assert_int_equal(sv_codes.lsb_down, 3);
	assert_int_equal(sv_codes.lsb_unknown, 4);
}

/* Every placeholder in TEXT is one words.c fills in. */
static void
assert_placeholders_known(const char *text)
{
	static const char *const known[] = { "{dir}", "{backend}", "{what}",
	    "{err}", "{why}", "{svdir}" };
	const char *p;
	size_t i, len;

	for (p = strchr(text, '{'); p != NULL; p = strchr(p + 1, '{')) {
		len = strcspn(p, "}") + 1;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strlen(known[i]) == len &&
			    strncmp(p, known[i], len) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0]))
			fail_msg("unknown placeholder in \"%s\"", text);
	}
}

/*
 * Each personality words every send result: a refusal is never silent,
 * never success, and names the service; sv's says it on stdout.
 */
static void
test_send_words(void **state)
{
	static const struct send_words *const words[] = {
		&svc_send_words, &sv_send_words, &s6svc_send_words,
	};
	const struct send_word *row;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		assert_non_null(words[i]->err_text);
		assert_null(words[i]->row[SEND_OK].text);
		assert_int_equal(words[i]->row[SEND_OK].outcome, OUT_OK);
		for (r = SEND_OK + 1; r < SEND_RESULTS; r++) {
			row = &words[i]->row[r];
			if (row->text == NULL)
				fail_msg("%s: result %d unworded",
				    words[i]->personality, r);
			assert_int_not_equal(row->outcome, OUT_OK);
			assert_non_null(strstr(row->text, "{dir}"));
			assert_placeholders_known(row->text);
			if (row->exiting != NULL)
				assert_placeholders_known(row->exiting);
		}
	}
	assert_true(sv_send_words.on_stdout);
	assert_false(svc_send_words.on_stdout || s6svc_send_words.on_stdout);
	assert_null(sv_send_words.exits);
	assert_ptr_equal(svc_send_words.exits, &svc_exits);
	assert_ptr_equal(s6svc_send_words.exits, &s6svc_exits);
	assert_int_equal(svc_exits.code[svc_group_refused.outcome], 100);
	assert_placeholders_known(svc_group_refused.text);
	assert_string_equal(s6svc_send_words.err_text(EAGAIN),
	    strerror(EAGAIN));
	assert_string_equal(sv_send_words.err_text(EAGAIN),
	    "temporary failure");
}

/*
 * Each tool words every reason it can meet, as a failure, and only those:
 * svstat and sv the seven of compat_cannot, svc six (it asks only of what
 * nobody supervises), s6-svc the five of its own order. sv says it on stdout, and "ok:" for exit once runsv is
 * gone; svstat's words follow "DIR: " in its line, the others name the
 * service.
 */
static void
test_cannot_words(void **state)
{
	static const unsigned int shared = 1u << CANNOT_BAD_FORMAT |
	    1u << CANNOT_NOT_RUNNING | 1u << CANNOT_NO_SVDIR |
	    1u << CANNOT_NO_OK | 1u << CANNOT_NOT_SERVICE |
	    1u << CANNOT_AMBIGUOUS | 1u << CANNOT_ERROR;
	static const unsigned int s6svc = 1u << CANNOT_SVDIR_NOT_DIR |
	    1u << CANNOT_ERROR | 1u << CANNOT_AMBIGUOUS |
	    1u << CANNOT_NO_CONTROL | 1u << CANNOT_NOT_RUNNING;
	static const struct {
		const struct cannot_words *w;
		unsigned int	 met;
	} words[] = {
		/* svc refuses only what nobody supervises. */
		{ &svstat_cannot_words, shared },
		{ &svc_cannot_words, shared & ~(1u << CANNOT_BAD_FORMAT) },
		{ &sv_cannot_words, shared }, { &s6svc_cannot_words, s6svc },
	};
	const struct send_word *row;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		assert_non_null(words[i].w->err_text);
		for (r = 0; r < CANNOT_REASONS; r++) {
			row = &words[i].w->row[r];
			assert_non_null(cannot_reason_names[r]);
			if (!(words[i].met & 1u << r)) {
				if (row->text != NULL)
					fail_msg("%s: reason %d never met, "
					    "worded", words[i].w->personality, r);
				continue;
			}
			if (row->text == NULL)
				fail_msg("%s: reason %d unworded",
				    words[i].w->personality, r);
			assert_int_not_equal(row->outcome, OUT_OK);
			if (words[i].w != &svstat_cannot_words)
				assert_non_null(strstr(row->text, "{dir}"));
			assert_placeholders_known(row->text);
			if (row->exiting != NULL)
				assert_placeholders_known(row->exiting);
		}
	}
	assert_true(sv_cannot_words.on_stdout);
	assert_string_equal(sv_cannot_words.row[CANNOT_NOT_RUNNING].exiting,
	    "ok: {dir}: runsv not running");
	/* s6-svc: 100 for no supervisor, 111 for an error. */
	assert_int_equal(s6svc_exits.code[s6svc_cannot_words.row[
	    CANNOT_NOT_RUNNING].outcome], 100);
	assert_int_equal(s6svc_exits.code[s6svc_cannot_words.row[
	    CANNOT_ERROR].outcome], 111);
	assert_int_equal(svstat_cannot_words.row[CANNOT_NO_SVDIR].err, ENOENT);
}

/* A verdict and the supervise/ facts, as the tools' reason. */
static enum cannot_reason
reason_of(enum svx_verdict verdict, int svdir_err, int relocated,
    unsigned int files, struct send_context *c)
{
	struct svx_service sv;

	memset(&sv, 0, sizeof(sv));
	memset(c, 0, sizeof(*c));
	sv.det.verdict = verdict;
	sv.det.why = "two formats";
	sv.det.err = EACCES;
	sv.det.ev.files = files;
	sv.svdir_err = svdir_err;
	sv.relocated = relocated;
	return compat_cannot(&sv, c);
}

static void
test_cannot_reasons(void **state)
{
	struct send_context c;

	(void)state;
	assert_int_equal(reason_of(VERDICT_SUPERVISED, 0, 0, 0, &c),
	    CANNOT_BAD_FORMAT);
	assert_int_equal(reason_of(VERDICT_UNSUPERVISED, 0, 0, EV_OK, &c),
	    CANNOT_NOT_RUNNING);
	assert_int_equal(reason_of(VERDICT_UNSUPERVISED, ENOENT, 0, 0, &c),
	    CANNOT_NO_SVDIR);
	/* $SUPERVISEDIR's directory there, its ok not. */
	assert_int_equal(reason_of(VERDICT_UNSUPERVISED, 0, 1, 0, &c),
	    CANNOT_NO_OK);
	assert_int_equal(reason_of(VERDICT_UNSUPERVISED, 0, 1, EV_OK, &c),
	    CANNOT_NOT_RUNNING);
	assert_int_equal(reason_of(VERDICT_NOT_SERVICE, 0, 0, 0, &c),
	    CANNOT_NOT_SERVICE);
	assert_int_equal(c.err, ENOENT);
	assert_int_equal(reason_of(VERDICT_NOT_SERVICE, ENOTDIR, 0, 0, &c),
	    CANNOT_NOT_SERVICE);
	assert_int_equal(c.err, ENOTDIR);
	assert_int_equal(reason_of(VERDICT_AMBIGUOUS, 0, 0, 0, &c),
	    CANNOT_AMBIGUOUS);
	assert_string_equal(c.why, "two formats");
	assert_int_equal(reason_of(VERDICT_ERROR, 0, 0, 0, &c), CANNOT_ERROR);
	assert_int_equal(c.err, EACCES);
}

static void
test_personality_tables_sorted(void **state)
{
	size_t i;

	(void)state;
	assert_true(map_rows_sorted(sv_words, sv_nwords, sizeof(sv_words[0]),
	    sv_action_name));
	for (i = 1; i < sv_nfirst; i++)
		assert_true(sv_first[i - 1].first < sv_first[i].first);
	for (i = 1; i < svc_nletters; i++)
		assert_true(svc_letters[i - 1].letter < svc_letters[i].letter);
	for (i = 1; i < sv_nletters; i++)
		assert_true(sv_letters[i - 1].letter < sv_letters[i].letter);
	for (i = 1; i < s6svc_nletters; i++)
		assert_true(s6svc_letters[i - 1].letter <
		    s6svc_letters[i].letter);
}

/* runit's rule: whole words first, then the first character. */
static void
test_sv_words(void **state)
{
	static const struct {
		const char	*word;
		int		 lsb;
		const char	*acts;		/* NULL: usage */
		unsigned int	 flags;
	} rows[] = {
		{ "up", 0, "u", 0 }, { "uXYZ", 0, "u", 0 },
		{ "down", 0, "d", 0 }, { "cont", 0, "c", 0 },
		{ "check", 0, "C", SV_WAITS }, { "checkx", 0, "c", 0 },
		{ "t", 0, "t", 0 }, { "try-restart", 0, "tc", SV_WAITS },
		{ "exit", 0, "x", 0 }, { "e", 0, "x", 0 },
		{ "X", 0, "x", SV_WAITS | SV_KILL },
		{ "D", 0, "d", SV_WAITS | SV_KILL },
		{ "T", 0, "tc", SV_WAITS | SV_KILL },
		{ "restart", 0, "tcu", SV_WAITS }, { "reload", 0, "h", SV_WAITS },
		{ "r", 0, NULL, 0 }, { "reloadx", 0, NULL, 0 },
		{ "force-stop", 0, "d", SV_WAITS | SV_KILL },
		{ "f", 0, NULL, 0 }, { "force", 0, NULL, 0 },
		{ "s", 0, "", SV_STATUS | SV_NOT_LSB },
		{ "stat", 0, "", SV_STATUS | SV_NOT_LSB },
		{ "status", 1, "", SV_STATUS }, { "s", 1, NULL, 0 },
		{ "stat", 1, NULL, 0 }, { "start", 1, "u", SV_WAITS },
		{ "U", 0, NULL, 0 }, { "", 0, NULL, 0 }, { "3", 0, NULL, 0 },
	};
	const struct sv_action *a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		a = map_sv_action(rows[i].word, rows[i].lsb);
		if (rows[i].acts == NULL) {
			if (a != NULL)
				fail_msg("%s: expected usage", rows[i].word);
			continue;
		}
		if (a == NULL)
			fail_msg("%s: no row", rows[i].word);
		assert_string_equal(a->acts, rows[i].acts);
		assert_int_equal(a->flags, rows[i].flags);
	}
}

/* s6 2.11 matches -o pieces as prefixes, first field in table order. */
static void
test_s6_fields(void **state)
{
	static const struct {
		const char	*piece;
		const char	*field;
	} rows[] = {
		{ "p", "paused" }, { "pi", "pid" }, { "u", "up" },
		{ "upd", "updownsince" }, { "updownf", "updownfor" },
		{ "r", "ready" }, { "readyf", "readyfor" }, { "s", "signal" },
		{ "signu", "signum" }, { "w", "wantedup" },
		{ "n", "normallyup" }, { "e", "exitcode" },
	};
	const struct s6_field *f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		f = map_s6svstat_field(rows[i].piece, strlen(rows[i].piece));
		assert_non_null(f);
		assert_string_equal(f->name, rows[i].field);
	}
	assert_null(map_s6svstat_field("upx", 3));
	assert_null(map_s6svstat_field("exitcodex", 9));
	assert_int_equal(map_s6svstat_letter('t')->id, S6F_UPDOWNFOR);
	assert_null(map_s6svstat_letter('x'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_personalities_are_tools),
		cmocka_unit_test(test_status_outcomes),
		cmocka_unit_test(test_status_field_ids),
		cmocka_unit_test(test_verbs_complete),
		cmocka_unit_test(test_control_letters),
		cmocka_unit_test(test_backend_registry),
		cmocka_unit_test(test_documented_letters),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_personality_exit_codes),
		cmocka_unit_test(test_send_words),
		cmocka_unit_test(test_cannot_words),
		cmocka_unit_test(test_cannot_reasons),
		cmocka_unit_test(test_personality_tables_sorted),
		cmocka_unit_test(test_sv_words),
		cmocka_unit_test(test_s6_fields),
	};

	return cmocka_run_group_tests_name("tables", tests, NULL, NULL);
}
