/*
 * The files svx migrate reads and writes (adapters/files/svfiles.c): log/run
 * scripts parsed and rendered for another backend's logger, finish
 * wrappers that translate runit's and s6's arguments (and are run here
 * with sh, since their job is what they do), and the atomic write.
 */
#include <sys/stat.h>

#include <dirent.h>
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
#include "tmpdir.h"

/* ---- logger_parse ---------------------------------------------------- */

static const struct parsed {
	const char	*text;
	enum logger_kind kind;
	enum log_stamp	 stamp;
	long		 size, count;
	const char	*user, *dir;
} good_loggers[] = {
	{ "#!/bin/sh\nexec svlogd -tt ./main\n", LOGGER_SVLOGD, STAMP_HUMAN,
	    0, 0, "", "./main" },
	{ "#!/bin/sh\nexec chpst -u log svlogd -t main\n", LOGGER_SVLOGD,
	    STAMP_TAI64N, 0, 0, "log", "main" },
	{ "#!/bin/sh\nexec chpst -ulog /usr/bin/svlogd -v main", LOGGER_SVLOGD,
	    STAMP_NONE, 0, 0, "log", "main" },
	{ "#!/bin/sh\n# a comment\n\t exec setuidgid log multilog t s100000 "
	    "n5 ./main\n", LOGGER_MULTILOG, STAMP_TAI64N, 100000, 5, "log",
	    "./main" },
	{ "#!/bin/sh\nexec s6-setuidgid nobody s6-log -b T n3 s2000 "
	    "/var/log/x\n", LOGGER_S6LOG, STAMP_HUMAN, 2000, 3, "nobody",
	    "/var/log/x" },
	/* Only the last exec line counts: an earlier one never returns. */
	{ "#!/bin/sh\nexec multilog ./old\nexec s6-log ./new\n", LOGGER_S6LOG,
	    STAMP_NONE, 0, 0, "", "./new" },
};

static void
test_logger_parse_good(void **state)
{
	struct logger l;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good_loggers) / sizeof(good_loggers[0]); i++) {
		const struct parsed *g = &good_loggers[i];

		assert_int_equal(logger_parse(g->text, &l, &why), 0);
		assert_int_equal(l.kind, g->kind);
		assert_int_equal(l.stamp, g->stamp);
		assert_int_equal(l.size, g->size);
		assert_int_equal(l.count, g->count);
		assert_string_equal(l.user, g->user);
		assert_string_equal(l.dir, g->dir);
		assert_non_null(strstr(g->text, l.line));
		assert_memory_equal(l.line, "exec ", 5);
	}
}

static const struct refused {
	const char	*text;
	const char	*why;
} bad_loggers[] = {
	{ "", "no exec line" },
	{ "#!/bin/sh\nsvlogd main\n", "no exec line" },
	{ "#!/bin/sh\nmkdir -p main\nexec svlogd main\n",
	    "it does more than exec a logger" },
	{ "#!/bin/sh\nexec svlogd \"$DIR\"\n",
	    "quoting, variables or redirections svx does not parse" },
	{ "#!/bin/sh\nexec svlogd main 2>&1\n",
	    "quoting, variables or redirections svx does not parse" },
	{ "#!/bin/sh\nexec svlogd -r x main\n",
	    "an svlogd option svx does not translate" },
	{ "#!/bin/sh\nexec svlogd a b\n",
	    "svlogd with other than one log directory" },
	{ "#!/bin/sh\nexec svlogd\n",
	    "svlogd with other than one log directory" },
	{ "#!/bin/sh\nexec multilog t\n", "no log directory" },
	/* T (human stamps) is s6-log's, not multilog's. */
	{ "#!/bin/sh\nexec multilog T ./main\n",
	    "a logging directive svx does not translate" },
	{ "#!/bin/sh\nexec multilog s0 ./main\n",
	    "a logging directive svx does not translate" },
	{ "#!/bin/sh\nexec multilog ./a ./b\n",
	    "a logging directive svx does not translate" },
	{ "#!/bin/sh\nexec cat\n", "not svlogd, multilog or s6-log" },
	{ "#!/bin/sh\nexec chpst -u\n", "not svlogd, multilog or s6-log" },
	{ "#!/bin/sh\nexec chpst -u log:adm svlogd main\n",
	    "a user:group the other user switchers do not take" },
	{ "#!/bin/sh\nexec multilog 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
	    "17 18 19 20 21 22 23 24\n", "more words than svx translates" },
};

