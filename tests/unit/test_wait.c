/*
 * The wait engine's judgement (wait_judge), over sequences of states as a
 * waiter reads them one after another: each step is one read, and the
 * waiter carries what earlier reads saw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../adapters/engine/wait.h"
#include "../../adapters/backends/supervisord.h"

struct step {
	enum svx_state	 state;
	pid_t		 pid;
	int64_t		 sec;		/* the stamp: seconds, nanoseconds 0 */
	int		 ready;
	int		 alive;
	enum wait_result expect;
};

static struct svx_proc
proc(enum svx_state state, pid_t pid, int64_t sec, int ready)
{
	struct svx_proc p;

	proc_clear(&p);
	p.state = state;
	p.pid = pid;
	p.since.sec = sec;
	p.ready = ready;
	return p;
}

/* Feed STEPS to one waiter; each read must be judged as expected. */
static void
run_steps(enum wait_goal goal, const struct wait_base *base, int need_ready,
    int64_t settle_ms, const struct step *steps, size_t n)
{
	struct wait_opts o = { .goal = goal, .need_ready = need_ready,
	    .settle_ms = settle_ms, .timeout_ms = 1000 };
	struct waiter w;
	struct svx_proc now;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.ref = *base;
	for (i = 0; i < n; i++) {
		now = proc(steps[i].state, steps[i].pid, steps[i].sec,
		    steps[i].ready);
		print_message("step %zu\n", i);
		assert_int_equal(wait_judge(base, &o, &now, steps[i].alive,
		    steps[i].ready, &w), steps[i].expect);
	}
}

static const struct wait_base down_base = { 0, { 100, 0 }, STATE_DOWN, 0, 0, 0 };
static const struct wait_base up_base = { 4242, { 100, 0 }, STATE_UP, 0, 0, 0 };

