/*
 * The output of svx status over many services: an aligned table for
 * people, a JSON document (schema svx.status/1, streamed), Prometheus'
 * textfile format (the metric names of node_exporter's former runit
 * collector), status lines, or -o fields. Rows are written as they come.
 */
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/report.h"
#include "listing.h"

#define FLAP_UPTIME	5	/* seconds: a younger service wanted up */
#define FLAP_WINDOW	60	/* s6: deaths counted over this many s */
#define FLAP_DEATHS	2
#define MAX_NAME_WIDTH	40
#define FIRST_RUN_SECS	2	/* a service started with its supervisor */

int
row_state_of(const struct batch_probe *p)
{
	return (int)row_state(p->det.verdict, p->status_ok, p->st.main.state);
}

static int
running(const struct batch_probe *p)
{
	return p->supervisor == SUP_RUNNING && p->status_ok;
}

/*
 * Flapping: wanted up but not up, or up for only a moment. s6 keeps a
 * death tally, which tells a fresh start from a restart loop; elsewhere a
 * process its supervisor started with itself is a first run, not a loop
 * (a manual start of a long-supervised service still looks like one for
 * FLAP_UPTIME seconds).
 */
/*
 * s6's restart loop, from its death tally. A FIFO or device there would
 * hold the whole listing: it is not read, and told, and the row stays.
 */
static int
s6_flapping(struct listing *l, const char *name, const char *scandir,
    const struct batch_probe *p)
{
	char buf[PATH_MAX * 4];
	const char *kind = "not a regular file";
	struct text t;
	int n;

	n = batch_recent_deaths(p->parentfd, p->name, l->now - FLAP_WINDOW,
	    &kind, NULL);
	if (n >= 0)
		return n >= FLAP_DEATHS;
	text_init(&t, buf, sizeof(buf));
	if (scandir != NULL) {
		text_name(&t, scandir);
		text_puts(&t, "/");
	}
	text_name(&t, name);
	fflush(l->out);
	fprintf(stderr, "%s: %s: supervise/death_tally is %s, not a regular "
	    "file: not read\n", getprogname(), buf, kind);
	l->worst = OUT_SYSTEM;
	return 0;
}

/* supervisord says it itself: BACKOFF, a start being retried. */
static int
said_flapping(struct listing *l, const char *name, const char *scandir,
    const struct batch_probe *p)
{
	(void)l;
	(void)name;
	(void)scandir;
	return p->said_flapping;
}

/* A backend's own evidence of a restart loop, where it keeps one. */
static int (*const flap_judges[BACKEND_ALL_COUNT])(struct listing *,
    const char *, const char *, const struct batch_probe *) = {
	[BACKEND_S6] = s6_flapping,
	[BACKEND_SUPERVISORD] = said_flapping,
};

static int
flapping(struct listing *l, const char *name, const char *scandir,
    const struct batch_probe *p)
{
	const struct svx_proc *m = &p->st.main;

	if (!running(p) || m->want != WANT_UP)
		return 0;
	if (m->state == STATE_UP && l->now - m->since.sec >= FLAP_UPTIME)
		return 0;
	if (flap_judges[p->det.backend] != NULL)
		return flap_judges[p->det.backend](l, name, scandir, p);
	if (m->state != STATE_UP)
		return m->state != STATE_STARTING && m->state != STATE_STARTED;
	return process_first_child(m->pid, FIRST_RUN_SECS) != 1;
}

static int
wanted(const struct listing *l, const struct batch_probe *p)
{
	const struct listing_opts *o = l->opts;

	if (o->states != 0 && !(o->states & (1U << row_state_of(p))))
		return 0;
	return o->backends == 0 || (o->backends & (1U << p->det.backend));
}

/* A batch_probe as the one-service code knows a service. */
static void
as_service(const struct batch_probe *p, struct svx_service *sv)
{
	memset(sv, 0, sizeof(*sv));
	sv->dirfd = sv->svfd = -1;
	sv->det = p->det;
	sv->st = p->st;
	sv->status_ok = p->status_ok;
	sv->normally_down = p->normally_down;
	sv->adapter = adapter_for(p->det.backend);
	sv->native_state = p->native_state;
}

