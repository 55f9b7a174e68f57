/*
 * One verb on one service, or on many with one wait: open it, send, wait,
 * and word the result as svx does. svx's CLI and svx migrate use it.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../adapters/engine/scanner.h"
#include "../common/fields.h"
#include "../common/output.h"
#include "../common/report.h"
#include "../common/resolve.h"
#include "../supervisord/sd_shim.h"
#include "control.h"

#define STARTING_MS	1000	/* a starting supervisor's first status */
/* Commands still unread after a wait this long: the supervisor is
 * stopped or hung (supervise's pause after a start is a second). */
#define UNREAD_IS_HUNG_MS	2000

/*
 * A service of a backend without directories that could not be asked,
 * or whose supervisor said no: told in its source's own words (which
 * socket, which fault), by its backend.
 */
static enum svx_outcome (*const source_words[BACKEND_ALL_COUNT])(
    const char *, const struct svx_service *) = {
	[BACKEND_SUPERVISORD] = sd_report_service,
};

static enum svx_outcome
report_source(const char *name, const struct svx_service *sv)
{
	return source_words[sv->adapter->id](name, sv);
}

/* A service that is not up for commands: why, in its backend's words. */
static enum svx_outcome
report_not_controllable(const char *name, const struct svx_service *sv)
{
	return service_source(sv) != NULL ? report_source(name, sv) :
	    report_verdict(name, sv);
}


static void
load_log(const struct svx_service *sv, const char *path,
    const struct control_opts *o, struct svx_service *log, int *has_log)
{
	*has_log = service_open_log(sv, path, o->supervisedir, log);
}

/*
 * -o: the fields, always one line, even for a service whose state could
 * not be read (its fields say unknown); the exit code tells as usual.
 */
static enum svx_outcome
status_fields_line(const char *name, const struct svx_service *sv,
    const struct control_opts *o)
{
	char buf[PATH_MAX + 512];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	format_fields(&t, o->fields, o->nfields, name, sv, now_seconds());
	fputs(buf, stdout);
	return map_status_outcome(sv->det.verdict, sv->status_ok);
}

static enum svx_outcome
do_status(const char *name, const char *path, struct svx_service *sv,
    const struct control_opts *o)
{
	struct svx_service log;
	char buf[PATH_MAX + 512];
	struct text t;
	int has_log;
	enum svx_outcome out;

	if (o->nfields > 0)
		return status_fields_line(name, sv, o);
	if (sv->det.verdict != VERDICT_SUPERVISED &&
	    (sv->det.verdict != VERDICT_UNSUPERVISED ||
	    service_source(sv) != NULL))
		return report_not_controllable(name, sv);
	if (sv->det.verdict == VERDICT_SUPERVISED && !sv->status_ok) {
		report_error(name, "status file unreadable: %s", sv->det.why);
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
    const struct control_opts *o)
{
	struct svx_service log;
	int has_log;

	/* A source has no files to show: its status line is the evidence. */
	if (service_source(sv) != NULL)
		return do_status(name, path, sv, o);
	load_log(sv, path, o, &log, &has_log);
	print_probe(stdout, name, path, sv, has_log ? &log : NULL);
	if (has_log)
		service_close(&log);
	/* probe tells the evidence, read or not: the verdict decides. */
	return verdict_outcomes[sv->det.verdict];
}

static enum svx_outcome
report_send(const char *name, const struct svx_service *sv,
    const struct verb_row *row, enum send_result r, const char *bytes,
    const struct control_opts *o)
{
	if (r == SEND_OK) {
		if (o->verbose)
			printf("%s: sent \"%s\" to %s (%s)\n", name, bytes,
			    sv->adapter->supervisor, sv->adapter->name);
		return OUT_OK;
	}
	if (r == SEND_REFUSED)
		return report_source(name, sv);
	if (r == SEND_UNSUPPORTED)
		report_error(name, "%s cannot %s: %s %s; nothing sent",
		    sv->adapter->name, row->name, sv->adapter->supervisor,
		    svx_cannot_why[service_source(sv) != NULL]);
	else if (r == SEND_ERROR && (errno == EACCES || errno == EPERM))
		report_error(name, "permission denied: cannot write to "
		    "supervise/control; %s", perms_denied_hint);
	else if (r == SEND_ERROR)
		report_error(name, "cannot write to supervise/control: %s",
		    strerror(errno));
	else
		report_error(name, "%s", send_rows[r].message);
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
	/* A source's own word for it (supervisord's BACKOFF, FATAL). */
	if (sv->native_state != NULL)
		text_add(t, " [%s]", sv->native_state);
}

/* The end of a wait, as one line naming the service. */
static enum svx_outcome
report_wait(const char *name, const struct svx_service *sv,
    enum wait_goal goal, const struct wait_report *rep,
    const struct control_opts *o)
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
		report_error(name, "%s", buf);
		return OUT_FALSE;
	case WAIT_SUPERVISOR_DIED:
		report_error(name, "supervisor died while waiting for %s",
		    goal_names[goal]);
		return OUT_NOT_SUPERVISED;
	case WAIT_GONE:
		report_error(name, "service directory removed while waiting for "
		    "%s", goal_names[goal]);
		return OUT_SYSTEM;
	case WAIT_MOVED:
		report_error(name, "service directory or its supervise/ renamed "
		    "while waiting for %s", goal_names[goal]);
		return OUT_SYSTEM;
	case WAIT_TIMEOUT:
		/* Up but never ready: say so, the state line cannot. */
		text_add(&t, "timed out after %lld ms waiting for %s; now ",
		    (long long)o->wait_ms, rep->unready && (goal == GOAL_UP ||
		    goal == GOAL_RESTARTED) ? "readiness" : goal_names[goal]);
		last_state(&t, sv, rep);
		/* Within a short bound an unread command is no sign of
		 * trouble: supervise reads nothing in the second after each
		 * start (PROTOCOLS.md#daemontools). */
		if ((unread = ctl_unread(sv->svfd)) > 0)
			text_add(&t, "; the supervisor has not read %d byte%s "
			    "of commands%s", unread, unread == 1 ? "" : "s",
			    o->wait_ms >= UNREAD_IS_HUNG_MS ?
			    ": stopped or hung" : " yet");
		report_error(name, "%s", buf);
		return OUT_TIMEOUT;
	default:
		report_error(name, "cannot wait: %s", strerror(errno));
		return OUT_SYSTEM;
	}
}

