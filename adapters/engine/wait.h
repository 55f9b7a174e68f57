/*
 * Waiting for a service to reach a state, race-free: subscribe to the
 * supervisor's events first, then read the state, then (the caller) send
 * the command, then wait. Event sources: s6's event/ fifodir, inotify on
 * the control directory (status renamed into place, or encore's in-place
 * writes), and a pidfd on the supervisor for its death. Polling only
 * where no event source exists (runit's ./check; a supervisord program,
 * asked over XML-RPC at its source's interval), at a short interval.
 * Pids and TAI64N stamps are compared, never whole seconds.
 */
#ifndef SVX_WAIT_H
#define SVX_WAIT_H

#include <stdint.h>

#include "../adapter.h"
#include "service.h"

/*
 * What a wait is for: one row each of the goal table in wait.c. svx's own
 * goals come first; then the personalities' tools' own, in their terms
 * (a process "runs" while the supervisor has not reaped it).
 */
enum wait_goal {
	GOAL_UP,		/* up, and ready where the backend knows */
	GOAL_DOWN,		/* down with the finish script done */
	GOAL_NOT_UP,		/* the run process is gone (s6 -d) */
	GOAL_RESTARTED,		/* a new pid up, ready where known */
	GOAL_EXITED,		/* the supervisor gone */
	GOAL_RAN,		/* once: a run started after the command */
	GOAL_UP_EVENT,		/* a process runs now (s6 -u) */
	GOAL_UP_READY,		/* ... and is ready (s6 -U) */
	GOAL_DOWN_EVENT,	/* no process runs (s6 -d) */
	GOAL_DOWN_READY,	/* ... and ./finish is done (s6 -D) */
	GOAL_CYCLE_EVENT,	/* down, then up (s6 -r) */
	GOAL_CYCLE_READY,	/* down, then up and ready (s6 -R) */
	GOAL_STOPPED,		/* no process, no ./finish (sv d) */
	GOAL_NEW_OR_DOWN,	/* a new process that stays, or wanted down (sv t) */
	GOAL_ONCE_OVER,		/* once: ran, or still to run (sv o) */
	GOAL_PAUSED,		/* paused, or nothing to pause (sv p) */
	GOAL_CONTINUED,		/* not paused (sv c) */
	GOAL_WANTED,		/* the wanted state: stopped or up (sv check) */
	GOAL_NONE
};

enum wait_result {
	WAIT_PENDING = -1,
	WAIT_OK = 0,
	WAIT_TIMEOUT,
	WAIT_DIED,		/* the service died while it should come up */
	WAIT_FAILED,		/* permanent failure (s6 finish 125, encore) */
	WAIT_SUPERVISOR_DIED,
	WAIT_GONE,		/* the service or supervise/ was removed */
	WAIT_MOVED,		/* ... or renamed (its path names another) */
	WAIT_ERROR		/* errno set */
};

/* What the wait started from, taken after subscribing. */
struct wait_base {
	pid_t		 pid;		/* the service's pid, 0 if none */
	struct svx_stamp since;
	enum svx_state	 state;
	/* encore's scripts that this command will run: ./start before a
	 * start (its end is the readiness), ./stop after a stop. */
	unsigned int	 runs_start:1, runs_stop:1;
	/* No process ran, one was wanted: the supervisor may start one of
	 * its own before it reads the command (PROTOCOLS.md#restarts). */
	unsigned int	 own_start_due:1;
};

/*
 * Where the backend knows no readiness, "started" means the same process
 * stayed up this long after svx first saw it (svx -w up and restart;
 * --settle overrides it, and --settle 0 is s6-svc -wu's "up event"). A run
 * script that exits at once or dies within 50-100 ms (a missing binary, a
 * bad option, a port in use) is then a failure every time, with margin
 * for a loaded machine, and a healthy start still answers in ~200 ms.
 * Readiness, where the service signals it, decides at once instead.
 */
#define WAIT_SETTLE_DEFAULT_MS	200

struct wait_opts {
	enum wait_goal	 goal;
	int		 need_ready;	/* s6 notification-fd / runit ./check */
	int64_t		 settle_ms;	/* the same pid up this long */
	int64_t		 timeout_ms;
	unsigned int	 unpaused:1;	/* and not paused (sv's c after t) */
	unsigned int	 finish_first:1; /* cycles: the down half with
					   ./finish done (s6-svlisten1) */
	unsigned int	 judge_last:1;	/* a supervisor gone: its last state
					   met the goal or not (s6's `x`) */
	struct svx_stamp after;		/* once: when the command went */
};

/* What happened, for the caller's message. */
struct wait_report {
	enum wait_result result;
	struct svx_proc	 last;		/* the last state read */
	int		 alive;		/* the supervisor, at the end */
	int		 wstat;		/* how it died, -1 unknown */
	int		 unready;	/* up, held for a readiness not yet
					   signalled (its ./check, s6's fd) */
};

