/*
 * Closing many descriptors at once: one close_range() per run of
 * consecutive numbers (Linux 5.9), one close() each where it is missing.
 * And opening a file to read that cannot block: open_plain(); and one
 * process's hold on a directory: fd_lock(); and on a name that has no
 * file yet: name_lock(). And a path under a directory that never leaves
 * it: open_beneath(). And a descriptor that says when a process ends:
 * pidfd_of().
 */
/* syscall(2), for close_range: Linux, outside POSIX. */
#define _DEFAULT_SOURCE
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapter.h"

#define FALLBACK_MAX	4096	/* close() one by one, up to here */

static int
by_number(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* LO..HI inclusive. */
static void
close_between(unsigned int lo, unsigned int hi)
{
	if (lo > hi)
		return;
#ifdef SYS_close_range
	if (syscall(SYS_close_range, lo, hi, 0) == 0)
		return;
#endif
	for (; lo <= hi && lo < FALLBACK_MAX; lo++)
		close((int)lo);
}

void
fds_close(int *fds, size_t n)
{
	size_t i, start = 0;

	qsort(fds, n, sizeof(fds[0]), by_number);
	for (i = 1; i <= n; i++) {
		if (i < n && fds[i] == fds[i - 1] + 1)
			continue;
		close_between((unsigned int)fds[start], (unsigned int)fds[i - 1]);
		start = i;
	}
}

void
fds_close_all_but(int *keep, size_t n)
{
	unsigned int lo = 3;
	size_t i;

	qsort(keep, n, sizeof(keep[0]), by_number);
	for (i = 0; i < n; i++) {
		if ((unsigned int)keep[i] > lo)
			close_between(lo, (unsigned int)keep[i] - 1);
		if ((unsigned int)keep[i] >= lo)
			lo = (unsigned int)keep[i] + 1;
	}
	close_between(lo, ~0U);
}

static const struct {
	mode_t		 type;
	const char	*name;
} file_types[] = {
	{ S_IFIFO, "a FIFO" }, { S_IFCHR, "a character device" },
	{ S_IFBLK, "a block device" }, { S_IFSOCK, "a socket" },
	{ S_IFDIR, "a directory" }, { S_IFLNK, "a symlink" },
};

static const char *
type_name(mode_t mode)
{
	size_t i;

	for (i = 0; i < sizeof(file_types) / sizeof(file_types[0]); i++)
		if ((mode & S_IFMT) == file_types[i].type)
			return file_types[i].name;
	return "not a regular file";
}

/*
 * O_NONBLOCK makes the open of a FIFO without a writer return at once
 * (a read then sees end of file) and keeps a device's open from waiting
 * for carrier; fstat then refuses both before anything is read.
 */
int
open_plain(int dirfd, const char *name, int flags, const char **kind)
{
	struct stat sb;
	int fd, err;

	if ((fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY | flags)) == -1) {
		/* O_NOFOLLOW's refusal of a final symlink. */
		if (errno == ELOOP && (flags & O_NOFOLLOW)) {
			if (kind != NULL)
				*kind = "a symlink";
			errno = ENOTPLAIN;
		}
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		if (kind != NULL)
			*kind = type_name(sb.st_mode);
		close(fd);
		errno = ENOTPLAIN;
		return -1;
	}
	return fd;
}

const char *
plain_strerror(int err)
{
	return err == ENOTPLAIN ? "not a regular file" : strerror(err);
}

/*
 * An exclusive flock on FD (a directory: nothing is left behind, and the
 * kernel lets go when svx ends, however it ends), never waiting: 0 taken,
 * 1 held by another (its pid in *HOLDER, 0 if /proc/locks does not tell),
 * -1 with errno. Supervisors lock supervise/lock, never the directory.
 */
int
fd_lock(int fd, pid_t *holder)
{
	struct stat sb;

	*holder = 0;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK)
		return -1;
	if (fstat(fd, &sb) == 0)
		*holder = proc_flock_holder(sb.st_dev, sb.st_ino);
	return 1;
}

