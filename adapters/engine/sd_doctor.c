/*
 * svx doctor's checks of a supervisord program (PROTOCOLS.md#supervisord):
 *
 *   unreachable   nothing answers on the socket (or not XML-RPC): none of
 *                 the others can be asked
 *   unknown       getProcessInfo's BAD_NAME fault: no such program
 *   fatal         FATAL: supervisord gave up (startretries spent, or the
 *                 command could not be spawned); spawnerr says which
 *   backoff       BACKOFF: it died before startsecs and will be retried:
 *                 supervisord's own crash loop
 *   stopped       STOPPED although autostart=true: stopped by hand (or
 *                 by supervisorctl stop), and nothing will start it
 *                 before supervisord itself starts again
 *   log-missing   a log file supervisord keeps for it is not on disk:
 *                 removed while supervisord holds it open (it writes on,
 *                 to the unlinked file, until it reopens its logs on
 *                 SIGUSR2 or rotates), so `svx log` and supervisorctl
 *                 tail show nothing new
 *
 * EXITED is not a finding: a program that ends by design (autorestart
 * false or unexpected, an expected exit code) is where it should be.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sd_doctor.h"

/* How each way of not reaching supervisord reads as an errno. */
static const int unreachable_err[SD_PROTOCOL + 1] = {
	[SD_NO_SOCKET] = ENOENT,
	[SD_DENIED] = EACCES,
	[SD_NOT_LISTENING] = ECONNREFUSED,
	[SD_TIMEOUT] = ETIMEDOUT,
	[SD_FAULT] = EPROTO,		/* a fault other than BAD_NAME */
	[SD_SOCKET_PATH] = ENAMETOOLONG,
	[SD_PROTOCOL] = EPROTO,
};

static int
unknown(const struct sd_doctor *d)
{
	return d->result == SD_FAULT && d->fault_code == SD_FAULT_BAD_NAME;
}

static int
t_unreachable(const struct sd_doctor *d, struct doctor_finding *f)
{
	if (d->result == SD_OK || unknown(d) ||
	    (size_t)d->result > SD_PROTOCOL)
		return 0;
	f->err = unreachable_err[d->result];
	strlcpy(f->what, d->socket, sizeof(f->what));
	return 1;
}

static int
t_unknown(const struct sd_doctor *d, struct doctor_finding *f)
{
	strlcpy(f->what, d->socket, sizeof(f->what));
	return unknown(d);
}

/*
 * The last death, and what supervisord said of the start. A start that
 * ends before startsecs loses its exit status (supervisord sets it to
 * None, and getProcessInfo says 0): its own log's "exited:" line still
 * has it.
 */
static void
last_exit(const struct sd_doctor *d, struct doctor_finding *f)
{
	strlcpy(f->death, d->death, sizeof(f->death));
	f->wstat = d->death_exit >= 0 ? d->death_exit << 8 : -1;
	strlcpy(f->what, d->proc.spawnerr, sizeof(f->what));
}

static int
in_state(const struct sd_doctor *d, int state, struct doctor_finding *f)
{
	if (d->result != SD_OK || d->proc.state != state)
		return 0;
	last_exit(d, f);
	return 1;
}

static int
t_fatal(const struct sd_doctor *d, struct doctor_finding *f)
{
	return in_state(d, SD_FATAL, f);
}

static int
t_backoff(const struct sd_doctor *d, struct doctor_finding *f)
{
	return in_state(d, SD_BACKOFF, f);
}

static int
t_stopped(const struct sd_doctor *d, struct doctor_finding *f)
{
	(void)f;
	return d->result == SD_OK && d->proc.state == SD_STOPPED &&
	    d->have_prog && d->prog.autostart == 1;
}

static int
t_log_missing(const struct sd_doctor *d, struct doctor_finding *f)
{
	if (d->result != SD_OK || d->log_missing[0] == '\0')
		return 0;
	strlcpy(f->what, d->log_missing, sizeof(f->what));
	f->pid = d->supervisord;
	f->err = ENOENT;
	return 1;
}

/* In the order they are reported, after the directory checks. */
const struct sd_doctor_row sd_doctor_rows[SD_DOC_COUNT] = {
	{ DOC_SD_UNREACHABLE, "supervisord-unreachable", t_unreachable },
	{ DOC_SD_UNKNOWN, "program-unknown", t_unknown },
	{ DOC_SD_FATAL, "fatal", t_fatal },
	{ DOC_SD_BACKOFF, "backoff", t_backoff },
	{ DOC_SD_STOPPED, "stopped-autostart", t_stopped },
	{ DOC_SD_LOG_MISSING, "log-missing", t_log_missing },
};

