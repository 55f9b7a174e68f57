/*
 * supervisord's programs on svx's command line: supervisord:NAME
 * (sd_shim.c).
 */
#ifndef SVX_SD_SHIM_H
#define SVX_SD_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "../../adapters/backends/supervisord.h"
#include "../../mappings/mappings.h"

/* What supervisord calls ARG: NAME or GROUP:NAME, after SD_NAME_PREFIX. */
const char *sd_program_name(const char *arg);
/* One line naming ARG and supervisord's answer R; the outcome it means. */
enum svx_outcome sd_report(const char *arg, const struct sd_conn *,
	    enum sd_result r);
struct svx_service;
/* The same for SV, a program opened through sd_source: its last call. */
enum svx_outcome sd_report_service(const char *name,
	    const struct svx_service *sv);
/* svx log ARG: the last LINES (all when < 0), then with FOLLOW what comes,
 * until STOPFD is readable or stdout's reader goes (sd_log.c). With
 * INDENT, status -l's lines: indented, and no error said. */
enum svx_outcome sd_log_show(const char *arg, long lines, int follow,
	    int stopfd, const char *indent);
struct listing;
struct listing_opts;
/* status --all: supervisord's programs, NULL when none runs; *WIDEST
 * their widest name that the patterns match. The answer is sd_shim.c's
 * own (a struct sd_programs), for sd_listing alone to read. */
const void *sd_fetch(const struct listing_opts *, size_t *widest);
/* Their rows, after the service directories'. */
void	sd_listing(const void *answer, struct listing *);
void	sd_named_row(struct listing *, const char *arg);

#endif
