/*
 * A directory's names in order, in fixed memory (names.c).
 */
#ifndef SVX_NAMES_H
#define SVX_NAMES_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A scan directory's names in order, one window at a time (names.c):
 * each pass over the directory offers every name; the window keeps the
 * smallest ones above the last window's, up to WINDOW_NAMES names and
 * WINDOW_BYTES bytes of them; name_window_end sorts them. More passes
 * follow while a name was left out.
 */
#define WINDOW_NAMES	4096
#define WINDOW_ARENA	(64 * 1024)
#define WINDOW_BYTES	(WINDOW_ARENA / 4 * 3)

struct window_name {
	const char	*name;
	uint64_t	 ino;		/* d_ino */
	uint16_t	 len;		/* with its NUL */
	unsigned char	 type;		/* d_type */
};

struct name_window {
	struct window_name e[WINDOW_NAMES];	/* a max-heap while filling */
	char		 arena[2][WINDOW_ARENA];	/* names; one in use */
	size_t		 n, cap, bytes, max_bytes, used;
	int		 cur;		/* the arena in use */
	int		 left_out;	/* a name waits for a later window */
	int		 has_last;
	char		 last[NAME_MAX + 1];	/* the last window's largest */
	char		 bound[NAME_MAX + 1];	/* the least name left out */
};

void	name_window_init(struct name_window *, size_t max_names,
	    size_t max_bytes);
void	name_window_begin(struct name_window *);
void	name_window_offer(struct name_window *, const char *name,
	    uint64_t ino, unsigned char type);
size_t	name_window_end(struct name_window *, int *more);

/* One entry as getdents64 gives it. */
struct dir_entry {
	uint64_t	 d_ino;
	int64_t		 d_off;
	unsigned short	 d_reclen;
	unsigned char	 d_type;
	char		 d_name[];
};

/*
 * One pass of getdents over FD from its start, each entry to FN: 0, or -1
 * when the directory could not be read from its start.
 */
int	dir_each_entry(int fd, void (*fn)(const struct dir_entry *, void *),
	    void *arg);
void	dir_entries_prefault(void);
/* P[0..LEN) backed by memory now, not as it fills. */
void	prefault(void *p, size_t len);

#endif
