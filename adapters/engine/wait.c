/*
 * The wait engine (wait.h). Silent: it returns a report, the shim words it.
 *
 * Judging a state: a service "died during start" when a process started
 * after the command and is gone again, or when the service was fully down
 * at the start and a newer down transition shows up (the start and the
 * death fell between two reads). A stamp moving from "finishing" to
 * "down" (runit stamps the end of ./finish) is only the old run ending,
 * and a supervisor's first record (svx_proc.fresh) is no run at all.
 * A restart sent while the supervisor was about to start the service by
 * itself may kill that run: its end is forgiven once (old_run_ends).
 */
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scanner.h"
#include "wait.h"

#define POLL_MS		50	/* where no event source exists */
#define FDS_PER_WAITER	8	/* service dir, supervise/, inotify, lifeline,
				   pidfd, s6's FIFO (two ends) and event/ */
#define FDS_SPARE	64
#define CHECK_POLL_MS	100	/* ./check between tries */
#define CHECK_TRY_MS	5000	/* a ./check's bound when the wait has none */
#define DEATH_GRACE_MS	500	/* for the supervisor to record a death */
#define GONE_POLL_MS	250	/* how soon a removed directory is noticed */
#define S6_FIFO_PREFIX	"ftrig1:@"
#define S6_FLAG_READY	0x08	/* s6's status flags: while down, ./finish done */


static int
stamp_newer(const struct svx_stamp *a, const struct svx_stamp *b)
{
	return a->sec > b->sec || (a->sec == b->sec && a->nsec > b->nsec);
}

static int
is_up(const struct svx_proc *p)
{
	return p->state == STATE_UP && p->pid != 0;
}

static int
after_run(enum svx_state s)
{
	return s == STATE_DOWN || s == STATE_FINISHING || s == STATE_STOPPING ||
	    s == STATE_EXITED;
}

/*
 * How long the supervisor says this process has been up, at most a
 * minute: a service that was up, the same process, before the wait
 * began has settled already (sv check, svx -w up on a running service
 * answer at once).
 */
static int64_t
up_for_ms(const struct svx_proc *p)
{
	struct timespec ts;
	int64_t ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	ms = ((int64_t)ts.tv_sec - p->since.sec) * 1000 +
	    ((int64_t)ts.tv_nsec - (int64_t)p->since.nsec) / 1000000;
	return ms < 0 || p->since.sec == 0 ? 0 : ms > 60000 ? 60000 : ms;
}

/* Restarts: the process that stays must be another than before. */
static int
needs_new_pid(enum wait_goal g)
{
	return g == GOAL_RESTARTED || g == GOAL_NEW_OR_DOWN;
}

/*
 * A restart sent while no process ran but one was wanted
 * (wait_base.own_start_due): the supervisor may start one of its own just
 * before it reads the command (s6-supervise writes its first record, then
 * starts the service; every supervisor restarts a dead service by itself),
 * and the command's kill then ends that run. Its death, seen up first or
 * only as a newer down record, is the old process's: forgiven once (OLD
 * its pid, -1 if never seen), and the run after it is judged.
 */
static int
old_run_ends(const struct wait_base *base, const struct wait_opts *o,
    pid_t old, struct waiter *w)
{
	if (!base->own_start_due || !needs_new_pid(o->goal) || w->old_run != 0)
		return 0;
	w->old_run = old != 0 ? old : -1;
	w->new_pid = 0;
	return 1;
}

/* The first new process seen up: since when, as the judge counts it. */
static void
new_process(const struct wait_base *base, const struct svx_proc *now,
    struct waiter *w, int64_t t)
{
	w->new_pid = now->pid;
	w->up_since_ms = now->pid == base->pid && base->state == STATE_UP ?
	    t - up_for_ms(now) : t;
}

/* A newer record of no process: the last transition judged, from now. */
static enum wait_result
follow(const struct svx_proc *now, struct waiter *w)
{
	if (!is_up(now) && stamp_newer(&now->since, &w->ref.since)) {
		w->ref.state = now->state;
		w->ref.since = now->since;
		w->ref.pid = now->pid;
	}
	return WAIT_PENDING;
}

/* UP and RESTARTED: a new process that stays, ready where known. */
static enum wait_result
judge_start(const struct wait_base *base, const struct wait_opts *o,
    const struct svx_proc *now, int ready, struct waiter *w)
{
	int64_t t = monotonic_ms();

	if (is_up(now) && (!needs_new_pid(o->goal) || now->pid != base->pid)) {
		if (w->new_pid != 0 && w->new_pid != now->pid &&
		    !old_run_ends(base, o, w->new_pid, w))
			return WAIT_DIED;
		if (w->new_pid == 0)
			new_process(base, now, w, t);
		if (o->need_ready && ready == TRI_NO)
			return WAIT_PENDING;
		/* Settling stands in for readiness where there is none. */
		if (o->settle_ms > 0 && ready != TRI_YES &&
		    t - w->up_since_ms < o->settle_ms)
			return WAIT_PENDING;
		return WAIT_OK;
	}
	if (w->new_pid != 0) {
		if (!old_run_ends(base, o, w->new_pid, w))
			return WAIT_DIED;
		return follow(now, w);
	}
	/* A process started after the command, already gone (unreaped). */
	if (now->state == STATE_EXITED && now->pid != 0 &&
	    now->pid != base->pid && now->pid != w->old_run) {
		if (!old_run_ends(base, o, now->pid, w))
			return WAIT_DIED;
		return follow(now, w);
	}
	if (!is_up(now) && stamp_newer(&now->since, &w->ref.since) &&
	    w->ref.state == STATE_DOWN && after_run(now->state) &&
	    !now->fresh && !old_run_ends(base, o, -1, w))
		return WAIT_DIED;
	return follow(now, w);
}

