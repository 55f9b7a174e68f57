/*
 * A service's log (adapters/logs/): log/run scripts as found in the wild
 * read for their logger's directory; stamps read and shown in local time,
 * checked against tai64nlocal and s6-tai64nlocal where installed; --since
 * times; a log directory read in order, from its end, and never through a
 * symlink or a FIFO.
 */
#include <sys/stat.h>

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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../adapters/logs/logs.h"
#include "tmpdir.h"

/* ---- log/run --------------------------------------------------------- */

static const struct {
	const char	*text;
	enum logger_kind kind;
	const char	*dir;
	int		 ndirs;
} good[] = {
	{ "#!/bin/sh\nexec multilog t ./main\n", LOGGER_MULTILOG, "./main",
	    1 },
	{ "#!/bin/sh\nexec chpst -u log svlogd -tt /var/log/x\n",
	    LOGGER_SVLOGD, "/var/log/x", 1 },
	{ "#!/bin/sh\nexec 2>&1\nexec svlogd -tttv -r _ -l 200 -b 4096 "
	    "main\n", LOGGER_SVLOGD, "main", 1 },
	{ "#!/bin/sh\nexec chpst -ulog:adm -o 100 /usr/bin/svlogd -t main",
	    LOGGER_SVLOGD, "main", 1 },
	{ "#!/bin/sh\nexec svlogd -t a b c\n", LOGGER_SVLOGD, "a", 3 },
	{ "#!/bin/sh\n# comment\nset -e\n[ -d main ] || mkdir -p main\n"
	    "chown log main\n exec setuidgid log multilog t s1000000 n20 "
	    "'-*debug*' e ./main\n", LOGGER_MULTILOG, "./main", 1 },
	{ "#!/bin/sh\nexec multilog t '+*' ./all '-*' '+*error*' "
	    "=./status ./errors\n", LOGGER_MULTILOG, "./all", 2 },
	{ "#!/bin/sh\nexec s6-setuidgid nobody s6-log -b n20 s1000000 T "
	    "/var/log/web\n", LOGGER_S6LOG, "/var/log/web", 1 },
	{ "#!/bin/sh\nexec s6-log -d 3 -l 4096 -- t !'gzip -nq9' ./main\n",
	    LOGGER_S6LOG, "./main", 1 },
	{ "#!/bin/execlineb -P\ns6-setuidgid nobody\nfdmove -c 2 1\n"
	    "s6-log -b n3 s1000000 t /run/log/x\n", LOGGER_S6LOG,
	    "/run/log/x", 1 },
	{ "#!/bin/execlineb -P\nforeground { mkdir -p /var/log/y }\n"
	    "s6-envuidgid log s6-applyuidgid -U s6-log t /var/log/y\n",
	    LOGGER_S6LOG, "/var/log/y", 1 },
	{ "#!/bin/sh\ncd /var/log\nexec envdir ./env softlimit -m 3000000 "
	    "multilog t ./svc\n", LOGGER_MULTILOG, "/var/log/./svc", 1 },
	{ "#!/bin/sh\nexec \\\n  svlogd \\\n  -tt ./main\n", LOGGER_SVLOGD,
	    "./main", 1 },
	{ "#!/bin/sh\nLANG=C exec nice -n 5 env FOO=1 svlogd ./m 2>&1\n",
	    LOGGER_SVLOGD, "./m", 1 },
	{ "exec multilog t ./main", LOGGER_MULTILOG, "./main", 1 },
	{ "#!/bin/sh\nexec s6-log -- t -.*debug.* ./main\n", LOGGER_S6LOG,
	    "./main", 1 },
};

static void
test_parse_good(void **state)
{
	struct log_source src;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		why = NULL;
		if (log_source_parse(good[i].text, &src, &why) != 0)
			fail_msg("%s: refused: %s", good[i].text, why);
		assert_int_equal(src.kind, good[i].kind);
		assert_string_equal(src.dir, good[i].dir);
		assert_int_equal(src.ndirs, good[i].ndirs);
	}
}