static void
test_logger_parse_refuses(void **state)
{
	char text[LOGLINE_MAX + 64];
	struct logger l;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_loggers) / sizeof(bad_loggers[0]); i++) {
		why = NULL;
		assert_int_equal(logger_parse(bad_loggers[i].text, &l, &why),
		    -1);
		assert_non_null(why);
		assert_string_equal(why, bad_loggers[i].why);
	}
	/* An exec line longer than svx keeps is not cut: refused whole. */
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text, "exec multilog ./", 16);
	assert_int_equal(logger_parse(text, &l, &why), -1);
	assert_string_equal(why, "no exec line");
}

/* ---- logger_render --------------------------------------------------- */

static const struct rendered {
	const char	*text;
	enum svx_backend target;
	const char	*want;
} renders[] = {
	{ "#!/bin/sh\nexec chpst -u log svlogd -tt main\n", BACKEND_S6,
	    "#!/bin/sh\n# svx migrate: was: exec chpst -u log svlogd -tt main\n"
	    "exec s6-setuidgid log s6-log T ./main\n" },
	/* multilog has no human stamps: TAI64N is the nearest. */
	{ "#!/bin/sh\nexec svlogd -tt ./main\n", BACKEND_DAEMONTOOLS,
	    "#!/bin/sh\n# svx migrate: was: exec svlogd -tt ./main\n"
	    "exec multilog t ./main\n" },
	/* svlogd keeps size and count in its directory's config. */
	{ "#!/bin/sh\nexec setuidgid log multilog t s9999 n4 ./main\n",
	    BACKEND_RUNIT, "#!/bin/sh\n# svx migrate: was: exec setuidgid log "
	    "multilog t s9999 n4 ./main\nexec chpst -u log svlogd -t ./main\n" },
	{ "#!/bin/sh\nexec s6-log n4 s9999 /var/log/x\n", BACKEND_ENCORE,
	    "#!/bin/sh\n# svx migrate: was: exec s6-log n4 s9999 /var/log/x\n"
	    "exec multilog s9999 n4 /var/log/x\n" },
};

static void
test_logger_render(void **state)
{
	char buf[SVFILE_MAX];
	struct logger l;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(renders) / sizeof(renders[0]); i++) {
		assert_int_equal(logger_parse(renders[i].text, &l, &why), 0);
		assert_int_equal(logger_render(&l, renders[i].target, l.line,
		    buf, sizeof(buf)), 0);
		assert_string_equal(buf, renders[i].want);
	}
}

/* Parse, render for each backend, parse again: the logger changes to the
 * target's, and what it keeps (user, directory, limits) survives. */
static void
test_logger_round_trip(void **state)
{
	static const enum svx_backend targets[] = { BACKEND_DAEMONTOOLS,
	    BACKEND_ENCORE, BACKEND_RUNIT, BACKEND_S6 };
	char buf[SVFILE_MAX];
	struct logger from, to;
	const char *why;
	size_t i, t;

	(void)state;
	for (i = 0; i < sizeof(good_loggers) / sizeof(good_loggers[0]); i++)
		for (t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
			assert_int_equal(logger_parse(good_loggers[i].text, &from,
			    &why), 0);
			assert_int_equal(logger_render(&from, targets[t],
			    from.line, buf, sizeof(buf)), 0);
			assert_int_equal(logger_parse(buf, &to, &why), 0);
			assert_int_equal(to.kind, logger_of_backend(targets[t]));
			assert_string_equal(to.user, from.user);
			assert_string_equal(to.dir + (to.dir[0] == '.' &&
			    from.dir[0] != '.' ? 2 : 0), from.dir);
			assert_int_equal(to.stamp == STAMP_NONE,
			    from.stamp == STAMP_NONE);
			if (targets[t] != BACKEND_RUNIT) {
				assert_int_equal(to.size, from.size);
				assert_int_equal(to.count, from.count);
			}
		}
}

