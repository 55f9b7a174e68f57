/*
 * svx import's tables (systemd_map.c): what each unit directive becomes
 * under each backend, or why it is lost; the daemons whose documented
 * foreground flag makes a Type=forking unit supervisable; the daemons
 * whose readiness a check can tell s6 (Type=notify).
 */
#ifndef SVX_SYSTEMD_MAP_H
#define SVX_SYSTEMD_MAP_H

#include <stddef.h>

#include "../adapters/adapter.h"
#include "../adapters/files/svfiles.h"

/* What the import acts on; everything else is only reported. */
enum unit_rule_id {
	UR_REPORT,		/* only said: kept or lost */
	UR_EXEC_START, UR_EXEC_START_PRE, UR_ENVIRONMENT,
	UR_ENVIRONMENT_FILE, UR_USER, UR_GROUP, UR_SUPPLEMENTARY_GROUPS,
	UR_WORKING_DIRECTORY, UR_UMASK, UR_NICE, UR_LIMIT, UR_KILL_SIGNAL,
	UR_TIMEOUT_STOP, UR_RESTART_NO, UR_RESTART_WHEN, UR_STDOUT, UR_STDERR,
	UR_RUNTIME_DIRECTORY, UR_STATE_DIRECTORY, UR_DIRECTORY_MODE,
	UR_TYPE_SIMPLE, UR_TYPE_NOTIFY, UR_TYPE_FORKING, UR_TYPE_OTHER,
	UR_IGNORE_SIGPIPE, UR_OOM_SCORE, UR_PIDFILE, UR_EXEC_RELOAD,
	UR_EXEC_STOP_POST, UR_UNSET_ENVIRONMENT, UR_COUNT
};

struct unit_rule {
	const char	*name;		/* "Key", or "Key=value": sorted */
	enum unit_rule_id id;
	enum mig_fate	 fate[BACKEND_DIR_COUNT];
	const char	*as[BACKEND_DIR_COUNT];	/* kept or translated: how */
	const char	*lost_why;
	int		 changes;	/* lost, it changes what runs: exit 1 */
};
extern const struct unit_rule unit_rules[];
extern const size_t unit_nrules;
/* SECTION's KEY with VALUE: its "Key=value" row, else its "Key" row,
 * else NULL (a directive svx does not know). */
const struct unit_rule *map_unit_rule(const char *section, const char *key,
	    const char *value);
const char *unit_rule_name(const void *);
/* Whether a directive of row ID is a list (each assignment adds). */
int	unit_rule_is_list(enum unit_rule_id);

/* The Limit* directives and each backend's option for them. */
struct unit_limit {
	const char	*key;		/* "LimitNOFILE" */
	const char	*opt[BACKEND_DIR_COUNT];	/* "-o"; NULL: no option */
};
extern const struct unit_limit unit_limits[];
extern const size_t unit_nlimits;
/* Each backend's soft-limit tool ("softlimit", "chpst", "s6-softlimit"). */
extern const char *const unit_limit_tool[BACKEND_DIR_COUNT];

/*
 * A daemon that forks unless told not to, and how its own manual page
 * says to keep it in the foreground: OPTION (with its argument) dropped
 * where the unit gives it, then ADD appended.
 */
#define FOREGROUND_ADD_MAX	3
struct unit_foreground {
	const char	*program;	/* the command's basename */
	const char	*drop;		/* an option dropped with its argument */
	const char	*add[FOREGROUND_ADD_MAX];
	const char	*source;	/* where it is documented */
};
extern const struct unit_foreground unit_foregrounds[];
extern const size_t unit_nforegrounds;
const struct unit_foreground *map_unit_foreground(const char *program);

/* A daemon of Type=notify, and an sh check that exits 0 once it serves. */
struct unit_readiness {
	const char	*program;
	const char	*check;
	const char	*note;
};
extern const struct unit_readiness unit_readiness[];
extern const size_t unit_nreadiness;
const struct unit_readiness *map_unit_readiness(const char *program);

/* Restart=on-*: when systemd restarts, an sh test in ./finish. */
struct unit_restart {
	const char	*value;		/* "on-failure" */
	const char	*restart_when;
};
extern const struct unit_restart unit_restarts[];
extern const size_t unit_nrestarts;
const struct unit_restart *map_unit_restart(const char *value);

#endif
