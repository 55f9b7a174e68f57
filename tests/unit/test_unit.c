/*
 * The systemd unit reader (adapters/systemd/): continuation lines and the
 * comments inside them, empty assignments resetting a list, quoting and
 * C escapes in command lines as systemd splits them, the prefixes,
 * specifiers (a template's instance escaped and not), $VAR and ${VAR},
 * drop-ins in systemd's order (an earlier directory masking a later
 * one's file of the same name), a template found for its instance; svx
 * import's tables sorted; and the corpus: every crafted unit in
 * tests/fixtures/units and every unit the installed packages ship
 * (/lib/systemd/system) read and its command lines split, under ASan in
 * make check's unit-asan.
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

#include "../../adapters/systemd/unit.h"
#include "../../mappings/mappings.h"
#include "../../mappings/systemd_map.h"
#include "tmpdir.h"

#define UNITS	FIXTURES "/units"

static struct unit u;
static struct unit_exec e;
static char text[65536];

static void
load(const char *file)
{
	char path[PATH_MAX];
	const char *why;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", UNITS, file);
	fd = open(path, O_RDONLY);
	assert_true(fd != -1);
	n = read(fd, text, sizeof(text));
	close(fd);
	assert_true(n >= 0);
	unit_init(&u);
	assert_int_equal(0, unit_parse(&u, text, (size_t)n, &why));
}

static void
name_of(const char *full, struct unit_name *n)
{
	const char *why;

	assert_int_equal(0, unit_name_parse(full, n, &why));
}

/* VALUE split as ExecStart= into e, for NAME; its words compared. */
static void
words_are(const char *name, const char *value, size_t n, ...)
{
	struct unit_name un;
	const char *why = NULL, *w;
	va_list ap;
	size_t i;

	name_of(name, &un);
	if (unit_exec_parse(value, &un, NULL, &e, &why) == -1)
		fail_msg("%s: %s", value, why);
	assert_int_equal(n, e.nwords);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		w = va_arg(ap, const char *);
		assert_string_equal(w, e.word[i]);
	}
	va_end(ap);
}

static void
test_continuation(void **state)
{
	(void)state;
	load("continuation.service");
	assert_string_equal("/bin/echo one    two    three",
	    unit_last(&u, "Service", "ExecStart"));
	assert_string_equal("a long    description over    three lines",
	    unit_last(&u, "Unit", "Description"));
	words_are("c.service", unit_last(&u, "Service", "ExecStart"), 4,
	    "/bin/echo", "one", "two", "three");
	/* Only an odd count of trailing backslashes goes on. */
	unit_init(&u);
	{
		static const char t[] = "[S]\nA=x\\\\\nB=y\nC=z \\\n";
		const char *why;

		assert_int_equal(0, unit_parse(&u, t, sizeof(t) - 1, &why));
	}
	assert_string_equal("x\\\\", unit_last(&u, "S", "A"));
	assert_string_equal("y", unit_last(&u, "S", "B"));
	assert_string_equal("z", unit_last(&u, "S", "C"));
}

static void
test_reset(void **state)
{
	const char *list[8];

	(void)state;
	load("reset.service");
	assert_int_equal(1, unit_list(&u, "Service", "Environment", list, 8));
	assert_string_equal("C=3", list[0]);
	assert_int_equal(1, unit_list(&u, "Service", "ExecStartPre", list, 8));
	assert_string_equal("-/bin/true", list[0]);
	assert_string_equal("", unit_last(&u, "Service", "User"));
	assert_true(unit_has(&u, "Service", "User"));
	assert_null(unit_last(&u, "Service", "Group"));
}

static void
test_quoting(void **state)
{
	(void)state;
	load("quoting.service");
	words_are("q.service", unit_last(&u, "Service", "ExecStart"), 10,
	    "/bin/printf", "%s|", "single quoted", "double \"quoted\"",
	    "ab cd", "its", "", "AA\xc3\xa9", "tab\there", " ");
}

