/*
 * A log directory read in the order its logger wrote it
 * (PROTOCOLS.md#log-directories): the rotated files `@<tai64n>.s` (and
 * `.u`, a file the logger did not finish) by name, which is their order
 * in time; then `previous`, while a rotation is half done; then
 * `current`. Every file is opened O_NOFOLLOW|O_NONBLOCK and read only
 * if it is a regular file: svx runs as root, the directory need not be
 * root's. Following is inotify on the directory: the live file's writes,
 * and a new `current` after a rotation, wake svx; nothing polls.
 */
#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "logs.h"

#define BLOCK		8192	/* read backwards by this much */
#define RANK_NONE	-1
#define RANK_ROTATED	0
#define RANK_PREVIOUS	1
#define RANK_CURRENT	2

static int
rank_of(const char *name)
{
	size_t i;

	if (strcmp(name, "current") == 0)
		return RANK_CURRENT;
	if (strcmp(name, "previous") == 0)
		return RANK_PREVIOUS;
	if (name[0] != '@' || strlen(name) != 27 || name[25] != '.' ||
	    (name[26] != 's' && name[26] != 'u'))
		return RANK_NONE;
	for (i = 1; i < 25; i++)
		if (strchr("0123456789abcdef", name[i]) == NULL)
			return RANK_NONE;
	return RANK_ROTATED;
}

/* Files in reading order: <0, 0, >0. "" is before every file. */
static int
cmp_files(const char *a, const char *b)
{
	int ra = a[0] == '\0' ? -2 : rank_of(a), rb = b[0] == '\0' ? -2 :
	    rank_of(b);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(a, b);
}

/*
 * multilog and s6-log rotate by renaming `current` to `previous`, then
 * linking `previous` to its `@` name and unlinking `previous`: while it
 * has two links its lines are already under the `@` name.
 */
