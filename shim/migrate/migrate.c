/*
 * svx migrate --to BACKEND [--dry-run] [--scandir DIR] SERVICE... | --all
 *
 * Moves a service directory from one backend to another, live, never
 * with two copies of the service running (runsv and s6-supervise do not
 * exclude each other: PROTOCOLS.md#two-supervisors) and never deleting a
 * service directory:
 *
 *   1. plan: what each file becomes (mappings/migrate.c), the logger, the
 *      finish script's arguments; where the service will run: the scan
 *      directory of a TARGET scanner (--scandir, or its own if one of the
 *      target's scanners watches it), else a supervisor of its own;
 *   2. record the wanted state, bring the service down and wait;
 *   3. take it out of its old scanner's sight (a dot-name: every scanner
 *      skips those), end its supervisor and wait for it to be gone;
 *   4. set the originals aside in DIR/.svx-migrate/ (the old supervise/
 *      directories too, so detection sees one backend), write the new
 *      files;
 *   5. start it under the target (its scanner, or a supervisor of its
 *      own, ./down present while it starts if it was wanted down),
 *      restore the wanted state, and verify;
 *   6. on any failure from 3 on, undo in reverse and start the old
 *      supervisor again with the original files.
 *
 * The report says what was translated, what was lost and why, and every
 * step taken. Exit: 0 moved, nothing lost; 1 moved, something lost;
 * 111 not moved (rolled back, or refused); 100 usage.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../adapters/engine/scanner.h"
#include "../common/output.h"
#include "../common/resolve.h"
#include "../control/control.h"
#include "../list/listing.h"
#include "../supervisord/sd_shim.h"
#include "mig.h"
#include "migrate.h"

const struct mig_opts *mig_options;

/* Two names of one directory (a trailing slash, a symlinked alias). */
int
same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && same_file(&sa, &sb);
}

/* ---- the report ------------------------------------------------------ */

