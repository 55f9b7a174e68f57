/*
 * Backend detection. detect_gather() looks at the filesystem without
 * changing anything (it never takes a lock: supervise and runsv exit when
 * their flock is held, PROTOCOLS.md#liveness); detect_decide() is pure and
 * turns that evidence into a verdict.
 *
 * A status file says who wrote it last, not who runs now (leftovers
 * mislead: PROTOCOLS.md#telling-backends-apart), so its format is trusted
 * only next to a live supervisor of the same family, and liveness is
 * checked on both sides of the read.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../adapter.h"
#include "detect.h"

#define RUNIT_STATUS_SIZE	20
#define RUNIT_OFF_GOT_TERM	18
#define RUNIT_OFF_STATE		19
#define RUNIT_OFF_PID		12
#define GATHER_TRIES		3

/* Names for the evidence bits, in bit order. */
static const char *const file_names[EV_NFILES] = {
	"run", "start", "down", "log/", "log (executable)", "supervise/",
	"supervise/ok", "supervise/control", "supervise/lock",
	"supervise/status", "supervise/stat", "supervise/stat (current)",
	"supervise/pid", "event/", "supervise/death_tally",
	"notification-fd", "$SUPERVISEDIR", "finish",
};

const char *
evidence_file_name(unsigned int bit)
{
	unsigned int i;

	for (i = 0; i < EV_NFILES; i++)
		if (bit == 1U << i)
			return file_names[i];
	return "?";
}

/* A file probe of the service directory: which bit, which type. */
static const struct file_probe {
	unsigned int	bit;
	int		in_svdir;
	const char	*path;
	mode_t		type;		/* 0: any type */
	int		need_exec;
} file_probes[] = {
	{ EV_RUN, 0, "run", 0, 0 },
	{ EV_START, 0, "start", S_IFREG, 1 },
	{ EV_FINISH, 0, "finish", 0, 0 },
	{ EV_DOWN, 0, "down", 0, 0 },
	{ EV_LOG_DIR, 0, "log", S_IFDIR, 0 },
	{ EV_LOG_EXEC, 0, "log", S_IFREG, 1 },
	{ EV_EVENT, 0, "event", S_IFDIR, 0 },
	{ EV_NOTIFY_FD, 0, "notification-fd", S_IFREG, 0 },
	{ EV_OK, 1, "ok", S_IFIFO, 0 },
	{ EV_CONTROL, 1, "control", S_IFIFO, 0 },
	{ EV_LOCK, 1, "lock", 0, 0 },
	{ EV_STATUS, 1, "status", S_IFREG, 0 },
	{ EV_STAT, 1, "stat", S_IFREG, 0 },
	{ EV_PIDFILE, 1, "pid", S_IFREG, 0 },
	{ EV_DEATH_TALLY, 1, "death_tally", S_IFREG, 0 },
};

static int
file_matches(int fd, const struct file_probe *fp, struct stat *sb)
{
	if (fstatat(fd, fp->path, sb, 0) == -1)
		return 0;
	if (fp->type != 0 && (sb->st_mode & S_IFMT) != fp->type)
		return 0;
	return !fp->need_exec || (sb->st_mode & 0111) != 0;
}

/*
 * runsv writes pid, stat, then status on every change; a `stat` that is
 * much older than `status` was left by an earlier runsv.
 */
static int
stat_is_fresh(int svfd)
{
	struct stat st_stat, st_status;

	if (fstatat(svfd, "stat", &st_stat, 0) == -1 ||
	    fstatat(svfd, "status", &st_status, 0) == -1)
		return 0;
	return st_stat.st_mtime + 1 >= st_status.st_mtime;
}

static void
gather_files(int dirfd, int svfd, struct svx_evidence *ev)
{
	struct stat sb;
	size_t i;

	for (i = 0; i < sizeof(file_probes) / sizeof(file_probes[0]); i++) {
		const struct file_probe *fp = &file_probes[i];
		int fd = fp->in_svdir ? svfd : dirfd;

		if (fd != -1 && file_matches(fd, fp, &sb))
			ev->files |= fp->bit;
	}
	if ((ev->files & EV_STAT) && stat_is_fresh(svfd))
		ev->files |= EV_STAT_FRESH;
}

