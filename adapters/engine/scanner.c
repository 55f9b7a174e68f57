/*
 * Scanners: asking the one that watches a service's parent directory to
 * look again, so a directory just linked in gets its supervisor now
 * rather than at the next periodic scan (PROTOCOLS.md#scanners).
 *
 *   s6-svscan  writes `a` to SCANDIR/.s6-svscan/control (a FIFO, checked
 *              with fstat on the open descriptor, like every control FIFO)
 *   runsvdir   Debian's rescans on SIGALRM, but not twice within a
 *              second: a kick that comes too soon is lost, so it is
 *              repeated (SCANNER_REKICK_MS)
 *   svscan     takes no signal that rescans (0.76's catches none, encore's
 *              only TERM, to shut down; ALRM kills both): a scan, then
 *              sleep(5), which nothing cuts short
 *
 * Which directory a scanner watches: s6-svscan and svscan chdir into it
 * and stay, so /proc/PID/cwd names it. runsvdir chdirs into it only while
 * it scans and then back to where it was started (runit's stage 2 starts
 * it from /), so its directory is its first operand (`runsvdir [-P] dir
 * [log]`), relative to that starting directory.
 *
 * A process is only taken for a scanner when its owner (real uid) is root
 * or the user running svx, and owns the directory it watches: anyone can
 * name a program runsvdir, and root must not take a user's directory for
 * one of its scan directories (a user's process named runsvdir over a
 * user's directory: migrate_test.sh's reproduction).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../adapter.h"
#include "scanner.h"

int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static int
kick_s6svscan(int scanfd)
{
	int ctl = openat(scanfd, ".s6-svscan", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	enum ctl_result r;

	if (ctl == -1)
		return 0;
	r = ctl_send(ctl, "a");
	close(ctl);
	return r == CTL_SENT;
}

enum scan_dir_source {
	SCAN_DIR_CWD,		/* it stays in its scan directory */
	SCAN_DIR_OPERAND	/* its first operand, from where it started */
};

/* The scanners by their command name, as /proc/PID/comm shows it. */
static const struct {
	const char	*comm;
	enum scanner_kind kind;
	enum scan_dir_source dir;
} programs[] = {
	{ "runsvdir", SCANNER_RUNSVDIR, SCAN_DIR_OPERAND },
	{ "s6-svscan", SCANNER_S6, SCAN_DIR_CWD },
	{ "svscan", SCANNER_SVSCAN, SCAN_DIR_CWD },
};
#define NPROGRAMS	(sizeof(programs) / sizeof(programs[0]))

/* PID's row in programs[], or NPROGRAMS. */
static size_t
program_row(const char *pid)
{
	char comm[32];
	size_t i;

	if (process_comm(pid, comm, sizeof(comm)) == -1)
		return NPROGRAMS;
	for (i = 0; i < NPROGRAMS; i++)
		if (strcmp(comm, programs[i].comm) == 0)
			return i;
	return NPROGRAMS;
}

static int	scan_dir_path(const char *, size_t, char *, size_t);

/* PID's owner may run a scanner for svx, on a directory of its own. */
static int
trusted(const char *pid, size_t row)
{
	char path[PATH_MAX];
	struct stat dir;
	uid_t owner;

	if (proc_real_uid(pid, &owner) == -1 ||
	    (owner != 0 && owner != getuid()))
		return 0;
	return scan_dir_path(pid, row, path, sizeof(path)) == 0 &&
	    stat(path, &dir) == 0 && dir.st_uid == owner;
}

/*
 * The scanners, read from /proc once per command and kept: a pass over
 * /proc costs about 9 ms with a thousand processes, and `svx -w 2 up`
 * over a thousand names looked for the scanner of each (15.8 s in all,
 * measured). A cached pid is checked again (its comm) when it is used,
 * so one that has ended since, or whose pid was reused, is passed over.
 * Scanners started after the first look are not seen: svx starts none.
 */
static struct {
	int		 loaded;
	size_t		 n;
	struct scanner_proc procs[SCANNERS_MAX];
	/* Each one's scan directory, found at its first use. */
	dev_t		 dev[SCANNERS_MAX];
	ino_t		 ino[SCANNERS_MAX];
	signed char	 dir_known[SCANNERS_MAX];	/* 0 not yet; 1; -1 */
} cache;

