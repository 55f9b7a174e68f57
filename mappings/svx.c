/*
 * The native svx vocabulary: `svx VERB SERVICE...`. One row per spelling,
 * sorted for bsearch (a unit test checks the order). Aliases are rows of
 * their own, as s6-alias-sv lists them.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "mappings.h"

const struct verb_row svx_verbs[] = {
	{ "abort", CMD_CONTROL, VERB_ABORT, "send SIGABRT" },
	{ "alarm", CMD_CONTROL, VERB_ALARM, "send SIGALRM" },
	{ "backend-env", CMD_BACKEND_ENV, 0,
	    "print the supervision framework's SV-CONFIG (or SVC_BACKEND) file" },
	{ "check", CMD_CHECK, 0,
	    "monitoring plugin: OK/WARNING/CRITICAL/UNKNOWN, perfdata" },
	{ "cont", CMD_CONTROL, VERB_CONT, "send SIGCONT and clear paused" },
	{ "disable", CMD_DISABLE, 0,
	    "unlink the service from its scan directory, end its supervisor" },
	{ "doctor", CMD_DOCTOR, 0,
	    "say why a service is not doing what it should, and the fix" },
	{ "down", CMD_CONTROL, VERB_DOWN,
	    "stop the service and keep it down" },
	{ "enable", CMD_ENABLE, 0,
	    "link a service directory into a scan directory, supervised" },
	{ "exit", CMD_CONTROL, VERB_EXIT,
	    "stop the service and end its supervisor" },
	{ "hup", CMD_CONTROL, VERB_HUP, "send SIGHUP" },
	{ "import", CMD_IMPORT, 0,
	    "write a service directory from a systemd unit (--to)" },
	{ "interrupt", CMD_CONTROL, VERB_INTERRUPT, "send SIGINT" },
	{ "kill", CMD_CONTROL, VERB_KILL, "send SIGKILL" },
	{ "log", CMD_LOG, 0,
	    "show the service's log (-n N, -f, --since TIME)" },
	{ "migrate", CMD_MIGRATE, 0,
	    "move services to another backend (--to), live" },
	{ "new", CMD_NEW, 0,
	    "write a new service directory (-- COMMAND [ARG...])" },
	{ "once", CMD_CONTROL, VERB_ONCE,
	    "start the service if down, do not restart it" },
	{ "pause", CMD_CONTROL, VERB_PAUSE, "send SIGSTOP and mark paused" },
	{ "perms", CMD_PERMS, 0,
	    "let a group read the state (--group G), control (--control)" },
	{ "probe", CMD_PROBE, 0,
	    "show which supervisor owns the service, and the evidence" },
	{ "quit", CMD_CONTROL, VERB_QUIT, "send SIGQUIT" },
	{ "restart", CMD_CONTROL, VERB_RESTART,
	    "replace the process with a new one, wanted up" },
	{ "status", CMD_STATUS, 0, "show the state of the service" },
	{ "term", CMD_CONTROL, VERB_TERM,
	    "send SIGTERM (the supervisor restarts it if wanted up)" },
	{ "up", CMD_CONTROL, VERB_UP, "start the service and keep it up" },
	{ "usr1", CMD_CONTROL, VERB_USR1, "send SIGUSR1" },
	{ "usr2", CMD_CONTROL, VERB_USR2, "send SIGUSR2" },
	{ "watch", CMD_WATCH, 0,
	    "print each state change as it happens (--all, --json)" },
	{ "winch", CMD_CONTROL, VERB_WINCH, "send SIGWINCH" },
};
const size_t svx_nverbs = sizeof(svx_verbs) / sizeof(svx_verbs[0]);

/*
 * svx's options; svx.8 and the shell completions are checked against
 * this table (tests/e2e/docs_test.sh).
 */
