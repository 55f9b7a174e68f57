/*
 * A new service directory (svx new) and its scan directory's link (svx
 * enable, disable). Each backend's dialect is a row of one table: its
 * logger (PROTOCOLS.md#loggers) and, from svfiles.c's table, its user
 * switch. Nothing here prints.
 *
 * The directory is built under a dot-name, which every scanner skips
 * (PROTOCOLS.md#scanners), and renamed into place only once whole, so
 * no scanner ever sees half of it; the rename never replaces a NAME
 * that appeared meanwhile (renameat2's RENAME_NOREPLACE where Linux has
 * it).
 */
/* syscall(2) for renameat2: Linux, outside POSIX. */
#define _DEFAULT_SOURCE
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "svfiles.h"
#include "svnew.h"

#define NOREPLACE	1	/* RENAME_NOREPLACE, linux/fs.h */

/*
 * Each backend's logger in log/run: TAI64N stamps (which svx log shows
 * in local time) into log/main/, which svx new makes (svlogd would not).
 * multilog and s6-log want a directory spelled ./NAME or /NAME.
 */
static const char *const loggers[BACKEND_DIR_COUNT] = {
	[BACKEND_DAEMONTOOLS] = "multilog t ./" SVNEW_LOGDIR,
	[BACKEND_ENCORE] = "multilog t ./" SVNEW_LOGDIR,
	[BACKEND_RUNIT] = "svlogd -t ./" SVNEW_LOGDIR,
	[BACKEND_S6] = "s6-log t ./" SVNEW_LOGDIR,
};

const char *
svnew_logger(enum svx_backend b)
{
	return (unsigned int)b < BACKEND_DIR_COUNT ? loggers[b] : NULL;
}

int
svnew_name_ok(const char *name, const char **why)
{
	size_t n = strlen(name);

	*why = NULL;
	if (n == 0)
		*why = "an empty name";
	else if (strchr(name, '/') != NULL)
		*why = "a name with '/' (a name, not a path; --dir says where)";
	else if (name[0] == '.')
		*why = "a name starting with '.' (scanners skip those)";
	else if (strchr(name, '\n') != NULL)
		*why = "a name with a newline";
	else if (n > NAME_MAX - 16)	/* room for the build's dot-name */
		*why = "a name too long";
	return *why == NULL ? 0 : -1;
}

int
svnew_env_ok(const char *kv, const char **why)
{
	const char *p = kv;

	*why = NULL;
	if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' &&
	    *p <= 'z')))
		*why = "--env wants NAME=VALUE, NAME a shell variable's name";
	for (p++; *why == NULL && *p != '='; p++)
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' &&
		    *p <= 'z') || (*p >= '0' && *p <= '9')))
			*why = "--env wants NAME=VALUE, NAME a shell variable's "
			    "name";
	return *why == NULL ? 0 : -1;
}

/* Inside '...' every character is itself but the quote: '\'' puts one. */
int
svnew_quote(char *buf, size_t len, size_t *at, const char *s)
{
	char one[2] = { 0, 0 };
	int bad = buf_append(buf, len, at, "'");

	for (; *s != '\0' && !bad; s++) {
		one[0] = *s;
		bad |= buf_append(buf, len, at, *s == '\'' ? "'\\''" : one);
	}
	return bad | buf_append(buf, len, at, "'");
}

static int
put_env(const char *kv, char *buf, size_t len, size_t *at)
{
	const char *eq = strchr(kv, '=');
	char key[256];
	int bad;

	if (eq == NULL || (size_t)(eq - kv) >= sizeof(key))
		return -1;
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	bad = buf_append(buf, len, at, "export ");
	bad |= buf_append(buf, len, at, key);
	bad |= buf_append(buf, len, at, "=");
	bad |= svnew_quote(buf, len, at, eq + 1);
	return bad | buf_append(buf, len, at, "\n");
}

