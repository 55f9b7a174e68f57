/*
 * Multi-call entry point: the basename of argv[0] picks a personality;
 * `svx PERSONALITY ARGS...` works too, as `git foo` does for git-foo.
 */
#include <stdlib.h>
#include <string.h>

#include "compat/compat.h"
#include "personality.h"
#include "svx/svx.h"

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static int
run_as(const struct personality *p, int argc, char **argv)
{
	setprogname(p->name);
	return p->main(argc, argv);
}

int
main(int argc, char **argv)
{
	const struct personality *p, *self;

	self = find_personality(argc > 0 ? base_name(argv[0]) : "svx");
	/* Any other name is an init script: runit's LSB mode. */
	if (self == NULL && argc > 0)
		return sv_main(argc, argv);
	if (self != NULL && self->main != svx_main)
		return run_as(self, argc, argv);
	if (argc > 1 && (p = find_personality(argv[1])) != NULL &&
	    p->main != svx_main)
		return run_as(p, argc - 1, argv + 1);
	setprogname("svx");
	return svx_main(argc, argv);
}
