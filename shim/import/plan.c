/*
 * svx import's plan: every directive the unit sets, once (its last
 * assignment, or a list's whole value), looked up in
 * mappings/systemd_map.c, acted on where the table says it is
 * translated, and said: kept, translated (how), or lost (why), as svx
 * migrate says a supervisord program's options. A loss that changes what
 * runs makes the import's exit 1; a unit that cannot run under a
 * supervisor at all (Type=forking without a known foreground flag,
 * Type=oneshot) is refused.
 */
/* getgrouplist(3): glibc and the BSDs, outside POSIX. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <pwd.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../adapters/files/svnew.h"
#include "import.h"

/* systemd's PATH for a service when its manager was built with a merged
 * /usr (and what it is on Debian). */
#define SYSTEMD_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:" \
	"/sbin:/bin"

/* What becomes of one directive, the table's row adjusted to its value. */
struct verdict {
	enum mig_fate	 fate;
	char		 how[512];
	int		 changes;
};


/* ---- small parsers ----------------------------------------------------- */

static int
is_word(const char *v, const char *w)
{
	return strcasecmp(v, w) == 0;
}

/* systemd's booleans. -1 if not one. */
static int
boolean(const char *v)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (is_word(v, yes[i]))
			return 1;
		if (is_word(v, no[i]))
			return 0;
	}
	return -1;
}

static int
all_digits(const char *v)
{
	if (*v == '\0')
		return 0;
	for (; *v != '\0'; v++)
		if (*v < '0' || *v > '9')
			return 0;
	return 1;
}

/* A time span ("5", "1min 30s", "500ms", "infinity") in milliseconds:
 * -1 for infinity, -2 if not one. A bare number is seconds. */
static long long
timespan_ms(const char *v)
{
	static const struct {
		const char	*unit;
		long long	 ms;
	} units[] = {
		{ "msec", 1 }, { "ms", 1 }, { "seconds", 1000 },
		{ "second", 1000 }, { "sec", 1000 }, { "s", 1000 },
		{ "minutes", 60000 }, { "minute", 60000 }, { "min", 60000 },
		{ "m", 60000 }, { "hours", 3600000 }, { "hour", 3600000 },
		{ "hr", 3600000 }, { "h", 3600000 }, { "days", 86400000 },
		{ "day", 86400000 }, { "d", 86400000 }, { "usec", 0 },
		{ "us", 0 },
	};
	long long total = 0, n;
	size_t i, k;
	char *end;

	if (is_word(v, "infinity"))
		return -1;
	while (*v != '\0') {
		while (*v == ' ')
			v++;
		if (*v < '0' || *v > '9')
			return -2;
		n = strtoll(v, &end, 10);
		if (n < 0 || n > 1000000000LL)
			return -2;
		while (*end == ' ')
			end++;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			k = strlen(units[i].unit);
			if (strncmp(end, units[i].unit, k) == 0 && (end[k] ==
			    '\0' || end[k] == ' ' || (end[k] >= '0' &&
			    end[k] <= '9')))
				break;
		}
		if (i < sizeof(units) / sizeof(units[0])) {
			total += n * units[i].ms;
			end += strlen(units[i].unit);
		} else if (*end == '\0')
			total += n * 1000;
		else
			return -2;
		v = end;
	}
	return total;
}

/* "SIGQUIT", "QUIT" or "3": its number, 0 if none. */
static int
signal_number(const char *v)
{
	char full[32];
	int s;

	if (all_digits(v))
		return atoi(v) > 0 && atoi(v) < 65 ? atoi(v) : 0;
	snprintf(full, sizeof(full), "%s%s", strncasecmp(v, "SIG", 3) == 0 ?
	    "" : "SIG", v);
	for (s = 1; s < 65; s++)
		if (signal_name(s) != NULL && is_word(signal_name(s), full))
			return s;
	return 0;
}

/* ---- the report ---------------------------------------------------------- */

/* KEY=VALUE cut to fit a line; a list's other values counted (MORE). */
static void
say_verdict(struct imp *i, const char *key, const char *value, size_t more,
    const struct verdict *v)
{
	char shown[128];

	snprintf(shown, sizeof(shown), "%s=%.*s%s", key, 48, value,
	    strlen(value) > 48 ? "..." : "");
	if (more > 0)
		snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown),
		    " (and %zu more)", more);
	if (v->fate == FATE_LOST) {
		imp_say(i, "lost", "%s: %s%s", shown, v->how, v->changes ? "" :
		    " (what it runs is the same)");
		if (v->changes)
			i->lost = 1;
	} else
		imp_say(i, v->fate == FATE_KEEP ? "kept" : "translated",
		    "%s: %s", shown, v->how);
}

