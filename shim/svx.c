/*
 * svx's own command line: svx [-v] VERB SERVICE...
 *
 * Every service gets its own line of result or error; the exit code is the
 * largest met (style.md: 0, 1, 100, 102, 103, 111).
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../adapters/scanner.h"
#include "listing.h"

#define DEFAULT_WAIT_MS	7000	/* sv's SVWAIT default */
#define STARTING_MS	1000	/* a starting supervisor's first status */

#define MAX_FIELDS	16

struct svx_opts {
	enum status_field_id fields[MAX_FIELDS];
	size_t		 nfields;
	struct listing_opts lopts;
	int		 all;
	int		 format_given;	/* --format: no default for --all */
	int		 color;		/* -1 auto, 0 never, 1 always */
	int		 verbose;
	int64_t		 wait_ms;	/* -1: do not wait */
	int64_t		 deadline_ms;	/* monotonic: wait_ms from the start */
	int64_t		 settle_ms;
	int		 kill_on_timeout;
	const char	*svdir;		/* $SVDIR */
	const char	*supervisedir;	/* $SUPERVISEDIR (encore) */
	struct migrate_args mig;	/* svx migrate's --to, --dry-run, ... */
};

static void say_error(const char *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* One line on stderr naming the service and the cause. */
static void
say_error(const char *name, const char *fmt, ...)
{
	char buf[PATH_MAX + 512];
	struct text t;
	va_list ap;

	text_init(&t, buf, sizeof(buf));
	text_name(&t, name);
	text_puts(&t, ": ");
	va_start(ap, fmt);
	vsnprintf(buf + t.len, sizeof(buf) - t.len, fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", getprogname(), buf);
}

static enum svx_outcome
open_error(const char *name, int err, int bare)
{
	switch (err) {
	case ENOENT:
		if (bare)
			say_error(name, "%s", "no such service (looked in $SVDIR"
			    " or /run/service, /etc/service, /service, "
			    "/var/service)");
		else
			say_error(name, "%s", "no such directory");
		return OUT_NOT_SUPERVISED;
	case ENOTDIR:
		say_error(name, "%s", "not a directory");
		return OUT_NOT_SUPERVISED;
	case EACCES:
		say_error(name, "permission denied: %s", "supervise/ is "
		    "readable by root only; run svx as root");
		return OUT_SYSTEM;
	default:
		say_error(name, "cannot open: %s", strerror(err));
		return OUT_SYSTEM;
	}
}

/* The verdicts that leave no state to act on, as an outcome. */
enum svx_outcome
listing_verdict_error(const char *name, const struct svx_service *sv)
{
	const struct svx_detect *d = &sv->det;

	switch (d->verdict) {
	case VERDICT_NOT_SERVICE:
		say_error(name, "not a service directory: %s", d->why);
		return OUT_NOT_SUPERVISED;
	case VERDICT_AMBIGUOUS:
		say_error(name, "cannot tell which supervisor owns it: %s "
		    "(see svx probe)", d->why);
		return OUT_SYSTEM;
	case VERDICT_ERROR:
		if (d->err == EACCES)
			return open_error(name, EACCES, 0);
		say_error(name, "%s", d->why);
		return OUT_SYSTEM;
	default:
		return OUT_OK;
	}
}

static void
load_log(const struct svx_service *sv, const char *path,
    const struct svx_opts *o, struct svx_service *log, int *has_log)
{
	*has_log = service_open_log(sv, path, o->supervisedir, log);
}

/*
 * -o: the fields, always one line, even for a service whose state could
 * not be read (its fields say unknown); the exit code tells as usual.
 */
static enum svx_outcome
status_fields_line(const char *name, const struct svx_service *sv,
    const struct svx_opts *o)
{
	char buf[PATH_MAX + 512];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	format_fields(&t, o->fields, o->nfields, name, sv, now_seconds());
	fputs(buf, stdout);
	switch (sv->det.verdict) {
	case VERDICT_SUPERVISED:
		return sv->status_ok ? OUT_OK : OUT_SYSTEM;
	case VERDICT_UNSUPERVISED:
	case VERDICT_NOT_SERVICE:
		return OUT_NOT_SUPERVISED;
	default:
		return OUT_SYSTEM;
	}
}

static enum svx_outcome
do_status(const char *name, const char *path, struct svx_service *sv,
    const struct svx_opts *o)
{
	struct svx_service log;
	char buf[PATH_MAX + 512];
	struct text t;
	int has_log;
	enum svx_outcome out;

	if (o->nfields > 0)
		return status_fields_line(name, sv, o);
	if (sv->det.verdict != VERDICT_SUPERVISED &&
	    sv->det.verdict != VERDICT_UNSUPERVISED)
		return listing_verdict_error(name, sv);
	if (sv->det.verdict == VERDICT_SUPERVISED && !sv->status_ok) {
		say_error(name, "status file unreadable: %s", sv->det.why);
		return OUT_SYSTEM;
	}
	load_log(sv, path, o, &log, &has_log);
	text_init(&t, buf, sizeof(buf));
	format_status_line(&t, name, sv, has_log ? &log : NULL, now_seconds());
	fputs(buf, stdout);
	out = sv->det.verdict == VERDICT_SUPERVISED ? OUT_OK :
	    OUT_NOT_SUPERVISED;
	if (has_log) {
		if (log_unreadable(&log))
			out = OUT_SYSTEM;
		service_close(&log);
	}
	return out;
}

static enum svx_outcome
do_probe(const char *name, const char *path, struct svx_service *sv,
    const struct svx_opts *o)
{
	struct svx_service log;
	int has_log;

	load_log(sv, path, o, &log, &has_log);
	print_probe(stdout, name, path, sv, has_log ? &log : NULL);
	if (has_log)
		service_close(&log);
	switch (sv->det.verdict) {
	case VERDICT_SUPERVISED:
		return OUT_OK;
	case VERDICT_UNSUPERVISED:
	case VERDICT_NOT_SERVICE:
		return OUT_NOT_SUPERVISED;
	default:
		return OUT_SYSTEM;
	}
}

static enum svx_outcome
report_send(const char *name, const struct svx_service *sv,
    const struct verb_row *row, enum send_result r, const char *bytes,
    const struct svx_opts *o)
{
	char what[128];

	if (r == SEND_OK) {
		if (o->verbose)
			printf("%s: sent \"%s\" to %s (%s)\n", name, bytes,
			    sv->adapter->supervisor, sv->adapter->name);
		return OUT_OK;
	}
	if (r == SEND_UNSUPPORTED) {
		snprintf(what, sizeof(what), "%s cannot %s: %s ignores it; "
		    "nothing sent", sv->adapter->name, row->name,
		    sv->adapter->supervisor);
		say_error(name, "%s", what);
	} else if (r == SEND_ERROR)
		say_error(name, "cannot write to supervise/control: %s",
		    strerror(errno));
	else
		say_error(name, "%s", send_rows[r].message);
	return send_rows[r].outcome;
}

static void
print_status(const char *name, const struct svx_service *sv)
{
	char buf[PATH_MAX + 512];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	format_status_line(&t, name, sv, NULL, now_seconds());
	fputs(buf, stdout);
}

static void
last_state(struct text *t, const struct svx_service *sv,
    const struct wait_report *rep)
{
	if (rep->last.state == STATE_UNKNOWN)
		text_puts(t, "state unknown");
	else
		format_proc(t, sv, &rep->last, now_seconds());
}

/* The end of a wait, as one line naming the service. */
static enum svx_outcome
report_wait(const char *name, const struct svx_service *sv,
    enum wait_goal goal, const struct wait_report *rep,
    const struct svx_opts *o)
{
	char buf[512];
	struct text t;
	int unread;

	text_init(&t, buf, sizeof(buf));
	switch (rep->result) {
	case WAIT_OK:
		if (o->verbose)
			print_status(name, sv);
		return OUT_OK;
	case WAIT_DIED:
	case WAIT_FAILED:
		text_add(&t, rep->result == WAIT_DIED ? "died during start" :
		    "permanent failure");
		if (rep->wstat >= 0 && WIFEXITED(rep->wstat))
			text_add(&t, " (exit %d)", WEXITSTATUS(rep->wstat));
		else if (rep->wstat >= 0 && WIFSIGNALED(rep->wstat))
			text_add(&t, " (%s)", signal_name(WTERMSIG(rep->wstat)) ?
			    signal_name(WTERMSIG(rep->wstat)) : "a signal");
		text_puts(&t, "; now ");
		last_state(&t, sv, rep);
		say_error(name, "%s", buf);
		return OUT_FALSE;
	case WAIT_SUPERVISOR_DIED:
		say_error(name, "supervisor died while waiting for %s",
		    goal_names[goal]);
		return OUT_NOT_SUPERVISED;
	case WAIT_GONE:
		say_error(name, "service directory removed while waiting for "
		    "%s", goal_names[goal]);
		return OUT_SYSTEM;
	case WAIT_TIMEOUT:
		/* Up but never ready: say so, the state line cannot. */
		text_add(&t, "timed out after %lld ms waiting for %s; now ",
		    (long long)o->wait_ms, rep->last.state == STATE_UP &&
		    rep->last.ready == TRI_NO && (goal == GOAL_UP ||
		    goal == GOAL_RESTARTED) ? "readiness" : goal_names[goal]);
		last_state(&t, sv, rep);
		if ((unread = ctl_unread(sv->svfd)) > 0)
			text_add(&t, "; the supervisor has not read %d byte%s "
			    "of commands: stopped or hung", unread,
			    unread == 1 ? "" : "s");
		say_error(name, "%s", buf);
		return OUT_FALSE;
	default:
		say_error(name, "cannot wait: %s", strerror(errno));
		return OUT_SYSTEM;
	}
}

/* sv's force-* verbs: a service that will not stop gets SIGKILL. */
static void
kill_on_timeout(const char *name, struct svx_service *sv,
    const struct wait_report *rep, const struct svx_opts *o)
{
	const char *bytes;

	if (!o->kill_on_timeout || rep->result != WAIT_TIMEOUT)
		return;
	if (service_send(sv, VERB_KILL, &bytes) == SEND_OK)
		say_error(name, "%s", "sent SIGKILL after the timeout");
}

static enum wait_goal
goal_for(const struct verb_row *row, const struct svx_service *sv)
{
	const struct verb_goal *g = &verb_goals[row->verb];

	return sv->status_ok && sv->st.main.want != WANT_UP ? g->wanted_down :
	    g->wanted_up;
}

/*
 * Subscribe, read the base, send: then the wait is J's (1). 0 when there
 * is nothing to wait for, *OUT saying how it went.
 */
static int
send_for_wait(const char *name, struct svx_service *sv,
    const struct verb_row *row, const struct svx_opts *o,
    struct wait_job *j, enum svx_outcome *out)
{
	struct wait_opts wo = { .goal = GOAL_NONE, .need_ready = 1,
	    .settle_ms = o->settle_ms, .timeout_ms = o->wait_ms };
	const char *bytes;
	enum send_result r;

	wait_subscribe(sv, j->w);
	service_refresh(sv);
	wait_base_take(sv, &j->base);
	wo.goal = goal_for(row, sv);
	if (sv->det.verdict != VERDICT_SUPERVISED) {
		wait_unsubscribe(j->w);
		*out = listing_verdict_error(name, sv);
		return 0;
	}
	r = service_send(sv, row->verb, &bytes);
	if (r != SEND_OK || wo.goal == GOAL_NONE) {
		wait_unsubscribe(j->w);
		*out = report_send(name, sv, row, r, bytes, o);
		return 0;
	}
	j->sv = sv;
	j->o = wo;
	return 1;
}

static enum svx_outcome
waited(const char *name, struct wait_job *j, const struct svx_opts *o)
{
	enum svx_outcome out;

	wait_unsubscribe(j->w);
	out = report_wait(name, j->sv, j->o.goal, &j->rep, o);
	kill_on_timeout(name, j->sv, &j->rep, o);
	return out;
}

/*
 * exit's goal, no supervisor left, already holds; unless the supervisor
 * was killed and its service runs on, orphaned (reference §3.4): then a
 * new supervisor would start a second copy, and the user must know.
 */
static enum svx_outcome
exit_without_supervisor(const char *name, const struct svx_service *sv,
    const struct svx_opts *o)
{
	if (sv->status_ok && sv->st.main.pid != 0 &&
	    process_running(sv->st.main.pid)) {
		say_error(name, "supervisor not running, but its service "
		    "(pid %ld) still runs, orphaned", (long)sv->st.main.pid);
		return OUT_NOT_SUPERVISED;
	}
	if (o->verbose)
		printf("%s: no supervisor running\n", name);
	return OUT_OK;
}

/*
 * A service with no supervisor yet, and a wait asked for: it may just have
 * been linked into a scan directory. Kick the scanner and wait for the
 * supervisor, within the same bound. 0 once it is there.
 */
static int
await_supervisor(const char *name, const char *path, struct svx_service *sv,
    const struct svx_opts *o)
{
	int64_t start = monotonic_ms();
	int kicked;

	if (o->wait_ms < 0 || sv->det.verdict != VERDICT_UNSUPERVISED)
		return -1;
	/* Negative: wait only when a scanner watches the parent; with none,
	 * nothing will come, and saying so at once beats a long timeout. */
	if (wait_supervisor(sv, path, o->supervisedir,
	    -(o->deadline_ms - start > 0 ? o->deadline_ms - start : 0),
	    &kicked) == -1)
		return -1;
	if (o->verbose)
		printf("%s: supervisor appeared after %lld ms%s\n", name,
		    (long long)(monotonic_ms() - start),
		    kicked == SCANNER_SVSCAN ? " (svscan rescans every 5 s)" :
		    kicked == SCANNER_RUNSVDIR_UNTOLD ? " (this runsvdir "
		    "rescans every 5 s)" : "");
	return 0;
}

/*
 * A supervisor caught between opening its control FIFO and writing its
 * first status (supervise, runsv: a few ms; longer on a loaded machine):
 * it takes commands a moment later. Wait for that, within the -w bound
 * or STARTING_MS, rather than answer "not supervised".
 */
static void
finish_starting(const char *path, struct svx_service *sv,
    const struct svx_opts *o)
{
	int64_t left = o->wait_ms >= 0 ? o->deadline_ms - monotonic_ms() :
	    STARTING_MS;
	int kicked;

	if (sv->det.verdict != VERDICT_SUPERVISED || !sv->det.starting)
		return;
	(void)wait_supervisor(sv, path, o->supervisedir, left > STARTING_MS ?
	    left : STARTING_MS, &kicked);
}

/*
 * The checks before a command, and the command. 1: sent, and the wait is
 * J's; 0: done, *OUT saying how.
 */
static int
control_begin(const char *name, const char *path, struct svx_service *sv,
    const struct verb_row *row, const struct svx_opts *o,
    struct wait_job *j, enum svx_outcome *out)
{
	const char *bytes;
	enum send_result r;

	if (row->verb != VERB_EXIT)
		(void)await_supervisor(name, path, sv, o);
	finish_starting(path, sv, o);
	if (sv->det.verdict == VERDICT_UNSUPERVISED) {
		if (row->verb == VERB_EXIT)
			*out = exit_without_supervisor(name, sv, o);
		else {
			say_error(name, "supervisor not running (%s)",
			    sv->det.why);
			*out = OUT_NOT_SUPERVISED;
		}
		return 0;
	}
	if (sv->det.verdict != VERDICT_SUPERVISED) {
		*out = listing_verdict_error(name, sv);
		return 0;
	}
	if (o->wait_ms >= 0)
		return send_for_wait(name, sv, row, o, j, out);
	r = service_send(sv, row->verb, &bytes);
	*out = report_send(name, sv, row, r, bytes, o);
	return 0;
}

static enum svx_outcome
do_control(const char *name, const char *path, struct svx_service *sv,
    const struct verb_row *row, const struct svx_opts *o)
{
	struct waiter w;
	struct wait_job j = { .w = &w }, *jp = &j;
	enum svx_outcome out;

	if (!control_begin(name, path, sv, row, o, &j, &out))
		return out;
	wait_run_many(&jp, 1, o->deadline_ms);
	return waited(name, &j, o);
}

static enum svx_outcome
worse(enum svx_outcome a, enum svx_outcome b)
{
	return svx_exits.code[b] > svx_exits.code[a] ? b : a;
}

/*
 * exit ends the log/ subservice's supervisor too when it has one of its
 * own (svscan and s6-svscan run one per log/; runsv serves both, and its
 * log/ ignores x): `svc -dx DIR DIR/log`, as svscanboot does it.
 */
static enum svx_outcome
exit_log(const char *name, const char *path, const struct svx_service *sv,
    const struct verb_row *row, const struct svx_opts *o)
{
	char logname[PATH_MAX + 8], logpath[PATH_MAX + 8];
	struct svx_service log;
	enum svx_outcome out = OUT_OK;

	if (!service_open_log(sv, path, o->supervisedir, &log))
		return OUT_OK;
	if (log.det.verdict == VERDICT_SUPERVISED && log.adapter != NULL &&
	    !(log.is_log && log.adapter->log_ignores_exit)) {
		snprintf(logname, sizeof(logname), "%s/log", name);
		snprintf(logpath, sizeof(logpath), "%s/log", path);
		out = do_control(logname, logpath, &log, row, o);
	}
	service_close(&log);
	return out;
}

static enum svx_outcome
run_one(const struct verb_row *row, const char *name,
    const struct svx_opts *o)
{
	struct svx_service sv;
	char path[PATH_MAX];
	enum svx_outcome out;

	if (sd_is_name(name))
		return sd_run(name, row->cmd, row->verb, o->wait_ms);
	if (resolve_service(name, o->svdir, path, sizeof(path)) == -1)
		return open_error(name, errno, !is_path_argument(name));
	if (service_open(AT_FDCWD, path, o->supervisedir, &sv) == -1)
		return open_error(name, errno, 0);
	switch (row->cmd) {
	case CMD_STATUS:
		out = do_status(name, path, &sv, o);
		break;
	case CMD_PROBE:
		out = do_probe(name, path, &sv, o);
		break;
	default:
		out = do_control(name, path, &sv, row, o);
		if (row->verb == VERB_EXIT && svx_exits.code[out] <
		    svx_exits.code[OUT_FALSE])
			out = worse(out, exit_log(name, path, &sv, row, o));
		break;
	}
	service_close(&sv);
	return out;
}

/*
 * One verb on one service path, as `svx -w SECS --settle MS VERB PATH`
 * does it (its messages included; -v's lines when VERBOSE): svx
 * migrate's commands.
 */
enum svx_outcome
svx_run_verb(const char *path, enum svx_verb verb, int64_t wait_ms,
    int64_t settle_ms, int verbose)
{
	struct svx_opts o;
	const struct verb_row *row = map_svx_verb(verb_names[verb]);

	memset(&o, 0, sizeof(o));
	o.verbose = verbose;
	o.wait_ms = wait_ms;
	o.settle_ms = settle_ms;
	o.deadline_ms = monotonic_ms() + (wait_ms > 0 ? wait_ms : 0);
	return row != NULL ? run_one(row, path, &o) : OUT_USAGE;
}

/*
 * Several services with a wait: every command sent first, then one wait
 * for all of them to one bound, as sv -w does (not a bound a service).
 */
static struct {
	struct svx_service sv[WAIT_MANY_MAX];
	struct waiter	 w[WAIT_MANY_MAX];
	struct wait_job	 job[WAIT_MANY_MAX];
	const char	*name[WAIT_MANY_MAX];
	char		 path[WAIT_MANY_MAX][PATH_MAX];
	enum svx_outcome out[WAIT_MANY_MAX];
	int		 open[WAIT_MANY_MAX], queued[WAIT_MANY_MAX];
} wave;

static enum svx_outcome
wait_wave(const struct verb_row *row, char **names, size_t n,
    const struct svx_opts *o)
{
	enum svx_outcome worst = OUT_OK, out;
	struct wait_job *queue[WAIT_MANY_MAX];
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		wave.name[i] = names[i];
		wave.open[i] = wave.queued[i] = 0;
		wave.job[i] = (struct wait_job){ .w = &wave.w[i] };
		out = OUT_OK;
		if (resolve_service(names[i], o->svdir, wave.path[i],
		    PATH_MAX) == -1)
			out = open_error(names[i], errno,
			    !is_path_argument(names[i]));
		else if (service_open(AT_FDCWD, wave.path[i], o->supervisedir,
		    &wave.sv[i]) == -1)
			out = open_error(names[i], errno, 0);
		else {
			wave.open[i] = 1;
			wave.queued[i] = control_begin(names[i], wave.path[i],
			    &wave.sv[i], row, o, &wave.job[i], &out);
		}
		wave.out[i] = out;
	}
	for (i = 0; i < n; i++)
		if (wave.queued[i])
			queue[k++] = &wave.job[i];
	wait_run_many(queue, k, o->deadline_ms);
	for (i = 0; i < n; i++) {
		out = wave.out[i];
		if (wave.queued[i])
			out = waited(wave.name[i], &wave.job[i], o);
		if (wave.open[i] && row->verb == VERB_EXIT &&
		    svx_exits.code[out] < svx_exits.code[OUT_FALSE])
			out = worse(out, exit_log(wave.name[i], wave.path[i],
			    &wave.sv[i], row, o));
		worst = worse(worst, out);
		if (wave.open[i])
			service_close(&wave.sv[i]);
	}
	return worst;
}

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: svx [-v] [-w SECS | --wait[=SECS]] [--settle MS] "
	    "[--kill-on-timeout] VERB SERVICE...\n"
	    "       svx status [-o FIELD,... | --json | --format=FORMAT] "
	    "SERVICE...\n"
	    "       svx status --all [--json | --format=FORMAT] "
	    "[--color[=WHEN]]\n"
	    "           [--state=STATE,...] [--backend=NAME,...] "
	    "[PATTERN...]\n"
	    "       svx migrate --to BACKEND [--dry-run] [--scandir DIR] "
	    "[-w SECS] SERVICE... | --all\n"
	    "       svx migrate --to BACKEND [--dry-run] [--dir DIR] "
	    "[--scandir DIR] supervisord:NAME...\n"
	    "       svx backend-env [SV-CONFIG | SVC_BACKEND] [SERVICE]\n"
	    "       svx --list=verbs|options|fields|formats|states|backends\n"
	    "       svx --help | --version\n\nverbs:\n");
	for (i = 0; i < svx_nverbs; i++)
		fprintf(f, "  %-11s %s\n", svx_verbs[i].name,
		    svx_verbs[i].help);
	fprintf(f, "\nstatus -o FIELD,...: one line of values:\n");
	for (i = 0; i < status_nfields; i++)
		fprintf(f, "  %-11s %s\n", status_fields[i].name,
		    status_fields[i].help);
	fprintf(f, "\nFORMAT: table, lines, json (schema %s), prometheus\n"
	    "STATE: up, down, starting, started, finishing, stopping, failed, "
	    "exited,\n       unsupervised, unknown\n", JSON_SCHEMA);
	fprintf(f, "\nSERVICE is a path (/..., ./..., ../...) or a name in "
	    "$SVDIR, else in\n/run/service, /etc/service, /service, "
	    "/var/service (first match).\n"
	    "exit: 0 ok, 1 no, 100 usage, 102 not supervised, "
	    "103 unsupported by the backend, 111 error\n");
}