static void
count(struct listing *l, const struct batch_probe *p, int flaps)
{
	int s = row_state_of(p);

	l->total++;
	if (s == ROW_UP)
		l->up++;
	else if (s == ROW_UNSUPERVISED)
		l->unsupervised++;
	else if (s == ROW_UNKNOWN)
		l->unknown++;
	else
		l->down++;
	l->flapping += flaps != 0;
	if (p->det.verdict == VERDICT_ERROR && p->det.err == EACCES)
		l->denied = 1;
	if (s == ROW_UNKNOWN && svx_exits.code[l->worst] <
	    svx_exits.code[OUT_SYSTEM])
		l->worst = OUT_SYSTEM;
}

/* ---- JSON ------------------------------------------------------------ */

/* A JSON string: control characters escaped, bad UTF-8 as U+FFFD. */
void
json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', f);
	while (*p != '\0') {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p++);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p++);
		else if ((n = utf8_seq_len(p)) == 0) {
			fputs("\\ufffd", f);
			p++;
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
	}
	fputc('"', f);
}

/*
 * The fields every row and its log have, in the schema's order; values
 * as -o has them (fields.c), unknown ones as null.
 */
static const enum status_field_id json_fields[] = {
	SF_STATE, SF_PID, SF_SINCE, SF_WANT, SF_NORMALLY, SF_PAUSED, SF_READY,
	SF_EXIT, SF_SIGNAL,
};

static void
json_value(FILE *f, const struct field_value *v)
{
	switch (v->kind) {
	case FV_ABSENT:
		fputs("null", f);
		break;
	case FV_NUMBER:
		fprintf(f, "%lld", v->number);
		break;
	case FV_BOOL:
		fputs(v->number ? "true" : "false", f);
		break;
	case FV_WORD:
		json_string(f, v->word);
		break;
	}
}

static void
json_field(FILE *f, enum status_field_id id, const struct svx_service *sv,
    int64_t now)
{
	struct field_value v;

	field_get(id, NULL, sv, now, &v);
	fprintf(f, "\"%s\":", status_fields[id].name);
	json_value(f, &v);
}

static void
json_common(FILE *f, const struct batch_probe *p, int64_t now)
{
	struct svx_service sv;
	size_t i;

	as_service(p, &sv);
	json_field(f, SF_BACKEND, &sv, now);
	fputc(',', f);
	json_field(f, SF_SUPERVISOR, &sv, now);
	/* Only a source's rows have a state word of their own. */
	fputs(",\"native_state\":", f);
	if (p->native_state != NULL)
		json_string(f, p->native_state);
	else
		fputs("null", f);
	for (i = 0; i < sizeof(json_fields) / sizeof(json_fields[0]); i++) {
		fputc(',', f);
		json_field(f, json_fields[i], &sv, now);
	}
}

static void
json_row(struct listing *l, const char *name, const char *scandir,
    const struct batch_probe *p, const struct batch_probe *log, int flaps)
{
	FILE *f = l->out;
	char path[PATH_MAX * 2];

	fputs(l->rows > 0 ? ",\n" : "\n", f);
	fputs("{\"name\":", f);
	json_string(f, name);
	/* A supervisord program's path is its name: it has no directory.
	 * A named directory's is its parent's, absolute, and its base. */
	if (!backend_has_directory(p->det.backend))
		scandir = NULL;
	else if (scandir == NULL)
		scandir = l->named_dir;
	snprintf(path, sizeof(path), "%s%s%s", scandir != NULL ? scandir : "",
	    scandir != NULL ? "/" : "", scandir != NULL ? p->name : name);
	fputs(",\"path\":", f);
	json_string(f, path);
	fputc(',', f);
	json_common(f, p, l->now);
	fprintf(f, ",\"flapping\":%s,\"log\":", flaps ? "true" : "false");
	if (log == NULL && !(p->status_ok && p->st.has_log))
		fputs("null", f);
	else if (log != NULL) {
		fputc('{', f);
		json_common(f, log, l->now);
		fputc('}', f);
	} else {
		struct batch_probe enc = *p;	/* encore's ./log record */

		enc.st.main = p->st.log;
		fputc('{', f);
		json_common(f, &enc, l->now);
		fputc('}', f);
	}
	fputc('}', f);
}