static void
up_from_down(void **state)
{
	static const struct step s[] = {
		{ STATE_DOWN, 0, 100, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_UP, 500, 101, TRI_UNKNOWN, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_UP, &down_base, 0, 0, s, 2);
}

/* Started and died between two reads: only the newer down stamp shows. */
static void
up_died_between_reads(void **state)
{
	static const struct step s[] = {
		{ STATE_DOWN, 0, 102, TRI_UNKNOWN, 1, WAIT_DIED },
	};

	(void)state;
	run_steps(GOAL_UP, &down_base, 0, 0, s, 1);
}

/* A new process seen up, then another: the first one died. */
static void
up_new_pid_replaced(void **state)
{
	static const struct step s[] = {
		{ STATE_UP, 500, 101, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 501, 102, TRI_NO, 1, WAIT_DIED },
	};

	(void)state;
	run_steps(GOAL_UP, &down_base, 1, 0, s, 2);
}

/* A restart whose new process is already gone, not yet reaped. */
static void
restart_new_pid_exited(void **state)
{
	static const struct step s[] = {
		{ STATE_EXITED, 4242, 100, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_EXITED, 5000, 101, TRI_UNKNOWN, 1, WAIT_DIED },
	};

	(void)state;
	run_steps(GOAL_RESTARTED, &up_base, 0, 0, s, 2);
}

static void
restart_ok(void **state)
{
	static const struct step s[] = {
		{ STATE_UP, 4242, 100, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_UP, 5000, 102, TRI_UNKNOWN, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_RESTARTED, &up_base, 0, 0, s, 3);
}

/* encore's "failed" left from before the command is not this failure. */
static void
failed_only_when_new(void **state)
{
	static const struct wait_base failed = { 0, { 100, 0 }, STATE_FAILED,
	    0, 0, 0 };
	static const struct step s[] = {
		{ STATE_FAILED, 0, 100, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_FAILED, 0, 103, TRI_UNKNOWN, 1, WAIT_FAILED },
	};

	(void)state;
	run_steps(GOAL_UP, &failed, 0, 0, s, 2);
}

static void
ready_needed(void **state)
{
	static const struct step s[] = {
		{ STATE_UP, 500, 101, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 500, 101, TRI_YES, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_UP, &down_base, 1, 0, s, 2);
}

/* --settle: the same pid must stay up; a long settle is still pending. */
static void
settle_holds_back(void **state)
{
	static const struct step s[] = {
		{ STATE_UP, 500, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_UP, 500, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
	};

	(void)state;
	run_steps(GOAL_UP, &down_base, 0, 60000, s, 2);
}

/* Down means down with ./finish done: not a dead, unreaped process. */
static void
down_waits_for_record(void **state)
{
	static const struct step s[] = {
		{ STATE_EXITED, 4242, 100, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_FINISHING, 0, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 102, TRI_UNKNOWN, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_DOWN, &up_base, 0, 0, s, 3);
}

/* Down between two runs of a crash loop, `d` not read yet: not a stop. */
static void
down_needs_want_down(void **state)
{
	struct wait_opts o = { .goal = GOAL_DOWN, .timeout_ms = 1000 };
	struct svx_proc now = proc(STATE_DOWN, 0, 101, TRI_UNKNOWN);
	struct waiter w;

	(void)state;
	memset(&w, 0, sizeof(w));
	w.ref = up_base;
	now.want = WANT_UP;
	assert_int_equal(wait_judge(&up_base, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_PENDING);
	now.want = WANT_DOWN;
	assert_int_equal(wait_judge(&up_base, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_OK);
}

static void
supervisor_gone(void **state)
{
	static const struct step up[] = {
		{ STATE_UP, 4242, 100, TRI_UNKNOWN, 0, WAIT_SUPERVISOR_DIED },
	};
	static const struct step exited[] = {
		{ STATE_UP, 4242, 100, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_UP, 4242, 100, TRI_UNKNOWN, 0, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_DOWN, &up_base, 0, 0, up, 1);
	run_steps(GOAL_EXITED, &up_base, 0, 0, exited, 2);
}

static void
once_ran(void **state)
{
	static const struct step s[] = {
		{ STATE_DOWN, 0, 100, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 101, TRI_UNKNOWN, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_RAN, &down_base, 0, 0, s, 2);
}

/*
 * encore with a ./stop: the "stopped" record written when the process is
 * reaped comes again, newer, when ./stop ends; the first is no stop.
 */
static const struct wait_base encore_up = { 4242, { 100, 0 }, STATE_UP,
    0, 1, 0 };

static void
encore_down_waits_for_stop(void **state)
{
	static const struct step seen[] = {
		{ STATE_STOPPING, 4242, 100, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_FINISHING, 0, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 102, TRI_UNKNOWN, 1, WAIT_OK },
	};
	static const struct step missed[] = {
		{ STATE_DOWN, 0, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 103, TRI_UNKNOWN, 1, WAIT_OK },
	};
	static const struct step no_stop[] = {
		{ STATE_DOWN, 0, 101, TRI_UNKNOWN, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_DOWN, &encore_up, 0, 0, seen, 4);
	run_steps(GOAL_DOWN, &encore_up, 0, 0, missed, 3);
	run_steps(GOAL_DOWN, &up_base, 0, 0, no_stop, 1);
}

/* svx slept through ./stop: the last record, left alone, is the end. */
static void
encore_stop_record_left_alone(void **state)
{
	struct wait_opts o = { .goal = GOAL_DOWN, .timeout_ms = 1000 };
	struct svx_proc now = proc(STATE_DOWN, 0, 105, TRI_UNKNOWN);
	struct waiter w;

	(void)state;
	memset(&w, 0, sizeof(w));
	w.ref = encore_up;
	assert_int_equal(wait_judge(&encore_up, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_PENDING);
	w.down_seen_ms -= 1000;
	assert_int_equal(wait_judge(&encore_up, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_OK);
}

/* encore's ./start ran: up is ready at once, no settle window. */
static void
encore_start_is_readiness(void **state)
{
	static const struct wait_base with_start = { 0, { 100, 0 },
	    STATE_DOWN, 1, 0, 0 };
	static const struct step ready[] = {
		{ STATE_STARTING, 0, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_UP, 500, 102, TRI_UNKNOWN, 1, WAIT_OK },
	};
	static const struct step settles[] = {
		{ STATE_UP, 500, 102, TRI_UNKNOWN, 1, WAIT_PENDING },
	};
	static const struct step no_run[] = {
		{ STATE_STARTED, 0, 102, TRI_UNKNOWN, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_UP, &with_start, 1, 5000, ready, 2);
	run_steps(GOAL_UP, &down_base, 1, 5000, settles, 1);
	run_steps(GOAL_UP, &with_start, 1, 5000, no_run, 1);
}

/* s6's -u is an up event: any process, reaped or not; -d its absence. */
static void
s6_events(void **state)
{
	static const struct step up[] = {
		{ STATE_DOWN, 0, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_EXITED, 77, 102, TRI_UNKNOWN, 1, WAIT_OK },
	};
	static const struct step down[] = {
		{ STATE_EXITED, 77, 102, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_FINISHING, 0, 103, TRI_UNKNOWN, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_UP_EVENT, &down_base, 0, 0, up, 2);
	run_steps(GOAL_DOWN_EVENT, &up_base, 0, 0, down, 2);
}

/* sv d: no process and no ./finish; sv t: a new process, or wanted down. */
static void
sv_letters(void **state)
{
	static const struct step stop[] = {
		{ STATE_FINISHING, 0, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 102, TRI_UNKNOWN, 1, WAIT_OK },
	};
	static const struct step term[] = {
		{ STATE_UP, 4242, 100, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_UP, 4343, 101, TRI_UNKNOWN, 1, WAIT_OK },
	};
	struct wait_opts o = { .goal = GOAL_NEW_OR_DOWN };
	struct svx_proc now = proc(STATE_DOWN, 0, 101, TRI_UNKNOWN);
	struct waiter w;

	(void)state;
	run_steps(GOAL_STOPPED, &up_base, 0, 0, stop, 2);
	run_steps(GOAL_NEW_OR_DOWN, &up_base, 0, 0, term, 2);
	memset(&w, 0, sizeof(w));
	w.ref = up_base;
	now.want = WANT_DOWN;
	assert_int_equal(wait_judge(&up_base, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_OK);
}

/* sv start on a service that dies at once: a failure, not a wait. */
static void
sv_start_died(void **state)
{
	static const struct step crash[] = {
		{ STATE_UP, 77, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 101, TRI_UNKNOWN, 1, WAIT_DIED },
	};

	struct wait_opts o = { .goal = GOAL_WANTED, .settle_ms = 200 };
	struct svx_proc now = proc(STATE_UP, 77, 101, TRI_UNKNOWN);
	struct waiter w;

	(void)state;
	run_steps(GOAL_UP, &down_base, 1, 200, crash, 2);
	/* sv check, wanted up: the same. */
	memset(&w, 0, sizeof(w));
	w.ref = down_base;
	now.want = WANT_UP;
	assert_int_equal(wait_judge(&down_base, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_PENDING);
	now = proc(STATE_DOWN, 0, 101, TRI_UNKNOWN);
	now.want = WANT_UP;
	assert_int_equal(wait_judge(&down_base, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_DIED);
}

/*
 * A supervisor that starts while svx waits (its directory just put back
 * under its scanner) first writes "down" with a new stamp: no death. The
 * death that follows its start is one.
 */
static void
fresh_supervisor_no_death(void **state)
{
	struct wait_opts o = { .goal = GOAL_UP, .timeout_ms = 1000 };
	struct svx_proc now = proc(STATE_DOWN, 0, 101, TRI_NO);
	struct waiter w;

	(void)state;
	memset(&w, 0, sizeof(w));
	w.ref = down_base;
	now.want = WANT_UP;
	now.fresh = 1;
	assert_int_equal(wait_judge(&down_base, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_PENDING);
	now = proc(STATE_UP, 900, 102, TRI_UNKNOWN);
	assert_int_equal(wait_judge(&down_base, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_OK);
	/* Started, died at once, both between two reads: still a death. */
	memset(&w, 0, sizeof(w));
	w.ref = down_base;
	now = proc(STATE_DOWN, 0, 101, TRI_NO);
	now.fresh = 1;
	assert_int_equal(wait_judge(&down_base, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_PENDING);
	now = proc(STATE_DOWN, 0, 102, TRI_NO);
	assert_int_equal(wait_judge(&down_base, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_DIED);
	/* `once`: a supervisor's first record is not the run asked for. */
	o.goal = GOAL_RAN;
	memset(&w, 0, sizeof(w));
	now = proc(STATE_DOWN, 0, 101, TRI_NO);
	now.fresh = 1;
	assert_int_equal(wait_judge(&down_base, &o, &now, 1, TRI_UNKNOWN, &w),
	    WAIT_PENDING);
}

/*
 * s6 restart racing s6-supervise's own first start. svx reads the base
 * while only the supervisor's first record is there (down, no process,
 * want up); s6-supervise then starts the service itself, reads `rcu`, and
 * its `r` kills that run: up P1, finishing (P1's death, a newer stamp,
 * exit 0 from a run that exits on TERM), down (same stamp, ./finish
 * done), one second later up P2. P1's death is the old process's, never
 * the new one dying; whichever of its records the reader misses.
 */
static const struct wait_base s6_first_record = {
	0, { 100, 0 }, STATE_DOWN, 0, 0, 1
};

static void
restart_races_own_start_all_seen(void **state)
{
	static const struct step s[] = {
		{ STATE_UP, 500, 101, TRI_NO, 1, WAIT_PENDING },
		{ STATE_FINISHING, 0, 102, TRI_NO, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 102, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 501, 103, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 501, 103, TRI_YES, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_RESTARTED, &s6_first_record, 1, 0, s, 5);
}

/* P1's up record missed: its death is the first thing read. */
static void
restart_races_own_start_up_missed(void **state)
{
	static const struct step s[] = {
		{ STATE_FINISHING, 0, 102, TRI_NO, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 102, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 501, 103, TRI_YES, 1, WAIT_OK },
	};
	static const struct step down_only[] = {
		{ STATE_DOWN, 0, 102, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 501, 103, TRI_YES, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_RESTARTED, &s6_first_record, 1, 0, s, 3);
	/* Up, finishing and the start of ./finish all between two reads. */
	run_steps(GOAL_RESTARTED, &s6_first_record, 1, 0, down_only, 2);
}

/* P1 seen up, its death and P2's start between two reads. */
static void
restart_races_own_start_death_missed(void **state)
{
	static const struct step s[] = {
		{ STATE_UP, 500, 101, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 501, 103, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 501, 103, TRI_YES, 1, WAIT_OK },
	};

	(void)state;
	run_steps(GOAL_RESTARTED, &s6_first_record, 1, 0, s, 3);
}

/* Forgiven once only: a run after the old one that dies is a death. */
static void
restart_races_own_start_then_crash(void **state)
{
	static const struct step seen[] = {
		{ STATE_FINISHING, 0, 102, TRI_NO, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 102, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 501, 103, TRI_NO, 1, WAIT_PENDING },
		{ STATE_FINISHING, 0, 104, TRI_NO, 1, WAIT_DIED },
	};
	static const struct step replaced[] = {
		{ STATE_UP, 500, 101, TRI_NO, 1, WAIT_PENDING },
		{ STATE_FINISHING, 0, 102, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 501, 103, TRI_NO, 1, WAIT_PENDING },
		{ STATE_UP, 502, 105, TRI_NO, 1, WAIT_DIED },
	};
	/* daemontools: the run's death shows as its pid, unreaped. */
	static const struct step unreaped[] = {
		{ STATE_EXITED, 500, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_EXITED, 500, 101, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_DOWN, 0, 102, TRI_UNKNOWN, 1, WAIT_PENDING },
		{ STATE_EXITED, 501, 103, TRI_UNKNOWN, 1, WAIT_DIED },
	};

	(void)state;
	run_steps(GOAL_RESTARTED, &s6_first_record, 1, 0, seen, 4);
	run_steps(GOAL_RESTARTED, &s6_first_record, 1, 0, replaced, 4);
	run_steps(GOAL_RESTARTED, &s6_first_record, 0, 0, unreaped, 4);
}

/*
 * Nothing forgiven where the supervisor starts nothing of its own (a
 * service wanted down: only the command starts it), nor for `up`, which
 * kills nothing.
 */
static void
restart_from_stopped_judges_first_run(void **state)
{
	static const struct step died[] = {
		{ STATE_FINISHING, 0, 102, TRI_NO, 1, WAIT_DIED },
	};
	static const struct step seen_died[] = {
		{ STATE_UP, 500, 101, TRI_NO, 1, WAIT_PENDING },
		{ STATE_FINISHING, 0, 102, TRI_NO, 1, WAIT_DIED },
	};

	(void)state;
	run_steps(GOAL_RESTARTED, &down_base, 1, 0, died, 1);
	run_steps(GOAL_RESTARTED, &down_base, 1, 0, seen_died, 2);
	run_steps(GOAL_UP, &s6_first_record, 1, 0, died, 1);
	run_steps(GOAL_UP, &s6_first_record, 1, 0, seen_died, 2);
}

/* s6's `x`: a supervisor gone settles the wait on its last state. */
static void
judged_last(void **state)
{
	struct wait_opts o = { .goal = GOAL_DOWN_EVENT, .judge_last = 1 };
	struct svx_proc now = proc(STATE_DOWN, 0, 101, TRI_UNKNOWN);
	struct waiter w;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_int_equal(wait_judge(&up_base, &o, &now, 0, TRI_UNKNOWN, &w),
	    WAIT_OK);
	o.goal = GOAL_UP_EVENT;
	assert_int_equal(wait_judge(&up_base, &o, &now, 0, TRI_UNKNOWN, &w),
	    WAIT_SUPERVISOR_DIED);
	o.judge_last = 0;
	o.goal = GOAL_DOWN_EVENT;
	assert_int_equal(wait_judge(&up_base, &o, &now, 0, TRI_UNKNOWN, &w),
	    WAIT_SUPERVISOR_DIED);
}

/* ---- supervisord: its records, judged by the same goals --------------- */

/* One getProcessInfo answer, as the adapter keeps it. */
struct sd_step {
	int		 state;		/* enum sd_state */
	pid_t		 pid;
	int64_t		 start, stop;
	enum wait_result expect;
};

static struct sd_proc
sd_record(int state, pid_t pid, int64_t start, int64_t stop)
{
	struct sd_proc p;

	memset(&p, 0, sizeof(p));
	p.state = state;
	p.pid = pid;
	p.start = start;
	p.stop = stop;
	p.now = 200;
	return p;
}

/*
 * A supervisord program's waits: the base (the first step), then each
 * read judged, as the engine would.
 */
static void
sd_run_steps(enum wait_goal goal, const struct sd_step *steps, size_t n)
{
	struct wait_opts o = { .goal = goal };
	struct wait_base base;
	struct waiter w;
	struct svx_proc now;
	struct sd_proc rec;
	size_t i;

	rec = sd_record(steps[0].state, steps[0].pid, steps[0].start,
	    steps[0].stop);
	sd_proc_unpack(&rec, &now);
	memset(&base, 0, sizeof(base));
	base.pid = now.pid;
	base.since = now.since;
	base.state = now.state;
	memset(&w, 0, sizeof(w));
	w.ref = base;
	for (i = 0; i < n; i++) {
		rec = sd_record(steps[i].state, steps[i].pid, steps[i].start,
		    steps[i].stop);
		sd_proc_unpack(&rec, &now);
		print_message("step %zu\n", i);
		assert_int_equal(wait_judge(&base, &o, &now, 1, TRI_UNKNOWN,
		    &w), steps[i].expect);
	}
}

/* Each state in svx's terms: up only when RUNNING, with its pid. */
static void
sd_states_unpacked(void **state)
{
	static const struct {
		int		 code;
		enum svx_state	 state;
		enum svx_want	 want;
		int64_t		 since;		/* start 150, stop 120 */
		int		 wstat;		/* exitstatus 3 */
	} rows[] = {
		{ SD_STOPPED, STATE_DOWN, WANT_DOWN, 120, 3 << 8 },
		{ SD_STARTING, STATE_STARTING, WANT_UP, 150, 3 << 8 },
		/* Up, the last death is old. */
		{ SD_RUNNING, STATE_UP, WANT_UP, 150, -1 },
		/* A start that ended before startsecs: supervisord lost its
		 * status (it reads 0 whatever it was): unknown. */
		{ SD_BACKOFF, STATE_STARTING, WANT_UP, 150, -1 },
		/* Stopping: the process runs still, since its start. */
		{ SD_STOPPING, STATE_STOPPING, WANT_DOWN, 150, 3 << 8 },
		{ SD_EXITED, STATE_DOWN, WANT_UNKNOWN, 120, 3 << 8 },
		{ SD_FATAL, STATE_FAILED, WANT_UP, 120, -1 },
		{ SD_UNKNOWN, STATE_UNKNOWN, WANT_UNKNOWN, 120, -1 },
		{ 12345, STATE_UNKNOWN, WANT_UNKNOWN, 120, -1 },	/* new */
	};
	struct sd_proc rec;
	struct svx_proc m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		rec = sd_record(rows[i].code, 77, 150, 120);
		rec.exitstatus = 3;
		sd_proc_unpack(&rec, &m);
		print_message("state %d\n", rows[i].code);
		assert_int_equal(m.state, rows[i].state);
		assert_int_equal(m.want, rows[i].want);
		assert_int_equal(m.pid, 77);
		assert_int_equal(m.since.sec, rows[i].since);
		assert_int_equal(m.ready, TRI_UNKNOWN);
		assert_int_equal(m.wstat, rows[i].wstat);
	}
	rec = sd_record(SD_STOPPED, 0, 0, 0);	/* never ran */
	sd_proc_unpack(&rec, &m);
	assert_int_equal(m.wstat, -1);
	assert_int_equal(m.since.sec, 0);
	/* Killed by a signal: supervisord says -1 and names no signal. */
	rec = sd_record(SD_EXITED, 0, 150, 160);
	rec.exitstatus = -1;
	sd_proc_unpack(&rec, &m);
	assert_int_equal(m.wstat, -1);
}

/* up: STARTING and BACKOFF are not up yet; RUNNING is (startsecs). */
static void
sd_up_through_backoff(void **state)
{
	static const struct sd_step s[] = {
		{ SD_STARTING, 500, 150, 120, WAIT_PENDING },
		{ SD_BACKOFF, 0, 150, 151, WAIT_PENDING },
		{ SD_STARTING, 501, 152, 151, WAIT_PENDING },
		{ SD_RUNNING, 501, 152, 151, WAIT_OK },
	};

	(void)state;
	sd_run_steps(GOAL_UP, s, 4);
}

/* up: FATAL after the start is a failure for good, not a timeout. */
static void
sd_up_fatal(void **state)
{
	static const struct sd_step s[] = {
		{ SD_STARTING, 500, 150, 120, WAIT_PENDING },
		{ SD_BACKOFF, 0, 150, 150, WAIT_PENDING },
		{ SD_FATAL, 0, 150, 153, WAIT_FAILED },
	};

	(void)state;
	sd_run_steps(GOAL_UP, s, 3);
}

/* up on a program up already (ALREADY_STARTED): met at once. */
static void
sd_up_when_up(void **state)
{
	static const struct sd_step s[] = {
		{ SD_RUNNING, 500, 150, 120, WAIT_OK },
	};

	(void)state;
	sd_run_steps(GOAL_UP, s, 1);
}

/* A FATAL read as the base is not this wait's failure (same record). */
static void
sd_old_fatal_is_no_failure(void **state)
{
	static const struct sd_step s[] = {
		{ SD_FATAL, 0, 150, 160, WAIT_PENDING },
		{ SD_FATAL, 0, 150, 160, WAIT_PENDING },
		{ SD_STARTING, 502, 170, 160, WAIT_PENDING },
		{ SD_FATAL, 0, 170, 175, WAIT_FAILED },
	};

	(void)state;
	sd_run_steps(GOAL_UP, s, 4);
}

/*
 * The base read before the command (control.c's order): FATAL left from
 * a start that failed in this very second, then this start's STARTING,
 * then FATAL again stamped the same whole second: a failure, not the
 * old record.
 */
static void
sd_fatal_again_same_second(void **state)
{
	static const struct sd_step s[] = {
		{ SD_FATAL, 0, 150, 160, WAIT_PENDING },
		{ SD_STARTING, 503, 160, 160, WAIT_PENDING },
		{ SD_FATAL, 0, 160, 160, WAIT_FAILED },
	};

	(void)state;
	sd_run_steps(GOAL_UP, s, 3);
}

/* down: STOPPING is not down; STOPPED, EXITED and FATAL are. */
static void
sd_down(void **state)
{
	static const struct sd_step stopped[] = {
		{ SD_STOPPING, 500, 150, 120, WAIT_PENDING },
		{ SD_STOPPED, 0, 150, 160, WAIT_OK },
	};
	static const struct sd_step exited[] = {
		{ SD_EXITED, 0, 150, 160, WAIT_OK },
	};
	static const struct sd_step fatal[] = {
		{ SD_FATAL, 0, 150, 160, WAIT_OK },
	};
	static const struct sd_step retrying[] = {
		{ SD_BACKOFF, 0, 150, 160, WAIT_PENDING },
		{ SD_STOPPED, 0, 150, 161, WAIT_OK },
	};

	(void)state;
	sd_run_steps(GOAL_DOWN, stopped, 2);
	sd_run_steps(GOAL_DOWN, exited, 1);
	sd_run_steps(GOAL_DOWN, fatal, 1);
	sd_run_steps(GOAL_DOWN, retrying, 2);
}

/*
 * The source's wiring: a program behind a socket nobody listens on is
 * unsupervised, its call's result kept for the caller's words; a wait
 * polls it at SD_POLL_MS and ends at once, the supervisor gone.
 */
static void
sd_source_unreachable(void **state)
{
	struct sd_conn c;
	struct sd_target t;
	struct svx_service sv;
	struct waiter w;
	struct wait_job j = { .sv = &sv, .w = &w, .o = { .goal = GOAL_UP } };
	struct wait_job *jp = &j;

	(void)state;
	memset(&c, 0, sizeof(c));
	strlcpy(c.socket, "/nonexistent/svx-test.sock", sizeof(c.socket));
	memset(&t, 0, sizeof(t));
	t.conn = &c;
	t.name = "web";
	sd_service_open(&sv, &t);
	assert_int_equal(t.result, SD_NO_SOCKET);
	assert_int_equal(sv.det.verdict, VERDICT_UNSUPERVISED);
	assert_int_equal(sv.status_ok, 0);
	assert_int_equal(sv.det.backend, BACKEND_SUPERVISORD);
	assert_ptr_equal(service_source(&sv), &sd_source);
	wait_subscribe(&sv, &w);
	assert_int_equal(w.poll_ms, SD_POLL_MS);
	wait_base_take(&sv, &j.base);
	wait_run_many(&jp, 1, monotonic_ms() + 1000);
	wait_unsubscribe(&w);
	assert_int_equal(j.rep.result, WAIT_SUPERVISOR_DIED);
	service_close(&sv);
}

/*
 * The engine over a polled source (what a supervisord program is), with
 * a scripted one: asked every poll_ms, judged by the goal's judge, and
 * never asked at or past the deadline (its reads share that bound).
 */
struct script {
	enum svx_state	 states[8];	/* one per read; the last repeats */
	size_t		 n, reads;
	int64_t		 last_read_ms;
};

static void
script_refresh(struct svx_service *sv)
{
	struct script *sc = sv->source_arg;
	size_t i = sc->reads < sc->n ? sc->reads : sc->n - 1;

	sc->reads++;
	sc->last_read_ms = monotonic_ms();
	sv->det.verdict = VERDICT_SUPERVISED;
	sv->status_ok = 1;
	sv->st.main = proc(sc->states[i], sc->states[i] == STATE_UP ? 900 : 0,
	    100, TRI_UNKNOWN);
}

static const struct svx_source script_source = {
	.refresh = script_refresh, .poll_ms = 20,
};
static const struct svx_adapter script_adapter = {
	.id = BACKEND_SUPERVISORD, .name = "script", .source = &script_source,
};
/* The same, its "up" coming only after its own start delay. */
static const struct svx_source script_ready_source = {
	.refresh = script_refresh, .poll_ms = 20, .up_is_ready = 1,
};
static const struct svx_adapter script_ready_adapter = {
	.id = BACKEND_SUPERVISORD, .name = "script",
	.source = &script_ready_source,
};

static enum wait_result
script_wait_as(const struct svx_adapter *a, struct script *sc,
    const struct wait_opts *o, int64_t deadline)
{
	struct svx_service sv;
	struct waiter w;
	struct wait_job j = { .sv = &sv, .w = &w, .o = *o };
	struct wait_job *jp = &j;

	memset(&sv, 0, sizeof(sv));
	sv.dirfd = sv.svfd = -1;
	sv.det.backend = BACKEND_SUPERVISORD;
	sv.adapter = a;
	sv.source_arg = sc;
	service_refresh(&sv);
	wait_subscribe(&sv, &w);
	assert_int_equal(w.poll_ms, 20);
	wait_base_take(&sv, &j.base);
	wait_run_many(&jp, 1, deadline);
	wait_unsubscribe(&w);
	return j.rep.result;
}

static enum wait_result
script_wait(struct script *sc, enum wait_goal goal, int64_t deadline)
{
	struct wait_opts o = { .goal = goal };

	return script_wait_as(&script_adapter, sc, &o, deadline);
}

/*
 * A source whose up comes after its own start delay (supervisord's
 * RUNNING, after startsecs) is ready when up: svx's settle, which is
 * there to catch a quick death the supervisor would not, is not added
 * on top. Without that flag, the same up waits out the settle.
 */
static void
source_up_is_ready(void **state)
{
	struct script up = { { STATE_STARTING, STATE_UP }, 2, 0, 0 };
	struct script again = { { STATE_STARTING, STATE_UP }, 2, 0, 0 };
	struct wait_opts o = { .goal = GOAL_UP, .need_ready = 1,
	    .settle_ms = 5000 };
	int64_t t0 = monotonic_ms();

	(void)state;
	assert_int_equal(script_wait_as(&script_ready_adapter, &up, &o,
	    t0 + 3000), WAIT_OK);
	assert_true(monotonic_ms() - t0 < 1000);
	t0 = monotonic_ms();
	assert_int_not_equal(script_wait_as(&script_adapter, &again, &o,
	    t0 + 300), WAIT_OK);
	assert_true(monotonic_ms() - t0 >= 300);
}

/*
 * A program named on the command line: found by its prefix, opened
 * through its backend's source, and a verb supervisord has no call for
 * is refused before anything is asked; one it has, against a socket
 * nobody listens on, is a refusal whose cause the source keeps.
 */
static void
sd_named_service(void **state)
{
	const struct svx_adapter *a;
	const struct sd_target *t;
	struct svx_service sv;
	const char *what = NULL;

	(void)state;
	assert_null(service_named_backend("/etc/sv/web"));
	assert_null(service_named_backend("supervisor:web"));
	a = service_named_backend("supervisord:grp:web");
	assert_ptr_equal(a, &adapter_supervisord);
	setenv("SVX_SUPERVISORD_SOCKET", "/nonexistent/svx-test.sock", 1);
	assert_int_equal(service_open_named(a, "supervisord:grp:web", 0, &sv),
	    0);
	unsetenv("SVX_SUPERVISORD_SOCKET");
	t = sv.source_arg;
	assert_non_null(t);
	assert_string_equal(t->name, "grp:web");
	assert_int_equal(t->result, SD_NO_SOCKET);
	assert_int_equal(sv.det.verdict, VERDICT_UNSUPERVISED);
	assert_int_equal(service_send(&sv, VERB_ONCE, &what), SEND_UNSUPPORTED);
	assert_null(what);
	assert_int_equal(service_send(&sv, VERB_EXIT, &what), SEND_UNSUPPORTED);
	assert_int_equal(service_send(&sv, VERB_HUP, &what), SEND_REFUSED);
	assert_string_equal(what, "signalProcess HUP");
	assert_int_equal(t->result, SD_NO_SOCKET);
	service_close(&sv);
	assert_null(sv.source_arg);
}

static void
source_polled(void **state)
{
	struct script up = { { STATE_STARTING, STATE_STARTING, STATE_UP }, 3,
	    0, 0 };
	struct script stuck = { { STATE_STARTING }, 1, 0, 0 };
	struct script late = { { STATE_DOWN, STATE_UP }, 2, 0, 0 };
	int64_t t0 = monotonic_ms(), deadline;

	(void)state;
	/* Up at the third read: two intervals, well within the bound. */
	assert_int_equal(script_wait(&up, GOAL_UP, t0 + 5000), WAIT_OK);
	assert_int_equal(up.reads, 3);
	assert_true(monotonic_ms() - t0 < 1000);
	/* Never up: a timeout at the bound, the last read before it, and
	 * about one read an interval (200 ms / 20 ms, +1 for the base). */
	deadline = monotonic_ms() + 200;
	assert_int_equal(script_wait(&stuck, GOAL_UP, deadline),
	    WAIT_TIMEOUT);
	assert_true(stuck.last_read_ms < deadline);
	assert_true(monotonic_ms() >= deadline);
	assert_true(stuck.reads >= 3 && stuck.reads <= 12);
	/* A bound already gone when the wait begins: the source is still
	 * read once, as its last answer (the base) is from before the
	 * command. */
	assert_int_equal(script_wait(&late, GOAL_UP, monotonic_ms() - 1),
	    WAIT_OK);
	assert_int_equal(late.reads, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(up_from_down),
		cmocka_unit_test(up_died_between_reads),
		cmocka_unit_test(up_new_pid_replaced),
		cmocka_unit_test(restart_new_pid_exited),
		cmocka_unit_test(restart_ok),
		cmocka_unit_test(failed_only_when_new),
		cmocka_unit_test(ready_needed),
		cmocka_unit_test(settle_holds_back),
		cmocka_unit_test(down_waits_for_record),
		cmocka_unit_test(down_needs_want_down),
		cmocka_unit_test(supervisor_gone),
		cmocka_unit_test(once_ran),
		cmocka_unit_test(encore_down_waits_for_stop),
		cmocka_unit_test(encore_stop_record_left_alone),
		cmocka_unit_test(encore_start_is_readiness),
		cmocka_unit_test(s6_events),
		cmocka_unit_test(sv_letters),
		cmocka_unit_test(sv_start_died),
		cmocka_unit_test(judged_last),
		cmocka_unit_test(fresh_supervisor_no_death),
		cmocka_unit_test(restart_races_own_start_all_seen),
		cmocka_unit_test(restart_races_own_start_up_missed),
		cmocka_unit_test(restart_races_own_start_death_missed),
		cmocka_unit_test(restart_races_own_start_then_crash),
		cmocka_unit_test(restart_from_stopped_judges_first_run),
		cmocka_unit_test(sd_states_unpacked),
		cmocka_unit_test(sd_up_through_backoff),
		cmocka_unit_test(sd_up_fatal),
		cmocka_unit_test(sd_up_when_up),
		cmocka_unit_test(sd_old_fatal_is_no_failure),
		cmocka_unit_test(sd_fatal_again_same_second),
		cmocka_unit_test(sd_down),
		cmocka_unit_test(sd_source_unreachable),
		cmocka_unit_test(source_polled),
		cmocka_unit_test(source_up_is_ready),
		cmocka_unit_test(sd_named_service),
	};

	return cmocka_run_group_tests_name("wait", tests, NULL, NULL);
}
