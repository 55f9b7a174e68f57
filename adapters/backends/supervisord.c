/*
 * supervisord as a backend: its programs have no service directory, no
 * status file and no control FIFO, so it has no letters and no unpacker.
 * A program is named supervisord:NAME (or supervisord:GROUP:NAME); its
 * state is asked of supervisord and its verbs are calls to it, over the
 * XML-RPC client of adapters/supervisord/, through sd_source (the
 * interface of model.h). PROTOCOLS.md#supervisord.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "supervisord.h"

const struct svx_adapter adapter_supervisord = {
	.id = BACKEND_SUPERVISORD,
	.name = "supervisord",
	.supervisor = "supervisord",
	.source = &sd_source,
};

/* supervisorctl's verbs; restart is two calls (stop_then_start). */
const struct sd_verb_row sd_verbs[VERB_COUNT] = {
	[VERB_UP] = { SDA_START, NULL, "startProcess" },
	[VERB_DOWN] = { SDA_STOP, NULL, "stopProcess" },
	[VERB_RESTART] = { SDA_RESTART, NULL, "stopProcess, startProcess" },
	[VERB_PAUSE] = { SDA_SIGNAL, "STOP", "signalProcess STOP" },
	[VERB_CONT] = { SDA_SIGNAL, "CONT", "signalProcess CONT" },
	[VERB_HUP] = { SDA_SIGNAL, "HUP", "signalProcess HUP" },
	[VERB_ALARM] = { SDA_SIGNAL, "ALRM", "signalProcess ALRM" },
	[VERB_INTERRUPT] = { SDA_SIGNAL, "INT", "signalProcess INT" },
	[VERB_QUIT] = { SDA_SIGNAL, "QUIT", "signalProcess QUIT" },
	[VERB_USR1] = { SDA_SIGNAL, "USR1", "signalProcess USR1" },
	[VERB_USR2] = { SDA_SIGNAL, "USR2", "signalProcess USR2" },
	[VERB_TERM] = { SDA_SIGNAL, "TERM", "signalProcess TERM" },
	[VERB_KILL] = { SDA_SIGNAL, "KILL", "signalProcess KILL" },
	[VERB_WINCH] = { SDA_SIGNAL, "WINCH", "signalProcess WINCH" },
	[VERB_ABORT] = { SDA_SIGNAL, "ABRT", "signalProcess ABRT" },
};

/*
 * supervisord's states in svx's terms. RUNNING is up: supervisord calls
 * a program RUNNING once it has stayed up startsecs, its readiness, so
 * STARTING and BACKOFF (a start being retried) are not up yet. EXITED
 * ended on its own and wants nothing; FATAL gave up starting, a failure
 * for good.
 */
static const struct {
	int		 code;		/* enum sd_state */
	enum svx_state	 state;
	enum svx_want	 want;
	/* Its exitstatus is the last death's: not after a start that
	 * ended before startsecs, which reads 0 whatever it returned. */
	unsigned int	 exit_kept:1;
	/* No process, and none coming unless asked: a stop is over. */
	unsigned int	 stopped:1;
	/* Since its last start (a process runs, or is being started or
	 * stopped), else since its last stop. */
	unsigned int	 since_start:1;
} sd_states[] = {
	{ SD_STOPPED, STATE_DOWN, WANT_DOWN, 1, 1, 0 },
	{ SD_STARTING, STATE_STARTING, WANT_UP, 1, 0, 1 },
	{ SD_RUNNING, STATE_UP, WANT_UP, 1, 0, 1 },
	{ SD_BACKOFF, STATE_STARTING, WANT_UP, 0, 0, 1 },
	{ SD_STOPPING, STATE_STOPPING, WANT_DOWN, 1, 0, 1 },
	{ SD_EXITED, STATE_DOWN, WANT_UNKNOWN, 1, 1, 0 },
	{ SD_FATAL, STATE_FAILED, WANT_UP, 0, 1, 0 },
	{ SD_UNKNOWN, STATE_UNKNOWN, WANT_UNKNOWN, 0, 0, 0 },	/* any other */
};
#define SD_NSTATES	(sizeof(sd_states) / sizeof(sd_states[0]))

