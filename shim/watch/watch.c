/*
 * svx watch [SERVICE... | --all [PATTERN...]] [--json]: a line per state
 * change, from every backend at once, as the supervisors write them.
 *
 * One inotify instance watches each service's control directory (the
 * status file renamed into place, or encore's rewritten in place), each
 * service directory (its supervise/ appearing) and each scan directory
 * (services added and removed); a pidfd per supervisor says when one
 * dies, which its files never say. One epoll waits on all of them and on
 * a signalfd for SIGINT and SIGTERM, with no timeout: nothing runs while
 * nothing changes. supervisord pushes no events without an
 * [eventlistener] of its own, so its programs, when some are watched,
 * are asked over XML-RPC every WATCH_SD_POLL_MS.
 *
 * Memory is fixed: the services live in a static table, WATCH_MAX of
 * them (fewer when the descriptor limit says so: three each).
 */
#define _GNU_SOURCE		/* d_type's DT_DIR, DT_LNK; O_PATH */
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../adapters/engine/names.h"
#include "../../adapters/engine/wait.h"
#include "../../adapters/backends/supervisord.h"
#include "../common/resolve.h"
#include "../control/control.h"
#include "../list/listing.h"
#include "../supervisord/sd_shim.h"
#include "dirty.h"
#include "watch.h"

#define WATCH_MAX	WATCH_DIRTY_MAX	/* services at once */
#define WATCH_DIRS	64		/* scan and parent directories */
#define WATCH_FDS_EACH	3		/* directory, control dir, pidfd */
#define WATCH_FDS_SPARE	32
#define WATCH_SD_POLL_MS 1000		/* supervisord: asked once a second */
/*
 * A call's bound: supervisord answers in a few ms; one that hangs holds
 * the loop (signals included) this long a second, not 5 s a program.
 */
#define WATCH_SD_CALL_MS 500
#define LINE_MAX_BYTES	(2 * PATH_MAX + 512)

/* Scan directories: entries come and go. */
#define SCAN_MASK	(IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | \
	IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
/* A service directory: its supervise/ made, or the directory gone. */
#define DIR_MASK	(IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | \
	IN_MOVE_SELF | IN_ONLYDIR)
/*
 * A control directory: status renamed in (daemontools, runit, s6),
 * created or rewritten in place (encore). Not IN_OPEN nor IN_CLOSE_*:
 * liveness probes open the FIFOs, ours included, and would wake us.
 */
#define SV_MASK		(IN_MOVED_TO | IN_CREATE | IN_MODIFY | \
	IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
/*
 * The status file itself, where its directory cannot be watched (search
 * access without read: inotify wants read): rewritten in place, or
 * replaced by a rename (its link count drops, then it goes).
 */
#define ST_MASK		(IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
/*
 * Where a control directory outside the service directory will appear
 * (a dangling supervise symlink's target, an absolute $SUPERVISEDIR):
 * added to whatever else watches that directory, never replacing it.
 */
#define FAR_MASK	(IN_CREATE | IN_MOVED_TO | IN_ONLYDIR | IN_MASK_ADD)
#define WATCH_FAR_STEPS	64	/* directories made on the way, at once */

enum ev_kind { EV_INOTIFY = 1, EV_SIGNAL, EV_STDOUT, EV_PIDFD };

struct wdir {
	char		 path[PATH_MAX];
	int		 fd;
	int		 wd;		/* a scan directory's watch, or -1 */
	int		 scan;		/* its entries come and go */
};

struct wsvc {
	struct svx_service sv;
	struct sd_target sd;		/* a supervisord program's */
	struct watch_snap snap;		/* the last state reported */
	int		 dir;		/* in dirs[]; -1: supervisord */
	char		 name[NAME_MAX + 5];	/* NAME, or NAME/log */
	const char	*shown;		/* as named; NULL: name */
	int		 wd_dir, wd_sv, pidfd;
	int		 wd_far;	/* see FAR_MASK; -1: none */
	uint32_t	 far_hash;	/* the name awaited there (name_hash) */
	dev_t		 dev;
	ino_t		 ino;
	unsigned int	 used:1;
	unsigned int	 sv_file:1;	/* wd_sv watches the status file */
	unsigned int	 said:1;	/* its unwatchable changes told */
};

struct watch_run {
	const struct watch_opts *o;
	int		 ino, ep, sigfd;
	sigset_t	 oldmask;	/* given back at the end */
	struct sigaction old_int, old_term, old_pipe;	/* so are these */
	int		 saved;		/* the three above hold them */
	struct wdir	 dirs[WATCH_DIRS];
	size_t		 ndirs;
	struct wsvc	 svcs[WATCH_MAX];
	size_t		 nsvcs;		/* slots used so far, free ones too */
	size_t		 room;		/* services the descriptors allow */
	size_t		 nsd;		/* supervisord programs watched */
	struct sd_conn	 sdc;
	struct sd_proc	 procs[SD_PROCS_MAX];	/* its last answer */
	struct watch_dirty dirty;	/* by index in svcs[] */
	int		 lost;		/* services left out: no room */
	int		 lost_told;	/* of them, said on stderr */
	int		 done;		/* a signal, or stdout closed */
	int		 closed;	/* stdout's reader went away */
	int		 failed;	/* stdout failed otherwise: errno */
	char		 line[LINE_MAX_BYTES];
};

