/*
 * runit 2.x (runsv): supervise/status is 20 bytes through status.new +
 * rename, next to the text files `stat` and `pid` (PROTOCOLS.md#runit).
 * While ./finish runs, the pid field holds the finish script's pid
 * (PROTOCOLS.md#finish-scripts). `o` and `x` are recorded as want 'd', so
 * "once" cannot be told from "down".
 */
#include <errno.h>

#include "../adapter.h"
#include "../bytes.h"

#define RUNIT_STATUS_SIZE	20
#define RUNIT_OFF_STAMP		0
#define RUNIT_OFF_PID		12
#define RUNIT_OFF_PAUSED	16
#define RUNIT_OFF_WANT		17
#define RUNIT_OFF_GOT_TERM	18
#define RUNIT_OFF_STATE		19

enum runit_state { RUNIT_DOWN, RUNIT_RUN, RUNIT_FINISH, RUNIT_NSTATES };

static int
want_from_byte(unsigned char c, enum svx_want *want)
{
	if (c == 'u')
		*want = WANT_UP;
	else if (c == 'd')
		*want = WANT_DOWN;
	else
		return -1;
	return 0;
}

int
status_unpack_runit(const unsigned char *p, size_t len, struct svx_status *st)
{
	struct svx_proc *proc = &st->main;
	unsigned int raw;

	st->has_log = 0;
	proc_clear(&st->log);
	proc_clear(proc);
	if (len != RUNIT_STATUS_SIZE || p[RUNIT_OFF_STAMP] != 0x40 ||
	    p[RUNIT_OFF_PAUSED] > 1 || p[RUNIT_OFF_GOT_TERM] > 1 ||
	    p[RUNIT_OFF_STATE] >= RUNIT_NSTATES ||
	    want_from_byte(p[RUNIT_OFF_WANT], &proc->want) == -1)
		goto bad;
	raw = p[RUNIT_OFF_STATE];
	proc->raw_state = raw;
	tai_unpack_djb(p + RUNIT_OFF_STAMP, &proc->since);
	proc->pid = (pid_t)get_le32(p + RUNIT_OFF_PID);
	if (proc->pid < 0)
		goto bad;
	proc->paused = p[RUNIT_OFF_PAUSED];
	proc->got_term = p[RUNIT_OFF_GOT_TERM];
	if (raw == RUNIT_FINISH) {
		proc->state = STATE_FINISHING;
		proc->helper_pid = proc->pid;
		proc->pid = 0;
	} else if (raw == RUNIT_RUN && proc->pid != 0)
		proc->state = STATE_UP;
	else
		proc->state = STATE_DOWN;
	st->size = RUNIT_STATUS_SIZE;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}

/*
 * runsv's `x` stops the service before it exits, so "exit but leave the
 * service running" is only the same thing when the service is down, or
 * when a `d` goes just before it (the `svc -dx` idiom). runsv's `o` on a
 * running service only sets want down: s6's "once at most".
 */
static const char *
runit_emulate(enum svx_verb verb, const struct svx_proc *now, int after_down)
{
	int running = now != NULL && now->pid != 0;

	if (verb == VERB_X_ONLY && (after_down || (now != NULL &&
	    now->state == STATE_DOWN)))
		return "x";
	if (verb == VERB_ONCE_AT_MOST)
		return running ? "o" : "d";
	return NULL;
}

/*
 * runsv's own `x` stops the service (TERM, CONT, ./finish) before exiting,
 * unlike the other supervisors (PROTOCOLS.md#control-letters). WINCH has no
 * letter in runsv.
 */
const struct svx_adapter adapter_runit = {
	.id = BACKEND_RUNIT,
	.name = "runit",
	.supervisor = "runsv",
	.unpack = status_unpack_runit,
	.alive = alive_by_ok_fifo,
	.ctl = {
		[VERB_UP] = "u",
		[VERB_DOWN] = "d",
		[VERB_ONCE] = "o",
		[VERB_PAUSE] = "p",
		[VERB_CONT] = "c",
		[VERB_HUP] = "h",
		[VERB_ALARM] = "a",
		[VERB_INTERRUPT] = "i",
		[VERB_QUIT] = "q",
		[VERB_USR1] = "1",
		[VERB_USR2] = "2",
		[VERB_TERM] = "t",
		[VERB_KILL] = "k",
		[VERB_EXIT] = "x",
		[VERB_RESTART] = "tcu",
		[VERB_CYCLE] = "t",
	},
	.emulate = runit_emulate,
	.log_ignores_exit = 1,
};
