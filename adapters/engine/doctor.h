/*
 * svx doctor's checks: why a service is not doing what it should, each
 * a row of a table (doctor.c) whose test fills a finding. Silent: the
 * words, message and fix, are mappings/doctor.c's; the shim prints.
 */
#ifndef SVX_DOCTOR_H
#define SVX_DOCTOR_H

#include <limits.h>
#include <sys/types.h>

#include "service.h"

enum doctor_check {
	DOC_LINK_BROKEN,	/* the path is a symlink to nothing */
	DOC_NOT_DIR,		/* cannot be opened as a directory */
	DOC_RUN_MISSING,
	DOC_RUN_NOT_EXEC,
	DOC_INTERP_MISSING,	/* run's #! names nothing executable */
	DOC_SVDIR_UNREADABLE,	/* supervise/ refused to this user */
	DOC_NO_SUPERVISOR,
	DOC_OWNER_UNKNOWN,	/* svx cannot tell what supervises it */
	DOC_NO_SCANNER,		/* and none will start one */
	DOC_DOWN_FILE,		/* ./down keeps it down */
	DOC_CRASH_LOOP,
	DOC_FINISH_RUNNING,
	DOC_WONT_STOP,		/* wanted down, still running */
	DOC_LOGGER_DOWN,	/* writes block once the pipe is full */
	/* supervisord programs (adapters/engine/sd_doctor.c) */
	DOC_SD_UNREACHABLE,	/* supervisord not running, not answering */
	DOC_SD_UNKNOWN,		/* no such program configured */
	DOC_SD_FATAL,		/* it gave up starting it */
	DOC_SD_BACKOFF,		/* dies before startsecs, retried */
	DOC_SD_STOPPED,		/* stopped, though autostart=true */
	DOC_SD_LOG_MISSING,	/* the log file it writes is gone */
	DOC_COUNT
};
/* The checks of a service directory: doctor_rows' (the rest are
 * supervisord's). */
#define DOC_DIR_COUNT	DOC_SD_UNREACHABLE

/* The crash-loop watch's bound, where only the stamps tell (README). */
#define DOCTOR_WATCH_MS		1500
/* s6's death_tally: deaths counted over this many seconds. */
#define DOCTOR_TALLY_SECS	10
/* Up for less than this is not yet up (runsv and s6 wait as long). */
#define DOCTOR_UP_MIN_MS	1000

struct doctor_finding {
	enum doctor_check check;
	char		 what[PATH_MAX];	/* a path: interpreter, link
						   target, scan directory */
	int		 err;		/* errno behind it, or 0 */
	pid_t		 pid;		/* a finish script's */
	int		 wstat;		/* last death, -1 not recorded */
	int		 deaths;	/* counted over ... */
	int64_t		 over_ms;	/* ... this long; 0 none counted */
	int		 recorded;	/* the supervisor's records, over the
					   last over_ms (s6); else seen */
	char		 death[64];	/* the last death in supervisord's
					   words ("exit status 3"), or "" */
};

struct doctor_ctx {
	const char	*path;		/* the service as resolved */
	const char	*supervisedir;
	int		 watch_ms;	/* DOCTOR_WATCH_MS; tests shorten it */
	int		 opened;	/* sv holds an open service */
	int		 open_err;
	struct svx_service sv;
};

struct doctor_row {
	enum doctor_check id;
	const char	*name;		/* for --json and the manual */
	int		(*test)(struct doctor_ctx *, struct doctor_finding *);
};

extern const struct doctor_row doctor_rows[DOC_DIR_COUNT];

void	doctor_open(struct doctor_ctx *, const char *path,
	    const char *supervisedir);
void	doctor_close(struct doctor_ctx *);
/* Every row's test in order, findings into OUT: how many (at most MAX). */
size_t	doctor_run(struct doctor_ctx *, struct doctor_finding *out,
	    size_t max);
/* The interpreter of the script NAME under DIRFD (its #! line) into BUF:
 * 1 found, 0 none (no #!, or not a plain file), -1 errno. */
int	doctor_interpreter(int dirfd, const char *name, char *buf, size_t len);

#endif