/*
 * encore's ./stop (wait_base.runs_stop) has run its course. encore
 * writes a "stopped" record when the stopped process is reaped, forks
 * ./stop at once, and writes the same record again, but for its stamp,
 * when ./stop ends (PROTOCOLS.md#encore). The first one is
 * no stop: "stopped" counts once ./stop was seen running, or when a newer
 * "stopped" record follows the first, or when the first stays alone for
 * ENCORE_STOP_QUIET_MS (encore forks ./stop right after writing it, so a
 * record left alone that long is the last one: svx slept through ./stop).
 */
#define ENCORE_STOP_QUIET_MS	1000

static int
stop_script_over(const struct wait_base *base, const struct svx_proc *now,
    struct waiter *w)
{
	int64_t t;

	if (!base->runs_stop)
		return 1;
	if (!stamp_newer(&now->since, &base->since))
		return 0;
	if (now->state == STATE_FINISHING)
		w->stop_seen = 1;
	if (now->state != STATE_DOWN || now->want == WANT_UP)
		return 0;
	if (w->stop_seen)
		return 1;
	t = monotonic_ms();
	if (w->down_seen_ms == 0) {
		w->down_seen = now->since;
		w->down_seen_ms = t;
		return 0;
	}
	return stamp_newer(&now->since, &w->down_seen) ||
	    t - w->down_seen_ms >= ENCORE_STOP_QUIET_MS;
}

/*
 * encore's ./start is its readiness: the run process comes up only once
 * ./start has exited 0 (a failing ./start is "failed"), and without a
 * ./run, "started" is where a start ends.
 */
static int
start_ready(const struct wait_base *base, const struct svx_proc *now,
    int ready)
{
	return base->runs_start && is_up(now) ? TRI_YES : ready;
}

static int
started_without_run(const struct wait_base *base, const struct svx_proc *now)
{
	return base->runs_start && now->state == STATE_STARTED &&
	    stamp_newer(&now->since, &base->since);
}

/* encore's "failed", written after the command (not left from before). */
int
wait_failed_since(const struct wait_base *base, const struct svx_proc *now)
{
	return now->state == STATE_FAILED && (base->state != STATE_FAILED ||
	    stamp_newer(&now->since, &base->since));
}

/* A process runs, reaped or not: s6's "up", runsv's "run". */
static int
runs(const struct svx_proc *p)
{
	return (p->state == STATE_UP || p->state == STATE_STOPPING ||
	    p->state == STATE_EXITED) && p->pid != 0;
}

/* The pid a tool shows: the process, or the ./finish running. */
static pid_t
shown_pid(const struct svx_proc *p)
{
	if (runs(p))
		return p->pid;
	return p->state == STATE_FINISHING ? p->helper_pid : 0;
}

/* Down with ./finish done: s6 says so in its flags. */
static int
down_done(const struct svx_proc *p, const struct waiter *w)
{
	if (runs(p))
		return 0;
	if (w->s6)
		return (p->raw_state & S6_FLAG_READY) != 0;
	return p->state == STATE_DOWN || p->state == STATE_FAILED;
}

/*
 * A failure for good, while the goal is a process up. A failed record
 * read after another state is a new one even when its stamp is not
 * newer: supervisord stamps in whole seconds, so a start that fails
 * again within the second of the last failure reads the same "since".
 */
static int
failed_for_good(const struct wait_base *base, const struct svx_proc *now,
    const struct waiter *w)
{
	return w->saw_permfail || wait_failed_since(base, now) ||
	    (w->left_failed && now->state == STATE_FAILED);
}

/* The judges: one per goal, each what the state read now means. */
struct judged {
	const struct wait_base *base;
	const struct wait_opts *o;
	const struct svx_proc *now;
	int		 ready;
	struct waiter	*w;
};

static enum wait_result
met(int cond)
{
	return cond ? WAIT_OK : WAIT_PENDING;
}

static enum wait_result
j_start(const struct judged *j)
{
	if (failed_for_good(j->base, j->now, j->w))
		return WAIT_FAILED;
	if (started_without_run(j->base, j->now))
		return WAIT_OK;
	if (j->o->unpaused && j->now->paused && runs(j->now))
		return WAIT_PENDING;
	return judge_start(j->base, j->o, j->now, start_ready(j->base, j->now,
	    j->ready), j->w);
}

static enum wait_result
j_down(const struct judged *j)
{
	/*
	 * Down and wanted down: a crash-looping service is down for a
	 * moment between two runs, before its supervisor has read the
	 * `d` (supervise 0.76 sleeps a second after each start); that
	 * moment is not the stop asked for.
	 */
	return met((stop_script_over(j->base, j->now, j->w) &&
	    j->now->state == STATE_DOWN && j->now->want != WANT_UP) ||
	    j->now->state == STATE_FAILED);
}

static enum wait_result
j_not_up(const struct judged *j)
{
	return met(!is_up(j->now));
}

static enum wait_result
j_ran(const struct judged *j)
{
	return met(j->base->state == STATE_UP || is_up(j->now) ||
	    (stamp_newer(&j->now->since, &j->base->since) && !j->now->fresh));
}

static enum wait_result
j_up_event(const struct judged *j)
{
	if (failed_for_good(j->base, j->now, j->w))
		return WAIT_FAILED;
	return met(runs(j->now));
}

static enum wait_result
j_up_ready(const struct judged *j)
{
	if (failed_for_good(j->base, j->now, j->w))
		return WAIT_FAILED;
	return met(runs(j->now) && j->ready == TRI_YES);
}

static enum wait_result
j_down_event(const struct judged *j)
{
	return met(!runs(j->now));
}

static enum wait_result
j_down_ready(const struct judged *j)
{
	return met(down_done(j->now, j->w));
}