static uint64_t
ev_data(enum ev_kind k, size_t i)
{
	return (uint64_t)k << 32 | (uint64_t)i;
}

/* ---- output -------------------------------------------------------------- */

/* One line for S, now NOW; its last state reported becomes NOW. */
static void
emit(struct watch_run *r, struct wsvc *s, const struct watch_snap *now)
{
	struct watch_event e;
	struct text t;

	memset(&e, 0, sizeof(e));
	e.service = s->shown != NULL ? s->shown : s->name;
	e.dir = s->dir >= 0 ? r->dirs[s->dir].path : NULL;
	e.name = s->name;
	e.backend = s->sv.det.backend != BACKEND_UNKNOWN ?
	    backend_name(s->sv.det.backend) : NULL;
	e.was = s->snap;
	e.now = *now;
	clock_gettime(CLOCK_REALTIME, &e.at);
	text_init(&t, r->line, sizeof(r->line));
	if (r->o->json)
		watch_format_json(&t, &e);
	else
		watch_format_line(&t, &e);
	text_puts(&t, "\n");
	if (fwrite(t.buf, 1, t.len, stdout) != t.len)
		r->failed = errno;
	s->snap = *now;
}

/* Stdout's reader gone (EPIPE) ends a watch cleanly; other errors fail. */
static void
flush_out(struct watch_run *r)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		r->failed = errno != 0 ? errno : EIO;
	if (r->failed == EPIPE) {
		r->done = r->closed = 1;
		r->failed = 0;
	}
}

/* ---- supervisors --------------------------------------------------------- */

static void
drop_pidfd(struct watch_run *r, struct wsvc *s)
{
	if (s->pidfd == -1)
		return;
	epoll_ctl(r->ep, EPOLL_CTL_DEL, s->pidfd, NULL);
	close(s->pidfd);
	s->pidfd = -1;
}

/* Its supervisor's death wakes us: nothing on disk says it. */
static void
follow_supervisor(struct watch_run *r, struct wsvc *s)
{
	struct epoll_event ev;
	size_t i = (size_t)(s - r->svcs);

	if (s->snap.state == WS_UNSUPERVISED || service_source(&s->sv) != NULL) {
		drop_pidfd(r, s);
		return;
	}
	if (s->pidfd != -1 ||
	    (s->pidfd = pidfd_of(watch_supervisor_pid(&s->sv))) == -1)
		return;
	ev.events = EPOLLIN;
	ev.data.u64 = ev_data(EV_PIDFD, i);
	if (epoll_ctl(r->ep, EPOLL_CTL_ADD, s->pidfd, &ev) == -1)
		drop_pidfd(r, s);
}

/* ---- services ------------------------------------------------------------ */

static int
watch_fd(struct watch_run *r, int fd, uint32_t mask)
{
	char path[64];

	if (fd == -1)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return inotify_add_watch(r->ino, path, mask);
}

/*
 * inotify gives one watch descriptor per inode: two services' far
 * directories, or a far directory that is also a scan directory, share
 * one. It is removed only when nothing else holds it.
 */
static int
wd_in_use(const struct watch_run *r, int wd)
{
	const struct wsvc *s;
	size_t i;

	for (i = 0; i < r->ndirs; i++)
		if (r->dirs[i].wd == wd)
			return 1;
	for (i = 0; i < r->nsvcs; i++) {
		s = &r->svcs[i];
		if (s->used && (s->wd_dir == wd || s->wd_sv == wd ||
		    s->wd_far == wd))
			return 1;
	}
	return 0;
}

static void
unwatch(struct watch_run *r, int *wd)
{
	int was = *wd;

	*wd = -1;
	if (was != -1 && !wd_in_use(r, was))
		inotify_rm_watch(r->ino, was);
}

/* A service whose changes cannot be watched is said once: they go unseen. */
static void
say_unwatched(struct wsvc *s, const char *what, int err)
{
	if (s->said)
		return;
	s->said = 1;
	fprintf(stderr, "%s: watch: %s: cannot watch %s: %s; its changes "
	    "will not be seen\n", getprogname(), s->shown != NULL ? s->shown :
	    s->name, what, strerror(err));
}

/* Read it again; a change is printed. */
static void
refresh(struct watch_run *r, struct wsvc *s)
{
	struct watch_snap now;

	service_refresh(&s->sv);
	/* 0: its supervisor is starting, no state to tell yet. */
	if (watch_snap_take(&s->sv, &now) == 1) {
		if (watch_snap_changed(&s->snap, &now))
			emit(r, s, &now);
		else if (s->snap.unrecorded && !now.unrecorded)
			s->snap = now;	/* the record came, with no news */
	}
	follow_supervisor(r, s);
}

/*
 * The status file itself, when supervise/ grants search but not read
 * (0710 for a group: PROTOCOLS.md#watching): opened by name, watched
 * through its descriptor, which need not stay open.
 */
