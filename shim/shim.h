/*
 * The front end: the only layer that prints or exits.
 */
#ifndef SVX_SHIM_H
#define SVX_SHIM_H

#include <stddef.h>
#include <stdio.h>

#include "../adapters/service.h"
#include "../mappings/mappings.h"

#define SVX_VERSION	"0.1.0"

/* Default scan directories, searched in order for a bare service name. */
extern const char *const default_scandirs[];

struct personality {
	const char	*name;
	int		(*main)(int, char **);
	/* Its native tool reads $SUPERVISEDIR (encore's svc, svstat, svok). */
	int		 reads_supervisedir;
};

extern const struct personality personalities[];
extern const size_t npersonalities;
const struct personality *find_personality(const char *);
const char *personality_name(const void *);

int	svx_main(int, char **);
int	svc_main(int, char **);
int	sv_main(int, char **);
int	s6svc_main(int, char **);
int	s6svok_main(int, char **);
int	s6svstat_main(int, char **);
int	s6svwait_main(int, char **);
int	svok_main(int, char **);
int	svstat_main(int, char **);
int	personality_exit(const struct exit_map *, enum svx_outcome);
const char *personality_supervisedir(void);
void	personality_await_supervisor(struct svx_service *, const char *,
	    int64_t ms);

#define SCAN_PERIOD_MS	5500	/* svscan rescans every 5 s */

/* dgetopt.c */
struct dgetopt {
	int		 ind;		/* the next argument to look at */
	const char	*next;		/* inside a cluster of letters */
	const char	*arg;		/* the option's argument */
	int		 opt;		/* the letter just parsed */
};
enum { DGETOPT_END = -1, DGETOPT_BAD = -2, DGETOPT_NOARG = -3 };
void	dgetopt_init(struct dgetopt *);
int	dgetopt(struct dgetopt *, int, char **, const char *);

/* resolve.c */
enum svx_outcome svx_run_verb(const char *path, enum svx_verb, int64_t wait_ms,
	    int64_t settle_ms, int verbose);
/* supervisord:NAME, supervisord:GROUP:NAME: its programs' names. */
#define SVX_SD_PREFIX	"supervisord:"
int	sd_is_name(const char *);
/* What supervisord calls it: NAME or GROUP:NAME, after the prefix. */
const char *sd_program_name(const char *arg);
/* One line naming ARG and supervisord's answer R; the outcome it means. */
enum svx_outcome sd_report(const char *arg, const struct sd_conn *,
	    enum sd_result r);
enum svx_outcome sd_run(const char *arg, enum svx_command, enum svx_verb,
	    int64_t wait_ms);
/* The same within the command's DEADLINE (monotonic ms), -w's bound. */
enum svx_outcome sd_run_until(const char *arg, enum svx_command,
	    enum svx_verb, int64_t wait_ms, int64_t deadline);
struct listing;
struct listing_opts;
size_t	sd_fetch(const struct listing_opts *);
void	sd_listing(struct listing *);
void	sd_named_row(struct listing *, const char *arg);
struct migrate_args {
	enum svx_backend to;
	int		 dry_run, all, verbose;
	const char	*scandir, *svdir;
	const char	*dir;		/* --dir: supervisord programs' home */
	int64_t		 wait_ms;
};
enum svx_outcome migrate(int n, char **args, const struct migrate_args *);
enum svx_outcome backend_env(int n, char **args, const char *svdir,
	    const char *supervisedir);
int	resolve_service(const char *arg, const char *svdir, char *out,
	    size_t outlen);
int	is_path_argument(const char *);
/* DIR/NAME into OUT: 0, or -1 (ENAMETOOLONG) with nothing cut short. */
int	join(char *out, size_t outlen, const char *dir, const char *name);

/* output.c */
struct text {
	char	*buf;
	size_t	 len, cap;
};
void	text_init(struct text *, char *, size_t);
void	text_put(struct text *, const char *, size_t);
void	text_puts(struct text *, const char *);
void	text_add(struct text *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	text_name(struct text *, const char *);
size_t	name_width(const char *);
size_t	utf8_seq_len(const unsigned char *);
void	format_duration(struct text *, int64_t);
void	format_proc(struct text *, const struct svx_service *,
	    const struct svx_proc *, int64_t now);
const char *service_backend(const struct svx_service *);
void	format_status_line(struct text *, const char *name,
	    const struct svx_service *, const struct svx_service *log,
	    int64_t now);
void	print_probe(FILE *, const char *name, const char *path,
	    const struct svx_service *, const struct svx_service *log);
int64_t	now_seconds(void);
int	log_unreadable(const struct svx_service *);
enum svx_outcome listing_verdict_error(const char *,
	    const struct svx_service *);
void	format_fields(struct text *, const enum status_field_id *, size_t,
	    const char *, const struct svx_service *, int64_t);
int	finish_output(void);

#endif
