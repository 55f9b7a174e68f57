/*
 * svx's own command line: svx [-v] VERB SERVICE...
 *
 * Every service gets its own line of result or error; the exit code is the
 * largest met (README, Exit status: 0, 1, 100, 102, 103, 111).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/output.h"
#include "../common/report.h"
#include "../common/resolve.h"
#include "../common/tool.h"
#include "../control/control.h"
#include "../import/import.h"
#include "../list/listing.h"
#include "../migrate/migrate.h"
#include "../supervisord/sd_shim.h"
#include "../watch/watch.h"
#include "svx.h"

#define DEFAULT_WAIT_MS	7000	/* sv's SVWAIT default */
#define STATUS_LOG_LINES 10	/* status -l, as systemctl status */

struct svx_opts {
	struct control_opts ctl;	/* what each service's verb needs */
	struct listing_opts lopts;
	int		 all;
	int		 format_given;	/* --format: no default for --all */
	int		 color;		/* -1 auto, 0 never, 1 always */
	struct migrate_args mig;	/* svx migrate's --to, --dry-run, ... */
	struct log_opts	 log;		/* svx log's -n, -f, --since */
	int		 status_log;	/* status -l; new --log */
	struct life_opts life;		/* new, enable, disable */
	struct check_opts check;	/* check's thresholds */
	struct perms_opts perms;	/* perms's --group, ... */
};


static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: svx [-v] [-w SECS | --wait[=SECS]] [--settle MS] "
	    "[--kill-on-timeout] VERB SERVICE...\n"
	    "       svx status [-o FIELD,... | --json | --format=FORMAT] "
	    "SERVICE...\n"
	    "       svx status -l [-n N] SERVICE...\n"
	    "       svx status --all [--json | --format=FORMAT] "
	    "[--color[=WHEN]]\n"
	    "           [--state=STATE,...] [--backend=NAME,...] "
	    "[PATTERN...]\n"
	    "       svx migrate --to BACKEND [--dry-run] [--scandir DIR] "
	    "[-w SECS] SERVICE... | --all\n"
	    "       svx migrate --rollback SERVICE...\n"
	    "       svx migrate --to BACKEND [--dry-run] [--dir DIR] "
	    "[--scandir DIR] supervisord:NAME...\n"
	    "       svx log [-n N] [--since TIME] SERVICE... | -f [-n N] SERVICE\n"
	    "       svx new NAME [--dir DIR] [--backend B] [--log] [--down] "
	    "[--user U]\n           [--env K=V]... [--dry-run] -- COMMAND "
	    "[ARG...]\n"
	    "       svx enable NAME|DIR [--scandir S] [-w SECS]\n"
	    "       svx disable NAME|DIR [--scandir S] [--force] [-w SECS]\n"
	    "       svx doctor [--json] SERVICE...\n"
	    "       svx watch [--json] SERVICE... | --all [PATTERN...]\n"
	    "       svx check [--warn-uptime S] [--crit-uptime S] "
	    "[--warn-restarts N]\n           [--crit-restarts N] "
	    "SERVICE...\n"
	    "       svx perms --group G [--control] | --show | --reset "
	    "SERVICE...\n"
	    "       svx import --to BACKEND [--dir DIR] [--dry-run] UNIT...\n"
	    "       svx backend-env [SV-CONFIG | SVC_BACKEND] [SERVICE]\n"
	    "       svx --list=verbs|options|fields|formats|states|backends\n"
	    "       svx --help | --version\n\nverbs:\n");
	for (i = 0; i < svx_nverbs; i++)
		fprintf(f, "  %-11s %s\n", svx_verbs[i].name,
		    svx_verbs[i].help);
	fprintf(f, "\nstatus -o FIELD,...: one line of values:\n");
	for (i = 0; i < status_nfields; i++)
		fprintf(f, "  %-11s %s\n", status_fields[i].name,
		    status_fields[i].help);
	fprintf(f, "\nFORMAT: table, lines, json (schema %s), prometheus\n"
	    "STATE: up, down, starting, started, finishing, stopping, failed, "
	    "exited,\n       unsupervised, unknown\n", JSON_SCHEMA);
	fprintf(f, "\nSERVICE is a path (/..., ./..., ../...) or a name in "
	    "$SVDIR, else in\n/run/service, /etc/service, /service, "
	    "/var/service (first match).\n"
	    "exit: 0 ok, 1 no, 100 usage, 102 not supervised, "
	    "103 unsupported by the backend, 111 error\n");
}

