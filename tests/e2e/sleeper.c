/*
 * sleeper: the service daemontools-encore's own rts.tests run (they call
 * it ../../sleeper; encore's build does not install its copy). It sleeps
 * until a signal comes, says "Caught NAME" on stdout for each, and exits
 * 1 on any but CONT, which the tests send after TERM (svc -d).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static const struct {
	int		 sig;
	const char	*name;
} caught[] = {
	{ SIGALRM, "ALRM" }, { SIGCONT, "CONT" }, { SIGHUP, "HUP" },
	{ SIGINT, "INT" }, { SIGQUIT, "QUIT" }, { SIGTERM, "TERM" },
	{ SIGUSR1, "USR1" }, { SIGUSR2, "USR2" }, { SIGWINCH, "WINCH" },
};
#define NCAUGHT	(sizeof(caught) / sizeof(caught[0]))

/* One write(2) per line: async-signal-safe, and lines stay whole. */
static void
on_signal(int sig)
{
	char line[32] = "Caught ";
	size_t i, len;

	for (i = 0; i < NCAUGHT && caught[i].sig != sig; i++)
		continue;
	if (i == NCAUGHT)
		_exit(1);
	len = strlen(caught[i].name);
	memcpy(line + 7, caught[i].name, len);
	line[7 + len] = '\n';
	(void)!write(STDOUT_FILENO, line, 8 + len);
	if (sig != SIGCONT)
		_exit(1);
}

int
main(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NCAUGHT; i++)
		if (sigaction(caught[i].sig, &sa, NULL) == -1)
			return 111;
	for (;;)
		pause();
}