int
svnew_render_run(const struct svnew *s, char *buf, size_t len)
{
	size_t at = 0, i;
	int bad;

	if ((unsigned int)s->backend >= BACKEND_DIR_COUNT || loggers[s->backend] ==
	    NULL || s->argc == 0)
		return -1;
	bad = buf_append(buf, len, &at, "#!/bin/sh\n# svx new ");
	bad |= buf_append(buf, len, &at, s->name);
	bad |= buf_append(buf, len, &at, " (");
	bad |= buf_append(buf, len, &at, backend_name(s->backend));
	bad |= buf_append(buf, len, &at, ")\n");
	/* The supervisor pipes stdout to the logger; stderr joins it. */
	if (s->log)
		bad |= buf_append(buf, len, &at, "exec 2>&1\n");
	for (i = 0; i < s->nenv; i++)
		bad |= put_env(s->env[i], buf, len, &at);
	bad |= buf_append(buf, len, &at, "exec ");
	if (s->user != NULL) {
		bad |= buf_append(buf, len, &at, user_switcher(s->backend));
		bad |= svnew_quote(buf, len, &at, s->user);
		bad |= buf_append(buf, len, &at, " ");
	}
	for (i = 0; i < s->argc; i++) {
		bad |= svnew_quote(buf, len, &at, s->argv[i]);
		bad |= buf_append(buf, len, &at, i + 1 < s->argc ? " " : "\n");
	}
	return bad ? -1 : 0;
}

int
svnew_render_log(const struct svnew *s, char *buf, size_t len)
{
	size_t at = 0;
	int bad;

	if ((unsigned int)s->backend >= BACKEND_DIR_COUNT || loggers[s->backend] ==
	    NULL)
		return -1;
	bad = buf_append(buf, len, &at, "#!/bin/sh\n# svx new ");
	bad |= buf_append(buf, len, &at, s->name);
	bad |= buf_append(buf, len, &at, ": its log, in ./" SVNEW_LOGDIR
	    "/\nexec ");
	bad |= buf_append(buf, len, &at, loggers[s->backend]);
	bad |= buf_append(buf, len, &at, "\n");
	return bad ? -1 : 0;
}

