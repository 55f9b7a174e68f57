/*
 * The s6 personalities: s6-svc, s6-svstat, s6-svok and s6-svwait as in s6
 * 2.11.3.2 (Debian 12), on every backend. Messages keep skalibs' form,
 * including its doubled ": :" before "unable to" when no errno follows
 * (a skalibs 2.13.1.1 quirk that scripts may match); errno texts are
 * strerror()'s. compat-matrix.md lists the rules on foreign backends and
 * the divergences.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/dgetopt.h"
#include "../common/output.h"
#include "../common/tool.h"
#include "compat.h"

#define S6_MAX_FIELDS	16
#define S6_MAX_LETTERS	62
#define S6_MAX_WAIT	WAIT_MANY_MAX

/*
 * Every message and exit names the tool speaking by its exit map (its
 * name is the map's): s6-svc hands its -w wait to s6-svlisten1, whose
 * name and codes those messages then carry.
 */
static void s6_vdie(const struct exit_map *, int, const char *, va_list)
    __attribute__((format(printf, 3, 0), noreturn));
static void s6_fatal(const struct exit_map *, enum svx_outcome,
    const char *, ...) __attribute__((format(printf, 3, 4), noreturn));
static void s6_failed(const struct exit_map *, unsigned int, const char *,
    ...) __attribute__((format(printf, 3, 4), noreturn));

/* TOOL: fatal: TEXT, and exit CODE. */
static void
s6_vdie(const struct exit_map *tool, int code, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: fatal: ", tool->personality);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	exit(code);
}

/* TOOL: fatal: TEXT, and exit with TOOL's code for OUT. */
static void
s6_fatal(const struct exit_map *tool, enum svx_outcome out, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	s6_vdie(tool, tool->code[out], fmt, ap);
}

/* The end of a wait in which COUNT services failed. */
static void
s6_failed(const struct exit_map *tool, unsigned int count, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	s6_vdie(tool, personality_code(tool, OUT_FALSE, count), fmt, ap);
}

static void
s6_warn(const struct exit_map *tool, const char *msg, const char *dir)
{
	fprintf(stderr, "%s: warning: %s%s\n", tool->personality,
	    dir != NULL ? dir : "", msg);
}

static void
s6_usage(const struct exit_map *tool, const char *text)
{
	fprintf(stderr, "%s: usage: %s\n", tool->personality, text);
	exit(tool->code[OUT_USAGE]);
}

/* skalibs' uint0_scan: the whole string, digits only, < 2^32. */
static int
scan_uint(const char *s, uint32_t *v)
{
	uint64_t n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > UINT32_MAX)
			return -1;
	}
	*v = (uint32_t)n;
	return 0;
}

static int
open_dir(const char *dir, struct svx_service *sv)
{
	return service_open(AT_FDCWD, dir, personality_supervisedir(), sv);
}

/* A supervisor is alive, as s6-svok asks it: any liveness seen. */
static int
alive(const struct svx_service *sv)
{
	const struct svx_evidence *ev = &sv->det.ev;

	return ev->ok.result == 1 || ev->lock.result == 1 ||
	    ev->control.result == 1;
}

/* The errno behind "unable to check DIR", or 0 when there is none. */
static int
check_error(const struct svx_service *sv)
{
	if (sv->det.verdict == VERDICT_ERROR)
		return sv->det.err;
	if (sv->svdir_err != 0 && sv->svdir_err != ENOENT)
		return sv->svdir_err;
	return 0;
}

/* ---- s6-svok ------------------------------------------------------ */

int
s6svok_main(int argc, char **argv)
{
	struct svx_service sv;
	enum svx_outcome out;
	int err;

	if (argc < 2)
		s6_usage(&s6svok_exits, "s6-svok servicedir");
	if (open_dir(argv[1], &sv) == -1) {
		if (errno != ENOENT)
			s6_fatal(&s6svok_exits, OUT_SYSTEM, "unable to check "
			    "%s: %s", argv[1], strerror(errno));
		return personality_exit(&s6svok_exits, OUT_NOT_SUPERVISED);
	}
	if ((err = check_error(&sv)) != 0)
		s6_fatal(&s6svok_exits, OUT_SYSTEM, "unable to check %s: %s",
		    argv[1], strerror(err));
	out = alive(&sv) ? OUT_OK : OUT_NOT_SUPERVISED;
	service_close(&sv);
	return personality_exit(&s6svok_exits, out);
}

