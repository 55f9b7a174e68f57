/*
 * svx check: the facts a monitoring check judges, read through the
 * status readers and svx doctor's crash-loop test. Silent; the
 * thresholds and the verdict are mappings/check.c's.
 */
#ifndef SVX_CHECK_H
#define SVX_CHECK_H

#include <stdint.h>
#include <sys/types.h>

#include "../adapter.h"

/* How far the state could be read. */
enum check_read {
	CR_OK,			/* a supervisor runs and its record was read */
	CR_UNSUPERVISED,	/* no supervisor runs on it */
	CR_NOT_SERVICE,		/* no service directory there */
	CR_DENIED,		/* permission denied (svx perms) */
	CR_NOT_ANSWERING,	/* a supervisor runs but does not answer
				 * (supervisord: timed out, or not XML-RPC) */
	CR_UNREADABLE,		/* ambiguous, or a record svx cannot read */
	CR_COUNT
};

struct check_facts {
	enum check_read	 read;
	int		 err;		/* errno behind CR_DENIED etc., or 0 */
	const char	*why;		/* the detector's words, or NULL */
	const char	*backend;	/* its name */
	enum svx_state	 state;
	enum svx_want	 want;
	int		 normally_down;	/* ./down exists (known whenever the
					 * directory was opened) */
	int		 paused;	/* stopped by svx pause (SIGSTOP) */
	pid_t		 pid;
	int64_t		 age;		/* seconds in this state, -1 unknown */
	/* Deaths the supervisor recorded since it started (s6's
	 * death_tally, at most its max-death-tally); -1 where the backend
	 * keeps no count. */
	long		 restarts;
	int		 crash_loop;	/* svx doctor's crash-loop finding */
	int		 deaths;	/* ... its deaths counted */
	int64_t		 over_ms;	/* ... over this long */
};

struct svx_service;
/* An open service's record (read) into F: a directory's, or a source's
 * (a supervisord program). */
void	check_facts_of(const struct svx_service *, struct check_facts *f);
/* PATH (resolved) into F. */
void	check_gather(const char *path, const char *supervisedir,
	    struct check_facts *f);
/* s6's death_tally under SVFD: its records, -1 none kept there. */
long	check_tally_count(int svfd);

#endif