/* ---- Prometheus ------------------------------------------------------ */

/* node_service_state: runit's state byte's numbers. */
static long long
state_number(const struct field_value *v)
{
	return v->code == ROW_UP || v->code == ROW_STOPPING ? 1 :
	    v->code == ROW_FINISHING ? 2 : 0;
}

static long long
want_up(const struct field_value *v)
{
	return v->code == WANT_UP;
}

static long long
normally_up(const struct field_value *v)
{
	return v->code;		/* 1 up, 0 down */
}

static long long
as_number(const struct field_value *v)
{
	return v->number;
}

static long long
supervisor_up(const struct field_value *v)
{
	return v->code == SUPERVISOR_RUNNING;
}

/*
 * Each metric is one field's value (fields.c), as a number. A value not
 * known has no sample; the process metrics have none either while the
 * supervisor is not running (the record is stale).
 */
static const struct {
	const char	*name;
	const char	*help;
	enum status_field_id field;
	long long	(*value)(const struct field_value *);
	int		 live_only;
} metrics[] = {
	{ "node_service_state", "State of the service: 0 down, 1 up, "
	    "2 finishing (as runit's state byte).", SF_STATE, state_number, 1 },
	{ "node_service_desired_state", "Desired state of the service: "
	    "0 down, 1 up.", SF_WANT, want_up, 1 },
	{ "node_service_normal_state", "Normal state of the service: 0 down "
	    "(a ./down file), 1 up.", SF_NORMALLY, normally_up, 0 },
	{ "node_service_state_last_change_unixtime", "Unix time of the "
	    "service's last state change.", SF_SINCE, as_number, 1 },
	{ "svx_supervisor_up", "Whether the service's supervisor runs: 1 yes, "
	    "0 no (its status is stale, not reported); absent when unknown.",
	    SF_SUPERVISOR, supervisor_up, 0 },
};

/* Label values: \\, \" and \n escaped; other control bytes and bad UTF-8
 * have no escape in the text format, and become '?'. */
static void
prom_label(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', f);
	while (*p != '\0') {
		if (*p == '\\' || *p == '"')
			fprintf(f, "\\%c", *p++);
		else if (*p == '\n') {
			fputs("\\n", f);
			p++;
		} else if (*p < 0x20 || *p == 0x7f || (n = utf8_seq_len(p)) == 0) {
			fputc('?', f);
			p++;
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
	}
	fputc('"', f);
}

#define NMETRICS	(sizeof(metrics) / sizeof(metrics[0]))
_Static_assert(NMETRICS == LISTING_METRICS, "listing.h's LISTING_METRICS");

/*
 * The text format wants each metric's samples together, one group after
 * the other, while rows come service by service: each metric's samples go
 * to a temporary file of its own (the listing's metric_files), copied out
 * at the end (memory stays flat).
 */
static int
prom_begin(FILE **metric_files)
{
	size_t i;

	for (i = 0; i < NMETRICS; i++)
		if ((metric_files[i] = tmpfile()) == NULL)
			return -1;
	return 0;
}

static int
prom_end(FILE **metric_files, FILE *out)
{
	char buf[8192];
	size_t i, r;
	int bad = 0;

	for (i = 0; i < NMETRICS; i++) {
		fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n",
		    metrics[i].name, metrics[i].help, metrics[i].name);
		if (metric_files[i] == NULL)
			continue;
		bad |= ferror(metric_files[i]) || fflush(metric_files[i]) ==
		    EOF;
		rewind(metric_files[i]);
		while ((r = fread(buf, 1, sizeof(buf), metric_files[i])) > 0)
			fwrite(buf, 1, r, out);
		fclose(metric_files[i]);
		metric_files[i] = NULL;
	}
	return bad ? -1 : 0;
}

