/*
 * timeit [-n N] [-o null|pipe] [-s SETUP] [-r RESET] -- CMD [ARG...]
 *     [--vs CMD2 [ARG...]]
 *
 * Runs SETUP once (untimed, through /bin/sh), then N times: CMD timed
 * from fork to exit, then RESET (untimed). With --vs, CMD and CMD2 run
 * in turn (CMD, RESET, CMD2, RESET, CMD, ...), so that a machine whose
 * speed drifts during the call moves both alike.
 *
 * Prints one line per command:
 *     median_wall_us min_us max_us fails maxrss_kb median_cpu_us
 * (maxrss: the largest resident size any run of that command reached,
 * as wait4 reports it). With --vs, a
 * third line: the median over the pairs of CMD2's wall time / CMD's,
 * then of its CPU time / CMD's.
 *
 * CPU time is user + system of the whole process tree: timeit is a child
 * subreaper (Linux), so every descendant is reaped by the command or by
 * timeit, and its time is in RUSAGE_CHILDREN, read before and after each
 * run. The wall time ends when the command has exited and, with -o pipe,
 * its output has been read to the end.
 *
 * -o null (the default): stdout and stderr are /dev/null. -o pipe:
 * stdout is a pipe that timeit reads and throws away, as `| cat` would;
 * stderr is /dev/null (a terminal in real use: another file than stdout).
 *
 * The benchmark's harness: commands are exec'd directly, no shell in the
 * timed part, so the figures are the commands' own.
 */
#define _GNU_SOURCE		/* prctl: Linux */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS	1000

struct sample {
	long long	wall[MAX_RUNS];
	long long	cpu[MAX_RUNS];
	long		maxrss;
	int		fails;
};

static int
shell(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long
tv_us(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

static long long
children_cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return tv_us(ru.ru_utime) + tv_us(ru.ru_stime);
}

static void
drain(int fd)
{
	static char buf[64 * 1024];
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) != 0)
		if (r == -1 && errno != EINTR)
			return;
}

/* One timed run; 1 if the command failed. */
static int
run(char **argv, int to_pipe, long long *wall, long long *cpu, long *maxrss)
{
	struct rusage ru;
	long long t0, c0;
	int fds[2] = { -1, -1 }, st, ok;
	pid_t pid;

	if (to_pipe && pipe(fds) == -1)
		return 1;
	c0 = children_cpu_us();
	t0 = now_us();
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(to_pipe ? fds[1] : null, 1);
		dup2(null, 2);
		if (to_pipe) {
			close(fds[0]);
			close(fds[1]);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (to_pipe) {
		close(fds[1]);
		if (pid != -1)
			drain(fds[0]);
		close(fds[0]);
	}
	if (pid == -1)
		return 1;
	while (wait4(pid, &st, 0, &ru) == -1 && errno == EINTR)
		;
	*wall = now_us() - t0;
	if (ru.ru_maxrss > *maxrss)
		*maxrss = ru.ru_maxrss;
	ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	/* What the command left behind came to us: wait for it, count it. */
	while (wait(NULL) != -1 || errno == EINTR)
		;
	*cpu = children_cpu_us() - c0;
	return !ok;
}

static int
cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of the pairs' ratios b / a. */
static double
pair_ratio(const long long *a, const long long *b, int n)
{
	static double r[MAX_RUNS];
	int i;

	for (i = 0; i < n; i++)
		r[i] = a[i] > 0 ? (double)b[i] / (double)a[i] : 0;
	qsort(r, (size_t)n, sizeof(r[0]), cmpd);
	return r[n / 2];
}

static void
report(struct sample *s, int n)
{
	static long long w[MAX_RUNS], c[MAX_RUNS];

	memcpy(w, s->wall, sizeof(w[0]) * (size_t)n);
	memcpy(c, s->cpu, sizeof(c[0]) * (size_t)n);
	qsort(w, (size_t)n, sizeof(w[0]), cmp);
	qsort(c, (size_t)n, sizeof(c[0]), cmp);
	printf("%lld %lld %lld %d %ld %lld\n", w[n / 2], w[0], w[n - 1],
	    s->fails, s->maxrss, c[n / 2]);
}

int
main(int argc, char **argv)
{
	static struct sample a, b;
	char **cmd, **vs = NULL;
	const char *setup = NULL, *reset = NULL;
	int c, n = 10, i, to_pipe = 0;

	while ((c = getopt(argc, argv, "+n:o:s:r:")) != -1) {
		if (c == 'n')
			n = atoi(optarg);
		else if (c == 'o' && strcmp(optarg, "pipe") == 0)
			to_pipe = 1;
		else if (c == 'o' && strcmp(optarg, "null") == 0)
			to_pipe = 0;
		else if (c == 's')
			setup = optarg;
		else if (c == 'r')
			reset = optarg;
		else
			return 100;
	}
	if (optind >= argc || n < 1 || n > MAX_RUNS)
		return 100;
	cmd = argv + optind;
	for (i = optind; i < argc; i++)
		if (strcmp(argv[i], "--vs") == 0) {
			argv[i] = NULL;
			vs = argv + i + 1;
			break;
		}
	if (cmd[0] == NULL || (vs != NULL && vs[0] == NULL))
		return 100;
#ifdef __linux__
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
	if (setup != NULL && shell(setup) != 0)
		return 111;
	for (i = 0; i < n; i++) {
		a.fails += run(cmd, to_pipe, &a.wall[i], &a.cpu[i], &a.maxrss);
		if (reset != NULL && shell(reset) != 0)
			return 111;
		if (vs == NULL)
			continue;
		b.fails += run(vs, to_pipe, &b.wall[i], &b.cpu[i], &b.maxrss);
		if (reset != NULL && shell(reset) != 0)
			return 111;
	}
	report(&a, n);
	if (vs != NULL) {
		report(&b, n);
		printf("%.3f %.3f\n", pair_ratio(a.wall, b.wall, n),
		    pair_ratio(a.cpu, b.cpu, n));
	}
	return 0;
}
