/*
 * svx new, enable and disable's silent half (svnew.c): a new service
 * directory's files rendered from a table of each backend's dialect,
 * the directory built under a dot-name and renamed into place, and
 * the scan directory's link made and removed, every step openat from a
 * directory descriptor.
 */
#ifndef SVX_SVNEW_H
#define SVX_SVNEW_H

#include <stddef.h>

#include "../adapter.h"

#define SVNEW_ENV_MAX	32	/* --env K=V given at most */
#define SVNEW_LOGDIR	"main"	/* log/main/: where the logger writes */

/* What svx new was asked for. */
struct svnew {
	const char	*name;
	enum svx_backend backend;
	int		 log;		/* log/run and log/main/ */
	int		 down;		/* ./down */
	const char	*user;		/* NULL: as the supervisor runs it */
	const char	*env[SVNEW_ENV_MAX];	/* "K=V" */
	size_t		 nenv;
	char *const	*argv;		/* COMMAND [ARG...] */
	size_t		 argc;
};

/* NAME fit for a service directory: 0, or -1 with WHY. */
int	svnew_name_ok(const char *name, const char **why);
/* "K=V" with K a shell variable name: 0, or -1 with WHY. */
int	svnew_env_ok(const char *kv, const char **why);
/* S in sh's single quotes, appended at *AT: 0, or -1 when it does not
 * fit (BUF then holds a truncated script, never used). */
int	svnew_quote(char *buf, size_t len, size_t *at, const char *s);
/* The files' text: 0, or -1 when it does not fit in LEN. */
int	svnew_render_run(const struct svnew *, char *buf, size_t len);
int	svnew_render_log(const struct svnew *, char *buf, size_t len);
/* The logger command a backend's log/run executes. */
const char *svnew_logger(enum svx_backend);

/* Where svnew_build stopped, for the caller's message. */
enum svnew_step {
	SVNEW_MKDIR,		/* the dot-named directory */
	SVNEW_FILES,		/* run, down, log/ */
	SVNEW_RENAME,		/* into place: NAME exists, or I/O */
	SVNEW_DONE
};

/* The dot-name a build of NAME is made under: 0, or -1 if it does not
 * fit in LEN. */
int	svnew_build_name(const char *name, char *out, size_t len);
/* NAME built in the directory DIRFD from RUN and LOGRUN (NULL: no log)
 * under its dot-name, then renamed into place, never over an existing
 * NAME. SVNEW_DONE, or the step that failed with errno, nothing left. */
enum svnew_step svnew_build(int dirfd, const struct svnew *, const char *run,
	    const char *logrun);

/*
 * One entry of a directory svnew_build_files makes: a file of TEXT with
 * MODE, or a directory (TEXT NULL). PATH is relative to the service
 * directory, one '/' at most, its directory listed before it.
 */
struct svnew_file {
	const char	*path;
	const char	*text;
	int		 mode;
};
/* NAME in DIRFD made of FILES (N), built under its dot-name, renamed
 * into place, never over an existing NAME (svx import). SVNEW_DONE, or
 * the step that failed with errno, nothing left. */
enum svnew_step svnew_build_files(int dirfd, const char *name,
	    const struct svnew_file *files, size_t n);

/* A scan directory's entry NAME, before svx links or unlinks it. */
enum svlink_state {
	SVLINK_NONE,		/* no such entry */
	SVLINK_OURS,		/* a symlink to the service directory */
	SVLINK_ELSEWHERE,	/* a symlink to something else */
	SVLINK_SAME_DIR,	/* the service directory itself, no link */
	SVLINK_FOREIGN,		/* anything else: a file, another directory */
	SVLINK_ERROR		/* cannot tell: errno */
};

/* What SCANFD's NAME is to the directory DIRFD (never followed when it
 * is not a symlink svx could have made). */
enum svlink_state svlink_state(int scanfd, const char *name, int dirfd);
/* SCANFD's NAME made a symlink to TARGET, over an existing symlink when
 * REPLACE (atomically: a dot-named link renamed over it): 0, -1 errno. */
int	svlink_make(int scanfd, const char *name, const char *target,
	    int replace);

/* TMP renamed to NAME in DIRFD, never over one: EEXIST (or ENOTEMPTY)
 * if there (renameat2's RENAME_NOREPLACE, else a look first). */
int	rename_noreplace(int dirfd, const char *tmp, const char *name);

#endif