/*
 * Down, then up: the down half is seen down (with ./finish done, for
 * s6-svlisten1), or as a new pid (down and up between two reads). The
 * up half waits for every job's down half (the set's phase2); a
 * permanent failure counts only then, as s6 ignores it before.
 */
static enum wait_result
j_cycle(const struct judged *j)
{
	const struct svx_proc *now = j->now;
	struct waiter *w = j->w;

	if (!runs(now) && (!j->o->finish_first || down_done(now, w)))
		w->went_down = 1;
	else if (runs(now) && now->pid != j->base->pid && j->base->pid != 0)
		w->went_down = 1;
	if (!w->phase2)
		return WAIT_PENDING;
	if (failed_for_good(j->base, now, w))
		return WAIT_FAILED;
	return met(runs(now) && (j->o->goal == GOAL_CYCLE_EVENT ||
	    j->ready == TRI_YES));
}

static enum wait_result
j_stopped(const struct judged *j)
{
	return met(shown_pid(j->now) == 0 && !runs(j->now) &&
	    j->now->state != STATE_FINISHING);
}

/* sv's t and k: wanted down and gone, or a new process that stays. */
static enum wait_result
j_new_or_down(const struct judged *j)
{
	if (shown_pid(j->now) == 0 && j->now->want != WANT_UP)
		return WAIT_OK;
	if (runs(j->now) && j->now->got_term)
		return WAIT_PENDING;
	return j_start(j);
}

static enum wait_result
j_once_over(const struct judged *j)
{
	pid_t pid = shown_pid(j->now);

	return met(!(pid == 0 && stamp_newer(&j->o->after, &j->now->since)) &&
	    !(pid != 0 && j->now->want == WANT_UP));
}

static enum wait_result
j_paused(const struct judged *j)
{
	return met(shown_pid(j->now) == 0 || j->now->paused);
}

static enum wait_result
j_continued(const struct judged *j)
{
	return met(shown_pid(j->now) == 0 || !j->now->paused);
}

static enum wait_result
j_wanted(const struct judged *j)
{
	return j->now->want != WANT_UP ? j_stopped(j) : j_start(j);
}

static enum wait_result
j_none(const struct judged *j)
{
	(void)j;
	return WAIT_OK;
}

/*
 * The goal table. UP: the goal is a process up, so ./check or readiness
 * is read while one runs.
 */
static const struct goal_row {
	enum wait_result (*judge)(const struct judged *);
	unsigned int	 up:1;
} goals[GOAL_NONE + 1] = {
	[GOAL_UP]		= { j_start, 1 },
	[GOAL_DOWN]		= { j_down, 0 },
	[GOAL_NOT_UP]		= { j_not_up, 0 },
	[GOAL_RESTARTED]	= { j_start, 1 },
	[GOAL_EXITED]		= { j_none, 0 },	/* judged before */
	[GOAL_RAN]		= { j_ran, 0 },
	[GOAL_UP_EVENT]		= { j_up_event, 0 },
	[GOAL_UP_READY]		= { j_up_ready, 1 },
	[GOAL_DOWN_EVENT]	= { j_down_event, 0 },
	[GOAL_DOWN_READY]	= { j_down_ready, 0 },
	[GOAL_CYCLE_EVENT]	= { j_cycle, 0 },
	[GOAL_CYCLE_READY]	= { j_cycle, 1 },
	[GOAL_STOPPED]		= { j_stopped, 0 },
	[GOAL_NEW_OR_DOWN]	= { j_new_or_down, 1 },
	[GOAL_ONCE_OVER]	= { j_once_over, 0 },
	[GOAL_PAUSED]		= { j_paused, 0 },
	[GOAL_CONTINUED]	= { j_continued, 0 },
	[GOAL_WANTED]		= { j_wanted, 1 },
	[GOAL_NONE]		= { j_none, 0 },
};

enum wait_result
wait_judge(const struct wait_base *base, const struct wait_opts *o,
    const struct svx_proc *now, int alive, int ready, struct waiter *w)
{
	struct judged j = { base, o, now, ready, w };
	enum wait_result r;

	if (now->state != STATE_FAILED && now->state != STATE_UNKNOWN)
		w->left_failed = 1;
	if (o->goal == GOAL_EXITED)
		return alive ? WAIT_PENDING : WAIT_OK;
	if (alive || !o->judge_last)
		/* A dead supervisor's status is stale: judge nothing from
		 * it, unless the tool judges its last word (s6's `x`). */
		return alive ? goals[o->goal].judge(&j) : WAIT_SUPERVISOR_DIED;
	r = goals[o->goal].judge(&j);
	return r == WAIT_OK ? WAIT_OK : WAIT_SUPERVISOR_DIED;
}

/* A regular file its owner may execute, as encore's stat_isexec asks. */
static int
encore_script(const struct svx_service *sv, const char *name)
{
	struct stat st;

	return fstatat(sv->dirfd, name, &st, 0) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & S_IXUSR) != 0;
}

/*
 * Which of encore's scripts the command about to be sent runs: ./start
 * on the first start after a want of down (or while it already runs);
 * ./stop once the process running now is gone (a `d` to a running
 * process, ./start or ./stop included, makes encore run ./stop again).
 */
static void
encore_scripts(const struct svx_service *sv, struct wait_base *base)
{
	const struct svx_proc *m = &sv->st.main;

	if (sv->det.backend != BACKEND_ENCORE)
		return;
	base->runs_start = ((m->want != WANT_UP && m->state != STATE_UP) ||
	    m->state == STATE_STARTING) && encore_script(sv, "start");
	base->runs_stop = (m->pid != 0 || m->helper_pid != 0) &&
	    encore_script(sv, "stop");
}