const struct option svx_longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "control", no_argument, NULL, OPT_CONTROL },
	{ "crit-restarts", required_argument, NULL, OPT_CRIT_RESTARTS },
	{ "crit-uptime", required_argument, NULL, OPT_CRIT_UPTIME },
	{ "dir", required_argument, NULL, OPT_DIR },
	{ "down", no_argument, NULL, OPT_DOWN },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "follow", no_argument, NULL, 'f' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "kill-on-timeout", no_argument, NULL, OPT_KILL_ON_TIMEOUT },
	{ "lines", required_argument, NULL, 'n' },
	{ "list", required_argument, NULL, OPT_LIST },
	{ "log", no_argument, NULL, 'l' },
	{ "reset", no_argument, NULL, OPT_RESET },
	{ "rollback", no_argument, NULL, OPT_ROLLBACK },
	{ "scandir", required_argument, NULL, OPT_SCANDIR },
	{ "settle", required_argument, NULL, OPT_SETTLE },
	{ "show", no_argument, NULL, OPT_SHOW },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "to", required_argument, NULL, OPT_TO },
	{ "user", required_argument, NULL, OPT_USER },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "wait", optional_argument, NULL, 'W' },
	{ "warn-restarts", required_argument, NULL, OPT_WARN_RESTARTS },
	{ "warn-uptime", required_argument, NULL, OPT_WARN_UPTIME },
	{ NULL, 0, NULL, 0 },
};
const char svx_shortopts[] = "afhlvVw:n:o:";

/* Each option's group, by getopt_long's value (enum option_group). */
const unsigned char svx_option_groups[OPT_END] = {
	['h'] = OPTG_ABOUT, ['V'] = OPTG_ABOUT, [OPT_LIST] = OPTG_ABOUT,
	['a'] = OPTG_LISTING, [OPT_JSON] = OPTG_LISTING,
	[OPT_FORMAT] = OPTG_LISTING, [OPT_COLOR] = OPTG_LISTING,
	[OPT_STATE] = OPTG_LISTING, [OPT_BACKEND] = OPTG_LISTING,
	['o'] = OPTG_FIELDS,
	['w'] = OPTG_WAIT, ['W'] = OPTG_WAIT, [OPT_SETTLE] = OPTG_WAIT,
	[OPT_KILL_ON_TIMEOUT] = OPTG_WAIT, ['v'] = OPTG_WAIT,
	['n'] = OPTG_LOG, ['f'] = OPTG_LOG, [OPT_SINCE] = OPTG_LOG,
	['l'] = OPTG_LOG,
	[OPT_USER] = OPTG_LIFE, [OPT_ENV] = OPTG_LIFE, [OPT_DOWN] = OPTG_LIFE,
	[OPT_FORCE] = OPTG_LIFE,
	[OPT_TO] = OPTG_MIGRATE, [OPT_DRY_RUN] = OPTG_MIGRATE,
	[OPT_ROLLBACK] = OPTG_MIGRATE, [OPT_SCANDIR] = OPTG_MIGRATE,
	[OPT_DIR] = OPTG_MIGRATE,
	[OPT_WARN_UPTIME] = OPTG_CHECK, [OPT_CRIT_UPTIME] = OPTG_CHECK,
	[OPT_WARN_RESTARTS] = OPTG_CHECK, [OPT_CRIT_RESTARTS] = OPTG_CHECK,
	[OPT_GROUP] = OPTG_PERMS, [OPT_CONTROL] = OPTG_PERMS,
	[OPT_SHOW] = OPTG_PERMS, [OPT_RESET] = OPTG_PERMS,
};

/* Canonical verb names, in enum order: the compat matrix's rows. */
const char *const verb_names[VERB_COUNT] = {
	[VERB_UP] = "up",
	[VERB_DOWN] = "down",
	[VERB_ONCE] = "once",
	[VERB_PAUSE] = "pause",
	[VERB_CONT] = "cont",
	[VERB_HUP] = "hup",
	[VERB_ALARM] = "alarm",
	[VERB_INTERRUPT] = "interrupt",
	[VERB_QUIT] = "quit",
	[VERB_USR1] = "usr1",
	[VERB_USR2] = "usr2",
	[VERB_TERM] = "term",
	[VERB_KILL] = "kill",
	[VERB_WINCH] = "winch",
	[VERB_EXIT] = "exit",
	[VERB_RESTART] = "restart",
	[VERB_ABORT] = "abort",
	[VERB_X_ONLY] = "x-only",
	[VERB_CYCLE] = "cycle",
	[VERB_ONCE_AT_MOST] = "once-at-most",
};

