/*
 * runit's sv as a personality: `sv [-v] [-w sec] command service...`, and
 * LSB init-script mode under any other name (/etc/init.d/foo -> svx).
 * Output, wording and exit codes are runit 2.1.2's (Debian 12); see
 * compat-matrix.md for the divergences: `check` compares against the
 * wanted state (runit 2.3.0), `restart`/`term`/`kill` confirm a new pid
 * instead of comparing whole seconds, waits are event-driven instead of
 * polling every 420 ms, a start that dies is a failure at once, and LSB
 * `status` answers for the main service.
 *
 * Phase 1 sends each service its letters (or prints its status); phase 2
 * is the wait engine's (adapters/engine/wait.c), on the goal each command's
 * letters stand for, each outcome printed here as sv prints it.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/dgetopt.h"
#include "../common/output.h"
#include "../common/resolve.h"
#include "../common/tool.h"
#include "compat.h"

#define SV_DEFAULT_SVDIR	"/etc/service/"	/* as Debian builds sv */
#define SV_DEFAULT_WAIT		7
#define SV_MAX_PENDING		1024

/* A state in runsv's own terms, whatever the backend. */
struct sv_view {
	pid_t		 pid;
	int		 state;		/* 0 down, 1 run, 2 finish */
	int		 paused;
	char		 want;		/* 'u' or 'd' */
	int		 got_term;
	struct svx_stamp stamp;
	int		 normally_down;
};

struct sv_pending {
	struct sv_run	*run;		/* the sv command it is in */
	const char	*arg;
	struct svx_service sv;		/* open for the whole wait */
	struct waiter	 w;
	struct wait_job	 job;
};

struct sv_run {
	const char	*progname;
	int		 lsb;
	int		 verbose;
	int64_t		 wait_ms;
	const char	*svdir;
	const struct sv_action *act;
	unsigned int	 rc;
	struct svx_stamp start;		/* wall clock, for `o` */
	int64_t		 deadline;	/* monotonic */
	int		 lsb_status;	/* -1 until status sets it */
	size_t		 room;		/* waiters the descriptors allow */
	size_t		 npending;
	struct sv_pending pending[SV_MAX_PENDING];
};

/* ---- messages: runit's out(), fail(), warn(), ok() ------------------- */

static void
out(const char *prefix, const char *label, const char *msg, int err)
{
	printf("%s%s: %s", prefix, label, msg);
	if (err != 0)
		printf(": %s", djb_error_str(err));
	printf("\n");
	fflush(stdout);
}

static void
fail(struct sv_run *run, const char *label, const char *msg, int err)
{
	run->rc++;
	out("fail: ", label, msg, err);
}

static void
usage(struct sv_run *run)
{
	if (run->lsb)
		fprintf(stderr, "usage: %s [-w sec] command\n\n",
		    run->progname);
	else
		fprintf(stderr, "usage: sv [-v] [-w sec] command service ...\n\n");
	exit(run->lsb ? sv_codes.lsb_usage : sv_codes.usage);
}

/* ---- the state as runsv would have written it ----------------------- */

static void
view_of(const struct svx_service *sv, const struct svx_proc *p,
    struct sv_view *v)
{
	memset(v, 0, sizeof(*v));
	switch (p->state) {
	case STATE_UP:
	case STATE_STOPPING:
	case STATE_EXITED:	/* runsv has not reaped it: still "run" */
		v->state = p->pid != 0 ? 1 : 0;
		v->pid = p->pid;
		break;
	case STATE_FINISHING:
		v->state = 2;
		v->pid = p->helper_pid;
		break;
	default:
		break;
	}
	v->paused = p->paused;
	v->want = p->want == WANT_UP ? 'u' : 'd';
	/* encore's "stopping" is runsv's got-TERM: TERM sent, not dead. */
	v->got_term = p->got_term || p->state == STATE_STOPPING;
	v->stamp = p->since;
	v->normally_down = sv->normally_down;
}

