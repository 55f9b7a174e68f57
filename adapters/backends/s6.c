/*
 * s6 (s6-supervise): supervise/status is 35 bytes in 2.2-2.12 and 2.14+,
 * 43 bytes in 2.13.x where a big-endian pgid sits before wstat
 * (PROTOCOLS.md#s6). Stamps are TAI with leap seconds. While ./finish runs
 * the pid field is the finish script's (PROTOCOLS.md#finish-scripts). s6
 * has no `ok` FIFO; liveness is the fcntl lock on supervise/lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "../adapter.h"
#include "../bytes.h"

#define S6_STATUS_SIZE		35
#define S6_213_STATUS_SIZE	43
#define S6_OFF_STAMP		0
#define S6_OFF_READYSTAMP	12
#define S6_OFF_PID		24
#define S6_OFF_WSTAT		32	/* 40 in 2.13 */
#define S6_OFF_FLAGS		34	/* 42 in 2.13 */
#define S6_213_EXTRA		8	/* the pgid */
#define S6_TAI_SIZE		12

#define S6_FLAG_PAUSED		0x01
#define S6_FLAG_FINISHING	0x02
#define S6_FLAG_WANTUP		0x04
#define S6_FLAG_READY		0x08

static void
set_state(struct svx_proc *proc, unsigned int flags, uint64_t pid)
{
	proc->want = flags & S6_FLAG_WANTUP ? WANT_UP : WANT_DOWN;
	proc->paused = (flags & S6_FLAG_PAUSED) != 0;
	if (pid == 0) {
		/* 2.13.2+ marks "not started yet" as pid 0 + paused. */
		proc->state = STATE_DOWN;
		proc->paused = 0;
		proc->ready = TRI_NO;
	} else if (flags & S6_FLAG_FINISHING) {
		proc->state = STATE_FINISHING;
		proc->helper_pid = (pid_t)pid;
		proc->ready = TRI_NO;
	} else {
		proc->state = STATE_UP;
		proc->pid = (pid_t)pid;
		proc->ready = flags & S6_FLAG_READY ? TRI_YES : TRI_NO;
	}
}

/*
 * s6-supervise's first record, written as it starts and before it runs
 * anything, says "down" with a new stamp, like a death: it copies one
 * stamp into both stamp fields, while a death reads the clock once for
 * the death and again for the end of ./finish. (2.13.2+ also sets the
 * paused flag in it.) A wait that took it for a death would call a start
 * failed whenever the supervisor itself was just starting.
 */
static int
first_record(const unsigned char *p, uint64_t pid, int wstat)
{
	return pid == 0 && wstat == 0 && memcmp(p + S6_OFF_STAMP,
	    p + S6_OFF_READYSTAMP, S6_TAI_SIZE) == 0;
}

int
status_unpack_s6(const unsigned char *p, size_t len, struct svx_status *st)
{
	struct svx_proc *proc = &st->main;
	size_t extra;
	uint64_t pid;
	unsigned int flags;

	st->has_log = 0;
	proc_clear(&st->log);
	proc_clear(proc);
	if (len != S6_STATUS_SIZE && len != S6_213_STATUS_SIZE)
		goto bad;
	extra = len == S6_213_STATUS_SIZE ? S6_213_EXTRA : 0;
	flags = p[S6_OFF_FLAGS + extra];
	pid = get_be64(p + S6_OFF_PID);
	if (p[S6_OFF_STAMP] != 0x40 || p[S6_OFF_READYSTAMP] != 0x40 ||
	    flags > 0x0f || pid > INT32_MAX)
		goto bad;
	tai_unpack_s6(p + S6_OFF_STAMP, &proc->since);
	tai_unpack_s6(p + S6_OFF_READYSTAMP, &proc->ready_since);
	proc->wstat = get_be16(p + S6_OFF_WSTAT + extra);
	proc->raw_state = flags;
	set_state(proc, flags, pid);
	proc->fresh = first_record(p, pid, proc->wstat);
	st->size = len;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}

/*
 * `r` sends the down-signal without touching want; `c` then resumes a
 * paused process so it can die, and `u` makes sure it comes back (and
 * starts it if it was down: `r` and `c` are no-ops then). WINCH is `y`.
 */
const struct svx_adapter adapter_s6 = {
	.id = BACKEND_S6,
	.name = "s6",
	.supervisor = "s6-supervise",
	.unpack = status_unpack_s6,
	.alive = alive_by_lock,
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
		[VERB_WINCH] = "y",
		[VERB_EXIT] = "dx",
		[VERB_RESTART] = "rcu",
		[VERB_ABORT] = "b",
		[VERB_X_ONLY] = "x",
		[VERB_CYCLE] = "r",
		[VERB_ONCE_AT_MOST] = "O",
	},
};
