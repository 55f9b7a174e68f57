/*
 * svx migrate: services moved from one supervisor to another (migrate.c
 * and the files mig.h names).
 */
#ifndef SVX_MIGRATE_H
#define SVX_MIGRATE_H

#include <stdint.h>

#include "../../mappings/mappings.h"

struct migrate_args {
	enum svx_backend to;
	int		 dry_run, all, verbose;
	int		 rollback;	/* an interrupted move: undone */
	const char	*scandir, *svdir;
	const char	*dir;		/* --dir: supervisord programs' home */
	int64_t		 wait_ms;
};
enum svx_outcome migrate(int n, char **args, const struct migrate_args *);

#endif