void
wait_base_take(const struct svx_service *sv, struct wait_base *base)
{
	memset(base, 0, sizeof(*base));
	base->state = STATE_UNKNOWN;
	if (!sv->status_ok)
		return;
	base->pid = sv->st.main.pid;
	base->since = sv->st.main.since;
	base->state = sv->st.main.state;
	base->own_start_due = !runs(&sv->st.main) &&
	    sv->st.main.want == WANT_UP;
	encore_scripts(sv, base);
}

/*
 * The supervisor's pid, for a pidfd that tells us at once if it dies. s6
 * names it (the lock holder). The djb family takes flock(), which has no
 * query (and /proc/locks costs milliseconds to read), but a running
 * service's parent is its supervisor (daemontools, runit and encore do
 * not double-fork). When neither is known, liveness is polled instead.
 */
static pid_t
supervisor_pid(const struct svx_service *sv)
{
	if (sv->det.ev.lock_pid > 0)
		return sv->det.ev.lock_pid;
	if (!sv->status_ok || sv->st.main.pid <= 0)
		return 0;
	return process_parent(sv->st.main.pid);
}

static void
fifo_name(char *buf, size_t len)
{
	struct timespec ts;
	unsigned int seed;

	clock_gettime(CLOCK_REALTIME, &ts);
	seed = (unsigned int)ts.tv_nsec ^ (unsigned int)getpid() << 8;
	/* 8 + 24 + 1 + 6 = 39 characters, as s6's ftrig listeners use. */
	snprintf(buf, len, S6_FIFO_PREFIX "%016llx%08lx:%06x",
	    (unsigned long long)ts.tv_sec, (unsigned long)ts.tv_nsec,
	    (seed * 2654435761U) & 0xffffff);
}

/*
 * s6's event/ fifodir: create our FIFO under a dot-name (the supervisor
 * ignores those and unlinks FIFOs without a reader), open it for reading
 * and keep a writer of our own so it never reads EOF, then rename it in.
 */
static int
subscribe_s6(int dirfd, struct waiter *w)
{
	char tmp[49];

	w->evfd = openat(dirfd, "event", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->evfd == -1)
		return -1;
	fifo_name(w->fifo_name, sizeof(w->fifo_name));
	snprintf(tmp, sizeof(tmp), ".%s", w->fifo_name);
	if (mkfifoat(w->evfd, tmp, 0600) == -1)
		return -1;
	w->fifo_fd = openat(w->evfd, tmp, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fifo_fd != -1)
		w->fifo_keep = openat(w->evfd, tmp, O_WRONLY | O_NONBLOCK |
		    O_CLOEXEC);
	if (w->fifo_fd == -1 || w->fifo_keep == -1 ||
	    renameat(w->evfd, tmp, w->evfd, w->fifo_name) == -1) {
		unlinkat(w->evfd, tmp, 0);
		w->fifo_name[0] = '\0';
		return -1;
	}
	return 0;
}

/*
 * The watcher: a child that holds the inotify instance and writes a byte
 * down a pipe for each batch of events. Tearing an inotify instance down
 * waits for an SRCU grace period in the kernel (often 10-20 ms, measured
 * in make bench); the child pays it after we have gone, instead of every
 * svx that waited. It ends as soon as our end of its lifeline closes.
 */
static void
watcher(int svfd, int events, int lifeline)
{
	struct pollfd fds[2];
	char path[64], buf[4096];
	int ino, keep[3] = { svfd, events, lifeline };

	/* A fork holds copies of all our descriptors, earlier watchers'
	 * lifelines among them, which would then never see their end. */
	fds_close_all_but(keep, 3);
	ino = inotify_init1(IN_CLOEXEC);
	/*
	 * Status files are renamed into place (IN_MOVED_TO) or, by encore,
	 * rewritten (IN_MODIFY). Not IN_OPEN or IN_CLOSE_WRITE: liveness
	 * probes open and close the FIFOs, and would wake us.
	 */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", svfd);
	if (ino == -1 || inotify_add_watch(ino, path, IN_MOVED_TO | IN_MODIFY |
	    IN_DELETE_SELF | IN_MOVE_SELF) == -1)
		_exit(1);
	if (write(events, "r", 1) != 1)		/* watching: go on */
		_exit(1);
	fds[0] = (struct pollfd){ ino, POLLIN, 0 };
	fds[1] = (struct pollfd){ lifeline, POLLIN, 0 };
	for (;;) {
		if (poll(fds, 2, -1) == -1 && errno != EINTR)
			_exit(1);
		if (fds[1].revents != 0)
			_exit(0);
		if (fds[0].revents != 0 && read(ino, buf, sizeof(buf)) > 0)
			(void)write(events, "e", 1);	/* full pipe: fine */
	}
}

size_t
wait_room(size_t n)
{
	struct rlimit rl;
	rlim_t need;

	if (n > WAIT_MANY_MAX)
		n = WAIT_MANY_MAX;
	need = (rlim_t)n * FDS_PER_WAITER + FDS_SPARE;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return n;
	if (rl.rlim_cur < need && rl.rlim_cur != RLIM_INFINITY) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >
		    need ? need : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
		n = rl.rlim_cur > FDS_SPARE + FDS_PER_WAITER ?
		    (size_t)((rl.rlim_cur - FDS_SPARE) / FDS_PER_WAITER) : 1;
	return n;
}

/*
 * Watchers end on their own once their lifeline closes, a little later
 * (the inotify teardown): they are reaped when found gone, not waited for.
 */
static pid_t watchers[2 * WAIT_MANY_MAX];

static void
reap_watchers(pid_t add)
{
	size_t i;

	for (i = 0; i < sizeof(watchers) / sizeof(watchers[0]); i++) {
		if (watchers[i] > 0 && waitpid(watchers[i], NULL, WNOHANG) != 0)
			watchers[i] = 0;
		if (watchers[i] == 0 && add > 0) {
			watchers[i] = add;
			add = 0;
		}
	}
}