static int
watch_status_file(struct watch_run *r, struct wsvc *s)
{
	int fd, wd, err;

	if ((fd = openat(s->sv.svfd, "status", O_PATH | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return -1;
	wd = watch_fd(r, fd, ST_MASK);
	err = errno;
	close(fd);
	errno = err;
	return wd;
}

static void
watch_control_dir(struct watch_run *r, struct wsvc *s)
{
	int err;

	s->sv_file = 0;
	if (s->sv.svfd == -1 ||
	    (s->wd_sv = watch_fd(r, s->sv.svfd, SV_MASK)) != -1)
		return;
	err = errno;
	if (err == EACCES && (s->wd_sv = watch_status_file(r, s)) != -1) {
		s->sv_file = 1;
		return;
	}
	say_unwatched(s, "its control directory", err);
}

/*
 * The deepest directory that exists on the way to PATH (absolute, or
 * relative to the service directory), opened to be watched: where the
 * next step of it will be made.
 */
static int
open_nearest(int dirfd, char *path, size_t *next)
{
	char *slash;
	int fd;

	while ((slash = strrchr(path, '/')) != NULL) {
		*next = (size_t)(slash - path) + 1;
		if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
		fd = openat(dirfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd != -1 || slash == path)
			return fd;
	}
	*next = 0;
	return openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/*
 * FNV-1a of the name up to '/' or the end: which entry made in a far
 * directory is the one a service waits for (0: any, the name unsure). A
 * collision costs one opening more, nothing else.
 */
static uint32_t
name_hash(const char *name)
{
	uint32_t h = 2166136261u;
	size_t n = strcspn(name, "/");

	if (n == 0 || (n == 1 && name[0] == '.') ||
	    (n == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	while (n-- > 0)
		h = (h ^ (unsigned char)*name++) * 16777619u;
	return h != 0 ? h : 1;
}

/*
 * The control directory's path when it will appear outside the service
 * directory, whose own events would not tell: a dangling supervise
 * symlink's target (runit and s6 make it, PROTOCOLS.md#liveness), or an
 * absolute $SUPERVISEDIR's. 0, or -1 when it would appear inside.
 */
static int
far_control_path(const struct watch_run *r, const struct wsvc *s,
    const char *self, char *buf, size_t len)
{
	const char *sd = r->o->supervisedir;
	ssize_t n;

	if (sd != NULL && sd[0] == '/')
		return svdir_name(self, sd, buf, len);
	if (sd != NULL)
		return strchr(sd, '/') != NULL &&
		    strlcpy(buf, sd, len) < len ? 0 : -1;
	if ((n = readlinkat(s->sv.dirfd, "supervise", buf, len - 1)) <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/*
 * No control directory yet: its parent (or the nearest that exists) is
 * watched for it to come, when that is not the service directory. 1
 * when the name awaited there came before the watch did: look again.
 */
static int
watch_far(struct watch_run *r, struct wsvc *s, const char *self)
{
	char path[PATH_MAX], want[PATH_MAX], *name;
	struct stat sb;
	size_t next;
	int fd, err, again = 0;

	if (s->sv.svfd != -1 || s->sv.svdir_err != ENOENT ||
	    far_control_path(r, s, self, path, sizeof(path)) == -1)
		return 0;
	memcpy(want, path, sizeof(want));
	if ((fd = open_nearest(s->sv.dirfd, path, &next)) == -1)
		return 0;
	name = want + next;
	name[strcspn(name, "/")] = '\0';
	s->far_hash = name_hash(name);
	s->wd_far = watch_fd(r, fd, FAR_MASK);
	err = errno;
	if (s->wd_far != -1 && s->far_hash != 0)
		again = fstatat(fd, name, &sb, 0) == 0 &&
		    S_ISDIR(sb.st_mode);
	close(fd);
	if (s->wd_far == -1)
		say_unwatched(s, "where its control directory will be", err);
	return again;
}

/*
 * supervise/ came (or went and came back), or might have: open it again.
 * Its name from the descriptor, not from the name in its parent: an
 * absolute $SUPERVISEDIR is built from the physical path, which names
 * relative to another directory than svx's own would not give.
 */
static void
reopen(struct watch_run *r, struct wsvc *s)
{
	char self[64];
	int steps = 0;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", s->sv.dirfd);
	do {
		unwatch(r, &s->wd_sv);
		unwatch(r, &s->wd_far);
		if (s->sv.svfd != -1)
			close(s->sv.svfd);
		s->sv.svfd = svdir_open(s->sv.dirfd, self,
		    r->o->supervisedir, &s->sv.relocated);
		s->sv.svdir_err = s->sv.svfd == -1 ? errno : 0;
		watch_control_dir(r, s);
		/* A step made on the way between the look and the watch:
		 * the next one is watched for, as deep as the path goes. */
	} while (watch_far(r, s, self) && ++steps < WATCH_FAR_STEPS);
}

static struct wsvc *
find_named(struct watch_run *r, int dir, const char *name)
{
	size_t i;

	for (i = 0; i < r->nsvcs; i++)
		if (r->svcs[i].used && r->svcs[i].dir == dir &&
		    strcmp(r->svcs[i].name, name) == 0)
			return &r->svcs[i];
	return NULL;
}

static struct wsvc *
free_slot(struct watch_run *r)
{
	size_t i, used = 0;

	for (i = 0; i < r->nsvcs; i++)
		used += r->svcs[i].used;
	if (used >= r->room)
		return NULL;
	for (i = 0; i < r->nsvcs; i++)
		if (!r->svcs[i].used)
			return &r->svcs[i];
	return r->nsvcs < WATCH_MAX ? &r->svcs[r->nsvcs++] : NULL;
}

/* The same directory twice (a symlink and its target) is one service. */
static int
already_watched(const struct watch_run *r, dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < r->nsvcs; i++)
		if (r->svcs[i].used && r->svcs[i].dev == dev &&
		    r->svcs[i].ino == ino &&
		    service_source(&r->svcs[i].sv) == NULL)
			return 1;
	return 0;
}

/*
 * NAME in directory DIR, from now on; ANNOUNCE: its coming is news (a
 * scan directory's new entry). 0, or -1 with errno.
 */
static int
add_service(struct watch_run *r, int dir, const char *name,
    const char *shown, int announce)
{
	struct watch_snap now;
	struct stat sb;
	struct wsvc *s;

	if (fstatat(r->dirs[dir].fd, name, &sb, 0) == -1)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if (already_watched(r, sb.st_dev, sb.st_ino))
		return 0;
	if ((s = free_slot(r)) == NULL) {
		r->lost++;
		errno = EMFILE;
		return -1;
	}
	memset(s, 0, sizeof(*s));
	s->dir = dir;
	s->shown = shown;
	s->dev = sb.st_dev;
	s->ino = sb.st_ino;
	s->pidfd = s->wd_dir = s->wd_sv = s->wd_far = -1;
	strlcpy(s->name, name, sizeof(s->name));
	if (service_open(r->dirs[dir].fd, name, r->o->supervisedir,
	    &s->sv) == -1)
		return -1;
	/* What was opened, which the name may no longer be by now. */
	if (fstat(s->sv.dirfd, &sb) == 0) {
		s->dev = sb.st_dev;
		s->ino = sb.st_ino;
	}
	s->used = 1;
	/*
	 * The watches first, then the reading: no change falls between.
	 * supervise/ opened again once its directory is watched: made in
	 * between, it would be missed for good.
	 */
	if ((s->wd_dir = watch_fd(r, s->sv.dirfd, DIR_MASK)) == -1)
		say_unwatched(s, "its directory", errno);
	reopen(r, s);
	service_refresh(&s->sv);
	watch_snap_absent(&s->snap);
	(void)watch_snap_take(&s->sv, &now);
	if (announce)
		emit(r, s, &now);
	s->snap = now;
	follow_supervisor(r, s);
	if (s->sv.svfd == -1 && s->sv.svdir_err == EACCES)
		fprintf(stderr, "%s: watch: %s: permission denied: supervise/ "
		    "is not readable; its changes cannot be seen (run svx as "
		    "root)\n", getprogname(), shown != NULL ? shown : name);
	return 0;
}

static void
remove_service(struct watch_run *r, struct wsvc *s)
{
	struct watch_snap gone;

	watch_snap_absent(&gone);
	emit(r, s, &gone);
	drop_pidfd(r, s);
	unwatch(r, &s->wd_dir);
	unwatch(r, &s->wd_sv);
	unwatch(r, &s->wd_far);
	service_close(&s->sv);
	s->used = 0;
}

/*
 * Read again once the batch is done. The slot stays in the set when its
 * service is removed (and when the slot is reused): refresh_dirty reads
 * only slots in use.
 */
static void
mark(struct watch_run *r, struct wsvc *s)
{
	(void)dirty_mark(&r->dirty, (size_t)(s - r->svcs));
}

/* ---- directories --------------------------------------------------------- */

static int
add_dir(struct watch_run *r, const char *path, int scan)
{
	struct wdir *d;
	size_t i;

	for (i = 0; i < r->ndirs; i++)
		if (strcmp(r->dirs[i].path, path) == 0 &&
		    (!scan || r->dirs[i].wd != -1))
			return (int)i;
	if (r->ndirs >= WATCH_DIRS) {
		errno = ENFILE;
		return -1;
	}
	d = &r->dirs[r->ndirs];
	if (strlcpy(d->path, path, sizeof(d->path)) >= sizeof(d->path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd == -1)
		return -1;
	d->scan = scan;
	d->wd = scan ? watch_fd(r, d->fd, SCAN_MASK) : -1;
	return (int)r->ndirs++;
}

static int
wanted_name(const struct watch_opts *o, const char *name)
{
	/* Every scanner skips dot-names. */
	return name[0] != '.' && names_match(o->patterns, o->npatterns, name);
}

/*
 * An entry that cannot be watched is said (EACCES, ELOOP, EMFILE...);
 * not one that is no directory (a scanner skips it too) or went at once,
 * nor one left out for want of room, which left_out counts.
 */
static void
say_entry_error(const struct watch_run *r, int dir, const char *name)
{
	if (errno == ENOENT || errno == ENOTDIR || errno == EMFILE)
		return;
	fprintf(stderr, "%s: watch: %s/%s: %s\n", getprogname(),
	    r->dirs[dir].path, name, strerror(errno));
}

/*
 * A scan directory's entry NAME, and its log/ subservice (as NAME/log)
 * when it has one, as status --all lists it with its service.
 */
static void
add_entry(struct watch_run *r, int dir, const char *name, int announce)
{
	char log[NAME_MAX + 5];
	const struct wsvc *s;

	if (add_service(r, dir, name, NULL, announce) == -1) {
		say_entry_error(r, dir, name);
		return;
	}
	if ((s = find_named(r, dir, name)) == NULL ||
	    !(s->sv.det.ev.files & EV_LOG_DIR))
		return;
	snprintf(log, sizeof(log), "%s/log", name);
	if (add_service(r, dir, log, NULL, announce) == -1)
		say_entry_error(r, dir, log);
}

static void
remove_entry(struct watch_run *r, int dir, const char *name)
{
	char log[NAME_MAX + 5];
	struct wsvc *s;

	if ((s = find_named(r, dir, name)) != NULL)
		remove_service(r, s);
	snprintf(log, sizeof(log), "%s/log", name);
	if ((s = find_named(r, dir, log)) != NULL)
		remove_service(r, s);
}

struct scan_walk {
	struct watch_run *r;
	int		 dir;
	int		 announce;
};

static void
offer(const struct dir_entry *de, void *arg)
{
	struct scan_walk *w = arg;

	if ((de->d_type == DT_DIR || de->d_type == DT_LNK ||
	    de->d_type == DT_UNKNOWN) && wanted_name(w->r->o, de->d_name) &&
	    find_named(w->r, w->dir, de->d_name) == NULL)
		add_entry(w->r, w->dir, de->d_name, w->announce);
}

static void
scan_dir_entries(struct watch_run *r, int dir, int announce)
{
	struct scan_walk w = { r, dir, announce };

	if (dir_each_entry(r->dirs[dir].fd, offer, &w) == -1)
		fprintf(stderr, "%s: watch: %s: %s\n", getprogname(),
		    r->dirs[dir].path, strerror(errno));
}

/*
 * A scan directory's entry S no longer names the directory S was opened
 * as: gone, or replaced in one step (ln -sfn, mv -T: a rename over it,
 * with no event of its removal).
 */
static int
entry_changed(const struct watch_run *r, const struct wsvc *s)
{
	struct stat sb;

	if (s->dir < 0 || !r->dirs[s->dir].scan)
		return 0;
	if (fstatat(r->dirs[s->dir].fd, s->name, &sb, 0) == -1)
		return errno == ENOENT || errno == ENOTDIR;
	return sb.st_dev != s->dev || sb.st_ino != s->ino;
}

/*
 * The kernel's queue overflowed: events were lost. Every service is
 * opened and watched again (its supervise/ may have gone and come back
 * unseen) and read again, and every scan directory listed again, its
 * new, vanished and replaced entries told as they would have been.
 */
static void
resync(struct watch_run *r)
{
	struct wsvc *s;
	size_t i;
	int wd;

	for (i = 0; i < r->nsvcs; i++) {
		s = &r->svcs[i];
		if (!s->used)
			continue;
		if (entry_changed(r, s)) {
			remove_service(r, s);	/* the listing adds its new one */
			continue;
		}
		if (service_source(&s->sv) == NULL) {
			/* The same inode: the same watch, or a new one if lost. */
			if ((wd = watch_fd(r, s->sv.dirfd, DIR_MASK)) != -1)
				s->wd_dir = wd;
			reopen(r, s);
		}
		mark(r, s);
	}
	for (i = 0; i < r->ndirs; i++)
		if (r->dirs[i].scan && r->dirs[i].wd != -1)
			scan_dir_entries(r, (int)i, 1);
}

/* ---- events -------------------------------------------------------------- */

static void
on_scan_event(struct watch_run *r, int dir, const struct inotify_event *ie)
{
	struct wsvc *s;

	if (ie->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
		r->dirs[dir].wd = -1;
		return;
	}
	if (ie->len == 0 || !wanted_name(r->o, ie->name))
		return;
	s = find_named(r, dir, ie->name);
	if (ie->mask & (IN_DELETE | IN_MOVED_FROM))
		remove_entry(r, dir, ie->name);
	else if (s == NULL)
		add_entry(r, dir, ie->name, 1);
	else if (entry_changed(r, s)) {
		/* Replaced in one rename: the old one goes, the new comes. */
		remove_entry(r, dir, ie->name);
		add_entry(r, dir, ie->name, 1);
	}
}

/* The control directory's name in the service directory. */
static const char *
control_name(const struct watch_opts *o)
{
	return o->supervisedir != NULL && o->supervisedir[0] != '/' ?
	    o->supervisedir : "supervise";
}

static void
on_dir_event(struct watch_run *r, struct wsvc *s,
    const struct inotify_event *ie)
{
	if (ie->mask & IN_IGNORED) {
		s->wd_dir = -1;
		return;
	}
	if (ie->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
		remove_service(r, s);
		return;
	}
	if (ie->len > 0 && strcmp(ie->name, control_name(r->o)) == 0) {
		reopen(r, s);
		mark(r, s);
	}
}

/* Something made where a control directory will be: is it ours? */
static void
on_far_event(struct watch_run *r, struct wsvc *s,
    const struct inotify_event *ie)
{
	/* IN_IGNORED: that directory went; the nearest one left is next. */
	if (ie->mask & IN_IGNORED)
		s->wd_far = -1;
	else if (s->far_hash != 0 && (ie->len == 0 ||
	    name_hash(ie->name) != s->far_hash))
		return;		/* another's: a shared directory */
	reopen(r, s);
	if (s->sv.svfd != -1)
		mark(r, s);
}

static void
on_sv_event(struct watch_run *r, struct wsvc *s,
    const struct inotify_event *ie)
{
	if (s->sv_file) {
		/* The file replaced: the new one watched, then read. */
		if (ie->mask & (IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF |
		    IN_IGNORED)) {
			if (ie->mask & IN_IGNORED)
				s->wd_sv = -1;
			else
				unwatch(r, &s->wd_sv);
			watch_control_dir(r, s);
		}
		mark(r, s);
	} else if (ie->mask & IN_IGNORED) {
		s->wd_sv = -1;
		mark(r, s);
	} else if (ie->mask & (IN_DELETE_SELF | IN_MOVE_SELF) ||
	    (ie->len > 0 && watch_is_status_file(ie->name)))
		mark(r, s);
}

static void
dispatch(struct watch_run *r, const struct inotify_event *ie)
{
	struct wsvc *s;
	size_t i;

	/* Every holder of the watch: one inode may be watched for several. */
	for (i = 0; i < r->ndirs; i++)
		if (r->dirs[i].wd == ie->wd)
			on_scan_event(r, (int)i, ie);
	for (i = 0; i < r->nsvcs; i++) {
		s = &r->svcs[i];
		if (s->used && s->wd_sv == ie->wd)
			on_sv_event(r, s, ie);
		if (s->used && s->wd_dir == ie->wd)
			on_dir_event(r, s, ie);
		if (s->used && s->wd_far == ie->wd)
			on_far_event(r, s, ie);
	}
}

/* A batch of inotify events; the services they name are read after. */
static void
read_inotify(struct watch_run *r)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct
	    inotify_event))));
	const struct inotify_event *ie;
	ssize_t n;
	char *p;

	while ((n = read(r->ino, buf, sizeof(buf))) > 0)
		for (p = buf; p < buf + n; p += sizeof(*ie) + ie->len) {
			ie = (const struct inotify_event *)(void *)p;
			if (ie->mask & IN_Q_OVERFLOW)
				resync(r);
			else
				dispatch(r, ie);
		}
}

static void
refresh_dirty(struct watch_run *r)
{
	size_t cursor = 0;
	long i;

	while ((i = dirty_take(&r->dirty, &cursor)) != -1)
		if (r->svcs[i].used)
			refresh(r, &r->svcs[i]);
}

/* S's program in the answer of N; NULL when it is not there. */
static const struct sd_proc *
sd_answer(const struct watch_run *r, size_t n, const struct wsvc *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sd_proc_is(&r->procs[i], s->sd.name))
			return &r->procs[i];
	return NULL;
}

/*
 * S's program read from the answer: a program not in it has gone from
 * supervisord (getProcessInfo's BAD_NAME fault), unless the answer was
 * cut at SD_PROCS_MAX: then it is asked alone.
 */
static void
take_sd(struct watch_run *r, struct wsvc *s, enum sd_result res, size_t n)
{
	const struct sd_proc *p = NULL;
	struct watch_snap now;

	if (res == SD_OK && (p = sd_answer(r, n, s)) == NULL) {
		if (n >= SD_PROCS_MAX)
			service_refresh(&s->sv);
		else
			sd_service_take(&s->sv, SD_FAULT, NULL);
	} else
		sd_service_take(&s->sv, res, p);
	if (watch_snap_take(&s->sv, &now) == 1 &&
	    watch_snap_changed(&s->snap, &now))
		emit(r, s, &now);
}

/*
 * supervisord's programs: no events to wait for, so asked again, all in
 * one getAllProcessInfo bounded by WATCH_SD_CALL_MS: a supervisord that
 * does not answer makes them unknown until it does.
 */
static void
poll_sd(struct watch_run *r)
{
	enum sd_result res;
	size_t i, n = 0;

	r->sdc.timeout_ms = WATCH_SD_CALL_MS;
	r->sdc.deadline_ms = 0;
	res = sd_all_process_info(&r->sdc, r->procs, SD_PROCS_MAX, &n);
	for (i = 0; i < r->nsvcs; i++)
		if (r->svcs[i].used && service_source(&r->svcs[i].sv) != NULL)
			take_sd(r, &r->svcs[i], res, n);
}

/* ---- setup --------------------------------------------------------------- */

/* Three descriptors a service: the soft limit raised toward the hard. */
static size_t
fd_room(void)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)WATCH_MAX * WATCH_FDS_EACH + WATCH_FDS_SPARE;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 64;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > need ? need : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return WATCH_MAX;
	return rl.rlim_cur > WATCH_FDS_SPARE ? (size_t)((rl.rlim_cur -
	    WATCH_FDS_SPARE) / WATCH_FDS_EACH) : 1;
}

