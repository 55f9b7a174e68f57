/*
 * svx perms's tables and the changes they call for (PROTOCOLS.md#perms).
 *
 * Each node is opened with O_PATH | O_NOFOLLOW, so a symlink is opened
 * as itself and refused by its type; the group is changed through that
 * descriptor (fchownat AT_EMPTY_PATH) and the mode through its
 * /proc/self/fd link, which names that inode and no other: nothing is
 * looked up by name twice, so nothing can be swapped in between.
 */
/* O_PATH, AT_EMPTY_PATH: Linux, outside POSIX. */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "perms.h"
#include "service.h"

#define NODE_FLAGS	(O_PATH | O_NOFOLLOW | O_CLOEXEC)

/*
 * daemontools 0.76, encore and runit create supervise/ 0700 and the ok
 * and control FIFOs 0600. Status is 0644 already; ok is what a reader
 * must open for writing to prove the supervisor alive (it never reads
 * it), control is the right to command.
 */
static const struct perms_row djb_rows[] = {
	{ "supervise/", "supervise", 0, S_IFDIR, { 0700, 0710, 0710 },
	    { 0, 1, 1 }, 0 },
	{ "ok", "ok", 1, S_IFIFO, { 0600, 0620, 0620 }, { 0, 1, 1 }, 0 },
	{ "control", "control", 1, S_IFIFO, { 0600, 0600, 0620 },
	    { 0, 0, 1 }, 0 },
	{ "status", "status", 1, S_IFREG, { 0, 0, 0 }, { 0, 0, 0 }, 1 },
};

/*
 * encore's supervise writes status in place (PROTOCOLS.md#encore): a
 * mode set on it lasts, so a group given the state gets it readable,
 * 0644 as every supervisor makes it under umask 022; reset leaves it.
 */
static const struct perms_row encore_rows[] = {
	{ "supervise/", "supervise", 0, S_IFDIR, { 0700, 0710, 0710 },
	    { 0, 1, 1 }, 0 },
	{ "ok", "ok", 1, S_IFIFO, { 0600, 0620, 0620 }, { 0, 1, 1 }, 0 },
	{ "control", "control", 1, S_IFIFO, { 0600, 0600, 0620 },
	    { 0, 0, 1 }, 0 },
	{ "status", "status", 1, S_IFREG, { 0, 0644, 0644 }, { 0, 0, 0 },
	    0 },
};

/*
 * s6-supervise: supervise/ 0700, control 0600, event/ 03730 with its
 * own group; lock 0644, status and death_tally 0644 under umask 022.
 * These are the modes s6-svperms -u, -g, -G and -E set.
 *
 * status, here and in djb_rows: every supervisor writes it 0644 less
 * its umask (0600 under umask 077), and these replace it (a new file,
 * renamed over) at each change of state, so a mode set on it would not
 * last: it is read, never set (PROTOCOLS.md#perms).
 */
static const struct perms_row s6_rows[] = {
	{ "supervise/", "supervise", 0, S_IFDIR, { 0700, 0710, 0710 },
	    { 0, 1, 1 }, 0 },
	{ "control", "control", 1, S_IFIFO, { 0600, 0600, 0620 },
	    { 0, 0, 1 }, 0 },
	{ "event/", "event", 0, S_IFDIR, { 03730, 03730, 03730 },
	    { 0, 1, 1 }, 0 },
	{ "status", "status", 1, S_IFREG, { 0, 0, 0 }, { 0, 0, 0 }, 1 },
};

const struct perms_table perms_tables[PF_NFAMILIES] = {
	[PF_DJB] = { djb_rows, sizeof(djb_rows) / sizeof(djb_rows[0]),
	    "ok" },
	[PF_ENCORE] = { encore_rows,
	    sizeof(encore_rows) / sizeof(encore_rows[0]), "ok" },
	[PF_S6] = { s6_rows, sizeof(s6_rows) / sizeof(s6_rows[0]), NULL },
};

/* Unknown (not running, its record not read): the djb family's rows,
 * which leave status alone; s6 is told by its event/ (perms_open). */