static int
exit_code(enum svx_outcome out)
{
	int code = svx_exits.code[out];

	if (finish_output() == -1) {
		fprintf(stderr, "%s: cannot write output: %s\n", getprogname(),
		    strerror(errno));
		return svx_exits.code[OUT_SYSTEM];
	}
	return code;
}

/* A plugin's output lost is its state unknown. */
static int
check_exit(int state)
{
	if (finish_output() == -1)
		return CHECK_UNKNOWN;
	return state;
}

/* SECS as a whole number of seconds, for -w and --wait. */
static int
parse_seconds(const char *arg, int64_t *ms)
{
	const char *errstr;
	long long secs = strtonum(arg, 0, 86400, &errstr);

	if (errstr != NULL) {
		fprintf(stderr, "%s: wait time %s: %s (0 to 86400 seconds)\n",
		    getprogname(), arg, errstr);
		return -1;
	}
	*ms = secs * 1000;
	return 0;
}

static int
parse_settle(const char *arg, int64_t *ms)
{
	const char *errstr;

	*ms = strtonum(arg, 0, 3600000, &errstr);
	if (errstr != NULL) {
		fprintf(stderr, "%s: settle time %s: %s (milliseconds)\n",
		    getprogname(), arg, errstr);
		return -1;
	}
	return 0;
}

/* A comma list of words from WORDS (N of them) into a bit mask. */
static int
parse_mask(const char *opt, const char *list, const char *const *words,
    size_t n, unsigned int *mask)
{
	char buf[256], *p, *next;
	size_t i;

	if (strlcpy(buf, list, sizeof(buf)) >= sizeof(buf))
		return -1;
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		for (i = 0; i < n; i++)
			if (words[i] != NULL && strcmp(p, words[i]) == 0)
				break;
		if (i == n) {
			fprintf(stderr, "%s: --%s: unknown value '%s'\n",
			    getprogname(), opt, p);
			return -1;
		}
		*mask |= 1U << i;
	}
	return 0;
}

static const struct {
	const char		*name;
	enum listing_format	 format;
} formats[] = {
	{ "json", FMT_JSON }, { "lines", FMT_LINES },
	{ "prometheus", FMT_PROMETHEUS }, { "table", FMT_TABLE },
};

static int
parse_format(const char *arg, struct svx_opts *o)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(arg, formats[i].name) == 0) {
			o->lopts.format = formats[i].format;
			o->format_given = 1;
			return 0;
		}
	fprintf(stderr, "%s: --format: json, lines, prometheus or table\n",
	    getprogname());
	return -1;
}

static int
parse_color(const char *arg, struct svx_opts *o)
{
	if (arg == NULL || strcmp(arg, "always") == 0)
		o->color = 1;
	else if (strcmp(arg, "never") == 0)
		o->color = 0;
	else if (strcmp(arg, "auto") == 0)
		o->color = -1;
	else {
		fprintf(stderr, "%s: --color: auto, always or never\n",
		    getprogname());
		return -1;
	}
	return 0;
}

/*
 * svx --list=WHAT: one word a line from the tables, for the shell
 * completions (and scripts): what they offer is what svx accepts.
 */
static enum svx_outcome
list_words(const char *what)
{
	static const char *const kinds[] = { "verbs", "options", "fields",
	    "formats", "states", "backends" };
	const struct option *lo;
	size_t i, k;
	int b;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(what, kinds[k]) == 0)
			break;
	switch (k) {
	case 0:
		for (i = 0; i < svx_nverbs; i++)
			puts(svx_verbs[i].name);
		break;
	case 1:
		for (lo = svx_longopts; lo->name != NULL; lo++)
			printf("--%s%s\n", lo->name, lo->has_arg ==
			    required_argument ? "=" : "");
		for (i = 0; svx_shortopts[i] != '\0'; i++)
			if (svx_shortopts[i] != ':')
				printf("-%c\n", svx_shortopts[i]);
		break;
	case 2:
		for (i = 0; i < status_nfields; i++)
			puts(status_fields[i].name);
		break;
	case 3:
		for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
			puts(formats[i].name);
		break;
	case 4:
		for (i = 0; i < ROW_NSTATES; i++)
			puts(row_state_names[i]);
		break;
	case 5:
		for (b = BACKEND_UNKNOWN + 1; b < BACKEND_ALL_COUNT; b++)
			puts(backend_name(b));
		break;
	default:
		fprintf(stderr, "%s: --list: verbs, options, fields, formats, "
		    "states or backends\n", getprogname());
		return OUT_USAGE;
	}
	return OUT_OK;
}