/* FNV-1a: a name too long for a socket address, shortened stably. */
static uint64_t
name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/*
 * A lock on KEY where there is no file to flock yet (a supervisord
 * program's migration, before its directory exists): a socket bound to
 * an abstract address (Linux), which only one process can hold and the
 * kernel frees when that process ends, however it ends; nothing is made
 * on disk. 0 taken (the socket in *FD, kept open while held), 1 held by
 * another, -1 with errno.
 */
int
name_lock(const char *key, int *fd)
{
	struct sockaddr_un sa;
	size_t room = sizeof(sa.sun_path) - 1, n;
	int s, e;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	n = strlen(key);
	if (n <= room)
		memcpy(sa.sun_path + 1, key, n);
	else
		n = (size_t)snprintf(sa.sun_path + 1, room, "svx#%016llx",
		    (unsigned long long)name_hash(key));
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (bind(s, (struct sockaddr *)&sa, (socklen_t)(offsetof(struct
	    sockaddr_un, sun_path) + 1 + n)) == 0) {
		*fd = s;
		return 0;
	}
	e = errno;
	close(s);
	if (e == EADDRINUSE)
		return 1;
	errno = e;
	return -1;
}

/* The fallback: one component at a time, each O_NOFOLLOW. */
int
open_beneath_steps(int dirfd, const char *path, int flags, mode_t mode)
{
	char part[NAME_MAX + 1];
	const char *p = path, *slash;
	size_t n;
	int fd = dirfd, next, e;

	for (;;) {
		while (*p == '/')
			p++;
		slash = strchr(p, '/');
		n = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (n > NAME_MAX) {
			errno = ENAMETOOLONG;
			next = -1;
		} else {
			memcpy(part, p, n);
			part[n] = '\0';
			next = slash == NULL || slash[strspn(slash, "/")] == '\0' ?
			    openat(fd, part, flags | O_NOFOLLOW, mode) :
			    openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			    O_CLOEXEC);
		}
		e = errno;
		if (fd != dirfd)
			close(fd);
		if (next == -1 || slash == NULL ||
		    slash[strspn(slash, "/")] == '\0') {
			errno = e;
			return next;
		}
		fd = next;
		p = slash;
	}
}

/* An absolute PATH, or one with a ".." step: it could lead out. */
static int
may_leave(const char *path)
{
	const char *p = path;

	if (*p == '/')
		return 1;
	for (;;) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return 1;
		if ((p = strchr(p, '/')) == NULL)
			return 0;
		p++;
	}
}

/*
 * PATH under DIRFD without leaving it and without following a symlink on
 * the way: openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS (Linux
 * 5.6), or where the kernel lacks it one openat per component, each
 * O_NOFOLLOW. A user who owns a directory on the way cannot point root
 * elsewhere with a link. An absolute PATH, or one climbing out with "..",
 * is EXDEV: outside the directory svx was given.
 */
int
open_beneath(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how;
	long fd;

	if (may_leave(path)) {
		errno = EXDEV;
		return -1;
	}
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_CLOEXEC);
	how.mode = flags & O_CREAT ? mode : 0;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS;
	/* ENOSYS: a kernel before 5.6; EPERM: a seccomp filter that
	 * predates openat2 (older container runtimes answer so). */
	fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd != -1 || (errno != ENOSYS && errno != EPERM))
		return (int)fd;
	return open_beneath_steps(dirfd, path, flags | O_CLOEXEC, mode);
}

/* A pidfd for PID (Linux 5.3: readable once it has exited), or -1. */
int
pidfd_of(pid_t pid)
{
#ifdef SYS_pidfd_open
	if (pid > 0)
		return (int)syscall(SYS_pidfd_open, pid, 0);
#endif
	(void)pid;
	errno = ENOSYS;
	return -1;
}