/* ---- the state in s6's terms ------------------------------------- */

struct s6_view {
	int		 up;
	pid_t		 pid;
	int		 wantup;
	int		 normallyup;
	int		 paused;
	int		 ready;		/* the raw flag: up ready, or down done */
	int		 wstat;		/* -1: the backend does not record it */
	struct svx_stamp stamp, readystamp;
};

#define S6_RAW_READY	0x08

/*
 * s6 has the bits; elsewhere they are derived: "ready" while down is s6's
 * "down and finish done"; while up, runit's ./check passing (when there is
 * one) stands for readiness, and other backends have none.
 */
static void
s6_view(const struct svx_service *sv, const struct svx_proc *p,
    struct s6_view *v)
{
	memset(v, 0, sizeof(*v));
	/* Not reaped yet (STATE_EXITED): s6-supervise still says up. */
	v->up = (p->state == STATE_UP || p->state == STATE_STOPPING ||
	    p->state == STATE_EXITED) && p->pid != 0;
	v->pid = p->pid;
	v->wantup = p->want == WANT_UP;
	v->normallyup = !sv->normally_down;
	v->paused = p->paused;
	v->wstat = p->wstat;
	v->stamp = p->since;
	if (sv->det.backend == BACKEND_S6) {
		v->ready = (p->raw_state & S6_RAW_READY) != 0;
		v->readystamp = p->ready_since;
		return;
	}
	v->readystamp = p->since;
	if (!v->up)
		v->ready = p->state == STATE_DOWN || p->state == STATE_FAILED;
}

/* floor(now - stamp), now being wall clock plus 500 ns as skalibs has it. */
static uint64_t
seconds_since(const struct svx_stamp *st)
{
	struct timespec ts;
	int64_t ns;

	clock_gettime(CLOCK_REALTIME, &ts);
	ns = ((int64_t)ts.tv_sec - st->sec) * 1000000000 + ts.tv_nsec + 500 -
	    (int64_t)st->nsec;
	return ns < 0 ? 0 : (uint64_t)(ns / 1000000000);
}

static void
add_label(struct text *t, const struct svx_stamp *st)
{
	text_add(t, "@%016llx%08lx", (unsigned long long)tai_label_s6(st->sec),
	    (unsigned long)st->nsec);
}

static int
signalled(int wstat)
{
	return wstat >= 0 && (wstat & 0x7f) != 0 && (wstat & 0x7f) != 0x7f;
}

static void
add_signal_name(struct text *t, int sig)
{
	const char *name = signal_name(sig);

	text_add(t, "%s", name != NULL ? name : "SIG???");
}

/* ---- s6-svstat ---------------------------------------------------- */

static const char svstat_usage[] = "s6-svstat [ -uwNrpest | -o up,wantedup,"
    "normallyup,ready,paused,pid,exitcode,signal,signum,updownsince,"
    "readysince,updownfor,readyfor ] [ -n ] servicedir";

struct svstat_opts {
	enum s6_field_id fields[S6_MAX_FIELDS];
	size_t		 n;
	int		 numeric;
};

static void
add_field(struct svstat_opts *o, enum s6_field_id id)
{
	if (o->n >= S6_MAX_FIELDS)
		s6_fatal(&s6svstat_exits, OUT_USAGE, "too many option fields");
	o->fields[o->n++] = id;
}

static void
parse_fields(struct svstat_opts *o, const char *list)
{
	const struct s6_field *f;
	const char *p = list;
	size_t len;

	while (*p != '\0') {
		len = strcspn(p, ",");
		if (len == 0)
			s6_fatal(&s6svstat_exits, OUT_USAGE, "invalid null option "
			    "field");
		if ((f = map_s6svstat_field(p, len)) == NULL)
			s6_fatal(&s6svstat_exits, OUT_USAGE, "invalid option "
			    "field: %.*s", (int)len, p);
		add_field(o, f->id);
		p += len;
		if (*p == ',')
			p++;
	}
}