static void
test_escapes(void **state)
{
	const char *why;

	(void)state;
	load("escapes.service");
	words_are("e.service", unit_last(&u, "Service", "ExecStart"), 7,
	    "/bin/echo", "\a\b\f\n\r\t\v\\\"'", "~", "~", "\xe2\x98\xba",
	    "\xf0\x9f\x98\x80", ";");
	assert_int_equal(-1, unit_exec_parse("/bin/echo \\q", NULL, NULL, &e,
	    &why));
	assert_int_equal(-1, unit_exec_parse("/bin/echo \\x00", NULL, NULL,
	    &e, &why));
	assert_int_equal(-1, unit_exec_parse("/bin/echo 'open", NULL, NULL,
	    &e, &why));
	assert_int_equal(-1, unit_exec_parse("/bin/echo a ; /bin/echo b",
	    NULL, NULL, &e, &why));
	/* "\;" is the word ";" only alone. */
	assert_int_equal(-1, unit_exec_parse("/bin/echo a\\;b", NULL, NULL, &e,
	    &why));
	assert_int_equal(-1, unit_exec_parse("", NULL, NULL, &e, &why));
	assert_int_equal(-1, unit_exec_parse("/bin/echo \\", NULL, NULL, &e,
	    &why));
}

static void
test_prefixes(void **state)
{
	const char *list[8], *why;

	(void)state;
	load("prefixes.service");
	assert_int_equal(3, unit_list(&u, "Service", "ExecStartPre", list, 8));
	words_are("p.service", list[0], 1, "/bin/false");
	assert_int_equal(EXEC_IGNORE_FAILURE, e.flags);
	words_are("p.service", list[1], 1, "/usr/bin/id");
	assert_int_equal(EXEC_IGNORE_FAILURE | EXEC_FULL_PRIVS, e.flags);
	words_are("p.service", list[2], 2, "/bin/echo", "$NOT_EXPANDED");
	assert_int_equal(EXEC_NO_ENV, e.flags);
	assert_int_equal(0, unit_exec_expand(&e, NULL, 0, &why));
	assert_string_equal("$NOT_EXPANDED", e.word[1]);
	words_are("p.service", unit_last(&u, "Service", "ExecStart"), 3,
	    "/bin/sleep", "sleeper", "100");
	assert_int_equal(EXEC_ARGV0, e.flags);
	words_are("p.service", "!!/bin/x", 1, "/bin/x");
	assert_int_equal(EXEC_AMBIENT, e.flags);
	assert_int_equal(-1, unit_exec_parse("--/bin/x", NULL, NULL, &e, &why));
	assert_int_equal(-1, unit_exec_parse("+!/bin/x", NULL, NULL, &e, &why));
	assert_int_equal(-1, unit_exec_parse("@/bin/x", NULL, NULL, &e, &why));
}

static void
test_specifiers(void **state)
{
	struct unit_name n;
	struct unit_context c = { .hostname = "box.example.org",
	    .fragment = "/lib/systemd/system/t@.service" };
	char out[512];
	const char *why;

	(void)state;
	name_of("specifiers.service", &n);
	load("specifiers.service");
	assert_int_equal(0, unit_specifiers(unit_last(&u, "Unit",
	    "Description"), &n, NULL, out, sizeof(out), &why));
	assert_string_equal("specifiers.service specifiers specifiers "
	    "specifiers   specifiers /specifiers /run /var/lib /var/cache "
	    "/var/log /etc /tmp /var/tmp root 0 root 0 /root /bin/sh %", out);
	words_are("specifiers.service", unit_last(&u, "Service", "ExecStart"),
	    7, "/bin/echo", "specifiers.service", "specifiers", "specifiers",
	    "", "/run/specifiers.sock", "100%");	/* %i: "", a word still */
	/* An instance: %i as written, %I unescaped ("-" is "/", \x2d "-"). */
	name_of("tmpl@a-b\\x2dc.service", &n);
	assert_string_equal("tmpl", n.prefix);
	assert_string_equal("a-b\\x2dc", n.instance);
	assert_int_equal(0, unit_specifiers("%i|%I|%f|%j|%H|%l|%Y|%y", &n, &c,
	    out, sizeof(out), &why));
	assert_string_equal("a-b\\x2dc|a/b-c|/a/b-c|tmpl|box.example.org|box|"
	    "/lib/systemd/system|/lib/systemd/system/t@.service", out);
	assert_int_equal(-1, unit_specifiers("%", &n, &c, out, sizeof(out),
	    &why));
	assert_int_equal(-1, unit_specifiers("%Z", &n, &c, out, sizeof(out),
	    &why));
	assert_int_equal(-1, unit_specifiers("%n%n%n", &n, &c, out, 8, &why));
	/* Names: a type added, a template seen, nonsense refused. */
	name_of("plain", &n);
	assert_string_equal("plain.service", n.full);
	name_of("t@.service", &n);
	assert_true(n.is_template);
	assert_int_equal(-1, unit_name_parse("@x.service", &n, &why));
	assert_int_equal(-1, unit_name_parse("a/b.service", &n, &why));
	assert_int_equal(-1, unit_name_parse("", &n, &why));
}

