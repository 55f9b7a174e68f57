/*
 * `svx status DIR/...` over many services, on two CPUs at once.
 *
 * Per service, svx makes the system calls every status tool must make:
 * open the supervisor's FIFO (is it alive?), open and read the status
 * file. Nearly all the time is in the kernel, so one process cannot go
 * much below svstat or sv status; a second process on the second CPU
 * can. A child probes and prints the second half of the services into a
 * pipe while svx does the first half; svx then copies the child's lines
 * after its own, so stdout is the same as one process would write.
 *
 * Only where that is invisible: lines and -o fields (no table widths or
 * JSON commas to share), and where stdout and stderr are not one file
 * that keeps the order of what it is given (the child's error messages
 * reach stderr before svx's own lines are out).
 * The child is put on another CPU than svx: left to the scheduler, it
 * often waited for svx's own CPU and the split was slower than none.
 */
#define _GNU_SOURCE		/* sched_getaffinity, splice: Linux */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listing.h"

#define SPLIT_MIN	256		/* below, a fork costs more than it saves */
#define PIPE_ROOM	(1 << 20)	/* the child's lines, without blocking */
#define RELAY_BUF	(64 * 1024)

/* Exit status of the child: its worst outcome, and whether it was denied. */
#define CHILD_DENIED	0x40

/*
 * Whether anyone could see stderr's messages overtake stdout's lines: the
 * two are one file that keeps what it is given (a terminal, a log, a
 * pipe), not two files, and not a device that drops it all (/dev/null).
 */
static int
order_visible(void)
{
	struct stat so, se;

	if (fstat(STDOUT_FILENO, &so) == -1 || fstat(STDERR_FILENO, &se) == -1)
		return 1;
	if (so.st_dev != se.st_dev || so.st_ino != se.st_ino)
		return 0;
	return !S_ISCHR(so.st_mode) || isatty(STDOUT_FILENO);
}

#ifdef __linux__
/* Another CPU this process may run on than the one it is on, or -1. */
static int
other_cpu(void)
{
	cpu_set_t mask;
	int cpu, here = sched_getcpu();

	if (sched_getaffinity(0, sizeof(mask), &mask) == -1)
		return -1;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (cpu != here && CPU_ISSET(cpu, &mask))
			return cpu;
	return -1;
}

static void
pin_to(int cpu)
{
	cpu_set_t mask;

	CPU_ZERO(&mask);
	CPU_SET(cpu, &mask);
	(void)sched_setaffinity(0, sizeof(mask), &mask);
}

static void
widen_pipe(int fd)
{
	(void)fcntl(fd, F_SETPIPE_SZ, PIPE_ROOM);
}
#else
static int
other_cpu(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 0 : -1;
}

static void
pin_to(int cpu)
{
	(void)cpu;
}

static void
widen_pipe(int fd)
{
	(void)fd;
}
#endif

static int
worth_splitting(const struct listing *l, size_t n)
{
	enum listing_format f = l->opts->format;

	return n >= SPLIT_MIN && (f == FMT_LINES || f == FMT_FIELDS) &&
	    !order_visible();
}

static int
write_all(int fd, const char *buf, size_t len)
{
	ssize_t w;

	while (len > 0) {
		if ((w = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* The child's lines to stdout; splice where the kernel can, else copy. */
static int
relay(int from)
{
	static char buf[RELAY_BUF];
	ssize_t r;

#ifdef __linux__
	while ((r = splice(from, NULL, STDOUT_FILENO, NULL, PIPE_ROOM, 0)) > 0)
		;
	if (r == 0)
		return 0;
	if (errno != EINVAL)
		return -1;	/* EINVAL: stdout cannot take a splice */
#endif
	for (;;) {
		if ((r = read(from, buf, sizeof(buf))) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return 0;
		if (write_all(STDOUT_FILENO, buf, (size_t)r) == -1)
			return -1;
	}
}

static void
child_half(struct listing *l, int out, char *const *args, size_t n,
    const char *svdir, int cpu)
{
	int code;

	pin_to(cpu);
	if (dup2(out, STDOUT_FILENO) == -1)
		_exit(OUT_SYSTEM);
	listing_paths_here(l, args, n, svdir);
	code = l->worst;
	if (fflush(stdout) == EOF || ferror(stdout))
		code = OUT_SYSTEM;
	_exit(code | (l->denied ? CHILD_DENIED : 0));
}

/* OUT_FAILED: svx's own output failed, and the child's with it. */
static void
take_child(struct listing *l, pid_t pid, int out_failed)
{
	int status, code;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			l->worst = OUT_SYSTEM;
			return;
		}
	if (!WIFEXITED(status)) {
		if (out_failed)
			return;	/* the pipe closed under it: SIGPIPE */
		fprintf(stderr, "%s: status: the helper process for the second "
		    "half of the services died\n", getprogname());
		l->worst = OUT_SYSTEM;
		return;
	}
	code = WEXITSTATUS(status);
	if (code & CHILD_DENIED)
		l->denied = 1;
	code &= ~CHILD_DENIED;
	if (code < OUT_COUNT && svx_exits.code[code] > svx_exits.code[l->worst])
		l->worst = (enum svx_outcome)code;
}

/* Whether it ran the listing in two processes; if not, nothing was done. */
static int
split_paths(struct listing *l, char *const *args, size_t n,
    const char *svdir)
{
	size_t half = n / 2;
	int fds[2], cpu, out_failed = 0;
	pid_t pid;

	if (!worth_splitting(l, n) || (cpu = other_cpu()) == -1 ||
	    pipe(fds) == -1)
		return 0;
	widen_pipe(fds[1]);
	fflush(l->out);
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	if (pid == 0) {
		close(fds[0]);
		child_half(l, fds[1], args + half, n - half, svdir, cpu);
	}
	close(fds[1]);
	listing_paths_here(l, args, half, svdir);
	if (fflush(l->out) == EOF)
		out_failed = 1;		/* finish_output() says so */
	else if (relay(fds[0]) == -1) {
		fprintf(stderr, "%s: cannot write output: %s\n", getprogname(),
		    strerror(errno));
		out_failed = 1;
	}
	if (out_failed)
		l->worst = OUT_SYSTEM;
	close(fds[0]);
	take_child(l, pid, out_failed);
	return 1;
}

void
listing_paths(struct listing *l, char *const *args, size_t n,
    const char *svdir)
{
	if (!split_paths(l, args, n, svdir))
		listing_paths_here(l, args, n, svdir);
}