static int
add_epoll(struct watch_run *r, int fd, enum ev_kind k)
{
	struct epoll_event ev;

	ev.events = k == EV_STDOUT ? 0 : EPOLLIN;	/* stdout: errors */
	ev.data.u64 = ev_data(k, 0);
	return epoll_ctl(r->ep, EPOLL_CTL_ADD, fd, &ev);
}

static int
set_disposition(int sig, void (*handler)(int), struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, old);
}

/*
 * SIGINT and SIGTERM as reads, so they end the loop where it stands
 * (blocked first, so none comes between);
 * SIGPIPE ignored, so a closed stdout is a write's EPIPE. Stdout's
 * reader going away (a pipe, a socket) wakes us even while idle.
 */
static int
setup_loop(struct watch_run *r)
{
	struct stat sb;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, &r->oldmask) == -1)
		return -1;
	/* A shell starts background jobs with SIGINT ignored, and an
	 * ignored signal never reaches a signalfd. */
	if (set_disposition(SIGINT, SIG_DFL, &r->old_int) == -1 ||
	    set_disposition(SIGTERM, SIG_DFL, &r->old_term) == -1 ||
	    set_disposition(SIGPIPE, SIG_IGN, &r->old_pipe) == -1)
		return -1;
	r->saved = 1;
	if ((r->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) == -1 ||
	    (r->ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) == -1 ||
	    (r->ep = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    add_epoll(r, r->ino, EV_INOTIFY) == -1 ||
	    add_epoll(r, r->sigfd, EV_SIGNAL) == -1)
		return -1;
	if (fstat(STDOUT_FILENO, &sb) == 0 && (S_ISFIFO(sb.st_mode) ||
	    S_ISSOCK(sb.st_mode)))
		(void)add_epoll(r, STDOUT_FILENO, EV_STDOUT);
	return 0;
}

