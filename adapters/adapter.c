/*
 * What every backend shares: the model's small helpers. The registry of
 * backends is backends/registry.c.
 */
#include <string.h>

#include "adapter.h"

/*
 * Each backend's name, for what only names it (a comment in a script
 * svx writes): the same as its adapter's (test_tables pins it), here so
 * that naming one needs no backend.
 */
static const char *const backend_names[BACKEND_ALL_COUNT] = {
	[BACKEND_UNKNOWN] = "unknown",
	[BACKEND_DAEMONTOOLS] = "daemontools",
	[BACKEND_ENCORE] = "encore",
	[BACKEND_RUNIT] = "runit",
	[BACKEND_S6] = "s6",
	[BACKEND_SUPERVISORD] = "supervisord",
};

const char *
backend_name(enum svx_backend b)
{
	return (unsigned int)b < BACKEND_ALL_COUNT ? backend_names[b] :
	    "unknown";
}

void
proc_clear(struct svx_proc *proc)
{
	memset(proc, 0, sizeof(*proc));
	proc->state = STATE_UNKNOWN;
	proc->want = WANT_UNKNOWN;
	proc->ready = TRI_UNKNOWN;
	proc->wstat = -1;
}

/*
 * How the last run ended, while no process runs: a running service's
 * record is its previous run's, or s6's initial zero (s6-svstat shows no
 * exit code for an up service either).
 */
int
proc_last_wstat(const struct svx_proc *proc)
{
	return proc->pid != 0 && proc->state != STATE_EXITED ? -1 :
	    proc->wstat;
}

static const unsigned char signal_verbs[VERB_COUNT] = {
	[VERB_PAUSE] = 1, [VERB_CONT] = 1, [VERB_HUP] = 1, [VERB_ALARM] = 1,
	[VERB_INTERRUPT] = 1, [VERB_QUIT] = 1, [VERB_USR1] = 1,
	[VERB_USR2] = 1, [VERB_TERM] = 1, [VERB_KILL] = 1, [VERB_WINCH] = 1,
	[VERB_ABORT] = 1, [VERB_CYCLE] = 1,
};

int
verb_is_signal(enum svx_verb v)
{
	return (unsigned int)v < VERB_COUNT && signal_verbs[v];
}

/* S appended to BUF at *AT, kept terminated; -1 (nothing added) once it
 * would not fit. For requests and scripts built in fixed buffers. */
int
buf_append(char *buf, size_t len, size_t *at, const char *s)
{
	size_t n = strlen(s);

	if (*at + n >= len)
		return -1;
	memcpy(buf + *at, s, n + 1);
	*at += n;
	return 0;
}
