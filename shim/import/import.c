/*
 * svx import --to BACKEND [--dir DIR] [--dry-run] UNIT...
 *
 * A service directory from a systemd unit: UNIT is a file (its drop-ins
 * beside it, FILE.d/) or a name looked up where systemd looks
 * ($SYSTEMD_UNIT_PATH, else unit_search_paths), with its drop-ins and,
 * for an instance, its template's. Every directive is said (plan.c);
 * the directory is built under a dot-name and renamed into place, as
 * svx new builds one, and not started (svx enable does).
 *
 * Exit: 0 imported; 1 imported, but a lost directive changes what runs;
 * 100 bad usage, no such unit, or one svx cannot read; 103 a unit a
 * supervisor cannot run (Type=oneshot, Type=forking with no known
 * foreground flag); 111 a system error. The worst over all UNITs.
 */
#include <sys/stat.h>
#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../adapters/files/svfiles.h"
#include "../../adapters/files/svnew.h"
#include "../common/output.h"
#include "../common/report.h"
#include "../control/control.h"
#include "import.h"

#define ROOTS_MAX	16
#define UNIT_FILE_MAX	65536

void
imp_say(const struct imp *i, const char *kind, const char *fmt, ...)
{
	char buf[PATH_MAX + 1024];
	struct text t;
	va_list ap;
	int r;

	text_init(&t, buf, sizeof(buf));
	va_start(ap, fmt);
	r = text_report(&t, i->arg, kind, fmt, ap);
	va_end(ap);
	if (r == -1)
		return;
	if (strcmp(kind, "error") == 0) {
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", getprogname(), buf);
	} else
		printf("%s\n", buf);
}

/* ---- finding the unit -------------------------------------------------- */

/* $SYSTEMD_UNIT_PATH as systemd reads it: colon-separated, an empty
 * entry (a trailing ':') standing for the default list. */
static size_t
unit_roots(const char **roots, char *store, size_t len)
{
	const char *env = getenv("SYSTEMD_UNIT_PATH");
	char *p, *next;
	size_t n = 0, k;
	int defaults = env == NULL;

	if (env != NULL && strlcpy(store, env, len) < len) {
		for (p = store; p != NULL && n < ROOTS_MAX; p = next) {
			if ((next = strchr(p, ':')) != NULL)
				*next++ = '\0';
			if (*p == '\0')
				defaults = 1;
			else
				roots[n++] = p;
		}
	}
	for (k = 0; defaults && k < unit_nsearch_paths && n < ROOTS_MAX; k++)
		roots[n++] = unit_search_paths[k];
	return n;
}

/*
 * A name found as a link to another unit file of the same type is an
 * alias (as Debian links redis.service to redis-server.service): systemd
 * loads the unit under the name it links to, its specifiers and drop-ins
 * that name's. A link to /dev/null is no alias: it masks.
 */
static void
follow_alias(struct imp *i)
{
	char real[PATH_MAX];
	struct unit_name n;
	const char *base, *why;

	if (realpath(i->file, real) == NULL || strcmp(real, "/dev/null") == 0)
		return;
	base = strrchr(real, '/') + 1;
	if (strcmp(base, i->name.full) == 0 || unit_name_parse(base, &n,
	    &why) == -1 || strcmp(n.type, i->name.type) != 0 ||
	    n.is_template)
		return;
	imp_say(i, "read", "%s is an alias of %s: read as %s", i->name.full,
	    n.full, n.full);
	i->name = n;
}

static enum svx_outcome
locate(struct imp *i)
{
	static char store[4096];
	const char *roots[ROOTS_MAX], *base, *why;
	char dir[PATH_MAX];
	size_t nroots;
	int n;

	base = strrchr(i->arg, '/') != NULL ? strrchr(i->arg, '/') + 1 :
	    i->arg;
	if (unit_name_parse(base, &i->name, &why) == -1) {
		imp_say(i, "error", "%s", why);
		return OUT_USAGE;
	}
	if (strcmp(i->name.type, "service") != 0 || i->name.is_template) {
		imp_say(i, "error", "%s", i->name.is_template ? "a template: name "
		    "an instance (NAME@INSTANCE.service)" : "not a .service unit");
		return OUT_USAGE;
	}
	if (base != i->arg) {
		/* A file: its drop-ins are the ones beside it. */
		path_dir(i->arg, dir, sizeof(dir));
		strlcpy(store, dir, sizeof(store));
		roots[0] = store;
		nroots = 1;
		if (strlcpy(i->file, i->arg, sizeof(i->file)) >= sizeof(i->file))
			return OUT_USAGE;
	} else {
		nroots = unit_roots(roots, store, sizeof(store));
		if (unit_find(roots, nroots, &i->name, i->file,
		    sizeof(i->file)) == -1) {
			imp_say(i, "error", "no unit %s where systemd looks%s",
			    i->name.full, getenv("SYSTEMD_UNIT_PATH") != NULL ?
			    " ($SYSTEMD_UNIT_PATH)" : "");
			return OUT_USAGE;
		}
		follow_alias(i);
	}
	if ((n = unit_dropins(roots, nroots, &i->name, i->dropin,
	    UNIT_FILES_MAX - 1)) == -1) {
		imp_say(i, "error", "its drop-ins: %s", strerror(errno));
		return OUT_SYSTEM;
	}
	i->ndropins = n;
	return OUT_OK;
}

