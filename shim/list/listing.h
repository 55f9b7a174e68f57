/*
 * svx status over many services: discovery (listing.c) and the output
 * formats (listing_out.c).
 */
#ifndef SVX_LISTING_H
#define SVX_LISTING_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "../../adapters/engine/batch.h"
#include "../common/output.h"

#define MAX_PATTERNS	32
#define JSON_SCHEMA	"svx.status/1"

enum listing_format {
	FMT_LINES,		/* svx status SERVICE: one line each */
	FMT_TABLE,		/* svx status --all */
	FMT_JSON,
	FMT_PROMETHEUS,
	FMT_FIELDS		/* -o FIELD,... */
};

/* What a row says, in words used by the filters and every format. */
enum row_state {
	ROW_UP, ROW_DOWN, ROW_STARTING, ROW_STARTED, ROW_FINISHING,
	ROW_STOPPING, ROW_FAILED, ROW_EXITED, ROW_UNSUPERVISED, ROW_UNKNOWN,
	ROW_NSTATES
};

struct listing_opts {
	enum listing_format format;
	int		 color;
	const char	*patterns[MAX_PATTERNS];
	size_t		 npatterns;
	unsigned int	 states;	/* 1 << enum row_state; 0: all */
	unsigned int	 backends;	/* 1 << enum svx_backend; 0: all */
	const enum status_field_id *fields;
	size_t		 nfields;
};

struct listing {
	const struct listing_opts *opts;
	FILE		*out;
	int64_t		 now;
	size_t		 name_width;
	unsigned int	 total, up, down, unsupervised, unknown, flapping;
	unsigned int	 rows;
	int		 denied;	/* a directory was not readable */
	int		 headings;	/* table: several scan directories */
	const char	*heading;	/* the scan directory last headed */
	enum svx_outcome worst;
};

extern const char *const row_state_names[ROW_NSTATES];

/*
 * A scan directory's names in order, one window at a time (listing.c):
 * each pass over the directory offers every name; the window keeps the
 * smallest ones above the last window's, up to WINDOW_NAMES names and
 * WINDOW_BYTES bytes of them; listing_win_end sorts them. More passes
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

struct listing_win {
	struct window_name e[WINDOW_NAMES];	/* a max-heap while filling */
	char		 arena[2][WINDOW_ARENA];	/* names; one in use */
	size_t		 n, cap, bytes, max_bytes, used;
	int		 cur;		/* the arena in use */
	int		 left_out;	/* a name waits for a later window */
	int		 has_last;
	char		 last[NAME_MAX + 1];	/* the last window's largest */
	char		 bound[NAME_MAX + 1];	/* the least name left out */
};

void	listing_find_scandirs(void);
size_t	listing_nscandirs(void);
const char *listing_scandir(size_t);
int	listing_name_matches(const struct listing_opts *, const char *);
void	listing_all(struct listing *);
size_t	listing_widest(const struct listing_opts *);
void	listing_win_init(struct listing_win *, size_t max_names,
	    size_t max_bytes);
void	listing_win_begin(struct listing_win *);
void	listing_win_offer(struct listing_win *, const char *name,
	    uint64_t ino, unsigned char type);
size_t	listing_win_end(struct listing_win *, int *more);
void	listing_paths(struct listing *, char *const *args, size_t n,
	    const char *svdir);

void	listing_begin(struct listing *, const struct listing_opts *);
int	listing_end(struct listing *);
void	listing_header(struct listing *, size_t name_width);
void	listing_row(struct listing *, const char *scandir,
	    const struct batch_probe *, const struct batch_probe *log);
void	listing_named_row(struct listing *, const char *name,
	    const struct batch_probe *, const struct batch_probe *log);
void	listing_dir_error(struct listing *, const char *path, int err);
void	listing_open_error(struct listing *, const char *arg, int err);
int	row_state_of(const struct batch_probe *);

#endif
