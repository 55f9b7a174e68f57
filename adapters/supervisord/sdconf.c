/*
 * supervisord's configuration files: the INI dialect of Python's
 * RawConfigParser as supervisor sets it up (';' and '#' comments, also
 * inline after a blank; '=' or ':'; indented lines continue a value;
 * keys in any case; a section may come twice, the last value wins), and
 * the two word syntaxes supervisor applies to values.
 */
#include <sys/utsname.h>

#include <ctype.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../files/svfiles.h"
#include "sdconf.h"

#define LINE_MAX_LEN	4096

/* supervisord's own search, from its working directory
 * (PROTOCOLS.md#supervisord-configuration). */
const char *const sdconf_search_paths[] = {
	"supervisord.conf", "etc/supervisord.conf", "/etc/supervisord.conf",
	"/etc/supervisor/supervisord.conf", NULL,
};

/* ---- locating ---------------------------------------------------------- */

/* supervisord's options that take an argument
 * (PROTOCOLS.md#supervisord-configuration). */
static const char short_with_argument[] = "cumdlyzejiqa";
static const char *const long_with_argument[] = {
	"configuration", "user", "umask", "directory", "logfile",
	"logfile_maxbytes", "logfile_backups", "loglevel", "pidfile",
	"identifier", "childlogdir", "minfds", "minprocs", "profile_options",
	NULL,
};
static const char *const long_without_argument[] = {
	"help", "version", "nodaemon", "nocleanup", "strip_ansi", "silent",
	NULL,
};

/* Python getopt's long option NAME (given abbreviated, maybe): the one
 * it means, or NULL when none or several do. */
static const char *
long_option(const char *name, size_t n, int *argument)
{
	const char *const *lists[] = { long_with_argument,
	    long_without_argument };
	const char *found = NULL;
	size_t l, i;

	for (l = 0; l < 2; l++)
		for (i = 0; lists[l][i] != NULL; i++) {
			if (strncmp(lists[l][i], name, n) != 0)
				continue;
			if (strlen(lists[l][i]) == n) {
				*argument = l == 0;
				return lists[l][i];
			}
			if (found != NULL)
				return NULL;
			found = lists[l][i];
			*argument = l == 0;
		}
	return found;
}

/*
 * The -c of supervisord's command line, as Python's getopt reads it:
 * -c FILE, -cFILE, -nc FILE, --configuration[=]FILE or an abbreviation
 * (--conf=FILE); the other options skipped with their arguments.
 */
const char *
sdconf_config_argument(const char *const *argv, size_t argc)
{
	const char *a, *eq, *name;
	size_t i, j;
	int arg = 0;

	for (i = 0; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0 || a[0] != '-' || a[1] == '\0')
			return NULL;
		if (a[1] == '-') {
			eq = strchr(a, '=');
			name = long_option(a + 2, eq != NULL ? (size_t)(eq - a -
			    2) : strlen(a + 2), &arg);
			if (name == NULL || !arg || eq != NULL) {
				if (name != NULL && strcmp(name,
				    "configuration") == 0 && eq != NULL)
					return eq + 1;
				continue;
			}
			if (++i >= argc)
				return NULL;
			if (strcmp(name, "configuration") == 0)
				return argv[i];
			continue;
		}
		for (j = 1; a[j] != '\0'; j++) {
			if (strchr(short_with_argument, a[j]) == NULL)
				continue;
			/* The rest of the word, or the next one, is its value. */
			if (a[j + 1] != '\0')
				return a[j] == 'c' ? a + j + 1 : NULL;
			if (++i >= argc)
				return NULL;
			if (a[j] == 'c')
				return argv[i];
			break;
		}
	}
	return NULL;
}