static const struct {
	const char	*text;
	const char	*why;
} bad[] = {
	{ "#!/bin/sh\nexec cat >>./out\n", "not svlogd" },
	{ "#!/bin/sh\nexec logger -t web\n", "not svlogd" },
	{ "#!/bin/sh\n", "runs no svlogd" },
	{ "", "runs no svlogd" },
	{ "#!/bin/sh\nexec svlogd -tt\n", "no log directory" },
	{ "#!/bin/sh\nexec multilog t s1000\n", "names no directory" },
	{ "#!/bin/sh\nexec s6-log t n3 main\n", "names no directory" },
	{ "#!/bin/sh\nexec svlogd \"$LOGDIR\"\n", "variables" },
	{ "#!/bin/sh\nexec multilog t ./`hostname`\n", "variables" },
	{ "#!/bin/sh\ncd $HOME\nexec svlogd main\n", "changes directory" },
	{ "#!/bin/sh\nexec runsv x\nexec svlogd main\n", "not svlogd" },
};

static void
test_parse_refuses(void **state)
{
	struct log_source src;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (log_source_parse(bad[i].text, &src, &why) != -1)
			fail_msg("%s: accepted (%s)", bad[i].text, src.dir);
		assert_non_null(why);
		if (strstr(why, bad[i].why) == NULL)
			fail_msg("%s: %s", bad[i].text, why);
	}
}

static void
test_parse_long_script(void **state)
{
	char text[1024];
	struct log_source src;
	const char *why;
	size_t i;

	(void)state;
	strlcpy(text, "exec multilog", sizeof(text));
	for (i = 0; i < 100; i++)
		strlcat(text, " x", sizeof(text));
	strlcat(text, " ./main\n", sizeof(text));
	assert_int_equal(log_source_parse(text, &src, &why), -1);
}

/* ---- stamps ---------------------------------------------------------- */

/* Multilog's and s6-log's stamps of the same moment, as written here. */
static const char *const djb_lines[] = {
	"@400000006b14d23a2f41e0a4 line1",
	"@4000000065920080000003e8 new year",
	"@400000003b9aca0a00000000 2001",
	"no stamp at all",
};
static const char *const s6_lines[] = {
	"@400000006b14d255314b1bab line1",
	"@4000000065920080000003e8 new year",
};

/* What the native tool prints for LINES, under TZ. */
static int
native(const char *tool, const char *tz, const char *const *lines,
    size_t n, char out[][128])
{
	char cmd[256], path[] = "/tmp/svx-unit-tai.XXXXXX";
	FILE *f;
	size_t i;
	int fd;

	if ((fd = mkstemp(path)) == -1)
		return -1;
	for (i = 0; i < n; i++)
		dprintf(fd, "%s\n", lines[i]);
	close(fd);
	snprintf(cmd, sizeof(cmd), "TZ=%s %s <%s 2>/dev/null", tz, tool,
	    path);
	if ((f = popen(cmd, "r")) == NULL) {
		unlink(path);
		return -1;
	}
	for (i = 0; i < n && fgets(out[i], 128, f) != NULL; i++)
		out[i][strcspn(out[i], "\n")] = '\0';
	unlink(path);
	return pclose(f) == 0 && i == n ? 0 : -1;
}

static void
same_as(const char *tool, enum logger_kind kind, const char *const *lines, size_t n)
{
	static const char *const zones[] = { "UTC", "Europe/Paris",
	    "America/New_York", "Asia/Kolkata" };
	char want[8][128], got[LOG_LINE_MAX];
	size_t z, i;

	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		if (native(tool, zones[z], lines, n, want) == -1) {
			fprintf(stderr, "# %s not run: skipped\n", tool);
			return;
		}
		setenv("TZ", zones[z], 1);
		tzset();
		for (i = 0; i < n; i++) {
			log_line_local(lines[i], strlen(lines[i]), kind, got,
			    sizeof(got));
			if (strcmp(got, want[i]) != 0)
				fail_msg("TZ=%s %s: '%s', svx '%s'", zones[z],
				    tool, want[i], got);
		}
	}
	unsetenv("TZ");
	tzset();
}