/*
 * What `svx -w` waits for after each verb, by what the service was wanted
 * to do when the command went out. Signals other than TERM and KILL change
 * no state, so there is nothing to wait for; after TERM or KILL the
 * supervisor answers with a new process, or none when wanted down.
 */
const struct verb_goal verb_goals[VERB_COUNT] = {
	[VERB_UP] = { GOAL_UP, GOAL_UP },
	[VERB_DOWN] = { GOAL_DOWN, GOAL_DOWN },
	[VERB_ONCE] = { GOAL_RAN, GOAL_RAN },
	[VERB_PAUSE] = { GOAL_NONE, GOAL_NONE },
	[VERB_CONT] = { GOAL_NONE, GOAL_NONE },
	[VERB_HUP] = { GOAL_NONE, GOAL_NONE },
	[VERB_ALARM] = { GOAL_NONE, GOAL_NONE },
	[VERB_INTERRUPT] = { GOAL_NONE, GOAL_NONE },
	[VERB_QUIT] = { GOAL_NONE, GOAL_NONE },
	[VERB_USR1] = { GOAL_NONE, GOAL_NONE },
	[VERB_USR2] = { GOAL_NONE, GOAL_NONE },
	[VERB_TERM] = { GOAL_RESTARTED, GOAL_DOWN },
	[VERB_KILL] = { GOAL_RESTARTED, GOAL_DOWN },
	[VERB_WINCH] = { GOAL_NONE, GOAL_NONE },
	[VERB_EXIT] = { GOAL_EXITED, GOAL_EXITED },
	[VERB_RESTART] = { GOAL_RESTARTED, GOAL_RESTARTED },
	[VERB_ABORT] = { GOAL_RESTARTED, GOAL_DOWN },
	[VERB_X_ONLY] = { GOAL_NONE, GOAL_NONE },
	[VERB_CYCLE] = { GOAL_RESTARTED, GOAL_DOWN },
	[VERB_ONCE_AT_MOST] = { GOAL_NONE, GOAL_NONE },
};

const char *const goal_names[GOAL_NONE + 1] = {
	[GOAL_UP] = "up",
	[GOAL_DOWN] = "down",
	[GOAL_NOT_UP] = "not up",
	[GOAL_RESTARTED] = "a new process",
	[GOAL_EXITED] = "the supervisor to exit",
	[GOAL_RAN] = "a run",
	[GOAL_NONE] = "nothing",
};

const char *const state_names[STATE_COUNT] = {
	[STATE_UNKNOWN] = "unknown",
	[STATE_DOWN] = "down",
	[STATE_STARTING] = "starting",
	[STATE_STARTED] = "started",
	[STATE_UP] = "up",
	[STATE_FINISHING] = "finishing",
	[STATE_STOPPING] = "stopping",
	[STATE_FAILED] = "failed",
	[STATE_EXITED] = "exited",
};

/* Why a backend cannot do a verb: a letter its supervisor would ignore
 * (a backend of directories), or a call its supervisor does not have (a
 * backend asked through a source). */
const char *const svx_cannot_why[2] = {
	"ignores it", "has no call for it",
};

/* Indexed by enum send_result. */
const struct send_row send_rows[] = {
	[SEND_OK] = { OUT_OK, NULL },
	[SEND_UNSUPPORTED] = { OUT_UNSUPPORTED, "cannot do that" },
	[SEND_NOT_SUPERVISED] = { OUT_NOT_SUPERVISED, "not supervised" },
	[SEND_NOT_RUNNING] = { OUT_NOT_SUPERVISED, "supervisor not running" },
	[SEND_NOT_RESPONDING] = { OUT_SYSTEM,
	    "supervisor not responding (control FIFO full); nothing sent" },
	[SEND_NOT_FIFO] = { OUT_SYSTEM,
	    "supervise/control is not a FIFO; nothing sent" },
	[SEND_HELPER_RUNNING] = { OUT_UNSUPPORTED,
	    "encore is running ./start or ./stop, which would get the signal "
	    "instead of the service; nothing sent" },
	[SEND_REFUSED] = { OUT_SYSTEM, "the supervisor refused the command" },
	[SEND_ERROR] = { OUT_SYSTEM, "cannot write to supervise/control" },
};

