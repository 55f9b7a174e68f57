/*
 * svx new, enable, disable: a service's life outside its supervisor.
 *
 *   new NAME [--dir DIR] [--backend B] [--log] [--down] [--user U]
 *       [--env K=V]... -- COMMAND [ARG...]
 *	a whole service directory in DIR (SVX_NEW_DIR by default), built
 *	under a dot-name and renamed into place (adapters/files/svnew.c)
 *   enable NAME|DIR [--scandir S] [-w SECS]
 *	DIR linked into S, its scanner kicked, its supervisor (and its
 *	log's) waited for; with -w, the start's verdict as svx -w up gives it
 *   disable NAME|DIR [--scandir S] [--force]
 *	the link removed, then the service stopped and its supervisor and
 *	its log's ended, as svx exit does; the directory left as it was
 *
 * Each says what it did on stdout and what it refused on stderr, one
 * line naming the service; enabling or disabling twice is not an error.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../adapters/engine/scanner.h"
#include "../../adapters/files/svnew.h"
#include "../common/report.h"
#include "../common/resolve.h"
#include "../control/control.h"
#include "svx.h"

#define LIFE_WAIT_MS	7000	/* without -w: sv's SVWAIT; svscan's 5 s */
#define RUN_MAX		16384

/* ---- scanners ------------------------------------------------------------ */

/* svscan serves daemontools and encore alike: its backend is either. */
static int
backend_matches(enum svx_backend scanned, enum svx_backend want)
{
	if (want == BACKEND_UNKNOWN)
		return 1;
	if (want == BACKEND_ENCORE)
		want = BACKEND_DAEMONTOOLS;
	return scanned == want;
}

/*
 * The distinct scan directories of running scanners of WANT (any when
 * BACKEND_UNKNOWN): how many, the first into DIR, the backends seen as
 * bits in *SEEN.
 */
static size_t
running_scandirs(enum svx_backend want, char *dir, size_t len,
    unsigned int *seen)
{
	struct scanner_proc procs[SCANNERS_MAX];
	char path[PATH_MAX];
	struct stat sb, first;
	size_t n, i, found = 0;
	enum svx_backend b;

	*seen = 0;
	n = scanner_processes(procs, SCANNERS_MAX);
	for (i = 0; i < n; i++) {
		b = scanner_backend(procs[i].kind);
		if (!backend_matches(b, want) || scanner_dir(procs[i].pid, path,
		    sizeof(path)) == -1 || stat(path, &sb) == -1)
			continue;
		*seen |= 1u << b;
		if (found > 0 && same_file(&sb, &first))
			continue;
		if (found++ == 0) {
			first = sb;
			strlcpy(dir, path, len);
		}
	}
	return found;
}

/* --backend's one backend, or BACKEND_UNKNOWN when none was given. */
static int
backend_given(const struct life_opts *o, enum svx_backend *b)
{
	int i, n = 0;

	*b = BACKEND_UNKNOWN;
	for (i = BACKEND_UNKNOWN + 1; i < BACKEND_ALL_COUNT; i++)
		if (o->backends & (1u << i)) {
			*b = (enum svx_backend)i;
			n++;
		}
	/* One, and one of service directories: the others make none. */
	return n <= 1 && backend_has_directory(*b) ? 0 : -1;
}

/* The backend whose scanner runs, when exactly one does. */
static enum svx_outcome
pick_backend(const char *name, const struct life_opts *o,
    enum svx_backend *b)
{
	char dir[PATH_MAX];
	unsigned int seen;
	int i, kinds = 0;

	if (backend_given(o, b) == -1) {
		report_error(name, "--backend: one of daemontools, encore, "
		    "runit, s6");
		return OUT_USAGE;
	}
	if (*b != BACKEND_UNKNOWN)
		return OUT_OK;
	(void)running_scandirs(BACKEND_UNKNOWN, dir, sizeof(dir), &seen);
	for (i = BACKEND_UNKNOWN + 1; i < BACKEND_DIR_COUNT; i++)
		if (seen & (1u << i)) {
			*b = (enum svx_backend)i;
			kinds++;
		}
	if (kinds == 1)
		return OUT_OK;
	report_error(name, "%s: name one with --backend", kinds == 0 ?
	    "no scanner runs" : "scanners of several backends run");
	return OUT_USAGE;
}

