/*
 * Probing many service directories with few system calls, for status
 * --all and svx status DIR/.... The same evidence as detect.c, gathered in
 * a different order and with the costs shared across the batch:
 *
 *   openat  NAME/supervise/ok      write-only, non-blocking: a reader is
 *                                  a live daemontools/encore/runit
 *                                  supervisor (s6, with no ok FIFO:
 *                                  NAME/supervise/control instead)
 *   openat  NAME/supervise/status  and one read of it
 *   fstatat NAME/down, NAME/log
 *
 * Every descriptor stays open until the batch is done. Then one poll()
 * over the FIFO write ends is the second liveness check (a write end
 * whose reader has gone reports POLLERR; one that is not a FIFO at all
 * reports POLLIN), and one close_range() closes them all. Paths are
 * relative to the parent directory's descriptor. Silent, no heap.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../bytes.h"
#include "batch.h"

#define OPEN_FIFO	(O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | \
			 O_NOCTTY)
#define RECENT_SECS	2	/* daemontools' unreaped window, and some */
#define TALLY_RECORD	14	/* s6 death_tally: TAI64N, code, signal */
#define TALLY_TAIL	64	/* records read from the end, at most */

/* NAME/FILE into BUF; memcpy, not snprintf: this runs twice per service. */
static int
rel(char *buf, size_t len, const char *name, const char *file)
{
	size_t n = strlen(name), f = strlen(file);

	if (n + 1 + f + 1 > len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, name, n);
	buf[n] = '/';
	memcpy(buf + n + 1, file, f + 1);
	return 0;
}

static int
open_rel(const struct batch_probe *p, const char *file, int flags)
{
	char path[PATH_MAX];

	if (rel(path, sizeof(path), p->name, file) == -1)
		return -1;
	return openat(p->parentfd, path, flags);
}

static int
stat_rel(struct batch_probe *p, const char *file, struct stat *sb)
{
	char path[PATH_MAX];

	if (rel(path, sizeof(path), p->name, file) == -1)
		return -1;
	return fstatat(p->parentfd, path, sb, 0);
}

static void
set_probe(struct probe_result *pr, int fd, int err)
{
	pr->result = fd >= 0 ? 1 : err == ENXIO ? 0 : -1;
	pr->err = fd >= 0 || err == ENXIO ? 0 : err;
}

/*
 * s6's control FIFO refused (a group given status access only, as
 * s6-svperms -g and svx perms grant: PROTOCOLS.md#perms): its lock,
 * readable by all, says as much.
 */
static void
lock_instead(struct batch_probe *p, struct svx_evidence *ev)
{
	char path[PATH_MAX];
	int r;

	if (rel(path, sizeof(path), p->name, "supervise/lock") == -1)
		return;
	p->extra++;
	if ((r = lock_holder_at(p->parentfd, path, &ev->lock_pid)) == -1)
		return;
	ev->lock.result = r;
	ev->lock.err = 0;
	ev->files |= EV_CONTROL;
}

/*
 * Liveness as the batch reads it: supervise/ok opened for writing and
 * kept open (live_fd) for recheck()'s poll after the batch's reads
 * (detect.c's probe_liveness, for one service, asks and closes). s6 has
 * no ok FIFO: a reader on its control FIFO is s6-supervise, the same
 * liveness as its lock (both are taken before the first status).
 */
static void
open_liveness_fifo(struct batch_probe *p, struct svx_evidence *ev)
{
	int fd;

	fd = open_rel(p, "supervise/ok", OPEN_FIFO);
	set_probe(&ev->ok, fd, errno);
	if (fd == -1 && errno == ENOENT) {
		fd = open_rel(p, "supervise/control", OPEN_FIFO);
		set_probe(&ev->control, fd, errno);
		p->extra++;
		if (fd >= 0) {
			ev->lock.result = 1;
			ev->files |= EV_CONTROL;
		} else if (errno == EACCES)
			lock_instead(p, ev);
	} else {
		ev->control.result = ev->ok.result;
		ev->control.err = ev->ok.err;
	}
	if (ev->ok.err == ENOTDIR || ev->control.err == ENOTDIR)
		ev->svdir_err = ENOTDIR;
	p->live_fd = fd;
}

