/*
 * The files of a service directory, and how they read on each backend
 * (PROTOCOLS.md#loggers, PROTOCOLS.md#finish-scripts): the logger its
 * log/run runs, and finish scripts, whose arguments differ: runit passes
 * EXIT SIG with EXIT -1 when the service was killed; s6 passes EXIT SIG
 * NAME with EXIT 256.
 * Silent: the shim reports.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svfiles.h"

#define WRAPPER_MARK	"# svx migrate: finish wrapper for "

static const char *const inventory_names[MF_COUNT] = {
	[MF_RUN] = "run", [MF_FINISH] = "finish", [MF_DOWN] = "down",
	[MF_CHECK] = "check", [MF_CONTROL_DIR] = "control",
	[MF_NOTIFICATION_FD] = "notification-fd",
	[MF_TIMEOUT_KILL] = "timeout-kill",
	[MF_TIMEOUT_FINISH] = "timeout-finish",
	[MF_DOWN_SIGNAL] = "down-signal",
	[MF_MAX_DEATH_TALLY] = "max-death-tally", [MF_LOCK_FD] = "lock-fd",
	[MF_START] = "start", [MF_STOP] = "stop", [MF_NOTIFY] = "notify",
	[MF_LOG_EXEC] = "log", [MF_LOG_DIR] = "log",
};

unsigned int
mig_inventory(int dirfd)
{
	struct stat sb;
	unsigned int files = 0, i;

	for (i = 0; i < MF_COUNT; i++) {
		if (fstatat(dirfd, inventory_names[i], &sb, 0) == -1)
			continue;
		if (i == MF_LOG_EXEC && !S_ISREG(sb.st_mode))
			continue;
		if ((i == MF_LOG_DIR || i == MF_CONTROL_DIR) &&
		    !S_ISDIR(sb.st_mode))
			continue;
		files |= 1u << i;
	}
	return files;
}

/* NAME whole into BUF, terminated; -1 (EFBIG) if it does not fit, -1
 * (ENOTPLAIN) at once if it is not a regular file. FLAGS: O_NOFOLLOW for
 * a service's own files, 0 for a configuration file. */
