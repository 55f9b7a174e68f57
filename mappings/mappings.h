/*
 * Declarative tables: what each personality's words mean, and how an
 * outcome becomes an exit code. Lookups only; no printing, no policy.
 */
#ifndef SVX_MAPPINGS_H
#define SVX_MAPPINGS_H

#include <getopt.h>
#include <stddef.h>

#include "../adapters/adapter.h"
#include "../adapters/engine/check.h"
#include "../adapters/engine/doctor.h"
#include "../adapters/engine/service.h"
#include "../adapters/engine/wait.h"
#include "../adapters/files/svfiles.h"
#include "../adapters/supervisord/supervisord.h"

/* What a run over one service came to, before a personality's codes. */
enum svx_outcome {
	OUT_OK,
	OUT_FALSE,		/* a negative answer: not in that state, failed */
	OUT_TIMEOUT,		/* a wait ran out of time */
	OUT_USAGE,
	OUT_NOT_SUPERVISED,	/* no supervisor, or not a service directory */
	OUT_UNSUPPORTED,	/* the backend cannot do that verb */
	OUT_SYSTEM,		/* permission, I/O, a state that cannot be read */
	OUT_COUNT
};

enum status_field_id {
	SF_AGE, SF_BACKEND, SF_EXIT, SF_NAME, SF_NORMALLY, SF_PAUSED, SF_PID,
	SF_READY, SF_SIGNAL, SF_SINCE, SF_STATE, SF_SUPERVISOR, SF_WANT
};

struct status_field {
	const char	*name;
	enum status_field_id id;	/* also its index: sorted alike */
	const char	*help;
	const char	*absent;	/* -o's word for a value not known */
};

extern const struct status_field status_fields[];
extern const size_t status_nfields;
const struct status_field *map_status_field(const char *);
const char *status_field_name(const void *);

/* Verbs after this one exist for the personalities only. */
#define SVX_VERB_LAST	VERB_ABORT

enum svx_command {
	CMD_CONTROL,		/* send a verb's letters */
	CMD_STATUS,
	CMD_PROBE,
	CMD_BACKEND_ENV,	/* print the framework's SVC_BACKEND file */
	CMD_MIGRATE,		/* move services to another backend */
	CMD_LOG,		/* show the service's log */
	CMD_NEW,		/* write a new service directory */
	CMD_ENABLE,		/* link it into a scan directory */
	CMD_DISABLE,		/* unlink it, end its supervisors */
	CMD_DOCTOR,		/* why it is not doing what it should */
	CMD_WATCH,		/* state changes as they happen */
	CMD_CHECK,		/* a monitoring plugin's verdict */
	CMD_PERMS,		/* who may read and control it */
	CMD_IMPORT,		/* a service directory from a systemd unit */
	CMD_COUNT
};

struct verb_row {
	const char	*name;
	enum svx_command cmd;
	enum svx_verb	 verb;		/* CMD_CONTROL only */
	const char	*help;
};

/* How each adapter result reads to a user, and what it counts as. */
struct send_row {
	enum svx_outcome outcome;
	const char	*message;	/* NULL for success */
};

/*
 * What a native tool says when its command could not be sent (an enum
 * send_result), and what that counts as. The text is the whole line, a
 * template: {dir} the service as given, {backend} the adapter's name,
 * {what} what was refused (a letter, a verb), {err} an errno in the
 * tool's wording (the errno the send left, or ERR when set).
 */
#define SEND_RESULTS	(SEND_ERROR + 1)

struct send_word {
	enum svx_outcome outcome;
	const char	*text;		/* NULL: nothing to say (sent) */
	int		 err;		/* {err}'s errno; 0: the send's */
	const char	*exiting;	/* for exit, whose goal a gone
					   supervisor meets: OUT_OK, this */
};

struct send_words {
	const char	*personality;
	const struct exit_map *exits;	/* NULL: failures are counted */
	int		 on_stdout;	/* runit's sv says it all on stdout */
	const char	*(*err_text)(int);	/* djb's, or strerror */
	struct send_word row[SEND_RESULTS];
};

/*
 * Why a native tool can neither read nor control a service, as svx's
 * detection finds it, and what each tool then says: rows as send_word's,
 * whose templates may also hold {why} (detection's own words) and {svdir}
 * (the control directory's name, $SUPERVISEDIR's on encore). The
 * daemontools tools and sv meet the seven reasons shim/compat/words.c
 * gives; s6-svc's own order of tests (s6.c) gives five. A reason a tool
 * never meets has no words (NULL).
 */
