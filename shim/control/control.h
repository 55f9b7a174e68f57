/*
 * svx's verbs on services (control.c): what svx VERB SERVICE... and
 * svx migrate's steps run.
 */
#ifndef SVX_CONTROL_H
#define SVX_CONTROL_H

#include <stddef.h>
#include <stdint.h>

#include "../../adapters/engine/service.h"
#include "../../mappings/mappings.h"

#define CONTROL_MAX_FIELDS	16

struct control_opts {
	enum status_field_id fields[CONTROL_MAX_FIELDS];	/* -o */
	size_t		 nfields;
	int		 verbose;
	int64_t		 wait_ms;	/* -1: do not wait */
	int64_t		 deadline_ms;	/* monotonic: wait_ms from the start */
	int64_t		 settle_ms;
	int		 kill_on_timeout;
	const char	*svdir;		/* $SVDIR */
	const char	*supervisedir;	/* $SUPERVISEDIR (encore) */
};

/* ROW's verb on the service NAME, told on stdout/stderr: its outcome. */
enum svx_outcome control_one(const struct verb_row *, const char *name,
	    const struct control_opts *);
/* ROW's verb sent to N services first, then one wait for all of them. */
enum svx_outcome control_wave(const struct verb_row *, char **names,
	    size_t n, const struct control_opts *);
/* The outcome with the larger exit code. */
enum svx_outcome outcome_worse(enum svx_outcome, enum svx_outcome);
/*
 * One verb on one service (a path, or a name such as supervisord:web), as
 * `svx -w SECS --settle MS VERB PATH` does it (its messages included;
 * -v's lines when VERBOSE).
 */
enum svx_outcome svx_run_verb(const char *path, enum svx_verb, int64_t wait_ms,
	    int64_t settle_ms, int verbose);

#endif