static void
probe_fifo(int svfd, const char *name, struct probe_result *pr)
{
	pr->result = fifo_has_reader(svfd, name);
	pr->err = pr->result == -1 ? errno : 0;
}

static void
probe_liveness(int svfd, struct svx_evidence *ev)
{
	probe_fifo(svfd, "ok", &ev->ok);
	probe_fifo(svfd, "control", &ev->control);
	ev->lock.result = lock_holder(svfd, &ev->lock_pid);
	ev->lock.err = ev->lock.result == -1 ? errno : 0;
	if (ev->lock.result != 1)
		ev->lock_pid = 0;
}

static ssize_t
read_at_start(int fd, unsigned char *buf, size_t len)
{
	ssize_t r;

	do
		r = pread(fd, buf, len, 0);
	while (r == -1 && errno == EINTR);
	return r;
}

static void
status_mtime(int fd, struct svx_evidence *ev)
{
	struct stat sb;

	if (fstat(fd, &sb) == 0) {
		ev->status_mtime.sec = sb.st_mtim.tv_sec;
		ev->status_mtime.nsec = (uint32_t)sb.st_mtim.tv_nsec;
	}
}

/*
 * s6-supervise takes its lock a few microseconds before it writes its
 * first status, so for that long the file is its predecessor's. The only
 * tell is time: the file's mtime against the holder's start. That is
 * shown by `svx probe`, not judged: the two come from different clocks
 * (wall and boot), and a wall-clock step, common in virtual machines,
 * would make every status look stale for good.
 */
static void
note_s6_holder_start(struct svx_evidence *ev)
{
	struct svx_stamp start;

	if (ev->lock.result == 1 &&
	    process_start_time(ev->lock_pid, &start) == 0)
		ev->holder_start = start;
}

/*
 * One read of at most STATUS_MAX bytes, then a second to compare: encore
 * rewrites the file in place (PROTOCOLS.md#encore), so two reads that
 * differ caught a write half done, and the file is read again.
 */
static void
read_status(int svfd, struct svx_evidence *ev)
{
	unsigned char again[STATUS_MAX];
	ssize_t r, r2 = -1;
	unsigned int tries;
	int fd;

	ev->status_len = 0;
	fd = open_plain(svfd, "status", O_NOFOLLOW, NULL);
	if (fd == -1) {
		ev->status_err = errno;
		return;
	}
	for (tries = 0; tries < GATHER_TRIES; tries++) {
		r = read_at_start(fd, ev->status, sizeof(ev->status));
		if (r <= 0)
			break;
		r2 = read_at_start(fd, again, sizeof(again));
		if (r2 == r && memcmp(ev->status, again, (size_t)r) == 0)
			break;
	}
	ev->status_err = r == -1 ? errno : 0;
	if (tries == GATHER_TRIES)
		ev->status_err = EAGAIN;	/* rewritten under our feet */
	else if (r > 0)
		ev->status_len = (size_t)r;
	status_mtime(fd, ev);
	close(fd);
}

static int
same_liveness(const struct svx_evidence *a, const struct svx_evidence *b)
{
	return a->ok.result == b->ok.result &&
	    a->control.result == b->control.result &&
	    a->lock.result == b->lock.result && a->lock_pid == b->lock_pid;
}

void
detect_gather(int dirfd, int svfd, int svdir_err, struct svx_evidence *ev)
{
	struct svx_evidence after;
	unsigned int tries;

	memset(ev, 0, sizeof(*ev));
	ev->svdir_err = svdir_err;
	if (svfd == -1) {
		gather_files(dirfd, -1, ev);
		return;
	}
	ev->files |= EV_SUPERVISE;
	for (tries = 0; tries < GATHER_TRIES; tries++) {
		probe_liveness(svfd, ev);
		read_status(svfd, ev);
		probe_liveness(svfd, &after);
		if (same_liveness(ev, &after))
			break;
		ev->rereads++;
	}
	if (tries == GATHER_TRIES) {
		/* Still changing: the later look wins, the status is void. */
		ev->ok = after.ok;
		ev->control = after.control;
		ev->lock = after.lock;
		ev->lock_pid = after.lock_pid;
		ev->status_len = 0;
		ev->status_err = EAGAIN;
	}
	note_s6_holder_start(ev);
	gather_files(dirfd, svfd, ev);
}

