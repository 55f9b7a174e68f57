/*
 * svx import's plan and files (shim/import/): a crafted unit planned for
 * each backend gives the fields the run script is made of, and the run
 * script, run by sh with its command replaced by printf, passes exactly
 * the words systemd would (quotes, escapes, $VAR split and ${VAR} whole,
 * at import or, with an EnvironmentFile=, by sh at start).
 */
#include <sys/stat.h>
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
#include <unistd.h>
#include <cmocka.h>

#include "../../shim/import/import.h"
#include "tmpdir.h"

static struct unit u;
static struct imp imp;
static char run[65536];

/* TEXT planned for backend B as NAME: imp_plan's result. */
static int
plan_text(const char *name, const char *text, enum svx_backend b)
{
	const char *why;

	memset(&imp, 0, sizeof(imp));
	imp.arg = name;
	imp.to = b;
	assert_int_equal(0, unit_name_parse(name, &imp.name, &why));
	strlcpy(imp.file, "/test/unit", sizeof(imp.file));
	unit_init(&u);
	assert_int_equal(0, unit_parse(&u, text, strlen(text), &why));
	return imp_plan(&imp, &u);
}

/* The run script, its exec's program replaced by printf '[%s]': what
 * it passes, as sh runs it. */
static const char *
words_run(void)
{
	static char out[8192];
	char *exec, script[70000];
	int p[2], st;
	ssize_t n, got = 0;
	pid_t pid;

	assert_int_equal(0, imp_render_run(&imp, run, sizeof(run)));
	exec = strstr(run, "\nexec '");
	assert_non_null(exec);
	/* exec 'PATH' args -> exec printf '[%s]' args */
	snprintf(script, sizeof(script), "%.*s\nexec printf '[%%s]' %s",
	    (int)(exec - run), run, strchr(exec + 7, '\'') + 2);
	assert_int_equal(0, pipe(p));
	if ((pid = fork()) == 0) {
		dup2(p[1], 1);
		close(p[0]);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], out + got, sizeof(out) - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(p[0]);
	waitpid(pid, &st, 0);
	return out;
}

static void
test_words_through_sh(void **state)
{
	(void)state;
	assert_int_equal(0, plan_text("q.service", "[Service]\n"
	    "Environment=\"ONE=a b  c\" TWO=x\n"
	    "ExecStart=/bin/x 'it''s' \"d \\\"q\\\"\" \\x41\\s $ONE ${ONE} "
	    "p${TWO}q $UNSET \"\" '$$' %n\n", BACKEND_RUNIT));
	assert_false(imp.runtime_env);
	assert_string_equal("[its][d \"q\"][A ][a][b][c][a b  c][pxq][][$]"
	    "[q.service]", words_run());
}

static void
test_words_at_start(void **state)
{
	char text[1024];

	(void)state;
	scratch_write("env", "ONE='a b'\nTWO=x\n", 16);
	snprintf(text, sizeof(text), "[Service]\nEnvironmentFile=%s\n"
	    "EnvironmentFile=-/nonexistent/file\n"
	    "ExecStart=/bin/x $ONE ${ONE} p${TWO}q $UNSET '*' $$\n",
	    scratch_path("env"));
	assert_int_equal(0, plan_text("e.service", text, BACKEND_S6));
	assert_true(imp.runtime_env);
	/* sh splits $ONE at IFS; no globbing (set -f). */
	assert_string_equal("[a][b][a b][pxq][*][$]", words_run());
}

/* UnsetEnvironment= applies after the rest, before $VAR expansion. */
static void
test_unset(void **state)
{
	(void)state;
	assert_int_equal(0, plan_text("u.service", "[Service]\n"
	    "Environment=A=1 B=2 C=3\nUnsetEnvironment=A B=9 C=3\n"
	    "ExecStart=/bin/x ${A} ${B} ${C}\n", BACKEND_S6));
	assert_int_equal(3, imp.nunset);
	assert_string_equal("[][2][]", words_run());
}