static int
parse_migrate_option(int c, const char *arg, struct svx_opts *o)
{
	int b;

	switch (c) {
	case OPT_DRY_RUN:
		o->mig.dry_run = 1;
		return 0;
	case OPT_ROLLBACK:
		o->mig.rollback = 1;
		return 0;
	case OPT_SCANDIR:
		o->mig.scandir = arg;
		return 0;
	case OPT_DIR:
		o->mig.dir = arg;
		return 0;
	default:
		for (b = BACKEND_UNKNOWN + 1; b < BACKEND_DIR_COUNT; b++)
			if (strcmp(arg, backend_name(b)) == 0) {
				o->mig.to = (enum svx_backend)b;
				return 0;
			}
		fprintf(stderr, "%s: --to: daemontools, runit or s6\n",
		    getprogname());
		return -1;
	}
}

static int
parse_life_option(int c, const char *arg, struct svx_opts *o)
{
	switch (c) {
	case OPT_USER:
		o->life.user = arg;
		return 0;
	case OPT_DOWN:
		o->life.down = 1;
		return 0;
	case OPT_FORCE:
		o->life.force = 1;
		return 0;
	default:
		if (o->life.nenv >= LIFE_ENV_MAX) {
			fprintf(stderr, "%s: --env: at most %d\n", getprogname(),
			    LIFE_ENV_MAX);
			return -1;
		}
		o->life.env[o->life.nenv++] = arg;
		return 0;
	}
}

static enum svx_outcome (*const life_verbs[CMD_COUNT])(int, char **,
    const struct life_opts *) = {
	[CMD_NEW] = svx_new,
	[CMD_ENABLE] = svx_enable,
	[CMD_DISABLE] = svx_disable,
};

/* new, enable, disable: their options gathered from the others'. */
static enum svx_outcome
lifecycle(const struct verb_row *row, int n, char **args, struct svx_opts *o,
    int dashdash)
{
	struct life_opts *l = &o->life;

	l->dir = o->mig.dir;
	l->scandir = o->mig.scandir;
	l->dry_run = o->mig.dry_run;
	l->backends = o->lopts.backends;
	l->log = o->status_log;
	l->dashdash = dashdash;
	l->verbose = o->ctl.verbose;
	l->wait_ms = o->ctl.wait_ms;
	l->settle_ms = o->ctl.settle_ms;
	l->supervisedir = o->ctl.supervisedir;
	return life_verbs[row->cmd](n, args, l);
}

/* svx check's thresholds: kept as given, judged there (a bad one is
 * the plugin's UNKNOWN, not a usage error). */
static int
parse_check_option(int c, const char *arg, struct svx_opts *o)
{
	switch (c) {
	case OPT_WARN_UPTIME:
		o->check.warn_uptime = arg;
		break;
	case OPT_CRIT_UPTIME:
		o->check.crit_uptime = arg;
		break;
	case OPT_WARN_RESTARTS:
		o->check.warn_restarts = arg;
		break;
	default:
		o->check.crit_restarts = arg;
		break;
	}
	return 0;
}

static int
parse_perms_option(int c, const char *arg, struct svx_opts *o)
{
	switch (c) {
	case OPT_GROUP:
		o->perms.group = arg;
		break;
	case OPT_CONTROL:
		o->perms.control = 1;
		break;
	case OPT_SHOW:
		o->perms.show = 1;
		break;
	default:
		o->perms.reset = 1;
		break;
	}
	return 0;
}

/* import: --to, --dir (SVX_NEW_DIR by default), --dry-run. */
static enum svx_outcome
import(int n, char **args, const struct svx_opts *o)
{
	struct import_opts io = { o->mig.to, o->mig.dir != NULL ? o->mig.dir :
	    SVX_NEW_DIR, o->mig.dry_run };

	return svx_import(n, args, &io);
}

