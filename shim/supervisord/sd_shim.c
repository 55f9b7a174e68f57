/*
 * svx VERB supervisord:NAME (or supervisord:GROUP:NAME): programs of
 * Python's supervisord, through its XML-RPC (adapters/supervisord/supervisord.c).
 * The status line is svx's, with supervisord's own state word after it:
 *
 *   supervisord:web: supervisord up (pid 123) 3m 4s [RUNNING]
 *
 * Waits are the engine's (adapters/engine/wait.c), as every svx wait: a
 * program is a service whose state is asked with getProcessInfo every
 * SD_POLL_MS (supervisord pushes no events to a client that is not an
 * event listener), judged by the same goals, to the same bound. This file
 * only says which goal, and words the end. up means RUNNING:
 * supervisord's own startsecs has passed, its readiness.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../adapters/engine/wait.h"
#include "../common/output.h"
#include "../list/listing.h"
#include "sd_shim.h"

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
	struct svx_proc m;
	int64_t since;

	sd_proc_unpack(p, &m);
	since = m.since.sec;
	text_name(t, arg);
	text_puts(t, ": supervisord ");
	text_puts(t, state_names[m.state]);
	if (p->pid != 0)
		text_add(t, " (pid %ld)", (long)p->pid);
	/* supervisord's clock, not ours: its "now" came with the record. */
	if (since > 0 && p->now >= since) {
		text_puts(t, " ");
		format_duration(t, p->now - since);
	}
	if (m.state != STATE_UP && p->stop > 0 && p->exitstatus != 0)
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

/*
 * How a wait that did not meet its goal ends, in the line's first words;
 * the program's last state follows. The goals are the engine's own
 * (wait.c judges supervisord's states as svx's, sd_proc_unpack): up is
 * RUNNING, FATAL a failure for good; down is STOPPED, EXITED or FATAL.
 */
static const char *const wait_words[WAIT_ERROR + 1] = {
	[WAIT_TIMEOUT] = "timed out",
	[WAIT_DIED] = "died during start",
	[WAIT_FAILED] = "permanent failure",
};

static enum svx_outcome
sd_waited(const char *arg, const struct sd_target *t,
    const struct wait_report *rep)
{
	char buf[1024];
	struct text line;

	/* A call that failed ends the wait: its words, as any call's. */
	if (t->result != SD_OK)
		return sd_report(arg, t->conn, t->result);
	if (rep->result == WAIT_OK)
		return OUT_OK;
	if (rep->result < 0 || wait_words[rep->result] == NULL) {
		fprintf(stderr, "%s: %s: cannot wait: %s\n", getprogname(), arg,
		    strerror(errno));
		return OUT_SYSTEM;
	}
	text_init(&line, buf, sizeof(buf));
	text_puts(&line, wait_words[rep->result]);
	text_puts(&line, "; now ");
	format_line(&line, arg, &t->proc);
	fprintf(stderr, "%s: %s\n", getprogname(), buf);
	return OUT_FALSE;
}

/*
 * The wait after a command, by the engine, to DEADLINE. supervisord's
 * calls change the state before they answer (startProcess leaves the
 * program STARTING, stopProcess STOPPING), so the state read after the
 * command is the base, and a FATAL seen later is this start's. There is
 * nothing to subscribe to: the engine asks every SD_POLL_MS.
 */
static enum svx_outcome
sd_wait(const char *arg, struct sd_conn *c, enum wait_goal goal,
    int64_t deadline)
{
	struct sd_target t = { .conn = c, .name = sd_program_name(arg) };
	struct svx_service sv;
	struct waiter w;
	struct wait_job j = { .sv = &sv, .w = &w, .o = { .goal = goal } };
	struct wait_job *jp = &j;

	sd_service_open(&sv, &t);
	if (t.result != SD_OK)
		return sd_report(arg, c, t.result);
	wait_subscribe(&sv, &w);
	wait_base_take(&sv, &j.base);
	wait_run_many(&jp, 1, deadline);
	wait_unsubscribe(&w);
	return sd_waited(arg, &t, &j.rep);
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

/* What a verb's wait is for; restart's stop is waited for on its own. */
static const enum wait_goal sd_goals[] = {
	[SDA_NONE] = GOAL_NONE,
	[SDA_START] = GOAL_UP,
	[SDA_STOP] = GOAL_DOWN,
	[SDA_RESTART] = GOAL_UP,
	[SDA_SIGNAL] = GOAL_NONE,
};

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
		if ((out = sd_wait(arg, c, GOAL_DOWN, deadline)) != OUT_OK)
			return out;
		r = sd_start(c, name);
		if (r != SD_OK && !goal_holds(c, r))
			return sd_report(arg, c, r);
	}
	if (wait_ms < 0 || sd_goals[v->action] == GOAL_NONE)
		return OUT_OK;
	return sd_wait(arg, c, sd_goals[v->action], deadline);
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

	memset(p, 0, sizeof(*p));
	p->name = name;
	p->parentfd = -1;
	p->log_of = -1;
	p->live_fd = p->status_fd = -1;
	p->native_state = sp->statename;
	p->said_flapping = sp->state == SD_BACKOFF;
	p->det.verdict = VERDICT_SUPERVISED;
	p->det.backend = BACKEND_SUPERVISORD;
	p->det.why = "supervisord";
	p->supervisor = SUP_RUNNING;
	p->status_ok = 1;
	sd_proc_unpack(sp, &p->st.main);
}

/* supervisord's programs as status --all lists them (sd_fetch). */
struct sd_programs {
	struct sd_proc	 procs[SD_PROCS_MAX];
	char		 names[SD_PROCS_MAX][2 * SD_NAME_MAX + 16];
	size_t		 n;
	struct sd_conn	 c;
	enum sd_result	 r;
};

/*
 * supervisord's programs, asked for before the table starts (their names
 * count in its first column's width): every program once, named as svx
 * takes it (supervisord:NAME, or GROUP:NAME in a group). No socket file,
 * no supervisord: NULL, nothing to list, nothing said. *WIDEST: the
 * widest name O's patterns match. The answer is kept in one static
 * place (~190 KB, not for a stack) until the next call.
 */
const struct sd_programs *
sd_fetch(const struct listing_opts *o, size_t *widest)
{
	static struct sd_programs all;
	size_t i, w;

	*widest = 0;
	memset(&all.c, 0, sizeof(all.c));
	all.n = 0;
	if (sd_find_socket(&all.c) != 0 || access(all.c.socket, F_OK) != 0)
		return NULL;
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
		    (w = name_width(all.names[i])) > *widest)
			*widest = w;
	}
	return &all;
}

void
sd_listing(const struct sd_programs *all, struct listing *l)
{
	struct batch_probe p;
	size_t i;

	if (all == NULL)
		return;
	if (all->r != SD_OK) {
		(void)sd_report("supervisord", &all->c, all->r);
		if (all->r == SD_DENIED)
			l->denied = 1;
		if (svx_exits.code[OUT_SYSTEM] > svx_exits.code[l->worst])
			l->worst = OUT_SYSTEM;
		return;
	}
	l->headings = 1;	/* its rows under a line naming the socket */
	for (i = 0; i < all->n; i++) {
		if (!listing_name_matches(l->opts, all->names[i]))
			continue;
		as_probe(&all->procs[i], all->names[i], &p);
		listing_row(l, all->c.socket, &p, NULL);
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