/* One report line: "NAME: KIND: what". */
void
mig_say(const struct migration *m, const char *kind, const char *fmt, ...)
{
	char buf[PATH_MAX + 512];
	struct text t;
	va_list ap;
	int n;

	text_init(&t, buf, sizeof(buf));
	text_name(&t, m->arg);
	text_add(&t, ": %s: ", kind);
	va_start(ap, fmt);
	n = vsnprintf(buf + t.len, sizeof(buf) - t.len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	fputs(buf, stdout);
	fputc('\n', stdout);
}


/* A step taken (or, with --dry-run, one that would be). */
void
mig_ran(const struct migration *m, const char *fmt, ...)
{
	char buf[PATH_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mig_say(m, mig_options->dry_run ? "would run" : "ran", "%s", buf);
	fflush(stdout);
}

/* ---- the plan -------------------------------------------------------- */

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
 * PATH made absolute: every later step (and svx_run_verb, which resolves
 * names again) must mean this very directory, not a namesake in $SVDIR.
 */
int
make_absolute(char *path, size_t len)
{
	char cwd[PATH_MAX], abs[PATH_MAX];

	if (path[0] == '/')
		return 0;
	if (getcwd(cwd, sizeof(cwd)) == NULL || path_join(abs, sizeof(abs), cwd,
	    path) == -1)
		return -1;
	return strlcpy(path, abs, len) < len ? 0 : -1;
}

/*
 * A scan directory in use holding a link to this directory under another
 * path: its scanner would start the old supervisor again through it.
 */
static int
linked_elsewhere(struct migration *m)
{
	struct stat self, sb;
	struct dirent *de;
	char entry[PATH_MAX];
	size_t i;
	DIR *d;
	int found = 0;

	if (fstat(m->dirfd, &self) == -1)
		return 0;
	listing_find_scandirs();
	for (i = 0; i < listing_nscandirs() && !found; i++) {
		if (same_dir(listing_scandir(i), m->parent) ||
		    (d = opendir(listing_scandir(i))) == NULL)
			continue;
		while (!found && (de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' && path_join(entry, sizeof(entry),
			    listing_scandir(i), de->d_name) == 0 &&
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
	 * supervise/ of another user's is its supervisor's: that user's
	 * service would run as root after the move. */
	static const char *const under[] = { "log", "supervise",
	    "log/supervise" };
	char real[PATH_MAX], path[PATH_MAX];
	struct stat sb;
	size_t i;

	if (geteuid() != 0)
		return 0;
	/* Named as it is, not by the link in a scan directory. */
	if (realpath(current_path(m, path, sizeof(path)), real) == NULL)
		strlcpy(real, m->path, sizeof(real));
	if (dir_foreign(m->dirfd, NULL, getuid(), &sb) == 1) {
		refuse_dir(m, real, &sb);
		return -1;
	}
	for (i = 0; i < sizeof(under) / sizeof(under[0]); i++)
		if (dir_foreign(m->dirfd, under[i], getuid(), &sb) == 1) {
			if (path_join(path, sizeof(path), real, under[i]) == -1)
				strlcpy(path, under[i], sizeof(path));
			refuse_dir(m, path, &sb);
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
static int
locate(struct migration *m, const char *svdir)
{
	char alt[PATH_MAX], now[PATH_MAX];
	const char *base;
	struct stat sb;

	if (resolve_service(m->arg, svdir, m->path, sizeof(m->path)) == -1 ||
	    stat(m->path, &sb) == -1) {
		if (errno != ENOENT || hidden_arg(m->arg, alt,
		    sizeof(alt)) == -1 || resolve_service(alt, svdir, now,
		    sizeof(now)) == -1 || stat(now, &sb) == -1) {
			mig_say(m, "error", "%s", strerror(ENOENT));
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
		mig_say(m, "error", "%s", strerror(errno));
		return -1;
	}
	/* A dry run moves nothing: it stands in no migration's way. */
	return !mig_options->dry_run && hold(m) == -1 ? -1 : 0;
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
	const char *scan = mig_options->scandir;

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

	for (i = 0; i < MF_COUNT; i++) {
		if (!(m->files & (1u << i)) || i == MF_FINISH || i == MF_LOG_DIR)
			continue;
		r = &mig_rules[i];
		if (r->fate[m->to] == FATE_LOST) {
			mig_say(m, "lost", "%s: %s", r->name, r->lost_why);
			m->lost = 1;
		} else if (mig_options->verbose)
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
	close(logfd);
	m->log_translate = 1;
	mig_say(m, "translated", "log/run: %s -> %s, same directory %s%s",
	    logger_name(m->log.kind), logger_name(logger_of_backend(m->to)),
	    m->log.dir,
	    m->to == BACKEND_DAEMONTOOLS && m->log.stamp == STAMP_HUMAN ?
	    " (timestamps become TAI64N: multilog has no other)" : "");
	return 0;
}

int
entry_exists(int dirfd, const char *name)
{
	return faccessat(dirfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
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

static int
plan(struct migration *m)
{
	if (survey(m) == -1)
		return -1;
	if (m->from == m->to) {
		/* Found by its hidden link: a move done but for its last
		 * traces (an empty backup, that link). */
		if (m->hid && !mig_options->dry_run)
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
	return plan_logger(m);
}

/* ---- the moves, each with its undo ----------------------------------- */

static int
bring_down(struct migration *m)
{
	if (!m->supervised)
		return 0;
	mig_ran(m, "svx -w %lld down %s", (long long)mig_options->step_ms / 1000, m->path);
	if (mig_options->dry_run)
		return 0;
	if (journal_note(m, "step down") == -1)
		return -1;
	return svx_run_verb(m->path, VERB_DOWN, mig_options->step_ms, 0, 0) == OUT_OK ?
	    0 : -1;
}

void
kick_scanner(const char *dir)
{
	char probe[PATH_MAX];

	if (path_join(probe, sizeof(probe), dir, ".") == 0)
		(void)scanner_kick(probe);
}

/* Out of the old scanner's sight: scanners skip dot-names. */
int
hide(struct migration *m)
{
	int pfd;

	if (m->old_scanner == SCANNER_NONE || m->hid)
		return 0;
	mig_ran(m, "rename %s/%s to %s/%s", m->parent, m->name, m->parent,
	    m->hidden);
	if (mig_options->dry_run)
		return 0;
	if (journal_note(m, "step hide") == -1 ||
	    (pfd = open(m->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (renameat(pfd, m->name, pfd, m->hidden) == -1) {
		close(pfd);
		return -1;
	}
	close(pfd);
	m->hid = 1;
	kick_scanner(m->parent);
	return 0;
}

int
unhide(struct migration *m)
{
	int pfd, r;

	if (!m->hid)
		return 0;
	if ((pfd = open(m->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	/* The journal said hide, the interruption came before it did. */
	if (!entry_exists(pfd, m->hidden) && entry_exists(pfd, m->name)) {
		close(pfd);
		m->hid = 0;
		return 0;
	}
	mig_ran(m, "rename %s/%s to %s/%s", m->parent, m->hidden, m->parent,
	    m->name);
	r = renameat(pfd, m->hidden, pfd, m->name);
	close(pfd);
	if (r == 0)
		m->hid = 0;
	return r;
}

const char *
current_path(const struct migration *m, char *buf, size_t len)
{
	if (!m->hid || path_join(buf, len, m->parent, m->hidden) == -1)
		strlcpy(buf, m->path, len);
	return buf;
}

/* End the old supervisor (and its log's), and make sure nothing runs. */
static int
end_supervisor(struct migration *m)
{
	char now[PATH_MAX];

	if (!m->supervised)
		return 0;
	current_path(m, now, sizeof(now));
	mig_ran(m, "svx -w %lld exit %s", (long long)mig_options->step_ms / 1000, now);
	if (mig_options->dry_run)
		return 0;
	if (journal_note(m, "step end") == -1)
		return -1;
	m->ended = 1;
	return svx_run_verb(now, VERB_EXIT, mig_options->step_ms, 0, 0) != OUT_OK ?
	    -1 : 0;
}

static int
move_into_backup(struct migration *m, int bfd, const char *from, const char *to)
{
	mig_ran(m, "rename %s/%s to %s/%s/%s", m->path, from, m->path, BACKUP, to);
	return renameat(m->dirfd, from, bfd, to);
}

static const struct {
	const char	*in_dir;
	const char	*in_backup;
} leftovers[] = {
	{ "supervise", "supervise" }, { "log/supervise", "log-supervise" },
	{ "event", "event" }, { "log/event", "log-event" },
};

/* The old backend's files aside: detection then sees one backend. */
static int
set_aside(struct migration *m)
{
	size_t i;
	int bfd;

	/* BACKUP holds the journal already (journal_begin). */
	if (journal_note(m, "step aside") == -1)
		return -1;
	m->set_aside = 1;
	if ((bfd = openat(m->dirfd, BACKUP, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	for (i = 0; i < sizeof(leftovers) / sizeof(leftovers[0]); i++) {
		if (!entry_exists(m->dirfd, leftovers[i].in_dir))
			continue;
		if (move_into_backup(m, bfd, leftovers[i].in_dir,
		    leftovers[i].in_backup) == -1) {
			close(bfd);
			return -1;
		}
	}
	close(bfd);
	return 0;
}

static void
put_back(struct migration *m)
{
	size_t i;
	int bfd;

	if (!m->set_aside || (bfd = openat(m->dirfd, BACKUP, O_RDONLY |
	    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	for (i = 0; i < sizeof(leftovers) / sizeof(leftovers[0]); i++)
		if (faccessat(bfd, leftovers[i].in_backup, F_OK,
		    AT_SYMLINK_NOFOLLOW) == 0) {
			mig_ran(m, "rename %s/%s/%s to %s/%s", m->path, BACKUP,
			    leftovers[i].in_backup, m->path,
			    leftovers[i].in_dir);
			(void)renameat(bfd, leftovers[i].in_backup, m->dirfd,
			    leftovers[i].in_dir);
		}
	close(bfd);
}

/* A file of the directory copied into the backup before it changes. */
static int
save_original(struct migration *m, const char *file, const char *as)
{
	char text[SVFILE_MAX];
	struct stat sb;
	int bfd, r;

	if (fstatat(m->dirfd, file, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : -1;
	if (read_small(m->dirfd, file, O_NOFOLLOW, text, sizeof(text)) < 0 ||
	    (bfd = openat(m->dirfd, BACKUP, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	r = write_file(bfd, as, text, (int)(sb.st_mode & 07777));
	close(bfd);
	return r;
}

static int
write_finish(struct migration *m)
{
	char text[SVFILE_MAX], orig[256], wrapper[2048],
	    keep[NAME_MAX + 1];
	enum finish_style was, style = finish_style_of(m->from);
	enum finish_style want = finish_style_of(m->to);

	if (!(m->files & (1u << MF_FINISH)) || want == FINISH_NONE)
		return 0;
	if (read_small(m->dirfd, "finish", O_NOFOLLOW, text,
	    sizeof(text)) < 0)
		return -1;
	if (finish_wrapped(text, orig, sizeof(orig), &was) != NULL) {
		if (was == want) {
			/* Back where it came from: the original again. */
			mig_ran(m, "rename %s/%s to %s/finish", m->path, orig,
			    m->path);
			strlcpy(m->fin_from, orig, sizeof(m->fin_from));
			strlcpy(m->fin_to, "finish", sizeof(m->fin_to));
			if (journal_note(m, "renamed %s finish", orig) == -1)
				return -1;
			return renameat(m->dirfd, orig, m->dirfd, "finish");
		}
		return 0;	/* still right: it calls the original */
	}
	if (style == want || style == FINISH_NONE)
		return 0;
	snprintf(keep, sizeof(keep), "finish.%s", finish_style_name(style));
	if (finish_wrapper(style, want, keep, wrapper, sizeof(wrapper)) == -1)
		return -1;
	mig_ran(m, "rename %s/finish to %s/%s; write %s/finish (a wrapper)",
	    m->path, m->path, keep, m->path);
	strlcpy(m->fin_from, "finish", sizeof(m->fin_from));
	strlcpy(m->fin_to, keep, sizeof(m->fin_to));
	if (journal_note(m, "renamed finish %s", keep) == -1 ||
	    renameat(m->dirfd, "finish", m->dirfd, keep) == -1)
		return -1;
	m->wrapped = 1;
	if (journal_note(m, "wrapped") == -1)
		return -1;
	return write_file(m->dirfd, "finish", wrapper, 0755);
}

/* The config svx wrote for svlogd (there was none before): removed. */
static void
unwrite_config(struct migration *m)
{
	int logfd, dfd;

	if (!m->config_written || (logfd = openat(m->dirfd, "log", O_RDONLY |
	    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	if ((dfd = openat(logfd, m->log.dir, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) != -1) {
		mig_ran(m, "rm %s/log/%s/config", m->path, m->log.dir);
		(void)unlinkat(dfd, "config", 0);
		close(dfd);
	}
	close(logfd);
	m->config_written = 0;
}

static int
write_logger(struct migration *m)
{
	enum logger_config config;
	int logfd, r = 0;

	if (!m->log_translate)
		return 0;
	if ((logfd = openat(m->dirfd, "log", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	config = logger_config_plan(logfd, &m->log, m->to);
	mig_ran(m, "write %s/log/run", m->path);
	if (config == LOGCONF_KEPT)
		mig_say(m, "kept", "log/%s/config as it is (size and count not "
		    "written into it)", m->log.dir);
	else if (config == LOGCONF_WRITE) {
		mig_ran(m, "write %s/log/%s/config", m->path, m->log.dir);
		/* Recorded first: the undo removes a config of svx's only. */
		m->config_written = 1;
		r = journal_note(m, "config");
	}
	if (r == 0)
		r = logger_write(logfd, &m->log, m->to, m->log.line, config);
	close(logfd);
	return r;
}

/* Originals into the backup, then the target's versions. */
static int
rewrite(struct migration *m)
{
	if (save_original(m, "finish", "finish") == -1 ||
	    save_original(m, "log/run", "log-run") == -1 ||
	    journal_note(m, "step write") == -1)
		return -1;
	m->wrote = 1;
	return write_finish(m) == -1 || write_logger(m) == -1 ? -1 : 0;
}

static int
restore_file(struct migration *m, const char *as, const char *file)
{
	char text[SVFILE_MAX];
	struct stat sb;
	int bfd, r;

	if ((bfd = openat(m->dirfd, BACKUP, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if (fstatat(bfd, as, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
	    read_small(bfd, as, O_NOFOLLOW, text, sizeof(text)) < 0) {
		close(bfd);
		return 0;
	}
	close(bfd);
	mig_ran(m, "restore %s/%s", m->path, file);
	r = write_file(m->dirfd, file, text, (int)(sb.st_mode & 07777));
	return r;
}

/*
 * The finish script as it was. The journal may record a rename that the
 * interruption kept from happening: the directory says which.
 */
static void
unwrite_finish(struct migration *m)
{
	if (m->fin_to[0] == '\0')
		return;
	if (strcmp(m->fin_to, "finish") == 0) {
		/* An original put back over our wrapper: wrapper again. */
		if (!entry_exists(m->dirfd, m->fin_from)) {
			mig_ran(m, "rename %s/finish to %s/%s", m->path, m->path,
			    m->fin_from);
			(void)renameat(m->dirfd, "finish", m->dirfd,
			    m->fin_from);
		}
		(void)restore_file(m, "finish", "finish");
	} else if (entry_exists(m->dirfd, m->fin_to)) {
		/* The original aside as finish.STYLE: the wrapper goes. */
		mig_ran(m, "rm %s/finish (the wrapper); rename %s/%s to %s/finish",
		    m->path, m->path, m->fin_to, m->path);
		(void)unlinkat(m->dirfd, "finish", 0);
		(void)renameat(m->dirfd, m->fin_to, m->dirfd, "finish");
	}
	m->wrapped = 0;
	m->fin_to[0] = '\0';
}

/* What an interrupted write_file leaves: NAME.new, never NAME itself. */
static void
unwrite_partial(struct migration *m)
{
	int logfd, dfd;

	(void)unlinkat(m->dirfd, "finish.new", 0);
	(void)unlinkat(m->dirfd, "down.new", 0);
	/* Step by step, no link followed: log/ is the user's to swap. */
	if ((logfd = openat(m->dirfd, "log", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	(void)unlinkat(logfd, "run.new", 0);
	if (m->log.dir[0] != '\0' && (dfd = openat(logfd, m->log.dir,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) != -1) {
		(void)unlinkat(dfd, "config.new", 0);
		close(dfd);
	}
	close(logfd);
}

static void
unwrite(struct migration *m)
{
	unwrite_partial(m);
	if (!m->wrote)
		return;
	unwrite_finish(m);
	(void)restore_file(m, "log-run", "log/run");
	unwrite_config(m);
}

/* ---- starting ---------------------------------------------------------- */

/*
 * A supervisor of its own: a new session, no terminal, stdout into PIPE
 * when it has a logger to feed (what svscan and s6-svscan do).
 */
static pid_t
spawn(const char *prog, const char *dir, int in, int out)
{
	pid_t pid;
	int null;
	sigset_t none;

	if ((pid = fork()) != 0)
		return pid;
	/* sd_migrate.c holds SIGINT and friends while it works. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	(void)setsid();
	null = open("/dev/null", O_RDWR);
	(void)dup2(in >= 0 ? in : null, 0);
	(void)dup2(out >= 0 ? out : null, 1);
	(void)dup2(null, 2);
	fds_close_all_but(&null, 0);
	signal(SIGPIPE, SIG_DFL);
	execlp(prog, prog, dir, (char *)NULL);
	_exit(127);
}

static int
start_own(struct migration *m)
{
	const char *prog = mig_supervisor[m->to];
	char logdir[PATH_MAX];
	int p[2] = { -1, -1 };

	if (prog == NULL || path_join(logdir, sizeof(logdir), m->path, "log") == -1)
		return -1;
	/* runsv serves log/ itself; the others need a pipe, as their
	 * scanners make one. */
	if (m->has_log && m->to != BACKEND_RUNIT && pipe(p) == -1)
		return -1;
	m->pids[0] = spawn(prog, m->path, -1, p[1]);
	m->started = m->pids[0] > 0;
	m->started_once |= m->started;
	mig_ran(m, "%s %s (pid %ld)", prog, m->path, (long)m->pids[0]);
	if (p[0] != -1) {
		if (m->pids[0] > 0) {
			m->pids[1] = spawn(prog, logdir, p[0], -1);
			mig_ran(m, "%s %s (pid %ld)", prog, logdir,
			    (long)m->pids[1]);
		}
		close(p[0]);
		close(p[1]);
	}
	return m->pids[0] > 0 && (p[0] == -1 || m->pids[1] > 0) ? 0 : -1;
}

static int
start_under_scanner(struct migration *m)
{
	char target[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	if (same_dir(m->newscan, m->parent)) {
		if (unhide(m) == -1)
			return -1;
	} else if (m->entry_is_link) {
		/* A link in the new scan directory to what the old one
		 * pointed at; the old link, hidden, goes at the end. */
		n = readlink(current_path(m, link, sizeof(link)), target,
		    sizeof(target) - 1);
		if (n <= 0)
			return -1;
		target[n] = '\0';
		if (target[0] != '/') {
			if (path_join(link, sizeof(link), m->parent, target) == -1)
				return -1;
			strlcpy(target, link, sizeof(target));
		}
		mig_ran(m, "ln -s %s %s", target, m->where);
		if (symlink(target, m->where) == -1)
			return -1;
	} else {
		/* A directory no scanner watched: linked in. */
		if (realpath(m->path, target) == NULL)
			return -1;
		mig_ran(m, "ln -s %s %s", target, m->where);
		if (symlink(target, m->where) == -1)
			return -1;
	}
	m->started = m->started_once = 1;
	kick_scanner(m->newscan);
	return 0;
}

/* Until a supervisor of the target owns it, within a step's bound. */
static int
await_target(struct migration *m)
{
	struct svx_service sv;
	int r;

	if (service_open(AT_FDCWD, m->where, NULL, &sv) == -1)
		return -1;
	r = wait_supervisor(&sv, m->where, NULL, mig_options->step_ms,
	    &(int){ 0 });
	if (r == 0 && (sv.det.verdict != VERDICT_SUPERVISED ||
	    sv.det.backend != m->to))
		r = -1;
	service_close(&sv);
	return r;
}

int
start_target(struct migration *m)
{
	int r;

	/* Supervisors read ./down once, at start: there, it starts down. */
	if ((!m->want_up && !m->once) && !(m->files & (1u << MF_DOWN))) {
		mig_ran(m, "touch %s/down (while it starts)", m->path);
		m->made_down = 1;
		if (journal_note(m, "made-down") == -1 ||
		    write_file(m->dirfd, "down", "", 0644) == -1)
			return -1;
	}
	if (journal_note(m, "step start") == -1)
		return -1;
	r = m->place == PLACE_OWN ? start_own(m) : start_under_scanner(m);
	if (r == 0)
		r = await_target(m);
	if (m->made_down) {
		mig_ran(m, "rm %s/down", m->path);
		(void)unlinkat(m->dirfd, "down", 0);
		m->made_down = 0;
	}
	return r;
}

/* The wanted state again, and a look that it holds. */
int
restore_state(struct migration *m, const char *path, enum svx_backend b)
{
	struct svx_service sv;
	enum svx_verb v = m->want_up ? VERB_UP : m->once ? VERB_ONCE :
	    VERB_DOWN;
	int ok;

	mig_ran(m, "svx -w %lld%s %s %s", (long long)mig_options->step_ms / 1000,
	    v == VERB_UP ? " --settle " STR(SETTLE_MS) : "", verb_names[v],
	    path);
	/* Up, and still up a moment later: a service that cannot run
	 * under the target dies within that, and the move is undone. */
	if (svx_run_verb(path, v, mig_options->step_ms, v == VERB_UP ? SETTLE_MS : 0,
	    0) != OUT_OK)
		return -1;
	if (service_open(AT_FDCWD, path, NULL, &sv) == -1)
		return -1;
	ok = sv.det.verdict == VERDICT_SUPERVISED && sv.det.backend == b &&
	    sv.status_ok && (sv.st.main.state == STATE_UP) == (m->want_up ||
	    m->once);
	service_close(&sv);
	return ok ? 0 : -1;
}

/* ---- done, or undone ----------------------------------------------------- */

/*
 * NAME under DIRFD and what it holds, DEPTH levels at most (an old
 * supervise/ is two: lock, FIFOs, status), never through a symlink.
 */
int
remove_tree(int dirfd, const char *name, int depth)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (depth <= 1 || (fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			(void)remove_tree(fd, de->d_name, depth - 1);
	closedir(d);
	return unlinkat(dirfd, name, AT_REMOVEDIR);
}

static const char *const copies[] = {
	"finish", "finish.new", "log-run", "log-run.new",
};

/* What the backup holds but the journal: once the move is done or
 * undone, nothing in it is needed. */
static int
remove_originals(struct migration *m)
{
	int bfd;
	size_t i;

	if ((bfd = openat(m->dirfd, BACKUP, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	/* Only what svx put there: the old supervise/ trees' files. */
	for (i = 0; i < sizeof(leftovers) / sizeof(leftovers[0]); i++)
		(void)remove_tree(bfd, leftovers[i].in_backup, 2);
	/* The copies, and what an interrupted write_file left (NAME.new). */
	for (i = 0; i < sizeof(copies) / sizeof(copies[0]); i++)
		(void)unlinkat(bfd, copies[i], 0);
	close(bfd);
	mig_ran(m, "rm -r %s/%s", m->path, BACKUP);
	return 0;
}

/* Whether DIR/NAME exists, as an entry (a link is not followed). */
static int
exists_at(const char *dir, const char *name)
{
	int fd, r;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return 0;
	r = entry_exists(fd, name);
	close(fd);
	return r;
}

/* The old scan directory's link, hidden since step 1: the last trace. */
static void
remove_old_link(struct migration *m)
{
	char old[PATH_MAX];
	struct stat sb;
	int pfd;

	if ((pfd = open(m->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	if (fstatat(pfd, m->hidden, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(sb.st_mode)) {
		if (path_join(old, sizeof(old), m->parent, m->hidden) == -1)
			strlcpy(old, m->hidden, sizeof(old));
		mig_ran(m, "rm %s (the old scan directory's link)", old);
		(void)unlinkat(pfd, m->hidden, 0);
	}
	close(pfd);
}

/*
 * Done: the originals go, then the journal, then the old link. Should
 * svx be stopped before the link goes, the next run finds the service
 * by it, already where it belongs, and removes it.
 */
static void
finish_move(struct migration *m)
{
	(void)remove_originals(m);
	(void)journal_remove(m);
	if (m->hid && m->place == PLACE_SCANNER && !same_dir(m->newscan,
	    m->parent) && m->entry_is_link)
		remove_old_link(m);
}

/* What the target's supervisor made in the directory while it ran. */
void
clear_target_files(struct migration *m)
{
	size_t i;

	/* A target starts only once set_aside has gone through: every
	 * such name now is the target's. */
	if (!m->started_once)
		return;
	for (i = 0; i < sizeof(leftovers) / sizeof(leftovers[0]); i++)
		if (entry_exists(m->dirfd, leftovers[i].in_dir)) {
			mig_ran(m, "rm -r %s/%s (made by %s)", m->path,
			    leftovers[i].in_dir, backend_name(m->to));
			(void)remove_tree(m->dirfd, leftovers[i].in_dir, 2);
		}
}

/* Whether the old backend's supervisor owns the directory now. */
static int
old_supervisor_alive(struct migration *m)
{
	struct svx_service sv;
	int alive;

	if (service_open(m->dirfd, ".", NULL, &sv) == -1)
		return 0;
	alive = sv.det.verdict == VERDICT_SUPERVISED &&
	    sv.det.backend == m->from;
	service_close(&sv);
	return alive;
}

/*
 * Shown to its old scanner again, which starts its supervisors afresh.
 * An end cut short may have left one of them (the log's) running:
 * s6-svscan then keeps the service's record and starts neither until
 * that one is gone, so what is left of them is told to exit first.
 */
static int
back_under_old_scanner(struct migration *m)
{
	char now[PATH_MAX];

	if (m->ended && m->hid) {
		current_path(m, now, sizeof(now));
		mig_ran(m, "svx -w %lld exit %s (what is left of its "
		    "supervisors)", (long long)mig_options->step_ms / 1000, now);
		(void)svx_run_verb(now, VERB_EXIT, mig_options->step_ms, 0, 0);
	}
	(void)unhide(m);
	kick_scanner(m->parent);
	return await_target(m);
}

/* The undo's step 2: the old backend's own files back, and what the
 * target made gone. */
static int
dir_put_back(struct migration *m)
{
	clear_target_files(m);
	unwrite(m);
	put_back(m);
	return 0;
}

/* Step 3: its old supervisor, started as it was: by its scanner, or by
 * svx when svx had ended it. */
static int
dir_restart_old(struct migration *m)
{
	int r;

	if (!m->supervised) {
		(void)unhide(m);
		return 0;
	}
	strlcpy(m->where, m->path, sizeof(m->where));
	m->to = m->from;
	m->started = 0;
	/* Wanted down: it starts down, as in start_target. */
	if (!m->want_up && !m->once && !entry_exists(m->dirfd, "down") &&
	    write_file(m->dirfd, "down", "", 0644) == 0)
		m->made_down = 1;
	if (m->old_scanner != SCANNER_NONE)
		r = back_under_old_scanner(m);
	else {
		if (m->ended && !old_supervisor_alive(m)) {
			m->place = PLACE_OWN;
			(void)start_own(m);
		}
		r = await_target(m);
	}
	if (m->made_down && !(m->files & (1u << MF_DOWN))) {
		(void)unlinkat(m->dirfd, "down", 0);
		m->made_down = 0;
	}
	return r;
}

static int
dir_restore_want(struct migration *m)
{
	return m->supervised ? restore_state(m, m->path, m->from) : 0;
}

/* Step 4: the originals, then the journal. */
static int
dir_drop(struct migration *m)
{
	(void)remove_originals(m);
	return journal_remove(m);
}

static void
dir_left_at(struct migration *m, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", m->path, BACKUP);
}

static void
dir_not_back(struct migration *m)
{
	mig_say(m, "error", "the rollback did not bring it back: see svx probe "
	    "%s; the same svx migrate tries again", m->path);
}

static const struct mig_undo dir_undo = {
	dir_put_back, dir_restart_old, dir_restore_want, dir_drop,
	dir_left_at, dir_not_back,
};

static int
cut_over(struct migration *m)
{
	if (hide(m) == -1 || end_supervisor(m) == -1 || set_aside(m) == -1 ||
	    rewrite(m) == -1)
		return -1;
	/* No supervisor before, none after: unless a scanner takes it. */
	if (!(!m->supervised && m->place == PLACE_OWN)) {
		if (start_target(m) == -1)
			return -1;
		if (m->supervised && restore_state(m, m->where, m->to) == -1)
			return -1;
	}
	/* From here on, an interruption is finished forward. */
	m->committed = 1;
	return journal_note(m, "step commit");
}

static int
execute(struct migration *m)
{
	sigset_t was;
	int r = 0;

	hold_signals(&was);
	if (journal_begin(m) == -1) {
		mig_say(m, "error", "cannot write its journal in %s/%s: %s; "
		    "nothing done", m->path, BACKUP, strerror(errno));
		r = -1;
	} else if (bring_down(m) == -1 || cut_over(m) == -1)
		r = roll_back(m, &dir_undo) == 0 ? -1 : -2;
	else
		finish_move(m);
	journal_close(m);
	sigprocmask(SIG_SETMASK, &was, NULL);
	if (r == 0)
		mig_say(m, "done", "%s, wanted %s, at %s", backend_name(m->to),
		    !m->supervised ? "nothing (it had no supervisor)" :
		    want_name(m), m->where);
	return r;
}

/*
 * An earlier move of this directory, interrupted: finished when its
 * target had it (the commit), else undone. 0 when the directory is
 * whole again, -1 (said) when not.
 */
static int
recover(struct migration *m)
{
	struct migration plan = *m;
	sigset_t was;
	int r;

	switch (journal_load(&plan)) {
	case 0:
		return 0;
	case -1:
		mig_say(m, "error", "%s/%s/journal cannot be read (%s): look at it "
		    "before anything is moved", m->path, BACKUP,
		    plain_strerror(errno));
		return -1;
	}
	*m = plan;
	if (mig_options->dry_run) {
		mig_say(m, "would recover", "a migration to %s was interrupted "
		    "after %s: the same command %s it first",
		    backend_name(m->to), m->last_step, m->committed ?
		    "finishes" : "undoes");
		return 1;
	}
	mig_say(m, "recovering", "a migration to %s was interrupted after %s",
	    backend_name(m->to), m->last_step);
	if ((m->jfd = openat(m->dirfd, BACKUP "/journal", O_WRONLY |
	    O_APPEND | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		mig_say(m, "error", "cannot write its journal: %s",
		    strerror(errno));
		return -1;
	}
	/* Hidden or not: the directory says, whatever the journal does. */
	m->hid = exists_at(m->parent, m->hidden);
	hold_signals(&was);
	if (m->committed) {
		if (mig_options->rollback)
			mig_say(m, "note", "it had reached %s: the move is finished; "
			    "to go back, svx migrate --to %s", backend_name(
			    m->to), backend_name(m->from));
		finish_move(m);
		mig_say(m, "done", "%s, wanted %s, at %s", backend_name(m->to),
		    !m->supervised ? "nothing (it had no supervisor)" :
		    want_name(m), m->where);
		r = 1;
	} else
		r = roll_back(m, &dir_undo);
	journal_close(m);
	sigprocmask(SIG_SETMASK, &was, NULL);
	return r;
}

static void
migrate_end(struct migration *m)
{
	journal_close(m);
	if (m->dirfd != -1)
		close(m->dirfd);
	m->dirfd = -1;
}

/* M afresh for ARG, its directory found and held: 0, or -1 (said). */
static int
migration_begin(struct migration *m, const char *arg, const char *svdir)
{
	memset(m, 0, sizeof(*m));
	m->arg = arg;
	m->to = mig_options->to;
	m->dirfd = m->jfd = -1;
	if (locate(m, svdir) == 0)
		return 0;
	migrate_end(m);
	return -1;
}

static enum svx_outcome
migrate_one(const char *arg, const char *svdir)
{
	static struct migration m;
	int r;

	if (migration_begin(&m, arg, svdir) == -1)
		return OUT_SYSTEM;
	/* An interrupted move first: undone (or finished), then this one. */
	if ((r = recover(&m)) != 0) {
		migrate_end(&m);
		return r == -1 ? OUT_SYSTEM : OUT_OK;
	}
	if (mig_options->rollback) {
		if (!m.undone)
			mig_say(&m, "done", "no interrupted migration to undo");
		migrate_end(&m);
		return OUT_OK;
	}
	if (m.undone) {
		/* Whole again: the move asked for, from the start. */
		migrate_end(&m);
		if (migration_begin(&m, arg, svdir) == -1)
			return OUT_SYSTEM;
	}
	r = plan(&m);
	/* Found by its hidden link and already there: a move finished but
	 * for that link (its journal gone). */
	if (r == 1 && m.hid && !mig_options->dry_run)
		remove_old_link(&m);
	if (r != 0) {
		migrate_end(&m);
		return r == 1 ? OUT_OK : OUT_SYSTEM;
	}
	if (mig_options->dry_run) {
		(void)bring_down(&m);
		(void)hide(&m);
		(void)end_supervisor(&m);
		mig_ran(&m, "set the old supervise/ aside in %s/%s, write the new "
		    "files, start it under %s and restore its state", m.path,
		    BACKUP, backend_name(m.to));
	} else if (execute(&m) != 0) {
		migrate_end(&m);
		return OUT_SYSTEM;
	}
	migrate_end(&m);
	return m.lost ? OUT_FALSE : OUT_OK;
}

/* Every service of every scan directory in use, one at a time. */
static enum svx_outcome
migrate_all(const char *svdir)
{
	char path[PATH_MAX];
	enum svx_outcome worst = OUT_OK, out;
	struct dirent *de;
	struct stat sb;
	size_t i;
	DIR *d;

	listing_find_scandirs();
	for (i = 0; i < listing_nscandirs(); i++) {
		if ((d = opendir(listing_scandir(i))) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;	/* as every scanner skips them */
			snprintf(path, sizeof(path), "%s/%s",
			    listing_scandir(i), de->d_name);
			if (stat(path, &sb) == -1 || !S_ISDIR(sb.st_mode))
				continue;
			out = migrate_one(path, svdir);
			if (svx_exits.code[out] > svx_exits.code[worst])
				worst = out;
		}
		closedir(d);
	}
	return worst;
}

/* The report could not be written (stdout closed, a full disk): the
 * moves happened all the same; say so where it can still be read. */
static enum svx_outcome
report_lost(enum svx_outcome out)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return out;
	fprintf(stderr, "%s: migrate: the report could not be written (%s); "
	    "the moves went on: svx status says where each service is\n",
	    getprogname(), strerror(errno != 0 ? errno : EPIPE));
	return svx_exits.code[out] > svx_exits.code[OUT_SYSTEM] ? out :
	    OUT_SYSTEM;
}

enum svx_outcome
migrate(int n, char **args, const struct migrate_args *a)
{
	struct mig_opts o = { .to = a->to, .dry_run = a->dry_run,
	    .rollback = a->rollback, .verbose = a->verbose,
	    .scandir = a->scandir, .dir = a->dir,
	    .step_ms = a->wait_ms > 0 ? a->wait_ms : STEP_MS };
	enum svx_outcome worst = OUT_OK, out;
	int i;

	mig_options = &o;
	if (!a->rollback && a->to != BACKEND_DAEMONTOOLS &&
	    a->to != BACKEND_RUNIT && a->to != BACKEND_S6) {
		fprintf(stderr, "%s: migrate: --to daemontools, runit or s6\n",
		    getprogname());
		return OUT_USAGE;
	}
	if ((n == 0) == !a->all) {
		fprintf(stderr, "%s: migrate: name services, or --all\n",
		    getprogname());
		return OUT_USAGE;
	}
	/* A reader gone (the report piped to head) costs the report, never
	 * the move: the write fails, the move goes on, the end tells. */
	signal(SIGPIPE, SIG_IGN);
	if (a->all)
		return report_lost(migrate_all(a->svdir));
	for (i = 0; i < n; i++) {
		if (a->dir != NULL && !sd_is_name(args[i])) {
			fprintf(stderr, "%s: migrate: %s: --dir is for "
			    "supervisord programs; a service directory stays "
			    "where it is\n", getprogname(), args[i]);
			return OUT_USAGE;
		}
	}
	for (i = 0; i < n; i++) {
		out = sd_is_name(args[i]) ? sd_migrate_one(args[i]) :
		    migrate_one(args[i], a->svdir);
		if (svx_exits.code[out] > svx_exits.code[worst])
			worst = out;
	}
	return report_lost(worst);
}
