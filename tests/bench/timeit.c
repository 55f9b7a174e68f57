/*
 * timeit [-n N] [-s SETUP] [-r RESET] -- CMD [ARG...]: run SETUP once
 * (untimed, through /bin/sh), then N times: CMD timed from fork to exit,
 * then RESET (untimed). Prints "median_us min_us max_us fails maxrss_kb"
 * (the largest resident size any run of CMD reached).
 * The benchmark's harness: commands are exec'd directly, no shell in the
 * timed part, so the figures are the commands' own.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS	1000

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

static int
run(char **argv, long long *us)
{
	long long t0 = now_us();
	pid_t pid;
	int st;

	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	*us = now_us() - t0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

static int
cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static long long t[MAX_RUNS];
	struct rusage ru;
	const char *setup = NULL, *reset = NULL;
	int c, n = 10, i, fails = 0;

	while ((c = getopt(argc, argv, "+n:s:r:")) != -1) {
		if (c == 'n')
			n = atoi(optarg);
		else if (c == 's')
			setup = optarg;
		else if (c == 'r')
			reset = optarg;
		else
			return 100;
	}
	if (optind >= argc || n < 1 || n > MAX_RUNS)
		return 100;
	if (setup != NULL && shell(setup) != 0)
		return 111;
	for (i = 0; i < n; i++) {
		fails += run(argv + optind, &t[i]);
		if (reset != NULL && shell(reset) != 0)
			return 111;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("%lld %lld %lld %d %ld\n", t[n / 2], t[0], t[n - 1], fails,
	    ru.ru_maxrss);
	return 0;
}
