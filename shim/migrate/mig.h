/*
 * svx migrate's moves, shared by the two sources: a service directory
 * (migrate.c, with plan.c, moves.c, recover.c) and a supervisord program
 * (sd_migrate.c, sd_plan.c); both start the target with start.c, undo
 * with undo.c, and journal with journal.c.
 */
#ifndef SVX_MIG_H
#define SVX_MIG_H

#include <sys/types.h>

#include <limits.h>
#include <signal.h>
#include <stdint.h>

#include "../../adapters/engine/scanner.h"
#include "../../adapters/files/svfiles.h"

#define BACKUP		MIGRATE_DIR
#define STEP_MS		30000	/* each wait: down, exit, a supervisor, up */
#define SETTLE_MS	500	/* the same pid up this long: it runs */
#define STR(x)		STR_(x)
#define STR_(x)		#x

enum placement {
	PLACE_SCANNER,		/* the target's scanner runs it */
	PLACE_OWN		/* svx starts a supervisor for it */
};

/* What the command asked for, the same for every service it moves. */
struct mig_opts {
	enum svx_backend to;
	int		 dry_run;
	int		 rollback;	/* --rollback: undo, move nothing */
	int		 verbose;
	const char	*scandir;
	const char	*dir;		/* a supervisord program's home */
	int64_t		 step_ms;
};

struct migration {
	const char	*arg;
	const struct mig_opts *opts;		/* the command's options */
	char		 path[PATH_MAX];	/* as resolved: maybe a link */
	char		 parent[PATH_MAX];	/* the directory holding it */
	char		 name[NAME_MAX + 1];
	char		 hidden[NAME_MAX + 1];	/* its dot-name meanwhile */
	char		 newscan[PATH_MAX];	/* the target scanner's */
	char		 where[PATH_MAX];	/* its path under the target */
	enum svx_backend from, to;
	enum placement	 place;
	enum scanner_kind old_scanner;
	int		 supervised, want_up, once, has_log, entry_is_link;
	int		 paused;		/* its process was stopped (pause) */
	unsigned int	 files;
	struct logger	 log;
	int		 log_translate;
	int		 dirfd;			/* the service directory */
	/* What has been done, for the undo. */
	int		 hid, ended, set_aside, wrote, made_down, started;
	int		 started_once;		/* a target supervisor ran */
	int		 wrapped;		/* finish is a wrapper of ours */
	int		 run_wrapped;		/* run renamed RUN_AS_USER_KEPT */
	/* Whose supervisor it ran under, when not root's: kept (svfiles.h). */
	char		 run_user[64], log_user[64];
	int		 config_written;	/* svlogd's, written by svx */
	char		 fin_from[NAME_MAX + 1], fin_to[NAME_MAX + 1];
	int		 lost;
	/* The journal (journal.c): where it stands, once read back. */
	int		 jfd;			/* open for appending, or -1 */
	int		 committed;		/* the target runs it: forward */
	int		 target_stopped, put_back, undone;
	char		 last_step[32];
	/* The source's own lines of the plan ("sd-KEY VALUE\n"...). */
	char		 source[2048];
	pid_t		 pids[2];		/* supervisors svx started */
};

/* ---- both sources: mig.c -------------------------------------------- */

/* One report line, "ARG: KIND: what"; a step taken ("ran", or with
 * --dry-run "would run"). */
void	mig_say(const struct migration *, const char *kind, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	mig_ran(const struct migration *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* "a migration to X was interrupted after STEP", or what the same
 * command would do about it. */
void	say_interrupted(const struct migration *);
/* "done: BACKEND, wanted STATE, at PATH". */
void	say_done(const struct migration *);
int	same_dir(const char *a, const char *b);
/* PATH made absolute from the working directory: 0, or -1. */
int	make_absolute(char *path, size_t len);
int	entry_exists(int dirfd, const char *name);
void	kick_scanner(const char *dir);
/* Where the directory is now: its dot-name while hidden. */
const char *current_path(const struct migration *, char *buf, size_t len);
/* NAME under DIRFD with what it holds, DEPTH levels, links not followed. */
int	remove_tree(int dirfd, const char *name, int depth);

/* ---- starting under the target, both sources: start.c --------------- */

int	start_target(struct migration *);
/* A supervisor of svx's own for it (and its log): 0, or -1. */
int	start_own(struct migration *, const char *user,
	    const char *log_user);
/* Until a supervisor of M->to owns M->where, within a step's bound. */
int	await_target(struct migration *);
/* The wanted state again, and a look that it holds. */
int	restore_state(struct migration *, const char *path, enum svx_backend,
	    int as_it_was);

/* ---- the undo, both sources: undo.c --------------------------------- */

/* "up", "once" or "down"; and "supervisord" or the backend it leaves. */
const char *want_name(const struct migration *);
const char *source_name(const struct migration *);
/* ^C, a hangup, a ^Z wait while a move or its undo runs (a reader that
 * went away costs the report, not the move: migrate() ignores SIGPIPE). */
void	hold_signals(sigset_t *was);
/* The target's supervisor ended, out of its scanner's sight first. */
int	stop_target(struct migration *);

/*
 * The order is the engine's; each source says what every step means
 * for it. Each returns 0, or -1 (said why, or left to not_back).
 */
struct mig_undo {
	int	(*put_back)(struct migration *);	/* the files as they were */
	int	(*restart_old)(struct migration *);	/* its old supervisor */
	int	(*restore_want)(struct migration *);	/* its state as it was */
	int	(*drop)(struct migration *);		/* traces, journal last */
	/* Where to look besides svx probe when the target will not end. */
	void	(*left_at)(struct migration *, char *buf, size_t len);
	/* Why it is not back, once put_back or a restart failed. */
	void	(*not_back)(struct migration *);
};
/* Back to where it started, from any point before the commit: 0, or
 * -1 (said; the journal stays for the same command to go on). */
int	roll_back(struct migration *, const struct mig_undo *);

/* ---- the journal: journal.c ------------------------------------------ */

/* Begun before the first step, a line per step on disk before it is
 * taken, read back after an interruption, removed last. 0 (1: loaded),
 * or -1 with errno. */
int	journal_begin(struct migration *);
int	journal_note(struct migration *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	journal_load(struct migration *);
/* A loaded journal open again for the undo's own lines. */
int	journal_resume(struct migration *);
void	journal_close(struct migration *);
int	journal_remove(struct migration *);

/* ---- a service directory's move ------------------------------------- */

/* plan.c: found and held (0, or -1 said); planned (0, 1 nothing to do,
 * -1 said). */
int	dir_locate(struct migration *, const char *svdir);
int	dir_plan(struct migration *);
/* moves.c: each step, 0 or -1; and their undo, for roll_back. */
int	bring_down(struct migration *);
int	hide_from_scanner(struct migration *);
int	show_to_scanner(struct migration *);
int	end_supervisor(struct migration *);
int	set_aside(struct migration *);
int	rewrite_files(struct migration *);
/* What the backup holds but the journal, gone. */
int	remove_originals(struct migration *);
extern const struct mig_undo dir_undo;
/* recover.c: an interrupted move finished or undone (0: none, or
 * undone; 1: finished, or a dry run told; -1: said); a finished move's
 * last traces removed. */
int	dir_recover(struct migration *);
void	dir_finish(struct migration *);
void	remove_old_link(struct migration *);

/* A supervisord program moved to O->to: sd_migrate.c. */
enum svx_outcome sd_migrate_one(const char *arg, const struct mig_opts *o);

#endif
