/*
 * A systemd unit file, read the way systemd's own parser reads it
 * (PROTOCOLS.md#systemd-units says which rules, in our words): lines,
 * continuations, comments, sections, assignments kept in order so that
 * the last one wins and an empty one resets a list. Silent and without
 * heap: every string lives in the struct unit's pool.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_comment(int c)
{
	return c == '#' || c == ';';
}

void
unit_init(struct unit *u)
{
	u->used = 1;		/* offset 0: the empty string */
	u->pool[0] = '\0';
	u->nentries = 0;
	u->nfiles = 0;
	u->bad_line = 0;
}

/* S..S+N into the pool, trimmed: its offset, or 0 and -1 when full. */
static long
pool_put(struct unit *u, const char *s, size_t n)
{
	size_t at = u->used;

	while (n > 0 && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return 0;
	if (n + 1 > sizeof(u->pool) - u->used)
		return -1;
	memcpy(u->pool + at, s, n);
	u->pool[at + n] = '\0';
	u->used += n + 1;
	return (long)at;
}

/* A line whose last character is an unescaped backslash goes on. */
static int
continues(const char *s, size_t n)
{
	size_t i;
	int escaped = 0;

	for (i = 0; i < n; i++)
		escaped = escaped ? 0 : s[i] == '\\';
	return escaped;
}

/* One logical line (continuations joined, their backslashes turned
 * into spaces, comment lines inside skipped) into LINE. */
struct reader {
	const char	*p, *end;
	unsigned int	 lineno;
	char		 line[UNIT_WORD_MAX * 4];
	size_t		 len;
};

static int
join(struct reader *r, const char *s, size_t n)
{
	if (r->len + n >= sizeof(r->line))
		return -1;
	memcpy(r->line + r->len, s, n);
	r->len += n;
	r->line[r->len] = '\0';
	return 0;
}

/* 1 a line, 0 the end, -1 a line too long. */
static int
next_line(struct reader *r, unsigned int *first)
{
	const char *s, *nl;
	size_t n, k;
	int going = 0;

	r->len = 0;
	r->line[0] = '\0';
	while (r->p < r->end) {
		s = r->p;
		nl = memchr(s, '\n', (size_t)(r->end - s));
		n = nl != NULL ? (size_t)(nl - s) : (size_t)(r->end - s);
		r->p = nl != NULL ? nl + 1 : r->end;
		r->lineno++;
		if (memchr(s, '\0', n) != NULL)
			n = strlen(s);	/* a NUL ends the line's text */
		for (k = 0; k < n && is_space((unsigned char)s[k]); k++)
			;
		if (going && k < n && is_comment(s[k]))
			continue;	/* a comment inside a continuation */
		if (!going)
			*first = r->lineno;
		if (continues(s, n)) {
			if (join(r, s, n - 1) == -1 || join(r, " ", 1) == -1)
				return -1;
			going = 1;
			continue;
		}
		return join(r, s, n) == -1 ? -1 : 1;
	}
	return going ? 1 : 0;
}

static int
add_entry(struct unit *u, long section, const char *line, const char *eq,
    unsigned int lineno)
{
	struct unit_entry *e;
	long key, value;

	if (u->nentries >= UNIT_ENTRIES_MAX)
		return -1;
	if ((key = pool_put(u, line, (size_t)(eq - line))) <= 0)
		return key == 0 ? 0 : -1;	/* "=x": no key, ignored */
	if ((value = pool_put(u, eq + 1, strlen(eq + 1))) == -1)
		return -1;
	e = &u->entry[u->nentries++];
	e->section = (unsigned int)section;
	e->key = (unsigned int)key;
	e->value = (unsigned int)value;
	e->file = (unsigned short)u->nfiles;
	e->line = lineno;
	return 0;
}

/* "[Name]": the section's name into the pool; -2 if not one (systemd
 * refuses the whole file then), -1 when the pool is full. */
static long
section_of(struct unit *u, const char *s)
{
	size_t n = strlen(s);
	long at;

	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	if (n < 3 || s[n - 1] != ']')
		return -2;
	at = pool_put(u, s + 1, n - 2);
	return at == 0 ? -2 : at;
}

int
unit_parse(struct unit *u, const char *text, size_t len, const char **why)
{
	struct reader r;
	unsigned int first = 0;
	long section = 0;
	const char *s, *eq;
	int got;

	r.p = text;
	r.end = text + len;
	r.lineno = 0;
	*why = NULL;
	if (u->nfiles >= UNIT_FILES_MAX) {
		*why = "too many files";
		return -1;
	}
	while ((got = next_line(&r, &first)) == 1) {
		for (s = r.line; is_space((unsigned char)*s); s++)
			;
		if (*s == '\0' || is_comment(*s))
			continue;
		if (*s == '[') {
			if ((section = section_of(u, s)) < 0)
				break;
			continue;
		}
		/* Outside a section, or with no '=': systemd warns and
		 * goes on. */
		if (section == 0 || (eq = strchr(s, '=')) == NULL)
			continue;
		if (add_entry(u, section, s, eq, first) == -1) {
			got = -2;
			break;
		}
	}
	u->nfiles++;
	if (got < 0 || section < 0) {
		u->bad_line = first;
		*why = got == -1 ? "a line too long" : section == -2 ?
		    "a section header that is not [Name]" : "more settings "
		    "than svx reads";
		return -1;
	}
	return 0;
}

static int
matches(const struct unit *u, size_t i, const char *section, const char *key)
{
	return strcmp(u->pool + u->entry[i].section, section) == 0 &&
	    strcmp(u->pool + u->entry[i].key, key) == 0;
}

const char *
unit_last(const struct unit *u, const char *section, const char *key)
{
	size_t i;

	for (i = u->nentries; i > 0; i--)
		if (matches(u, i - 1, section, key))
			return u->pool + u->entry[i - 1].value;
	return NULL;
}

int
unit_has(const struct unit *u, const char *section, const char *key)
{
	return unit_last(u, section, key) != NULL;
}

size_t
unit_list(const struct unit *u, const char *section, const char *key,
    const char **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < u->nentries; i++) {
		if (!matches(u, i, section, key))
			continue;
		if (u->pool[u->entry[i].value] == '\0') {
			n = 0;		/* "KEY=": the list starts again */
			continue;
		}
		if (n < max)
			out[n] = u->pool + u->entry[i].value;
		n++;
	}
	return n;
}

const char *
unit_section(const struct unit *u, size_t n)
{
	return u->pool + u->entry[n].section;
}

const char *
unit_key(const struct unit *u, size_t n)
{
	return u->pool + u->entry[n].key;
}

const char *
unit_value(const struct unit *u, size_t n)
{
	return u->pool + u->entry[n].value;
}
