/*
 * Signal names, for exit reports ("signal SIGTERM") and, later, for
 * personalities that print them the way s6-svstat does.
 */
#include <signal.h>
#include <stddef.h>

#include "mappings.h"

static const struct {
	int		 sig;
	const char	*name;
} signal_rows[] = {
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
	{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
	{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" }, { SIGSTOP, "SIGSTOP" },
	{ SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
	{ SIGURG, "SIGURG" }, { SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" },
	{ SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
	{ SIGWINCH, "SIGWINCH" }, { SIGSYS, "SIGSYS" },
	/* Linux's own, named as skalibs (and so s6-svstat) names them. */
#ifdef SIGSTKFLT
	{ SIGSTKFLT, "SIGSTKFLT" },
#endif
#ifdef SIGPOLL
	{ SIGPOLL, "SIGPOLL" },
#else
	{ SIGIO, "SIGIO" },
#endif
#ifdef SIGPWR
	{ SIGPWR, "SIGPWR" },
#endif
};

/* NULL for a signal number with no name here. */
const char *
signal_name(int sig)
{
	size_t i;

	for (i = 0; i < sizeof(signal_rows) / sizeof(signal_rows[0]); i++)
		if (signal_rows[i].sig == sig)
			return signal_rows[i].name;
	return NULL;
}