/* runit's status text: "run: NAME: (pid N) Ss, flags" (sv.c). */
static void
status_text(struct text *t, const char *label, const struct sv_view *v)
{
	static const char *const words[] = { "down: ", "run: ", "finish: " };
	int64_t age = now_seconds() - v->stamp.sec;

	text_add(t, "%s%s: ", words[v->state], label);
	if (v->state != 0)
		text_add(t, "(pid %ld) ", (long)v->pid);
	text_add(t, "%llds", (long long)(age < 0 ? 0 : age));
	if (v->pid != 0 && v->normally_down)
		text_puts(t, ", normally down");
	if (v->pid == 0 && !v->normally_down)
		text_puts(t, ", normally up");
	if (v->pid != 0 && v->paused)
		text_puts(t, ", paused");
	if (v->pid == 0 && v->want == 'u')
		text_puts(t, ", want up");
	if (v->pid != 0 && v->want == 'd')
		text_puts(t, ", want down");
	if (v->pid != 0 && v->got_term)
		text_puts(t, ", got TERM");
}

/*
 * runit's svstatus_get(): 1 with V filled, 0 when no supervisor runs
 * (runsv not running), -1 when the state cannot be read; the message is
 * printed here, and counted, as sv does. EXITING: the command's first
 * letter is x, for which a dead supervisor is the goal.
 */
static int
status_get(struct sv_run *run, const char *label, const struct svx_service *sv,
    struct sv_view *v, int exiting)
{
	struct send_context c = { .dir = label, .exiting = exiting };
	enum svx_outcome out;

	if (sv->det.verdict == VERDICT_SUPERVISED && sv->status_ok) {
		view_of(sv, &sv->st.main, v);
		return 1;
	}
	out = compat_say_cannot(&sv_cannot_words, compat_cannot(sv, &c), &c);
	if (out != OUT_OK)
		run->rc++;
	return out == OUT_SYSTEM ? -1 : 0;
}

/* ---- finding a service ---------------------------------------------- */

/*
 * sv looks a name up in SVDIR unless it starts with '/' or '.', or ends
 * with '/' (then it is relative to the cwd). chdir(SVDIR) and chdir(arg)
 * in a row: the same as SVDIR/arg.
 */
static int
sv_path(struct sv_run *run, const char *arg, char *path, size_t len)
{
	size_t n = strlen(arg);

	if (n == 0 || arg[0] == '/' || arg[0] == '.' || arg[n - 1] == '/') {
		if (strlcpy(path, arg, len) < len)
			return 0;
		errno = ENAMETOOLONG;
		return -1;
	}
	if (run->svdir[0] == '\0') {
		path[0] = '\0';	/* chdir("") fails: ENOENT */
		return 0;
	}
	return path_join(path, len, run->svdir, arg);
}

static int
open_service(struct sv_run *run, const char *arg, const char *path,
    struct svx_service *sv)
{
	if (path[0] == '\0')
		errno = ENOENT;
	else if (service_open(AT_FDCWD, path, personality_supervisedir(), sv) == 0)
		return 0;
	fail(run, arg, "unable to change to service directory", errno);
	return -1;
}

/* ---- the status action ---------------------------------------------- */

static void
print_log(struct sv_run *run, const char *arg, const char *path,
    const struct svx_service *sv)
{
	char label[PATH_MAX + 8], buf[1024];
	struct svx_service log;
	struct sv_view v;
	struct text t;

	if (sv->status_ok && sv->st.has_log) {	/* encore's ./log record */
		view_of(sv, &sv->st.log, &v);
		text_init(&t, buf, sizeof(buf));
		status_text(&t, "log", &v);
		printf("; %s\n", buf);
		return;
	}
	if (!service_open_log(sv, path, personality_supervisedir(), &log)) {
		printf("\n");
		return;
	}
	snprintf(label, sizeof(label), "%s/log", arg);
	printf("; ");
	if (status_get(run, label, &log, &v, 0) == 1) {
		text_init(&t, buf, sizeof(buf));
		status_text(&t, "log", &v);
		printf("%s\n", buf);
	}
	service_close(&log);
}

static void
do_status(struct sv_run *run, const char *arg, const char *path,
    struct svx_service *sv)
{
	struct sv_view v;
	char buf[PATH_MAX + 256];
	struct text t;
	int r;