static int
parse_listing_option(int c, const char *arg, struct svx_opts *o)
{
	const char *backends[BACKEND_ALL_COUNT];
	int b;

	switch (c) {
	case 'a':
		o->all = 1;
		return 0;
	case OPT_JSON:
		o->lopts.format = FMT_JSON;
		return 0;
	case OPT_FORMAT:
		return parse_format(arg, o);
	case OPT_COLOR:
		return parse_color(arg, o);
	case OPT_STATE:
		return parse_mask("state", arg, row_state_names, ROW_NSTATES,
		    &o->lopts.states);
	default:
		for (b = 0; b < BACKEND_ALL_COUNT; b++)
			backends[b] = b == BACKEND_UNKNOWN ? NULL :
			    backend_name(b);
		return parse_mask("backend", arg, backends, BACKEND_ALL_COUNT,
		    &o->lopts.backends);
	}
}

static int
parse_fields(const char *list, struct svx_opts *o)
{
	const struct status_field *f;
	char buf[256], *p, *next;

	if (strlcpy(buf, list, sizeof(buf)) >= sizeof(buf))
		return -1;
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		if ((f = map_status_field(p)) == NULL || o->ctl.nfields >= CONTROL_MAX_FIELDS) {
			fprintf(stderr, "%s: -o: unknown field '%s' (see svx "
			    "--help)\n", getprogname(), p);
			return -1;
		}
		o->ctl.fields[o->ctl.nfields++] = f->id;
	}
	return 0;
}

/* help, version, --list: answered at once. */
static int
parse_about_option(int c, const char *arg, struct svx_opts *o)
{
	(void)o;
	if (c == OPT_LIST)
		exit(exit_code(list_words(arg)));
	if (c == 'V') {
		printf("svx %s\n", SVX_VERSION);
		exit(exit_code(OUT_OK));
	}
	usage(stdout);
	exit(exit_code(OUT_OK));
}

static int
parse_field_option(int c, const char *arg, struct svx_opts *o)
{
	(void)c;
	return parse_fields(arg, o);
}

static int
parse_wait_option(int c, const char *arg, struct svx_opts *o)
{
	switch (c) {
	case 'w':
		return parse_seconds(arg, &o->ctl.wait_ms);
	case 'W':
		o->ctl.wait_ms = DEFAULT_WAIT_MS;
		return arg != NULL ? parse_seconds(arg, &o->ctl.wait_ms) : 0;
	case OPT_SETTLE:
		return parse_settle(arg, &o->ctl.settle_ms);
	case OPT_KILL_ON_TIMEOUT:
		o->ctl.kill_on_timeout = 1;
		return 0;
	default:
		o->ctl.verbose = 1;
		return 0;
	}
}

static int
parse_log_option(int c, const char *arg, struct svx_opts *o)
{
	switch (c) {
	case 'n':
		return log_parse_lines(arg, &o->log);
	case 'f':
		o->log.follow = 1;
		return 0;
	case OPT_SINCE:
		return log_parse_since(arg, &o->log);
	default:
		o->status_log = 1;
		return 0;
	}
}

/* One parser a group (mappings' svx_option_groups says which). */
static int (*const option_parsers[OPTG_COUNT])(int, const char *,
    struct svx_opts *) = {
	[OPTG_ABOUT] = parse_about_option,
	[OPTG_LISTING] = parse_listing_option,
	[OPTG_FIELDS] = parse_field_option,
	[OPTG_WAIT] = parse_wait_option,
	[OPTG_LOG] = parse_log_option,
	[OPTG_LIFE] = parse_life_option,
	[OPTG_MIGRATE] = parse_migrate_option,
	[OPTG_CHECK] = parse_check_option,
	[OPTG_PERMS] = parse_perms_option,
};

static int
parse_options(int argc, char **argv, struct svx_opts *o)
{
	int c, group;

	while ((c = getopt_long(argc, argv, svx_shortopts, svx_longopts,
	    NULL)) != -1) {
		group = c >= 0 && c < OPT_END ? svx_option_groups[c] :
		    OPTG_NONE;
		if (group == OPTG_NONE || option_parsers[group] == NULL) {
			usage(stderr);
			return -1;
		}
		if (option_parsers[group](c, optarg, o) == -1)
			return -1;
	}
	return optind;
}

