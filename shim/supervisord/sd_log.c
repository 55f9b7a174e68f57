/*
 * svx log supervisord:NAME [-n N] [-f], and the lines under status -l:
 * the program's stdout log through supervisord's XML-RPC, as
 * supervisorctl tail reads it (PROTOCOLS.md#supervisord-logs).
 *
 * supervisord pushes nothing to a client, so -f asks every
 * SD_LOG_POLL_MS how long the log is (tailProcessStdoutLog with a length
 * of 0, which sends no bytes) and reads what is new with
 * readProcessStdoutLog, exactly those bytes, SD_LOG_CHUNK at a time.
 * The lines carry no stamps: they are printed as they are.
 *
 * A program's stderr has a log of its own unless redirect_stderr=true
 * (stderr_logfile, AUTO by default): it is read the same way (the
 * Stderr methods) and its lines are printed after "[stderr] ". Nothing
 * stamps them, so the two cannot be put in time order: the stdout log's
 * lines come first, then the stderr log's (each its own last N with
 * -n); with -f each turn prints what is new in stdout's, then in
 * stderr's. A line one log has not ended yet is ended when the other's
 * come, and its rest printed as a line of its own.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/report.h"
#include "sd_shim.h"

#define SD_LOG_WINDOW	(256 * 1024)	/* what -n asks for, at most */
#define SD_LOG_CHUNK	(64 * 1024)	/* what one read asks for */
#define SD_LOG_POLL_MS	200
/* A UTF-8 character has at most 4 bytes: a piece that cuts one makes
 * supervisord fail (HTTP 500), so a piece is asked again at most 3
 * bytes shorter. */
#define SD_LOG_RETRIES	3

/* The logs supervisord keeps of a program, and how each is read. */
enum sd_stream { SD_STDOUT, SD_STDERR, SD_NSTREAMS };
static const struct {
	const char	*label;		/* before each of its lines */
	enum sd_result	(*tail)(struct sd_conn *, const char *, long long,
			    long long, struct sd_log *);
	enum sd_result	(*read)(struct sd_conn *, const char *, long long,
			    long long, struct sd_log *);
} streams[SD_NSTREAMS] = {
	[SD_STDOUT] = { "", sd_log_tail, sd_log_read },
	[SD_STDERR] = { "[stderr] ", sd_err_log_tail, sd_err_log_read },
};

/* One program's logs being shown. */
struct sd_view {
	struct sd_conn	 c;
	const char	*arg, *name;
	const char	*indent;	/* status -l's; its errors unsaid */
	int		 follow;
	struct {
		int	 kept;		/* supervisord keeps this log */
		int	 bol;		/* at a line's start */
		long long at;		/* where the next bytes start */
	}		 s[SD_NSTREAMS];
	enum sd_stream	 last;		/* whose bytes were printed last */
	struct sd_log	 log;
};

static char log_buf[SD_LOG_WINDOW + 1];

/* A log call's failure in one line; an answer that is not XML-RPC is,
 * for a log, supervisord failing on bytes that are not UTF-8 (HTTP 500,
 * PROTOCOLS.md#supervisord-logs). */
static enum svx_outcome
say(const struct sd_view *v, enum sd_result r)
{
	if (v->indent != NULL)
		return OUT_OK;
	if (r == SD_PROTOCOL) {
		report_error(v->arg, "%s", "supervisord cannot send its log "
		    "(not UTF-8?)");
		return OUT_SYSTEM;
	}
	return sd_report(v->arg, &v->c, r);
}

/* LEN bytes of BUF from log K, its label and status -l's indent at each
 * line's start; the other log's line left unended is ended first. */
static int
put(struct sd_view *v, enum sd_stream k, const char *buf, size_t len)
{
	const char *nl;
	size_t n;

	if (len > 0 && v->last != k && !v->s[v->last].bol) {
		putchar('\n');
		v->s[v->last].bol = 1;
	}
	if (len > 0)
		v->last = k;
	while (len > 0) {
		if (v->s[k].bol && v->indent != NULL)
			fputs(v->indent, stdout);
		if (v->s[k].bol)
			fputs(streams[k].label, stdout);
		nl = memchr(buf, '\n', len);
		n = nl != NULL ? (size_t)(nl - buf) + 1 : len;
		fwrite(buf, 1, n, stdout);
		v->s[k].bol = nl != NULL;
		buf += n;
		len -= n;
	}
	if (v->follow)
		fflush(stdout);
	return ferror(stdout) ? -1 : 0;
}

/* The log's last bytes, the window of -n, asked again a byte shorter
 * while supervisord fails on a character cut at the window's start. */
static enum sd_result
tail_window(struct sd_view *v, enum sd_stream k)
{
	enum sd_result r;
	int i;

	for (i = 0; i <= SD_LOG_RETRIES; i++)
		if ((r = streams[k].tail(&v->c, v->name, 0, SD_LOG_WINDOW - i,
		    &v->log)) != SD_PROTOCOL)
			break;
	return r;
}

/* Log K's last N lines; the next bytes are the ones after them. */
static enum sd_result
show_last(struct sd_view *v, enum sd_stream k, long n)
{
	enum sd_result r;
	size_t start;

	if ((r = tail_window(v, k)) != SD_OK)
		return r;
	v->s[k].at = v->log.end;
	start = sd_log_lines_start(v->log.buf, v->log.len, n);
	/* A write that failed is ferror(stdout): the caller's to judge. */
	(void)put(v, k, v->log.buf + start, v->log.len - start);
	return SD_OK;
}

