/*
 * svx new's files (adapters/files/svnew.c): sh quoting, checked by
 * running sh on what it quotes; each backend's run and log/run from the
 * dialect table; the build under a dot-name, never over an existing
 * NAME and with nothing left behind; the scan directory's link states.
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

#include "../../adapters/files/svfiles.h"
#include "../../adapters/files/svnew.h"
#include "tmpdir.h"

static const char *const awkward[] = {
	"plain", "two words", "it's", "'", "''", "\"double\"", "$HOME",
	"`id`", "$(id)", "back\\slash", "semi;colon", "glob*?[a]", "new\nline",
	"tab\there", "", "-n", "!bang", "a'b\"c d$e",
};
#define NAWKWARD	(sizeof(awkward) / sizeof(awkward[0]))

/* sh's printf of each quoted word, one per NUL, read back. */
static void
test_quote_through_sh(void **state)
{
	char script[8192], out[4096];
	size_t at = 0, i, off = 0;
	int p[2], st;
	ssize_t n;
	pid_t pid;

	(void)state;
	assert_int_equal(0, buf_append(script, sizeof(script), &at,
	    "printf '%s\\0' "));
	for (i = 0; i < NAWKWARD; i++) {
		assert_int_equal(0, svnew_quote(script, sizeof(script), &at,
		    awkward[i]));
		assert_int_equal(0, buf_append(script, sizeof(script), &at,
		    " "));
	}
	assert_int_equal(0, pipe(p));
	if ((pid = fork()) == 0) {
		dup2(p[1], 1);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], out + off, sizeof(out) - off)) > 0)
		off += (size_t)n;
	close(p[0]);
	assert_int_equal(pid, waitpid(pid, &st, 0));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	for (i = 0, at = 0; i < NAWKWARD; i++) {
		assert_true(at < off);
		assert_string_equal(awkward[i], out + at);
		at += strlen(out + at) + 1;
	}
	assert_int_equal(off, at);
}

static void
test_quote_too_small(void **state)
{
	char buf[8];
	size_t at = 0;

	(void)state;
	assert_int_equal(0, svnew_quote(buf, sizeof(buf), &at, "abc"));
	assert_string_equal("'abc'", buf);
	assert_int_equal(-1, svnew_quote(buf, sizeof(buf), &at, "it's"));
}

static void
test_names(void **state)
{
	static const char *const bad[] = { "", "a/b", "/x", ".hidden", ".",
	    "..", "new\nline" };
	static const char *const good[] = { "web", "web-1", "a b", "x.y" };
	char longname[NAME_MAX + 1];
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(-1, svnew_name_ok(bad[i], &why));
		assert_non_null(why);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(0, svnew_name_ok(good[i], &why));
	memset(longname, 'a', NAME_MAX);
	longname[NAME_MAX] = '\0';
	assert_int_equal(-1, svnew_name_ok(longname, &why));
}

static void
test_env(void **state)
{
	static const char *const bad[] = { "", "=x", "1A=x", "A-B=x", "A",
	    "A B=x" };
	static const char *const good[] = { "A=", "_x=1", "PATH=/bin:/usr/bin",
	    "K=v=w", "K=it's" };
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(-1, svnew_env_ok(bad[i], &why));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(0, svnew_env_ok(good[i], &why));
}

/* Each backend: its user switch, its logger, stderr into the log. */
static const struct dialect_case {
	enum svx_backend backend;
	const char	*exec_line, *logger;
} dialects[] = {
	{ BACKEND_DAEMONTOOLS, "exec setuidgid 'www' 'httpd' '-f' 'a b'\n",
	    "exec multilog t ./main\n" },
	{ BACKEND_ENCORE, "exec setuidgid 'www' 'httpd' '-f' 'a b'\n",
	    "exec multilog t ./main\n" },
	{ BACKEND_RUNIT, "exec chpst -u 'www' 'httpd' '-f' 'a b'\n",
	    "exec svlogd -t ./main\n" },
	{ BACKEND_S6, "exec s6-setuidgid 'www' 'httpd' '-f' 'a b'\n",
	    "exec s6-log t ./main\n" },
};

static void
test_render_dialects(void **state)
{
	char *const argv[] = { "httpd", "-f", "a b" };
	struct svnew s = { .name = "web", .log = 1, .user = "www",
	    .argv = argv, .argc = 3, .nenv = 2 };
	char run[1024], log[256];
	size_t i;

	(void)state;
	s.env[0] = "A=x y";
	s.env[1] = "B=it's";
	for (i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++) {
		s.backend = dialects[i].backend;
		assert_int_equal(0, svnew_render_run(&s, run, sizeof(run)));
		assert_int_equal(0, strncmp(run, "#!/bin/sh\n", 10));
		assert_non_null(strstr(run, "exec 2>&1\n"));
		assert_non_null(strstr(run, "export A='x y'\nexport B='it'\\''s'"
		    "\n"));
		assert_non_null(strstr(run, dialects[i].exec_line));
		assert_int_equal(0, svnew_render_log(&s, log, sizeof(log)));
		assert_non_null(strstr(log, dialects[i].logger));
		assert_int_equal(0, strncmp(log, "#!/bin/sh\n", 10));
	}
}