static int
cloexec_pipe(int p[2])
{
	if (pipe(p) == -1)
		return -1;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static int
subscribe_inotify(int svfd, struct waiter *w)
{
	int events[2], lifeline[2];
	pid_t pid;
	char c;

	if (cloexec_pipe(events) == -1)
		return -1;
	if (cloexec_pipe(lifeline) == -1) {
		close(events[0]);
		close(events[1]);
		return -1;
	}
	if ((pid = fork()) == 0) {
		close(events[0]);
		close(lifeline[1]);
		signal(SIGPIPE, SIG_IGN);
		fcntl(events[1], F_SETFL, O_NONBLOCK);
		watcher(svfd, events[1], lifeline[0]);
	}
	close(events[1]);
	close(lifeline[0]);
	/* The watch is in place before we read any state: no race. */
	if (pid == -1 || read(events[0], &c, 1) != 1) {
		close(events[0]);
		close(lifeline[1]);
		return -1;
	}
	fcntl(events[0], F_SETFL, O_NONBLOCK);
	w->inotify_fd = events[0];
	w->lifeline = lifeline[1];
	reap_watchers(pid);
	return 0;
}

void
wait_none(struct waiter *w)
{
	memset(w, 0, sizeof(*w));
	w->inotify_fd = w->pidfd = w->fifo_fd = w->fifo_keep = w->evfd = -1;
	w->lifeline = -1;
}

/* Before the state is read: every change after this wakes us. */
int
wait_subscribe(const struct svx_service *sv, struct waiter *w)
{
	wait_none(w);
	/* A source without events (supervisord): asked at its interval. */
	if (service_source(sv) != NULL)
		w->poll_ms = service_source(sv)->poll_ms;
	if (sv->svfd == -1)
		return 0;
	/*
	 * s6's fifodir reports every change itself. inotify is only for the
	 * others: tearing an inotify instance down waits for an SRCU grace
	 * period in the kernel, often 10-20 ms, paid again at every exit.
	 */
	if (sv->det.backend != BACKEND_S6 || !(sv->det.ev.files & EV_EVENT) ||
	    subscribe_s6(sv->dirfd, w) == -1)
		(void)subscribe_inotify(sv->svfd, w);
	w->supervisor = supervisor_pid(sv);
	w->pidfd = pidfd_of(w->supervisor);
	return 0;
}

void
wait_unsubscribe(struct waiter *w)
{
	if (w->fifo_name[0] != '\0' && w->evfd != -1)
		unlinkat(w->evfd, w->fifo_name, 0);
	if (w->fifo_fd != -1)
		close(w->fifo_fd);
	if (w->fifo_keep != -1)
		close(w->fifo_keep);
	if (w->evfd != -1)
		close(w->evfd);
	if (w->inotify_fd != -1)
		close(w->inotify_fd);
	if (w->lifeline != -1) {
		close(w->lifeline);	/* the watcher ends */
		reap_watchers(0);
	}
	if (w->pidfd != -1)
		close(w->pidfd);
	w->fifo_fd = w->fifo_keep = w->evfd = w->inotify_fd = w->pidfd = -1;
	w->lifeline = -1;
}

static void
drain(struct waiter *w)
{
	char buf[4096];
	ssize_t r, i;

	if (w->inotify_fd != -1) {
		while ((r = read(w->inotify_fd, buf, sizeof(buf))) > 0)
			;
		if (r == 0) {	/* the watcher died: poll from now on */
			close(w->inotify_fd);
			w->inotify_fd = -1;
		}
	}
	if (w->fifo_fd == -1)
		return;
	while ((r = read(w->fifo_fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < r; i++) {
			if (buf[i] == 'O')
				w->saw_permfail = 1;
			else if (buf[i] == 'x')
				w->saw_exit = 1;
		}
	}
}

/*
 * ./check, run as sv runs it: in the service directory, stdout closed.
 * It passes unless it exits non-zero: one killed by a signal passes, and
 * so does one that cannot be run (its errno comes back through a pipe
 * closed on exec, into *ERR, for the caller to say). Unlike sv, it is
 * killed at the deadline instead of waited for forever: then it fails.
 */
static void
check_child(int dirfd, int errpipe)
{
	int e;

	if (fchdir(dirfd) == 0) {
		close(1);
		execl("./check", "./check", (char *)NULL);
	}
	e = errno;
	(void)write(errpipe, &e, sizeof(e));
	_exit(0);
}

int
wait_run_check(int dirfd, int64_t deadline, int *err)
{
	struct pollfd pfd;
	pid_t pid;
	int status = 0, fd, p[2], e = 0;
	int64_t left;

	*err = 0;
	if (cloexec_pipe(p) == -1)
		return TRI_UNKNOWN;
	if ((pid = fork()) == 0)
		check_child(dirfd, p[1]);
	close(p[1]);
	if (pid == -1) {
		*err = errno;
		close(p[0]);
		return TRI_UNKNOWN;
	}
	fd = pidfd_of(pid);
	for (;;) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		left = deadline - monotonic_ms();
		if (left <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			status = -1;
			break;
		}
		/* Without a pidfd, look again every 10 ms. */
		if (fd == -1 && left > 10)
			left = 10;
		pfd.fd = fd;
		pfd.events = POLLIN;
		poll(&pfd, fd != -1 ? 1 : 0, (int)left);
	}
	if (read(p[0], &e, sizeof(e)) == (ssize_t)sizeof(e))
		*err = e;
	close(p[0]);
	if (fd != -1)
		close(fd);
	return status != -1 && ((status >> 8) & 0xff) == 0 ? TRI_YES : TRI_NO;
}

/* sv's test: anything there, even a dangling link, is a ./check. */
int
wait_has_check(const struct svx_service *sv)
{
	return faccessat(sv->dirfd, "check", F_OK, AT_SYMLINK_NOFOLLOW) == 0 ||
	    errno != ENOENT;
}

/*
 * Readiness: s6's ready flag where the service has a notification-fd
 * (only such a service can ever set it); otherwise a ./check, run as sv
 * runs it, on every backend; otherwise what the backend records, if it
 * does (an s6 service without notification-fd: unknown, or "not ready"
 * would wait forever).
 */
static int
readiness(const struct svx_service *sv, int64_t deadline, struct wait_job *j)
{
	int s6_notifies;

	/* A source says it itself, and has no directory for a ./check;
	 * supervisord's RUNNING is its readiness (startsecs passed). */
	if (service_source(sv) != NULL)
		return service_source(sv)->up_is_ready &&
		    sv->st.main.state == STATE_UP ? TRI_YES : sv->st.main.ready;
	s6_notifies = sv->det.backend == BACKEND_S6 &&
	    faccessat(sv->dirfd, "notification-fd", F_OK, 0) == 0;
	if (!s6_notifies && wait_has_check(sv)) {
		j->polled = 1;
		return wait_run_check(sv->dirfd, deadline != 0 ? deadline :
		    monotonic_ms() + CHECK_TRY_MS, &j->check_err);
	}
	if (sv->det.backend == BACKEND_S6 && !s6_notifies &&
	    sv->st.main.ready == TRI_NO)
		return TRI_UNKNOWN;
	return sv->st.main.ready;
}

/* How often a waiter without events looks: its source's, or POLL_MS. */
static int
poll_interval(const struct waiter *w)
{
	return w->poll_ms > 0 ? w->poll_ms : POLL_MS;
}

/*
 * Sleep until an event on any of N waiters, or TIMEOUT ms; then drain
 * them all. A waiter with no pidfd cannot hear its supervisor die, so
 * it caps the sleep at its poll interval.
 */
int
wait_events_many(struct waiter *const *ws, size_t n, int timeout)
{
	/* With no event source at all, this is the polling interval. */
	struct pollfd fds[3 * WAIT_MANY_MAX];
	nfds_t nfds = 0;
	size_t i;

	if (n > WAIT_MANY_MAX) {
		errno = E2BIG;
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct waiter *w = ws[i];

		if (w->inotify_fd != -1)
			fds[nfds++] = (struct pollfd){ w->inotify_fd, POLLIN, 0 };
		if (w->fifo_fd != -1)
			fds[nfds++] = (struct pollfd){ w->fifo_fd, POLLIN, 0 };
		if (w->pidfd != -1)
			fds[nfds++] = (struct pollfd){ w->pidfd, POLLIN, 0 };
		if ((w->pidfd == -1 || (w->inotify_fd == -1 &&
		    w->fifo_fd == -1)) && (timeout > poll_interval(w) ||
		    timeout < 0))
			timeout = poll_interval(w);
	}
	if (poll(fds, nfds, timeout) == -1 && errno != EINTR)
		return -1;
	for (i = 0; i < n; i++)
		drain(ws[i]);
	return 0;
}

static void
report(struct wait_report *rep, enum wait_result r,
    const struct svx_service *sv, const struct wait_job *j)
{
	rep->result = r;
	/* Held by readiness only once the process it waits for runs. */
	rep->unready = j->ready_seen == TRI_NO && runs(&sv->st.main) &&
	    (!needs_new_pid(j->o.goal) || j->w->new_pid != 0);
	rep->alive = sv->det.verdict == VERDICT_SUPERVISED;
	if (sv->status_ok) {
		rep->last = sv->st.main;
		rep->wstat = sv->st.main.wstat;
	}
}

/*
 * The status file still shows a process that is gone (daemontools sleeps
 * a second after every start before it reaps anything,
 * PROTOCOLS.md#daemontools).
 */
static int
death_unrecorded(const struct svx_service *sv)
{
	return sv->status_ok && sv->st.main.state == STATE_EXITED;
}

/*
 * The service directory, or its supervise/, has been removed (a finish
 * script may rm -rf its own service, as tokiclover's framework does):
 * the supervisor can no longer record anything there, and no wait on it
 * can end well. s6's fifodir goes with it, so nothing wakes us: every
 * wait looks again each GONE_POLL_MS.
 */
static int
service_removed(const struct svx_service *sv)
{
	struct stat st;

	return (fstat(sv->dirfd, &st) == 0 && st.st_nlink == 0) ||
	    (sv->svfd != -1 && fstat(sv->svfd, &st) == 0 && st.st_nlink == 0);
}

/*
 * One of the files every backend keeps in supervise/ gone by name. A
 * supervisor that dies leaves them; rm -rf takes them in its directory
 * order, so which goes first (the lock or the FIFO that proves the
 * supervisor alive, or the status) is chance.
 */
static int
supervise_unlinked(const struct svx_service *sv)
{
	static const char *const kept[] = { "status", "control", "lock" };
	struct stat st;
	size_t i;

	if (sv->svfd == -1)
		return 0;
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (fstatat(sv->svfd, kept[i], &st, AT_SYMLINK_NOFOLLOW) ==
		    -1 && errno == ENOENT)
			return 1;
	return 0;
}

/*
 * Renamed, or replaced: the path the service was named by (or its
 * supervise/) is no longer the directory held. A rename keeps the inode
 * and its link count, so only a look at the path tells. A path svx may
 * not search (EACCES) tells nothing.
 */
static int
path_moved(int fd, int atfd, const char *path)
{
	struct stat held, now;

	if (fstat(fd, &held) == -1)
		return 0;
	if (fstatat(atfd, path, &now, 0) == -1)
		return errno == ENOENT || errno == ENOTDIR;
	return !same_file(&held, &now);
}

static int
service_moved(const struct svx_service *sv, const char *path)
{
	if (path == NULL)
		return 0;
	return path_moved(sv->dirfd, AT_FDCWD, path) || (sv->svfd != -1 &&
	    !sv->relocated && path_moved(sv->svfd, sv->dirfd, "supervise"));
}

/* How long job J may sleep: to the deadline, or less where it polls. */
static int64_t
job_timeout(const struct wait_job *j, int64_t deadline)
{
	int64_t now = monotonic_ms(), left = deadline - now;

	if (deadline == 0 || left > GONE_POLL_MS)
		left = GONE_POLL_MS;
	if (j->polled && left > CHECK_POLL_MS)
		left = CHECK_POLL_MS;
	if (j->w->pidfd == -1 && left > poll_interval(j->w))
		left = poll_interval(j->w);
	if (j->grace != 0 && j->grace - now < left)
		left = j->grace - now;
	if (j->w->new_pid != 0 && j->o.settle_ms > 0) {
		int64_t settle = j->w->up_since_ms + j->o.settle_ms - now;

		if (settle >= 0 && settle < left)
			left = settle + 1;
	}
	return left < 0 ? 0 : left;
}

/* The supervisor as the goal judges it: s6's `x` event says it left. */
static int
job_alive(const struct wait_job *j)
{
	return j->sv->det.verdict == VERDICT_SUPERVISED &&
	    !(j->o.judge_last && j->w->saw_exit);
}

/*
 * Read and judge job J once: the result, WAIT_PENDING while it runs.
 * FINAL: the deadline has come. A polled source's reads share the
 * command's bound (supervisord's calls: sd_conn.deadline_ms), so one
 * asked now could only time out: its last answer, at most a poll
 * interval old, is judged instead. Unless it has not been read since
 * the wait began: its last answer is then from before the command.
 */
static enum wait_result
job_judge(struct wait_job *j, int64_t deadline, int final)
{
	struct svx_service *sv = j->sv;
	enum wait_result r = WAIT_PENDING;
	struct svx_proc now;
	int alive, ready = TRI_UNKNOWN;

	if (!final || service_source(sv) == NULL || !j->asked)
		service_refresh(sv);
	j->asked = 1;
	j->ready_seen = TRI_UNKNOWN;
	alive = job_alive(j);
	j->polled = 0;
	/* Removed: what is left there says nothing the wait could trust. */
	if (service_removed(sv))
		return WAIT_GONE;
	if (service_moved(sv, j->path))	/* or removed since */
		return service_removed(sv) ? WAIT_GONE : WAIT_MOVED;
	if (!sv->status_ok && !alive && j->o.judge_last)
		return WAIT_SUPERVISOR_DIED;	/* nothing known met it */
	if (sv->status_ok || !alive) {
		now = sv->st.main;
		if (sv->status_ok && alive && goals[j->o.goal].up &&
		    (j->o.need_ready || j->o.goal == GOAL_UP_READY ||
		    j->o.goal == GOAL_CYCLE_READY) && runs(&now))
			j->ready_seen = ready = readiness(sv, deadline, j);
		r = wait_judge(&j->base, &j->o, &now, alive, ready, j->w);
	}
	/* Its supervisor's files gone by name while the directories are
	 * still linked: a removal under way (a finish script's rm -rf)
	 * takes the lock and the FIFOs first, which reads as the
	 * supervisor dying. A moment for it to finish, to say so. */
	if (r == WAIT_SUPERVISOR_DIED && supervise_unlinked(sv)) {
		if (j->grace == 0)
			j->grace = monotonic_ms() + DEATH_GRACE_MS;
		if (monotonic_ms() < j->grace)
			return WAIT_PENDING;
	}
	/* A death seen before the supervisor wrote it down: give it a
	 * moment, so the report can say how the service died. */
	if (r == WAIT_DIED && death_unrecorded(sv)) {
		if (j->grace == 0)
			j->grace = monotonic_ms() + DEATH_GRACE_MS;
		if (monotonic_ms() < j->grace)
			r = WAIT_PENDING;
	}
	return r;
}

static void
job_end(const struct wait_set *s, struct wait_job *j, enum wait_result r)
{
	report(&j->rep, r, j->sv, j);
	j->done = 1;
	if (s->on_done != NULL)
		s->on_done(j);
}

void
wait_set_begin(struct wait_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct wait_job *j = s->jobs[i];

		memset(&j->rep, 0, sizeof(j->rep));
		proc_clear(&j->rep.last);
		j->rep.wstat = -1;
		j->w->ref = j->base;
		j->w->s6 = j->sv->det.backend == BACKEND_S6;
		j->grace = 0;
		j->done = j->settled = 0;
		j->check_err = 0;
	}
}