static int
exit_code(enum svx_outcome out)
{
	int code = svx_exits.code[out];

	if (finish_output() == -1) {
		fprintf(stderr, "%s: cannot write output: %s\n", getprogname(),
		    strerror(errno));
		return svx_exits.code[OUT_SYSTEM];
	}
	return code;
}

/* SECS as a whole number of seconds, for -w and --wait. */
static int
parse_seconds(const char *arg, int64_t *ms)
{
	const char *errstr;
	long long secs = strtonum(arg, 0, 86400, &errstr);

	if (errstr != NULL) {
		fprintf(stderr, "%s: wait time %s: %s (0 to 86400 seconds)\n",
		    getprogname(), arg, errstr);
		return -1;
	}
	*ms = secs * 1000;
	return 0;
}

static int
parse_settle(const char *arg, int64_t *ms)
{
	const char *errstr;

	*ms = strtonum(arg, 0, 3600000, &errstr);
	if (errstr != NULL) {
		fprintf(stderr, "%s: settle time %s: %s (milliseconds)\n",
		    getprogname(), arg, errstr);
		return -1;
	}
	return 0;
}

/* A comma list of words from WORDS (N of them) into a bit mask. */
static int
parse_mask(const char *opt, const char *list, const char *const *words,
    size_t n, unsigned int *mask)
{
	char buf[256], *p, *next;
	size_t i;

	if (strlcpy(buf, list, sizeof(buf)) >= sizeof(buf))
		return -1;
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		for (i = 0; i < n; i++)
			if (words[i] != NULL && strcmp(p, words[i]) == 0)
				break;
		if (i == n) {
			fprintf(stderr, "%s: --%s: unknown value '%s'\n",
			    getprogname(), opt, p);
			return -1;
		}
		*mask |= 1U << i;
	}
	return 0;
}