static int
from_dir(const char *dir, const char *path, char *out, size_t len)
{
	int n = path[0] == '/' ? snprintf(out, len, "%s", path) :
	    snprintf(out, len, "%s/%s", dir, path);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * PATH with "." and ".." folded and doubled slashes gone, as Python's
 * os.path.abspath has it (links are not followed: supervisord's
 * %(here)s is the directory as named).
 */
static void
normalize(char *path)
{
	char out[PATH_MAX];
	const char *p = path, *e;
	size_t at = 0, n;

	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		e = p + strcspn(p, "/");
		n = (size_t)(e - p);
		if (n == 1 && p[0] == '.')
			;
		else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (at > 0 && out[at - 1] != '/')
				at--;
			if (at > 0)
				at--;
		} else if (at + n + 1 < sizeof(out)) {
			out[at++] = '/';
			memcpy(out + at, p, n);
			at += n;
		}
		p = e;
	}
	if (at == 0)
		out[at++] = '/';
	out[at] = '\0';
	strlcpy(path, out, PATH_MAX);
}

/*
 * supervisord's own arguments start after its script: "supervisord",
 * "python3 -sP /usr/bin/supervisord" or "python3 -m
 * supervisor.supervisord" (no script path to search from then: "").
 */
static const char *
script_of(const char *const *argv, size_t argc, size_t *next)
{
	const char *base;
	size_t i;

	for (i = 0; i < argc && i < 8; i++) {
		if (strcmp(argv[i], "supervisor.supervisord") == 0) {
			*next = i + 1;
			return "";
		}
		base = strrchr(argv[i], '/');
		base = base != NULL ? base + 1 : argv[i];
		if (strncmp(base, "supervisord", 11) == 0) {
			*next = i + 1;
			return argv[i];
		}
	}
	*next = 1;
	return argv[0];
}

int
sdconf_locate(pid_t pid, char *out, size_t len)
{
	char proc[64], cwd[PATH_MAX], args[8192], here[PATH_MAX];
	const char *argv[256], *env = getenv("SVX_SUPERVISORD_CONF"), *c,
	    *script;
	const char *const *rest;
	size_t argc = 0, next, i;
	ssize_t n;

	if (env != NULL && env[0] != '\0')
		return strlcpy(out, env, len) < len ? 0 : -1;
	snprintf(proc, sizeof(proc), "/proc/%ld/cwd", (long)pid);
	if ((n = readlink(proc, cwd, sizeof(cwd) - 1)) <= 0)
		return -1;
	cwd[n] = '\0';
	snprintf(proc, sizeof(proc), "%ld", (long)pid);
	if ((n = proc_read(proc, "cmdline", args, sizeof(args))) <= 0)
		return -1;
	for (c = args; c < args + n && argc < 256; c += strlen(c) + 1)
		argv[argc++] = c;
	if (argc == 0)
		return -1;
	script = script_of(argv, argc, &next);
	rest = argv + next;
	if ((c = sdconf_config_argument(rest, argc - next)) != NULL) {
		if (from_dir(cwd, c, out, len) == -1)
			return -1;
		normalize(out);
		return 0;
	}
	/* Its own search: two paths from its script's place, then these. */
	if (script[0] != '\0' && from_dir(cwd, script, here,
	    sizeof(here)) == 0) {
		normalize(here);
		path_dir(here, here, sizeof(here));
		path_dir(here, here, sizeof(here));
		for (i = 0; i < 2; i++) {
			snprintf(out, len, "%s/%s", strcmp(here, "/") == 0 ?
			    "" : here, i == 0 ? "etc/supervisord.conf" :
			    "supervisord.conf");
			if (access(out, R_OK) == 0)
				return 0;
		}
	}
	for (i = 0; sdconf_search_paths[i] != NULL; i++)
		if (from_dir(cwd, sdconf_search_paths[i], out, len) == 0 &&
		    access(out, R_OK) == 0)
			return 0;
	return -1;
}

/* ---- the INI dialect --------------------------------------------------- */

