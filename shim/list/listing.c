/*
 * Many services: `svx status --all` and `svx status SERVICE...`.
 *
 * Scan directories come from $SVDIR, $SVX_SCANDIRS, the running scanners
 * (/proc: svscan, runsvdir, s6-svscan work in their scan directory) and
 * the conventional places, each once. Their entries are read with
 * getdents into fixed buffers, a window of names in order at a time
 * (adapters/engine/names.c), and probed in batches (batch.c); rows are
 * printed as each batch completes. Memory does not grow with the number
 * of services beyond the fixed buffers: nothing per service is kept once
 * its row is out.
 */
/* d_type's DT_DIR, DT_LNK: outside POSIX. */
#define _DEFAULT_SOURCE
#include <sys/stat.h>

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

#include "../../adapters/engine/batch.h"
#include "../../adapters/engine/names.h"
#include "../../adapters/engine/scanner.h"
#include "../common/resolve.h"
#include "listing.h"

#define SEEN_SLOTS	16384		/* services deduplicated exactly */

/* Services already listed, by device and inode (already_seen()). */
struct seen_set {
	struct {
		dev_t	dev;
		ino_t	ino;
		int	used;
	} slot[SEEN_SLOTS];
	size_t		 n;
};

/*
 * The fixed tables a listing works in, passed to each function that
 * uses them: the names of one scan directory a window at a time, the
 * services seen, one batch of probes and of their log/s, and the names
 * given on the command line of one batch.
 */
struct listing_work {
	struct name_window win;
	struct seen_set	 seen;
	struct batch_probe probes[BATCH_MAX];
	struct batch_probe logs[BATCH_MAX];
	char		 lognames[BATCH_MAX][NAME_MAX + 8];
	char		 bases[BATCH_MAX][NAME_MAX + 1];
	const char	*argnames[BATCH_MAX];
};

/* Its one instance: static, as it is far too big for a stack (~1 MB)
 * and does not grow with the number of services. */
static struct listing_work *
work_tables(void)
{
	static struct listing_work work;

	return &work;
}

/*
 * The fixed tables' pages, touched up front: the kernel would otherwise
 * hand them out as the tables fill, which reads as memory growing with
 * the number of services. Now ten services and ten thousand take the same.
 * The seen set starts empty.
 */
static void
touch_tables(struct listing_work *w)
{
	prefault(&w->win, sizeof(w->win));
	memset(&w->seen, 0, sizeof(w->seen));
	dir_entries_prefault();
	prefault(w->probes, sizeof(w->probes));
	prefault(w->logs, sizeof(w->logs));
	prefault(w->lognames, sizeof(w->lognames));
}

/* ---- scan directories ----------------------------------------------- */

static void
add_scandir(struct scandir_list *scans, const char *path)
{
	struct stat sb;
	size_t i;

	if (path == NULL || path[0] == '\0' || stat(path, &sb) == -1 ||
	    !S_ISDIR(sb.st_mode) || scans->n >= MAX_SCANDIRS)
		return;
	for (i = 0; i < scans->n; i++)
		if (scans->dirs[i].dev == sb.st_dev &&
		    scans->dirs[i].ino == sb.st_ino)
			return;
	if (strlcpy(scans->dirs[scans->n].path, path, PATH_MAX) >= PATH_MAX)
		return;
	scans->dirs[scans->n].dev = sb.st_dev;
	scans->dirs[scans->n].ino = sb.st_ino;
	scans->n++;
}

static void
add_scandir_list(struct scandir_list *scans, const char *list)
{
	char buf[4096], *p, *next;

	if (list == NULL || strlcpy(buf, list, sizeof(buf)) >= sizeof(buf))
		return;
	for (p = buf; p != NULL; p = next) {
		if ((next = strchr(p, ':')) != NULL)
			*next++ = '\0';
		add_scandir(scans, p);
	}
}

static void
add_running_scanners(struct scandir_list *scans)
{
	struct scanner_proc procs[SCANNERS_MAX];
	char dir[PATH_MAX];
	size_t i, n = scanner_processes(procs, SCANNERS_MAX);

	for (i = 0; i < n; i++)
		if (scanner_dir(procs[i].pid, dir, sizeof(dir)) == 0)
			add_scandir(scans, dir);
}

void
listing_find_scandirs(struct scandir_list *scans)
{
	size_t i;

	scans->n = 0;
	add_scandir(scans, getenv("SVDIR"));
	add_scandir_list(scans, getenv("SVX_SCANDIRS"));
	add_running_scanners(scans);
	for (i = 0; default_scandirs[i] != NULL; i++)
		add_scandir(scans, default_scandirs[i]);
}

/*
 * A service is seen once, by device and inode: a directory reached from
 * two scan directories, or through a symlink, is one service. The table
 * is fixed; past SEEN_SLOTS services, duplicates are no longer caught.
 */
