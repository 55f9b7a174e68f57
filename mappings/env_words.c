/*
 * `svx backend-env`: the SVC_BACKEND file of tokiclover's supervision
 * framework (written by its sv-config), with svx as the command for every
 * backend. The framework runs `$__SVCCMD__ $__SIGxxx__ DIR`; svx's verbs
 * take the same place as svc's letters and sv's words, so its scripts
 * keep working whichever supervisor owns DIR. A signal word is printed
 * only where the backend can do it, as sv-config leaves out -q, -1 and -2
 * for daemontools.
 */
#include <stddef.h>

#include "mappings.h"

const struct env_word backend_env_words[] = {
	{ "__SIGSTRT__", VERB_UP },
	{ "__SIGSTOP__", VERB_DOWN },
	{ "__SIGONCE__", VERB_ONCE },
	{ "__SIGPAUS__", VERB_PAUSE },
	{ "__SIGCONT__", VERB_CONT },
	{ "__SIGHUP__", VERB_HUP },
	{ "__SIGALRM__", VERB_ALARM },
	{ "__SIGINT__", VERB_INTERRUPT },
	{ "__SIGTERM__", VERB_TERM },
	{ "__SIGKILL__", VERB_KILL },
	{ "__SIGEXIT__", VERB_EXIT },
	{ "__SIGQUIT__", VERB_QUIT },
	{ "__SIGUSR1__", VERB_USR1 },
	{ "__SIGUSR2__", VERB_USR2 },
	{ "__SIGRELD__", VERB_HUP },	/* runit's "reload" is sv's hup */
};
const size_t backend_env_nwords =
    sizeof(backend_env_words) / sizeof(backend_env_words[0]);

/*
 * __SV_NAM__, the programs sv-config looks up on PATH, and the svx
 * personalities that answer the framework's check and status commands
 * (sv-config's svok / sv check / s6-svok, svstat / sv / s6-svstat).
 */
const struct env_backend backend_env_programs[BACKEND_COUNT] = {
	[BACKEND_DAEMONTOOLS] = { "daemontools", "svscan", "multilog", NULL,
	    "svok", "", "svstat" },
	[BACKEND_ENCORE] = { "daemontools-encore", "svscan", "multilog",
	    NULL, "svok", "", "svstat" },
	[BACKEND_RUNIT] = { "runit", "runsvdir", "svlogd", NULL, "sv",
	    " check", "sv" },
	[BACKEND_S6] = { "s6", "s6-svscan", "s6-log", "s6-svscanctl -an",
	    "s6-svok", "", "s6-svstat" },
};