/*
 * Python's configparser as supervisor sets it up, line by line: comment
 * prefixes ';' and '#' on a whole line, and inline after a blank (in
 * rounds: the first round where any prefix's next occurrence follows a
 * blank ends the line there); a line indented deeper than its option's
 * continues that value (a blank line too, kept empty); "[NAME]..." is a
 * header (up to the last ']'); else KEY=VALUE or KEY: VALUE.
 */
enum ini_kind { INI_SKIP, INI_HEADER, INI_OPTION, INI_MORE };

struct ini {
	const char	*p;
	size_t		 indent;	/* of the open option's line */
	int		 open;		/* an option a line can continue */
};

struct ini_line {
	const char	*start, *next;	/* the raw line, and the one after */
	enum ini_kind	 kind;
	char		 text[LINE_MAX_LEN];	/* the value, trimmed */
	char		*key, *value;		/* INI_OPTION */
	int		 too_long;
};

static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static size_t
comment_start(const char *line, size_t n)
{
	size_t at[2] = { 0, 0 }, best = n, i, j;
	const char prefixes[2] = { ';', '#' };
	int live[2] = { 1, 1 }, found = 0;

	while (!found && (live[0] || live[1]))
		for (i = 0; i < 2; i++) {
			if (!live[i])
				continue;
			for (j = at[i]; j < n && line[j] != prefixes[i]; j++)
				;
			if (j == n) {
				live[i] = 0;
				continue;
			}
			at[i] = j + 1;
			if ((j == 0 || blank(line[j - 1])) && j < best) {
				best = j;
				found = 1;
			}
		}
	for (i = 0; i < n && blank(line[i]); i++)
		;
	return i < n && (line[i] == ';' || line[i] == '#') ? 0 : best;
}

static void
trim_into(char *out, size_t len, const char *s, size_t n, int *too_long)
{
	while (n > 0 && blank(*s)) {
		s++;
		n--;
	}
	while (n > 0 && blank(s[n - 1]))
		n--;
	*too_long = n >= len;
	if (n >= len)
		n = len - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static int
ini_next(struct ini *in, struct ini_line *l)
{
	const char *s = in->p, *e;
	size_t n, cut, indent;
	char *d, *k;

	if (*s == '\0')
		return 0;
	e = strchr(s, '\n');
	l->start = s;
	l->next = in->p = e != NULL ? e + 1 : s + strlen(s);
	n = (size_t)((e != NULL ? e : l->next) - s);
	cut = comment_start(s, n);
	trim_into(l->text, sizeof(l->text), s, cut, &l->too_long);
	l->key = l->value = NULL;
	if (l->text[0] == '\0') {
		/* An empty line is part of an open value; a comment is not. */
		l->kind = in->open && cut == n ? INI_MORE : INI_SKIP;
		return 1;
	}
	for (indent = 0; indent < n && blank(s[indent]); indent++)
		;
	if (in->open && indent > in->indent) {
		l->kind = INI_MORE;
		return 1;
	}
	in->indent = indent;
	in->open = 0;
	if (l->text[0] == '[' && (d = strrchr(l->text, ']')) != NULL &&
	    d > l->text + 1) {
		l->kind = INI_HEADER;
		*d = '\0';
		l->value = l->text + 1;
		return 1;
	}
	d = l->text + strcspn(l->text, "=:");
	if (*d == '\0') {
		l->kind = INI_SKIP;	/* supervisord would not start */
		return 1;
	}
	*d = '\0';
	for (k = d; k > l->text && blank(k[-1]); k--)
		;
	*k = '\0';
	for (d++; blank(*d); d++)
		;
	l->kind = INI_OPTION;
	l->key = l->text;
	l->value = d;
	in->open = 1;
	return 1;
}

int
sdconf_has_section(const char *text, const char *section)
{
	struct ini in = { text, 0, 0 };
	struct ini_line l;

	while (ini_next(&in, &l))
		if (l.kind == INI_HEADER && strcmp(l.value, section) == 0)
			return 1;
	return 0;
}

/* KEY of SECTION only, continuation lines joined: 1, 0, or -1. */
static int
value_in(const char *text, const char *section, const char *key, char *out,
    size_t len)
{
	struct ini in = { text, 0, 0 };
	struct ini_line l;
	int here = 0, mine = 0, found = 0, bad = 0;
	size_t at = 0;

	while (ini_next(&in, &l)) {
		if (l.kind == INI_HEADER) {
			here = strcmp(l.value, section) == 0;
			mine = 0;
		} else if (l.kind == INI_MORE && here && mine) {
			bad |= buf_append(out, len, &at, "\n");
			bad |= buf_append(out, len, &at, l.text);
			bad |= l.too_long;
		} else if (l.kind == INI_OPTION && here) {
			mine = strcasecmp(l.key, key) == 0;
			if (!mine)
				continue;
			/* A later one wins, as RawConfigParser, strict off. */
			at = 0;
			out[0] = '\0';
			bad = buf_append(out, len, &at, l.value) | l.too_long;
			found = 1;
		}
	}
	/* configparser drops a value's trailing empty lines. */
	while (at > 0 && out[at - 1] == '\n')
		out[--at] = '\0';
	return bad ? -1 : found;
}

int
sdconf_value(const char *text, const char *section, const char *key,
    char *out, size_t len)
{
	int r = value_in(text, section, key, out, len);

	/* configparser's [DEFAULT] holds every section's defaults. */
	return r == 0 ? value_in(text, "DEFAULT", key, out, len) : r;
}

static int
listed(const char *name, const char *const *sections, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, sections[i]) == 0)
			return 1;
	return 0;
}

