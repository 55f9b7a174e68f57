/*
 * svx migrate of a service directory, the moves, each with its undo:
 * down (bring_down); out of the old scanner's sight (hide, unhide); the
 * old supervisor ended (end_supervisor); its supervise/ and event/ set
 * aside in DIR/.svx-migrate/ so that detection sees one backend
 * (set_aside, put_back); finish and log/run rewritten for the target,
 * their originals kept there (rewrite, unwrite). Each is in the journal
 * before it is taken. Then what each step of the one rollback (undo.c)
 * means for a directory: dir_undo.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/resolve.h"
#include "../control/control.h"
#include "../../adapters/files/svnew.h"
#include "mig.h"

int
bring_down(struct migration *m)
{
	if (!m->supervised)
		return 0;
	mig_ran(m, "svx -w %lld down %s", (long long)m->opts->step_ms / 1000,
	    m->path);
	if (m->opts->dry_run)
		return 0;
	if (journal_note(m, "step down") == -1)
		return -1;
	return svx_run_verb(m->path, VERB_DOWN, m->opts->step_ms, 0, 0) ==
	    OUT_OK ? 0 : -1;
}

/* Out of the old scanner's sight: scanners skip dot-names. */
int
hide_from_scanner(struct migration *m)
{
	int pfd;

	if (m->old_scanner == SCANNER_NONE || m->hid)
		return 0;
	mig_ran(m, "rename %s/%s to %s/%s", m->parent, m->name, m->parent,
	    m->hidden);
	if (m->opts->dry_run)
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
show_to_scanner(struct migration *m)
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

/* End the old supervisor (and its log's), and make sure nothing runs. */
int
end_supervisor(struct migration *m)
{
	char now[PATH_MAX];

	if (!m->supervised)
		return 0;
	current_path(m, now, sizeof(now));
	mig_ran(m, "svx -w %lld exit %s", (long long)m->opts->step_ms / 1000,
	    now);
	if (m->opts->dry_run)
		return 0;
	if (journal_note(m, "step end") == -1)
		return -1;
	m->ended = 1;
	return svx_run_verb(now, VERB_EXIT, m->opts->step_ms, 0, 0) != OUT_OK ?
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
int
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

/*
 * A service whose supervisor ran as a user (plan.c): run renamed aside,
 * a wrapper that switches to the user written in its place. Recorded
 * before the rename; the undo looks for the original by its name.
 */
static int
wrap_run(struct migration *m)
{
	char text[SVFILE_MAX], wrapper[512];

	if (m->run_user[0] == '\0' || !entry_exists(m->dirfd, "run") ||
	    (read_small(m->dirfd, "run", O_NOFOLLOW, text, sizeof(text)) >= 0 &&
	    run_user_wrapped(text)))
		return 0;
	if (run_user_wrapper(m->to, m->run_user, wrapper, sizeof(wrapper)) ==
	    -1)
		return -1;
	mig_ran(m, "rename %s/run to %s/%s; write %s/run (starts it as %s)",
	    m->path, m->path, RUN_AS_USER_KEPT, m->path, m->run_user);
	m->run_wrapped = 1;
	if (journal_note(m, "run-wrapped") == -1 ||
	    rename_noreplace(m->dirfd, "run", RUN_AS_USER_KEPT) == -1)
		return -1;
	return write_file(m->dirfd, "run", wrapper, 0755);
}

/* run as it was: the original renamed back over the wrapper (or into a
 * directory the interruption left without run). */
static void
unwrap_run(struct migration *m)
{
	if (!m->run_wrapped || !entry_exists(m->dirfd, RUN_AS_USER_KEPT))
		return;
	mig_ran(m, "rename %s/%s to %s/run", m->path, RUN_AS_USER_KEPT,
	    m->path);
	(void)renameat(m->dirfd, RUN_AS_USER_KEPT, m->dirfd, "run");
	m->run_wrapped = 0;
}

/* The config svx wrote for svlogd (there was none before): removed. */
static void
unwrite_config(struct migration *m)
{
	int logfd, dfd;

	if (!m->config_written || (logfd = openat(m->dirfd, "log", O_RDONLY |
	    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	if ((dfd = open_beneath(logfd, m->log.dir, O_RDONLY | O_DIRECTORY,
	    0)) != -1) {
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
int
rewrite_files(struct migration *m)
{
	if (save_original(m, "finish", "finish") == -1 ||
	    save_original(m, "log/run", "log-run") == -1 ||
	    journal_note(m, "step write") == -1)
		return -1;
	m->wrote = 1;
	return write_finish(m) == -1 || wrap_run(m) == -1 ||
	    write_logger(m) == -1 ? -1 : 0;
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
	if (m->run_wrapped)
		(void)unlinkat(m->dirfd, "run.new", 0);
	(void)unlinkat(m->dirfd, "down.new", 0);
	/* Step by step, no link followed: log/ is the user's to swap. */
	if ((logfd = openat(m->dirfd, "log", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	(void)unlinkat(logfd, "run.new", 0);
	if (m->log.dir[0] != '\0' && (dfd = open_beneath(logfd, m->log.dir,
	    O_RDONLY | O_DIRECTORY, 0)) != -1) {
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
	unwrap_run(m);
	(void)restore_file(m, "log-run", "log/run");
	unwrite_config(m);
}

static const char *const copies[] = {
	"finish", "finish.new", "log-run", "log-run.new",
};

/* What the backup holds but the journal: once the move is done or
 * undone, nothing in it is needed. */
int
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

/* What the target's supervisor made in the directory while it ran. */
static void
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
		    "supervisors)", (long long)m->opts->step_ms / 1000, now);
		(void)svx_run_verb(now, VERB_EXIT, m->opts->step_ms, 0, 0);
	}
	(void)show_to_scanner(m);
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
		(void)show_to_scanner(m);
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
			/* As whom it ran: a user's supervisor, a user's again. */
			m->place = PLACE_OWN;
			(void)start_own(m, m->run_user, m->log_user);
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
	return m->supervised ? restore_state(m, m->path, m->from, 1) : 0;
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

const struct mig_undo dir_undo = {
	dir_put_back, dir_restart_old, dir_restore_want, dir_drop,
	dir_left_at, dir_not_back,
};