enum cannot_reason {
	CANNOT_BAD_FORMAT,	/* supervised; its status not understood */
	CANNOT_NOT_RUNNING,	/* no supervisor runs */
	CANNOT_NO_SVDIR,	/* no supervise/ at all: {err} ENOENT */
	CANNOT_NO_OK,		/* a $SUPERVISEDIR one without ok in it */
	CANNOT_NOT_SERVICE,	/* supervise/ cannot be opened: {err} */
	CANNOT_SVDIR_NOT_DIR,	/* supervise is not a directory */
	CANNOT_NO_CONTROL,	/* supervise/ without its control FIFO */
	CANNOT_AMBIGUOUS,	/* several formats seen: {why} */
	CANNOT_ERROR,		/* detection met {err} */
	CANNOT_REASONS
};
/* Their names, for compat-matrix.md. */
extern const char *const cannot_reason_names[CANNOT_REASONS];

struct cannot_words {
	const char	*personality;
	const struct exit_map *exits;	/* NULL: failures are counted */
	int		 on_stdout;
	const char	*(*err_text)(int);
	struct send_word row[CANNOT_REASONS];
};

struct exit_map {
	const char	*personality;	/* also the name its messages start with */
	int		 code[OUT_COUNT];
	int		 counts_false;	/* OUT_FALSE exits with how many met it */
	const char	*note;		/* how several services combine */
};

/* A native option letter and the verb it means. */
struct letter_row {
	char		 letter;
	enum svx_verb	 verb;
	int		 encore;	/* an encore 1.11 addition */
};

extern const struct letter_row svc_letters[];
extern const size_t svc_nletters;

/*
 * encore 1.11's svc modifiers: each changes what the letters after it, up
 * to the next modifier of its kind, address. supervise reads them from the
 * control FIFO itself, so on encore they are sent as they are.
 */
enum svc_modifier_kind {
	SVC_TO_LOG,		/* L: the log service */
	SVC_TO_MAIN,		/* l: the service itself (the default) */
	SVC_TO_GROUP,		/* +: signals go to the process group */
	SVC_TO_PROCESS		/* =: signals go to the process (default) */
};

struct svc_modifier {
	char		 letter;
	enum svc_modifier_kind kind;
	const char	*help;
};
extern const struct svc_modifier svc_modifiers[];
extern const size_t svc_nmodifiers;
const struct svc_modifier *map_svc_modifier(int);
extern const struct exit_map svc_exits, svstat_exits, svok_exits;
extern const struct send_words svc_send_words;
extern const struct send_word svc_group_refused;
extern const struct cannot_words svstat_cannot_words, svc_cannot_words;
const struct letter_row *map_letter(const struct letter_row *, size_t, int);

/* runit's sv */
enum {
	SV_WAITS = 1 << 0,	/* waits even without -v */
	SV_KILL = 1 << 1,	/* sends k on timeout (force-*) */
	SV_STATUS = 1 << 2,	/* the status action */
	SV_NOT_LSB = 1 << 3	/* only outside LSB mode */
};

struct sv_action {
	const char	*word;		/* a whole word; NULL: by first char */
	char		 first;
	const char	*acts;		/* runsv letters; "C" is check */
	unsigned int	 flags;
};

struct sv_codes {
	int	max_failures;
	int	usage, fatal;
	int	lsb_usage, lsb_fatal;
	int	lsb_running, lsb_down, lsb_unknown;
};

extern const struct sv_action sv_words[], sv_first[];
extern const size_t sv_nwords, sv_nfirst;
extern const struct letter_row sv_letters[];
extern const size_t sv_nletters;
extern const struct sv_codes sv_codes;
extern const struct send_words sv_send_words;
extern const struct cannot_words sv_cannot_words;
const struct sv_action *map_sv_action(const char *, int lsb);
const char *sv_action_name(const void *);

/* s6's tools */
struct s6_letter {
	char		 letter;
	enum svx_verb	 verb;
	int		 down_file;	/* 1 create ./down, -1 remove it */
};

enum s6_field_id {
	S6F_UP, S6F_WANTEDUP, S6F_NORMALLYUP, S6F_READY, S6F_PAUSED,
	S6F_PID, S6F_EXITCODE, S6F_SIGNAL, S6F_SIGNUM, S6F_UPDOWNSINCE,
	S6F_READYSINCE, S6F_UPDOWNFOR, S6F_READYFOR
};

struct s6_field {
	const char	*name;
	char		 letter;	/* the -uwNrpest short option, or 0 */
	enum s6_field_id id;
};

extern const struct s6_letter s6svc_letters[];
extern const size_t s6svc_nletters;
extern const struct s6_field s6svstat_fields[];
extern const size_t s6svstat_nfields;
extern const struct exit_map s6svok_exits, s6svstat_exits, s6svc_exits,
	s6svwait_exits, s6svlisten1_exits;
