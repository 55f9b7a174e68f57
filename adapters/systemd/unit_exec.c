/*
 * A unit's command lines (ExecStart= and the others) split as systemd
 * splits them: words separated by whitespace, quotes ('...' and "...")
 * removed wherever they open, C escapes decoded inside and outside
 * quotes, the prefixes - @ : + ! !! on the first word, specifiers
 * resolved word by word, and at start $VAR / ${VAR} expanded
 * (PROTOCOLS.md#systemd-units). Silent, no heap.
 */
#include <string.h>

#include "../bytes.h"
#include "unit.h"

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Code point CP as UTF-8 into OUT (4 bytes room): its length, 0 if
 * not a character. */
static size_t
utf8_put(unsigned long cp, char *out)
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static const struct {
	char	 letter, byte;
} simple_escapes[] = {
	{ 'a', '\a' }, { 'b', '\b' }, { 'f', '\f' }, { 'n', '\n' },
	{ 'r', '\r' }, { 't', '\t' }, { 'v', '\v' }, { '\\', '\\' },
	{ '"', '"' }, { '\'', '\'' }, { 's', ' ' },
};

/* The escape after a backslash at P: bytes into OUT (4 room), the
 * characters it took into *TAKEN. Its length, or -1 if not one. */
static int
escape(const char *p, char *out, size_t *taken)
{
	unsigned long cp = 0;
	size_t i, digits;
	int v;

	for (i = 0; i < sizeof(simple_escapes) / sizeof(simple_escapes[0]);
	    i++)
		if (*p == simple_escapes[i].letter) {
			out[0] = simple_escapes[i].byte;
			*taken = 1;
			return 1;
		}
	if (*p == 'x') {
		if (hex_value(p[1]) < 0 || hex_value(p[2]) < 0 ||
		    (hex_value(p[1]) | hex_value(p[2])) == 0)
			return -1;	/* \x00 cannot be in a word */
		out[0] = (char)(hex_value(p[1]) * 16 + hex_value(p[2]));
		*taken = 3;
		return 1;
	}
	if (*p >= '0' && *p <= '7') {
		for (i = 0; i < 3; i++) {
			if (p[i] < '0' || p[i] > '7')
				return -1;
			cp = cp * 8 + (unsigned long)(p[i] - '0');
		}
		if (cp == 0 || cp > 255)
			return -1;
		out[0] = (char)cp;
		*taken = 3;
		return 1;
	}
	if (*p != 'u' && *p != 'U')
		return -1;
	digits = *p == 'u' ? 4 : 8;
	for (i = 1; i <= digits; i++) {
		if ((v = hex_value(p[i])) < 0)
			return -1;
		cp = cp * 16 + (unsigned long)v;
	}
	*taken = digits + 1;
	return (int)utf8_put(cp, out) > 0 ? (int)utf8_put(cp, out) : -1;
}

static int
put(char *out, size_t len, size_t *at, const char *s, size_t n)
{
	if (*at + n >= len)
		return -1;
	memcpy(out + *at, s, n);
	*at += n;
	return 0;
}

int
unit_word(const char **pp, char *out, size_t len, const char **why)
{
	const char *p = *pp;
	char quote = 0, esc[4];
	size_t at = 0, taken;
	int n;

	while (is_space((unsigned char)*p))
		p++;
	if (*p == '\0') {
		*pp = p;
		return 0;
	}
	for (; *p != '\0' && (quote != 0 || !is_space((unsigned char)*p));) {
		if (*p == '\\') {
			if (p[1] == '\0') {
				*why = "a backslash at the end";
				return -1;
			}
			if ((n = escape(p + 1, esc, &taken)) == -1) {
				*why = "an escape systemd does not know";
				return -1;
			}
			if (put(out, len, &at, esc, (size_t)n) == -1)
				goto long_word;
			p += 1 + taken;
		} else if (quote == 0 && (*p == '\'' || *p == '"'))
			quote = *p++;
		else if (quote != 0 && *p == quote) {
			quote = 0;
			p++;
		} else if (put(out, len, &at, p++, 1) == -1)
			goto long_word;
	}
	if (quote != 0) {
		*why = "an unterminated quote";
		return -1;
	}
	out[at] = '\0';
	*pp = p;
	return 1;
long_word:
	*why = "a word too long";
	return -1;
}

/* The prefixes of the first word, in any order, each at most once. */
static const char *
prefixes(const char *w, unsigned int *flags, const char **why)
{
	unsigned int f;

	*flags = 0;
	for (;; w++) {
		if (w[0] == '!' && w[1] == '!')
			f = EXEC_AMBIENT, w++;
		else if (*w == '-')
			f = EXEC_IGNORE_FAILURE;
		else if (*w == '@')
			f = EXEC_ARGV0;
		else if (*w == ':')
			f = EXEC_NO_ENV;
		else if (*w == '+')
			f = EXEC_FULL_PRIVS;
		else if (*w == '!')
			f = EXEC_NO_SETUID;
		else
			break;
		if (*flags & f) {
			*why = "a prefix given twice";
			return NULL;
		}
		*flags |= f;
	}
	if ((*flags & EXEC_FULL_PRIVS) && (*flags & (EXEC_NO_SETUID |
	    EXEC_AMBIENT))) {
		*why = "'+' with '!' or '!!'";
		return NULL;
	}
	return w;
}

