/*
 * svx watch's states: one reading of a service reduced to what a watcher
 * reports, and the rule for "this is news". Pure but for
 * watch_supervisor_pid, which asks /proc.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <string.h>

#include "detect.h"
#include "watch.h"

/* The backend-neutral states as a watcher words them. */
static const enum watch_state by_state[STATE_COUNT] = {
	[STATE_UNKNOWN] = WS_UNSUPERVISED,
	[STATE_DOWN] = WS_DOWN,
	[STATE_STARTING] = WS_STARTING,
	[STATE_STARTED] = WS_UP,	/* encore: ./start done, no ./run */
	[STATE_UP] = WS_UP,
	[STATE_FINISHING] = WS_FINISHING,
	[STATE_STOPPING] = WS_STOPPING,
	[STATE_FAILED] = WS_FAILED,
	[STATE_EXITED] = WS_DOWN,	/* gone, not reaped yet: down */
};

void
watch_snap_absent(struct watch_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->state = WS_ABSENT;
	s->wstat = -1;
}

/*
 * "ready" only where the service says so (s6's ./notification-fd, a
 * supervisord program's RUNNING): a ready bit without the file is not a
 * readiness anyone signalled (PROTOCOLS.md#s6-readiness-and-events).
 */
static int
signals_ready(const struct svx_service *sv, const struct svx_proc *p)
{
	return p->ready == TRI_YES && (service_source(sv) != NULL ||
	    (sv->det.ev.files & EV_NOTIFY_FD) != 0);
}

/*
 * A live supervisor is never "unsupervised": one that has written no
 * status yet (it has just started) says no state, so the last one
 * stands (0); one whose status svx cannot decode is unknown.
 */
int
watch_snap_take(const struct svx_service *sv, struct watch_snap *s)
{
	const struct svx_proc *p = &sv->st.main;

	watch_snap_absent(s);
	if (sv->det.verdict == VERDICT_ERROR ||
	    sv->det.verdict == VERDICT_AMBIGUOUS) {
		s->state = WS_UNKNOWN;
		return 1;
	}
	if (sv->det.verdict != VERDICT_SUPERVISED) {
		s->state = WS_UNSUPERVISED;
		return 1;
	}
	if (sv->det.starting || !sv->status_ok) {
		s->state = WS_UNKNOWN;
		return !sv->det.starting;
	}
	s->state = (unsigned int)p->state < STATE_COUNT ? by_state[p->state] :
	    WS_UNSUPERVISED;
	if (s->state == WS_UP && p->paused)
		s->state = WS_PAUSED;
	else if (s->state == WS_UP && signals_ready(sv, p))
		s->state = WS_READY;
	if (p->state == STATE_EXITED) {
		/* Seen dead before its supervisor recorded it: the record
		 * still holds the run's start and the death before it, so
		 * when it ended and how are not known yet. */
		s->pid = 0;
		s->wstat = -1;
		s->unrecorded = 1;
		return 1;
	}
	s->pid = p->pid;
	s->wstat = proc_last_wstat(p);
	s->since = p->since;
	return 1;
}

int
watch_snap_changed(const struct watch_snap *was, const struct watch_snap *now)
{
	if (was->state != now->state || was->pid != now->pid)
		return 1;
	/* Unsupervised, unknown or absent, the stamps are no news. */
	if (now->state == WS_UNSUPERVISED || now->state == WS_UNKNOWN ||
	    now->state == WS_ABSENT)
		return 0;
	/* A death seen before its record (no stamp): the record is news
	 * only for how it ended, where the backend keeps that (s6). */
	if (was->unrecorded && !now->unrecorded)
		return now->wstat != -1;
	return was->since.sec != now->since.sec ||
	    was->since.nsec != now->since.nsec;
}

/*
 * s6's lock is an fcntl lock, whose holder F_GETLK names (detection has
 * it); the others flock supervise/lock, found in /proc/locks; else the
 * service's parent, which is its supervisor where none double-forks.
 */
pid_t
watch_supervisor_pid(const struct svx_service *sv)
{
	struct stat sb;
	pid_t pid;

	if (sv->det.verdict != VERDICT_SUPERVISED)
		return 0;
	if (sv->det.ev.lock_pid > 0)
		return sv->det.ev.lock_pid;
	if (sv->svfd != -1 && fstatat(sv->svfd, "lock", &sb,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode) &&
	    (pid = proc_flock_holder(sb.st_dev, sb.st_ino)) > 0)
		return pid;
	if (sv->status_ok && sv->st.main.pid > 0)
		return process_parent(sv->st.main.pid);
	return 0;
}

/*
 * daemontools, runit and s6 rename status.new onto status (IN_MOVED_TO);
 * encore rewrites status in place (IN_MODIFY); a supervisor's first
 * record creates it (PROTOCOLS.md#watching).
 */
int
watch_is_status_file(const char *name)
{
	return strcmp(name, "status") == 0;
}