extern const struct send_words s6svc_send_words;
extern const struct cannot_words s6svc_cannot_words;
const struct s6_letter *map_s6svc_letter(int);
const struct s6_field *map_s6svstat_field(const char *, size_t);
const struct s6_field *map_s6svstat_letter(int);

struct divergence {
	const char	*personality;
	const char	*when;
	const char	*native;
	const char	*svx;
	const char	*proof;		/* the test that shows it */
};
extern const struct divergence divergences[];
extern const size_t ndivergences;

extern const struct verb_row svx_verbs[];
extern const size_t svx_nverbs;
extern const struct send_row send_rows[];
extern const char *const svx_cannot_why[2];
extern const struct exit_map svx_exits;
extern const char *const verb_names[VERB_COUNT];
struct verb_goal {
	enum wait_goal	 wanted_up;
	enum wait_goal	 wanted_down;
};
extern const struct verb_goal verb_goals[VERB_COUNT];
extern const char *const goal_names[GOAL_NONE + 1];
extern const char *const state_names[STATE_COUNT];

/* svx migrate: a file's fate per target backend, and why when lost. */
struct mig_rule {
	const char	*name;
	enum mig_fate	 fate[BACKEND_DIR_COUNT];
	const char	*lost_why;
};
extern const struct mig_rule mig_rules[MF_COUNT];
extern const char *const mig_supervisor[BACKEND_DIR_COUNT];

/* supervisord: its faults and failed calls in words (what each verb
 * asks of it is the adapter's, sd_verbs; its states in svx's terms
 * too: sd_proc_unpack). */
struct sd_fault_row {
	int		 code;
	enum svx_outcome outcome;
	const char	*message;	/* NULL: the verb's goal already holds */
};
struct sd_result_row {
	enum svx_outcome outcome;
	const char	*before, *after;	/* around the socket's path */
};
extern const struct sd_result_row sd_results[SD_PROTOCOL + 1];
extern const char sd_still_stopping[];
extern const struct sd_fault_row sd_faults[];
extern const size_t sd_nfaults;

/*
 * svx migrate from supervisord: what each [program:x] option becomes
 * under each target, or why it is lost. sd_migrate.c reports an option
 * only where the program sets it (supervisord's default is no loss).
 */
enum sd_option {
	SDO_COMMAND, SDO_DIRECTORY, SDO_USER, SDO_ENVIRONMENT, SDO_UMASK,
	SDO_AUTOSTART, SDO_STDOUT_LOG, SDO_STDERR_LOG, SDO_STDERR_FILE,
	SDO_SYSLOG, SDO_STOPSIGNAL, SDO_STOPWAITSECS, SDO_STARTSECS,
	SDO_STARTRETRIES, SDO_AUTORESTART, SDO_EXITCODES, SDO_GROUP_KILL,
	SDO_PRIORITY, SDO_COUNT
};
struct sd_option_rule {
	const char	*name;
	enum mig_fate	 fate[BACKEND_DIR_COUNT];
	const char	*as[BACKEND_DIR_COUNT];	/* kept or translated: how */
	const char	*lost_why;
};
extern const struct sd_option_rule sd_option_rules[SDO_COUNT];

/*
 * svx backend-env: the two layouts of the framework's backend file, the
 * argument that picks one, and what differs between them.
 */
enum env_layout {
	LAYOUT_CURRENT,		/* ${SV_LIBDIR}/sh/SV-CONFIG, since mid-2018 */
	LAYOUT_OLD,		/* ${SV_SVCDIR}/.opt/SVC_BACKEND, before */
	LAYOUT_COUNT
};
#define LAYOUT_BIT(l)	(1u << (l))
#define LAYOUT_ALL	(LAYOUT_BIT(LAYOUT_CURRENT) | LAYOUT_BIT(LAYOUT_OLD))

struct env_layout_row {
	const char	*file;		/* its name: the argument that picks it */
	const char	*where;		/* where the framework reads it */
	const char	*wait_up;	/* __SIGWTUP__ after svx */
	const char	*wait_down;	/* __SIGWDWN__ */
	const char	*rundir;	/* the framework's own scan directory */
};

/* A framework variable, the verb it names, and the layouts that have it. */
struct env_word {
	const char	*var;
	enum svx_verb	 verb;
	unsigned int	 layouts;	/* LAYOUT_BIT()s */
};

struct env_backend {
	const char	*name;		/* __SV_NAM__ */
	const char	*scanner;	/* __SV_CMD__ */
	const char	*logger;	/* __LOGCMD__ */
	const char	*precmd;	/* __PRECMD__, or NULL */
	const char	*rescan;	/* __SCANCMD__'s program, or NULL */
	const char	*rescan_args;	/* after it */
	int		 rescan_dir;	/* then the scan directory */
	const char	*check;		/* __CHKCMD__: a personality */
	const char	*check_args;	/* after it */
	const char	*status;	/* __STACMD__: a personality */
};