/* A named service: its parent directory is kept open, its name in it. */
static enum svx_outcome
add_named(struct watch_run *r, const char *arg)
{
	char path[PATH_MAX], parent[PATH_MAX], *slash;
	int dir;

	if (resolve_service(arg, r->o->svdir, path, sizeof(path)) == -1)
		goto fail;
	while (strlen(path) > 1 && path[strlen(path) - 1] == '/')
		path[strlen(path) - 1] = '\0';
	strlcpy(parent, path, sizeof(parent));
	if ((slash = strrchr(parent, '/')) == NULL)
		strlcpy(parent, ".", sizeof(parent));
	else if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	slash = strrchr(path, '/');
	if ((dir = add_dir(r, parent, 0)) == -1 ||
	    add_service(r, dir, slash != NULL ? slash + 1 : path, arg,
	    0) == -1)
		goto fail;
	return OUT_OK;
fail:
	fprintf(stderr, "%s: watch: %s: %s\n", getprogname(), arg,
	    strerror(errno));
	return errno == ENOENT || errno == ENOTDIR ? OUT_NOT_SUPERVISED :
	    OUT_SYSTEM;
}

/*
 * supervisord:NAME (or GROUP:NAME), read over XML-RPC at
 * WATCH_SD_POLL_MS. SHOWN: as named; NULL: as --all found it.
 */
