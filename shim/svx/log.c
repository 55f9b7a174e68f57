/*
 * svx log SERVICE... [-n N] [-f] [--since TIME]: the service's log, as
 * its logger wrote it, TAI64N and svlogd's UTC stamps shown in local time; with -f, what
 * it writes next, across rotations, until SIGINT, SIGTERM or a reader
 * that goes away. And the last lines under `svx status -l`.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../adapters/logs/logs.h"
#include "../common/report.h"
#include "../common/resolve.h"
#include "../control/control.h"
#include "../supervisord/sd_shim.h"
#include "svx.h"

#define FOLLOW_LINES	10	/* -f's lines of before, as tail -f */

/* What the line function needs. */
struct log_print {
	int		 s6;
	enum logger_kind kind;
	int		 showing;	/* --since: the last stamp was late enough */
	int		 since_set;
	int64_t		 since;
	int		 follow;	/* flush each line */
	const char	*indent;	/* status -l's */
};

static int stop_pipe[2] = { -1, -1 };

static void
on_stop(int sig)
{
	int saved = errno;

	(void)sig;
	(void)write(stop_pipe[1], "", 1);
	errno = saved;
}

static int
print_line(void *ctx, const char *line, size_t len, unsigned int flags)
{
	struct log_print *p = ctx;
	struct log_stamp_info st;
	char out[LOG_LINE_MAX + 64];
	size_t n;

	if (p->since_set && !(flags & LOG_CONT) &&
	    log_line_stamp(line, len, p->kind, &st))
		p->showing = st.at.sec >= p->since;
	if (!p->showing)
		return 0;
	if (p->indent != NULL && !(flags & LOG_CONT))
		fputs(p->indent, stdout);
	if (flags & LOG_CONT)
		fwrite(line, 1, len, stdout);
	else {
		n = log_line_local(line, len, p->kind, out, sizeof(out));
		fwrite(out, 1, n, stdout);
	}
	if (flags & LOG_EOL)
		putchar('\n');
	if (p->follow)
		fflush(stdout);
	return ferror(stdout) ? 1 : 0;
}

/* Where NAME's logger writes: the directory (relative to *BASEFD, which
 * the caller closes) and the logger. An outcome; OUT_OK when found. */
