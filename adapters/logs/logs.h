/*
 * A service's log as its logger wrote it (PROTOCOLS.md#log-directories):
 * the directory named in log/run, the files in the order they were
 * written, TAI64N stamps read as local time, and the live file followed
 * across rotations. Silent: lines go to the caller's function.
 */
#ifndef SVX_LOGS_H
#define SVX_LOGS_H

#include <sys/types.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "../adapter.h"
#include "../files/svfiles.h"

/* The longest line handed over whole; longer ones come in pieces. */
#define LOG_LINE_MAX	8192
/* "@" 24 hex digits ".s": the longest name of a log file svx reads. */
#define LOG_NAME_MAX	32

/* The logger a log/run runs, and where it writes. */
struct log_source {
	enum logger_kind kind;
	int		 ndirs;		/* directories it writes; [0] is read */
	char		 dir[PATH_MAX];	/* as written, cd's applied */
	char		 other[PATH_MAX];	/* the second one, when ndirs > 1 */
};

/*
 * TEXT, a log/run script, read: 0, or -1 with why (a phrase). Shell
 * (`exec` optional, user switchers and limiters before the logger, `cd`)
 * and execline scripts.
 */
int	log_source_parse(const char *text, struct log_source *,
	    const char **why);

/* A line's stamp. s6: stamps are skalibs' (TAI, leap seconds counted). */
struct log_stamp_info {
	size_t		 len;		/* bytes of the stamp and its blanks */
	struct svx_stamp at;
};
/* The stamp LINE, written by a logger of KIND, starts with: TAI64N
 * (skalibs' for s6-log), and a date only in the form that logger writes
 * (svlogd's -tt/-ttt, s6-log's T): 1, or 0 when it starts with none. */
int	log_line_stamp(const char *line, size_t len, enum logger_kind kind,
	    struct log_stamp_info *);
/* LINE, written by a logger of KIND, into OUT with its stamp in local
 * time: a TAI64N one as "YYYY-MM-DD HH:MM:SS.NNNNNNNNN", as tai64nlocal
 * (s6-tai64nlocal for s6-log's) prints it; svlogd's UTC -tt/-ttt one as
 * "YYYY-MM-DD HH:MM:SS.xxxxx". Other lines, and s6-log's T (local time
 * already), unchanged. Cut to OUTLEN - 1; its length. */
size_t	log_line_local(const char *line, size_t len, enum logger_kind kind,
	    char *out, size_t outlen);
/* --since's TIME: "YYYY-MM-DD[ HH:MM[:SS]]" (or T between), "HH:MM[:SS]"
 * today, "@UNIX", "-N[smhd]" (ago); local time. 0, or -1. */
int	log_parse_time(const char *arg, int64_t now, int64_t *out);

/* A line (or a piece of one) from the log. */
enum {
	LOG_CONT = 1 << 0,	/* continues the previous piece's line */
	LOG_EOL = 1 << 1	/* ends with a newline (not included) */
};
typedef int (*log_line_fn)(void *ctx, const char *line, size_t len,
    unsigned int flags);

/* Where reading starts: a file of the directory and an offset in it. */
struct log_pos {
	char		 name[LOG_NAME_MAX];	/* "" : the directory's start */
	off_t		 off;
};

/* The reader of one log directory. */
struct log_reader {
	int		 dirfd;
	int		 s6;		/* s6-log's stamps */
	int		 fd;		/* the file being read, or -1 */
	dev_t		 dev;
	ino_t		 ino;
	char		 name[LOG_NAME_MAX];
	int		 ino_fd;	/* inotify, while following */
	int		 broken;	/* the directory went away */
	char		 buf[LOG_LINE_MAX];
	size_t		 have;		/* a line begun, not ended yet */
	int		 cont;		/* buf continues a piece handed over */
	log_line_fn	 fn;
	void		*ctx;
};

/* The log directory DIR (relative to ATFD) opened for reading: 0, or -1
 * with errno. */
int	log_open(struct log_reader *, int atfd, const char *dir, int s6,
	    log_line_fn, void *ctx);
void	log_close(struct log_reader *);
/* Where the last N lines begin (reading files from their ends): 0, or -1
 * with errno. */
int	log_tail_pos(struct log_reader *, long n, struct log_pos *);
/* The first file that may hold a line stamped at or after SINCE (a
 * rotated file is named after the moment it was closed). */
int	log_since_pos(struct log_reader *, int64_t since, struct log_pos *);
/* The later of two starting points. */
const struct log_pos *log_pos_later(const struct log_pos *,
	    const struct log_pos *);
/* Every line from POS on, to the end of `current`: 0, 1 when the line
 * function asked to stop, or -1 with errno. FOLLOW: set up inotify first
 * (so nothing written meanwhile is missed) and keep `current` open. */
int	log_read(struct log_reader *, const struct log_pos *, int follow);
/*
 * What was written since, and after rotations, as it comes: until
 * STOPFD is readable or OUTFD (-1: none) is closed at its other end
 * (0), the directory is removed or renamed (0, r->broken set), the line
 * function asks to stop (1), or an error (-1 with errno). No polling.
 */
int	log_follow(struct log_reader *, int stopfd, int outfd);

#endif