static size_t
state_row(int code)
{
	size_t i;

	for (i = 0; i < SD_NSTATES - 1 && sd_states[i].code != code; i++)
		;
	return i;
}

void
sd_proc_unpack(const struct sd_proc *sp, struct svx_proc *m)
{
	size_t i = state_row(sp->state);

	proc_clear(m);
	m->state = sd_states[i].state;
	m->want = sd_states[i].want;
	m->pid = sp->pid;
	/* Whole seconds: supervisord's getProcessInfo has no finer ones. */
	m->since.sec = sd_states[i].since_start ? sp->start : sp->stop;
	/* exitstatus is an exit code, or -1 for a death by a signal,
	 * which it does not name (its log does): then unknown. */
	m->wstat = m->state != STATE_UP && sp->stop > 0 &&
	    sd_states[i].exit_kept && sp->exitstatus >= 0 ?
	    (sp->exitstatus & 0xff) << 8 : -1;
}

/* How a failed call leaves the service: nobody there, or unreadable. */
static const enum svx_verdict sd_verdicts[SD_PROTOCOL + 1] = {
	[SD_OK] = VERDICT_SUPERVISED,
	[SD_NO_SOCKET] = VERDICT_UNSUPERVISED,
	[SD_DENIED] = VERDICT_ERROR,
	[SD_NOT_LISTENING] = VERDICT_UNSUPERVISED,
	[SD_TIMEOUT] = VERDICT_ERROR,
	[SD_FAULT] = VERDICT_ERROR,
	[SD_SOCKET_PATH] = VERDICT_ERROR,
	[SD_PROTOCOL] = VERDICT_ERROR,
};

void
sd_service_take(struct svx_service *sv, enum sd_result r,
    const struct sd_proc *p)
{
	struct sd_target *t = sv->source_arg;

	if (t == NULL)
		return;
	t->result = r;
	if (r == SD_OK)
		t->proc = *p;
	sv->det.verdict = sd_verdicts[t->result];
	sv->status_ok = t->result == SD_OK;
	if (sv->status_ok)
		sd_proc_unpack(&t->proc, &sv->st.main);
	sv->native_state = sv->status_ok ? t->proc.statename : NULL;
}

static void
sd_refresh(struct svx_service *sv)
{
	struct sd_target *t = sv->source_arg;
	struct sd_proc p;

	if (t == NULL)		/* a listed row: nothing to ask again */
		return;
	sd_service_take(sv, sd_process_info(t->conn, t->name, &p), &p);
}

/* SV as T's program, not asked yet. */
static void
sd_service_open_as(struct svx_service *sv, struct sd_target *t)
{
	memset(sv, 0, sizeof(*sv));
	sv->dirfd = sv->svfd = -1;
	sv->det.backend = BACKEND_SUPERVISORD;
	sv->det.why = "supervisord";
	sv->adapter = &adapter_supervisord;
	sv->source_arg = t;
}

void
sd_service_open(struct svx_service *sv, struct sd_target *t)
{
	sd_service_open_as(sv, t);
	sd_refresh(sv);
}

/*
 * A program named on the command line: its connection and its last
 * answer, together for as long as the service is open. One allocation
 * of ~2 KB a program a command, never on a directory's path.
 */
struct sd_opened {
	struct sd_target t;
	struct sd_conn	 conn;
	char		 name[2 * SD_NAME_MAX];
};

