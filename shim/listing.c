/*
 * Many services: `svx status --all` and `svx status SERVICE...`.
 *
 * Scan directories come from $SVDIR, $SVX_SCANDIRS, the running scanners
 * (/proc: svscan, runsvdir, s6-svscan work in their scan directory) and
 * the conventional places, each once. Their entries are read with
 * getdents into fixed buffers, sorted, and probed in batches (batch.c);
 * rows are printed as each batch completes. Memory does not grow with the
 * number of services beyond the fixed buffers: nothing per service is
 * kept once its row is out.
 */
/* getdents64 through syscall(2): Linux, outside POSIX. */
#define _DEFAULT_SOURCE
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../adapters/batch.h"
#include "../adapters/scanner.h"
#include "listing.h"

#define MAX_SCANDIRS	32
#define NAME_ARENA	(64 * 1024)
#define MAX_NAMES	4096
#define SEEN_SLOTS	16384		/* services deduplicated exactly */
#define DENTS_BUF	(32 * 1024)

struct scandir {
	char		 path[PATH_MAX];
	dev_t		 dev;
	ino_t		 ino;
};

static struct {
	struct scandir	 dirs[MAX_SCANDIRS];
	size_t		 n;
} scans;

/* Names of one scan directory, read in pieces when it is huge. */
static char arena[NAME_ARENA];
static size_t arena_used;
static const char *names[MAX_NAMES];
static size_t nnames;

static struct {
	dev_t	dev;
	ino_t	ino;
	int	used;
} seen[SEEN_SLOTS];
static size_t nseen;

static struct batch_probe probes[BATCH_MAX];
static struct batch_probe logs[BATCH_MAX];
static char lognames[BATCH_MAX][NAME_MAX + 8];

/* getdents' buffer: widest_name()'s pass ends before read_names() starts. */
static char dents[DENTS_BUF];

/*
 * The fixed tables' pages, touched up front: the kernel would otherwise
 * hand them out as the tables fill, which reads as memory growing with
 * the number of services. Now ten services and ten thousand take the same.
 */
static void
touch(void *p, size_t len)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE), from, to;
	volatile char *c = p;

#ifdef MADV_POPULATE_WRITE
	/* One call for the whole range: a fault per page costs ~1.5 us in
	 * a VM, 190 pages of them a third of a small listing's time. */
	from = ((uintptr_t)p + pg - 1) & ~(pg - 1);
	to = ((uintptr_t)p + len) & ~(pg - 1);
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
	(void)from;
	(void)to;
#endif
	/* The pages the call did not cover (or every page, without it). */
	for (size_t i = 0; i < len; i += pg)
		c[i] = c[i];
	c[len - 1] = c[len - 1];
}

static void
touch_tables(void)
{
	touch(arena, sizeof(arena));
	touch(names, sizeof(names));
	touch(seen, sizeof(seen));
	touch(dents, sizeof(dents));
	touch(probes, sizeof(probes));
	touch(logs, sizeof(logs));
	touch(lognames, sizeof(lognames));
}


/* ---- scan directories ----------------------------------------------- */

static void
add_scandir(const char *path)
{
	struct stat sb;
	size_t i;

	if (path == NULL || path[0] == '\0' || stat(path, &sb) == -1 ||
	    !S_ISDIR(sb.st_mode) || scans.n >= MAX_SCANDIRS)
		return;
	for (i = 0; i < scans.n; i++)
		if (scans.dirs[i].dev == sb.st_dev &&
		    scans.dirs[i].ino == sb.st_ino)
			return;
	if (strlcpy(scans.dirs[scans.n].path, path, PATH_MAX) >= PATH_MAX)
		return;
	scans.dirs[scans.n].dev = sb.st_dev;
	scans.dirs[scans.n].ino = sb.st_ino;
	scans.n++;
}

