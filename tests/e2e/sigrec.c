/*
 * The test service: records every signal it receives, one line each, so
 * a test can prove that a verb reached the process.
 *
 *   sigrec LOG            run: log "start PID", then "SIGNAME PID" per
 *                         signal. TERM ends it unless ./ignore-term exists.
 *                         With ./one-copy, it holds LOG.lock (flock) while
 *                         it runs, and a second copy logs "overlap PID"
 *                         and exits 1: two copies at once are on record.
 *                         It also says "start PID" on stdout, for a log/.
 *                         With ./notification-fd (s6), report readiness
 *                         on that fd once running, unless ./not-ready.
 *   sigrec -x CODE        exit with CODE at once (a crashing service)
 *   sigrec -f LOG ARGS... finish script: log "finish PID ARGS", then wait for
 *                         ./release to exist (at most 30 s) and exit 0.
 *
 * Lines are written with one write(2) on an O_APPEND descriptor, which is
 * async-signal-safe and keeps lines whole.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int logfd = -1;
static char pidtext[24];
static volatile sig_atomic_t ignore_term;

static const struct {
	int		 sig;
	const char	*name;
} recorded[] = {
	{ SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" },
	{ SIGUSR1, "USR1" }, { SIGUSR2, "USR2" }, { SIGALRM, "ALRM" },
	{ SIGWINCH, "WINCH" }, { SIGCONT, "CONT" }, { SIGTERM, "TERM" },
};

static void
log_line(const char *word)
{
	char line[64];
	size_t n = strlen(word), m = strlen(pidtext);

	if (n + m + 2 > sizeof(line))
		return;
	memcpy(line, word, n);
	line[n] = ' ';
	memcpy(line + n + 1, pidtext, m);
	line[n + 1 + m] = '\n';
	(void)write(logfd, line, n + m + 2);
}

static void
on_signal(int sig)
{
	size_t i;

	for (i = 0; i < sizeof(recorded) / sizeof(recorded[0]); i++)
		if (recorded[i].sig == sig)
			log_line(recorded[i].name);
	if (sig == SIGTERM && !ignore_term)
		_exit(0);
}

static void
notify_ready(void)
{
	char buf[16];
	ssize_t r;
	int fd, nfd;

	if (access("not-ready", F_OK) == 0)
		return;
	fd = open("notification-fd", O_RDONLY);
	if (fd == -1)
		return;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return;
	buf[r] = '\0';
	nfd = atoi(buf);
	if (write(nfd, "\n", 1) == 1)
		close(nfd);
}

/* LOG.lock, held until the process ends (the descriptor stays open). */
static int
hold_lock(const char *log)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s.lock", log);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) == -1)
		return -1;
	return flock(fd, LOCK_EX | LOCK_NB);
}

static int
run(const char *log)
{
	struct sigaction sa;
	struct stat sb;
	size_t i;

	logfd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (logfd == -1)
		return 111;
	snprintf(pidtext, sizeof(pidtext), "%ld", (long)getpid());
	ignore_term = stat("ignore-term", &sb) == 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(recorded) / sizeof(recorded[0]); i++)
		sigaction(recorded[i].sig, &sa, NULL);
	if (stat("one-copy", &sb) == 0 && hold_lock(log) == -1) {
		log_line("overlap");
		return 1;
	}
	log_line("start");
	signal(SIGPIPE, SIG_IGN);	/* a logger gone must not end it */
	printf("start %s\n", pidtext);
	fflush(stdout);
	notify_ready();
	for (;;)
		pause();
}

static int
finish(const char *log, int argc, char **argv)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	char line[256];
	struct stat sb;
	int i, fd;

	fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd == -1)
		return 111;
	snprintf(line, sizeof(line), "finish %ld", (long)getpid());
	for (i = 0; i < argc; i++) {
		strlcat(line, " ", sizeof(line));
		strlcat(line, argv[i], sizeof(line));
	}
	strlcat(line, "\n", sizeof(line));
	(void)write(fd, line, strlen(line));
	for (i = 0; i < 3000 && stat("release", &sb) == -1; i++)
		nanosleep(&tick, NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "-x") == 0)
		return atoi(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "-f") == 0)
		return finish(argv[2], argc - 3, argv + 3);
	if (argc == 2)
		return run(argv[1]);
	fprintf(stderr, "usage: sigrec LOG | sigrec -x CODE | "
	    "sigrec -f LOG ARGS...\n");
	return 100;
}