	r = status_get(run, arg, sv, &v, 0);
	if (r == -1 && run->lsb) {
		fflush(stdout);
		exit(sv_codes.lsb_unknown);
	}
	if (r != 1)
		return;
	text_init(&t, buf, sizeof(buf));
	status_text(&t, arg, &v);
	fputs(buf, stdout);
	print_log(run, arg, path, sv);
	fflush(stdout);
	/* LSB: the main service answers, not its log (runit #20). */
	run->lsb_status = v.pid != 0 ? sv_codes.lsb_running :
	    sv_codes.lsb_down;
}

/* ---- sending -------------------------------------------------------- */

static size_t
verbs_of(const char *acts, enum svx_verb *verbs)
{
	const struct letter_row *row;
	size_t n = 0;

	for (; *acts != '\0'; acts++)
		if ((row = map_letter(sv_letters, sv_nletters, *acts)) != NULL)
			verbs[n++] = row->verb;
	return n;
}

/*
 * runit's control(): 1 sent (or filtered), -1 dropped. sv writes nothing
 * when the want byte already matches the first letter, except for `d`
 * without got-TERM (a down service whose ./down file kept it down).
 */
static int
control(struct sv_run *run, const char *arg, const struct svx_service *sv,
    const char *acts)
{
	struct send_context c = { .dir = NULL };
	enum svx_verb verbs[8];
	char sent[SEND_MAX + 1];
	struct sv_view v;
	enum send_result r;
	size_t failed = 0;

	if (status_get(run, arg, sv, &v, acts[0] == 'x') <= 0)
		return -1;
	if (v.want == acts[0] && (acts[0] != 'd' || v.got_term == 1))
		return 1;
	r = service_send_verbs(sv, verbs, verbs_of(acts, verbs), sent,
	    sizeof(sent), &failed);
	if (r == SEND_OK)
		return 1;
	c.err = errno;
	c.dir = arg;
	c.backend = sv->adapter->name;
	c.what = verb_names[verbs[failed]];
	c.exiting = acts[0] == 'x';
	if (compat_say_send(&sv_send_words, r, &c) != OUT_OK)
		run->rc++;
	return -1;
}

/* ---- waiting -------------------------------------------------------- */

static int
waits(struct sv_run *run)
{
	return (run->act->flags & SV_WAITS) || (run->verbose &&
	    !(run->act->flags & SV_STATUS));
}

/*
 * What each command waits for, in the wait engine's goals: sv's check()
 * letters, with runit 2.3.0's `C` (check: the wanted state). A start (u)
 * or a restart (t, k) is a process that stays up the settle window, or
 * whose ./check passes, run the way sv runs it: a service that dies on
 * start is then a failure at once, as native sv finds at its timeout.
 */
static const struct {
	const char	*acts;
	enum wait_goal	 goal;
	unsigned int	 unpaused:1;	/* a `c` after the first letter */
} sv_goals[] = {
	{ "C", GOAL_WANTED, 0 },
	{ "c", GOAL_CONTINUED, 0 },
	{ "d", GOAL_STOPPED, 0 },
	{ "k", GOAL_NEW_OR_DOWN, 0 },
	{ "o", GOAL_ONCE_OVER, 0 },
	{ "p", GOAL_PAUSED, 0 },
	{ "t", GOAL_NEW_OR_DOWN, 0 },
	{ "tc", GOAL_NEW_OR_DOWN, 1 },
	{ "tcu", GOAL_RESTARTED, 1 },
	{ "u", GOAL_UP, 0 },
	{ "x", GOAL_EXITED, 0 },
};

static void
goal_of(struct sv_run *run, const char *acts, struct wait_opts *o)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	o->goal = GOAL_NONE;
	o->need_ready = 1;
	o->settle_ms = WAIT_SETTLE_DEFAULT_MS;
	o->after = run->start;
	for (i = 0; i < sizeof(sv_goals) / sizeof(sv_goals[0]); i++)
		if (strcmp(sv_goals[i].acts, acts) == 0) {
			o->goal = sv_goals[i].goal;
			o->unpaused = sv_goals[i].unpaused;
		}
}