static const struct {
	const char		*name;
	enum listing_format	 format;
} formats[] = {
	{ "json", FMT_JSON }, { "lines", FMT_LINES },
	{ "prometheus", FMT_PROMETHEUS }, { "table", FMT_TABLE },
};

static int
parse_format(const char *arg, struct svx_opts *o)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(arg, formats[i].name) == 0) {
			o->lopts.format = formats[i].format;
			o->format_given = 1;
			return 0;
		}
	fprintf(stderr, "%s: --format: json, lines, prometheus or table\n",
	    getprogname());
	return -1;
}

static int
parse_color(const char *arg, struct svx_opts *o)
{
	if (arg == NULL || strcmp(arg, "always") == 0)
		o->color = 1;
	else if (strcmp(arg, "never") == 0)
		o->color = 0;
	else if (strcmp(arg, "auto") == 0)
		o->color = -1;
	else {
		fprintf(stderr, "%s: --color: auto, always or never\n",
		    getprogname());
		return -1;
	}
	return 0;
}

/*
 * svx --list=WHAT: one word a line from the tables, for the shell
 * completions (and scripts): what they offer is what svx accepts.
 */
static enum svx_outcome
list_words(const char *what)
{
	static const char *const kinds[] = { "verbs", "options", "fields",
	    "formats", "states", "backends" };
	const struct option *lo;
	size_t i, k;
	int b;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(what, kinds[k]) == 0)
			break;
	switch (k) {
	case 0:
		for (i = 0; i < svx_nverbs; i++)
			puts(svx_verbs[i].name);
		break;
	case 1:
		for (lo = svx_longopts; lo->name != NULL; lo++)
			printf("--%s%s\n", lo->name, lo->has_arg ==
			    required_argument ? "=" : "");
		for (i = 0; svx_shortopts[i] != '\0'; i++)
			if (svx_shortopts[i] != ':')
				printf("-%c\n", svx_shortopts[i]);
		break;
	case 2:
		for (i = 0; i < status_nfields; i++)
			puts(status_fields[i].name);
		break;
	case 3:
		for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
			puts(formats[i].name);
		break;
	case 4:
		for (i = 0; i < ROW_NSTATES; i++)
			puts(row_state_names[i]);
		break;
	case 5:
		for (b = BACKEND_UNKNOWN + 1; b < BACKEND_COUNT; b++)
			puts(backend_name(b));
		puts("supervisord");
		break;
	default:
		fprintf(stderr, "%s: --list: verbs, options, fields, formats, "
		    "states or backends\n", getprogname());
		return OUT_USAGE;
	}
	return OUT_OK;
}