static const enum perms_family families[BACKEND_DIR_COUNT] = {
	[BACKEND_UNKNOWN] = PF_DJB,
	[BACKEND_DAEMONTOOLS] = PF_DJB,
	[BACKEND_ENCORE] = PF_ENCORE,
	[BACKEND_RUNIT] = PF_DJB,
	[BACKEND_S6] = PF_S6,
};

enum perms_family
perms_family_of(enum svx_backend b)
{
	return (unsigned)b < BACKEND_DIR_COUNT ? families[b] : PF_DJB;
}

/*
 * NAME under BASE as itself: its descriptor, or -1 (ELOOP a symlink,
 * ENOTPLAIN not of TYPE, or a FIFO with a second name: a hard link to
 * some other FIFO is not the supervisor's own).
 */
static int
node_open(int base, const char *name, mode_t type, struct stat *st)
{
	int fd, e;

	if ((fd = openat(base, name, NODE_FLAGS)) == -1)
		return -1;
	if (fstat(fd, st) == -1)
		e = errno;
	else if ((st->st_mode & S_IFMT) == type &&
	    (type != S_IFIFO || st->st_nlink == 1))
		return fd;
	else
		e = S_ISLNK(st->st_mode) ? ELOOP : ENOTPLAIN;
	close(fd);
	errno = e;
	return -1;
}

/*
 * The supervisor's group: that of the lock it created (svx perms never
 * changes it), else the owner's primary group, as s6-svperms -u takes.
 */
static gid_t
supervisor_gid(int svfd, const struct stat *svst)
{
	struct passwd *pw;
	struct stat st;

	if (fstatat(svfd, "lock", &st, AT_SYMLINK_NOFOLLOW) == 0)
		return st.st_gid;
	if ((pw = getpwuid(svst->st_uid)) != NULL)
		return pw->pw_gid;
	return 0;
}

/*
 * Only root, or svx's own user, may change what this names: theirs,
 * and writable by no one else, or sticky (/tmp: others may add names
 * but not replace root's, and the next component is checked in turn).
 */
static int
trusted(int fd, struct stat *st)
{
	if (fstat(fd, st) == -1)
		return 0;
	return S_ISDIR(st->st_mode) && (st->st_uid == 0 ||
	    st->st_uid == geteuid()) && ((st->st_mode & 022) == 0 ||
	    (st->st_mode & S_ISVTX));
}

/*
 * TARGET (a symlink's text) from DIRFD, one component at a time, each
 * opened as itself: a directory, never a link, trusted, and the last
 * writable by its owner only. Its descriptor, or -1 with errno ELOOP.
 */
static int
open_trusted(int dirfd, char *target, struct stat *st)
{
	char *p, *next;
	int fd, nfd;

	fd = target[0] == '/' ? open("/", NODE_FLAGS | O_DIRECTORY) :
	    fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	for (p = target; fd != -1 && p != NULL; p = next) {
		if ((next = strchr(p, '/')) != NULL)
			*next++ = '\0';
		if (!trusted(fd, st) || strcmp(p, "..") == 0) {
			close(fd);
			errno = ELOOP;
			return -1;
		}
		if (p[0] == '\0' || strcmp(p, ".") == 0)
			continue;
		nfd = openat(fd, p, NODE_FLAGS);
		close(fd);
		fd = nfd;
	}
	/* The target itself: no one else may write there, sticky or not. */
	if (fd != -1 && (!trusted(fd, st) || (st->st_mode & 022) != 0)) {
		close(fd);
		errno = ELOOP;
		return -1;
	}
	return fd;
}

/*
 * supervise/ as a symlink (runit, s6 and Debian's supervise follow one,
 * to keep the files on a writable filesystem): followed only to a
 * trusted directory that holds a control FIFO, a supervisor's
 * (PROTOCOLS.md#perms).
 */