static enum svx_outcome
add_sd(struct watch_run *r, const char *arg, const char *shown)
{
	struct wsvc *s;

	if ((s = free_slot(r)) == NULL) {
		fprintf(stderr, "%s: watch: %s: %s\n", getprogname(), arg,
		    strerror(EMFILE));
		return OUT_SYSTEM;
	}
	memset(s, 0, sizeof(*s));
	s->dir = -1;
	s->shown = shown;
	s->pidfd = s->wd_dir = s->wd_sv = -1;
	strlcpy(s->name, arg, sizeof(s->name));
	if (r->nsd++ == 0 && r->sdc.socket[0] == '\0')
		(void)sd_find_socket(&r->sdc);
	r->sdc.timeout_ms = WATCH_SD_CALL_MS;
	s->sd.conn = &r->sdc;
	s->sd.name = sd_program_name(s->name);
	sd_service_open(&s->sv, &s->sd);
	s->used = 1;
	(void)watch_snap_take(&s->sv, &s->snap);
	return OUT_OK;
}

/*
 * --all: supervisord's programs too, when one answers on its socket, as
 * status --all lists them (the patterns match supervisord:NAME). Those
 * it gains later are not seen: it says nothing of them unasked.
 */
static void
add_all_sd(struct watch_run *r)
{
	struct sd_proc *procs = r->procs;
	char name[NAME_MAX + 1];
	size_t i, n = 0;

	if (sd_find_socket(&r->sdc) == -1 || access(r->sdc.socket, F_OK) == -1)
		return;
	r->sdc.timeout_ms = WATCH_SD_CALL_MS;
	if (sd_all_process_info(&r->sdc, procs, SD_PROCS_MAX, &n) != SD_OK)
		return;
	for (i = 0; i < n; i++) {
		if (strcmp(procs[i].group, procs[i].name) == 0 ||
		    procs[i].group[0] == '\0')
			snprintf(name, sizeof(name), SD_NAME_PREFIX "%s",
			    procs[i].name);
		else
			snprintf(name, sizeof(name), SD_NAME_PREFIX "%s:%s",
			    procs[i].group, procs[i].name);
		if (wanted_name(r->o, name))
			(void)add_sd(r, name, NULL);
	}
}

