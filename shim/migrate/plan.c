/*
 * svx migrate of a service directory, the plan: the directory found (by
 * the name given, or by the dot-name an interrupted move left) and held,
 * one move at a time; refused when another user could steer root's hand
 * in it; its backend and wanted state; where it will run; what each of
 * its files becomes (mappings/migration.c), the finish script's
 * arguments and the logger. Nothing is changed here, but for an empty
 * .svx-migrate an interruption left.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/resolve.h"
#include "../control/control.h"
#include "../list/listing.h"
#include "mig.h"

static int
split(struct migration *m)
{
	char *slash;
	size_t len;

	strlcpy(m->parent, m->path, sizeof(m->parent));
	for (len = strlen(m->parent); len > 1 && m->parent[len - 1] == '/';
	    len--)
		m->parent[len - 1] = '\0';
	if ((slash = strrchr(m->parent, '/')) == NULL) {
		strlcpy(m->name, m->parent, sizeof(m->name));
		strlcpy(m->parent, ".", sizeof(m->parent));
	} else {
		strlcpy(m->name, slash + 1, sizeof(m->name));
		if (slash == m->parent)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	if (migrate_hidden_name(m->name, m->hidden, sizeof(m->hidden)) == -1)
		return -1;
	return m->name[0] != '\0' && m->name[0] != '.' ? 0 : -1;
}

/*
 * A scan directory in use holding a link to this directory under another
 * path: its scanner would start the old supervisor again through it.
 */
static int
linked_elsewhere(struct migration *m)
{
	struct stat self, sb;
	struct scandir_list scans;
	struct dirent *de;
	char entry[PATH_MAX];
	size_t i;
	DIR *d;
	int found = 0;

	if (fstat(m->dirfd, &self) == -1)
		return 0;
	listing_find_scandirs(&scans);
	for (i = 0; i < scans.n && !found; i++) {
		if (same_dir(scans.dirs[i].path, m->parent) ||
		    (d = opendir(scans.dirs[i].path)) == NULL)
			continue;
		while (!found && (de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' && path_join(entry, sizeof(entry),
			    scans.dirs[i].path, de->d_name) == 0 &&
			    stat(entry, &sb) == 0 && same_file(&sb, &self)) {
				mig_say(m, "error", "%s also leads here, and its "
				    "scanner would start the old supervisor "
				    "again: migrate that path", entry);
				found = 1;
			}
		closedir(d);
	}
	return found;
}

/* DIR's owner and mode, in the words of a refusal. */
static void
refuse_dir(struct migration *m, const char *dir, const struct stat *sb)
{
	const struct passwd *pw = getpwuid(sb->st_uid);

	mig_say(m, "error", "%s is owned by %s (uid %lu), mode %03o: run as root, "
	    "svx migrates nothing that another user owns or can write", dir,
	    pw != NULL ? pw->pw_name : "?", (unsigned long)sb->st_uid,
	    (unsigned int)(sb->st_mode & 0777));
}

/*
 * A supervise/ that a user owns (and no one else can write) is that
 * user's supervisor's: the service ran as that user, and keeps the user
 * under the target (a run wrapper; log/run's own user switch). Its name
 * goes into a script: a user without one, or with an odd one, is
 * refused, as svx cannot say who the service should run as.
 */
