/*
 * Which directory a log/run script's logger writes
 * (PROTOCOLS.md#log-directories): the script is split into commands and
 * words as sh (or execlineb) would, programs that only change the user, limits or
 * environment before the logger are stepped over, and the logger's own
 * arguments are read: svlogd's operands, multilog's and s6-log's script
 * directives that start with `.` or `/`. Silent: the caller words it.
 */
#include <string.h>

#include "logs.h"

#define WORDS_MAX	64
#define WORD_BUF	4096

/* A program that runs the rest of its arguments, and how it reads them. */
struct wrapper {
	const char	*name;
	const char	*argopts;	/* option letters taking an argument */
	int		 operands;	/* words before the program */
	int		 assigns;	/* VAR=value words (env) */
};

/* Sorted by name; every one of them execs into the words after it. */
static const struct wrapper wrappers[] = {
	{ "chpst", "uUbe/nlLmdofcprt", 0, 0 },
	{ "env", "u", 0, 1 },
	{ "envdir", "", 1, 0 },
	{ "envuidgid", "", 1, 0 },
	{ "fdmove", "", 2, 0 },
	{ "ionice", "cnp", 0, 0 },
	{ "nice", "n", 0, 0 },
	{ "pgrphack", "", 0, 0 },
	{ "redirfd", "", 2, 0 },
	{ "s6-applyuidgid", "ugG", 0, 0 },
	{ "s6-envdir", "cn", 1, 0 },
	{ "s6-envuidgid", "D", 1, 0 },
	{ "s6-setlock", "t", 1, 0 },
	{ "s6-setuidgid", "", 1, 0 },
	{ "s6-softlimit", "acdflmoprst", 0, 0 },
	{ "setlock", "", 1, 0 },
	{ "setuidgid", "", 1, 0 },
	{ "setuser", "", 1, 0 },
	{ "softlimit", "acdflmoprst", 0, 0 },
};

static const struct {
	const char	*name;
	enum logger_kind kind;
} loggers[] = {
	{ "multilog", LOGGER_MULTILOG }, { "s6-log", LOGGER_S6LOG },
	{ "svlogd", LOGGER_SVLOGD },
};

/* One command's words, cut from the script (in a buffer of the caller). */
struct words {
	char	*w[WORDS_MAX];
	int	 n;
	int	 execed;	/* `exec` in front: nothing after it runs */
};

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* sh's redirections: 2>&1, >file, <file, 1>>x. */
static int
is_redirection(const char *w)
{
	while (*w >= '0' && *w <= '9')
		w++;
	return *w == '>' || *w == '<';
}

/*
 * The next command of TEXT from *P into W, words copied into BUF: sh
 * ends commands at newlines, `;`, `&`, `|` (EXECLINE: only at the end);
 * quotes are taken off, `\` newline joins lines, `#` starts a comment.
 * 1 a command, 0 the end, -1 too many words or too long.
 */
static int
next_command(const char **p, int execline, struct words *w, char *buf,
    size_t len)
{
	const char *s = *p;
	size_t at = 0;
	char q;

	w->n = 0;
	w->execed = 0;
	for (;;) {
		while (is_blank(*s) || (s[0] == '\\' && s[1] == '\n') ||
		    (execline && *s == '\n'))
			s += *s == '\\' ? 2 : 1;
		if (*s == '#')
			while (*s != '\0' && *s != '\n')
				s++;
		if (*s == '\0' || *s == '\n' || *s == ';' || *s == '&' ||
		    *s == '|') {
			while (*s == ';' || *s == '&' || *s == '|')
				s++;
			if (*s == '\n')
				s++;
			*p = s;
			if (w->n > 0 || *s == '\0')
				return w->n > 0;
			continue;
		}
		if (w->n == WORDS_MAX)
			return -1;
		w->w[w->n++] = buf + at;
		while (*s != '\0' && !is_blank(*s) && *s != '\n' &&
		    (execline || strchr(";&|", *s) == NULL)) {
			if ((*s == '\'' || *s == '"') && strchr(s + 1, *s)) {
				for (q = *s++; *s != q; s++)
					if (at + 1 < len)
						buf[at++] = *s;
				s++;
				continue;
			}
			if (at + 1 < len)
				buf[at++] = *s;
			s++;
		}
		if (at + 1 >= len)
			return -1;
		buf[at++] = '\0';
	}
}

