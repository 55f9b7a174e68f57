/*
 * The wait engine's judgement (wait_judge), over sequences of states as a
 * waiter reads them one after another: each step is one read, and the
 * waiter carries what earlier reads saw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../adapters/engine/wait.h"

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

static const struct wait_base down_base = { 0, { 100, 0 }, STATE_DOWN, 0, 0 };
static const struct wait_base up_base = { 4242, { 100, 0 }, STATE_UP, 0, 0 };

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
	    0, 0 };
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
    0, 1 };

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
	    STATE_DOWN, 1, 0 };
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
	};

	return cmocka_run_group_tests_name("wait", tests, NULL, NULL);
}