ssize_t
read_small(int dirfd, const char *name, int flags, char *buf, size_t len)
{
	ssize_t r;
	int fd;

	if ((fd = open_plain(dirfd, name, flags, NULL)) == -1)
		return -1;
	r = read(fd, buf, len - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	if ((size_t)r == len - 1) {
		errno = EFBIG;
		return -1;
	}
	return r;
}

/* LEN bytes of TEXT: 0, or -1 with errno (a short write is ENOSPC). */
static int
write_whole(int fd, const char *text, size_t len)
{
	ssize_t w;

	while (len > 0) {
		w = write(fd, text, len);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC;
			return -1;
		}
		text += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * NAME written whole and durably: NAME.new written, synced and closed
 * (close is where NFS reports a failed write), renamed over NAME, then
 * the directory synced so the rename itself outlives a crash. 0, or -1
 * with errno: NAME.new is gone, and NAME is untouched unless only the
 * directory's sync failed, after the rename.
 */
int
write_file(int dirfd, const char *name, const char *text, int mode)
{
	char tmp[NAME_MAX + 8];
	int fd, saved, bad;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", name) >=
	    sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	(void)unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, mode);
	if (fd == -1)
		return -1;
	bad = write_whole(fd, text, strlen(text)) == -1 ||
	    fchmod(fd, (mode_t)mode) == -1 || fsync(fd) == -1;
	saved = errno;
	if (close(fd) == -1 && !bad) {
		bad = 1;
		saved = errno;
	}
	if (bad || renameat(dirfd, tmp, dirfd, name) == -1) {
		if (!bad)
			saved = errno;
		(void)unlinkat(dirfd, tmp, 0);
		errno = saved;
		return -1;
	}
	return fsync(dirfd);
}

/*
 * Whether a user other than root and INVOKER controls the directory NAME
 * under ATFD (NAME NULL: ATFD itself): owns it, or can write it through
 * its group or other bits. 1 (its stat in *SB), 0, or -1 with errno.
 * Symlinks are followed: the directory they lead to is the one written.
 */
int
dir_foreign(int atfd, const char *name, uid_t invoker, struct stat *sb)
{
	if ((name == NULL ? fstat(atfd, sb) : fstatat(atfd, name, sb, 0)) ==
	    -1)
		return -1;
	return (sb->st_uid != 0 && sb->st_uid != invoker) ||
	    (sb->st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

void
path_dir(const char *path, char *out, size_t len)
{
	char tmp[PATH_MAX], *slash;

	strlcpy(tmp, path, sizeof(tmp));
	if ((slash = strrchr(tmp, '/')) == NULL)
		strlcpy(tmp, ".", sizeof(tmp));
	else
		slash[slash == tmp ? 1 : 0] = '\0';
	strlcpy(out, tmp, len);
}

int
write_new_file(int dirfd, const char *name, const char *text,
    const struct stat *like)
{
	int fd, saved, bad;

	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, like->st_mode & 07777);
	if (fd == -1)
		return -1;
	/* Its owner kept where svx may (root); its mode always. */
	bad = write_whole(fd, text, strlen(text)) == -1 || fchmod(fd,
	    like->st_mode & 07777) == -1 || (fchown(fd, like->st_uid,
	    like->st_gid) == -1 && errno != EPERM) || fsync(fd) == -1;
	saved = errno;
	if (close(fd) == -1 && !bad) {
		bad = 1;
		saved = errno;
	}
	if (bad) {
		(void)unlinkat(dirfd, name, 0);
		errno = saved;
		return -1;
	}
	/* A new name is a change to the directory: synced as well. */
	return fsync(dirfd);
}

/* ---- loggers --------------------------------------------------------- */

static const struct {
	const char	*name;
	enum logger_kind kind;
} logger_programs[] = {
	{ "svlogd", LOGGER_SVLOGD }, { "multilog", LOGGER_MULTILOG },
	{ "s6-log", LOGGER_S6LOG },
};

/* User switchers in front of the logger, and their argument forms. */
static const struct {
	const char	*name;
	const char	*flag;		/* the option before USER, or NULL */
} user_switchers[] = {
	{ "chpst", "-u" }, { "setuidgid", NULL }, { "s6-setuidgid", NULL },
};

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* The last "exec ..." line of a shell script, into L->line. */
static int
exec_line(const char *text, struct logger *l)
{
	const char *p = text, *end, *found = NULL;
	size_t n;

	while (*p != '\0') {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if ((size_t)(end - p) > 5 && strncmp(p, "exec ", 5) == 0)
			found = p;
		p = *end != '\0' ? end + 1 : end;
	}
	if (found == NULL)
		return -1;
	end = strchr(found, '\n');
	n = end != NULL ? (size_t)(end - found) : strlen(found);
	if (n >= sizeof(l->line))
		return -1;
	memcpy(l->line, found, n);
	l->line[n] = '\0';
	return 0;
}

#define MAX_WORDS	24

/* Words of LINE; MAX_WORDS + 1 when there are more than svx keeps. */
static size_t
split_words(char *line, char **words)
{
	size_t n = 0;
	char *w;

	for (w = strtok(line, " \t"); w != NULL; w = strtok(NULL, " \t")) {
		if (n == MAX_WORDS)
			return MAX_WORDS + 1;
		words[n++] = w;
	}
	return n;
}

/* S into DST whole, or -1: a cut name would be another user or place. */
static int
copy(char *dst, size_t len, const char *s)
{
	return strlcpy(dst, s, len) < len ? 0 : -1;
}

/*
 * Only "#!..." and comments besides the exec line: anything else (a
 * mkdir, a cd) would be lost in a rewrite, so svx leaves such a script.
 */
static int
only_exec(const char *text)
{
	const char *p = text, *end;
	size_t n;

	while (*p != '\0') {
		end = strchr(p, '\n');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		if (n > 0 && *p != '#' && strncmp(p, "exec ", 5) != 0)
			return 0;
		p = end != NULL ? end + 1 : p + n;
	}
	return 1;
}

static int
number(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return *s != '\0' && *end == '\0' && errno == 0 && *out > 0 ? 0 : -1;
}

/* USER-SWITCH USER in front of the logger: consumed, into L->user. */
static size_t
parse_user(char **w, size_t n, size_t i, struct logger *l)
{
	size_t k;

	for (k = 0; k < sizeof(user_switchers) / sizeof(user_switchers[0]);
	    k++) {
		if (i >= n || strcmp(base(w[i]), user_switchers[k].name) != 0)
			continue;
		if (user_switchers[k].flag == NULL && i + 1 < n)
			return copy(l->user, sizeof(l->user), w[i + 1]) == 0 ?
			    i + 2 : n;
		if (i + 1 < n && strncmp(w[i + 1], "-u", 2) == 0) {
			if (w[i + 1][2] != '\0')
				return copy(l->user, sizeof(l->user),
				    w[i + 1] + 2) == 0 ? i + 2 : n;
			if (i + 2 < n)
				return copy(l->user, sizeof(l->user),
				    w[i + 2]) == 0 ? i + 3 : n;
		}
	}
	return i;
}

static int
parse_svlogd(char **w, size_t n, struct logger *l, const char **why)
{
	size_t i;

	for (i = 0; i < n && w[i][0] == '-'; i++) {
		if (strcmp(w[i], "-t") == 0)
			l->stamp = STAMP_TAI64N;
		else if (strcmp(w[i], "-tt") == 0 || strcmp(w[i], "-ttt") == 0)
			l->stamp = STAMP_HUMAN;
		else if (strcmp(w[i], "-v") != 0) {
			*why = "an svlogd option svx does not translate";
			return -1;
		}
	}
	if (i + 1 != n) {
		*why = "svlogd with other than one log directory";
		return -1;
	}
	if (copy(l->dir, sizeof(l->dir), w[i]) == -1) {
		*why = "a log directory name too long";
		return -1;
	}
	return 0;
}

/* multilog's and s6-log's scripts: t, T, sN, nN and one directory. */
static int
parse_script(char **w, size_t n, struct logger *l, const char **why)
{
	size_t i = 0;
	long v;

	if (l->kind == LOGGER_S6LOG)
		while (i < n && strcmp(w[i], "-b") == 0)
			i++;
	for (; i < n; i++) {
		if (strcmp(w[i], "t") == 0)
			l->stamp = STAMP_TAI64N;
		else if (strcmp(w[i], "T") == 0 && l->kind == LOGGER_S6LOG)
			l->stamp = STAMP_HUMAN;
		else if (w[i][0] == 's' && number(w[i] + 1, &v) == 0)
			l->size = v;
		else if (w[i][0] == 'n' && number(w[i] + 1, &v) == 0)
			l->count = v;
		else if ((w[i][0] == '.' || w[i][0] == '/') &&
		    l->dir[0] == '\0' && copy(l->dir, sizeof(l->dir), w[i]) == 0)
			;
		else {
			*why = "a logging directive svx does not translate";
			return -1;
		}
	}
	if (l->dir[0] == '\0') {
		*why = "no log directory";
		return -1;
	}
	return 0;
}

int
logger_parse(const char *text, struct logger *l, const char **why)
{
	char line[LOGLINE_MAX], *w[MAX_WORDS];
	size_t n, i, k;

	memset(l, 0, sizeof(*l));
	*why = "no exec line";
	if (exec_line(text, l) == -1)
		return -1;
	if (!only_exec(text)) {
		*why = "it does more than exec a logger";
		return -1;
	}
	if (strpbrk(l->line, "'\"\\$`;|&<>") != NULL) {
		*why = "quoting, variables or redirections svx does not parse";
		return -1;
	}
	strlcpy(line, l->line, sizeof(line));
	if ((n = split_words(line, w)) > MAX_WORDS) {
		*why = "more words than svx translates";
		return -1;
	}
	i = parse_user(w, n, 1, l);
	if (strchr(l->user, ':') != NULL) {
		*why = "a user:group the other user switchers do not take";
		return -1;
	}
	*why = "not svlogd, multilog or s6-log";
	if (i >= n)
		return -1;
	for (k = 0; k < sizeof(logger_programs) / sizeof(logger_programs[0]);
	    k++)
		if (strcmp(base(w[i]), logger_programs[k].name) == 0)
			l->kind = logger_programs[k].kind;
	if (l->kind == LOGGER_NONE)
		return -1;
	if (l->kind == LOGGER_SVLOGD)
		return parse_svlogd(w + i + 1, n - i - 1, l, why);
	return parse_script(w + i + 1, n - i - 1, l, why);
}

int
logger_read_svlogd_config(int logdirfd, struct logger *l)
{
	char buf[1024], *line, *save = NULL;
	long v;
	int fd, r;

	if ((fd = open_beneath(logdirfd, l->dir, O_RDONLY | O_DIRECTORY,
	    0)) == -1)
		return errno == ENOENT || errno == EXDEV ? 0 : -1;
	if ((r = (int)read_small(fd, "config", O_NOFOLLOW, buf,
	    sizeof(buf))) > 0)
		for (line = strtok_r(buf, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			if (line[0] == 's' && number(line + 1, &v) == 0)
				l->size = v;
			else if (line[0] == 'n' && number(line + 1, &v) == 0)
				l->count = v;
		}
	close(fd);
	return r >= 0 || errno == ENOENT ? 0 : -1;
}

/*
 * Each backend's own logger, and how its command line says what svx
 * carries over (PROTOCOLS.md#loggers): the one table both of svx
 * migrate's sources write log/run from.
 */
static const struct backend_logger {
	enum logger_kind kind;
	const char	*user_switch;		/* before USER */
	const char	*stamp[STAMP_HUMAN + 1];	/* by enum log_stamp */
	long		 max_size;		/* its largest file; 0: no bound */
	long		 fewest_kept;		/* old files it keeps at least */
	unsigned int	 limits_in_config:1;	/* size, count: DIR/config */
	unsigned int	 dotted_dir:1;		/* DIR only as ./NAME or /NAME */
} backend_loggers[BACKEND_DIR_COUNT] = {
	/* multilog has no human stamps: TAI64N, as close as it gets. */
	[BACKEND_DAEMONTOOLS] = { LOGGER_MULTILOG, "setuidgid ",
	    { "", " t", " t" }, 16777215L, 2, 0, 1 },
	[BACKEND_ENCORE] = { LOGGER_MULTILOG, "setuidgid ",
	    { "", " t", " t" }, 16777215L, 2, 0, 1 },
	/* svlogd would keep every old file if told 0. */
	[BACKEND_RUNIT] = { LOGGER_SVLOGD, "chpst -u ",
	    { "", " -t", " -tt" }, 0, 1, 1, 0 },
	[BACKEND_S6] = { LOGGER_S6LOG, "s6-setuidgid ",
	    { "", " t", " T" }, 0, 1, 0, 1 },
};

/* B's row; BACKEND_UNKNOWN's (all empty) for anything else. */
static const struct backend_logger *
logger_row(enum svx_backend b)
{
	return &backend_loggers[(unsigned int)b < BACKEND_DIR_COUNT ? b :
	    BACKEND_UNKNOWN];
}

const char *
user_switcher(enum svx_backend b)
{
	return logger_row(b)->user_switch;
}

enum logger_kind
logger_of_backend(enum svx_backend b)
{
	return logger_row(b)->kind;
}

long
logger_max_size(enum svx_backend b)
{
	return logger_row(b)->max_size;
}

long
logger_fewest_kept(enum svx_backend b)
{
	return logger_row(b)->fewest_kept;
}

const char *
logger_name(enum logger_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(logger_programs) / sizeof(logger_programs[0]);
	    i++)
		if (logger_programs[i].kind == kind)
			return logger_programs[i].name;
	return "none";
}

static int
put_number(char *buf, size_t len, size_t *at, char letter, long v)
{
	char num[32];

	snprintf(num, sizeof(num), " %c%ld", letter, v);
	return buf_append(buf, len, at, num);
}

int
logger_render(const struct logger *l, enum svx_backend target,
    const char *from_line, char *buf, size_t len)
{
	const struct backend_logger *t = logger_row(target);
	size_t at = 0;
	int bad = 0;

	if (t->kind == LOGGER_NONE) {
		errno = EINVAL;
		return -1;
	}
	bad |= buf_append(buf, len, &at, "#!/bin/sh\n# svx migrate: was: ");
	bad |= buf_append(buf, len, &at, from_line);
	bad |= buf_append(buf, len, &at, "\nexec ");
	if (l->user[0] != '\0') {
		bad |= buf_append(buf, len, &at, t->user_switch);
		bad |= buf_append(buf, len, &at, l->user);
		bad |= buf_append(buf, len, &at, " ");
	}
	bad |= buf_append(buf, len, &at, logger_name(t->kind));
	bad |= buf_append(buf, len, &at, t->stamp[l->stamp]);
	if (!t->limits_in_config && l->size > 0)
		bad |= put_number(buf, len, &at, 's', l->size);
	if (!t->limits_in_config && l->count > 0)
		bad |= put_number(buf, len, &at, 'n', l->count);
	bad |= buf_append(buf, len, &at, " ");
	if (t->dotted_dir && l->dir[0] != '.' && l->dir[0] != '/')
		bad |= buf_append(buf, len, &at, "./");
	bad |= buf_append(buf, len, &at, l->dir);
	bad |= buf_append(buf, len, &at, "\n");
	return bad ? -1 : 0;
}

/* svlogd's DIR/config: size and count, a commented line for a default. */
static void
render_limits(const struct logger *l, char *buf, size_t len)
{
	if (l->size == LOG_UNROTATED)
		snprintf(buf, len, "s0\n");	/* svlogd: never rotated */
	else
		snprintf(buf, len, "%ss%ld\n", l->size > 0 ? "" : "#", l->size);
	snprintf(buf + strlen(buf), len - strlen(buf), "%sn%ld\n",
	    l->count > 0 ? "" : "#", l->count);
}

enum logger_config
logger_config_plan(int logfd, const struct logger *l,
    enum svx_backend target)
{
	enum logger_config c = LOGCONF_WRITE;
	int dfd;

	if (!logger_row(target)->limits_in_config || (l->size == 0 &&
	    l->count <= 0))
		return LOGCONF_NONE;
	/* Outside the service (an absolute directory): not svx's to
	 * write. None yet: the logger starts with its defaults. */
	if ((dfd = open_beneath(logfd, l->dir, O_RDONLY | O_DIRECTORY,
	    0)) == -1)
		return errno == EXDEV ? LOGCONF_OUTSIDE : LOGCONF_NONE;
	/* One there already (patterns, processors...) is left as it is:
	 * rewriting it would lose what svx does not parse. */
	if (faccessat(dfd, "config", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		c = LOGCONF_KEPT;
	close(dfd);
	return c;
}

int
logger_write(int logfd, const struct logger *l, enum svx_backend target,
    const char *from_line, enum logger_config config)
{
	char text[LOGLINE_MAX + 256], limits[64];
	int dfd, r;

	if (logger_render(l, target, from_line, text, sizeof(text)) == -1 ||
	    write_file(logfd, "run", text, 0755) == -1)
		return -1;
	if (config != LOGCONF_WRITE)
		return 0;
	render_limits(l, limits, sizeof(limits));
	if ((dfd = open_beneath(logfd, l->dir, O_RDONLY | O_DIRECTORY,
	    0)) == -1)
		return -1;
	r = write_file(dfd, "config", limits, 0644);
	close(dfd);
	return r;
}

/* ---- finish ---------------------------------------------------------- */

enum finish_style
finish_style_of(enum svx_backend b)
{
	return b == BACKEND_RUNIT ? FINISH_RUNIT : b == BACKEND_S6 ?
	    FINISH_S6 : FINISH_NONE;
}

static const char *const style_names[] = {
	[FINISH_NONE] = "none", [FINISH_RUNIT] = "runit", [FINISH_S6] = "s6",
};

const char *
finish_style_name(enum finish_style style)
{
	return style_names[style];
}

/*
 * The wrapper keeps the original's name in its marker line, so that a
 * migration back restores the original instead of wrapping a wrapper.
 */
int
finish_wrapper(enum finish_style from, enum finish_style to,
    const char *orig, char *buf, size_t len)
{
	int n;

	if (from == FINISH_RUNIT && to == FINISH_S6)
		n = snprintf(buf, len, "#!/bin/sh\n" WRAPPER_MARK "%s %s\n"
		    "# s6 passes EXIT SIG NAME, EXIT 256 when killed; this "
		    "script wants runit's EXIT SIG, EXIT -1 when killed.\n"
		    "[ \"$1\" = 256 ] && set -- -1 \"$2\"\n"
		    "exec ./%s \"$1\" \"$2\"\n", style_names[from], orig, orig);
	else if (from == FINISH_S6 && to == FINISH_RUNIT)
		n = snprintf(buf, len, "#!/bin/sh\n" WRAPPER_MARK "%s %s\n"
		    "# runit passes EXIT SIG, EXIT -1 when killed; this "
		    "script wants s6's EXIT SIG NAME, EXIT 256 when killed.\n"
		    "[ \"$1\" = -1 ] && set -- 256 \"$2\"\n"
		    "exec ./%s \"$1\" \"$2\" \"$PWD\"\n", style_names[from],
		    orig, orig);
	else {
		errno = EINVAL;
		return -1;
	}
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

const char *
finish_wrapped(const char *text, char *orig, size_t len,
    enum finish_style *style)
{
	const char *m = strstr(text, WRAPPER_MARK);
	char word[16], name[32];
	size_t i;

	if (m == NULL || len < sizeof(name) || sscanf(m +
	    strlen(WRAPPER_MARK), "%15s %31s", word, name) != 2)
		return NULL;
	/* Only the names svx gives originals: nothing else is renamed. */
	for (i = 1; i < sizeof(style_names) / sizeof(style_names[0]); i++)
		if (strcmp(word, style_names[i]) == 0 &&
		    strncmp(name, "finish.", 7) == 0 &&
		    strcmp(name + 7, style_names[i]) == 0) {
			*style = (enum finish_style)i;
			strlcpy(orig, name, len);
			return orig;
		}
	return NULL;
}

#define RUN_USER_MARK	"# svx migrate: run as "

int
run_user_name_ok(const char *user)
{
	size_t i;

	if (user[0] == '\0' || user[0] == '-' || strlen(user) > 32)
		return 0;
	for (i = 0; user[i] != '\0'; i++)
		if (!isalnum((unsigned char)user[i]) && strchr("._-",
		    user[i]) == NULL)
			return 0;
	return 1;
}

/* The original's name is fixed: a wrapper never wraps a wrapper (see
 * run_user_wrapped), so one name is enough. */
int
run_user_wrapper(enum svx_backend target, const char *user, char *buf,
    size_t len)
{
	int n;

	if (!run_user_name_ok(user) || (unsigned int)target >= BACKEND_DIR_COUNT ||
	    logger_row(target)->user_switch == NULL) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(buf, len, "#!/bin/sh\n" RUN_USER_MARK "%s\n"
	    "# Its supervisor ran as %s; %s's runs as root. ./%s is the "
	    "original run.\nexec %s%s ./%s\n", user, user,
	    backend_name(target), RUN_AS_USER_KEPT, user_switcher(target),
	    user, RUN_AS_USER_KEPT);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
run_user_wrapped(const char *text)
{
	return strncmp(text, "#!/bin/sh\n" RUN_USER_MARK,
	    sizeof("#!/bin/sh\n" RUN_USER_MARK) - 1) == 0;
}

int
migrate_hidden_name(const char *name, char *out, size_t len)
{
	int n = snprintf(out, len, ".%s.svx-migrate", name);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* The plan's "to" line, and the last "step" line of the journal. */
int
migrate_journal_peek(int dirfd, char *to, size_t tolen, char *step,
    size_t steplen)
{
	char text[16384], *line, *next;
	ssize_t n;
	int bfd, fd, found = 0;

	if ((bfd = openat(dirfd, MIGRATE_DIR, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return 0;
	fd = open_plain(bfd, MIGRATE_JOURNAL, 0, NULL);
	close(bfd);
	if (fd == -1)
		return 0;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	strlcpy(step, "plan", steplen);
	for (line = text; (next = strchr(line, '\n')) != NULL; line = next) {
		*next++ = '\0';
		if (strncmp(line, "to ", 3) == 0) {
			strlcpy(to, line + 3, tolen);
			found = 1;
		} else if (strncmp(line, "step ", 5) == 0)
			strlcpy(step, line + 5, steplen);
	}
	return found;
}

