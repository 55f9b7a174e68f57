/*
 * Talking to a supervisor through supervise/. Everything is reached with
 * openat() from the supervise directory's descriptor.
 *
 * The control FIFO is opened write-only and non-blocking: ENXIO then means
 * no reader, i.e. no supervisor, as svc and s6-svc take it too
 * (PROTOCOLS.md#liveness). The
 * descriptor is checked with fstat before anything is written, so a
 * regular file, a directory or a device put in its place is never written
 * to; O_NOFOLLOW refuses a symlink outright. The letters go in one write(2)
 * of less than PIPE_BUF bytes, so concurrent clients cannot interleave.
 * The descriptor stays non-blocking: a stopped supervisor whose FIFO is
 * full gives EAGAIN instead of hanging us.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "adapter.h"

#define CTL_MAX	32

static enum ctl_result
open_result(int err)
{
	switch (err) {
	case ENXIO:
		return CTL_NOT_RUNNING;
	case ENOENT:
		return CTL_MISSING;
	case ELOOP:
	case EISDIR:
		return CTL_NOT_FIFO;
	default:
		return CTL_ERROR;
	}
}

enum ctl_result
ctl_send(int svfd, const char *bytes)
{
	struct stat sb;
	size_t len = strlen(bytes);
	ssize_t w;
	int fd, saved;

	if (len == 0 || len > CTL_MAX) {
		errno = EINVAL;
		return CTL_ERROR;
	}
	fd = openat(svfd, "control",
	    O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return open_result(errno);
	if (fstat(fd, &sb) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return CTL_ERROR;
	}
	if (!S_ISFIFO(sb.st_mode)) {
		close(fd);
		return CTL_NOT_FIFO;
	}
	do
		w = write(fd, bytes, len);
	while (w == -1 && errno == EINTR);
	saved = errno;
	close(fd);
	if (w == (ssize_t)len)
		return CTL_SENT;
	if (w == -1 && saved == EAGAIN)
		return CTL_NOT_RESPONDING;
	errno = w == -1 ? saved : EIO;
	return CTL_ERROR;
}

/*
 * Bytes written to the control FIFO that no supervisor has read: after a
 * wait timed out, more than none means the supervisor is not reading
 * (stopped, or hung), not that the service is slow. -1 when it cannot be
 * told (no FIFO, no reader).
 */
int
ctl_unread(int svfd)
{
	struct stat sb;
	int fd, n = -1;

	fd = openat(svfd, "control",
	    O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return -1;
	if (fstat(fd, &sb) == -1 || !S_ISFIFO(sb.st_mode) ||
	    ioctl(fd, FIONREAD, &n) == -1)
		n = -1;
	close(fd);
	return n;
}

/*
 * 1 if a process holds NAME open for reading, 0 if not (ENXIO), -2 if NAME
 * is not a FIFO, -1 with errno otherwise (ENOENT, EACCES, ...). Opening and
 * closing a FIFO without writing has no effect on the supervisor.
 */
int
fifo_has_reader(int svfd, const char *name)
{
	struct stat sb;
	int fd, r;

	fd = openat(svfd, name,
	    O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return errno == ENXIO ? 0 :
		    errno == ELOOP || errno == EISDIR ? -2 : -1;
	if (fstat(fd, &sb) == -1) {
		r = errno;
		close(fd);
		errno = r;
		return -1;
	}
	close(fd);
	if (!S_ISFIFO(sb.st_mode))
		return -2;
	return 1;
}

/*
 * s6-supervise holds an fcntl write lock on supervise/lock. F_GETLK asks
 * who would block a read lock without taking one: djb-style supervisors
 * use flock(), and probing those by acquiring them can kill a supervisor
 * that is starting (PROTOCOLS.md#liveness). 1 held (holder set), 0 free,
 * -1 errno.
 */
int
lock_holder(int svfd, pid_t *holder)
{
	return lock_holder_at(svfd, "lock", holder);
}

/*
 * PATH under DIRFD opened to read only when it is a regular file: looked
 * at before the open, since opening a device node (a lock put there by
 * someone else) can act on the device even without reading, and again
 * after, to be sure the open reached the same inode. -1 with errno
 * ENOTPLAIN for anything else.
 */
static int
open_lock_file(int dirfd, const char *path)
{
	struct stat before, after;
	int fd, e;

	if (fstatat(dirfd, path, &before, AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	if (!S_ISREG(before.st_mode)) {
		errno = ENOTPLAIN;
		return -1;
	}
	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK);
	if (fd == -1)
		return -1;
	if (fstat(fd, &after) == -1)
		e = errno;
	else if (S_ISREG(after.st_mode) && after.st_dev == before.st_dev &&
	    after.st_ino == before.st_ino)
		return fd;
	else
		e = ENOTPLAIN;
	close(fd);
	errno = e;
	return -1;
}

/* The same for PATH under DIRFD (a batch's NAME/supervise/lock). */
int
lock_holder_at(int dirfd, const char *path, pid_t *holder)
{
	struct flock fl;
	int fd, r;

	if ((fd = open_lock_file(dirfd, path)) == -1)
		return -1;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_RDLCK;
	fl.l_whence = SEEK_SET;
	r = fcntl(fd, F_GETLK, &fl);
	close(fd);
	if (r == -1)
		return -1;
	if (fl.l_type == F_UNLCK)
		return 0;
	*holder = fl.l_pid;
	return 1;
}

/* daemontools, encore, runit: `ok` gets its reader after the first status
 * write, so a reader means a supervisor whose status is valid
 * (PROTOCOLS.md#liveness). */
int
alive_by_ok_fifo(int svfd, pid_t *pid)
{
	int r = fifo_has_reader(svfd, "ok");

	*pid = 0;
	if (r == -2) {
		errno = EINVAL;
		return -1;
	}
	return r;
}

/* s6: the fcntl lock on supervise/lock, whose holder is s6-supervise. */
int
alive_by_lock(int svfd, pid_t *pid)
{
	*pid = 0;
	return lock_holder(svfd, pid);
}