static void
ok_line(struct sv_run *run, struct sv_pending *p)
{
	char buf[PATH_MAX + 256];
	struct sv_view v;
	struct text t;

	if (status_get(run, p->arg, &p->sv, &v, run->act->acts[0] == 'x') != 1)
		return;
	text_init(&t, buf, sizeof(buf));
	status_text(&t, p->arg, &v);
	printf("ok: %s\n", buf);
	fflush(stdout);
}

static void
timed_out(struct sv_run *run, struct sv_pending *p)
{
	char buf[PATH_MAX + 256];
	struct sv_view v;
	struct text t;
	int kill = (run->act->flags & SV_KILL) != 0;

	printf("%s", kill ? "kill: " : "timeout: ");
	if (status_get(run, p->arg, &p->sv, &v, 0) == 1) {
		text_init(&t, buf, sizeof(buf));
		status_text(&t, p->arg, &v);
		printf("%s", buf);
		run->rc++;
	}
	printf("\n");
	fflush(stdout);
	if (kill)
		(void)control(run, p->arg, &p->sv, "k");
}

/* A service's wait is over: said as sv says it. */
static void
done(struct wait_job *j)
{
	struct sv_pending *p = j->ctx;
	struct sv_run *run = p->run;
	struct sv_view v;

	if (j->check_err != 0)
		fprintf(stderr, "warning: unable to run %s/check: %s\n",
		    p->arg, djb_error_str(j->check_err));
	switch (j->rep.result) {
	case WAIT_OK:
		ok_line(run, p);
		break;
	case WAIT_GONE:
		fail(run, p->arg, "unable to change to service directory",
		    ENOENT);
		break;
	case WAIT_SUPERVISOR_DIED:
		(void)status_get(run, p->arg, &p->sv, &v, 0);
		break;
	default:
		/* Timed out, or died on start: what native sv says when its
		 * wait runs out on a service that never stays up. */
		timed_out(run, p);
		break;
	}
}

static void
wait_all(struct sv_run *run)
{
	struct wait_job *jobs[SV_MAX_PENDING];
	struct wait_set set = { .jobs = jobs, .n = run->npending,
	    .deadline = run->deadline, .on_done = done };
	size_t i;

	for (i = 0; i < run->npending; i++) {
		struct sv_pending *p = &run->pending[i];

		p->job.sv = &p->sv;
		p->job.w = &p->w;
		p->job.ctx = p;
		goal_of(run, run->act->acts, &p->job.o);
		jobs[i] = &p->job;
	}
	wait_set_begin(&set);
	if (wait_set_run(&set) == WAIT_ERROR) {
		fprintf(stderr, "fatal: unable to wait: %s\n",
		    djb_error_str(errno));
		exit(run->lsb ? sv_codes.lsb_fatal : sv_codes.fatal);
	}
	for (i = 0; i < run->npending; i++) {
		wait_unsubscribe(&run->pending[i].w);
		service_close(&run->pending[i].sv);
	}
}

/* ---- phase 1 -------------------------------------------------------- */

static struct sv_pending *
new_pending(struct sv_run *run, const char *arg)
{
	struct sv_pending *p;

	if (run->npending >= SV_MAX_PENDING)
		return NULL;
	p = &run->pending[run->npending++];
	memset(p, 0, sizeof(*p));
	p->run = run;
	p->arg = arg;
	return p;
}

/* Subscribe (while the descriptors allow: past that, polled), read. */
static void
pending_base(struct sv_run *run, struct sv_pending *p)
{
	if (run->npending <= run->room)
		wait_subscribe(&p->sv, &p->w);	/* before the command */
	else
		wait_none(&p->w);
	service_refresh(&p->sv);
	wait_base_take(&p->sv, &p->job.base);
}