/* ---- new ------------------------------------------------------------------ */

static void
show_file(const char *dir, const char *name, const char *file,
    const char *text)
{
	printf("==> %s/%s/%s <==\n%s", dir, name, file, text);
}

static enum svx_outcome
new_check(int n, char **args, const struct life_opts *o)
{
	const char *why;
	size_t i;

	if (n < 1) {
		fprintf(stderr, "%s: new: no NAME given\n", getprogname());
		return OUT_USAGE;
	}
	if (svnew_name_ok(args[0], &why) == -1) {
		report_error(args[0], "%s", why);
		return OUT_USAGE;
	}
	if (!o->dashdash || n < 2) {
		report_error(args[0], "no COMMAND: svx new NAME [OPTION...] -- "
		    "COMMAND [ARG...]");
		return OUT_USAGE;
	}
	for (i = 0; i < o->nenv; i++)
		if (svnew_env_ok(o->env[i], &why) == -1) {
			report_error(args[0], "%s: %s", o->env[i], why);
			return OUT_USAGE;
		}
	if (o->user != NULL && o->user[0] == '\0') {
		report_error(args[0], "--user: an empty name");
		return OUT_USAGE;
	}
	/* A name the switcher would look up, and fail on at every start;
	 * numeric forms (uid, uid:gid) are taken as they are. */
	if (o->user != NULL && strchr(o->user, ':') == NULL &&
	    strspn(o->user, "0123456789") != strlen(o->user) &&
	    getpwnam(o->user) == NULL) {
		report_error(args[0], "--user: no user %s on this machine",
		    o->user);
		return OUT_USAGE;
	}
	return OUT_OK;
}

static enum svx_outcome
new_refused(const char *name, const char *dir, enum svnew_step step)
{
	int err = errno;

	if (step == SVNEW_RENAME && (err == EEXIST || err == ENOTEMPTY)) {
		report_error(name, "%s/%s appeared while svx built it; left "
		    "alone", dir, name);
		return OUT_USAGE;
	}
	if (step == SVNEW_MKDIR && err == EEXIST) {
		report_error(name, "another svx new is building it (or was "
		    "interrupted): %s/.%s.svx-new exists", dir, name);
		return OUT_USAGE;
	}
	report_error(name, "cannot %s in %s: %s", step == SVNEW_MKDIR ?
	    "make its directory" : step == SVNEW_FILES ? "write its files" :
	    "rename it into place", dir, strerror(err));
	return OUT_SYSTEM;
}

enum svx_outcome
svx_new(int n, char **args, const struct life_opts *o)
{
	static char run[RUN_MAX], logrun[1024];
	const char *dir = o->dir != NULL ? o->dir : SVX_NEW_DIR;
	struct svnew s = { .argv = args + 1, .argc = (size_t)(n - 1) };
	struct stat sb;
	enum svx_outcome out;
	enum svnew_step step;
	int dirfd;

	if ((out = new_check(n, args, o)) != OUT_OK)
		return out;
	s.name = args[0];
	s.log = o->log;
	s.down = o->down;
	s.user = o->user;
	memcpy(s.env, o->env, sizeof(s.env));
	s.nenv = o->nenv;
	if ((out = pick_backend(s.name, o, &s.backend)) != OUT_OK)
		return out;
	if (svnew_render_run(&s, run, sizeof(run)) == -1 ||
	    svnew_render_log(&s, logrun, sizeof(logrun)) == -1) {
		report_error(s.name, "its run script does not fit in %zu bytes",
		    sizeof(run));
		return OUT_USAGE;
	}
	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		report_error(s.name, "%s: %s", dir, strerror(errno));
		return OUT_SYSTEM;
	}
	if (fstatat(dirfd, s.name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		close(dirfd);
		report_error(s.name, "%s/%s already exists; left alone", dir,
		    s.name);
		return OUT_USAGE;
	}
	if (o->dry_run) {
		close(dirfd);
		show_file(dir, s.name, "run", run);
		if (s.log)
			show_file(dir, s.name, "log/run", logrun);
		if (s.down)
			show_file(dir, s.name, "down", "");
		return OUT_OK;
	}
	step = svnew_build(dirfd, &s, run, s.log ? logrun : NULL);
	close(dirfd);
	if (step != SVNEW_DONE)
		return new_refused(s.name, dir, step);
	report_done(s.name, "created %s/%s (%s%s%s)", dir, s.name,
	    backend_name(s.backend), s.log ? ", logged to log/" SVNEW_LOGDIR
	    "/" : "", s.down ? ", down" : "");
	return OUT_OK;
}