static void
legacy_line(struct text *t, const struct s6_view *v, int numeric)
{
	if (v->up)
		text_add(t, "up (pid %ld) ", (long)v->pid);
	else if (v->wstat < 0)
		text_puts(t, "down (exitcode unknown) ");
	else if (signalled(v->wstat)) {
		text_puts(t, "down (signal ");
		if (numeric)
			text_add(t, "%d", v->wstat & 0x7f);
		else
			add_signal_name(t, v->wstat & 0x7f);
		text_puts(t, ") ");
	} else
		text_add(t, "down (exitcode %d) ", (v->wstat >> 8) & 0xff);
	text_add(t, "%llu seconds", (unsigned long long)seconds_since(&v->stamp));
	if (v->up && !v->normallyup)
		text_puts(t, ", normally down");
	if (!v->up && v->normallyup)
		text_puts(t, ", normally up");
	if (v->up && v->paused)
		text_puts(t, ", paused");
	if (!v->up && v->wantup)
		text_puts(t, ", want up");
	if (v->up && !v->wantup)
		text_puts(t, ", want down");
	if (v->ready)
		text_add(t, ", ready %llu seconds",
		    (unsigned long long)seconds_since(&v->readystamp));
}

static const char *
boolean(int b)
{
	return b ? "true" : "false";
}

static void
field_value(struct text *t, enum s6_field_id id, const struct s6_view *v)
{
	int exited = !v->up && v->wstat >= 0 && (v->wstat & 0x7f) == 0;
	int sig = !v->up && signalled(v->wstat) ? v->wstat & 0x7f : 0;

	switch (id) {
	case S6F_UP: text_add(t, "%s", boolean(v->up)); break;
	case S6F_WANTEDUP: text_add(t, "%s", boolean(v->wantup)); break;
	case S6F_NORMALLYUP: text_add(t, "%s", boolean(v->normallyup)); break;
	case S6F_READY: text_add(t, "%s", boolean(v->pid != 0 && v->ready));
		break;
	case S6F_PAUSED: text_add(t, "%s", boolean(v->paused)); break;
	case S6F_PID: text_add(t, "%ld", v->up ? (long)v->pid : -1L); break;
	case S6F_EXITCODE: text_add(t, "%d", exited ? (v->wstat >> 8) & 0xff :
	    -1); break;
	case S6F_SIGNAL:
		if (sig == 0)
			text_puts(t, "NA");
		else
			add_signal_name(t, sig);
		break;
	case S6F_SIGNUM: text_add(t, "%d", sig != 0 ? sig : -1); break;
	case S6F_UPDOWNSINCE: add_label(t, &v->stamp); break;
	case S6F_READYSINCE: add_label(t, &v->readystamp); break;
	case S6F_UPDOWNFOR: text_add(t, "%llu",
	    (unsigned long long)seconds_since(&v->stamp)); break;
	case S6F_READYFOR: text_add(t, "%llu",
	    (unsigned long long)seconds_since(&v->readystamp)); break;
	}
}

static int
svstat_parse(int argc, char **argv, struct svstat_opts *o)
{
	const struct s6_field *f;
	struct dgetopt g;
	int c;

	memset(o, 0, sizeof(*o));
	dgetopt_init(&g);
	while ((c = dgetopt(&g, argc, argv, "no:uwNrpest")) != DGETOPT_END) {
		if (c == 'n')
			o->numeric = 1;
		else if (c == 'o')
			parse_fields(o, g.arg);
		else if (c > 0 && (f = map_s6svstat_letter(c)) != NULL)
			add_field(o, f->id);
		else
			s6_usage(&s6svstat_exits, svstat_usage);
	}
	if (g.ind >= argc)
		s6_usage(&s6svstat_exits, svstat_usage);
	return g.ind;
}

static void
svstat_unreadable(const char *dir, const struct svx_service *sv)
{
	int err = check_error(sv);

	if (err != 0)
		s6_fatal(&s6svstat_exits, OUT_SYSTEM, "unable to check %s: %s",
		    dir, strerror(err));
	if (sv->det.verdict == VERDICT_SUPERVISED)
		s6_fatal(&s6svstat_exits, OUT_SYSTEM, "unable to read status "
		    "for %s: %s", dir, strerror(EPIPE));
	if (sv->det.verdict == VERDICT_AMBIGUOUS)
		s6_fatal(&s6svstat_exits, OUT_SYSTEM, ": unable to read status "
		    "for %s: %s", dir, sv->det.why);
	s6_fatal(&s6svstat_exits, OUT_NOT_SUPERVISED, ": unable to read "
	    "status for %s: s6-supervise not running", dir);
}

