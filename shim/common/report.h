/*
 * svx's one-line errors naming a service (report.c).
 */
#ifndef SVX_REPORT_H
#define SVX_REPORT_H

#include "../../adapters/engine/service.h"
#include "../../mappings/mappings.h"

/* NAME: the cause, on stderr, after anything already on stdout. */
void	report_error(const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* NAME: what was done, on stdout (enable, disable, new). */
void	report_done(const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Why NAME could not be opened (ERR); BARE: a name, not a path. */
enum svx_outcome report_open_error(const char *name, int err, int bare);
/* The verdicts that leave no state to act on, told; their outcome. */
enum svx_outcome report_verdict(const char *name, const struct svx_service *);

/*
 * A note when the service BASE under PARENTFD (or by PATH) is being
 * moved by svx migrate, or a move of it was interrupted (its journal):
 * 1 if said, else 0. PRESENT: BASE is known to be there (not hidden),
 * so one lookup of its journal says there is none.
 */
int	report_migration(const char *name, int parentfd, const char *base,
	    int present);
int	report_migration_path(const char *name, const char *path);

#endif