static void
add_scandir_list(const char *list)
{
	char buf[4096], *p, *next;

	if (list == NULL || strlcpy(buf, list, sizeof(buf)) >= sizeof(buf))
		return;
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, ':')) != NULL)
			*next++ = '\0';
		add_scandir(p);
	}
}

/* Every scanner chdirs into its scan directory: /proc/PID/cwd. */
static void
add_running_scanners(void)
{
	struct scanner_proc procs[SCANNERS_MAX];
	char path[64], cwd[PATH_MAX];
	size_t i, n = scanner_processes(procs, SCANNERS_MAX);
	ssize_t r;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/proc/%ld/cwd", (long)procs[i].pid);
		if ((r = readlink(path, cwd, sizeof(cwd) - 1)) <= 0)
			continue;
		cwd[r] = '\0';
		add_scandir(cwd);
	}
}

void
listing_find_scandirs(void)
{
	size_t i;

	scans.n = 0;
	add_scandir(getenv("SVDIR"));
	add_scandir_list(getenv("SVX_SCANDIRS"));
	add_running_scanners();
	for (i = 0; default_scandirs[i] != NULL; i++)
		add_scandir(default_scandirs[i]);
}

size_t
listing_nscandirs(void)
{
	return scans.n;
}

const char *
listing_scandir(size_t i)
{
	return scans.dirs[i].path;
}

/* ---- names ------------------------------------------------------------ */

/*
 * Names sorted in place by heapsort: glibc's qsort takes a heap buffer
 * for a large array, which showed as memory growing with the number of
 * services.
 */
static void
sift_down(const char **a, size_t root, size_t n)
{
	const char *tmp;
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && strcmp(a[child], a[child + 1]) < 0)
			child++;
		if (strcmp(a[root], a[child]) >= 0)
			return;
		tmp = a[root];
		a[root] = a[child];
		a[child] = tmp;
		root = child;
	}
}

static void
sort_names(const char **a, size_t n)
{
	const char *tmp;
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (i = n; i-- > 1;) {
		tmp = a[0];
		a[0] = a[i];
		a[i] = tmp;
		sift_down(a, 0, i);
	}
}

/*
 * A service is seen once, by device and inode: a directory reached from
 * two scan directories, or through a symlink, is one service. The table
 * is fixed; past SEEN_SLOTS services, duplicates are no longer caught.
 */
static int
already_seen(dev_t dev, ino_t ino)
{
	size_t h = ((size_t)ino * 2654435761u ^ (size_t)dev) % SEEN_SLOTS;
	size_t i;

	for (i = 0; i < SEEN_SLOTS; i++, h = (h + 1) % SEEN_SLOTS) {
		if (!seen[h].used)
			break;
		if (seen[h].dev == dev && seen[h].ino == ino)
			return 1;
	}
	if (nseen + 1 >= SEEN_SLOTS)
		return 0;
	seen[h].used = 1;
	seen[h].dev = dev;
	seen[h].ino = ino;
	nseen++;
	return 0;
}

/*
 * d_ino is the directory itself for a plain subdirectory; a symlink
 * (runit's usual /etc/service/NAME -> /etc/sv/NAME) costs one stat.
 */
static int
duplicate(int scanfd, dev_t scandev, const char *name, unsigned char type,
    ino_t d_ino)
{
	struct stat sb;

	if (type == DT_DIR)
		return already_seen(scandev, d_ino);
	if (fstatat(scanfd, name, &sb, 0) == -1 || !S_ISDIR(sb.st_mode))
		return 1;	/* not a directory: not a service */
	return already_seen(sb.st_dev, sb.st_ino);
}

struct dirent64_raw {
	uint64_t	 d_ino;
	int64_t		 d_off;
	unsigned short	 d_reclen;
	unsigned char	 d_type;
	char		 d_name[];
};

/*
 * Read the next names of SCANFD into the arena: 1 while some were read,
 * 0 at the end. Dot-names are skipped, as every scanner skips them.
 */