static void
test_local_like_tai64nlocal(void **state)
{
	(void)state;
	if (access("/usr/bin/tai64nlocal", X_OK) == 0)
		same_as("tai64nlocal", LOGGER_MULTILOG, djb_lines,
		    sizeof(djb_lines) / sizeof(djb_lines[0]));
	if (access("/usr/bin/s6-tai64nlocal", X_OK) == 0)
		same_as("s6-tai64nlocal", LOGGER_S6LOG, s6_lines,
		    sizeof(s6_lines) / sizeof(s6_lines[0]));
}

/* The same without the tools: fixed answers in UTC. */
static void
test_local_fixed(void **state)
{
	char got[256];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	log_line_local(djb_lines[0], strlen(djb_lines[0]), LOGGER_MULTILOG,
	    got, sizeof(got));
	assert_string_equal(got, "2026-12-06 03:10:40.792846500 line1");
	log_line_local(s6_lines[0], strlen(s6_lines[0]), LOGGER_S6LOG, got,
	    sizeof(got));
	assert_string_equal(got, "2026-12-06 03:10:40.827005867 line1");
	/* s6's read as djb's: 27 s late, as tai64nlocal shows it. */
	log_line_local(s6_lines[0], strlen(s6_lines[0]), LOGGER_SVLOGD, got,
	    sizeof(got));
	assert_string_equal(got, "2026-12-06 03:11:07.827005867 line1");
	/* Cut to the buffer, terminated. */
	assert_int_equal(log_line_local("plain text", 10, LOGGER_MULTILOG, got,
	    6), 5);
	assert_string_equal(got, "plain");
	unsetenv("TZ");
	tzset();
}

/* svlogd's UTC stamps in local time, its five digits kept; the same
 * text under another logger, and s6-log's T, as written. */
static void
test_local_svlogd_fixed(void **state)
{
	static const struct {
		const char	*tz;
		enum logger_kind kind;
		const char	*line;
		const char	*want;
	} cases[] = {
		{ "Europe/Paris", LOGGER_SVLOGD, "2026-12-06_03:10:40.81098 x",
		    "2026-12-06 04:10:40.81098 x" },
		{ "Europe/Paris", LOGGER_SVLOGD, "2026-12-06T03:10:40.81898 x",
		    "2026-12-06 04:10:40.81898 x" },
		/* Summer time, and a day back. */
		{ "Europe/Paris", LOGGER_SVLOGD, "2026-07-01_23:30:00.00001 y",
		    "2026-07-02 01:30:00.00001 y" },
		{ "America/New_York", LOGGER_SVLOGD,
		    "2026-12-06_03:10:40.81098 x",
		    "2026-12-05 22:10:40.81098 x" },
		{ "Asia/Kolkata", LOGGER_SVLOGD, "2026-12-31T20:00:00.50000 z",
		    "2027-01-01 01:30:00.50000 z" },
		/* A date the service wrote itself: its zone is unknown. */
		{ "Europe/Paris", LOGGER_MULTILOG,
		    "2026-12-06T03:10:40.81898 x",
		    "2026-12-06T03:10:40.81898 x" },
		/* s6-log T: local already, no offset to turn it by. */
		{ "Europe/Paris", LOGGER_S6LOG,
		    "2026-12-06 04:10:40.835226832  x",
		    "2026-12-06 04:10:40.835226832  x" },
		/* Not a stamp: an invalid month, a space as separator. */
		{ "Europe/Paris", LOGGER_SVLOGD, "2026-13-06_03:10:40.81098 x",
		    "2026-13-06_03:10:40.81098 x" },
		{ "Europe/Paris", LOGGER_SVLOGD, "2026-12-06 03:10:40.81098 x",
		    "2026-12-06 03:10:40.81098 x" },
	};
	char got[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setenv("TZ", cases[i].tz, 1);
		tzset();
		log_line_local(cases[i].line, strlen(cases[i].line),
		    cases[i].kind, got, sizeof(got));
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("TZ=%s '%s': '%s', want '%s'", cases[i].tz,
			    cases[i].line, got, cases[i].want);
	}
	/* Cut to the buffer, stamp and all. */
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(log_line_local("2026-12-06_03:10:40.81098 x", 27,
	    LOGGER_SVLOGD, got, 12), 11);
	unsetenv("TZ");
	tzset();
}

