/*
 * Closing many descriptors at once: one close_range() per run of
 * consecutive numbers (Linux 5.9), one close() each where it is missing.
 */
/* syscall(2), for close_range: Linux, outside POSIX. */
#define _DEFAULT_SOURCE
#include <sys/syscall.h>

#include <stdlib.h>
#include <unistd.h>

#include "adapter.h"

#define FALLBACK_MAX	4096	/* close() one by one, up to here */

static int
by_number(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* LO..HI inclusive. */
static void
close_between(unsigned int lo, unsigned int hi)
{
	if (lo > hi)
		return;
#ifdef SYS_close_range
	if (syscall(SYS_close_range, lo, hi, 0) == 0)
		return;
#endif
	for (; lo <= hi && lo < FALLBACK_MAX; lo++)
		close((int)lo);
}

void
fds_close(int *fds, size_t n)
{
	size_t i, start = 0;

	qsort(fds, n, sizeof(fds[0]), by_number);
	for (i = 1; i <= n; i++) {
		if (i < n && fds[i] == fds[i - 1] + 1)
			continue;
		close_between((unsigned int)fds[start], (unsigned int)fds[i - 1]);
		start = i;
	}
}

void
fds_close_all_but(int *keep, size_t n)
{
	unsigned int lo = 3;
	size_t i;

	qsort(keep, n, sizeof(keep[0]), by_number);
	for (i = 0; i < n; i++) {
		if ((unsigned int)keep[i] > lo)
			close_between(lo, (unsigned int)keep[i] - 1);
		if ((unsigned int)keep[i] >= lo)
			lo = (unsigned int)keep[i] + 1;
	}
	close_between(lo, ~0U);
}