static int
parse_migrate_option(int c, const char *arg, struct svx_opts *o)
{
	int b;

	switch (c) {
	case OPT_DRY_RUN:
		o->mig.dry_run = 1;
		return 0;
	case OPT_SCANDIR:
		o->mig.scandir = arg;
		return 0;
	case OPT_DIR:
		o->mig.dir = arg;
		return 0;
	default:
		for (b = BACKEND_UNKNOWN + 1; b < BACKEND_COUNT; b++)
			if (strcmp(arg, backend_name(b)) == 0) {
				o->mig.to = (enum svx_backend)b;
				return 0;
			}
		fprintf(stderr, "%s: --to: daemontools, runit or s6\n",
		    getprogname());
		return -1;
	}
}

static int
parse_listing_option(int c, const char *arg, struct svx_opts *o)
{
	/* The family's backends, then supervisord (its rows' bit). */
	const char *backends[BACKEND_COUNT + 1];
	int b;

	switch (c) {
	case 'a':
		o->all = 1;
		return 0;
	case OPT_JSON:
		o->lopts.format = FMT_JSON;
		return 0;
	case OPT_FORMAT:
		return parse_format(arg, o);
	case OPT_COLOR:
		return parse_color(arg, o);
	case OPT_STATE:
		return parse_mask("state", arg, row_state_names, ROW_NSTATES,
		    &o->lopts.states);
	default:
		for (b = 0; b < BACKEND_COUNT; b++)
			backends[b] = b == BACKEND_UNKNOWN ? NULL :
			    backend_name(b);
		backends[BACKEND_COUNT] = "supervisord";
		return parse_mask("backend", arg, backends, BACKEND_COUNT + 1,
		    &o->lopts.backends);
	}
}

