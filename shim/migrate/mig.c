/*
 * What both of svx migrate's sources share (a service directory:
 * migrate.c and the files beside it; a supervisord program:
 * sd_migrate.c): the report, and names and paths looked at from a
 * directory's descriptor.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/output.h"
#include "../common/resolve.h"
#include "mig.h"

/*
 * An interrupted move, found by its journal: what happens to it now,
 * or with --dry-run what the same command would do first.
 */
void
say_interrupted(const struct migration *m)
{
	if (m->opts->dry_run)
		mig_say(m, "would recover", "a migration to %s was interrupted "
		    "after %s: the same command %s it first",
		    backend_name(m->to), m->last_step, m->committed ?
		    "finishes" : "undoes");
	else
		mig_say(m, "recovering", "a migration to %s was interrupted "
		    "after %s", backend_name(m->to), m->last_step);
}

void
say_done(const struct migration *m)
{
	mig_say(m, "done", "%s, wanted %s, at %s", backend_name(m->to),
	    !m->supervised ? "nothing (it had no supervisor)" : want_name(m),
	    m->where);
}

/* Two names of one directory (a trailing slash, a symlinked alias). */
int
same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && same_file(&sa, &sb);
}

/* One report line: "NAME: KIND: what". */
void
mig_say(const struct migration *m, const char *kind, const char *fmt, ...)
{
	char buf[PATH_MAX + 512];
	struct text t;
	va_list ap;
	int r;

	text_init(&t, buf, sizeof(buf));
	va_start(ap, fmt);
	r = text_report(&t, m->arg, kind, fmt, ap);
	va_end(ap);
	if (r == -1)
		return;
	fputs(buf, stdout);
	fputc('\n', stdout);
}

/* A step taken (or, with --dry-run, one that would be). */
void
mig_ran(const struct migration *m, const char *fmt, ...)
{
	char buf[PATH_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mig_say(m, m->opts->dry_run ? "would run" : "ran", "%s", buf);
	fflush(stdout);
}

/*
 * PATH made absolute: every later step (and svx_run_verb, which resolves
 * names again) must mean this very directory, not a namesake in $SVDIR.
 */
int
make_absolute(char *path, size_t len)
{
	char cwd[PATH_MAX], abs[PATH_MAX];

	if (path[0] == '/')
		return 0;
	if (getcwd(cwd, sizeof(cwd)) == NULL || path_join(abs, sizeof(abs), cwd,
	    path) == -1)
		return -1;
	return strlcpy(path, abs, len) < len ? 0 : -1;
}

int
entry_exists(int dirfd, const char *name)
{
	return faccessat(dirfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

void
kick_scanner(const char *dir)
{
	char probe[PATH_MAX];

	if (path_join(probe, sizeof(probe), dir, ".") == 0)
		(void)scanner_kick(probe);
}

const char *
current_path(const struct migration *m, char *buf, size_t len)
{
	if (!m->hid || path_join(buf, len, m->parent, m->hidden) == -1)
		strlcpy(buf, m->path, len);
	return buf;
}

/*
 * NAME under DIRFD and what it holds, DEPTH levels at most (an old
 * supervise/ is two: lock, FIFOs, status), never through a symlink.
 */
int
remove_tree(int dirfd, const char *name, int depth)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (depth <= 1 || (fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			(void)remove_tree(fd, de->d_name, depth - 1);
	closedir(d);
	return unlinkat(dirfd, name, AT_REMOVEDIR);
}