/* One line through the real svlogd with OPT under TZ into DIR/current:
 * 0, or -1 when svlogd cannot be run. */
static int
run_svlogd(const char *opt, const char *tz, const char *dir)
{
	char cmd[1024];

	if ((size_t)snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir '%s' && echo hi | "
	    "TZ=%s svlogd %s '%s' 2>/dev/null", dir, dir, tz, opt, dir) >=
	    sizeof(cmd))
		return -1;
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * The real svlogd's -tt and -ttt lines, written in one zone and read in
 * another: the local time svx shows is the moment they were written.
 */
static time_t
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

static void
test_local_like_svlogd(void **state)
{
	static const char *const opts[] = { "-tt", "-ttt" };
	char dir[300], path[320], line[128], got[128], want[2][32];
	struct tm tm;
	time_t t0, t1;
	size_t i;
	FILE *f;

	(void)state;
	if (access("/usr/bin/svlogd", X_OK) != 0) {
		fprintf(stderr, "# svlogd not installed: skipped\n");
		return;
	}
	snprintf(dir, sizeof(dir), "%s", scratch_path("svlogd"));
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		/* Not time(): Linux reads it from a coarse clock that can
		 * lag svlogd's gettimeofday() by a tick across a second. */
		t0 = now_sec();
		assert_int_equal(run_svlogd(opts[i], "America/New_York", dir),
		    0);
		t1 = now_sec();
		snprintf(path, sizeof(path), "%s/current", dir);
		assert_non_null(f = fopen(path, "r"));
		assert_non_null(fgets(line, sizeof(line), f));
		fclose(f);
		line[strcspn(line, "\n")] = '\0';
		setenv("TZ", "Asia/Kolkata", 1);
		tzset();
		log_line_local(line, strlen(line), LOGGER_SVLOGD, got,
		    sizeof(got));
		strftime(want[0], sizeof(want[0]), "%Y-%m-%d %H:%M:%S",
		    localtime_r(&t0, &tm));
		strftime(want[1], sizeof(want[1]), "%Y-%m-%d %H:%M:%S",
		    localtime_r(&t1, &tm));
		/* "YYYY-MM-DD HH:MM:SS" "." five digits " hi" */
		if ((strncmp(got, want[0], 19) != 0 &&
		    strncmp(got, want[1], 19) != 0) || strlen(got) != 28 ||
		    got[19] != '.' || strcmp(got + 25, " hi") != 0)
			fail_msg("svlogd %s '%s': svx '%s', want %s", opts[i],
			    line, got, want[0]);
	}
	unsetenv("TZ");
	tzset();
}