/*
 * --kill-on-timeout: a service that did not stop within the bound gets
 * SIGKILL, and J is waited for once more, as long again. 1 when that
 * second wait ran (J's report is now its), else 0.
 */
static int
kill_and_wait_again(const char *name, struct wait_job *j,
    const struct control_opts *o)
{
	const char *bytes;

	static const unsigned char down_goals[] = {
		[GOAL_DOWN] = 1, [GOAL_NOT_UP] = 1, [GOAL_EXITED] = 1,
		[GOAL_DOWN_EVENT] = 1, [GOAL_DOWN_READY] = 1,
	};

	if (!o->kill_on_timeout || j->rep.result != WAIT_TIMEOUT ||
	    (size_t)j->o.goal >= sizeof(down_goals) || !down_goals[j->o.goal])
		return 0;
	if (wait_subscribe(j->sv, j->w) == -1)
		return 0;
	service_refresh(j->sv);
	wait_base_take(j->sv, &j->base);
	if (service_send(j->sv, VERB_KILL, &bytes) != SEND_OK) {
		wait_unsubscribe(j->w);
		return 0;
	}
	report_error(name, "not down after %lld ms: sent SIGKILL",
	    (long long)o->wait_ms);
	memset(&j->rep, 0, sizeof(j->rep));
	j->grace = 0;
	j->polled = j->done = j->settled = j->check_err = j->asked = 0;
	wait_run_many(&j, 1, monotonic_ms() + (o->wait_ms > 0 ? o->wait_ms :
	    0));
	wait_unsubscribe(j->w);
	return 1;
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
    const struct verb_row *row, const struct control_opts *o,
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
		*out = report_not_controllable(name, sv);
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
waited(const char *name, struct wait_job *j, const struct control_opts *o)
{
	enum svx_outcome out;

	wait_unsubscribe(j->w);
	/* A source's call that failed ends the wait: its words. */
	if (service_source(j->sv) != NULL &&
	    j->sv->det.verdict != VERDICT_SUPERVISED)
		return report_source(name, j->sv);
	if (kill_and_wait_again(name, j, o) && service_source(j->sv) !=
	    NULL && j->sv->det.verdict != VERDICT_SUPERVISED)
		return report_source(name, j->sv);
	out = report_wait(name, j->sv, j->o.goal, &j->rep, o);
	return out;
}

/*
 * exit's goal, no supervisor left, already holds; unless the supervisor
 * was killed and its service runs on, orphaned (PROTOCOLS.md#stale-status):
 * then a new supervisor would start a second copy, and the user must know.
 */
static enum svx_outcome
exit_without_supervisor(const char *name, const struct svx_service *sv,
    const struct control_opts *o)
{
	if (sv->status_ok && sv->st.main.pid != 0 &&
	    process_running(sv->st.main.pid)) {
		report_error(name, "supervisor not running, but its service "
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
    const struct control_opts *o)
{
	int64_t start = monotonic_ms();
	int kicked;

	/* Past the bound (-w covers the whole command), nothing to wait
	 * for: not even a kick, whose inotify teardown costs 10-20 ms. */
	if (o->wait_ms < 0 || sv->det.verdict != VERDICT_UNSUPERVISED ||
	    o->deadline_ms <= start)
		return -1;
	/* Negative: wait only when a scanner watches the parent; with none,
	 * nothing will come, and saying so at once beats a long timeout. */
	if (wait_supervisor(sv, path, o->supervisedir,
	    -(o->deadline_ms - start), &kicked) == -1)
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
 * it takes commands a moment later. Wait for that, within what is left
 * of the -w bound (-w 0, or none: STARTING_MS), rather than answer "not
 * supervised".
 */
static void
finish_starting(const char *path, struct svx_service *sv,
    const struct control_opts *o)
{
	int64_t left = o->wait_ms > 0 ? o->deadline_ms - monotonic_ms() :
	    STARTING_MS;
	int kicked;

	if (sv->det.verdict != VERDICT_SUPERVISED || !sv->det.starting)
		return;
	(void)wait_supervisor(sv, path, o->supervisedir, left > 0 ? left : 0,
	    &kicked);
}

/*
 * The checks before a command, and the command. 1: sent, and the wait is
 * J's; 0: done, *OUT saying how.
 */
static int
control_begin(const char *name, const char *path, struct svx_service *sv,
    const struct verb_row *row, const struct control_opts *o,
    struct wait_job *j, enum svx_outcome *out)
{
	const char *bytes;
	enum send_result r;

	if (service_source(sv) != NULL &&
	    sv->det.verdict != VERDICT_SUPERVISED) {
		*out = report_source(name, sv);
		return 0;
	}
	if (row->verb != VERB_EXIT)
		(void)await_supervisor(name, path, sv, o);
	finish_starting(path, sv, o);
	if (sv->det.verdict == VERDICT_UNSUPERVISED) {
		if (row->verb == VERB_EXIT)
			*out = exit_without_supervisor(name, sv, o);
		else {
			report_error(name, "supervisor not running (%s)",
			    sv->det.why);
			*out = OUT_NOT_SUPERVISED;
		}
		return 0;
	}
	if (sv->det.verdict != VERDICT_SUPERVISED) {
		*out = report_verdict(name, sv);
		return 0;
	}
	if (o->wait_ms >= 0) {
		j->path = path;		/* NULL for a source's */
		return send_for_wait(name, sv, row, o, j, out);
	}
	r = service_send(sv, row->verb, &bytes);
	*out = report_send(name, sv, row, r, bytes, o);
	return 0;
}

static enum svx_outcome
do_control(const char *name, const char *path, struct svx_service *sv,
    const struct verb_row *row, const struct control_opts *o)
{
	struct waiter w;
	struct wait_job j = { .w = &w }, *jp = &j;
	enum svx_outcome out;

	if (!control_begin(name, path, sv, row, o, &j, &out))
		return out;
	wait_run_many(&jp, 1, o->deadline_ms);
	return waited(name, &j, o);
}

enum svx_outcome
outcome_worse(enum svx_outcome a, enum svx_outcome b)
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
    const struct verb_row *row, const struct control_opts *o)
{
	char logname[PATH_MAX + 8], logpath[PATH_MAX + 8];
	struct svx_service log;
	enum svx_outcome out = OUT_OK;

	if (path == NULL ||
	    !service_open_log(sv, path, o->supervisedir, &log))
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

/*
 * NAME opened into SV: a service of a backend without directories
 * (supervisord:web: its calls bounded by -w's deadline), or a directory
 * found as $SVDIR says, its path into PATH. 0; -1 with the cause told,
 * *OUT its outcome.
 */
static int
open_named(const char *name, const struct control_opts *o, char *path,
    size_t len, struct svx_service *sv, enum svx_outcome *out)
{
	const struct svx_adapter *named = service_named_backend(name);

	path[0] = '\0';
	if (named != NULL) {
		if (service_open_named(named, name, o->wait_ms > 0 ?
		    o->deadline_ms : 0, sv) == 0)
			return 0;
		*out = report_open_error(name, errno, 0);
		return -1;
	}
	if (resolve_service(name, o->svdir, path, len) == -1) {
		*out = report_open_error(name, errno, !is_path_argument(name));
		return -1;
	}
	if (service_open(AT_FDCWD, path, o->supervisedir, sv) == -1) {
		*out = report_open_error(name, errno, 0);
		(void)report_migration_path(name, path);
		return -1;
	}
	return 0;
}

/* The path to act on: PATH, or NULL for a source's service. */
static const char *
path_of(const struct svx_service *sv, const char *path)
{
	return service_source(sv) != NULL ? NULL : path;
}

enum svx_outcome
control_one(const struct verb_row *row, const char *name,
    const struct control_opts *o)
{
	struct svx_service sv;
	char buf[PATH_MAX];
	const char *path;
	enum svx_outcome out;

	if (open_named(name, o, buf, sizeof(buf), &sv, &out) == -1)
		return out;
	path = path_of(&sv, buf);
	if (path != NULL && (row->cmd == CMD_PROBE || row->cmd == CMD_STATUS))
		(void)report_migration_path(name, path);
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
			out = outcome_worse(out, exit_log(name, path, &sv, row, o));
		break;
	}
	service_close(&sv);
	return out;
}

/*
 * One verb on one service (a path, or a name such as supervisord:web), as
 * `svx -w SECS --settle MS VERB PATH` does it (its messages included;
 * -v's lines when VERBOSE): svx migrate's commands.
 */
enum svx_outcome
svx_run_verb(const char *path, enum svx_verb verb, int64_t wait_ms,
    int64_t settle_ms, int verbose)
{
	struct control_opts o;
	const struct verb_row *row = map_svx_verb(verb_names[verb]);

	memset(&o, 0, sizeof(o));
	o.verbose = verbose;
	o.wait_ms = wait_ms;
	o.settle_ms = settle_ms;
	o.deadline_ms = monotonic_ms() + (wait_ms > 0 ? wait_ms : 0);
	return row != NULL ? control_one(row, path, &o) : OUT_USAGE;
}

/*
 * Several services with a wait: every command sent first, then one wait
 * for all of them to one bound, as sv -w does (not a bound a service).
 */
struct wave {
	struct svx_service sv[WAIT_MANY_MAX];
	struct waiter	 w[WAIT_MANY_MAX];
	struct wait_job	 job[WAIT_MANY_MAX];
	const char	*name[WAIT_MANY_MAX];
	char		 path[WAIT_MANY_MAX][PATH_MAX];
	const char	*where[WAIT_MANY_MAX];	/* path, or NULL: a source's */
	enum svx_outcome out[WAIT_MANY_MAX];
	int		 open[WAIT_MANY_MAX], queued[WAIT_MANY_MAX];
};

/* Service I of WAVE named NAME: opened, and its command sent. */
static void
wave_start(struct wave *wave, size_t i, const char *name,
    const struct verb_row *row, const struct control_opts *o)
{
	enum svx_outcome out = OUT_OK;

	wave->name[i] = name;
	wave->open[i] = wave->queued[i] = 0;
	wave->job[i] = (struct wait_job){ .w = &wave->w[i] };
	if (open_named(name, o, wave->path[i], PATH_MAX, &wave->sv[i],
	    &out) == 0) {
		wave->where[i] = path_of(&wave->sv[i], wave->path[i]);
		wave->open[i] = 1;
		wave->queued[i] = control_begin(name, wave->where[i],
		    &wave->sv[i], row, o, &wave->job[i], &out);
	}
	wave->out[i] = out;
}

/* Service I of WAVE, its wait over: its outcome, and it closed. */
static enum svx_outcome
wave_finish(struct wave *wave, size_t i, const struct verb_row *row,
    const struct control_opts *o)
{
	enum svx_outcome out = wave->out[i];

	if (wave->queued[i])
		out = waited(wave->name[i], &wave->job[i], o);
	if (wave->open[i] && row->verb == VERB_EXIT &&
	    svx_exits.code[out] < svx_exits.code[OUT_FALSE])
		out = outcome_worse(out, exit_log(wave->name[i],
		    wave->where[i], &wave->sv[i], row, o));
	if (wave->open[i])
		service_close(&wave->sv[i]);
	return out;
}

enum svx_outcome
control_wave(const struct verb_row *row, char **names, size_t n,
    const struct control_opts *o)
{
	/* Static: WAIT_MANY_MAX services and their paths (over 1 MB) are
	 * too much for the stack. */
	static struct wave wave;
	enum svx_outcome worst = OUT_OK;
	struct wait_job *queue[WAIT_MANY_MAX] = { NULL };
	size_t i, k = 0;

	if (n > WAIT_MANY_MAX)	/* callers pass wait_room()'s share */
		n = WAIT_MANY_MAX;
	for (i = 0; i < n; i++)
		wave_start(&wave, i, names[i], row, o);
	for (i = 0; i < n; i++)
		if (wave.queued[i])
			queue[k++] = &wave.job[i];
	wait_run_many(queue, k, o->deadline_ms);
	for (i = 0; i < n; i++)
		worst = outcome_worse(worst, wave_finish(&wave, i, row, o));
	return worst;
}