int
sdconf_comment_out(const char *text, const char *const *sections, size_t n,
    char *out, size_t len)
{
	struct ini in = { text, 0, 0 };
	struct ini_line l;
	size_t at = 0, ln;
	int inside = 0;

	out[0] = '\0';
	while (ini_next(&in, &l)) {
		if (l.kind == INI_HEADER)
			inside = listed(l.value, sections, n);
		if (l.too_long)
			return -1;
		ln = (size_t)(l.next - l.start);
		if ((inside && buf_append(out, len, &at, "; svx migrate: ")) ||
		    at + ln >= len)
			return -1;
		memcpy(out + at, l.start, ln);
		at += ln;
		out[at] = '\0';
	}
	return 0;
}

/* ---- %(name)s ---------------------------------------------------------- */

static const char *
env_lookup(const struct sd_expand *x, const char *name)
{
	const char *p = x->environ, *end = x->environ + x->environ_len;
	size_t n = strlen(name);

	for (; p < end; p += strlen(p) + 1)
		if (strncmp(p, name, n) == 0 && p[n] == '=')
			return p + n + 1;
	return NULL;
}

static const char *
expansion(const struct sd_expand *x, const char *name, const char **why)
{
	const char *v = NULL;

	if (strncmp(name, "ENV_", 4) == 0) {
		if (x->environ_len == 0)
			*why = "%(ENV_...)s needs supervisord's environment, "
			    "which svx cannot read";
		else if ((v = env_lookup(x, name + 4)) == NULL)
			*why = "%(ENV_...)s names a variable supervisord "
			    "does not have";
		return v;
	}
	v = strcmp(name, "here") == 0 ? x->here :
	    strcmp(name, "program_name") == 0 ? x->program_name :
	    strcmp(name, "group_name") == 0 ? x->group_name :
	    strcmp(name, "host_node_name") == 0 ? x->host_node_name :
	    strcmp(name, "process_num") == 0 ? x->process_num :
	    strcmp(name, "numprocs") == 0 ? "1" : NULL;
	if (v == NULL)
		*why = "an expansion svx does not know";
	return v;
}