int
svnew_build_name(const char *name, char *out, size_t len)
{
	int n = snprintf(out, len, ".%s.svx-new", name);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

static int
subdir(int dirfd, const char *name)
{
	if (mkdirat(dirfd, name, 0755) == -1)
		return -1;
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
}

static int
write_log(int fd, const char *logrun)
{
	int lfd, r;

	if ((lfd = subdir(fd, "log")) == -1)
		return -1;
	r = write_file(lfd, "run", logrun, 0755);
	if (r == 0)
		r = mkdirat(lfd, SVNEW_LOGDIR, 0755);
	close(lfd);
	return r;
}

/* What a failed build made, by name only: nothing else is removed. */
static void
unbuild(int dirfd, const char *tmp)
{
	static const char logdir[] = "log/" SVNEW_LOGDIR;
	static const char *const files[] = { logdir, "log/run",
	    "log/run.new", "log", "run", "run.new", "down", "down.new" };
	int fd, saved = errno;
	size_t i;

	if ((fd = openat(dirfd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) != -1) {
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			if (unlinkat(fd, files[i], 0) == -1 && errno == EISDIR)
				(void)unlinkat(fd, files[i], AT_REMOVEDIR);
		close(fd);
	}
	(void)unlinkat(dirfd, tmp, AT_REMOVEDIR);
	errno = saved;
}

int
rename_noreplace(int dirfd, const char *tmp, const char *name)
{
	struct stat sb;

#ifdef SYS_renameat2
	if (syscall(SYS_renameat2, dirfd, tmp, dirfd, name, NOREPLACE) == 0)
		return 0;
	/* ENOSYS, EINVAL: no renameat2 or no RENAME_NOREPLACE here; EPERM:
	 * a seccomp filter that predates it. */
	if (errno != ENOSYS && errno != EINVAL && errno != EPERM)
		return -1;
#endif
	/* Without it, a look first: renameat would replace an empty
	 * directory or a file. */
	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		return -1;
	}
	return renameat(dirfd, tmp, dirfd, name);
}

enum svnew_step
svnew_build(int dirfd, const struct svnew *s, const char *run,
    const char *logrun)
{
	char tmp[NAME_MAX + 1];
	int fd, r;

	if (svnew_build_name(s->name, tmp, sizeof(tmp)) == -1) {
		errno = ENAMETOOLONG;
		return SVNEW_MKDIR;
	}
	if ((fd = subdir(dirfd, tmp)) == -1)
		return SVNEW_MKDIR;
	/* ./down first: a scanner that raced us would start it down. */
	r = s->down ? write_file(fd, "down", "", 0644) : 0;
	if (r == 0)
		r = write_file(fd, "run", run, 0755);
	if (r == 0 && logrun != NULL)
		r = write_log(fd, logrun);
	if (r == 0)
		r = fsync(fd);
	close(fd);
	if (r == -1) {
		unbuild(dirfd, tmp);
		return SVNEW_FILES;
	}
	if (rename_noreplace(dirfd, tmp, s->name) == -1) {
		unbuild(dirfd, tmp);
		return SVNEW_RENAME;
	}
	(void)fsync(dirfd);
	return SVNEW_DONE;
}

/* FILE under the directory FD: its directory opened (FD itself, or its
 * one subdirectory), the last part of its path in *BASE. */
static int
open_parent(int fd, const char *path, const char **base)
{
	char dir[NAME_MAX + 1];
	const char *slash = strchr(path, '/');

	*base = path;
	if (slash == NULL)
		return dup(fd);
	if ((size_t)(slash - path) >= sizeof(dir) || strchr(slash + 1, '/') !=
	    NULL) {
		errno = EINVAL;
		return -1;
	}
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	*base = slash + 1;
	return openat(fd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static int
make_entry(int fd, const struct svnew_file *f)
{
	const char *base;
	int pfd, r;

	if ((pfd = open_parent(fd, f->path, &base)) == -1)
		return -1;
	r = f->text == NULL ? mkdirat(pfd, base, (mode_t)f->mode) :
	    write_file(pfd, base, f->text, f->mode);
	close(pfd);
	return r;
}

/* What a failed build made, by name only, last first. */
static void
unbuild_files(int dirfd, const char *tmp, const struct svnew_file *files,
    size_t n)
{
	int fd, saved = errno;

	if ((fd = openat(dirfd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) != -1) {
		while (n-- > 0)
			(void)unlinkat(fd, files[n].path, files[n].text == NULL ?
			    AT_REMOVEDIR : 0);
		close(fd);
	}
	(void)unlinkat(dirfd, tmp, AT_REMOVEDIR);
	errno = saved;
}

enum svnew_step
svnew_build_files(int dirfd, const char *name, const struct svnew_file *files,
    size_t n)
{
	char tmp[NAME_MAX + 1];
	size_t i;
	int fd, r = 0;

	if (svnew_build_name(name, tmp, sizeof(tmp)) == -1) {
		errno = ENAMETOOLONG;
		return SVNEW_MKDIR;
	}
	if ((fd = subdir(dirfd, tmp)) == -1)
		return SVNEW_MKDIR;
	for (i = 0; i < n && r == 0; i++)
		r = make_entry(fd, &files[i]);
	if (r == 0)
		r = fsync(fd);
	close(fd);
	if (r == -1) {
		unbuild_files(dirfd, tmp, files, i);
		return SVNEW_FILES;
	}
	if (rename_noreplace(dirfd, tmp, name) == -1) {
		unbuild_files(dirfd, tmp, files, n);
		return SVNEW_RENAME;
	}
	(void)fsync(dirfd);
	return SVNEW_DONE;
}

/* ---- the scan directory's link ------------------------------------------ */

enum svlink_state
svlink_state(int scanfd, const char *name, int dirfd)
{
	struct stat entry, dir, to;

	if (fstat(dirfd, &dir) == -1)
		return SVLINK_ERROR;
	if (fstatat(scanfd, name, &entry, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? SVLINK_NONE : SVLINK_ERROR;
	if (S_ISDIR(entry.st_mode))
		return entry.st_dev == dir.st_dev && entry.st_ino ==
		    dir.st_ino ? SVLINK_SAME_DIR : SVLINK_FOREIGN;
	if (!S_ISLNK(entry.st_mode))
		return SVLINK_FOREIGN;
	/* A symlink: where it leads now (a dangling one leads elsewhere). */
	if (fstatat(scanfd, name, &to, 0) == -1)
		return SVLINK_ELSEWHERE;
	return to.st_dev == dir.st_dev && to.st_ino == dir.st_ino ?
	    SVLINK_OURS : SVLINK_ELSEWHERE;
}

int
svlink_make(int scanfd, const char *name, const char *target, int replace)
{
	char tmp[NAME_MAX + 1];
	struct stat sb;
	int n;

	if (!replace)
		return symlinkat(target, scanfd, name);
	n = snprintf(tmp, sizeof(tmp), ".%s.svx-link", name);
	if (n <= 0 || (size_t)n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	(void)unlinkat(scanfd, tmp, 0);
	if (symlinkat(target, scanfd, tmp) == -1)
		return -1;
	/* rename(2) replaces a symlink, never a directory (EISDIR): look
	 * again right before, so a directory swapped in stays. */
	if (fstatat(scanfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISLNK(sb.st_mode)) {
		(void)unlinkat(scanfd, tmp, 0);
		errno = EEXIST;
		return -1;
	}
	if (renameat(scanfd, tmp, scanfd, name) == -1) {
		n = errno;
		(void)unlinkat(scanfd, tmp, 0);
		errno = n;
		return -1;
	}
	return 0;
}