static int
open_linked_svdir(int dirfd, struct stat *st, int *linked)
{
	char target[PATH_MAX];
	struct stat fifo;
	ssize_t n;
	int fd;

	n = readlinkat(dirfd, "supervise", target, sizeof(target) - 1);
	if (n <= 0) {
		errno = ELOOP;
		return -1;
	}
	target[n] = '\0';
	if (!trusted(dirfd, st)) {
		errno = ELOOP;
		return -1;
	}
	if ((fd = open_trusted(dirfd, target, st)) == -1) {
		/* Dangling: no supervisor has made it yet. */
		if (errno != ENOENT)
			errno = ELOOP;
		return -1;
	}
	if (fstatat(fd, "control", &fifo, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISFIFO(fifo.st_mode) || (fifo.st_uid != 0 &&
	    fifo.st_uid != geteuid())) {
		close(fd);
		errno = ELOOP;
		return -1;
	}
	*linked = 1;
	return fd;
}

/*
 * encore's SUPERVISEDIR: one name under the service directory, opened
 * as itself; or a path (an absolute value names /run/sv/srv:web), which
 * is walked as a followed link's target is, every directory on the way
 * trusted: a directory that others may change, or a symlink anywhere on
 * the way, could make root change modes elsewhere.
 */
static int
open_relocated_svdir(int dirfd, const char *path, const char *supervisedir,
    struct stat *st)
{
	char joined[PATH_MAX];

	if (svdir_name(path, supervisedir, joined, sizeof(joined)) == -1)
		return -1;
	if (joined[0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	if (strchr(joined, '/') == NULL)
		return node_open(dirfd, joined, S_IFDIR, st);
	return open_trusted(dirfd, joined, st);
}

static int
open_svdir(int dirfd, const char *path, const char *supervisedir,
    struct stat *st, int *linked)
{
	int fd;

	if (supervisedir != NULL)
		return open_relocated_svdir(dirfd, path, supervisedir, st);
	fd = node_open(dirfd, "supervise", S_IFDIR, st);
	if (fd == -1 && errno == ELOOP)
		return open_linked_svdir(dirfd, st, linked);
	return fd;
}

int
perms_open(int dirfd, const char *path, const char *supervisedir,
    enum svx_backend b, struct perms_target *t)
{
	struct stat st;

	memset(t, 0, sizeof(*t));
	t->dirfd = dirfd;
	t->family = perms_family_of(b);
	t->relocated = supervisedir != NULL;
	/* Unknown: s6's event/ is its fingerprint (PROTOCOLS.md). */
	if (b == BACKEND_UNKNOWN && fstatat(dirfd, "event", &st,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
		t->family = PF_S6;
	if ((t->svfd = open_svdir(dirfd, path, supervisedir, &st,
	    &t->linked)) == -1) {
		t->err = errno;
		return -1;
	}
	t->default_gid = supervisor_gid(t->svfd, &st);
	return 0;
}

/* The node of row I as a descriptor: supervise/ (the first row) is the
 * target's own, opened once, perhaps through a trusted link. */
static int
node_fd(const struct perms_target *t, size_t i, struct stat *st)
{
	const struct perms_row *r = &perms_tables[t->family].rows[i];

	if (i == 0)
		return fcntl(t->svfd, F_DUPFD_CLOEXEC, 0);
	return node_open(r->in_svdir ? t->svfd : t->dirfd, r->path, r->type,
	    st);
}

void
perms_read(struct perms_target *t)
{
	const struct perms_table *tb = &perms_tables[t->family];
	size_t i;
	int fd;

	t->n = tb->n;
	for (i = 0; i < tb->n; i++) {
		struct perms_node *nd = &t->nodes[i];

		nd->row = &tb->rows[i];
		nd->changed = 0;
		nd->err = 0;
		if ((fd = node_fd(t, i, &nd->st)) == -1 ||
		    fstat(fd, &nd->st) == -1)
			nd->err = errno;
		if (fd != -1)
			close(fd);
	}
}

/* The mode of FD's inode, through the link that names only it. */
static int
fd_chmod(int fd, mode_t mode)
{
	char link[64];

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	return fchmodat(AT_FDCWD, link, mode, 0);
}

static int
node_set(int fd, gid_t gid, mode_t mode, int *changed)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return -1;
	if (st.st_gid != gid) {
		if (fchownat(fd, "", (uid_t)-1, gid, AT_EMPTY_PATH) == -1)
			return -1;
		*changed = 1;
		/* A change of group may clear set-group-ID: look again. */
		if (fstat(fd, &st) == -1)
			return -1;
	}
	if ((st.st_mode & 07777) != mode) {
		if (fd_chmod(fd, mode) == -1)
			return -1;
		*changed = 1;
	}
	return 0;
}

int
perms_apply(struct perms_target *t, enum perms_level level, gid_t gid,
    size_t *failed)
{
	const struct perms_table *tb = &perms_tables[t->family];
	struct stat st;
	size_t i;
	int fd, r, e;

	for (i = 0; i < tb->n; i++) {
		const struct perms_row *row = &tb->rows[i];

		t->nodes[i].row = row;
		t->nodes[i].changed = 0;
		if (row->rewritten || row->mode[level] == 0)
			continue;
		if ((fd = node_fd(t, i, &st)) == -1) {
			/* The FIFOs and status may be missing on a
			 * directory whose supervisor has not started yet;
			 * the directories may not. */
			if (errno == ENOENT && row->type != S_IFDIR)
				continue;
			*failed = i;
			return -1;
		}
		r = node_set(fd, row->grouped[level] ? gid : t->default_gid,
		    row->mode[level], &t->nodes[i].changed);
		e = errno;
		close(fd);
		if (r == -1) {
			*failed = i;
			errno = e;
			return -1;
		}
	}
	return 0;
}

void
perms_close(struct perms_target *t)
{
	if (t->svfd != -1)
		close(t->svfd);
	t->svfd = -1;
}

static const struct perms_node *
find(const struct perms_target *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->nodes[i].row->name, name) == 0 &&
		    t->nodes[i].err == 0)
			return &t->nodes[i];
	return NULL;
}

/* Who may reach into supervise/ and then use NAME with BIT (w or r). */
static enum perms_who
who(const struct perms_target *t, const char *name, mode_t gbit,
    gid_t *gid)
{
	const struct perms_node *dir = find(t, "supervise/"),
	    *n = find(t, name);
	mode_t d, m;

	if (dir == NULL || n == NULL)
		return WHO_MIXED;
	d = dir->st.st_mode;
	m = n->st.st_mode;
	if ((d & S_IXOTH) && (m & (gbit >> 3)))
		return WHO_ALL;
	if ((d & S_IXGRP) && (m & gbit) && dir->st.st_gid == n->st.st_gid) {
		*gid = n->st.st_gid;
		return WHO_GROUP;
	}
	return WHO_OWNER;
}

/* Who may get in and prove the supervisor alive, status aside. */
static enum perms_who
door_who(const struct perms_target *t, gid_t *gid)
{
	const struct perms_node *dir = find(t, "supervise/");
	const char *proof = perms_tables[t->family].proof;

	if (proof != NULL)
		return who(t, proof, S_IWGRP, gid);
	if (dir == NULL)
		return WHO_MIXED;
	if (dir->st.st_mode & S_IXOTH)
		return WHO_ALL;
	if (dir->st.st_mode & S_IXGRP) {
		*gid = dir->st.st_gid;
		return WHO_GROUP;
	}
	return WHO_OWNER;
}

/* The status file, when it was read: a missing one (no supervisor has
 * written it yet) limits nothing. */
static int
status_readable_by(const struct perms_target *t, enum perms_who w,
    gid_t gid)
{
	const struct perms_node *st = find(t, "status");
	mode_t m;

	if (st == NULL)
		return 1;
	m = st->st.st_mode;
	if (m & S_IROTH)
		return 1;
	return w == WHO_GROUP && (m & S_IRGRP) && st->st.st_gid == gid;
}

enum perms_who
perms_status_who(const struct perms_target *t, gid_t *gid)
{
	enum perms_who w = door_who(t, gid);

	if ((w == WHO_ALL || w == WHO_GROUP) &&
	    !status_readable_by(t, w, *gid))
		return WHO_OWNER;
	return w;
}

int
perms_status_blocked(const struct perms_target *t)
{
	gid_t gid = 0;
	enum perms_who w = door_who(t, &gid);

	return (w == WHO_ALL || w == WHO_GROUP) &&
	    !status_readable_by(t, w, gid);
}

enum perms_who
perms_control_who(const struct perms_target *t, gid_t *gid)
{
	return who(t, "control", S_IWGRP, gid);
}