int
s6svstat_main(int argc, char **argv)
{
	struct svstat_opts o;
	struct svx_service sv;
	struct s6_view v;
	char buf[1024];
	struct text t;
	const char *dir;
	size_t i;

	dir = argv[svstat_parse(argc, argv, &o)];
	if (open_dir(dir, &sv) == -1) {
		if (errno != ENOENT)
			s6_fatal(&s6svstat_exits, OUT_SYSTEM, "unable to check "
			    "%s: %s", dir, strerror(errno));
		s6_fatal(&s6svstat_exits, OUT_NOT_SUPERVISED, ": unable to "
		    "read status for %s: s6-supervise not running", dir);
	}
	if (sv.det.verdict != VERDICT_SUPERVISED || !sv.status_ok)
		svstat_unreadable(dir, &sv);
	s6_view(&sv, &sv.st.main, &v);
	text_init(&t, buf, sizeof(buf));
	if (o.n == 0)
		legacy_line(&t, &v, o.numeric);
	for (i = 0; i < o.n; i++) {
		if (i > 0)
			text_puts(&t, " ");
		field_value(&t, o.fields[i], &v);
	}
	printf("%s\n", buf);
	service_close(&sv);
	return personality_exit(&s6svstat_exits, OUT_OK);
}

/* ---- waiting: s6-svwait's, also s6-svlisten1's (s6-svc -w) -------- */

/*
 * The wait engine's goals in s6's letters. s6 judges a set at once:
 * with -a, every service must meet the goal at the same moment (a level
 * set); a supervisor that goes away (its `x` event) settles a service,
 * a failure unless its last state met the goal; a permanent failure
 * while waiting for up settles it as one.
 */
static const struct {
	char		 kind;
	enum wait_goal	 goal;
} s6_goals[] = {
	{ 'u', GOAL_UP_EVENT },
	{ 'U', GOAL_UP_READY },
	{ 'd', GOAL_DOWN_EVENT },
	{ 'D', GOAL_DOWN_READY },
	{ 'r', GOAL_CYCLE_EVENT },
	{ 'R', GOAL_CYCLE_READY },
};

static enum wait_goal
s6_goal(char kind)
{
	size_t i;

	for (i = 0; i < sizeof(s6_goals) / sizeof(s6_goals[0]); i++)
		if (s6_goals[i].kind == kind)
			return s6_goals[i].goal;
	return GOAL_UP_EVENT;
}

struct s6_watch {
	struct svx_service sv;
	struct waiter	 w;
	struct wait_job	 job;
};

struct s6_wait {
	const struct exit_map *tool;	/* s6-svwait or s6-svlisten1 */
	struct s6_watch	 watch[S6_MAX_WAIT];
	struct wait_job	*jobs[S6_MAX_WAIT];
	struct wait_set	 set;
	char		 kind;		/* u U d D r R */
	int		 listen1;	/* s6-svlisten1: -r's down with finish */
};

/* Failures: services settled without meeting the goal. */
static unsigned int
failures(const struct s6_wait *sw)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < sw->set.n; i++)
		n += sw->jobs[i]->done && sw->jobs[i]->rep.result != WAIT_OK;
	return n;
}

/* OUT_OK done, OUT_TIMEOUT at the set's deadline (0: none). */
static enum svx_outcome
wait_loop(struct s6_wait *sw)
{
	switch (wait_set_run(&sw->set)) {
	case WAIT_OK:
		return OUT_OK;
	case WAIT_TIMEOUT:
		return OUT_TIMEOUT;
	default:
		s6_fatal(sw->tool, OUT_SYSTEM, "unable to wait: %s",
		    strerror(errno));
	}
}