/* PATH, a log file supervisord keeps, is missing from disk. A path svx
 * may not look at (EACCES) is not said to be missing. */
static int
gone(const char *path)
{
	struct stat sb;

	return path[0] == '/' && lstat(path, &sb) == -1 && errno == ENOENT;
}

static void
find_missing_log(struct sd_doctor *d)
{
	const struct sd_program *p = &d->prog;

	d->log_missing[0] = '\0';
	if (!d->have_prog || p->truncated)
		return;
	if (d->proc.stdout_log && gone(p->stdout_logfile))
		strlcpy(d->log_missing, p->stdout_logfile,
		    sizeof(d->log_missing));
	else if (d->proc.stderr_log && p->redirect_stderr != 1 &&
	    gone(p->stderr_logfile))
		strlcpy(d->log_missing, p->stderr_logfile,
		    sizeof(d->log_missing));
}

/* The last S (LEN bytes) in BUF (SIZE bytes): where it starts, or NULL. */
static const char *
find_last(const char *buf, size_t size, const char *s, size_t len)
{
	size_t i;

	for (i = size - len + 1; len <= size && i-- > 0;)
		if (memcmp(buf + i, s, len) == 0)
			return buf + i;
	return NULL;
}

int
sd_last_death(const char *log, size_t len, const char *name, char *out,
    size_t outlen, int *exit)
{
	char key[SD_NAME_MAX + 16];
	const char *p, *why, *stop;
	size_t klen, n;
	long code = 0;

	*exit = -1;
	if ((size_t)snprintf(key, sizeof(key), "exited: %s (", name) >=
	    sizeof(key))
		return 0;
	klen = strlen(key);
	if ((p = find_last(log, len, key, klen)) == NULL)
		return 0;
	why = p + klen;
	for (stop = why; stop < log + len && *stop != ';' && *stop != ')' &&
	    *stop != '\n'; stop++)
		;
	if (stop == log + len || *stop == '\n')
		return 0;
	n = (size_t)(stop - why) < outlen - 1 ? (size_t)(stop - why) :
	    outlen - 1;
	memcpy(out, why, n);
	out[n] = '\0';
	if (strncmp(out, "exit status ", 12) == 0 && out[12] != '\0') {
		for (p = out + 12; *p >= '0' && *p <= '9' && code <= 255; p++)
			code = code * 10 + (*p - '0');
		if (*p == '\0' && code <= 255)
			*exit = (int)code;
	}
	return 1;
}

/* For a program supervisord could not keep up: its last death, from the
 * end of supervisord's log (the process name alone is logged). */
static void
find_death(struct sd_doctor *d, struct sd_conn *c)
{
	char buf[SD_DOCTOR_LOG_BYTES + 1];
	struct sd_log log;

	d->death[0] = '\0';
	d->death_exit = -1;
	if (d->proc.state != SD_FATAL && d->proc.state != SD_BACKOFF)
		return;
	memset(&log, 0, sizeof(log));
	log.buf = buf;
	log.size = sizeof(buf);
	if (sd_main_log_read(c, -(long long)SD_DOCTOR_LOG_BYTES, 0, &log) ==
	    SD_OK)
		(void)sd_last_death(buf, log.len, d->proc.name, d->death,
		    sizeof(d->death), &d->death_exit);
}

void
sd_doctor_open(struct sd_doctor *d, struct sd_conn *c, const char *name)
{
	memset(d, 0, sizeof(*d));
	d->death_exit = -1;
	d->socket = c->socket;
	d->result = sd_process_info(c, name, &d->proc);
	d->fault_code = c->fault_code;
	if (d->result != SD_OK)
		return;
	d->have_prog = sd_program_info(c, d->proc.group, d->proc.name,
	    &d->prog) == SD_OK;
	if (sd_pid(c, &d->supervisord) != SD_OK)
		d->supervisord = 0;
	find_missing_log(d);
	find_death(d, c);
}

size_t
sd_doctor_run(const struct sd_doctor *d, struct doctor_finding *out,
    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < SD_DOC_COUNT && n < max; i++) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].check = sd_doctor_rows[i].id;
		out[n].wstat = -1;
		if (sd_doctor_rows[i].test(d, &out[n]))
			n++;
	}
	return n;
}