static void
cache_load(void)
{
	struct dirent *de;
	size_t row;
	DIR *d;

	if (cache.loaded)
		return;
	cache.loaded = 1;
	cache.n = 0;
	if ((d = opendir("/proc")) == NULL)
		return;
	while (cache.n < SCANNERS_MAX && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    (row = program_row(de->d_name)) == NPROGRAMS ||
		    !trusted(de->d_name, row))
			continue;
		cache.procs[cache.n].pid = (pid_t)strtol(de->d_name, NULL, 10);
		cache.procs[cache.n].kind = programs[row].kind;
		cache.dir_known[cache.n++] = 0;
	}
	closedir(d);
}

void
scanner_forget(void)
{
	cache.loaded = 0;
}

size_t
scanner_processes(struct scanner_proc *out, size_t max)
{
	size_t i;

	cache_load();
	for (i = 0; i < cache.n && i < max; i++)
		out[i] = cache.procs[i];
	return i;
}

static int	cwd_of(const char *, char *, size_t);
static int	operand_dir(const char *, char *, size_t);

/* A path that stat() takes to the directory that ROW's program watches. */
static int
scan_dir_path(const char *pid, size_t row, char *path, size_t len)
{
	if (programs[row].dir == SCAN_DIR_CWD) {
		snprintf(path, len, "/proc/%s/cwd", pid);
		return 0;
	}
	return operand_dir(pid, path, len);
}

/*
 * The scan directory of cached scanner I, by the kernel's own link for a
 * cwd (stat of /proc/PID/cwd), not its text, which names the directory
 * as the scanner sees it: in a container or a chroot, another one here.
 * 0, or -1 when it has none or is no longer that program.
 */
static int
cached_dir(size_t i, struct stat *dir)
{
	char name[24], path[PATH_MAX];
	struct stat sb;
	size_t row;

	snprintf(name, sizeof(name), "%ld", (long)cache.procs[i].pid);
	if ((row = program_row(name)) == NPROGRAMS ||
	    programs[row].kind != cache.procs[i].kind)
		return -1;
	if (cache.dir_known[i] == 0) {
		cache.dir_known[i] = -1;
		if (scan_dir_path(name, row, path, sizeof(path)) == -1 ||
		    stat(path, &sb) == -1)
			return -1;
		cache.dev[i] = sb.st_dev;
		cache.ino[i] = sb.st_ino;
		cache.dir_known[i] = 1;
	}
	if (cache.dir_known[i] != 1)
		return -1;
	dir->st_dev = cache.dev[i];
	dir->st_ino = cache.ino[i];
	return 0;
}

/* The pid of a scanner of KIND watching the directory SCAN, or 0. */
static pid_t
scanner_in(const struct stat *scan, enum scanner_kind kind)
{
	struct stat dir;
	size_t i;

	cache_load();
	for (i = 0; i < cache.n; i++)
		if (cache.procs[i].kind == kind && cached_dir(i, &dir) == 0 &&
		    same_file(&dir, scan))
			return cache.procs[i].pid;
	return 0;
}

/*
 * The directory that holds PATH's last component: the scan directory is
 * where the service was linked in, not where a symlink points.
 */
