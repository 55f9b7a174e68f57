/*
 * linestamp: each line of stdin to stdout, after the time it was read
 * (CLOCK_REALTIME, microseconds since the epoch) and a space: how the
 * watch suite and make bench time when svx watch's line arrives.
 */
#include <sys/uio.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
main(void)
{
	char buf[65536], head[32];
	struct iovec iov[2];
	size_t have = 0, start;
	ssize_t r;
	char *nl;
	long long at;

	while ((r = read(0, buf + have, sizeof(buf) - have)) > 0) {
		at = now_us();
		have += (size_t)r;
		start = 0;
		while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
			/* One write a line: a reader never sees half of one. */
			snprintf(head, sizeof(head), "%lld ", at);
			iov[0].iov_base = head;
			iov[0].iov_len = strlen(head);
			iov[1].iov_base = buf + start;
			iov[1].iov_len = (size_t)(nl - buf) + 1 - start;
			if (writev(1, iov, 2) == -1)
				return 1;
			start = (size_t)(nl - buf) + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == sizeof(buf))	/* a line longer than buf */
			have = 0;
	}
	return 0;
}