static void
test_env_expansion(void **state)
{
	const char *env[] = { "ONE=a b  c", "TWO=x", "THREE=it's", "EMPTY=",
	    "Q='quoted words' x" };
	const char *why;

	(void)state;
	load("envexp.service");
	words_are("v.service", unit_last(&u, "Service", "ExecStart"), 9,
	    "/bin/echo", "$ONE", "${ONE}", "pre${TWO}post", "$EMPTY",
	    "${MISSING}", "$MISSING", "$$literal", "$TWO$TWO");
	assert_int_equal(0, unit_exec_expand(&e, env, 5, &why));
	/* $ONE split, ${ONE} whole, unset and empty give nothing as a
	 * whole word and "" inside one; "$$" is "$"; $TWO$TWO is not a
	 * whole-word variable, and $X inside a word is not expanded. */
	assert_int_equal(9, e.nwords);
	assert_string_equal("a", e.word[1]);
	assert_string_equal("b", e.word[2]);
	assert_string_equal("c", e.word[3]);
	assert_string_equal("a b  c", e.word[4]);
	assert_string_equal("prexpost", e.word[5]);
	assert_string_equal("", e.word[6]);
	assert_string_equal("$literal", e.word[7]);
	assert_string_equal("$TWO$TWO", e.word[8]);
	/* A value's quotes are removed when it splits. */
	words_are("v.service", "/bin/x $Q", 2, "/bin/x", "$Q");
	assert_int_equal(0, unit_exec_expand(&e, env, 5, &why));
	assert_int_equal(3, e.nwords);
	assert_string_equal("quoted words", e.word[1]);
	/* The last assignment wins. */
	words_are("v.service", "/bin/x ${A}", 2, "/bin/x", "${A}");
	assert_int_equal(0, unit_exec_expand(&e, (const char *[]){ "A=1",
	    "A=2" }, 2, &why));
	assert_string_equal("2", e.word[1]);
}