static int
open_parent(const char *path)
{
	char parent[PATH_MAX];
	size_t len;
	char *slash;

	if (strlcpy(parent, path, sizeof(parent)) >= sizeof(parent))
		return -1;
	for (len = strlen(parent); len > 1 && parent[len - 1] == '/'; len--)
		parent[len - 1] = '\0';
	if ((slash = strrchr(parent, '/')) == NULL)
		return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	return open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

enum scanner_kind
scanner_kick(const char *path)
{
	struct stat scan;
	pid_t pid;
	int scanfd;
	enum scanner_kind kind = SCANNER_NONE;

	if ((scanfd = open_parent(path)) == -1)
		return SCANNER_NONE;
	if (fstat(scanfd, &scan) == -1)
		goto out;
	if (kick_s6svscan(scanfd)) {
		kind = SCANNER_S6;
	} else if ((pid = scanner_in(&scan, SCANNER_RUNSVDIR)) != 0) {
		/* Debian's runsvdir rescans on SIGALRM; upstream's does not
		 * catch it, and its default action would end it. */
		kind = SCANNER_RUNSVDIR_UNTOLD;
		if (process_catches(pid, SIGALRM) && kill(pid, SIGALRM) == 0)
			kind = SCANNER_RUNSVDIR;
	} else if (scanner_in(&scan, SCANNER_SVSCAN) != 0)
		kind = SCANNER_SVSCAN;
out:
	close(scanfd);
	return kind;
}

/* The scanner whose scan directory DIR is, without telling it anything. */
enum scanner_kind
scanner_watching(const char *dir)
{
	struct stat scan;

	if (stat(dir, &scan) == -1)
		return SCANNER_NONE;
	if (scanner_in(&scan, SCANNER_S6) != 0)
		return SCANNER_S6;
	if (scanner_in(&scan, SCANNER_RUNSVDIR) != 0)
		return SCANNER_RUNSVDIR;
	if (scanner_in(&scan, SCANNER_SVSCAN) != 0)
		return SCANNER_SVSCAN;
	return SCANNER_NONE;
}

/* The backend whose supervisors a scanner starts. */
static const enum svx_backend backend_of[] = {
	[SCANNER_NONE] = BACKEND_UNKNOWN,
	[SCANNER_S6] = BACKEND_S6,
	[SCANNER_RUNSVDIR] = BACKEND_RUNIT,
	[SCANNER_SVSCAN] = BACKEND_DAEMONTOOLS,
	[SCANNER_RUNSVDIR_UNTOLD] = BACKEND_RUNIT,
};

enum svx_backend
scanner_backend(enum scanner_kind k)
{
	return (size_t)k < sizeof(backend_of) / sizeof(backend_of[0]) ?
	    backend_of[k] : BACKEND_UNKNOWN;
}

/*
 * The scanner of backend B working in the directory that holds PATH's
 * last component (where the service was linked in), or 0.
 */
pid_t
scanner_of_service(const char *path, enum svx_backend b)
{
	struct stat scan;
	size_t k;
	pid_t pid = 0;
	int scanfd;

	if ((scanfd = open_parent(path)) == -1)
		return 0;
	if (fstat(scanfd, &scan) == 0)
		for (k = SCANNER_NONE + 1; pid == 0 &&
		    k < sizeof(backend_of) / sizeof(backend_of[0]); k++)
			if (backend_of[k] == b)
				pid = scanner_in(&scan, (enum scanner_kind)k);
	close(scanfd);
	return pid;
}

static int
cwd_of(const char *pid, char *buf, size_t len)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%s/cwd", pid);
	if ((n = readlink(link, buf, len)) == -1)
		return -1;
	if ((size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

/*
 * The first operand of PID's command line (options are single words
 * starting with '-'), made absolute from its working directory.
 */
static int
operand_dir(const char *pid, char *buf, size_t len)
{
	char cmdline[PATH_MAX + 1024], cwd[PATH_MAX];
	const char *arg, *end;
	ssize_t n;

	if ((n = proc_read(pid, "cmdline", cmdline, sizeof(cmdline))) == -1)
		return -1;
	end = cmdline + n;
	arg = cmdline + strlen(cmdline) + 1;	/* past argv[0] */
	while (arg < end && arg[0] == '-' && arg[1] != '\0')
		arg += strlen(arg) + 1;
	if (arg >= end || arg[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (arg[0] == '/')
		cwd[0] = '\0';
	else if (cwd_of(pid, cwd, sizeof(cwd)) == -1)
		return -1;
	if ((size_t)snprintf(buf, len, "%s%s%s", cwd, cwd[0] != '\0' ? "/" :
	    "", arg) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* A scanner's scan directory, found as its program keeps it. */
int
scanner_dir(pid_t pid, char *buf, size_t len)
{
	char name[24];
	size_t row;

	snprintf(name, sizeof(name), "%ld", (long)pid);
	if ((row = program_row(name)) == NPROGRAMS) {
		errno = ESRCH;
		return -1;
	}
	return programs[row].dir == SCAN_DIR_OPERAND ?
	    operand_dir(name, buf, len) : cwd_of(name, buf, len);
}
