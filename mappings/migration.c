/*
 * svx migrate: what becomes of each file of a service directory under
 * each target backend (PROTOCOLS.md#service-directory-files), and why,
 * for the report.
 * KEEP: the target reads it as the source did. TRANSLATE: svx writes
 * what the target needs (finish wrappers, log/run). LOST: the target has
 * nothing like it; the file stays, unread.
 */
#include "mappings.h"

#define T3(dt, rn, s6) { [BACKEND_DAEMONTOOLS] = dt, [BACKEND_RUNIT] = rn, \
	[BACKEND_S6] = s6 }

const struct mig_rule mig_rules[MF_COUNT] = {
	[MF_RUN] = { "run", T3(FATE_KEEP, FATE_KEEP, FATE_KEEP), NULL },
	[MF_DOWN] = { "down", T3(FATE_KEEP, FATE_KEEP, FATE_KEEP), NULL },
	[MF_FINISH] = { "finish", T3(FATE_LOST, FATE_TRANSLATE,
	    FATE_TRANSLATE), "daemontools runs no finish script; a wrapper "
	    "around run would stand between supervise and the service" },
	[MF_CHECK] = { "check", T3(FATE_LOST, FATE_KEEP, FATE_LOST),
	    "only runit's sv (and svx on runit) runs ./check for readiness" },
	[MF_CONTROL_DIR] = { "control/", T3(FATE_LOST, FATE_KEEP, FATE_LOST),
	    "only runsv runs control/ scripts in place of its signals" },
	[MF_NOTIFICATION_FD] = { "notification-fd", T3(FATE_LOST, FATE_LOST,
	    FATE_KEEP), "only s6 takes readiness notification" },
	[MF_TIMEOUT_KILL] = { "timeout-kill", T3(FATE_LOST, FATE_LOST,
	    FATE_KEEP), "only s6-supervise kills a service that will not "
	    "stop" },
	[MF_TIMEOUT_FINISH] = { "timeout-finish", T3(FATE_LOST, FATE_LOST,
	    FATE_KEEP), "only s6-supervise bounds the finish script" },
	[MF_DOWN_SIGNAL] = { "down-signal", T3(FATE_LOST, FATE_LOST,
	    FATE_KEEP), "the target stops services with SIGTERM only" },
	[MF_MAX_DEATH_TALLY] = { "max-death-tally", T3(FATE_LOST, FATE_LOST,
	    FATE_KEEP), "only s6 counts deaths" },
	[MF_LOCK_FD] = { "lock-fd", T3(FATE_LOST, FATE_LOST, FATE_KEEP),
	    "only s6-supervise takes the service lock" },
	[MF_START] = { "start", T3(FATE_LOST, FATE_LOST, FATE_LOST),
	    "only daemontools-encore runs ./start" },
	[MF_STOP] = { "stop", T3(FATE_LOST, FATE_LOST, FATE_LOST),
	    "only daemontools-encore runs ./stop" },
	[MF_NOTIFY] = { "notify", T3(FATE_LOST, FATE_LOST, FATE_LOST),
	    "only daemontools-encore runs ./notify" },
	[MF_LOG_EXEC] = { "log (a program)", T3(FATE_LOST, FATE_LOST,
	    FATE_LOST), "only daemontools-encore runs an executable ./log; "
	    "the others want a log/ directory" },
	[MF_LOG_DIR] = { "log/", T3(FATE_KEEP, FATE_KEEP, FATE_KEEP), NULL },
};

/* The supervisor svx starts for a service of its own, per backend. */
const char *const mig_supervisor[BACKEND_DIR_COUNT] = {
	[BACKEND_DAEMONTOOLS] = "supervise", [BACKEND_ENCORE] = "supervise",
	[BACKEND_RUNIT] = "runsv",
	[BACKEND_S6] = "s6-supervise",
};
