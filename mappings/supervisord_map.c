/*
 * supervisord onto svx's model: its XML-RPC faults and failed calls as
 * svx outcomes and words, and what svx migrate makes of each of its
 * options. The verbs it can do, and its process states, are the
 * adapter's (adapters/backends/supervisord.c, sd_proc_unpack), as the
 * wait engine judges them.
 */
#include <stddef.h>

#include "mappings.h"

/* supervisord's fault codes, as svx outcomes (PROTOCOLS.md#supervisord). */
const struct sd_fault_row sd_faults[] = {
	{ 6, OUT_SYSTEM, "supervisord is shutting down" },
	{ 10, OUT_NOT_SUPERVISED, "no such program" },
	{ 11, OUT_UNSUPPORTED, "supervisord refused the signal" },
	{ 20, OUT_SYSTEM, "the command does not exist" },
	{ 21, OUT_SYSTEM, "the command is not executable" },
	{ 30, OUT_SYSTEM, "failed" },
	{ 40, OUT_FALSE, "ended abnormally" },
	{ 50, OUT_FALSE, "could not be spawned" },
	/* The goal holds: taken as done where a call meets them. */
	{ SD_FAULT_ALREADY_STARTED, OUT_OK, NULL },
	{ SD_FAULT_NOT_RUNNING, OUT_OK, NULL },
};
const size_t sd_nfaults = sizeof(sd_faults) / sizeof(sd_faults[0]);

/* restart, when the program took longer to stop than the bound; its
 * state follows. */
const char sd_still_stopping[] = "timed out waiting for it to stop "
    "(restart): nothing started; now ";

/* What went wrong reaching supervisord: the outcome, and the words
 * around its socket's path in the message. */
const struct sd_result_row sd_results[] = {
	[SD_NO_SOCKET] = { OUT_NOT_SUPERVISED, "no supervisord socket at ",
	    " (set SVX_SUPERVISORD_SOCKET)" },
	[SD_DENIED] = { OUT_SYSTEM, "permission denied on ", ": run svx as "
	    "the socket's owner, or see [unix_http_server] chown/chmod" },
	[SD_NOT_LISTENING] = { OUT_NOT_SUPERVISED, "supervisord not running "
	    "(nothing listens on ", ")" },
	[SD_TIMEOUT] = { OUT_SYSTEM, "supervisord not responding on ", "" },
	/* No path to show: the socket's is cut off (it is left empty). */
	[SD_SOCKET_PATH] = { OUT_SYSTEM, "supervisord's socket path is too "
	    "long for a UNIX socket (108 bytes)", "; set "
	    "SVX_SUPERVISORD_SOCKET" },
	[SD_PROTOCOL] = { OUT_SYSTEM, "the answer on ", " is not XML-RPC svx "
	    "reads" },
};

#define ALL3(f)		{ [BACKEND_DAEMONTOOLS] = f, [BACKEND_RUNIT] = f, \
	[BACKEND_S6] = f }
#define EACH(dt, rn, s6) { [BACKEND_DAEMONTOOLS] = dt, [BACKEND_RUNIT] = rn, \
	[BACKEND_S6] = s6 }
#define SAME3(s)	EACH(s, s, s)

const struct sd_option_rule sd_option_rules[SDO_COUNT] = {
	[SDO_COMMAND] = { "command", ALL3(FATE_TRANSLATE),
	    SAME3("run execs it, split into words as supervisord splits "
	    "them"), NULL },
	[SDO_DIRECTORY] = { "directory", ALL3(FATE_TRANSLATE),
	    SAME3("run changes into it first"), NULL },
	[SDO_USER] = { "user", ALL3(FATE_TRANSLATE), EACH("run: setuidgid",
	    "run: chpst -u", "run: s6-setuidgid"), NULL },
	[SDO_ENVIRONMENT] = { "environment", ALL3(FATE_TRANSLATE),
	    SAME3("run exports each variable"), NULL },
	[SDO_UMASK] = { "umask", ALL3(FATE_TRANSLATE), SAME3("run sets it"),
	    NULL },
	[SDO_AUTOSTART] = { "autostart=false", ALL3(FATE_TRANSLATE),
	    SAME3("./down: not started when its supervisor starts"), NULL },
	[SDO_STDOUT_LOG] = { "stdout_logfile", ALL3(FATE_TRANSLATE),
	    EACH("log/run: multilog into log/main, rotated at "
	    "stdout_logfile_maxbytes (at most 16 MiB: multilog's limit), "
	    "stdout_logfile_backups kept", "log/run: svlogd into log/main, "
	    "rotated at stdout_logfile_maxbytes, stdout_logfile_backups kept "
	    "(log/main/config)", "log/run: s6-log into log/main, rotated at "
	    "stdout_logfile_maxbytes, stdout_logfile_backups kept"), NULL },
	[SDO_STDERR_LOG] = { "stderr", ALL3(FATE_TRANSLATE),
	    SAME3("into the same log as stdout: one logger per service"),
	    NULL },
	[SDO_STDERR_FILE] = { "stderr_logfile", ALL3(FATE_LOST), { NULL },
	    "a service has one logger: stderr goes into log/main with "
	    "stdout" },
	[SDO_SYSLOG] = { "syslog", ALL3(FATE_LOST), { NULL },
	    "svx writes no syslog bridge: the output goes to log/main" },
	[SDO_STOPSIGNAL] = { "stopsignal", EACH(FATE_LOST, FATE_TRANSLATE,
	    FATE_TRANSLATE), EACH(NULL, "control/t sends it in place of "
	    "SIGTERM (on down and term alike)", "down-signal"), "supervise stops a service with "
	    "SIGTERM only" },
	[SDO_STOPWAITSECS] = { "stopwaitsecs", EACH(FATE_LOST, FATE_LOST,
	    FATE_TRANSLATE), EACH(NULL, NULL, "timeout-kill"),
	    "the supervisor never follows SIGTERM with SIGKILL" },
	[SDO_STARTSECS] = { "startsecs", ALL3(FATE_LOST), { NULL },
	    "nothing waits before calling it up; svx -w up --settle MS "
	    "does, at start" },
	[SDO_STARTRETRIES] = { "startretries", ALL3(FATE_LOST), { NULL },
	    "the supervisor restarts it without a limit" },
	[SDO_AUTORESTART] = { "autorestart", ALL3(FATE_LOST), { NULL },
	    "the supervisor restarts it whenever it exits" },
	[SDO_EXITCODES] = { "exitcodes", ALL3(FATE_LOST), { NULL },
	    "the supervisor knows no expected exit codes" },
	[SDO_GROUP_KILL] = { "stopasgroup/killasgroup", ALL3(FATE_LOST),
	    { NULL }, "the supervisor signals the process, not its group" },
	[SDO_PRIORITY] = { "priority", ALL3(FATE_LOST), { NULL },
	    "a scanner starts its services in no order" },
};
