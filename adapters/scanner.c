/*
 * Scanners: asking the one that watches a service's parent directory to
 * look again, so a directory just linked in gets its supervisor now
 * rather than at the next periodic scan (reference §7).
 *
 *   s6-svscan  writes `a` to SCANDIR/.s6-svscan/control (a FIFO, checked
 *              with fstat on the open descriptor, like every control FIFO)
 *   runsvdir   Debian's rescans on SIGALRM; the process is the runsvdir
 *              whose working directory is the scan directory (it chdirs
 *              there), which /proc shows without parsing any command line
 *   svscan     takes no signal (ALRM kills it); it rescans every 5 s
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

#include "adapter.h"
#include "scanner.h"

static int
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

static int
comm_is(const char *pid, const char *name)
{
	char path[300], comm[32];
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	r = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (r <= 0)
		return 0;
	comm[r] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	return strcmp(comm, name) == 0;
}

/*
 * Does PID catch SIG? Debian's runsvdir rescans on SIGALRM; upstream's
 * does not catch it, and the default action would end it. /proc's SigCgt
 * is a hexadecimal mask with bit SIG-1 for SIG.
 */
static int
catches(pid_t pid, int sig)
{
	char path[64], buf[2048], *line;
	unsigned long long mask;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return 0;
	buf[r] = '\0';
	if ((line = strstr(buf, "\nSigCgt:")) == NULL ||
	    sscanf(line + 8, " %llx", &mask) != 1)
		return 0;
	return (mask >> (sig - 1) & 1) != 0;
}

/* The pid of a scanner named NAME working in the directory SCAN, or 0. */
static pid_t
scanner_in(const struct stat *scan, const char *name)
{
	struct dirent *de;
	struct stat cwd;
	char path[300];
	pid_t found = 0;
	DIR *d;

	if ((d = opendir("/proc")) == NULL)
		return 0;
	while (found == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    !comm_is(de->d_name, name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cwd", de->d_name);
		if (stat(path, &cwd) == 0 && same_file(&cwd, scan))
			found = (pid_t)strtol(de->d_name, NULL, 10);
	}
	closedir(d);
	return found;
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
	} else if ((pid = scanner_in(&scan, "runsvdir")) != 0) {
		kind = SCANNER_RUNSVDIR_UNTOLD;
		if (catches(pid, SIGALRM) && kill(pid, SIGALRM) == 0)
			kind = SCANNER_RUNSVDIR;
	} else if (scanner_in(&scan, "svscan") != 0)
		kind = SCANNER_SVSCAN;
out:
	close(scanfd);
	return kind;
}