static int
colour_wanted(int color)
{
	const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

	if (color >= 0)
		return color;
	/* no-color.org: set and not empty. */
	return isatty(1) && (no == NULL || no[0] == '\0') && term != NULL &&
	    strcmp(term, "dumb") != 0;
}

static int
any_named(int n, char **args)
{
	int i;

	for (i = 0; i < n; i++)
		if (service_named_backend(args[i]) != NULL)
			return 1;
	return 0;
}

/*
 * A backend without directories lists its services from its own
 * answers (supervisord's getProcessInfo), as rows like any other.
 */
static void (*const named_rows[BACKEND_ALL_COUNT])(struct listing *,
    const char *) = {
	[BACKEND_SUPERVISORD] = sd_named_row,
};

/*
 * Named services among which some are of a backend without directories:
 * in the order given, each as a row of the one listing (every format).
 */
static enum svx_outcome
status_with_named(int n, char **args, struct svx_opts *o)
{
	const struct svx_adapter *named;
	struct listing l;
	int i, j;

	listing_begin(&l, &o->lopts);
	for (i = 0; i < n; i = j) {
		if ((named = service_named_backend(args[i])) != NULL) {
			named_rows[named->id](&l, args[i]);
			j = i + 1;
			continue;
		}
		for (j = i; j < n && service_named_backend(args[j]) == NULL;
		    j++)
			;
		listing_paths(&l, args + i, (size_t)(j - i), o->ctl.svdir);
	}
	return listing_end(&l);
}

/*
 * The services of the backends without directories, for status --all:
 * asked of their supervisors before the table starts (their names count
 * in its first column's width), listed after the scan directories'.
 */
static const struct named_listing {
	const void	*(*fetch)(const struct listing_opts *, size_t *widest);
	void		 (*rows)(const void *answer, struct listing *);
} named_listings[BACKEND_ALL_COUNT] = {
	[BACKEND_SUPERVISORD] = { sd_fetch, sd_listing },
};

/* Every service of every scan directory in use, and of every backend
 * without directories. */
static void
status_all(struct listing *l, struct scandir_list *scans,
    const struct svx_opts *o)
{
	const void *answers[BACKEND_ALL_COUNT] = { NULL };
	size_t b, w, widest = 0;

	listing_find_scandirs(scans);
	for (b = BACKEND_DIR_COUNT; b < BACKEND_ALL_COUNT; b++) {
		w = 0;
		if (named_listings[b].fetch != NULL)
			answers[b] = named_listings[b].fetch(&o->lopts, &w);
		if (w > widest)
			widest = w;
	}
	l->headings = widest > 0;	/* then every group gets its heading */
	if (o->lopts.format == FMT_TABLE) {
		if (listing_widest(scans, &o->lopts) > widest)
			widest = listing_widest(scans, &o->lopts);
		listing_header(l, widest);
	}
	listing_all(l, scans);
	for (b = BACKEND_DIR_COUNT; b < BACKEND_ALL_COUNT; b++)
		if (named_listings[b].rows != NULL)
			named_listings[b].rows(answers[b], l);
}

/*
 * status over many services: the named ones, or with --all every service
 * of every scan directory in use (the names are then patterns).
 */
static enum svx_outcome
status_many(int n, char **args, struct svx_opts *o)
{
	struct scandir_list scans;
	struct listing l;
	int i;

	o->lopts.color = colour_wanted(o->color);
	if (o->ctl.nfields > 0 && (o->format_given ||
	    o->lopts.format != FMT_LINES)) {
		fprintf(stderr, "%s: status: -o is a format of its own: not "
		    "with --json or --format\n", getprogname());
		return OUT_USAGE;
	}
	if (o->ctl.nfields > 0) {
		o->lopts.format = FMT_FIELDS;
		o->lopts.fields = o->ctl.fields;
		o->lopts.nfields = o->ctl.nfields;
	} else if (o->lopts.format == FMT_LINES && o->all &&
	    !o->format_given)
		o->lopts.format = FMT_TABLE;	/* --all's default */
	if (!o->all && n == 0) {
		fprintf(stderr, "%s: status: no service given (or --all)\n",
		    getprogname());
		return OUT_USAGE;
	}
	if (!o->all && any_named(n, args))
		return status_with_named(n, args, o);
	listing_begin(&l, &o->lopts);
	if (o->all) {
		for (i = 0; i < n && i < MAX_PATTERNS; i++)
			o->lopts.patterns[o->lopts.npatterns++] = args[i];
		status_all(&l, &scans, o);
	} else
		listing_paths(&l, args, (size_t)n, o->ctl.svdir);
	return listing_end(&l);
}

