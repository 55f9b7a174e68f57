/*
 * svx's own command line (svx.c) and svx backend-env (backend_env.c).
 */
#ifndef SVX_SVX_H
#define SVX_SVX_H

#include "../../mappings/mappings.h"

int	svx_main(int, char **);
enum svx_outcome backend_env(int n, char **args, const char *svdir,
	    const char *supervisedir);

#endif
