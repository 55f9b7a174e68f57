/*
 * daemontools 0.76: supervise/status is 18 bytes, rewritten through
 * status.new + rename (PROTOCOLS.md#daemontools). The TAI64N stamp moves
 * only when the pid changes; u/d/p/c commands do not touch it. After `o`
 * the want byte is 0, which is the only backend-visible trace of "once".
 *
 * The 18-byte record is also the head of encore's 20-byte record, so the
 * record reader is shared with encore.c.
 */
#include <errno.h>

#include "../adapter.h"
#include "../bytes.h"
#include "djb.h"

#define DT_STATUS_SIZE	18

int
djb_unpack_record(const unsigned char *p, struct svx_proc *proc)
{
	proc_clear(proc);
	if (p[DJB_OFF_STAMP] != 0x40 || p[DJB_OFF_PAUSED] > 1)
		return -1;
	switch (p[DJB_OFF_WANT]) {
	case 'u':
		proc->want = WANT_UP;
		break;
	case 'd':
		proc->want = WANT_DOWN;
		break;
	case 0:
		proc->want = WANT_ONCE;
		break;
	default:
		return -1;
	}
	tai_unpack_djb(p + DJB_OFF_STAMP, &proc->since);
	proc->pid = (pid_t)get_le32(p + DJB_OFF_PID);
	if (proc->pid < 0)
		return -1;
	proc->paused = p[DJB_OFF_PAUSED];
	return 0;
}

int
status_unpack_daemontools(const unsigned char *p, size_t len,
    struct svx_status *st)
{
	st->has_log = 0;
	proc_clear(&st->log);
	if (len != DT_STATUS_SIZE || djb_unpack_record(p, &st->main) == -1) {
		errno = EPROTO;
		return -1;
	}
	st->main.state = st->main.pid != 0 ? STATE_UP : STATE_DOWN;
	st->size = DT_STATUS_SIZE;
	return 0;
}

/*
 * s6's "once at most" (want down, leave it running): supervise's `o`
 * does exactly that to a running service; a stopped one only needs `d`,
 * since `o` would start it.
 */
const char *
djb_emulate(enum svx_verb verb, const struct svx_proc *now, int after_down)
{
	(void)after_down;
	if (verb == VERB_ONCE_AT_MOST)
		return now != NULL && now->pid != 0 ? "o" : "d";
	return NULL;
}

/*
 * 0.76 supervise knows u d o p c h a i t k x; anything else is silently
 * dropped, so QUIT, USR1, USR2 and WINCH cannot be delivered. `x` alone
 * leaves the service running (PROTOCOLS.md#control-letters), hence "dx".
 */
const struct svx_adapter adapter_daemontools = {
	.id = BACKEND_DAEMONTOOLS,
	.name = "daemontools",
	.supervisor = "supervise",
	.unpack = status_unpack_daemontools,
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
		[VERB_TERM] = "t",
		[VERB_KILL] = "k",
		[VERB_EXIT] = "dx",
		[VERB_RESTART] = "tcu",
		[VERB_X_ONLY] = "x",
		[VERB_CYCLE] = "t",
	},
	.emulate = djb_emulate,
};