static void
act_on(struct sv_run *run, const char *arg)
{
	struct svx_service one, *sv = &one;
	struct sv_pending *p = NULL;
	char path[PATH_MAX];
	const char *acts = run->act->acts;
	int r = 1;

	if (sv_path(run, arg, path, sizeof(path)) == -1) {
		fail(run, arg, "unable to change to service directory", errno);
		return;
	}
	if (waits(run) && (p = new_pending(run, arg)) != NULL)
		sv = &p->sv;
	if (open_service(run, arg, path, sv) == -1) {
		if (p != NULL)
			run->npending--;
		return;
	}
	if (!(run->act->flags & SV_STATUS))
		personality_await_supervisor(sv, path, waits(run) ?
		    run->deadline - monotonic_ms() : SCAN_PERIOD_MS);
	if (run->act->flags & SV_STATUS) {
		do_status(run, arg, path, sv);
		service_close(sv);
		return;
	}
	if (p != NULL)
		pending_base(run, p);
	if (strcmp(acts, "C") != 0)
		r = control(run, arg, sv, acts);
	if (r == -1 && p != NULL) {
		wait_unsubscribe(&p->w);
		run->npending--;
	}
	if (p == NULL || r == -1)
		service_close(sv);
}

/* ---- main ----------------------------------------------------------- */

/* runit's scan_ulong: the leading digits, 0 if none. */
static int64_t
leading_number(const char *s)
{
	int64_t n = 0;

	for (; *s >= '0' && *s <= '9' && n < 1000000000; s++)
		n = n * 10 + (*s - '0');
	return n;
}

static int
parse(struct sv_run *run, int argc, char **argv)
{
	struct dgetopt g;
	int c;

	dgetopt_init(&g);
	while ((c = dgetopt(&g, argc, argv, "w:vV")) != DGETOPT_END) {
		switch (c) {
		case 'w':
			run->wait_ms = leading_number(g.arg) * 1000;
			run->verbose = 1;	/* sv.c: no break */
			break;
		case 'v':
			run->verbose = 1;
			break;
		case 'V':
			fprintf(stderr, "$Id: svx %s (sv personality) $\n",
			    SVX_VERSION);
			usage(run);
			break;
		case DGETOPT_NOARG:
			fprintf(stderr, "%s: option requires an argument -- "
			    "%c\n", run->progname, g.opt);
			usage(run);
			break;
		default:
			fprintf(stderr, "%s: illegal option -- %c\n",
			    run->progname, g.opt);
			usage(run);
		}
	}
	return g.ind;
}

static void
record_start(struct sv_run *run)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	run->start.sec = ts.tv_sec;
	run->start.nsec = (uint32_t)ts.tv_nsec;
}

static int
finish(struct sv_run *run)
{
	int rc = run->rc > (unsigned int)sv_codes.max_failures ?
	    sv_codes.max_failures : (int)run->rc;

	if (finish_output() == -1) {
		fprintf(stderr, "fatal: unable to write output: %s\n",
		    djb_error_str(errno));
		return run->lsb ? sv_codes.lsb_fatal : sv_codes.fatal;
	}
	/* Whatever the log line did. */
	if (run->lsb && run->lsb_status != -1)
		return run->lsb_status;
	return rc;
}

int
sv_main(int argc, char **argv)
{
	/* Static: a pending wait per service is too much for the stack. */
	static struct sv_run storage;
	struct sv_run *run = &storage;
	const char *base = strrchr(argv[0], '/'), *x;
	int i, first;

	memset(run, 0, sizeof(*run));
	run->progname = base != NULL ? base + 1 : argv[0];
	run->lsb = strcmp(run->progname, "sv") != 0;
	run->lsb_status = -1;
	run->svdir = (x = getenv("SVDIR")) != NULL ? x : SV_DEFAULT_SVDIR;
	run->wait_ms = ((x = getenv("SVWAIT")) != NULL ? leading_number(x) :
	    SV_DEFAULT_WAIT) * 1000;
	setprogname(run->progname);
	first = parse(run, argc, argv);
	if (first >= argc || (!run->lsb && first + 1 >= argc))
		usage(run);
	if ((run->act = map_sv_action(argv[first], run->lsb)) == NULL)
		usage(run);
	record_start(run);
	run->deadline = monotonic_ms() + run->wait_ms;
	/* Descriptors for every waiter; services past the room are polled
	 * (no subscription), as sv polls them all. */
	run->room = waits(run) ? wait_room((size_t)(argc - first)) : 0;
	if (run->lsb)
		act_on(run, run->progname);
	else
		for (i = first + 1; i < argc; i++)
			act_on(run, argv[i]);
	wait_all(run);
	return finish(run);
}