static const struct wrapper *
find_wrapper(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(wrappers) / sizeof(wrappers[0]); i++)
		if (strcmp(name, wrappers[i].name) == 0)
			return &wrappers[i];
	return NULL;
}

/* Past WR's options and operands from word I: the program's index. */
static int
skip_wrapper(const struct wrapper *wr, const struct words *w, int i)
{
	const char *o;
	int k;

	for (i++; i < w->n && w->w[i][0] == '-' && w->w[i][1] != '\0'; i++) {
		if (strcmp(w->w[i], "--") == 0) {
			i++;
			break;
		}
		/* -u USER, -uUSER, -vP (flags), -n 5 */
		for (o = w->w[i] + 1; *o != '\0'; o++)
			if (strchr(wr->argopts, *o) != NULL) {
				if (o[1] == '\0')
					i++;
				break;
			}
	}
	while (wr->assigns && i < w->n && strchr(w->w[i], '=') != NULL)
		i++;
	for (k = 0; k < wr->operands && i < w->n; k++)
		i++;
	return i;
}

/*
 * Execline's blocks before the program (foreground { mkdir x } ...):
 * the words after the block.
 */
static int
skip_block(const struct words *w, int i)
{
	int depth = 0;

	for (i++; i < w->n; i++) {
		if (strcmp(w->w[i], "{") == 0)
			depth++;
		else if (strcmp(w->w[i], "}") == 0 && --depth == 0)
			return i + 1;
	}
	return i;
}

static int
is_directory_word(const char *w)
{
	return w[0] == '.' || w[0] == '/';
}

static void
add_dir(struct log_source *src, const char *cwd, const char *w)
{
	char *dst = src->ndirs == 0 ? src->dir : src->other;

	if (src->ndirs++ >= 2)
		return;
	if (w[0] != '/' && cwd[0] != '\0') {
		strlcpy(dst, cwd, PATH_MAX);
		strlcat(dst, "/", PATH_MAX);
		strlcat(dst, w, PATH_MAX);
	} else
		strlcpy(dst, w, PATH_MAX);
}

/* svlogd [-tttv] [-r c] [-R abc] [-l len] [-b buflen] dir... */
static void
svlogd_args(const struct words *w, int i, const char *cwd,
    struct log_source *src)
{
	const char *o;

	for (; i < w->n && w->w[i][0] == '-' && w->w[i][1] != '\0'; i++) {
		if (strcmp(w->w[i], "--") == 0) {
			i++;
			break;
		}
		for (o = w->w[i] + 1; *o != '\0'; o++)
			if (strchr("rRlb", *o) != NULL) {
				if (o[1] == '\0')
					i++;
				break;
			}
	}
	for (; i < w->n; i++)
		if (!is_redirection(w->w[i]))
			add_dir(src, cwd, w->w[i]);
}

/* s6-log's options before its script: flags, and those with a value. */
static int
s6log_options(const struct words *w, int i)
{
	const char *o;

	for (; i < w->n && w->w[i][0] == '-' && w->w[i][1] != '\0'; i++) {
		if (strcmp(w->w[i], "--") == 0)
			return i + 1;
		for (o = w->w[i] + 1; *o != '\0'; o++)
			if (strchr("qvbpdlt", *o) == NULL)
				return i;	/* a -regex directive */
		if (strchr("dlt", o[-1]) != NULL)
			i++;
	}
	return i;
}

/* multilog's and s6-log's scripts: directories start with . or /. */
static void
script_args(const struct words *w, int i, const char *cwd,
    struct log_source *src)
{
	for (; i < w->n; i++)
		if (is_directory_word(w->w[i]))
			add_dir(src, cwd, w->w[i]);
}

static int
logger_words(const struct words *w, int i, const char *cwd,
    struct log_source *src, const char **why)
{
	int k;