static void
test_logger_render_too_small(void **state)
{
	char buf[64];
	struct logger l;
	const char *why;

	(void)state;
	assert_int_equal(logger_parse(good_loggers[3].text, &l, &why), 0);
	assert_int_equal(logger_render(&l, BACKEND_S6, l.line, buf,
	    sizeof(buf)), -1);
	assert_int_equal(logger_render(&l, BACKEND_S6, l.line, buf, 1), -1);
}

/* ---- logger_write ---------------------------------------------------- */

static void
assert_text(int dfd, const char *name, const char *want)
{
	char buf[SVFILE_MAX];

	assert_true(read_small(dfd, name, O_NOFOLLOW, buf, sizeof(buf)) >= 0);
	assert_string_equal(buf, want);
}

/* svlogd's size and count go into the log directory's config, once:
 * a config there already is the user's, and stays. */
static void
test_logger_write(void **state)
{
	struct logger l;
	const char *why;
	int lfd, mfd;

	(void)state;
	scratch_mkdir("lw");
	scratch_mkdir("lw/main");
	assert_int_not_equal(lfd = open(scratch_path("lw"), O_RDONLY |
	    O_DIRECTORY), -1);
	assert_int_equal(logger_parse("#!/bin/sh\nexec multilog t s9999 n4 "
	    "./main\n", &l, &why), 0);
	assert_int_equal(logger_config_plan(lfd, &l, BACKEND_S6),
	    LOGCONF_NONE);
	assert_int_equal(logger_config_plan(lfd, &l, BACKEND_RUNIT),
	    LOGCONF_WRITE);
	assert_int_equal(logger_write(lfd, &l, BACKEND_RUNIT, l.line,
	    LOGCONF_WRITE), 0);
	assert_text(lfd, "run", "#!/bin/sh\n# svx migrate: was: exec "
	    "multilog t s9999 n4 ./main\nexec svlogd -t ./main\n");
	assert_text(lfd, "main/config", "s9999\nn4\n");
	assert_int_equal(logger_config_plan(lfd, &l, BACKEND_RUNIT),
	    LOGCONF_KEPT);

	/* A default stays a default (commented); never rotated is s0. */
	assert_int_not_equal(mfd = openat(lfd, "main", O_RDONLY), -1);
	assert_int_equal(unlinkat(mfd, "config", 0), 0);
	l.size = LOG_UNROTATED;
	l.count = 0;
	assert_int_equal(logger_write(lfd, &l, BACKEND_RUNIT, "x",
	    logger_config_plan(lfd, &l, BACKEND_RUNIT)), 0);
	assert_text(mfd, "config", "s0\n#n0\n");
	close(mfd);

	/* No log directory yet: nothing to write the limits into. */
	strlcpy(l.dir, "./none", sizeof(l.dir));
	assert_int_equal(logger_config_plan(lfd, &l, BACKEND_RUNIT),
	    LOGCONF_NONE);
	/* No logger of its own: refused. */
	assert_int_equal(logger_write(lfd, &l, BACKEND_UNKNOWN, "x",
	    LOGCONF_NONE), -1);
	close(lfd);
}

/* ---- finish wrappers ------------------------------------------------- */

static void
test_finish_wrapper_round_trip(void **state)
{
	static const enum finish_style pairs[][2] = {
		{ FINISH_RUNIT, FINISH_S6 }, { FINISH_S6, FINISH_RUNIT },
	};
	char buf[SVFILE_MAX], orig[64], name[32];
	enum finish_style style;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "finish.%s",
		    finish_style_name(pairs[i][0]));
		assert_int_equal(finish_wrapper(pairs[i][0], pairs[i][1], name,
		    buf, sizeof(buf)), 0);
		assert_memory_equal(buf, "#!/bin/sh\n", 10);
		style = FINISH_NONE;
		assert_ptr_equal(finish_wrapped(buf, orig, sizeof(orig),
		    &style), orig);
		assert_string_equal(orig, name);
		assert_int_equal(style, pairs[i][0]);
	}
}

