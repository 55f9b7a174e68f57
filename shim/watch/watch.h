/*
 * svx watch: state changes of many services as they happen (watch.c),
 * one line or one svx.event/1 object each (watch_out.c).
 */
#ifndef SVX_SHIM_WATCH_H
#define SVX_SHIM_WATCH_H

#include <stddef.h>
#include <time.h>

#include "../../adapters/engine/watch.h"
#include "../../mappings/mappings.h"
#include "../common/output.h"

#define WATCH_PATTERNS	32

struct watch_opts {
	int		 all;		/* every scan directory's services */
	int		 json;
	int		 verbose;	/* say on stderr when watching */
	const char	*svdir;
	const char	*supervisedir;
	const char	*patterns[WATCH_PATTERNS];	/* --all's names */
	size_t		 npatterns;
};

/* One change, as printed. */
struct watch_event {
	const char	*service;	/* as named, or the scan entry's name */
	const char	*dir;		/* its parent directory, or NULL */
	const char	*name;		/* its name in DIR */
	const char	*backend;	/* NULL when no supervisor wrote it */
	struct watch_snap was, now;
	struct timespec	 at;		/* when svx saw it (CLOCK_REALTIME) */
};

/* The event as one plain line, or one svx.event/1 object; no newline. */
void	watch_format_line(struct text *, const struct watch_event *);
void	watch_format_json(struct text *, const struct watch_event *);

enum svx_outcome svx_watch(int n, char **args, const struct watch_opts *);

#endif
