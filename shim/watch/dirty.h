/*
 * svx watch's dirty list: the services an event batch named, each once,
 * read again when the batch is done (watch.c). A set of slot indexes
 * below WATCH_DIRTY_MAX, kept apart from the slots themselves so that a
 * slot emptied and filled again inside one batch is still in it once:
 * its membership follows the index, not the service (the caller reads
 * only slots still in use).
 */
#ifndef SVX_SHIM_WATCH_DIRTY_H
#define SVX_SHIM_WATCH_DIRTY_H

#include <stddef.h>

#define WATCH_DIRTY_MAX	4096

struct watch_dirty {
	size_t		 idx[WATCH_DIRTY_MAX];	/* in the order marked */
	unsigned char	 in[WATCH_DIRTY_MAX];	/* idx holds it */
	size_t		 n;
};

void	dirty_clear(struct watch_dirty *);
/* I marked: 1 when it was not yet, 0 when it was, -1 out of range. */
int	dirty_mark(struct watch_dirty *, size_t i);
/* The next index marked, taken out of the set; -1 when none is left. */
long	dirty_take(struct watch_dirty *, size_t *cursor);

#endif