/* One "%(name)FMT" at IN: its text into OUT; the length read, or -1. */
static int
expand_one(const char *in, const struct sd_expand *x, char *out, size_t len,
    size_t *at, const char **why)
{
	char name[64];
	const char *close = strchr(in + 2, ')'), *v, *f;
	size_t n;
	int width;

	if (close == NULL || (n = (size_t)(close - in - 2)) >= sizeof(name)) {
		*why = "an unterminated %(";
		return -1;
	}
	memcpy(name, in + 2, n);
	name[n] = '\0';
	/* The conversion: s, or d with an optional 0-padded width. */
	for (f = close + 1; isdigit((unsigned char)*f); f++)
		;
	if ((*f != 's' && *f != 'd') || f - close > 4) {
		*why = "a %() conversion other than s or d";
		return -1;
	}
	if ((v = expansion(x, name, why)) == NULL)
		return -1;
	if (*f == 'd') {
		width = (int)strtol(close + 1, NULL, 10);
		n = (size_t)(close[1] == '0' ? snprintf(out + *at, len - *at,
		    "%0*ld", width, strtol(v, NULL, 10)) : snprintf(out + *at,
		    len - *at, "%*ld", width, strtol(v, NULL, 10)));
		if (*at + n >= len)
			return -1;
		*at += n;
	} else {
		/* %(name)10s: Python pads on the left, as printf does. */
		width = (int)strtol(close + 1, NULL, 10);
		n = (size_t)snprintf(out + *at, len - *at, "%*s", width, v);
		if (*at + n >= len)
			return -1;
		*at += n;
	}
	return (int)(f + 1 - in);
}

int
sdconf_expand(const char *in, const struct sd_expand *x, char *out,
    size_t len, const char **why)
{
	size_t at = 0;
	int n;

	*why = "too long";
	if (len == 0)
		return -1;
	out[0] = '\0';
	while (*in != '\0') {
		if (in[0] == '%' && in[1] == '%') {
			n = 2;
			if (buf_append(out, len, &at, "%"))
				return -1;
		} else if (in[0] == '%' && in[1] == '(') {
			if ((n = expand_one(in, x, out, len, &at, why)) < 0)
				return -1;
		} else {
			if (at + 1 >= len)
				return -1;
			out[at++] = *in;
			out[at] = '\0';
			n = 1;
		}
		in += n;
	}
	return 0;
}

/* ---- [include] ----------------------------------------------------------- */

int
sdconf_includes(const char *text, const struct sd_expand *x,
    char (*paths)[PATH_MAX], size_t max)
{
	char files[4096], expanded[4096], pattern[PATH_MAX], *w, *save;
	const char *why;
	glob_t g;
	size_t n = 0, i;
	int r;

	r = sdconf_value(text, "include", "files", files, sizeof(files));
	if (r <= 0)
		return r;
	if (sdconf_expand(files, x, expanded, sizeof(expanded), &why) == -1)
		return -1;
	for (w = strtok_r(expanded, " \t\n", &save); w != NULL;
	    w = strtok_r(NULL, " \t\n", &save)) {
		if (from_dir(x->here, w, pattern, sizeof(pattern)) == -1)
			return -1;
		/* glob sorts, as supervisord sorts each glob's matches. */
		if (glob(pattern, 0, NULL, &g) != 0)
			continue;
		if (g.gl_pathc > max - n) {
			globfree(&g);
			return -1;
		}
		for (i = 0; i < g.gl_pathc; i++)
			strlcpy(paths[n++], g.gl_pathv[i], PATH_MAX);
		globfree(&g);
	}
	return (int)n;
}

/* ---- environment= -------------------------------------------------------- */

/*
 * Python's shlex, not POSIX (datatypes.dict_of_key_value_pairs): word
 * characters run together (quotes inside a word are plain characters), a
 * quoted token ends at its closing quote and keeps both quotes, '#'
 * starts a comment, any other character is a token by itself.
 */
static int
word_char(int c)
{
	return isalnum(c) || c == '_' || (c != '\0' && strchr("/.+-():", c));
}

static const char *
skip_comment(const char *p)
{
	while (*p != '\0' && *p != '\n')
		p++;
	return p;
}