/* FILE read whole into BUF: a regular file only (never a FIFO). -2:
 * masked, a link to /dev/null, which systemd never runs. */
static ssize_t
read_unit_file(const char *file, char *buf, size_t len)
{
	struct stat sb, null;
	ssize_t n, got = 0;
	int fd;

	if ((fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		errno = EINVAL;
		return S_ISCHR(sb.st_mode) && stat("/dev/null", &null) == 0 &&
		    sb.st_rdev == null.st_rdev ? -2 : -1;
	}
	while ((size_t)got < len && (n = read(fd, buf + got, len -
	    (size_t)got)) > 0)
		got += n;
	close(fd);
	if ((size_t)got >= len) {
		errno = EFBIG;
		return -1;
	}
	return got;
}

static enum svx_outcome
read_all(struct imp *i, struct unit *u)
{
	static char text[UNIT_FILE_MAX];
	const char *file, *why;
	ssize_t n;
	int k;

	unit_init(u);
	for (k = -1; k < i->ndropins; k++) {
		file = k < 0 ? i->file : i->dropin[k];
		if ((n = read_unit_file(file, text, sizeof(text))) == -2) {
			imp_say(i, "error", "%s: masked (a link to /dev/null): "
			    "systemd does not run it", file);
			return OUT_USAGE;
		}
		if (n == -1) {
			imp_say(i, "error", "%s: %s", file, errno == EINVAL ?
			    "not a regular file" : strerror(errno));
			return errno == EACCES ? OUT_SYSTEM : OUT_USAGE;
		}
		if (unit_parse(u, text, (size_t)n, &why) == -1) {
			imp_say(i, "error", "%s:%u: %s", file, u->bad_line, why);
			return OUT_USAGE;
		}
		if (k >= 0)
			imp_say(i, "read", "drop-in %s", file);
	}
	return OUT_OK;
}

/* What the specifiers %H %m %b %v %a %y mean here. */
static void
context(struct imp *i)
{
	static char host[256], machine[64], boot[64];
	static struct utsname un;
	ssize_t n;
	char *nl;

	if (gethostname(host, sizeof(host) - 1) == 0)
		i->ctx.hostname = host;
	if ((n = read_small(AT_FDCWD, "/etc/machine-id", 0, machine,
	    sizeof(machine))) > 0) {
		machine[n] = '\0';
		if ((nl = strchr(machine, '\n')) != NULL)
			*nl = '\0';
		i->ctx.machine_id = machine;
	}
	if ((n = read_small(AT_FDCWD, "/proc/sys/kernel/random/boot_id", 0,
	    boot, sizeof(boot))) > 0) {
		boot[n] = '\0';
		if ((nl = strchr(boot, '\n')) != NULL)
			*nl = '\0';
		i->ctx.boot_id = boot;
	}
	if (uname(&un) == 0) {
		i->ctx.kernel = un.release;
		/* systemd's architecture names differ from uname's here. */
		i->ctx.arch = strcmp(un.machine, "x86_64") == 0 ? "x86-64" :
		    un.machine;
	}
	i->ctx.fragment = i->file;
}

/* ---- the directory ---------------------------------------------------- */

/* The text of each file a unit's directory holds. */
struct imp_files {
	char	run[IMP_TEXT_MAX * 2], log[512], check[1024], ctl[512],
		kill[32], sig[32], finish[IMP_TEXT_MAX * 2],
		reload[IMP_TEXT_MAX / 2];
};

/* The entries of the new directory, in the order they are made. */
static size_t
entries(const struct imp *i, const struct imp_files *t, struct svnew_file *f)
{
	size_t n = 0;

	if (i->down)
		f[n++] = (struct svnew_file){ "down", "", 0644 };
	f[n++] = (struct svnew_file){ "run", t->run, 0755 };
	if (i->out == IMPO_LOG || i->err == IMPO_LOG) {
		f[n++] = (struct svnew_file){ "log", NULL, 0755 };
		f[n++] = (struct svnew_file){ "log/run", t->log, 0755 };
		f[n++] = (struct svnew_file){ "log/" SVNEW_LOGDIR, NULL, 0755 };
	}
	if (i->ready != NULL) {
		f[n++] = (struct svnew_file){ "notification-fd", "3\n", 0644 };
		f[n++] = (struct svnew_file){ "data", NULL, 0755 };
		f[n++] = (struct svnew_file){ "data/check", t->check, 0755 };
	}
	if (i->to == BACKEND_S6 && i->timeout_kill_ms > 0)
		f[n++] = (struct svnew_file){ "timeout-kill", t->kill, 0644 };
	if (i->to == BACKEND_S6 && i->down_signal[0] != '\0')
		f[n++] = (struct svnew_file){ "down-signal", t->sig, 0644 };
	if (i->restart != NULL || i->npost > 0)
		f[n++] = (struct svnew_file){ "finish", t->finish, 0755 };
	if (i->to == BACKEND_RUNIT && (i->down_signal[0] != '\0' ||
	    i->reload[0] != '\0'))
		f[n++] = (struct svnew_file){ "control", NULL, 0755 };
	if (i->to == BACKEND_RUNIT && i->down_signal[0] != '\0')
		f[n++] = (struct svnew_file){ "control/t", t->ctl, 0755 };
	if (i->to == BACKEND_RUNIT && i->reload[0] != '\0')
		f[n++] = (struct svnew_file){ "control/h", t->reload, 0755 };
	return n;
}

static int
render(const struct imp *i, struct imp_files *t)
{
	snprintf(t->kill, sizeof(t->kill), "%lld\n", i->timeout_kill_ms);
	strlcpy(t->sig, i->down_signal, sizeof(t->sig) - 1);
	strlcat(t->sig, "\n", sizeof(t->sig));
	return imp_render_run(i, t->run, sizeof(t->run)) == -1 ||
	    imp_render_log(i, t->log, sizeof(t->log)) == -1 ||
	    (i->ready != NULL && imp_render_check(i, t->check,
	    sizeof(t->check)) == -1) || (i->down_signal[0] != '\0' &&
	    imp_render_control_t(i, t->ctl, sizeof(t->ctl)) == -1) ||
	    ((i->restart != NULL || i->npost > 0) && imp_render_finish(i,
	    t->finish,
	    sizeof(t->finish)) == -1) || (i->reload[0] != '\0' &&
	    imp_render_control_h(i, t->reload, sizeof(t->reload)) == -1) ?
	    -1 : 0;
}

static enum svx_outcome
build(struct imp *i, const struct imp_files *t, const char *dir, int dry_run)
{
	struct svnew_file files[16];
	struct stat sb;
	enum svnew_step step;
	size_t n = entries(i, t, files), k;
	int dirfd;

	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		imp_say(i, "error", "%s: %s", dir, strerror(errno));
		return OUT_SYSTEM;
	}
	if (fstatat(dirfd, i->svname, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		close(dirfd);
		imp_say(i, "error", "%s/%s already exists; left alone", dir,
		    i->svname);
		return OUT_USAGE;
	}
	if (dry_run) {
		close(dirfd);
		for (k = 0; k < n; k++)
			if (files[k].text != NULL)
				printf("==> %s/%s/%s <==\n%s", dir, i->svname,
				    files[k].path, files[k].text);
		return OUT_OK;
	}
	step = svnew_build_files(dirfd, i->svname, files, n);
	close(dirfd);
	if (step != SVNEW_DONE) {
		imp_say(i, "error", "cannot %s %s/%s: %s", step == SVNEW_MKDIR ?
		    "make" : step == SVNEW_FILES ? "write the files of" :
		    "rename into place", dir, i->svname, strerror(errno));
		return step == SVNEW_RENAME && errno == EEXIST ? OUT_USAGE :
		    OUT_SYSTEM;
	}
	imp_say(i, "done", "%s/%s for %s%s; svx enable starts it", dir,
	    i->svname, backend_name(i->to), i->down ? ", down (./down)" : "");
	return OUT_OK;
}

static enum svx_outcome
import_one(const char *arg, const struct import_opts *o)
{
	/* Off the stack: the reader's pool and the texts are large. */
	static struct unit unit_buf;
	static struct imp imp_buf;
	static struct imp_files t;
	struct imp *i = &imp_buf;
	enum svx_outcome out;

	memset(i, 0, sizeof(*i));
	i->arg = arg;
	i->to = o->to;
	if ((out = locate(i)) != OUT_OK || (out = read_all(i, &unit_buf)) !=
	    OUT_OK)
		return out;
	snprintf(i->svname, sizeof(i->svname), "%.*s",
	    (int)(strlen(i->name.full) - strlen(".service")), i->name.full);
	context(i);
	imp_say(i, "read", "%s as %s, for %s", i->file, i->name.full,
	    backend_name(i->to));
	if (imp_plan(i, &unit_buf) == -1)
		return i->refused ? OUT_UNSUPPORTED : OUT_USAGE;
	if (render(i, &t) == -1) {
		imp_say(i, "error", "its run script does not fit in %zu bytes",
		    sizeof(t.run));
		return OUT_USAGE;
	}
	if ((out = build(i, &t, o->dir, o->dry_run)) != OUT_OK)
		return out;
	return i->lost ? OUT_FALSE : OUT_OK;
}

enum svx_outcome
svx_import(int n, char **args, const struct import_opts *o)
{
	enum svx_outcome worst = OUT_OK;
	int k;

	if (o->to == BACKEND_UNKNOWN || n < 1) {
		fprintf(stderr, "%s: import: %s\n", getprogname(), n < 1 ?
		    "no UNIT given" : "say which backend: --to daemontools, "
		    "encore, runit or s6");
		return OUT_USAGE;
	}
	for (k = 0; k < n; k++)
		worst = outcome_worse(worst, import_one(args[k], o));
	return worst;
}
