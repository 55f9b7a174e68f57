/*
 * svx perms SERVICE... --group G [--control] | --show | --reset: who
 * may read each service's state and who may control it, as s6-svperms
 * sets it for s6, on every backend (adapters/engine/perms.c has the
 * modes; PROTOCOLS.md#perms what each supervisor does to them when it
 * restarts). One line per service; --show adds one per file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../adapters/engine/perms.h"
#include "../common/output.h"
#include "../common/report.h"
#include "../common/resolve.h"
#include "../control/control.h"
#include "../supervisord/sd_shim.h"
#include "svx.h"

/* G as a number, or a name in the group database: 0, or -1 said. */
static int
parse_group(const char *arg, gid_t *gid)
{
	const char *errstr;
	struct group *gr;
	long long v;

	/* All digits: a number (a name is tried when it is not one). */
	if (arg[0] >= '0' && arg[0] <= '9' &&
	    arg[strspn(arg, "0123456789")] == '\0') {
		v = strtonum(arg, 0, (long long)UINT32_MAX - 1, &errstr);
		if (errstr == NULL) {
			*gid = (gid_t)v;
			return 0;
		}
		fprintf(stderr, "%s: perms: --group %s: %s\n", getprogname(),
		    arg, errstr);
		return -1;
	}
	errno = 0;
	if ((gr = getgrnam(arg)) != NULL) {
		*gid = gr->gr_gid;
		return 0;
	}
	fprintf(stderr, "%s: perms: --group %s: %s\n", getprogname(), arg,
	    errno != 0 ? strerror(errno) : "no such group (give its number "
	    "to use one not in the group database)");
	return -1;
}

static void
add_group(struct text *t, gid_t gid)
{
	struct group *gr = getgrgid(gid);

	if (gr != NULL)
		text_add(t, "%s (%lu)", gr->gr_name, (unsigned long)gid);
	else
		text_add(t, "%lu", (unsigned long)gid);
}

static void
add_who(struct text *t, enum perms_who w, gid_t gid)
{
	static const char *const words[] = { "owner only", "group ",
	    "everyone", "unknown" };

	text_puts(t, words[w]);
	if (w == WHO_GROUP)
		add_group(t, gid);
}

/* "NAME: status: group G; control: owner only [(N changed)]" */
static void
print_access(const char *name, const struct perms_target *pt, int changes)
{
	char buf[PATH_MAX + 256];
	struct text t;
	gid_t gid = 0;
	enum perms_who w;

	text_init(&t, buf, sizeof(buf));
	text_name(&t, name);
	text_puts(&t, ": status: ");
	w = perms_status_who(pt, &gid);
	add_who(&t, w, gid);
	text_puts(&t, "; control: ");
	w = perms_control_who(pt, &gid);
	add_who(&t, w, gid);
	if (changes >= 0)
		text_add(&t, changes == 0 ? " (unchanged)" :
		    " (%d changed)", changes);
	printf("%.*s\n", (int)t.len, t.buf);
}

static void
print_nodes(const char *name, const struct perms_target *pt)
{
	char buf[PATH_MAX + 256];
	struct text t;
	size_t i;

	for (i = 0; i < pt->n; i++) {
		const struct perms_node *nd = &pt->nodes[i];

		text_init(&t, buf, sizeof(buf));
		text_name(&t, name);
		text_add(&t, ": %s%s ", nd->row->in_svdir ? "supervise/" :
		    "", nd->row->name);
		if (nd->err != 0)
			text_puts(&t, plain_strerror(nd->err));
		else {
			text_add(&t, "%04o %lu:", (unsigned)(nd->st.st_mode &
			    07777), (unsigned long)nd->st.st_uid);
			add_group(&t, nd->st.st_gid);
			if (i == 0 && pt->linked)
				text_puts(&t, " (through a symlink)");
		}
		printf("%.*s\n", (int)t.len, t.buf);
	}
}

static enum svx_outcome
open_error(const char *name, const struct perms_target *pt)
{
	switch (pt->err) {
	case ENOENT:
		report_error(name, "%s", "no supervise/ yet: its supervisor "
		    "creates it; start it first (svx perms changes what the "
		    "supervisor made)");
		return OUT_NOT_SUPERVISED;
	case ELOOP:
		report_error(name, "%s", pt->relocated ? "SUPERVISEDIR's "
		    "directory is reached through a symlink or a directory "
		    "others may write: svx perms does not follow it" :
		    "supervise is a symlink svx perms does not follow: to a "
		    "directory others may write, through another symlink, or "
		    "without a control FIFO");
		return OUT_SYSTEM;
	case ENOTPLAIN:
		report_error(name, "%s", "supervise is not a directory");
		return OUT_NOT_SUPERVISED;
	default:
		report_error(name, "cannot open supervise/: %s",
		    strerror(pt->err));
		return OUT_SYSTEM;
	}
}

static int
count_changed(const struct perms_target *pt)
{
	size_t i;
	int n = 0;

	for (i = 0; i < pt->n; i++)
		n += pt->nodes[i].changed;
	return n;
}

