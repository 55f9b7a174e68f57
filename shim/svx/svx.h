/*
 * svx's own command line (svx.c) and svx backend-env (backend_env.c).
 */
#ifndef SVX_SVX_H
#define SVX_SVX_H

#include <stdint.h>

#include "../../mappings/mappings.h"

/* svx log's options (log.c). */
struct log_opts {
	long		 lines;		/* -n; -1: all (10 with -f) */
	int		 follow;	/* -f */
	int		 since_set;	/* --since */
	int64_t		 since;		/* unix seconds */
};

int	svx_main(int, char **);
int	log_parse_lines(const char *, struct log_opts *);
int	log_parse_since(const char *, struct log_opts *);
enum svx_outcome svx_log(int n, char **args, const struct log_opts *,
	    const char *svdir);
/* The last LINES of the log of the service open at DIRFD, indented, on
 * stdout; nothing when it has none svx can read. */
void	log_status_lines(int dirfd, long lines);
enum svx_outcome backend_env(int n, char **args, const char *svdir,
	    const char *supervisedir);

#endif