static int
sd_open(struct svx_service *sv, const char *name, int64_t deadline_ms)
{
	struct sd_opened *o;

	if (strlen(name) >= sizeof(o->name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return -1;
	o->conn.deadline_ms = deadline_ms;
	strlcpy(o->name, name, sizeof(o->name));
	o->t.conn = &o->conn;
	o->t.name = o->name;
	o->t.opened = 1;
	if (sd_find_socket(&o->conn) == 0) {
		sd_service_open(sv, &o->t);
		return 0;
	}
	/* A socket path too long to reach: read as a failed call, so
	 * it is worded as every command words it. */
	sd_service_open_as(sv, &o->t);
	sd_service_take(sv, SD_SOCKET_PATH, NULL);
	return 0;
}

static void
sd_close(struct svx_service *sv)
{
	struct sd_target *t = sv->source_arg;

	if (t != NULL && t->opened)
		free(t);	/* the first member of its struct sd_opened */
	sv->source_arg = NULL;
}

/* A call's answer; a fault that means the goal holds is none. */
static enum sd_result
settled(const struct sd_conn *c, enum sd_result r, int holds)
{
	return r == SD_FAULT && c->fault_code == holds ? SD_OK : r;
}

/*
 * restart: stopProcess, then startProcess once the program is down, as
 * supervisorctl restart does it: nothing is started while the old
 * process still runs. The stop is asked not to wait, and the program is
 * asked after it every SD_POLL_MS, to the command's bound (or a call's
 * worth without one), so a slow stop is told as such: SD_STILL_STOPPING,
 * its last state in T, rather than as a silent socket.
 */
static enum sd_result
stop_then_start(struct sd_target *t)
{
	const struct timespec poll = { 0, SD_POLL_MS * 1000000L };
	int64_t deadline = t->conn->deadline_ms > 0 ? t->conn->deadline_ms :
	    monotonic_ms() + t->conn->timeout_ms;
	struct sd_proc now;
	enum sd_result r;
	int seen = 0;

	r = settled(t->conn, sd_stop(t->conn, t->name), SD_FAULT_NOT_RUNNING);
	while (r == SD_OK) {
		r = sd_process_info(t->conn, t->name, &now);
		/* The bound ran out during a call, after it was seen
		 * stopping: still stopping, as last seen (T's), not a
		 * supervisord that does not answer. */
		if (r == SD_TIMEOUT && seen && monotonic_ms() >= deadline)
			return SD_STILL_STOPPING;
		if (r != SD_OK)
			break;
		t->proc = now;
		seen = 1;
		if (sd_states[state_row(now.state)].stopped)
			break;
		if (monotonic_ms() + SD_POLL_MS >= deadline)
			return SD_STILL_STOPPING;
		nanosleep(&poll, NULL);
	}
	if (r != SD_OK)
		return r;
	return settled(t->conn, sd_start(t->conn, t->name),
	    SD_FAULT_ALREADY_STARTED);
}

static enum sd_result
sd_act(struct sd_target *t, const struct sd_verb_row *v)
{
	switch (v->action) {
	case SDA_START:
		return settled(t->conn, sd_start(t->conn, t->name),
		    SD_FAULT_ALREADY_STARTED);
	case SDA_STOP:
		return settled(t->conn, sd_stop(t->conn, t->name),
		    SD_FAULT_NOT_RUNNING);
	case SDA_RESTART:
		return stop_then_start(t);
	default:
		/* Nothing runs to be signalled: as a letter to a down
		 * service, nothing to do. */
		return settled(t->conn, sd_signal(t->conn, t->name,
		    v->signame), SD_FAULT_NOT_RUNNING);
	}
}

static enum send_result
sd_send(const struct svx_service *sv, enum svx_verb verb, const char **what)
{
	struct sd_target *t = sv->source_arg;
	const struct sd_verb_row *v = &sd_verbs[verb];

	if (v->action == SDA_NONE)
		return SEND_UNSUPPORTED;
	*what = v->what;
	t->result = sd_act(t, v);
	return t->result == SD_OK ? SEND_OK : SEND_REFUSED;
}

const struct svx_source sd_source = {
	.prefix = SD_NAME_PREFIX,
	.open = sd_open,
	.refresh = sd_refresh,
	.send = sd_send,
	.close = sd_close,
	.poll_ms = SD_POLL_MS,
	/* RUNNING comes once startsecs has passed: its own settle. */
	.up_is_ready = 1,
};