/* One control directory: DIRFD's, named NAME in the output. */
static enum svx_outcome
perms_dir(const char *name, int dirfd, const char *path,
    const struct perms_opts *o, enum svx_backend b, const char *supervisedir)
{
	struct perms_target pt;
	enum perms_level level = o->reset ? PERMS_OWNER : o->control ?
	    PERMS_CONTROL : PERMS_STATUS;
	size_t failed = 0;
	int changes = -1;

	if (perms_open(dirfd, path, supervisedir, b, &pt) == -1)
		return open_error(name, &pt);
	if (!o->show) {
		pt.n = perms_tables[pt.family].n;
		if (perms_apply(&pt, level, o->gid, &failed) == -1) {
			report_error(name, "cannot change %s%s: %s%s",
			    pt.nodes[failed].row->in_svdir ? "supervise/" : "",
			    perms_tables[pt.family].rows[failed].name,
			    errno == ENOTPLAIN ? "not what its supervisor "
			    "made (another type, or a FIFO with a second name)"
			    : errno == ELOOP ? "a symlink" : strerror(errno),
			    errno == EPERM ? " (svx perms needs root)" : "");
			perms_close(&pt);
			return OUT_SYSTEM;
		}
		changes = count_changed(&pt);
	}
	perms_read(&pt);
	print_access(name, &pt, changes);
	if (o->show)
		print_nodes(name, &pt);
	if (!o->show && !o->reset && perms_status_blocked(&pt)) {
		/* Granted, but the supervisor's umask keeps the status file
		 * from them, and it rewrites that file at every change. */
		report_error(name, "%s", "supervise/status is not readable "
		    "by the group: its supervisor writes it under a umask "
		    "such as 077, anew at every change; start the supervisor "
		    "with umask 022");
		perms_close(&pt);
		return OUT_SYSTEM;
	}
	perms_close(&pt);
	return OUT_OK;
}

/* "/proc/self/fd/N": a path that names FD's directory and no other
 * (for encore's absolute SUPERVISEDIR, its physical path). */
static void
fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/* The backend of the directory FD (not of whatever its path names by
 * the time it is looked up again). */
static enum svx_backend
backend_of(int fd, const char *supervisedir)
{
	char path[64];
	struct svx_service sv;
	enum svx_backend b = BACKEND_UNKNOWN;

	fd_path(fd, path, sizeof(path));
	if (service_open(AT_FDCWD, path, supervisedir, &sv) == 0) {
		b = sv.det.backend;
		service_close(&sv);
	}
	return b;
}

/*
 * A log/ subservice has its own supervise/ (runsv's, or a scanner's
 * supervisor for it): given the same access, named SERVICE/log. Opened
 * from the service's own descriptor, never by its path again.
 */
static enum svx_outcome
perms_log(const char *name, int dirfd, const struct perms_opts *o)
{
	char logname[PATH_MAX], logpath[64];
	struct stat st;
	enum svx_outcome out;
	int logfd;

	if ((logfd = openat(dirfd, "log", O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1)
		return OUT_OK;
	if (fstatat(logfd, "supervise", &st, AT_SYMLINK_NOFOLLOW) == -1) {
		close(logfd);
		return OUT_OK;
	}
	fd_path(logfd, logpath, sizeof(logpath));
	snprintf(logname, sizeof(logname), "%s/log", name);
	out = perms_dir(logname, logfd, logpath, o, backend_of(logfd, NULL),
	    NULL);
	close(logfd);
	return out;
}

/* A backend without directories has no files per service to set. */
static const char *const named_access[BACKEND_ALL_COUNT] = {
	[BACKEND_SUPERVISORD] = "supervisord's access is its socket's "
	    "([unix_http_server] chown, chmod)",
};

static enum svx_outcome
perms_one(const char *name, const struct perms_opts *o, const char *svdir,
    const char *supervisedir)
{
	const struct svx_adapter *named;
	char path[PATH_MAX], dirpath[64];
	enum svx_outcome out;
	int dirfd;

	if ((named = service_named_backend(name)) != NULL) {
		report_error(name, "perms: %s", named_access[named->id]);
		return OUT_UNSUPPORTED;
	}
	if (resolve_service(name, svdir, path, sizeof(path)) == -1)
		return report_open_error(name, errno, !is_path_argument(name));
	if ((dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return report_open_error(name, errno, 0);
	/* From here on the directory is DIRFD's: the backend, the
	 * SUPERVISEDIR name and log/ all come from it. */
	fd_path(dirfd, dirpath, sizeof(dirpath));
	out = perms_dir(name, dirfd, dirpath, o,
	    backend_of(dirfd, supervisedir), supervisedir);
	/* encore's SUPERVISEDIR names one directory per service. */
	if (out == OUT_OK && supervisedir == NULL)
		out = perms_log(name, dirfd, o);
	close(dirfd);
	return out;
}

enum svx_outcome
svx_perms(int n, char **args, struct perms_opts *o, const char *svdir,
    const char *supervisedir)
{
	enum svx_outcome worst = OUT_OK;
	int i;

	if (o->show + o->reset + (o->group != NULL) != 1 ||
	    (o->control && o->group == NULL)) {
		fprintf(stderr, "%s: perms: one of --group G [--control], "
		    "--show, --reset\n", getprogname());
		return OUT_USAGE;
	}
	if (n == 0) {
		fprintf(stderr, "%s: perms: no service given\n",
		    getprogname());
		return OUT_USAGE;
	}
	if (o->group != NULL && parse_group(o->group, &o->gid) == -1)
		return OUT_USAGE;
	for (i = 0; i < n; i++) {
		worst = outcome_worse(worst, perms_one(args[i], o, svdir,
		    supervisedir));
		fflush(stdout);
	}
	return worst;
}