static void
test_finish_wrapper_refuses(void **state)
{
	char buf[SVFILE_MAX];

	(void)state;
	errno = 0;
	assert_int_equal(finish_wrapper(FINISH_RUNIT, FINISH_RUNIT,
	    "finish.runit", buf, sizeof(buf)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(finish_wrapper(FINISH_NONE, FINISH_S6,
	    "finish.runit", buf, sizeof(buf)), -1);
	assert_int_equal(finish_wrapper(FINISH_S6, FINISH_NONE,
	    "finish.s6", buf, sizeof(buf)), -1);
	assert_int_equal(finish_wrapper(FINISH_RUNIT, FINISH_S6,
	    "finish.runit", buf, 40), -1);
}

static void
test_finish_wrapped_refuses(void **state)
{
	static const char *const texts[] = {
		"#!/bin/sh\nexec ./finish.runit \"$@\"\n",
		/* The style and the kept name must agree. */
		"# svx migrate: finish wrapper for runit finish.s6\n",
		"# svx migrate: finish wrapper for s6 finish.runit\n",
		"# svx migrate: finish wrapper for none finish.none\n",
		"# svx migrate: finish wrapper for runit finish\n",
		"# svx migrate: finish wrapper for runit ../finish.runit\n",
		"# svx migrate: finish wrapper for runit\n",
		"# svx migrate: finish wrapper for \n",
	};
	char buf[SVFILE_MAX], orig[64], small[8];
	enum finish_style style = FINISH_NONE;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		assert_null(finish_wrapped(texts[i], orig, sizeof(orig),
		    &style));
	assert_int_equal(style, FINISH_NONE);
	/* Too small a buffer for any kept name: not a cut one. */
	assert_int_equal(finish_wrapper(FINISH_RUNIT, FINISH_S6,
	    "finish.runit", buf, sizeof(buf)), 0);
	assert_null(finish_wrapped(buf, small, sizeof(small), &style));
}

/* Run DIR/finish with ARGS; the arguments the original saw. */
static void
run_finish(const char *dir, const char *args, char *seen, size_t len)
{
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "cd '%s' && sh ./finish %s", dir, args);
	assert_non_null(p = popen(cmd, "r"));
	if (fgets(seen, (int)len, p) == NULL)
		seen[0] = '\0';
	seen[strcspn(seen, "\n")] = '\0';
	assert_int_equal(pclose(p), 0);
}

/*
 * What the wrappers are for: runit passes EXIT SIG with EXIT -1 when the
 * service was killed; s6 passes EXIT SIG NAME with EXIT 256 then.
 */
static void
test_finish_wrappers_translate(void **state)
{
	static const char echo[] = "#!/bin/sh\necho \"$# $*\"\n";
	char buf[SVFILE_MAX], seen[256], want[300];
	int dfd;

	(void)state;
	scratch_mkdir("fin");
	assert_int_not_equal(dfd = open(scratch_path("fin"), O_RDONLY |
	    O_DIRECTORY), -1);
	assert_int_equal(write_file(dfd, "finish.runit", echo, 0755), 0);
	assert_int_equal(write_file(dfd, "finish.s6", echo, 0755), 0);

	/* A runit script under s6. */
	assert_int_equal(finish_wrapper(FINISH_RUNIT, FINISH_S6,
	    "finish.runit", buf, sizeof(buf)), 0);
	assert_int_equal(write_file(dfd, "finish", buf, 0755), 0);
	run_finish(scratch_path("fin"), "256 15 /srv/web", seen, sizeof(seen));
	assert_string_equal(seen, "2 -1 15");
	run_finish(scratch_path("fin"), "3 0 /srv/web", seen, sizeof(seen));
	assert_string_equal(seen, "2 3 0");

	/* An s6 script under runit: NAME is the service's directory. */
	assert_int_equal(finish_wrapper(FINISH_S6, FINISH_RUNIT, "finish.s6",
	    buf, sizeof(buf)), 0);
	assert_int_equal(write_file(dfd, "finish", buf, 0755), 0);
	snprintf(want, sizeof(want), "3 256 9 %s", scratch_path("fin"));
	run_finish(scratch_path("fin"), "-1 9", seen, sizeof(seen));
	assert_string_equal(seen, want);
	snprintf(want, sizeof(want), "3 0 0 %s", scratch_path("fin"));
	run_finish(scratch_path("fin"), "0 0", seen, sizeof(seen));
	assert_string_equal(seen, want);
	close(dfd);
}

/* ---- write_file ------------------------------------------------------ */

static void
assert_file(int dfd, const char *name, const char *text, mode_t mode)
{
	char buf[SVFILE_MAX];
	struct stat sb;

	assert_int_equal(read_small(dfd, name, O_NOFOLLOW, buf, sizeof(buf)),
	    (ssize_t)strlen(text));
	assert_string_equal(buf, text);
	assert_int_equal(fstatat(dfd, name, &sb, 0), 0);
	assert_int_equal(sb.st_mode & 07777, mode);
}

static int
entry_exists(int dfd, const char *name)
{
	struct stat sb;

	return fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Names in DFD besides . and .. */
static int
entries(int dfd)
{
	struct dirent *e;
	DIR *d;
	int fd, n = 0;

	assert_int_not_equal(fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY),
	    -1);
	assert_non_null(d = fdopendir(fd));
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_write_file(void **state)
{
	struct stat before, after;
	mode_t old;
	int dfd;

	(void)state;
	scratch_mkdir("wf");
	assert_int_not_equal(dfd = open(scratch_path("wf"), O_RDONLY |
	    O_DIRECTORY), -1);
	/* The mode asked for, whatever the umask. */
	old = umask(077);
	assert_int_equal(write_file(dfd, "run", "#!/bin/sh\n", 0755), 0);
	umask(old);
	assert_file(dfd, "run", "#!/bin/sh\n", 0755);
	assert_false(entry_exists(dfd, "run.new"));

	/* Replaced by a rename: a new inode, never the old one rewritten
	 * (a reader holding the old file keeps reading it whole). */
	assert_int_equal(fstatat(dfd, "run", &before, 0), 0);
	assert_int_equal(write_file(dfd, "run", "#!/bin/sh\nexec true\n",
	    0700), 0);
	assert_file(dfd, "run", "#!/bin/sh\nexec true\n", 0700);
	assert_int_equal(fstatat(dfd, "run", &after, 0), 0);
	assert_int_not_equal(before.st_ino, after.st_ino);

	/* A NAME.new an interrupted write left is not in the way. */
	assert_int_equal(write_file(dfd, "down.new", "stale", 0600), 0);
	assert_int_equal(write_file(dfd, "down", "", 0644), 0);
	assert_file(dfd, "down", "", 0644);
	assert_false(entry_exists(dfd, "down.new"));
	close(dfd);
}

static void
test_write_file_failures(void **state)
{
	char name[NAME_MAX + 1];
	int dfd;

	(void)state;
	scratch_mkdir("wff");
	assert_int_not_equal(dfd = open(scratch_path("wff"), O_RDONLY |
	    O_DIRECTORY), -1);
	/* A name with no room for ".new": refused, nothing written under a
	 * shorter name. */
	memset(name, 'n', NAME_MAX - 2);
	name[NAME_MAX - 2] = '\0';
	errno = 0;
	assert_int_equal(write_file(dfd, name, "x", 0644), -1);
	assert_int_equal(errno, ENAMETOOLONG);

	/* The rename fails (a directory sits there): NAME.new is removed
	 * and the directory is left as it was. */
	assert_int_equal(mkdirat(dfd, "log", 0755), 0);
	assert_int_equal(mkdirat(dfd, "log/main", 0755), 0);
	errno = 0;
	assert_int_equal(write_file(dfd, "log", "x", 0644), -1);
	assert_true(errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST);
	assert_true(entry_exists(dfd, "log/main"));

	/* The directory holds nothing else: no stray NAME.new anywhere. */
	assert_int_equal(entries(dfd), 1);

	/* No directory: the caller hears why. */
	errno = 0;
	assert_int_equal(write_file(-1, "run", "x", 0644), -1);
	assert_int_equal(errno, EBADF);
	close(dfd);
}

static void
test_write_new_file(void **state)
{
	struct stat like;
	int dfd;

	(void)state;
	scratch_mkdir("wn");
	assert_int_not_equal(dfd = open(scratch_path("wn"), O_RDONLY |
	    O_DIRECTORY), -1);
	memset(&like, 0, sizeof(like));
	like.st_mode = S_IFREG | 0640;
	like.st_uid = getuid();
	like.st_gid = getgid();
	assert_int_equal(write_new_file(dfd, "conf", "[x]\n", &like), 0);
	assert_file(dfd, "conf", "[x]\n", 0640);
	/* Never over an existing file. */
	errno = 0;
	assert_int_equal(write_new_file(dfd, "conf", "[y]\n", &like), -1);
	assert_int_equal(errno, EEXIST);
	assert_file(dfd, "conf", "[x]\n", 0640);
	close(dfd);
}

/* A user's service under a root supervisor: each backend's switch, the
 * original by its fixed name, recognised again; odd names refused. */
static void
test_run_user_wrapper(void **state)
{
	static const struct {
		enum svx_backend target;
		const char	*exec;
	} rows[] = {
		{ BACKEND_DAEMONTOOLS, "exec setuidgid www-data ./run.user\n" },
		{ BACKEND_ENCORE, "exec setuidgid www-data ./run.user\n" },
		{ BACKEND_RUNIT, "exec chpst -u www-data ./run.user\n" },
		{ BACKEND_S6, "exec s6-setuidgid www-data ./run.user\n" },
	};
	static const char *const bad[] = { "", "-u", "a b", "a;b", "$x",
	    "a\nb", "abcdefghijklmnopqrstuvwxyz0123456789" };
	char buf[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(run_user_wrapper(rows[i].target, "www-data",
		    buf, sizeof(buf)), 0);
		assert_memory_equal(buf, "#!/bin/sh\n", 10);
		assert_non_null(strstr(buf, rows[i].exec));
		assert_true(run_user_wrapped(buf));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(run_user_name_ok(bad[i]));
		assert_int_equal(run_user_wrapper(BACKEND_S6, bad[i], buf,
		    sizeof(buf)), -1);
	}
	assert_int_equal(run_user_wrapper(BACKEND_UNKNOWN, "nobody", buf,
	    sizeof(buf)), -1);
	assert_int_equal(run_user_wrapper(BACKEND_S6, "nobody", buf, 40), -1);
	assert_false(run_user_wrapped("#!/bin/sh\nexec chpst -u nobody x\n"));
	assert_true(run_user_name_ok("_svc.web-1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_logger_parse_good),
		cmocka_unit_test(test_logger_parse_refuses),
		cmocka_unit_test(test_logger_render),
		cmocka_unit_test(test_logger_round_trip),
		cmocka_unit_test(test_logger_render_too_small),
		cmocka_unit_test(test_logger_write),
		cmocka_unit_test(test_finish_wrapper_round_trip),
		cmocka_unit_test(test_finish_wrapper_refuses),
		cmocka_unit_test(test_finish_wrapped_refuses),
		cmocka_unit_test(test_finish_wrappers_translate),
		cmocka_unit_test(test_write_file),
		cmocka_unit_test(test_write_file_failures),
		cmocka_unit_test(test_write_new_file),
		cmocka_unit_test(test_run_user_wrapper),
	};

	return cmocka_run_group_tests_name("svfiles", tests, scratch_setup,
	    scratch_teardown);
}