static void
test_render_plain(void **state)
{
	char *const argv[] = { "sleep", "100" };
	struct svnew s = { .name = "x", .backend = BACKEND_S6, .argv = argv,
	    .argc = 2 };
	char run[256];

	(void)state;
	assert_int_equal(0, svnew_render_run(&s, run, sizeof(run)));
	assert_string_equal("#!/bin/sh\n# svx new x (s6)\n"
	    "exec 'sleep' '100'\n", run);
	/* No stderr redirection without a log; no backend, no script. */
	assert_int_equal(-1, svnew_render_run(&s, run, 20));
	s.backend = BACKEND_UNKNOWN;
	assert_int_equal(-1, svnew_render_run(&s, run, sizeof(run)));
	s.backend = BACKEND_S6;
	s.argc = 0;
	assert_int_equal(-1, svnew_render_run(&s, run, sizeof(run)));
}

static int
entries(const char *rel)
{
	char cmd[600];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", scratch_path(rel));
	if ((f = popen(cmd, "r")) != NULL) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		pclose(f);
	}
	return n;
}

static void
test_build(void **state)
{
	char *const argv[] = { "true" };
	struct svnew s = { .name = "svc", .backend = BACKEND_RUNIT, .log = 1,
	    .down = 1, .argv = argv, .argc = 1 };
	struct stat sb;
	int dfd;

	(void)state;
	scratch_mkdir("b");
	dfd = open(scratch_path("b"), O_RDONLY | O_DIRECTORY);
	assert_true(dfd != -1);
	assert_int_equal(SVNEW_DONE, svnew_build(dfd, &s, "#!/bin/sh\n",
	    "#!/bin/sh\nexec svlogd -t ./main\n"));
	assert_int_equal(0, stat(scratch_path("b/svc/run"), &sb));
	assert_int_equal(0755, sb.st_mode & 07777);
	assert_int_equal(0, stat(scratch_path("b/svc/down"), &sb));
	assert_int_equal(0, stat(scratch_path("b/svc/log/run"), &sb));
	assert_int_equal(0, stat(scratch_path("b/svc/log/main"), &sb));
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(1, entries("b"));	/* no dot-name left */
	/* Never over an existing NAME, even an empty directory; nothing
	 * of the attempt left. */
	scratch_mkdir("b/empty");
	s.name = "empty";
	assert_int_equal(SVNEW_RENAME, svnew_build(dfd, &s, "#!/bin/sh\n",
	    NULL));
	assert_true(errno == EEXIST || errno == ENOTEMPTY);
	assert_int_equal(0, entries("b/empty"));
	assert_int_equal(2, entries("b"));
	close(dfd);
}

static void
test_link_states(void **state)
{
	int scan, dir, other;

	(void)state;
	scratch_mkdir("l");
	scratch_mkdir("l/scan");
	scratch_mkdir("l/svc");
	scratch_mkdir("l/other");
	scratch_mkdir("l/scan/real");
	scratch_write("l/scan/file", "x", 1);
	scan = open(scratch_path("l/scan"), O_RDONLY | O_DIRECTORY);
	dir = open(scratch_path("l/svc"), O_RDONLY | O_DIRECTORY);
	other = open(scratch_path("l/scan/real"), O_RDONLY | O_DIRECTORY);
	assert_true(scan != -1 && dir != -1 && other != -1);
	assert_int_equal(SVLINK_NONE, svlink_state(scan, "svc", dir));
	assert_int_equal(0, svlink_make(scan, "svc", scratch_path("l/svc"), 0));
	assert_int_equal(SVLINK_OURS, svlink_state(scan, "svc", dir));
	assert_int_equal(-1, svlink_make(scan, "svc", scratch_path("l/other"),
	    0));
	assert_int_equal(EEXIST, errno);
	assert_int_equal(0, svlink_make(scan, "svc", scratch_path("l/other"),
	    1));
	assert_int_equal(SVLINK_ELSEWHERE, svlink_state(scan, "svc", dir));
	assert_int_equal(SVLINK_FOREIGN, svlink_state(scan, "real", dir));
	assert_int_equal(SVLINK_SAME_DIR, svlink_state(scan, "real", other));
	assert_int_equal(SVLINK_FOREIGN, svlink_state(scan, "file", dir));
	/* A directory is never replaced by a link, --force or not. */
	assert_int_equal(-1, svlink_make(scan, "real", scratch_path("l/svc"),
	    1));
	assert_int_equal(SVLINK_SAME_DIR, svlink_state(scan, "real", other));
	assert_int_equal(4, entries("l/scan") + 1);	/* svc, real, file */
	close(scan);
	close(dir);
	close(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_through_sh),
		cmocka_unit_test(test_quote_too_small),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_render_dialects),
		cmocka_unit_test(test_render_plain),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_link_states),
	};

	return cmocka_run_group_tests_name("svnew", tests, scratch_setup,
	    scratch_teardown);
}