/* A wait that timed out, or in which services failed, ends here. */
static void
wait_verdict(const struct s6_wait *sw, enum svx_outcome out,
    const char *failure)
{
	if (out == OUT_TIMEOUT)
		s6_fatal(sw->tool, OUT_TIMEOUT, "timed out");
	if (failures(sw) > 0)
		s6_failed(sw->tool, failures(sw), "%s", failure);
}

static int64_t
deadline_after(uint32_t timeout_ms)
{
	return timeout_ms == 0 ? 0 : monotonic_ms() + timeout_ms;
}

/* Subscribe to DIR's events, then read its state (s6-svwait's order). */
static struct s6_watch *
watch_dir(struct s6_wait *sw, const char *dir)
{
	struct s6_watch *w;

	if (sw->set.n >= S6_MAX_WAIT)
		s6_fatal(sw->tool, OUT_USAGE, "too many services");
	w = &sw->watch[sw->set.n];
	memset(w, 0, sizeof(*w));
	if (open_dir(dir, &w->sv) == -1)
		s6_fatal(sw->tool, OUT_SYSTEM, "unable to subscribe to events "
		    "for %s: %s", dir, strerror(errno));
	wait_subscribe(&w->sv, &w->w);
	service_refresh(&w->sv);
	if (w->sv.svfd == -1 || w->sv.det.ev.status_err != 0)
		s6_fatal(sw->tool, OUT_SYSTEM, "unable to s6_svstatus_read: %s",
		    strerror(w->sv.svfd == -1 ? w->sv.svdir_err :
		    w->sv.det.ev.status_err));
	w->job.sv = &w->sv;
	w->job.w = &w->w;
	wait_base_take(&w->sv, &w->job.base);
	w->job.o.goal = s6_goal(sw->kind);
	w->job.o.finish_first = sw->listen1;
	w->job.o.judge_last = 1;
	sw->jobs[sw->set.n++] = &w->job;
	return w;
}

/* The set, its jobs watched: level, to the deadline. */
static void
set_ready(struct s6_wait *sw, int any, int64_t deadline)
{
	sw->set.jobs = sw->jobs;
	sw->set.level = 1;
	sw->set.any = any != 0;
	sw->set.deadline = deadline;
	wait_set_begin(&sw->set);
}

static void
unwatch_all(struct s6_wait *sw)
{
	size_t i;

	for (i = 0; i < sw->set.n; i++) {
		wait_unsubscribe(&sw->watch[i].w);
		service_close(&sw->watch[i].sv);
	}
}

/* ---- s6-svwait ---------------------------------------------------- */

static const char svwait_usage[] = "s6-svwait [ -U | -u | -d | -D | -r | -R ]"
    " [ -a | -o ] [ -t timeout ] servicedir...";

/* The options into SW; *ANY for -o; the first directory's index. */
static int
svwait_parse(int argc, char **argv, struct s6_wait *sw, int *any,
    uint32_t *timeout)
{
	struct dgetopt g;
	int c;

	dgetopt_init(&g);
	while ((c = dgetopt(&g, argc, argv, "UudDrRaot:")) != DGETOPT_END) {
		if (c > 0 && strchr("UudDrR", c) != NULL)
			sw->kind = (char)c;
		else if (c == 'a' || c == 'o')
			*any = c == 'o';
		else if (c == 't' && scan_uint(g.arg, timeout) == 0)
			continue;
		else
			s6_usage(sw->tool, svwait_usage);
	}
	if (g.ind >= argc)
		s6_usage(sw->tool, svwait_usage);
	return g.ind;
}

int
s6svwait_main(int argc, char **argv)
{
	/* Static: a watch per service is too much for the stack. */
	static struct s6_wait sw;
	uint32_t timeout = 0;
	int i, first, any = 0;
	enum svx_outcome out;

	memset(&sw, 0, sizeof(sw));
	sw.tool = &s6svwait_exits;
	sw.kind = 'u';
	first = svwait_parse(argc, argv, &sw, &any, &timeout);
	if (wait_room((size_t)(argc - first)) < (size_t)(argc - first))
		s6_fatal(sw.tool, OUT_USAGE, "too many services");
	for (i = first; i < argc; i++)
		(void)watch_dir(&sw, argv[i]);
	set_ready(&sw, any, deadline_after(timeout));
	out = wait_loop(&sw);
	unwatch_all(&sw);
	wait_verdict(&sw, out, "some services reported permanent failure or "
	    "their supervisor died");
	return personality_exit(sw.tool, OUT_OK);
}

