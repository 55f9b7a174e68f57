/*
 * svx check SERVICE...: a monitoring plugin (Nagios, Icinga, Naemon,
 * Sensu): one line, "SVX STATE - what | perfdata", and the state as the
 * exit code, 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. The facts are
 * adapters/engine/check.c's, the verdict mappings/check.c's rules; over
 * several services the worst state wins and each gets its part of the
 * one line.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/output.h"
#include "../common/resolve.h"
#include "../../adapters/engine/sd_doctor.h"
#include "../supervisord/sd_shim.h"
#include "svx.h"

#define CHECK_LINE	8192	/* the status line and its perfdata */

struct check_line {
	struct text	 text, perf;
	char		 tbuf[CHECK_LINE], pbuf[CHECK_LINE];
	enum check_state worst;
	int		 several;	/* perfdata labels carry the name */
};

static int
parse_limit(const char *opt, const char *arg, long long max, long long *v)
{
	const char *errstr;

	*v = -1;
	if (arg == NULL)
		return 0;
	*v = strtonum(arg, 0, max, &errstr);
	if (errstr == NULL)
		return 0;
	printf("SVX UNKNOWN - --%s %s: %s (0 to %lld)\n", opt, arg, errstr,
	    max);
	return -1;
}

static int
parse_limits(const struct check_opts *o, struct check_limits *l)
{
	long long v[4];

	if (parse_limit("warn-uptime", o->warn_uptime, 315360000, &v[0]) ||
	    parse_limit("crit-uptime", o->crit_uptime, 315360000, &v[1]) ||
	    parse_limit("warn-restarts", o->warn_restarts, 1000000, &v[2]) ||
	    parse_limit("crit-restarts", o->crit_restarts, 1000000, &v[3]))
		return -1;
	l->warn_uptime = v[0];
	l->crit_uptime = v[1];
	l->warn_restarts = (long)v[2];
	l->crit_restarts = (long)v[3];
	return 0;
}

/* A perfdata label: WHAT, after the name's last component (without
 * quotes, '=' or control characters) when there are several. */
static void
label(struct text *t, const char *name, const char *what, int several)
{
	char buf[PATH_MAX], *base;
	size_t i, len;

	if (!several) {
		text_puts(t, what);
		return;
	}
	strlcpy(buf, name, sizeof(buf));
	for (len = strlen(buf); len > 1 && buf[len - 1] == '/'; len--)
		buf[len - 1] = '\0';
	base = strrchr(buf, '/') != NULL && buf[1] != '\0' ?
	    strrchr(buf, '/') + 1 : buf;
	for (i = 0; base[i] != '\0'; i++)
		if (base[i] == '\'' || base[i] == '=' ||
		    (unsigned char)base[i] < 0x20)
			base[i] = '_';
	text_add(t, "'%s %s'", base, what);
}

static void
limit_text(struct text *t, long long v, int at_least)
{
	if (v >= 0)
		text_add(t, at_least ? "%lld:" : "%lld", v);
}

/* uptime=Ns;WARN:;CRIT:;0; restarts=N;WARN;CRIT;0; (restarts when kept). */
static void
perfdata(struct check_line *c, const char *name,
    const struct check_facts *f, const struct check_limits *l)
{
	struct text *t = &c->perf;

	if (f->read != CR_OK)
		return;
	if (t->len > 0)
		text_puts(t, " ");
	label(t, name, "uptime", c->several);
	text_add(t, "=%llds;", check_is_up(f) && f->age >= 0 ?
	    (long long)f->age : 0LL);
	limit_text(t, l->warn_uptime, 1);
	text_puts(t, ";");
	limit_text(t, l->crit_uptime, 1);
	text_puts(t, ";0;");
	if (f->restarts < 0)
		return;
	text_puts(t, " ");
	label(t, name, "restarts", c->several);
	text_add(t, "=%ld;", f->restarts);
	limit_text(t, l->warn_restarts, 0);
	text_puts(t, ";");
	limit_text(t, l->crit_restarts, 0);
	text_puts(t, ";0;");
}