static void
test_line_stamps(void **state)
{
	struct log_stamp_info st;

	(void)state;
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	/* svlogd -tt and -ttt: UTC. */
	assert_int_equal(log_line_stamp("2026-12-06_03:10:40.81098 x", 27,
	    LOGGER_SVLOGD,
	    &st), 1);
	assert_int_equal(st.at.sec, 1796526640);
	assert_int_equal(st.at.nsec, 810980000);
	assert_int_equal(st.len, 25);
	assert_int_equal(log_line_stamp("2026-12-06T03:10:40.81898 x", 27,
	    LOGGER_SVLOGD,
	    &st), 1);
	assert_int_equal(st.at.sec, 1796526640);
	/* s6-log T: local time (Paris is UTC+1 in December). */
	assert_int_equal(log_line_stamp("2026-12-06 04:10:40.835226832  x",
	    32, LOGGER_S6LOG, &st), 1);
	assert_int_equal(st.at.sec, 1796526640);
	assert_int_equal(st.at.nsec, 835226832);
	/* TAI64N */
	assert_int_equal(log_line_stamp(djb_lines[0], strlen(djb_lines[0]),
	    LOGGER_MULTILOG,
	    &st), 1);
	assert_int_equal(st.at.sec, 1796526640);
	assert_int_equal(log_line_stamp(s6_lines[0], strlen(s6_lines[0]),
	    LOGGER_S6LOG,
	    &st), 1);
	assert_int_equal(st.at.sec, 1796526640);
	/* Not stamps. */
	assert_int_equal(log_line_stamp("2026-13-06_03:10:40 x", 21, LOGGER_SVLOGD,
	    &st),
	    0);
	assert_int_equal(log_line_stamp("@zz00000065920080000003e8 x", 27,
	    LOGGER_MULTILOG, &st), 0);
	assert_int_equal(log_line_stamp("@4000", 5, LOGGER_MULTILOG, &st), 0);
	assert_int_equal(log_line_stamp("hello", 5, LOGGER_SVLOGD, &st), 0);
	/* A date in another logger's line is the service's text: multilog
	 * and s6-log write no svlogd stamp, svlogd none of s6-log's, and an
	 * unknown logger none at all. */
	assert_int_equal(log_line_stamp("2026-12-06_03:10:40.81098 x", 27,
	    LOGGER_MULTILOG, &st), 0);
	assert_int_equal(log_line_stamp("2026-12-06T03:10:40.81898 x", 27,
	    LOGGER_S6LOG, &st), 0);
	assert_int_equal(log_line_stamp("2026-12-06 04:10:40.835226832  x",
	    32, LOGGER_SVLOGD, &st), 0);
	assert_int_equal(log_line_stamp("2026-12-06 04:10:40.835226832  x",
	    32, LOGGER_MULTILOG, &st), 0);
	assert_int_equal(log_line_stamp("2026-12-06_03:10:40.81098 x", 27,
	    LOGGER_NONE, &st), 0);
	/* TAI64N is a stamp under any logger. */
	assert_int_equal(log_line_stamp(djb_lines[0], strlen(djb_lines[0]),
	    LOGGER_NONE, &st), 1);
	unsetenv("TZ");
	tzset();
}

static void
test_parse_time(void **state)
{
	int64_t now = 1796526640, t;	/* 2026-12-06 03:10:40 UTC */

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(log_parse_time("2026-12-06 03:10:40", now, &t), 0);
	assert_int_equal(t, now);
	assert_int_equal(log_parse_time("2026-12-06T03:10", now, &t), 0);
	assert_int_equal(t, now - 40);
	assert_int_equal(log_parse_time("2026-12-06", now, &t), 0);
	assert_int_equal(t, now - 3 * 3600 - 640);
	assert_int_equal(log_parse_time("03:00", now, &t), 0);
	assert_int_equal(t, now - 640);
	assert_int_equal(log_parse_time("@12345", now, &t), 0);
	assert_int_equal(t, 12345);
	assert_int_equal(log_parse_time("-90s", now, &t), 0);
	assert_int_equal(t, now - 90);
	assert_int_equal(log_parse_time("-2h", now, &t), 0);
	assert_int_equal(t, now - 7200);
	assert_int_equal(log_parse_time("-1d", now, &t), 0);
	assert_int_equal(t, now - 86400);
	assert_int_equal(log_parse_time("junk", now, &t), -1);
	assert_int_equal(log_parse_time("25:00", now, &t), -1);
	assert_int_equal(log_parse_time("2026-12-06x", now, &t), -1);
	assert_int_equal(log_parse_time("-5y", now, &t), -1);
	assert_int_equal(log_parse_time("@12x", now, &t), -1);
	assert_int_equal(log_parse_time("", now, &t), -1);
	unsetenv("TZ");
	tzset();
}