static void
prom_sample(struct listing *l, size_t metric, const char *name,
    const char *scandir, const struct batch_probe *p, long long value)
{
	FILE *f = l->metric_files[metric] != NULL ? l->metric_files[metric] :
	    l->out;

	fprintf(f, "%s{service=", metrics[metric].name);
	prom_label(f, name);
	fputs(",backend=", f);
	prom_label(f, backend_name(p->det.backend));
	if (scandir != NULL) {
		fputs(",scandir=", f);
		prom_label(f, scandir);
	}
	fprintf(f, "} %lld\n", value);
}

static void
prom_row(struct listing *l, const char *name, const char *scandir,
    const struct batch_probe *p)
{
	struct svx_service sv;
	struct field_value v;
	size_t m;

	as_service(p, &sv);
	for (m = 0; m < NMETRICS; m++) {
		if (metrics[m].live_only && !running(p))
			continue;
		field_get(metrics[m].field, name, &sv, l->now, &v);
		if (v.kind == FV_ABSENT ||
		    (metrics[m].field == SF_SUPERVISOR &&
		    v.code == SUPERVISOR_UNKNOWN))
			continue;
		prom_sample(l, m, name, scandir, p, metrics[m].value(&v));
	}
}

/* ---- the table ------------------------------------------------------- */

#define GREEN	"\033[32m"
#define RED	"\033[31m"
#define YELLOW	"\033[33m"
#define CYAN	"\033[36m"

/* Green: fine; red: broken; yellow: cannot tell; cyan: on its way. */
static const char *const state_colours[ROW_NSTATES] = {
	[ROW_UP] = GREEN, [ROW_DOWN] = "", [ROW_STARTING] = CYAN,
	[ROW_STARTED] = CYAN, [ROW_FINISHING] = CYAN, [ROW_STOPPING] = CYAN,
	[ROW_FAILED] = RED, [ROW_EXITED] = RED, [ROW_UNSUPERVISED] = YELLOW,
	[ROW_UNKNOWN] = YELLOW,
};

/* Flapping, or down while wanted up, is broken whatever the state. */
static const char *
state_colour(const struct batch_probe *p, int flaps)
{
	if (flaps || (running(p) && p->st.main.want == WANT_UP &&
	    row_state_of(p) == ROW_DOWN))
		return RED;
	return state_colours[row_state_of(p)];
}

static void
table_flags(struct text *t, const struct listing *l,
    const struct batch_probe *p, int flaps)
{
	struct svx_service sv;
	size_t start;

	as_service(p, &sv);
	if (!p->status_ok) {
		if (p->supervisor == SUP_UNKNOWN)
			text_add(t, "%s", p->det.err == EACCES ?
			    "permission denied" : p->det.why);
		return;
	}
	if (!running(p)) {
		text_puts(t, "stale: ");
		format_proc(t, &sv, &p->st.main, l->now);
		return;
	}
	/* format_proc's flags, without its state and duration. */
	start = t->len;
	format_proc(t, &sv, &p->st.main, l->now);
	{
		const char *comma = strchr(t->buf + start, ',');

		if (comma == NULL)
			t->len = start;
		else {
			memmove(t->buf + start, comma + 2, strlen(comma + 2) + 1);
			t->len = strlen(t->buf);
		}
		t->buf[t->len] = '\0';
	}
	if (flaps)
		text_add(t, "%sflapping", t->len > start ? ", " : "");
	if (p->native_state != NULL)
		text_add(t, "%s[%s]", t->len > start ? " " : "",
		    p->native_state);
}

