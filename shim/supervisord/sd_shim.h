/*
 * supervisord's programs on svx's command line: supervisord:NAME
 * (sd_shim.c).
 */
#ifndef SVX_SD_SHIM_H
#define SVX_SD_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "../../adapters/supervisord/supervisord.h"
#include "../../mappings/mappings.h"

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
/* svx log ARG: the last LINES (all when < 0), then with FOLLOW what comes,
 * until STOPFD is readable or stdout's reader goes (sd_log.c). With
 * INDENT, status -l's lines: indented, and no error said. */
enum svx_outcome sd_log_show(const char *arg, long lines, int follow,
	    int stopfd, const char *indent);
struct listing;
struct listing_opts;
struct sd_programs;
/* status --all: supervisord's programs, NULL when none runs; *WIDEST
 * their widest name that the patterns match. */
const struct sd_programs *sd_fetch(const struct listing_opts *,
	    size_t *widest);
/* Their rows, after the service directories'. */
void	sd_listing(const struct sd_programs *, struct listing *);
void	sd_named_row(struct listing *, const char *arg);

#endif