/* ---- reading a directory --------------------------------------------- */

struct collected {
	char	text[4096];
	size_t	len;
	int	stop_after;	/* lines; 0: never */
	int	lines;
};

static int
collect(void *ctx, const char *line, size_t len, unsigned int flags)
{
	struct collected *c = ctx;

	if (!(flags & LOG_CONT) && c->len > 0 && c->text[c->len - 1] != '\n')
		c->text[c->len++] = '|';	/* a piece left open */
	memcpy(c->text + c->len, line, len);
	c->len += len;
	if (flags & LOG_EOL)
		c->text[c->len++] = '\n';
	c->text[c->len] = '\0';
	c->lines++;
	return c->stop_after > 0 && c->lines >= c->stop_after;
}

static void
put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* A log directory with two rotated files, a .u and current. */
static const char *
logdir(const char *name)
{
	const char *d = scratch_path(name);

	mkdir(d, 0755);
	put(d, "@400000006b14d2492b953424.s", "a1\na2\n");
	put(d, "@400000006b14d2492bb70c34.s", "b1\nb2\nb3\n");
	put(d, "@400000006b14d2511072f5dc.u", "c1\n");
	put(d, "current", "d1\nd2");
	put(d, "lock", "");
	put(d, "state", "");
	put(d, "config", "s4096\n");
	return d;
}

static void
read_from(const char *dir, long n, const char *want)
{
	struct collected c;
	struct log_reader r;
	struct log_pos pos;

	memset(&c, 0, sizeof(c));
	assert_int_equal(log_open(&r, AT_FDCWD, dir, 0, collect, &c), 0);
	if (n >= 0)
		assert_int_equal(log_tail_pos(&r, n, &pos), 0);
	else
		memset(&pos, 0, sizeof(pos));
	assert_int_equal(log_read(&r, &pos, 0), 0);
	log_close(&r);
	assert_string_equal(c.text, want);
}

static void
test_read_in_order(void **state)
{
	const char *d = logdir("order");

	(void)state;
	read_from(d, -1, "a1\na2\nb1\nb2\nb3\nc1\nd1\nd2\n");
	read_from(d, 0, "");
	read_from(d, 1, "d2\n");
	read_from(d, 2, "d1\nd2\n");
	read_from(d, 3, "c1\nd1\nd2\n");
	read_from(d, 5, "b2\nb3\nc1\nd1\nd2\n");
	read_from(d, 100, "a1\na2\nb1\nb2\nb3\nc1\nd1\nd2\n");
	/* A half-done rotation: previous, when it is not linked yet. */
	put(d, "previous", "p1\n");
	read_from(d, 4, "c1\np1\nd1\nd2\n");
	assert_int_equal(link(scratch_path("order/previous"),
	    scratch_path("order/@400000006b14d2511072f5dd.s")), 0);
	read_from(d, 4, "c1\np1\nd1\nd2\n");
}

static void
test_since(void **state)
{
	const char *d = logdir("since");
	struct collected c;
	struct log_reader r;
	struct log_pos pos;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(log_open(&r, AT_FDCWD, d, 0, collect, &c), 0);
	/* The second file was closed at 0x6b14d249 - 10: it may hold it. */
	assert_int_equal(log_since_pos(&r, 0x6b14d249 - 10, &pos), 0);
	assert_string_equal(pos.name, "@400000006b14d2492b953424.s");
	assert_int_equal(log_since_pos(&r, 0x6b14d249 - 9, &pos), 0);
	assert_string_equal(pos.name, "@400000006b14d2511072f5dc.u");
	assert_int_equal(log_since_pos(&r, 0x7b000000, &pos), 0);
	assert_string_equal(pos.name, "current");
	log_close(&r);
}

