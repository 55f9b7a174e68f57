/*
 * The native tools' words for a command not sent, or for a service they
 * can neither read nor control: each personality's line is a template in
 * its mappings/ tables (struct send_words, struct cannot_words); this
 * fills it in and says it where that tool says it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../common/output.h"
#include "compat.h"

/* The value of the {NAME} placeholder of LEN bytes, or NULL. */
static const char *
placeholder(const char *name, size_t len, const struct send_context *c,
    const char *err)
{
	static const char *const names[] = { "dir", "backend", "what", "err",
	    "why", "svdir" };
	const char *values[] = { c->dir, c->backend, c->what, err, c->why,
	    c->svdir };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(name, names[i], len) == 0)
			return values[i] != NULL ? values[i] : "";
	return NULL;
}

/* TEMPLATE with its placeholders filled in; unknown ones stay as they are. */
static void
expand(struct text *t, const char *template, const struct send_context *c,
    const char *err)
{
	const char *p = template, *open, *close, *value;

	while ((open = strchr(p, '{')) != NULL &&
	    (close = strchr(open, '}')) != NULL) {
		text_put(t, p, (size_t)(open - p));
		value = placeholder(open + 1, (size_t)(close - open - 1), c, err);
		if (value != NULL)
			text_puts(t, value);
		else
			text_put(t, open, (size_t)(close + 1 - open));
		p = close + 1;
	}
	text_puts(t, p);
}

/* ROW's line, on stdout or stderr; the outcome it counts as. */
static enum svx_outcome
say_word_row(int on_stdout, const char *(*err_text)(int), const struct send_word *row,
    const struct send_context *c)
{
	char buf[PATH_MAX + 512];
	const char *text = c->exiting && row->exiting != NULL ? row->exiting :
	    row->text;
	FILE *f = on_stdout ? stdout : stderr;
	struct text t;

	if (text == NULL)
		return row->outcome;
	text_init(&t, buf, sizeof(buf));
	expand(&t, text, c, err_text(row->err != 0 ? row->err : c->err));
	/* What went to stdout before stays before it on a shared terminal. */
	fflush(stdout);
	fprintf(f, "%s\n", buf);
	fflush(f);
	return c->exiting && row->exiting != NULL ? OUT_OK : row->outcome;
}

enum svx_outcome
compat_say_word(const struct send_words *w, const struct send_word *row,
    const struct send_context *c)
{
	return say_word_row(w->on_stdout, w->err_text, row, c);
}

enum svx_outcome
compat_say_send(const struct send_words *w, enum send_result r,
    const struct send_context *c)
{
	return compat_say_word(w, &w->row[r], c);
}

/* The reason each verdict gives, before the supervise/ facts refine it. */
static const enum cannot_reason verdict_reasons[VERDICT_COUNT] = {
	[VERDICT_SUPERVISED] = CANNOT_BAD_FORMAT,
	[VERDICT_UNSUPERVISED] = CANNOT_NOT_RUNNING,
	[VERDICT_NOT_SERVICE] = CANNOT_NOT_SERVICE,
	[VERDICT_AMBIGUOUS] = CANNOT_AMBIGUOUS,
	[VERDICT_ERROR] = CANNOT_ERROR,
};

/*
 * Nobody runs it: no supervise/ at all, or a $SUPERVISEDIR one (an empty
 * $SUPERVISEDIR names /ok) without ok, are the open of ok failing
 * ENOENT, which the daemontools tools say as such.
 */
enum cannot_reason
compat_cannot(const struct svx_service *sv, struct send_context *c)
{
	const struct svx_detect *d = &sv->det;
	enum cannot_reason r = verdict_reasons[d->verdict];

	c->why = d->why;
	c->err = d->err;
	if (r == CANNOT_NOT_SERVICE)
		c->err = sv->svdir_err != 0 ? sv->svdir_err : ENOENT;
	if (r != CANNOT_NOT_RUNNING)
		return r;
	if (sv->svdir_err == ENOENT)
		return CANNOT_NO_SVDIR;
	if (sv->relocated && sv->svdir_err == 0 && !(d->ev.files & EV_OK))
		return CANNOT_NO_OK;
	return r;
}

enum svx_outcome
compat_say_cannot(const struct cannot_words *w, enum cannot_reason r,
    const struct send_context *c)
{
	return say_word_row(w->on_stdout, w->err_text, &w->row[r], c);
}

void
compat_put_cannot(struct text *t, const struct cannot_words *w,
    enum cannot_reason r, const struct send_context *c)
{
	const struct send_word *row = &w->row[r];

	if (row->text != NULL)
		expand(t, row->text, c, w->err_text(row->err != 0 ?
		    row->err : c->err));
}
