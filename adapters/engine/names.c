/*
 * A directory's names in strcmp's order, however many, in fixed memory:
 * the trick behind `svx status --all` on ten thousand services. Kept
 * apart from the listing, which one edits to add a column.
 *
 *  - getdents64 into one fixed buffer, a pass over the directory at a
 *    time (readdir's DIR takes heap);
 *  - a window of the next names in order per pass (a hand heapsort:
 *    glibc's qsort takes heap for a large array);
 *  - pages prefaulted, so memory does not read as growing with the
 *    services.
 */
/* getdents64 through syscall(2), MADV_POPULATE_WRITE: Linux, outside
 * POSIX. */
#define _DEFAULT_SOURCE
#include <sys/mman.h>
#include <sys/syscall.h>

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "names.h"

#define DENTS_BUF	(32 * 1024)

/* getdents' buffer: one pass over a directory at a time. */
static char dents[DENTS_BUF];

/* P[0..LEN) backed by memory now, not as it fills. */
void
prefault(void *p, size_t len)
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

void
dir_entries_prefault(void)
{
	prefault(dents, sizeof(dents));
}

/*
 * One pass of getdents over FD from its start, each entry to FN: 0, or -1
 * when the directory could not be read from its start.
 */
int
dir_each_entry(int fd, void (*fn)(const struct dir_entry *, void *),
    void *arg)
{
	const struct dir_entry *de;
	size_t pos;
	long r;

	if (lseek(fd, 0, SEEK_SET) == -1)
		return -1;
	while ((r = syscall(SYS_getdents64, fd, dents, sizeof(dents))) > 0)
		for (pos = 0; pos < (size_t)r; pos += de->d_reclen) {
			de = (const struct dir_entry *)(void *)(dents + pos);
			fn(de, arg);
		}
	return 0;
}

/*
 * A scan directory is listed in one sorted order (strcmp's), however
 * large, in fixed memory: a window of the next names in order at a time.
 * Each pass reads the whole directory again (lseek to 0) and keeps, in a
 * max-heap, the smallest names above the last window's largest, up to
 * WINDOW_NAMES of them; a smaller name pushes the largest out, to a later
 * window. The heap then sorts itself in place (heapsort: glibc's qsort
 * takes a heap buffer for a large array, memory growing with the
 * services). N names take N / 4096 passes, rounded up, of N entries
 * each: 3 at 10,000, 5 at 20,000. Measured on ext4, a pass costs ~0.2 us
 * per entry, against ~5 us of probing per service: +9% at 10,000 names.
 * A k-way merge of sorted runs would read the directory once, but its
 * runs must be kept somewhere (memory growing with the directory, or a
 * temporary file); the windows keep nothing between passes but the last
 * name given out, and take only names after it, so none is given twice
 * even if the directory changes between passes.
 */
static void
win_swap(struct window_name *e, size_t i, size_t j)
{
	struct window_name tmp = e[i];

	e[i] = e[j];
	e[j] = tmp;
}

static void
sift_down(struct window_name *e, size_t root, size_t n)
{
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n &&
		    strcmp(e[child].name, e[child + 1].name) < 0)
			child++;
		if (strcmp(e[root].name, e[child].name) >= 0)
			return;
		win_swap(e, root, child);
		root = child;
	}
}

static void
sift_up(struct window_name *e, size_t i)
{
	size_t parent;

	while (i > 0 && strcmp(e[parent = (i - 1) / 2].name, e[i].name) < 0) {
		win_swap(e, parent, i);
		i = parent;
	}
}

void
name_window_init(struct name_window *w, size_t max_names, size_t max_bytes)
{
	w->cap = max_names < 1 ? 1 : max_names > WINDOW_NAMES ?
	    WINDOW_NAMES : max_names;
	/* Room for the longest name, and a quarter of the arena kept
	 * free, so that win_compact() is rare. */
	w->max_bytes = max_bytes < sizeof(w->last) ? sizeof(w->last) :
	    max_bytes > WINDOW_BYTES ? WINDOW_BYTES : max_bytes;
	w->has_last = 0;
	w->cur = 0;
	name_window_begin(w);
}

/* A new pass over the directory: the names after the last window's. */
void
name_window_begin(struct name_window *w)
{
	w->n = w->bytes = w->used = 0;
	w->left_out = 0;
}

static int
win_full(const struct name_window *w, size_t len)
{
	return w->n == w->cap || w->bytes + len > w->max_bytes;
}

/* NAME waits for a later window, and so must every name after it. */
static void
win_leave_out(struct name_window *w, const char *name, size_t len)
{
	memcpy(w->bound, name, len);
	w->left_out = 1;
}

static void
win_drop_largest(struct name_window *w)
{
	win_leave_out(w, w->e[0].name, w->e[0].len);
	w->bytes -= w->e[0].len;
	w->e[0] = w->e[--w->n];
	sift_down(w->e, 0, w->n);
}

/*
 * The names pushed out leave holes in the arena: when it is full, the
 * kept ones (WINDOW_BYTES at most) move to the other arena. A quarter of
 * an arena at least is freed each time: on average no more than three
 * bytes are copied for each byte of a name taken.
 */
static void
win_compact(struct name_window *w)
{
	char *to = w->arena[!w->cur];
	size_t i, off = 0;

	for (i = 0; i < w->n; i++) {
		memcpy(to + off, w->e[i].name, w->e[i].len);
		w->e[i].name = to + off;
		off += w->e[i].len;
	}
	w->cur = !w->cur;
	w->used = off;
}

/*
 * The window is always every name offered between the last window's
 * largest and the least name left out (w->bound), nothing missing: a
 * name after the bound is not taken, and one before it takes the place
 * of larger ones while the window is full.
 */
void
name_window_offer(struct name_window *w, const char *name, uint64_t ino,
    unsigned char type)
{
	struct window_name *e;
	size_t len = strlen(name) + 1;

	if (len > sizeof(w->last) ||
	    (w->has_last && strcmp(name, w->last) <= 0) ||
	    (w->left_out && strcmp(name, w->bound) >= 0))
		return;
	while (w->n > 0 && win_full(w, len) && strcmp(name, w->e[0].name) < 0)
		win_drop_largest(w);
	if (win_full(w, len)) {
		win_leave_out(w, name, len);	/* the largest */
		return;
	}
	if (w->used + len > sizeof(w->arena[0]))
		win_compact(w);
	e = &w->e[w->n];
	e->name = memcpy(w->arena[w->cur] + w->used, name, len);
	e->len = (uint16_t)len;
	e->ino = ino;
	e->type = type;
	w->used += len;
	w->bytes += len;
	sift_up(w->e, w->n++);
}

/*
 * The window sorted, in w->e[0..n); *more when a name was left out for
 * the next pass.
 */
size_t
name_window_end(struct name_window *w, int *more)
{
	size_t i;

	for (i = w->n; i-- > 1;) {
		win_swap(w->e, 0, i);
		sift_down(w->e, 0, i);
	}
	if (w->n > 0) {
		memcpy(w->last, w->e[w->n - 1].name, w->e[w->n - 1].len);
		w->has_last = 1;
	}
	*more = w->left_out;
	return w->n;
}
