/*
 * svx migrate --to BACKEND [--dir DIR] [--scandir DIR] supervisord:NAME
 *
 * A supervisord program becomes a service directory, live, with the
 * guarantees of a directory's migration (migrate.c): never two copies
 * running, never a program lost. sd_plan.c has made the plan; here:
 *
 *   1. build the directory under a dot-name (every scanner skips those),
 *      ./down in it if autostart=false;
 *   2. stop the program in supervisord, and wait for its process group
 *      to be gone;
 *   3. comment its sections out of the file supervisord read (the
 *      original kept beside it under a dot-name until the end) and have
 *      supervisord read its files again: it must find exactly that
 *      group removed. Only then is the group taken out of the running
 *      supervisord (removeProcessGroup): from here on, a restart or an
 *      update of supervisord cannot start it again;
 *   4. give the directory its name, start it under the target (its
 *      scanner or a supervisor of its own), restore the state it had
 *      (up: up for SETTLE_MS), and verify;
 *   5. on any failure, undo in reverse: the target stopped and the
 *      directory removed, the configuration restored and read again, the
 *      group added back, its state as before. What could not be undone
 *      is said, with where the original configuration is.
 *
 * SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE and SIGTSTP wait while the
 * cut-over runs: a move is done or undone, never left half-way by a ^C
 * or a reader that went away.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/output.h"
#include "../common/resolve.h"
#include "../control/control.h"
#include "../supervisord/sd_shim.h"
#include "sd_migrate.h"

#define LOG_ORIGIN	"supervisord's stdout_logfile"
#define AUTOSTART_MS	2500		/* supervisord's tick is 1 s */
#define POLL_MS		20

/* ---- the new directory --------------------------------------------------- */

/* The target's own logger into log/main, rotated as supervisord
 * rotated stdout_logfile. */
static void
target_logger(struct sd_move *s)
{
	struct logger *l = &s->m.log;
	long long size = s->prog.stdout_logfile_maxbytes;
	long max = logger_max_size(s->m.to);

	memset(l, 0, sizeof(*l));
	l->kind = logger_of_backend(s->m.to);
	l->stamp = STAMP_NONE;
	l->size = size == 0 ? LOG_UNROTATED : max > 0 && size > max ? max :
	    (long)size;
	/* supervisord keeps none for 0; svlogd would keep all, multilog
	 * keeps at least 2: the fewest each will keep. */
	l->count = s->prog.stdout_logfile_backups > 0 ?
	    (long)s->prog.stdout_logfile_backups : logger_fewest_kept(s->m.to);
	strlcpy(l->dir, "main", sizeof(l->dir));
}

static int
render_run(struct sd_move *s, char *text, size_t len)
{
	static char origin[PATH_MAX + 2 * SD_NAME_MAX + 32];

	snprintf(origin, sizeof(origin), "[%s] in %s", s->section[0],
	    s->conf);
	s->run.origin = origin;
	return sdconf_render_run(&s->run, s->m.to, text, len);
}

/* Its stop signal by name, or by number where it has none (a real-time
 * one): s6's down-signal and kill -s take both. */
static void
signame(const struct sd_move *s, char *buf, size_t len)
{
	const char *name = signal_name((int)s->prog.stopsignal);

	if (name != NULL)
		strlcpy(buf, name, len);
	else
		snprintf(buf, len, "%lld", s->prog.stopsignal);
}

/* The files each target needs beyond run and log/run. */
static int
write_extras(struct sd_move *s, int dfd)
{
	char text[256], sig[32];
	int cfd, r = 0;

	signame(s, sig, sizeof(sig));
	if (sd_sets(s, SDO_STOPSIGNAL) && s->m.to == BACKEND_S6) {
		snprintf(text, sizeof(text), "%s\n", sig);
		r |= write_file(dfd, "down-signal", text, 0644);
	}
	if (s->m.to == BACKEND_S6) {
		/* supervisord always follows its stopsignal with SIGKILL. */
		snprintf(text, sizeof(text), "%lld\n", s->prog.stopwaitsecs *
		    1000);
		r |= write_file(dfd, "timeout-kill", text, 0644);
	}
	if (sd_sets(s, SDO_STOPSIGNAL) && s->m.to == BACKEND_RUNIT) {
		/* runsv runs control/t (for down, exit and term alike) in
		 * the service directory, and sends no SIGTERM when it exits
		 * 0; control/d would run after the SIGTERM
		 * (PROTOCOLS.md#control-letters). */
		snprintf(text, sizeof(text), "#!/bin/sh\n# svx migrate: "
		    "supervisord's stopsignal\nexec kill -s %s \"$(cat "
		    "supervise/pid)\"\n", strncmp(sig, "SIG", 3) == 0 ? sig +
		    3 : sig);
		if (mkdirat(dfd, "control", 0755) == -1 || (cfd = openat(dfd,
		    "control", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC)) == -1)
			return -1;
		r |= write_file(cfd, "t", text, 0755);
		close(cfd);
	}
	return r;
}