/*
 * A 20-byte file is runit's or encore's without a log. Byte 19 is runit's
 * state (0-2) and always 0 for encore; byte 18 is runit's got-TERM (0-1)
 * and encore's state (0-5). runit too writes state 0 with a pid and
 * got-TERM set: `k` marks the service down before the child is reaped,
 * and a `u` then TERMs the old pid and records that. So runit's own
 * `stat` file, written alongside every status, decides before the
 * bytes do; the bytes decide only without one.
 */
static enum svx_backend
format_of_20(const struct svx_evidence *ev, const char **why)
{
	const unsigned char *p = ev->status;
	uint32_t pid = (uint32_t)p[RUNIT_OFF_PID] | (uint32_t)p[13] << 8 |
	    (uint32_t)p[14] << 16 | (uint32_t)p[15] << 24;

	if (p[RUNIT_OFF_STATE] != 0) {
		*why = "20-byte status with a runit state byte";
		return BACKEND_RUNIT;
	}
	if (ev->files & EV_STAT_FRESH) {
		*why = "20-byte status written with supervise/stat";
		return BACKEND_RUNIT;
	}
	if (p[RUNIT_OFF_GOT_TERM] != 0 || pid != 0) {
		*why = "20-byte status with an encore state byte";
		return BACKEND_ENCORE;
	}
	*why = "20-byte status without runit's supervise/stat";
	return BACKEND_ENCORE;
}

enum svx_backend
detect_format(const struct svx_evidence *ev, const char **why)
{
	enum svx_backend b;
	struct svx_status st;

	switch (ev->status_len) {
	case 18:
		*why = "18-byte status";
		b = BACKEND_DAEMONTOOLS;
		break;
	case 20:
		b = format_of_20(ev, why);
		break;
	case 40:
		*why = "40-byte status (encore with ./log)";
		b = BACKEND_ENCORE;
		break;
	case 35:
		*why = "35-byte status";
		b = BACKEND_S6;
		break;
	case 43:
		*why = "43-byte status (s6 2.13)";
		b = BACKEND_S6;
		break;
	case 0:
		*why = ev->status_err == ENOENT ? "no status file" :
		    ev->status_err == ENOTPLAIN ? "supervise/status is not "
		    "a regular file" : ev->status_err != 0 ?
		    "status file unreadable" :
		    "status file is empty";
		return BACKEND_UNKNOWN;
	default:
		*why = "status file of no known length";
		return BACKEND_UNKNOWN;
	}
	if (adapter_for(b)->unpack(ev->status, ev->status_len, &st) == -1) {
		*why = "status file has an impossible value";
		return BACKEND_UNKNOWN;
	}
	return b;
}

/* Fingerprints that outlive a supervisor, for directories with no status. */
static enum svx_backend
backend_from_files(unsigned int files)
{
	if (files & (EV_EVENT | EV_DEATH_TALLY))
		return BACKEND_S6;
	if (files & (EV_STAT | EV_PIDFILE))
		return BACKEND_RUNIT;
	return BACKEND_UNKNOWN;
}

/*
 * Refused what tells the state. A group given status access (svx perms,
 * s6-svperms -g: PROTOCOLS.md#perms) may read the status and prove the
 * supervisor alive, through ok (daemontools, encore, runit) or the lock
 * (s6), but not open control: that alone is no denial.
 */
static int
denied(const struct svx_evidence *ev)
{
	if (ev->status_err == EACCES || ev->ok.err == EACCES)
		return 1;
	if (ev->ok.result >= 0)
		return 0;
	return ev->lock.err == EACCES || (ev->control.err == EACCES &&
	    ev->lock.result < 0);
}

static void
set(struct svx_detect *d, enum svx_verdict v, enum svx_backend b,
    const char *why)
{
	d->verdict = v;
	d->backend = b;
	d->why = why;
}