/* From v->at to END, a chunk at a time (a chunk that cuts a character
 * asked again shorter). v->at moves by what was asked: XML turns a CR
 * into a LF, so the bytes got may be fewer. */
static enum sd_result
read_to(struct sd_view *v, enum sd_stream k, long long end)
{
	enum sd_result r = SD_OK;
	long long want, *at = &v->s[k].at;
	int i;

	while (*at < end && !ferror(stdout)) {
		want = end - *at < SD_LOG_CHUNK ? end - *at : SD_LOG_CHUNK;
		for (i = 0; i <= SD_LOG_RETRIES && i < want; i++)
			if ((r = streams[k].read(&v->c, v->name, *at, want - i,
			    &v->log)) != SD_PROTOCOL)
				break;
		if (r != SD_OK)
			return r;
		*at += want - i;
		(void)put(v, k, v->log.buf, v->log.len);
	}
	return SD_OK;
}

/* How long log K is now: its tail method asked for no bytes. */
static enum sd_result
log_end(struct sd_view *v, enum sd_stream k, long long *end)
{
	enum sd_result r;

	r = streams[k].tail(&v->c, v->name, v->s[k].at, 0, &v->log);
	*end = v->log.end;
	return r;
}

/* What log K has past where it was read to; from its start if it got
 * shorter (rotated or cleared). */
static enum sd_result
read_new(struct sd_view *v, enum sd_stream k)
{
	enum sd_result r;
	long long end;

	if ((r = log_end(v, k, &end)) != SD_OK)
		return r;
	if (end < v->s[k].at)
		v->s[k].at = 0;
	return read_to(v, k, end);
}

/* Sleep SD_LOG_POLL_MS: 1 when told to stop (a signal, or stdout's
 * reader gone), 0 when it is time to ask again. */
static int
pause_or_stop(int stopfd)
{
	struct pollfd p[2] = { { stopfd, POLLIN, 0 },
	    { STDOUT_FILENO, 0, 0 } };	/* POLLERR: the reader has gone */

	if (poll(p, 2, SD_LOG_POLL_MS) == -1)
		return errno == EINTR ? 0 : 1;
	return p[0].revents != 0 || (p[1].revents & (POLLERR | POLLHUP));
}

/*
 * What comes next, until STOPFD or a reader gone. A log that got shorter
 * was rotated (stdout_logfile_maxbytes) or cleared: it is read again
 * from its start.
 */
static enum sd_result
follow(struct sd_view *v, int stopfd)
{
	enum sd_result r;
	int k;

	while (!ferror(stdout) && !pause_or_stop(stopfd))
		for (k = 0; k < SD_NSTREAMS; k++)
			if (v->s[k].kept &&
			    (r = read_new(v, (enum sd_stream)k)) != SD_OK)
				return r;
	return SD_OK;
}

/* The program is there and supervisord keeps a log of it: which. */
static enum svx_outcome
check_program(struct sd_view *v)
{
	struct sd_proc p;
	enum sd_result r;

	if ((r = sd_process_info(&v->c, v->name, &p)) != SD_OK)
		return v->indent == NULL ? sd_report(v->arg, &v->c, r) : OUT_OK;
	v->s[SD_STDOUT].kept = p.stdout_log;
	v->s[SD_STDERR].kept = p.stderr_log;	/* "" when redirected */
	if (!p.stdout_log && !p.stderr_log) {
		if (v->indent == NULL)
			report_error(v->arg, "%s", "supervisord keeps no log "
			    "of it (stdout_logfile=NONE, stderr_logfile=NONE "
			    "or redirected)");
		return OUT_FALSE;
	}
	return OUT_OK;
}

/* Log K as asked: its last LINES (all when < 0). */
static enum sd_result
show_one(struct sd_view *v, enum sd_stream k, long lines)
{
	enum sd_result r;
	long long end;

	if (lines >= 0)
		return show_last(v, k, lines);
	if ((r = log_end(v, k, &end)) != SD_OK)
		return r;
	return read_to(v, k, end);
}

enum svx_outcome
sd_log_show(const char *arg, long lines, int follow_it, int stopfd,
    const char *indent)
{
	struct sd_view v;
	enum svx_outcome out;
	enum sd_result r = SD_OK;
	int k;

	memset(&v, 0, sizeof(v));
	v.arg = arg;
	v.name = sd_program_name(arg);
	v.indent = indent;
	v.follow = follow_it;
	for (k = 0; k < SD_NSTREAMS; k++)
		v.s[k].bol = 1;
	v.log.buf = log_buf;
	v.log.size = sizeof(log_buf);
	if (sd_find_socket(&v.c) == -1)
		return indent == NULL ? sd_report(arg, &v.c, SD_SOCKET_PATH) :
		    OUT_OK;
	if ((out = check_program(&v)) != OUT_OK)
		return out;
	for (k = 0; k < SD_NSTREAMS && r == SD_OK; k++)
		if (v.s[k].kept)
			r = show_one(&v, (enum sd_stream)k, lines);
	if (r == SD_OK && follow_it)
		r = follow(&v, stopfd);
	if (!v.s[v.last].bol && !follow_it && !ferror(stdout))
		putchar('\n');	/* a last line not ended yet */
	return r == SD_OK ? OUT_OK : say(&v, r);
}
