/*
 * Facts about processes, from kill(2) and Linux's /proc. Used to tell a
 * live service from a zombie the supervisor has not reaped yet, and a
 * status file written by this supervisor from one its predecessor left.
 * Without /proc the answers fall back to "trust the status file".
 */
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adapter.h"

/*
 * /proc/PID/FILE whole into BUF, NUL-terminated: its length, or -1 with
 * errno. A file that does not fit is EFBIG, never a silent prefix (a cut
 * command line names another directory, a cut environment loses PATH);
 * an empty one (a zombie's cmdline) is ENODATA. /proc may hand a file
 * over in several reads, so it is read to its end.
 */
ssize_t
proc_read(const char *pid, const char *file, char *buf, size_t len)
{
	char path[64], more;
	size_t n = 0;
	ssize_t r;
	int fd, saved;

	if (len == 0 || snprintf(path, sizeof(path), "/proc/%s/%s", pid,
	    file) >= (int)sizeof(path)) {
		errno = EINVAL;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	do {
		r = read(fd, buf + n, len - 1 - n);
		if (r > 0)
			n += (size_t)r;
	} while ((r > 0 && n < len - 1) || (r == -1 && errno == EINTR));
	/* Full: one byte more says whether the file was cut. */
	if (r > 0 && (r = read(fd, &more, 1)) > 0) {
		errno = EFBIG;
		r = -1;
	}
	saved = errno;
	close(fd);
	errno = saved;
	if (r == -1)
		return -1;
	buf[n] = '\0';
	if (n == 0) {
		errno = ENODATA;
		return -1;
	}
	return (ssize_t)n;
}

static ssize_t
proc_read_pid(pid_t pid, const char *file, char *buf, size_t len)
{
	char name[24];

	snprintf(name, sizeof(name), "%ld", (long)pid);
	return proc_read(name, file, buf, len);
}

/* The fields of /proc/PID/stat after the command name; NULL if none. */
static const char *
stat_fields(pid_t pid, char *buf, size_t len)
{
	char *p;

	if (proc_read_pid(pid, "stat", buf, len) == -1)
		return NULL;
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' ? p + 2 : NULL;
}

/* The command name of PID (comm, at most 15 bytes): 0, or -1. */
int
process_comm(const char *pid, char *comm, size_t len)
{
	if (proc_read(pid, "comm", comm, len) == -1)
		return -1;
	comm[strcspn(comm, "\n")] = '\0';
	return 0;
}

/*
 * Does PID catch SIG? /proc/PID/status's SigCgt is a hexadecimal mask
 * with bit SIG-1 for SIG.
 */
int
process_catches(pid_t pid, int sig)
{
	char buf[4096], *line;
	unsigned long long mask;

	if (proc_read_pid(pid, "status", buf, sizeof(buf)) == -1 ||
	    (line = strstr(buf, "\nSigCgt:")) == NULL ||
	    sscanf(line + 8, " %llx", &mask) != 1)
		return 0;
	return (mask >> (sig - 1) & 1) != 0;
}

/* 1 when PID runs (not a zombie), 0 when it is gone or a zombie. */
int
process_running(pid_t pid)
{
	char buf[1024];
	const char *f;

	if (pid <= 0 || (kill(pid, 0) == -1 && errno == ESRCH))
		return 0;
	f = stat_fields(pid, buf, sizeof(buf));
	return f == NULL || *f != 'Z';
}

/*
 * When PID started, in unix time, or -1. Field 22 of /proc/PID/stat
 * counts clock ticks since boot; the boot is placed with CLOCK_BOOTTIME
 * (/proc/stat's btime is whole seconds only). The result is floored to a
 * tick, so it is never later than the real start.
 */
int
process_start_time(pid_t pid, struct svx_stamp *when)
{
	struct timespec real, boot;
	char buf[1024];
	const char *f;
	unsigned long long ticks;
	long hz;
	int64_t since_boot_ns, start_ns;
	int i;

	if ((f = stat_fields(pid, buf, sizeof(buf))) == NULL)
		return -1;
	for (i = 3; i < 22 && f != NULL; i++)
		if ((f = strchr(f, ' ')) != NULL)
			f++;
	if (f == NULL || sscanf(f, "%llu", &ticks) != 1 ||
	    (hz = sysconf(_SC_CLK_TCK)) <= 0 ||
	    clock_gettime(CLOCK_REALTIME, &real) == -1 ||
	    clock_gettime(CLOCK_BOOTTIME, &boot) == -1)
		return -1;
	since_boot_ns = (int64_t)(ticks / (unsigned long long)hz) * 1000000000 +
	    (int64_t)(ticks % (unsigned long long)hz) * (1000000000 / hz);
	start_ns = (int64_t)real.tv_sec * 1000000000 + real.tv_nsec -
	    ((int64_t)boot.tv_sec * 1000000000 + boot.tv_nsec) + since_boot_ns;
	when->sec = start_ns / 1000000000;
	when->nsec = (uint32_t)(start_ns % 1000000000);
	return 0;
}

/* Field N (3 = state) of PID's /proc stat line, as a number; -1 if none. */
static long long
stat_number(pid_t pid, int n)
{
	char buf[1024];
	const char *f;
	long long v;
	int i;

	if ((f = stat_fields(pid, buf, sizeof(buf))) == NULL)
		return -1;
	for (i = 3; i < n && f != NULL; i++)
		if ((f = strchr(f, ' ')) != NULL)
			f++;
	return f != NULL && sscanf(f, "%lld", &v) == 1 ? v : -1;
}

/*
 * 1 when PID started within SECS of its parent (a supervisor's first
 * run of its service, not a restart), 0 when later, -1 when unknown.
 * Both start times are in ticks since boot: no clock is involved.
 */
int
process_first_child(pid_t pid, int secs)
{
	long long ppid, child, parent;
	long hz = sysconf(_SC_CLK_TCK);

	if (hz <= 0 || (ppid = stat_number(pid, 4)) <= 1 ||
	    (child = stat_number(pid, 22)) < 0 ||
	    (parent = stat_number((pid_t)ppid, 22)) < 0)
		return -1;
	return child - parent < (long long)secs * hz;
}

/* PID's parent, or 0 when unknown or init. */
pid_t
process_parent(pid_t pid)
{
	long long ppid = stat_number(pid, 4);

	return ppid > 1 ? (pid_t)ppid : 0;
}

/*
 * /proc/locks lines: "N: FLOCK  ADVISORY  WRITE PID MAJ:MIN:INODE 0 EOF",
 * the device in hex; a waiter's line has "->" after the number.
 *
 * The device there is the inode's superblock's, which is not always
 * stat's: btrfs gives each subvolume its own st_dev, overlayfs its own
 * while the lock lies on the real file beneath. A line with the inode
 * and another device stands in when it is the only one: the holder of
 * a lock of that number, which a caller checks as it checks any other
 * (watch reads liveness again when that process ends).
 */
struct flock_scan {
	dev_t		 dev;
	ino_t		 ino;
	pid_t		 exact, alike;	/* same device; another device */
	int		 nalike;
};

static void
flock_line(struct flock_scan *f, const char *line)
{
	char kind[16];
	unsigned int maj, min;
	unsigned long inode;
	long pid;

	if (strstr(line, "->") != NULL || sscanf(line,
	    "%*d: %15s %*s %*s %ld %x:%x:%lu", kind, &pid, &maj, &min,
	    &inode) != 5 || strcmp(kind, "FLOCK") != 0 ||
	    inode != (unsigned long)f->ino)
		return;
	if (maj == major(f->dev) && min == minor(f->dev)) {
		if (f->exact == 0)
			f->exact = (pid_t)pid;
	} else if (f->nalike++ == 0)
		f->alike = (pid_t)pid;
}

/* Read in pieces into a fixed buffer, a line at a time: no stdio heap. */
pid_t
proc_flock_holder(dev_t dev, ino_t ino)
{
	struct flock_scan f = { dev, ino, 0, 0, 0 };
	char buf[4096], *nl, *line;
	size_t have = 0;
	ssize_t r;
	int fd;

	if ((fd = open("/proc/locks", O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	while (f.exact == 0 && ((r = read(fd, buf + have,
	    sizeof(buf) - 1 - have)) > 0 || (r == -1 && errno == EINTR))) {
		if (r == -1)
			continue;
		have += (size_t)r;
		buf[have] = '\0';
		for (line = buf; (nl = strchr(line, '\n')) != NULL;
		    line = nl + 1) {
			*nl = '\0';
			flock_line(&f, line);
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)	/* no line is this long */
			have = 0;
	}
	close(fd);
	if (f.exact != 0)
		return f.exact;
	return f.nalike == 1 ? f.alike : 0;
}

int
proc_real_uid(const char *pid, uid_t *uid)
{
	char status[2048];
	const char *p;
	unsigned long v;

	if (proc_read(pid, "status", status, sizeof(status)) == -1 ||
	    (p = strstr(status, "\nUid:")) == NULL ||
	    sscanf(p + 5, "%lu", &v) != 1)
		return -1;
	*uid = (uid_t)v;
	return 0;
}
