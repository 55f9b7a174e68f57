/*
 * svx doctor SERVICE...: why each service is not doing what it should.
 * The checks are adapters/engine/doctor.c's rows, their words
 * mappings/doctor.c's templates; here they are filled in and printed,
 * one line per finding ("SERVICE: problem: ...; fix: ..."), or one JSON
 * object per service (svx.8 has the schema). Exit 0 when nothing was
 * found, 1 when something was.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/output.h"
#include "../common/report.h"
#include "../common/resolve.h"
#include "../control/control.h"
#include "../list/listing.h"
#include "../../adapters/engine/sd_doctor.h"
#include "../supervisord/sd_shim.h"
#include "svx.h"

#define DOCTOR_MAX	DOC_COUNT	/* a check finds once */
#define LINE_MAX_DOC	(2 * PATH_MAX + 512)

/* What the templates' placeholders are filled from. */
struct doc_fill {
	const char	*service;
	const char	*dir;
	const struct doctor_finding *f;
	const char	*backend;
};

static void
fill_last(struct text *t, const struct doc_fill *d)
{
	const char *name;
	int w = d->f->wstat;

	if (w == -1)
		text_add(t, "not recorded by %s", d->backend);
	else if (WIFEXITED(w))
		text_add(t, "exit %d", WEXITSTATUS(w));
	else if (WIFSIGNALED(w) && (name = signal_name(WTERMSIG(w))) != NULL)
		text_add(t, "signal %s", name);
	else
		text_add(t, "signal %d", WIFSIGNALED(w) ? WTERMSIG(w) : w);
}

static void
fill_rate(struct text *t, const struct doctor_finding *f)
{
	if (f->recorded)
		text_add(t, "%d deaths in the last %lld s", f->deaths,
		    (long long)(f->over_ms / 1000));
	else
		text_add(t, "%d death%s seen in %lld.%lld s", f->deaths,
		    f->deaths == 1 ? "" : "s", (long long)(f->over_ms / 1000),
		    (long long)(f->over_ms % 1000 / 100));
}

/* The last death in supervisord's words, and what it said of the start
 * (its spawnerr): a command it could not spawn has no death. */
static void
fill_cause(struct text *t, const struct doc_fill *d)
{
	const struct doctor_finding *f = d->f;

	if (f->death[0] != '\0') {
		text_puts(t, "last death: ");
		text_name(t, f->death);
	}
	if (f->death[0] != '\0' && f->what[0] != '\0')
		text_puts(t, "; ");
	if (f->what[0] != '\0') {
		text_puts(t, "supervisord says: ");
		text_name(t, f->what);
	}
	if (f->death[0] == '\0' && f->what[0] == '\0')
		text_puts(t, "its last death is not in supervisord's log");
}

/* One placeholder KEY (LEN bytes, no braces): 1 filled, 0 unknown. */
static int
fill(struct text *t, const char *key, size_t len, const struct doc_fill *d)
{
	/* Names are escaped as every svx line escapes them. */
	if (len == 7 && strncmp(key, "service", len) == 0)
		text_name(t, d->service);
	else if (len == 3 && strncmp(key, "dir", len) == 0)
		text_name(t, d->dir);
	else if (len == 4 && strncmp(key, "what", len) == 0)
		text_name(t, d->f->what);
	else if (len == 3 && strncmp(key, "err", len) == 0)
		text_puts(t, plain_strerror(d->f->err));
	else if (len == 3 && strncmp(key, "pid", len) == 0)
		text_add(t, "%ld", (long)d->f->pid);
	else if (len == 4 && strncmp(key, "last", len) == 0)
		fill_last(t, d);
	else if (len == 4 && strncmp(key, "rate", len) == 0)
		fill_rate(t, d->f);
	else if (len == 5 && strncmp(key, "cause", len) == 0)
		fill_cause(t, d);
	else
		return 0;
	return 1;
}