	for (k = i + 1; k < w->n; k++)
		if (strpbrk(w->w[k], "$`") != NULL) {
			*why = "the logger's arguments use shell variables or "
			    "substitutions, which svx does not expand";
			return -1;
		}
	if (src->kind == LOGGER_SVLOGD)
		svlogd_args(w, i + 1, cwd, src);
	else if (src->kind == LOGGER_S6LOG)
		script_args(w, s6log_options(w, i + 1), cwd, src);
	else
		script_args(w, i + 1, cwd, src);
	if (src->ndirs == 0) {
		*why = src->kind == LOGGER_SVLOGD ? "svlogd is given no log "
		    "directory" : "the logger's script names no directory "
		    "(one starting with . or /)";
		return -1;
	}
	return 0;
}

/* The program word of a command, past exec, VAR=x, wrappers, blocks. */
static int
program_word(struct words *w)
{
	const struct wrapper *wr;
	int i = 0;

	for (;;) {
		if (i >= w->n)
			return i;
		if (strcmp(w->w[i], "exec") == 0) {
			w->execed = 1;
			i++;
		} else if (is_redirection(w->w[i]) || (strchr(w->w[i], '=') !=
		    NULL && w->w[i][0] != '=' && w->w[i][0] != '.' &&
		    w->w[i][0] != '/'))
			i++;
		else if (i + 1 < w->n && strcmp(w->w[i + 1], "{") == 0)
			i = skip_block(w, i);
		else if ((wr = find_wrapper(base(w->w[i]))) != NULL)
			i = skip_wrapper(wr, w, i);
		else
			return i;
	}
}

/* One command: 1 the logger (read), 0 something else, -1 why. */
static int
one_command(struct words *w, char *cwd, struct log_source *src,
    const char **why)
{
	size_t k;
	int i = program_word(w);

	if (i >= w->n) {
		w->execed = 0;	/* `exec 2>&1` replaces nothing */
		return 0;
	}
	if (strcmp(w->w[i], "cd") == 0) {
		if (i + 1 >= w->n || strpbrk(w->w[i + 1], "$`~") != NULL) {
			*why = "it changes directory to a place svx cannot "
			    "work out";
			return -1;
		}
		if (w->w[i + 1][0] == '/' || cwd[0] == '\0')
			strlcpy(cwd, w->w[i + 1], PATH_MAX);
		else {
			strlcat(cwd, "/", PATH_MAX);
			strlcat(cwd, w->w[i + 1], PATH_MAX);
		}
		return 0;
	}
	for (k = 0; k < sizeof(loggers) / sizeof(loggers[0]); k++)
		if (strcmp(base(w->w[i]), loggers[k].name) == 0) {
			src->kind = loggers[k].kind;
			return logger_words(w, i, cwd, src, why) == 0 ? 1 : -1;
		}
	if (w->execed) {
		*why = "it execs a program that is not svlogd, multilog or "
		    "s6-log";
		return -1;
	}
	return 0;
}

static int
first_line_has(const char *text, const char *word)
{
	const char *w = strstr(text, word), *nl = strchr(text, '\n');

	return w != NULL && (nl == NULL || w < nl);
}

int
log_source_parse(const char *text, struct log_source *src,
    const char **why)
{
	char buf[WORD_BUF], cwd[PATH_MAX] = "";
	struct words w;
	const char *p = text;
	int execline, r;

	memset(src, 0, sizeof(*src));
	execline = strncmp(text, "#!", 2) == 0 && first_line_has(text,
	    "execlineb");
	if (strncmp(text, "#!", 2) == 0)
		p = strchr(text, '\n') != NULL ? strchr(text, '\n') + 1 : "";
	while ((r = next_command(&p, execline, &w, buf, sizeof(buf))) == 1) {
		if ((r = one_command(&w, cwd, src, why)) != 0)
			return r == 1 ? 0 : -1;
		if (w.execed)
			break;
	}
	*why = r == -1 ? "a command longer than svx reads" :
	    "it runs no svlogd, multilog or s6-log";
	return -1;
}