/* Cycles: the up half begins once every job's down half was seen (1). */
static int
cycle_phase(const struct wait_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!s->jobs[i]->w->went_down || s->jobs[i]->w->phase2)
			return 0;
	for (i = 0; i < s->n; i++)
		s->jobs[i]->w->phase2 = 1;
	return 1;
}

/*
 * A level set: every job judged again each round (a goal met can be
 * lost again); a failure for good, or a supervisor gone, settles a job,
 * as s6 judges its bits after each event.
 */
static int
level_step(struct wait_set *s)
{
	size_t i, done = 0;
	enum wait_result r;

	for (i = 0; i < s->n; i++) {
		struct wait_job *j = s->jobs[i];

		if (!j->settled) {
			r = job_judge(j, s->deadline, 0);
			j->done = r != WAIT_PENDING;
			j->settled = j->done && (r != WAIT_OK || !job_alive(j));
			if (j->done)
				report(&j->rep, r, j->sv, j);
		}
		done += j->done != 0;
	}
	return s->any ? done > 0 : done == s->n;
}

int
wait_set_step(struct wait_set *s)
{
	int final = s->deadline != 0 && monotonic_ms() >= s->deadline;
	enum wait_result r;
	size_t i, left = 0, done = 0;

	if (s->level) {
		if (level_step(s))
			return 1;
		/* Every down half seen: judge the up halves at once. */
		return cycle_phase(s) && level_step(s);
	}
	for (i = 0; i < s->n; i++) {
		struct wait_job *j = s->jobs[i];

		if (j->done) {
			done++;
			continue;
		}
		r = job_judge(j, s->deadline, final);
		/* At the bound, a death seen but not yet recorded is one. */
		if (r == WAIT_PENDING && final)
			r = j->grace != 0 ? WAIT_DIED : WAIT_TIMEOUT;
		if (r == WAIT_PENDING) {
			left++;
			continue;
		}
		job_end(s, j, r);
		done++;
	}
	return left == 0 || (s->any && done > 0);
}