/* ---- enable --------------------------------------------------------------- */

/* What enable and disable work on: the directory, its link's place. */
struct life {
	const char	*arg;
	const char	*name;		/* the entry's name: DIR's basename */
	char		 target[PATH_MAX];	/* DIR, absolute */
	char		 scandir[PATH_MAX];	/* absolute */
	char		 link[PATH_MAX];	/* scandir/name */
	int		 dirfd;
	int		 scanfd;
};

static void
life_close(struct life *l)
{
	if (l->dirfd != -1)
		close(l->dirfd);
	if (l->scanfd != -1)
		close(l->scanfd);
}

/* ARG as a directory: a path, or a name in --dir (SVX_NEW_DIR). */
static enum svx_outcome
life_dir(struct life *l, const struct life_opts *o)
{
	char path[PATH_MAX];
	const char *slash;

	if (strchr(l->arg, '/') != NULL)
		strlcpy(path, l->arg, sizeof(path));
	else if (path_join(path, sizeof(path), o->dir != NULL ? o->dir :
	    SVX_NEW_DIR, l->arg) == -1) {
		report_error(l->arg, "%s", strerror(ENAMETOOLONG));
		return OUT_USAGE;
	}
	if (realpath(path, l->target) == NULL || (l->dirfd = open(l->target,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		report_error(l->arg, "%s: %s", path, strerror(errno));
		return OUT_NOT_SUPERVISED;
	}
	if (faccessat(l->dirfd, "run", X_OK, 0) == -1) {
		report_error(l->arg, "%s: not a service directory (no "
		    "executable ./run)", l->target);
		return OUT_NOT_SUPERVISED;
	}
	slash = strrchr(l->target, '/');
	l->name = slash != NULL && slash[1] != '\0' ? slash + 1 : l->target;
	if (l->name[0] == '.' || l->name[0] == '/') {
		report_error(l->arg, "a directory named %s: scanners skip "
		    "dot-names", l->name);
		return OUT_USAGE;
	}
	return OUT_OK;
}

/* The backend a directory is for: --backend, else its logger's. */
static enum svx_backend
dir_backend(const struct life *l, const struct life_opts *o)
{
	static const enum svx_backend of_logger[] = {
		[LOGGER_NONE] = BACKEND_UNKNOWN,
		[LOGGER_SVLOGD] = BACKEND_RUNIT,
		[LOGGER_MULTILOG] = BACKEND_DAEMONTOOLS,
		[LOGGER_S6LOG] = BACKEND_S6,
	};
	char text[SVFILE_MAX];
	struct logger lg;
	const char *why;
	enum svx_backend b;
	int logfd;

	if (backend_given(o, &b) == 0 && b != BACKEND_UNKNOWN)
		return b;
	if ((logfd = openat(l->dirfd, "log", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return BACKEND_UNKNOWN;
	b = read_small(logfd, "run", O_NOFOLLOW, text, sizeof(text)) > 0 &&
	    logger_parse(text, &lg, &why) == 0 ? of_logger[lg.kind] :
	    BACKEND_UNKNOWN;
	close(logfd);
	return b;
}

/* --scandir, else the one directory a scanner of its backend runs on. */
static enum svx_outcome
life_scandir(struct life *l, const struct life_opts *o, int must_exist)
{
	enum svx_backend b = dir_backend(l, o);
	unsigned int seen;
	char dir[PATH_MAX];
	size_t n;

	if (o->scandir != NULL)
		strlcpy(dir, o->scandir, sizeof(dir));
	else if ((n = running_scandirs(b, dir, sizeof(dir), &seen)) != 1) {
		report_error(l->arg, "%s%s%s: name one with --scandir", n == 0 ?
		    "no scanner runs" : "scanners run on several directories",
		    b != BACKEND_UNKNOWN ? " for " : "", b != BACKEND_UNKNOWN ?
		    backend_name(b) : "");
		return OUT_USAGE;
	}
	if (realpath(dir, l->scandir) == NULL || (l->scanfd = open(l->scandir,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		report_error(l->arg, "scan directory %s: %s", dir,
		    strerror(errno));
		return must_exist ? OUT_SYSTEM : OUT_OK;
	}
	if (path_join(l->link, sizeof(l->link), l->scandir, l->name) == -1) {
		report_error(l->arg, "%s", strerror(ENAMETOOLONG));
		return OUT_USAGE;
	}
	return OUT_OK;
}

/* The link made (REPLACE: over another), said on stdout. */
static enum svx_outcome
make_link(struct life *l, int replace)
{
	if (svlink_make(l->scanfd, l->name, l->target, replace) == -1) {
		report_error(l->arg, "cannot link %s: %s", l->link,
		    strerror(errno));
		return OUT_SYSTEM;
	}
	report_done(l->arg, "linked %s -> %s", l->link, l->target);
	return OUT_OK;
}

/* The link made, or found made: said on stdout. */
static enum svx_outcome
enable_link(struct life *l, const struct life_opts *o)
{
	char was[PATH_MAX];
	ssize_t k;

	switch (svlink_state(l->scanfd, l->name, l->dirfd)) {
	case SVLINK_OURS:
	case SVLINK_SAME_DIR:
		report_done(l->arg, "already in %s", l->scandir);
		return OUT_OK;
	case SVLINK_NONE:
		return make_link(l, 0);
	case SVLINK_ELSEWHERE:
		if (o->force)
			return make_link(l, 1);
		k = readlinkat(l->scanfd, l->name, was, sizeof(was) - 1);
		was[k > 0 ? k : 0] = '\0';
		report_error(l->arg, "%s links to %s, not %s; --force replaces "
		    "the link", l->link, was, l->target);
		return OUT_USAGE;
	case SVLINK_FOREIGN:
		report_error(l->arg, "%s exists and is not a symlink to it; "
		    "left alone", l->link);
		return OUT_USAGE;
	default:
		report_error(l->arg, "%s: %s", l->link, strerror(errno));
		return OUT_SYSTEM;
	}
}

/*
 * A directory a supervisor of another backend already runs: linked where
 * this scanner watches, it would get a second supervisor of this scanner's
 * kind, and (s6 beside any other: their locks do not exclude each other)
 * a second copy of the daemon (PROTOCOLS.md#two-supervisors). Nothing is
 * linked; svx migrate is the way across.
 */
static enum svx_outcome
enable_refuses_other_supervisor(struct life *l, const struct life_opts *o)
{
	enum svx_backend scanned = scanner_backend(scanner_watching(
	    l->scandir));
	struct svx_service sv;
	enum svx_backend runs;

	if (scanned == BACKEND_UNKNOWN ||
	    service_open(AT_FDCWD, l->target, o->supervisedir, &sv) == -1)
		return OUT_OK;
	runs = sv.det.verdict == VERDICT_SUPERVISED ? sv.det.backend :
	    BACKEND_UNKNOWN;
	service_close(&sv);
	if (runs == BACKEND_UNKNOWN || backend_matches(scanned, runs))
		return OUT_OK;
	report_error(l->arg, "supervised by %s already, and a %s scanner "
	    "watches %s: linked there it would run twice; svx migrate --to %s "
	    "moves it", backend_name(runs), backend_name(scanned), l->scandir,
	    backend_name(scanned));
	return OUT_USAGE;
}

/*
 * PATH's supervisor, within what is left until DEADLINE: 0, or -1 with
 * *KICKED saying whether any scanner was there to start one. A log's
 * supervisor (BY_SCANNER 0) comes from whatever started the service's
 * (the same scan, or runsv itself), a moment later at most: it is waited
 * for whether or not a scanner watches the service directory.
 */
static int
await_one(const char *path, struct svx_service *sv, const char *supdir,
    int64_t deadline, int *kicked, int by_scanner)
{
	int64_t left = deadline - monotonic_ms();

	*kicked = SCANNER_S6;	/* a supervisor already there needs none */
	if (sv->det.verdict == VERDICT_SUPERVISED && !sv->det.starting)
		return 0;
	if (left < 0)
		left = 0;
	return wait_supervisor(sv, path, supdir, by_scanner ? -left : left,
	    kicked);
}

/* Its supervisor and its log's, kicked for and waited on. */
static enum svx_outcome
enable_await(struct life *l, const struct life_opts *o, int64_t deadline)
{
	struct svx_service sv, log;
	char logpath[PATH_MAX + 8];
	int64_t began = monotonic_ms();
	int kicked, log_kicked, r, has_log;

	if (service_open(AT_FDCWD, l->link, o->supervisedir, &sv) == -1) {
		report_error(l->arg, "%s: %s", l->link, strerror(errno));
		return OUT_SYSTEM;
	}
	r = await_one(l->link, &sv, o->supervisedir, deadline, &kicked, 1);
	has_log = r == 0 && service_open_log(&sv, l->link, o->supervisedir,
	    &log);
	service_close(&sv);
	if (has_log) {
		snprintf(logpath, sizeof(logpath), "%s/log", l->link);
		r = await_one(logpath, &log, o->supervisedir, deadline,
		    &log_kicked, 0);
		service_close(&log);
	}
	if (r == -1 && kicked == SCANNER_NONE) {
		report_error(l->arg, "no scanner runs on %s: linked, but "
		    "nothing will supervise it", l->scandir);
		return OUT_NOT_SUPERVISED;
	}
	if (r == -1) {
		report_error(l->arg, "no supervisor%s after %lld ms", has_log ?
		    " for its log" : "", (long long)(monotonic_ms() - began));
		return OUT_FALSE;
	}
	report_done(l->arg, "supervised%s after %lld ms", has_log ?
	    ", and its log," : "", (long long)(monotonic_ms() - began));
	return OUT_OK;
}

static enum svx_outcome
enable_one(const char *arg, const struct life_opts *o, int64_t deadline)
{
	struct life l = { .arg = arg, .dirfd = -1, .scanfd = -1 };
	enum svx_outcome out;
	int64_t left;

	if ((out = life_dir(&l, o)) == OUT_OK &&
	    (out = life_scandir(&l, o, 1)) == OUT_OK &&
	    (out = enable_refuses_other_supervisor(&l, o)) == OUT_OK &&
	    (out = enable_link(&l, o)) == OUT_OK)
		out = enable_await(&l, o, deadline);
	/* -w: the start's verdict, as svx -w up judges it; a service made
	 * to start down is left down. */
	if (out == OUT_OK && o->wait_ms >= 0 && faccessat(l.dirfd, "down",
	    F_OK, 0) == -1) {
		/* Its supervisor came as -w ran out (svscan's 5 s rescan):
		 * a verdict judged in no time would blame the supervisor. */
		if ((left = deadline - monotonic_ms()) <= 0) {
			report_error(arg, "timed out: supervised as -w %lld ran "
			    "out, its start not judged (svscan finds a link "
			    "within 5 s: -w 6)", (long long)o->wait_ms / 1000);
			out = OUT_TIMEOUT;
		} else if ((out = svx_run_verb(l.link, VERB_UP, left,
		    o->settle_ms, o->verbose)) == OUT_OK)
			report_done(arg, "up");
	}
	life_close(&l);
	return out;
}

/*
 * Every service named, in order, under one deadline: -w bounds the whole
 * command, not each service. The worst outcome is the command's.
 */
static enum svx_outcome
each_service(const char *verb, int n, char **args, const struct life_opts *o,
    enum svx_outcome (*one)(const char *, const struct life_opts *, int64_t))
{
	enum svx_outcome worst = OUT_OK;
	int64_t deadline = monotonic_ms() + (o->wait_ms >= 0 ? o->wait_ms :
	    LIFE_WAIT_MS);
	int i;

	if (n < 1) {
		fprintf(stderr, "%s: %s: no service given\n", getprogname(),
		    verb);
		return OUT_USAGE;
	}
	for (i = 0; i < n; i++)
		worst = outcome_worse(worst, one(args[i], o, deadline));
	return worst;
}

enum svx_outcome
svx_enable(int n, char **args, const struct life_opts *o)
{
	return each_service("enable", n, args, o, enable_one);
}

/* ---- disable -------------------------------------------------------------- */

/*
 * What disable works on: ARG's entry in the scan directory. A bare name
 * names the entry (its directory found through it); a path names the
 * directory, whose basename is the entry's.
 */
static enum svx_outcome
disable_find(struct life *l, const struct life_opts *o)
{
	const char *slash;
	enum svx_outcome out;

	if (strchr(l->arg, '/') != NULL)
		return (out = life_dir(l, o)) == OUT_OK ? life_scandir(l, o, 1) :
		    out;
	l->name = l->arg;
	if (svnew_name_ok(l->name, &slash) == -1) {
		report_error(l->arg, "%s", slash);
		return OUT_USAGE;
	}
	if ((out = life_scandir(l, o, 1)) != OUT_OK)
		return out;
	/* Through the link, to compare: never written through. */
	if ((l->dirfd = openat(l->scanfd, l->name, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 && errno != ENOENT) {
		report_error(l->arg, "%s: %s", l->link, strerror(errno));
		return OUT_SYSTEM;
	}
	if (l->dirfd != -1 && realpath(l->link, l->target) == NULL)
		strlcpy(l->target, l->link, sizeof(l->target));
	return OUT_OK;
}

/* The entry taken out of the scanner's sight: removed (a link), or with
 * --force a directory moved to its dot-name. */
static enum svx_outcome
disable_unlink(struct life *l, const struct life_opts *o)
{
	enum svlink_state st = l->dirfd == -1 ? SVLINK_NONE :
	    svlink_state(l->scanfd, l->name, l->dirfd);
	char hidden[NAME_MAX + 1];

	if (l->dirfd == -1 && faccessat(l->scanfd, l->name, F_OK,
	    AT_SYMLINK_NOFOLLOW) == 0)
		st = SVLINK_FOREIGN;	/* a dangling link, or a file */
	if (st == SVLINK_NONE) {
		report_done(l->arg, "not in %s: nothing to do", l->scandir);
		return OUT_FALSE;	/* done, quietly: see svx_disable */
	}
	if (st == SVLINK_OURS || (st == SVLINK_ELSEWHERE && o->force)) {
		if (unlinkat(l->scanfd, l->name, 0) == -1)
			goto fail;
		report_done(l->arg, "removed %s", l->link);
		return OUT_OK;
	}
	if (st == SVLINK_SAME_DIR && o->force) {
		snprintf(hidden, sizeof(hidden), ".%s", l->name);
		if (renameat(l->scanfd, l->name, l->scanfd, hidden) == -1)
			goto fail;
		report_done(l->arg, "moved %s to %s/%s", l->link, l->scandir,
		    hidden);
		/* Its supervisors are stopped where it is now. */
		if (path_join(l->target, sizeof(l->target), l->scandir,
		    hidden) == -1)
			goto fail;
		return OUT_OK;
	}
	report_error(l->arg, "%s is %s; left alone%s", l->link, st ==
	    SVLINK_ELSEWHERE ? "a link to another directory" : st ==
	    SVLINK_SAME_DIR ? "a directory, not a link" : "not a symlink to "
	    "a service directory", st == SVLINK_FOREIGN ? "" :
	    " (--force takes it out)");
	return OUT_USAGE;
fail:
	report_error(l->arg, "cannot remove %s: %s", l->link, strerror(errno));
	return OUT_SYSTEM;
}

static enum svx_outcome
disable_one(const char *arg, const struct life_opts *o, int64_t deadline)
{
	struct life l = { .arg = arg, .dirfd = -1, .scanfd = -1 };
	enum svx_outcome out;
	int64_t left;

	if ((out = disable_find(&l, o)) == OUT_OK)
		out = disable_unlink(&l, o);
	if (out == OUT_FALSE)
		out = OUT_OK;	/* not there: already disabled */
	else if (out == OUT_OK) {
		/* Out of sight first, so no scanner starts it again; then
		 * the scanner told (s6-svscan, runsvdir end its supervisor
		 * themselves), and exit sent and waited for, log's too. */
		(void)scanner_kick(l.link);
		left = deadline - monotonic_ms();
		out = svx_run_verb(l.target, VERB_EXIT, left > 0 ? left : 0, 0,
		    o->verbose);
		if (out == OUT_OK)
			report_done(arg, "stopped; no supervisor left");
	}
	life_close(&l);
	return out;
}

enum svx_outcome
svx_disable(int n, char **args, const struct life_opts *o)
{
	return each_service("disable", n, args, o, disable_one);
}