static void
probe_status(struct batch_probe *p, struct svx_evidence *ev)
{
	char path[PATH_MAX];
	ssize_t r;
	int fd;

	if (rel(path, sizeof(path), p->name, "supervise/status") == -1) {
		ev->status_err = errno;
		return;
	}
	fd = open_plain(p->parentfd, path, O_NOFOLLOW, NULL);
	if (fd == -1) {
		ev->status_err = errno;
		return;
	}
	p->status_fd = fd;
	ev->files |= EV_STATUS | EV_SUPERVISE;
	do
		r = read(fd, ev->status, sizeof(ev->status));
	while (r == -1 && errno == EINTR);
	ev->status_err = r == -1 ? errno : 0;
	ev->status_len = r > 0 ? (size_t)r : 0;
}

/* The rare cases that need a file more: a tie, or no status at all. */
static void
probe_more(struct batch_probe *p, struct svx_evidence *ev)
{
	struct stat st_stat, st_status;
	const unsigned char *s = ev->status;

	if (ev->status_len == 20 && s[18] == 0 && s[19] == 0 &&
	    get_le32(s + 12) == 0 && stat_rel(p, "supervise/stat",
	    &st_stat) == 0) {
		ev->files |= EV_STAT;
		if (stat_rel(p, "supervise/status", &st_status) == 0 &&
		    st_stat.st_mtime + 1 >= st_status.st_mtime)
			ev->files |= EV_STAT_FRESH;
		p->extra += 2;
	}
	if (ev->status_err == ENOENT && ev->ok.err == ENOENT &&
	    ev->control.err == ENOENT) {
		/* No supervise/ at all: a service never supervised, not a
		 * service directory, or no directory at all. */
		ev->svdir_err = ENOENT;
		if (stat_rel(p, "run", &st_stat) == 0)
			ev->files |= EV_RUN;
		else if (fstatat(p->parentfd, p->name, &st_stat, 0) == -1)
			p->missing = errno;
		else if (!S_ISDIR(st_stat.st_mode))
			p->missing = ENOTDIR;
		p->extra += 2;
	}
	/* ENOTDIR on NAME/supervise/...: NAME itself may be the file (or
	 * FIFO) that is no directory, not its supervise. */
	if (ev->svdir_err == ENOTDIR && p->missing == 0) {
		if (fstatat(p->parentfd, p->name, &st_stat, 0) == -1)
			p->missing = errno;
		else if (!S_ISDIR(st_stat.st_mode))
			p->missing = ENOTDIR;
		p->extra++;
	}
}

static void
probe_files(struct batch_probe *p, struct svx_evidence *ev)
{
	struct stat sb;

	if (stat_rel(p, "down", &sb) == 0)
		ev->files |= EV_DOWN;
	if (p->log_of != -1)
		return;		/* a log's own log/ is not looked at */
	if (stat_rel(p, "log", &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			ev->files |= EV_LOG_DIR;
		else if (S_ISREG(sb.st_mode) && (sb.st_mode & 0111))
			ev->files |= EV_LOG_EXEC;
	}
}

static void
decide(struct batch_probe *p)
{
	const struct svx_adapter *a;
	struct svx_evidence ev = p->det.ev;	/* decide() rewrites det */

	detect_decide(&ev, &p->det);
	p->status_ok = 0;
	p->normally_down = (p->det.ev.files & EV_DOWN) != 0;
	p->has_log_dir = (p->det.ev.files & EV_LOG_DIR) != 0;
	a = adapter_for(p->det.backend);
	if (a != NULL && !p->det.starting &&
	    a->unpack(p->det.ev.status, p->det.ev.status_len, &p->st) == 0)
		p->status_ok = 1;
	switch (p->det.verdict) {
	case VERDICT_SUPERVISED:
		p->supervisor = SUP_RUNNING;
		break;
	case VERDICT_UNSUPERVISED:
	case VERDICT_NOT_SERVICE:
		p->supervisor = SUP_ABSENT;
		break;
	default:
		p->supervisor = SUP_UNKNOWN;
		break;
	}
}

static void
probe_one(struct batch_probe *p)
{
	struct svx_evidence *ev = &p->det.ev;

	memset(&p->det, 0, sizeof(p->det));
	p->live_fd = -1;
	p->status_fd = -1;
	p->extra = 0;
	p->missing = 0;
	open_liveness_fifo(p, ev);
	if (ev->ok.err != EACCES && (ev->control.err != EACCES ||
	    ev->lock.result >= 0))
		probe_status(p, ev);
	probe_files(p, ev);
	probe_more(p, ev);
	decide(p);
}

/*
 * The second liveness check, for the whole batch in one poll(): asked
 * for POLLIN, a FIFO's write end reports nothing while its reader lives,
 * POLLERR once it has gone; anything else (a regular file named ok)
 * reports POLLIN, and is not a supervisor's FIFO.
 */
static void
recheck(struct batch_probe *ps, size_t n)
{
	struct pollfd fds[BATCH_MAX];
	size_t i, k = 0, idx[BATCH_MAX];

	for (i = 0; i < n && k < BATCH_MAX; i++) {
		if (ps[i].live_fd < 0)
			continue;
		fds[k] = (struct pollfd){ ps[i].live_fd, POLLIN, 0 };
		idx[k++] = i;
	}
	if (k == 0 || poll(fds, k, 0) <= 0)
		return;
	for (i = 0; i < k; i++) {
		struct svx_evidence *ev = &ps[idx[i]].det.ev;
		int gone = fds[i].revents & (POLLERR | POLLHUP);
		int odd = fds[i].revents & (POLLIN | POLLNVAL);

		if (!gone && !odd)
			continue;
		if (ev->ok.result == 1)
			ev->ok.result = odd ? -2 : 0;
		if (ev->control.result == 1)
			ev->control.result = odd ? -2 : 0;
		ev->lock.result = 0;
		ev->rereads++;
		decide(&ps[idx[i]]);
	}
}

/* A pid recorded a moment ago may already be gone (daemontools). */
static void
check_recent(struct batch_probe *p, int64_t now)
{
	struct svx_proc *m = &p->st.main;

	if (!p->status_ok || m->state != STATE_UP || m->pid == 0 ||
	    now - m->since.sec > RECENT_SECS)
		return;
	p->extra += 2;
	if (!process_running(m->pid))
		m->state = STATE_EXITED;
}

/*
 * Descriptors are handed out lowest-first, so a batch's are one run (one
 * close_range) unless a hole below the caller's own took the first one.
 */
static void
close_all(struct batch_probe *ps, size_t n)
{
	int fds[BATCH_MAX * 2];
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (ps[i].live_fd >= 0)
			fds[k++] = ps[i].live_fd;
		if (ps[i].status_fd >= 0)
			fds[k++] = ps[i].status_fd;
	}
	fds_close(fds, k);
}