/*
 * status -l: each service's status line, then the last lines of its log
 * under it, as systemctl status shows the journal's.
 */
static enum svx_outcome
status_with_log(int n, char **args, struct svx_opts *o)
{
	enum svx_outcome worst = OUT_OK;
	int i;

	if (o->all || o->ctl.nfields > 0 || o->format_given ||
	    o->lopts.format != FMT_LINES || n == 0) {
		fprintf(stderr, "%s: status -l: named services, one line "
		    "each (no --all, -o, --json, --format)\n", getprogname());
		return OUT_USAGE;
	}
	for (i = 0; i < n; i++) {
		worst = outcome_worse(worst, status_many(1, args + i, o));
		fflush(stdout);
		log_status_lines(args[i], o->ctl.svdir, o->log.lines >= 0 ?
		    o->log.lines : STATUS_LOG_LINES);
	}
	return worst;
}

/* svx watch: its options gathered from the others'. */
static enum svx_outcome
watch(int n, char **args, struct svx_opts *o)
{
	struct watch_opts w;
	int i;

	memset(&w, 0, sizeof(w));
	w.all = o->all;
	w.json = o->lopts.format == FMT_JSON;
	w.verbose = o->ctl.verbose;
	w.svdir = o->ctl.svdir;
	w.supervisedir = o->ctl.supervisedir;
	if (o->all && n > WATCH_PATTERNS) {
		fprintf(stderr, "%s: watch: at most %d patterns with --all\n",
		    getprogname(), WATCH_PATTERNS);
		return OUT_USAGE;
	}
	for (i = 0; o->all && i < n; i++)
		w.patterns[w.npatterns++] = args[i];
	return svx_watch(n, args, &w);
}

/*
 * What each command runs, given the words after the verb (DASHDASH: a
 * "--" came just before the verb, as svx new's COMMAND may need): its
 * exit code.
 */
typedef int command_fn(const struct verb_row *, int n, char **args,
    struct svx_opts *, int dashdash);

/* Verbs on named services, one by one, or with -w all at once. */
static int
run_services(const struct verb_row *row, int n, char **args,
    struct svx_opts *o, int dashdash)
{
	enum svx_outcome worst = OUT_OK;
	size_t room;
	int i;

	(void)dashdash;
	if (n < 1) {
		fprintf(stderr, "%s: %s: no service given\n", getprogname(),
		    row->name);
		return exit_code(OUT_USAGE);
	}
	o->ctl.deadline_ms = monotonic_ms() + (o->ctl.wait_ms > 0 ?
	    o->ctl.wait_ms : 0);
	if (o->ctl.wait_ms >= 0 && row->cmd == CMD_CONTROL) {
		/* All at once when the descriptors allow (sv -w's one
		 * bound); past that, in waves sharing the one deadline. */
		room = wait_room((size_t)n);
		for (i = 0; i < n; i += (int)room)
			worst = outcome_worse(worst, control_wave(row, args + i,
			    (size_t)(n - i) < room ? (size_t)(n - i) : room,
			    &o->ctl));
		return exit_code(worst);
	}
	for (i = 0; i < n; i++)
		worst = outcome_worse(worst, control_one(row, args[i], &o->ctl));
	return exit_code(worst);
}

static int
run_status(const struct verb_row *row, int n, char **args,
    struct svx_opts *o, int dashdash)
{
	if (o->status_log)
		return exit_code(status_with_log(n, args, o));
	if (o->all || o->ctl.supervisedir == NULL)
		return exit_code(status_many(n, args, o));
	return run_services(row, n, args, o, dashdash);
}