static int
read_names(int scanfd, dev_t scandev, const struct listing_opts *o,
    int *more)
{
	static size_t dpos, dlen;
	struct dirent64_raw *de;
	size_t len;
	long r;

	nnames = 0;
	arena_used = 0;
	for (;;) {
		if (dpos >= dlen) {
			r = syscall(SYS_getdents64, scanfd, dents, sizeof(dents));
			if (r <= 0) {
				dpos = dlen = 0;
				*more = 0;
				return nnames > 0;
			}
			dlen = (size_t)r;
			dpos = 0;
		}
		de = (struct dirent64_raw *)(void *)(dents + dpos);
		len = strlen(de->d_name) + 1;
		if (nnames >= MAX_NAMES || arena_used + len > sizeof(arena)) {
			*more = 1;
			return 1;
		}
		dpos += de->d_reclen;
		if (de->d_name[0] == '.' || (de->d_type != DT_DIR &&
		    de->d_type != DT_LNK && de->d_type != DT_UNKNOWN) ||
		    !listing_name_matches(o, de->d_name) ||
		    duplicate(scanfd, scandev, de->d_name, de->d_type,
		    (ino_t)de->d_ino))
			continue;
		memcpy(arena + arena_used, de->d_name, len);
		names[nnames++] = arena + arena_used;
		arena_used += len;
	}
}

int
listing_name_matches(const struct listing_opts *o, const char *name)
{
	size_t i;

	if (o->npatterns == 0)
		return 1;
	for (i = 0; i < o->npatterns; i++)
		if (fnmatch(o->patterns[i], name, 0) == 0)
			return 1;
	return 0;
}

/* ---- probing and printing --------------------------------------------- */

/*
 * Probe the services in probes[0..n): the main directories first, then,
 * in a second batch, the log/ of those that have one.
 */
static void
probe_batch(size_t n, int *log_index)
{
	size_t i, k = 0;

	batch_run(probes, n);
	for (i = 0; i < n; i++) {
		log_index[i] = -1;
		if (!probes[i].has_log_dir)
			continue;
		snprintf(lognames[k], sizeof(lognames[k]), "%s/log",
		    probes[i].name);
		logs[k].parentfd = probes[i].parentfd;
		logs[k].name = lognames[k];
		logs[k].log_of = (int)i;
		log_index[i] = (int)k++;
	}
	if (k > 0)
		batch_run(logs, k);
}

static void
emit_batch(struct listing *l, size_t n, const char *scandir)
{
	int log_index[BATCH_MAX];
	size_t i;

	probe_batch(n, log_index);
	for (i = 0; i < n; i++)
		listing_row(l, scandir, &probes[i], log_index[i] == -1 ? NULL :
		    &logs[log_index[i]]);
}

static void
list_names(struct listing *l, int scanfd, const char *scandir)
{
	size_t i, n = 0;

	sort_names(names, nnames);
	listing_begin_dir(l, names, nnames);
	for (i = 0; i < nnames; i++) {
		probes[n].parentfd = scanfd;
		probes[n].name = names[i];
		probes[n].log_of = -1;
		if (++n == BATCH_MAX) {
			emit_batch(l, n, scandir);
			n = 0;
		}
	}
	if (n > 0)
		emit_batch(l, n, scandir);
}

/*
 * The widest name of every scan directory, for the table's first column:
 * rows stream out batch by batch, so the width is settled first, by one
 * more pass of getdents over the names (no probing, nothing kept).
 */
static size_t
widest_name(const struct listing_opts *o)
{
	struct dirent64_raw *de;
	size_t d, pos, w, widest = 0;
	long r;
	int fd;

	for (d = 0; d < scans.n; d++) {
		fd = open(scans.dirs[d].path, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC);
		if (fd == -1)
			continue;
		while ((r = syscall(SYS_getdents64, fd, dents,
		    sizeof(dents))) > 0) {
			for (pos = 0; pos < (size_t)r; pos += de->d_reclen) {
				de = (struct dirent64_raw *)(void *)(dents + pos);
				if (de->d_name[0] == '.' ||
				    !listing_name_matches(o, de->d_name))
					continue;
				if ((w = name_width(de->d_name)) > widest)
					widest = w;
			}
		}
		close(fd);
	}
	return widest;
}

