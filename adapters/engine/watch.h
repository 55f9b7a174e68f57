/*
 * svx watch's view of a service (watch.c): the few states a watcher
 * reports, taken from what service_refresh read, and whether a new
 * reading is news. Silent; shim/watch/ prints.
 */
#ifndef SVX_WATCH_H
#define SVX_WATCH_H

#include <sys/types.h>

#include "../adapter.h"
#include "service.h"

/* What svx watch reports; words in mappings/watch_words.c. */
enum watch_state {
	WS_ABSENT = 0,		/* no such directory (added, removed) */
	WS_UNSUPERVISED,	/* no supervisor alive */
	WS_UNKNOWN,		/* cannot tell: supervise/ unreadable (not
				   root), or evidence that contradicts itself */
	WS_DOWN,
	WS_STARTING,		/* encore's ./start */
	WS_UP,
	WS_READY,		/* up, and the service said it is ready */
	WS_PAUSED,
	WS_FINISHING,		/* ./finish (runit, s6), encore's ./stop */
	WS_STOPPING,		/* encore: TERM sent, not dead yet */
	WS_FAILED,		/* encore: for good */
	WS_COUNT
};

struct watch_snap {
	enum watch_state state;
	pid_t		 pid;		/* the service's, 0 if none */
	int		 wstat;		/* the last death's, -1 unknown */
	struct svx_stamp since;		/* the record's last transition */
	int		 unrecorded;	/* a death seen before its record:
					   no since, no wstat yet */
};

/*
 * SV's state now, as watch reports it (after service_refresh): 1; or 0
 * when its supervisor runs but has not written a state yet, and the
 * last one reported stands (S says unknown, for a first reading).
 */
int	watch_snap_take(const struct svx_service *, struct watch_snap *);
/* A snapshot of no directory at all. */
void	watch_snap_absent(struct watch_snap *);
/*
 * 1 when NOW is news after WAS: another state, another process, or the
 * record's stamp moved (a run came and went between two readings).
 */
int	watch_snap_changed(const struct watch_snap *was,
	    const struct watch_snap *now);
/* The pid of SV's supervisor when it can be found, else 0. */
pid_t	watch_supervisor_pid(const struct svx_service *);
/*
 * inotify's NAME under a control directory: 1 when it is the status
 * file being replaced or rewritten, the only one that says a state.
 */
int	watch_is_status_file(const char *name);

#endif