static enum svx_outcome
find_log(const char *name, int dirfd, int *basefd, struct log_source *src,
    int quiet)
{
	char text[SVFILE_MAX];
	struct stat sb;
	const char *why, *script = "log/run";
	int logfd, err;

	*basefd = -1;
	if (fstatat(dirfd, "log", &sb, 0) == -1) {
		if (!quiet)
			report_error(name, "%s", errno == ENOENT ? "no log/: "
			    "the service has no logger of its own" :
			    strerror(errno));
		return errno == ENOENT ? OUT_FALSE : OUT_SYSTEM;
	}
	if (S_ISREG(sb.st_mode)) {	/* encore's executable ./log */
		script = "log";
		logfd = dup(dirfd);
		if (logfd == -1 || read_small(dirfd, "log", O_NOFOLLOW, text,
		    sizeof(text)) == -1)
			goto unreadable;
	} else if ((logfd = openat(dirfd, "log", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 || read_small(logfd, "run", O_NOFOLLOW, text,
	    sizeof(text)) == -1)
		goto unreadable;
	*basefd = logfd;
	if (log_source_parse(text, src, &why) == -1) {
		if (!quiet)
			report_error(name, "%s: cannot tell where it logs: %s",
			    script, why);
		return OUT_UNSUPPORTED;
	}
	if (src->ndirs > 1 && !quiet)
		report_error(name, "%s: its logger writes %d directories; "
		    "showing the first, %s", script, src->ndirs, src->dir);
	return OUT_OK;
unreadable:
	err = errno;
	if (!quiet)
		report_error(name, "%s: %s", script, plain_strerror(err));
	if (logfd != -1)
		close(logfd);
	return err == ENOENT ? OUT_FALSE : OUT_SYSTEM;
}

static void
catch_stop(void)
{
	struct sigaction sa;

	if (pipe(stop_pipe) == -1)
		return;
	(void)fcntl(stop_pipe[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(stop_pipe[1], F_SETFD, FD_CLOEXEC);
	(void)fcntl(stop_pipe[1], F_SETFL, O_NONBLOCK);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The starting point the options ask for. */
static int
start_at(struct log_reader *r, const struct log_opts *o,
    struct log_pos *pos)
{
	struct log_pos a, b;
	long n = o->lines >= 0 ? o->lines : o->follow && !o->since_set ?
	    FOLLOW_LINES : -1;

	memset(pos, 0, sizeof(*pos));
	if (n >= 0 && log_tail_pos(r, n, &a) == -1)
		return -1;
	if (o->since_set && log_since_pos(r, o->since, &b) == -1)
		return -1;
	if (n >= 0 && o->since_set)
		*pos = *log_pos_later(&a, &b);
	else if (n >= 0)
		*pos = a;
	else if (o->since_set)
		*pos = b;
	return 0;
}

/* FILE: the file of DIR being read, or "". */
static enum svx_outcome
read_error(const char *name, const char *dir, const char *file, int err)
{
	if (err == ENOENT && file[0] == '\0') {
		report_error(name, "no log directory %s (yet)", dir);
		return OUT_FALSE;
	}
	report_error(name, "%s%s%s: %s", dir, file[0] != '\0' ? "/" : "",
	    file, plain_strerror(err));
	return OUT_SYSTEM;
}

/* Lines end with a reader gone: stdout is not ours to complain about. */
static enum svx_outcome
reader_gone(void)
{
	if (freopen("/dev/null", "w", stdout) == NULL)
		return OUT_SYSTEM;
	return OUT_OK;
}

static enum svx_outcome
show(const char *name, int dirfd, const struct log_opts *o,
    const char *indent)
{
	struct log_source src;
	struct log_reader r;
	struct log_print p;
	struct log_pos pos;
	enum svx_outcome out;
	int basefd, rc;

	if ((out = find_log(name, dirfd, &basefd, &src, indent != NULL)) !=
	    OUT_OK)
		return out;
	memset(&p, 0, sizeof(p));
	p.kind = src.kind;
	p.s6 = src.kind == LOGGER_S6LOG;
	p.since_set = o->since_set;
	p.since = o->since;
	p.showing = !o->since_set;
	p.follow = o->follow;
	p.indent = indent;
	rc = log_open(&r, basefd, src.dir, p.s6, print_line, &p);
	close(basefd);
	if (rc == -1)
		return indent != NULL ? OUT_OK : read_error(name, src.dir, "",
		    errno);
	if (o->follow)
		catch_stop();	/* a reader gone is an end, not SIGPIPE */
	if (start_at(&r, o, &pos) == -1 ||
	    (rc = log_read(&r, &pos, o->follow)) == -1) {
		rc = errno;
		log_close(&r);
		return indent != NULL ? OUT_OK : read_error(name, src.dir,
		    r.name, rc);
	}
	if (rc == 0 && o->follow) {
		rc = log_follow(&r, stop_pipe[0], STDOUT_FILENO);
		if (rc == 0 && r.broken)
			report_error(name, "log directory %s removed or renamed",
			    src.dir);
	}
	log_close(&r);
	if (rc == 1 || (rc == 0 && ferror(stdout)))
		return o->follow ? reader_gone() : OUT_SYSTEM;
	if (rc == -1)
		return read_error(name, src.dir, r.name, errno);
	return r.broken ? OUT_FALSE : OUT_OK;
}

/* A supervisord program's log: no stamps, so no --since. */
static enum svx_outcome
sd_log_one(const char *name, const struct log_opts *o)
{
	enum svx_outcome out;

	if (o->since_set) {
		report_error(name, "%s", "--since: supervisord's log lines "
		    "carry no time stamps");
		return OUT_USAGE;
	}
	if (o->follow)
		catch_stop();	/* a reader gone is an end, not SIGPIPE */
	out = sd_log_show(name, o->lines >= 0 ? o->lines : o->follow ?
	    FOLLOW_LINES : -1, o->follow, stop_pipe[0], NULL);
	if (o->follow && ferror(stdout))
		return reader_gone();
	return out;
}

static void
sd_status_lines(const char *name, long lines)
{
	(void)sd_log_show(name, lines, 0, -1, "    ");
}

/*
 * A backend without directories keeps its services' logs its own way
 * (supervisord: in files it serves over XML-RPC): shown by its own
 * reader, by the backend the name is of.
 */
static const struct named_log {
	enum svx_outcome (*show)(const char *, const struct log_opts *);
	void		(*status_lines)(const char *, long);
} named_logs[BACKEND_ALL_COUNT] = {
	[BACKEND_SUPERVISORD] = { sd_log_one, sd_status_lines },
};

static enum svx_outcome
log_one(const char *name, const struct log_opts *o, const char *svdir)
{
	const struct svx_adapter *named = service_named_backend(name);
	char path[PATH_MAX];
	enum svx_outcome out;
	int dirfd;

	if (named != NULL)
		return named_logs[named->id].show(name, o);
	if (resolve_service(name, svdir, path, sizeof(path)) == -1)
		return report_open_error(name, errno, !is_path_argument(name));
	if ((dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return report_open_error(name, errno, 0);
	out = show(name, dirfd, o, NULL);
	close(dirfd);
	return out;
}

int
log_parse_lines(const char *arg, struct log_opts *o)
{
	const char *errstr;

	o->lines = strtonum(arg, 0, 100000000, &errstr);
	if (errstr != NULL) {
		fprintf(stderr, "%s: -n %s: %s (a number of lines)\n",
		    getprogname(), arg, errstr);
		return -1;
	}
	return 0;
}

int
log_parse_since(const char *arg, struct log_opts *o)
{
	if (log_parse_time(arg, (int64_t)time(NULL), &o->since) == -1) {
		fprintf(stderr, "%s: --since %s: not a time (YYYY-MM-DD "
		    "[HH:MM[:SS]], HH:MM[:SS], @UNIXTIME, -N[smhd])\n",
		    getprogname(), arg);
		return -1;
	}
	o->since_set = 1;
	return 0;
}

enum svx_outcome
svx_log(int n, char **args, const struct log_opts *o, const char *svdir)
{
	enum svx_outcome worst = OUT_OK, out;
	int i;

	if (n == 0) {
		fprintf(stderr, "%s: log: no service given\n", getprogname());
		return OUT_USAGE;
	}
	if (o->follow && n > 1) {
		fprintf(stderr, "%s: log -f: one service at a time\n",
		    getprogname());
		return OUT_USAGE;
	}
	for (i = 0; i < n; i++) {
		if (n > 1)
			printf("%s==> %s <==\n", i > 0 ? "\n" : "", args[i]);
		out = log_one(args[i], o, svdir);
		worst = outcome_worse(worst, out);
	}
	return worst;
}

void
log_status_lines(const char *name, const char *svdir, long lines)
{
	const struct svx_adapter *named = service_named_backend(name);
	char path[PATH_MAX];
	struct log_opts o;
	int dirfd;

	if (named != NULL) {
		named_logs[named->id].status_lines(name, lines);
		return;
	}
	if (resolve_service(name, svdir, path, sizeof(path)) == -1 ||
	    (dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	memset(&o, 0, sizeof(o));
	o.lines = lines;
	(void)show("", dirfd, &o, "    ");
	close(dirfd);
}