enum wait_result
wait_set_run(struct wait_set *s)
{
	struct waiter *ws[WAIT_MANY_MAX];
	int64_t timeout, t;
	size_t i, k;

	while (!wait_set_step(s)) {
		if (s->level && s->deadline != 0 &&
		    monotonic_ms() >= s->deadline)
			return WAIT_TIMEOUT;
		timeout = INT_MAX;
		for (i = k = 0; i < s->n; i++) {
			struct wait_job *j = s->jobs[i];

			if (j->done && !s->level)
				continue;
			if ((t = job_timeout(j, s->deadline)) < timeout)
				timeout = t;
			if (k < WAIT_MANY_MAX)
				ws[k++] = j->w;
		}
		if (s->deadline != 0 && s->deadline - monotonic_ms() < timeout)
			timeout = s->deadline - monotonic_ms();
		if (wait_events_many(ws, k, (int)(timeout < 0 ? 0 : timeout))
		    == -1)
			return WAIT_ERROR;
	}
	return WAIT_OK;
}

/*
 * All N jobs at once, to one DEADLINE (monotonic ms): `svx -w 5 down a b
 * c` takes at most 5 s, as sv -w does, not 5 s a service.
 */
void
wait_run_many(struct wait_job *const *jobs, size_t n, int64_t deadline)
{
	struct wait_set s = { .jobs = jobs, .n = n, .deadline = deadline };
	size_t i;

	wait_set_begin(&s);
	if (wait_set_run(&s) != WAIT_ERROR)
		return;
	for (i = 0; i < n; i++)
		if (!jobs[i]->done)
			report(&jobs[i]->rep, WAIT_ERROR, jobs[i]->sv, jobs[i]);
}