static void
expand(struct text *t, const char *tmpl, const struct doc_fill *d)
{
	const char *p = tmpl, *open, *close;

	while ((open = strchr(p, '{')) != NULL &&
	    (close = strchr(open, '}')) != NULL) {
		text_put(t, p, (size_t)(open - p));
		if (!fill(t, open + 1, (size_t)(close - open - 1), d))
			text_put(t, open, (size_t)(close - open + 1));
		p = close + 1;
	}
	text_puts(t, p);
}

static void
print_line(const struct doc_fill *d)
{
	const struct doctor_words *w = &doctor_words[d->f->check];
	char buf[LINE_MAX_DOC];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	text_name(&t, d->service);
	text_puts(&t, ": problem: ");
	expand(&t, w->problem, d);
	text_puts(&t, "; fix: ");
	expand(&t, w->fix, d);
	printf("%.*s\n", (int)t.len, t.buf);
}

static void
print_ok(const char *name)
{
	char buf[PATH_MAX + 64];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	text_name(&t, name);
	text_puts(&t, ": ok: nothing wrong found");
	printf("%.*s\n", (int)t.len, t.buf);
}

static void
json_text(const char *key, const char *tmpl, const struct doc_fill *d)
{
	char buf[LINE_MAX_DOC];
	struct text t;

	text_init(&t, buf, sizeof(buf));
	expand(&t, tmpl, d);
	buf[t.len < sizeof(buf) ? t.len : sizeof(buf) - 1] = '\0';
	printf(",\"%s\":", key);
	json_string(stdout, buf);
}

static const char *
check_name(enum doctor_check c)
{
	return c < DOC_DIR_COUNT ? doctor_rows[c].name :
	    sd_doctor_rows[c - DOC_DIR_COUNT].name;
}

/* A finding whose {what} is supervisord's spawn error (its {cause}). */
static int
said_by_supervisord(enum doctor_check c)
{
	return c == DOC_SD_FATAL || c == DOC_SD_BACKOFF;
}

static void
json_finding(const struct doc_fill *d)
{
	const struct doctor_finding *f = d->f;
	int w = f->wstat;

	printf("{\"check\":\"%s\"", check_name(f->check));
	json_text("problem", doctor_words[f->check].problem, d);
	json_text("fix", doctor_words[f->check].fix, d);
	/* supervisord's spawn error and detection's words are no path. */
	printf(",\"path\":");
	if (f->what[0] != '\0' && !said_by_supervisord(f->check) &&
	    f->check != DOC_OWNER_UNKNOWN)
		json_string(stdout, f->what);
	else
		fputs("null", stdout);
	if (said_by_supervisord(f->check)) {
		printf(",\"spawnerr\":");
		json_string(stdout, f->what);
	}
	if (f->check == DOC_OWNER_UNKNOWN) {
		printf(",\"evidence\":");
		json_string(stdout, f->what);
	}
	if (f->check == DOC_CRASH_LOOP)
		printf(",\"deaths\":%d,\"seconds\":%.1f", f->deaths,
		    (double)f->over_ms / 1000.0);
	if (f->check == DOC_CRASH_LOOP || said_by_supervisord(f->check)) {
		if (w != -1 && WIFEXITED(w))
			printf(",\"exit\":%d,\"signal\":null", WEXITSTATUS(w));
		else if (w != -1 && WIFSIGNALED(w))
			printf(",\"exit\":null,\"signal\":%d", WTERMSIG(w));
		else
			printf(",\"exit\":null,\"signal\":null");
	}
	putchar('}');
}

static void
json_service(const struct doc_fill *base, const struct doctor_finding *fs,
    size_t n)
{
	struct doc_fill d = *base;
	size_t i;

	printf("{\"service\":");
	json_string(stdout, base->service);
	printf(",\"path\":");
	json_string(stdout, base->dir);
	printf(",\"backend\":\"%s\",\"healthy\":%s,\"findings\":[",
	    base->backend, n == 0 ? "true" : "false");
	for (i = 0; i < n; i++) {
		d.f = &fs[i];
		if (i > 0)
			putchar(',');
		json_finding(&d);
	}
	printf("]}\n");
}

