/*
 * daemontools-encore 1.11: 20 bytes per process (the 0.76 record, a state
 * byte, a zero byte), 40 when ./log is an executable that supervise runs
 * itself. Written in place (lseek + write) and truncated when supervise
 * starts, so a short read is possible and must be refused
 * (PROTOCOLS.md#encore).
 *
 * The state byte tells whose pid is in the record: ./start while
 * "starting", ./stop while "stopped" (supervise records "stopped" when the
 * service dies and only then forks ./stop: PROTOCOLS.md#encore).
 */
#include <errno.h>

#include "../adapter.h"
#include "djb.h"

#define ENCORE_RECORD_SIZE	20
#define ENCORE_OFF_STATE	18
#define ENCORE_OFF_ZERO		19

enum encore_state {
	ENCORE_STOPPED,
	ENCORE_STARTING,
	ENCORE_STARTED,
	ENCORE_RUNNING,
	ENCORE_STOPPING,
	ENCORE_FAILED,
	ENCORE_NSTATES
};

/* For each encore state: the svx state with and without a live pid. */
static const struct {
	enum svx_state	with_pid;
	enum svx_state	without_pid;
	int		pid_is_helper;
} encore_states[ENCORE_NSTATES] = {
	[ENCORE_STOPPED] = { STATE_FINISHING, STATE_DOWN, 1 },
	[ENCORE_STARTING] = { STATE_STARTING, STATE_STARTING, 1 },
	[ENCORE_STARTED] = { STATE_STARTED, STATE_STARTED, 1 },
	[ENCORE_RUNNING] = { STATE_UP, STATE_DOWN, 0 },
	[ENCORE_STOPPING] = { STATE_STOPPING, STATE_DOWN, 0 },
	[ENCORE_FAILED] = { STATE_FAILED, STATE_FAILED, 1 },
};

static int
unpack_record(const unsigned char *p, struct svx_proc *proc)
{
	unsigned int raw = p[ENCORE_OFF_STATE];

	if (p[ENCORE_OFF_ZERO] != 0 || raw >= ENCORE_NSTATES ||
	    djb_unpack_record(p, proc) == -1)
		return -1;
	proc->raw_state = raw;
	if (proc->pid == 0) {
		proc->state = encore_states[raw].without_pid;
		/* Never started because of ./down: encore leaves "starting". */
		if (proc->state == STATE_STARTING && proc->want == WANT_DOWN)
			proc->state = STATE_DOWN;
		return 0;
	}
	proc->state = encore_states[raw].with_pid;
	if (encore_states[raw].pid_is_helper) {
		proc->helper_pid = proc->pid;
		proc->pid = 0;
	}
	return 0;
}

int
status_unpack_encore(const unsigned char *p, size_t len,
    struct svx_status *st)
{
	st->has_log = 0;
	proc_clear(&st->log);
	if ((len != ENCORE_RECORD_SIZE && len != 2 * ENCORE_RECORD_SIZE) ||
	    unpack_record(p, &st->main) == -1)
		goto bad;
	if (len == 2 * ENCORE_RECORD_SIZE) {
		if (unpack_record(p + ENCORE_RECORD_SIZE, &st->log) == -1)
			goto bad;
		st->has_log = 1;
	}
	st->size = len;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}

/* As daemontools (djb_emulate), addressed to the main process. */
static const char *
encore_emulate(enum svx_verb verb, const struct svx_proc *now,
    int after_down)
{
	(void)after_down;
	if (verb == VERB_ONCE_AT_MOST)
		return now != NULL && now->pid != 0 ? "lo" : "ld";
	return NULL;
}

/*
 * encore's svc always starts with `l` (target the main process): `L`
 * switches the rest of a read batch to the log, and batches from two
 * clients can merge in the FIFO.
 */
const struct svx_adapter adapter_encore = {
	.id = BACKEND_ENCORE,
	.name = "encore",
	.supervisor = "supervise",
	.unpack = status_unpack_encore,
	.alive = alive_by_ok_fifo,
	.ctl = {
		[VERB_UP] = "lu",
		[VERB_DOWN] = "ld",
		[VERB_ONCE] = "lo",
		[VERB_PAUSE] = "lp",
		[VERB_CONT] = "lc",
		[VERB_HUP] = "lh",
		[VERB_ALARM] = "la",
		[VERB_INTERRUPT] = "li",
		[VERB_QUIT] = "lq",
		[VERB_USR1] = "l1",
		[VERB_USR2] = "l2",
		[VERB_TERM] = "lt",
		[VERB_KILL] = "lk",
		[VERB_WINCH] = "lw",
		[VERB_EXIT] = "ldx",
		[VERB_RESTART] = "ltcu",
		[VERB_X_ONLY] = "lx",
		[VERB_CYCLE] = "lt",
	},
	.emulate = encore_emulate,
	.signals_reach_helpers = 1,
};
