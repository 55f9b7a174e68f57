/*
 * launch [-o LOG] [-C DIR] PROG [ARG...]: start PROG in a new session with
 * every signal at its default disposition and none blocked, print its pid,
 * and return once exec has succeeded.
 *
 * Tests start supervisors through this, never with `&`: a non-interactive
 * shell leaves SIGINT and SIGQUIT ignored in background jobs, supervisors
 * do not reset inherited dispositions, and the service would never see
 * those signals (PROTOCOLS.md#inherited-signals).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	/* NSIG is not POSIX; 64 covers Linux real-time signals too. */
	for (sig = 1; sig <= 64; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void
child(int report, const char *log, const char *dir, char **argv)
{
	int fd, err;

	setsid();
	reset_signals();
	fd = open("/dev/null", O_RDONLY);
	if (fd != -1 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	fd = open(log != NULL ? log : "/dev/null",
	    O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd != -1) {
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (dir != NULL && chdir(dir) == -1) {
		err = errno;
		(void)write(report, &err, sizeof(err));
		_exit(111);
	}
	execvp(argv[0], argv);
	err = errno;
	(void)write(report, &err, sizeof(err));
	_exit(111);
}

int
main(int argc, char **argv)
{
	const char *log = NULL, *dir = NULL;
	int p[2], err, c;
	ssize_t r;
	pid_t pid;

	while ((c = getopt(argc, argv, "+o:C:")) != -1) {
		if (c == 'o')
			log = optarg;
		else if (c == 'C')
			dir = optarg;
		else
			return 100;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: launch [-o log] [-C dir] prog [arg...]\n");
		return 100;
	}
	if (pipe(p) == -1 || fcntl(p[1], F_SETFD, FD_CLOEXEC) == -1)
		return 111;
	pid = fork();
	if (pid == -1)
		return 111;
	if (pid == 0) {
		close(p[0]);
		child(p[1], log, dir, argv + optind);
	}
	close(p[1]);
	r = read(p[0], &err, sizeof(err));
	if (r == (ssize_t)sizeof(err)) {
		fprintf(stderr, "launch: %s: %s\n", argv[optind], strerror(err));
		return 111;
	}
	printf("%ld\n", (long)pid);
	return 0;
}