static void
describe(struct text *t, const char *name, const struct check_facts *f,
    const struct check_rule *r, const struct check_limits *l)
{
	text_name(t, name);
	if (f->read != CR_OK) {
		text_add(t, ": %s", check_read_words[f->read]);
		if (f->read == CR_NOT_SERVICE && f->err != 0)
			text_add(t, " (%s)", strerror(f->err));
		else if ((f->read == CR_UNREADABLE ||
		    f->read == CR_NOT_SERVICE) && f->why != NULL)
			text_add(t, " (%s)", f->why);
		if (r->why != NULL)
			text_add(t, ", %s", r->why);
		return;
	}
	text_add(t, " %s", state_names[f->state]);
	if (f->age >= 0)
		text_add(t, " %llds", (long long)f->age);
	if (f->pid > 0)
		text_add(t, " (pid %ld)", (long)f->pid);
	if (f->restarts >= 0)
		text_add(t, ", %ld restart%s", f->restarts,
		    f->restarts == 1 ? "" : "s");
	else if (l->warn_restarts >= 0 || l->crit_restarts >= 0)
		text_add(t, ", restarts not counted by %s", f->backend);
	if (f->crash_loop)
		text_add(t, ", crash loop: %d death%s in %lld s", f->deaths,
		    f->deaths == 1 ? "" : "s", (long long)(f->over_ms / 1000));
	else if (r->why != NULL)
		text_add(t, ", %s", r->why);
}

/*
 * A supervisord program, read as svx status reads it (one
 * getProcessInfo). supervisord counts no restarts: none is given.
 * Nothing listening is no supervisor (CRITICAL); a supervisord that
 * hangs or answers garbage, or a socket svx may not use, leaves the
 * state unknown (mappings/check.c's check_sd_reads).
 */
static void
check_sd(const char *arg, struct check_facts *f)
{
	const struct sd_target *t;
	struct svx_service sv;

	f->backend = "supervisord";
	if (service_open_named(service_named_backend(arg), arg, 0, &sv) == -1) {
		f->read = CR_UNREADABLE;
		f->why = errno == ENAMETOOLONG ? "supervisord's socket path or "
		    "the program's name is too long" : strerror(errno);
		return;
	}
	t = sv.source_arg;
	check_facts_of(&sv, f);
	f->normally_down = 0;		/* supervisord has no ./down */
	if (t->result != SD_OK)		/* else as its record was read */
		f->read = (size_t)t->result < check_sd_nreads ?
		    check_sd_reads[t->result] : CR_UNREADABLE;
	if (t->result == SD_FAULT) {
		f->read = t->conn->fault_code == SD_FAULT_BAD_NAME ?
		    CR_NOT_SERVICE : CR_UNREADABLE;
		f->why = t->conn->fault_code == SD_FAULT_BAD_NAME ?
		    "supervisord has no such program" :
		    "supervisord answered with a fault";
	}
	service_close(&sv);
}

/* A backend without directories: its facts as its supervisor says. */
static void (*const named_checks[BACKEND_ALL_COUNT])(const char *,
    struct check_facts *) = {
	[BACKEND_SUPERVISORD] = check_sd,
};

static void
check_one(struct check_line *c, const char *name,
    const struct check_limits *l, const char *svdir,
    const char *supervisedir)
{
	const struct svx_adapter *named;
	char path[PATH_MAX];
	struct check_facts f;
	const struct check_rule *r;

	memset(&f, 0, sizeof(f));
	f.age = f.restarts = -1;
	if ((named = service_named_backend(name)) != NULL)
		named_checks[named->id](name, &f);
	else if (resolve_service(name, svdir, path, sizeof(path)) == -1) {
		f.read = errno == EACCES ? CR_DENIED : CR_NOT_SERVICE;
		f.err = errno;
	} else
		check_gather(path, supervisedir, &f);
	r = check_judge(&f, l);
	c->worst = check_worse(c->worst, r->state);
	if (c->text.len > 0)
		text_puts(&c->text, "; ");
	describe(&c->text, name, &f, r, l);
	perfdata(c, name, &f, l);
}

int
svx_check(int n, char **args, const struct check_opts *o, const char *svdir,
    const char *supervisedir)
{
	struct check_line c;
	struct check_limits l;
	size_t k;
	int i;

	if (parse_limits(o, &l) == -1)
		return CHECK_UNKNOWN;
	if (n == 0) {
		printf("SVX UNKNOWN - no service given\n");
		return CHECK_UNKNOWN;
	}
	memset(&c, 0, sizeof(c));
	text_init(&c.text, c.tbuf, sizeof(c.tbuf));
	text_init(&c.perf, c.pbuf, sizeof(c.pbuf));
	c.worst = CHECK_OK;
	c.several = n > 1;
	for (i = 0; i < n; i++)
		check_one(&c, args[i], &l, svdir, supervisedir);
	/* '|' starts the perfdata: a name holding one must not. */
	for (k = 0; k < c.text.len; k++)
		if (c.tbuf[k] == '|')
			c.tbuf[k] = '!';
	printf("SVX %s - %.*s", check_state_names[c.worst], (int)c.text.len,
	    c.text.buf);
	if (c.perf.len > 0)
		printf(" | %.*s", (int)c.perf.len, c.perf.buf);
	putchar('\n');
	return c.worst;
}
