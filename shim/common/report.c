/*
 * One line on stderr per failed service: its name, then the cause. svx's
 * CLI, its control of one service and its listings word errors alike.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include "../../adapters/files/svfiles.h"
#include "output.h"
#include "report.h"

/* One line on stderr naming the service and the cause. */
void
report_error(const char *name, const char *fmt, ...)
{
	char buf[PATH_MAX * 2 + 512], cause[PATH_MAX * 2 + 256];
	struct text t;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cause, sizeof(cause), fmt, ap);
	va_end(ap);
	text_init(&t, buf, sizeof(buf));
	text_name(&t, name);
	text_puts(&t, ": ");
	text_visible(&t, cause);
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", getprogname(), buf);
}

/* NAME: what was done, on stdout, names in it escaped as report_error's. */
void
report_done(const char *name, const char *fmt, ...)
{
	char buf[PATH_MAX * 2 + 512], what[PATH_MAX * 2 + 256];
	struct text t;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	text_init(&t, buf, sizeof(buf));
	text_name(&t, name);
	text_puts(&t, ": ");
	text_visible(&t, what);
	printf("%s\n", buf);
}

enum svx_outcome
report_open_error(const char *name, int err, int bare)
{
	switch (err) {
	case ENOENT:
		if (bare)
			report_error(name, "%s", "no such service (looked in $SVDIR"
			    " or /run/service, /etc/service, /service, "
			    "/var/service)");
		else
			report_error(name, "%s", "no such directory");
		return OUT_NOT_SUPERVISED;
	case ENOTDIR:
		report_error(name, "%s", "not a directory");
		return OUT_NOT_SUPERVISED;
	case EACCES:
		report_error(name, "permission denied: supervise/ is not "
		    "readable by this user; %s", perms_denied_hint);
		return OUT_SYSTEM;
	default:
		report_error(name, "cannot open: %s", strerror(err));
		return OUT_SYSTEM;
	}
}

/* The verdicts that leave no state to act on, as an outcome. */
enum svx_outcome
report_verdict(const char *name, const struct svx_service *sv)
{
	const struct svx_detect *d = &sv->det;

	switch (d->verdict) {
	case VERDICT_NOT_SERVICE:
		report_error(name, "not a service directory: %s", d->why);
		return OUT_NOT_SUPERVISED;
	case VERDICT_AMBIGUOUS:
		report_error(name, "cannot tell which supervisor owns it: %s "
		    "(see svx probe)", d->why);
		return OUT_SYSTEM;
	case VERDICT_ERROR:
		if (d->err == EACCES)
			return report_open_error(name, EACCES, 0);
		report_error(name, "%s", d->why);
		return OUT_SYSTEM;
	default:
		return OUT_OK;
	}
}

/*
 * BASE under PARENTFD, or its dot-name while svx migrate has it hidden
 * from its old scanner: the directory, and whether hidden. -1 if none.
 */
static int
open_moving(int parentfd, const char *base, int *hidden)
{
	char dot[NAME_MAX + 1];
	int fd;

	*hidden = 0;
	fd = openat(parentfd, base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd != -1 || errno != ENOENT ||
	    migrate_hidden_name(base, dot, sizeof(dot)) == -1)
		return fd;
	*hidden = 1;
	return openat(parentfd, dot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/*
 * BASE is there and holds no journal: one lookup, where opening it and
 * its journal would take three calls (this runs for every service of a
 * listing).
 */
static int
no_journal_in(int parentfd, const char *base)
{
	char path[PATH_MAX];
	struct stat sb;

	if (snprintf(path, sizeof(path), "%s/%s", base, MIGRATE_DIR) >=
	    (int)sizeof(path))
		return 0;
	return fstatat(parentfd, path, &sb, AT_SYMLINK_NOFOLLOW) == -1 &&
	    errno == ENOENT;
}

int
report_migration(const char *name, int parentfd, const char *base,
    int present)
{
	char to[32], step[32];
	struct stat sb;
	pid_t holder;
	int fd, hidden, said = 0;

	if (present && no_journal_in(parentfd, base))
		return 0;
	if ((fd = open_moving(parentfd, base, &hidden)) == -1)
		return 0;
	if (migrate_journal_peek(fd, to, sizeof(to), step, sizeof(step)) &&
	    fstat(fd, &sb) == 0) {
		holder = proc_flock_holder(sb.st_dev, sb.st_ino);
		if (holder > 0)
			report_error(name, "being migrated to %s by svx migrate "
			    "(pid %ld)%s", to, (long)holder, hidden ?
			    "; hidden from its old scanner meanwhile" : "");
		else
			report_error(name, "a migration to %s was interrupted "
			    "after %s%s: the same svx migrate finishes or undoes "
			    "it; svx migrate --rollback undoes it", to, step,
			    hidden ? " (its entry is hidden from its old scanner "
			    "under a dot-name)" : "");
		said = 1;
	}
	close(fd);
	return said;
}

int
report_migration_path(const char *name, const char *path)
{
	char dir[PATH_MAX];
	const char *base = strrchr(path, '/');
	int pfd, said;

	path_dir(path, dir, sizeof(dir));
	if ((pfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return 0;
	said = report_migration(name, pfd, base != NULL ? base + 1 : path, 0);
	close(pfd);
	return said;
}