static int
previous_counts(int dirfd)
{
	struct stat sb;

	return fstatat(dirfd, "previous", &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(sb.st_mode) && sb.st_nlink == 1;
}

/*
 * The file right after AFTER (DIR: +1) or right before it (-1) in
 * reading order, into OUT: 1, 0 when there is none, -1 with errno.
 */
static int
neighbour(int dirfd, const char *start, int dir, char *out)
{
	char from[LOG_NAME_MAX];
	struct dirent *de;
	DIR *d;
	int fd, found = 0;

	strlcpy(from, start, sizeof(from));	/* OUT may be START */
	if ((fd = dup(dirfd)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (rank_of(de->d_name) == RANK_NONE ||
		    cmp_files(de->d_name, from) * dir <= 0 ||
		    (found && cmp_files(de->d_name, out) * dir >= 0))
			continue;
		if (rank_of(de->d_name) == RANK_PREVIOUS &&
		    !previous_counts(dirfd))
			continue;
		strlcpy(out, de->d_name, LOG_NAME_MAX);
		found = 1;
	}
	closedir(d);
	return found;
}

/* The last file in reading order: current, or else the newest. */
static int
last_file(int dirfd, char *out)
{
	if (faccessat(dirfd, "current", F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		strlcpy(out, "current", LOG_NAME_MAX);
		return 1;
	}
	return neighbour(dirfd, "current", -1, out);
}

int
log_open(struct log_reader *r, int atfd, const char *dir, int s6,
    log_line_fn fn, void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->fd = r->ino_fd = -1;
	r->s6 = s6;
	r->fn = fn;
	r->ctx = ctx;
	r->dirfd = openat(atfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return r->dirfd == -1 ? -1 : 0;
}

void
log_close(struct log_reader *r)
{
	if (r->fd != -1)
		close(r->fd);
	if (r->ino_fd != -1)
		close(r->ino_fd);
	if (r->dirfd != -1)
		close(r->dirfd);
	r->fd = r->ino_fd = r->dirfd = -1;
}

/*
 * Where the last N lines of FD (SIZE bytes) begin, reading backwards a
 * block at a time: the offset, with *N lowered by the lines found when
 * the file holds fewer (then 0: all of it). A last line without its
 * newline counts as a line.
 */
static off_t
tail_of(int fd, off_t size, long *n)
{
	char buf[BLOCK];
	off_t end = size, at;
	ssize_t got, i;
	int first = 1;

	while (end > 0 && *n > 0) {
		at = end > BLOCK ? end - BLOCK : 0;
		if ((got = pread(fd, buf, (size_t)(end - at), at)) <= 0)
			return -1;
		for (i = got - 1; i >= 0; i--) {
			if (buf[i] != '\n')
				continue;
			if (first && at + i == size - 1) {
				first = 0;	/* the last line's own */
				continue;
			}
			if (--*n == 0)
				return at + i + 1;
		}
		first = 0;
		end = at;
	}
	if (size > 0 && *n > 0)
		(*n)--;		/* the file's first line */
	return 0;
}

int
log_tail_pos(struct log_reader *r, long n, struct log_pos *pos)
{
	char name[LOG_NAME_MAX];
	struct stat sb;
	off_t off;
	int fd, more;

	strlcpy(pos->name, "", sizeof(pos->name));
	pos->off = 0;
	if ((more = last_file(r->dirfd, name)) <= 0)
		return more;
	if (n <= 0) {		/* nothing old: from the end */
		strlcpy(pos->name, name, sizeof(pos->name));
		pos->off = fstatat(r->dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) ==
		    0 ? sb.st_size : 0;
		return 0;
	}
	while (more == 1 && n > 0) {
		strlcpy(r->name, name, sizeof(r->name));
		if ((fd = open_plain(r->dirfd, name, O_NOFOLLOW, NULL)) == -1)
			return -1;
		off = fstat(fd, &sb) == -1 ? -1 : tail_of(fd, sb.st_size, &n);
		close(fd);
		if (off == -1)
			return -1;
		strlcpy(pos->name, name, sizeof(pos->name));
		pos->off = off;
		if (n > 0 && (more = neighbour(r->dirfd, name, -1, name)) ==
		    -1)
			return -1;
	}
	return 0;
}

int
log_since_pos(struct log_reader *r, int64_t since, struct log_pos *pos)
{
	struct log_stamp_info st;
	char name[LOG_NAME_MAX] = "";
	int more;

	strlcpy(pos->name, "", sizeof(pos->name));
	pos->off = 0;
	while ((more = neighbour(r->dirfd, name, 1, name)) == 1) {
		if (rank_of(name) != RANK_ROTATED || !log_line_stamp(name,
		    strlen(name), r->s6 ? LOGGER_S6LOG : LOGGER_NONE, &st) || st.at.sec >= since) {
			strlcpy(pos->name, name, sizeof(pos->name));
			return 0;
		}
	}
	if (more == 0)	/* all older: from the end */
		strlcpy(pos->name, "current", sizeof(pos->name));
	return more;
}

const struct log_pos *
log_pos_later(const struct log_pos *a, const struct log_pos *b)
{
	int c = cmp_files(a->name, b->name);

	return c > 0 || (c == 0 && a->off >= b->off) ? a : b;
}

/* The line begun in r->buf handed over, ended by its file's end. */
static int
flush_partial(struct log_reader *r)
{
	int stop;

	if (r->have == 0)
		return 0;
	stop = r->fn(r->ctx, r->buf, r->have, LOG_EOL | (r->cont ?
	    LOG_CONT : 0));
	r->have = 0;
	r->cont = 0;
	return stop ? 1 : 0;
}

/* LEN bytes read from the log: whole lines handed over, the rest kept. */
static int
feed(struct log_reader *r, const char *p, size_t len)
{
	const char *nl;
	size_t n;

	while (len > 0) {
		nl = memchr(p, '\n', len);
		n = nl != NULL ? (size_t)(nl - p) : len;
		if (r->have + n >= sizeof(r->buf)) {
			/* Too long for one piece: what fits goes now. */
			n = sizeof(r->buf) - r->have;
			memcpy(r->buf + r->have, p, n);
			if (r->fn(r->ctx, r->buf, sizeof(r->buf), r->cont ?
			    LOG_CONT : 0))
				return 1;
			r->have = 0;
			r->cont = 1;
			p += n;
			len -= n;
			continue;
		}
		memcpy(r->buf + r->have, p, n);
		r->have += n;
		if (nl == NULL)
			return 0;
		if (r->fn(r->ctx, r->buf, r->have, LOG_EOL | (r->cont ?
		    LOG_CONT : 0)))
			return 1;
		r->have = 0;
		r->cont = 0;
		p += n + 1;
		len -= n + 1;
	}
	return 0;
}

/* FD read to its end: 0, 1 (asked to stop), -1 with errno. */
static int
drain(struct log_reader *r, int fd)
{
	char buf[BLOCK];
	ssize_t got;

	for (;;) {
		got = read(fd, buf, sizeof(buf));
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			return got == 0 || errno == EAGAIN ? 0 : -1;
		if (feed(r, buf, (size_t)got))
			return 1;
	}
}

/* NAME opened as the file being read, from OFF. */
static int
open_file(struct log_reader *r, const char *name, off_t off)
{
	struct stat sb;

	strlcpy(r->name, name, sizeof(r->name));	/* for the caller */
	if ((r->fd = open_plain(r->dirfd, name, O_NOFOLLOW, NULL)) == -1)
		return -1;
	if (fstat(r->fd, &sb) == -1 || (off > 0 && lseek(r->fd, off,
	    SEEK_SET) == -1)) {
		close(r->fd);
		r->fd = -1;
		return -1;
	}
	r->dev = sb.st_dev;
	r->ino = sb.st_ino;
	return 0;
}

static int
watch(struct log_reader *r)
{
	char path[64];

	if ((r->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", r->dirfd);
	return inotify_add_watch(r->ino_fd, path, IN_MODIFY | IN_CREATE |
	    IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) == -1 ?
	    -1 : 0;
}

int
log_read(struct log_reader *r, const struct log_pos *pos, int follow)
{
	char name[LOG_NAME_MAX];
	off_t off = pos->off;
	int more = 1, stop;

	if (follow && watch(r) == -1)
		return -1;
	if (pos->name[0] != '\0')
		strlcpy(name, pos->name, sizeof(name));
	else
		more = neighbour(r->dirfd, "", 1, name);
	for (; more == 1; more = neighbour(r->dirfd, name, 1, name)) {
		if (open_file(r, name, off) == -1) {
			if (errno == ENOENT)	/* rotated meanwhile */
				continue;
			return -1;
		}
		off = 0;
		if ((stop = drain(r, r->fd)) != 0)
			return stop;
		if (follow && strcmp(name, "current") == 0)
			return 0;
		close(r->fd);
		r->fd = -1;
		if ((stop = flush_partial(r)) != 0)
			return stop;
	}
	return more;
}

/* `current` is another file than the one open: the rest of the old one,
 * then the new one from its start. */
static int
check_rotation(struct log_reader *r)
{
	struct stat sb;
	int stop;

	if (fstatat(r->dirfd, "current", &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : -1;	/* being replaced */
	if (r->fd != -1 && sb.st_dev == r->dev && sb.st_ino == r->ino)
		return drain(r, r->fd);
	if (r->fd != -1) {
		stop = drain(r, r->fd);
		close(r->fd);
		r->fd = -1;
		if (stop != 0 || (stop = flush_partial(r)) != 0)
			return stop;
	}
	if (open_file(r, "current", 0) == -1)
		return errno == ENOENT ? 0 : -1;
	return drain(r, r->fd);
}

/* inotify's queue read empty: 1 if the directory itself went away. */
static int
events_gone(struct log_reader *r)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct
	    inotify_event))));
	const struct inotify_event *ev;
	ssize_t got, i;
	int gone = 0;

	while ((got = read(r->ino_fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < got; i += (ssize_t)sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(const void *)
			    (buf + i);
			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF |
			    IN_IGNORED))
				gone = 1;
		}
	return gone;
}

int
log_follow(struct log_reader *r, int stopfd, int outfd)
{
	struct pollfd p[3];
	int stop;

	p[0].fd = r->ino_fd;
	p[0].events = POLLIN;
	p[1].fd = stopfd;
	p[1].events = POLLIN;
	p[2].fd = outfd;
	p[2].events = 0;	/* POLLERR: the reader has gone */
	for (;;) {
		if ((stop = check_rotation(r)) != 0)
			return stop;
		p[0].revents = p[1].revents = p[2].revents = 0;
		if (poll(p, outfd >= 0 ? 3 : 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p[1].revents != 0 || (p[2].revents & (POLLERR | POLLHUP)))
			return 0;
		if ((p[0].revents & POLLIN) && events_gone(r)) {
			(void)check_rotation(r);
			r->broken = 1;
			return 0;
		}
	}
}