static void
lose(struct verdict *v, int changes, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
lose(struct verdict *v, int changes, const char *fmt, ...)
{
	va_list ap;

	v->fate = FATE_LOST;
	v->changes = changes;
	va_start(ap, fmt);
	vsnprintf(v->how, sizeof(v->how), fmt, ap);
	va_end(ap);
}

static void
tell(struct verdict *v, enum mig_fate f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void
tell(struct verdict *v, enum mig_fate f, const char *fmt, ...)
{
	va_list ap;

	v->fate = f;
	v->changes = 0;
	va_start(ap, fmt);
	vsnprintf(v->how, sizeof(v->how), fmt, ap);
	va_end(ap);
}

/* ---- command lines as sh words ------------------------------------------- */

/* W in sh words, ${VAR} and a whole-word $VAR left for sh to expand
 * (an EnvironmentFile is read at start, so only then are values known):
 * "$VAR" alone is unquoted (split at IFS, no globbing: run sets -f),
 * "${VAR}" inside a word stays one word. */
static int
runtime_word(const char *w, char *out, size_t len, size_t *at)
{
	const char *close;
	char piece[2] = { 0, 0 };
	int bad = 0, open = 0;
	size_t n;

	if (w[0] == '$' && w[1] != '{' && w[1] != '$' && w[1] != '\0') {
		for (n = 1; w[n] != '\0' && (w[n] == '_' || (w[n] >= 'A' &&
		    w[n] <= 'Z') || (w[n] >= 'a' && w[n] <= 'z') ||
		    (n > 1 && w[n] >= '0' && w[n] <= '9')); n++)
			;
		if (w[n] == '\0')
			return buf_append(out, len, at, w);
	}
	bad |= buf_append(out, len, at, "'");
	open = 1;
	for (; *w != '\0' && !bad; w++) {
		if (w[0] == '$' && w[1] == '$') {
			bad |= buf_append(out, len, at, "$");
			w++;
		} else if (w[0] == '$' && w[1] == '{' && (close = strchr(w,
		    '}')) != NULL && close > w + 2 && strspn(w + 2,
		    "_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789") == (size_t)(close - w - 2)) {
			bad |= buf_append(out, len, at, "'\"");
			bad |= (*at + (size_t)(close - w + 1) >= len);
			if (!bad) {
				memcpy(out + *at, w, (size_t)(close - w + 1));
				*at += (size_t)(close - w + 1);
				out[*at] = '\0';
			}
			bad |= buf_append(out, len, at, "\"'");
			w = close;
		} else {
			piece[0] = *w;
			bad |= buf_append(out, len, at, *w == '\'' ? "'\\''" :
			    piece);
		}
	}
	if (open)
		bad |= buf_append(out, len, at, "'");
	return bad;
}

/*
 * E's command as sh words into OUT: the path, then its arguments (with
 * '@', the argv[0] word is left out: sh cannot set it; the caller said
 * so). Expanded here when the environment is all known, else by sh.
 */
static int
sh_words(int runtime, const struct unit_exec *e, char *out, size_t len)
{
	size_t at = 0, w;
	int bad = 0;

	out[0] = '\0';
	for (w = 0; w < e->nwords && !bad; w++) {
		if (w == 1 && (e->flags & EXEC_ARGV0))
			continue;
		if (at > 0)
			bad |= buf_append(out, len, &at, " ");
		if (w > 0 && runtime && !(e->flags & EXEC_NO_ENV))
			bad |= runtime_word(e->word[w], out, len, &at);
		else
			bad |= svnew_quote(out, len, &at, e->word[w]);
	}
	return bad ? -1 : 0;
}

/* One Exec*= value parsed (and expanded when it can be) into E. */
static int
read_exec(struct imp *i, struct unit_exec *e, const char *key,
    const char *value)
{
	const char *why;

	if (unit_exec_parse(value, &i->name, &i->ctx, e, &why) == -1 ||
	    (!i->runtime_env && unit_exec_expand(e, i->env, i->nenv,
	    &why) == -1)) {
		imp_say(i, "error", "%s=%s: %s", key, value, why);
		return -1;
	}
	return 0;
}

static const char *
basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* ---- Type= ------------------------------------------------------------- */

/* Type=forking made a foreground command by the table's row: the unit's
 * option dropped, the documented flag appended. */
static int
to_foreground(struct unit_exec *e, const struct unit_foreground *f)
{
	size_t w, k, out = 1;

	for (w = 1; w < e->nwords; w++) {
		if (f->drop != NULL && strcmp(e->word[w], f->drop) == 0) {
			w++;	/* and its argument */
			continue;
		}
		if (out != w)
			memcpy(e->word[out], e->word[w],
			    strlen(e->word[w]) + 1);
		out++;
	}
	for (k = 0; k < FOREGROUND_ADD_MAX && f->add[k] != NULL; k++) {
		if (out >= UNIT_WORDS_MAX)
			return -1;
		strlcpy(e->word[out++], f->add[k], UNIT_WORD_MAX);
	}
	e->nwords = out;
	return 0;
}

static int
plan_type(struct imp *i, struct unit_exec *e, const char *type,
    const char *program, struct verdict *v)
{
	const struct unit_foreground *f;

	if (type == NULL || is_word(type, "simple") || is_word(type, "exec") ||
	    is_word(type, "idle"))
		return 0;
	if (is_word(type, "forking")) {
		if ((f = map_unit_foreground(program)) == NULL) {
			imp_say(i, "error", "Type=forking: %s is not in svx's table "
			    "of daemons with a documented foreground flag "
			    "(mappings/systemd_map.c): a supervisor cannot "
			    "follow a daemon that forks away", program);
			i->refused = 1;
			return -1;
		}
		if (to_foreground(e, f) == -1)
			return -1;
		tell(v, FATE_TRANSLATE, "run keeps it in the foreground as %s",
		    f->source);
		return 0;
	}
	if (is_word(type, "dbus")) {
		lose(v, 0, "readiness: its bus name is not watched (it runs as "
		    "simple)");
		return 0;
	}
	if (is_word(type, "notify") || is_word(type, "notify-reload")) {
		i->ready = i->to == BACKEND_S6 ? map_unit_readiness(program) :
		    NULL;
		if (i->ready != NULL)
			tell(v, FATE_TRANSLATE, "s6 readiness: notification-fd, "
			    "s6-notifyoncheck running data/check: %s",
			    i->ready->note);
		else if (i->to == BACKEND_S6)
			lose(v, 0, "readiness: no check known for %s (s6 could "
			    "be told through notification-fd and a check)",
			    program);
		else
			lose(v, 0, "readiness: %s has none (svx -w up waits for "
			    "the process only)", backend_name(i->to));
		return 0;
	}
	imp_say(i, "error", "Type=%s: a supervisor runs a daemon that stays; "
	    "this unit's type cannot be supervised", type);
	i->refused = 1;
	return -1;
}

/* ---- one directive --------------------------------------------------------- */

static int
env_words(struct imp *i, const char *value, struct verdict *v)
{
	static char word[UNIT_WORD_MAX];
	const char *p = value, *why;
	int got;

	while ((got = unit_word(&p, word, sizeof(word), &why)) == 1) {
		if (strchr(word, '=') == NULL || word[0] == '=') {
			lose(v, 1, "'%s' is not NAME=VALUE (systemd ignores "
			    "it too)", word);
			continue;
		}
		if (i->nenv >= IMP_ENV_MAX || unit_specifiers(word, &i->name,
		    &i->ctx, i->env_store[i->nenv], UNIT_WORD_MAX, &why) == -1) {
			imp_say(i, "error", "Environment=%s: %s", value,
			    i->nenv >= IMP_ENV_MAX ? "too many variables" : why);
			return -1;
		}
		i->env[i->nenv] = i->env_store[i->nenv];
		i->nenv++;
	}
	if (got == -1) {
		imp_say(i, "error", "Environment=%s: %s", value, why);
		return -1;
	}
	return 0;
}

static const char *
resolved_path(struct imp *i, const char *key, const char *value, size_t slot)
{
	const char *why;

	if (slot >= sizeof(i->path_store) / sizeof(i->path_store[0]) ||
	    unit_specifiers(value, &i->name, &i->ctx, i->path_store[slot],
	    PATH_MAX, &why) == -1) {
		imp_say(i, "error", "%s=%s: %s", key, value, slot >=
		    sizeof(i->path_store) / sizeof(i->path_store[0]) ? "too many" :
		    why);
		return NULL;
	}
	return i->path_store[slot];
}

static int
plan_limit(struct imp *i, const char *key, const char *value,
    struct verdict *v)
{
	const char *opt = NULL, *soft;
	char num[32];
	size_t k;

	for (k = 0; k < unit_nlimits; k++)
		if (strcmp(unit_limits[k].key, key) == 0)
			opt = unit_limits[k].opt[i->to];
	snprintf(num, sizeof(num), "%.*s", (int)strcspn(value, ":"), value);
	soft = num;
	if (opt == NULL) {
		lose(v, 1, "%s has no option for it", unit_limit_tool[i->to]);
		return 0;
	}
	if (is_word(soft, "infinity")) {
		if (i->to == BACKEND_RUNIT) {
			lose(v, 1, "chpst cannot lift a limit");
			return 0;
		}
		soft = "=";	/* softlimit: the hard limit */
	} else if (!all_digits(soft)) {
		lose(v, 1, "a value svx does not read (a plain number or "
		    "infinity)");
		return 0;
	}
	if (i->nlimits >= IMP_LIMITS_MAX)
		return -1;
	snprintf(i->limits[i->nlimits++], sizeof(i->limits[0]), "%s %s", opt,
	    soft);
	tell(v, FATE_TRANSLATE, "run: %s %s %s (the soft limit)",
	    unit_limit_tool[i->to], opt, soft);
	return 0;
}

/* StandardOutput= or StandardError=: where it goes, and the verdict. */
static enum imp_out
plan_output(const char *value, const char **file, struct verdict *v,
    int is_err)
{
	static const char *const logged[] = { "journal", "syslog", "kmsg",
	    "journal+console", "syslog+console", "kmsg+console" };
	static const struct {
		const char	*prefix;
		enum imp_out	 out;
		const char	*how;
	} files[] = {
		{ "file:", IMPO_FILE, "run opens it for writing (1<>, no "
		    "truncation)" },
		{ "append:", IMPO_APPEND, "run appends to it (>>)" },
		{ "truncate:", IMPO_TRUNCATE, "run truncates it (>)" },
	};
	size_t k;

	for (k = 0; k < sizeof(logged) / sizeof(logged[0]); k++)
		if (strcmp(value, logged[k]) == 0) {
			tell(v, FATE_TRANSLATE, "log/run: the backend's logger "
			    "into log/main (stamped; no console copy)");
			return IMPO_LOG;
		}
	if (strcmp(value, "null") == 0) {
		tell(v, FATE_TRANSLATE, "run sends it to /dev/null");
		return IMPO_NULL;
	}
	if (is_err && strcmp(value, "inherit") == 0) {
		tell(v, FATE_KEEP, "with stdout");
		return IMPO_SAME;
	}
	for (k = 0; k < sizeof(files) / sizeof(files[0]); k++)
		if (strncmp(value, files[k].prefix, strlen(files[k].prefix)) ==
		    0 && value[strlen(files[k].prefix)] == '/') {
			*file = value + strlen(files[k].prefix);
			tell(v, FATE_TRANSLATE, "%s", files[k].how);
			return files[k].out;
		}
	lose(v, 1, "svx gives it the logger instead (a terminal, socket or "
	    "named descriptor is not set up)");
	return IMPO_LOG;
}

static int
plan_dirs(struct imp *i, const char *key, const char *value, const char *base,
    const char *env, struct verdict *v)
{
	static char word[PATH_MAX];
	const char *p = value, *why;
	int got;

	static char spec[PATH_MAX];

	while ((got = unit_word(&p, spec, sizeof(spec), &why)) == 1) {
		if (unit_specifiers(spec, &i->name, &i->ctx, word, sizeof(word),
		    &why) == -1) {
			imp_say(i, "error", "%s=%s: %s", key, value, why);
			return -1;
		}
		if (i->ndirs >= IMP_DIRS_MAX || word[0] == '/' ||
		    strstr(word, "..") != NULL || strchr(word, ':') != NULL) {
			lose(v, 1, "'%s': svx makes up to %d plain relative "
			    "directories", word, IMP_DIRS_MAX);
			return 0;
		}
		if (strlen(base) + strlen(word) + 2 > PATH_MAX) {
			lose(v, 1, "a path too long");
			return 0;
		}
		strlcpy(i->dirs[i->ndirs].path, base, PATH_MAX);
		strlcat(i->dirs[i->ndirs].path, "/", PATH_MAX);
		strlcat(i->dirs[i->ndirs].path, word, PATH_MAX);
		i->dirs[i->ndirs].mode = "";
		i->dirs[i->ndirs].env = env;
		i->ndirs++;
	}
	if (got == -1) {
		imp_say(i, "error", "%s=%s: %s", key, value, why);
		return -1;
	}
	return 0;
}

static void
plan_dir_mode(struct imp *i, const char *key, const char *value,
    struct verdict *v)
{
	const char *base = strncmp(key, "Runtime", 7) == 0 ? "/run/" :
	    "/var/lib/";
	size_t k;

	if (strspn(value, "01234567") != strlen(value) || strlen(value) > 4) {
		lose(v, 1, "not an octal mode");
		return;
	}
	for (k = 0; k < i->ndirs; k++)
		if (strncmp(i->dirs[k].path, base, strlen(base)) == 0)
			i->dirs[k].mode = value;
}

static int
plan_user(struct imp *i, const char *value, struct verdict *v)
{
	const struct passwd *pw;

	if ((i->user = resolved_path(i, "User", value, IMP_ENV_MAX)) == NULL)
		return -1;
	if (strcmp(i->user, "root") == 0 || strcmp(i->user, "0") == 0) {
		i->user = NULL;
		tell(v, FATE_KEEP, "it runs as root, as the supervisor does");
		return 0;
	}
	if ((pw = all_digits(i->user) ? getpwuid((uid_t)atol(i->user)) :
	    getpwnam(i->user)) == NULL) {
		imp_say(i, "error", "User=%s: no such user here", i->user);
		return -1;
	}
	/* A number: its name, which every backend's switch takes. */
	if (all_digits(i->user)) {
		strlcpy(i->path_store[IMP_ENV_MAX], pw->pw_name, PATH_MAX);
		i->user = i->path_store[IMP_ENV_MAX];
	}
	strlcpy(i->home, pw->pw_dir, sizeof(i->home));
	strlcpy(i->shell, pw->pw_shell, sizeof(i->shell));
	return 0;
}

/*
 * The ids s6-applyuidgid wants, numbers looked up now: the user, its
 * group (Group= or its own), and as systemd gives (initgroups) its
 * groups in the group database, then SupplementaryGroups=. Without -G
 * s6-applyuidgid would leave the supervisor's own groups.
 */
static int
s6_ids(struct imp *i)
{
	gid_t gl[64];
	const struct passwd *pw;
	const struct group *gr;
	char list[256], *g, *save;
	int ng = 64, k;
	size_t at;
	gid_t gid;

	if (i->user == NULL || (pw = getpwnam(i->user)) == NULL)
		return -1;
	gr = i->group != NULL ? getgrnam(i->group) : NULL;
	if (i->group != NULL && gr == NULL)
		return -1;
	gid = gr != NULL ? gr->gr_gid : pw->pw_gid;
	if (getgrouplist(pw->pw_name, gid, gl, &ng) == -1)
		return -1;
	at = (size_t)snprintf(i->ids, sizeof(i->ids), "-u %ld -g %ld -G ",
	    (long)pw->pw_uid, (long)gid);
	for (k = 0; k < ng && at < sizeof(i->ids); k++)
		at += (size_t)snprintf(i->ids + at, sizeof(i->ids) - at, "%s%ld",
		    k > 0 ? "," : "", (long)gl[k]);
	strlcpy(list, i->groups, sizeof(list));
	for (g = strtok_r(list, ",", &save); g != NULL && at <
	    sizeof(i->ids); g = strtok_r(NULL, ",", &save)) {
		if ((gr = getgrnam(g)) == NULL)
			return -1;
		at += (size_t)snprintf(i->ids + at, sizeof(i->ids) - at, ",%ld",
		    (long)gr->gr_gid);
	}
	return at < sizeof(i->ids) ? 0 : -1;
}

static int
plan_groups(struct imp *i, const struct unit *u, struct verdict *v)
{
	const char *list[16], *why;
	static char word[256];
	const char *p;
	size_t n, k, at = 0;
	int got;

	n = unit_list(u, "Service", "SupplementaryGroups", list, 16);
	for (k = 0; k < n && k < 16; k++)
		for (p = list[k]; (got = unit_word(&p, word, sizeof(word),
		    &why)) == 1;)
			at += (size_t)snprintf(i->groups + at, at <
			    sizeof(i->groups) ? sizeof(i->groups) - at : 0,
			    "%s%s", at > 0 ? "," : "", word);
	if (at >= sizeof(i->groups)) {
		lose(v, 1, "too many groups for svx");
		i->groups[0] = '\0';
	}
	return 0;
}

/*
 * ExecReload=: "kill -HUP $MAINPID" (the common one) is what svx hup does
 * on every backend; another command is runit's control/h, which runsv
 * runs on svx hup (PROTOCOLS.md#control-letters). Its $VAR are left to
 * sh there, where MAINPID is known.
 */
static int
plan_reload(struct imp *i, const struct unit *u, struct verdict *v)
{
	static struct unit_exec e;
	const char *list[2], *why, *w1, *w2;
	size_t n = unit_list(u, "Service", "ExecReload", list, 2);

	if (n != 1) {
		lose(v, 0, "several reload commands: svx hup sends SIGHUP");
		return 0;
	}
	if (unit_exec_parse(list[0], &i->name, &i->ctx, &e, &why) == -1) {
		imp_say(i, "error", "ExecReload=%s: %s", list[0], why);
		return -1;
	}
	w1 = e.nwords > 1 ? e.word[1] : "";
	w2 = e.nwords > 2 ? e.word[2] : "";
	if (strcmp(basename_of(e.word[0]), "kill") == 0 && ((e.nwords == 3 &&
	    (strcmp(w1, "-HUP") == 0 || strcmp(w1, "-SIGHUP") == 0 ||
	    strcmp(w1, "-1") == 0) && strcmp(w2, "$MAINPID") == 0) ||
	    (e.nwords == 4 && strcmp(w1, "-s") == 0 && (strcmp(w2, "HUP") == 0
	    || strcmp(w2, "SIGHUP") == 0) && strcmp(e.word[3], "$MAINPID") ==
	    0))) {
		tell(v, FATE_KEEP, "SIGHUP to the process: what svx hup sends");
		return 0;
	}
	if (v->fate == FATE_LOST)
		return 0;
	return sh_words(!(e.flags & EXEC_NO_ENV), &e, i->reload,
	    sizeof(i->reload));
}

/*
 * Group=: with no User= there is no user switch to carry it; setuidgid
 * sets the user's own group only, so another group is lost there.
 */
static int
plan_group(struct imp *i, const struct unit *u, const char *value,
    struct verdict *v)
{
	const char *user = unit_last(u, "Service", "User");
	const struct passwd *pw;
	const struct group *gr;

	i->group = value;
	if (user == NULL || user[0] == '\0' || strcmp(user, "root") == 0) {
		lose(v, strcmp(value, "root") != 0 && strcmp(value, "0") != 0,
		    "no User=: it runs as the supervisor's user and group");
		i->group = NULL;
		return 0;
	}
	if ((gr = getgrnam(value)) == NULL) {
		imp_say(i, "error", "Group=%s: no such group here", value);
		return -1;
	}
	if (i->to != BACKEND_DAEMONTOOLS && i->to != BACKEND_ENCORE)
		return 0;
	if ((pw = getpwnam(user)) != NULL && pw->pw_gid == gr->gr_gid)
		tell(v, FATE_KEEP, "the user's own group, which setuidgid sets");
	else
		lose(v, 1, "setuidgid sets the user's own group only");
	return 0;
}

/* ExecStopPost=: sh words for ./finish (runit, s6). */
static int
plan_stop_post(struct imp *i, const struct unit *u, struct verdict *v)
{
	static struct unit_exec e;
	const char *list[IMP_PRE_MAX];
	size_t n = unit_list(u, "Service", "ExecStopPost", list, IMP_PRE_MAX),
	    k;

	if (v->fate == FATE_LOST)
		return 0;
	if (n > IMP_PRE_MAX) {
		imp_say(i, "error", "more than %d ExecStopPost=", IMP_PRE_MAX);
		return -1;
	}
	for (k = 0; k < n; k++) {
		if (read_exec(i, &e, "ExecStopPost", list[k]) == -1 ||
		    sh_words(i->runtime_env, &e, i->post[k],
		    sizeof(i->post[k])) == -1)
			return -1;
		i->post_root[k] = (e.flags & EXEC_FULL_PRIVS) != 0;
	}
	i->npost = n;
	return 0;
}

/* One directive as its handler sees it. */
struct directive {
	const struct unit	*u;
	const struct unit_rule	*r;
	const char		*key, *value;
};

static int
h_environment(struct imp *i, const struct directive *d, struct verdict *v)
{
	const char *list[IMP_ENV_MAX];
	size_t n = unit_list(d->u, "Service", d->key, list, IMP_ENV_MAX), k;

	for (k = 0; k < n && k < IMP_ENV_MAX; k++)
		if (env_words(i, list[k], v) == -1)
			return -1;
	return 0;
}

static int
h_environment_file(struct imp *i, const struct directive *d,
    struct verdict *v)
{
	const char *list[IMP_ENV_MAX];
	size_t n = unit_list(d->u, "Service", d->key, list, IMP_ENV_MAX), k;

	(void)v;
	for (k = 0; k < n && k < IMP_ENV_MAX; k++) {
		if ((i->envfile[i->nenvfile] = resolved_path(i, d->key,
		    list[k], k)) == NULL)
			return -1;
		/* sh's '.' would look a relative name up in PATH. */
		if (i->envfile[i->nenvfile][i->envfile[i->nenvfile][0] ==
		    '-'] != '/') {
			imp_say(i, "error", "EnvironmentFile=%s: not absolute "
			    "(systemd refuses it too)", list[k]);
			return -1;
		}
		i->nenvfile++;
	}
	return 0;
}

/* UnsetEnvironment=: names (or NAME=VALUE) as systemd splits them. */
static int
h_unset(struct imp *i, const struct directive *d, struct verdict *v)
{
	const char *list[IMP_ENV_MAX], *p, *why;
	size_t n = unit_list(d->u, "Service", d->key, list, IMP_ENV_MAX), k;
	int got = 0;

	for (k = 0; k < n && k < IMP_ENV_MAX && got != -1; k++)
		for (p = list[k]; i->nunset < IMP_ENV_MAX && (got =
		    unit_word(&p, i->unset_store[i->nunset],
		    sizeof(i->unset_store[0]), &why)) == 1;) {
			if (strcspn(i->unset_store[i->nunset], "=") == 0) {
				lose(v, 1, "a word that names no variable");
				continue;
			}
			i->unset[i->nunset] = i->unset_store[i->nunset];
			i->nunset++;
		}
	if (got == -1) {
		imp_say(i, "error", "%s=%s: %s", d->key, d->value, why);
		return -1;
	}
	return 0;
}

static int
h_user(struct imp *i, const struct directive *d, struct verdict *v)
{
	return plan_user(i, d->value, v);
}

static int
h_group(struct imp *i, const struct directive *d, struct verdict *v)
{
	return plan_group(i, d->u, d->value, v);
}

static int
h_reload(struct imp *i, const struct directive *d, struct verdict *v)
{
	return plan_reload(i, d->u, v);
}

static int
h_stop_post(struct imp *i, const struct directive *d, struct verdict *v)
{
	return plan_stop_post(i, d->u, v);
}

static int
h_groups(struct imp *i, const struct directive *d, struct verdict *v)
{
	return plan_groups(i, d->u, v);
}

static int
h_workdir(struct imp *i, const struct directive *d, struct verdict *v)
{
	(void)v;
	i->workdir = resolved_path(i, d->key, d->value, IMP_ENV_MAX + 1);
	return i->workdir == NULL ? -1 : 0;
}

static int
h_umask(struct imp *i, const struct directive *d, struct verdict *v)
{
	if (strspn(d->value, "01234567") != strlen(d->value))
		lose(v, 1, "not an octal mask");
	else
		i->umask = d->value;
	return 0;
}

static int
h_nice(struct imp *i, const struct directive *d, struct verdict *v)
{
	const char *n = d->value + (d->value[0] == '-');

	if (!all_digits(n) || strtol(d->value, NULL, 10) < -20 ||
	    strtol(d->value, NULL, 10) > 19)
		lose(v, 1, "not a niceness (-20 to 19)");
	else {
		i->nice = d->value;
		tell(v, FATE_TRANSLATE, "run: nice -n %s (from the supervisor's "
		    "niceness, normally 0)", d->value);
	}
	return 0;
}

static int
h_oom(struct imp *i, const struct directive *d, struct verdict *v)
{
	const char *n = d->value + (d->value[0] == '-');

	if (!all_digits(n) || strtol(d->value, NULL, 10) < -1000 ||
	    strtol(d->value, NULL, 10) > 1000)
		lose(v, 1, "not an adjustment (-1000 to 1000)");
	else
		i->oom = d->value;
	return 0;
}

static int
h_limit(struct imp *i, const struct directive *d, struct verdict *v)
{
	return plan_limit(i, d->key, d->value, v);
}

static int
h_kill_signal(struct imp *i, const struct directive *d, struct verdict *v)
{
	int sig = signal_number(d->value);

	if (sig == 0)
		lose(v, 1, "not a signal");
	else if (strcmp(signal_name(sig), "SIGTERM") == 0)
		tell(v, FATE_KEEP, "SIGTERM, as the supervisor sends");
	else if (v->fate != FATE_LOST)
		strlcpy(i->down_signal, signal_name(sig), sizeof(i->down_signal));
	return 0;
}

static int
h_timeout_stop(struct imp *i, const struct directive *d, struct verdict *v)
{
	long long ms = timespan_ms(d->value);

	if (ms == -2)
		lose(v, 0, "not a time span");
	else if (ms <= 0)
		tell(v, FATE_KEEP, "never followed by SIGKILL, as the supervisor "
		    "does");
	else if (i->to == BACKEND_S6)
		i->timeout_kill_ms = ms;
	return 0;
}

static int
h_restart_no(struct imp *i, const struct directive *d, struct verdict *v)
{
	(void)d;
	(void)v;
	i->down = 1;
	return 0;
}

static int
h_restart_when(struct imp *i, const struct directive *d, struct verdict *v)
{
	if (v->fate != FATE_LOST)
		i->restart = map_unit_restart(d->value);
	return 0;
}

static int
h_output(struct imp *i, const struct directive *d, struct verdict *v)
{
	int err = d->r->id == UR_STDERR;
	const char *value = resolved_path(i, d->key, d->value, IMP_ENV_MAX +
	    2 + (size_t)err);

	if (value == NULL)
		return -1;
	if (err)
		i->err = plan_output(value, &i->err_file, v, 1);
	else
		i->out = plan_output(value, &i->out_file, v, 0);
	return 0;
}

static int
h_runtime_dir(struct imp *i, const struct directive *d, struct verdict *v)
{
	return plan_dirs(i, d->key, d->value, "/run", "RUNTIME_DIRECTORY", v);
}

static int
h_state_dir(struct imp *i, const struct directive *d, struct verdict *v)
{
	return plan_dirs(i, d->key, d->value, "/var/lib", "STATE_DIRECTORY", v);
}

static int
h_dir_mode(struct imp *i, const struct directive *d, struct verdict *v)
{
	plan_dir_mode(i, d->key, d->value, v);
	return 0;
}

static int
h_sigpipe(struct imp *i, const struct directive *d, struct verdict *v)
{
	if ((i->ignore_sigpipe = boolean(d->value)) == -1) {
		i->ignore_sigpipe = 1;
		lose(v, 0, "not a boolean: ignored, as systemd does");
	} else if (!i->ignore_sigpipe)
		tell(v, FATE_KEEP, "SIGPIPE as the supervisor leaves it");
	return 0;
}

/*
 * Each row id's handler; none for those only said (UR_REPORT, PIDFile)
 * and for ExecStart, ExecStartPre and Type, read before every other.
 */
static int (*const handlers[UR_COUNT])(struct imp *,
    const struct directive *, struct verdict *) = {
	[UR_ENVIRONMENT] = h_environment,
	[UR_ENVIRONMENT_FILE] = h_environment_file,
	[UR_USER] = h_user,
	[UR_GROUP] = h_group,
	[UR_SUPPLEMENTARY_GROUPS] = h_groups,
	[UR_WORKING_DIRECTORY] = h_workdir,
	[UR_UMASK] = h_umask,
	[UR_NICE] = h_nice,
	[UR_OOM_SCORE] = h_oom,
	[UR_LIMIT] = h_limit,
	[UR_KILL_SIGNAL] = h_kill_signal,
	[UR_TIMEOUT_STOP] = h_timeout_stop,
	[UR_RESTART_NO] = h_restart_no,
	[UR_RESTART_WHEN] = h_restart_when,
	[UR_STDOUT] = h_output,
	[UR_STDERR] = h_output,
	[UR_RUNTIME_DIRECTORY] = h_runtime_dir,
	[UR_STATE_DIRECTORY] = h_state_dir,
	[UR_DIRECTORY_MODE] = h_dir_mode,
	[UR_IGNORE_SIGPIPE] = h_sigpipe,
	[UR_EXEC_RELOAD] = h_reload,
	[UR_EXEC_STOP_POST] = h_stop_post,
	[UR_UNSET_ENVIRONMENT] = h_unset,
};

/* The directive's own handling, by its row's id; V starts as the row. */
static int
act(struct imp *i, const struct unit *u, const struct unit_rule *r,
    const char *key, const char *value, struct verdict *v)
{
	const struct directive d = { u, r, key, value };

	return handlers[r->id] != NULL ? handlers[r->id](i, &d, v) : 0;
}

/* Each directive once: at its last assignment, in the order read. */
static int
last_of_its_kind(const struct unit *u, size_t e)
{
	size_t k;

	for (k = e + 1; k < u->nentries; k++)
		if (strcmp(unit_key(u, k), unit_key(u, e)) == 0 &&
		    strcmp(unit_section(u, k), unit_section(u, e)) == 0)
			return 0;
	return 1;
}

static int
directive(struct imp *i, const struct unit *u, size_t e,
    const struct verdict *type_v)
{
	const char *section = unit_section(u, e), *key = unit_key(u, e),
	    *value = unit_value(u, e);
	const struct unit_rule *r = map_unit_rule(section, key, value);
	struct verdict v;
	size_t n;

	if (strncmp(section, "X-", 2) == 0)
		return 0;	/* systemd reads none of them either */
	if (r == NULL && strcmp(section, "Unit") != 0 && strcmp(section,
	    "Service") != 0 && strcmp(section, "Install") != 0) {
		v.fate = FATE_LOST;
		v.changes = 0;
		snprintf(v.how, sizeof(v.how), "[%s] is no section of a service: "
		    "systemd ignores it too", section);
		say_verdict(i, key, value, 0, &v);
		return 0;
	}
	if (r == NULL) {
		v.fate = FATE_LOST;
		v.changes = 1;
		snprintf(v.how, sizeof(v.how), "svx does not know it");
		say_verdict(i, key, value, 0, &v);
		return 0;
	}
	v.fate = r->fate[i->to];
	v.changes = r->changes;
	strlcpy(v.how, v.fate == FATE_LOST ? r->lost_why : r->as[i->to],
	    sizeof(v.how));
	if (r->id == UR_TYPE_FORKING || r->id == UR_TYPE_NOTIFY)
		v = *type_v;
	if (act(i, u, r, key, value, &v) == -1)
		return -1;
	n = unit_rule_is_list(r->id) ? unit_list(u, section, key, NULL, 0) : 0;
	say_verdict(i, key, value, n > 1 ? n - 1 : 0, &v);
	return 0;
}

/* ---- ExecStart and ExecStartPre ------------------------------------------ */

static int
plan_start(struct imp *i, const struct unit *u, struct verdict *type_v)
{
	static struct unit_exec e;	/* 512 KiB: not on the stack */
	const char *list[2], *type = unit_last(u, "Service", "Type");
	size_t n = unit_list(u, "Service", "ExecStart", list, 2);

	if (n != 1) {
		imp_say(i, "error", "%s", n == 0 ? "no ExecStart=: nothing to "
		    "run" : "several ExecStart= (a oneshot unit): a supervisor "
		    "runs one daemon");
		i->refused = 1;
		return -1;
	}
	if (read_exec(i, &e, "ExecStart", list[0]) == -1)
		return -1;
	if (plan_type(i, &e, type, basename_of(e.word[0]), type_v) == -1)
		return -1;
	if ((e.flags & EXEC_ARGV0) && strcmp(e.word[1],
	    e.word[0]) != 0 && strcmp(e.word[1],
	    basename_of(e.word[0])) != 0) {
		imp_say(i, "lost", "ExecStart's '@': argv[0] is the path, not "
		    "%s (sh's exec cannot set it)", e.word[1]);
		i->lost = 1;
	}
	/* '+': as root, whatever User= says. */
	i->as_root = (e.flags & EXEC_FULL_PRIVS) != 0;
	return sh_words(i->runtime_env, &e, i->start, sizeof(i->start));
}

static int
plan_pre(struct imp *i, const struct unit *u)
{
	static struct unit_exec e;
	const char *list[IMP_PRE_MAX];
	size_t n = unit_list(u, "Service", "ExecStartPre", list, IMP_PRE_MAX),
	    k;

	if (n > IMP_PRE_MAX) {
		imp_say(i, "error", "more than %d ExecStartPre=", IMP_PRE_MAX);
		return -1;
	}
	for (k = 0; k < n; k++) {
		if (read_exec(i, &e, "ExecStartPre", list[k]) == -1 ||
		    sh_words(i->runtime_env, &e, i->pre[k], sizeof(i->pre[k])) == -1)
			return -1;
		i->pre_ignore[k] = (e.flags & EXEC_IGNORE_FAILURE) != 0;
		i->pre_root[k] = (e.flags & EXEC_FULL_PRIVS) != 0;
	}
	i->npre = n;
	return 0;
}

/* Environment= first (the command lines may use it); EnvironmentFile=
 * makes every expansion wait for sh at start. */
static int
plan_environment(struct imp *i, const struct unit *u)
{
	const char *list[IMP_ENV_MAX];
	struct verdict v;
	size_t n = unit_list(u, "Service", "Environment", list, IMP_ENV_MAX),
	    k;

	for (k = 0; k < n && k < IMP_ENV_MAX; k++)
		if (env_words(i, list[k], &v) == -1)
			return -1;
	/* Expanded by sh at start where only then the values are known:
	 * EnvironmentFile= is read then, UnsetEnvironment= applies last. */
	i->runtime_env = unit_list(u, "Service", "EnvironmentFile", list,
	    IMP_ENV_MAX) > 0 || unit_list(u, "Service", "UnsetEnvironment",
	    list, IMP_ENV_MAX) > 0;
	return 0;
}

int
imp_plan(struct imp *i, const struct unit *u)
{
	struct verdict type_v;
	const char *d;
	size_t e;

	i->ignore_sigpipe = 1;		/* systemd's default */
	i->timeout_kill_ms = -1;
	i->out = IMPO_LOG;
	i->err = IMPO_SAME;
	i->description = unit_last(u, "Unit", "Description");
	memset(&type_v, 0, sizeof(type_v));
	if (plan_environment(i, u) == -1 || plan_start(i, u, &type_v) == -1 ||
	    plan_pre(i, u) == -1)
		return -1;
	i->nenv = 0;		/* env_words again, in act(), once each */
	for (e = 0; e < u->nentries; e++)
		if (last_of_its_kind(u, e) && directive(i, u, e, &type_v) ==
		    -1)
			return -1;
	if (i->to == BACKEND_S6 && i->user != NULL && s6_ids(i) == -1) {
		imp_say(i, "error", "User=, Group= or SupplementaryGroups= name "
		    "no user or group here");
		return -1;
	}
	if (unit_last(u, "Service", "KillMode") == NULL)
		imp_say(i, "note", "KillMode unset (systemd's default, "
		    "control-group): the supervisor signals the main process "
		    "only; what it leaves behind is not killed");
	if (unit_last(u, "Service", "Restart") == NULL)
		imp_say(i, "note", "Restart unset (systemd's default, no): the "
		    "supervisor restarts it whenever it exits; Restart=no makes "
		    "./down");
	if (i->ignore_sigpipe)
		imp_say(i, "note", "IgnoreSIGPIPE (systemd's default, yes): run "
		    "ignores SIGPIPE for it");
	d = i->workdir;
	if (d != NULL && d[0] != '/' && d[0] != '-' && d[0] != '~') {
		imp_say(i, "error", "WorkingDirectory=%s: not absolute", d);
		return -1;
	}
	imp_say(i, "note", "its environment: PATH=%s%s, as systemd gives a "
	    "service", SYSTEMD_PATH, i->user != NULL ? ", HOME, USER, LOGNAME "
	    "and SHELL of its user" : "");
	return 0;
}

const char *imp_systemd_path = SYSTEMD_PATH;