static int
already_seen(struct seen_set *seen, dev_t dev, ino_t ino)
{
	size_t h = ((size_t)ino * 2654435761u ^ (size_t)dev) % SEEN_SLOTS;
	size_t i;

	for (i = 0; i < SEEN_SLOTS; i++, h = (h + 1) % SEEN_SLOTS) {
		if (!seen->slot[h].used)
			break;
		if (seen->slot[h].dev == dev && seen->slot[h].ino == ino)
			return 1;
	}
	if (seen->n + 1 >= SEEN_SLOTS)
		return 0;
	seen->slot[h].used = 1;
	seen->slot[h].dev = dev;
	seen->slot[h].ino = ino;
	seen->n++;
	return 0;
}

/*
 * d_ino is the directory itself for a plain subdirectory; a symlink
 * (runit's usual /etc/service/NAME -> /etc/sv/NAME) costs one stat.
 */
static int
duplicate(struct seen_set *seen, int scanfd, dev_t scandev, const char *name,
    unsigned char type, ino_t d_ino)
{
	struct stat sb;

	if (type == DT_DIR)
		return already_seen(seen, scandev, d_ino);
	if (fstatat(scanfd, name, &sb, 0) == -1 || !S_ISDIR(sb.st_mode))
		return 1;	/* not a directory: not a service */
	return already_seen(seen, sb.st_dev, sb.st_ino);
}

/* What offer_entry() offers names to, and by which patterns. */
struct offer {
	const struct listing_opts *o;
	struct name_window *win;
};

/* Dot-names are skipped, as every scanner skips them. */
static void
offer_entry(const struct dir_entry *de, void *arg)
{
	const struct offer *to = arg;

	if (de->d_name[0] == '.' || (de->d_type != DT_DIR &&
	    de->d_type != DT_LNK && de->d_type != DT_UNKNOWN) ||
	    !listing_name_matches(to->o, de->d_name))
		return;
	name_window_offer(to->win, de->d_name, de->d_ino, de->d_type);
}

int
names_match(const char *const *patterns, size_t n, const char *name)
{
	size_t i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (fnmatch(patterns[i], name, 0) == 0)
			return 1;
	return 0;
}

int
listing_name_matches(const struct listing_opts *o, const char *name)
{
	return names_match(o->patterns, o->npatterns, name);
}

/* ---- probing and printing --------------------------------------------- */

/*
 * Probe the services in W's probes[0..n): the main directories first,
 * then, in a second batch, the log/ of those that have one.
 */
static void
probe_batch(struct listing_work *w, size_t n, int *log_index)
{
	size_t i, k = 0;

	batch_run(w->probes, n);
	for (i = 0; i < n; i++) {
		log_index[i] = -1;
		if (!w->probes[i].has_log_dir)
			continue;
		snprintf(w->lognames[k], sizeof(w->lognames[k]), "%s/log",
		    w->probes[i].name);
		w->logs[k].parentfd = w->probes[i].parentfd;
		w->logs[k].name = w->lognames[k];
		w->logs[k].log_of = (int)i;
		log_index[i] = (int)k++;
	}
	if (k > 0)
		batch_run(w->logs, k);
}

static void
emit_batch(struct listing *l, struct listing_work *w, size_t n,
    const char *scandir)
{
	int log_index[BATCH_MAX];
	size_t i;

	probe_batch(w, n, log_index);
	for (i = 0; i < n; i++)
		listing_row(l, scandir, &w->probes[i], log_index[i] == -1 ?
		    NULL : &w->logs[log_index[i]]);
}

/* The window's services, less those already listed (duplicate()). */
static void
list_window(struct listing *l, struct listing_work *w, int scanfd,
    dev_t scandev, const char *scandir, size_t nwin)
{
	const struct window_name *e;
	size_t i, n = 0;

	for (i = 0; i < nwin; i++) {
		e = &w->win.e[i];
		if (duplicate(&w->seen, scanfd, scandev, e->name, e->type,
		    (ino_t)e->ino))
			continue;
		w->probes[n].parentfd = scanfd;
		w->probes[n].name = e->name;
		w->probes[n].log_of = -1;
		if (++n == BATCH_MAX) {
			emit_batch(l, w, n, scandir);
			n = 0;
		}
	}
	if (n > 0)
		emit_batch(l, w, n, scandir);
}

/* Window after window, until no name was left out. */
static void
list_scandir(struct listing *l, struct listing_work *w, int scanfd,
    dev_t scandev, const char *scandir)
{
	struct offer to = { l->opts, &w->win };
	size_t n;
	int more;

	name_window_init(&w->win, WINDOW_NAMES, WINDOW_BYTES);
	do {
		name_window_begin(&w->win);
		if (dir_each_entry(scanfd, offer_entry, &to) == -1) {
			listing_dir_error(l, scandir, errno);
			return;
		}
		n = name_window_end(&w->win, &more);
		list_window(l, w, scanfd, scandev, scandir, n);
	} while (more && n > 0);
}

