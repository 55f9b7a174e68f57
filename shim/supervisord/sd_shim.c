/*
 * svx VERB supervisord:NAME (or supervisord:GROUP:NAME): programs of
 * Python's supervisord, through its XML-RPC (adapters/supervisord/supervisord.c).
 * The status line is svx's, with supervisord's own state word after it:
 *
 *   supervisord:web: supervisord up (pid 123) 3m 4s [RUNNING]
 *
 * Waits poll getProcessInfo (supervisord pushes no events to a client
 * that is not an event listener), every POLL_MS, to the same bound as
 * every svx wait. up means RUNNING: supervisord's own startsecs has
 * passed, its readiness.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/output.h"
#include "../list/listing.h"
#include "../list/listing.h"
#include "sd_shim.h"

#define POLL_MS		20

const char *
sd_program_name(const char *arg)
{
	return arg + sizeof(SVX_SD_PREFIX) - 1;
}

int
sd_is_name(const char *arg)
{
	return strncmp(arg, SVX_SD_PREFIX, sizeof(SVX_SD_PREFIX) - 1) == 0;
}

static const struct sd_state_row *
state_row(int code)
{
	size_t i;

	for (i = 0; i < sd_nstates; i++)
		if (sd_states[i].code == code)
			return &sd_states[i];
	return &sd_states[sd_nstates - 1];	/* UNKNOWN */
}

static const struct sd_fault_row *
fault_row(int code)
{
	size_t i;

	for (i = 0; i < sd_nfaults; i++)
		if (sd_faults[i].code == code)
			return &sd_faults[i];
	return NULL;
}

/* One line naming the program and the cause; the outcome it stands for. */
enum svx_outcome
sd_report(const char *arg, const struct sd_conn *c, enum sd_result r)
{
	const struct sd_fault_row *f;
	enum svx_outcome out = OUT_SYSTEM;
	char buf[512];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	text_name(&t, arg);
	text_puts(&t, ": ");
	if (r == SD_FAULT) {
		f = fault_row(c->fault_code);
		text_add(&t, "%s (supervisord fault %d: %s)", f != NULL &&
		    f->message != NULL ? f->message : "refused", c->fault_code,
		    c->fault_string);
		if (f != NULL)
			out = f->outcome;
	} else if (r > SD_OK && r <= SD_PROTOCOL) {
		text_puts(&t, sd_results[r].before);
		text_puts(&t, c->socket);
		text_puts(&t, sd_results[r].after);
		out = sd_results[r].outcome;
	}
	fprintf(stderr, "%s: %s\n", getprogname(), buf);
	return out;
}

/* A fault that means the goal already holds (started, not running). */
static int
goal_holds(const struct sd_conn *c, enum sd_result r)
{
	const struct sd_fault_row *f;

	return r == SD_FAULT && (f = fault_row(c->fault_code)) != NULL &&
	    f->outcome == OUT_OK && f->message == NULL;
}

static void
format_line(struct text *t, const char *arg, const struct sd_proc *p)
{
	const struct sd_state_row *row = state_row(p->state);
	int64_t since = row->state == STATE_UP || row->state ==
	    STATE_STARTING ? p->start : p->stop;

	text_name(t, arg);
	text_puts(t, ": supervisord ");
	text_puts(t, state_names[row->state]);
	if (p->pid != 0)
		text_add(t, " (pid %ld)", (long)p->pid);
	if (since > 0 && p->now >= since) {
		text_puts(t, " ");
		format_duration(t, p->now - since);
	}
	if (row->state != STATE_UP && p->stop > 0 && p->exitstatus != 0)
		text_add(t, ", exit %d", p->exitstatus);
	text_add(t, " [%s]", p->statename);
	if (p->spawnerr[0] != '\0') {
		text_puts(t, "; ");
		text_name(t, p->spawnerr);
	}
}

static enum svx_outcome
sd_status(const char *arg, struct sd_conn *c)
{
	struct sd_proc p;
	enum sd_result r;
	char buf[1024];
	struct text t;

	if ((r = sd_process_info(c, sd_program_name(arg), &p)) != SD_OK)
		return sd_report(arg, c, r);
	text_init(&t, buf, sizeof(buf));
	format_line(&t, arg, &p);
	puts(buf);
	return OUT_OK;
}

/* up: RUNNING; down: not running; a start that gave up: a failure. */
static int
reached(const struct sd_proc *p, enum sd_action a)
{
	if (a == SDA_STOP)
		return p->state == SD_STOPPED || p->state == SD_EXITED ||
		    p->state == SD_FATAL;
	return p->state == SD_RUNNING;
}