/*
 * A bare NAME no scan directory resolves may still be a link there to
 * nothing: the broken link is then the finding, not "no such service".
 */
static int
find_dangling(const char *name, char *path, size_t len)
{
	struct stat sb;
	size_t i;

	for (i = 0; default_scandirs[i] != NULL; i++)
		if (path_join(path, len, default_scandirs[i], name) == 0 &&
		    lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
			return 0;
	return -1;
}

/* What was found on D, printed: the outcome. */
static enum svx_outcome
print_findings(struct doc_fill *d, const struct doctor_finding *fs,
    size_t n, int json)
{
	size_t i;

	if (json)
		json_service(d, fs, n);
	for (i = 0; !json && i < n; i++) {
		d->f = &fs[i];
		print_line(d);
	}
	if (!json && n == 0)
		print_ok(d->service);
	return n == 0 ? OUT_OK : OUT_FALSE;
}

/* supervisord:NAME: what supervisord says of it; the path in --json is
 * supervisord's socket. */
static enum svx_outcome
doctor_sd(const char *name, int json)
{
	struct doctor_finding fs[DOCTOR_MAX];
	struct sd_doctor sd;
	struct sd_conn c;
	struct doc_fill d;

	memset(&c, 0, sizeof(c));
	if (sd_find_socket(&c) == -1)
		return sd_report(name, &c, SD_SOCKET_PATH);
	sd_doctor_open(&sd, &c, sd_program_name(name));
	d.service = name;
	d.dir = c.socket;
	d.backend = "supervisord";
	return print_findings(&d, fs, sd_doctor_run(&sd, fs, DOCTOR_MAX),
	    json);
}

/* A backend without directories is asked its own questions. */
static enum svx_outcome (*const named_doctors[BACKEND_ALL_COUNT])(
    const char *, int) = {
	[BACKEND_SUPERVISORD] = doctor_sd,
};

static enum svx_outcome
doctor_one(const char *name, int json, const char *svdir,
    const char *supervisedir)
{
	const struct svx_adapter *named;
	struct doctor_finding fs[DOCTOR_MAX];
	struct doctor_ctx c;
	struct doc_fill d;
	enum svx_outcome out;
	char path[PATH_MAX];
	struct stat sb;
	size_t n;

	if ((named = service_named_backend(name)) != NULL)
		return named_doctors[named->id](name, json);
	if (resolve_service(name, svdir, path, sizeof(path)) == -1 &&
	    (errno != ENOENT || is_path_argument(name) ||
	    find_dangling(name, path, sizeof(path)) == -1))
		return report_open_error(name, errno, !is_path_argument(name));
	/* Nothing there at all is no service, as for every verb. */
	if (lstat(path, &sb) == -1)
		return report_open_error(name, errno, 0);
	doctor_open(&c, path, supervisedir);
	n = doctor_run(&c, fs, DOCTOR_MAX);
	d.service = name;
	d.dir = path;
	d.backend = c.opened ? service_backend_name(&c.sv) : "unknown";
	out = print_findings(&d, fs, n, json);
	doctor_close(&c);
	return out;
}

enum svx_outcome
svx_doctor(int n, char **args, int json, const char *svdir,
    const char *supervisedir)
{
	enum svx_outcome worst = OUT_OK;
	int i;

	if (n == 0) {
		fprintf(stderr, "%s: doctor: no service given\n",
		    getprogname());
		return OUT_USAGE;
	}
	for (i = 0; i < n; i++) {
		worst = outcome_worse(worst, doctor_one(args[i], json, svdir,
		    supervisedir));
		fflush(stdout);
	}
	return worst;
}
