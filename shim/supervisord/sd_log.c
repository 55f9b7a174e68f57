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

/* One log being shown. */
struct sd_view {
	struct sd_conn	 c;
	const char	*arg, *name;
	const char	*indent;	/* status -l's; its errors unsaid */
	int		 follow;
	int		 bol;		/* at a line's start */
	long long	 at;		/* where the next bytes start */
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

/* LEN bytes of BUF, indented at each line's start for status -l. */
static int
put(struct sd_view *v, const char *buf, size_t len)
{
	const char *nl;
	size_t n;

	while (len > 0) {
		if (v->bol && v->indent != NULL)
			fputs(v->indent, stdout);
		nl = memchr(buf, '\n', len);
		n = nl != NULL ? (size_t)(nl - buf) + 1 : len;
		fwrite(buf, 1, n, stdout);
		v->bol = nl != NULL;
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
tail_window(struct sd_view *v)
{
	enum sd_result r;
	int i;

	for (i = 0; i <= SD_LOG_RETRIES; i++)
		if ((r = sd_log_tail(&v->c, v->name, 0, SD_LOG_WINDOW - i,
		    &v->log)) != SD_PROTOCOL)
			break;
	return r;
}

/* The last N lines; the next bytes are the ones after them. */
static enum sd_result
show_last(struct sd_view *v, long n)
{
	enum sd_result r;
	size_t start;

	if ((r = tail_window(v)) != SD_OK)
		return r;
	v->at = v->log.end;
	start = sd_log_lines_start(v->log.buf, v->log.len, n);
	/* A write that failed is ferror(stdout): the caller's to judge. */
	(void)put(v, v->log.buf + start, v->log.len - start);
	return SD_OK;
}

/* From v->at to END, a chunk at a time (a chunk that cuts a character
 * asked again shorter). v->at moves by what was asked: XML turns a CR
 * into a LF, so the bytes got may be fewer. */
static enum sd_result
read_to(struct sd_view *v, long long end)
{
	enum sd_result r = SD_OK;
	long long want;
	int i;

	while (v->at < end && !ferror(stdout)) {
		want = end - v->at < SD_LOG_CHUNK ? end - v->at : SD_LOG_CHUNK;
		for (i = 0; i <= SD_LOG_RETRIES && i < want; i++)
			if ((r = sd_log_read(&v->c, v->name, v->at, want - i,
			    &v->log)) != SD_PROTOCOL)
				break;
		if (r != SD_OK)
			return r;
		v->at += want - i;
		(void)put(v, v->log.buf, v->log.len);
	}
	return SD_OK;
}

/* How long the log is now: tailProcessStdoutLog asked for no bytes. */
static enum sd_result
log_end(struct sd_view *v, long long *end)
{
	enum sd_result r;

	r = sd_log_tail(&v->c, v->name, v->at, 0, &v->log);
	*end = v->log.end;
	return r;
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
	long long end;

	while (!ferror(stdout) && !pause_or_stop(stopfd)) {
		if ((r = log_end(v, &end)) != SD_OK)
			return r;
		if (end < v->at)
			v->at = 0;
		if ((r = read_to(v, end)) != SD_OK)
			return r;
	}
	return SD_OK;
}

/* The program is there and keeps a stdout log. */
static enum svx_outcome
check_program(struct sd_view *v)
{
	struct sd_proc p;
	enum sd_result r;

	if ((r = sd_process_info(&v->c, v->name, &p)) != SD_OK)
		return v->indent == NULL ? sd_report(v->arg, &v->c, r) : OUT_OK;
	if (!p.stdout_log) {
		if (v->indent == NULL)
			report_error(v->arg, "%s", "supervisord keeps no log "
			    "of it (stdout_logfile=NONE)");
		return OUT_FALSE;
	}
	return OUT_OK;
}

enum svx_outcome
sd_log_show(const char *arg, long lines, int follow_it, int stopfd,
    const char *indent)
{
	struct sd_view v;
	enum svx_outcome out;
	enum sd_result r;
	long long end;

	memset(&v, 0, sizeof(v));
	v.arg = arg;
	v.name = sd_program_name(arg);
	v.indent = indent;
	v.follow = follow_it;
	v.bol = 1;
	v.log.buf = log_buf;
	v.log.size = sizeof(log_buf);
	if (sd_find_socket(&v.c) == -1) {
		if (indent == NULL)
			report_error(arg, "%s", "no supervisord socket path fits");
		return indent == NULL ? OUT_SYSTEM : OUT_OK;
	}
	if ((out = check_program(&v)) != OUT_OK)
		return out;
	if (lines >= 0)
		r = show_last(&v, lines);
	else if ((r = log_end(&v, &end)) == SD_OK)
		r = read_to(&v, end);
	if (r == SD_OK && follow_it)
		r = follow(&v, stopfd);
	if (!v.bol && !follow_it && !ferror(stdout))
		putchar('\n');	/* a last line not ended yet */
	return r == SD_OK ? OUT_OK : say(&v, r);
}