/* ---- s6-svc ------------------------------------------------------- */

static const char svc_usage[] = "s6-svc [ -wu | -wU | -wd | -wD | -wr | -wR ]"
    " [ -T timeout ] [ -abqhkti12pcyroduDUxOQ ] servicedir";

struct svc_opts {
	char		 letters[S6_MAX_LETTERS + 1];
	size_t		 n;
	char		 wait;		/* 0, or u U d D r R */
	uint32_t	 timeout;
};

static int
svc_parse(int argc, char **argv, struct svc_opts *o)
{
	struct dgetopt g;
	int c;

	memset(o, 0, sizeof(*o));
	dgetopt_init(&g);
	while ((c = dgetopt(&g, argc, argv, "abqhkti12pcyroduDUxOQT:w:")) !=
	    DGETOPT_END) {
		if (c == 'w' && g.arg[0] != '\0' && strchr("dDuUrR",
		    g.arg[0]) != NULL)
			o->wait = g.arg[0];
		else if (c == 'T' && scan_uint(g.arg, &o->timeout) == 0)
			continue;
		else if (c > 0 && c != 'w' && c != 'T') {
			if (o->n >= S6_MAX_LETTERS)
				s6_fatal(&s6svc_exits, OUT_USAGE, "too many "
				    "commands");
			o->letters[o->n++] = (char)c;
		} else
			s6_usage(&s6svc_exits, svc_usage);
	}
	if (g.ind >= argc)
		s6_usage(&s6svc_exits, svc_usage);
	if (g.ind + 1 < argc)
		s6_warn(&s6svc_exits, "ignoring extra arguments", NULL);
	if (argv[g.ind][0] == '\0')
		s6_fatal(&s6svc_exits, OUT_USAGE, "invalid service path");
	return g.ind;
}

/*
 * Why nothing can be sent to DIR, in the order s6-svc meets it: the
 * supervise directory, an error opening it, then its control FIFO.
 */
static enum cannot_reason
svc_cannot_reason(const struct svx_service *sv, struct send_context *c)
{
	c->err = check_error(sv);
	c->why = sv->det.why;
	if (sv->svdir_err == ENOTDIR)
		return CANNOT_SVDIR_NOT_DIR;
	if (c->err != 0)
		return CANNOT_ERROR;
	if (sv->det.verdict == VERDICT_AMBIGUOUS)
		return CANNOT_AMBIGUOUS;
	if (sv->svfd != -1 && !(sv->det.ev.files & EV_CONTROL) &&
	    sv->det.verdict != VERDICT_SUPERVISED)
		return CANNOT_NO_CONTROL;
	return CANNOT_NOT_RUNNING;
}

/* Say so, as s6-svc words it, and exit with its code. */
static void
svc_cannot(const char *dir, const struct svx_service *sv)
{
	struct send_context c = { .dir = dir };
	enum cannot_reason r = svc_cannot_reason(sv, &c);

	exit(s6svc_cannot_words.exits->code[compat_say_cannot(
	    &s6svc_cannot_words, r, &c)]);
}

/* ./down, created or removed as D, U and Q ask, before the letters go. */
static void
svc_down_files(const struct svc_opts *o, const struct svx_service *sv,
    const char *dir)
{
	const struct s6_letter *l;
	size_t i;

	for (i = 0; i < o->n; i++) {
		l = map_s6svc_letter(o->letters[i]);
		if (l->down_file != 0 &&
		    service_down_file(sv, l->down_file > 0) == -1)
			s6_fatal(&s6svc_exits, OUT_SYSTEM, "unable to %s %s/down: "
			    "%s",
			    l->down_file > 0 ? "create" : "remove", dir,
			    strerror(errno));
	}
}