static void
test_dropin_order(void **state)
{
	char paths[8][PATH_MAX];
	const char *roots[] = { UNITS };
	const char *two[2];
	struct unit_name n;
	int k;

	(void)state;
	name_of("dropins.service", &n);
	assert_int_equal(2, unit_dropins(roots, 1, &n, paths, 8));
	assert_string_equal(UNITS "/dropins.service.d/10-first.conf", paths[0]);
	assert_string_equal(UNITS "/dropins.service.d/20-second.conf",
	    paths[1]);
	/* Read in that order: the last one's ORDER, the first one's reset
	 * ExecStart=. */
	load("dropins.service");
	for (k = 0; k < 2; k++) {
		int fd = open(paths[k], O_RDONLY);
		ssize_t len = read(fd, text, sizeof(text));
		const char *why;

		close(fd);
		assert_int_equal(0, unit_parse(&u, text, (size_t)len, &why));
	}
	assert_string_equal("ORDER=second", unit_last(&u, "Service",
	    "Environment"));
	assert_int_equal(1, unit_list(&u, "Service", "ExecStart", two, 2));
	assert_string_equal("/bin/echo first", two[0]);
	/* A name in an earlier root masks a later root's; an instance also
	 * reads its template's directory; names sort across both. */
	scratch_mkdir("etc");
	scratch_mkdir("etc/t@x.service.d");
	scratch_mkdir("lib");
	scratch_mkdir("lib/t@.service.d");
	scratch_write("etc/t@x.service.d/50-b.conf", "", 0);
	scratch_write("lib/t@.service.d/50-b.conf", "", 0);
	scratch_write("lib/t@.service.d/10-a.conf", "", 0);
	scratch_write("lib/t@.service.d/99-c.conf", "", 0);
	scratch_write("lib/t@.service", "[Service]\n", 10);
	roots[0] = NULL;
	{
		const char *r2[2];
		char file[PATH_MAX], etc[PATH_MAX], lib[PATH_MAX];

		strlcpy(etc, scratch_path("etc"), sizeof(etc));
		strlcpy(lib, scratch_path("lib"), sizeof(lib));
		r2[0] = etc;
		r2[1] = lib;
		name_of("t@x.service", &n);
		assert_int_equal(3, unit_dropins(r2, 2, &n, paths, 8));
		assert_string_equal(scratch_path("lib/t@.service.d/10-a.conf"),
		    paths[0]);
		assert_string_equal(scratch_path("etc/t@x.service.d/50-b.conf"),
		    paths[1]);
		assert_string_equal(scratch_path("lib/t@.service.d/99-c.conf"),
		    paths[2]);
		/* The instance has no file: its template's is read. */
		assert_int_equal(0, unit_find(r2, 2, &n, file, sizeof(file)));
		assert_string_equal(scratch_path("lib/t@.service"), file);
		name_of("nothing.service", &n);
		assert_int_equal(-1, unit_find(r2, 2, &n, file, sizeof(file)));
		assert_int_equal(ENOENT, errno);
		/* A drop-in linked to /dev/null masks its name, and is not
		 * read itself (systemd's masking). */
		assert_int_equal(0, symlink("/dev/null",
		    scratch_path("etc/t@x.service.d/99-c.conf")));
		name_of("t@x.service", &n);
		assert_int_equal(2, unit_dropins(r2, 2, &n, paths, 8));
		assert_string_equal(scratch_path("etc/t@x.service.d/50-b.conf"),
		    paths[1]);
	}
}

/*
 * systemd's wider drop-ins: a-b-c.service also reads a-b-.service.d/ and
 * a-.service.d/ (its name cut after each dash), and service.d/ (every
 * service's), the more specific masking the same file name; directory
 * by directory, except the type's own, which come after all.
 */