/* svx's long options beyond the short ones: getopt_long values. */
enum {
	OPT_SETTLE = 256, OPT_KILL_ON_TIMEOUT, OPT_JSON, OPT_FORMAT, OPT_COLOR,
	OPT_STATE, OPT_BACKEND, OPT_LIST, OPT_TO, OPT_DRY_RUN, OPT_SCANDIR,
	OPT_DIR, OPT_ROLLBACK, OPT_SINCE, OPT_USER, OPT_ENV, OPT_DOWN, OPT_FORCE,
	/* svx check, svx perms */
	OPT_WARN_UPTIME, OPT_CRIT_UPTIME, OPT_WARN_RESTARTS, OPT_CRIT_RESTARTS,
	OPT_GROUP, OPT_CONTROL, OPT_SHOW, OPT_RESET,
	OPT_END
};

/* Which part of svx an option configures: each group has one parser. */
enum option_group {
	OPTG_NONE,	/* not svx's: usage */
	OPTG_ABOUT,	/* help, version, --list: print and exit */
	OPTG_LISTING,	/* which rows, in which format */
	OPTG_FIELDS,	/* -o */
	OPTG_WAIT,	/* waits and their verdicts */
	OPTG_LOG,	/* svx log, status -l */
	OPTG_LIFE,	/* new, enable, disable */
	OPTG_MIGRATE,	/* migrate (some shared with new, enable) */
	OPTG_CHECK,	/* check's thresholds */
	OPTG_PERMS,	/* perms's --group, --control, --show, --reset */
	OPTG_COUNT
};
extern const unsigned char svx_option_groups[OPT_END];

extern const struct option svx_longopts[];
extern const char svx_shortopts[];

extern const struct env_word backend_env_words[];
extern const size_t backend_env_nwords;
extern const struct env_backend backend_env_programs[BACKEND_DIR_COUNT];
extern const struct env_layout_row backend_env_layouts[LAYOUT_COUNT];

/* The tools svx answers as (tools.c). */
struct tool_row {
	const char	*name;
	int		 reads_supervisedir;	/* encore's $SUPERVISEDIR */
};
extern const struct tool_row tools[];
extern const size_t ntools;
const struct tool_row *map_tool(const char *);
const char *tool_row_name(const void *);

/*
 * What a status says as an outcome: the verdict on the directory, and
 * for a supervised one whether its record could be read.
 */
extern const enum svx_outcome verdict_outcomes[VERDICT_COUNT];
enum svx_outcome map_status_outcome(enum svx_verdict, int status_ok);

const struct verb_row *map_svx_verb(const char *);
int	map_rows_sorted(const void *, size_t, size_t,
	    const char *(*)(const void *));
const char *verb_row_name(const void *);
const char *signal_name(int);
const char *djb_error_str(int);
extern const char perms_denied_hint[];

/*
 * svx doctor's words, by check (doctor.c): what is wrong and its fix.
 * Placeholders the shim fills: {service} as given, {dir} the directory,
 * {what} the finding's path, {err} its cause, {pid}, {last} (the last
 * exit code or signal, or that none is recorded), {rate} (deaths over
 * the time counted), {cause} (supervisord's: the last death in its
 * words, and its spawn error in {what} when there is one).
 */
struct doctor_words {
	const char	*problem;
	const char	*fix;
};
extern const struct doctor_words doctor_words[DOC_COUNT];

/*
 * svx check (check.c): the plugin states, in their exit codes' order,
 * the thresholds (-1: not given), and the rules that judge.
 */
enum check_state {
	CHECK_OK, CHECK_WARNING, CHECK_CRITICAL, CHECK_UNKNOWN,
	CHECK_NSTATES
};
struct check_limits {
	int64_t		 warn_uptime, crit_uptime;	/* seconds */
	long		 warn_restarts, crit_restarts;
};
struct check_rule {
	enum check_state state;
	const char	*why;		/* NULL: nothing to say */
	int		(*holds)(const struct check_facts *,
			    const struct check_limits *);
};
extern const struct check_rule check_rules[];
extern const size_t check_nrules;
extern const char *const check_state_names[CHECK_NSTATES];
extern const char *const check_read_words[CR_COUNT];
/* supervisord's result (enum sd_result) as a read. */
extern const enum check_read check_sd_reads[];
extern const size_t check_sd_nreads;
/* Read, and in a state that counts as up (encore's STARTED too). */
int	check_is_up(const struct check_facts *);
const struct check_rule *check_judge(const struct check_facts *,
	    const struct check_limits *);
enum check_state check_worse(enum check_state, enum check_state);

#endif
