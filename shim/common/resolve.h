/*
 * From a command-line argument to a service directory (resolve.c).
 */
#ifndef SVX_RESOLVE_H
#define SVX_RESOLVE_H

#include <stddef.h>

/* Default scan directories, searched in order for a bare service name. */
extern const char *const default_scandirs[];

int	resolve_service(const char *arg, const char *svdir, char *out,
	    size_t outlen);
int	is_path_argument(const char *);
/* DIR/NAME into OUT: 0, or -1 (ENAMETOOLONG) with nothing cut short. */
int	path_join(char *out, size_t outlen, const char *dir, const char *name);

#endif