static int
supervised_by_user(struct migration *m, const char *name, const char *dir,
    const struct stat *sb, char *user, size_t len)
{
	const struct passwd *pw;
	char status[PATH_MAX];
	struct stat st;
	int missing;

	if (sb->st_uid == 0 || sb->st_uid == getuid() ||
	    (sb->st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return -1;
	/* Every supervisor writes its status file as itself: a directory
	 * chowned by hand has a status of another owner, or none. */
	missing = path_join(status, sizeof(status), name, "status") == -1 ||
	    fstatat(m->dirfd, status, &st, AT_SYMLINK_NOFOLLOW) == -1;
	if (missing || st.st_uid != sb->st_uid) {
		mig_say(m, "error", "%s is owned by uid %lu, its status file %s: "
		    "svx cannot tell which user its service ran as", dir,
		    (unsigned long)sb->st_uid, missing ? "missing" :
		    "another's");
		return -2;
	}
	if ((pw = getpwuid(sb->st_uid)) == NULL ||
	    !run_user_name_ok(pw->pw_name)) {
		mig_say(m, "error", "%s is owned by uid %lu, %s: its service ran "
		    "as that user, and svx cannot name the user to keep it",
		    dir, (unsigned long)sb->st_uid, pw == NULL ? "which has no "
		    "name" : "whose name svx will not write into a script");
		return -2;
	}
	strlcpy(user, pw->pw_name, len);
	return 0;
}

/*
 * Run as root, every directory the move writes in or renames in must be
 * root's or the invoking user's, and writable by no one else: a user
 * who could change one between svx's look and its write would steer
 * root's hand (a symlink swapped in, a finish script of theirs run as
 * root). Read-only commands (status) are not concerned. First the
 * service directory and what the move writes under it...
 */
static int
refuse_foreign_service(struct migration *m)
{
	/* Not event/: s6 makes it group-writable (a fifodir, mode 3730);
	 * svx only renames it, as a whole, in the service directory. A
	 * supervise/ of a user's is its supervisor's, renamed whole too:
	 * the user is kept (supervised_by_user). */
	const struct {
		const char	*name;
		char		*user;	/* where its user goes, or NULL */
	} under[] = {
		{ "log", NULL },
		{ "supervise", m->run_user },
		{ "log/supervise", m->log_user },
	};
	char real[PATH_MAX], path[PATH_MAX];
	struct stat sb;
	size_t i;
	int r;

	if (geteuid() != 0)
		return 0;
	/* Named as it is, not by the link in a scan directory. */
	if (realpath(current_path(m, path, sizeof(path)), real) == NULL)
		strlcpy(real, m->path, sizeof(real));
	if (dir_foreign(m->dirfd, NULL, getuid(), &sb) == 1) {
		refuse_dir(m, real, &sb);
		return -1;
	}
	for (i = 0; i < sizeof(under) / sizeof(under[0]); i++) {
		if (dir_foreign(m->dirfd, under[i].name, getuid(), &sb) != 1)
			continue;
		if (path_join(path, sizeof(path), real, under[i].name) == -1)
			strlcpy(path, under[i].name, sizeof(path));
		r = under[i].user == NULL ? -1 : supervised_by_user(m,
		    under[i].name, path, &sb, under[i].user,
		    sizeof(m->run_user));
		if (r == -1)
			refuse_dir(m, path, &sb);
		if (r != 0)
			return -1;
	}
	return 0;
}

/* ... then where its entry is renamed out of its old scanner's sight,
 * and the scan directory it goes to. */
static int
refuse_foreign_scans(struct migration *m)
{
	struct stat sb;

	if (geteuid() != 0)
		return 0;
	if (m->old_scanner != SCANNER_NONE && dir_foreign(AT_FDCWD,
	    m->parent, getuid(), &sb) == 1) {
		refuse_dir(m, m->parent, &sb);
		return -1;
	}
	if (m->place == PLACE_SCANNER && dir_foreign(AT_FDCWD, m->newscan,
	    getuid(), &sb) == 1) {
		refuse_dir(m, m->newscan, &sb);
		return -1;
	}
	return 0;
}

/*
 * One migration of a directory at a time: an exclusive flock on the
 * directory itself, taken before anything is looked at, refused at once
 * (never waited for) and let go when svx ends, however it ends. Nothing
 * is left in the directory.
 */
static int
hold(struct migration *m)
{
	pid_t holder;

	switch (fd_lock(m->dirfd, &holder)) {
	case 0:
		return 0;
	case 1:
		if (holder > 0)
			mig_say(m, "error", "another svx migrate (pid %ld) is moving "
			    "it; nothing done", (long)holder);
		else
			mig_say(m, "error", "another svx migrate is moving it; "
			    "nothing done");
		return -1;
	default:
		mig_say(m, "error", "cannot lock %s: %s", m->path, strerror(errno));
		return -1;
	}
}

/* ARG with its last name hidden as an interrupted move leaves it. */
static int
hidden_arg(const char *arg, char *out, size_t len)
{
	char dir[PATH_MAX], base[NAME_MAX + 1], hidden[NAME_MAX + 1];
	const char *slash;
	size_t n = strlen(arg);

	while (n > 1 && arg[n - 1] == '/')
		n--;
	if (n >= sizeof(dir))
		return -1;
	memcpy(dir, arg, n);
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (strlcpy(base, slash != NULL ? slash + 1 : dir, sizeof(base)) >=
	    sizeof(base) || migrate_hidden_name(base, hidden,
	    sizeof(hidden)) == -1)
		return -1;
	if (slash == NULL)
		return strlcpy(out, hidden, len) < len ? 0 : -1;
	dir[slash - dir] = '\0';
	return path_join(out, len, slash == dir ? "/" : dir, hidden);
}

/*
 * Its directory, found and held: by the path or name given, or, when an
 * interrupted move left its entry hidden from its old scanner, by that
 * dot-name (the move's journal then says what to do). 0, or -1 (said).
 */
int
dir_locate(struct migration *m, const char *svdir)
{
	char alt[PATH_MAX], now[PATH_MAX];
	const char *base;
	struct stat sb;

	if (resolve_service(m->arg, svdir, m->path, sizeof(m->path)) == -1 ||
	    stat(m->path, &sb) == -1) {
		if (errno != ENOENT || hidden_arg(m->arg, alt,
		    sizeof(alt)) == -1 || resolve_service(alt, svdir, now,
		    sizeof(now)) == -1 || stat(now, &sb) == -1) {
			mig_say(m, "error", "no such service (moved already? "
			    "svx status --all shows where it runs); nothing "
			    "done");
			return -1;
		}
		/* NOW is PARENT/.NAME.svx-migrate: the path is PARENT/NAME. */
		base = strrchr(m->path, '/') != NULL ? strrchr(m->path, '/') + 1 :
		    m->path;
		path_dir(now, m->parent, sizeof(m->parent));
		if (path_join(alt, sizeof(alt), m->parent, base) == -1 ||
		    strlcpy(m->path, alt, sizeof(m->path)) >= sizeof(m->path))
			return -1;
		m->hid = 1;
	}
	if (make_absolute(m->path, sizeof(m->path)) == -1 || split(m) == -1) {
		mig_say(m, "error", "not a service name a scanner would run");
		return -1;
	}
	if ((m->dirfd = open(current_path(m, now, sizeof(now)), O_RDONLY |
	    O_DIRECTORY | O_CLOEXEC)) == -1) {
		mig_say(m, "error", "%s: %s", now, strerror(errno));
		return -1;
	}
	/* A dry run moves nothing: it stands in no migration's way. */
	return !m->opts->dry_run && hold(m) == -1 ? -1 : 0;
}

/* The service's state now, and where it is: 0, or -1 (said why). */
static int
survey(struct migration *m)
{
	struct svx_service sv;
	char now[PATH_MAX];
	struct stat sb;

	if (refuse_foreign_service(m) == -1)
		return -1;
	if (service_open(m->dirfd, ".", NULL, &sv) == -1) {
		mig_say(m, "error", "%s", strerror(errno));
		return -1;
	}
	m->supervised = sv.det.verdict == VERDICT_SUPERVISED;
	m->from = sv.det.backend;
	if (sv.det.verdict == VERDICT_AMBIGUOUS ||
	    sv.det.verdict == VERDICT_ERROR || sv.det.verdict ==
	    VERDICT_NOT_SERVICE || m->from == BACKEND_UNKNOWN) {
		mig_say(m, "error", "cannot tell its backend (%s)", sv.det.why);
		service_close(&sv);
		return -1;
	}
	if (m->supervised && !sv.status_ok) {
		mig_say(m, "error", "its status cannot be read (%s): its wanted "
		    "state would be a guess", sv.det.why);
		service_close(&sv);
		return -1;
	}
	if (m->supervised) {
		m->want_up = sv.st.main.want == WANT_UP;
		m->once = sv.st.main.want == WANT_ONCE &&
		    sv.st.main.state == STATE_UP;
		m->paused = sv.st.main.paused && sv.st.main.state == STATE_UP;
	}
	m->has_log = (sv.det.ev.files & EV_LOG_DIR) != 0;
	service_close(&sv);
	m->entry_is_link = lstat(current_path(m, now, sizeof(now)), &sb) == 0 &&
	    S_ISLNK(sb.st_mode);
	m->old_scanner = scanner_watching(m->parent);
	return 0;
}

/* Where it will run: a TARGET scanner's directory, or on its own. */
static int
place(struct migration *m)
{
	enum scanner_kind there;
	const char *scan = m->opts->scandir;

	if (scan == NULL && scanner_backend(m->old_scanner) == m->to)
		scan = m->parent;
	if (scan != NULL) {
		there = scanner_watching(scan);
		if (scanner_backend(there) != m->to) {
			mig_say(m, "error", "no %s scanner runs on %s", backend_name(
			    m->to), scan);
			return -1;
		}
		m->place = PLACE_SCANNER;
		strlcpy(m->newscan, scan, sizeof(m->newscan));
		if (path_join(m->where, sizeof(m->where), scan, m->name) == -1) {
			mig_say(m, "error", "%s/%s: %s", scan, m->name,
			    strerror(ENAMETOOLONG));
			return -1;
		}
		if (!same_dir(scan, m->parent) && !m->entry_is_link &&
		    m->old_scanner != SCANNER_NONE) {
			mig_say(m, "error", "%s is a directory in its scan "
			    "directory, not a link to one: svx moves links, "
			    "never service directories", m->path);
			return -1;
		}
		return 0;
	}
	if (m->old_scanner != SCANNER_NONE) {
		/* Its old scanner would start its own supervisor on it too:
		 * two supervisors, two copies
		 * (PROTOCOLS.md#two-supervisors). */
		mig_say(m, "error", "%s is watched by a %s scanner; name a scan "
		    "directory where a %s scanner runs (--scandir)",
		    m->parent, backend_name(scanner_backend(
		    m->old_scanner)), backend_name(m->to));
		return -1;
	}
	m->place = PLACE_OWN;
	strlcpy(m->where, m->path, sizeof(m->where));
	return 0;
}

static void
plan_files(struct migration *m)
{
	const struct mig_rule *r;
	unsigned int i;

	/* A new process is started under the target: not a stopped one. */
	if (m->paused) {
		mig_say(m, "lost", "paused: the new process runs (svx pause "
		    "%s stops it again)", m->where);
		m->lost = 1;
	}
	for (i = 0; i < MF_COUNT; i++) {
		if (!(m->files & (1u << i)) || i == MF_FINISH || i == MF_LOG_DIR)
			continue;
		r = &mig_rules[i];
		if (r->fate[m->to] == FATE_LOST) {
			mig_say(m, "lost", "%s: %s", r->name, r->lost_why);
			m->lost = 1;
		} else if (m->opts->verbose)
			mig_say(m, "kept", "%s", r->name);
	}
}

/* The finish script: kept, wrapped for the target's arguments, restored
 * from an earlier wrapper of ours, or lost. */
static void
plan_finish(struct migration *m)
{
	char text[SVFILE_MAX], orig[256];
	enum finish_style was, style = finish_style_of(m->from);

	if (!(m->files & (1u << MF_FINISH)))
		return;
	if (read_small(m->dirfd, "finish", O_NOFOLLOW, text,
	    sizeof(text)) >= 0 &&
	    finish_wrapped(text, orig, sizeof(orig), &was) != NULL)
		style = was;
	if (finish_style_of(m->to) == FINISH_NONE) {
		mig_say(m, "lost", "finish: %s", mig_rules[MF_FINISH].lost_why);
		m->lost = 1;
	} else if (style == finish_style_of(m->to))
		mig_say(m, "kept", "finish: %s passes the arguments it expects",
		    backend_name(m->to));
	else if (style == FINISH_NONE)
		mig_say(m, "kept", "finish (written for a backend without one; "
		    "%s will run it)", backend_name(m->to));
	else
		mig_say(m, "translated", "finish: wrapped: %s's arguments turned "
		    "into the %s ones it expects (kept as finish.%s)",
		    backend_name(m->to), finish_style_name(style),
		    finish_style_name(style));
}

/* svlogd's size and count, from log/DIR/config: 0, or -1 (said why). */
static int
plan_svlogd_config(struct migration *m, int logfd)
{
	const char *dir = m->log.dir;

	if (logger_read_svlogd_config(logfd, &m->log) == 0)
		return 0;
	if (strncmp(dir, "./", 2) == 0)
		dir += 2;
	mig_say(m, "error", "log/%s/config: %s: svx reads only regular files "
	    "there", dir, plain_strerror(errno));
	return -1;
}

static int
plan_logger(struct migration *m)
{
	char text[SVFILE_MAX];
	const char *why;
	int logfd;

	if (!m->has_log)
		return 0;
	if ((logfd = openat(m->dirfd, "log", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1 || read_small(logfd, "run", O_NOFOLLOW, text,
	    sizeof(text)) < 0) {
		mig_say(m, "kept", "log/ (no readable log/run)");
		if (logfd != -1)
			close(logfd);
		return 0;
	}
	if (logger_parse(text, &m->log, &why) == -1) {
		mig_say(m, "kept", "log/run unchanged: %s", why);
		close(logfd);
		return 0;
	}
	if (m->log.kind == logger_of_backend(m->to)) {
		mig_say(m, "kept", "log/run: it runs %s's own logger already",
		    backend_name(m->to));
		close(logfd);
		return 0;
	}
	if (m->log.kind == LOGGER_SVLOGD && plan_svlogd_config(m, logfd) ==
	    -1) {
		close(logfd);
		return -1;
	}
	if (logger_config_plan(logfd, &m->log, m->to) == LOGCONF_OUTSIDE) {
		mig_say(m, "lost", "log size and count: %s reads them from "
		    "%s/config, outside the service directory, where svx "
		    "writes nothing", logger_name(logger_of_backend(m->to)),
		    m->log.dir);
		m->lost = 1;
	}
	close(logfd);
	m->log_translate = 1;
	mig_say(m, "translated", "log/run: %s -> %s, same directory %s%s",
	    logger_name(m->log.kind), logger_name(logger_of_backend(m->to)),
	    m->log.dir,
	    m->to == BACKEND_DAEMONTOOLS && m->log.stamp == STAMP_HUMAN ?
	    " (timestamps become TAI64N: multilog has no other)" : "");
	return 0;
}

/* Whether run is already a run-as-user wrapper of svx's. */
static int
run_wrapped_already(struct migration *m)
{
	char text[SVFILE_MAX];

	return read_small(m->dirfd, "run", O_NOFOLLOW, text, sizeof(text)) >=
	    0 && run_user_wrapped(text);
}

/* The users kept (supervised_by_user), said; 0, or -1 (said why). */
static int
plan_users(struct migration *m)
{
	/* finish ran as the user too, under the user's supervisor: root's
	 * would run it as root. Only run and log/run get the switch. */
	if (m->run_user[0] != '\0' && (m->files & (1u << MF_FINISH))) {
		mig_say(m, "error", "its supervisor ran as %s, and so did its "
		    "finish: under %s's it would run as root (svx keeps the "
		    "user for run and log/run only)", m->run_user,
		    backend_name(m->to));
		return -1;
	}
	if (m->log_user[0] != '\0' && faccessat(m->dirfd, "log/finish", F_OK,
	    AT_SYMLINK_NOFOLLOW) == 0) {
		mig_say(m, "error", "its logger's supervisor ran as %s, and so "
		    "did log/finish: under %s's it would run as root",
		    m->log_user, backend_name(m->to));
		return -1;
	}
	if (m->run_user[0] != '\0' && !run_wrapped_already(m))
		mig_say(m, "translated", "run: its supervisor ran as %s; a "
		    "wrapper starts it as %s (%s%s), the original kept as %s",
		    m->run_user, m->run_user, user_switcher(m->to), m->run_user,
		    RUN_AS_USER_KEPT);
	if (m->log_user[0] == '\0')
		return 0;
	if (!m->log_translate) {
		mig_say(m, "error", "log/supervise is owned by %s: its logger ran "
		    "as %s, and log/run stays as it is: under %s it would run "
		    "as root", m->log_user, m->log_user, backend_name(m->to));
		return -1;
	}
	if (m->log.user[0] == '\0') {
		strlcpy(m->log.user, m->log_user, sizeof(m->log.user));
		mig_say(m, "translated", "log/run: its supervisor ran as %s; "
		    "the logger is started as %s", m->log_user, m->log_user);
	}
	return 0;
}

/* A plain file svx can read whole, or none at all. */
static int
plain_or_none(int dirfd, const char *name)
{
	struct stat sb;

	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT;
	return S_ISREG(sb.st_mode) && sb.st_size < SVFILE_MAX;
}

/* Whether the move writes a finish wrapper (and keeps finish.STYLE). */
static int
wraps_finish(struct migration *m)
{
	char text[SVFILE_MAX], orig[256];
	enum finish_style was, from = finish_style_of(m->from),
	    to = finish_style_of(m->to);

	if (!(m->files & (1u << MF_FINISH)) || from == FINISH_NONE ||
	    to == FINISH_NONE || from == to)
		return 0;
	return read_small(m->dirfd, "finish", O_NOFOLLOW, text,
	    sizeof(text)) >= 0 &&
	    finish_wrapped(text, orig, sizeof(orig), &was) == NULL;
}

/*
 * Everything that would fail after the service is down, looked at before
 * anything is done: a failure then costs no rollback.
 */
static int
preflight(struct migration *m)
{
	char keep[32];
	int pfd, taken;

	if (!plain_or_none(m->dirfd, "finish") ||
	    !plain_or_none(m->dirfd, "log/run")) {
		mig_say(m, "error", "finish or log/run is not a plain file under "
		    "4 KiB: svx will not rewrite it");
		return -1;
	}
	snprintf(keep, sizeof(keep), "finish.%s",
	    finish_style_name(finish_style_of(m->from)));
	if (wraps_finish(m) && entry_exists(m->dirfd, keep)) {
		mig_say(m, "error", "%s/%s exists: svx keeps the original finish "
		    "under that name", m->path, keep);
		return -1;
	}
	if (m->run_user[0] != '\0' && !run_wrapped_already(m) &&
	    entry_exists(m->dirfd, RUN_AS_USER_KEPT)) {
		mig_say(m, "error", "%s/%s exists: svx keeps the original run "
		    "under that name", m->path, RUN_AS_USER_KEPT);
		return -1;
	}
	if ((pfd = open(m->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	taken = entry_exists(pfd, m->hidden);
	close(pfd);
	if (taken || (m->place == PLACE_SCANNER && !same_dir(m->newscan,
	    m->parent) && faccessat(AT_FDCWD, m->where, F_OK,
	    AT_SYMLINK_NOFOLLOW) == 0)) {
		mig_say(m, "error", "%s exists already", taken ? m->hidden :
		    m->where);
		return -1;
	}
	return 0;
}

int
dir_plan(struct migration *m)
{
	if (survey(m) == -1)
		return -1;
	if (m->from == m->to) {
		/* Found by its hidden link: a move done but for its last
		 * traces (an empty backup, that link). */
		if (m->hid && !m->opts->dry_run)
			(void)unlinkat(m->dirfd, BACKUP, AT_REMOVEDIR);
		mig_say(m, "done", "already %s", backend_name(m->to));
		return 1;
	}
	if (linked_elsewhere(m))
		return -1;
	if (place(m) == -1 || refuse_foreign_scans(m) == -1)
		return -1;
	/* Empty: the journal's last step, unlink then rmdir, was cut. */
	if (faccessat(m->dirfd, BACKUP, F_OK, AT_SYMLINK_NOFOLLOW) == 0 &&
	    unlinkat(m->dirfd, BACKUP, AT_REMOVEDIR) == -1) {
		/* One with a journal was taken care of before the plan. */
		mig_say(m, "error", "%s/%s is left from an earlier migration, with "
		    "no journal of it; look at it, then remove it", m->path,
		    BACKUP);
		return -1;
	}
	m->files = mig_inventory(m->dirfd);
	if (preflight(m) == -1)
		return -1;
	mig_say(m, "plan", "%s -> %s, %s%s; wanted %s", backend_name(m->from),
	    backend_name(m->to), m->place == PLACE_SCANNER ? "under the "
	    "scanner of " : "under a supervisor of its own", m->place ==
	    PLACE_SCANNER ? m->newscan : "", !m->supervised ? "(no supervisor "
	    "now: not started)" : want_name(m));
	plan_files(m);
	plan_finish(m);
	return plan_logger(m) == -1 ? -1 : plan_users(m);
}