static void
decide_without_svdir(const struct svx_evidence *ev, struct svx_detect *d)
{
	if (ev->svdir_err == ENOTDIR) {
		set(d, VERDICT_NOT_SERVICE, BACKEND_UNKNOWN,
		    "supervise is not a directory");
	} else if (ev->svdir_err != ENOENT) {
		d->err = ev->svdir_err;
		set(d, VERDICT_ERROR, BACKEND_UNKNOWN,
		    "cannot open the supervise directory");
	} else if (ev->files & (EV_RUN | EV_START | EV_LOG_EXEC)) {
		set(d, VERDICT_UNSUPERVISED, BACKEND_UNKNOWN,
		    "never supervised: no supervise directory");
	} else {
		set(d, VERDICT_NOT_SERVICE, BACKEND_UNKNOWN,
		    "no run script and no supervise directory");
	}
}

static void
decide_s6_alive(enum svx_backend fmt, const char *fmt_why,
    struct svx_detect *d)
{
	if (fmt == BACKEND_S6)
		set(d, VERDICT_SUPERVISED, BACKEND_S6, "s6-supervise holds "
		    "supervise/lock; 35/43-byte status");
	else if (fmt == BACKEND_UNKNOWN)
		set(d, VERDICT_SUPERVISED, BACKEND_S6, fmt_why);
	else
		set(d, VERDICT_AMBIGUOUS, fmt, "s6-supervise holds "
		    "supervise/lock but another supervisor wrote the status");
}

static void
decide_djb_alive(enum svx_backend fmt, const char *fmt_why,
    struct svx_detect *d)
{
	if (fmt == BACKEND_S6)
		set(d, VERDICT_AMBIGUOUS, fmt, "supervise/ok has a reader "
		    "but the status was written by s6");
	else if (fmt == BACKEND_UNKNOWN)
		set(d, VERDICT_AMBIGUOUS, fmt, fmt_why);
	else
		set(d, VERDICT_SUPERVISED, fmt, fmt_why);
}

void
detect_decide(const struct svx_evidence *ev, struct svx_detect *d)
{
	enum svx_backend fmt;
	const char *fmt_why = "";
	int djb_alive, s6_alive;

	memset(d, 0, sizeof(*d));
	d->ev = *ev;
	if (ev->svdir_err != 0) {
		decide_without_svdir(ev, d);
		return;
	}
	if (denied(ev)) {
		d->err = EACCES;
		set(d, VERDICT_ERROR, BACKEND_UNKNOWN,
		    "cannot read the supervise directory");
		return;
	}
	fmt = detect_format(ev, &fmt_why);
	djb_alive = ev->ok.result == 1;
	s6_alive = ev->lock.result == 1;
	if (djb_alive && s6_alive)
		set(d, VERDICT_AMBIGUOUS, fmt, "two supervisors: supervise/ok "
		    "has a reader and s6-supervise holds supervise/lock");
	else if (s6_alive)
		decide_s6_alive(fmt, fmt_why, d);
	else if (djb_alive)
		decide_djb_alive(fmt, fmt_why, d);
	else if (ev->control.result == 1 && ev->ok.result != -2) {
		/* supervise and runsv open control before the first status
		 * write, and ok after it (PROTOCOLS.md#liveness): starting
		 * up. */
		d->starting = 1;
		set(d, VERDICT_SUPERVISED, fmt == BACKEND_S6 ? BACKEND_UNKNOWN :
		    fmt, "supervisor starting: supervise/control has a reader, "
		    "supervise/ok none yet");
	}
	else if (ev->ok.result == -2 || ev->control.result == -2)
		set(d, VERDICT_AMBIGUOUS, fmt,
		    "supervise/ok or supervise/control is not a FIFO");
	else if (fmt != BACKEND_UNKNOWN)
		set(d, VERDICT_UNSUPERVISED, fmt, "no supervisor is running");
	else if (ev->status_err == ENOENT && !(ev->files & EV_LOCK))
		set(d, VERDICT_UNSUPERVISED, backend_from_files(ev->files),
		    "never supervised: no status file");
	else
		set(d, VERDICT_UNSUPERVISED, backend_from_files(ev->files),
		    "no supervisor is running; status unreadable");
}