struct waiter {
	int		 inotify_fd;	/* events from the watcher child */
	int		 lifeline;	/* the watcher lives while this is open */
	int		 pidfd;		/* the supervisor's, or -1 */
	int		 fifo_fd;	/* s6 event FIFO: reader */
	int		 fifo_keep;	/* ... and our own writer */
	int		 evfd;		/* the event/ directory */
	char		 fifo_name[48];
	pid_t		 supervisor;
	int		 poll_ms;	/* a polled source's interval; 0: POLL_MS */
	unsigned int	 saw_permfail:1, saw_exit:1;
	unsigned int	 left_failed:1;	/* a state read other than failed */
	unsigned int	 s6:1;		/* s6's flags in raw_state */
	unsigned int	 went_down:1;	/* cycles: the down half seen */
	unsigned int	 phase2:1;	/* cycles: every job went down */
	struct wait_base ref;		/* the last transition judged */
	pid_t		 new_pid;	/* first new pid seen up */
	/* wait_base.own_start_due: the one run taken for the supervisor's
	 * own (its pid, or -1 when only its death was seen). */
	pid_t		 old_run;
	int64_t		 up_since_ms;	/* when new_pid was first seen */
	/* encore's ./stop (wait_base.runs_stop): seen running, or the
	 * first "stopped" record seen, and when. */
	unsigned int	 stop_seen:1;
	struct svx_stamp down_seen;
	int64_t		 down_seen_ms;
};

int	wait_subscribe(const struct svx_service *, struct waiter *);
/* A waiter with no event source (polled): safe to unsubscribe. */
void	wait_none(struct waiter *);
int	wait_supervisor(struct svx_service *, const char *path,
	    const char *supervisedir, int64_t timeout_ms, int *kicked);
void	wait_base_take(const struct svx_service *, struct wait_base *);
void	wait_run(struct svx_service *, struct waiter *,
	    const struct wait_base *, const struct wait_opts *,
	    struct wait_report *);
void	wait_unsubscribe(struct waiter *);

#define WAIT_MANY_MAX	256

/* One of several services waited on together. */
struct wait_job {
	struct svx_service *sv;
	const char	*path;		/* as named: renamed ends the wait */
	struct waiter	*w;		/* subscribed before the base was read */
	struct wait_base base;
	struct wait_opts o;
	struct wait_report rep;		/* set when done */
	int64_t		 grace;		/* a death awaiting its record, until */
	int		 polled;	/* ./check ran: look again soon */
	int		 done;
	int		 settled;	/* done for good (level sets) */
	int		 check_err;	/* ./check could not be run: errno */
	int		 asked;		/* a polled source read since it began */
	int		 ready_seen;	/* the last readiness judged (TRI_*) */
	void		*ctx;		/* the personality's */
};

/*
 * Jobs waited on together: the one engine behind svx -w, sv -w, s6-svc -w
 * and s6-svwait. A job is over when its goal is met, or failed for good;
 * ON_DONE (if set) hears each as it ends, in the jobs' order, so a
 * personality prints each outcome in its tool's words.
 */
struct wait_set {
	struct wait_job *const *jobs;
	size_t		 n;
	int64_t		 deadline;	/* monotonic ms; 0: none */
	unsigned int	 any:1;		/* over when one job is (s6-svwait -o) */
	unsigned int	 level:1;	/* every job at the same moment
					   (s6-svwait -a): judged again each
					   round until settled for good */
	void		(*on_done)(struct wait_job *);
};

/* How many of N waiters the descriptor limit allows at once (raising the
 * soft limit toward the hard one when it must), at most WAIT_MANY_MAX. */
size_t	wait_room(size_t n);

/* N <= WAIT_MANY_MAX jobs, waited on together to one bound. */
void	wait_run_many(struct wait_job *const *, size_t n, int64_t deadline_ms);

/* Prepare a set's jobs (after each one's base is taken). */
void	wait_set_begin(struct wait_set *);
/* One round: 1 when the set is over. */
int	wait_set_step(struct wait_set *);
/* Rounds until over (0), the deadline (WAIT_TIMEOUT: level and any sets;
 * sticky ones end every job instead), or an error (WAIT_ERROR, errno). */
enum wait_result wait_set_run(struct wait_set *);

int	wait_events_many(struct waiter *const *, size_t, int timeout_ms);
int	wait_has_check(const struct svx_service *);
/* ./check run as sv runs it: TRI_YES unless it exits non-zero or outlives
 * the deadline; one that cannot be run passes, *ERR saying why. */
int	wait_run_check(int dirfd, int64_t deadline_ms, int *err);

/* The pure part: what the state read now means for the goal. */
enum wait_result wait_judge(const struct wait_base *, const struct wait_opts *,
	    const struct svx_proc *now, int alive, int ready,
	    struct waiter *);
int	wait_failed_since(const struct wait_base *, const struct svx_proc *);

#endif