struct pieces {
	size_t	total;
	int	n, cont, eol, stop_after;
};

static int
count_pieces(void *ctx, const char *line, size_t len, unsigned int flags)
{
	struct pieces *p = ctx;

	(void)line;
	p->total += len;
	p->n++;
	p->cont += (flags & LOG_CONT) != 0;
	p->eol += (flags & LOG_EOL) != 0;
	return p->stop_after > 0 && p->n >= p->stop_after;
}

static void
test_long_lines(void **state)
{
	static char big[LOG_LINE_MAX * 2 + 100];
	const char *d = scratch_path("long");
	struct pieces c;
	struct log_reader r;
	struct log_pos pos;

	(void)state;
	mkdir(d, 0755);
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	put(d, "current", big);
	memset(&pos, 0, sizeof(pos));
	memset(&c, 0, sizeof(c));
	/* Handed over in pieces, the last one ending the line. */
	assert_int_equal(log_open(&r, AT_FDCWD, d, 0, count_pieces, &c), 0);
	assert_int_equal(log_read(&r, &pos, 0), 0);
	log_close(&r);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.cont, 2);
	assert_int_equal(c.eol, 1);
	assert_int_equal(c.total, sizeof(big) - 2);
	/* Stopped when asked. */
	memset(&c, 0, sizeof(c));
	c.stop_after = 2;
	assert_int_equal(log_open(&r, AT_FDCWD, d, 0, count_pieces, &c), 0);
	assert_int_equal(log_read(&r, &pos, 0), 1);
	assert_int_equal(c.n, 2);
	log_close(&r);
}

static void
test_refuses_planted_files(void **state)
{
	const char *d = scratch_path("planted");
	struct collected c;
	struct log_reader r;
	struct log_pos pos;

	(void)state;
	mkdir(d, 0755);
	put(d, "secret", "root only\n");
	assert_int_equal(symlink("secret", scratch_path("planted/current")),
	    0);
	memset(&c, 0, sizeof(c));
	memset(&pos, 0, sizeof(pos));
	assert_int_equal(log_open(&r, AT_FDCWD, d, 0, collect, &c), 0);
	errno = 0;
	assert_int_equal(log_read(&r, &pos, 0), -1);
	assert_int_equal(errno, ENOTPLAIN);
	assert_int_equal(log_tail_pos(&r, 3, &pos), -1);
	log_close(&r);
	assert_int_equal(c.len, 0);
	/* A FIFO never blocks the reader. */
	unlink(scratch_path("planted/current"));
	assert_int_equal(mkfifo(scratch_path("planted/current"), 0600), 0);
	assert_int_equal(log_open(&r, AT_FDCWD, d, 0, collect, &c), 0);
	errno = 0;
	assert_int_equal(log_read(&r, &pos, 0), -1);
	assert_int_equal(errno, ENOTPLAIN);
	log_close(&r);
	/* No directory. */
	errno = 0;
	assert_int_equal(log_open(&r, AT_FDCWD, scratch_path("none"), 0,
	    collect, &c), -1);
	assert_int_equal(errno, ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_parse_long_script),
		cmocka_unit_test(test_local_like_tai64nlocal),
		cmocka_unit_test(test_local_fixed),
		cmocka_unit_test(test_local_svlogd_fixed),
		cmocka_unit_test(test_local_like_svlogd),
		cmocka_unit_test(test_line_stamps),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_read_in_order),
		cmocka_unit_test(test_since),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_refuses_planted_files),
	};

	return cmocka_run_group_tests_name("logs", tests, scratch_setup,
	    scratch_teardown);
}