static void
table_row(struct listing *l, const char *name, const struct batch_probe *p,
    const struct batch_probe *log, int flaps)
{
	const struct svx_proc *m = &p->st.main;
	const char *colour = l->opts->color ? state_colour(p, flaps) : "";
	char nbuf[PATH_MAX * 4], dur[32], flags[512], pid[16];
	struct text t, t_name;
	size_t w = name_width(name);

	text_init(&t_name, nbuf, sizeof(nbuf));
	text_name(&t_name, name);
	text_init(&t, dur, sizeof(dur));
	if (running(p) && m->since.sec > 0)
		format_duration(&t, l->now - m->since.sec);
	else
		text_puts(&t, "-");
	if (running(p) && m->pid != 0 && m->state != STATE_EXITED)
		snprintf(pid, sizeof(pid), "%ld", (long)m->pid);
	else
		strlcpy(pid, "-", sizeof(pid));
	text_init(&t, flags, sizeof(flags));
	table_flags(&t, l, p, flaps);
	fprintf(l->out, "%s%*s  %-11s  %s%-12s%s  %7s  %-8s  %-30s  %s\n",
	    nbuf, (int)(w < l->name_width ? l->name_width - w : 0), "",
	    p->det.backend == BACKEND_UNKNOWN ? "-" :
	    backend_name(p->det.backend), colour,
	    row_state_names[row_state_of(p)], colour[0] != '\0' ?
	    "\033[0m" : "", pid, dur, flags, log != NULL ?
	    row_state_names[row_state_of(log)] : p->status_ok &&
	    p->st.has_log ? state_names[p->st.log.state] : "-");
}

/* Over several scan directories, rows are grouped under their path:
 * the same name can live in each (web under runit and under s6). */
static void
table_heading(struct listing *l, const char *scandir)
{
	char buf[PATH_MAX * 4];
	struct text t;

	if (!l->headings || scandir == NULL || (l->heading != NULL &&
	    strcmp(l->heading, scandir) == 0))
		return;
	text_init(&t, buf, sizeof(buf));
	text_name(&t, scandir);
	fprintf(l->out, "%s:\n", buf);
	l->heading = scandir;
}

/* ---- rows ------------------------------------------------------------ */

static void
fields_row(struct listing *l, const char *name, const struct batch_probe *p)
{
	struct svx_service sv;
	char buf[PATH_MAX + 512];
	struct text t;

	as_service(p, &sv);
	text_init(&t, buf, sizeof(buf));
	format_fields(&t, l->opts->fields, l->opts->nfields, name, &sv, l->now);
	fputs(buf, l->out);
}

static void
lines_row(struct listing *l, const char *name, const struct batch_probe *p,
    const struct batch_probe *log)
{
	struct svx_service sv, logsv;
	char buf[PATH_MAX + 512];
	struct text t;

	as_service(p, &sv);
	if (log != NULL)
		as_service(log, &logsv);
	if (p->det.verdict != VERDICT_SUPERVISED &&
	    p->det.verdict != VERDICT_UNSUPERVISED) {
		report_verdict(name, &sv);
		return;
	}
	text_init(&t, buf, sizeof(buf));
	format_status_line(&t, name, &sv, log != NULL ? &logsv : NULL, l->now);
	fputs(buf, l->out);
}

static void
emit(struct listing *l, const char *name, const char *scandir,
    const struct batch_probe *p, const struct batch_probe *log)
{
	int flaps;

	if (p->missing != 0) {
		/* A named path that is not there: no row in any format. */
		listing_open_error(l, name, p->missing);
		return;
	}
	if (!wanted(l, p))
		return;
	flaps = flapping(l, name, scandir, p);
	count(l, p, flaps);
	switch (l->opts->format) {
	case FMT_JSON:
		json_row(l, name, scandir, p, log, flaps);
		break;
	case FMT_PROMETHEUS:
		prom_row(l, name, scandir, p);
		if (log != NULL) {
			char logname[NAME_MAX * 2];

			snprintf(logname, sizeof(logname), "%s/log", name);
			prom_row(l, logname, scandir, log);
		}
		break;
	case FMT_TABLE:
		table_heading(l, scandir);
		table_row(l, name, p, log, flaps);
		break;
	case FMT_FIELDS:
		fields_row(l, name, p);
		break;
	default:
		lines_row(l, name, p, log);
		break;
	}
	l->rows++;
}

void
listing_row(struct listing *l, const char *scandir,
    const struct batch_probe *p, const struct batch_probe *log)
{
	emit(l, p->name, scandir, p, log);
}