static enum svx_outcome
sd_wait(const char *arg, struct sd_conn *c, enum sd_action a,
    int64_t deadline)
{
	const struct timespec tick = { 0, POLL_MS * 1000000L };
	struct sd_proc p;
	enum sd_result r;
	char buf[1024];
	struct text t;

	for (;;) {
		if ((r = sd_process_info(c, sd_program_name(arg), &p)) !=
		    SD_OK)
			return sd_report(arg, c, r);
		if (reached(&p, a))
			return OUT_OK;
		if (a != SDA_STOP && p.state == SD_FATAL)
			break;
		if (monotonic_ms() >= deadline)
			break;
		nanosleep(&tick, NULL);
	}
	text_init(&t, buf, sizeof(buf));
	text_puts(&t, p.state == SD_FATAL ? "permanent failure; now " :
	    "timed out; now ");
	format_line(&t, arg, &p);
	fprintf(stderr, "%s: %s\n", getprogname(), buf);
	return OUT_FALSE;
}

static enum sd_result
act(struct sd_conn *c, const char *name, const struct sd_verb_row *v)
{
	switch (v->action) {
	case SDA_START:
		return sd_start(c, name);
	case SDA_STOP:
		return sd_stop(c, name);
	case SDA_RESTART:
		/* stopProcess was asked not to wait: startProcess would find
		 * it STOPPING. restart waits for the stop in sd_control. */
		return sd_stop(c, name);
	default:
		return sd_signal(c, name, v->signame);
	}
}

static enum svx_outcome
sd_control(const char *arg, struct sd_conn *c, enum svx_verb verb,
    int64_t wait_ms, int64_t deadline)
{
	const struct sd_verb_row *v = &sd_verbs[verb];
	const char *name = sd_program_name(arg);
	enum svx_outcome out;
	enum sd_result r;

	if (v->action == SDA_NONE) {
		fprintf(stderr, "%s: %s: supervisord cannot do %s; nothing "
		    "sent\n", getprogname(), arg, verb_names[verb]);
		return OUT_UNSUPPORTED;
	}
	r = act(c, name, v);
	if (r != SD_OK && !goal_holds(c, r))
		return sd_report(arg, c, r);
	if (v->action == SDA_RESTART) {
		/* The stop, then the start: to the one bound (or a step's
		 * worth without -w, as supervisorctl restart waits too). */
		if (wait_ms < 0)
			deadline = monotonic_ms() + c->timeout_ms;
		if ((out = sd_wait(arg, c, SDA_STOP, deadline)) != OUT_OK)
			return out;
		r = sd_start(c, name);
		if (r != SD_OK && !goal_holds(c, r))
			return sd_report(arg, c, r);
	}
	if (wait_ms < 0 || v->action == SDA_SIGNAL)
		return OUT_OK;
	/* restart's stop needs no wait: startProcess waits for nothing. */
	return sd_wait(arg, c, v->action == SDA_STOP ? SDA_STOP : SDA_START,
	    deadline);
}

/*
 * With a bound (-w N, N > 0), every XML-RPC call gets what is left of
 * DEADLINE, the command's: five programs behind a socket that never
 * answers cost N seconds in all, not 5 s a call. Without one, a call
 * gets DEFAULT_TIMEOUT_MS.
 */
enum svx_outcome
sd_run_until(const char *arg, enum svx_command cmd, enum svx_verb verb,
    int64_t wait_ms, int64_t deadline)
{
	struct sd_conn c;

	memset(&c, 0, sizeof(c));
	if (sd_find_socket(&c) == -1) {
		fprintf(stderr, "%s: %s: no supervisord socket path fits\n",
		    getprogname(), arg);
		return OUT_SYSTEM;
	}
	if (wait_ms > 0)
		c.deadline_ms = deadline;
	if (cmd == CMD_STATUS || cmd == CMD_PROBE)
		return sd_status(arg, &c);
	return sd_control(arg, &c, verb, wait_ms, deadline);
}

enum svx_outcome
sd_run(const char *arg, enum svx_command cmd, enum svx_verb verb,
    int64_t wait_ms)
{
	return sd_run_until(arg, cmd, verb, wait_ms, monotonic_ms() +
	    (wait_ms > 0 ? wait_ms : 0));
}

/* ---- status --all ---------------------------------------------------- */

