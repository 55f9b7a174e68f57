/*
 * SERVICE arguments: paths stay paths; names go to $SVDIR when set, else
 * to the first default scan directory that has them.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../shim/common/resolve.h"

static void
test_paths(void **state)
{
	static const char *const paths[] = {
		"/srv/x", "./x", "../x", ".", "..", "./", "/",
	};
	char out[PATH_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_true(is_path_argument(paths[i]));
		assert_int_equal(resolve_service(paths[i], "/scan", out,
		    sizeof(out)), 0);
		assert_string_equal(out, paths[i]);
	}
}

static void
test_names(void **state)
{
	char out[PATH_MAX];

	(void)state;
	assert_false(is_path_argument("web"));
	assert_false(is_path_argument("web/log"));
	assert_false(is_path_argument(".hidden"));
	assert_int_equal(resolve_service("web", "/scan", out, sizeof(out)), 0);
	assert_string_equal(out, "/scan/web");
	assert_int_equal(resolve_service("web/log", "/scan/", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "/scan//web/log");
}

static void
test_default_scandirs(void **state)
{
	char out[PATH_MAX];

	(void)state;
	assert_string_equal(default_scandirs[0], "/run/service");
	assert_string_equal(default_scandirs[1], "/etc/service");
	assert_string_equal(default_scandirs[2], "/service");
	assert_string_equal(default_scandirs[3], "/var/service");
	assert_null(default_scandirs[4]);
	/* A name no scan directory has. */
	assert_int_equal(resolve_service("svx-no-such-service-\x01", NULL, out,
	    sizeof(out)), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(resolve_service("svx-no-such-service", "", out,
	    sizeof(out)), -1);
}

static void
test_errors(void **state)
{
	char out[16], big[PATH_MAX + 10];

	(void)state;
	assert_int_equal(resolve_service("", "/scan", out, sizeof(out)), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(resolve_service("a-long-service-name", "/scan", out,
	    sizeof(out)), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(resolve_service(big, NULL, out, sizeof(out)), -1);
	assert_int_equal(errno, ENAMETOOLONG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_default_scandirs),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("resolve", tests, NULL, NULL);
}