size_t
listing_widest(const struct listing_opts *o)
{
	return widest_name(o);
}

void
listing_all(struct listing *l)
{
	struct stat sb;
	size_t d;
	int scanfd, more;

	touch_tables();
	if (l->opts->format == FMT_TABLE)
		listing_header(l, widest_name(l->opts));
	l->headings = l->headings || scans.n > 1;
	for (d = 0; d < scans.n; d++) {
		scanfd = open(scans.dirs[d].path, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC);
		if (scanfd == -1 || fstat(scanfd, &sb) == -1) {
			listing_dir_error(l, scans.dirs[d].path, errno);
			if (scanfd != -1)
				close(scanfd);
			continue;
		}
		more = 1;
		while (more && read_names(scanfd, sb.st_dev, l->opts, &more))
			list_names(l, scanfd, scans.dirs[d].path);
		close(scanfd);
	}
}

/*
 * Named services: grouped by their parent directory, so that
 * `svx status DIR/...` opens DIR once and probes each entry from it.
 */
static void
split_path(const char *path, char *dir, size_t dirlen, char *base,
    size_t baselen)
{
	const char *slash;
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= dirlen)
		len = dirlen - 1;
	memcpy(dir, path, len);
	dir[len] = '\0';
	if ((slash = strrchr(dir, '/')) == NULL) {
		strlcpy(base, dir, baselen);
		strlcpy(dir, ".", dirlen);
	} else {
		strlcpy(base, slash + 1, baselen);
		if (slash == dir)
			dir[1] = '\0';
		else
			dir[slash - dir] = '\0';
	}
}

static void
flush_named(struct listing *l, const char *const *argnames, size_t k)
{
	int log_index[BATCH_MAX];
	size_t j;

	probe_batch(k, log_index);
	for (j = 0; j < k; j++)
		listing_named_row(l, argnames[j], &probes[j], log_index[j] ==
		    -1 ? NULL : &logs[log_index[j]]);
}

/* The named services, in this process (split.c may share them out). */
void
listing_paths_here(struct listing *l, char *const *args, size_t n,
    const char *svdir)
{
	static char bases[BATCH_MAX][NAME_MAX + 1];
	static const char *argnames[BATCH_MAX];
	char dir[PATH_MAX], base[NAME_MAX + 1], current[PATH_MAX] = "";
	char path[PATH_MAX];
	size_t i, k = 0;
	int fd = -1;

	for (i = 0; i < n; i++) {
		if (resolve_service(args[i], svdir, path, sizeof(path)) == -1) {
			listing_open_error(l, args[i], errno);
			continue;
		}
		split_path(path, dir, sizeof(dir), base, sizeof(base));
		/* A batch ends at a new parent, or when it is full. */
		if (k > 0 && (k == BATCH_MAX || strcmp(dir, current) != 0)) {
			flush_named(l, argnames, k);
			k = 0;
		}
		if (fd == -1 || strcmp(dir, current) != 0) {
			if (fd != -1)
				close(fd);
			strlcpy(current, dir, sizeof(current));
			fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		if (fd == -1) {
			listing_open_error(l, args[i], errno);
			current[0] = '\0';
			continue;
		}
		strlcpy(bases[k], base, sizeof(bases[k]));
		probes[k].parentfd = fd;
		probes[k].name = bases[k];
		probes[k].log_of = -1;
		argnames[k++] = args[i];
	}
	if (k > 0)
		flush_named(l, argnames, k);
	if (fd != -1)
		close(fd);
}