/* A program as a listing row: the formats then treat it as any other. */
static void
as_probe(const struct sd_proc *sp, const char *name, struct batch_probe *p)
{
	const struct sd_state_row *row = state_row(sp->state);
	struct svx_proc *m = &p->st.main;

	memset(p, 0, sizeof(*p));
	p->name = name;
	p->parentfd = -1;
	p->log_of = -1;
	p->live_fd = p->status_fd = -1;
	p->foreign = "supervisord";
	p->native_state = sp->statename;
	p->foreign_flapping = sp->state == SD_BACKOFF;
	p->det.verdict = VERDICT_SUPERVISED;
	p->det.backend = BACKEND_UNKNOWN;
	p->det.why = "supervisord";
	p->supervisor = SUP_RUNNING;
	p->status_ok = 1;
	proc_clear(m);
	m->state = row->state;
	m->want = row->want;
	m->pid = sp->pid;
	m->since.sec = row->state == STATE_UP || row->state == STATE_STARTING ?
	    sp->start : sp->stop;
	/* exitstatus is an exit code; supervisord does not say "killed". */
	m->wstat = row->state != STATE_UP && sp->stop > 0 ?
	    (sp->exitstatus & 0xff) << 8 : -1;
}

static struct {
	struct sd_proc	 procs[SD_PROCS_MAX];
	char		 names[SD_PROCS_MAX][2 * SD_NAME_MAX + 16];
	size_t		 n;
	struct sd_conn	 c;
	enum sd_result	 r;
	int		 there;		/* a socket file, so a supervisord */
} all;

/*
 * supervisord's programs, asked for before the table starts (their names
 * count in its first column's width): every program once, named as svx
 * takes it (supervisord:NAME, or GROUP:NAME in a group). No socket file,
 * no supervisord: nothing to list, nothing said. The widest name.
 */
size_t
sd_fetch(const struct listing_opts *o)
{
	size_t i, w, widest = 0;

	memset(&all.c, 0, sizeof(all.c));
	all.n = 0;
	all.there = sd_find_socket(&all.c) == 0 &&
	    access(all.c.socket, F_OK) == 0;
	if (!all.there)
		return 0;
	all.r = sd_all_process_info(&all.c, all.procs, SD_PROCS_MAX, &all.n);
	for (i = 0; i < all.n; i++) {
		const struct sd_proc *sp = &all.procs[i];

		if (strcmp(sp->group, sp->name) == 0 || sp->group[0] == '\0')
			snprintf(all.names[i], sizeof(all.names[i]),
			    SVX_SD_PREFIX "%s", sp->name);
		else
			snprintf(all.names[i], sizeof(all.names[i]),
			    SVX_SD_PREFIX "%s:%s", sp->group, sp->name);
		if (listing_name_matches(o, all.names[i]) &&
		    (w = name_width(all.names[i])) > widest)
			widest = w;
	}
	return widest;
}

void
sd_listing(struct listing *l)
{
	struct batch_probe p;
	size_t i;

	if (!all.there)
		return;
	if (all.r != SD_OK) {
		(void)sd_report("supervisord", &all.c, all.r);
		if (all.r == SD_DENIED)
			l->denied = 1;
		if (svx_exits.code[OUT_SYSTEM] > svx_exits.code[l->worst])
			l->worst = OUT_SYSTEM;
		return;
	}
	l->headings = 1;	/* its rows under a line naming the socket */
	for (i = 0; i < all.n; i++) {
		if (!listing_name_matches(l->opts, all.names[i]))
			continue;
		as_probe(&all.procs[i], all.names[i], &p);
		listing_row(l, all.c.socket, &p, NULL);
	}
}

/*
 * A named program as a row of `svx status NAME...`: then every format
 * (lines, -o, JSON) treats it as a service directory's.
 */
void
sd_named_row(struct listing *l, const char *arg)
{
	static struct sd_proc sp;
	struct batch_probe p;
	struct sd_conn c;
	enum sd_result r;
	enum svx_outcome out;

	memset(&c, 0, sizeof(c));
	if (sd_find_socket(&c) == -1)
		r = SD_NO_SOCKET;
	else
		r = sd_process_info(&c, sd_program_name(arg), &sp);
	if (r != SD_OK) {
		fflush(l->out);
		out = sd_report(arg, &c, r);
		if (svx_exits.code[out] > svx_exits.code[l->worst])
			l->worst = out;
		return;
	}
	as_probe(&sp, arg, &p);
	listing_named_row(l, arg, &p, NULL);
}
