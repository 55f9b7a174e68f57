/*
 * `svx backend-env`: the backend file of tokiclover's supervision
 * framework (written by its sv-config), with svx as the command for every
 * backend. The framework runs `eval $__SVCCMD__ $__SIGxxx__ DIR`; svx's
 * verbs take the same place as svc's letters and sv's words, so its
 * scripts keep working whichever supervisor owns DIR. A signal word is
 * printed only where the backend can do it, as sv-config leaves out -q,
 * -1 and -2 for daemontools.
 */
#include <stddef.h>

#include "mappings.h"

#define CUR	LAYOUT_BIT(LAYOUT_CURRENT)

/*
 * Today's sv-config (src/sv-config.c) writes __SIGONCE__ and __SIGPAUS__,
 * while the scripts that source the file, and the SV-CONFIG it ships,
 * name __SIGSONCE__ and __SIGPAUSE__ (the old shell sv-config's names):
 * the current layout carries both spellings, so either reader finds it.
 */
const struct env_word backend_env_words[] = {
	{ "__SIGSTRT__", VERB_UP, LAYOUT_ALL },
	{ "__SIGSTOP__", VERB_DOWN, LAYOUT_ALL },
	{ "__SIGONCE__", VERB_ONCE, CUR },
	{ "__SIGSONCE__", VERB_ONCE, LAYOUT_ALL },
	{ "__SIGPAUS__", VERB_PAUSE, CUR },
	{ "__SIGPAUSE__", VERB_PAUSE, LAYOUT_ALL },
	{ "__SIGCONT__", VERB_CONT, LAYOUT_ALL },
	{ "__SIGHUP__", VERB_HUP, LAYOUT_ALL },
	{ "__SIGALRM__", VERB_ALARM, LAYOUT_ALL },
	{ "__SIGINT__", VERB_INTERRUPT, LAYOUT_ALL },
	{ "__SIGTERM__", VERB_TERM, LAYOUT_ALL },
	{ "__SIGKILL__", VERB_KILL, LAYOUT_ALL },
	{ "__SIGEXIT__", VERB_EXIT, LAYOUT_ALL },
	{ "__SIGQUIT__", VERB_QUIT, LAYOUT_ALL },
	{ "__SIGUSR1__", VERB_USR1, LAYOUT_ALL },
	{ "__SIGUSR2__", VERB_USR2, LAYOUT_ALL },
	{ "__SIGRELD__", VERB_HUP, LAYOUT_ALL },	/* runit's "reload" is sv's hup */
};
const size_t backend_env_nwords =
    sizeof(backend_env_words) / sizeof(backend_env_words[0]);

/*
 * The file's name is the argument that asks for its layout. The waits
 * are in seconds (svx -w), under each layout's variable names; the run
 * directory is what sv-config writes for s6's rescan, expanded by the
 * framework's eval, for when no running s6-svscan can be found.
 */
const struct env_layout_row backend_env_layouts[LAYOUT_COUNT] = {
	[LAYOUT_CURRENT] = { "SV-CONFIG", "${SV_LIBDIR}/sh/SV-CONFIG",
	    "-w ${SVC_TIMEOUT_UP:-${SV_TIMEOUT_UP:-10}} up",
	    "-w ${SVC_TIMEOUT_DOWN:-${SV_TIMEOUT_DOWN:-30}} down",
	    "${SV_RUNDIR}" },
	[LAYOUT_OLD] = { "SVC_BACKEND", "${SV_SVCDIR}/.opt/SVC_BACKEND",
	    "-w ${SVC_WAIT_UP:-10} up", "-w ${SVC_WAIT_DOWN:-10} down",
	    "${SV_RUNDIR}" },
};

/*
 * __SV_NAM__, the programs sv-config looks up on PATH (runit's chpst as
 * __PRECMD__, which the framework's run script uses for gettys), the
 * rescan it writes (s6: s6-svscanctl on the scan directory; runit: CONT
 * to the runsvdir whose pid file the framework's sv-init.sh writes;
 * svscan takes none), and the svx personalities that answer the
 * framework's check and status commands (sv-config's svok / sv check /
 * s6-svok, svstat / sv / s6-svstat).
 */
const struct env_backend backend_env_programs[BACKEND_DIR_COUNT] = {
	[BACKEND_DAEMONTOOLS] = { "daemontools", "svscan", "multilog", NULL,
	    NULL, NULL, 0, "svok", "", "svstat" },
	[BACKEND_ENCORE] = { "daemontools-encore", "svscan", "multilog",
	    NULL, NULL, NULL, 0, "svok", "", "svstat" },
	[BACKEND_RUNIT] = { "runit", "runsvdir", "svlogd", "chpst", "pkill",
	    " -CONT -F ${SV_TMPDIR}/runsvdir.pid", 0, "sv", " check", "sv" },
	[BACKEND_S6] = { "s6", "s6-svscan", "s6-log", NULL, "s6-svscanctl",
	    " -an", 1, "s6-svok", "", "s6-svstat" },
};