static int
parse_fields(const char *list, struct svx_opts *o)
{
	const struct status_field *f;
	char buf[256], *p, *next;

	if (strlcpy(buf, list, sizeof(buf)) >= sizeof(buf))
		return -1;
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		if ((f = map_status_field(p)) == NULL || o->nfields >= MAX_FIELDS) {
			fprintf(stderr, "%s: -o: unknown field '%s' (see svx "
			    "--help)\n", getprogname(), p);
			return -1;
		}
		o->fields[o->nfields++] = f->id;
	}
	return 0;
}

static int
parse_options(int argc, char **argv, struct svx_opts *o)
{
	int c;

	while ((c = getopt_long(argc, argv, svx_shortopts, svx_longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'a':
		case OPT_JSON:
		case OPT_FORMAT:
		case OPT_COLOR:
		case OPT_STATE:
		case OPT_BACKEND:
			if (parse_listing_option(c, optarg, o) == -1)
				return -1;
			break;
		case 'o':
			if (parse_fields(optarg, o) == -1)
				return -1;
			break;
		case 'w':
			if (parse_seconds(optarg, &o->wait_ms) == -1)
				return -1;
			break;
		case 'W':
			o->wait_ms = DEFAULT_WAIT_MS;
			if (optarg != NULL &&
			    parse_seconds(optarg, &o->wait_ms) == -1)
				return -1;
			break;
		case OPT_SETTLE:
			if (parse_settle(optarg, &o->settle_ms) == -1)
				return -1;
			break;
		case OPT_KILL_ON_TIMEOUT:
			o->kill_on_timeout = 1;
			break;
		case 'h':
			usage(stdout);
			exit(exit_code(OUT_OK));
		case 'V':
			printf("svx %s\n", SVX_VERSION);
			exit(exit_code(OUT_OK));
		case 'v':
			o->verbose = 1;
			break;
		case OPT_LIST:
			exit(exit_code(list_words(optarg)));
		case OPT_TO:
		case OPT_DRY_RUN:
		case OPT_SCANDIR:
		case OPT_DIR:
			if (parse_migrate_option(c, optarg, o) == -1)
				return -1;
			break;
		default:
			usage(stderr);
			return -1;
		}
	}
	return optind;
}

static int
colour_wanted(int color)
{
	const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

	if (color >= 0)
		return color;
	/* no-color.org: set and not empty. */
	return isatty(1) && (no == NULL || no[0] == '\0') && term != NULL &&
	    strcmp(term, "dumb") != 0;
}

static int
any_sd_name(int n, char **args)
{
	int i;

	for (i = 0; i < n; i++)
		if (sd_is_name(args[i]))
			return 1;
	return 0;
}

/*
 * Named services among which some are supervisord programs: in the order
 * given, each as a row of the one listing (every format).
 */
static enum svx_outcome
status_with_sd(int n, char **args, struct svx_opts *o)
{
	struct listing l;
	int i, j;

	listing_begin(&l, &o->lopts);
	for (i = 0; i < n; i = j) {
		if (sd_is_name(args[i])) {
			sd_named_row(&l, args[i]);
			j = i + 1;
			continue;
		}
		for (j = i; j < n && !sd_is_name(args[j]); j++)
			;
		listing_paths(&l, args + i, (size_t)(j - i), o->svdir);
	}
	return listing_end(&l);
}

/*
 * status over many services: the named ones, or with --all every service
 * of every scan directory in use (the names are then patterns).
 */
static enum svx_outcome
status_many(int n, char **args, struct svx_opts *o)
{
	struct listing l;
	int i;

	o->lopts.color = colour_wanted(o->color);
	if (o->nfields > 0) {
		o->lopts.format = FMT_FIELDS;
		o->lopts.fields = o->fields;
		o->lopts.nfields = o->nfields;
	} else if (o->lopts.format == FMT_LINES && o->all &&
	    !o->format_given)
		o->lopts.format = FMT_TABLE;	/* --all's default */
	if (!o->all && n == 0) {
		fprintf(stderr, "%s: status: no service given (or --all)\n",
		    getprogname());
		return OUT_USAGE;
	}
	if (!o->all && any_sd_name(n, args))
		return status_with_sd(n, args, o);
	listing_begin(&l, &o->lopts);
	if (o->all) {
		for (i = 0; i < n && i < MAX_PATTERNS; i++)
			o->lopts.patterns[o->lopts.npatterns++] = args[i];
		size_t w;

		listing_find_scandirs();
		/* supervisord's names count in the table's first column. */
		w = sd_fetch(&o->lopts);
		l.headings = w > 0;	/* then every group gets its heading */
		if (o->lopts.format == FMT_TABLE) {
			if (listing_widest(&o->lopts) > w)
				w = listing_widest(&o->lopts);
			listing_header(&l, w);
		}
		listing_all(&l);
		sd_listing(&l);
	} else
		listing_paths(&l, args, (size_t)n, o->svdir);
	return listing_end(&l);
}

int
svx_main(int argc, char **argv)
{
	struct svx_opts o;
	const struct verb_row *row;
	enum svx_outcome worst = OUT_OK;
	int i, first;

	memset(&o, 0, sizeof(o));
	o.wait_ms = -1;
	o.settle_ms = WAIT_SETTLE_DEFAULT_MS;
	o.color = -1;		/* auto */
	o.svdir = getenv("SVDIR");
	o.supervisedir = getenv("SUPERVISEDIR");
	if ((first = parse_options(argc, argv, &o)) == -1)
		return exit_code(OUT_USAGE);
	if (first >= argc) {
		usage(stderr);
		return exit_code(OUT_USAGE);
	}
	if ((row = map_svx_verb(argv[first])) == NULL) {
		fprintf(stderr, "%s: unknown verb: %s (see svx --help)\n",
		    getprogname(), argv[first]);
		return exit_code(OUT_USAGE);
	}
	if (row->cmd == CMD_MIGRATE) {
		o.mig.all = o.all;
		o.mig.verbose = o.verbose;
		o.mig.svdir = o.svdir;
		o.mig.wait_ms = o.wait_ms;
		return exit_code(migrate(argc - first - 1, argv + first + 1,
		    &o.mig));
	}
	if (row->cmd == CMD_BACKEND_ENV)
		return exit_code(backend_env(argc - first - 1, argv + first + 1,
		    o.svdir, o.supervisedir));
	if (row->cmd == CMD_STATUS && (o.all || o.supervisedir == NULL))
		return exit_code(status_many(argc - first - 1, argv + first + 1,
		    &o));
	if (first + 1 >= argc) {
		fprintf(stderr, "%s: %s: no service given\n", getprogname(),
		    row->name);
		return exit_code(OUT_USAGE);
	}
	o.deadline_ms = monotonic_ms() + (o.wait_ms > 0 ? o.wait_ms : 0);
	if (o.wait_ms >= 0 && row->cmd == CMD_CONTROL &&
	    !any_sd_name(argc - first - 1, argv + first + 1)) {
		/* All at once when the descriptors allow (sv -w's one
		 * bound); past that, in waves sharing the one deadline. */
		size_t room = wait_room((size_t)(argc - first - 1));

		for (i = first + 1; i < argc; i += (int)room)
			worst = worse(worst, wait_wave(row, argv + i,
			    (size_t)(argc - i) < room ? (size_t)(argc - i) :
			    room, &o));
		return exit_code(worst);
	}
	for (i = first + 1; i < argc; i++)
		worst = worse(worst, run_one(row, argv[i], &o));
	return exit_code(worst);
}
