/*
 * The tables everything else trusts: sorted where bsearch reads them,
 * complete where an enum indexes them, and holding only letters the
 * supervisors accept (reference §4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../shim/shim.h"

static void
test_sorted(void **state)
{
	(void)state;
	assert_true(map_rows_sorted(svx_verbs, svx_nverbs, sizeof(svx_verbs[0]),
	    verb_row_name));
	assert_true(map_rows_sorted(personalities, npersonalities,
	    sizeof(personalities[0]), personality_name));
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

static const char *const accepted[BACKEND_COUNT] = {
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
	for (b = BACKEND_DAEMONTOOLS; b < BACKEND_COUNT; b++) {
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_verbs_complete),
		cmocka_unit_test(test_control_letters),
		cmocka_unit_test(test_documented_letters),
		cmocka_unit_test(test_outcomes),
	};

	return cmocka_run_group_tests_name("tables", tests, NULL, NULL);
}