/*
 * Probe N directories, then one poll() and the closes for all of them.
 */
void
batch_run(struct batch_probe *ps, size_t n)
{
	struct timespec ts;
	size_t i;

	clock_gettime(CLOCK_REALTIME, &ts);
	for (i = 0; i < n; i++)
		probe_one(&ps[i]);
	recheck(ps, n);
	for (i = 0; i < n; i++)
		check_recent(&ps[i], ts.tv_sec);
	close_all(ps, n);
}

/*
 * How many times s6 recorded the service dying since SINCE_UNIX, from the
 * end of supervise/death_tally (s6 keeps the newest records last): 0 when
 * there is none, -1 (ENOTPLAIN, KIND its type) when something other than
 * a regular file sits there. *LAST_WSTAT (when not NULL): the newest
 * record's death as a wait status, or -1 when there is none. A record is
 * a stamp, the exit code and the signal, one byte each (0: none).
 */
int
batch_recent_deaths(int parentfd, const char *name, int64_t since_unix,
    const char **kind, int *last_wstat)
{
	unsigned char buf[TALLY_RECORD * TALLY_TAIL];
	struct svx_stamp when;
	char path[PATH_MAX];
	struct stat sb;
	off_t from;
	ssize_t r;
	int n = 0, fd;

	if (last_wstat != NULL)
		*last_wstat = -1;
	if (snprintf(path, sizeof(path), "%s/supervise/death_tally", name) >=
	    (int)sizeof(path))
		return 0;
	if ((fd = open_plain(parentfd, path, O_NOFOLLOW, kind)) == -1)
		return errno == ENOTPLAIN ? -1 : 0;
	if (fstat(fd, &sb) == -1) {
		close(fd);
		return 0;
	}
	from = sb.st_size - (off_t)sizeof(buf);
	if (from < 0)
		from = 0;
	from -= from % TALLY_RECORD;
	r = pread(fd, buf, sizeof(buf), from);
	close(fd);
	if (last_wstat != NULL && r >= TALLY_RECORD)
		*last_wstat = buf[r - 1] != 0 ? buf[r - 1] & 0x7f :
		    buf[r - 2] << 8;
	for (; r >= TALLY_RECORD; r -= TALLY_RECORD) {
		tai_unpack_s6(buf + r - TALLY_RECORD, &when);
		if (when.sec >= since_unix)
			n++;
	}
	return n;
}