static void
svc_send(const char *dir, const struct svx_service *sv,
    const struct svc_opts *o)
{
	struct send_context c = { .dir = NULL };
	enum svx_verb verbs[S6_MAX_LETTERS];
	char sent[S6_MAX_LETTERS * 4 + 1], what[3] = "-?";
	size_t n, failed = 0;
	enum send_result r;

	if (sv->det.verdict != VERDICT_SUPERVISED)
		svc_cannot(dir, sv);
	if (o->n == 0)
		return;
	for (n = 0; n < o->n; n++)
		verbs[n] = map_s6svc_letter(o->letters[n])->verb;
	/* Everything must be possible before anything changes. */
	r = service_letters(sv, verbs, n, sent, sizeof(sent), &failed);
	if (r == SEND_OK) {
		svc_down_files(o, sv, dir);
		r = service_send_verbs(sv, verbs, n, sent, sizeof(sent),
		    &failed);
	}
	if (r == SEND_OK)
		return;
	c.err = errno;
	c.dir = dir;
	c.backend = sv->adapter->name;
	c.what = what;
	what[1] = o->letters[failed];
	exit(s6svc_send_words.exits->code[compat_say_send(&s6svc_send_words, r,
	    &c)]);
}

/*
 * -wU and -wR need readiness notification; without ./notification-fd s6
 * would never report it, so s6-svc downgrades them, with a warning.
 */
static void
svc_downgrade(const char *dir, const struct svx_service *sv,
    struct svc_opts *o)
{
	char path[PATH_MAX + 32];

	if (o->wait != 'U' && o->wait != 'R')
		return;
	/* A ./check is readiness there, as the wait engine takes it. */
	if (sv->det.backend != BACKEND_S6 && wait_has_check(sv))
		return;
	snprintf(path, sizeof(path), "%s/notification-fd", dir);
	if (access(path, F_OK) == 0)
		return;
	if (errno != ENOENT)
		s6_fatal(&s6svc_exits, OUT_SYSTEM, "unable to access %s: %s",
		    path, strerror(errno));
	s6_warn(&s6svc_exits, "/notification-fd not present - ignoring "
	    "request for readiness notification", dir);
	o->wait = o->wait == 'U' ? 'u' : 'r';
}

/*
 * s6-svc -w: subscribe, read, send, wait (s6-svlisten1 -X). The wait
 * speaks as s6-svlisten1, the command as s6-svc.
 */
static void
svc_wait(const char *dir, const struct svc_opts *o, int64_t deadline_ms)
{
	/* Static: a watch per service is too much for the stack. */
	static struct s6_wait sw;
	char failure[PATH_MAX + 64];
	struct s6_watch *w;
	enum svx_outcome out = OUT_OK;
	int already;

	memset(&sw, 0, sizeof(sw));
	sw.tool = &s6svlisten1_exits;
	sw.kind = o->wait;
	sw.listen1 = 1;
	w = watch_dir(&sw, dir);
	set_ready(&sw, 0, deadline_ms);
	/* s6-svlisten1 judges the state it read before the command went:
	 * already there, it returns once the command is sent. */
	already = wait_set_step(&sw.set);
	svc_send(dir, &w->sv, o);
	if (!already)
		out = wait_loop(&sw);
	unwatch_all(&sw);
	snprintf(failure, sizeof(failure), "%s failed permanently or its "
	    "supervisor died", dir);
	wait_verdict(&sw, out, failure);
}

int
s6svc_main(int argc, char **argv)
{
	struct svx_service sv;
	struct svc_opts o;
	const char *dir;
	int64_t deadline;

	dir = argv[svc_parse(argc, argv, &o)];
	if (open_dir(dir, &sv) == -1)
		s6_fatal(&s6svc_exits, OUT_SYSTEM, "unable to control %s: %s",
		    dir, strerror(errno));
	/* One bound (-T) for the supervisor to appear and the wait. */
	deadline = o.wait != 0 ? deadline_after(o.timeout) : 0;
	personality_await_supervisor(&sv, dir, deadline != 0 ?
	    (int64_t)o.timeout : SCAN_PERIOD_MS);
	if (o.wait != 0) {
		svc_downgrade(dir, &sv, &o);
		service_close(&sv);
		svc_wait(dir, &o, deadline);
		return personality_exit(&s6svc_exits, OUT_OK);
	}
	svc_send(dir, &sv, &o);
	service_close(&sv);
	return personality_exit(&s6svc_exits, OUT_OK);
}
