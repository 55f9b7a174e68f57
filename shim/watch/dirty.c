/*
 * svx watch's dirty list (dirty.h): at most one entry per index, so it
 * never holds more than WATCH_DIRTY_MAX, however often services are
 * removed, their slots reused and marked again within one batch.
 */
#include <string.h>

#include "dirty.h"

void
dirty_clear(struct watch_dirty *d)
{
	memset(d->in, 0, sizeof(d->in));
	d->n = 0;
}

int
dirty_mark(struct watch_dirty *d, size_t i)
{
	if (i >= WATCH_DIRTY_MAX)
		return -1;
	if (d->in[i])
		return 0;
	/* Full only while a walk re-marks what it took: never past idx. */
	if (d->n >= WATCH_DIRTY_MAX)
		return -1;
	d->in[i] = 1;
	d->idx[d->n++] = i;
	return 1;
}

/*
 * Taken in the order marked; an index taken may be marked again (a
 * refresh that follows its supervisor) and is then taken again later
 * in the same walk, after those marked before it.
 */
long
dirty_take(struct watch_dirty *d, size_t *cursor)
{
	size_t i;

	if (*cursor >= d->n) {
		d->n = *cursor = 0;
		return -1;
	}
	i = d->idx[(*cursor)++];
	d->in[i] = 0;
	return (long)i;
}