static size_t
count_used(const struct watch_run *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nsvcs; i++)
		n += r->svcs[i].used;
	return n;
}

static enum svx_outcome
add_all(struct watch_run *r)
{
	struct scandir_list scans;
	size_t i;
	int dir;

	listing_find_scandirs(&scans);
	for (i = 0; i < scans.n; i++) {
		if ((dir = add_dir(r, scans.dirs[i].path, 1)) == -1) {
			fprintf(stderr, "%s: watch: %s: %s\n", getprogname(),
			    scans.dirs[i].path, strerror(errno));
			continue;
		}
		scan_dir_entries(r, dir, 0);
	}
	add_all_sd(r);
	return OUT_OK;
}

/* ---- the loop ------------------------------------------------------------ */

/* Services left out for want of room, at the start or since: said. */
static void
say_left_out(struct watch_run *r)
{
	if (r->lost == r->lost_told)
		return;
	fprintf(stderr, "%s: watch: %d services left out: no descriptors "
	    "left for them\n", getprogname(), r->lost - r->lost_told);
	r->lost_told = r->lost;
}

static void
on_ready(struct watch_run *r, uint64_t data)
{
	struct signalfd_siginfo si;
	size_t i = (size_t)(data & 0xffffffffu);

	switch ((enum ev_kind)(data >> 32)) {
	case EV_INOTIFY:
		read_inotify(r);
		break;
	case EV_SIGNAL:
		if (read(r->sigfd, &si, sizeof(si)) > 0)
			r->done = 1;
		break;
	case EV_STDOUT:
		r->done = r->closed = 1;	/* no reader left */
		break;
	case EV_PIDFD:
		/* The supervisor is gone: its lock and FIFOs with it. */
		if (i < r->nsvcs && r->svcs[i].used) {
			drop_pidfd(r, &r->svcs[i]);
			mark(r, &r->svcs[i]);
		}
		break;
	}
}

