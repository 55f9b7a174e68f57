/*
 * svx migrate's silent half: what a service directory holds, the logger
 * its log/run runs, and the new files a target backend needs. Pure where
 * it can be (parse and render take and give text); the file operations
 * are openat from the service directory's descriptor.
 */
#ifndef SVX_SVFILES_H
#define SVX_SVFILES_H

#include <sys/types.h>

#include <stddef.h>

#include "../adapter.h"

/* Files a backend may give meaning to, by bit (mappings/migration.c). */
enum mig_file {
	MF_RUN, MF_FINISH, MF_DOWN, MF_CHECK, MF_CONTROL_DIR,
	MF_NOTIFICATION_FD, MF_TIMEOUT_KILL, MF_TIMEOUT_FINISH,
	MF_DOWN_SIGNAL, MF_MAX_DEATH_TALLY, MF_LOCK_FD, MF_START, MF_STOP,
	MF_NOTIFY, MF_LOG_EXEC, MF_LOG_DIR, MF_COUNT
};

/* What becomes of a file under a target backend. */
enum mig_fate {
	FATE_KEEP,		/* the target reads it the same way */
	FATE_TRANSLATE,		/* rewritten for the target */
	FATE_LOST		/* the target has nothing like it */
};

enum logger_kind { LOGGER_NONE, LOGGER_SVLOGD, LOGGER_MULTILOG,
	LOGGER_S6LOG };
enum log_stamp { STAMP_NONE, STAMP_TAI64N, STAMP_HUMAN };

#define LOGLINE_MAX	512
#define LOG_UNROTATED	(-1L)	/* supervisord's maxbytes=0 */

/* A log/run that svx understands: [USER-SWITCH USER] LOGGER ARGS DIR. */
struct logger {
	enum logger_kind kind;
	enum log_stamp	 stamp;
	long		 size;		/* bytes per file; 0: the default;
					 * LOG_UNROTATED: never rotated */
	long		 count;		/* files kept; 0: the default */
	char		 user[64];	/* run as this user; "" as root */
	char		 dir[256];	/* as written: relative to log/ */
	char		 line[LOGLINE_MAX];	/* the exec line, as found */
};

enum finish_style { FINISH_NONE, FINISH_RUNIT, FINISH_S6 };

/* The directory's files: a bit per enum mig_file. */
unsigned int	mig_inventory(int dirfd);
/* log/run parsed: 0, or -1 with why (a form svx does not translate). */
int	logger_parse(const char *text, struct logger *, const char **why);
/* log/run for TARGET into BUF: 0, or -1 if it does not fit. */
int	logger_render(const struct logger *, enum svx_backend target,
	    const char *from_line, char *buf, size_t len);
/* What becomes of the log directory's config (svlogd reads size and
 * count there, the others from their command line). */
enum logger_config {
	LOGCONF_NONE,		/* nothing for it: the target's defaults */
	LOGCONF_WRITE,		/* L's size and count written into it */
	LOGCONF_KEPT,		/* one is there: left as it is, unparsed */
	LOGCONF_OUTSIDE		/* its directory is outside the service */
};
/* Looked at under LOGFD (the service's log/) before anything is
 * written, so the shim can say so, or record it, first. */
enum logger_config logger_config_plan(int logfd, const struct logger *,
	    enum svx_backend target);
/* log/run under LOGFD for TARGET's logger, saying what it replaces
 * (FROM_LINE), then the log directory's config when CONFIG says so: 0,
 * or -1 with errno. Each file atomically (write_file). */
int	logger_write(int logfd, const struct logger *, enum svx_backend target,
	    const char *from_line, enum logger_config config);
/* svlogd keeps size and count in DIR/config: read them into L. 0 (none
 * is fine), or -1 with errno (ENOTPLAIN: a FIFO or device sits there). */
int	logger_read_svlogd_config(int logdirfd, struct logger *);
/* A backend's own logger, and a logger's program name. */
enum logger_kind logger_of_backend(enum svx_backend);
const char *logger_name(enum logger_kind);
/* BACKEND's logger's largest file (0: no bound), and the fewest old
 * files it keeps, whatever it is told. */
long	logger_max_size(enum svx_backend);
long	logger_fewest_kept(enum svx_backend);
/* "setuidgid ", "chpst -u ", "s6-setuidgid ": BACKEND's user switch. */
const char *user_switcher(enum svx_backend);
/* "runit" or "s6": the suffix an original finish is kept under. */
const char *finish_style_name(enum finish_style);
/* Where a finish script's arguments come from, on BACKEND. */
enum finish_style finish_style_of(enum svx_backend);
/* A finish wrapper for a script of style FROM run by TARGET. */
int	finish_wrapper(enum finish_style from, enum finish_style to,
	    const char *orig, char *buf, size_t len);
/* The original a wrapper of ours calls, or NULL if TEXT is not one. */
const char *finish_wrapped(const char *text, char *orig, size_t len,
	    enum finish_style *style);
/*
 * A service whose supervisor ran as a user keeps that user under a
 * target whose supervisor runs as root: run becomes a wrapper that
 * starts the original, kept as RUN_AS_USER_KEPT, through the target's
 * user switch.
 */
#define RUN_AS_USER_KEPT	"run.user"
/* Whether USER can be written into a run script unquoted (a login
 * name: letters, digits, . _ -, not starting with -). */
int	run_user_name_ok(const char *user);
int	run_user_wrapper(enum svx_backend target, const char *user,
	    char *buf, size_t len);
/* Whether TEXT is such a wrapper of svx's. */
int	run_user_wrapped(const char *text);
/* Another user than root and INVOKER owns or can write the directory
 * NAME under ATFD (NULL: ATFD): 1 (its stat in SB), 0, -1 errno. */
struct stat;
int	dir_foreign(int atfd, const char *name, uid_t invoker,
	    struct stat *sb);
/* PATH's directory into OUT, as dirname(3): "/" stays, "x" is ".". */
void	path_dir(const char *path, char *out, size_t len);
/* The largest finish or log/run svx reads and rewrites. */
#define SVFILE_MAX	4096

/* Whole small files, openat from DIRFD. */
ssize_t	read_small(int dirfd, const char *name, int flags, char *buf,
	    size_t len);
/* TEXT into NAME atomically and durably (NAME.new, fsync, rename, fsync
 * of the directory): 0, or -1 with errno and no NAME.new left. */
int	write_file(int dirfd, const char *name, const char *text, int mode);
/* TEXT into NAME, which must not exist, with LIKE's mode (and owner,
 * where svx may), synced with its directory: 0, or -1 and nothing left
 * behind. */
struct stat;
int	write_new_file(int dirfd, const char *name, const char *text,
	    const struct stat *like);

/*
 * svx migrate's traces (shim/migrate/journal.c writes them): the entry
 * of a service hidden from its old scanner meanwhile (.NAME.svx-migrate),
 * and in the service directory, the originals and the journal.
 */
#define MIGRATE_DIR	".svx-migrate"
#define MIGRATE_JOURNAL	"journal"
/* NAME's dot-name while it moves: 0, or -1 when it does not fit. */
int	migrate_hidden_name(const char *name, char *out, size_t len);
/* Whether DIRFD holds a migration's journal: 1, with the backend it
 * goes TO and the last STEP recorded; 0 when none (or unreadable). */
int	migrate_journal_peek(int dirfd, char *to, size_t tolen, char *step,
	    size_t steplen);

#endif