/* The next token of *P into TOK: 1, 0 at the end, -1 unterminated. */
static int
shlex_token(const char **pp, char *tok, size_t len)
{
	const char *p = *pp;
	size_t at = 0;
	char q;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '#')
			break;
		p = skip_comment(p);
	}
	if (*p == '\0')
		return 0;
	if (*p == '\'' || *p == '"') {
		q = *p;
		tok[at++] = *p++;
		while (*p != q) {
			if (*p == '\0' || at + 2 >= len)
				return -1;
			tok[at++] = *p++;
		}
		tok[at++] = *p++;
	} else if (word_char((unsigned char)*p)) {
		while (word_char((unsigned char)*p) || *p == '\'' || *p == '"' ||
		    *p == '#') {
			if (*p == '#') {
				p = skip_comment(p);
				continue;
			}
			if (at + 1 >= len)
				return -1;
			tok[at++] = *p++;
		}
	} else
		tok[at++] = *p++;
	tok[at] = '\0';
	*pp = p;
	return 1;
}

/* Python's str.strip('\'"'): every quote at either end. */
static void
strip_quotes(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == '\'' || s[n - 1] == '"'))
		s[--n] = '\0';
	while (s[i] == '\'' || s[i] == '"')
		i++;
	memmove(s, s + i, n - i + 1);
}

static int
shell_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

int
sdconf_environment(const char *value, struct sd_env *e, const char **why)
{
	char tok[3][512], sep[512];
	const char *p = value;
	int r, i;

	e->n = 0;
	for (;;) {
		for (i = 0; i < 3; i++)
			if ((r = shlex_token(&p, tok[i], sizeof(tok[i]))) != 1)
				break;
		if (i == 0 && r == 0)
			return 0;
		if (i < 3 || strcmp(tok[1], "=") != 0) {
			*why = r == -1 ? "an unterminated quote, or a value too "
			    "long" : "not KEY=VALUE,KEY=VALUE";
			return -1;
		}
		strip_quotes(tok[2]);
		if (!shell_name(tok[0]) || strlen(tok[0]) >= sizeof(e->key[0])) {
			*why = "a name sh cannot export";
			return -1;
		}
		if (e->n == SDCONF_ENV_MAX) {
			*why = "more variables than svx takes";
			return -1;
		}
		strlcpy(e->key[e->n], tok[0], sizeof(e->key[0]));
		strlcpy(e->value[e->n], tok[2], sizeof(e->value[0]));
		e->n++;
		/* supervisord skips the token after a pair, a comma or not. */
		if (shlex_token(&p, sep, sizeof(sep)) != 1)
			return 0;
	}
}

/* ---- command= ------------------------------------------------------------ */

/* S in single quotes for sh; a quote inside as '\''. */
static int
put_quoted(char *out, size_t len, size_t *at, const char *s)
{
	int bad = buf_append(out, len, at, "'");

	for (; *s != '\0' && !bad; s++) {
		char one[2] = { *s, '\0' };

		bad |= buf_append(out, len, at, *s == '\'' ? "'\\''" : one);
	}
	return bad | buf_append(out, len, at, "'");
}

/* shlex's whitespace: not isspace()'s \v and \f. */
static int
shlex_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * The POSIX shlex of shlex.split(): blanks split words; '...' is literal;
 * in "..." a backslash escapes only '"' and '\'; outside quotes it escapes
 * any character.
 */
static int
posix_word(const char **pp, char *w, size_t len, const char **why)
{
	const char *p = *pp;
	size_t at = 0;
	char q = 0;

	while (*p != '\0' && (q != 0 || !shlex_space(*p))) {
		if (at + 2 >= len) {
			*why = "a word too long";
			return -1;
		}
		if (q == 0 && (*p == '\'' || *p == '"'))
			q = *p++;
		else if (q != 0 && *p == q) {
			q = 0;
			p++;
		} else if (*p == '\\' && q != '\'' && p[1] != '\0' &&
		    (q == 0 || p[1] == '"' || p[1] == '\\')) {
			w[at++] = p[1];
			p += 2;
		} else
			w[at++] = *p++;
	}
	if (q != 0) {
		*why = "an unterminated quote";
		return -1;
	}
	w[at] = '\0';
	*pp = p;
	return 0;
}

