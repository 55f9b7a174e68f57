/*
 * supervisord's configuration as svx migrate reads it (adapters/supervisord/sdconf.c):
 * the INI dialect, %() expansions, [include] globs, environment= and
 * command= as supervisor splits them, commenting sections out, and the
 * run script a program becomes.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../adapters/supervisord/sdconf.h"

static const char conf[] =
    "; a comment\n"
    "[supervisord]\n"
    "logfile=/var/log/sd.log\n"
    "\n"
    "[program:web]\n"
    "Command = /usr/bin/web --port 80   ; inline comment\n"
    "environment=A=\"1\",\n"
    "    B=\"two, three\"\n"
    "umask: 027\n"
    "directory=/srv/web#not a comment\n"
    "\n"
    "[program:other]\n"
    "command=/bin/other\n"
    "[program:web]\n"
    "umask=002\n";

static const struct {
	const char	*section, *key;
	int		 found;
	const char	*value;
} values[] = {
	{ "program:web", "command", 1, "/usr/bin/web --port 80" },
	{ "program:web", "environment", 1, "A=\"1\",\nB=\"two, three\"" },
	/* The section again further down: its later value wins. */
	{ "program:web", "umask", 1, "002" },
	{ "program:web", "directory", 1, "/srv/web#not a comment" },
	{ "program:web", "user", 0, NULL },
	{ "program:other", "umask", 0, NULL },
};

static void
test_values(void **state)
{
	char v[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		assert_int_equal(sdconf_value(conf, values[i].section,
		    values[i].key, v, sizeof(v)), values[i].found);
		if (values[i].found)
			assert_string_equal(v, values[i].value);
	}
	assert_int_equal(sdconf_value(conf, "program:web", "command", v, 8),
	    -1);
	assert_true(sdconf_has_section(conf, "program:other"));
	assert_false(sdconf_has_section(conf, "program:we"));
}


/*
 * Python's configparser as supervisor sets it up, checked against it
 * (tests were run through supervisor.options.UnhosedConfigParser).
 */
static const struct {
	const char	*text, *key;
	int		 found;
	const char	*value;
} dialect[] = {
	/* Inline comments in rounds: ';d' ends it, '#c' stays. */
	{ "[program:x]\ncommand=a#b #c ;d\n", "command", 1, "a#b #c" },
	/* A header is "[" up to the last "]", whatever follows. */
	{ "[program:x]#more\ncommand=ok\n", "command", 1, "ok" },
	{ "[a]b]\ncommand=no\n[program:x]\ncommand=yes\n", "command", 1,
	    "yes" },
	/* Indentation counts against the option's own line. */
	{ "[program:x]\n    umask=077\n    command=/bin/x\n", "umask", 1,
	    "077" },
	{ "  [program:x]\ncommand=after an indented header\n", "command", 1,
	    "after an indented header" },
	/* Blank lines inside a value stay; comment lines do not. */
	{ "[program:x]\nenvironment=A=1\n\n    B=2\n\n", "environment", 1,
	    "A=1\n\nB=2" },
	{ "[program:x]\nenvironment=A=1\n; c\n    B=2\n", "environment", 1,
	    "A=1\nB=2" },
	{ "[program:x]\ncommand=\n  cont\n", "command", 1, "\ncont" },
	{ "[program:x]\nCommand : colon  \r\n", "command", 1, "colon" },
	{ "[DEFAULT]\ncommand=from default\n[program:x]\nuser=u\n",
	    "command", 1, "from default" },
	{ "[program:x]\nuser=u\n", "command", 0, NULL },
};

static void
test_dialect(void **state)
{
	char v[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dialect) / sizeof(dialect[0]); i++) {
		assert_int_equal(sdconf_value(dialect[i].text, "program:x",
		    dialect[i].key, v, sizeof(v)), dialect[i].found);
		if (dialect[i].found)
			assert_string_equal(v, dialect[i].value);
	}
}

/* supervisord's -c, as Python's getopt finds it on its command line. */
static void
test_config_argument(void **state)
{
	static const struct {
		const char	*argv[4];
		size_t		 argc;
		const char	*file;
	} lines[] = {
		{ { "-c", "/etc/a.conf" }, 2, "/etc/a.conf" },
		{ { "-n", "-cb.conf" }, 2, "b.conf" },
		{ { "-nc", "c.conf" }, 2, "c.conf" },
		{ { "--configuration=d.conf" }, 1, "d.conf" },
		{ { "--conf", "e.conf" }, 2, "e.conf" },
		{ { "-u", "-c", "-n" }, 3, NULL },	/* -c is -u's user */
		{ { "--user", "x", "-c", "f.conf" }, 4, "f.conf" },
		{ { "-nu", "-c" }, 2, NULL },
		{ { "-n" }, 1, NULL },
	};
	size_t i;
	const char *got;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		got = sdconf_config_argument(lines[i].argv, lines[i].argc);
		if (lines[i].file == NULL)
			assert_null(got);
		else
			assert_string_equal(got, lines[i].file);
	}
}