static void
test_fields(void **state)
{
	(void)state;
	assert_int_equal(0, plan_text("o.service", "[Service]\n"
	    "ExecStart=/bin/echo hi\nStandardOutput=append:/var/log/%p.log\n"
	    "StandardError=null\nKillSignal=SIGQUIT\nTimeoutStopSec=1min 30s\n"
	    "Restart=no\nIgnoreSIGPIPE=no\nUMask=0027\nNice=5\n"
	    "LimitNOFILE=4096:8192\nLimitRSS=1000\n[Bogus]\nX=1\n",
	    BACKEND_S6));
	assert_int_equal(IMPO_APPEND, imp.out);
	assert_string_equal("/var/log/o.log", imp.out_file);
	assert_int_equal(IMPO_NULL, imp.err);
	assert_string_equal("SIGQUIT", imp.down_signal);
	assert_int_equal(90000, imp.timeout_kill_ms);
	assert_int_equal(1, imp.down);
	assert_int_equal(0, imp.ignore_sigpipe);
	assert_string_equal("0027", imp.umask);
	assert_string_equal("5", imp.nice);
	assert_int_equal(2, imp.nlimits);
	assert_string_equal("-o 4096", imp.limits[0]);
	assert_int_equal(0, imp.lost);
	/* runit: chpst has no RSS limit (lost, exit 1); runsv's control/t. */
	assert_int_equal(0, plan_text("o.service", "[Service]\n"
	    "ExecStart=/bin/echo hi\nLimitRSS=1000\nKillSignal=QUIT\n",
	    BACKEND_RUNIT));
	assert_int_equal(0, imp.nlimits);
	assert_int_equal(1, imp.lost);
	assert_int_equal(0, imp_render_control_t(&imp, run, sizeof(run)));
	assert_non_null(strstr(run, "kill -s QUIT"));
	/* daemontools: no KillSignal but SIGTERM, no finish. */
	assert_int_equal(0, plan_text("o.service", "[Service]\n"
	    "ExecStart=/bin/echo hi\nRestart=on-failure\n", BACKEND_DAEMONTOOLS));
	assert_null(imp.restart);
	assert_int_equal(1, imp.lost);
	assert_int_equal(0, plan_text("o.service", "[Service]\n"
	    "ExecStart=/bin/echo hi\nRestart=on-failure\n", BACKEND_S6));
	assert_non_null(imp.restart);
	assert_int_equal(0, imp_render_finish(&imp, run, sizeof(run)));
	assert_non_null(strstr(run, "exit 125"));
	/* Unknown directives change what runs; sandboxing does not. */
	assert_int_equal(0, plan_text("o.service", "[Service]\n"
	    "ExecStart=/bin/echo hi\nProtectSystem=strict\nPrivateTmp=yes\n",
	    BACKEND_S6));
	assert_int_equal(0, imp.lost);
	assert_int_equal(0, plan_text("o.service", "[Service]\n"
	    "ExecStart=/bin/echo hi\nFrobnicate=yes\n", BACKEND_S6));
	assert_int_equal(1, imp.lost);
}

static void
test_types(void **state)
{
	(void)state;
	/* forking: the table's flag, the unit's own -g dropped. */
	assert_int_equal(0, plan_text("nginx.service", "[Service]\n"
	    "Type=forking\nExecStart=/usr/sbin/nginx -g 'daemon on;' -c /x\n",
	    BACKEND_RUNIT));
	assert_string_equal("'/usr/sbin/nginx' '-c' '/x' '-g' 'daemon off;'",
	    imp.start);
	assert_int_equal(-1, plan_text("m.service", "[Service]\n"
	    "Type=forking\nExecStart=/usr/sbin/mystery\n", BACKEND_RUNIT));
	assert_true(imp.refused);
	assert_int_equal(-1, plan_text("m.service", "[Service]\n"
	    "Type=oneshot\nExecStart=/bin/true\n", BACKEND_S6));
	assert_true(imp.refused);
	assert_int_equal(-1, plan_text("m.service", "[Service]\n"
	    "ExecStart=/bin/true\nExecStart=/bin/false\n", BACKEND_S6));
	assert_int_equal(-1, plan_text("m.service", "[Service]\n"
	    "Type=simple\n", BACKEND_S6));
	/* notify: s6 readiness for a daemon with a known check only. */
	assert_int_equal(0, plan_text("r.service", "[Service]\nType=notify\n"
	    "ExecStart=/usr/bin/redis-server\n", BACKEND_S6));
	assert_non_null(imp.ready);
	assert_int_equal(0, plan_text("r.service", "[Service]\nType=notify\n"
	    "ExecStart=/usr/bin/redis-server\n", BACKEND_RUNIT));
	assert_null(imp.ready);
	assert_int_equal(0, imp.lost);
	assert_int_equal(0, plan_text("r.service", "[Service]\nType=notify\n"
	    "ExecStart=/usr/bin/other\n", BACKEND_S6));
	assert_null(imp.ready);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_through_sh),
		cmocka_unit_test(test_words_at_start),
		cmocka_unit_test(test_unset),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_types),
	};

	return cmocka_run_group_tests_name("import", tests, scratch_setup,
	    scratch_teardown);
}