int
sdconf_first_word(const char *command, char *out, size_t len,
    const char **why)
{
	const char *p = command;

	while (shlex_space(*p))
		p++;
	if (*p == '\0') {
		*why = "an empty command";
		return -1;
	}
	return posix_word(&p, out, len, why);
}

int
sdconf_sh_words(const char *command, const char *first, char *out,
    size_t len, const char **why)
{
	char w[4096];
	const char *p = command;
	size_t at = 0;
	int words = 0;

	out[0] = '\0';
	for (;;) {
		while (shlex_space(*p))
			p++;
		if (*p == '\0')
			break;
		if (posix_word(&p, w, sizeof(w), why) == -1)
			return -1;
		if ((words > 0 && buf_append(out, len, &at, " ")) ||
		    put_quoted(out, len, &at, words == 0 && first != NULL &&
		    first[0] != '\0' ? first : w)) {
			*why = "too long";
			return -1;
		}
		words++;
	}
	if (words == 0)
		*why = "an empty command";
	return words > 0 ? 0 : -1;
}

/* ---- the run script ------------------------------------------------------ */

int
sdconf_render_run(const struct sd_run *r, enum svx_backend target,
    char *buf, size_t len)
{
	char words[8192];
	const char *why;
	size_t at = 0, i;
	int bad = 0;

	if (sdconf_sh_words(r->command, r->program, words, sizeof(words),
	    &why) == -1)
		return -1;
	bad |= buf_append(buf, len, &at, "#!/bin/sh\n# svx migrate: from "
	    "supervisord's ");
	bad |= buf_append(buf, len, &at, r->origin);
	bad |= buf_append(buf, len, &at, "\n");
	/* stderr joins the log before stdout (maybe) leaves it. */
	if (r->err_null)
		bad |= buf_append(buf, len, &at, "exec 2>/dev/null\n");
	else if (r->err_merge)
		bad |= buf_append(buf, len, &at, "exec 2>&1\n");
	if (r->out_null)
		bad |= buf_append(buf, len, &at, "exec >/dev/null\n");
	if (r->umask[0] != '\0') {
		bad |= buf_append(buf, len, &at, "umask ");
		bad |= put_quoted(buf, len, &at, r->umask);
		bad |= buf_append(buf, len, &at, "\n");
	}
	if (r->directory[0] != '\0') {
		bad |= buf_append(buf, len, &at, "cd ");
		bad |= put_quoted(buf, len, &at, r->directory);
		bad |= buf_append(buf, len, &at, " || exit 111\n");
	}
	/* What the program inherited from supervisord, then its own. */
	if (r->path != NULL && r->path[0] != '\0') {
		bad |= buf_append(buf, len, &at, "export PATH=");
		bad |= put_quoted(buf, len, &at, r->path);
		bad |= buf_append(buf, len, &at, "\n");
	}
	for (i = 0; r->env != NULL && i < r->env->n; i++) {
		bad |= buf_append(buf, len, &at, "export ");
		bad |= buf_append(buf, len, &at, r->env->key[i]);
		bad |= buf_append(buf, len, &at, "=");
		bad |= put_quoted(buf, len, &at, r->env->value[i]);
		bad |= buf_append(buf, len, &at, "\n");
	}
	bad |= buf_append(buf, len, &at, "exec ");
	if (r->user[0] != '\0') {
		bad |= buf_append(buf, len, &at, user_switcher(target));
		bad |= put_quoted(buf, len, &at, r->user);
		bad |= buf_append(buf, len, &at, " ");
	}
	bad |= buf_append(buf, len, &at, words);
	bad |= buf_append(buf, len, &at, "\n");
	return bad ? -1 : 0;
}