static int
run_migrate(const struct verb_row *row, int n, char **args,
    struct svx_opts *o, int dashdash)
{
	(void)row;
	(void)dashdash;
	o->mig.all = o->all;
	o->mig.verbose = o->ctl.verbose;
	o->mig.svdir = o->ctl.svdir;
	o->mig.wait_ms = o->ctl.wait_ms;
	return exit_code(migrate(n, args, &o->mig));
}

static int
run_lifecycle(const struct verb_row *row, int n, char **args,
    struct svx_opts *o, int dashdash)
{
	return exit_code(lifecycle(row, n, args, o, dashdash));
}

static int
run_import(const struct verb_row *row, int n, char **args,
    struct svx_opts *o, int dashdash)
{
	(void)row;
	(void)dashdash;
	return exit_code(import(n, args, o));
}

static int
run_log(const struct verb_row *row, int n, char **args, struct svx_opts *o,
    int dashdash)
{
	(void)row;
	(void)dashdash;
	return exit_code(svx_log(n, args, &o->log, o->ctl.svdir));
}

static int
run_doctor(const struct verb_row *row, int n, char **args,
    struct svx_opts *o, int dashdash)
{
	(void)row;
	(void)dashdash;
	return exit_code(svx_doctor(n, args, o->lopts.format == FMT_JSON,
	    o->ctl.svdir, o->ctl.supervisedir));
}

static int
run_watch(const struct verb_row *row, int n, char **args, struct svx_opts *o,
    int dashdash)
{
	(void)row;
	(void)dashdash;
	return exit_code(watch(n, args, o));
}

/* A monitoring plugin's exit codes, not svx's. */
static int
run_check(const struct verb_row *row, int n, char **args, struct svx_opts *o,
    int dashdash)
{
	(void)row;
	(void)dashdash;
	return check_exit(svx_check(n, args, &o->check, o->ctl.svdir,
	    o->ctl.supervisedir));
}

static int
run_perms(const struct verb_row *row, int n, char **args, struct svx_opts *o,
    int dashdash)
{
	(void)row;
	(void)dashdash;
	return exit_code(svx_perms(n, args, &o->perms, o->ctl.svdir,
	    o->ctl.supervisedir));
}

static int
run_backend_env(const struct verb_row *row, int n, char **args,
    struct svx_opts *o, int dashdash)
{
	(void)row;
	(void)dashdash;
	return exit_code(backend_env(n, args, o->ctl.svdir,
	    o->ctl.supervisedir));
}

static command_fn *const commands[CMD_COUNT] = {
	[CMD_CONTROL] = run_services,
	[CMD_STATUS] = run_status,
	[CMD_PROBE] = run_services,
	[CMD_BACKEND_ENV] = run_backend_env,
	[CMD_MIGRATE] = run_migrate,
	[CMD_IMPORT] = run_import,
	[CMD_LOG] = run_log,
	[CMD_NEW] = run_lifecycle,
	[CMD_ENABLE] = run_lifecycle,
	[CMD_DISABLE] = run_lifecycle,
	[CMD_DOCTOR] = run_doctor,
	[CMD_WATCH] = run_watch,
	[CMD_CHECK] = run_check,
	[CMD_PERMS] = run_perms,
};

int
svx_main(int argc, char **argv)
{
	struct svx_opts o;
	const struct verb_row *row;
	int first;

	memset(&o, 0, sizeof(o));
	o.ctl.wait_ms = -1;
	o.ctl.settle_ms = WAIT_SETTLE_DEFAULT_MS;
	o.color = -1;		/* auto */
	o.log.lines = -1;
	o.ctl.svdir = getenv("SVDIR");
	o.ctl.supervisedir = getenv("SUPERVISEDIR");
	if ((first = parse_options(argc, argv, &o)) == -1)
		return exit_code(OUT_USAGE);
	if (first >= argc) {
		usage(stderr);
		return exit_code(OUT_USAGE);
	}
	if ((row = map_svx_verb(argv[first])) == NULL) {
		fprintf(stderr, "%s: unknown verb: %s (see svx --help)\n",
		    getprogname(), argv[first]);
		return exit_code(OUT_USAGE);
	}
	return commands[row->cmd](row, argc - first - 1, argv + first + 1, &o,
	    first > 1 && strcmp(argv[first - 1], "--") == 0);
}