static void
test_comment_out(void **state)
{
	static char out[4096];
	const char *sections[] = { "program:web" };

	(void)state;
	assert_int_equal(sdconf_comment_out(conf, sections, 1, out,
	    sizeof(out)), 0);
	assert_non_null(strstr(out, "\n[supervisord]\nlogfile="));
	assert_non_null(strstr(out, "\n; svx migrate: [program:web]\n"
	    "; svx migrate: Command = /usr/bin/web"));
	assert_non_null(strstr(out, "\n; svx migrate:     B=\"two, three\"\n"));
	assert_non_null(strstr(out, "\n[program:other]\ncommand=/bin/other\n"
	    "; svx migrate: [program:web]\n; svx migrate: umask=002\n"));
	assert_false(sdconf_has_section(out, "program:web"));
	assert_true(sdconf_has_section(out, "program:other"));
	assert_int_equal(sdconf_comment_out(conf, sections, 1, out, 64), -1);
}

static const char environ_text[] = "HOME=/root\0LANG=C.UTF-8\0";

static const struct sd_expand x = {
	"/etc/supervisor/conf.d", "web", "webgroup", "host1", "3",
	environ_text, sizeof(environ_text) - 1,
};

static void
test_expand(void **state)
{
	char out[256];
	const char *why = NULL;

	(void)state;
	assert_int_equal(sdconf_expand("%(here)s/x %(program_name)s "
	    "%(group_name)s %(host_node_name)s %(ENV_LANG)s 100%% "
	    "n%(process_num)02d [%(program_name)5s]", &x, out, sizeof(out),
	    &why), 0);
	assert_string_equal(out, "/etc/supervisor/conf.d/x web webgroup host1 "
	    "C.UTF-8 100% n03 [  web]");
	assert_int_equal(sdconf_expand("%(ENV_NOPE)s", &x, out, sizeof(out),
	    &why), -1);
	assert_non_null(strstr(why, "does not have"));
	assert_int_equal(sdconf_expand("%(bogus)s", &x, out, sizeof(out),
	    &why), -1);
	assert_int_equal(sdconf_expand("%(here)x", &x, out, sizeof(out),
	    &why), -1);
	assert_int_equal(sdconf_expand("%(here", &x, out, sizeof(out), &why),
	    -1);
	assert_int_equal(sdconf_expand("%(here)s", &x, out, 8, &why), -1);
}

static void
test_environment(void **state)
{
	struct sd_env e;
	const char *why;

	(void)state;
	assert_int_equal(sdconf_environment("A=\"1\",\nB=\"two, three\","
	    "C=/usr/bin:/bin,D='it''s'", &e, &why), 0);
	assert_int_equal(e.n, 4);
	assert_string_equal(e.key[1], "B");
	assert_string_equal(e.value[1], "two, three");
	assert_string_equal(e.value[2], "/usr/bin:/bin");
	/* supervisord takes any token after a pair as its separator. */
	assert_int_equal(sdconf_environment("X=\"a\"\"b\"", &e, &why), 0);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.value[0], "a");
	assert_int_equal(sdconf_environment("A=b c", &e, &why), 0);
	assert_string_equal(e.value[0], "b");
	assert_int_equal(sdconf_environment("", &e, &why), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(sdconf_environment("A=b c=d", &e, &why), -1);
	assert_int_equal(sdconf_environment("A=\"open", &e, &why), -1);
	assert_int_equal(sdconf_environment("1A=x", &e, &why), -1);
	assert_int_equal(sdconf_environment("A", &e, &why), -1);
}

/* command= into sh words, as supervisord's shlex.split has them. */
static const struct {
	const char	*command, *first;
	int		 result;
	const char	*words;
} commands[] = {
	{ "/bin/sh -c 'echo \"$X\"; exit 1'", NULL, 0,
	    "'/bin/sh' '-c' 'echo \"$X\"; exit 1'" },
	/* A quote opens anywhere in a word, as in sh. */
	{ "it's'", NULL, 0, "'its'" },
	{ "it's", NULL, -1, NULL },
	{ "a\\ b \"c \\\"d\\\" \\e\" 'it'\"'\"s", NULL, 0,
	    "'a b' 'c \"d\" \\e' 'it'\\''s'" },
	/* Only shlex's whitespace splits: not \v. */
	{ "a\vb\tc", NULL, 0, "'a\vb' 'c'" },
	{ "gunicorn -w 4", "/usr/bin/gunicorn", 0,
	    "'/usr/bin/gunicorn' '-w' '4'" },
	{ "   ", NULL, -1, NULL },
};