/*
 * The widest name of every scan directory, for the table's first column:
 * rows stream out batch by batch, so the width is settled first, by one
 * more pass of getdents over the names (no probing, nothing kept).
 */
struct widest {
	const struct listing_opts *o;
	size_t		 width;
};

static void
widen(const struct dir_entry *de, void *arg)
{
	struct widest *w = arg;
	size_t width;

	if (de->d_name[0] != '.' && listing_name_matches(w->o, de->d_name) &&
	    (width = name_width(de->d_name)) > w->width)
		w->width = width;
}

size_t
listing_widest(const struct scandir_list *scans,
    const struct listing_opts *o)
{
	struct widest w = { o, 0 };
	size_t d;
	int fd;

	for (d = 0; d < scans->n; d++) {
		fd = open(scans->dirs[d].path, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC);
		if (fd == -1)
			continue;
		(void)dir_each_entry(fd, widen, &w);
		close(fd);
	}
	return w.width;
}

void
listing_all(struct listing *l, const struct scandir_list *scans)
{
	struct listing_work *w = work_tables();
	struct stat sb;
	size_t d;
	int scanfd;

	touch_tables(w);
	if (l->opts->format == FMT_TABLE)
		listing_header(l, listing_widest(scans, l->opts));
	l->headings = l->headings || scans->n > 1;
	for (d = 0; d < scans->n; d++) {
		scanfd = open(scans->dirs[d].path, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC);
		if (scanfd == -1 || fstat(scanfd, &sb) == -1) {
			listing_dir_error(l, scans->dirs[d].path, errno);
			if (scanfd != -1)
				close(scanfd);
			continue;
		}
		list_scandir(l, w, scanfd, sb.st_dev, scans->dirs[d].path);
		close(scanfd);
	}
}

/*
 * Named services: grouped by their parent directory, so that
 * `svx status DIR/...` opens DIR once and probes each entry from it.
 */
/* 0, or -1 with errno ENAMETOOLONG: a part cut short would name another
 * service (a longer name's first 255 bytes). */
static int
split_path(const char *path, char *dir, size_t dirlen, char *base,
    size_t baselen)
{
	const char *slash;
	size_t len = strlen(path);

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= dirlen) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, len);
	dir[len] = '\0';
	if ((slash = strrchr(dir, '/')) == NULL) {
		if (strlcpy(base, dir, baselen) >= baselen)
			goto long_name;
		strlcpy(dir, ".", dirlen);
	} else {
		if (strlcpy(base, slash + 1, baselen) >= baselen)
			goto long_name;
		if (slash == dir)
			dir[1] = '\0';
		else
			dir[slash - dir] = '\0';
	}
	return 0;
long_name:
	errno = ENAMETOOLONG;
	return -1;
}

static void
flush_named(struct listing *l, struct listing_work *w, size_t k)
{
	int log_index[BATCH_MAX];
	size_t j;

	probe_batch(w, k, log_index);
	for (j = 0; j < k; j++)
		listing_named_row(l, w->argnames[j], &w->probes[j],
		    log_index[j] == -1 ? NULL : &w->logs[log_index[j]]);
}

/* The named services, in the order given. */
void
listing_paths(struct listing *l, char *const *args, size_t n,
    const char *svdir)
{
	struct listing_work *w = work_tables();
	char dir[PATH_MAX], base[NAME_MAX + 1], current[PATH_MAX] = "";
	char path[PATH_MAX], absolute[PATH_MAX];
	size_t i, k = 0;
	int fd = -1;

	for (i = 0; i < n; i++) {
		if (resolve_service(args[i], svdir, path, sizeof(path)) == -1) {
			listing_open_error(l, args[i], errno);
			continue;
		}
		if (split_path(path, dir, sizeof(dir), base,
		    sizeof(base)) == -1) {
			listing_open_error(l, args[i], errno);
			continue;
		}
		/* A batch ends at a new parent, or when it is full. */
		if (k > 0 && (k == BATCH_MAX || strcmp(dir, current) != 0)) {
			flush_named(l, w, k);
			k = 0;
		}
		if (fd == -1 || strcmp(dir, current) != 0) {
			if (fd != -1)
				close(fd);
			strlcpy(current, dir, sizeof(current));
			fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			/* JSON's path names the directory wherever svx ran. */
			l->named_dir = l->opts->format == FMT_JSON &&
			    realpath(dir, absolute) != NULL ? absolute : NULL;
		}
		if (fd == -1) {
			listing_open_error(l, args[i], errno);
			current[0] = '\0';
			continue;
		}
		strlcpy(w->bases[k], base, sizeof(w->bases[k]));
		w->probes[k].parentfd = fd;
		w->probes[k].name = w->bases[k];
		w->probes[k].log_of = -1;
		w->argnames[k++] = args[i];
	}
	if (k > 0)
		flush_named(l, w, k);
	l->named_dir = NULL;
	if (fd != -1)
		close(fd);
}