static void
test_dropin_prefixes(void **state)
{
	char paths[8][PATH_MAX], etc[PATH_MAX], lib[PATH_MAX];
	const char *r2[2];
	struct unit_name n;
	static const char *const dirs[] = { "service.d", "a-.service.d",
	    "a-b-.service.d", "a-b-c.service.d", "b-.service.d" };
	size_t i;

	(void)state;
	scratch_mkdir("pre");
	scratch_mkdir("pre/etc");
	scratch_mkdir("pre/lib");
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char d[64], f[96];

		snprintf(d, sizeof(d), "pre/lib/%s", dirs[i]);
		scratch_mkdir(d);
		/* The same name in each: the most specific one is read. */
		snprintf(f, sizeof(f), "%s/50-same.conf", d);
		scratch_write(f, "", 0);
	}
	scratch_write("pre/lib/service.d/10-all.conf", "", 0);
	scratch_write("pre/lib/a-.service.d/20-a.conf", "", 0);
	strlcpy(etc, scratch_path("pre/etc"), sizeof(etc));
	strlcpy(lib, scratch_path("pre/lib"), sizeof(lib));
	r2[0] = etc;
	r2[1] = lib;
	name_of("a-b-c.service", &n);
	assert_int_equal(3, unit_dropins(r2, 2, &n, paths, 8));
	assert_string_equal(scratch_path("pre/lib/service.d/10-all.conf"),
	    paths[0]);
	assert_string_equal(scratch_path("pre/lib/a-.service.d/20-a.conf"),
	    paths[1]);
	assert_string_equal(scratch_path("pre/lib/a-b-c.service.d/50-same.conf"),
	    paths[2]);
	/* An earlier directory's prefix drop-in masks a later directory's
	 * own; service.d/ masks nothing of a unit's own, wherever it is. */
	scratch_mkdir("pre/etc/a-.service.d");
	scratch_write("pre/etc/a-.service.d/50-same.conf", "", 0);
	scratch_mkdir("pre/etc/service.d");
	scratch_write("pre/etc/service.d/20-a.conf", "", 0);
	assert_int_equal(3, unit_dropins(r2, 2, &n, paths, 8));
	assert_string_equal(scratch_path("pre/lib/a-.service.d/20-a.conf"),
	    paths[1]);
	assert_string_equal(scratch_path("pre/etc/a-.service.d/50-same.conf"),
	    paths[2]);
	/* An instance: its own, its template's, its prefix's with the
	 * instance kept (a-@x.service.d), the template's prefix's. */
	scratch_mkdir("pre/lib/a-b@.service.d");
	scratch_write("pre/lib/a-b@.service.d/30-t.conf", "", 0);
	scratch_mkdir("pre/lib/a-@x.service.d");
	scratch_write("pre/lib/a-@x.service.d/40-i.conf", "", 0);
	name_of("a-b@x.service", &n);
	assert_int_equal(5, unit_dropins(r2, 2, &n, paths, 8));
	assert_string_equal(scratch_path("pre/lib/a-b@.service.d/30-t.conf"),
	    paths[2]);
	assert_string_equal(scratch_path("pre/lib/a-@x.service.d/40-i.conf"),
	    paths[3]);
	assert_string_equal(scratch_path("pre/etc/a-.service.d/50-same.conf"),
	    paths[4]);
	/* A name that ends in a dash is cut once more: a-b-.service
	 * reads a-.service.d, not a-b-.service.d twice. */
	name_of("a-b-.service", &n);
	assert_int_equal(3, unit_dropins(r2, 2, &n, paths, 8));
	assert_string_equal(scratch_path("pre/etc/a-.service.d/50-same.conf"),
	    paths[2]);
	/* Many dashes and an instance: every name once (its cuts meet its
	 * template's), and nothing too many. */
	name_of("a-b-c-d-e-f-g-h@1.service", &n);
	assert_int_equal(3, unit_dropins(r2, 2, &n, paths, 8));
	assert_string_equal(scratch_path("pre/etc/a-.service.d/50-same.conf"),
	    paths[2]);
	/* A leading dash cuts nothing: service.d/ alone, the earlier
	 * directory's 20-a.conf masking the later's. */
	name_of("-x.service", &n);
	assert_int_equal(3, unit_dropins(r2, 2, &n, paths, 8));
	assert_string_equal(scratch_path("pre/etc/service.d/20-a.conf"),
	    paths[1]);
	assert_string_equal(scratch_path("pre/lib/service.d/50-same.conf"),
	    paths[2]);
}

static void
test_syntax_tolerated(void **state)
{
	(void)state;
	/* What systemd warns about and skips is skipped here too. */
	load("sections.service");
	assert_null(unit_last(&u, "Unit", "Orphan"));
	assert_string_equal("spaced value", unit_last(&u, "Service",
	    "Indented"));
	assert_string_equal("goes here", unit_last(&u, "X-Vendor",
	    "Anything"));
	assert_null(unit_last(&u, "Service", "NoEqualsSign"));
	load("crlf.service");
	assert_string_equal("/bin/echo crlf", unit_last(&u, "Service",
	    "ExecStart"));
	load("nonewline.service");
	assert_string_equal("/bin/echo no newline at the end", unit_last(&u,
	    "Service", "ExecStart"));
	/* A bad section header: systemd does not load the unit at all. */
	{
		const char *why;

		unit_init(&u);
		assert_int_equal(-1, unit_parse(&u, "[Service\nA=1\n", 12,
		    &why));
		assert_int_equal(1, u.bad_line);
		unit_init(&u);
		assert_int_equal(-1, unit_parse(&u, "[]\n", 3, &why));
	}
}