void
wait_run(struct svx_service *sv, struct waiter *w,
    const struct wait_base *base, const struct wait_opts *o,
    struct wait_report *rep)
{
	struct wait_job j = { .sv = sv, .w = w, .base = *base, .o = *o };
	struct wait_job *jp = &j;

	wait_run_many(&jp, 1, monotonic_ms() + o->timeout_ms);
	*rep = j.rep;
}

/*
 * A backstop: a supervisor's last step, opening supervise/ok for reading,
 * makes no event we can tell from our own probes.
 */
#define SUPERVISOR_POLL_MS	50

static int
watch_dir(int ino, int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return inotify_add_watch(ino, path, IN_CREATE | IN_MOVED_TO |
	    IN_MODIFY | IN_ATTRIB);
}

static int
supervisor_ready(const struct svx_service *sv)
{
	return sv->det.verdict == VERDICT_SUPERVISED && !sv->det.starting &&
	    sv->status_ok;
}

/*
 * A service directory just linked into a scan directory: kick its scanner
 * (*kicked: enum scanner_kind), then wait until a supervisor owns it and
 * has written its status. 0 once it does; -1 at the timeout. With a
 * negative TIMEOUT_MS, wait -TIMEOUT_MS only when a scanner was found.
 */
int
wait_supervisor(struct svx_service *sv, const char *path,
    const char *supervisedir, int64_t timeout_ms, int *kicked)
{
	int64_t deadline = monotonic_ms() + timeout_ms, left, kicked_at;
	struct pollfd pfd;
	char buf[4096];
	int ino, watching = 0, r = -1;

	*kicked = scanner_kick(path);
	kicked_at = monotonic_ms();
	/* A negative bound: wait only if a scanner watches the parent. */
	if (timeout_ms < 0) {
		if (*kicked == SCANNER_NONE)
			return -1;
		deadline = monotonic_ms() - timeout_ms;
	}
	ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ino != -1)
		(void)watch_dir(ino, sv->dirfd);
	for (;;) {
		if (sv->svfd == -1)
			sv->svfd = svdir_open(sv->dirfd, path, supervisedir,
			    &sv->relocated);
		if (sv->svfd != -1 && !watching && ino != -1)
			watching = watch_dir(ino, sv->svfd) != -1;
		sv->svdir_err = sv->svfd == -1 ? errno : 0;
		service_refresh(sv);
		if (supervisor_ready(sv)) {
			r = 0;
			break;
		}
		if ((left = deadline - monotonic_ms()) <= 0)
			break;
		/* runsvdir drops a kick that comes within a second of its
		 * last scan: say it again once that second is over. */
		if (*kicked == SCANNER_RUNSVDIR &&
		    monotonic_ms() - kicked_at >= SCANNER_REKICK_MS) {
			(void)scanner_kick(path);
			kicked_at = monotonic_ms();
		}
		pfd.fd = ino;
		pfd.events = POLLIN;
		poll(&pfd, ino != -1, (int)(left < SUPERVISOR_POLL_MS ? left :
		    SUPERVISOR_POLL_MS));
		while (ino != -1 && read(ino, buf, sizeof(buf)) > 0)
			;
	}
	if (ino != -1)
		close(ino);
	return r;
}