/* svx's own codes: skarnet's numbering, plus 103 (README, Exit status). */
const struct exit_map svx_exits = {
	.personality = "svx",
	.code = {
		[OUT_OK] = 0,
		[OUT_FALSE] = 1,
		[OUT_TIMEOUT] = 1,
		[OUT_USAGE] = 100,
		[OUT_NOT_SUPERVISED] = 102,
		[OUT_UNSUPPORTED] = 103,
		[OUT_SYSTEM] = 111,
	},
	.note = "Over several services the largest code met is returned."
};

const char *
verb_row_name(const void *row)
{
	return ((const struct verb_row *)row)->name;
}

static int
cmp_verb(const void *key, const void *row)
{
	return strcmp(key, ((const struct verb_row *)row)->name);
}

const struct verb_row *
map_svx_verb(const char *name)
{
	return bsearch(name, svx_verbs, svx_nverbs, sizeof(svx_verbs[0]),
	    cmp_verb);
}

/* 1 when the NAME of each of N rows of SIZE bytes is strictly increasing. */
int
map_rows_sorted(const void *rows, size_t n, size_t size,
    const char *(*name)(const void *))
{
	const unsigned char *p = rows;
	size_t i;

	for (i = 1; i < n; i++)
		if (strcmp(name(p + (i - 1) * size), name(p + i * size)) >= 0)
			return 0;
	return 1;
}

/* `svx status -o FIELD,...`: one line of values, for scripts. */
const enum svx_outcome verdict_outcomes[VERDICT_COUNT] = {
	[VERDICT_SUPERVISED] = OUT_OK,
	[VERDICT_UNSUPERVISED] = OUT_NOT_SUPERVISED,
	[VERDICT_NOT_SERVICE] = OUT_NOT_SUPERVISED,
	[VERDICT_AMBIGUOUS] = OUT_SYSTEM,
	[VERDICT_ERROR] = OUT_SYSTEM,
};

/* A supervised service whose record could not be read is a state svx
 * could not read: never reported as fine. */
enum svx_outcome
map_status_outcome(enum svx_verdict v, int status_ok)
{
	if ((unsigned int)v >= VERDICT_COUNT)
		return OUT_SYSTEM;
	if (v == VERDICT_SUPERVISED && !status_ok)
		return OUT_SYSTEM;
	return verdict_outcomes[v];
}

const struct status_field status_fields[] = {
	{ "age", SF_AGE, "seconds in this state, -1 unknown", "-1" },
	{ "backend", SF_BACKEND, "daemontools, encore, runit, s6, unknown",
	    "unknown" },
	{ "exit", SF_EXIT, "the last exit code, -1 unknown or killed", "-1" },
	{ "name", SF_NAME, "the service as given", "" },
	{ "normally", SF_NORMALLY, "up, or down when ./down exists",
	    "unknown" },
	{ "paused", SF_PAUSED, "true or false", "false" },
	{ "pid", SF_PID, "the service's pid, -1 when none", "-1" },
	{ "ready", SF_READY, "true, false, or unknown", "unknown" },
	{ "signal", SF_SIGNAL, "the signal that killed it last, NA", "NA" },
	{ "since", SF_SINCE, "unix time of the last change, -1 unknown", "-1" },
	{ "state", SF_STATE, "up, down, finishing, ..., unsupervised, unknown",
	    "unknown" },
	{ "supervisor", SF_SUPERVISOR, "running, absent, unknown", "unknown" },
	{ "want", SF_WANT, "up, down, once, unknown (as last recorded)",
	    "unknown" },
};
const size_t status_nfields = sizeof(status_fields) /
    sizeof(status_fields[0]);

static int
cmp_field(const void *key, const void *row)
{
	return strcmp(key, ((const struct status_field *)row)->name);
}

const struct status_field *
map_status_field(const char *name)
{
	return bsearch(name, status_fields, status_nfields,
	    sizeof(status_fields[0]), cmp_field);
}

const char *
status_field_name(const void *row)
{
	return ((const struct status_field *)row)->name;
}
