/*
 * svx status over many services: discovery (listing.c) and the output
 * formats (listing_out.c).
 */
#ifndef SVX_LISTING_H
#define SVX_LISTING_H

#include <sys/types.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "../../adapters/engine/batch.h"
#include "../common/fields.h"
#include "../common/output.h"

#define MAX_PATTERNS	32
#define MAX_SCANDIRS	32
#define LISTING_METRICS	5	/* Prometheus metrics (listing_out.c) */
#define JSON_SCHEMA	"svx.status/1"

enum listing_format {
	FMT_LINES,		/* svx status SERVICE: one line each */
	FMT_TABLE,		/* svx status --all */
	FMT_JSON,
	FMT_PROMETHEUS,
	FMT_FIELDS		/* -o FIELD,... */
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
	const char	*named_dir;	/* named rows' parent, absolute (JSON's
					   path), or NULL */
	enum svx_outcome worst;
	FILE		*metric_files[LISTING_METRICS];	/* Prometheus: each
					   metric's samples until the end */
};

struct scandir {
	char		 path[PATH_MAX];
	dev_t		 dev;
	ino_t		 ino;
};

/* The scan directories in use, each once: $SVDIR, $SVX_SCANDIRS, the
 * running scanners' (/proc), then the conventional places. */
struct scandir_list {
	struct scandir	 dirs[MAX_SCANDIRS];
	size_t		 n;
};

void	listing_find_scandirs(struct scandir_list *);
int	listing_name_matches(const struct listing_opts *, const char *);
void	listing_all(struct listing *, const struct scandir_list *);
/* Whether NAME matches one of the N shell patterns (none: any name). */
int	names_match(const char *const *patterns, size_t n, const char *name);
/* The widest name there that O's patterns match (the table's column). */
size_t	listing_widest(const struct scandir_list *,
	    const struct listing_opts *);
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

/* S as a JSON string on F: escaped, bad UTF-8 as U+FFFD. */
void	json_string(FILE *f, const char *s);

#endif