static int
write_log(struct sd_move *s, int dfd)
{
	int lfd, r;

	if (!s->m.has_log)
		return 0;
	target_logger(s);
	if (mkdirat(dfd, "log", 0755) == -1 || (lfd = openat(dfd, "log",
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	r = mkdirat(lfd, s->m.log.dir, 0755);
	if (r == 0)
		r = logger_write(lfd, &s->m.log, s->m.to, LOG_ORIGIN,
		    logger_config_plan(lfd, &s->m.log, s->m.to));
	close(lfd);
	return r;
}

/*
 * What an undo needs of supervisord, beyond the directory's plan: the
 * file, where its original is kept meanwhile, the group, how it starts.
 */
static int
journal_lines(struct sd_move *s)
{
	const char *const v[] = { s->conf, s->here, s->kept, s->tmp,
	    s->group, s->section[0] };
	size_t i;
	int n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strchr(v[i], '\n') != NULL) {
			errno = EINVAL;
			return -1;
		}
	n = snprintf(s->m.source, sizeof(s->m.source), "sd-conf %s\n"
	    "sd-here %s\nsd-kept %s\nsd-tmp %s\nsd-group %s\n"
	    "sd-section %s\nsd-autostart %lld\nsd-stop-ms %lld\n", s->conf,
	    s->here, s->kept, s->tmp, s->group, s->section[0],
	    (long long)s->prog.autostart, (long long)s->stop_ms);
	if (n <= 0 || (size_t)n >= sizeof(s->m.source)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* The same lines read back into S. */
static void
journal_lines_read(struct sd_move *s)
{
	char buf[sizeof(s->m.source)], *line, *next, *v;

	strlcpy(buf, s->m.source, sizeof(buf));
	for (line = buf; (next = strchr(line, '\n')) != NULL; line = next) {
		*next++ = '\0';
		if ((v = strchr(line, ' ')) == NULL)
			continue;
		*v++ = '\0';
		if (strcmp(line, "sd-conf") == 0)
			strlcpy(s->conf, v, sizeof(s->conf));
		else if (strcmp(line, "sd-here") == 0)
			strlcpy(s->here, v, sizeof(s->here));
		else if (strcmp(line, "sd-kept") == 0)
			strlcpy(s->kept, v, sizeof(s->kept));
		else if (strcmp(line, "sd-tmp") == 0)
			strlcpy(s->tmp, v, sizeof(s->tmp));
		else if (strcmp(line, "sd-group") == 0)
			strlcpy(s->group, v, sizeof(s->group));
		else if (strcmp(line, "sd-section") == 0)
			strlcpy(s->section[0], v, sizeof(s->section[0]));
		else if (strcmp(line, "sd-autostart") == 0)
			s->prog.autostart = atoi(v);
		else if (strcmp(line, "sd-stop-ms") == 0)
			s->stop_ms = strtoll(v, NULL, 10);
	}
}

/* Everything the directory holds, under its dot-name. */
static int
build(struct sd_move *s)
{
	struct migration *m = &s->m;
	char run[16384];
	int pfd, r;

	if (render_run(s, run, sizeof(run)) == -1) {
		mig_say(m, "error", "its run script does not fit in %zu bytes",
		    sizeof(run));
		return -1;
	}
	if (access(m->parent, F_OK) == -1) {
		mig_ran(m, "mkdir %s", m->parent);
		if (mkdir(m->parent, 0755) == -1)
			return -1;
		s->made_parent = 1;
	}
	mig_ran(m, "build %s/%s: run%s%s", m->parent, m->hidden, m->has_log ?
	    ", log/run, log/main/" : "", !s->prog.autostart ? ", down" : "");
	if ((pfd = open(m->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = mkdirat(pfd, m->hidden, 0755);
	if (r == 0) {
		s->built = m->hid = 1;
		m->dirfd = openat(pfd, m->hidden, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
	}
	close(pfd);
	/* The journal first: a directory of ours without one is empty. */
	if (r == -1 || m->dirfd == -1 || journal_lines(s) == -1 ||
	    journal_begin(m) == -1)
		return -1;
	if (!s->prog.autostart) {
		if (write_file(m->dirfd, "down", "", 0644) == -1)
			return -1;
		m->files |= 1u << MF_DOWN;
	}
	return write_file(m->dirfd, "run", run, 0755) == -1 ||
	    write_log(s, m->dirfd) == -1 || write_extras(s, m->dirfd) == -1 ?
	    -1 : 0;
}

/* Everything in DIRFD but KEEP, down to log/main/'s files. */
static void
remove_all_but(int dirfd, const char *keep)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if ((fd = dup(dirfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") !=
		    0 && strcmp(de->d_name, keep) != 0)
			(void)remove_tree(dirfd, de->d_name, 4);
	closedir(d);
}

/*
 * The directory svx built, gone: first out of sight under its dot-name
 * (a scanner of the target could be watching), then what it holds,
 * the journal last of all, then the directory. An empty dot-named
 * directory is what an interruption of this leaves: stale_build()
 * removes it.
 */
static void
unbuild(struct sd_move *s)
{
	char now[PATH_MAX];
	int pfd;

	if (!s->built)
		return;
	current_path(&s->m, now, sizeof(now));
	mig_ran(&s->m, "rm -r %s (built by svx)", now);
	if ((pfd = open(s->m.parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		return;
	if (!s->m.hid && renameat(pfd, s->m.name, pfd, s->m.hidden) == 0)
		s->m.hid = 1;
	if (s->m.hid && s->m.dirfd != -1) {
		/* All of it is svx's; the journal goes last. */
		remove_all_but(s->m.dirfd, BACKUP);
		(void)journal_remove(&s->m);
		(void)unlinkat(pfd, s->m.hidden, AT_REMOVEDIR);
	}
	close(pfd);
	s->built = s->m.hid = 0;
	if (s->made_parent && rmdir(s->m.parent) == 0)
		mig_ran(&s->m, "rmdir %s", s->m.parent);
}

/* ---- supervisord's side ------------------------------------------------ */

static void
pause_ms(int ms)
{
	const struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/*
 * Stopped, and its process group gone: supervisord signals only the
 * program unless stopasgroup, and a child left in the group would run
 * beside the new copy.
 */
static int
stop_in_supervisord(struct sd_move *s)
{
	struct sd_proc now;
	pid_t group;
	int64_t until;

	/* Its pid now: a STARTING or BACKOFF one may have a new one. */
	if (!s->m.opts->dry_run &&
	    sd_process_info(&s->c, s->qname, &now) == SD_OK)
		s->proc = now;
	group = s->proc.pid;
	if (s->proc.state == SD_STOPPED || s->proc.state == SD_EXITED ||
	    s->proc.state == SD_FATAL)
		return 0;
	mig_ran(&s->m, "svx -w %lld down %s", (long long)s->stop_ms / 1000,
	    s->m.arg);
	if (s->m.opts->dry_run)
		return 0;
	s->stopped = 1;
	if (journal_note(&s->m, "step stop") == -1)
		return -1;
	if (svx_run_verb(s->m.arg, VERB_DOWN, s->stop_ms, 0, 0) != OUT_OK)
		return -1;
	until = monotonic_ms() + s->m.opts->step_ms;
	/* EPERM: a member svx may not signal is a member all the same. */
	while (group > 0 && (kill(-group, 0) == 0 || errno == EPERM)) {
		if (monotonic_ms() >= until) {
			mig_say(&s->m, "error", "processes of its group (%ld) still "
			    "run after it stopped", (long)group);
			return -1;
		}
		pause_ms(POLL_MS);
	}
	return 0;
}

/*
 * The original kept as it is (a second name for the same file: its
 * bytes, owner and mode), then the edited text renamed over it, unless
 * the file changed since the plan read it: the edit would lose that.
 */
static int
write_config(struct sd_move *s)
{
	static char now[SDCONF_TEXT_MAX];
	const char *base = strrchr(s->conf, '/') + 1;
	struct stat sb;
	int dfd, r = -1, e = 0;

	if ((dfd = open(s->here, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (fstatat(dfd, base, &sb, 0) == -1 || linkat(dfd, base, dfd,
	    s->kept, 0) == -1)
		e = errno;
	else {
		s->edited = 1;
		if (read_small(dfd, base, 0, now, sizeof(now)) < 0 ||
		    strcmp(now, s->conf_text) != 0)
			e = ESTALE;
		else if (write_new_file(dfd, s->tmp, s->edited_text, &sb) ==
		    -1 || renameat(dfd, s->tmp, dfd, base) == -1) {
			e = errno;
			(void)unlinkat(dfd, s->tmp, 0);
		} else
			s->replaced = r = 1;
	}
	close(dfd);
	errno = e;
	return r == 1 ? 0 : -1;
}

/* supervisord reads its files again and finds only this group gone. */
static int
reread_without(struct sd_move *s)
{
	char want[sizeof(SD_RELOAD_NOTHING) + SD_NAME_MAX + 1];
	enum sd_result r;

	mig_ran(&s->m, "supervisorctl reread (reloadConfig): %s removed, nothing "
	    "else", s->group);
	if ((r = sd_reload_config(&s->c)) != SD_OK) {
		(void)sd_report(s->m.arg, &s->c, r);
		return -1;
	}
	snprintf(want, sizeof(want), "%s%s ", SD_RELOAD_NOTHING, s->group);
	if (strcmp(s->c.lists, want) != 0) {
		mig_say(&s->m, "error", "after the edit, supervisorctl reread "
		    "does not show just %s removed", s->group);
		return -1;
	}
	return 0;
}

static int
edit_config(struct sd_move *s)
{
	mig_ran(&s->m, "keep %s as %s/%s; comment out [%s]%s%s%s", s->conf,
	    s->here, s->kept, s->section[0], s->nsections == 2 ? " and [" :
	    "", s->nsections == 2 ? s->section[1] : "", s->nsections == 2 ?
	    "]" : "");
	if (journal_note(&s->m, "step edit") == -1)
		return -1;
	s->edited = 1;
	if (write_config(s) == -1) {
		mig_say(&s->m, "error", "%s: %s", s->conf, errno == ESTALE ?
		    "changed while svx worked; not edited" : strerror(errno));
		return -1;
	}
	return reread_without(s);
}

static int
remove_from_supervisord(struct sd_move *s)
{
	struct sd_proc gone;
	enum sd_result r;

	mig_ran(&s->m, "supervisorctl remove %s (removeProcessGroup)", s->group);
	if (journal_note(&s->m, "step remove") == -1)
		return -1;
	r = sd_remove_group(&s->c, s->group);
	/* BAD_NAME: an update since the edit took it out already. An
	 * answer lost on the way: supervisord may have done it all the
	 * same, and the undo must know. */
	if (r != SD_OK && !(r == SD_FAULT && s->c.fault_code == 10)) {
		(void)sd_report(s->m.arg, &s->c, r);
		s->removed = sd_process_info(&s->c, s->qname, &gone) ==
		    SD_FAULT && s->c.fault_code == 10;
		return -1;
	}
	s->removed = 1;
	if (sd_process_info(&s->c, s->qname, &gone) != SD_FAULT ||
	    s->c.fault_code != 10) {
		mig_say(&s->m, "error", "supervisord still has it");
		return -1;
	}
	return 0;
}

/*
 * The original configuration back, and read again: 0, or -1 (said).
 * Where the interruption left it is read off the files: the kept name
 * is the file itself (a second link) until the edit replaced it.
 */
static int
unedit_config(struct sd_move *s)
{
	const char *base = strrchr(s->conf, '/') + 1;
	struct stat kept, now;
	int dfd, r = 0, e = 0, replaced;

	if (!s->edited)
		return 0;
	if ((dfd = open(s->here, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		mig_say(&s->m, "error", "%s: %s: the original is %s/%s", s->here,
		    strerror(errno), s->here, s->kept);
		return -1;
	}
	(void)unlinkat(dfd, s->tmp, 0);
	replaced = 0;
	if (fstatat(dfd, s->kept, &kept, AT_SYMLINK_NOFOLLOW) == 0) {
		replaced = fstatat(dfd, base, &now, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !same_file(&kept, &now);
		if (replaced) {
			mig_ran(&s->m, "restore %s; supervisorctl reread", s->conf);
			r = renameat(dfd, s->kept, dfd, base);
		} else	/* The kept name is the file itself: dropped. */
			r = unlinkat(dfd, s->kept, 0);
		e = errno;
	}
	close(dfd);
	if (r == -1) {
		mig_say(&s->m, "error", "%s could not be put back (%s): the "
		    "original is %s/%s", s->conf, strerror(e), s->here,
		    s->kept);
		return -1;
	}
	s->edited = s->replaced = 0;
	return replaced && sd_reload_config(&s->c) != SD_OK ? -1 : 0;
}

/*
 * addProcessGroup starts an autostart program at supervisord's next
 * tick: one wanted down is stopped again once that has happened.
 */
static void
hold_down(struct sd_move *s)
{
	int64_t until = monotonic_ms() + AUTOSTART_MS;
	struct sd_proc p;

	while (monotonic_ms() < until && sd_process_info(&s->c, s->qname,
	    &p) == SD_OK && p.state == SD_STOPPED)
		pause_ms(POLL_MS);
	(void)svx_run_verb(s->m.arg, VERB_DOWN, s->stop_ms, 0, 0);
}

/*
 * The undo's steps for a program (undo.c has the order). An sd_move
 * begins with its migration: the engine's M is the move itself.
 */
static struct sd_move *
move_of(struct migration *m)
{
	return (struct sd_move *)m;
}

static int
sd_put_back(struct migration *m)
{
	return unedit_config(move_of(m));
}

/* supervisord has the group again. */
static int
sd_restart_old(struct migration *m)
{
	struct sd_move *s = move_of(m);
	struct sd_proc p;
	enum sd_result r;

	/* Removed or not: supervisord says (BAD_NAME), not a flag an
	 * interruption may have left behind the fact. */
	if (!s->removed && !(sd_process_info(&s->c, s->qname, &p) ==
	    SD_FAULT && s->c.fault_code == 10))
		return 0;
	mig_ran(m, "supervisorctl add %s (addProcessGroup)", s->group);
	if ((r = sd_add_group(&s->c, s->group)) != SD_OK) {
		(void)sd_report(m->arg, &s->c, r);
		return -1;
	}
	s->removed = 0;
	if (!m->want_up && s->prog.autostart)
		hold_down(s);
	return 0;
}

/* Running again if it ran, and svx had stopped it. */
static int
sd_restore_want(struct migration *m)
{
	struct sd_move *s = move_of(m);

	if (!m->want_up || !s->stopped)
		return 0;
	mig_ran(m, "svx -w %lld up %s", (long long)m->opts->step_ms /
	    1000, m->arg);
	return svx_run_verb(m->arg, VERB_UP, m->opts->step_ms, 0, 0) ==
	    OUT_OK ? 0 : -1;
}

/* supervisord has it: the directory svx built goes, journal and all. */
static int
sd_drop(struct migration *m)
{
	unbuild(move_of(m));
	return 0;
}

static void
sd_left_at(struct migration *m, char *buf, size_t len)
{
	const struct sd_move *s = move_of(m);

	if (s->edited)
		snprintf(buf, len, "%s/.*.svx-migrate", s->here);
}

/* supervisord first: should that fail, the directory is still there
 * to run it from. */
static void
sd_not_back(struct migration *m)
{
	const struct sd_move *s = move_of(m);

	mig_say(m, "error", "not rolled back: supervisord does not have it as "
	    "before (see supervisorctl status %s); its directory is kept at "
	    "%s/%s; the same svx migrate tries again", s->qname, m->parent,
	    m->hid ? m->hidden : m->name);
}

static const struct mig_undo sd_undo = {
	sd_put_back, sd_restart_old, sd_restore_want, sd_drop, sd_left_at,
	sd_not_back,
};

static int
cut_over(struct sd_move *s)
{
	struct migration *m = &s->m;

	errno = 0;
	if (build(s) == -1) {
		mig_say(m, "error", "building %s/%s: %s", m->parent, m->hidden,
		    errno != 0 ? strerror(errno) : "its files do not fit");
		return -1;
	}
	if (stop_in_supervisord(s) == -1 || edit_config(s) == -1 ||
	    remove_from_supervisord(s) == -1)
		return -1;
	/* Its name now, unless its own scanner's directory holds it:
	 * start_target unhides it there, where the scanner sees it. */
	if (!(m->place == PLACE_SCANNER && same_dir(m->newscan, m->parent)) &&
	    show_to_scanner(m) == -1) {
		mig_say(m, "error", "rename to %s: %s", m->path, strerror(errno));
		return -1;
	}
	if (start_target(m) == -1 || restore_state(m, m->where, m->to, 0) == -1)
		return -1;
	/* From here on, an interruption is finished forward. */
	m->committed = 1;
	return journal_note(m, "step commit");
}

static void
finish(struct sd_move *s)
{
	int dfd;

	mig_ran(&s->m, "rm %s/%s", s->here, s->kept);
	if ((dfd = open(s->here, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)unlinkat(dfd, s->kept, 0);
		close(dfd);
	}
	(void)journal_remove(&s->m);
	say_done(&s->m);
}

/* "would write" a line each: TEXT is the file FILE would hold. */
static void
say_would_write(struct sd_move *s, const char *file, char *text)
{
	char *line, *save;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		mig_say(&s->m, "would write", "%s: %s", file, line);
}

static void
show_dry_run(struct sd_move *s)
{
	char run[16384], log[LOGLINE_MAX + 256];

	if (render_run(s, run, sizeof(run)) == 0)
		say_would_write(s, "run", run);
	if (s->m.has_log) {
		target_logger(s);
		if (logger_render(&s->m.log, s->m.to, LOG_ORIGIN, log,
		    sizeof(log)) == 0)
			say_would_write(s, "log/run", log);
	}
	(void)stop_in_supervisord(s);
	mig_ran(&s->m, "comment out [%s] in %s; supervisorctl remove %s; start "
	    "it under %s and restore its state", s->section[0], s->conf,
	    s->group, backend_name(s->m.to));
}

/*
 * Where the same command builds the directory: --dir, else --scandir,
 * with the program's name (sd_plan's place_new, before supervisord is
 * asked: after an interruption it may no longer know the program).
 */
static int
build_place(struct sd_move *s)
{
	const char *const q = sd_program_name(s->m.arg);
	const struct mig_opts *o = s->m.opts;
	const char *home = o->dir != NULL ? o->dir : o->scandir;
	const char *colon = strchr(q, ':');
	struct migration *m = &s->m;

	if (home == NULL || strlcpy(m->parent, home, sizeof(m->parent)) >=
	    sizeof(m->parent) || make_absolute(m->parent, sizeof(m->parent)) == -1 ||
	    strlcpy(m->name, colon != NULL ? colon + 1 : q, sizeof(m->name)) >=
	    sizeof(m->name) || m->name[0] == '.' || strchr(m->name, '/') !=
	    NULL || migrate_hidden_name(m->name, m->hidden,
	    sizeof(m->hidden)) == -1 || path_join(m->path, sizeof(m->path),
	    m->parent, m->name) == -1)
		return -1;
	return 0;
}

/* An empty directory under our dot-name (or one holding only the
 * journal's staging): a build interrupted before its journal. */
static void
drop_stale_build(int pfd, const char *hidden)
{
	int fd = openat(pfd, hidden, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);

	if (fd == -1)
		return;
	(void)remove_tree(fd, BACKUP ".new", 2);
	close(fd);
	(void)unlinkat(pfd, hidden, AT_REMOVEDIR);	/* ENOTEMPTY: not ours */
}

/* The built directory holding a journal: hidden or named. 1, or 0. */
static int
find_journal(struct sd_move *s, int pfd)
{
	const char *const names[] = { s->m.hidden, s->m.name };
	struct migration copy;
	size_t i;

	for (i = 0; i < 2; i++) {
		copy = s->m;
		if ((copy.dirfd = openat(pfd, names[i], O_RDONLY |
		    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
			continue;
		copy.jfd = -1;
		if (journal_load(&copy) == 1) {
			s->m = copy;
			s->m.hid = i == 0;
			return 1;
		}
		/* Empty: the journal's last step, unlink then rmdir, was cut. */
		if (!s->m.opts->dry_run)
			(void)unlinkat(copy.dirfd, BACKUP, AT_REMOVEDIR);
		close(copy.dirfd);
	}
	return 0;
}

/*
 * An earlier move of this program, interrupted: finished when its
 * target had it, else undone. 0 (nothing left of one), 1 (finished, or
 * a dry run told), -1 (said).
 */
static int
recover(struct sd_move *s)
{
	struct migration *m = &s->m;
	pid_t holder;
	int pfd, found;

	if (build_place(s) == -1 || (pfd = open(m->parent, O_RDONLY |
	    O_DIRECTORY | O_CLOEXEC)) == -1)
		return 0;
	if (!m->opts->dry_run)
		drop_stale_build(pfd, m->hidden);
	found = find_journal(s, pfd);
	close(pfd);
	if (!found)
		return 0;
	if (m->opts->dry_run) {
		say_interrupted(m);
		return 1;
	}
	if (fd_lock(m->dirfd, &holder) != 0) {
		mig_say(m, "error", "another svx migrate (pid %ld) is moving it; "
		    "nothing done", (long)holder);
		return -1;
	}
	say_interrupted(m);
	journal_lines_read(s);
	s->qname = sd_program_name(m->arg);
	s->built = 1;
	s->stopped = strcmp(m->last_step, "plan") != 0;
	s->edited = 1;		/* unedit_config looks before it acts */
	if (journal_resume(m) == -1 || sd_find_socket(&s->c) == -1) {
		mig_say(m, "error", "cannot resume its journal or reach "
		    "supervisord: %s", strerror(errno));
		return -1;
	}
	if (m->committed) {
		finish(s);
		return 1;
	}
	return roll_back(&s->m, &sd_undo) == 0 ? 0 : -1;
}

static void
sd_end(struct sd_move *s)
{
	journal_close(&s->m);
	if (s->m.dirfd != -1)
		close(s->m.dirfd);
	s->m.dirfd = -1;
}

static void
sd_begin(struct sd_move *s, const char *arg, const struct mig_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->m.arg = arg;
	s->m.opts = o;
	s->m.to = o->to;
	s->m.from = BACKEND_UNKNOWN;
	s->m.dirfd = s->m.jfd = -1;
}

/*
 * One migration of a program at a time, before anything is looked at:
 * its directory does not exist yet, so the lock is on its place (the
 * target directory and the name), held until svx ends. A second svx
 * migrate of the same program is refused at once, as for a directory.
 * 0 held (or a dry run), -1 (said).
 */
static int
hold_program(struct sd_move *s, int *lockfd)
{
	struct migration *m = &s->m;
	char key[PATH_MAX];
	struct stat sb;

	*lockfd = -1;
	if (m->opts->dry_run || build_place(s) == -1 ||
	    stat(m->parent, &sb) == -1)
		return 0;	/* the plan says what is wrong */
	snprintf(key, sizeof(key), "svx-migrate %llx %llx %s",
	    (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
	    m->name);
	switch (name_lock(key, lockfd)) {
	case 0:
		return 0;
	case 1:
		mig_say(m, "error", "another svx migrate is moving it; "
		    "nothing done");
		return -1;
	default:
		mig_say(m, "error", "cannot lock its move: %s",
		    strerror(errno));
		return -1;
	}
}

/* The move of S's program, its lock held: recovery, then the move. */
static enum svx_outcome
sd_migrate_held(struct sd_move *s, const char *arg,
    const struct mig_opts *o)
{
	sigset_t was;
	int r;

	hold_signals(&was);
	r = recover(s);
	sigprocmask(SIG_SETMASK, &was, NULL);
	sd_end(s);
	if (r != 0)
		return r == 1 ? OUT_OK : OUT_SYSTEM;
	if (o->rollback) {
		mig_say(&s->m, "done", "no interrupted migration to undo");
		return OUT_OK;
	}
	sd_begin(s, arg, o);
	if (sd_plan(s, o->dir) == -1)
		return OUT_SYSTEM;
	if (o->dry_run) {
		show_dry_run(s);
		return s->m.lost ? OUT_FALSE : OUT_OK;
	}
	hold_signals(&was);
	if ((r = cut_over(s)) == -1)
		(void)roll_back(&s->m, &sd_undo);
	else
		finish(s);
	sd_end(s);
	sigprocmask(SIG_SETMASK, &was, NULL);
	if (r == -1)
		return OUT_SYSTEM;
	return s->m.lost ? OUT_FALSE : OUT_OK;
}

enum svx_outcome
sd_migrate_one(const char *arg, const struct mig_opts *o)
{
	/* A ^C, a hangup, a ^Z: all wait until it is done or undone. A
	 * closed pipe on stdout costs the report only (migrate() ignores
	 * SIGPIPE). */
	static struct sd_move s;
	enum svx_outcome out;
	int lockfd;

	sd_begin(&s, arg, o);
	if (hold_program(&s, &lockfd) == -1)
		return OUT_SYSTEM;
	out = sd_migrate_held(&s, arg, o);
	if (lockfd != -1)
		close(lockfd);
	return out;
}