static void
test_tables_sorted(void **state)
{
	size_t i;

	(void)state;
	assert_true(map_rows_sorted(unit_rules, unit_nrules,
	    sizeof(unit_rules[0]), unit_rule_name));
	for (i = 1; i < unit_nforegrounds; i++)
		assert_true(strcmp(unit_foregrounds[i - 1].program,
		    unit_foregrounds[i].program) < 0);
	for (i = 1; i < unit_nreadiness; i++)
		assert_true(strcmp(unit_readiness[i - 1].program,
		    unit_readiness[i].program) < 0);
	for (i = 1; i < unit_nlimits; i++)
		assert_true(strcmp(unit_limits[i - 1].key,
		    unit_limits[i].key) < 0);
	assert_non_null(map_unit_rule("Service", "Type", "notify"));
	assert_int_equal(UR_TYPE_NOTIFY, map_unit_rule("Service", "Type",
	    "notify")->id);
	assert_int_equal(UR_TYPE_OTHER, map_unit_rule("Service", "Type",
	    "bogus")->id);
	assert_int_equal(UR_TYPE_NOTIFY, map_unit_rule("Service", "Type",
	    "dbus")->id);
	assert_null(map_unit_rule("X-Foo", "Type", "simple"));
	assert_null(map_unit_rule("Service", "Frobnicate", "1"));
	assert_int_equal(1, map_unit_rule("Unit", "ConditionSecurity",
	    "selinux")->changes);
	assert_non_null(map_unit_foreground("nginx"));
	assert_null(map_unit_foreground("mystery"));
}

/* ---- the corpus -------------------------------------------------------- */

static const char *const exec_keys[] = { "ExecStart", "ExecStartPre",
    "ExecStartPost", "ExecStop", "ExecStopPost", "ExecReload",
    "ExecCondition" };

/* DIR/NAME read, its command lines split and expanded: no crash, and
 * a parse that fails says why. 1 if it was a unit file. */
static int
read_one(const char *dir, const char *name)
{
	static const char *const env[] = { "A=1", "MAINPID=1" };
	char path[PATH_MAX];
	struct unit_name n;
	struct stat sb;
	const char *why, *base;
	size_t i, k;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    (fd = open(path, O_RDONLY | O_NONBLOCK)) == -1)
		return 0;
	len = read(fd, text, sizeof(text));
	close(fd);
	if (len < 0)
		return 0;
	unit_init(&u);
	if (unit_parse(&u, text, (size_t)len, &why) == -1)
		assert_non_null(why);
	base = strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name;
	if (unit_name_parse(base, &n, &why) == -1)
		memset(&n, 0, sizeof(n));
	for (i = 0; i < u.nentries; i++)
		for (k = 0; k < sizeof(exec_keys) / sizeof(exec_keys[0]); k++)
			if (strcmp(unit_key(&u, i), exec_keys[k]) == 0 &&
			    unit_value(&u, i)[0] != '\0') {
				why = NULL;
				if (unit_exec_parse(unit_value(&u, i), &n, NULL, &e,
				    &why) == 0)
					(void)unit_exec_expand(&e, env, 2, &why);
				else
					assert_non_null(why);
			}
	return 1;
}

static int
read_dir(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && strcmp(de->d_name, "README") != 0)
			n += read_one(dir, de->d_name);
	closedir(d);
	return n;
}

static void
test_corpus(void **state)
{
	int n;

	(void)state;
	n = read_dir(UNITS) + read_dir(UNITS "/dropins.service.d");
	assert_true(n >= 20);
	n += read_dir("/lib/systemd/system");
	print_message("corpus: %d unit files read\n", n);
	assert_true(n >= 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_specifiers),
		cmocka_unit_test(test_env_expansion),
		cmocka_unit_test(test_dropin_order),
		cmocka_unit_test(test_dropin_prefixes),
		cmocka_unit_test(test_syntax_tolerated),
		cmocka_unit_test(test_tables_sorted),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests_name("unit", tests, scratch_setup,
	    scratch_teardown);
}