static void
test_sh_words(void **state)
{
	char out[512], first[64];
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		assert_int_equal(sdconf_sh_words(commands[i].command,
		    commands[i].first, out, sizeof(out), &why),
		    commands[i].result);
		if (commands[i].result == 0)
			assert_string_equal(out, commands[i].words);
	}
	assert_int_equal(sdconf_sh_words("abc def", NULL, out, 8, &why), -1);
	assert_int_equal(sdconf_first_word(" 'my prog' -x", first,
	    sizeof(first), &why), 0);
	assert_string_equal(first, "my prog");
}

static void
test_render_run(void **state)
{
	char buf[1024];
	struct sd_env e = { 1, { "GREETING" }, { "it's me" } };
	struct sd_run r = { "/usr/bin/web --port 80", NULL, NULL, "/srv/web",
	    "027", "www-data", &e, 0, 0, 1, "[program:web] in /etc/sd.conf" };

	(void)state;
	assert_int_equal(sdconf_render_run(&r, BACKEND_RUNIT, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "#!/bin/sh\n"
	    "# svx migrate: from supervisord's [program:web] in /etc/sd.conf\n"
	    "exec 2>&1\n"
	    "umask '027'\n"
	    "cd '/srv/web' || exit 111\n"
	    "export GREETING='it'\\''s me'\n"
	    "exec chpst -u 'www-data' '/usr/bin/web' '--port' '80'\n");
	r.user = "";
	r.umask = "";
	r.directory = "";
	r.env = NULL;
	r.out_null = 1;
	r.err_merge = 0;
	r.err_null = 1;
	assert_int_equal(sdconf_render_run(&r, BACKEND_S6, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "#!/bin/sh\n"
	    "# svx migrate: from supervisord's [program:web] in /etc/sd.conf\n"
	    "exec 2>/dev/null\nexec >/dev/null\n"
	    "exec '/usr/bin/web' '--port' '80'\n");
	r.user = "nobody";
	assert_int_equal(sdconf_render_run(&r, BACKEND_DAEMONTOOLS, buf,
	    sizeof(buf)), 0);
	assert_non_null(strstr(buf, "\nexec setuidgid 'nobody' '/usr/bin/web'"));
	assert_int_equal(sdconf_render_run(&r, BACKEND_S6, buf, 40), -1);
}

static void
test_includes(void **state)
{
	static char paths[4][PATH_MAX];
	char dir[] = "/tmp/svx-sdconf.XXXXXX", file[PATH_MAX];
	struct sd_expand here = x;
	const char *names[] = { "b.conf", "a.conf", "c.ini" };
	size_t i;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/conf.d", dir);
	assert_int_equal(mkdir(file, 0755), 0);
	for (i = 0; i < 3; i++) {
		snprintf(file, sizeof(file), "%s/conf.d/%s", dir, names[i]);
		assert_non_null(f = fopen(file, "w"));
		fclose(f);
	}
	here.here = dir;
	assert_int_equal(sdconf_includes("[include]\nfiles = conf.d/*.conf "
	    "%(here)s/conf.d/*.ini\n", &here, paths, 4), 3);
	snprintf(file, sizeof(file), "%s/conf.d/a.conf", dir);
	assert_string_equal(paths[0], file);
	snprintf(file, sizeof(file), "%s/conf.d/c.ini", dir);
	assert_string_equal(paths[2], file);
	assert_int_equal(sdconf_includes("[include]\nfiles = conf.d/*\n",
	    &here, paths, 2), -1);
	assert_int_equal(sdconf_includes("[supervisord]\n", &here, paths, 4),
	    0);
	for (i = 0; i < 3; i++) {
		snprintf(file, sizeof(file), "%s/conf.d/%s", dir, names[i]);
		unlink(file);
	}
	snprintf(file, sizeof(file), "%s/conf.d", dir);
	rmdir(file);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_dialect),
		cmocka_unit_test(test_config_argument),
		cmocka_unit_test(test_comment_out),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_sh_words),
		cmocka_unit_test(test_render_run),
		cmocka_unit_test(test_includes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
