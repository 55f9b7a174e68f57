/*
 * The native tools' words for a command not sent: each personality's
 * line is a template in its mappings/ table (struct send_words); this
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
	static const char *const names[] = { "dir", "backend", "what", "err" };
	const char *values[] = { c->dir, c->backend, c->what, err };
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

enum svx_outcome
compat_say_word(const struct send_words *w, const struct send_word *row,
    const struct send_context *c)
{
	char buf[PATH_MAX + 512];
	const char *text = c->exiting && row->exiting != NULL ? row->exiting :
	    row->text;
	struct text t;

	if (text == NULL)
		return row->outcome;
	text_init(&t, buf, sizeof(buf));
	expand(&t, text, c, w->err_text(row->err != 0 ? row->err : c->err));
	/* What went to stdout before stays before it on a shared terminal. */
	fflush(stdout);
	fprintf(w->on_stdout ? stdout : stderr, "%s\n", buf);
	fflush(w->on_stdout ? stdout : stderr);
	return c->exiting && row->exiting != NULL ? OUT_OK : row->outcome;
}

enum svx_outcome
compat_say_send(const struct send_words *w, enum send_result r,
    const struct send_context *c)
{
	return compat_say_word(w, &w->row[r], c);
}