void
listing_named_row(struct listing *l, const char *name,
    const struct batch_probe *p, const struct batch_probe *log)
{
	enum svx_outcome out;

	emit(l, name, NULL, p, log);
	(void)report_migration(name, p->parentfd, p->name, p->missing == 0);
	if (p->missing != 0)
		return;		/* listing_open_error() counted it */
	out = map_status_outcome(p->det.verdict, p->status_ok);
	if (out == OUT_OK && log != NULL &&
	    verdict_outcomes[log->det.verdict] == OUT_SYSTEM)
		out = OUT_SYSTEM;
	if (svx_exits.code[out] > svx_exits.code[l->worst])
		l->worst = out;
}

/* The table's header, once, with the name column WIDTH wide. */
void
listing_header(struct listing *l, size_t width)
{
	if (l->opts->format != FMT_TABLE || l->name_width > 0)
		return;
	l->name_width = width < 7 ? 7 : width > MAX_NAME_WIDTH ?
	    MAX_NAME_WIDTH : width;
	fprintf(l->out, "%-*s  %-11s  %-12s  %7s  %-8s  %-30s  %s\n",
	    (int)l->name_width, "SERVICE", "BACKEND", "STATE", "PID", "FOR",
	    "FLAGS", "LOG");
}

void
listing_dir_error(struct listing *l, const char *path, int err)
{
	fflush(l->out);
	fprintf(stderr, "%s: %s: cannot read the scan directory: %s\n",
	    getprogname(), path, strerror(err));
	if (err == EACCES)
		l->denied = 1;
	l->worst = OUT_SYSTEM;
}

void
listing_open_error(struct listing *l, const char *arg, int err)
{
	enum svx_outcome out = err == ENOENT || err == ENOTDIR ?
	    OUT_NOT_SUPERVISED : OUT_SYSTEM;

	fflush(l->out);
	fprintf(stderr, "%s: %s: %s\n", getprogname(), arg, err == ENOENT ?
	    "no such directory" : err == ENOTDIR ? "not a directory" :
	    strerror(err));
	if (err == EACCES)
		l->denied = 1;
	if (svx_exits.code[out] > svx_exits.code[l->worst])
		l->worst = out;
}

void
listing_begin(struct listing *l, const struct listing_opts *o)
{
	memset(l, 0, sizeof(*l));
	l->opts = o;
	l->out = stdout;
	l->now = now_seconds();
	l->worst = OUT_OK;
	if (o->format == FMT_JSON)
		fprintf(l->out, "{\"schema\":\"%s\",\"services\":[", JSON_SCHEMA);
	if (o->format == FMT_PROMETHEUS && prom_begin(l->metric_files) == -1) {
		fprintf(stderr, "%s: cannot make a temporary file for the "
		    "Prometheus output: %s\n", getprogname(), strerror(errno));
		l->worst = OUT_SYSTEM;
	}
}

/* The exit outcome. */
int
listing_end(struct listing *l)
{
	if (l->opts->format == FMT_JSON)
		fputs(l->rows > 0 ? "\n]}\n" : "]}\n", l->out);
	if (l->opts->format == FMT_PROMETHEUS &&
	    prom_end(l->metric_files, l->out) == -1) {
		fprintf(stderr, "%s: cannot write the Prometheus output: %s\n",
		    getprogname(), strerror(errno));
		l->worst = OUT_SYSTEM;
	}
	if (l->opts->format == FMT_TABLE)
		fprintf(l->out, "%u service%s: %u up, %u down, %u unsupervised, "
		    "%u flapping%s\n", l->total, l->total == 1 ? "" : "s",
		    l->up, l->down, l->unsupervised, l->flapping,
		    l->unknown > 0 ? ", some unknown" : "");
	if (l->denied) {
		fflush(l->out);
		fprintf(stderr, "%s: permission denied: some services could "
		    "not be read: their supervise/ directories are root's; "
		    "%s\n", getprogname(), perms_denied_hint);
	}
	return l->worst;
}