int
unit_exec_parse(const char *value, const struct unit_name *n,
    const struct unit_context *c, struct unit_exec *e, const char **why)
{
	static char raw[UNIT_WORD_MAX];
	const char *p = value, *w;
	int got;

	e->nwords = 0;
	e->flags = 0;
	for (;;) {
		while (is_space((unsigned char)*p))
			p++;
		/* A lone ";" separates commands; a lone "\\;" is the word
		 * ";" (elsewhere "\\;" is no escape systemd knows). */
		if (p[0] == ';' && (p[1] == '\0' || is_space((unsigned char)
		    p[1]))) {
			*why = "several commands on one line (';')";
			return -1;
		}
		if (e->nwords > 0 && p[0] == '\\' && p[1] == ';' && (p[2] ==
		    '\0' || is_space((unsigned char)p[2]))) {
			p += 2;
			strlcpy(raw, ";", sizeof(raw));
			got = 1;
		} else if ((got = unit_word(&p, raw, sizeof(raw), why)) != 1)
			break;
		w = raw;
		if (e->nwords == 0 && (w = prefixes(raw, &e->flags, why)) ==
		    NULL)
			return -1;
		if (e->nwords >= UNIT_WORDS_MAX) {
			*why = "too many words";
			return -1;
		}
		if (unit_specifiers(w, n, c, e->word[e->nwords],
		    sizeof(e->word[0]), why) == -1)
			return -1;
		e->nwords++;
	}
	if (got == -1)
		return -1;
	if (e->nwords == 0 || e->word[0][0] == '\0') {
		*why = "no command";
		return -1;
	}
	/* With '@' the second word is argv[0]: one more must be there. */
	if (e->nwords < ((e->flags & EXEC_ARGV0) ? 2u : 1u)) {
		*why = "'@' with no argv[0]";
		return -1;
	}
	return 0;
}

/* ---- $VAR expansion ----------------------------------------------------- */

static int
name_char(int c, int first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (!first && c >= '0' && c <= '9');
}

static int
valid_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!name_char((unsigned char)s[i], i == 0))
			return 0;
	return n > 0;
}

/* The value of NAME (N bytes) in ENV, the last assignment winning. */
static const char *
lookup(const char *const *env, size_t nenv, const char *name, size_t n)
{
	size_t i;

	for (i = nenv; i > 0; i--)
		if (strncmp(env[i - 1], name, n) == 0 && env[i - 1][n] == '=')
			return env[i - 1] + n + 1;
	return NULL;
}

/* ${VAR} inside W replaced by its value, "$$" by "$", into OUT. */
static int
replace_in_word(const char *w, const char *const *env, size_t nenv,
    char *out, size_t len)
{
	const char *close, *v;
	size_t at = 0;

	while (*w != '\0') {
		if (w[0] == '$' && w[1] == '$') {
			if (put(out, len, &at, "$", 1) == -1)
				return -1;
			w += 2;
		} else if (w[0] == '$' && w[1] == '{' &&
		    (close = strchr(w + 2, '}')) != NULL &&
		    valid_name(w + 2, (size_t)(close - w - 2))) {
			v = lookup(env, nenv, w + 2, (size_t)(close - w - 2));
			if (v != NULL && put(out, len, &at, v, strlen(v)) == -1)
				return -1;
			w = close + 1;
		} else if (put(out, len, &at, w++, 1) == -1)
			return -1;
	}
	out[at] = '\0';
	return 0;
}

int
unit_exec_expand(struct unit_exec *e, const char *const *env, size_t nenv,
    const char **why)
{
	static char in[UNIT_WORDS_MAX][UNIT_WORD_MAX];
	static char split[UNIT_WORD_MAX];
	const char *v, *p;
	size_t i, nin = e->nwords;
	int got;

	if (e->flags & EXEC_NO_ENV)
		return 0;
	memcpy(in, e->word, sizeof(in[0]) * nin);
	e->nwords = 1;		/* the path is not expanded */
	for (i = 1; i < nin; i++) {
		if (in[i][0] == '$' && valid_name(in[i] + 1, strlen(in[i] +
		    1))) {
			/* The whole word: split at whitespace, quotes
			 * removed; unset or empty gives no word. */
			v = lookup(env, nenv, in[i] + 1, strlen(in[i] + 1));
			for (p = v != NULL ? v : ""; (got = unit_word(&p, split,
			    sizeof(split), why)) == 1;) {
				if (e->nwords >= UNIT_WORDS_MAX)
					goto too_many;
				memcpy(e->word[e->nwords++], split,
				    strlen(split) + 1);
			}
			if (got == -1)
				return -1;
			continue;
		}
		if (e->nwords >= UNIT_WORDS_MAX)
			goto too_many;
		if (replace_in_word(in[i], env, nenv, e->word[e->nwords],
		    sizeof(e->word[0])) == -1) {
			*why = "a word too long once expanded";
			return -1;
		}
		e->nwords++;
	}
	return 0;
too_many:
	*why = "too many words once expanded";
	return -1;
}
