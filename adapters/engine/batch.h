/*
 * Many services at once, with as few system calls as the facts allow
 * (status --all, svx status DIR/...): see batch.c.
 */
#ifndef SVX_BATCH_H
#define SVX_BATCH_H

#include "../adapter.h"
#include "detect.h"

#define BATCH_MAX	256	/* directories probed before one check */

enum supervisor_state { SUP_RUNNING, SUP_ABSENT, SUP_UNKNOWN };

struct batch_probe {
	int		 parentfd;	/* the directory that holds name */
	const char	*name;		/* "web", or "web/log" */
	int		 log_of;	/* index of the main entry, or -1 */
	/* results */
	struct svx_detect det;		/* evidence and verdict */
	struct svx_status st;
	int		 status_ok;
	enum supervisor_state supervisor;
	int		 normally_down;
	int		 has_log_dir;
	int		 live_fd;	/* FIFO write end kept for the check */
	int		 status_fd;	/* closed with the batch */
	int		 missing;	/* errno: no such directory, or 0 */
	int		 extra;		/* system calls beyond the usual */
	/* A row read from a source (a supervisord program; model.h):
	 * its own state word, and whether it is flapping, as it says. */
	const char	*native_state;
	int		 said_flapping;
};

void	batch_run(struct batch_probe *, size_t n);
int	batch_recent_deaths(int parentfd, const char *name,
	    int64_t since_unix, const char **kind, int *last_wstat);

#endif