/* Until supervisord's programs are asked again: -1 while there are none. */
static int
poll_timeout(const struct watch_run *r, int64_t next_poll)
{
	int64_t left;

	if (r->nsd == 0)
		return -1;
	left = next_poll - monotonic_ms();
	return left < 0 ? 0 : (int)left;
}

static enum svx_outcome
loop(struct watch_run *r)
{
	struct epoll_event evs[64];
	int64_t next_poll = monotonic_ms() + WATCH_SD_POLL_MS;
	int n, k;

	while (!r->done && r->failed == 0) {
		n = epoll_wait(r->ep, evs, 64, poll_timeout(r, next_poll));
		if (n == -1 && errno != EINTR) {
			fprintf(stderr, "%s: watch: %s\n", getprogname(),
			    strerror(errno));
			return OUT_SYSTEM;
		}
		for (k = 0; k < n; k++)
			on_ready(r, evs[k].data.u64);
		refresh_dirty(r);
		say_left_out(r);
		/* On its own clock: other events must not put it off. */
		if (r->nsd > 0 && monotonic_ms() >= next_poll) {
			poll_sd(r);
			next_poll = monotonic_ms() + WATCH_SD_POLL_MS;
		}
		flush_out(r);
	}
	if (r->failed != 0) {
		fprintf(stderr, "%s: watch: cannot write output: %s\n",
		    getprogname(), strerror(r->failed));
		return OUT_SYSTEM;
	}
	/* Nobody reads what is left in the buffer: the final flush (exit
	 * code 111 when it fails) has nothing to say about that. */
	if (r->closed)
		(void)freopen("/dev/null", "w", stdout);
	return OUT_OK;
}

/* Everything opened given back, for a caller that goes on (the tests). */
static void
teardown(struct watch_run *r)
{
	size_t i;

	for (i = 0; i < r->nsvcs; i++)
		if (r->svcs[i].used) {
			drop_pidfd(r, &r->svcs[i]);
			service_close(&r->svcs[i].sv);
		}
	for (i = 0; i < r->ndirs; i++)
		close(r->dirs[i].fd);
	if (r->ep != -1)
		close(r->ep);
	if (r->ino != -1)
		close(r->ino);
	if (r->sigfd != -1)
		close(r->sigfd);
	/* The dispositions before the mask: a SIGINT pending while it was
	 * blocked then meets the caller's own handling, not ours. */
	if (r->saved) {
		(void)sigaction(SIGINT, &r->old_int, NULL);
		(void)sigaction(SIGTERM, &r->old_term, NULL);
		(void)sigaction(SIGPIPE, &r->old_pipe, NULL);
	}
	(void)sigprocmask(SIG_SETMASK, &r->oldmask, NULL);
}

/* A backend without directories is watched by asking its supervisor. */
static enum svx_outcome (*const named_watches[BACKEND_ALL_COUNT])(
    struct watch_run *, const char *, const char *) = {
	[BACKEND_SUPERVISORD] = add_sd,
};

enum svx_outcome
svx_watch(int n, char **args, const struct watch_opts *o)
{
	static struct watch_run r;
	const struct svx_adapter *named;
	enum svx_outcome worst = OUT_OK, one;
	int i;

	memset(&r, 0, sizeof(r));
	dirty_clear(&r.dirty);
	r.o = o;
	r.ino = r.ep = r.sigfd = -1;
	sigprocmask(SIG_SETMASK, NULL, &r.oldmask);
	r.room = fd_room();
	if (!o->all && n == 0) {
		fprintf(stderr, "%s: watch: no service given (or --all)\n",
		    getprogname());
		return OUT_USAGE;
	}
	if (setup_loop(&r) == -1) {
		fprintf(stderr, "%s: watch: %s\n", getprogname(),
		    strerror(errno));
		teardown(&r);
		return OUT_SYSTEM;
	}
	if (o->all)
		worst = add_all(&r);
	for (i = 0; !o->all && i < n; i++) {
		one = (named = service_named_backend(args[i])) != NULL ?
		    named_watches[named->id](&r, args[i], args[i]) :
		    add_named(&r, args[i]);
		worst = outcome_worse(worst, one);
	}
	say_left_out(&r);
	if (count_used(&r) == 0 && !o->all) {
		teardown(&r);
		return worst;
	}
	if (o->all && r.ndirs == 0 && r.nsd == 0) {
		fprintf(stderr, "%s: watch: no scan directory found (set "
		    "SVDIR or SVX_SCANDIRS)\n", getprogname());
		teardown(&r);
		return OUT_NOT_SUPERVISED;
	}
	if (o->verbose)
		fprintf(stderr, "%s: watch: watching %zu services\n",
		    getprogname(), count_used(&r));
	one = loop(&r);
	teardown(&r);
	return one == OUT_SYSTEM ? one : OUT_OK;
}
